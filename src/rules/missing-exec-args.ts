import { isErrorExit, type Ending } from '../model/script.js';
import type { ScriptUnit } from '../model/launch.js';
import type { Stmt } from '../parsers/shell-ast.js';
import { atCommand, atNode, commandText, lastLine, type Located } from '../evidence.js';
import type { CommandAt } from '../model/script.js';
import { defineRule, type MessageRef, type RuleContext } from './rule.js';
import type { Fix } from '../findings.js';
import { argsFix, execFix } from '../fix/builders/pid1.js';
import { fixOf } from '../fix/builders/report.js';

const messages = {
  starArgs: {
    message: '`{command}` mangles the arguments: "$*" joins them into one word, so an argument that contains a space breaks. {startedBy} on line {startLine} of {startFile} makes this script PID 1.',
    hint: 'Write `"$@"`, with the double quotes.',
  },
  unquotedArgs: {
    message: '`{command}` mangles the arguments: unquoted $@ re-splits them on spaces and expands globs, so an argument that contains a space breaks. {startedBy} on line {startLine} of {startFile} makes this script PID 1.',
    hint: 'Write `"$@"`, with the double quotes.',
  },
  argsNotExeced: {
    message: "`{command}` runs the container's command as a child of the script, not with `exec`: the shell stays PID 1 and does not forward SIGTERM, so `docker stop` kills the application without a clean shutdown. {startedBy} on line {startLine} of {startFile} makes this script PID 1.",
    hint: 'Write `exec {command}`{makeLast}.',
  },
  endsNotExeced: {
    message: "This path of the script ends with `{command}`, not exec'd: the shell stays PID 1 and swallows SIGTERM. {startedBy} on line {startLine} of {startFile} makes this script PID 1.",
    hint: 'Write `exec {command}`.',
  },
  endsIgnoringCmd: {
    message: "This path of the script ends with `{command}`, not exec'd, and the CMD it is given is never run: the shell stays PID 1 and swallows SIGTERM. {startedBy} on line {startLine} of {startFile} makes this script PID 1.",
    hint: 'End the script with `exec "$@"`.',
  },
  endsWithoutCommand: {
    message: 'This path of the script ends without running any command{cmdLost}: the shell stays PID 1 and swallows SIGTERM. {startedBy} on line {startLine} of {startFile} makes this script PID 1.',
    hint: 'End the script with `exec "$@"`.',
  },
  ignoresArgs: {
    message: "`{command}` ignores the script's arguments: the CMD, and anything after `docker run IMAGE`, never runs. {startedBy} on line {startLine} of {startFile} makes this script PID 1.",
    hint: 'Hand over with `exec "$@"` and move this command into CMD.',
  },
} as const;

type Ctx = RuleContext<typeof messages>;
/** A message without the place: the data of ` {startedBy} on line {startLine} of {startFile} makes this script PID 1.` (who makes the script PID 1) is added by `report`. */
type Msg = DistributiveOmit<MessageRef<typeof messages>, 'data'> & { data: Record<string, string> };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export default defineRule({
  id: 'missing-exec-args',
  severity: 'error',
  category: 'pid1',
  recommended: true,
  fixable: true,
  title: 'The entrypoint script does not end with exec "$@"',
  peers: { shellcheck: [{ code: 'SC2068', note: 'unquoted $@ only', suppresses: false }] },
  messages,
  docs: {
    what:
      'An entrypoint script that does not hand over to its arguments with `exec "$@"` (or `exec gosu user "$@"`) on every path that ends it: it ignores the CMD it is given, runs `"$@"` as a child without `exec`, mangles the arguments (`exec $@`, `exec "$*"`), or simply ends with a command that is not exec\'d.',
    why:
      'The arguments of an ENTRYPOINT script are CMD, or what the user typed after `docker run IMAGE`: a script that ignores them makes `docker run image bash` start the server instead of a shell. Without `exec`, the script\'s shell stays PID 1 and swallows SIGTERM, so the application never shuts down cleanly. `$@` unquoted and `"$*"` re-split or join the arguments, breaking any argument that contains a space.',
    bad: '#!/bin/sh\nset -e\nchown -R app /data\n"$@"',
    good: '#!/bin/sh\nset -e\nchown -R app /data\nexec "$@"',
    howToFix: 'End the script with `exec "$@"` (quoted), or `exec gosu <user> "$@"` to drop root at the same time.',
    autofix: [
      { safety: 'safe', what: '`exec $@`, `exec $*` and `exec "$*"` become `exec "$@"` (only where the whole word is the expansion)', why: 'The arguments reach the program as they were given, one word each' },
      { safety: 'unsafe', what: '`exec` in front of the command that ends the path (`"$@"`, `/app/server "$@"`), when nothing runs after it in the script, or when it re-runs the script itself; never in front of a shell function, a builtin or a variable that holds `exec ...`', why: 'The shell no longer waits for the command: an EXIT trap or a cleanup after it does not run' },
    ],
  },
  check(ctx) {
    const launch = ctx.launch;
    if (!launch) return;
    for (const unit of launch.scripts) {
      if (unit.kind !== 'file' || !unit.analysis) continue;
      if (unit.analysis.supervisor) continue;
      checkUnit(ctx, unit);
    }
  },
});

