import { defineRule } from './rule.js';

export default defineRule({
  id: 'wget-and-curl',
  severity: 'info',
  category: 'build',
  recommended: false,
  scope: 'instructions',
  title: 'Both wget and curl in one stage',
  peers: { hadolint: ['DL4001'] },
  messages: {
    both: {
      message: 'This stage runs `{tool}` here and `{other}` on line {line}: two download tools where one would do, each a package in the image.',
      hint: 'Use one of them throughout the stage (and install only that one).',
    },
  },
  docs: {
    what: 'A RUN that uses `wget` or `curl` in a stage where an earlier RUN used the other one.',
    why: 'It is a size and consistency matter, which is why this rule is off in `recommended`.',
    bad: 'FROM debian:12\nRUN curl -fsSLO https://example.com/a\nRUN wget https://example.com/b',
    good: 'FROM debian:12\nRUN curl -fsSLO https://example.com/a && curl -fsSLO https://example.com/b',
    howToFix: 'Pick one tool.',
  },
  async check(ctx) {
    const seen = new Map<number, Map<string, number>>();
    for (const { view, run } of await ctx.view.allRuns()) {
      const key = view.onbuild ? -2 : view.stageIndex;
      const stage = seen.get(key) ?? new Map<string, number>();
      seen.set(key, stage);
      let reported = false;
      for (const cmd of run.commands) {
        if (cmd.name !== 'wget' && cmd.name !== 'curl') continue;
        const other = cmd.name === 'wget' ? 'curl' : 'wget';
        const line = stage.get(other);
        if (line !== undefined && !reported) {
          ctx.report({ messageId: 'both', data: { tool: cmd.name, other, line }, at: { file: ctx.env.dockerfile.displayPath, span: cmd.program.span } });
          reported = true;
        }
        if (!stage.has(cmd.name)) stage.set(cmd.name, cmd.program.span.line);
      }
    }
  },
});
