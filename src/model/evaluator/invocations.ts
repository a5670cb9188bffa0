/**
 * The concrete runs of an image that the PID 1 questions are asked about, and the chain of
 * processes each run goes through:
 *
 * - `default`: `docker run IMAGE`: argv = ENTRYPOINT + CMD, the start user from USER or the base
 *   image, the ENV defaults, every other variable unset;
 * - `user-command`: `docker run IMAGE <command>`: argv = ENTRYPOINT + a command the image does not
 *   know (what `exec "$@"` is for);
 * - `non-root`: `docker run --user 1000 IMAGE` (Launch.nonRoot(), followed only when asked: no rule
 *   judges it).
 *
 * Each run starts at PID 1's argv and follows it hop by hop: inits (`tini --`), user switches
 * (`gosu app`), shells (`sh -c "..."`, `bash x.sh`), and the scripts the image got from the build,
 * which the interpreter runs for exactly these arguments and this user; whatever a script execs is
 * the next hop. A script that ends without exec'ing ends its chain: it stays the process, and its
 * last command ran as its child.
 */
import path from 'node:path';
import type { Instruction } from '../../parsers/dockerfile.js';
import type { ShellFile } from '../../parsers/shell-ast.js';
import { NAME } from '../../parsers/variables.js';
import { basename, doasOptions, execSwitcherAt, FORKING_USER_SWITCHERS, START_STOP_DAEMON, startStopDaemonSwitch } from '../commands.js';
import { handedCommandAt, isWellKnownProgram } from '../known-programs.js';
import { isPythonInterpreter } from '../python-program.js';
import { takesValue, unwrapPrefixes, type CommandPrefix } from '../prefixes.js';
import type { ImageProgram, StepDown } from '../base-images.js';
import type { ResolvedCommand } from '../image-fs.js';
import type { Stage } from '../image.js';
import type { Arg } from '../pid1.js';
import type { Evidence, ScriptUnit } from '../launch.js';
import type { SupervisorConfig } from '../supervisord.js';
import { forUser, interpret, readsUser, type Ending, type Host, type ScriptRun } from './interpreter.js';
import type { CmdRef, Decision, ScriptFile, Var } from './state.js';
import { clusterValueCount, CONFIGURED, lit, showArgv, showField, showUser, UNKNOWN, userFromSpec, USER_COMMAND, type Field, type UserValue } from './values.js';

/**
 * User switches that need a command: given only a user, they print their usage and exit without
 * running anything (`chroot` and `doas -s` start a shell instead, so they are not here).
 */
const USAGE_WITHOUT_COMMAND = new Set(['gosu', 'su-exec', 's6-setuidgid', 'setuidgid', 'setpriv', 'chpst', 'clickhouse su']);

export type InvocationKind = 'default' | 'user-command' | 'non-root';

interface HopBase {
  at: Evidence;
  /** The user this process runs as. */
  runsAs: UserValue;
  /** It holds PID 1 (every hop before it exec'd). */
  pid1: boolean;
  /** The decisions that chose the path to this hop: `$1 = postgres (from CMD)`. */
  why: Decision[];
  /** The word that started it (for Dockerfile words, their instruction). */
  arg: Arg;
  /** Its command line. */
  argv: Field[];
}

export type Step =
  | (HopBase & { kind: 'init'; name: string; /** signals reach the whole process group (`tini -g`, dumb-init) */ group: boolean; /** named by the script's `#!` line, where it can take no option of its own */ shebang?: true })
  | (HopBase & {
      kind: 'switch';
      tool: string;
      user: string | null;
      toRoot: boolean;
      target: UserValue;
      /** It was given a user and no command (`exec gosu app "$@"` with no arguments): it prints its usage and exits, so the chain has no main process. */
      noCommand?: true;
    })
  | (HopBase & { kind: 'forking-switch'; tool: string; user: string | null; toRoot: boolean; target: UserValue })
  | (HopBase & {
      kind: 'shell';
      unit: ScriptUnit;
      run: ScriptRun | null;
      shellForm: boolean;
      shellArgv: string[];
      /**
       * `sh -c 'string' a b c`: the word after the string (`a`), which the shell makes `$0`, not
       * part of `$@` (`b c`); null when there is none (`$0` is then the shell's name). `argv[shellArgv.length]` is the string.
       */
      zero: Field | null;
      ending: Ending | null;
      required?: Required[];
    })
  | (HopBase & { kind: 'script'; unit: ScriptUnit; run: ScriptRun | null; /** exec'd itself (needs +x and a shebang), not run by `sh script` */ direct: boolean; ending: Ending | null; required?: Required[] })
  | (HopBase & {
      kind: 'program';
      name: string;
      args: string[];
      resolved: ResolvedCommand | null;
      /** the user's command of the user-command run */
      userCommand: boolean;
      /** Why the user of what finally runs is not known: the program may hand over or switch user itself (a Python start script's `os.execve` of gosu). */
      handover?: string;
      /** Its text was read as Python (this file) and names no hand-over: it is the main process itself. */
      read?: { language: 'python'; file: string };
    })
  | (HopBase & {
      kind: 'image-program';
      /** A program of the base image whose behaviour is modelled (it execs what `next` says, as the same user). */
      program: ImageProgram;
      /** The base image's ENTRYPOINT, inherited because no stage sets one. */
      inherited: boolean;
      /** What it does with its arguments on this run: `\`node\` is a command: it runs it as it is`. */
      handled: string;
      /** It re-ran itself as this user (the docker-library step-down) before it exec'd its next command. */
      becomes?: UserValue;
    })
  | (HopBase & { kind: 'supervisor'; name: string; /** the run scripts of its services, each followed as a chain of its own */ services: string[] })
  | (HopBase & {
      kind: 'unknown';
      reason: string;
      missing?: string;
      /**
       * The program runs (its argv is known), but its file is not one dockerlint can read: not
       * provided by the build context, or from another image or a build output. What it does,
       * whether it hands over to another program or changes user, is not known. The name as written.
       */
      unread?: string;
      /** supervisord: its programs, from the configuration the build provides (shown by explain, not followed) */ supervisor?: SupervisorConfig;
      /**
       * Every path of the script ends in an error exit (`echo usage; exit 1`): those endings, in
       * the script's order. There is no main process on this run; the rules, which judge the
       * image's main path, see only that it is not known.
       */
      fails?: Ending[];
      /** A shell given the user's command where it takes a script file (`ENTRYPOINT ["/bin/bash"]`): it reads no such script, and the command is not run. */
      userScript?: true });

/**
 * A required-configuration check: with every variable unset (the default run) the script exits
 * with an error (or a bare `exit` after its message) at `exit` unless `name` is set. The run shown and judged is the configured one.
 */
export interface Required {
  name: string;
  exit: CmdRef;
  code: string | null;
  /** The check ends with a bare `exit` (the status of the message printed before it). */
  bare?: true;
}

export interface Chain {
  hops: Step[];
  /** The chain ends in a script that does not exec: how it ended. */
  end: { hop: Step & { kind: 'script' | 'shell' }; ending: Ending } | null;
}

export interface Run {
  kind: InvocationKind;
  startUser: UserValue;
  /** PID 1's words; a field's `arg` indexes them. */
  args: Arg[];
  chains: Chain[];
  /** Why some of the run is not known (a budget, a loop); nothing may be concluded from the rest. */
  truncated: string | null;
}

/** A file that is run and not followed (a binary, a script in a language other than the shell's). */
export interface LoadedProgram {
  program: true;
  /** See the program step's `handover`. */
  handover?: string;
  /** See the program step's `read`. */
  read?: { language: 'python'; file: string };
}

