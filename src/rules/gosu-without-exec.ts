import { commandOf, commandsRun, isScriptArg, isUserCommand } from '../model/evaluator/questions.js';
import { atRef, refText } from '../evidence.js';
import { defineRule } from './rule.js';
import { execFix } from '../fix/builders/pid1.js';
import { fixOf } from '../fix/builders/report.js';

export default defineRule({
  id: 'gosu-without-exec',
  severity: 'error',
  category: 'pid1',
  recommended: true,
  fixable: true,
  title: 'gosu (or su-exec, setpriv, ...) hands over without exec',
  peers: {},
  messages: {
    noExec: {
      message: '`{command}` hands over to the main process without `exec`: the shell stays PID 1 and the application runs as its child, so SIGTERM from `docker stop` stops at the shell.',
      hint: 'Write `exec {command}`.',
    },
  },
  docs: {
    what:
      'gosu, su-exec, setpriv, `chroot --userspec`, s6-setuidgid or `chpst -u` used as the hand-over to the main process without `exec` in front. A switch the script runs only after sourcing files known only at run time (`for f in /docker-entrypoint.d/*; do . "$f"; done` over a folder the build does not fill) is not reported: one of those files may have handed over already, and then the line never runs.',
    why:
      'These tools switch user and then exec the command, so the command keeps their PID. But without `exec`, the script\'s shell forks first: the shell stays PID 1, the application runs as its child, and SIGTERM from `docker stop` goes to the shell, which does not forward it.',
    bad: '#!/bin/sh\nchown -R redis /data\ngosu redis "$@"',
    good: '#!/bin/sh\nchown -R redis /data\nexec gosu redis "$@"',
    howToFix: 'Put `exec` in front: `exec gosu <user> "$@"`.',
    autofix: [
      { safety: 'unsafe', what: '`exec` in front of the hand-over (`exec gosu redis "$@"`), when nothing runs after it, or when it re-runs the script (`gosu redis "$0" "$@"`, whose second run does the rest)', why: 'The shell no longer runs anything after the hand-over' },
    ],
  },
  check(ctx) {
    const launch = ctx.launch;
    if (!launch) return;
    const dockerfile = ctx.env.dockerfile.displayPath;
    const done = new Set<string>();
    for (const run of [launch.runs['user-command'], launch.runs.default]) {
      if (run.truncated) continue;
      const lastOfStaying = new Set(run.chains.flatMap((c) => (c.end ? c.end.ending.last.map((l) => l.stmt) : [])));
      for (const { hop, cmd } of commandsRun(run)) {
        if (cmd.exec || cmd.child || cmd.background || cmd.condition) continue;
        // Run only after files sourced from a folder known at run time, one of which may have
        // handed over already: not known to be how the script hands over.
        if (cmd.opaque) continue;
        // The switch runs the script's arguments, re-runs the script, or is the last command.
        const hands = cmd.argvs.some((argv) => {
          const t = commandOf(argv);
          if (!t.switcher || !t.name) return false;
          const self = hop.argv[0]?.s;
          return isScriptArg(t.name, run) || isUserCommand(t.name) || (self != null && t.name.s === self) || lastOfStaying.has(cmd.ref.stmt);
        });
        if (!hands) continue;
        const key = `${cmd.ref.file.path}:${cmd.ref.stmt.p[2]}`;
        if (done.has(key)) continue;
        done.add(key);
        ctx.report({ ...atRef(hop.unit, cmd.ref, dockerfile), messageId: 'noExec', data: { command: refText(cmd.ref) }, ...fixOf(execFix(hop.unit, cmd.ref)) });
      }
    }
  },
});
