import { isErrorExit, type CommandAt } from '../model/script.js';
import { atCommand, commandText } from '../evidence.js';
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
      'gosu, su-exec, setpriv, `chroot --userspec`, s6-setuidgid or `chpst -u` used as the hand-over to the main process without `exec` in front.',
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
    for (const unit of launch.scripts) {
      const analysis = unit.analysis;
      if (!analysis) continue;
      const found = new Set<CommandAt>();
      for (const e of analysis.endings) {
        if (isErrorExit(e) || e.kind === 'exec') continue;
        if (e.last?.info.switcher && !e.last.info.exec) found.add(e.last);
      }
      for (const c of analysis.commands) {
        if (c.info.switcher && !c.info.exec && (c.info.runsArgs !== 'none' || c.info.reexec) && !c.stmt.background) found.add(c);
      }
      for (const c of found) {
        const sw = c.info.switcher;
        if (!sw) continue;
        const text = commandText(unit, c);
        ctx.report({ ...atCommand(unit, c, dockerfile), messageId: 'noExec', data: { command: text }, ...fixOf(execFix(unit, c)) });
      }
    }
  },
});