/** What the resolver needs from the launch model: the image, and loading scripts. */
export interface Resolver {
  stage: Stage;
  env: Map<string, string | null>;
  resolveCommand(name: string): ResolvedCommand | null;
  /** Like `resolveCommand`, but only a file a COPY or ADD names: no guess that a copied folder holds it. */
  knownCommand(name: string): ResolvedCommand | null;
  /** A file from the image that is run: a parsed unit, or why it cannot be followed. */
  loadFile(resolved: ResolvedCommand, forcedInterpreter: string | null, at: Evidence, argv: Arg[]): Promise<ScriptUnit | LoadedProgram | { unknown: string }>;
  /** `sh -c "string"`. */
  loadInline(text: string, arg: Arg, interpreter: string, at: Evidence): Promise<ScriptUnit>;
  /** The parser and source lookup for a unit. */
  host(unit: ScriptUnit): Promise<Host | null>;
  dockerfilePath: string;
  /** The path of a file that a COPY/ADD in the build context should have provided, when none does. */
  missingScript(value: string): boolean;
  /**
   * Why a path no COPY or ADD provides may still be in the image: a COPY whose destination, or a
   * WORKDIR it is relative to, uses a build argument with no known value. Null when nothing could put it there.
   */
  unknownPlace(value: string): string | null;
  /**
   * Why the base image's ENTRYPOINT is not known when no stage sets one (`FROM $BUILD_FROM`): the
   * CMD may then be its child, not PID 1. Null when it is known (none, or a modelled one).
   */
  entrypointUnknown?: string | null;
  /** `runsvdir /etc/service`: the `run` scripts of the services the build puts in the folder, or null when not known. */
  serviceScripts(dir: string, longrunsOnly?: boolean): string[] | null;
  /** `supervisord [-c file]`: its configuration from the build, or null when not known. */
  supervisorConfig?(args: (string | null)[]): SupervisorConfig | null;
  /**
   * The base image's ENTRYPOINT when no stage sets one and its behaviour is modelled (node's
   * `docker-entrypoint.sh`): it runs first, with PID 1's argv (the CMD) as its arguments.
   */
  inheritedEntrypoint?: { program: ImageProgram; at: Evidence } | null;
  /** A program of the base image whose behaviour is modelled, by the word that runs it (`apache2-foreground`), when the build does not provide that file. */
  imageProgram?(name: string): ImageProgram | null;
}

/** The name of s6-overlay's `/init` in chains: an init with a command, the services' supervisor without. */
export const S6_OVERLAY_INIT = 's6-overlay /init';
/** Process supervisors: the main processes are their services, configured elsewhere. */
export const SUPERVISORS: ReadonlySet<string> = new Set(['runsvdir', 'runsvdir-start', 'runsv', 'supervisord', 'supervisor', 's6-svscan', 's6-rc', 'monit', 'circusd']);
const INITS = new Set(['tini', 'tini-static', 'dumb-init', 'catatonit', 'docker-init', 'init']);
/** tini shipped under a name of the image's own or of its release file: `as-tini-static`, `tini-static-amd64`, `tini-arm64`. */
const TINI_BUILD = /^([a-z0-9]+-)?tini(-static)?(-(amd64|arm64|armhf|armel|i386|ppc64le|s390x|muslc-amd64))?$/;
export const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'busybox']);
const MAX_HOPS = 24;
const MAX_CHAINS = 16;

interface Item {
  hops: Step[];
  argv: Field[];
  args: Arg[];
  runsAs: UserValue;
  pid1: boolean;
  at: Evidence;
  why: Decision[];
}

/** Follows one run from PID 1's argv. `args` are the Dockerfile words (`argv[i].arg` indexes them). */
export async function followRun(kind: InvocationKind, argv: Field[], args: Arg[], startUser: UserValue, r: Resolver): Promise<Run> {
  const run: Run = { kind, startUser, args, chains: [], truncated: null };
  const first = args[0];
  if (!first || argv.length === 0) return run;
  const cache = new Map<string, ConfiguredRun>();
  const at = evidenceOf(r, first.setting.instruction);
  const work: Item[] = [{ hops: [], argv, args, runsAs: startUser, pid1: true, at, why: [] }];
  // An ENTRYPOINT of a base image the build chooses may run the CMD as its child: not PID 1.
  if (r.entrypointUnknown) (work[0] as Item).pid1 = false;
  const inherited = r.inheritedEntrypoint;
  if (inherited && r.resolveCommand(inherited.program.path)) {
    // The build replaced that file with its own: it is what the inherited ENTRYPOINT runs.
    (work[0] as Item).argv = [lit(inherited.program.path), ...argv];
  } else if (inherited) {
    // The base image's ENTRYPOINT runs first, given the CMD; what it execs is the next hop.
    const next = imageProgramNext(inherited.program, argv, startUser, r);
    const item = work[0] as Item;
    const arg0 = lit(shownName(inherited.program.path));
    item.hops = [{ at: inherited.at, runsAs: startUser, pid1: true, why: [], arg: first, argv: [arg0, ...argv], kind: 'image-program', program: inherited.program, inherited: true, handled: next.handled, ...(next.becomes ? { becomes: next.becomes } : {}) }];
    item.argv = next.argv;
    if (next.becomes) item.runsAs = next.becomes;
  }
  while (work.length > 0) {
    const item = work.shift() as Item;
    if (run.chains.length + work.length >= MAX_CHAINS) {
      run.truncated = `more than ${MAX_CHAINS} different start-up chains`;
      // The chains already under way are followed to their end (the first is the main path explain
      // shows); the others are left out. The run stays marked as not fully known.
      work.splice(Math.max(0, MAX_CHAINS - run.chains.length - 1));
    }
    await follow(item, run, work, cache, r);
  }
  // The chains that hand over first: the main path explain shows, before the scripts that stay
  // or end (a one-shot branch, an error path whose exit status is not known).
  run.chains.sort((a, b) => (a.end ? 1 : 0) - (b.end ? 1 : 0));
  return run;
}

function evidenceOf(r: Resolver, inst: Instruction): Evidence {
  return { file: r.dockerfilePath, span: inst.keywordSpan, label: inst.keyword };
}

/** The Dockerfile word for a field, or a stand-in for a word a script wrote. */
function argOf(f: Field, item: Item): Arg {
  const base = item.args[0] as Arg;
  if (f.arg !== undefined && item.args[f.arg] && !f.mangled) return item.args[f.arg] as Arg;
  return { value: f.s ?? '', origin: base.origin, setting: base.setting, fromShell: false, script: null };
}

