import { isScriptArg, isUserCommand, mainProcesses, type ScriptHop } from '../model/evaluator/questions.js';
import type { Field } from '../model/evaluator/values.js';
import { basename } from '../model/commands.js';
import { atRef, refText } from '../evidence.js';
import { defineRule } from './rule.js';
import { execFix } from '../fix/builders/pid1.js';
import { fixOf } from '../fix/builders/report.js';

/** Programs that run until they are stopped: servers, workers, language runtimes running an app. */
const LONG_RUNNING = new Set([
  'python', 'python2', 'python3', 'node', 'nodejs', 'java', 'ruby', 'perl', 'php', 'dotnet', 'deno', 'bun', 'elixir', 'mix', 'iex', 'erl',
  'gunicorn', 'uvicorn', 'hypercorn', 'daphne', 'uwsgi', 'waitress-serve', 'celery', 'rq', 'dramatiq', 'puma', 'unicorn', 'rails', 'thin', 'passenger',
  'nginx', 'httpd', 'apache2', 'apachectl', 'haproxy', 'caddy', 'traefik', 'envoy', 'lighttpd', 'php-fpm', 'redis-server', 'mongod', 'postgres', 'mysqld', 'mariadbd',
  'memcached', 'rabbitmq-server', 'supervisord', 'catalina.sh', 'jetty.sh', 'sshd', 'crond', 'cron', 'tail', 'sleep', 'npm', 'yarn', 'pnpm', 'flask', 'streamlit', 'jupyter', 'nc',
]);
/** Words of a one-shot job: a build, a deploy, a migration run as the container's whole purpose. */
const JOB_WORDS = /(migrat|backup|restore|build|deploy|release|publish|\btest|lint|seed|sync|\bjob\b|task|\bonce\b|setup|install|generat|report|export|import|convert|bootstrap|provision|cleanup|\bcheck)/i;

/** The command runs until it is stopped (not a one-shot step). */
function longRunning(argv: readonly Field[]): boolean {
  const name = argv[0]?.s;
  if (!name) return false;
  const base = basename(name).replace(/\d+(\.\d+)*$/, (m) => (/^python|^php/.test(basename(name)) ? '' : m));
  const words = argv.map((f) => f.s ?? '');
  if (base === 'npm' || base === 'yarn' || base === 'pnpm') return ['start', 'serve', 'dev'].includes(words[1] === 'run' ? (words[2] ?? '') : (words[1] ?? ''));
  if (base === 'tail') return words.includes('-f') || words.includes('-F');
  if (base === 'sleep') return words[1] === 'infinity';
  if (base === 'nc') return words.some((w) => /^-\w*l/.test(w));
  if (base === 'python' || base === 'node' || base === 'ruby' || base === 'perl' || base === 'php' || base === 'java') {
    // `python -c '...'`, `node -e`, `python -m pip install`: one-shot.
    if (words.some((w) => w === '-c' || w === '-e' || w === '--version' || w === '-V')) return false;
    if (base === 'python' && words[1] === '-m' && /^(pip|venv|compileall|pytest|unittest)$/.test(words[2] ?? '')) return false;
    return words.length > 1;
  }
  return LONG_RUNNING.has(base) || LONG_RUNNING.has(basename(name));
}

