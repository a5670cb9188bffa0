/**
 * `dockerlint explain`: a formatter over the launch model's runs. For `docker run IMAGE` and for
 * `docker run IMAGE <command>` it shows each process of the start-up chain, which of them holds
 * PID 1, as which user, where it is started, and the conditions that chose the branch
 * (`$1 = redis-server (from CMD)`, `$(id -u) = 0 (no USER)`). It computes nothing of its own.
 */
import type { Launch } from './model/launch.js';
import type { Chain, Run, Step } from './model/evaluator/invocations.js';
import type { Ending } from './model/evaluator/interpreter.js';
import type { CmdRef, Job, TermTrap } from './model/evaluator/state.js';
import type { SupervisorConfig } from './model/supervisord.js';
import { argvAt, backgroundService, commandOf, commandUser, mainProcessOf } from './model/evaluator/questions.js';
import { showArgv, showField, showUser, userFromSpec, USER_COMMAND, type Field, type UserValue } from './model/evaluator/values.js';
import { parseSwitch, S6_OVERLAY_INIT } from './model/evaluator/invocations.js';
import { basename } from './model/commands.js';
import { chosenAtBuildText, rootStage } from './model/image.js';
import { osShellCommand } from './model/base-images.js';
import { rootByDesign } from './model/known-programs.js';
import { oneLine, shellQuote } from './text.js';

export interface Hop {
  /** What runs: `docker-entrypoint.sh redis-server`, `exec gosu redis "$0" "$@"`, ... */
  process: string;
  user: string;
  /** Still PID 1 (exec), or a child of it. */
  pid1: boolean;
  /** Where it happens: `Dockerfile:13`, `docker-entrypoint.sh:15`. */
  at: string;
  note: string | null;
  /** The conditions that chose the branch leading here. */
  why?: string[];
  /** A supervisord hop: the programs of its configuration, each a child, as its user. */
  programs?: { name: string; user: string; at: string }[];
  /** A `wait` hop: the background children the shell waits on. */
  waits?: { process: string; user: string; at: string }[];
  /** A `wait` hop: the shell's SIGTERM trap (null: none) and whether it passes the signal on to the children. */
  signals?: { trap: string | null; action: string | null; forwards: boolean };
  /**
   * Required-configuration checks of a script: `exits 1 at entrypoint.sh:40 unless DB_HOST is
   * set`. With every variable unset the script stops there; the hops shown are the configured run.
   */
  required?: string[];
}

export interface RunExplanation {
  /** `docker run IMAGE` or `docker run IMAGE <command>`. */
  run: string;
  argv: string[];
  hops: Hop[];
  summary: string;
  /** How many other start-up paths the run can take (conditions dockerlint cannot decide). */
  otherPaths: number;
  /** Why part of the run is not known, if it is not. */
  incomplete: string | null;
}

export interface Explanation {
  dockerfile: string;
  stage: string;
  /** PID 1's argv on the default run. */
  argv: string[];
  startUser: string;
  /** The default run's chain. */
  hops: Hop[];
  summary: string;
  otherPaths?: number;
  /** Why part of the default run is not known (a budget of the analysis), when it is not. */
  incomplete?: string;
  userCommand?: RunExplanation;
  /** The compose service built from this Dockerfile runs with settings only root can use. */
  runtime?: string;
  /** The base image's ENTRYPOINT is not known (the build chooses the base): why. */
  entrypointUnknown?: string;
}

export function explainLaunch(launch: Launch): Explanation {
  const stage = launch.stage;
  const def = explainRun(launch.runs.default, 'docker run IMAGE', launch);
  const user = explainRun(launch.runs['user-command'], 'docker run IMAGE <command>', launch);
  return {
    dockerfile: launch.dockerfile,
    stage: `${stage.name ? `${stage.name}, ` : ''}${stage.index + 1} of ${launch.stageCount}, FROM ${stage.baseChosenAtBuild ? (stage.baseWritten ?? stage.base) : stage.base}`,
    argv: def.argv,
    startUser: startUserText(launch, def.argv.length === 0),
    hops: def.hops,
    summary: def.summary,
    otherPaths: def.otherPaths,
    ...(def.incomplete ? { incomplete: def.incomplete } : {}),
    userCommand: user,
    ...(launch.entrypointUnknown ? { entrypointUnknown: `the base image's ENTRYPOINT is not known (${launch.entrypointUnknown}): it may run the CMD as its child, so the CMD is not taken to be PID 1` } : {}),
    ...(launch.runtime ? { runtime: `compose service ${launch.runtime.service} runs with ${launch.runtime.grants.join(', ')}, powers meant for a process that runs as root: root by design` } : {}),
  };
}