async function follow(item: Item, run: Run, work: Item[], cache: Map<string, ConfiguredRun>, r: Resolver): Promise<void> {
  let { argv, runsAs, pid1, at } = item;
  const hops = item.hops;
  const base = { why: item.why };
  const push = (h: Step): void => {
    hops.push(h);
  };
  const end = (): void => {
    const last = hops[hops.length - 1];
    if (last?.kind === 'program' && !last.userCommand && !last.handover && !last.read) {
      const handover = wrapperHandover(r, last);
      if (handover) last.handover = handover;
    }
    run.chains.push({ hops, end: null });
  };
  while (argv.length > 0) {
    if (hops.length >= MAX_HOPS) {
      run.truncated = `more than ${MAX_HOPS} hops`;
      return end();
    }
    const a0 = argv[0] as Field;
    const arg = argOf(a0, item);
    // A Dockerfile word handed on by a script (`exec "$@"` with CMD) is where that word is written.
    const word = a0.arg !== undefined && !a0.mangled ? item.args[a0.arg] : undefined;
    const fromDockerfile = !!word && word.value === a0.s;
    if (fromDockerfile && word && hops.length > 0) at = evidenceOf(r, word.setting.instruction);
    const common = { at, runsAs, pid1, ...base, arg, argv };
    if (a0.s === null || a0.multi) {
      push({ ...common, kind: 'unknown', reason: 'the command comes from a value dockerlint cannot know' });
      return end();
    }
    if (a0.s === USER_COMMAND) {
      push({ ...common, kind: 'program', name: showField(a0), args: argv.slice(1).map(showField), resolved: null, userCommand: true });
      return end();
    }
    const value = a0.s;
    const name = basename(value);
    // `/sbin/init` and `/usr/sbin/init` are the system's own init (systemd, or sysvinit): the main
    // process itself, not a tini-like init that runs a child.
    const systemInit = value === '/sbin/init' || value === '/usr/sbin/init';
    if ((INITS.has(name) || TINI_BUILD.test(name) || value === '/init') && !systemInit && !(await readScript(r, value, at, argv, item))) {
      const { rest, group } = initOptions(TINI_BUILD.test(name) ? 'tini' : name, argv.slice(1));
      // s6-overlay with no command: /init becomes s6-svscan, PID 1, and its services are the main
      // processes, each from its `run` script (v3's longruns in /etc/s6-overlay/s6-rc.d, v2's
      // /etc/services.d).
      const s6Alone = rest.length === 0 && value === '/init';
      const services = s6Alone ? s6OverlayServices(r) : null;
      if (services) {
        const hop: Step = { ...common, kind: 'supervisor', name: S6_OVERLAY_INIT, services };
        for (const script of services) work.push({ hops: [...hops, hop], argv: [lit(script)], args: item.args, runsAs, pid1: false, at, why: item.why });
        return;
      }
      push({ ...common, kind: 'init', name: value === '/init' ? S6_OVERLAY_INIT : name, group });
      if (s6Alone) {
        push({ ...common, pid1: false, kind: 'unknown', reason: 's6-overlay starts the services of /etc/s6-overlay/s6-rc.d and /etc/services.d, where the build puts no run script dockerlint can read (or a copy from a stage or an image may put some)' });
        return end();
      }
      argv = rest;
      pid1 = false;
      continue;
    }
    if (name === 'env') {
      const split = envSplitString(argv);
      if (!split) {
        push({ ...common, kind: 'unknown', reason: 'env -S splits a string dockerlint cannot read (an unknown value, an escape or a ${VAR} in it)' });
        return end();
      }
      argv = split.slice(afterEnvOptions(split, 1));
      continue;
    }
    if (name === 'with-contenv') {
      // s6-overlay's wrapper: the container's environment, then its command, in the same process.
      argv = argv.slice(1);
      continue;
    }
    if (name === 'exec' || name === 'nohup' || name === 'nice') {
      // With their options (`nice -n 10 server`, `exec -a name server`): the command after them.
      const u = unwrapPrefixes(argv, (f) => (f.multi ? null : f.s), RUN_PREFIXES);
      argv = argv.slice(u.start > 0 ? u.start : 1);
      continue;
    }
    // Supervisors start the services of a folder, each with its own run script and user: runit's
    // and s6's are followed when the build puts them there (`COPY run /etc/service/app/run`).
    // runit's start script as its packages install it (`/sbin/runsvdir-start`): `runsvdir -P
    // /etc/service`. One the build provides is read as the script it is.
    const ownStart = name === 'runsvdir-start' && r.resolveCommand(value) !== null;
    if (SUPERVISORS.has(name) && !ownStart) {
      const dir = name === 'runsvdir-start' ? '/etc/service' : name === 'runsvdir' || name === 's6-svscan' ? argv.slice(1).find((f) => f.s !== null && !f.multi && !f.s.startsWith('-'))?.s ?? (name === 's6-svscan' ? '.' : null) : null;
      const services = dir !== null && dir.startsWith('/') ? r.serviceScripts(dir) : null;
      if (!services || services.length === 0) {
        if (name === 'supervisord') {
          // Its programs come from its configuration file: explain shows them when the build
          // provides it; the rules do not judge them (what runs stays unknown to them).
          const conf = r.supervisorConfig?.(argv.slice(1).map((f) => (f.multi ? null : f.s))) ?? null;
          push({
            ...common,
            kind: 'unknown',
            reason: conf ? `supervisord starts the programs of its configuration (${conf.files.join(', ')}) as its children` : "supervisord starts the programs of its configuration, which is not in the build context: supervisord's programs are not known",
            ...(conf ? { supervisor: conf } : {}),
          });
          return end();
        }
        const reason = name === 'runsvdir-start' ? "runsvdir-start (runit's start script: `runsvdir -P /etc/service`) starts the services of /etc/service, where the build puts no run script dockerlint can read" : `${name} starts the services it is configured with, whose run scripts dockerlint does not know`;
        push({ ...common, kind: 'unknown', reason });
        return end();
      }
      const hop: Step = { ...common, kind: 'supervisor', name, services };
      for (const script of services) {
        work.push({ hops: [...hops, hop], argv: [lit(script)], args: item.args, runsAs, pid1: false, at, why: item.why });
      }
      return;
    }
    const vendor = execSwitcherAt([name, ...argv.slice(1).map((f) => f.s)], 0);
    if (vendor || FORKING_USER_SWITCHERS.has(name)) {
      // gosu and friends, and vendor ones (`clickhouse su user:group cmd`).
      const tool = vendor?.tool ?? name;
      const sw = parseSwitch(tool, argv.slice(vendor?.args ?? 1));
      if (!sw) {
        push({ ...common, kind: 'program', name: value, args: argv.slice(1).map(showField), resolved: null, userCommand: false });
        return end();
      }
      const target = sw.user === null ? userFromSpec(null, `${tool} ${sw.userText}`) : userFromSpec(sw.user, `${tool} ${sw.user}`);
      if (!vendor) {
        push({ ...common, kind: 'forking-switch', tool: name, user: sw.user ?? sw.userText, toRoot: target.root === true, target });
        // `su app -c "..."`: the string is parsed and checked like any script (su-sudo says the rest).
        if (sw.commandString !== null) await r.loadInline(sw.commandString, arg, 'sh', at);
        return end();
      }
      if (sw.rest.length === 0 && USAGE_WITHOUT_COMMAND.has(tool)) {
        // A user and no command: the tool prints its usage and exits (status 1) without switching.
        push({ ...common, kind: 'switch', tool, user: sw.user ?? sw.userText, toRoot: target.root === true, target, noCommand: true });
        return end();
      }
      push({ ...common, kind: 'switch', tool, user: sw.user ?? sw.userText, toRoot: target.root === true, target });
      // gosu and friends only switch when they run as root; otherwise they fail (gosu-needs-root).
      runsAs = target;
      argv = sw.rest;
      continue;
    }
    if (SHELLS.has(name)) {
      let i = 1;
      if (name === 'busybox') {
        if (!SHELLS.has(argv[1]?.s ?? '')) {
          push({ ...common, kind: 'program', name: value, args: argv.slice(1).map(showField), resolved: null, userCommand: false });
          return end();
        }
        i = 2;
      }
      let inline = false;
      while (i < argv.length && /^[-+]/.test(argv[i]?.s ?? '')) {
        const opt = argv[i]?.s ?? '';
        if (opt === '--') {
          i++;
          break;
        }
        if (/^-[A-Za-z]*c[A-Za-z]*$/.test(opt)) inline = true;
        // `-o name` and bash's `-O name`, also in a cluster (`-eo pipefail`, `-euo pipefail`): each
        // `o` or `O` takes the next word, which is an option's name, not the script to run.
        i += clusterValueCount(opt, 'oO') ?? 0;
        i++;
      }
      const target = argv[i];
      if (!target || target.s === null || target.multi) {
        push({ ...common, kind: target ? 'unknown' : 'program', ...(target ? { reason: 'the shell runs a value dockerlint cannot know' } : { name: value, args: [], resolved: null, userCommand: false }) } as Step);
        return end();
      }
      const interp = name === 'busybox' ? 'sh' : name;
      const targetArg = argOf(target, item);
      if (inline) {
        const unit = await r.loadInline(target.s, targetArg, interp, at);
        const shellArgv = argv.slice(0, i).map(showField);
        const shellForm = a0.arg !== undefined && !a0.mangled && item.args[a0.arg]?.fromShell === true;
        // `sh -c 'script' arg0 args...`
        const zero = argv[i + 1] ?? null;
        const hop = { ...common, arg: targetArg, kind: 'shell' as const, unit, run: null as ScriptRun | null, shellForm, shellArgv, zero, ending: null as Ending | null };
        const arg0 = zero ?? lit(interp);
        const params = argv.slice(i + 2);
        await runScript(hop, arg0, params, item, hops, run, work, cache, r);
        return;
      }
      if (target.s === USER_COMMAND) {
        // `ENTRYPOINT ["/bin/bash"]` given `docker run IMAGE sh`: the word is the shell's script file.
        push({ ...common, kind: 'unknown', userScript: true, reason: `${interp} takes the user's command as the name of a script file to read, not as a program to run (\`docker run IMAGE sh\` has it read a file named sh, the /bin/sh program or no file at all): it fails, and the command is not run` });
        return end();
      }
      const resolved = resolveScriptPath(r, target.s);
      if (!resolved) {
        const named = target.arg !== undefined && item.args[target.arg]?.value === target.s;
        if (!named) {
          push({ ...common, kind: 'program', name: value, args: argv.slice(1).map(showField), resolved: null, userCommand: false });
          return end();
        }
        const place = r.unknownPlace(target.s);
        push({ ...common, kind: 'unknown', unread: target.s, ...(place ? { reason: place } : { reason: `${target.s} is not provided by any COPY or ADD in the build context`, missing: target.s }) });
        return end();
      }
      const loaded = await r.loadFile(resolved, interp, at, argv.slice(i).map((f) => argOf(f, item)));
      if (!('source' in loaded)) {
        push(nonScript(common, loaded, value, argv, resolved, target.s));
        return end();
      }
      const hop = { ...common, arg: targetArg, kind: 'script' as const, unit: loaded, run: null as ScriptRun | null, direct: false, ending: null as Ending | null };
      await runScript(hop, target, argv.slice(i + 1), item, hops, run, work, cache, r);
      return;
    }
    const resolved = r.resolveCommand(value);
    if (resolved) {
      const loaded = await r.loadFile(resolved, null, at, argv.map((f) => argOf(f, item)));
      if (!('source' in loaded)) {
        if (hops[hops.length - 1]?.kind === 'supervisor') {
          // A service's run file that is no shell script dockerlint reads: an execline script
          // (s6's `#!/command/execlineb -P`), or a file with no `#!` line, which runsv cannot
          // execute until something at run time writes one: what the service runs is not known.
          push({ ...common, kind: 'unknown', reason: `the service's run file ${value} is not a shell script dockerlint can read (no \`#!\` line for sh or bash)`, unread: value });
          return end();
        }
        push(nonScript(common, loaded, value, argv, resolved));
        return end();
      }
      // `#!/usr/bin/dumb-init /bin/sh`: the kernel starts the init, which runs the script as its child.
      const init = loaded.shebang?.init;
      if (init) {
        push({ ...common, kind: 'init', name: init, group: loaded.shebang?.initSignalsGroup === true, shebang: true });
        pid1 = false;
      }
      const hop = { ...common, pid1, kind: 'script' as const, unit: loaded, run: null as ScriptRun | null, direct: true, ending: null as Ending | null };
      await runScript(hop, a0, argv.slice(1), item, hops, run, work, cache, r);
      return;
    }
    // A program of the base image whose behaviour is modelled (`apache2-foreground` on php):
    // it execs its next command, as the same user.
    const modelled = r.imageProgram?.(value) ?? null;
    if (modelled) {
      const next = imageProgramNext(modelled, argv.slice(1), runsAs, r);
      push({ ...common, kind: 'image-program', program: modelled, inherited: false, handled: next.handled, ...(next.becomes ? { becomes: next.becomes } : {}) });
      argv = next.argv;
      if (next.becomes) runsAs = next.becomes;
      continue;
    }
    // Only a path the Dockerfile names must come from the build; one a script names may be the
    // base image's, or made at run time.
    if (fromDockerfile && r.missingScript(value)) {
      const place = r.unknownPlace(value);
      push({ ...common, kind: 'unknown', unread: value, ...(place ? { reason: place } : { reason: `${value} is not provided by any COPY or ADD in the build context`, missing: value }) });
      return end();
    }
    // `python start.py`: the script is read for what it can hand over to (see python-program.ts).
    const script = isPythonInterpreter(name) ? pythonScriptArg(argv) : null;
    const scriptFile = script !== null ? resolveScriptPath(r, script) : null;
    const loaded = scriptFile ? await r.loadFile(scriptFile, name, at, argv.map((f) => argOf(f, item))) : null;
    const handover = loaded && 'program' in loaded ? loaded.handover : undefined;
    const read = loaded && 'program' in loaded ? loaded.read : undefined;
    push({ ...common, kind: 'program', name: value, args: argv.slice(1).map(showField), resolved: null, userCommand: false, ...(handover ? { handover } : {}), ...(read ? { read } : {}) });
    return end();
  }
  end();
}

