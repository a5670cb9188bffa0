/**
 * The main process of a script that stays (it runs its last command without `exec`): which
 * command that is, and as which user it runs. A script that stays PID 1 is only the parent: the
 * program it waits for is what the image exists to run, the one `root-process` judges and
 * `explain` names. Known when it is the script's last command and runs until it is stopped (a
 * server, a runtime running an app, or, in an image that serves (EXPOSE, HEALTHCHECK), the
 * program every normal path ends with), or the one such background job the script waits on.
 * Unknown (null) otherwise: no rule concludes anything from a guess.
 */
import { basename } from './commands.js';
import { SHELLS, SUPERVISORS } from './evaluator/invocations.js';
import { commandUser, type MainProcess, type ScriptHop } from './evaluator/questions.js';
import type { CmdRef, StmtRef } from './evaluator/state.js';
import type { Field, UserValue } from './evaluator/values.js';
import { handedCommandAt, keepsRunning, runsInForeground, type FindInImage } from './known-programs.js';

/** Programs that run until they are stopped: servers, workers, language runtimes running an app. */
const LONG_RUNNING = new Set([
  'python', 'python2', 'python3', 'node', 'nodejs', 'java', 'ruby', 'perl', 'php', 'dotnet', 'deno', 'bun', 'elixir', 'mix', 'iex', 'erl',
  'gunicorn', 'uvicorn', 'hypercorn', 'daphne', 'uwsgi', 'waitress-serve', 'celery', 'rq', 'dramatiq', 'puma', 'unicorn', 'rails', 'thin', 'passenger',
  'nginx', 'httpd', 'apache2', 'apachectl', 'haproxy', 'caddy', 'traefik', 'envoy', 'lighttpd', 'php-fpm', 'redis-server', 'mongod', 'postgres', 'mysqld', 'mariadbd',
  'memcached', 'rabbitmq-server', 'supervisord', 'catalina.sh', 'jetty.sh', 'sshd', 'crond', 'cron', 'flask', 'streamlit', 'jupyter',
]);
/** Words of a one-shot job: a build, a deploy, a migration run as the container's whole purpose. */
export const JOB_WORDS = /(migrat|backup|restore|build|deploy|release|publish|\btest|lint|seed|sync|\bjob\b|task|\bonce\b|setup|install|generat|report|export|import|convert|bootstrap|provision|cleanup|\bcheck)/i;

/**
 * Commands that finish: file and text utilities, package and user tools, clients, shells, and
 * service managers that start a daemon in the background and return. Never taken for the program
 * a service image exists for.
 */
const ONE_SHOT = /^(cat|cp|mv|rm|ln|mkdir|rmdir|chmod|chown|chgrp|touch|sed|awk|gawk|grep|egrep|find|ls|envsubst|curl|wget|tar|gzip|gunzip|unzip|sleep|date|env|printenv|sync|kill|pkill|killall|ps|install|useradd|adduser|groupadd|addgroup|usermod|update-ca-certificates|ldconfig|sysctl|tee|chpasswd|openssl|ssh-keygen|keytool|service|systemctl|start-stop-daemon|rc-service|sv|supervisorctl|s6-svc|s6-rc|s6-svscanctl|s6-svwait|s6-svstat|s6-svok|svc|svok|svstat|a2enmod|a2ensite|a2enconf|setcap|xargs|sort|uniq|cut|tr|head|wc|dirname|basename|realpath|readlink|mktemp|hostname|uname|whoami|id|true|false|test|stat|du|df|mount|umount|ip|iptables|ip6tables|route|jq|yq|base64|sha256sum|md5sum|gpg|pip|pip3|apt-get|apt|apk|yum|dnf|microdnf|zypper|git|make|cmake|psql|mysql|mongosh|mongo|redis-cli|wait-for-it|wait-for-it\.sh|dockerize|sh|bash|ash|dash|zsh|ksh|busybox|su|sudo|gosu|su-exec|runuser|setpriv|chpst|crontab|logrotate|nslookup|dig|ping|nc|telnet|ssh|scp|rsync|echo|printf|npm|yarn|pnpm|npx|composer|mvn|gradle|tini|dumb-init|timeout|nohup|setsid)$/;

/** Words with which a program starts a daemon in the background and returns (`nginx -s reload`, `x start`). */
const DETACHES = /^(-d|--daemon|-daemon|--daemonize|--detach|--fork|--background|-s|start|restart|reload|stop|status)$/;

