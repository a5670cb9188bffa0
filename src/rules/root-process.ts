import { isWindowsImage, knownBaseImage } from '../model/base-images.js';
import { basename, execSwitcherAt, wordLiteral } from '../model/commands.js';
import type { Chain, Run, Step } from '../model/evaluator/invocations.js';
import type { Field } from '../model/evaluator/values.js';
import type { WordPart } from '../parsers/shell-ast.js';
import { argvAt, commandOf, commandsRun, fullyKnown, handsOverWithoutExec, mainProcesses } from '../model/evaluator/questions.js';
import { rootStage, type Stage } from '../model/image.js';
import { dropsWhenTold, looksLikeMainProgram, rootByDesign, type ProgramImage } from '../model/known-programs.js';
import type { Launch, ScriptUnit } from '../model/launch.js';
import { mainCommand, type MainCommand } from '../model/main-command.js';
import type { MainProcess } from '../model/evaluator/questions.js';
import { forEachCall } from '../parsers/shell-walk.js';
import { refText } from '../evidence.js';
import { ROOT_USER, shellQuote } from '../text.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'root-process',
  severity: 'error',
  category: 'privilege',
  recommended: true,
  title: 'The main process runs as root',
  peers: { hadolint: [{ code: 'DL3002', equivalent: false, note: 'hadolint flags a last `USER root` in any stage, by its text (last-user-root is the equivalent); this rule flags the built image\'s main process running as root, from USER, the base image and the entrypoint' }] },
  messages: {
    lastUserRoot: {
      message:
        'The main process ({main}) runs as root: `USER {user}` is the last USER of the image, and nothing between ENTRYPOINT/CMD and the main process drops privileges{notes}. As root it holds every privilege in the container and, through bind mounts, over host files.',
      hint: 'Add `USER <name>` to the final stage, or drop privileges at the end of the entrypoint with `exec gosu <user> "$@"`.',
    },
    noUser: {
      message:
        'The main process ({main}) runs as root: no USER is set in the final stage{stages}, and {base} is assumed to run as root, as Docker does for an image with no user, and nothing between ENTRYPOINT/CMD and the main process drops privileges{notes}. As root it holds every privilege in the container and, through bind mounts, over host files.',
      hint: 'Add `USER <name>` to the final stage, or drop privileges at the end of the entrypoint with `exec gosu <user> "$@"`.',
    },
    serviceRoot: {
      message:
        'The service {main}, which the supervisor `{supervisor}` starts from its run script `{script}`, runs as root: {why}, a service starts as the user of its supervisor, and nothing in the run script drops privileges{notes}. As root it holds every privilege in the container and, through bind mounts, over host files.',
      hint: 'Keep the supervisor as root and start the program as its own user in `{script}`: `exec {switch} <user> {command}`.',
    },
  },
  docs: {
    what:
      'The final stage leaves the user as root (`USER root`, `USER 0`, `USER root:*`, or no USER at all after inheritance) and nothing on the way from ENTRYPOINT/CMD to the main process drops privileges (no `gosu`, `su-exec`, `setpriv`, ... in the entrypoint script or the command; `start-stop-daemon --start --chuid app --exec prog` counts as one: without `--background` it switches to the user and execs the program in its own process, while `--user` only matches running processes). It stays silent where root is the design rather than a mistake: a server whose master process starts as root and switches its workers to the user of its configuration (httpd, nginx, php-fpm, varnishd, mosquitto, sshd, postfix, cron, NGINX Unit (`unitd`), dnsmasq, vsftpd, openvpn (which keeps root for its tun device and switches to its `--user`), netdata, rspamd with `-u`, the shadowsocks `ss-server` with `-a`, uWSGI told its `uid` by `--uid`, `UWSGI_UID` or the `uid` of an ini file the build copies and it loads (`uwsgi --http :8000 uwsgi.ini`; a `uid` of root or 0 is no switch), and the servers that switch user when an option or the configuration the build provides names one: asterisk `-U` (or `runuser` in asterisk.conf), maxscale `-U`/`--user`, tor `--User` (or `User` in its torrc), slapd, kamailio, freeswitch, named and ntpd `-u`, chronyd (its `-u`, its `user` directive, else the user it was built with), mysqld and mariadbd `--user` (or `user` in the [mysqld] section of my.cnf), haproxy (`user` or `uid` in the global section of its `-f` file), pgbouncer `-u` (or `user` in its ini file), ...; without that option they stay root (mysqld and pgbouncer refuse to start), and the message says which option would drop it; redis-server never drops), also when a script that stays PID 1 runs it as its last command (the missing exec is `entrypoint-no-exec`\'s) or starts it in the background and stays beside it (`nohup zerotier-one &`, then a keep-alive loop or `wait`), Docker in Docker (`dockerd`), systemd as PID 1 (`/usr/sbin/init`, `/sbin/init`), which starts each service as the user of its unit, a program whose job is the host\'s network, since Docker gives NET_ADMIN to root only (`zerotier-one`, `tailscaled` unless told `--tun=userspace-networking`, WireGuard\'s `wg-quick`, `fail2ban-server`, keepalived, strongSwan\'s `charon`), the official images whose own `docker-entrypoint.sh` steps down (an entrypoint of this image that ends by running `docker-entrypoint.sh postgres` on a postgres base: postgres runs as postgres), an interactive shell or REPL left alone as CMD (`bash`, `python3`, `node`, `jshell`, `raku`, `swipl`, `perl -de0`: a base image, whose derived images are checked when they set their own command), and a build tool left alone as CMD (`mvn`, `gradle`, `composer`, `sbt`: a tool image, run once on a mounted project), whether the root comes from no USER or from an explicit `USER root` (a last `USER root` as such is `last-user-root`, in the `all` preset, hadolint\'s DL3002). The same holds for such a CMD handed to an entrypoint that comes from another image and cannot be read. An image that runs a service on top of such a base (`FROM maven` with `CMD ["java", "-jar", "app.jar"]`) is checked as any other. There is no main process, and nothing to judge, when an image with no CMD hands its arguments to a user switch that needs a command (`exec gosu app "$@"`, `exec su-exec app "$@"`, with the switch kept in a variable or not): given only a user, gosu, su-exec, setpriv, s6-setuidgid and chpst print their usage and exit; the image is meant to be given a command, which runs as that user. When the entrypoint script stays PID 1 (it runs its last command without exec), the main process is the command it waits for: its last command when that runs until it is stopped (a server, a runtime running an app, or, in an image with EXPOSE or HEALTHCHECK, the program every normal path ends with: `tracker --listen :8083` at the end of a script with no exec), or the one such background job it waits on (`./server & wait $!`). That command decides the user (`gosu app server` without exec runs as app, a child of the shell), the exemptions above apply to it as to an exec\'d program (`httpd -D FOREGROUND`, supervisord whose programs all have a `user=` that is not root), and the chain ends at its line. With no CMD and no such command (a job script whose last command runs to completion, such as a migration), there is no main process to judge. It is silent, too, when the base image is not one dockerlint knows, no stage sets USER and a RUN runs `sudo` (`RUN sudo apt-get install ...`): a base that builds as root needs no sudo, so its user is taken to be another one, not known (`explain` says which line showed it); on a plain OS image, which builds as root, sudo changes nothing. It is also silent when what runs in the end, and as which user, cannot be known: a Python program on the way whose code uses `os.exec*` or `os.set*id`, or names a user switch such as `"gosu"` as a program, or calls a library function whose name says it drops privileges (`system.drop_privs_to("app")`, `demote(uid)`) (a `/start.py` that ends with `os.execve("/usr/sbin/gosu", ...)`: dockerlint does not follow Python, it only reads its tokens for these names, never comments or the text of strings), a shell script (`.sh`) that the build makes or copies from another stage, which dockerlint cannot read and which may step down itself (`COPY --from=src /src/docker/entrypoint.sh /entrypoint.sh`), or a program dockerlint cannot read that is given a command to run (`ssh-env-config.sh /usr/local/bin/agent start`, `webui --port 8080 -- server`: a launcher, which may run it as another user); `explain` says which. Under runit or s6 (`runsvdir /etc/service`, the runit packages\' `runsvdir-start`, which runs `runsvdir -P /etc/service`, `s6-svscan /etc/s6`, s6-overlay\'s `/init` with no command, whose services are the longruns of /etc/s6-overlay/s6-rc.d (a `type` file that says `longrun`; a oneshot\'s `run` script, which its `up` runs once, and a logger with `consumer-for` are not services) and the folders of /etc/services.d, run scripts with `#!/command/with-contenv sh` read as sh) the supervisor is root by design and its services are the main processes: the `run` script of each service the build copies into that folder is read (but for one with a `down` file, which is not started until told to), a service that runs as root is reported with its run script in the chain (one that stays with no long-running command of its own, a loop that reads and prints, names nothing to step down: when no other service is root, the rule is silent), and `exec chpst -u app server` or `exec s6-setuidgid app server` in it drops; a run file dockerlint cannot read (no `#!` line for sh or bash, an execline script) or one that runs no command (a placeholder written at run time), or a folder the build puts no service in, leaves the services unknown and the rule silent. A command is given when the first argument, or the first word after `--`, names a program: a well-known one (`java`, `nginx`), one a COPY or ADD puts on the PATH by that name, or a path in a bin folder; a bare word that only a folder copied from a build stage may hold is a word of the program\'s own command line (`ENTRYPOINT ["./server"]` with `CMD ["serve"]`), and the program is the main process. A Python program whose code names none of them is the main process and is checked as any other (the message says it was read), and a wrapper known to keep the user (`stdbuf`, `timeout`, `nice`, `dockerize`, `wait-for-it`) does not hide its command. Root is also the design when the compose file that gives this Dockerfile its build context runs the service `privileged: true`, with `cap_add` (a process that is not root gets no effective capability from them) or with the Docker socket mounted (`/var/run/docker.sock`): `explain` names the file and line. `network_mode: host` alone needs no root and changes nothing; nor does a compose file that only names a published image. A main program copied to its path under a name that the target platform chooses (`ARG TARGETARCH` then `COPY app-linux-${TARGETARCH} /usr/local/bin/app`, or `COPY --from=build /out/app-$TARGETOS-$TARGETARCH /app`) is the binary compiled for that platform, whichever it is, and is judged as such; a platform-named script (`start-$TARGETARCH.sh`), a folder per platform copied into a folder, or any other build argument with no value leaves the main process unknown, and the rule silent. A language runtime copied from an image (`COPY --from=eclipse-temurin:21-jre /opt/java/openjdk /opt/java/openjdk`, then `java -jar app.jar`) is that runtime, the main process, while any other program or script copied from an image stays unknown; a stage per platform picked by `FROM build-${TARGETARCH}` is read as the stage a linux/amd64 build picks (BuildKit gives FROM its platform ARGs without an ARG line). For such servers, an image that does not need a port below 1024 can still run them unprivileged (`nginxinc/nginx-unprivileged`, `USER www-data` with a high port).',
    why:
      'A process running as root in a container holds every privilege inside it and, through bind-mounted volumes, over host files. A bug or an exploit in the server then owns the container. Docker runs as root when nothing says otherwise: an image whose base sets no user runs as uid 0.',
    example: { bad: 'bad-user-from-arg', good: 'good-user-from-arg' },
    bad: 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]',
    good: 'FROM node:20-slim\nWORKDIR /app\nCOPY --chown=node:node . .\nUSER node\nCMD ["node", "server.js"]',
    howToFix:
      'Add `USER <name>` (or a numeric uid) to the final stage, or keep root for set-up only and hand over with `exec gosu <user> "$@"` at the end of the entrypoint script (the docker-library official-image pattern, which this rule recognises).',
  },
  check(ctx) {
    const stage = ctx.stage;
    const launch = ctx.launch;
    if (!stage || !launch) return;
    const user = stage.config.user;
    if (isWindowsImage(stage, rootStage(stage))) return; // ContainerAdministrator/ContainerUser, not root
    const run = launch.runs.default;
    // The start user: USER, else the base image's (configuration first), else root.
    if (run.startUser.root !== true) return;
    // The compose file that builds this image runs it privileged, with added capabilities or with
    // the Docker socket: powers only a root process can use, so root is the design (explain says so).
    if (launch.runtime) return;
    const base = knownBaseImage(rootStage(stage), ctx.env.baseImageFacts);
    if (launch.steps.length === 0) {
      // No ENTRYPOINT/CMD: the base image's own command runs; known for some bases.
      const inherited = base?.rootCommand;
      if (!inherited || user) return;
      // The base image's server that drops privileges itself (apache2-foreground, php-fpm): as silent as the same CMD written out.
      const [program = '', ...args] = inherited.split(' ');
      if (rootByDesign(program, args, launch.programImage) !== null) return;
      const fromStage = rootStage(stage);
      const data = { main: `\`${inherited}\`, the command ${fromStage.base} starts`, notes: '', stages: stage.baseStage ? ' or the stages it builds on' : '', base: `\`${fromStage.base}\`` };
      ctx.report({ at: { file: ctx.env.dockerfile.displayPath, span: stage.from.keywordSpan }, messageId: 'noUser', data, chain: [], label: 'FROM' });
      return;
    }
    if (!launch.pid1.entrypoint && base?.dropsPrivileges) return;
    // Every chain of `docker run IMAGE` known to the end, and every one ends as root.
    if (!fullyKnown(run)) return;
    const mains = mainProcesses(run);
    // A script that stays PID 1: its main process is the command it waits for (its last command,
    // or the background job it waits on), which runs as the user the model gives it.
    const service = stage.instructions.some((i) => i.keyword === 'EXPOSE' || i.keyword === 'HEALTHCHECK');
    const commands = new Map(mains.map((m) => [m, mainCommand(m, { find: (w) => launch.findInImage(w), service })] as const));
    const userOf = (m: MainProcess): MainProcess['user'] => commands.get(m)?.user ?? m.user;
    if (mains.length === 0 || mains.some((m) => userOf(m).root !== true)) return;
    // A program on the way that may hand over or switch user itself (a Python start script's
    // `os.execve` of gosu): the user of what runs in the end is not known (explain says why).
    if (mains.some((m) => m.hop.kind === 'program' && m.hop.handover)) return;
    // The base image's own entrypoint, which steps down (`docker-entrypoint.sh postgres` on a
    // postgres base), run last or exec'd by a script of this image: the server does not run as root.
    if (base?.dropsPrivileges && mains.every((m) => runsBaseEntrypoint(m, stage))) return;
    // A server whose master stays root while its workers drop, a base image's REPL or a tool
    // image's build tool; or such a CMD handed to an entrypoint dockerlint cannot read (one that
    // comes from another image), which runs it.
    const cmdArgv = launch.pid1.entrypoint && launch.pid1.cmd?.form.kind === 'exec' ? launch.pid1.cmd.form.argv : null;
    if (mains.every((m) => m.hop.kind === 'program' && !m.hop.userCommand && (rootByDesign(m.hop.name, m.hop.args, launch.programImage) !== null || wrapsRootByDesignCmd(m.hop, cmdArgv, launch.programImage)))) return;
    // A script that stays PID 1 and runs such a server as its last command (`vsftpd /etc/vsftpd.conf`
    // without exec): the root is the server's by design; the missing exec is entrypoint-no-exec's.
    if (mains.every((m) => m.hop.kind === 'script' && lastCommandRootByDesign(m, launch.programImage))) return;
    // A script that starts such a server in the background (`nohup zerotier-one &`) and stays
    // beside it, in a keep-alive loop or a `wait`: the server is the service, root by design.
    if (mains.every((m) => m.hop.kind === 'script' && jobRootByDesign(m, launch.programImage))) return;
    // The command the staying script waits for is root by design (`httpd -D FOREGROUND`), or is
    // supervisord whose programs do not run as root (or are not known).
    if (mains.every((m) => { const c = commands.get(m); return !!c && (commandRootByDesign(c.argv, launch.programImage) || supervisorNotRoot(c, launch)); })) return;
    // No CMD, and the entrypoint script only prepares and ends: the image is run with a command
    // (`docker run IMAGE nimbus`), and `docker run IMAGE` alone starts no main process.
    // Likewise when every path of the script exits on purpose (`CMD ["help"]` prints and exits).
    // Unless the script waits for a command that runs until it is stopped (`pgpool -n`, a server
    // started with `&` then `wait`): that command is the main process.
    if (mains.every((m) => m.staying) && (!launch.pid1.cmd || mains.every((m) => m.staying?.ending.kind === 'exit')) && !mains.every((m) => commands.get(m))) return;
    // gosu/su without exec around the arguments: the application runs as that user (the other
    // rules say it is not exec'd).
    if (handsOverWithoutExec(run).some((h) => h.user.root !== true)) return;

    // Services of a supervisor: the one named is one that is not root by design (crond beside syslogd names syslogd).
    const byDesign = (m: (typeof mains)[number]): boolean => m.hop.kind === 'program' && !m.hop.userCommand && rootByDesign(m.hop.name, m.hop.args, launch.programImage) !== null;
    // A service whose run script stays with no long-running command of its own (a loop that
    // reads and prints) names nothing to step down: another one is named, or none.
    const namesProgram = (m: (typeof mains)[number]): boolean => m.hop.kind === 'program' || !!commands.get(m);
    const underSupervisor = (m: (typeof mains)[number]): boolean => m.chain.hops.some((s) => s.kind === 'supervisor');
    if (mains.every(underSupervisor) && !mains.some((m) => namesProgram(m) && !byDesign(m))) return;
    const first = (mains.find((m) => underSupervisor(m) && namesProgram(m) && !byDesign(m)) ?? mains[0]) as (typeof mains)[number];
    const command = commands.get(first) ?? null;
    const chain = [...first.chain.hops.map((s) => ({ ...s.at, label: stepLabel(s) })), ...(command ? [commandStep(command)] : [])];
    const fromStage = rootStage(stage);
    const file = ctx.env.dockerfile.displayPath;
    const main = mainLabel(first, command);
    const notes = withNote(dropNotes(run, launch.scripts, first, launch.programImage), command ? supervisorRootNote(command, launch) : null);
    // A service of runit or s6: the supervisor stays root by design; the run script is where the
    // program should step down.
    const sup = first.chain.hops.findIndex((s) => s.kind === 'supervisor');
    const runScript = sup >= 0 ? first.chain.hops[sup + 1] : undefined;
    if (sup >= 0 && runScript?.kind === 'script') {
      const supervisor = (first.chain.hops[sup] as Step & { kind: 'supervisor' }).name;
      const why = `the supervisor runs as root (${user ? `\`USER ${user.value}\` is the last USER of the image` : `no USER is set in the final stage${stage.baseStage ? ' or the stages it builds on' : ''}, and ${baseText(fromStage)} is assumed to run as root, as Docker does for an image with no user`})`;
      // The command to write after the switch: the program, or the command the run script stays with.
      const shown = first.hop.kind === 'program' ? [first.hop.name, ...first.hop.args].join(' ') : command && command.argv.every((f) => f.s !== null) ? command.argv.map((f) => f.s).join(' ') : main.replace(/`/g, '');
      const data = { main, supervisor, script: runScript.arg.value, why, notes, switch: supervisor.startsWith('s6') ? 's6-setuidgid' : 'chpst -u', command: shown };
      const at = user ? { file, span: user.instruction.keywordSpan } : { file, span: stage.from.keywordSpan };
      ctx.report({ at, messageId: 'serviceRoot', data, chain, label: user ? `USER ${user.value}` : 'FROM' });
      return;
    }
    if (user) {
      ctx.report({ at: { file, span: user.instruction.keywordSpan }, messageId: 'lastUserRoot', data: { main, user: user.value, notes }, chain, label: `USER ${user.value}` });
    } else {
      const data = { main, notes, stages: stage.baseStage ? ' or the stages it builds on' : '', base: baseText(fromStage) };
      ctx.report({ at: { file, span: stage.from.keywordSpan }, messageId: 'noUser', data, chain, label: 'FROM' });
    }
  },
});

