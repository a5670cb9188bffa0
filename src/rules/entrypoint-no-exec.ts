import { backgroundService, commandOf, isScriptArg, isUserCommand, mainProcesses, type BackgroundService, type MainProcess, type ScriptHop } from '../model/evaluator/questions.js';
import type { Executed, LoopRef } from '../model/evaluator/interpreter.js';
import type { CmdRef, Job, Poll, StmtRef } from '../model/evaluator/state.js';
import type { Field } from '../model/evaluator/values.js';
import { basename, wordLiteral } from '../model/commands.js';
import type { FindInImage } from '../model/known-programs.js';
import { everyEndingIsLast, JOB_WORDS, keepAlive, longRunning, servesImage } from '../model/main-command.js';
import { onPath, packageScriptCommand, packageScriptRun } from '../model/node-entry.js';
import { forEachCall } from '../parsers/shell-walk.js';
import { atRef, refText, statementText } from '../evidence.js';
import { defineRule, type RuleContext } from './rule.js';
import { execFix } from '../fix/builders/pid1.js';
import { fixOf } from '../fix/builders/report.js';

type Ctx = RuleContext<typeof messages>;

const messages = {
  shellPid1: {
    message: "`{command}` runs as a child of the script's shell, not with `exec`: the shell stays PID 1 and does not forward SIGTERM, so `docker stop` waits and then kills the application without a clean shutdown. {startedBy} on line {startLine} of {startFile} starts this script.",
    hint: 'Write `exec {command}`{where}.',
  },
  underInit: {
    message: "`{command}` runs as a child of the script's shell, not with `exec`: {init} signals only its direct child, the shell, which dies on SIGTERM and leaves the application running until `docker stop` times out and kills it. {startedBy} on line {startLine} of {startFile} starts this script under {init}.",
    hint: 'Write `exec {command}`{where}, or run {init} with `-g` so that it signals the whole process group.',
  },
  underShebangInit: {
    message: "`{command}` runs as a child of the script's shell, not with `exec`: {init}, named by the script's `#!` line, signals only its direct child, the shell, which dies on SIGTERM and leaves the application running until `docker stop` times out and kills it. {startedBy} on line {startLine} of {startFile} starts this script under {init}.",
    hint: 'Write `exec {command}`{where}. (`-g` cannot be added in the `#!` line: the kernel passes everything after the interpreter as one argument.)',
  },
  managerChild: {
    message: "`{command}` runs as a child of the script's shell, not with `exec`: {fate} `exec {command}` is no fix: {manager} would then be PID 1, running the `{script}` script of package.json as its own child, and it does not reliably pass SIGTERM on either (npm-start-pid1). {startedBy} on line {startLine} of {startFile} starts this script{under}.",
    hint: '{fix}.',
  },
  keepAlive: {
    message: "The script ends in {what}: the shell stays PID 1 with no handler for SIGTERM, and the kernel drops a signal that PID 1 does not handle, so `docker stop` waits out its timeout and then SIGKILLs everything{started}, with no clean shutdown.{noExec} {startedBy} on line {startLine} of {startFile} starts this script.",
    hint: '{fix}.',
  },
  keepAliveUnderInit: {
    message: "The script ends in {what}: {init} signals only its direct child, the shell, which dies on SIGTERM (it has no trap) and leaves what it started{started} to be SIGKILLed when the container stops, with no clean shutdown. {startedBy} on line {startLine} of {startFile} starts this script under {init}.",
    hint: '{fix}.',
  },
  waitsWithoutTrap: {
    message: "The script's shell starts {jobs} in the background and waits for them with `{command}`, with no trap for SIGTERM{trapNote}: it stays PID 1, and the kernel drops a signal that PID 1 does not handle, so `docker stop`'s SIGTERM reaches neither the shell nor its jobs; after the timeout they are SIGKILLed, with no clean shutdown. {startedBy} on line {startLine} of {startFile} starts this script.",
    hint: '{fix}.',
  },
  serverInBackground: {
    message: "`{server}` (line {serverLine}) runs in the background{others}, as a child of the script's shell, so it is not PID 1: {pid1}. On `docker stop`, {stop}: `{name}` never gets SIGTERM and is SIGKILLed with the container, with no clean shutdown. {startedBy} on line {startLine} of {startFile} starts this script{under}.",
    hint: '{fix}.',
  },
  pollsWithoutTrap: {
    message: "`{server}` (line {serverLine}) runs in the background{others}, and the script's shell then goes round the loop `{loop}` (line {loopLine}) for as long as it runs, testing it with `{test}`, with no trap for SIGTERM{trapNote}: {stop}, with no clean shutdown. {startedBy} on line {startLine} of {startFile} starts this script{under}.",
    hint: '{fix}.',
  },
  waitsWithoutTrapUnderInit: {
    message: "The script's shell starts {jobs} in the background and waits for them with `{command}`, with no trap for SIGTERM{trapNote}: {init} signals only its direct child, the shell, which dies on SIGTERM and leaves its jobs to be SIGKILLed when the container stops, with no clean shutdown. {startedBy} on line {startLine} of {startFile} starts this script under {init}.",
    hint: '{fix}. Or run {init} with `-g`, so that it signals the whole process group.',
  },
} as const;