/**
 * The `run` scripts of the services s6-overlay's `/init` starts: the longruns of s6-rc's source
 * folder (a folder with a `run` file; oneshots have `up`, bundles `contents`) and the legacy
 * /etc/services.d. Null when either folder may hold services dockerlint does not see (a copy from
 * a stage, an image or a URL) or when the build puts none there (they come from the base image).
 */
function s6OverlayServices(r: Resolver): string[] | null {
  const rc = r.serviceScripts('/etc/s6-overlay/s6-rc.d', true);
  const legacy = r.serviceScripts('/etc/services.d');
  if (rc === null || legacy === null) return null;
  const all = [...rc, ...legacy];
  return all.length > 0 ? all : null;
}

/**
 * The command is a shell script the build provides and dockerlint reads (`COPY init /scripts/`
 * with a `#!/bin/bash` line): a script, whatever its name, not the init program of that name.
 */
async function readScript(r: Resolver, value: string, at: Evidence, argv: Field[], item: Item): Promise<boolean> {
  const resolved = r.resolveCommand(value);
  if (!resolved || (resolved.origin.kind !== 'context' && resolved.origin.kind !== 'heredoc')) return false;
  const loaded = await r.loadFile(resolved, null, at, argv.map((f) => argOf(f, item)));
  return 'source' in loaded;
}

/** The name a program on the standard PATH is run by (`docker-entrypoint.sh`), else its path. */
function shownName(p: string): string {
  return /^\/(usr\/local\/bin|usr\/bin|bin)\/[^/]+$/.test(p) ? path.posix.basename(p) : p;
}

/**
 * What a modelled base-image program runs next with these arguments, and how it decided: its
 * fixed command followed by them, or them, with its default command put in front when the first
 * is an option (or none), or with `orScript` a file for that command rather than a command
 * (`index.js` is not on the PATH: node's entrypoint runs `node index.js`).
 */
