/**
 * The PID 1 questions, answered once from the runs (`invocations.ts`) for every rule and for
 * `explain`: which process each chain ends in and as whom, whether it holds PID 1, whether the
 * script's arguments (CMD, or the user's command) are handed over intact, and which commands ran
 * as children on the way.
 */
import type { Ending, Executed, ScriptRun } from './interpreter.js';
import type { CmdRef, Job, Poll, StmtRef, TermTrap } from './state.js';
import type { Chain, Run, Step } from './invocations.js';
import { afterEnvOptions, parseSwitch } from './invocations.js';
import { USER_COMMAND, userFromSpec, type Field, type UserValue } from './values.js';
import { basename, execSwitcherAt, FORKING_USER_SWITCHERS, START_STOP_DAEMON, startStopDaemonSwitch } from '../commands.js';
import { keepsRunning } from '../known-programs.js';

export type ScriptHop = Step & { kind: 'script' | 'shell' };

export interface MainProcess {
  chain: Chain;
  /** The last hop: the program, or the script that stays because it does not exec. */
  hop: Step;
  user: UserValue;
  pid1: boolean;
  /** The chain ends in a script that does not exec: how it ended, and its last commands. */
  staying: { hop: ScriptHop; ending: Ending } | null;
  /** The init the chain went through, if any. */
  init: (Step & { kind: 'init' }) | null;
}

/**
 * Servers that start as root and switch to an unprivileged user of their own by default. Not
 * named, ntpd or chronyd, whose user depends on their options and configuration (named and ntpd
 * stay root unless told `-u`): the root-process rule reads those.
 */
const SELF_DROPPING = new Set(['mosquitto', 'dnsmasq', 'unbound', 'squid', 'avahi-daemon', 'pdns_server', 'pdns_recursor']);

/** How each chain of a run ends. */
export function mainProcesses(run: Run): MainProcess[] {
  return run.chains.flatMap((chain) => mainProcessOf(chain) ?? []);
}

/** How one chain ends; null when it starts no main process. */
export function mainProcessOf(chain: Chain): MainProcess | null {
  const hop = chain.hops[chain.hops.length - 1];
  if (!hop) return null;
  // A user switch given no command prints its usage and exits: this path starts no main process.
  if (hop.kind === 'switch' && hop.noCommand) return null;
  const init = (chain.hops.find((h) => h.kind === 'init') as (Step & { kind: 'init' }) | undefined) ?? null;
  // su/sudo fork: the command runs as their child, as the target user.
  let user = chain.end ? stayingUser(chain.end) : hop.kind === 'forking-switch' ? hop.target : hop.runsAs;
  // Programs that switch to their own user when started as root.
  if (hop.kind === 'program' && user.root === true && SELF_DROPPING.has(basename(hop.name))) {
    user = { name: null, uid: null, root: false, why: `${basename(hop.name)} switches to its own user when started as root` };
  }
  return { chain, hop, user, pid1: hop.pid1, staying: chain.end, init };
}

/** The first command line the run executed at a statement (a script's last command, say), or undefined. */
export function argvAt(run: ScriptRun | null | undefined, ref: CmdRef | undefined): Field[] | undefined {
  return ref ? run?.commands.find((c) => c.ref.stmt === ref.stmt)?.argvs[0] : undefined;
}

/**
 * The user of the main process when a script stays: its last command's, which a user switch
 * without exec changes (`gosu app server` at the end: server runs as app, as the shell's child).
 */
function stayingUser(end: { hop: ScriptHop; ending: Ending }): UserValue {
  const argv = argvAt(end.hop.run, end.ending.last[0]);
  return argv ? commandUser(argv, end.ending.user) : end.ending.user;
}

/**
 * The user a command a script runs (not exec'd) runs as: the shell's, or the one a user switch in
 * front of it names (`gosu app server`, `su-exec app server`, `su app -c server`, `capsh
 * --user=app -- -c server`), which it runs as its child or execs into.
 */
export function commandUser(argv: readonly Field[], shellUser: UserValue): UserValue {
  // `capsh --user=NAME -- -c "cmd"` (libcap): the command runs as NAME.
  if (argv[0]?.s && basename(argv[0].s) === 'capsh') {
    const name = argv.map((f) => (f.s ? /^--user=(.+)$/.exec(f.s)?.[1] : undefined)).find((x) => x !== undefined);
    return name ? userFromSpec(name, `capsh --user=${name}`) : shellUser;
  }
  const t = commandOf(argv);
  const tool = t.switcher ?? t.forking;
  if (!tool) return shellUser;
  const sw = parseSwitch(tool, t.switchArgs);
  return sw ? userFromSpec(sw.user, `${tool} ${sw.userText ?? ''}`.trim()) : shellUser;
}