export default defineRule({
  id: 'entrypoint-no-exec',
  severity: 'warning',
  category: 'pid1',
  recommended: true,
  fixable: true,
  title: 'The entrypoint script runs its main command without exec',
  peers: {},
  messages,
  docs: {
    what:
      'A script that the image starts (as PID 1, or as the child of an init that signals only its child) and that is given no CMD arguments to hand over stays in place while its main program runs: it runs its final long-running command as a child without `exec` (`python app.py`, `java -jar app.jar`, `npm start`, a server), it ends in a keep-alive (`while true; do sleep 1000; done`, `tail -f /dev/null`, `sleep infinity`) after starting daemons, or it waits for background jobs (`server & wait`) with no trap for SIGTERM, or polls a background server in a loop that goes round for as long as the server runs (`server & pid=$!` then `while kill -0 "$pid"; do sleep 5; done`, `until ! kill -0 "$pid"`, `while [ -e /proc/$pid ]`, `while ps -p "$pid"`, `while pgrep -x server`, `while pidof server`, `while kill -0 "$a" && kill -0 "$b"` for two servers), which holds the shell as a `wait` does. (A script that is itself the CMD, `CMD ["/run.sh", "-d"]`, reads its words as its own options: they are not a command to hand over.) The rule decides from the default run (`docker run IMAGE`). The path must end at that command, loop or `wait`; a path that ends in an explicit `exit` after the command (`php artisan key:generate --show; exit`, with or without a status) ends the script on purpose, and the command before it is a step that finishes, not the service (a keep-alive before an `exit` never returns, and still counts). The command counts as long-running when it is a server, worker or language runtime running a program that dockerlint knows by name (with its foreground mode: `hdfs namenode`, `catalina.sh run`, `dgraph alpha`, `sbt run`, `mvn spring-boot:run`, a daemon such as `smbd -F` whose name and foreground option say so; behind a wrapper that runs its arguments, `dockerize -wait tcp://db:5432 gunicorn app:app`, `wait-for-it db:5432 -- node server.js` or `env A=b python app.py`, the wrapped command is the one judged (and the script file a shell is given, `sh bin/server.sh`), and a wrapper option dockerlint does not know leaves it silent; likewise behind a program dockerlint cannot read whose first argument, or first word after `--`, names a program, `webproc -- dnsmasq --no-daemon`), or, in an image that declares a service with EXPOSE or HEALTHCHECK, when the script ends with it on every path that keeps the container running (a path that ends in an explicit `exit`, such as `echo "cannot write the config"; exit` after a check, stops the container there and does not count) and it is not a utility, a client, a shell or a command told to detach (`-d`, `start`): a container lives as long as its PID 1, so the last command of a service image\'s script is what keeps running. A polling loop counts when its condition is that one liveness test of a job the script started (`$!`, or the job\'s program by name) and its body only passes time: a loop that can also leave by a `break`, `return` or `exit`, that signals the job, calls a function of the script or tests something else too (`while kill -0 "$pid" && [ -f /run/ok ]`) is not followed, nor is a readiness loop before the hand-over (`until nc -z localhost 5432; do sleep 1; done; exec app`), and a polled job whose program is not a server (a progress loop beside a step that finishes) is not reported; an `exit 1` after the loop, when the server has gone, still counts. A trap for TERM (`trap \'kill $pid\' TERM` with `wait`, or around a keep-alive or a polling loop) is a deliberate supervisor and stays silent; a trap for INT or EXIT alone does not handle `docker stop`. A server started in the background is reported at its line when something that is not the server keeps the container alive: the script then execs a keep-alive (`clamd --foreground &` then `exec tail -f /dev/null`: tail is PID 1, or the init\'s child, and passes no signal on), or it waits for the server with a TERM trap whose handler only prints or exits (`trap \'echo stopping\' TERM`, or a function that only logs), with no EXIT trap and no program run after the wait (a `kill "$pid"` there passes the signal on); a handler that runs any other command, sets a variable or writes a file may stop the server, and stays silent. The server is the last background job whose program runs until it is stopped; a background helper next to a server exec\'d in the foreground (`crond &` then `exec nginx`) is fine, and `tini -g` or dumb-init, which signal the whole process group, reach the jobs. The image must not look like a one-shot job: a command or script name that says build, deploy, migrate, backup, test, seed, sync, job or task (with no EXPOSE or HEALTHCHECK) is taken as a job that runs to completion, and stays silent. Scripts given CMD arguments are `missing-exec-args`\'s, except when CMD is only a subcommand word of the script\'s own (`CMD ["server"]` for `server) shift; server "$@" ;;`, where the function `server` runs `java -jar app.jar` as a child): the script reads that word to choose the branch, never reads anything after it and gives none of it to the last command, so it is judged as a script run with no arguments. An image whose base the build passes (`ARG BUILD_FROM` with no default, `FROM $BUILD_FROM`) and that sets no ENTRYPOINT is not judged: the base image\'s ENTRYPOINT, not known, may run the CMD as its child (s6-overlay\'s `/init` in Home Assistant\'s bases), and explain says so.',
    why:
      'Without `exec` the shell stays in place and the application is its child. When the shell is PID 1, SIGTERM from `docker stop` goes to the shell, and the kernel drops a signal that PID 1 has no handler for: the shell neither forwards it nor exits. Under plain `tini`, tini signals only its direct child, the shell, which dies and leaves the application running until the container is killed. Either way the application gets SIGKILL after the timeout, with no clean shutdown. A keep-alive command cannot be fixed with `exec`: `tail` or `sleep` as PID 1 has no handler for SIGTERM either.',
    bad: '#!/bin/sh\nset -e\npython manage.py migrate\npython app.py',
    good: '#!/bin/sh\nset -e\npython manage.py migrate\nexec python app.py',
    autofix: [
      { safety: 'unsafe', what: '`exec` in front of the last command (inside the function that runs it, never in front of a function call or of a variable that may hold exec); never for a keep-alive or a `wait`, nor for `npm start` and the like, where `exec` would leave the package manager as PID 1 (the hint names the command of the package.json script instead, when the build copies package.json to the working directory)', why: 'The shell no longer runs anything after it (an EXIT trap included)' },
    ],
    howToFix: 'Put `exec` in front of the last command, so that it replaces the shell (or start the container with `tini -g` or dumb-init, which signal the whole process group). For background jobs, polling loops and keep-alives, run the server in the foreground with `exec`, or trap TERM and stop the jobs: `trap \'kill -TERM $(jobs -p) 2>/dev/null; wait\' TERM`, and keep alive with `sleep infinity & wait $!`.',
  },
  check(ctx) {
    const launch = ctx.launch;
    const stage = ctx.stage;
    if (!launch || !stage) return;
    const run = launch.runs.default;
    if (run.truncated) return;
    const service = stage.instructions.some((i) => i.keyword === 'EXPOSE' || i.keyword === 'HEALTHCHECK');
    const find: FindInImage = (word) => launch.findInImage(word);
    const done = new Set<string>();
    for (const main of mainProcesses(run)) {
      // No process of the chain is known to be PID 1 (the base image's ENTRYPOINT, not known, may
      // run the CMD as its child): whether the script holds signals back is not known.
      if (!main.chain.hops.some((h) => h.pid1)) continue;
      const bg = backgroundService(main);
      if (bg) {
        // tini -g, dumb-init: the signal reaches the whole process group, the jobs included.
        if (!main.init?.group) reportBackground(ctx, main, bg, service, find, done);
        continue;
      }
      const staying = main.staying;
      if (!staying || staying.hop.kind !== 'script' || staying.hop.unit.kind !== 'file' || !staying.hop.run) continue;
      const hop = staying.hop;
      const e = staying.ending;
      // Scripts given CMD arguments (or the user's command) to hand over: missing-exec-args says
      // what happens to them. A script that is the CMD's own program reads them as its options.
      // So is one that a shell given by ENTRYPOINT runs as CMD's word (`ENTRYPOINT ["/bin/bash"]`,
      // `CMD ["/entrypoint.sh"]`): the words after it are its own.
      const given = givenArgs(hop, run);
      if (given.length > 0 && !subcommandOnly(given, [], hop)) continue;
      // An error path is not how the image runs (`exit 1` after a failed step, even after a wait).
      // After a loop that polls the server, an exit is how the script reacts to its end: the
      // container ran as long as the server did, with the shell in the loop.
      const polled = !!e.waited?.poll && e.kind === 'exit' && !!e.cmd && behind(e.cmd, e.waited.at);
      if (!polled && (e.failed || (e.kind === 'exit' && e.code?.s !== '0' && e.code?.s !== null))) continue;
      if (main.init?.group) continue; // tini -g, dumb-init: the signal reaches the application
      const cmds = hop.run?.commands ?? [];
      const trap = termTrap(cmds);
      const scriptPath = hop.unit.imagePath ?? '';
      const isJob = (words: string[]): boolean => !service && JOB_WORDS.test([...words, scriptPath].join(' '));
      const w = e.waited;
      // A trap for TERM (set before the wait, or anywhere on the path): a deliberate supervisor.
      const handled = trap.covers || (w?.term !== undefined && w.term !== null && w.term.action !== '');
      if (e.kind === 'loop' && e.loop) {
        // (No job exemption: a job ends, a keep-alive is there so that the container does not.)
        if (handled) continue;
        reportKeepAlive(ctx, main, hop, e.loop, null, w?.jobs ?? [], done);
        continue;
      }
      const last = e.last.length === 1 ? e.last[0] : undefined;
      const cmd = last ? cmds.find((c) => c.ref.stmt === last.stmt && !c.exec && !c.child && !c.background) : undefined;
      const argv = cmd?.argvs.length === 1 ? cmd.argvs[0] : undefined;
      // The shell blocked in a wait with jobs running, and no long-running command came after it.
      const after = !!last && !!w && behind(last, w.at);
      // A path that ends in an explicit `exit` (`cmd; exit`, with or without a status) ends the
      // script on purpose: the command before it finishes, it is not the service.
      const exited = e.kind === 'exit' && e.cmd !== null;
      if (w && !(after && argv && !exited && longRunning(argv, find))) {
        if (handled || w.jobs.length === 0) continue;
        if (isJob(w.jobs.flatMap((j) => j.cmds.flatMap((c) => c.argv.map((f) => f.s ?? ''))))) continue;
        if (w.poll) reportPoll(ctx, main, hop, w.at, w.poll, w.jobs, trap.other, service, find, done);
        else reportWait(ctx, main, hop, w.at, w.jobs, trap.other, done);
        continue;
      }
      if (!last || !cmd || !argv) continue;
      if (given.length > 0 && !subcommandOnly(given, argv, hop)) continue;
      if (keepAlive(argv)) {
        if (trap.covers) continue;
        reportKeepAlive(ctx, main, hop, cmd.ref, argv, backgroundCommands(cmds), done);
        continue;
      }
      if (exited) continue;
      const alwaysLast = service && everyEndingIsLast(hop, last);

      if (!longRunning(argv, find) && !(alwaysLast && servesImage(argv, find))) continue;
      if (trap.covers && cmds.some((c) => c.argvs.some((a) => a[0]?.s === 'wait'))) continue; // a deliberate supervisor
      if (isJob(argv.map((f) => f.s ?? ''))) continue;
      const key = `${last.file.path}:${last.stmt.p[2]}`;
      if (done.has(key)) continue;
      done.add(key);
      // A command called through a function is fixed where it is written: exec in front of it there.
      const where = cmd.ref.via.length > 0 ? ` (inside \`${cmd.ref.via[cmd.ref.via.length - 1]}\`)` : '';
      const place = atRef(hop.unit, last, ctx.env.dockerfile.displayPath);
      const data = { command: refText(cmd.ref), where, ...startedBy(hop) };
      const pm = packageScriptRun(argv.map((f) => (f.multi ? null : f.s)));
      if (pm) {
        reportManager(ctx, main, hop, cmd.ref, pm, where, place);
        continue;
      }
      const fix = fixOf(execFix(hop.unit, cmd.ref));
      if (main.init) ctx.report({ ...place, messageId: main.init.shebang ? 'underShebangInit' : 'underInit', data: { ...data, init: main.init.name }, ...fix });
      else ctx.report({ ...place, messageId: 'shellPid1', data, ...fix });
    }
  },
});

