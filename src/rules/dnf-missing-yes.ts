import { insertAfterWord } from '../fix/builders/dockerfile.js';
import { askingVerb } from '../model/packages.js';
import { defineRule } from './rule.js';

const TOOLS = new Set(['dnf', 'microdnf']);
const VERBS = ['install', 'groupinstall', 'localinstall'];

export default defineRule({
  id: 'dnf-missing-yes',
  severity: 'warning',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  fixable: true,
  title: '`dnf install` without its non-interactive switch',
  peers: { hadolint: ['DL3038'] },
  messages: {
    interactive: {
      message: '`{tool} {verb}` without `-y`: a build has no terminal, so it stops at the "Is this ok [y/N]" question and the build fails.',
      hint: 'Add `-y`: `{tool} -y {verb} ...`.',
    },
  },
  docs: {
    what: '`dnf` with `install` / `groupinstall` / `localinstall` and none of `-y`, `--assumeyes`.',
    why: 'Without a terminal the package manager cannot ask, so it aborts.',
    bad: 'FROM fedora:40\nRUN dnf install httpd',
    good: 'FROM fedora:40\nRUN dnf install -y httpd && dnf clean all',
    howToFix: 'Add the non-interactive switch.',
    example: { bad: 'dnf and microdnf without -y' },
    autofix: [
      { safety: 'safe', what: 'Inserts ` -y` right after the program name (not in JSON strings with escapes, whose offsets are not exact)', why: 'answering yes is what a non-interactive build needs; without it the install stops at its question and the build fails' },
    ],
  },
  async check(ctx) {
    await ctx.view.forEachCommand((cmd) => {
      const verb = askingVerb(cmd, TOOLS, VERBS, ['y', 'assumeyes']);
      if (!verb || cmd.name === null) return;
      const file = ctx.env.dockerfile.displayPath;
      ctx.report({
        messageId: 'interactive',
        data: { tool: cmd.name, verb },
        at: { file, span: cmd.program.span },
        ...insertAfterWord(ctx.env.dockerfile, cmd.program, ' -y', 'Add -y'),
      });
    }, ['dnf']);
  },
});
