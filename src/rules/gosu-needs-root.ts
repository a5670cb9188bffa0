import { atRef } from '../evidence.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'gosu-needs-root',
  severity: 'error',
  category: 'privilege',
  recommended: true,
  title: 'gosu runs unconditionally in an image that does not start as root',
  peers: {},
  messages: {
    notRoot: {
      message: '`{tool}` can only switch user when it runs as root, but this image starts as {where} and nothing checks `id -u` first: the container fails at start with "operation not permitted".',
      hint: "Guard it: `if [ \"$(id -u)\" = '0' ]; then exec {tool} {user} \"$0\" \"$@\"; fi`, then `exec \"$@\"`.",
    },
  },
  docs: {
    what:
      'The entrypoint hands over with `exec gosu user ...` (or su-exec, setpriv, s6-setuidgid, chpst -u) on a path that is not guarded by a check that the script runs as root (`[ "$(id -u)" = 0 ]`, `$EUID`), in an image whose final USER is not root.',
    why:
      'gosu and su-exec can only switch user when they run as root. Under `USER app` (or `docker run --user`), `gosu app server` fails with "operation not permitted" and the container exits at start. The official images guard the step-down with `if [ "$(id -u)" = \'0\' ]` so that the image works both ways.',
    bad: 'FROM debian:12\nCOPY entrypoint.sh /\nUSER app\nENTRYPOINT ["/entrypoint.sh"]\n# entrypoint.sh ends with: exec gosu app "$@"',
    good: 'FROM debian:12\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n# entrypoint.sh: if [ "$(id -u)" = 0 ]; then exec gosu app "$0" "$@"; fi; exec "$@"',
    howToFix: 'Guard the step-down with `if [ "$(id -u)" = \'0\' ]; then ... exec gosu app "$0" "$@"; fi` and end with `exec "$@"`, or drop the USER line and let the entrypoint step down.',
  },
  check(ctx) {
    const stage = ctx.stage;
    const launch = ctx.launch;
    if (!stage || !launch) return;
    const run = launch.runs.default;
    // Known not to start as root (not merely unknown): USER, or the base image's user.
    if (run.startUser.root !== false || run.truncated) return;
    const user = stage.config.user;
    const where = user ? `\`USER ${user.value}\` (line ${user.instruction.keywordSpan.line})` : `the base image's user ${run.startUser.name ?? run.startUser.uid ?? ''}`.trim();
    const done = new Set<string>();
    for (const chain of run.chains) {
      chain.hops.forEach((hop, i) => {
        // A switch that a script execs while the process is not root.
        if (hop.kind !== 'switch' || hop.runsAs.root !== false) return;
        // doas is set-user-ID root: as any user its configuration permits, it switches.
        if (hop.tool === 'doas') return;
        const prev = chain.hops[i - 1];
        if (!prev || (prev.kind !== 'script' && prev.kind !== 'shell') || !prev.ending?.cmd) return;
        const ref = prev.ending.cmd;
        const key = `${ref.file.path}:${ref.stmt.p[2]}`;
        if (done.has(key)) return;
        done.add(key);
        ctx.report({ ...atRef(prev.unit, ref, ctx.env.dockerfile.displayPath), messageId: 'notRoot', data: { tool: hop.tool, where, user: hop.user ?? 'app' } });
      });
    }
  },
});