/**
 * The words the script is given to hand over (CMD's, or the user's command), which
 * missing-exec-args judges. None when the script is the CMD's own program, which reads them as its
 * options, or when a shell given by ENTRYPOINT runs it as CMD's word (`ENTRYPOINT ["/bin/bash"]`,
 * `CMD ["/entrypoint.sh"]`): the words after it are its own.
 */
function givenArgs(hop: ScriptHop & { kind: 'script' }, run: Parameters<typeof isScriptArg>[1]): Field[] {
  const ownCmd = (hop.argv[0] !== undefined && isScriptArg(hop.argv[0], run)) || (!hop.direct && hop.arg.origin === 'cmd');
  return ownCmd ? [] : hop.argv.slice(1).filter((f) => isScriptArg(f, run) || isUserCommand(f));
}

/**
 * The service started in the background while something else keeps the container alive
 * (`backgroundService`): reported at the job, the last one started whose program runs until it
 * is stopped (a server by name, or in a service image a program that is not a utility). Silent
 * for an error path, for a script given arguments to hand over (missing-exec-args), and for a job
 * image (`sync &`).
 */
function reportBackground(ctx: Ctx, main: MainProcess, bg: BackgroundService, service: boolean, find: FindInImage, done: Set<string>): void {
  const hop = bg.hop;
  if (hop.kind !== 'script' || hop.unit.kind !== 'file' || !hop.run) return;
  const launch = ctx.launch;
  if (!launch) return;
  const given = givenArgs(hop, launch.runs.default);
  if (given.length > 0 && !subcommandOnly(given, [], hop)) return;
  // The server: the last job whose program runs until it is stopped.
  const server = serverJob(bg.jobs, service, find);
  if (!server) return;
  const scriptPath = hop.unit.imagePath ?? '';
  if (!service && JOB_WORDS.test([...server.cmd.argv.map((f) => f.s ?? ''), scriptPath].join(' '))) return;
  const seen = serverSeen(ctx, hop, server, done);
  if (!seen) return;
  const { job, cmd } = server;
  const { own, text, name, place } = seen;
  const init = main.init?.name ?? null;
  const k = bg.keeper;
  const keeper = k.kind === 'wait' && k.poll ? statementText(k.at) : refText(k.at);
  const line = k.at.stmt.p[0];
  const inFn = !own && cmd.ref.via.length > 0 ? ` inside \`${cmd.ref.via[cmd.ref.via.length - 1]}\`` : '';
  const forward = "`trap 'kill -TERM $(jobs -p) 2>/dev/null; wait' TERM`";
  let pid1: string;
  let stop: string;
  let fix: string;
  if (k.kind === 'exec') {
    const prog = basename(commandOf(k.argv).name?.s ?? '');
    pid1 = init
      ? `the script then runs \`${keeper}\` (line ${line}) to keep the container running, and \`${prog}\` is ${init}'s child`
      : `the script then runs \`${keeper}\` (line ${line}) to keep the container running, and \`${prog}\` is PID 1`;
    stop = init
      ? `${init} signals only its direct child, \`${prog}\`, which exits, and the container stops with it`
      : `SIGTERM goes to \`${prog}\`, which as PID 1 has no handler for it, so the kernel drops it and \`docker stop\` waits out its timeout`;
    fix = `Run the server in the foreground as the script's last command, \`exec ${text}\`${inFn}, instead of \`${keeper}\` (other daemons can stay background jobs before it). Or keep the shell and pass the signal on: ${forward}, then \`wait\` in place of \`${keeper}\``;
  } else {
    const t = k.trap;
    const trapLine = t.at.stmt.p[0];
    pid1 = init ? `${init} is PID 1, and its child, the shell, stays in \`${keeper}\` (line ${line})` : `the shell stays PID 1 in \`${keeper}\` (line ${line})`;
    const then = k.poll ? 'the shell runs it once the command it is running in the loop returns, and no one signals the server' : 'the wait returns and the script ends, and the container with it';
    stop = `${init ? `${init} passes SIGTERM to the shell` : 'SIGTERM goes to the shell'}, whose TERM trap (line ${trapLine}, \`${refText(t.at, 50)}\`) only prints or exits and does not pass it on; ${then}`;
    const handler = /^[A-Za-z_][\w-]*$/.test(t.action) ? ` (or have \`${t.action}\` run \`kill -TERM\` on the job and \`wait\` for it)` : '';
    fix = `Pass the signal on in the trap: ${forward}${handler}. Or run the server in the foreground as the script's last command: \`exec ${text}\`${inFn}`;
  }
  const rest = bg.jobs.filter((j) => j !== job);
  const others = rest.length > 0 ? `, with ${rest.slice(0, 2).map((j) => `\`${refText(j, 40).replace(/\s*&$/, '')}\` (line ${j.stmt.p[0]})`).join(' and ')}${rest.length > 2 ? ` and ${rest.length - 2} more` : ''}` : '';
  const data = { server: text, serverLine: String(job.stmt.p[0]), others, pid1, stop, name, fix, under: init ? ` under ${init}` : '', ...startedBy(hop) };
  ctx.report({ ...place, messageId: 'serverInBackground', data });
}

/**
 * `npm start` as the last command: `exec npm start` would make npm PID 1 (npm-start-pid1), so the
 * hint is the command of the package.json script, where the build copies package.json to the
 * directory the script runs in (WORKDIR, when the script does not change directory).
 */
function reportManager(ctx: Ctx, main: MainProcess, hop: ScriptHop, ref: CmdRef, pm: { manager: string; script: string }, where: string, place: ReturnType<typeof atRef>): void {
  const stage = ctx.stage;
  let changesDir = false;
  if (hop.unit.ast) forEachCall(hop.unit.ast.stmts, (call) => {
    const first = call.args[0] ? wordLiteral(call.args[0]) : null;
    if (first === 'cd' || first === 'pushd' || first === 'popd') changesDir = true;
  });
  const program = stage && !changesDir ? packageScriptCommand(stage, ctx.env.fs, ctx.env.readContext, stage.config.workdir, pm.script) : null;
  const fix = program && onPath(program)
    ? `Write \`exec ${program}\`${where}, the command of the \`${pm.script}\` script in package.json`
    : program
      ? `Write \`exec\` with the program the \`${pm.script}\` script of package.json runs (\`${program}\`; a package's own command is in \`node_modules/.bin/\`)${where}`
      : `Write \`exec\` with the program the \`${pm.script}\` script of package.json runs (for example \`exec node server.js\`)${where}`;
  const init = main.init;
  const fate = init
    ? `${init.name}${init.shebang ? ", named by the script's `#!` line," : ''} signals only its direct child, the shell, which dies on SIGTERM and leaves the application running until \`docker stop\` times out and kills it.`
    : 'the shell stays PID 1 and does not forward SIGTERM, so `docker stop` waits and then kills the application without a clean shutdown.';
  const data = { command: refText(ref), fate, manager: pm.manager, script: pm.script, fix, under: init ? ` under ${init.name}` : '', ...startedBy(hop) };
  ctx.report({ ...place, messageId: 'managerChild', data });
}