function imageProgramNext(p: ImageProgram, args: Field[], runsAs: UserValue, r: Resolver): ImageProgramNext {
  const n = p.next;
  if (n.kind === 'command') return { argv: [...n.argv.map(lit), ...args], handled: `it runs \`${[...n.argv, ...args.map(showField)].join(' ')}\`` };
  const first = args[0];
  const prefix = n.prefix;
  const put = (why: string): ImageProgramNext => stepDown(n.stepsDown, [lit(prefix as string), ...args], runsAs, why, `it runs \`${[prefix, ...args.map(showField)].join(' ')}\``, true);
  if (!first) return prefix !== null && n.orScript ? put('it is given no arguments') : { argv: [], handled: 'it is given no arguments: it runs nothing and exits' };
  if (first.s === null || first.multi) return { argv: args, handled: `whether it puts ${prefix === null ? 'anything' : `\`${prefix}\``} in front depends on its first argument, which is not known`, ...(n.stepsDown ? { becomes: userFromSpec(null, `${p.path} of the ${p.image} image, given a first argument that is not known`) } : {}) };
  const word = showField(first);
  if (prefix !== null && first.s !== USER_COMMAND && first.s.startsWith('-')) return put(`\`${word}\` is an option`);
  if (prefix !== null && n.orScript && first.s !== USER_COMMAND && n.orScript.test(first.s) && (first.s.includes('/') || r.resolveCommand(first.s) === null)) return put(`\`${word}\` is a script for ${prefix}, not a command on the PATH`);
  if (prefix !== null && n.orFile && first.s !== USER_COMMAND && n.orFile.test(first.s)) return put(`\`${word}\` is a file for ${prefix}`);
  if (first.s === USER_COMMAND) return { argv: args, handled: 'it runs the command as it is' };
  return stepDown(n.stepsDown, args, runsAs, `\`${word}\` is a command`, 'it runs it as it is', false);
}

interface ImageProgramNext {
  argv: Field[];
  handled: string;
  /** It re-runs itself as this user before it execs `argv` (the docker-library step-down). */
  becomes?: UserValue;
}

/**
 * A docker-library entrypoint about to exec `argv`: started as root with its server, it first
 * re-runs itself as the server's user (same PID). `plain` says what it does otherwise.
 */
function stepDown(step: StepDown | undefined, argv: Field[], runsAs: UserValue, why: string, runs: string, prefixed: boolean): ImageProgramNext {
  const first = argv[0];
  if (!step || !first || first.s === null || first.multi || first.s === USER_COMMAND || !step.commands.test(first.s)) return { argv, handled: `${why}: ${runs}` };
  const word = showField(first);
  const help = argv.find((f) => f.s !== null && !f.multi && step.helpOptions?.includes(f.s));
  if (help) return { argv, handled: `${why}, and \`${showField(help)}\` only prints and exits, so it does not step down: ${runs}` };
  // The prefix it put in front (`-c` is an option): said before the step-down.
  const put = prefixed ? `${why}, so \`${word}\` goes in front; ` : '';
  const then = `it runs \`${showArgv(argv)}\``;
  if (runsAs.root === true) {
    return { argv, handled: `${put}\`${word}\` is its server and it starts as root: it re-runs itself as ${step.user} with ${step.tool}, then ${then}`, becomes: userFromSpec(step.user, `${step.tool} ${step.user} (the image's entrypoint steps down)`) };
  }
  if (runsAs.root === false) return { argv, handled: `${put}\`${word}\` is its server, but it starts as ${showUser(runsAs)}, not root, so it does not step down: ${then}` };
  return { argv, handled: `${put}\`${word}\` is its server: whether it re-runs itself as ${step.user} depends on the user it starts as, which is not known; ${then}`, becomes: userFromSpec(null, `${runsAs.why}, or ${step.tool} ${step.user}`) };
}

/**
 * Programs that run their command line in the same process or as a child, as the same user:
 * what they are given is the main process, and its user is theirs.
 */
/** The prefixes that run their command in the same process, options skipped by their convention. */
const RUN_PREFIXES: ReadonlySet<CommandPrefix> = new Set<CommandPrefix>(['exec', 'nohup', 'nice']);

const SAME_USER_WRAPPERS = new Set(['timeout', 'stdbuf', 'taskset', 'ionice', 'chrt', 'numactl', 'nohup', 'nice', 'env', 'setsid', 'xvfb-run', 'flock', 'unbuffer', 'strace', 'ltrace', 'valgrind', 'time', 'sleep', 'watch', 'dockerize', 'wait-for', 'wait-for.sh', 'wait-for-it', 'wait-for-it.sh']);

/**
 * A program dockerlint cannot read that is given a command to run (see `handedCommandAt`):
 * `ssh-env-config.sh /usr/local/bin/agent start`, `webproc -c conf -- dnsmasq`. It is a launcher,
 * and whether it runs that command as another user is not known. Null for anything else
 * (`/usr/bin/app --port 80`, `/app/server /etc/app.yml`, `./gotify-app serve`), or for a wrapper
 * known to keep the user.
 */
function wrapperHandover(r: Resolver, step: Step & { kind: 'program' }): string | null {
  if (SAME_USER_WRAPPERS.has(basename(step.name))) return null;
  const at = handedCommandAt(step.name, step.args, (word) => findInImage(r, word));
  if (at === null) return null;
  const why = step.resolved?.origin.kind === 'built' ? `it is a build output of stage ${step.resolved.origin.stage}` : step.resolved ? 'it is a program dockerlint does not follow' : 'it is not provided by a COPY or ADD of the build context';
  return `${step.name} is given the command \`${step.args.slice(at).join(' ')}\` to run, and dockerlint cannot read it (${why}): whether it runs that command as another user is not known`;
}

/** Where the build puts a word of a command line: see `FindInImage`. */
export function findInImage(r: Pick<Resolver, 'resolveCommand' | 'knownCommand'>, word: string): 'named' | 'guessed' | null {
  if (r.knownCommand(word)) return 'named';
  return r.resolveCommand(word) ? 'guessed' : null;
}

/** Python's options that take the next word as their value. */
const PYTHON_VALUED = new Set(['-W', '-X', '--check-hash-based-pycs']);

/** The script `python [options] script args` runs; null for `-c`, `-m`, stdin or a value not known. */
function pythonScriptArg(argv: readonly Field[]): string | null {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]?.s;
    if (a === null || a === undefined) return null;
    if (a === '-' || a === '-c' || a === '-m' || /^-[A-Za-z]*[cm]/.test(a)) return null;
    if (a === '--') return argv[i + 1]?.s ?? null;
    if (PYTHON_VALUED.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    return a;
  }
  return null;
}

/** `unread`: the file that is run, as written (the script a shell is given, else the command). */
function nonScript(common: HopBase, loaded: LoadedProgram | { unknown: string }, value: string, argv: Field[], resolved: ResolvedCommand, unread = value): Step {
  if ('unknown' in loaded) return { ...common, kind: 'unknown', reason: loaded.unknown, unread };
  return { ...common, kind: 'program', name: value, args: argv.slice(1).map(showField), resolved, userCommand: false, ...(loaded.handover ? { handover: loaded.handover } : {}), ...(loaded.read ? { read: loaded.read } : {}) };
}

function resolveScriptPath(r: Resolver, value: string): ResolvedCommand | null {
  if (value.includes('/')) return r.resolveCommand(value);
  if (r.stage.config.workdirUnknown) return r.resolveCommand(value);
  const inWorkdir = path.posix.join(r.stage.config.workdir, value);
  return r.resolveCommand(inWorkdir) ?? r.resolveCommand(value);
}

