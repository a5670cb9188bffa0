import { isScriptArg, isUserCommand, mainProcesses, type MainProcess, type ScriptHop } from '../model/evaluator/questions.js';
import type { Executed, LoopRef } from '../model/evaluator/interpreter.js';
import { SHELLS } from '../model/evaluator/invocations.js';
import type { CmdRef, Job } from '../model/evaluator/state.js';
import type { Field } from '../model/evaluator/values.js';
import { basename, wordLiteral } from '../model/commands.js';
import { handedCommandAt, keepsRunning, runsInForeground, type FindInImage } from '../model/known-programs.js';
import { onPath, packageScriptCommand, packageScriptRun } from '../model/node-entry.js';
import { forEachCall } from '../parsers/shell-walk.js';
import { atRef, refText, statementText } from '../evidence.js';
import { defineRule, type RuleContext } from './rule.js';
import { execFix } from '../fix/builders/pid1.js';
import { fixOf } from '../fix/builders/report.js';

/** Programs that run until they are stopped: servers, workers, language runtimes running an app. */
const LONG_RUNNING = new Set([
  'python', 'python2', 'python3', 'node', 'nodejs', 'java', 'ruby', 'perl', 'php', 'dotnet', 'deno', 'bun', 'elixir', 'mix', 'iex', 'erl',
  'gunicorn', 'uvicorn', 'hypercorn', 'daphne', 'uwsgi', 'waitress-serve', 'celery', 'rq', 'dramatiq', 'puma', 'unicorn', 'rails', 'thin', 'passenger',
  'nginx', 'httpd', 'apache2', 'apachectl', 'haproxy', 'caddy', 'traefik', 'envoy', 'lighttpd', 'php-fpm', 'redis-server', 'mongod', 'postgres', 'mysqld', 'mariadbd',
  'memcached', 'rabbitmq-server', 'supervisord', 'catalina.sh', 'jetty.sh', 'sshd', 'crond', 'cron', 'flask', 'streamlit', 'jupyter',
]);
/** Words of a one-shot job: a build, a deploy, a migration run as the container's whole purpose. */
const JOB_WORDS = /(migrat|backup|restore|build|deploy|release|publish|\btest|lint|seed|sync|\bjob\b|task|\bonce\b|setup|install|generat|report|export|import|convert|bootstrap|provision|cleanup|\bcheck)/i;

/**
 * Commands that finish: file and text utilities, package and user tools, clients, shells, and
 * service managers that start a daemon in the background and return. Never taken for the program
 * a service image exists for.
 */
const ONE_SHOT = /^(cat|cp|mv|rm|ln|mkdir|rmdir|chmod|chown|chgrp|touch|sed|awk|gawk|grep|egrep|find|ls|envsubst|curl|wget|tar|gzip|gunzip|unzip|sleep|date|env|printenv|sync|kill|pkill|killall|ps|install|useradd|adduser|groupadd|addgroup|usermod|update-ca-certificates|ldconfig|sysctl|tee|chpasswd|openssl|ssh-keygen|keytool|service|systemctl|start-stop-daemon|rc-service|sv|supervisorctl|a2enmod|a2ensite|a2enconf|setcap|xargs|sort|uniq|cut|tr|head|wc|dirname|basename|realpath|readlink|mktemp|hostname|uname|whoami|id|true|false|test|stat|du|df|mount|umount|ip|iptables|ip6tables|route|jq|yq|base64|sha256sum|md5sum|gpg|pip|pip3|apt-get|apt|apk|yum|dnf|microdnf|zypper|git|make|cmake|psql|mysql|mongosh|mongo|redis-cli|wait-for-it|wait-for-it\.sh|dockerize|sh|bash|ash|dash|zsh|ksh|busybox|su|sudo|gosu|su-exec|runuser|setpriv|chpst|crontab|logrotate|nslookup|dig|ping|nc|telnet|ssh|scp|rsync|echo|printf|npm|yarn|pnpm|npx|composer|mvn|gradle|tini|dumb-init|timeout|nohup|setsid)$/;