/**
 * What the scripts do about users that does not drop the main process: a one-shot `gosu app cmd`,
 * or a step-down the default run does not reach (gated by a variable no ENV sets, for example).
 */
function dropNotes(run: Run, units: ScriptUnit[], main: ReturnType<typeof mainProcesses>[number], image: ProgramImage): string {
  const notes: string[] = [];
  const toRoot = switchToRoot(main.chain);
  if (toRoot) notes.push(toRoot);
  // A server that switches user itself when told one (`asterisk -U asterisk`): the fix can be an option.
  const told = main.hop.kind === 'program' ? dropsWhenTold(main.hop.name, main.hop.args, image) : null;
  if (told) notes.push(told);
  const ran = commandsRun(run);
  for (const { cmd } of ran) {
    const argv = cmd.argvs[0] ?? [];
    const t = commandOf(argv);
    if (cmd.exec || cmd.child || !t.switcher || cmd.condition) continue;
    notes.push(`\`${refText(cmd.ref)}\` (${cmd.ref.file.path}:${cmd.ref.file.spanOf(cmd.ref.stmt.p, cmd.ref.stmt.e).line}) runs only that command as another user`);
    break;
  }
  // A Python program read to the end that names no hand-over: the program is the main process.
  for (const chain of run.chains) {
    const last = chain.hops[chain.hops.length - 1];
    if (last?.kind !== 'program' || !last.read) continue;
    notes.push(`${last.read.file} was read as Python: its code calls no \`os.exec*\` or \`os.set*id\` and names no user switch such as \`gosu\``);
    break;
  }
  const executed = new Set(ran.map((r) => r.cmd.ref.stmt));
  for (const unit of units) {
    if (!unit.ast || unit.kind !== 'file') continue;
    let found: string | null = null;
    forEachCall(unit.ast.stmts, (call, stmt) => {
      if (found || executed.has(stmt)) return;
      const words = call.args.map(wordLiteral);
      if (!execSwitcherAt(words, words[0] === 'exec' ? 1 : 0)) return;
      found = `the step-down \`${unit.source.text.slice(stmt.p[2], stmt.e[2]).split('\n')[0]?.trim()}\` (${unit.source.file.displayPath}:${unit.source.spanOf(stmt.p, stmt.e).line}) is not reached on \`docker run IMAGE\``;
    });
    if (found) {
      notes.push(found);
      break;
    }
  }
  return notes.length > 0 ? ` (${notes.join('; ')})` : '';
}