/** Runs a script hop and continues the chain with what each of its paths execs. */
async function runScript(
  hop: Step & { kind: 'script' | 'shell' },
  arg0: Field,
  params: Field[],
  item: Item,
  hops: Step[],
  run: Run,
  work: Item[],
  cache: Map<string, ConfiguredRun>,
  r: Resolver,
): Promise<void> {
  const unit = hop.unit;
  const host = unit.ast ? await r.host(unit) : null;
  if (!unit.ast || !host) {
    hops.push(hop);
    run.chains.push({ hops, end: null });
    return;
  }
  const key = `${unit.source.file.displayPath}|${unit.imagePath}|${unit.source.text.length}|${showArgv([arg0, ...params])}|${hop.runsAs.name}|${hop.runsAs.uid}|${hop.runsAs.root}`;
  // The same script with the same arguments and user again: it would loop forever.
  if (hops.some((h) => (h.kind === 'script' || h.kind === 'shell') && h.unit === unit && sameRunKey(h, arg0, params, hop))) {
    hops.push({ ...hop, kind: 'unknown', reason: 'the script runs itself again with the same arguments and user' } as Step);
    run.chains.push({ hops, end: null });
    return;
  }
  let cached = cache.get(key);
  // Another invocation of this image ran the script with the same words and environment, and the
  // run did not read its user: the same run, as this hop's user (the non-root run and the
  // default run's hops as a non-root user usually agree).
  const shared = sharedRuns(r);
  const sharedKey = `${fieldKey(arg0)}\u0003${params.map(fieldKey).join('\u0003')}\u0003${homeOf(r, hop.runsAs)}`;
  if (!cached) {
    const same = shared.get(sharedKey)?.find((s) => s.unit === unit && s.args === item.args);
    if (same) {
      cached = { run: forUser(same.run.run, hop.runsAs), required: [...same.run.required] };
      cache.set(key, cached);
    }
  }
  if (!cached) {
    let userRead = false;
    const runWith = (assumed: ReadonlySet<string>): ScriptRun => {
      const ran = interpret(
        {
          file: scriptFile(unit),
          ast: unit.ast as ShellFile,
          arg0,
          params: params.map((f) => ({ ...f })),
          user: hop.runsAs,
          vars: environment(r, hop.runsAs, assumed),
          argLabel: (i) => argLabel(item.args[i]),
          argIsImageCommand: (i) => {
            const a = item.args[i];
            if (!a || a.origin !== 'cmd' || a.value === USER_COMMAND || a !== item.args.find((x) => x.origin === 'cmd') || a.value.startsWith('-')) return false;
            // A program the image has: copied in by the build, or one every image that runs it by name has.
            return r.resolveCommand(a.value) !== null || (!a.value.includes('/') && isWellKnownProgram(a.value));
          },
          imageProvides: (p) => r.resolveCommand(p) !== null,
        },
        host,
      );
      userRead ||= readsUser(ran);
      return ran;
    };
    cached = configuredRun(runWith);
    cache.set(key, cached);
    if (!userRead) {
      const list = shared.get(sharedKey) ?? [];
      list.push({ unit, args: item.args, run: cached });
      shared.set(sharedKey, list);
    }
  }
  const result = cached.run;
  hop.run = result;
  hop.required = cached.required;
  if (result.budget) run.truncated = `${unit.source.file.displayPath}: ${result.budget}`;
  // The hand-overs first (the image's main path, which explain shows), then the other endings.
  // An error exit after waiting on background children (`wait -n; exit 1`) is how such a script
  // ends when a child dies: its life was the wait, which is the main path.
  const endings = result.endings.filter((e) => !e.failed || e.waited).sort((a, b) => (a.kind === 'exec' ? 0 : 1) - (b.kind === 'exec' ? 0 : 1));
  if (endings.length === 0) {
    // Every path fails (or none could be followed): what runs is not known.
    const fails = result.budget ? [] : result.endings.filter((e) => e.failed && e.kind === 'exit' && !e.opaque);
    if (fails.length > 0 && fails.length === result.endings.length) {
      hops.push(hop, { ...hop, kind: 'unknown', reason: 'every path of the script ends in an error exit', fails } as Step);
      run.chains.push({ hops, end: null });
      return;
    }
    hops.push(hop, { ...hop, kind: 'unknown', reason: 'no path of the script could be followed to a hand-over or a normal end' } as Step);
    run.chains.push({ hops, end: null });
    return;
  }
  for (const e of endings) {
    const h = { ...hop, ending: e } as Step & { kind: 'script' | 'shell' };
    const chainHops = [...hops, h];
    if (e.kind !== 'exec' && e.opaque) {
      // It sourced files found only at run time (`for f in /startup/*; do . "$f"; done`): one of
      // them may have handed over; what runs next is unknown.
      chainHops.push({ ...h, kind: 'unknown', reason: 'the script sources files that are only known at run time, which may hand over themselves' } as Step);
      run.chains.push({ hops: chainHops, end: null });
      continue;
    }
    if (e.kind !== 'exec' || !e.cmd) {
      // `sh -c "docker-entrypoint.sh redis-server"`: the string's last command is the main
      // process, a child of the shell; follow it.
      const last = e.last.length === 1 ? e.last[0] : undefined;
      const argv = last && hop.kind === 'shell' && e.kind === 'end' ? result.commands.find((c) => c.ref.stmt === last.stmt && !c.exec)?.argvs : undefined;
      if (last && argv && argv.length === 1 && argv[0]?.[0]?.s && !argv[0].some((f) => f.s === null)) {
        work.push({ hops: chainHops, argv: argv[0], args: item.args, runsAs: e.user, pid1: false, at: hop.at, why: e.why });
        continue;
      }
      if (e.kind === 'end' && e.last.length === 0 && hops[hops.length - 1]?.kind === 'supervisor') {
        // A service's run script that runs no command (only comments, or only assignments) is a
        // placeholder: what the service runs is written into it at run time, by a script dockerlint
        // does not follow there.
        chainHops.push({ ...h, kind: 'unknown', reason: 'the run script runs no command: a placeholder, which something fills at run time' } as Step);
        run.chains.push({ hops: chainHops, end: null });
        continue;
      }
      run.chains.push({ hops: chainHops, end: { hop: h, ending: e } });
      continue;
    }
    const ref = e.cmd;
    const span = ref.file.spanOf(ref.stmt.p, ref.stmt.e);
    const label = ref.file.text.slice(ref.stmt.p[2], ref.stmt.e[2]).split('\n')[0]?.trim() ?? 'exec';
    work.push({
      hops: chainHops,
      argv: e.argv,
      args: item.args,
      runsAs: e.user,
      pid1: hop.pid1,
      at: { file: ref.file.path, span: { ...span, endLine: span.line }, label },
      why: e.why,
    });
  }
}

interface ConfiguredRun {
  run: ScriptRun;
  required: Required[];
}

/** Required-configuration checks tried on one script (each costs one more run of it). */
const MAX_CONFIG_TRIES = 12;

/**
 * The run of a script on its configured path. On the default run every variable but ENV's is
 * unset, so an image that needs configuration (`-e DB_HOST=...`) exits with an error at a check
 * such as `if [ -z "$DB_HOST" ]; then echo missing; exit 1; fi` (or a bare `exit` there, whose
 * status is the message's). That error exit is not the
 * image's main path: the variable the check tested (the last decision made because a variable was
 * unset on the way to the exit) is assumed set, and the script is run again; the assumption is
 * kept only when that exit is then no longer reached at all.
 */
