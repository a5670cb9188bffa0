import { defineRule } from './rule.js';

const TOOLS = new Set(['zypper']);
const VERBS = ['install', 'in', 'remove', 'rm', 'source-install', 'si', 'patch'];

export default defineRule({
  id: 'zypper-non-interactive',
  severity: 'warning',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: '`zypper install` without its non-interactive switch',
  peers: { hadolint: ['DL3034'] },
  messages: {
    interactive: {
      message: '`{tool} {verb}` without `-n`: a build has no terminal, so it stops at the "Is this ok [y/N]" question and the build fails.',
      hint: 'Add `-n`: `{tool} -n {verb} ...`.',
    },
  },
  docs: {
    what: '`zypper` with `install` / `in` / `remove` / `rm` / `source-install` / `si` / `patch` and none of `-n`, `--non-interactive`, `-y`, `--no-confirm`.',
    why: 'Without a terminal the package manager cannot ask, so it aborts.',
    bad: 'FROM opensuse/leap:15.6\nRUN zypper install curl',
    good: 'FROM opensuse/leap:15.6\nRUN zypper install -y curl && zypper clean',
    howToFix: 'Add the non-interactive switch.',
  },
  async check(ctx) {
    await ctx.view.forEachCommand((cmd) => {
      if (cmd.name === null || !TOOLS.has(cmd.name) || cmd.hasFlag('n', 'non-interactive', 'y', 'no-confirm')) return;
      const verb = cmd.args.find((a) => a.value !== null && VERBS.includes(a.value))?.value;
      if (!verb) return;
      ctx.report({ messageId: 'interactive', data: { tool: cmd.name, verb }, at: { file: ctx.env.dockerfile.displayPath, span: cmd.program.span } });
    });
  },
});
