import { defineRule } from './rule.js';

export default defineRule({
  id: 'consecutive-run',
  severity: 'info',
  category: 'style',
  recommended: false,
  scope: 'instructions',
  title: 'Consecutive one-command RUN instructions',
  peers: { hadolint: ['DL3059'] },
  messages: {
    consecutive: {
      message: 'This RUN follows another one-command RUN (line {previous}) with the same options: each RUN is a layer of its own, and consecutive one-command RUNs could be one.',
      hint: 'Join them with `&&` (or use one RUN with a heredoc).',
    },
  },
  docs: {
    what: 'A RUN directly after another RUN (comments between them allowed) with the same flags, when each runs a single command.',
    why: 'Fewer layers make smaller, faster images; splitting is sometimes wanted for caching, which is why this rule is off in `recommended`.',
    bad: 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl',
    good: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl',
    howToFix: 'Merge the RUNs.',
  },
  async check(ctx) {
    let prev: { flags: string; count: number; line: number } | null = null;
    for (const view of ctx.view.instructions) {
      if (view.onbuild) continue;
      if (view.keyword !== 'RUN') {
        if (view.keyword !== 'ONBUILD') prev = null;
        continue;
      }
      const run = await ctx.view.run(view);
      const count = run.commands.filter((c) => c.depth === 0).length;
      const flags = view.inst.flags.map((f) => `${f.name}=${f.value ?? ''}`).join(' ');
      if (prev && prev.flags === flags && count === 1 && prev.count === 1 && run.syntaxError === null) {
        ctx.report({ messageId: 'consecutive', data: { previous: prev.line }, at: { file: ctx.env.dockerfile.displayPath, span: view.inst.keywordSpan } });
      }
      prev = { flags, count, line: view.inst.keywordSpan.line };
    }
  },
});