/**
 * A user switch on the main chain whose target is root itself (`gosu "$UID:$GID"` in bash, where
 * `$UID` is the uid the script runs as: 0): it is no drop, and the message says why.
 */
function switchToRoot(chain: Chain): string | null {
  const i = chain.hops.findIndex((h) => h.kind === 'switch' && h.toRoot);
  const hop = chain.hops[i];
  if (!hop || hop.kind !== 'switch') return null;
  const command = hop.at.label.includes('…') ? hop.tool : hop.at.label;
  const script = chain.hops.slice(0, i).reverse().find((h) => h.kind === 'script');
  const readsUid = script?.kind === 'script' && script.unit.interpreter === 'bash' && !!script.unit.ast && callReads(script.unit, hop.at.span.line, 'UID');
  const why = readsUid ? ": with no UID in the environment, bash sets `$UID` to the uid the script runs as, 0 when it starts as root (`ENV UID=<uid>` gives gosu a user)" : '';
  return `\`${command}\` (${hop.at.file}:${hop.at.span.line}) switches to \`${hop.user ?? 'root'}\`, which is root, not a drop${why}`;
}

/** A command of the unit on `line` expands the parameter `name` in its words. */
function callReads(unit: ScriptUnit, line: number, name: string): boolean {
  let found = false;
  forEachCall(unit.ast?.stmts ?? [], (call, stmt) => {
    if (found || unit.source.spanOf(stmt.p, stmt.e).line !== line) return;
    const parts = (ps: readonly WordPart[]): boolean => ps.some((p) => (p.type === 'ParamExp' && p.param === name) || (p.type === 'DblQuoted' && parts(p.parts)));
    found = call.args.some((w) => parts(w.parts));
  });
  return found;
}

