import { insertAfterWord } from '../fix/builders/dockerfile.js';
import { isAptGetInstall } from '../model/packages.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'apt-get-missing-yes',
  severity: 'warning',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  fixable: true,
  title: '`apt-get install` without `-y`',
  peers: { hadolint: ['DL3014'] },
  messages: {
    missingYes: {
      message: '`apt-get install` without `-y`: a build has no terminal, so apt-get aborts at its "Do you want to continue?" prompt as soon as an install needs confirmation.',
      hint: 'Add `-y` (or `--yes`, `-qq`): `apt-get install -y ...`.',
    },
  },
  docs: {
    what: '`apt-get install` (in any RUN, `sh -c` string, heredoc or ONBUILD RUN) without `-y`, `--yes`, `--assume-yes`, `-qq` or `-q=2`.',
    why: 'Without a terminal apt-get cannot ask, so it aborts the build the first time an install pulls extra packages or needs more disk space.',
    bad: 'FROM debian:12\nRUN apt-get update && apt-get install curl',
    good: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl',
    howToFix: 'Add `-y` after `apt-get`.',
    autofix: [
      { safety: 'safe', what: 'Inserts ` -y` after `apt-get` (not in JSON strings with escapes, whose offsets are not exact)', why: 'answering yes is what a non-interactive build needs; without it the install aborts' },
    ],
  },
  async check(ctx) {
    await ctx.view.forEachCommand((cmd) => {
      if (!isAptGetInstall(cmd)) return;
      const quiet2 = cmd.args.filter((a) => a.value === '-q' || a.value === '--quiet').length >= 2 || cmd.args.some((a) => a.value === '-q=2' || a.value === '-qq');
      if (cmd.hasFlag('y', 'yes', 'assume-yes') || quiet2) return;
      ctx.report({
        messageId: 'missingYes',
        at: { file: ctx.env.dockerfile.displayPath, span: cmd.program.span },
        ...insertAfterWord(ctx.env.dockerfile, cmd.program, ' -y', 'Add -y'),
      });
    }, ['apt-get']);
  },
});
