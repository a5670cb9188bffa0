import { defineRule } from './rule.js';

const POINTLESS: Record<string, string> = {
  ssh: 'the build has no keys or terminal for an interactive session',
  vim: 'nobody is at the keyboard during a build',
  shutdown: 'a build container has no init system to shut down',
  service: 'services started in a RUN stop when the RUN ends; nothing of them is kept in the image',
  ps: 'the only processes are the RUN itself',
  free: 'it prints the build machine\'s memory, not the future container\'s',
  top: 'it waits for a terminal that a build does not have',
  kill: 'every process of a RUN ends with it',
  mount: 'mounts made in a RUN are gone when it ends (use RUN --mount)',
};

export default defineRule({
  id: 'pointless-command',
  severity: 'info',
  category: 'build',
  recommended: false,
  scope: 'instructions',
  title: 'A command that makes no sense in a build',
  peers: { hadolint: ['DL3001'] },
  messages: {
    pointless: {
      message: '`{cmd}` in RUN has no lasting effect: {why}.',
      hint: 'Remove it; start services in the container\'s entrypoint, not at build time.',
    },
  },
  docs: {
    what: 'One of `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount` run in a RUN.',
    why: 'A RUN is a one-shot process in a throw-away container: interactive tools hang or do nothing, and services or mounts do not survive into the image. Such a command usually wastes a line rather than breaks the build, and `ps` or `free` is often a deliberate debugging line, so the rule is off in `recommended`.',
    bad: 'FROM debian:12\nRUN service nginx start',
    good: 'FROM debian:12\nCMD ["nginx", "-g", "daemon off;"]',
    howToFix: 'Drop the command, or move it to the container\'s start-up.',
  },
  async check(ctx) {
    await ctx.view.forEachCommand((cmd) => {
      const why = cmd.name !== null && Object.hasOwn(POINTLESS, cmd.name) ? POINTLESS[cmd.name] : undefined;
      if (why) ctx.report({ messageId: 'pointless', data: { cmd: cmd.name ?? '', why }, at: { file: ctx.env.dockerfile.displayPath, span: cmd.program.span } });
    }, Object.keys(POINTLESS));
  },
});