function stepLabel(s: Step): string {
  switch (s.kind) {
    case 'init':
      return named(s.at.label, s.name);
    case 'switch':
    case 'forking-switch':
      return `${s.at.label} ${s.tool} ${s.user ?? ''}`.trim();
    case 'shell':
      return `${s.at.label} ${s.shellForm ? 'shell form' : 'sh -c'}`;
    case 'script':
      return named(s.at.label, s.arg.value);
    case 'program':
      return bracketWord(s.name) ? s.at.label : named(s.at.label, s.name);
    case 'supervisor':
      return named(s.at.label, s.name);
    case 'image-program':
      return named(s.at.label, basename(s.program.path));
    case 'unknown':
      return s.at.label;
  }
}

/**
 * A hop's label with the program it starts: `ENTRYPOINT /e.sh`, but a script line that already
 * names it (`exec runsvdir -P /etc/service`) is not followed by the name a second time.
 */
function named(label: string, name: string): string {
  return label.split(/\s+/).includes(name) ? label : `${label} ${name}`;
}

/**
 * The main process as the message names it: the program that runs as root. A script that stays
 * PID 1 is named with the program its last command starts (as its child); a word the shell took
 * from brackets that are not an exec form (`[java,`) is no program, so the shell form is named.
 */
function mainLabel(m: ReturnType<typeof mainProcesses>[number], command: MainCommand | null): string {
  const s = m.hop;
  if (command && (s.kind === 'script' || s.kind === 'shell')) {
    const self = s.kind === 'script' ? `\`${s.arg.value}\`` : shellLabel(s);
    const how = command.how === 'job' ? 'starts in the background and waits on' : 'starts as its child without exec';
    return `\`${commandLine(command)}\`, which ${self} ${how}`;
  }
  switch (s.kind) {
    case 'program': {
      const shell = m.chain.hops[m.chain.hops.length - 2];
      if (bracketWord(s.name) && shell?.kind === 'shell') return `${shellLabel(shell)}, whose first word \`${s.name}\` is no program: ${shell.shellForm ? 'brackets without valid JSON are not an exec form' : 'the shell keeps the brackets and commas in its words'}`;
      return `\`${s.name}\``;
    }
    case 'script':
    case 'shell': {
      const program = lastProgram(m);
      const self = s.kind === 'script' ? `\`${s.arg.value}\`` : shellLabel(s);
      return program ? `\`${program}\`, which ${self} starts as its child without exec` : s.kind === 'script' ? `${self}, which does not exec its last command` : self;
    }
    default:
      return stepLabel(s);
  }
}