/**
 * `CMD ["server"]` for `case "$1" in server) shift; server "$@" ;;` where the function `server`
 * runs `java -jar app.jar` without exec: the script reads CMD's first word to choose the branch,
 * never reads the words after it, and the last command is given none of them. The script then
 * runs as if it had no arguments, and its main command is judged here.
 */
function subcommandOnly(given: readonly Field[], argv: readonly Field[], hop: ScriptHop): boolean {
  const read = hop.run?.argsRead;
  const first = given[0];
  if (!read || !first || first.arg === undefined || isUserCommand(first) || !read.has(first.arg)) return false;
  if (given.slice(1).some((f) => f.arg === undefined || read.has(f.arg))) return false;
  return !argv.some((f) => f.arg !== undefined && given.some((g) => g.arg === f.arg));
}

function startedBy(hop: ScriptHop): { startedBy: string; startLine: string; startFile: string } {
  return { startedBy: hop.unit.startedAt.label, startLine: String(hop.unit.startedAt.span.line), startFile: hop.unit.startedAt.file };
}

/**
 * The traps the script's own shell set: whether one handles SIGTERM (a handler, not `-` or an
 * empty string, which reset or ignore it), and the first that handles other signals only.
 */
function termTrap(cmds: readonly Executed[]): { covers: boolean; other: Executed | null } {
  let covers = false;
  let other: Executed | null = null;
  for (const c of cmds) {
    if (c.child) continue;
    for (const a of c.argvs) {
      if (a[0]?.s !== 'trap' || a.length < 3) continue;
      const action = a[1]?.s;
      if (action === '-' || action === '') continue;
      const signals = a.slice(2).map((f) => f.s);
      if (signals.some((s) => s === null || /^(SIG)?TERM$|^15$/i.test(s))) covers = true;
      else if (!other && signals.some((s) => s !== null && /^(SIG)?(INT|QUIT|HUP|USR1|USR2)$|^[0-9]+$/i.test(s))) other = c;
    }
  }
  return { covers, other };
}

