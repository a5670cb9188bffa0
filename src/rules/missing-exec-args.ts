import { isErrorExit, type Ending } from '../model/script.js';
import type { ScriptUnit } from '../model/launch.js';
import type { Stmt } from '../parsers/shell-ast.js';
import { atCommand, atNode, commandText, lastLine, type Located } from './evidence.js';
import type { CommandAt } from '../model/script.js';
import { defineRule, type RuleContext } from './rule.js';

export default defineRule({
  id: 'missing-exec-args',
  severity: 'error',
  title: 'The entrypoint script does not end with exec "$@"',
  docs: {
    what:
      'An entrypoint script that does not hand over to its arguments with `exec "$@"` (or `exec gosu user "$@"`) on every path that ends it: it ignores the CMD it is given, runs `"$@"` as a child without `exec`, mangles the arguments (`exec $@`, `exec "$*"`), or simply ends with a command that is not exec\'d.',
    why:
      'The arguments of an ENTRYPOINT script are CMD, or what the user typed after `docker run IMAGE`: a script that ignores them makes `docker run image bash` start the server instead of a shell. Without `exec`, the script\'s shell stays PID 1 and swallows SIGTERM, so the application never shuts down cleanly. `$@` unquoted and `"$*"` re-split or join the arguments, breaking any argument that contains a space.',
    bad: '#!/bin/sh\nset -e\nchown -R app /data\n"$@"',
    good: '#!/bin/sh\nset -e\nchown -R app /data\nexec "$@"',
    fix: 'End the script with `exec "$@"` (quoted), or `exec gosu <user> "$@"` to drop root at the same time.',
    equivalents: ['ShellCheck SC2068 covers unquoted $@ only'],
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

function checkUnit(ctx: RuleContext, unit: ScriptUnit): void {
  const analysis = unit.analysis;
  if (!analysis) return;
  const dockerfile = ctx.env.dockerfile.displayPath;
  const reported = new Set<Stmt | 'end'>();
  const report = (node: Located | { p: [number, number, number]; e: [number, number, number] }, key: Stmt | 'end', message: string, hint: string): void => {
    if (reported.has(key)) return;
    reported.add(key);
    ctx.report('stmt' in node ? atCommand(unit, node, dockerfile, message, hint) : atNode(unit, node, dockerfile, message, hint));
  };
  const text = (c: CommandAt): string => commandText(unit, c);
  const cmdLine = unit.startedAt;
  const started = `${cmdLine.label} on line ${cmdLine.span.line} of ${cmdLine.file} makes this script PID 1`;

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
        report(last, last.stmt, `\`${text(last)}\` mangles the arguments: ${last.info.args === 'star' ? '"$*" joins them into one word' : 'unquoted $@ re-splits them on spaces and expands globs'}, so an argument that contains a space breaks. ${started}.`, 'Write `"$@"`, with the double quotes.');
      }
      if (last.info.args === 'quoted' && e.positional === 'script') forwards = true;
      if (last.info.reexec) forwards = true;
      continue;
    }
    if (last?.info.switcher || last?.info.forking) continue; // reported by gosu-without-exec / su-sudo
    if (e.ranArgs) {
      const r = e.ranArgs;
      forwards = true;
      report(r, r.stmt, `\`${text(r)}\` runs the container's command as a child of the script, not with \`exec\`: the shell stays PID 1 and does not forward SIGTERM, so \`docker stop\` kills the application without a clean shutdown. ${started}.`, `Write \`exec ${text(r)}\`${r.source || r.stmt.e[0] !== lastLine(unit).p[0] ? ' and make it the last command' : ''}.`);
      continue;
    }
    const endNode = e.exitStmt ?? last?.stmt ?? null;
    const at = e.exitStmt ? { stmt: e.exitStmt, source: e.exitSource ?? null, sourcedVia: [] } : (last ?? lastLine(unit));
    const what = last ? `ends with \`${text(last)}\`, not exec'd` : 'ends without running any command';
    const passesArgs = last?.info.args === 'quoted' && e.positional === 'script';
    const args = unit.receivesArgs && !passesArgs ? ', and the CMD it is given is never run' : '';
    const hint = last && (passesArgs || !unit.receivesArgs)
      ? `Write \`exec ${text(last)}\`.`
      : 'End the script with `exec "$@"`.';
    report(at, endNode ?? 'end', `This path of the script ${what}${args}: the shell stays PID 1 and swallows SIGTERM. ${started}.`, hint);
  }
  if (!unit.receivesArgs || forwards || analysis.truncated) return;
  // No path runs the arguments: report where the paths hand over instead (su/gosu included,
  // whose own rules say how they hand over, not that CMD is lost).
  const handovers = analysis.endings.filter(
    (e): e is Ending & { last: NonNullable<Ending['last']> } =>
      !isErrorExit(e) && !!e.last && (e.kind === 'exec' || !!e.last.info.switcher || !!e.last.info.forking),
  );
  for (const e of handovers) {
    report(e.last, e.last.stmt, `\`${text(e.last)}\` ignores the script's arguments: the CMD, and anything after \`docker run IMAGE\`, never runs. ${started}.`, 'Hand over with `exec "$@"` and move this command into CMD.');
  }
}