/** A word the shell split from brackets meant as an array (`[java,`), not the test command `[`. */
function bracketWord(name: string): boolean {
  return name.startsWith('[') && name !== '[' && name !== '[[';
}

/** `/bin/sh -c '<text>'` for a short one-line string, else `/bin/sh -c ...`. */
function shellLabel(s: Step & { kind: 'shell' }): string {
  const text = s.unit.source.text;
  const shell = s.shellArgv.join(' ') || '/bin/sh -c';
  return text.length <= 60 && !text.includes('\n') ? `\`${shell} ${shellQuote(text)}\`` : `\`${shell} ...\``;
}

/** The command a staying script ends with (as its child), when every path ends with the same known program. */
function lastProgram(m: ReturnType<typeof mainProcesses>[number]): string | null {
  const last = m.staying?.ending.last;
  if (!m.staying || m.staying.ending.kind !== 'end' || !last || last.length === 0) return null;
  const lines = new Set<string | null>();
  for (const l of last) {
    const argv = argvAt(m.staying.hop.run, l);
    const t = argv ? commandOf(argv) : null;
    const name = t && !t.switcher && !t.forking && t.rest.every((f) => f.s !== null && !f.multi) ? (t.name?.s ?? null) : null;
    const args = t ? t.rest.map((f) => f.s as string) : [];
    if (name === null || bracketWord(name) || !looksLikeMainProgram(name, args)) return null;
    // The command line as it runs (`python3 /opt/ftp/server.py`), or the program alone when long.
    const line = [name, ...args].join(' ');
    lines.add(line.length <= 60 ? line : name);
  }
  const [line] = [...lines];
  return lines.size === 1 && line ? line : null;
}