/**
 * The user the container starts as. When the base image is not known and no stage sets USER, it
 * is the base image's: explain says root is an assumption (the one the rules make, as Docker
 * does for an image with no user), or, when the base image also decides what runs, that the user
 * is not known. When the build passes the base image (`FROM ${RUNTIME_IMAGE}`), the user is not
 * known either; nor when a RUN runs `sudo` with no USER set (Stage.sudoBuild).
 */
function startUserText(launch: Launch, baseDecides: boolean): string {
  const start = showUser(launch.runs.default.startUser);
  const chosen = launch.stage.config.user ? null : chosenAtBuildText(rootStage(launch.stage));
  if (chosen) return `not known: no stage sets USER, and ${chosen}; the user is the one of the image each build passes`;
  const sudo = launch.stage.config.user ? null : launch.stage.sudoBuild;
  if (sudo) return `not known: no stage sets USER, and line ${sudo.keywordSpan.line} runs \`sudo\`, so ${rootStage(launch.stage).base} builds as a user that is not root (a root build needs no sudo)`;
  const base = launch.startAssumed;
  if (!base) return start;
  if (baseDecides) return `not known: no stage sets USER, so the user is ${base}'s, which dockerlint cannot read (root unless it sets a USER)`;
  return `${start} (assumed: no stage sets USER, and ${base} is not an image dockerlint knows; a USER it sets would apply instead)`;
}

function explainRun(run: Run, label: string, launch: Launch): RunExplanation {
  const argv = run.args.filter((a) => a.value !== '').map((a) => (a.value === '\u0000command' ? '<command>' : a.value));
  const chain = shownChain(run);
  const hops = chain ? chainHops(chain, launch) : [];
  if (hops.length === 0 && argv.length === 0) hops.push(...baseCommandHops(run, launch));
  const summary =
    hops.length === 0
      ? argv.length === 0
        ? 'No ENTRYPOINT or CMD: the base image decides what runs.'
        : `Not known: dockerlint could not follow the start-up chain${run.truncated ? ` (${run.truncated})` : ''}.`
      : `PID 1: ${hops.map((h, i) => `${i === 0 ? '' : '-> '}${h.process} (${h.pid1 ? (i === 0 ? '' : 'same PID, ') : 'child, '}${i === 0 ? h.user : `user ${h.user}`})`).join(' ')}`;
  return { run: label, argv, hops, summary, otherPaths: Math.max(0, run.chains.length - 1), incomplete: run.truncated };
}

/**
 * No stage sets ENTRYPOINT or CMD, on a plain OS image whose CMD is a shell (alpine's `/bin/sh`):
 * that shell is PID 1 on the default run, and the user's command replaces it (the image has no
 * ENTRYPOINT). Nothing for any other base image, whose config dockerlint does not know.
 */
function baseCommandHops(run: Run, launch: Launch): Hop[] {
  const root = rootStage(launch.stage);
  const shell = osShellCommand(root);
  if (shell === null) return [];
  const at = `${launch.dockerfile}:${root.from.keywordSpan.line}`;
  const user = showUser(run.startUser);
  if (run.kind === 'user-command') return [{ process: '<command>', user, pid1: true, at, note: `the user's command, PID 1: it replaces the CMD of \`${root.base}\` (\`${shell}\`), which has no ENTRYPOINT`, why: [] }];
  return [{ process: shell, user, pid1: true, at, note: `the CMD of \`${root.base}\` (no stage sets ENTRYPOINT or CMD): an interactive shell as PID 1, which exits at once without a terminal (\`docker run -it\` keeps it); the image is meant to be given a command`, why: [] }];
}

/**
 * The chain explain shows: the first (a hand-over before the scripts that stay or end), unless
 * it ends without handing over and another path stays waiting on background children (`daemon &`
 * then `wait`): that is the script's long life, not the way out after the children exit.
 */
function shownChain(run: Run): Chain | undefined {
  const first = run.chains[0];
  if (!first || !first.end) return first;
  // Among paths that end without handing over: the one that waits, then one that runs to the
  // script's end or stays in a loop, before an early `exit` (an error path such as `echo "Copy
  // failed"; exit` after a failed test, or a one-shot branch). Ties keep the script's order.
  const rank = (c: Chain): number => (c.end?.ending.waited ? 0 : c.end?.ending.kind === 'exit' ? (c.end.ending.failed ? 3 : 2) : 1);
  return run.chains.reduce((best, c) => (rank(c) < rank(best) ? c : best), first);
}

function where(s: Step): string {
  return `${s.at.file}:${s.at.span.line}`;
}

