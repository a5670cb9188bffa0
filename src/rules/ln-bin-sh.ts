import { operands } from '../model/packages.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'ln-bin-sh',
  severity: 'warning',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: 'Replacing /bin/sh with a symlink',
  peers: { hadolint: ['DL4005'] },
  messages: {
    shell: {
      message: '`ln ... /bin/sh` swaps the system shell of the image: every script that expects the distribution\'s /bin/sh (package scripts included) now runs under another shell.',
      hint: 'Use `SHELL ["/bin/bash", "-c"]` to run the Dockerfile\'s RUNs in bash instead.',
    },
  },
  docs: {
    what: 'An `ln` whose link name (its last operand) is `/bin/sh`.',
    why: 'SHELL changes the shell for RUN only; a symlink changes it for the whole image, at runtime too.',
    bad: 'FROM debian:12\nRUN ln -sf /bin/bash /bin/sh',
    good: 'FROM debian:12\nSHELL ["/bin/bash", "-c"]',
    howToFix: 'Use SHELL for the RUNs that need another shell.',
  },
  async check(ctx) {
    await ctx.view.forEachCommand((cmd) => {
      if (cmd.name !== 'ln' || cmd.hasFlag('t', 'target-directory')) return;
      // The link is the last operand: `ln -s /bin/sh /usr/local/bin/x` leaves /bin/sh alone.
      const ops = operands(cmd, ['S', 'suffix']);
      if (ops.length < 2 || ops[ops.length - 1]?.value !== '/bin/sh') return;
      ctx.report({ messageId: 'shell', at: { file: ctx.env.dockerfile.displayPath, span: cmd.program.span } });
    });
  },
});