/**
 * The main process is the ENTRYPOINT's own program, which dockerlint could not read (a program of
 * the base image, or a file copied from another image), given exactly the image's CMD, and that CMD is root by design
 * (`ENTRYPOINT ["/usr/local/bin/mvn-entrypoint.sh"]` copied from the maven image, `CMD ["mvn"]`).
 */
function wrapsRootByDesignCmd(hop: Step & { kind: 'program' }, cmdArgv: readonly string[] | null, image: ProgramImage): boolean {
  if (!cmdArgv || cmdArgv.length === 0 || hop.arg.origin !== 'entrypoint' || hop.resolved?.origin.kind === 'context' || hop.resolved?.origin.kind === 'heredoc') return false;
  if (hop.args.length !== cmdArgv.length || hop.args.some((a, i) => a !== cmdArgv[i])) return false;
  const [program = '', ...args] = cmdArgv;
  return rootByDesign(program, args, image) !== null;
}

/** The staying script's last command is a server that is root by design, run as root by the script itself (no user switch). */
function lastCommandRootByDesign(m: ReturnType<typeof mainProcesses>[number], image: ProgramImage): boolean {
  const last = m.staying?.ending.last;
  if (!last || last.length === 0) return false;
  return last.every((l) => {
    const argv = argvAt(m.staying?.hop.run, l);
    return !!argv && commandRootByDesign(argv, image);
  });
}