function chainHops(chain: Chain, launch: Launch): Hop[] {
  const out: Hop[] = [];
  const shownUnits = new Set<unknown>();
  for (let i = 0; i < chain.hops.length; i++) {
    const step = chain.hops[i] as Step;
    const user = showUser(step.runsAs);
    switch (step.kind) {
      case 'init':
        out.push({ process: step.name, user, pid1: step.pid1, at: where(step), note: `init: reaps zombies and forwards signals to ${step.group ? 'the whole process group of its child' : 'its direct child only'}; what follows is its child`, why: [] });
        break;
      case 'switch':
      case 'forking-switch': {
        // A switch exec'd by a script is shown on the script's exec line.
        const prev = chain.hops[i - 1];
        if (prev && (prev.kind === 'script' || prev.kind === 'shell') && prev.ending?.kind === 'exec') {
          if (step.kind === 'forking-switch') {
            const line = out[out.length - 1];
            if (line) line.note = `same PID: ${step.tool} stays the parent (as ${user}) and runs the command as its child`;
            out.push(...forkedChild(step));
          }
          break;
        }
        const after = step.kind === 'switch' && step.noCommand ? step.runsAs : (chain.hops[i + 1]?.runsAs ?? step.runsAs);
        out.push({
          process: `${step.tool} ${step.user ?? ''}`.trim(),
          user: step.kind === 'switch' ? showUser(after) : user,
          pid1: step.pid1,
          at: where(step),
          note: step.kind === 'switch' ? (step.noCommand ? noCommandNote(step) : 'switches user and execs (same PID)') : `${step.tool} forks and stays the parent: the command runs as its child`,
          why: [],
        });
        if (step.kind === 'forking-switch') out.push(...forkedChild(step));
        break;
      }
      case 'shell':
      case 'script': {
        const again = shownUnits.has(step.unit);
        shownUnits.add(step.unit);
        if (again) {
          // The script run again (as another user): its required configuration goes on the exec
          // line that re-ran it.
          const required = requiredChecks(step);
          const prev = out[out.length - 1];
          if (prev && required.length > 0) {
            prev.note = `${prev.note ? `${prev.note}; then ` : ''}${required.join('; ')} ${configured(required)}`;
            prev.required = [...(prev.required ?? []), ...required];
          }
        } else {
          const note = step.kind === 'shell' ? (step.shellForm ? 'shell form: a shell runs the string' : null) : step.unit.imagePath ? `script ${step.unit.imagePath}` : null;
          const required = requiredChecks(step);
          out.push({
            process: step.kind === 'shell' ? `${step.argv.slice(0, step.shellArgv.length).map((f) => f.s ?? '?').join(' ')} ${shellQuote(short(step.unit.source.text))}` : step.argv.map(showField).join(' '),
            user,
            pid1: step.pid1,
            at: where(step),
            note: required.length > 0 ? `${[note, ...required].filter((x) => x !== null).join('; ')} ${configured(required)}` : note,
            why: [],
            ...(required.length > 0 ? { required } : {}),
          });
        }
        const e = step.ending;
        if (!e) break;
        if (e.waited) {
          // The shell waits on its background children: it stays (PID 1, if it is) while they
          // run, and what follows the wait happens only after they exit.
          out.push(...waitHops(step, e, launch));
          return out;
        }
        if (e.kind === 'exec' && e.cmd) {
          const next = nextUser(chain, i);
          const span = e.cmd.file.spanOf(e.cmd.stmt.p, e.cmd.stmt.e);
          const reexec = chain.hops.slice(i + 1).find((h) => h.kind === 'script' || h.kind === 'shell');
          const self = reexec && (reexec.kind === 'script' || reexec.kind === 'shell') && reexec.unit === step.unit;
          const after = chain.hops[i + 1];
          const usage = after?.kind === 'switch' && after.noCommand ? after : null;
          out.push({
            process: cmdText(e.cmd.file.text.slice(e.cmd.stmt.p[2], e.cmd.stmt.e[2])),
            user: showUser(next),
            pid1: step.pid1,
            at: `${e.cmd.file.path}:${span.line}`,
            note: self
              ? `same PID, user ${showUser(next)}: the script runs again as ${showUser(next)}`
              : usage
                ? noCommandNote(usage)
                : commandOf(e.argv).switcher
                  ? `same PID, user ${showUser(next)}${next.root === true ? `: ${commandOf(e.argv).switcher} switches to root itself, not a drop` : ''}`
                  : sourcesProgram(e.cmd)
                    ? "same PID: the base image's program, sourced, ends with exec and replaces this shell"
                    : 'same PID: hands over to its arguments',
            why: reasons(e.why),
          });
        } else if (e.kind === 'loop' && e.loop) {
          // A keep-alive: the shell stays in an endless loop, and the container runs as long.
          out.push(...loopHops(step, e, launch));
        } else {
          const last = e.last[0];
          const argv = argvAt(step.run, last);
          const childUser = argv ? commandUser(argv, step.runsAs) : step.runsAs;
          const span = last ? last.file.spanOf(last.stmt.p, last.stmt.e) : null;
          const nothing = last !== undefined && isExec(last.call.args[0]) && e.kind === 'end';
          const stays = e.stays ? `; ${basename(argv?.[0]?.s ?? 'it')} never returns, so the shell stays there for the container's life and nothing after it in the script runs` : '';
          out.push({
            process: last ? cmdText(last.file.text.slice(last.stmt.p[2], last.stmt.e[2])) : '(end of script)',
            user: showUser(childUser),
            pid1: step.pid1 && nothing,
            at: last && span ? `${last.file.path}:${span.line}` : step.unit.source.file.displayPath,
            note: nothing
              ? 'no arguments to exec on this run: the script ends and the container exits (it is meant to be given a command)'
              : e.opaque
                ? // One of the files sourced at run time may have handed over before this line.
                  `runs only if none of the files the script sourced at run time handed over: then the shell stays${step.pid1 ? ' PID 1' : ''} and this runs as its child`
                : e.kind === 'exit'
                  ? `not exec'd: the shell stays${step.pid1 ? ' PID 1' : ''}, runs this as its child, then exits`
                  : `not exec'd: the shell stays${step.pid1 ? ' PID 1' : ''} and this runs as its child${stays}`,
            why: reasons(e.why),
          });
          // `daemon &` then a foreground server: the background children run beside it.
          if (e.kind === 'end' && e.running) out.push(...jobHops(e.running.jobs, launch).flatMap((c) => [c.hop, ...c.programs]));
        }
        break;
      }
      case 'program': {
        const origin = step.arg.setting.instruction;
        const fromDockerfile = step.argv[0]?.arg !== undefined && !step.userCommand;
        const at = fromDockerfile ? `${chain.hops[0]?.at.file ?? step.at.file}:${origin.keywordSpan.line}` : where(step);
        const role = step.userCommand ? "the user's command" : systemInit(step.name) ? systemInitRole(step.pid1) : step.pid1 ? 'the main process, PID 1' : 'the main process';
        // A server that starts as root and switches user itself (`named -u bind`, unbound): say so,
        // as root-process does, so that the `root` shown is not read as the user it serves as.
        const design = !step.userCommand && !systemInit(step.name) && step.runsAs.root === true ? rootByDesign(step.name, step.args, launch.programImage) : null;
        const note = [role, step.handover, design].filter((x) => !!x).join('; ');
        // The child a shell did not exec is this program: one hop, not the same line twice.
        const prev = out[out.length - 1];
        if (prev && prev.at === at && prev.pid1 === step.pid1 && prev.note?.startsWith("not exec'd")) {
          prev.note = `${prev.note}: ${note}`;
          break;
        }
        out.push({ process: [step.name, ...step.args].join(' '), user, pid1: step.pid1, at, note, why: [] });
        break;
      }
      case 'image-program': {
        // A base-image program dockerlint cannot read but models: it execs its next command.
        const p = step.program;
        const inherited = step.inherited ? `the ENTRYPOINT inherited from \`${rootStage(launch.stage).base}\` (no stage sets one): ` : '';
        out.push({ process: step.argv.map(showField).join(' '), user, pid1: step.pid1, at: where(step), note: `${inherited}the ${p.image} image's ${p.path}, which (as modelled: the image itself is not read) ${p.next.does}; here ${step.handled}`, why: [] });
        // The docker-library step-down: the entrypoint re-runs itself as the server's user.
        const down = p.next.kind === 'args' ? p.next.stepsDown : undefined;
        if (step.becomes?.root === false && down) {
          const again = showUser(step.becomes);
          out.push({ process: `${down.tool} ${down.user} ${step.argv.map(showField).join(' ')}`, user: again, pid1: step.pid1, at: where(step), note: `same PID, user ${again}: the entrypoint runs again as ${again}`, why: [] });
        }
        break;
      }
      case 'supervisor':
        out.push({
          process: step.argv.map(showField).join(' '),
          user,
          pid1: step.pid1,
          at: where(step),
          note: `supervisor${step.name === 'runsvdir-start' ? " (runit's start script: `runsvdir -P /etc/service`)" : step.name === S6_OVERLAY_INIT ? " (s6-overlay: /init runs its start-up scripts as root, then s6-svscan stays PID 1)" : ''}: starts the services ${step.services.join(', ')} as its children${step.services.length > 1 ? ' (each one is a path of its own)' : ''}`,
          why: [],
        });
        break;
      case 'unknown':
        if (step.userScript) {
          out.push({ process: step.argv.map(showField).join(' '), user, pid1: step.pid1, at: where(step), note: step.reason, why: [] });
          break;
        }
        if (step.fails && step.fails.length > 0) {
          out.push(failedHop(step, step.fails));
          break;
        }
        if (step.supervisor) {
          out.push(...supervisorHops(step.argv, step.runsAs, step.pid1, where(step), step.supervisor));
          break;
        }
        // A program whose file dockerlint cannot read: named by its argv, its behaviour unknown.
        if (step.unread !== undefined) {
          out.push({ process: step.argv.map(showField).join(' '), user, pid1: step.pid1, at: where(step), note: `${step.reason}, so what it does (whether it hands over to another program or changes user) is not known`, why: [] });
          break;
        }
        // supervisord whose configuration is not known: the process is, its programs are not.
        out.push({ process: step.argv[0]?.s && basename(step.argv[0].s) === 'supervisord' ? step.argv.map(showField).join(' ') : '?', user, pid1: step.pid1, at: where(step), note: step.reason, why: [] });
        break;
    }
  }
  // `server &` then `exec tail -f /dev/null`: the jobs run on as children of the keep-alive.
  const main = mainProcessOf(chain);
  const bg = main ? backgroundService(main) : null;
  if (bg?.keeper.kind === 'exec') {
    const keeper = basename(commandOf(bg.keeper.argv).name?.s ?? '');
    const program = out[out.length - 1];
    if (program && chain.hops[chain.hops.length - 1]?.kind === 'program') program.note = `a keep-alive${program.pid1 ? ', PID 1' : ''}: it only keeps the container running, while the services run as the background children below`;
    const passes = main?.init?.group ? `${main.init.name} signals the whole process group, so SIGTERM reaches it too` : `\`${keeper}\` passes no signal on, so \`docker stop\` never reaches it`;
    for (const c of jobHops(bg.jobs, launch)) {
      c.hop.note = `${c.hop.note?.replace(/^background child of the shell/, `background child of the shell, left running when it exec'd: now a child of \`${keeper}\`; ${passes}`)}`;
      out.push(c.hop, ...c.programs);
    }
  }
  return out;
}

