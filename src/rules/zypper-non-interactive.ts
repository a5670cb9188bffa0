import { insertAfterWord } from '../fix/builders/dockerfile.js';
import { askingVerb } from '../model/packages.js';
import { defineRule } from './rule.js';

const TOOLS = new Set(['zypper']);
const VERBS = ['install', 'in', 'remove', 'rm', 'source-install', 'si', 'patch'];

export default defineRule({
  id: 'zypper-non-interactive',
  severity: 'warning',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  fixable: true,
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
    example: { bad: 'install and remove without -n' },
    autofix: [
      { safety: 'safe', what: 'Inserts ` -n` right after the program name (not in JSON strings with escapes, whose offsets are not exact)', why: 'a non-interactive build needs the default answers; without it zypper stops at its question and the build fails' },
    ],
  },
  async check(ctx) {
    await ctx.view.forEachCommand((cmd) => {
      const verb = askingVerb(cmd, TOOLS, VERBS, ['n', 'non-interactive', 'y', 'no-confirm']);
      if (!verb || cmd.name === null) return;
      const file = ctx.env.dockerfile.displayPath;
      ctx.report({
        messageId: 'interactive',
        data: { tool: cmd.name, verb },
        at: { file, span: cmd.program.span },
        ...insertAfterWord(ctx.env.dockerfile, cmd.program, ' -n', 'Add -n'),
      });
    }, ['zypper']);
  },
});