/** A job the staying script started and stays beside (a keep-alive loop, `wait`) runs a program that is root by design. */
function jobRootByDesign(m: ReturnType<typeof mainProcesses>[number], image: ProgramImage): boolean {
  const ending = m.staying?.ending;
  const jobs = ending?.running?.jobs ?? ending?.waited?.jobs ?? [];
  return jobs.some((job) => job.cmds.some(({ argv }) => commandRootByDesign(argv, image)));
}

/** A command the script runs as root itself (no user switch), fully known, whose program is root by design. */
function commandRootByDesign(argv: Field[], image: ProgramImage): boolean {
  const t = commandOf(argv);
  const name = t.name?.s;
  if (t.switcher || !name || t.rest.some((f) => f.s === null)) return false;
  return rootByDesign(name, t.rest.map((f) => f.s as string), image) !== null;
}

/** The main process is (or the staying script ends with) the base image's `docker-entrypoint.sh`, not one this image copies in. */
function runsBaseEntrypoint(m: ReturnType<typeof mainProcesses>[number], stage: Stage): boolean {
  const ENTRY = 'docker-entrypoint.sh';
  for (let s: Stage | null = stage; s; s = s.baseStage) if (s.copies.some((op) => basename(op.dest) === ENTRY)) return false;
  if (m.hop.kind === 'program') return basename(m.hop.name) === ENTRY;
  const argv = argvAt(m.staying?.hop.run, m.staying?.ending.last[0]);
  const name = argv ? commandOf(argv).name?.s : null;
  return !!name && basename(name) === ENTRY;
}