/** `/sbin/init`, `/usr/sbin/init`, `systemd`: the system's own init, not a tini-like one. */
function systemInit(name: string): boolean {
  return name === '/sbin/init' || name === '/usr/sbin/init' || basename(name) === 'systemd';
}

function systemInitRole(pid1: boolean): string {
  return `the system's init (systemd, or sysvinit)${pid1 ? ', PID 1' : ''}: the main process, which boots the system in the container and starts the services the image enables (systemd: each as the User= of its unit); it does not run its arguments as a command`;
}

/**
 * A script every path of which ends in an error exit (`echo usage; exit 1`): the first such exit,
 * where the container stops with no main process. On the user-command run, the script was given
 * the command and did not run it: it took the word as one of its own and rejected it.
 */
function failedHop(step: Step & { kind: 'unknown' }, fails: Ending[]): Hop {
  const e = fails[0] as Ending;
  const exit = e.cmd ? cmdText(e.cmd.file.text.slice(e.cmd.stmt.p[2], e.cmd.stmt.e[2])) : 'exit';
  const place = e.cmd ? at(e.cmd.file, e.cmd.stmt) : where(step);
  const last = e.last[0];
  const fn = last && last.via.length > 0 ? ` in ${last.via[last.via.length - 1]}` : '';
  const before = last ? ` after ${shellQuote(cmdText(last.file.text.slice(last.stmt.p[2], last.stmt.e[2])))}${fn} (${at(last.file, last.stmt)})` : '';
  const given = step.argv.some((f) => f.s === USER_COMMAND);
  const others = fails.length > 1 ? ` (${fails.length - 1} other error ${fails.length === 2 ? 'exit' : 'exits'} on paths dockerlint cannot decide)` : '';
  const code = e.code?.s ? ` ${e.code.s}` : ' with an error';
  const how = given ? `the user's command is not run: the script takes the word as one of its own arguments and rejects it, exiting${code} here${before}` : `the script exits${code} here${before}`;
  return {
    process: exit,
    user: showUser(step.runsAs),
    pid1: step.pid1,
    at: place,
    note: `${how}; every path of this run ends in such an error exit${others}, so the container stops with no main process`,
    why: reasons(e.why),
  };
}