/** Words with which a program starts a daemon in the background and returns (`nginx -s reload`, `x start`). */
const DETACHES = /^(-d|--daemon|-daemon|--daemonize|--detach|--fork|--background|-s|start|restart|reload|stop|status)$/;

/** `tail -f /dev/null`, `sleep infinity`: they only keep the container running, and as PID 1 ignore SIGTERM too. */
function keepAlive(argv: readonly Field[]): boolean {
  return keepsRunning(argv[0]?.s ?? '', argv.slice(1).map((f) => f.s ?? ''));
}

/**
 * The command a wrapper or launcher runs (`dockerize -wait tcp://db:5432 gunicorn app:app`,
 * `wait-for-it db:5432 -- node server.js`, `env A=b python app.py`, `webproc -- dnsmasq`, see
 * `handedCommandAt`): the shell waits for the wrapper, which waits for (or is replaced by) that
 * command, so that command is what the script runs last. The command itself when it hands over
 * none, or when the wrapper's words are not all known.
 */
function lookThrough(argv: readonly Field[], find: FindInImage): readonly Field[] {
  let inner = argv;
  for (let depth = 0; depth < 4; depth++) {
    const name = inner[0]?.s;
    if (!name || inner.some((f) => f.multi)) return inner;
    // `sh bin/server.sh`: the shell runs that script file, which is the command judged.
    const file = inner[1]?.s;
    // (busybox takes an applet name first, not a file.)
    const shell = basename(name);
    if (SHELLS.has(shell) && shell !== 'busybox' && file && !file.startsWith('-') && !file.startsWith('+')) {
      inner = inner.slice(1);
      continue;
    }
    const at = handedCommandAt(name, inner.slice(1).map((f) => f.s), find);
    if (at === null) return inner;
    inner = inner.slice(at + 1);
  }
  return inner;
}

/** The command runs until it is stopped (not a one-shot step), by its name and options. */
function longRunning(command: readonly Field[], find: FindInImage): boolean {
  const argv = lookThrough(command, find);
  const name = argv[0]?.s;
  if (!name) return false;
  const base = basename(name).replace(/\d+(\.\d+)*$/, (m) => (/^python|^php/.test(basename(name)) ? '' : m));
  const words = argv.map((f) => f.s ?? '');
  if (base === 'npm' || base === 'yarn' || base === 'pnpm') {
    if (['start', 'serve', 'dev'].includes(words[1] === 'run' ? (words[2] ?? '') : (words[1] ?? ''))) return true;
    // Hadoop's `yarn resourcemanager`, not the package manager.
    return base === 'yarn' && runsInForeground(name, words.slice(1));
  }
  if (base === 'nc') return words.some((w) => /^-\w*l/.test(w));
  if (base === 'python' || base === 'node' || base === 'ruby' || base === 'perl' || base === 'php' || base === 'java') {
    // `python -c '...'`, `node -e`, `python -m pip install`: one-shot.
    if (words.some((w) => w === '-c' || w === '-e' || w === '--version' || w === '-V')) return false;
    if (base === 'python' && words[1] === '-m' && /^(pip|venv|compileall|pytest|unittest)$/.test(words[2] ?? '')) return false;
    return words.length > 1;
  }
  return LONG_RUNNING.has(base) || LONG_RUNNING.has(basename(name)) || runsInForeground(name, words.slice(1));
}

/**
 * In a service image (EXPOSE or HEALTHCHECK), the last command of a script that stays PID 1 and
 * always ends with it is the service: the container lives as long as the script, so that command
 * must be what keeps running. Not a utility, a shell, or a command told to detach.
 */
