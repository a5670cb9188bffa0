import type { InstructionView } from '../model/instructions.js';
import { defineRule } from './rule.js';

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'in', 'select', 'function', 'time', 'coproc', '!', '[[', ']]', '{', '}']);

/**
 * A shell-form RUN body of plain words (no quotes, escapes, operators, groupings, substitutions,
 * redirections, comments or heredocs) whose first word is no reserved word: exactly one simple
 * command, as a parse would find.
 */
function plainOneCommand(text: string, heredocs: number): boolean {
  if (heredocs > 0 || !/^[\sA-Za-z0-9_@%+=:,./~$-]+$/.test(text)) return false;
  const first = text.trim().split(/\s+/)[0] ?? '';
  return first !== '' && !first.includes('=') && !first.startsWith('$') && !RESERVED.has(first);
}

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
    // Groups of RUNs that follow each other with the same flags: a RUN outside one is never
    // parsed for this rule.
    const groups: InstructionView[][] = [];
    let group: InstructionView[] = [];
    let groupFlags = '';
    for (const view of ctx.view.instructions) {
      if (view.onbuild) continue;
      if (view.keyword !== 'RUN') {
        if (view.keyword !== 'ONBUILD') group = [];
        continue;
      }
      const flags = view.inst.flags.map((f) => `${f.name}=${f.value ?? ''}`).join(' ');
      if (group.length > 0 && groupFlags !== flags) group = [];
      if (group.length === 0) groups.push(group);
      groupFlags = flags;
      group.push(view);
    }
    // Plain words are one command without a parse; anything else is parsed (and cached for the
    // other rules). A syntax error counts as no command.
    const count = async (view: InstructionView): Promise<number> => {
      if (plainOneCommand(view.inst.rest.text, view.inst.heredocs.length)) return 1;
      const run = await ctx.view.run(view);
      return run.syntaxError === null ? run.commands.filter((c) => c.depth === 0).length : 0;
    };
    for (const g of groups) {
      if (g.length < 2) continue;
      let prev = await count(g[0] as InstructionView);
      for (let i = 1; i < g.length; i++) {
        const cur = g[i] as InstructionView;
        const n = prev === 1 || i + 1 < g.length ? await count(cur) : 0;
        if (prev === 1 && n === 1) {
          ctx.report({ messageId: 'consecutive', data: { previous: (g[i - 1] as InstructionView).inst.keywordSpan.line }, at: { file: ctx.env.dockerfile.displayPath, span: cur.inst.keywordSpan } });
        }
        prev = n;
      }
    }
  },
});