/**
 * A script that waits on its background jobs: the `wait` hop (the shell, still PID 1 if it was,
 * with what SIGTERM does to it), then each job as its child, as the user it runs as.
 */
function waitHops(step: Step & { kind: 'script' | 'shell' }, e: Ending, launch: Launch): Hop[] {
  const w = e.waited as NonNullable<Ending['waited']>;
  const children = jobHops(w.jobs, launch);
  const t = w.term;
  const signal = signalNote(t, step.pid1);
  const after = e.kind === 'exec' && e.cmd ? `exec ${cmdText(e.cmd.file.text.slice(e.cmd.stmt.p[2], e.cmd.stmt.e[2])).replace(/^exec\s+/, '')} at ${at(e.cmd.file, e.cmd.stmt)}` : e.kind === 'exit' && e.cmd ? `exit at ${at(e.cmd.file, e.cmd.stmt)}` : 'the end of the script';
  const jobs = children.map((c) => c.hop);
  const text = w.at.file.text.slice(w.at.stmt.p[2], w.at.stmt.e[2]);
  const kids = jobs.map((c) => `${c.process.replace(/\s*&$/, '')} as ${c.user}`).join(', ');
  // A loop that polls a job (`while kill -0 "$pid"; do sleep 5; done`) holds the shell as a wait does.
  const polled = w.poll ? jobHops(w.poll.jobs, launch).map((c) => c.hop.process.replace(/\s*&$/, '')).join(', ') : '';
  const test = w.poll ? cmdText(w.poll.text) : '';
  const waitHop: Hop = {
    process: `${cmdText(text)}${text.includes('\n') ? ' …' : ''}`,
    user: showUser(step.runsAs),
    pid1: step.pid1,
    at: at(w.at.file, w.at.stmt),
    note: w.poll
      ? `a loop that polls ${polled} (${shellQuote(test)}): the shell stays${step.pid1 ? ' PID 1' : ''} in it for as long as that runs, with its background children (${kids}); ${signal}; only after ${polled} exits does the script go on, to ${after}`
      : `the shell stays${step.pid1 ? ' PID 1' : ''} and waits on its background children (${kids}); ${signal}; only after they exit does the script go on, to ${after}`,
    why: reasons(w.why),
    waits: jobs.map((c) => ({ process: c.process, user: c.user, at: c.at })),
    signals: signalsOf(t),
  };
  return [waitHop, ...children.flatMap((c) => [c.hop, ...c.programs])];
}

