import { defineRule } from './rule.js';

export default defineRule({
  id: 'cd-in-run',
  severity: 'info',
  category: 'style',
  recommended: false,
  scope: 'instructions',
  title: '`cd` in a RUN instead of WORKDIR',
  peers: { hadolint: ['DL3003'] },
  messages: {
    cd: {
      message: '`cd` in RUN changes the folder for this RUN only; the next instruction starts in WORKDIR again, which is easy to forget when the file grows.',
      hint: 'Set the folder with `WORKDIR /path` before the RUN, or use the tool\'s own option (`make -C dir`, `git -C dir`).',
    },
  },
  docs: {
    what: 'A `cd` command in a RUN.',
    why: 'A later edit that splits the RUN silently runs its second half in another folder. `cd` inside one RUN is often harmless, which is why this rule is off in `recommended`.',
    bad: 'FROM node:22\nRUN cd /app && npm ci',
    good: 'FROM node:22\nWORKDIR /app\nRUN npm ci',
    howToFix: 'Use WORKDIR, or the program\'s option for its working folder.',
  },
  async check(ctx) {
    await ctx.view.forEachCommand((cmd) => {
      if (cmd.name === 'cd') ctx.report({ messageId: 'cd', at: { file: ctx.env.dockerfile.displayPath, span: cmd.program.span } });
    });
  },
});