function configuredRun(runWith: (assumed: ReadonlySet<string>) => ScriptRun): ConfiguredRun {
  let assumed = new Set<string>();
  let run = runWith(assumed);
  const required: Required[] = [];
  const rejected = new Set<string>();
  for (let tries = 0; tries < MAX_CONFIG_TRIES && !run.budget; tries++) {
    let check: { name: string; exit: CmdRef; code: string | null; names: readonly string[]; bare?: true } | null = null;
    for (const e of run.endings) {
      if (!checkExit(e) || !e.cmd || e.waited) continue;
      // The check is a decision made on an unset variable after the path's last undecided
      // condition: the exit is reached because of it, not because of a file test. Nor because
      // of the words the script was given: an exit in the branch the arguments chose (`*) echo
      // "unknown command $1"; exit 8` after a test of an unset DEBUG_TRACE) is no configuration
      // check; a branch the arguments chose on the way is passed over when a later test decides
      // the exit (`if [ "$1" = app ]; then if [ "$has_src" = false ]; then exit 1; fi; fi`, where
      // has_src was set by a test of an unset SRC_URI before).
      for (let i = e.why.length - 1; i >= 0 && !check; i--) {
        const d = e.why[i] as Decision;
        if (d.undecided || (d.args && i === e.why.length - 1)) break;
        if (d.args) continue;
        const name = d.unset?.[0];
        if (!d.unset || !name || assumed.has(name) || rejected.has(name)) continue;
        check = { name, exit: e.cmd, code: e.bare ? null : (e.code?.s ?? null), names: d.unset, ...(e.bare ? { bare: true as const } : {}) };
      }
      if (check) break;
    }
    if (!check) break;
    const next = new Set([...assumed, ...check.names]);
    const again = runWith(next);
    const exit = check.exit.stmt;
    // Kept only when that exit is then no longer reached (it was this check's exit, not one that
    // a file test or an unknown value also leads to), or reached only through the check of
    // another unset variable (`check_env A; check_env B`: one function, one exit, for each name).
    // While every path still fails, a setting is kept whenever it lets the run get further (a
    // path that no longer fails, or one that reaches the check of another unset setting), even
    // if that exit is still reached through a value the configuration makes unknown
    // (`read host port <<< "$DB_HOST"`, then a check of the port).
    const stuck = !run.endings.some((e) => !checkExit(e) && !e.failed);
    const further = (): boolean => again.endings.some((e) => (!checkExit(e) && !e.failed) || (e.kind === 'exit' && otherCheck(e, next)));
    const reached = again.endings.some((e) => checkExit(e) && e.cmd?.stmt === exit && !otherCheck(e, next));
    if (again.budget || (reached && !(stuck && further()))) {
      rejected.add(check.name);
      continue;
    }
    required.push({ name: check.name, exit: check.exit, code: check.code, ...(check.bare ? { bare: true as const } : {}) });
    assumed = next;
    run = again;
  }
  return { run, required };
}

/**
 * An exit that can end a required-configuration check: an error (`exit 1`), or a bare `exit`,
 * whose status is that of the message printed before it (`echo "set APP_KEY"; exit`). An
 * explicit `exit 0` is a deliberate success, not a check.
 */
function checkExit(e: Ending): boolean {
  return e.kind === 'exit' && (e.failed || e.bare === true);
}

/** Runs of scripts that did not read their user, per image (resolver), by their words and HOME. */
interface SharedRun {
  unit: ScriptUnit;
  /** The Dockerfile words the run's argument labels and image-command checks read. */
  args: Arg[];
  run: ConfiguredRun;
}
const SHARED = new WeakMap<Resolver, Map<string, SharedRun[]>>();

function sharedRuns(r: Resolver): Map<string, SharedRun[]> {
  let m = SHARED.get(r);
  if (!m) SHARED.set(r, (m = new Map()));
  return m;
}

/** Everything of a field that a run can read. */
function fieldKey(f: Field): string {
  return `${f.s === null ? '\u0002' : f.s}\u0001${f.multi ? 1 : 0}\u0001${f.arg ?? ''}\u0001${f.mangled ?? ''}\u0001${f.not?.join('\u0004') ?? ''}`;
}

/** The one variable of a run's environment that depends on its user (environment()). */
function homeOf(r: Resolver, user: UserValue): string {
  return r.env.has('HOME') ? '' : user.root === true ? 'root' : '';
}

/** The failing exit is reached because of a test on a variable that is unset and not assumed set. */
function otherCheck(e: Ending, assumed: ReadonlySet<string>): boolean {
  for (let i = e.why.length - 1; i >= 0; i--) {
    const d = e.why[i] as Decision;
    if (d.undecided) return false;
    const name = d.unset?.[0];
    if (name && !assumed.has(name)) return true;
  }
  return false;
}

function sameRunKey(h: Step, arg0: Field, params: Field[], hop: Step): boolean {
  const argv = [arg0, ...params];
  return showArgv(h.argv.slice(h.argv.length - argv.length)) === showArgv(argv) && h.runsAs.name === hop.runsAs.name && h.runsAs.uid === hop.runsAs.uid && h.runsAs.root === hop.runsAs.root && h.argv.length >= argv.length;
}

function argLabel(a: Arg | undefined): string {
  if (!a) return 'set by the script';
  if (a.value === USER_COMMAND) return 'the user command';
  return a.origin === 'cmd' ? 'from CMD' : 'from ENTRYPOINT';
}

export function scriptFile(unit: ScriptUnit): ScriptFile {
  return { path: unit.source.file.displayPath, text: unit.source.text, spanOf: unit.source.spanOf };
}

/**
 * The environment a script starts with: ENV (values known or not), HOME, and nothing else; for
 * the configured run, the variables a required-configuration check asks for are set (to a value
 * not known, but not empty).
 */
function environment(r: Resolver, user: UserValue, assumed: ReadonlySet<string> = new Set()): Map<string, Var> {
  const vars = new Map<string, Var>();
  for (const [k, v] of r.env) vars.set(k, { kind: 'scalar', value: v === null ? UNKNOWN : lit(v) });
  for (const k of assumed) if (!vars.has(k)) vars.set(k, { kind: 'scalar', value: CONFIGURED });
  if (!vars.has('HOME')) vars.set('HOME', { kind: 'scalar', value: user.root === true ? lit('/root') : UNKNOWN });
  if (!vars.has('HOSTNAME')) vars.set('HOSTNAME', { kind: 'scalar', value: UNKNOWN });
  if (!vars.has('PATH')) vars.set('PATH', { kind: 'scalar', value: lit('/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin') });
  vars.set('PWD', { kind: 'scalar', value: lit(r.stage.config.workdir) });
  return vars;
}

function initOptions(name: string, args: Field[]): { rest: Field[]; group: boolean } {
  let i = 0;
  const tini = name === 'tini' || name === 'tini-static' || name === 'docker-init';
  // dumb-init signals the child's whole process group unless --single-child (-c).
  let group = name === 'dumb-init';
  const withValue = tini ? ['-p', '-e', '-l'] : ['-r', '--rewrite'];
  while (i < args.length) {
    const v = args[i]?.s ?? '';
    if (v === '--') return { rest: args.slice(i + 1), group };
    if (!v.startsWith('-')) {
      // A signal name after an option tini's own builds add (`-r SIGUSR1`) is its value, not the command.
      if (tini && /^SIG[A-Z0-9]+$/.test(v) && i > 0) {
        i++;
        continue;
      }
      break;
    }
    if (tini && /^-[a-zA-Z]*g/.test(v)) group = true;
    if (!tini && (v === '-c' || v === '--single-child')) group = false;
    i += withValue.includes(v) ? 2 : 1;
  }
  return { rest: args.slice(i), group };
}

/** A word `env` takes before the command: an option (`-i`, `-u`) or an assignment (`NAME=value`). */
const ENV_WORD = new RegExp(`^(-|${NAME}=)`);
/** `env`'s options whose value is the next word (`-u NAME`, `-C DIR`); `-uNAME` and `--unset=NAME` are one word. */
const ENV_VALUED = new Set(['-u', '--unset', '-C', '--chdir']);

/**
 * `env -S 'bash -e' script` (`-Sbash -e`, `--split-string=...`): the string split into the words it
 * stands for, in place, as env does; the argv unchanged without `-S`. Null when the string is not
 * known, or uses what is not modelled (a backslash escape, a `${VAR}`, a quote left open).
 */