type JobPlace = Pick<Job, 'stmt' | 'file'>;

/** The commands the script's own shell ran in the background (`server &`), in order. */
function backgroundCommands(cmds: readonly Executed[]): JobPlace[] {
  return cmds.filter((c) => c.background && !c.exec).map((c) => ({ stmt: c.ref.stmt, file: c.ref.file })).sort((a, b) => a.stmt.p[2] - b.stmt.p[2]);
}

function jobsText(jobs: readonly JobPlace[]): string {
  const shown = jobs.slice(0, 3).map((j) => `\`${refText(j, 40).replace(/\s*&$/, '')}\` (${j.file.path}:${j.stmt.p[0]})`);
  if (jobs.length > 3) return `${shown.join(', ')} and ${jobs.length - 3} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : (shown[0] ?? '');
}

function reportKeepAlive(ctx: Ctx, main: MainProcess, hop: ScriptHop, at: LoopRef | CmdRef, argv: readonly Field[] | null, jobs: readonly JobPlace[], done: Set<string>): void {
  const key = `${at.file.path}:${at.stmt.p[2]}`;
  if (done.has(key)) return;
  done.add(key);
  const place = atRef(hop.unit, at, ctx.env.dockerfile.displayPath, argv ? undefined : statementText(at));
  const started = jobs.length > 0 ? ` (the shell and its background jobs ${jobsText(jobs)})` : '';
  // `exec tail -f /dev/null` is no fix: tail as PID 1 has no SIGTERM handler either.
  const noExec = argv ? ` \`exec\` would not help: as PID 1, \`${basename(argv[0]?.s ?? '')}\` has no SIGTERM handler either.` : '';
  const command = argv ? refText(at) : statementText(at);
  const what = argv ? `\`${command}\`, which only keeps the container running` : `the endless loop \`${command}\``;
  const trap = "`trap 'kill -TERM $(jobs -p) 2>/dev/null; wait; exit 0' TERM`";
  // The shell runs a trap only once the foreground command returns: the sleep must be a job.
  const fix = argv
    ? `Run the main program in the foreground as the last command, with \`exec\`. Or handle SIGTERM in the script: ${trap} with the daemons started as background jobs (\`daemon --foreground &\`), and keep alive with \`sleep infinity & wait $!\` instead of \`${command}\` (the shell runs a trap only after a foreground command returns)`
    : `Handle SIGTERM in the script: ${trap} before the loop, and sleep in it with \`sleep 1000 & wait $!\`, not a plain \`sleep\` (the shell runs a trap only after a foreground command returns). Or run the main program in the foreground as the last command, with \`exec\``;
  const data = { command, what, fix, started, noExec, ...startedBy(hop) };
  if (main.init) ctx.report({ ...place, messageId: 'keepAliveUnderInit', data: { ...data, init: main.init.name } });
  else ctx.report({ ...place, messageId: 'keepAlive', data });
}