/**
 * A user switch on the way that hands over to the script's arguments (or re-runs the script)
 * without exec: the application runs as that user, as a child (gosu-without-exec, su-sudo).
 */
export function handsOverWithoutExec(run: Run): { hop: ScriptHop; cmd: Executed; user: UserValue }[] {
  const out: { hop: ScriptHop; cmd: Executed; user: UserValue }[] = [];
  for (const { hop, cmd } of commandsRun(run)) {
    if (cmd.exec || cmd.child || cmd.background || cmd.condition) continue;
    for (const argv of cmd.argvs) {
      const t = commandOf(argv);
      const tool = t.switcher ?? t.forking;
      if (!tool || !t.name) continue;
      const self = hop.argv[0]?.s;
      const runs = t.forking ? argv.some((f) => isScriptArg(f, run) || isUserCommand(f)) : isScriptArg(t.name, run) || isUserCommand(t.name) || (self != null && t.name.s === self);
      if (!runs) continue;
      const sw = parseSwitch(tool, t.switchArgs);
      out.push({ hop, cmd, user: userFromSpec(sw?.user ?? null, tool) });
      break;
    }
  }
  return out;
}

/** Every script hop of a run with its evaluation, each evaluation once. */
function scriptHops(run: Run): { hop: ScriptHop; run: ScriptRun }[] {
  const seen = new Set<ScriptRun>();
  const out: { hop: ScriptHop; run: ScriptRun }[] = [];
  for (const chain of run.chains) {
    for (const h of chain.hops) {
      if ((h.kind === 'script' || h.kind === 'shell') && h.run && !seen.has(h.run)) {
        seen.add(h.run);
        out.push({ hop: h, run: h.run });
      }
    }
  }
  return out;
}

/** The run is completely known: no budget hit, no hop dockerlint could not follow. */
export function fullyKnown(run: Run): boolean {
  return !run.truncated && run.chains.length > 0 && run.chains.every((c) => c.hops.every((h) => h.kind !== 'unknown' && (!(h.kind === 'script' || h.kind === 'shell') || (h.run !== null && !h.run.budget))));
}

/** A field is one of the script's own arguments: a CMD word, or the user's command. */
export function isScriptArg(f: Field, run: Run): boolean {
  if (f.arg === undefined) return false;
  const a = run.args[f.arg];
  return !!a && (a.origin === 'cmd' || a.value === USER_COMMAND);
}

export function isUserCommand(f: Field): boolean {
  return f.s === USER_COMMAND || (f.s !== null && f.s.includes(USER_COMMAND));
}

/** How a command line passes the script's arguments: intact, mangled, or not at all. */
export function argsUse(argv: readonly Field[], run: Run): 'intact' | 'mangled' | 'none' {
  let use: 'intact' | 'mangled' | 'none' = 'none';
  for (const f of argv) {
    if (f.mangled && (isScriptArg(f, run) || isUserCommand(f) || f.mangled === 'star' || f.mangled === 'unquoted')) {
      if (f.arg !== undefined || isUserCommand(f)) return 'mangled';
    }
    if (isScriptArg(f, run) && !f.mangled) use = 'intact';
  }
  return use;
}

/** The program a command line runs after prefixes and user switches (`exec gosu app x` -> x). */
export function commandOf(argv: readonly Field[]): { tool: string | null; name: Field | null; rest: Field[]; switcher: string | null; forking: string | null; switchArgs: Field[] } {
  let i = 0;
  let switcher: string | null = null;
  let forking: string | null = null;
  /** The arguments of the user switch (its user, options, then the command). */
  let switchArgs: Field[] = [];
  while (i < argv.length) {
    const s = argv[i]?.s;
    if (s === null || s === undefined) break;
    const b = basename(s);
    if (b === 'env') {
      i = afterEnvOptions(argv, i + 1);
      continue;
    }
    if (b === 'command' || b === 'nohup' || b === 'exec') {
      i++;
      continue;
    }
    const sw: { tool: string; args: number } | null = switcher ? null : execSwitcherAt(argv.map((f) => f.s), i);
    if (sw && sw.tool === START_STOP_DAEMON) {
      // `start-stop-daemon --start --chuid app --exec prog -- args`: the program is an option's value.
      const d = startStopDaemonSwitch(argv.slice(sw.args).map((f) => (f.multi ? null : f.s)));
      if (d) return { tool: argv[0]?.s ?? null, name: argv[sw.args + d.programAt] ?? null, rest: argv.slice(sw.args + d.argsFrom) as Field[], switcher: sw.tool, forking, switchArgs: argv.slice(sw.args) };
    }
    if (sw) {
      // gosu and friends, and vendor ones (`clickhouse su user:group cmd`): the user, then the command.
      switcher = sw.tool;
      switchArgs = argv.slice(sw.args);
      i = b === 'chroot' || b === 'setpriv' || b === 'chpst' ? skipOptions(argv, i + 1) : sw.args + 1;
      continue;
    }
    if (FORKING_USER_SWITCHERS.has(b) && !forking) {
      forking = b;
      switchArgs = argv.slice(i + 1);
      break;
    }
    break;
  }
  const tool = argv[0]?.s ?? null;
  return { tool, name: argv[i] ?? null, rest: argv.slice(i + 1) as Field[], switcher, forking, switchArgs };
}