export function envSplitString(argv: readonly Field[]): Field[] | null {
  const out = [...argv];
  for (let i = 1; i < out.length; i++) {
    const w = out[i]?.s;
    if (w === null || w === undefined || out[i]?.multi) return out;
    let value: Field | undefined;
    let take = 1;
    if (w === '-S' || w === '--split-string') {
      value = out[i + 1];
      take = 2;
    } else if (w.startsWith('--split-string=')) value = lit(w.slice('--split-string='.length));
    else if (/^-S./.test(w)) value = lit(w.slice(2));
    else if (ENV_WORD.test(w)) {
      if (ENV_VALUED.has(w)) i++;
      continue;
    } else return out;
    if (!value || value.s === null || value.multi) return null;
    const words = splitEnvString(value.s);
    if (!words) return null;
    out.splice(i, take, ...words.map(lit));
    i--;
  }
  return out;
}

/** env -S's splitting: blanks separate, quotes group; null for what is not modelled. */
function splitEnvString(s: string): string[] | null {
  if (/[\\$]/.test(s)) return null;
  const words: string[] = [];
  let cur: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (cur !== null) words.push(cur);
      cur = null;
    } else if (c === '#' && cur === null) break;
    else if (c === "'" || c === '"') {
      const close = s.indexOf(c, i + 1);
      if (close < 0) return null;
      cur = (cur ?? '') + s.slice(i + 1, close);
      i = close;
    } else cur = (cur ?? '') + c;
  }
  if (cur !== null) words.push(cur);
  return words;
}

/** Index of the command in `env [options] [NAME=value ...] command` (`from`: the word after `env`). */
export function afterEnvOptions(argv: readonly Field[], from: number): number {
  let i = from;
  while (i < argv.length && ENV_WORD.test(argv[i]?.s ?? '')) i += ENV_VALUED.has(argv[i]?.s ?? '') ? 2 : 1;
  return Math.min(i, argv.length);
}

interface SwitchSpec {
  /** Target user as known (`redis`, `1000:1000`), null when not known. */
  user: string | null;
  /** The user word as written, for messages. */
  userText: string | null;
  rest: Field[];
  commandString: string | null;
}

/** gosu/su-exec/setpriv/chroot/s6-setuidgid/chpst and su/sudo/runuser over evaluated fields. */
export function parseSwitch(tool: string, args: Field[]): SwitchSpec | null {
  const s = (i: number): string | null => (args[i] && !args[i]?.multi ? (args[i]?.s ?? null) : null);
  const text = (i: number): string | null => (args[i] ? (args[i]?.s === null ? '$…' : showField(args[i] as Field)) : null);
  switch (tool) {
    case START_STOP_DAEMON: {
      const d = startStopDaemonSwitch(args.map((f) => (f.multi ? null : f.s)));
      const program = d ? args[d.programAt] : undefined;
      if (!d || !program) return null;
      const user = d.user ?? s(d.userAt);
      return { user, userText: d.user ?? text(d.userAt), rest: [program, ...args.slice(d.argsFrom)], commandString: null };
    }
    case 'gosu':
    case 'su-exec':
    case 's6-setuidgid':
    case 'setuidgid':
    case 'clickhouse su':
      if (args.length < 1 || args[0]?.multi) return null;
      return { user: s(0), userText: text(0), rest: args.slice(1), commandString: null };
    case 'doas': {
      const d = doasOptions(args.map((f) => (f.multi ? null : f.s)));
      if (!d) return null;
      return { user: d.user ?? s(d.userAt), userText: d.user ?? text(d.userAt), rest: args.slice(d.commandAt), commandString: null };
    }
    case 'chpst': {
      let user: string | null = null;
      let userText: string | null = null;
      let i = 0;
      while (i < args.length && (s(i) ?? '').startsWith('-')) {
        if (s(i) === '-u' || s(i) === '-U') {
          user = s(i + 1);
          userText = text(i + 1);
          i += 2;
        } else if (/^-[uU]./.test(s(i) ?? '')) {
          // `chpst -uapp`: the user glued to the option.
          user = userText = (s(i) ?? '').slice(2);
          i++;
        } else i += ['-e', '-/', '-n', '-l', '-L', '-m', '-d', '-o', '-p', '-f', '-c', '-r', '-t'].includes(s(i) ?? '') ? 2 : 1;
      }
      return userText === null ? null : { user, userText, rest: args.slice(i), commandString: null };
    }
    case 'setpriv': {
      let user: string | null = null;
      let userText: string | null = null;
      let i = 0;
      while (i < args.length && (s(i) ?? '').startsWith('-')) {
        const l = s(i) ?? '';
        if (l === '--') {
          i++;
          break;
        }
        const m = /^--(?:reuid|ruid|euid)=(.*)$/.exec(l);
        if (m) user = userText = m[1] ?? null;
        else if (['--reuid', '--ruid', '--euid'].includes(l)) {
          user = s(i + 1);
          userText = text(i + 1);
          i++;
        } else if (['--regid', '--rgid', '--egid', '--groups', '--inh-caps', '--bounding-set', '--securebits', '--selinux-label', '--apparmor-profile'].includes(l)) i++;
        i++;
      }
      return userText === null ? null : { user, userText, rest: args.slice(i), commandString: null };
    }
    case 'chroot': {
      let user: string | null = null;
      let userText: string | null = null;
      let i = 0;
      while (i < args.length && (s(i) ?? '').startsWith('--')) {
        const m = /^--userspec=(.*)$/.exec(s(i) ?? '');
        if (m) user = userText = m[1] ?? null;
        else if (s(i) === '--userspec') {
          user = s(i + 1);
          userText = text(i + 1);
          i++;
        }
        i++;
      }
      return userText === null ? null : { user, userText, rest: args.slice(i + 1), commandString: null };
    }
    case 'sudo': {
      let user: string | null = 'root';
      let userText: string | null = 'root';
      let i = 0;
      while (i < args.length) {
        const l = s(i) ?? '';
        if (l === '--') {
          i++;
          break;
        }
        if (!l.startsWith('-')) break;
        if (l === '--user') {
          user = s(i + 1);
          userText = text(i + 1);
          i += 2;
        } else if (l.startsWith('--')) {
          const m = /^--user=(.+)$/.exec(l);
          if (m) user = userText = m[1] ?? null;
          i += takesValue('sudo', l) ? 2 : 1;
        } else {
          // A cluster (`-HEu git`, `-ugit`): the first letter that takes a value takes the rest, or the next word.
          let consumed = 1;
          for (let k = 1; k < l.length; k++) {
            const c = l[k] as string;
            if (!takesValue('sudo', `-${c}`)) continue;
            const glued = l.slice(k + 1);
            if (glued === '') consumed = 2;
            if (c === 'u') {
              user = glued !== '' ? glued : s(i + 1);
              userText = glued !== '' ? glued : text(i + 1);
            }
            break;
          }
          i += consumed;
        }
      }
      return { user, userText, rest: args.slice(i), commandString: null };
    }
    default: {
      // su [options] [-] [user [args]]; runuser [-u user] [options] [--] cmd, or runuser user -c cmd
      let user: string | null = null;
      let userText: string | null = null;
      let commandString: string | null = null;
      let start = args.length;
      let i = 0;
      while (i < args.length) {
        const l = s(i) ?? '';
        if (l === '-c' || l === '--command') {
          commandString = s(i + 1);
          i += 2;
          continue;
        }
        if (l === '-u' && tool === 'runuser') {
          user = s(i + 1);
          userText = text(i + 1);
          i += 2;
          continue;
        }
        if (['-s', '--shell', '-g', '--group', '-G', '-w'].includes(l)) {
          i += 2;
          continue;
        }
        if (l === '--') {
          start = i + 1;
          break;
        }
        if (l.startsWith('-')) {
          i++;
          continue;
        }
        if (userText === null) {
          user = s(i);
          userText = text(i);
          i++;
          continue;
        }
        start = i;
        break;
      }
      if (userText === null) user = userText = 'root';
      return { user, userText, rest: args.slice(start), commandString };
    }
  }
}
