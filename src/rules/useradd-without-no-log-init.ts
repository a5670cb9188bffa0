import { defineRule } from './rule.js';

export default defineRule({
  id: 'useradd-without-no-log-init',
  severity: 'warning',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: '`useradd` with a high UID and without `-l`',
  peers: { hadolint: ['DL3046'] },
  messages: {
    lastlog: {
      message: '`useradd -u {uid}` without `-l`: useradd writes the user\'s entry into /var/log/lastlog and faillog at an offset of the UID, a sparse file that the image layer stores as gigabytes of zeros.',
      hint: 'Add `-l` (`--no-log-init`): `useradd -l -u {uid} ...`.',
    },
  },
  docs: {
    what: '`useradd` with `-u`/`--uid` of six digits or more and without `-l`/`--no-log-init`.',
    why: 'Layers do not keep files sparse: a UID of 100000000 can add gigabytes to the image.',
    bad: 'FROM debian:12\nRUN useradd -u 123456789 app',
    good: 'FROM debian:12\nRUN useradd -l -u 123456789 app',
    howToFix: 'Add `-l` to the useradd.',
  },
  async check(ctx) {
    await ctx.view.forEachCommand((cmd) => {
      if (cmd.name !== 'useradd' || cmd.hasFlag('l', 'no-log-init')) return;
      const uid = cmd.flagValue('u', 'uid');
      if (typeof uid !== 'string' || uid.length <= 5) return;
      ctx.report({ messageId: 'lastlog', data: { uid }, at: { file: ctx.env.dockerfile.displayPath, span: cmd.program.span } });
    });
  },
});