/**
 * A script whose shell runs an endless loop (`while true; do sleep 1000; done`): it stays there
 * (PID 1, if it is) for the container's life, its body's last command its child each time round.
 */
function loopHops(step: Step & { kind: 'script' | 'shell' }, e: Ending, launch: Launch): Hop[] {
  const l = e.loop as NonNullable<Ending['loop']>;
  const jc = e.running ?? null;
  const children = jobHops(jc?.jobs ?? [], launch);
  const jobs = children.map((c) => c.hop);
  const last = e.last[0];
  const body = last ? `, running ${cmdText(last.file.text.slice(last.stmt.p[2], last.stmt.e[2])).replace(/\s*;$/, '')} (${at(last.file, last.stmt)}) as its child each time round` : '';
  const kids = jobs.length > 0 ? `; its background children: ${jobs.map((c) => `${c.process.replace(/\s*&$/, '')} as ${c.user}`).join(', ')}` : '';
  const text = l.file.text.slice(l.stmt.p[2], l.stmt.e[2]);
  const loopHop: Hop = {
    process: `${cmdText(text)}${text.includes('\n') ? ' …' : ''}`,
    user: showUser(e.user),
    pid1: step.pid1,
    at: at(l.file, l.stmt),
    note: `a loop that never ends: the shell stays${step.pid1 ? ' PID 1' : ''} in it, and the container runs as long${body}${kids}; ${signalNote(jc?.term ?? null, step.pid1)}`,
    why: reasons(e.why),
    ...(jobs.length > 0 ? { waits: jobs.map((c) => ({ process: c.process, user: c.user, at: c.at })) } : {}),
    signals: signalsOf(jc?.term ?? null),
  };
  return [loopHop, ...children.flatMap((c) => [c.hop, ...c.programs])];
}

function at(f: { path: string; spanOf: CmdRef['file']['spanOf'] }, stmt: { p: [number, number, number]; e: [number, number, number] }): string {
  return `${f.path}:${f.spanOf(stmt.p, stmt.e).line}`;
}

function signalsOf(t: TermTrap | null): NonNullable<Hop['signals']> {
  return t ? { trap: at(t.at.file, t.at.stmt), action: t.action, forwards: t.kills } : { trap: null, action: null, forwards: false };
}

/** What SIGTERM (`docker stop`) does to a shell that stays. */
function signalNote(t: TermTrap | null, pid1: boolean): string {
  if (!t) return pid1 ? 'no TERM trap: the shell is PID 1, so SIGTERM is dropped and not forwarded; `docker stop` kills everything after its timeout' : 'no TERM trap: SIGTERM stops the shell and is not forwarded to its children';
  if (t.action === '') return `the TERM trap at ${at(t.at.file, t.at.stmt)} ignores SIGTERM: it is not forwarded`;
  if (t.kills && t.signal) return `SIGTERM is not passed on as such: the TERM trap at ${at(t.at.file, t.at.stmt)} runs ${shellQuote(short(t.action))}, which sends ${/^\d+$/.test(t.signal) ? `signal ${t.signal}` : `SIG${t.signal}`} to the children instead`;
  if (t.kills) return `SIGTERM is forwarded: the TERM trap at ${at(t.at.file, t.at.stmt)} runs ${shellQuote(short(t.action))}, which signals the children`;
  if (t.inert) return `SIGTERM is not passed on: the TERM trap at ${at(t.at.file, t.at.stmt)} runs ${shellQuote(short(t.action))}, which only prints or exits, so the children are SIGKILLed when the container stops`;
  return `SIGTERM is not passed on as such: the TERM trap at ${at(t.at.file, t.at.stmt)} runs ${shellQuote(short(t.action))} instead, which kills no child itself`;
}