function skipOptions(argv: readonly Field[], from: number): number {
  let i = from;
  while (i < argv.length && (argv[i]?.s ?? '').startsWith('-')) {
    const s = argv[i]?.s ?? '';
    i += /^--?[a-z-]+$/.test(s) && !s.includes('=') && ['--reuid', '--regid', '--userspec', '-u', '-U', '--groups'].includes(s) ? 2 : 1;
  }
  // chroot's NEWROOT
  if (basename(argv[from - 1]?.s ?? '') === 'chroot') i++;
  return i;
}

/** The commands a script ran in a run (each statement once, with the first command line seen). */
export function commandsRun(run: Run): { hop: ScriptHop; cmd: Executed }[] {
  return scriptHops(run).flatMap(({ hop, run: r }) => r.commands.map((cmd) => ({ hop, cmd })));
}

/** A service the script left running in the background, and what keeps the container alive instead. */
export interface BackgroundService {
  /** The script whose shell started the jobs. */
  hop: ScriptHop;
  /** Its background jobs still running, in the order they started. */
  jobs: readonly Job[];
  keeper: { kind: 'exec'; at: CmdRef; argv: Field[] } | { kind: 'wait'; at: StmtRef; trap: TermTrap; poll?: Poll };
}

/**
 * The script started its service in the background (`clamd --foreground &`) and something that
 * is not the service keeps the container alive, so the service is never PID 1 and `docker stop`
 * never reaches it:
 * - `exec`: the shell then exec'd a keep-alive (`exec tail -f /dev/null`, `exec sleep infinity`);
 *   that program is PID 1 (or the init's child), the jobs are its children, and it passes no
 *   signal on;
 * - `wait`: the shell waits for its jobs with a TERM trap whose action only prints or exits
 *   (`trap 'echo stopping' TERM`), no other trap (an EXIT trap may stop them), and nothing but
 *   builtins after the wait returns: the signal ends the wait, the script ends, and the jobs are
 *   killed with the container.
 * A wait with no trap, or a keep-alive the shell runs itself, is the `staying` ending's (the
 * shell stays PID 1 and drops the signal). Null otherwise, and when the jobs are not known.
 */
export function backgroundService(main: MainProcess): BackgroundService | null {
  // The hop before the last is the script, and the last the program it exec'd: the keep-alive.
  const h = main.chain.hops[main.chain.hops.length - 2];
  const x = h && (h.kind === 'script' || h.kind === 'shell') ? h.ending : null;
  if (h && (h.kind === 'script' || h.kind === 'shell') && x?.kind === 'exec' && x.cmd && x.running && x.running.jobs.length > 0) {
    const t = commandOf(x.argv);
    if (t.switcher || t.forking || !t.name?.s || !keepsRunning(t.name.s, t.rest.map((f) => f.s ?? ''))) return null;
    return { hop: h, jobs: x.running.jobs, keeper: { kind: 'exec', at: x.cmd, argv: x.argv } };
  }
  const staying = main.staying;
  const e = staying?.ending;
  const w = e?.waited;
  if (!staying || !e || !w || !w.term?.inert || w.jobs.length === 0 || e.kind === 'exec' || e.failed) return null;
  // Nothing but builtins ran after the wait returned (a `kill "$pid"` there would pass it on).
  if (w.after) return null;
  // The only trap that can run on `docker stop` is that one: no EXIT trap, no other TERM trap.
  const trapStmt = w.term.at.stmt;
  for (const c of staying.hop.run?.commands ?? []) {
    if (c.child) continue;
    for (const a of c.argvs) {
      if (a[0]?.s !== 'trap' || a.length < 3 || c.ref.stmt === trapStmt) continue;
      const signals = a.slice(2).map((f) => f.s);
      if (signals.some((sig) => sig === null || /^(SIG)?(TERM|EXIT)$|^(0|15)$/i.test(sig))) return null;
    }
  }
  return { hop: staying.hop, jobs: w.jobs, keeper: { kind: 'wait', at: w.at, trap: w.term, ...(w.poll ? { poll: w.poll } : {}) } };
}