/** `tail -f /dev/null`, `sleep infinity`: they only keep the container running, and as PID 1 ignore SIGTERM too. */
export function keepAlive(argv: readonly Field[]): boolean {
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
export function longRunning(command: readonly Field[], find: FindInImage): boolean {
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
export function servesImage(command: readonly Field[], find: FindInImage): boolean {
  const argv = lookThrough(command, find);
  const name = argv[0]?.s;
  if (!name || argv.some((f) => f.multi)) return false;
  const base = basename(name);
  if (!/^[\w.+-]+$/.test(base) || ONE_SHOT.test(base) || /^(python|php|ruby|perl|node|java)[\d.]*$/.test(base)) return false;
  return !argv.slice(1).some((f) => f.s !== null && DETACHES.test(f.s));
}

/**
 * Every normal ending of the script's run comes after this same last command (no other way out
 * that keeps the container running). A path that ends in an explicit `exit` (`echo "copy failed";
 * exit` after a check) stops the container there: it runs no service, so it says nothing about
 * which command the running paths end with.
 */
export function everyEndingIsLast(hop: ScriptHop, last: CmdRef): boolean {
  const endings = (hop.run?.endings ?? []).filter((x) => !x.failed && !(x.kind === 'exit' && x.cmd !== null && !x.waited));
  return endings.length > 0 && endings.every((x) => x.kind !== 'exec' && x.kind !== 'loop' && !x.waited && x.last.length === 1 && x.last[0]?.stmt === last.stmt);
}


/** What a rule or explain needs to know of the image to tell the main command. */
export interface MainCommandImage {
  find: FindInImage;
  /** The final stage has EXPOSE or HEALTHCHECK: it serves. */
  service: boolean;
}

export interface MainCommand {
  /** `last`: the script's last command, its child; `job`: a background job the script waits on. */
  how: 'last' | 'job';
  /** The command's statement (for a job, the program the job runs). */
  ref: CmdRef;
  /** For a job: the `... &` statement that started it. */
  job?: Pick<CmdRef, 'stmt' | 'file'>;
  /** For a job: the `wait` (or the loop polling the job) the shell stays in. */
  wait?: StmtRef;
  argv: Field[];
  /** The user it runs as: the shell's, or the one a user switch in front of it names (`gosu app server`). */
  user: UserValue;
}

/** The command that is the main process of a chain that ends in a script that stays, or null when not known. */
export function mainCommand(m: MainProcess, image: MainCommandImage): MainCommand | null {
  const staying = m.staying;
  if (!staying || !staying.hop.run) return null;
  const hop = staying.hop;
  const e = staying.ending;
  if (e.failed || e.opaque || e.kind === 'exec' || e.kind === 'loop') return null;
  const cmds = hop.run?.commands ?? [];
  const scriptPath = hop.kind === 'script' ? (hop.unit.imagePath ?? '') : '';
  const isJob = (words: string[]): boolean => !image.service && JOB_WORDS.test([...words, scriptPath].join(' '));
  const last = e.last.length === 1 ? e.last[0] : undefined;
  const cmd = last ? cmds.find((c) => c.ref.stmt === last.stmt && !c.exec && !c.child && !c.background) : undefined;
  const argv = cmd?.argvs.length === 1 ? cmd.argvs[0] : undefined;
  // A path that ends in an explicit `exit` right after its last command ends on purpose: that
  // command finishes, it is not the service. After a `wait`, the exit only follows the jobs.
  const exited = e.kind === 'exit' && e.cmd !== null;
  const w = e.waited;
  const after = !!last && !!w && last.file === w.at.file && last.stmt.p[2] > w.at.stmt.p[2];
  if (w && !(after && argv && !exited && longRunning(argv, image.find))) {
    // The shell stays in the wait: the job it waits on that runs until stopped is the service.
    const serving = w.jobs.flatMap((job) => {
      const main = job.cmds[job.cmds.length - 1];
      if (!main || keepAlive(main.argv) || supervises(main.argv) || isJob(main.argv.map((f) => f.s ?? ''))) return [];
      const serves = longRunning(main.argv, image.find) || (image.service && servesImage(main.argv, image.find));
      return serves ? [{ job, main }] : [];
    });
    const only = serving.length === 1 ? serving[0] : undefined;
    if (!only) return null;
    return { how: 'job', ref: only.main.ref, job: { stmt: only.job.stmt, file: only.job.file }, wait: w.at, argv: only.main.argv, user: commandUser(only.main.argv, only.main.user) };
  }
  if (!last || !cmd || !argv || exited || keepAlive(argv) || supervises(argv)) return null;
  const alwaysLast = image.service && everyEndingIsLast(hop, last);
  if (!longRunning(argv, image.find) && !(alwaysLast && servesImage(argv, image.find))) return null;
  if (isJob(argv.map((f) => f.s ?? ''))) return null;
  return { how: 'last', ref: cmd.ref, argv, user: commandUser(argv, e.user) };
}

/**
 * A process supervisor other than supervisord (`runsvdir /etc/service`, `s6-svscan`): its
 * services are the main processes, and they are not followed from a script's child, so which
 * command is the main process is not known. supervisord is the main command: its configuration
 * says which programs it starts, as which users.
 */
function supervises(argv: readonly Field[]): boolean {
  const name = argv[0]?.s;
  return !!name && SUPERVISORS.has(basename(name)) && basename(name) !== 'supervisord';
}