/** The shell's background jobs as its children, each as the user it runs as (supervisord's programs below it). */
function jobHops(jobList: readonly Job[], launch: Launch): { hop: Hop; programs: Hop[] }[] {
  return jobList.map((j) => {
    // The job's program: the last one it ran (a function's daemon, a pipeline's last command).
    const main = j.cmds[j.cmds.length - 1];
    const user = main ? commandUser(main.argv, main.user) : j.user;
    const text = cmdText(j.file.text.slice(j.stmt.p[2], j.stmt.e[2]));
    // Its command line when the words are expansions whose values are known (`"$@" &` in a
    // function given `/opt/app/run.sh`): what runs, not only how it is written.
    const words = main && main.ref.stmt === j.stmt && main.argv.length > 0 && main.argv.every((f) => f.s !== null && !f.multi) ? showArgv(main.argv) : null;
    const runs =
      main && main.ref.stmt !== j.stmt
        ? `; it runs ${cmdText(main.ref.file.text.slice(main.ref.stmt.p[2], main.ref.stmt.e[2]))} (${at(main.ref.file, main.ref.stmt)})`
        : words !== null && words !== text.replace(/\s*&$/, '')
          ? `; it runs ${cmdText(words)}`
          : '';
    const hop: Hop = { process: text, user: showUser(user), pid1: false, at: at(j.file, j.stmt), note: `background child of the shell${runs}`, why: [] };
    // supervisord started in the background: its programs are its children.
    const t = main ? commandOf(main.argv) : null;
    const conf = t?.name?.s && basename(t.name.s) === 'supervisord' ? launch.supervisor?.(t.rest.map((f) => (f.multi ? null : f.s))) : null;
    if (!conf || !t?.name) return { hop, programs: [] };
    const [sup, ...programs] = supervisorHops([t.name, ...t.rest], user, false, hop.at, conf);
    hop.note = `${hop.note}; ${sup?.note ?? ''}`;
    if (sup?.programs) hop.programs = sup.programs;
    return { hop, programs };
  });
}

/**
 * supervisord and the programs of its configuration, each as its child with the user it runs as:
 * `user=` when supervisord is root (after `[supervisord] user=` or `-u`, which it switches to
 * itself), else supervisord's own user.
 */
function supervisorHops(argv: Field[], runsAs: UserValue, pid1: boolean, at: string, conf: SupervisorConfig): Hop[] {
  const own = conf.user && runsAs.root === true ? userFromSpec(conf.user, `[supervisord] user=${conf.user}`) : runsAs;
  const switched = conf.user && runsAs.root === true && own.root !== true ? `; it switches to ${conf.user} itself ([supervisord] user=)` : '';
  const started = conf.programs.filter((p) => p.autostart);
  const empty = conf.emptyIncludes.length > 0 ? `; the build puts no file in ${conf.emptyIncludes.join(', ')}` : '';
  const unknown = conf.unknownIncludes.length > 0 ? `; the files of ${conf.unknownIncludes.join(', ')} are not known (not from the build context), so there may be more` : '';
  const hops: Hop[] = [
    {
      process: argv.map(showField).join(' '),
      user: showUser(runsAs),
      pid1,
      at,
      note: `supervisor: starts the programs of ${conf.files.join(', ')} (${conf.how}) as its children${started.length === 0 ? ' (none with a command and autostart)' : ''}${switched}${empty}${unknown}`,
      why: [],
      programs: started.map((p) => ({ name: p.name, user: showUser(programUser(p.user, own)), at: p.at })),
    },
  ];
  for (const p of started) {
    const user = programUser(p.user, own);
    const cannot = p.user && own.root !== true && p.user !== own.name ? `; supervisord is not root, so it cannot switch to ${p.user}: the program fails to start` : '';
    hops.push({ process: cmdText(p.command), user: showUser(cannot ? own : user), pid1: false, at: p.at, note: `[program:${p.name}] of supervisord, its child${p.user ? ` (user=${p.user})` : ''}${cannot}`, why: [] });
  }
  return hops;
}

function programUser(user: string | null, own: UserValue): UserValue {
  if (!user || own.root !== true) return own;
  return userFromSpec(user, `user=${user}`);
}

/**
 * What `runuser -u app -- cmd`, `su app -c "cmd"` or `sudo -u app cmd` runs: its child, as the
 * target user (the chain of the model ends at the switch, which stays the process).
 */