function servesImage(command: readonly Field[], find: FindInImage): boolean {
  const argv = lookThrough(command, find);
  const name = argv[0]?.s;
  if (!name || argv.some((f) => f.multi)) return false;
  const base = basename(name);
  if (!/^[\w.+-]+$/.test(base) || ONE_SHOT.test(base) || /^(python|php|ruby|perl|node|java)[\d.]*$/.test(base)) return false;
  return !argv.slice(1).some((f) => f.s !== null && DETACHES.test(f.s));
}

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
      'A script that the image starts (as PID 1, or as the child of an init that signals only its child) and that is given no CMD arguments to hand over stays in place while its main program runs: it runs its final long-running command as a child without `exec` (`python app.py`, `java -jar app.jar`, `npm start`, a server), it ends in a keep-alive (`while true; do sleep 1000; done`, `tail -f /dev/null`, `sleep infinity`) after starting daemons, or it waits for background jobs (`server & wait`) with no trap for SIGTERM. (A script that is itself the CMD, `CMD ["/run.sh", "-d"]`, reads its words as its own options: they are not a command to hand over.) The rule decides from the default run (`docker run IMAGE`). The path must end at that command, loop or `wait`; a path that ends in an explicit `exit` after the command (`php artisan key:generate --show; exit`, with or without a status) ends the script on purpose, and the command before it is a step that finishes, not the service (a keep-alive before an `exit` never returns, and still counts). The command counts as long-running when it is a server, worker or language runtime running a program that dockerlint knows by name (with its foreground mode: `hdfs namenode`, `catalina.sh run`, `dgraph alpha`, `sbt run`, `mvn spring-boot:run`, a daemon such as `smbd -F` whose name and foreground option say so; behind a wrapper that runs its arguments, `dockerize -wait tcp://db:5432 gunicorn app:app`, `wait-for-it db:5432 -- node server.js` or `env A=b python app.py`, the wrapped command is the one judged (and the script file a shell is given, `sh bin/server.sh`), and a wrapper option dockerlint does not know leaves it silent; likewise behind a program dockerlint cannot read whose first argument, or first word after `--`, names a program, `webproc -- dnsmasq --no-daemon`), or, in an image that declares a service with EXPOSE or HEALTHCHECK, when the script ends with it on every path that keeps the container running (a path that ends in an explicit `exit`, such as `echo "cannot write the config"; exit` after a check, stops the container there and does not count) and it is not a utility, a client, a shell or a command told to detach (`-d`, `start`): a container lives as long as its PID 1, so the last command of a service image\'s script is what keeps running. A trap for TERM (`trap \'kill $pid\' TERM` with `wait`, or around a keep-alive) is a deliberate supervisor and stays silent; a trap for INT or EXIT alone does not handle `docker stop`. The image must not look like a one-shot job: a command or script name that says build, deploy, migrate, backup, test, seed, sync, job or task (with no EXPOSE or HEALTHCHECK) is taken as a job that runs to completion, and stays silent. Scripts given CMD arguments are `missing-exec-args`\'s, except when CMD is only a subcommand word of the script\'s own (`CMD ["server"]` for `server) shift; server "$@" ;;`, where the function `server` runs `java -jar app.jar` as a child): the script reads that word to choose the branch, never reads anything after it and gives none of it to the last command, so it is judged as a script run with no arguments.',
    why:
      'Without `exec` the shell stays in place and the application is its child. When the shell is PID 1, SIGTERM from `docker stop` goes to the shell, and the kernel drops a signal that PID 1 has no handler for: the shell neither forwards it nor exits. Under plain `tini`, tini signals only its direct child, the shell, which dies and leaves the application running until the container is killed. Either way the application gets SIGKILL after the timeout, with no clean shutdown. A keep-alive command cannot be fixed with `exec`: `tail` or `sleep` as PID 1 has no handler for SIGTERM either.',
    bad: '#!/bin/sh\nset -e\npython manage.py migrate\npython app.py',
    good: '#!/bin/sh\nset -e\npython manage.py migrate\nexec python app.py',
    autofix: [
      { safety: 'unsafe', what: '`exec` in front of the last command (inside the function that runs it, never in front of a function call or of a variable that may hold exec); never for a keep-alive or a `wait`, nor for `npm start` and the like, where `exec` would leave the package manager as PID 1 (the hint names the command of the package.json script instead, when the build copies package.json to the working directory)', why: 'The shell no longer runs anything after it (an EXIT trap included)' },
    ],
    howToFix: 'Put `exec` in front of the last command, so that it replaces the shell (or start the container with `tini -g` or dumb-init, which signal the whole process group). For background jobs and keep-alives, trap TERM and stop the jobs: `trap \'kill -TERM $(jobs -p) 2>/dev/null; wait\' TERM`, and keep alive with `sleep infinity & wait $!`.',
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
      const staying = main.staying;
      if (!staying || staying.hop.kind !== 'script' || staying.hop.unit.kind !== 'file' || !staying.hop.run) continue;
      const hop = staying.hop;
      const e = staying.ending;
      // Scripts given CMD arguments (or the user's command) to hand over: missing-exec-args says
      // what happens to them. A script that is the CMD's own program reads them as its options.
      // So is one that a shell given by ENTRYPOINT runs as CMD's word (`ENTRYPOINT ["/bin/bash"]`,
      // `CMD ["/entrypoint.sh"]`): the words after it are its own.
      const ownCmd = (hop.argv[0] !== undefined && isScriptArg(hop.argv[0], run)) || (!hop.direct && hop.arg.origin === 'cmd');
      // Unless CMD is only a subcommand word of the script's own, read and not passed on.
      const given = ownCmd ? [] : hop.argv.slice(1).filter((f) => isScriptArg(f, run) || isUserCommand(f));
      if (given.length > 0 && !subcommandOnly(given, [], hop)) continue;
      // An error path is not how the image runs (`exit 1` after a failed step, even after a wait).
      if (e.failed || (e.kind === 'exit' && e.code?.s !== '0' && e.code?.s !== null)) continue;
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
      const after = !!last && !!w && last.file === w.at.file && last.stmt.p[2] > w.at.stmt.p[2];
      // A path that ends in an explicit `exit` (`cmd; exit`, with or without a status) ends the
      // script on purpose: the command before it finishes, it is not the service.
      const exited = e.kind === 'exit' && e.cmd !== null;
      if (w && !(after && argv && !exited && longRunning(argv, find))) {
        if (handled || w.jobs.length === 0) continue;
        if (isJob(w.jobs.flatMap((j) => j.cmds.flatMap((c) => c.argv.map((f) => f.s ?? ''))))) continue;
        reportWait(ctx, main, hop, w.at, w.jobs, trap.other, done);
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
 * Every normal ending of the script's run comes after this same last command (no other way out
 * that keeps the container running). A path that ends in an explicit `exit` (`echo "copy failed";
 * exit` after a check) stops the container there: it runs no service, so it says nothing about
 * which command the running paths end with.
 */