export default defineRule({
  id: 'entrypoint-no-exec',
  severity: 'warning',
  category: 'pid1',
  recommended: true,
  fixable: true,
  title: 'The entrypoint script runs its main command without exec',
  peers: {},
  messages: {
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
  },
  docs: {
    what:
      'A script that the image starts (as PID 1, or as the child of an init that signals only its child) and that is given no CMD arguments runs its final long-running command as a child without `exec`: `python app.py`, `java -jar app.jar`, `npm start`, a server. The rule decides from the default run (`docker run IMAGE`): the path must end at that command (nothing but an exit after it), the command must be a server, worker or language runtime running a program, and the image must not look like a one-shot job: a command or script name that says build, deploy, migrate, backup, test, seed, sync, job or task (with no EXPOSE or HEALTHCHECK) is taken as a job that runs to completion, and stays silent. Scripts given CMD arguments are `missing-exec-args`\'s, except when CMD is only a subcommand word of the script\'s own (`CMD ["server"]` for `server) shift; server "$@" ;;`, where the function `server` runs `java -jar app.jar` as a child): the script reads that word to choose the branch, never reads anything after it and gives none of it to the last command, so it is judged as a script run with no arguments.',
    why:
      'Without `exec` the shell stays in place and the application is its child. When the shell is PID 1, SIGTERM from `docker stop` goes to the shell, which does not forward it; under plain `tini`, tini signals only its direct child, the shell, which dies and leaves the application running until the container is killed. Either way the application gets SIGKILL after the timeout, with no clean shutdown.',
    bad: '#!/bin/sh\nset -e\npython manage.py migrate\npython app.py',
    good: '#!/bin/sh\nset -e\npython manage.py migrate\nexec python app.py',
    autofix: [
      { safety: 'unsafe', what: '`exec` in front of the last command (inside the function that runs it, never in front of a function call or of a variable that may hold exec)', why: 'The shell no longer runs anything after it (an EXIT trap included)' },
    ],
    howToFix: 'Put `exec` in front of the last command, so that it replaces the shell (or start the container with `tini -g` or dumb-init, which signal the whole process group).',
  },
  check(ctx) {
    const launch = ctx.launch;
    const stage = ctx.stage;
    if (!launch || !stage) return;
    const run = launch.runs.default;
    if (run.truncated) return;
    const service = stage.instructions.some((i) => i.keyword === 'EXPOSE' || i.keyword === 'HEALTHCHECK');
    const done = new Set<string>();
    for (const main of mainProcesses(run)) {
      const staying = main.staying;
      if (!staying || staying.hop.kind !== 'script' || staying.hop.unit.kind !== 'file' || !staying.hop.run) continue;
      const hop = staying.hop;
      const e = staying.ending;
      const given = hop.argv.slice(1).filter((f) => isScriptArg(f, run) || isUserCommand(f));
      if (e.kind === 'exit' && e.code?.s !== '0' && e.code?.s !== null) continue;
      if (main.init?.group) continue; // tini -g, dumb-init: the signal reaches the application
      if (e.last.length !== 1) continue;
      const last = e.last[0];
      if (!last) continue;
      const cmd = staying.hop.run.commands.find((c) => c.ref.stmt === last.stmt && !c.exec && !c.child && !c.background);
      const argv = cmd?.argvs[0];
      if (!cmd || !argv || cmd.argvs.length !== 1 || !longRunning(argv)) continue;
      // Scripts given CMD arguments: missing-exec-args says what happens to them; unless CMD is
      // only a subcommand word of the script's own, read and not passed on.
      if (given.length > 0 && !subcommandOnly(given, argv, hop)) continue;
      if (isSupervisor(hop)) continue;
      const words = [...argv.map((f) => f.s ?? ''), hop.unit.imagePath ?? ''].join(' ');
      if (!service && JOB_WORDS.test(words)) continue;
      const key = `${last.file.path}:${last.stmt.p[2]}`;
      if (done.has(key)) continue;
      done.add(key);
      const started = { startedBy: hop.unit.startedAt.label, startLine: String(hop.unit.startedAt.span.line), startFile: hop.unit.startedAt.file };
      // A command called through a function is fixed where it is written: exec in front of it there.
      const where = cmd.ref.via.length > 0 ? ` (inside \`${cmd.ref.via[cmd.ref.via.length - 1]}\`)` : '';
      const place = atRef(hop.unit, last, ctx.env.dockerfile.displayPath);
      const data = { command: refText(cmd.ref), where, ...started };
      const fix = fixOf(execFix(hop.unit, cmd.ref));
      if (main.init) ctx.report({ ...place, messageId: main.init.shebang ? 'underShebangInit' : 'underInit', data: { ...data, init: main.init.name }, ...fix });
      else ctx.report({ ...place, messageId: 'shellPid1', data, ...fix });
    }
  },
});

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

/** `trap ... TERM` and `wait`: a deliberate supervisor that forwards signals itself. */
function isSupervisor(hop: ScriptHop): boolean {
  const cmds = hop.run?.commands ?? [];
  const trap = cmds.some((c) => c.argvs.some((a) => a[0]?.s === 'trap' && a.slice(2).some((f) => /^(SIG)?(TERM|INT|15|2)$/.test(f.s ?? ''))));
  return trap && cmds.some((c) => c.argvs.some((a) => a[0]?.s === 'wait'));
}
