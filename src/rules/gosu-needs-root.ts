import { knownBaseImage } from '../model/base-images.js';
import { rootStage } from '../model/image.js';
import { isErrorExit } from '../model/script.js';
import { atCommand } from '../evidence.js';
import { ROOT_USERS } from './root-process.js';
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
    const user = stage.config.user;
    const baseUser = knownBaseImage(rootStage(stage), ctx.env.baseImageFacts)?.user ?? null;
    const effective = user ? (user.known ? user.value : null) : baseUser;
    if (effective === null || ROOT_USERS.test(effective)) return;
    const where = user ? `\`USER ${user.value}\` (line ${user.instruction.keywordSpan.line})` : `the base image's user ${baseUser}`;
    for (const unit of launch.scripts) {
      for (const e of unit.analysis?.endings ?? []) {
        if (isErrorExit(e) || e.kind !== 'exec' || e.rootOnly) continue;
        const sw = e.last?.info.switcher;
        if (!sw || !e.last) continue;
        ctx.report({
          ...atCommand(unit, e.last, ctx.env.dockerfile.displayPath),
          messageId: 'notRoot',
          data: { tool: sw.tool, where, user: sw.user ?? 'app' },
        });
      }
    }
  },
});
