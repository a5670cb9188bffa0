import { defineRule } from './rule.js';

export default defineRule({
  id: 'zypper-dist-upgrade',
  severity: 'warning',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: '`zypper dist-upgrade` in a build',
  peers: { hadolint: ['DL3035'] },
  messages: {
    dup: {
      message: '`zypper {verb}` upgrades the whole distribution inside the image: the base image\'s release changes under it, which the base image\'s maintainers did not test.',
      hint: 'Use a newer base image tag instead, or `zypper update` for fixes within the release.',
    },
  },
  docs: {
    what: '`zypper dist-upgrade` or `zypper dup`.',
    why: 'A distribution upgrade in a Dockerfile makes the image unpredictable and large.',
    bad: 'FROM opensuse/leap:15.5\nRUN zypper dup -y',
    good: 'FROM opensuse/leap:15.6\nRUN zypper update -y',
    howToFix: 'Move to the newer base image.',
  },
  async check(ctx) {
    await ctx.view.forEachCommand((cmd) => {
      if (cmd.name !== 'zypper') return;
      const verb = cmd.args.find((a) => a.value === 'dist-upgrade' || a.value === 'dup')?.value;
      if (verb) ctx.report({ messageId: 'dup', data: { verb }, at: { file: ctx.env.dockerfile.displayPath, span: cmd.program.span } });
    });
  },
});