function forkedChild(step: Step & { kind: 'forking-switch' }): Hop[] {
  const sw = parseSwitch(step.tool, step.argv.slice(1));
  if (!sw) return [];
  const process = sw.commandString !== null ? sw.commandString : sw.rest.map(showField).join(' ');
  if (process.trim() === '') return [];
  return [{ process: cmdText(process), user: showUser(step.target), pid1: false, at: where(step), note: `the main process, a child of ${step.tool}${sw.commandString !== null ? ' (run by a shell)' : ''}`, why: [] }];
}

/** The word `exec`, as written. */
function isExec(w: { parts: { type: string; value?: string }[] } | undefined): boolean {
  return !!w && w.parts.length === 1 && w.parts[0]?.type === 'Lit' && w.parts[0].value === 'exec';
}

function configured(required: string[]): string {
  return `(what follows is the configured run, where ${required.length === 1 ? 'it is' : 'they are'} set)`;
}

/** `exits 1 at entrypoint.sh:40 unless DB_HOST is set`, for each required variable of a script hop. */
function requiredChecks(step: Step & { kind: 'script' | 'shell' }): string[] {
  return (step.required ?? []).map((r) => {
    const line = r.exit.file.spanOf(r.exit.stmt.p, r.exit.stmt.e).line;
    return `${r.bare ? 'stops' : `exits${r.code !== null ? ` ${r.code}` : ' with an error'}`} at ${r.exit.file.path}:${line} unless ${r.name} is set`;
  });
}

/**
 * The decisions worth showing: those about the arguments and the user (`$1 = postgres (from
 * CMD)`, `$(id -u) = 0 (no USER)`), each once, the last few.
 */
function reasons(why: { text: string }[]): string[] {
  const out: string[] = [];
  for (const d of why) if (/\((from |the user command|no USER|USER |--user|.* runs as )/.test(d.text) && !out.includes(d.text)) out.push(d.text);
  return out.slice(-4);
}

/** A user switch given a user and no command: what it does instead of switching. */
function noCommandNote(step: Step & { kind: 'switch' }): string {
  return `same PID: ${step.tool} is given no command (only the user ${step.user ?? '?'}): it prints its usage and exits without switching, and the container stops; there is no main process on this run (the image is meant to be given a command)`;
}

/** The user after the hops that the exec at hop `i` starts (its switchers). */
function nextUser(chain: Chain, i: number): UserValue {
  let user = (chain.hops[i] as Step).runsAs;
  for (let j = i + 1; j < chain.hops.length; j++) {
    const h = chain.hops[j] as Step;
    user = h.runsAs;
    if (h.kind !== 'switch') break;
  }
  return user;
}

function cmdText(s: string): string {
  return short(s.replace(/\\\n\s*/g, ' ').split('\n')[0] ?? s);
}

function short(s: string): string {
  return oneLine(s, 60);
}

function formatRun(lines: string[], r: RunExplanation): void {
  r.hops.forEach((h, i) => {
    lines.push(`${String(i + 1).padStart(2)}. ${h.pid1 ? 'PID 1' : 'child'}  ${h.process}  [user ${h.user}]  ${h.at}`);
    if (h.why && h.why.length > 0) lines.push(`      because ${h.why.join(', ')}`);
    if (h.note) lines.push(`      ${h.note}`);
  });
  lines.push('', r.summary);
  if (r.otherPaths > 0) lines.push(`(${r.otherPaths} other ${r.otherPaths === 1 ? 'path depends' : 'paths depend'} on conditions dockerlint cannot decide)`);
  if (r.incomplete) lines.push(`(not fully known: ${r.incomplete})`);
}

export function formatExplanation(e: Explanation): string {
  const lines = [
    `${e.dockerfile} (stage ${e.stage})`,
    `argv of PID 1: ${e.argv.length ? JSON.stringify(e.argv) : '(none: the base image decides)'}`,
    `starts as: ${e.startUser}`,
    ...(e.entrypointUnknown ? [e.entrypointUnknown] : []),
    ...(e.runtime ? [e.runtime] : []),
    '',
    'docker run IMAGE:',
  ];
  formatRun(lines, { run: 'docker run IMAGE', argv: e.argv, hops: e.hops, summary: e.summary, otherPaths: e.otherPaths ?? 0, incomplete: e.incomplete ?? null });
  if (e.userCommand) {
    lines.push('', 'docker run IMAGE <command>:');
    formatRun(lines, e.userCommand);
  }
  lines.push('');
  return lines.join('\n');
}

/** `source /usr/local/bin/docker-php-entrypoint`: the exec ending is a base-image program sourced into the shell. */
function sourcesProgram(ref: CmdRef): boolean {
  const w = ref.call.args[0];
  const name = w ? ref.file.text.slice(w.p[2], w.e[2]) : '';
  return name === '.' || name === 'source';
}