function checkUnit(ctx: Ctx, unit: ScriptUnit): void {
  const analysis = unit.analysis;
  if (!analysis) return;
  const dockerfile = ctx.env.dockerfile.displayPath;
  const reported = new Set<Stmt | 'end'>();
  const cmdLine = unit.startedAt;
  const started = { startedBy: cmdLine.label, startLine: String(cmdLine.span.line), startFile: cmdLine.file };
  const report = (node: Located | { p: [number, number, number]; e: [number, number, number] }, key: Stmt | 'end', msg: Msg, fix: Fix | null = null): void => {
    if (reported.has(key)) return;
    reported.add(key);
    const place = 'stmt' in node ? atCommand(unit, node, dockerfile) : atNode(unit, node, dockerfile);
    ctx.report({ ...place, ...msg, data: { ...started, ...msg.data }, ...fixOf(fix) } as Parameters<Ctx['report']>[0]);
  };
  const text = (c: CommandAt): string => commandText(unit, c);

  // Some path passes the script's arguments on (with or without exec, through gosu or not).
  let forwards = analysis.endings.some(
    (e) => !isErrorExit(e) && (!!e.ranArgs || (!!e.last && e.positional === 'script' && (e.last.info.args === 'quoted' || e.last.info.reexec))),
  );
  for (const e of analysis.endings) {
    if (isErrorExit(e)) continue;
    const last = e.last;
    if (e.kind === 'exec' && last) {
      if (last.info.forking) {
        forwards = true; // reported by su-sudo, which shows the gosu equivalent
        continue;
      }
      const mangled = last.info.args === 'unquoted' || last.info.args === 'star';
      if (mangled && e.positional === 'script') {
        report(last, last.stmt, { messageId: last.info.args === 'star' ? 'starArgs' : 'unquotedArgs', data: { command: text(last) } }, argsFix(unit, last));
      }
      if (last.info.args === 'quoted' && e.positional === 'script') forwards = true;
      if (last.info.reexec) forwards = true;
      continue;
    }
    if (last?.info.switcher || last?.info.forking) continue; // reported by gosu-without-exec / su-sudo
    if (e.ranArgs) {
      const r = e.ranArgs;
      forwards = true;
      report(r, r.stmt, { messageId: 'argsNotExeced', data: { command: text(r), makeLast: r.source || r.stmt.e[0] !== lastLine(unit).p[0] ? ' and make it the last command' : '' } }, execFix(unit, r));
      continue;
    }
    const endNode = e.exitStmt ?? last?.stmt ?? null;
    const at = e.exitStmt ? { stmt: e.exitStmt, source: e.exitSource ?? null, sourcedVia: [] } : (last ?? lastLine(unit));
    const passesArgs = last?.info.args === 'quoted' && e.positional === 'script';
    const cmdLost = unit.receivesArgs && !passesArgs;
    const msg: Msg = !last
      ? { messageId: 'endsWithoutCommand', data: { cmdLost: cmdLost ? ', and the CMD it is given is never run' : '' } }
      : { messageId: cmdLost ? 'endsIgnoringCmd' : 'endsNotExeced', data: { command: text(last) } };
    report(at, endNode ?? 'end', msg, last && msg.messageId === 'endsNotExeced' ? execFix(unit, last) : null);
  }
  if (!unit.receivesArgs || forwards || analysis.truncated) return;
  // No path runs the arguments: report where the paths hand over instead (su/gosu included,
  // whose own rules say how they hand over, not that CMD is lost).
  const handovers = analysis.endings.filter(
    (e): e is Ending & { last: NonNullable<Ending['last']> } =>
      !isErrorExit(e) && !!e.last && (e.kind === 'exec' || !!e.last.info.switcher || !!e.last.info.forking),
  );
  for (const e of handovers) {
    report(e.last, e.last.stmt, { messageId: 'ignoresArgs', data: { command: text(e.last) } });
  }
}
