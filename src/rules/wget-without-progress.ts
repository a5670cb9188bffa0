import { writtenAsIs } from '../model/command-view.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'wget-without-progress',
  severity: 'info',
  category: 'build',
  recommended: false,
  scope: 'instructions',
  fixable: true,
  title: '`wget` with its default progress bar',
  peers: { hadolint: ['DL3047'] },
  messages: {
    progress: {
      message: '`wget` without `--progress` writes a progress line per few kilobytes into the build log: a large download makes the log megabytes long.',
      hint: 'Use `wget --progress=dot:giga ...`, or `-q` / `-nv`.',
    },
  },
  docs: {
    what: '`wget` without `--progress`, `-q`/`--quiet`, `-nv`/`--no-verbose`, or an output log option (`-o`, `-a`).',
    why: 'Bloated build logs hide the lines that matter; it is cosmetic, which is why this rule is off in `recommended`.',
    bad: 'FROM debian:12\nRUN wget https://example.com/big.tar.gz',
    good: 'FROM debian:12\nRUN wget --progress=dot:giga https://example.com/big.tar.gz',
    howToFix: 'Add `--progress=dot:giga` (the fix does).',
    autofix: [
      { safety: 'safe', what: 'Inserts ` --progress=dot:giga` after `wget`', why: 'it changes only what wget prints to the build log' },
    ],
  },
  async check(ctx) {
    await ctx.view.forEachCommand((cmd) => {
      if (cmd.name !== 'wget') return;
      if (cmd.hasFlag('progress', 'q', 'quiet', 'no-verbose', 'o', 'output-file', 'a', 'append-output') || cmd.hasArg('-nv')) return;
      const file = ctx.env.dockerfile.displayPath;
      ctx.report({
        messageId: 'progress',
        at: { file, span: cmd.program.span },
        ...(writtenAsIs(ctx.env.dockerfile.text, cmd.program)
          ? { fix: { safety: 'safe' as const, title: 'Add --progress=dot:giga', edits: [{ file, start: cmd.program.end, end: cmd.program.end, text: ' --progress=dot:giga' }] } }
          : {}),
      });
    });
  },
});