function everyEndingIsLast(hop: ScriptHop, last: CmdRef): boolean {
  const endings = (hop.run?.endings ?? []).filter((x) => !x.failed && !(x.kind === 'exit' && x.cmd !== null && !x.waited));
  return endings.length > 0 && endings.every((x) => x.kind !== 'exec' && x.kind !== 'loop' && !x.waited && x.last.length === 1 && x.last[0]?.stmt === last.stmt);
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


function reportWait(ctx: Ctx, main: MainProcess, hop: ScriptHop, wait: CmdRef, jobs: readonly Job[], other: Executed | null, done: Set<string>): void {
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

/** `trap shutdown SIGINT` -> `trap shutdown SIGINT SIGTERM` (the trap's own text, plus TERM in its style). */
function withTerm(trap: Executed): string | null {
  const text = trap.ref.file.text.slice(trap.ref.stmt.p[2], trap.ref.stmt.e[2]);
  if (text.includes('\n') || /[;&|<>]\s*\S/.test(text.replace(/'[^']*'|"[^"]*"/g, ''))) return null;
  const sig = trap.argvs[0]?.slice(2).some((f) => /^SIG/i.test(f.s ?? '')) ? 'SIGTERM' : 'TERM';
  return `${text.trimEnd()} ${sig}`;
}