function reportWait(ctx: Ctx, main: MainProcess, hop: ScriptHop, wait: StmtRef, jobs: readonly Job[], other: Executed | null, done: Set<string>): void {
  const key = `${wait.file.path}:${wait.stmt.p[2]}`;
  if (done.has(key)) return;
  done.add(key);
  const place = atRef(hop.unit, wait, ctx.env.dockerfile.displayPath);
  const trapNote = other ? ` (the trap on line ${other.ref.stmt.p[0]}, \`${refText(other.ref, 50)}\`, handles other signals only)` : '';
  const command = refText(wait);
  // The existing trap plus TERM, as it is written; or a trap that forwards TERM to the jobs.
  const addTerm = other ? withTerm(other) : null;
  const fix = addTerm
    ? `Add TERM to the trap on line ${other?.ref.stmt.p[0]}: \`${addTerm}\`, with a handler that stops the jobs (\`kill -TERM $(jobs -p)\`) and waits for them`
    : `Forward SIGTERM to the jobs before \`${command}\`: \`trap 'kill -TERM $(jobs -p) 2>/dev/null; wait' TERM\``;
  const data = { command, jobs: jobsText(jobs), trapNote, fix, ...startedBy(hop) };
  if (main.init) ctx.report({ ...place, messageId: 'waitsWithoutTrapUnderInit', data: { ...data, init: main.init.name } });
  else ctx.report({ ...place, messageId: 'waitsWithoutTrap', data });
}