/** The base image as the message names it: `alpine:3.20`, and the FROM it comes from when that uses build arguments. */
function baseText(stage: { base: string; baseKnown: boolean; baseWritten: string | null }): string {
  if (!stage.baseKnown) return 'the base image';
  return stage.baseWritten ? `\`${stage.base}\` (\`FROM ${stage.baseWritten}\` with the build arguments' defaults)` : `\`${stage.base}\``;
}

/** The main command's line as it runs (`pgpool -n -f /etc/pgpool.conf`), the program alone when long, or its text. */
function commandLine(c: MainCommand): string {
  const t = commandOf(c.argv);
  const name = t.name?.s;
  if (!name || t.rest.some((f) => f.s === null || f.multi)) return refText(c.ref).replace(/\s*&$/, '');
  const line = [name, ...t.rest.map((f) => f.s as string)].join(' ');
  return line.length <= 60 ? line : name;
}

/** The chain's last step: where the staying script runs its main command. */
function commandStep(c: MainCommand): { file: string; span: ReturnType<MainCommand['ref']['file']['spanOf']>; label: string } {
  const at = c.job ?? c.ref;
  const span = at.file.spanOf(at.stmt.p, at.stmt.e);
  const name = basename(commandOf(c.argv).name?.s ?? '');
  return { file: at.file.path, span, label: c.how === 'job' ? `${name} & (background job, waited on)` : `${name} (child, no exec)` };
}

/** supervisord as the main command: its configuration, or undefined when the command is not supervisord (null when not known). */
function supervisorConf(c: MainCommand, launch: Launch): ReturnType<NonNullable<Launch['supervisor']>> | undefined {
  const t = commandOf(c.argv);
  if (!t.name?.s || basename(t.name.s) !== 'supervisord') return undefined;
  return launch.supervisor?.(t.rest.map((f) => (f.multi ? null : f.s))) ?? null;
}

/** A supervisord `user=` that is not root; `%(ENV_USER)s` is not known, so not counted as root. */
const notRootUser = (u: string): boolean => u.includes('%(') || !ROOT_USER.test(u);

/** The programs supervisord starts as root that are not root by design. */
function rootPrograms(conf: NonNullable<ReturnType<typeof supervisorConf>>, image: ProgramImage): typeof conf.programs {
  if (conf.user && notRootUser(conf.user)) return [];
  return conf.programs.filter((p) => p.autostart && !(p.user !== null && notRootUser(p.user)) && !programRootByDesign(p.command, image));
}

/**
 * supervisord as the main command: its programs are the main processes. Not root when it
 * switches to a user of its own (`[supervisord] user=`) or every program it starts has a `user=`
 * that is not root or is root by design; not known (so nothing to say) when its configuration is
 * not in the build or includes files dockerlint cannot see.
 */
function supervisorNotRoot(c: MainCommand, launch: Launch): boolean {
  const conf = supervisorConf(c, launch);
  if (conf === undefined) return false;
  return !conf || conf.unknownIncludes.length > 0 || rootPrograms(conf, launch.programImage).length === 0;
}

/** supervisord as the main command: the programs it starts as root (`[program:web]` at supervisord.conf:4, `user=root`). */
function supervisorRootNote(c: MainCommand, launch: Launch): string | null {
  const conf = supervisorConf(c, launch);
  const root = conf ? rootPrograms(conf, launch.programImage) : [];
  if (root.length === 0) return null;
  const shown = root.slice(0, 3).map((p) => `\`[program:${p.name}]\` (${p.at}${p.user ? `, \`user=${p.user}\`` : ', no `user=`'})`);
  return `supervisord runs ${shown.join(', ')}${root.length > 3 ? ` and ${root.length - 3} more` : ''} as root`;
}

/** The notes of the message with one more (` (a; b)`). */
function withNote(notes: string, note: string | null): string {
  if (!note) return notes;
  return notes ? `${notes.slice(0, -1)}; ${note})` : ` (${note})`;
}

/** A supervisord program's command (`nginx -g "daemon off;"`) is root by design. */
function programRootByDesign(command: string, image: ProgramImage): boolean {
  const [program = '', ...args] = command.trim().split(/\s+/);
  return rootByDesign(program, args, image) !== null;
}