/** `ref` comes after the whole of `at` in the same file (a command after a `wait` or after a polling loop). */
type ServerJob = { job: Job; cmd: Job['cmds'][number] };

/** The server among background jobs: the last one whose program runs until it is stopped. */
function serverJob(jobs: readonly Job[], service: boolean, find: FindInImage): ServerJob | null {
  let server: ServerJob | null = null;
  for (const job of jobs) {
    const cmd = [...job.cmds].reverse().find((c) => longRunning(c.argv, find) || (service && servesImage(c.argv, find)));
    if (cmd) server = { job, cmd };
  }
  return server;
}

/**
 * How a background server is shown, once per job (null when it was reported already): the job's
 * own line, or the program inside the function it runs (`start_server &`), and where it starts.
 */
function serverSeen(ctx: Ctx, hop: ScriptHop & { kind: 'script' }, server: ServerJob, done: Set<string>): { own: boolean; text: string; name: string; place: ReturnType<typeof atRef> } | null {
  const { job, cmd } = server;
  const key = `${job.file.path}:${job.stmt.p[2]}`;
  if (done.has(key)) return null;
  done.add(key);
  const own = cmd.ref.stmt === job.stmt;
  const text = (own ? refText(job) : refText(cmd.ref)).replace(/\s*&$/, '');
  const name = basename(commandOf(cmd.argv).name?.s ?? cmd.argv[0]?.s ?? text);
  const place = atRef(hop.unit, { stmt: job.stmt, file: job.file, sourcedVia: cmd.ref.file === job.file ? cmd.ref.sourcedVia : [] }, ctx.env.dockerfile.displayPath);
  return { own, text, name, place };
}

function behind(ref: Pick<CmdRef, 'stmt' | 'file'>, at: StmtRef): boolean {
  return ref.file === at.file && ref.stmt.p[2] >= at.stmt.e[2];
}

/**
 * A loop that polls a background server (`while kill -0 "$pid"; do sleep 5; done`): the shell
 * stays in it, PID 1 or the init's child, for as long as the server runs, as in a `wait`. Reported
 * at the job that starts the server, the last polled job whose program runs until it is stopped;
 * silent when none does (a progress loop beside a step that finishes).
 */
function reportPoll(ctx: Ctx, main: MainProcess, hop: ScriptHop, at: StmtRef, poll: Poll, jobs: readonly Job[], other: Executed | null, service: boolean, find: FindInImage, done: Set<string>): void {
  if (hop.kind !== 'script' || hop.unit.kind !== 'file') return;
  const server = serverJob(poll.jobs, service, find);
  if (!server) return;
  const seen = serverSeen(ctx, hop, server, done);
  if (!seen) return;
  const { job, cmd } = server;
  const { own, text, name, place } = seen;
  const init = main.init?.name ?? null;
  const loop = statementText(at);
  const inFn = !own && cmd.ref.via.length > 0 ? ` inside \`${cmd.ref.via[cmd.ref.via.length - 1]}\`` : '';
  const rest = jobs.filter((j) => j !== job);
  const others = rest.length > 0 ? `, with ${rest.slice(0, 2).map((j) => `\`${refText(j, 40).replace(/\s*&$/, '')}\` (line ${j.stmt.p[0]})`).join(' and ')}${rest.length > 2 ? ` and ${rest.length - 2} more` : ''}` : '';
  const trapNote = other ? ` (the trap on line ${other.ref.stmt.p[0]}, \`${refText(other.ref, 50)}\`, handles other signals only)` : '';
  const stop = init
    ? `${init} signals only its direct child, the shell, which dies on SIGTERM and leaves \`${name}\` running until the container stops and it is SIGKILLed`
    : `the shell stays PID 1, and the kernel drops a signal that PID 1 does not handle, so \`docker stop\`'s SIGTERM reaches neither the shell nor \`${name}\`, and after the timeout both are SIGKILLed`;
  const forward = "`trap 'kill -TERM $(jobs -p) 2>/dev/null; wait' TERM`";
  const fix = `Run the server in the foreground as the script's last command, \`exec ${text}\`${inFn}, instead of starting it with \`&\` and polling it (other daemons can stay background jobs before it). Or pass the signal on and wait instead of polling: ${forward} before the loop, and \`wait\` in place of it${init ? `. Or run ${init} with \`-g\`, so that it signals the whole process group` : ''}`;
  const data = { server: text, serverLine: String(job.stmt.p[0]), others, loop, loopLine: String(at.stmt.p[0]), test: poll.text, trapNote, stop, fix, under: init ? ` under ${init}` : '', ...startedBy(hop) };
  ctx.report({ ...place, messageId: 'pollsWithoutTrap', data });
}

/** `trap shutdown SIGINT` -> `trap shutdown SIGINT SIGTERM` (the trap's own text, plus TERM in its style). */
function withTerm(trap: Executed): string | null {
  const text = trap.ref.file.text.slice(trap.ref.stmt.p[2], trap.ref.stmt.e[2]);
  if (text.includes('\n') || /[;&|<>]\s*\S/.test(text.replace(/'[^']*'|"[^"]*"/g, ''))) return null;
  const sig = trap.argvs[0]?.slice(2).some((f) => /^SIG/i.test(f.s ?? '')) ? 'SIGTERM' : 'TERM';
  return `${text.trimEnd()} ${sig}`;
}
