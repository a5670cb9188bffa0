/**
 * The abstract interpreter of a shell script, for one invocation (its arguments, its user, its
 * environment). It runs the script the way the shell would, over the values of `values.ts`:
 * decided conditions take one branch, unknown ones both; functions are called with their
 * arguments, sourced files and `eval` of known text are run in place, `$(...)` runs and its
 * output is known when what it prints is. It records how each path ends (exec, exit, end of
 * script) and every command that ran.
 *
 * No recursion follows the script's structure: statements, lists, `&&`/`||` chains, nesting and
 * function calls are frames on an explicit stack, so a 1,000-link `&&` chain or 5,000 nested
 * `if`s cost their size and cannot overflow. (Only `$(...)` nests a new machine, to a fixed depth.)
 * At every join the states are merged (`state.ts`), so the work per statement is bounded.
 */
import type {
  Assign,
  CallExpr,
  CaseClause,
  Command,
  ForClause,
  IfClause,
  Redirect,
  ShellFile,
  Stmt,
  WhileClause,
  Word,
  WordPart,
} from '../../parsers/shell-ast.js';
import { childStmts, forEachCall } from '../../parsers/shell-walk.js';
import { ASSIGNMENT_OR_APPEND, isName } from '../../parsers/variables.js';
import { basename } from '../commands.js';
import { keepsRunning } from '../known-programs.js';
import { evalTest, type TestOperand } from './conditions.js';
import { parseGetopts, type GetoptsParse, type GetoptsStep } from './getopts.js';
import { liveAfter, type KnownFile, type ReturnPoint } from './liveness.js';
import { pollOf, type PollMatch } from './polls.js';
import { isJoinedAway, markJoinedAway, MAX_STATES_PER_POINT, mergeStates, State, type LiveFacts, UNDECIDED, whyList, type CmdRef, type Decision, type Flattening, type FunctionDef, type Job, type JobControl, type Poll, type ScriptFile, type StmtRef, type TermTrap, type Var } from './state.js';
import { clusterValueCount, gidField, lit, NOT_USER_COMMAND, sameUser, showArgv, showField, uidField, UNKNOWN, UNKNOWN_FIELDS, USER_COMMAND, userKey, userNameField, watchedUser, type Field, type UserValue } from './values.js';
import { expandFields, expandScalar, globMatch, patternOf, type ExpandEnv } from './words.js';

export interface Limits {
  /** Frames and commands evaluated in one run. */
  maxSteps: number;
  maxCallDepth: number;
  maxSourceDepth: number;
  /** Nesting of `$(...)` that is evaluated; deeper substitutions are unknown. */
  maxSubstDepth: number;
}

const DEFAULT_LIMITS: Limits = { maxSteps: 400_000, maxCallDepth: 2_000, maxSourceDepth: 8, maxSubstDepth: 6 };

/** What the interpreter needs from outside: parsing text and finding sourced files. */
export interface Host {
  /** Parses shell text in the script's dialect; null on a syntax error. */
  parse(text: string): ShellFile | null;
  /** `. path`: the file in the image, parsed; null when the image does not get it from the build. */
  /**
   * The file `. path` reads. A name without a slash is looked up in `searchPath` first, the
   * folders of PATH when the script's PATH is known (null when it is not), as sh and bash do.
   */
  source(path: string, searchPath?: readonly string[] | null): { ast: ShellFile; file: ScriptFile } | null;
  /** The shell has bash's extensions (`$EUID`, `$BASH_SOURCE`). */
  bash: boolean;
  /** The files an absolute pathname pattern matches in the image, sorted; null when not known. */
  glob?(pattern: string): string[] | null;
  /**
   * `path` is a program of the base image that the build does not provide and dockerlint models
   * (`/usr/local/bin/docker-php-entrypoint`): it ends by exec'ing its next command.
   */
  baseImageProgram?(path: string): boolean;
}

export interface ScriptInvocation {
  file: ScriptFile;
  ast: ShellFile;
  /** `$0`. */
  arg0: Field;
  params: Field[];
  user: UserValue;
  /** The environment: ENV and ARG defaults, HOME, PATH; everything else unset. */
  vars: Map<string, Var>;
  /** Where invocation argument `i` comes from, for decisions: `from CMD`, `the user command`. */
  argLabel(i: number): string;
  /**
   * Invocation argument `i` is the program the image's CMD names (its first word), and one the
   * image has: copied in by the build, or a shell, runtime or build tool run by name (`java`,
   * `node`), not a subcommand word of the entrypoint (`agent`). `command -v "$1"` finds it.
   */
  argIsImageCommand?(i: number): boolean;
  /** The build puts a file at this absolute path of the image (a COPY or ADD provides it). */
  imageProvides?(path: string): boolean;
}

/**
 * How a path of the script ends: it execs a program, exits, reaches the end of the script, or
 * stays in a loop that never ends (`while true; do sleep 1000; done`, a keep-alive).
 */
export type EndingKind = 'exec' | 'exit' | 'end' | 'loop';

export interface Ending {
  kind: EndingKind;
  /** The `exec` or `exit` command; null at the end of the script. */
  cmd: CmdRef | null;
  /** For exec: the command line it execs (after `exec` and its options). */
  argv: Field[];
  /** For exit: the status word's value. */
  code: Field | null;
  /** The last foreground commands before the ending (for `exec`, before it). */
  last: CmdRef[];
  user: UserValue;
  /** An error path: `exit 1`, or the script ending after a failed command. */
  failed: boolean;
  /** For exit: a bare `exit`, whose status is the last command's (an error message's `echo`, say). */
  bare?: true;
  why: Decision[];
  /** The path sourced files only known at run time (`. "$f"` over a glob): they may have exec'd. */
  opaque: boolean;
  /** For `loop`: the endless loop statement the path stays in. */
  loop?: LoopRef;
  /**
   * For `end`: the path stays in its last command, which never returns (`tail -f`, `sleep
   * infinity`): the script has more after it, which never runs.
   */
  stays?: true;
  /** For exec: a word expands, unquoted, a string the script made by joining its arguments (`$ARGS` after `ARGS="$@"`). */
  flattened?: Flattening;
  /**
   * The path waited (`wait`) for background jobs it started: the shell stayed there, with the
   * jobs as its children, and got to this ending only after they exited.
   */
  waited?: NonNullable<JobControl['waited']>;
  /**
   * For `loop`: the shell's background jobs and SIGTERM trap as it stays in the loop. For `end`:
   * the jobs it started and did not wait for (`daemon &` then a foreground `server`), still running
   * beside the last command. For `exec`: the jobs left running as children of the program the
   * shell becomes (`clamd &` then `exec tail -f /dev/null`).
   */
  running?: JobControl;
}

/** A statement that is not a simple command (a loop), with where it was reached from. */
export type LoopRef = Pick<CmdRef, 'stmt' | 'file' | 'via' | 'sourcedVia'>;

function waitedOf(st: State): { waited?: NonNullable<JobControl['waited']> } {
  return st.jobs?.waited ? { waited: st.jobs.waited } : {};
}

/** A program ran after the path's wait returned: it may have stopped the jobs (`kill "$pid"`). */
function ranAfterWait(st: State): void {
  const jc = st.jobs;
  if (jc?.waited && !jc.waited.after) st.jobs = { ...jc, waited: { ...jc.waited, after: true } };
}

/** The background jobs the path started and did not wait for, still running at its ending. */
function runningOf(st: State): { running?: JobControl } {
  return st.jobs && st.jobs.jobs.length > 0 && !st.jobs.waited ? { running: st.jobs } : {};
}

export interface Executed {
  ref: CmdRef;
  /** `exec`'d in the script's own process (not in a subshell). */
  exec: boolean;
  /** Ran in a subshell, pipeline, `$(...)` or in the background: never PID 1. */
  child: boolean;
  background: boolean;
  /** Ran as the condition of an `if`/`while` or the left side of `&&`/`||`. */
  condition: boolean;
  /** The command lines it ran with (at most a few), and as whom. */
  argvs: Field[][];
  users: UserValue[];
  /**
   * Every path that ran it had sourced files known only at run time before (`. "$f"` over a
   * folder the image fills at run time: `Ending.opaque`): one of them may have handed over, and
   * then this command never ran. False as soon as one path ran it before any such file.
   */
  opaque: boolean;
}

export interface ScriptRun {
  endings: Ending[];
  commands: Executed[];
  /**
   * `. file` that could not be followed. `activate` marks a Python virtual environment's (or
   * conda's) `bin/activate`, made at build time: it sets variables and defines functions, and
   * neither runs nor re-reads the script's arguments.
   */
  unknownSources: { path: string; ref: CmdRef; activate?: true }[];
  /** The files `. file` ran, by path, with their syntax trees (the branches not taken included). */
  sourcedFiles: ReadonlyMap<string, ShellFile>;
  /**
   * The invocation arguments (`Field.arg`) the script expanded anywhere on the run (`$1`, `"$@"`,
   * `${@:2}`, in a test, a `case` word, an assignment or a command): an argument not here was
   * never looked at, so nothing the script ran was given it.
   */
  argsRead: ReadonlySet<number>;
  /** Why the run was cut short (nothing after that point is known), or null. */
  budget: string | null;
  /** Program points where too many different states met and were joined. */
  joined: number;
  /**
   * The state cap made this run unsure: where the states were first joined, and what of the
   * joined values was used after (a variable read, or the arguments or user themselves). Null
   * when no cap was hit, or nothing the join lost was read again. An unsure run also has
   * `budget` set, so no check concludes anything from it.
   */
  capped: { at: CmdRefLite; states: number; lost: string } | null;
  /** Frames and commands evaluated: the measure of work, linear in the script's size. */
  steps: number;
}

/** A program point: a statement of a file. */
export interface CmdRefLite {
  stmt: Stmt;
  file: ScriptFile;
}

interface Flow {
  next: State[];
  ret: State[];
  brk: State[];
  cont: State[];
}

const flowOf = (next: State[]): Flow => ({ next, ret: [], brk: [], cont: [] });

/** Adds every state of `from` to `into`, kind by kind. */
function addFlow(into: Flow, from: Flow): void {
  into.next.push(...from.next);
  into.ret.push(...from.ret);
  into.brk.push(...from.brk);
  into.cont.push(...from.cont);
}

type Action = { push: Frame } | { done: Flow };

abstract class Frame {
  /** Called when the frame is pushed and when it is popped, to set and restore the context. */
  enter(_m: Machine): void {}
  leave(_m: Machine): void {}
  abstract resume(m: Machine, child: Flow | null): Action;
}

class BudgetExceeded extends Error {}

const NO_CALLS: readonly string[] = Object.freeze([]);
const NO_SOURCES: readonly { stmt: Stmt; file: ScriptFile }[] = Object.freeze([]);

/** Different endings (exec, exit, end, with their command lines and users) kept per run. */
const MAX_ENDINGS = 256;

/** The context that frames set while they run. */
interface Context {
  file: ScriptFile;
  calls: string[];
  sourced: { stmt: Stmt; file: ScriptFile }[];
  /** >0 inside a subshell, pipeline, `$(...)` or background job. */
  sub: number;
  background: number;
  /** >0 while evaluating a condition. */
  cond: number;
  /** Inside a background job the script started (`daemon &`): the programs it runs are collected here. */
  job: Job['cmds'] | null;
}

class Recorder {
  readonly endings: Ending[] = [];
  private readonly endingKeys = new Map<string, Ending>();
  readonly commands = new Map<Stmt, Executed[]>();
  readonly unknownSources: ScriptRun['unknownSources'] = [];
  readonly sourcedFiles = new Map<string, ShellFile>();
  readonly argsRead = new Set<number>();
  joined = 0;
  steps = 0;
  /** Where the states were first joined, and how many met there. */
  firstJoin: { at: CmdRefLite; states: number } | null = null;
  /**
   * Where paths were first joined without losing anything (they differed only in what nothing
   * reads again): a value read after it that came from such a join still makes the run unsure.
   */
  exactJoin: { at: CmdRefLite; states: number } | null = null;
  /** What the join lost that the run used after it: the first such use. */
  lostUse: string | null = null;
  /** More different endings than MAX_ENDINGS were reached. */
  endingsDropped = false;

  ending(e: Ending): void {
    // An exit reached because a setting is unset stays apart from the same exit reached otherwise
    // (`check A; check B` share one exit): the configured run needs to know each reason.
    const because = e.kind === 'exit' && (e.failed || e.bare) ? (e.why[e.why.length - 1]?.unset?.[0] ?? '') : '';
    const key = `${e.kind}|${e.cmd?.stmt.p[2] ?? e.loop?.stmt.p[2] ?? -1}|${e.cmd?.file.path ?? ''}|${e.argv.map((f) => `${showField(f)}\u0002${f.arg ?? ''}${f.mangled ?? ''}`).join('\u0001')}|${userKey(e.user)}|${e.failed}|${e.code?.s ?? ''}|${because}|${e.waited ? e.waited.at.stmt.p[2] : ''}`;
    const seen = this.endingKeys.get(key);
    if (seen) {
      // The same ending reached after different last commands: one ending, with both.
      for (const l of e.last) if (!seen.last.some((x) => x.stmt === l.stmt) && seen.last.length < 4) seen.last = [...seen.last, l];
      return;
    }
    if (this.endings.length >= MAX_ENDINGS) {
      // More ways to end than are kept: the ones dropped could be the hand-over.
      this.endingsDropped = true;
      return;
    }
    this.endingKeys.set(key, e);
    this.endings.push(e);
  }

  /** The text of each command line kept in an `Executed`'s `argvs`, in the same order. */
  private readonly shownArgvs = new Map<Executed, string[]>();

  command(ref: CmdRef, argv: Field[], st: State, ctx: Context, exec: boolean): void {
    const user = st.user;
    let list = this.commands.get(ref.stmt);
    if (!list) {
      list = [];
      this.commands.set(ref.stmt, list);
    }
    const child = ctx.sub > 0;
    let e = list.find((x) => x.exec === exec && x.child === child && x.ref.file === ref.file);
    if (!e) {
      e = { ref, exec, child, background: ctx.background > 0, condition: ctx.cond > 0, argvs: [], users: [], opaque: st.opaque };
      list.push(e);
    }
    if (!st.opaque) e.opaque = false;
    if (e.argvs.length < 4) {
      // Each kept command line's text is written once, not again for every command compared with it.
      let shownKept = this.shownArgvs.get(e);
      if (!shownKept) this.shownArgvs.set(e, (shownKept = e.argvs.map((a) => a.map(showField).join('\u0001'))));
      const shown = argv.map(showField).join('\u0001');
      if (!shownKept.includes(shown)) {
        e.argvs.push(argv);
        shownKept.push(shown);
      }
    }
    if (e.users.length < 4 && !e.users.some((u) => sameUser(u, user))) e.users.push(user);
    const head = argv[0]?.s;
    if (ctx.job && ctx.cond === 0 && !(head && NOT_A_COMMAND.has(head)) && ctx.job.length < 6 && !ctx.job.some((j) => j.ref.stmt === ref.stmt)) ctx.job.push({ ref, argv, user });
  }
}

/** What the interpreter asks of a script's AST as a whole. */
interface ScriptFacts {
  /** Variables the script uses as a command word (`$run "$@"`, `exec $NUMACTL "$@"`): joined last. */
  commandVars: ReadonlySet<string>;
  /** It runs `cd`, `pushd` or `popd` somewhere. */
  changesDirectory: boolean;
}

/** The facts of each script AST (a script runs once per invocation and configuration). */
const SCRIPT_FACTS = new WeakMap<ShellFile, ScriptFacts>();

/** The facts of a script, from one walk of its AST (a stack of its own, not recursion; each statement once). */
function scriptFacts(ast: ShellFile): ScriptFacts {
  const known = SCRIPT_FACTS.get(ast);
  if (known) return known;
  const commandVars = new Set<string>();
  let changesDirectory = false;
  const todo = [...ast.stmts];
  while (todo.length > 0) {
    const c = (todo.pop() as Stmt).cmd;
    if (!c) continue;
    if (c.type === 'CallExpr') {
      const first = c.args[0] && literalOf(c.args[0]);
      const words = first === 'exec' ? c.args.slice(1, 2) : c.args.slice(0, 1);
      for (const w of words) for (const p of w.parts) if (p.type === 'ParamExp' && isName(p.param)) commandVars.add(p.param);
      if (first === 'cd' || first === 'pushd' || first === 'popd' || (first === 'builtin' && c.args[1] && literalOf(c.args[1]) === 'cd')) changesDirectory = true;
    }
    // A function's body is one of its child statements: walked once, however deep functions nest.
    todo.push(...childStmts(c));
  }
  const facts = { commandVars, changesDirectory };
  SCRIPT_FACTS.set(ast, facts);
  return facts;
}

class Machine {
  readonly ctx: Context;
  readonly expandEnv: ExpandEnv;
  private substDepth = 0;
  /** Paths of a subshell that ended in it (`exit` or `exec` there): their status is not seen by the parent. */
  subExits = 0;
  /** The variable a `${NAME:?}` of the command being expanded found unset: the path exits there. */
  requiredAbort: string | null = null;
  /**
   * How many commands were run on a word not known or holding the user's command (see
   * `substitute`): what they print may name it.
   */
  readsOpaque = 0;
  /** The run of `docker run IMAGE <command>`: an argument is the user's command. */
  readonly userRun: boolean;

  constructor(
    readonly inv: ScriptInvocation,
    readonly host: Host,
    readonly limits: Limits,
    readonly rec: Recorder,
  ) {
    this.ctx = { file: inv.file, calls: [], sourced: [], sub: 0, background: 0, cond: 0, job: null };
    this.files.set(inv.file, { ast: inv.ast, text: inv.file.text });
    this.userRun = inv.params.some((f) => f.s !== null && f.s.includes(USER_COMMAND));
    const self = this;
    this.expandEnv = {
      arg0: inv.arg0,
      get text() {
        return self.ctx.file.text;
      },
      substitute: (stmts, st) => this.substitute(stmts, st),
      bash: host.bash,
      glob: (pattern) => host.glob?.(pattern) ?? null,
      readArgs: (fields) => {
        for (const f of fields) if (f.arg !== undefined) this.rec.argsRead.add(f.arg);
      },
      requiredUnset: (name) => {
        // In a subshell or `$(...)` only that child exits; the script goes on.
        if (this.ctx.sub === 0 && this.requiredAbort === null) this.requiredAbort = name;
      },
      joinedAway: (name, array) => {
        const j = this.rec.firstJoin ?? this.rec.exactJoin;
        if (!j || this.rec.lostUse !== null) return;
        const where = j.at.file === this.ctx.file ? '' : `${this.ctx.file.path}:`;
        const use = `\`$${name}\`, read at ${where ? where : 'line '}${this.at ? this.at.p[0] : '?'}`;
        // In a condition it picks the branch; an array is an argument list. Elsewhere the word's
        // role decides (see `collectLost`).
        const sink = this.lostSinks[this.lostSinks.length - 1];
        if (array || this.ctx.cond > 0 || !sink) this.noteLost(use);
        else sink.push(use);
      },
    };
  }

  /** Lost values read while the role of the word that reads them is not known yet, innermost last. */
  private readonly lostSinks: string[][] = [];

  /** The run used a value the join lost where it can change an answer: it is unsure. */
  noteLost(use: string): void {
    this.rec.lostUse ??= use;
  }

  /** Runs `f` and returns, with its result, the lost values it read (outside conditions). */
  collectLost<T>(f: () => T): { value: T; lost: string[] } {
    const sink: string[] = [];
    this.lostSinks.push(sink);
    try {
      return { value: f(), lost: sink };
    } finally {
      this.lostSinks.pop();
    }
  }

  /** Lost values a plain word read: into the enclosing word's reads when there is one (`$(...)`), else nothing. */
  passLost(lost: string[], capturing: boolean): void {
    const outer = this.lostSinks[this.lostSinks.length - 1];
    if (outer) outer.push(...lost);
    else if (capturing) for (const l of lost) this.noteLost(l);
  }

  /** The statement started last: where a read or a join happened, for the budget finding. */
  at: Stmt | null = null;

  step(): void {
    if (++this.rec.steps > this.limits.maxSteps) throw new BudgetExceeded(`more than ${this.limits.maxSteps} evaluation steps`);
  }

  /** Runs a frame to completion on an explicit stack. */
  run(root: Frame): Flow {
    const stack: Frame[] = [root];
    root.enter(this);
    let result: Flow | null = null;
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as Frame;
      const action = top.resume(this, result);
      result = null;
      if ('push' in action) {
        this.step();
        stack.push(action.push);
        action.push.enter(this);
      } else {
        top.leave(this);
        stack.pop();
        result = action.done;
      }
    }
    return result ?? flowOf([]);
  }

  ref(stmt: Stmt, call: CallExpr): CmdRef {
    // Most commands run outside any function or sourced file: one shared empty list for those.
    const { calls, sourced } = this.ctx;
    return { stmt, call, file: this.ctx.file, via: calls.length === 0 ? NO_CALLS : [...calls], sourcedVia: sourced.length === 0 ? NO_SOURCES : [...sourced] };
  }

  private facts: ScriptFacts | null = null;

  /** What the script's AST says as a whole: it depends on the AST alone, so each AST is walked once for all its runs. */
  scriptFacts(): ScriptFacts {
    return (this.facts ??= scriptFacts(this.inv.ast));
  }

  /** The files the run has read, with their syntax trees: the script and the files it sourced. */
  readonly files = new Map<ScriptFile, KnownFile>();
  /** Where the functions and sourced files the run is in return to, innermost last (null: a file not known). */
  readonly returns: (ReturnPoint | null)[] = [];

  /**
   * Merges the states that reach a point. `after`: the statement of a list that just ran, for
   * the joins that lose nothing (what may be read after it).
   */
  merge(states: State[], at: Stmt | null = this.at, after: Stmt | null = null): State[] {
    const liveness = after ? (names: readonly string[]) => this.liveAfter(after, names) : undefined;
    const r = mergeStates(states, undefined, this.scriptFacts().commandVars, liveness);
    if (r.exact && !this.rec.exactJoin && at) this.rec.exactJoin = { at: { stmt: at, file: this.ctx.file }, states: states.length };
    if (r.capped) {
      this.rec.joined++;
      if (!this.rec.firstJoin && at) this.rec.firstJoin = { at: { stmt: at, file: this.ctx.file }, states: states.length };
      if (r.lostFacts && this.rec.lostUse === null) this.rec.lostUse = 'the script\'s arguments or its user, which differed between the paths';
    }
    return r.states;
  }

  /** What may be read after statement `after` of the current file (see `liveness.ts`). */
  private liveAfter(after: Stmt, names: readonly string[]): LiveFacts | null {
    const file = this.files.get(this.ctx.file);
    if (!file || this.returns.some((r) => r === null)) return null;
    return liveAfter(after, file, this.returns as ReturnPoint[], this.files.values(), names);
  }

  /** `$(...)`: runs the statements in a subshell that captures what they print. */
  substitute(stmts: Stmt[], st: State): Field {
    const known = userQuery(stmts, st.user);
    if (known) return known;
    const before = this.readsOpaque;
    const text = this.capture(stmts, st);
    if (text !== null) return lit(text);
    // The user's command is a word the image does not know: commands run only on words the
    // script knows (`$(which squid)`, `$(cat /etc/app/name)`) print something else.
    return this.userRun && this.readsOpaque === before ? NOT_USER_COMMAND : UNKNOWN;
  }

  private capture(stmts: Stmt[], st: State): string | null {
    if (this.substDepth >= this.limits.maxSubstDepth) return null;
    this.substDepth++;
    this.ctx.sub++;
    try {
      const inner = st.fork();
      inner.out = '';
      const flow = this.run(new ListFrame(stmts, [inner]));
      const outs = [...flow.next, ...flow.ret, ...flow.brk, ...flow.cont].map((s) => s.out);
      if (outs.length === 0) return null;
      const first = outs[0];
      if (typeof first !== 'string' || outs.some((o) => o !== first)) return null;
      return first.replace(/\n+$/, '');
    } finally {
      this.ctx.sub--;
      this.substDepth--;
    }
  }

  fields(words: Word[], st: State): Field[] {
    const out: Field[] = [];
    for (const w of words) out.push(...expandFields(w, st, this.expandEnv));
    return out;
  }

  scalar(w: Word, st: State): Field {
    return expandScalar(w, st, this.expandEnv);
  }

  /** A description of where a value comes from, for decisions: `from CMD`, `no USER`. */
  origin(f: Field, st: State): string | null {
    if (f.arg !== undefined) return this.inv.argLabel(f.arg);
    void st;
    return null;
  }
}

/** A list of statements run one after the other. */
class ListFrame extends Frame {
  private i = 0;
  private cur: State[];
  private readonly ret: State[] = [];
  private readonly brk: State[] = [];
  private readonly cont: State[] = [];

  constructor(
    private readonly stmts: Stmt[],
    states: State[],
  ) {
    super();
    this.cur = states;
  }

  resume(m: Machine, child: Flow | null): Action {
    if (child) {
      this.ret.push(...child.ret);
      this.brk.push(...child.brk);
      this.cont.push(...child.cont);
      const after = this.stmts[this.i - 1] ?? null;
      this.cur = m.merge(child.next, after, after);
    }
    if (this.i >= this.stmts.length || this.cur.length === 0) {
      return { done: { next: this.cur, ret: this.ret, brk: this.brk, cont: this.cont } };
    }
    return { push: new StmtFrame(this.stmts[this.i++] as Stmt, this.cur) };
  }
}

/** One statement: negation, background, then its command. */
class StmtFrame extends Frame {
  private started = false;
  /** A background job of the script's own shell: the programs it runs. */
  private job: Job['cmds'] | null = null;
  private outerJob: Job['cmds'] | null = null;
  private startedJob: Job | null = null;

  constructor(
    private readonly stmt: Stmt,
    private readonly states: State[],
  ) {
    super();
  }

  override enter(m: Machine): void {
    if (this.stmt.background) {
      if (m.ctx.sub === 0) {
        this.job = [];
        this.outerJob = m.ctx.job;
        m.ctx.job = this.job;
      }
      m.ctx.sub++;
      m.ctx.background++;
    }
  }

  override leave(m: Machine): void {
    if (this.stmt.background) {
      m.ctx.sub--;
      m.ctx.background--;
      if (this.job) m.ctx.job = this.outerJob;
    }
  }

  resume(m: Machine, child: Flow | null): Action {
    const s = this.stmt;
    if (!this.started) {
      this.started = true;
      m.at = s;
      if (!s.cmd) return { done: flowOf(this.states) };
      const action = startCommand(m, s, s.cmd, s.background ? this.states.map((st) => st.fork()) : this.states);
      if ('push' in action) return action;
      child = action.done;
    }
    const flow = child ?? flowOf([]);
    if (s.background) {
      // A background job changes nothing in this shell; it succeeds as far as the script can tell.
      // The shell's own jobs are remembered, for `wait` (the shell then stays while they run).
      const job = this.job;
      const next = this.states.map((st) => {
        const x = st.fork();
        x.status = true;
        if (job) {
          const shared = (this.startedJob ??= { stmt: s, file: m.ctx.file, user: st.user, cmds: job });
          const jc = x.jobs;
          // A job started again (in a loop) is the same child, as far as the script's shape goes.
          const known = jc?.jobs.some((j) => j.stmt === s) ?? false;
          if (!known && (jc?.jobs.length ?? 0) < 8) x.jobs = { jobs: [...(jc?.jobs ?? []), shared], term: jc?.term ?? null, waited: jc?.waited ?? null, last: shared };
          else if (jc && (known || jc.last)) x.jobs = known ? { ...jc, last: shared } : { jobs: jc.jobs, term: jc.term, waited: jc.waited };
        }
        return x;
      });
      return { done: flowOf(next) };
    }
    if (s.negated) {
      for (const st of flow.next) st.negate();
    }
    return { done: flow };
  }
}

/** A redirection's word or heredoc body that is plain text (or absent): it feeds no value to the command. */
function literalWord(w: Word | null): boolean {
  return !w || w.parts.every((p) => p.type === 'Lit' || p.type === 'SglQuoted' || (p.type === 'DblQuoted' && p.parts.every((q) => q.type === 'Lit')));
}

/** Whether a statement sends its standard output somewhere else than the captured stdout. */
function redirectsStdout(s: Stmt): boolean {
  return s.redirs.some((r) => (r.op === '>' || r.op === '>>' || r.op === '&>' || r.op === '>|' || (r.op === '>&' && r.word && /^[0-9]$/.test(r.word.parts.map((p) => (p.type === 'Lit' ? p.value : '')).join('')) && r.n !== '2')) && (r.n === null || r.n === '1'));
}

function startCommand(m: Machine, s: Stmt, c: Command, states: State[]): Action {
  switch (c.type) {
    case 'CallExpr':
      return { push: new CallFrame(s, c, states) };
    case 'BinaryCmd':
      if (c.op === '&&' || c.op === '||') return { push: new AndOrFrame(c.op, c.x, c.y, states) };
      return { push: new SubshellFrame([c.x, c.y], states, true) };
    case 'IfClause':
      return { push: new IfFrame(c, states) };
    case 'WhileClause':
      return { push: getoptsLoop(m, c, states) ?? argumentLoop(s, c, states) ?? new WhileFrame(s, c, states) };
    case 'ForClause':
      return { push: new ForFrame(c, states) };
    case 'CaseClause':
      return { push: new CaseFrame(c, states) };
    case 'Block':
      return { push: new ListFrame(c.stmts, states) };
    case 'Subshell':
      return { push: new SubshellFrame(c.stmts, states, false) };
    case 'FuncDecl': {
      const def: FunctionDef = { decl: c, file: m.ctx.file, sourcedVia: [...m.ctx.sourced] };
      const next = states.map((st) => {
        st.defineFunction(c.name, def);
        st.status = true;
        return st;
      });
      return { done: flowOf(next) };
    }
    case 'DeclClause':
      return { done: flowOf(states.map((st) => declare(m, c.variant, c.args, st))) };
    case 'TestClause':
      return { done: flowOf(states.map((st) => doubleBracket(m, s, c, st))) };
    case 'TimeClause':
      return c.stmt ? { push: new StmtFrame(c.stmt, states) } : { done: flowOf(states) };
    case 'CoprocClause':
      return { push: new SubshellFrame([c.stmt], states, false) };
    default:
      return { done: flowOf(states.map((st) => withStatus(st, null))) };
  }
}

function withStatus(st: State, status: boolean | null): State {
  st.status = status;
  return st;
}

/** The element before each element of a pipeline (`a` for `b` in `a | b`): what it reads. */
const PIPE_SOURCE = new WeakMap<Stmt, Stmt>();

/** `( ... )`, pipelines, coprocesses: run in a child process; nothing they set comes back. */
class SubshellFrame extends Frame {
  private i = 0;
  private outs: (string | null | undefined)[] = [];
  /** The exit statuses the subshell ended with (of `( list )`, the last pipeline element's). */
  private statuses: (boolean | null)[] = [];
  private exitsBefore = 0;

  constructor(
    private readonly stmts: Stmt[],
    private readonly states: State[],
    private readonly pipeline: boolean,
  ) {
    super();
    if (pipeline) for (let i = 1; i < stmts.length; i++) PIPE_SOURCE.set(stmts[i] as Stmt, stmts[i - 1] as Stmt);
  }

  override enter(m: Machine): void {
    m.ctx.sub++;
  }

  override leave(m: Machine): void {
    m.ctx.sub--;
  }

  resume(m: Machine, child: Flow | null): Action {
    if (child) {
      this.outs.push(...[...child.next, ...child.ret].map((s) => s.out));
      this.statuses = [...child.next, ...child.ret].map((s) => s.status);
    }
    if (this.i === 0) this.exitsBefore = m.subExits;
    if (this.pipeline ? this.i < this.stmts.length : this.i === 0) {
      const inner = this.states.map((st) => {
        const x = st.fork();
        // What the child prints is collected on its own, then added to the parent's output.
        if (x.out !== undefined) x.out = this.pipeline && this.i < this.stmts.length - 1 ? undefined : '';
        return x;
      });
      const frame = this.pipeline ? new StmtFrame(this.stmts[this.i] as Stmt, inner) : new ListFrame(this.stmts, inner);
      this.i = this.pipeline ? this.i + 1 : 1;
      return { push: frame };
    }
    // `( [ "$1" = a ] || [ "$1" = b ] ) && ...`: a subshell's status is known when every way
    // through it ends with the same one (and none ended inside it, with `exit` or `exec`).
    const one = this.statuses[0];
    // A pipeline fails when its last command fails (with or without pipefail); whether it succeeds
    // depends on pipefail and the other commands.
    const decided = m.subExits === this.exitsBefore && one !== null && one !== undefined && this.statuses.every((x) => x === one);
    const status = decided && (!this.pipeline || one === false) ? one : null;
    const next = this.states.map((st) => {
      const x = st.fork();
      x.status = status;
      if (x.out !== undefined) {
        const last = this.outs.filter((o) => o !== undefined);
        const first = last[0];
        x.out = last.length > 0 && typeof first === 'string' && last.every((o) => o === first) && x.out !== null ? x.out + first : null;
      }
      return x;
    });
    return { done: flowOf(next) };
  }
}

/** `a && b`, `a || b`: b runs when a's status says so; unknown status, both ways. */
class AndOrFrame extends Frame {
  private phase = 0;
  private skipped: State[] = [];
  private acc: Flow = flowOf([]);

  constructor(
    private readonly op: '&&' | '||',
    private readonly x: Stmt,
    private readonly y: Stmt,
    private readonly states: State[],
  ) {
    super();
  }

  resume(m: Machine, child: Flow | null): Action {
    if (this.phase === 0) {
      this.phase = 1;
      m.ctx.cond++;
      return { push: new StmtFrame(this.x, this.states) };
    }
    if (this.phase === 1) {
      m.ctx.cond--;
      this.phase = 2;
      const left = child ?? flowOf([]);
      this.acc = { next: [], ret: left.ret, brk: left.brk, cont: left.cont };
      const go: State[] = [];
      const want = this.op === '&&';
      for (const st of left.next) {
        if (st.status === want) go.push(st);
        else if (st.status === null) {
          const a = st.takeBranch(want);
          a.addDecision(UNDECIDED);
          go.push(a);
          const b = st.takeBranch(!want);
          b.addDecision(UNDECIDED);
          this.skipped.push(b);
        } else this.skipped.push(st);
      }
      if (go.length === 0) return { done: { ...this.acc, next: this.skipped } };
      return { push: new StmtFrame(this.y, go) };
    }
    const right = child ?? flowOf([]);
    return {
      done: {
        next: [...this.skipped, ...right.next],
        ret: [...this.acc.ret, ...right.ret],
        brk: [...this.acc.brk, ...right.brk],
        cont: [...this.acc.cont, ...right.cont],
      },
    };
  }
}

class IfFrame extends Frame {
  private phase = 0;
  private elseStates: State[] = [];
  private readonly out: Flow = flowOf([]);

  constructor(
    private readonly cl: IfClause,
    private readonly states: State[],
  ) {
    super();
  }

  private add(f: Flow): void {
    addFlow(this.out, f);
  }

  resume(m: Machine, child: Flow | null): Action {
    const cl = this.cl;
    switch (this.phase) {
      case 0:
        this.phase = 1;
        if (cl.cond.length === 0) {
          // A plain `else`.
          this.phase = 3;
          return { push: new ListFrame(cl.then, this.states) };
        }
        m.ctx.cond++;
        return { push: new ListFrame(cl.cond, this.states) };
      case 1: {
        m.ctx.cond--;
        const cond = child ?? flowOf([]);
        this.add({ ...cond, next: [] });
        const yes: State[] = [];
        for (const st of cond.next) {
          if (st.status === true) yes.push(st);
          else if (st.status === false) this.elseStates.push(st);
          else {
            const a = st.takeBranch(true);
            a.addDecision(UNDECIDED);
            yes.push(a);
            const b = st.takeBranch(false);
            b.addDecision(UNDECIDED);
            this.elseStates.push(b);
          }
        }
        this.phase = 2;
        if (yes.length > 0) return { push: new ListFrame(cl.then, yes) };
        return this.resume(m, null);
      }
      case 2: {
        if (child) this.add(child);
        this.phase = 3;
        if (this.elseStates.length === 0) return { done: this.out };
        if (!cl.else) {
          // No branch ran: the status of `if` is 0.
          for (const st of this.elseStates) st.status = true;
          this.out.next.push(...this.elseStates);
          return { done: this.out };
        }
        return { push: new IfFrame(cl.else, this.elseStates) };
      }
      default:
        if (child) this.add(child);
        return { done: this.out };
    }
  }
}

/** The names a loop may change, so that they are unknown on every iteration (widening). */
interface LoopEffects {
  names: Set<string>;
  params: boolean;
  /** The body sources files (`. "$f"`): their effects are not known. */
  sources: boolean;
}

const loopEffects = new WeakMap<object, LoopEffects>();

function effectsOf(node: object, stmts: Stmt[]): LoopEffects {
  const hit = loopEffects.get(node);
  if (hit) return hit;
  const names = new Set<string>();
  let params = false;
  let sources = false;
  const todo = [...stmts];
  while (todo.length > 0) {
    const s = todo.pop() as Stmt;
    const c = s.cmd;
    if (!c) continue;
    if (c.type === 'CallExpr') {
      for (const a of c.assigns) if (c.args.length === 0) names.add(a.name);
      const first = c.args[0] && literalOf(c.args[0]);
      if (first === 'shift' || first === 'set') params = true;
      if (first === 'read' || first === 'getopts' || first === 'mapfile' || first === 'readarray' || first === 'printf') {
        for (const w of c.args.slice(1)) {
          const l = literalOf(w);
          if (l && isName(l)) names.add(l);
        }
        names.add('REPLY');
        names.add('OPTARG');
        names.add('OPTIND');
      }
      // `unset` never touches the positional parameters. A file sourced from a path written in the
      // script may set them (`set --`, `shift`); the files of a folder found at run time
      // (`. "$f"`) are not read and, as outside a loop, leave them as they are.
      if (first === 'eval') params = true;
      if (first === '.' || first === 'source') {
        sources = true;
        const target = c.args[1];
        if (target && literalOf(target) !== null) params = true;
      }
      for (const w of c.args) for (const p of w.parts) if (p.type === 'ParamExp' && (p.op === ':=' || p.op === '=')) names.add(p.param);
    } else if (c.type === 'DeclClause') {
      for (const a of c.args) if (a.name) names.add(a.name);
    } else if (c.type === 'ForClause' && c.name) names.add(c.name);
    todo.push(...childStmts(c));
  }
  const r = { names, params, sources };
  loopEffects.set(node, r);
  return r;
}

function widen(m: Machine, states: State[], eff: LoopEffects, extra: string[] = []): State[] {
  return states.map((st) => {
    const x = st.fork();
    x.forget([...eff.names, ...extra]);
    if (eff.params) {
      // A loop that shifts through the arguments (`while [ $# -gt 0 ]; do case "$1" in ...`) reads them all.
      m.expandEnv.readArgs?.(x.params);
      x.params = [UNKNOWN_FIELDS];
    }
    return x;
  });
}

class WhileFrame extends Frame {
  private phase = 0;
  private exits: State[] = [];
  private forever = false;
  private readonly acc: Flow = flowOf([]);
  /** The loop polls the shell's background jobs (see `polls.ts`). */
  private poll: PollMatch | null = null;

  constructor(
    private readonly stmt: Stmt,
    private readonly c: WhileClause,
    private readonly states: State[],
  ) {
    super();
  }

  resume(m: Machine, child: Flow | null): Action {
    const c = this.c;
    if (this.phase === 0) {
      // The condition is first tested as the loop is reached, before the body has changed
      // anything: a loop it rules out there (`shift` then `while [ $# -gt 0 ]` with no arguments
      // left) never runs, and what its body could assign keeps its value.
      this.phase = -1;
      m.ctx.cond++;
      return { push: new ListFrame(c.cond, this.states.map((st) => st.fork())) };
    }
    if (this.phase === -1) {
      m.ctx.cond--;
      const first = child ?? flowOf([]);
      const enter = !c.until;
      if (first.next.length > 0 && first.ret.length === 0 && first.next.every((st) => st.status === !enter)) {
        return { done: { ...this.acc, next: first.next.map((s) => withStatus(s, true)) } };
      }
      // It may run: tested again on the values any pass could leave.
      this.phase = 1;
      const eff = effectsOf(c, [...c.cond, ...c.do]);
      const widened = widen(m, this.states, eff);
      // `while kill -0 "$pid"; do sleep 5; done`: the shell stays in the loop while the job runs.
      if (m.ctx.sub === 0) this.poll = pollOf(c, widened.map((st) => ({ jobs: st.jobs?.jobs ?? [], fields: (words) => m.fields(words, st), isFunction: (name) => st.getFunction(name) !== undefined })));
      m.ctx.cond++;
      return { push: new ListFrame(c.cond, widened) };
    }
    if (this.phase === 1) {
      m.ctx.cond--;
      this.phase = 2;
      const cond = child ?? flowOf([]);
      this.acc.ret.push(...cond.ret);
      const body: State[] = [];
      const enter = !c.until;
      this.forever = cond.next.length > 0 && cond.next.every((st) => st.status === enter);
      for (const st of cond.next) {
        if (st.status === enter) body.push(st);
        else if (st.status === null) {
          body.push(st.fork());
          this.exits.push(st);
        } else this.exits.push(st);
      }
      if (body.length === 0) return { done: { ...this.acc, next: this.exits.map((s) => withStatus(s, true)) } };
      return { push: new ListFrame(c.do, body) };
    }
    const body = child ?? flowOf([]);
    this.acc.ret.push(...body.ret);
    const again = [...body.next, ...body.cont];
    if (this.forever && again.length > 0 && body.brk.length === 0 && this.acc.ret.length === 0 && m.ctx.sub === 0) {
      // `while true; do sleep 1000; done` with no `break` or `return`: the paths that come back to
      // the top never leave it. (A function's `while true` search loop that returns when it finds
      // what it looks for leaves on a later pass: values change between passes.) The script's shell stays in the loop for good: a keep-alive ending.
      const loop: LoopRef = { stmt: this.stmt, file: m.ctx.file, via: [...m.ctx.calls], sourcedVia: [...m.ctx.sourced] };
      for (const st of again) {
        m.rec.ending({ kind: 'loop', cmd: null, argv: [], code: null, last: st.last, user: st.user, failed: false, why: whyList(st.why), opaque: st.opaque, loop, ...waitedOf(st), ...(st.jobs && st.jobs.jobs.length > 0 ? { running: st.jobs } : {}) });
      }
    }
    const next = [...this.exits, ...body.brk, ...(this.forever ? [] : again)].map((s) => withStatus(s, this.forever ? true : null));
    const poll = this.poll;
    if (poll) {
      // The loop goes on only once the jobs it polls have exited: where the shell spends its life, as in a `wait`.
      const at: StmtRef = { stmt: this.stmt, file: m.ctx.file, via: [...m.ctx.calls], sourcedVia: [...m.ctx.sourced] };
      const test = m.ref(poll.stmt, poll.call);
      const text = m.ctx.file.text.slice(poll.from, poll.to);
      for (const st of next) staysAt(m, st, at, { test, text, jobs: poll.jobs.filter((j) => st.jobs?.jobs.includes(j)) });
    }
    return { done: { ...this.acc, next } };
  }
}

/**
 * `while [ $# -gt 0 ]; do case "$1" in ...) ;; esac; shift; done`, the option parser of a script
 * whose arguments are all known words (CMD's, the user command, or none): run pass by pass as the
 * shell would, so the branch each word takes, and `$#` and `$@` after the loop, are known. Null
 * for a loop that changes no argument (it is widened), or when an argument is not known. A loop
 * still going after more passes than there are words to shift is widened from there.
 */
function argumentLoop(stmt: Stmt, c: WhileClause, states: State[]): Frame | null {
  if (states.length === 0 || !effectsOf(c, [...c.cond, ...c.do]).params) return null;
  for (const st of states) if (st.params.length > MAX_UNROLLED_ITEMS || st.params.some((f) => f.s === null || f.multi)) return null;
  return new ArgumentLoopFrame(stmt, c, states);
}

class ArgumentLoopFrame extends Frame {
  private phase: 'start' | 'cond' | 'body' | 'rest' = 'start';
  private passes = 0;
  private readonly acc: Flow = flowOf([]);
  private readonly left: State[] = [];

  constructor(
    private readonly stmt: Stmt,
    private readonly c: WhileClause,
    private states: State[],
  ) {
    super();
  }

  resume(m: Machine, child: Flow | null): Action {
    const flow = child ?? flowOf([]);
    switch (this.phase) {
      case 'rest':
        // Widened after too many passes: what that loop leaves goes on with the rest.
        addFlow(this.acc, { ...flow, next: [] });
        return { done: { ...this.acc, next: [...this.left, ...flow.next] } };
      case 'cond': {
        m.ctx.cond--;
        this.acc.ret.push(...flow.ret);
        const enter = !this.c.until;
        const body: State[] = [];
        for (const st of flow.next) {
          if (st.status === enter) body.push(st);
          else if (st.status === null) {
            body.push(st.fork());
            this.left.push(withStatus(st, true));
          } else this.left.push(withStatus(st, true));
        }
        if (body.length === 0) return this.finish();
        this.phase = 'body';
        return { push: new ListFrame(this.c.do, body) };
      }
      case 'body':
        this.acc.ret.push(...flow.ret);
        this.left.push(...flow.brk.map((st) => withStatus(st, true)));
        this.states = m.merge([...flow.next, ...flow.cont]);
        if (this.states.length === 0) return this.finish();
        return this.condition(m);
      default:
        return this.condition(m);
    }
  }

  private condition(m: Machine): Action {
    if (this.passes > MAX_UNROLLED_ITEMS) {
      this.phase = 'rest';
      return { push: new WhileFrame(this.stmt, this.c, this.states) };
    }
    this.passes++;
    this.phase = 'cond';
    m.ctx.cond++;
    return { push: new ListFrame(this.c.cond, this.states) };
  }

  private finish(): Action {
    return { done: { ...this.acc, next: this.left } };
  }
}

/**
 * `while getopts OPTSTRING NAME; do ... done` from OPTIND 1 over arguments whose options are
 * known (the default run's CMD words, or the user command, which is not an option): run pass by
 * pass as getopts would (`getopts.ts`), so OPTIND after it, and `$#` after `shift $((OPTIND-1))`,
 * are known. Null for any other loop, or when a word the parse reads is unknown.
 */
function getoptsLoop(m: Machine, c: WhileClause, states: State[]): Frame | null {
  const cond = c.cond.length === 1 ? c.cond[0] : undefined;
  const call = cond?.cmd?.type === 'CallExpr' && !cond.negated && !cond.background ? cond.cmd : null;
  if (c.until || !call || call.assigns.length > 0 || call.args.length !== 3 || literalOf(call.args[0] as Word) !== 'getopts') return null;
  const optstring = literalOf(call.args[1] as Word);
  const name = literalOf(call.args[2] as Word);
  if (optstring === null || name === null || !isName(name) || states.length === 0) return null;
  let parse: GetoptsParse | null = null;
  for (const st of states) {
    const optind = st.getVar('OPTIND');
    const fresh = optind === undefined ? !st.unknownUnset : optind.kind === 'scalar' && optind.value.s === '1';
    const p = fresh ? parseGetopts(optstring, st.params, MAX_UNROLLED_ITEMS) : null;
    if (!p || (parse && !sameParse(parse, p))) return null;
    parse = p;
  }
  for (const st of states) m.expandEnv.readArgs?.(st.params);
  return new GetoptsFrame(c, name, parse as GetoptsParse, states);
}

function sameParse(a: GetoptsParse, b: GetoptsParse): boolean {
  return a.optind === b.optind && a.steps.length === b.steps.length && a.steps.every((x, i) => {
    const y = b.steps[i] as GetoptsStep;
    return x.name === y.name && x.optind === y.optind && x.optarg?.s === y.optarg?.s && !!x.optarg === !!y.optarg;
  });
}

class GetoptsFrame extends Frame {
  private at = 0;
  private started = false;
  private readonly left: State[] = [];
  private readonly ret: State[] = [];
  /** The arguments and OPTIND each pass expects; a body that changes them leaves the parse. */
  private readonly params: (string | null)[];
  private readonly eff: LoopEffects;

  constructor(
    private readonly c: WhileClause,
    private readonly name: string,
    private readonly parse: GetoptsParse,
    private readonly states: State[],
  ) {
    super();
    this.params = (states[0] as State).params.map((f) => f.s);
    this.eff = effectsOf(c.do, c.do);
  }

  resume(m: Machine, child: Flow | null): Action {
    let states = this.states;
    if (this.started) {
      const body = child ?? flowOf([]);
      this.ret.push(...body.ret);
      this.left.push(...body.brk.map((st) => withStatus(st, true)));
      states = m.merge([...body.next, ...body.cont]);
    }
    this.started = true;
    const expected = this.at === 0 ? null : String((this.parse.steps[this.at - 1] as GetoptsStep).optind);
    const keep: State[] = [];
    for (const st of states) {
      const optind = st.getVar('OPTIND');
      const same = st.params.length === this.params.length && st.params.every((f, i) => f.s === this.params[i]) && (expected === null || (optind?.kind === 'scalar' && optind.value.s === expected));
      if (same) keep.push(st);
      // The body moved OPTIND or the arguments: what getopts reads next is not known.
      else this.left.push(...widen(m, [st], this.eff, [this.name, 'OPTIND', 'OPTARG']).map((x) => withStatus(x, null)));
    }
    const step = this.parse.steps[this.at++];
    if (!step || keep.length === 0) {
      // The call that returns false: NAME is `?`, OPTIND the first argument left.
      for (const st of keep) {
        st.setVar(this.name, { kind: 'scalar', value: lit('?') });
        st.setVar('OPTIND', { kind: 'scalar', value: lit(String(this.parse.optind)) });
        st.status = true;
      }
      return { done: { next: [...this.left, ...keep], ret: this.ret, brk: [], cont: [] } };
    }
    const pass = keep.map((st) => {
      const x = st.fork();
      x.setVar(this.name, { kind: 'scalar', value: lit(step.name) });
      x.setVar('OPTARG', step.optarg ? { kind: 'scalar', value: step.optarg } : undefined);
      x.setVar('OPTIND', { kind: 'scalar', value: lit(String(step.optind)) });
      return x;
    });
    return { push: new ListFrame(this.c.do, pass) };
  }
}

/** A `for` over this many known items or fewer is run item by item; a longer or unknown list is widened. */
const MAX_UNROLLED_ITEMS = 32;

class ForFrame extends Frame {
  private phase = 0;
  private entry: State[] = [];
  /** Unrolled: the items, the next one, and the states that left the loop. */
  private items: Field[] | null = null;
  private at = 0;
  private readonly left: State[] = [];
  private readonly ret: State[] = [];

  constructor(
    private readonly c: ForClause,
    private readonly states: State[],
  ) {
    super();
  }

  resume(m: Machine, child: Flow | null): Action {
    const c = this.c;
    if (this.phase === 0) {
      this.phase = 1;
      // The item words are expanded once, before the loop (they may run `$(...)`).
      const lists = this.states.map((st) => {
        if (c.items) return m.fields(c.items, st);
        // `for arg; do`: over the arguments.
        if (c.name) m.expandEnv.readArgs?.(st.params);
        return c.name ? st.params : [UNKNOWN_FIELDS];
      });
      const first = lists[0];
      const known = first && first.length <= MAX_UNROLLED_ITEMS && first.every((f) => f.s !== null && !f.multi) && lists.every((l) => l.length === first.length && l.every((f, i) => f.s === first[i]?.s));
      if (known && c.name) {
        // Known items (`for f in /startup.d/*` over a folder COPY'd from the build): one pass each.
        this.items = first.map((f) => ({ s: f.s }));
        this.phase = 2;
        return this.next(m, this.states);
      }
      const eff = effectsOf(c, c.do);
      const body: State[] = [];
      for (const [k, st] of this.states.entries()) {
        const items = lists[k] as Field[];
        const w = widen(m, [st], eff)[0] as State;
        if (c.name) {
          const one = items.length === 1 && !items[0]?.multi ? (items[0] as Field) : UNKNOWN;
          w.setVar(c.name, { kind: 'scalar', value: one.s !== null ? { s: one.s } : UNKNOWN });
        }
        if (items.length === 0) this.entry.push(withStatus(st, true));
        else {
          if (items.some((f) => f.multi)) {
            // Perhaps no item at all; but a loop that sources files found at run time is not
            // known to source none.
            const none = w.fork();
            if (eff.sources) none.opaque = true;
            this.entry.push(none);
          }
          body.push(w);
        }
      }
      if (body.length === 0) return { done: flowOf(this.entry) };
      return { push: new ListFrame(c.do, body) };
    }
    if (this.phase === 2) {
      const body = child ?? flowOf([]);
      this.ret.push(...body.ret);
      this.left.push(...body.brk.map((st) => withStatus(st, true)));
      return this.next(m, m.merge([...body.next, ...body.cont]));
    }
    const body = child ?? flowOf([]);
    const next = [...this.entry, ...body.next, ...body.cont, ...body.brk].map((s) => withStatus(s, null));
    return { done: { next, ret: body.ret, brk: [], cont: [] } };
  }

  /** The next unrolled pass, or the end of the loop. */
  private next(_m: Machine, states: State[]): Action {
    const items = this.items as Field[];
    if (this.at >= items.length || states.length === 0) {
      if (items.length === 0) for (const st of states) st.status = true;
      return { done: { next: [...this.left, ...states], ret: this.ret, brk: [], cont: [] } };
    }
    const item = items[this.at++] as Field;
    const name = this.c.name as string;
    const pass = states.map((st) => {
      const x = st.fork();
      x.setVar(name, { kind: 'scalar', value: item });
      return x;
    });
    return { push: new ListFrame(this.c.do, pass) };
  }
}

class CaseFrame extends Frame {
  private started = false;
  private queue: { stmts: Stmt[]; states: State[] }[] = [];
  private readonly out: Flow = flowOf([]);

  constructor(
    private readonly c: CaseClause,
    private readonly states: State[],
  ) {
    super();
  }

  resume(m: Machine, child: Flow | null): Action {
    if (child) addFlow(this.out, child);
    if (!this.started) {
      this.started = true;
      const byItem = this.c.items.map(() => [] as State[]);
      for (const st of this.states) {
        const value = m.scalar(this.c.word, st);
        let certain = false;
        for (const [i, item] of this.c.items.entries()) {
          let match: boolean | null = false;
          for (const p of item.patterns) {
            const glob = patternOf(p, st, m.expandEnv);
            const r = glob === null ? null : value.s === null || value.multi ? (/^\*+$/.test(glob) ? true : knownNotToBe(value, glob) ? false : null) : globMatch(value.s, glob);
            if (r === true) {
              match = true;
              break;
            }
            if (r === null) match = null;
          }
          if (match === true) {
            const x = st.fork();
            const origin = m.origin(value, x);
            x.addDecision({ text: `${wordText(m, this.c.word)} matches ${item.patterns.map((p) => wordText(m, p)).join('|')}${origin ? ` (${origin})` : ''}`, at: null, ...(origin ? { args: true as const } : {}) });
            byItem[i]?.push(x);
            certain = true;
            break;
          }
          if (match === null) {
            const x = st.fork();
            x.addDecision(UNDECIDED);
            byItem[i]?.push(x);
          }
        }
        if (!certain) {
          if (this.c.items.length > 0) st.addDecision(UNDECIDED);
          this.out.next.push(withStatus(st, true));
        }
      }
      this.queue = this.c.items.map((item, i) => ({ stmts: item.stmts, states: byItem[i] ?? [] })).filter((q) => q.states.length > 0);
    }
    const q = this.queue.shift();
    if (!q) return { done: this.out };
    return { push: new ListFrame(q.stmts, q.states) };
  }
}

/** A pattern with no special character (`""`, `server`) that an unknown value is known to differ from. */
function knownNotToBe(value: Field, glob: string): boolean {
  return !value.multi && !/[*?[\\]/.test(glob) && value.not?.includes(glob) === true;
}

function wordText(m: Machine, w: Word): string {
  return m.ctx.file.text.slice(w.p[2], w.e[2]).replace(/^["']|["']$/g, '');
}

function literalOf(w: Word): string | null {
  let out = '';
  for (const p of w.parts) {
    if (p.type === 'Lit') out += p.value;
    else if (p.type === 'SglQuoted') out += p.value;
    else if (p.type === 'DblQuoted' && p.parts.every((x) => x.type === 'Lit')) out += p.parts.map((x) => (x.type === 'Lit' ? x.value : '')).join('');
    else return null;
  }
  return out;
}

/** A function call: its body runs with the call's arguments as positional parameters. */
class FunctionFrame extends Frame {
  private started = false;
  private savedFile: ScriptFile | null = null;
  private savedSourced: { stmt: Stmt; file: ScriptFile }[] = [];

  constructor(
    private readonly name: string,
    private readonly def: FunctionDef,
    private readonly args: Field[],
    private readonly st: State,
    private readonly site: Stmt,
  ) {
    super();
  }

  override enter(m: Machine): void {
    const caller = m.files.get(m.ctx.file);
    m.returns.push(caller ? { file: caller, stmt: this.site } : null);
    m.ctx.calls.push(this.name);
    this.savedFile = m.ctx.file;
    m.ctx.file = this.def.file;
    // Commands of a function from a sourced file are reached through the `. file` that defined it.
    this.savedSourced = m.ctx.sourced;
    m.ctx.sourced = [...this.def.sourcedVia];
  }

  override leave(m: Machine): void {
    m.returns.pop();
    m.ctx.calls.pop();
    if (this.savedFile) m.ctx.file = this.savedFile;
    m.ctx.sourced = this.savedSourced;
  }

  resume(_m: Machine, child: Flow | null): Action {
    if (!this.started) {
      this.started = true;
      const inner = this.st.fork();
      inner.params = this.args;
      inner.enterFunction();
      return { push: new StmtFrame(this.def.decl.body, [inner]) };
    }
    const flow = child ?? flowOf([]);
    const callerParams = this.st.params;
    const next = [...flow.next, ...flow.ret, ...flow.brk, ...flow.cont].map((s) => {
      s.leaveFunction();
      s.params = callerParams;
      return s;
    });
    return { done: flowOf(next) };
  }
}

/** `. file`: the file's statements run in this shell. */
class SourceFrame extends Frame {
  private started = false;
  private saved: ScriptFile | null = null;

  constructor(
    private readonly stmt: Stmt,
    private readonly target: { ast: ShellFile; file: ScriptFile },
    private readonly states: State[],
  ) {
    super();
  }

  override enter(m: Machine): void {
    this.saved = m.ctx.file;
    const from = m.files.get(m.ctx.file);
    m.returns.push(from ? { file: from, stmt: this.stmt } : null);
    if (!m.files.has(this.target.file)) m.files.set(this.target.file, { ast: this.target.ast, text: this.target.file.text });
    m.ctx.sourced.push({ stmt: this.stmt, file: m.ctx.file });
    m.ctx.file = this.target.file;
  }

  override leave(m: Machine): void {
    m.returns.pop();
    m.ctx.sourced.pop();
    if (this.saved) m.ctx.file = this.saved;
  }

  resume(_m: Machine, child: Flow | null): Action {
    if (!this.started) {
      this.started = true;
      return { push: new ListFrame(this.target.ast.stmts, this.states) };
    }
    const flow = child ?? flowOf([]);
    return { done: { next: [...flow.next, ...flow.ret], ret: [], brk: flow.brk, cont: flow.cont } };
  }
}

/** `eval "known text"`: parsed and run here; its commands are reported at the `eval`. */
class EvalFrame extends Frame {
  private started = false;
  private saved: ScriptFile | null = null;

  constructor(
    private readonly ast: ShellFile,
    private readonly file: ScriptFile,
    private readonly states: State[],
  ) {
    super();
  }

  override enter(m: Machine): void {
    this.saved = m.ctx.file;
    m.ctx.file = this.file;
  }

  override leave(m: Machine): void {
    if (this.saved) m.ctx.file = this.saved;
  }

  resume(_m: Machine, child: Flow | null): Action {
    if (!this.started) {
      this.started = true;
      return { push: new ListFrame(this.ast.stmts, this.states) };
    }
    return { done: child ?? flowOf([]) };
  }
}

/** A simple command, once per state. Function calls, `.` and `eval` push a frame. */
class CallFrame extends Frame {
  private i = 0;
  private readonly out: Flow = flowOf([]);

  constructor(
    private readonly stmt: Stmt,
    private readonly call: CallExpr,
    private readonly states: State[],
  ) {
    super();
  }

  resume(m: Machine, child: Flow | null): Action {
    if (child) addFlow(this.out, child);
    while (this.i < this.states.length) {
      const st = this.states[this.i++] as State;
      m.step();
      // Saved: a `$(...)` of an outer command's words runs its own commands in between.
      const outer = m.requiredAbort;
      m.requiredAbort = null;
      const r = simpleCommand(m, this.stmt, this.call, st);
      const name = m.requiredAbort;
      m.requiredAbort = outer;
      if (name !== null) {
        // `${NAME:?}` with NAME unset: the shell exits with status 1 here (the command is not run).
        st.addDecision({ text: `\${${name}:?} exits because ${name} is unset`, at: m.ref(this.stmt, this.call), unset: [name] });
        m.rec.ending({ kind: 'exit', cmd: m.ref(this.stmt, this.call), argv: [], code: lit('1'), last: st.last, user: st.user, failed: true, why: whyList(st.why), opaque: st.opaque, ...waitedOf(st) });
        continue;
      }
      if ('push' in r) return r;
      this.out.next.push(...r.done.next);
      this.out.ret.push(...r.done.ret);
      this.out.brk.push(...r.done.brk);
      this.out.cont.push(...r.done.cont);
    }
    return { done: this.out };
  }
}

const NOT_A_COMMAND = new Set([':', 'true', 'false', '[', 'test', 'set', 'shift', 'return', 'break', 'continue', 'local', 'export', 'readonly', 'declare', 'typeset', 'unset', 'shopt', 'umask', 'ulimit', 'cd', 'pushd', 'popd', 'read', 'getopts', 'echo', 'printf', 'trap', 'wait', 'hash', 'type', 'alias', 'unalias', 'let', 'eval', '.', 'source', 'exec', 'exit', 'id', 'whoami', 'command', 'builtin', 'mapfile', 'readarray']);

/** The lost values one word of a command read, and where its fields start in the command's argv. */
interface WordReads {
  start: number;
  lost: string[];
  /** The word assigns a variable itself (`${A:=$B}`): what it read is not a plain argument. */
  assigns: boolean;
  /** The word is written `NAME=value`. */
  named: boolean;
}

/**
 * Tools that take a program, a user, or the arguments of another command: a lost value in any of
 * their words can change what runs, as whom, or what it is handed.
 */
const HANDS_ON = new Set(['gosu', 'su-exec', 'doas', 'setpriv', 'su', 'runuser', 'sudo', 'chpst', 's6-setuidgid', 'env', 'nice', 'nohup', 'setsid', 'tini', 'tini-static', 'docker-init', 'dumb-init', 'catatonit', 'timeout', 'chroot', 'numactl', 'taskset', 'ionice', 'stdbuf', 'xargs', 'sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'busybox', 'time', 'watch', 'flock', 'runsv', 'runsvdir', 's6-svscan', 'supervisord']);

const DECLARES = new Set(['export', 'readonly', 'local', 'declare', 'typeset']);

/** Builtins whose arguments are only printed (or ignored): plain arguments like a program's. */
const PRINTS_ONLY = new Set([':', 'true', 'false', 'echo', 'printf']);

function assignsInWord(w: Word): boolean {
  const visit = (parts: readonly WordPart[]): boolean =>
    parts.some((p) => (p.type === 'ParamExp' ? p.op === ':=' || p.op === '=' || (p.word !== null && visit(p.word.parts)) : p.type === 'DblQuoted' ? visit(p.parts) : false));
  return visit(w.parts);
}

/**
 * Decides what the lost values a command's words read mean: as (part of) its command word, as a
 * word of a tool that runs another program or as another user, of a builtin that sets the
 * arguments or variables (`set --`, `eval`, `shift`, `read`), or of a function (whose arguments
 * become `"$@"`), they can change an answer and make the run unsure. As a plain argument of a
 * program (`exec gunicorn -c "$CONF"`) they cannot: which program runs, as whom, as PID 1 and
 * with which of the script's arguments is the same on every path.
 */
function settleLost(m: Machine, words: WordReads[], argv: Field[], st: State): void {
  if (!words.some((w) => w.lost.length > 0)) return;
  let h = 0;
  while (h < argv.length) {
    const s = argv[h]?.s;
    if (s === 'command' || s === 'builtin') h++;
    else if (s === 'exec') {
      h++;
      while (argv[h]?.s?.startsWith('-')) {
        const o = argv[h]?.s;
        h += o === '-a' ? 2 : 1;
        if (o === '--') break;
      }
    } else break;
  }
  const head = argv[h]?.s ?? null;
  const known = argv.slice(0, h + 1).every((f) => f.s !== null && !f.multi);
  const printOnly = head !== null && PRINTS_ONLY.has(head) && !(head === 'printf' && argv[h + 1]?.s === '-v');
  const plain = m.ctx.cond === 0 && known && head !== null && !HANDS_ON.has(basename(head)) && (printOnly || !NOT_A_COMMAND.has(head)) && !st.getFunction(head);
  const capturing = st.out !== undefined;
  // `export NAME=value` parsed as a plain command (POSIX sh): the value is not given to NAME here.
  const declares = m.ctx.cond === 0 && known && head !== null && DECLARES.has(head);
  for (const w of words) {
    if (w.lost.length === 0) continue;
    if (declares && w.start > h && !w.assigns && w.named) m.passLost(w.lost, capturing);
    else if (!plain || w.start <= h || w.assigns) for (const l of w.lost) m.noteLost(l);
    else m.passLost(w.lost, capturing);
  }
}

/** What a command word says by its syntax alone (see `WordReads`), worked out once per word of an AST. */
const WORD_FACTS = new WeakMap<Word, { assigns: boolean; named: boolean }>();

function simpleCommand(m: Machine, stmt: Stmt, call: CallExpr, st: State): Action {
  // Assignments alone set variables; before a command they only set its environment.
  if (call.args.length === 0) {
    let status: boolean | null = true;
    for (const a of call.assigns) {
      if (a.value && a.value.parts.some((p) => p.type === 'CmdSubst')) status = null;
      assign(m, a, st);
    }
    return { done: flowOf([withStatus(st, status)]) };
  }
  const decl = posixDeclaration(call);
  if (decl) return { done: flowOf([declare(m, decl.variant, decl.args, st)]) };
  const words: WordReads[] = [];
  let argv: Field[] = [];
  for (const w of call.args) {
    const r = m.collectLost(() => expandFields(w, st, m.expandEnv));
    const first = w.parts[0];
    let facts = WORD_FACTS.get(w);
    if (!facts) {
      facts = { assigns: assignsInWord(w), named: first?.type === 'Lit' && ASSIGNMENT_OR_APPEND.test(first.value) };
      WORD_FACTS.set(w, facts);
    }
    words.push({ start: argv.length, lost: r.lost, assigns: facts.assigns, named: facts.named });
    argv.push(...r.value);
  }
  settleLost(m, words, argv, st);
  if (m.userRun && (argv.some((f) => f.s === null || f.multi || f.s.includes(USER_COMMAND)) || stmt.redirs.some((r) => !literalWord(r.word) || !literalWord(r.hdoc)))) m.readsOpaque++;
  if (argv.length === 0) return { done: flowOf([withStatus(st, true)]) };
  // `command x` and `builtin x` run x (skipping functions; close enough here).
  while ((argv[0]?.s === 'command' || argv[0]?.s === 'builtin') && argv.length > 1 && !(argv[1]?.s ?? '').startsWith('-')) argv = argv.slice(1);
  const name = argv[0] as Field;
  const ref = m.ref(stmt, call);
  const capturing = st.out !== undefined && !redirectsStdout(stmt);
  const ran = (status: boolean | null, output?: string | null): Action => {
    st.status = status;
    if (capturing) st.out = output === undefined ? st.out : output === null || st.out === null ? null : (st.out as string) + output;
    return { done: flowOf([st]) };
  };
  if (name.s === null || name.multi) {
    // A command word from an unknown value: unknown, never judged.
    m.rec.command(ref, argv, st, m.ctx, false);
    if (m.ctx.cond === 0 && m.ctx.sub === 0) st.last = [ref];
    ranAfterWait(st);
    return ran(null, null);
  }
  const cmd = name.s;
  const fn = st.getFunction(cmd);
  if (fn && !NOT_A_COMMAND.has(cmd)) {
    // Deeper than the budget: what the call does is not known, so nothing may be concluded after it.
    if (m.ctx.calls.length >= m.limits.maxCallDepth) throw new BudgetExceeded(`more than ${m.limits.maxCallDepth} nested function calls`);
    if (m.ctx.calls.includes(cmd)) {
      m.rec.command(ref, argv, st, m.ctx, false);
      return ran(null, null);
    }
    return { push: new FunctionFrame(cmd, fn, argv.slice(1), st, stmt) };
  }
  switch (cmd) {
    case ':':
    case 'true':
      return ran(true, '');
    case 'false':
      return ran(false, '');
    case '[':
    case 'test': {
      const words = cmd === '[' ? argv.slice(1, argv[argv.length - 1]?.s === ']' ? -1 : undefined) : argv.slice(1);
      const src = cmd === '[' ? call.args.slice(1, -1) : call.args.slice(1);
      return test(m, st, words, src, false, ref);
    }
    case 'exec': {
      let rest = argv.slice(1);
      // exec's own options: `-c`, `-l`, `-a NAME` (bash), then `--`. Any other word that starts
      // with `-` is the command (`exec --workers 1`), which the shell cannot find: it fails.
      while (rest[0]?.s && /^-([cl]*a?|-)$/.test(rest[0].s) && rest[0].s !== '-' && rest.length > 1) {
        const o = rest[0].s;
        rest = rest.slice(o.endsWith('a') ? 2 : 1);
        if (o === '--') break;
      }
      if (rest[0]?.s && rest[0].s.startsWith('-') && rest[0].s !== '-' && !/^-([cl]*a?|-)$/.test(rest[0].s) && rest[0].s.length > 1 && !rest[0].s.includes(USER_COMMAND)) return ran(false, '');
      if (rest.length === 0 || (rest[0]?.s?.startsWith('-') ?? false)) {
        // `exec "$@"` with no arguments (`docker run IMAGE` with no CMD) runs nothing and the
        // script goes on: it is the last command so far, one that leaves nothing running.
        if (rest.length === 0 && m.ctx.cond === 0 && m.ctx.sub === 0) st.last = [ref];
        return ran(true, '');
      }
      m.rec.command(ref, rest, st, m.ctx, m.ctx.sub === 0);
      if (m.ctx.sub > 0) {
        m.subExits++;
        return { done: flowOf([]) };
      }
      const flattened = flattenedIn(call.args, st);
      m.rec.ending({ kind: 'exec', cmd: ref, argv: rest, code: null, last: st.last, user: st.user, failed: false, why: whyList(st.why), opaque: st.opaque, ...waitedOf(st), ...(flattened ? { flattened } : {}), ...runningOf(st) });
      return { done: flowOf([]) };
    }
    case 'exit': {
      if (m.ctx.sub > 0) {
        m.subExits++;
        return { done: flowOf([]) };
      }
      const code = argv[1] ?? (st.status === false ? UNKNOWN : st.status === true ? lit('0') : UNKNOWN);
      // `exit -1` is an error too (status 255 in bash; dash refuses the number and exits 2).
      const failed = argv[1] ? code.s !== null && /^-?\d+$/.test(code.s) && Number(code.s) !== 0 : st.status === false;
      m.rec.ending({ kind: 'exit', cmd: ref, argv: [], code, last: st.last, user: st.user, failed, why: whyList(st.why), opaque: st.opaque, ...waitedOf(st), ...(argv[1] ? {} : { bare: true as const }) });
      return { done: flowOf([]) };
    }
    case 'return':
      if (m.ctx.calls.length > 0 || m.ctx.sourced.length > 0) {
        const code = argv[1]?.s;
        st.status = code === undefined ? st.status : code === '0' ? true : code !== null && /^\d+$/.test(code) ? false : null;
        return { done: { next: [], ret: [st], brk: [], cont: [] } };
      }
      return ran(st.status);
    case 'break':
      return { done: { next: [], ret: [], brk: [st], cont: [] } };
    case 'continue':
      return { done: { next: [], ret: [], brk: [], cont: [st] } };
    case 'set': {
      const rest = argv.slice(1);
      let i = 0;
      while (i < rest.length) {
        const s = rest[i]?.s;
        if (s === '--') {
          i++;
          st.params = rest.slice(i);
          return ran(true, '');
        }
        // `-o name`, also in a cluster (`set -Eeuo pipefail`, `set -eou pipefail`): each `o` takes the next word.
        const values = s === null || s === undefined ? null : clusterValueCount(s, 'o');
        if (values !== null) i += 1 + values;
        else if (s !== null && s !== undefined && /^[-+]/.test(s)) i++;
        else break;
      }
      if (i < rest.length) {
        if (rest[i]?.s === null || rest[i]?.multi) st.params = [UNKNOWN_FIELDS];
        else st.params = rest.slice(i);
      }
      return ran(true, '');
    }
    case 'shift': {
      const n = argv[1] ? (argv[1].s !== null && /^\d+$/.test(argv[1].s) ? Number(argv[1].s) : null) : 1;
      if (n === null || st.params.slice(0, n).some((f) => f.multi)) {
        // `shift "$n"`: which arguments are left is unknown; any of them may be read later.
        m.expandEnv.readArgs?.(st.params);
        st.params = [UNKNOWN_FIELDS];
        return ran(null, '');
      }
      if (n > st.params.length) return ran(false, '');
      st.params = st.params.slice(n);
      return ran(true, '');
    }
    case '.':
    case 'source':
      return sourceFile(m, stmt, ref, argv, st);
    case 'eval': {
      const parts = argv.slice(1);
      // Inside `$(...)`, the user command is text of unknown words: `$(eval "echo $i")` prints
      // what the shell makes of them, not the placeholder (whose marker the parser would drop).
      const opaqueUserCommand = m.ctx.sub > 0 && parts.some((f) => f.s !== null && f.s.includes(USER_COMMAND));
      if (opaqueUserCommand || parts.some((f) => f.s === null || f.multi)) {
        // `eval exec su-exec app $cmd`: still an exec, of a command line partly unknown.
        const known = parts.findIndex((f) => f.s === null || f.multi);
        const head = parts.slice(0, known).flatMap((f) => (f.s as string).split(/[ \t\n]+/).filter((w) => w !== ''));
        if (head[0] === 'exec' && head.length > 1 && m.ctx.sub === 0 && !/[;&|<>()$`"'\\]/.test(head.join(' '))) {
          const execArgv = [...head.slice(1).map(lit), ...parts.slice(known)];
          m.rec.command(ref, execArgv, st, m.ctx, true);
          m.rec.ending({ kind: 'exec', cmd: ref, argv: execArgv, code: null, last: st.last, user: st.user, failed: false, why: whyList(st.why), opaque: st.opaque, ...waitedOf(st) });
          return { done: flowOf([]) };
        }
        m.rec.command(ref, argv, st, m.ctx, false);
        if (m.ctx.cond === 0 && m.ctx.sub === 0) st.last = [ref];
        ranAfterWait(st);
        return ran(null, null);
      }
      const text = parts.map((f) => f.s).join(' ');
      const ast = m.host.parse(text);
      if (!ast) return ran(false, '');
      const outer = m.ctx.file;
      const file: ScriptFile = { path: outer.path, text, spanOf: () => outer.spanOf(stmt.p, stmt.e) };
      return { push: new EvalFrame(ast, file, [st]) };
    }
    case 'unset': {
      const fnMode = argv[1]?.s === '-f';
      for (const f of argv.slice(1)) {
        if (f.s === null || f.s.startsWith('-')) continue;
        if (fnMode) st.defineFunction(f.s, undefined);
        else st.setVar(f.s, undefined);
      }
      return ran(true, '');
    }
    case 'read':
    case 'getopts':
    case 'mapfile':
    case 'readarray': {
      const names = argv.slice(cmd === 'getopts' ? 2 : 1).filter((f) => f.s !== null && isName(f.s));
      for (const f of names.length > 0 ? names : [lit(cmd === 'mapfile' || cmd === 'readarray' ? 'MAPFILE' : 'REPLY')]) {
        st.setVar(f.s as string, cmd === 'mapfile' || cmd === 'readarray' ? { kind: 'array', items: [UNKNOWN_FIELDS] } : { kind: 'scalar', value: UNKNOWN });
      }
      if (cmd === 'getopts') {
        st.setVar('OPTARG', { kind: 'scalar', value: UNKNOWN });
        // With no words of its own to parse, it reads the arguments themselves.
        if (argv.length <= 3) m.expandEnv.readArgs?.(st.params);
      }
      return ran(null, '');
    }
    case 'echo': {
      let args = argv.slice(1);
      let newline = true;
      let unknown = false;
      while (args[0]?.s && /^-[neE]+$/.test(args[0].s)) {
        if (args[0].s.includes('n')) newline = false;
        if (args[0].s.includes('e')) unknown = true;
        args = args.slice(1);
      }
      if (m.ctx.cond === 0 && m.ctx.sub === 0) st.last = [ref];
      if (unknown || args.some((f) => f.s === null || f.multi)) return ran(true, null);
      return ran(true, args.map((f) => f.s).join(' ') + (newline ? '\n' : ''));
    }
    case 'printf': {
      if (m.ctx.cond === 0 && m.ctx.sub === 0) st.last = [ref];
      const fmt = argv[1];
      if (!fmt || fmt.s === null || argv[1]?.s === '-v') {
        if (argv[1]?.s === '-v' && argv[2]?.s) st.setVar(argv[2].s, { kind: 'scalar', value: UNKNOWN });
        return ran(true, null);
      }
      return ran(true, printf(fmt.s, argv.slice(2)));
    }
    case 'id': {
      // `id -u clickhouse`: the uid of a named user. Its number is not known, but the name stands
      // for it wherever a user is given (`gosu "$(id -u app)"`), and it is not root's `0`.
      const named = argv.length === 3 && (argv[1]?.s === '-u' || argv[1]?.s === '-g') ? argv[2] : undefined;
      if (named && named.s !== null && !named.multi && /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(named.s) && !named.s.includes(USER_COMMAND)) {
        return ran(true, named.s === 'root' ? '0' : named.s);
      }
      const opts = argv.slice(1).map((f) => f.s ?? '?').join('');
      if (/^-u$/.test(opts)) return ran(true, fieldText(uidField(st.user)));
      if (/^-g$/.test(opts)) return ran(true, fieldText(gidField(st.user)));
      if (/^(-un|-nu|-u-n|-n-u)$/.test(opts)) return ran(true, fieldText(userNameField(st.user)));
      return ran(true, null);
    }
    case 'whoami':
      return ran(true, fieldText(userNameField(st.user)));
    case 'command':
    case 'which':
    case 'type':
    case 'hash': {
      // `command -v "$1"`, `which "$1"`, `type "$1"`, `hash "$1"`: is the argument a program?
      const found = lookUp(m, cmd, argv.slice(1));
      if (!found) {
        if (cmd === 'hash') return ran(null, '');
        break;
      }
      if (m.ctx.sub === 0) st.addDecision({ text: found.why, at: ref });
      return ran(true, found.output);
    }
    case 'grep':
      if (m.userRun && greppedForUserCommand(st, stmt, argv.slice(1))) {
        m.rec.command(ref, argv, st, m.ctx, false);
        return ran(false, '');
      }
      break;
    case 'expr': {
      // `expr STRING : REGEX` (the jetty entrypoint's `expr "$*" : 'java .*/start\.jar.*$'`).
      const r = exprMatch(argv.slice(1));
      if (r === null) break;
      if (m.ctx.sub === 0) {
        const str = argv[1] as Field;
        const from = str.arg ?? (str.mangled ? st.params[0]?.arg : undefined);
        const written = call.args.length === argv.length ? call.args.slice(1).map((w) => wordText(m, w)).join(' ') : showArgv(argv.slice(1));
        st.addDecision({ text: `expr ${written} ${r.status ? 'matches' : 'does not match'}${from !== undefined ? ` (${m.inv.argLabel(from)})` : ''}`, at: ref });
      }
      return ran(r.status, r.output === null ? null : `${r.output}\n`);
    }
    case 'cd':
    case 'umask':
    case 'ulimit':
    case 'shopt':
    case 'hash':
    case 'alias':
    case 'unalias':
      return ran(null, '');
    case 'trap':
      m.rec.command(ref, argv, st, m.ctx, false);
      if (m.ctx.sub === 0) setTrap(m, st, argv, ref);
      return ran(null, '');
    case 'wait':
      m.rec.command(ref, argv, st, m.ctx, false);
      // The shell blocks here while its background jobs run: it stays (PID 1, if it is) with them
      // as its children. The first such wait of a path is where the script spends its life.
      if (m.ctx.sub === 0) staysAt(m, st, ref, null);
      return ran(null, '');
    case 'kill':
      // `kill -s TERM "$pid"` (the temporary server of a database's first start, stopped before
      // the real one is exec'd): the shell's jobs are taken as stopped, so a `wait` after it
      // returns at once. Which job a pid names is not tracked: all of them.
      if (m.ctx.sub === 0 && st.jobs && st.jobs.jobs.length > 0 && !argv.slice(1).some((f) => f.s === '-0' || f.s === '0' || f.s === '-l' || f.s === '-L')) st.jobs = { ...st.jobs, jobs: [] };
      break;
    default:
      break;
  }
  // `composer help "$1"`: a program of the image asked for help on the user's command.
  const asked = m.userRun ? helpOnUserCommand(st, argv) : null;
  if (asked !== null) {
    m.rec.command(ref, argv, st, m.ctx, false);
    if (m.ctx.sub === 0) st.addDecision({ text: `${call.args.length === argv.length ? call.args.map((w) => wordText(m, w)).join(' ') : showArgv(argv)} fails (${m.inv.argLabel(asked.arg as number)}: no command of ${asked.program}, as \`docker run IMAGE sh\` means)`, at: ref });
    return ran(false, '');
  }
  // Any other program: it runs as a child of the shell (or of the subshell).
  m.rec.command(ref, argv, st, m.ctx, false);
  ranAfterWait(st);
  if (m.ctx.cond === 0 && m.ctx.sub === 0 && !NOT_A_COMMAND.has(cmd)) st.last = [ref];
  if (m.ctx.cond === 0 && m.ctx.sub === 0 && keepsRunning(cmd, argv.slice(1).map((f) => f.s ?? ''))) {
    // `tail -f "$LOG"` in the foreground never returns: the shell stays there, and nothing after
    // it runs (`tail -f log; echo stopped; exit 0` ends at the tail).
    m.rec.ending({ kind: 'end', cmd: null, argv: [], code: null, last: [ref], user: st.user, failed: false, why: whyList(st.why), opaque: st.opaque, stays: true, ...waitedOf(st), ...(st.jobs && st.jobs.jobs.length > 0 && !st.jobs.waited ? { running: st.jobs } : {}) });
    return { done: flowOf([]) };
  }
  return ran(null, null);
}

/**
 * `command -v NAME`, `which NAME`, `type NAME`, `hash NAME` on one of the script's arguments that
 * names a program: found (with what it prints) when NAME is the program the image's CMD names, or
 * the user's command (`docker run IMAGE sh` runs a program the image has: that is what it is
 * for). Null for any other name, or options not read here.
 */
function lookUp(m: Machine, cmd: string, args: Field[]): { why: string; output: string } | null {
  let opts: string[] = [];
  let rest = args;
  while (rest[0]?.s && /^-[a-zA-Z]+$/.test(rest[0].s)) {
    opts.push(rest[0].s);
    rest = rest.slice(1);
  }
  if (rest[0]?.s === '--') rest = rest.slice(1);
  const allowed: Record<string, RegExp> = { command: /^-[vV]$/, which: /^-[as]+$/, type: /^-[afpPt]+$/, hash: /^$/ };
  if (cmd === 'command' && opts.length !== 1) return null;
  if (opts.some((o) => !(allowed[cmd] as RegExp).test(o)) || rest.length !== 1) return null;
  const target = rest[0] as Field;
  if (target.arg === undefined || target.s === null || target.multi) return null;
  const user = target.s === USER_COMMAND;
  if (!user && !m.inv.argIsImageCommand?.(target.arg)) return null;
  opts = opts.map((o) => o.slice(1));
  const written = [cmd, ...opts.map((o) => `-${o}`), showField(target)].join(' ');
  const why = user ? `${written} finds it (${m.inv.argLabel(target.arg)}: a program the image has, as \`docker run IMAGE sh\` means)` : `${written} finds it (${m.inv.argLabel(target.arg)}: the image's own command)`;
  const output = cmd === 'hash' ? '' : cmd === 'type' && opts.some((o) => o.includes('t')) ? 'file\n' : `${target.s}\n`;
  return { why, output };
}

/**
 * `prog --help "$1" 2>&1 | grep -q "prog $1"` (the vault and consul entrypoints asking whether
 * `$1` is one of the program's own subcommands): grep reads what a program of the image prints,
 * with a pattern that puts the user's command beside text the image knows. The image's programs
 * print their own words; the user's command is not one of them (`docker run IMAGE sh`: `sh` is no
 * subcommand of vault), so grep finds nothing. A pattern of the command alone (which an error
 * message may echo), or text a command of the script prints itself (`echo "$1" | grep`), stays
 * unknown.
 */
function greppedForUserCommand(st: State, stmt: Stmt, args: Field[]): boolean {
  let pattern: Field | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as Field;
    if (a.s === null || a.multi) return false;
    if (a.s === '-e' && pattern === undefined) {
      pattern = args[++i];
      continue;
    }
    if (/^-[qsEFGiwx]+$/.test(a.s) || a.s === '--quiet' || a.s === '--silent' || a.s === '--') continue;
    if (a.s.startsWith('-') || pattern !== undefined) return false; // another option, or a file operand: not read here
    pattern = a;
  }
  if (!pattern || pattern.s === null || pattern.multi || !pattern.s.includes(USER_COMMAND)) return false;
  if (!/[A-Za-z0-9]/.test(pattern.s.split(USER_COMMAND).join(''))) return false;
  let source = PIPE_SOURCE.get(stmt);
  while (source?.cmd?.type === 'BinaryCmd' && source.cmd.op === '|') source = source.cmd.y;
  const cmd = source?.cmd;
  if (!source || cmd?.type !== 'CallExpr' || !cmd.args[0]) return false;
  const name = literalOf(cmd.args[0]);
  return name !== null && !PRINTS_ONLY.has(name) && !TEXT_TOOLS.has(basename(name)) && !st.getFunction(name) && !NOT_A_COMMAND.has(name);
}

/**
 * `composer help --no-interaction "$1"`, `app "$1" --help` (the composer entrypoint asking whether
 * `$1` is one of composer's own commands): a program of the image, named by a literal, is asked
 * for help on the user's command, intact. The user's command is a command the image does not
 * know (`docker run IMAGE sh`: `sh` is no command of composer), so the program fails. The user's
 * command itself run with `--help` (`"$1" --help`), a shell function, or a word glued to other
 * text is not read here. The argument that is the user's command, and the program; null otherwise.
 */
function helpOnUserCommand(st: State, argv: Field[]): { arg: number; program: string } | null {
  const head = argv[0];
  if (!head || head.s === null || head.multi || head.s.includes(USER_COMMAND) || st.getFunction(head.s) || HANDS_ON.has(basename(head.s)) || TEXT_TOOLS.has(basename(head.s)) || NOT_A_COMMAND.has(head.s)) return null;
  const rest = argv.slice(1);
  if (!rest.some((f) => f.s === 'help' || f.s === '--help' || f.s === '-h')) return null;
  const asked = rest.find((f) => f.s === USER_COMMAND && f.arg !== undefined && !f.mangled);
  if (!asked || rest.some((f) => f !== asked && (f.s === null || f.multi || f.s.includes(USER_COMMAND)))) return null;
  return { arg: asked.arg as number, program: `\`${basename(head.s)}\`` };
}

/** Commands that print text they are given or read (what they print may be the user's command). */
const TEXT_TOOLS = new Set(['cat', 'tee', 'sed', 'awk', 'tr', 'cut', 'head', 'tail', 'sort', 'uniq', 'xargs', 'env', 'basename', 'dirname', 'realpath', 'readlink']);

/**
 * The shell blocks at `at` (a `wait`, or a loop that polls jobs) while its background jobs run:
 * it stays there (PID 1, if it is) with them as its children. The first such place of a path is
 * where the script spends its life.
 */
function staysAt(m: Machine, st: State, at: StmtRef, poll: Poll | null): void {
  if (!st.jobs || st.jobs.jobs.length === 0 || st.jobs.waited || (poll && poll.jobs.length === 0)) return;
  // The trap's function may be defined after the trap (`trap stop TERM` above `stop() {...}`):
  // it is looked up now, when the signal can arrive.
  const t = st.jobs.term;
  const term = t && !t.kills && t.action !== '?' && runsKill(m, st, t.action, 0) ? { ...t, kills: true } : t;
  st.jobs = { ...st.jobs, waited: { at, ...(poll ? { poll } : {}), jobs: st.jobs.jobs, term: term ? withInert(m, st, term) : null, why: whyList(st.why) } };
}

/** `trap ACTION TERM` (or `SIGTERM`, `15`), `trap - TERM`: the path's SIGTERM handler. */
function setTrap(m: Machine, st: State, argv: Field[], ref: CmdRef): void {
  let args = argv.slice(1);
  if (args[0]?.s === '--') args = args.slice(1);
  if (args.length < 2 || args[0]?.s === '-p' || args[0]?.s === '-l') return;
  const action = args[0] as Field;
  if (!args.slice(1).some((f) => f.s !== null && /^(SIG)?TERM$|^15$/i.test(f.s))) return;
  // `trap "kill -TERM $pid" TERM` with `$pid` from `$!`: the value is not known, but the commands
  // the action runs are written in the double-quoted word (only its expansions are unknown).
  const text = action.s ?? (ref.call.args.length === argv.length ? writtenAction(ref, argv.length - args.length) : null);
  const kills = text !== null && runsKill(m, st, text, 0);
  const signal = kills && text !== null ? sentSignal(m, text) : null;
  const term: TermTrap | null = action.s === '-' ? null : withInert(m, st, { at: ref, action: text ?? '?', kills, ...(signal !== null ? { signal } : {}) });
  const jc = st.jobs;
  st.jobs = { jobs: jc?.jobs ?? [], term, waited: jc?.waited ?? null, ...(jc?.last ? { last: jc.last } : {}) };
}

/**
 * Commands a TERM handler may run and still stop nothing: they print, wait a while or end the
 * shell (`exit` ends it, and the children with it, unsignalled).
 */
const INERT_IN_TRAP = new Set(['echo', 'printf', ':', 'true', 'false', 'exit', 'return', 'date', 'sleep', 'logger']);

/** Redirections a handler's message may use: to the terminal, a log descriptor or nowhere. */
const INERT_TARGETS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/proc/1/fd/1', '/proc/1/fd/2', '/proc/self/fd/1', '/proc/self/fd/2']);

/** The trap, marked `inert` when its action (looked up now, with the functions defined so far) only prints or ends the shell. */
function withInert(m: Machine, st: State, t: TermTrap): TermTrap {
  const { inert: _, ...rest } = t;
  if (t.kills || t.action === '' || t.action === '?') return rest;
  const ast = m.host.parse(t.action);
  return ast !== null && ast.stmts.length > 0 && stmtsInert(st, ast.stmts, 0) ? { ...rest, inert: true } : rest;
}

function stmtsInert(st: State, stmts: Stmt[], depth: number): boolean {
  for (const s of stmts) {
    if (s.background || s.redirs.some((r) => !inertRedirect(r))) return false;
    const c = s.cmd;
    if (!c) continue;
    if (c.type === 'CallExpr') {
      // An assignment may be a flag a loop reads (`trap 'running=0' TERM`): that stops something.
      if (c.assigns.length > 0) return false;
      const head = c.args[0] ? literalOf(c.args[0]) : null;
      if (head === null) return false;
      if (!c.args.every((w) => wordInert(st, w, depth))) return false;
      if (INERT_IN_TRAP.has(head)) continue;
      const f = depth < 3 ? st.getFunction(head) : undefined;
      if (!f || !stmtsInert(st, [f.decl.body], depth + 1)) return false;
      continue;
    }
    if (c.type === 'Block' || c.type === 'IfClause' || c.type === 'BinaryCmd') {
      if (!stmtsInert(st, childStmts(c), depth)) return false;
      continue;
    }
    if (c.type === 'TestClause') continue;
    return false;
  }
  return true;
}

/** A word whose command substitutions (`$(timestamp)`) are inert too. */
function wordInert(st: State, w: Word, depth: number): boolean {
  const part = (p: WordPart): boolean =>
    p.type === 'CmdSubst' ? stmtsInert(st, p.stmts, depth) : p.type === 'ProcSubst' ? false : p.type === 'DblQuoted' ? p.parts.every(part) : p.type === 'ParamExp' ? !p.op?.includes('=') && (!p.word || p.word.parts.every(part)) : true;
  return w.parts.every(part);
}

function inertRedirect(r: Redirect): boolean {
  const target = r.word ? literalOf(r.word) : null;
  if (r.op === '>&' || r.op === '<&') return target !== null && /^(\d+|-)$/.test(target);
  if (r.op === '>' || r.op === '>>' || r.op === '&>' || r.op === '&>>') return target !== null && INERT_TARGETS.has(target);
  return false;
}

/**
 * The source text inside a trap action written as one double-quoted word (`"log stop; kill -TERM
 * $pid"`), when the command's words were not split or joined by expansion; null otherwise.
 */
function writtenAction(ref: CmdRef, index: number): string | null {
  const w = ref.call.args[index];
  const only = w?.parts.length === 1 ? w.parts[0] : undefined;
  if (!w || only?.type !== 'DblQuoted') return null;
  return ref.file.text.slice(w.p[2] + 1, w.e[2] - 1);
}

/**
 * The signal the `kill` commands of a trap action send, written in it (`kill -USR1 $pid`, `kill -s
 * INT "$pid"`), when it is one and not TERM; null for TERM (kill's default), several or unknown.
 */
function sentSignal(m: Machine, text: string): string | null {
  const ast = m.host.parse(text);
  if (!ast) return null;
  const sent = new Set<string>();
  forEachCall(ast.stmts, (call) => {
    const words = call.args.map((w) => literalOf(w));
    if (words[0] !== 'kill' && words[0] !== 'pkill' && words[0] !== 'killall') return;
    let sig = 'TERM';
    for (let i = 1; i < words.length; i++) {
      const w = words[i];
      if (w === null || w === undefined) break;
      if (w === '-s' || w === '-n' || w === '--signal') sig = words[i + 1] ?? '?';
      else if (/^-(SIG)?[A-Z][A-Z0-9+-]*$|^-\d+$/.test(w)) sig = w.slice(1);
      else continue;
      break;
    }
    sent.add((sig ?? '?').replace(/^SIG/, ''));
  });
  const only = sent.size === 1 ? [...sent][0] : undefined;
  return only === undefined || only === 'TERM' || only === '15' || only === '?' ? null : only;
}

/** The text runs `kill`, itself or in a function it calls (a few levels deep). */
function runsKill(m: Machine, st: State, text: string, depth: number): boolean {
  const ast = m.host.parse(text);
  return ast !== null && stmtsKill(st, ast.stmts, depth);
}

function stmtsKill(st: State, stmts: Stmt[], depth: number): boolean {
  let kills = false;
  forEachCall(stmts, (call) => {
    if (kills) return;
    const head = call.args[0] ? literalOf(call.args[0]) : null;
    if (head === null) return;
    if (head === 'kill' || head === 'pkill' || head === 'killall') kills = true;
    else if (depth < 3) {
      const f = st.getFunction(head);
      if (f) kills = stmtsKill(st, [f.decl.body], depth + 1);
    }
  });
  return kills;
}

/**
 * `expr STRING : REGEX` with both known: REGEX is a basic regular expression anchored at the
 * start of STRING; expr prints the length of the match (or what `\(...\)` matched) and succeeds
 * when that is not 0 or empty. Null when an operand is unknown or the expression uses a
 * construct not read here (then the command is unknown, as any other).
 */
function exprMatch(args: Field[]): { status: boolean; output: string | null } | null {
  if (args.length !== 3 || args[1]?.s !== ':') return null;
  const [str, , re] = args as [Field, Field, Field];
  if (str.s === null || re.s === null || str.multi || re.multi || re.s.includes(USER_COMMAND)) return null;
  if (str.s.includes(USER_COMMAND)) {
    // The user's command is a word the image does not know (`sh`, say): a pattern decides the
    // same for it as for a word of no literal's characters, or it is not known.
    const probes = ['sh', '\u0000'].map((w) => exprMatchText(str.s?.split(USER_COMMAND).join(w) ?? '', re.s ?? ''));
    const [a, b] = probes;
    if (!a || !b || a.status !== b.status) return null;
    return { status: a.status, output: a.output === b.output ? a.output : null };
  }
  return exprMatchText(str.s, re.s);
}

function exprMatchText(str: string, re: string): { status: boolean; output: string } | null {
  // Bounded: a repeated group (`\(a*\)*`) or many stars could make the matcher backtrack for long; long inputs are not read.
  if (re.includes('\\)*') || (re.match(/\*/g)?.length ?? 0) > 8 || re.length > 200 || str.length > 4096) return null;
  const js = breToJs(re);
  if (js === null) return null;
  let m: RegExpExecArray | null;
  try {
    m = new RegExp(`^(?:${js.source})`, 's').exec(str);
  } catch {
    return null;
  }
  if (js.groups > 0) {
    const g = m?.[1] ?? '';
    return { status: g !== '', output: g };
  }
  const n = m ? m[0].length : 0;
  return { status: n !== 0, output: String(n) };
}

/** A POSIX basic regular expression as a JavaScript one, for the common constructs; null otherwise. */
function breToJs(bre: string): { source: string; groups: number } | null {
  let out = '';
  let groups = 0;
  for (let i = 0; i < bre.length; i++) {
    const c = bre[i] as string;
    if (c === '\\') {
      const n = bre[++i];
      if (n === undefined) return null;
      if (n === '(') {
        groups++;
        out += '(';
      } else if (n === ')') out += ')';
      else if (/[.*[\]^$\\/]/.test(n)) out += `\\${n}`;
      else return null; // \{m,n\}, back-references, GNU extensions
    } else if (c === '[') {
      const end = bre.indexOf(']', bre[i + 1] === ']' || (bre[i + 1] === '^' && bre[i + 2] === ']') ? i + 3 : i + 1);
      if (end < 0) return null;
      const body = bre.slice(i + 1, end);
      if (body.includes('[:') || body.includes('\\')) return null;
      out += `[${body}]`;
      i = end;
    } else if (c === '^') out += i === 0 ? '' : '\\^';
    else if (c === '$') out += i === bre.length - 1 ? '$' : '\\$';
    else if (c === '*') out += i === 0 ? '\\*' : '*';
    else if (c === '.') out += '.';
    else if (/[+?(){}|]/.test(c)) out += `\\${c}`;
    else out += c;
  }
  if (groups > 1) return null;
  return { source: out, groups };
}

function fieldText(f: Field): string | null {
  return f.s;
}

/** `$(id -u)`, `$(id -un)`, `$(whoami)`: known from the user even when only "not root" is known. */
function userQuery(stmts: Stmt[], user: UserValue): Field | null {
  const only = stmts.length === 1 ? stmts[0] : undefined;
  const c = only?.cmd;
  if (!only || only.negated || c?.type !== 'CallExpr' || c.assigns.length > 0) return null;
  const words = c.args.map(literalOf);
  if (words.some((w) => w === null)) return null;
  const line = words.join(' ');
  if (line === 'id -u') return uidField(user);
  if (line === 'id -g') return gidField(user);
  if (line === 'id -un' || line === 'id -nu' || line === 'id -u -n' || line === 'whoami') return userNameField(user);
  return null;
}

function printf(fmt: string, args: Field[]): string | null {
  if (/%[^s%]/.test(fmt.replace(/%%/g, '')) || (/\\[^n\\t]/.test(fmt))) return null;
  if (args.some((f) => f.s === null || f.multi)) return null;
  const esc = (s: string): string => s.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\\\/g, '\\');
  const slots = (fmt.replace(/%%/g, '').match(/%s/g) ?? []).length;
  let out = '';
  let i = 0;
  do {
    out += esc(fmt).replace(/%s|%%/g, (x) => (x === '%%' ? '%' : (args[i++]?.s ?? '')));
  } while (slots > 0 && i < args.length);
  return out;
}

/**
 * `-v NAME`: set when the path set it (or ENV did); unset when nothing did, as every variable the
 * Dockerfile does not set is on the default run. Not known after a sourced file that could not be
 * read, or for the variables the shell or login set on its own.
 */
function variableSet(st: State, name: string): boolean | null {
  if (!isName(name)) return null;
  const v = st.getVar(name);
  if (v?.kind === 'scalar' && v.maybeUnset) return null;
  if (v) return true;
  if (st.unknownUnset || RUNTIME_VARIABLES.has(name) || name.startsWith('BASH')) return null;
  return false;
}

const RUNTIME_VARIABLES = new Set(['USER', 'LOGNAME', 'TERM', 'SHLVL', 'OLDPWD', 'IFS', 'PS1', 'PS4', 'OPTIND', 'OPTARG', 'REPLY', 'UID', 'EUID', 'PPID', 'RANDOM', 'SECONDS', 'LINENO', 'HOSTTYPE', 'OSTYPE', 'MACHTYPE', 'GROUPS', 'SHELLOPTS', 'FUNCNAME', 'PIPESTATUS', 'DIRSTACK', 'COLUMNS', 'LINES', 'HISTFILE']);

function test(m: Machine, st: State, words: Field[], src: Word[], dbl: boolean, ref: CmdRef | null): Action {
  const aligned = words.length === src.length;
  const ops: TestOperand[] = words.map((field, i) => {
    const name = aligned && src[i] ? wholeVariable(src[i] as Word, dbl) : null;
    return { field, text: aligned && src[i] ? wordText(m, src[i] as Word) : showField(field), ...(dbl && aligned && src[i] && isPatternWord(src[i] as Word) ? { pattern: true } : {}), ...(name ? { name } : {}) };
  });
  const r = evalTest(ops, dbl, (op, f) => fileFact(m, st, op, f), (name) => variableSet(st, name));
  if (r.value === null) st.undecided(r.facts);
  else st.status = r.value;
  decide(m, st, r, ref);
  return { done: flowOf([st]) };
}

/**
 * What a file test knows: only that the program the image's CMD names (`node` in `CMD ["node"]`,
 * found on PATH) is not also a file of the working directory, unless the build puts one there.
 * The node image's entrypoint prepends `node` when `$1` "is a file and not executable": not for
 * its own CMD.
 */
function fileFact(m: Machine, st: State, op: string, f: Field): boolean | null {
  if (namedAfterUserCommand(f)) return op === '-t' ? null : false;
  if (f.arg === undefined || f.s === null || f.s === '' || f.s.includes('/') || !m.inv.argIsImageCommand?.(f.arg) || !m.inv.imageProvides) return null;
  // A script that changes directory (where to is not followed) tests files of another folder.
  if (m.scriptFacts().changesDirectory || m.ctx.sourced.length > 0) return null;
  const pwd = st.getVar('PWD');
  const dir = pwd?.kind === 'scalar' ? pwd.value.s : null;
  if (dir === null || !dir.startsWith('/')) return null;
  if (m.inv.imageProvides(`${dir.replace(/\/+$/, '')}/${f.s}`)) return null;
  return ['-e', '-f', '-r', '-w', '-x', '-s', '-L', '-h', '-b', '-c', '-p', '-S', '-g', '-u', '-k', '-O', '-G', '-N', '-a'].includes(op) ? false : null;
}

/**
 * A path with the user's command glued into one of its names (`/scripts/init_${1}.sh`, the
 * bookkeeper entrypoint's test for an init script of the command it is given): the image has no
 * file named after a command it does not know (`docker run IMAGE sh`), so every file test on it
 * is false. A name that is the command alone (`/usr/bin/$1`, `"$1"`) may be the program itself,
 * and is not read here.
 */
function namedAfterUserCommand(f: Field): boolean {
  if (f.s === null || f.multi || !f.s.includes(USER_COMMAND)) return false;
  const names = f.s.split('/').filter((n) => n.includes(USER_COMMAND));
  return names.length > 0 && names.every((n) => n !== USER_COMMAND);
}

/** A decided test becomes part of the path's explanation: `$1 = server (from CMD)`. */
function decide(m: Machine, st: State, r: { value: boolean | null; text: string; operands: Field[]; unset?: readonly string[] }, ref: CmdRef | null): void {
  if (r.value === null || r.operands.length === 0 || m.ctx.sub > 0) return;
  const origins = r.operands.map((f) => m.origin(f, st)).filter((o): o is string => o !== null);
  const why = origins.length > 0 ? ` (${[...new Set(origins)].join(', ')})` : isUidTest(r.text) ? ` (${st.user.why})` : r.unset ? ` (${r.unset[0]} unset)` : r.operands.length === 1 && /^-[a-zA-Z] /.test(r.text) && r.operands.some(namedAfterUserCommand) ? ' (the user command: the image has no file named after a command it does not know)' : '';
  st.addDecision({ text: `${r.value ? '' : 'not '}${r.text}${why}`, at: ref, ...(r.unset ? { unset: r.unset } : {}), ...(origins.length > 0 ? { args: true as const } : {}) });
}

function isUidTest(text: string): boolean {
  return /id -[ug]|\bE?UID\b|whoami/.test(text);
}

/**
 * The variable a test operand is, whole: `"$V"`, `"${V}"`, `"${V:-}"` (empty exactly when V is
 * empty or unset), and in `[[ ]]` the same unquoted; null for any other word.
 */
function wholeVariable(w: Word, dbl: boolean): string | null {
  const only = w.parts.length === 1 ? w.parts[0] : undefined;
  const pe = only?.type === 'DblQuoted' ? (only.parts.length === 1 ? only.parts[0] : undefined) : dbl ? only : undefined;
  if (pe?.type !== 'ParamExp' || !isName(pe.param) || pe.length || pe.excl || pe.index !== null) return null;
  if (pe.op === null) return pe.param;
  const emptyDefault = !pe.word || pe.word.parts.every((p) => (p.type === 'Lit' || p.type === 'SglQuoted') && p.value === '');
  return (pe.op === ':-' || pe.op === '-') && emptyDefault ? pe.param : null;
}

function isPatternWord(w: Word): boolean {
  return w.parts.some((p) => p.type === 'Lit' && /[*?[]/.test(p.value));
}

/** `[[ ... ]]`: the AST does not model the expression; its words are parsed again as a command. */
function doubleBracket(m: Machine, s: Stmt, c: Command, st: State): State {
  const text = m.ctx.file.text.slice(c.p[2], c.e[2]);
  const inner = text.replace(/^\[\[/, '').replace(/\]\]$/, '');
  // `<`/`>` compare strings here (not redirections), and a regex's parentheses are not groups:
  // those are not read. Grouping parentheses (`a && (b || c)`) are, as a subshell of the reparse.
  const bare = inner.replace(/"[^"]*"|'[^']*'/g, '');
  if (/[<>]/.test(bare)) return withStatus(st, null);
  if (/[()]/.test(bare) && /=~/.test(bare)) return regexWithGroups(m, inner, st);
  const ast = m.host.parse(`test ${inner}`);
  const only = ast?.stmts.length === 1 ? ast.stmts[0] : undefined;
  const flat = only ? flattenTest(only) : null;
  if (!flat) return withStatus(st, null);
  const sub: ExpandEnv = { ...m.expandEnv, text: `test ${inner}` };
  const words: Field[] = [];
  const src: TestOperand[] = [];
  let matches = false;
  for (const w of flat) {
    if (w.op) {
      src.push({ field: lit(w.op), text: w.op });
      continue;
    }
    const word = w.word as Word;
    // No field splitting or globbing inside [[ ]].
    const f = expandScalar(word, st, sub);
    words.push(f);
    // The right side of `=~` is a regular expression, its quoted parts literal.
    const regex = src[src.length - 1]?.field.s === '=~' ? regexOf(word, st, sub) : undefined;
    if (regex !== undefined) matches = true;
    const name = wholeVariable(word, true);
    src.push({ field: f, text: `test ${inner}`.slice(word.p[2], word.e[2]).replace(/^["']|["']$/g, ''), ...(isPatternWord(word) ? { pattern: true } : {}), ...(regex !== undefined ? { regex } : {}), ...(name ? { name } : {}) });
  }
  const r = evalTest(src, true, undefined, (name) => variableSet(st, name));
  if (r.value === null) st.undecided(r.facts);
  else st.status = r.value;
  // `=~` sets BASH_REMATCH: the groups when one match decided the test, else not known here.
  if (matches) st.setVar('BASH_REMATCH', r.rematch ? { kind: 'array', items: r.rematch.map(lit) } : { kind: 'array', items: [UNKNOWN_FIELDS] });
  decide(m, st, r, null);
  void s;
  return st;
}

/**
 * `[[ word =~ re ]]` whose expression has groups (`^--port=([0-9]+)$`), which the test reparse
 * cannot take: read when it is the only test and the expression is unquoted text with no
 * expansion; else unknown. Either way BASH_REMATCH is set (its groups, or not known).
 */
function regexWithGroups(m: Machine, inner: string, st: State): State {
  const at = /^\s*(\S+)\s+=~\s+(.*?)\s*$/s.exec(inner);
  const unknown = (): State => {
    st.setVar('BASH_REMATCH', { kind: 'array', items: [UNKNOWN_FIELDS] });
    return withStatus(st, null);
  };
  if (!at || /["'`\s]|\$[\w{(@*#?!-]/.test(at[2] as string) || /&&|\|\|/.test(inner)) return unknown();
  const left = m.host.parse(`test ${at[1] as string}`)?.stmts[0]?.cmd;
  const word = left?.type === 'CallExpr' && left.args.length === 2 ? left.args[1] : undefined;
  if (!word) return unknown();
  const x = expandScalar(word, st, { ...m.expandEnv, text: `test ${at[1] as string}` });
  const r = evalTest([{ field: x, text: at[1] as string }, { field: lit('=~'), text: '=~' }, { field: lit(at[2] as string), text: at[2] as string, regex: at[2] as string }], true);
  st.status = r.value;
  st.setVar('BASH_REMATCH', r.rematch ? { kind: 'array', items: r.rematch.map(lit) } : { kind: 'array', items: [UNKNOWN_FIELDS] });
  decide(m, st, r, null);
  return st;
}

/**
 * The regular expression of `[[ x =~ word ]]` as text: unquoted parts as written (a variable's
 * value included), quoted parts escaped to match themselves; null when a part is not known.
 */
function regexOf(word: Word, st: State, env: ExpandEnv): string | null {
  let out = '';
  for (const part of word.parts) {
    if (part.type === 'Lit') out += part.value;
    else if (part.type === 'SglQuoted' || part.type === 'DblQuoted' || part.type === 'ParamExp') {
      const v = expandScalar({ ...word, parts: [part] }, st, env);
      if (v.s === null || v.multi || v.s.includes(USER_COMMAND)) return null;
      out += part.type === 'ParamExp' ? v.s : v.s.replace(/[\\^$.*+?()[\]{}|]/g, (c) => `\\${c}`);
    } else return null;
  }
  return out;
}

/** The words of `test a == b && test c != d` (parsed from `[[ a == b && c != d ]]`), with the operators. */
function flattenTest(s: Stmt): { word?: Word; op?: string }[] | null {
  const out: { word?: Word; op?: string }[] = [];
  const todo: (Stmt | string)[] = [s];
  let first = true;
  while (todo.length > 0) {
    const x = todo.shift() as Stmt | string;
    if (typeof x === 'string') {
      out.push({ op: x });
      continue;
    }
    if (x.negated) out.push({ op: '!' });
    const c = x.cmd;
    if (!c) return null;
    if (c.type === 'BinaryCmd' && (c.op === '&&' || c.op === '||')) {
      todo.unshift(c.x, c.op, c.y);
      continue;
    }
    if (c.type === 'Subshell' && !first && c.stmts.length === 1 && x.redirs.length === 0) {
      // `a && ( b || c )`: a group, which the test expression evaluates with its parentheses.
      todo.unshift('(', c.stmts[0] as Stmt, ')');
      continue;
    }
    if (c.type !== 'CallExpr') return null;
    const args = first ? c.args.slice(1) : c.args;
    first = false;
    for (const w of args) {
      const l = literalOf(w);
      if (l === '!' && w.parts.length === 1 && w.parts[0]?.type === 'Lit') out.push({ op: '!' });
      else out.push({ word: w });
    }
  }
  return out;
}

function sourceFile(m: Machine, stmt: Stmt, ref: CmdRef, argv: Field[], st: State): Action {
  const target = argv[1];
  if (!target || target.s === null || target.multi) {
    // `. "$f"` in a loop over files found at run time: whatever they do is unknown from here on.
    // (Its variables are not made unknown: the files of an init folder are the user's, run for
    // their side effects; the official images' opt-in settings stay as ENV leaves them.)
    st.opaque = true;
    return { done: flowOf([withStatus(st, null)]) };
  }
  const found = m.host.source(target.s, target.s.includes('/') ? null : searchPathOf(st));
  if (!found && m.host.baseImageProgram?.(target.s)) {
    // `source /usr/local/bin/docker-php-entrypoint`: the base image's start script, which ends
    // with `exec "$@"`. Sourced, that exec replaces this shell as exec'ing the script would, with
    // the positional parameters the file is given (the script's, or the words after its name).
    const runs = [target, ...(argv.length > 2 ? argv.slice(2) : st.params)];
    m.rec.command(ref, runs, st, m.ctx, m.ctx.sub === 0);
    if (m.ctx.sub > 0) {
      m.subExits++;
      return { done: flowOf([]) };
    }
    m.rec.ending({ kind: 'exec', cmd: ref, argv: runs, code: null, last: st.last, user: st.user, failed: false, why: whyList(st.why), opaque: st.opaque, ...waitedOf(st), ...runningOf(st) });
    return { done: flowOf([]) };
  }
  if (found && m.ctx.sourced.length >= m.limits.maxSourceDepth) throw new BudgetExceeded(`more than ${m.limits.maxSourceDepth} nested sourced files`);
  if (!found || m.ctx.sourced.some((x) => x.file.path === found.file.path) || found.file.path === m.inv.file.path) {
    if (!m.rec.unknownSources.some((u) => u.ref.stmt === stmt)) m.rec.unknownSources.push({ path: target.s, ref, ...(!found && isActivateScript(target.s) ? { activate: true as const } : {}) });
    // What it sets is not known: a variable not set yet may be set by it.
    if (!found) st.sourcedUnknownFile();
    return { done: flowOf([withStatus(st, null)]) };
  }
  m.rec.sourcedFiles.set(found.file.path, found.ast);
  return { push: new SourceFrame(stmt, found, [st]) };
}

/** The folders of the script's PATH, when it holds one known string; else null. */
function searchPathOf(st: State): string[] | null {
  const v = st.getVar('PATH');
  if (!v || v.kind !== 'scalar' || v.value.s === null || v.value.multi) return null;
  return v.value.s.split(':').filter((d) => d.startsWith('/'));
}

/**
 * `. venv/bin/activate`, `source /opt/conda/bin/activate`: the activate script of a Python
 * virtual environment (venv, virtualenv, poetry, uv) or of conda, which the build makes with the
 * environment (`python -m venv`) rather than copies. It sets PATH, VIRTUAL_ENV or CONDA_* and the
 * prompt, may run the environment's activation hooks, and defines `deactivate`; it returns to the
 * script, and does not run or re-read the script's arguments.
 */
function isActivateScript(p: string): boolean {
  const parts = p.split('/').filter((x) => x !== '');
  if (parts[parts.length - 1] !== 'activate') return false;
  return parts.length === 1 || parts[parts.length - 2] === 'bin';
}

/** A word that expands `$@` or `$*` (`"$@"`, `${@:2}`, `"$* --x"`), not their count or a default of them. */
function joinsParams(w: Word): boolean {
  const visit = (parts: readonly WordPart[]): boolean => parts.some((p) => (p.type === 'ParamExp' ? (p.param === '@' || p.param === '*') && !p.length && !p.excl : p.type === 'DblQuoted' ? visit(p.parts) : false));
  return visit(w.parts);
}

/** The first word of a command line that expands, unquoted, a variable made by joining the arguments. */
function flattenedIn(words: Word[], st: State): Flattening | undefined {
  for (const w of words) {
    for (const p of w.parts) {
      if (p.type !== 'ParamExp' || p.length || p.excl || p.index !== null || (p.op !== null && p.op !== ':-' && p.op !== '-')) continue;
      const v = st.getVar(p.param);
      if (v?.kind === 'scalar' && v.flat) return v.flat;
    }
  }
  return undefined;
}

/** Whether joined parameters could hold a blank or a glob character (see `Flattening.risky`). */
function riskyParams(params: readonly Field[]): boolean {
  return params.some((f) => f.s === null || f.multi || f.s.includes(USER_COMMAND) || /[\s*?[]/.test(f.s));
}

function assign(m: Machine, a: Assign, st: State, local = false): void {
  if (!a.name) return;
  if (local) st.declareLocal(a.name);
  if (a.array) {
    const items = m.collectLost(() => arrayItems(m, a, st));
    st.setVar(a.name, lostIf(items.lost, { kind: 'array', items: items.value }));
    return;
  }
  if (a.naked) {
    if (local && !st.hasVar(a.name)) st.setVar(a.name, { kind: 'scalar', value: lit('') });
    return;
  }
  const read = a.value ? m.collectLost(() => m.scalar(a.value as Word, st)) : { value: lit(''), lost: [] };
  const value = read.value;
  if (a.append) {
    const old = st.getVar(a.name);
    const prev = old?.kind === 'scalar' ? old.value : old || st.unknownUnset ? UNKNOWN : lit('');
    st.setVar(a.name, lostIf(read.lost, { kind: 'scalar', value: prev.s !== null && value.s !== null ? lit(prev.s + value.s) : UNKNOWN }, isJoinedAway(old)));
    return;
  }
  // `ARGS="$@"`: the arguments joined into one string, to be split again where it is expanded.
  if (a.value && joinsParams(a.value)) {
    const text = m.ctx.file.text.slice(a.p[2], a.e[2]).split('\n')[0] ?? a.name;
    const flat: Flattening = { name: a.name, text, file: m.ctx.file.path, line: m.ctx.file.spanOf(a.p, a.e).line, risky: riskyParams(st.params) };
    st.setVar(a.name, lostIf(read.lost, { kind: 'scalar', value, flat }));
    return;
  }
  st.setVar(a.name, lostIf(read.lost, { kind: 'scalar', value }));
}

/** A value computed from one the join lost is lost too: where it is read decides (`settleLost`). */
function lostIf(lost: string[], v: Var, also = false): Var {
  return lost.length > 0 || also ? markJoinedAway(v) : v;
}

/** `a=("$@")`, `a=(x "${b[@]:1}")`: the AST does not keep the elements; they are parsed again as words. */
function arrayItems(m: Machine, a: Assign, st: State): Field[] {
  const text = m.ctx.file.text.slice(a.p[2], a.e[2]);
  const open = text.indexOf('=(');
  if (open < 0 || !text.endsWith(')')) return [UNKNOWN_FIELDS];
  const body = text.slice(open + 2, -1);
  if (/\[[^\]]*\]=/.test(body)) return [UNKNOWN_FIELDS];
  const src = `: ${body.replace(/\n/g, ' ')}`;
  const ast = m.host.parse(src);
  const only = ast?.stmts.length === 1 ? ast.stmts[0] : undefined;
  if (!only || only.cmd?.type !== 'CallExpr') return [UNKNOWN_FIELDS];
  const env: ExpandEnv = { ...m.expandEnv, text: src };
  const out: Field[] = [];
  for (const w of only.cmd.args.slice(1)) out.push(...expandFields(w, st, env));
  if (a.append) {
    const old = st.getVar(a.name);
    return [...(old?.kind === 'array' ? old.items : old ? [old.value] : []), ...out];
  }
  return out;
}

/** Declaration utilities that a POSIX-mode parse leaves as plain commands (`export NAME=value`). */
const POSIX_DECLARATIONS = new Set(['export', 'readonly', 'local']);

/**
 * `export X=1`, `readonly X=1` and `local X=1` in a script parsed as POSIX sh: the parser reads
 * them as a command with words, where bash's grammar gives a declaration. dash, busybox ash and
 * bash all set the variable, so the words become the assignments a declaration would hold.
 */
function posixDeclaration(call: CallExpr): { variant: string; args: Assign[] } | null {
  const head = call.args[0];
  const word = head?.parts.length === 1 && head.parts[0]?.type === 'Lit' ? head.parts[0].value : null;
  if (word === null || !POSIX_DECLARATIONS.has(word)) return null;
  const args: Assign[] = call.args.slice(1).map((w) => {
    const first = w.parts[0];
    const named = first?.type === 'Lit' ? ASSIGNMENT_OR_APPEND.exec(first.value) : null;
    if (first?.type === 'Lit' && named) {
      const rest = first.value.slice(named[0].length);
      const parts = rest === '' ? w.parts.slice(1) : [{ ...first, value: rest }, ...w.parts.slice(1)];
      return { type: 'Assign', p: w.p, e: w.e, name: named[1] as string, value: { type: 'Word', p: w.p, e: w.e, parts }, append: named[2] === '+', array: false, naked: false };
    }
    if (w.parts.length === 1 && first?.type === 'Lit' && isName(first.value)) {
      return { type: 'Assign', p: w.p, e: w.e, name: first.value, value: null, append: false, array: false, naked: true };
    }
    return { type: 'Assign', p: w.p, e: w.e, name: '', value: w, append: false, array: false, naked: true };
  });
  return { variant: word, args };
}

function declare(m: Machine, variant: string, args: Assign[], st: State): State {
  // `declare -g NAME` inside a function sets the global NAME.
  const global = args.some((a) => !a.name && a.value && /^-[a-zA-Z]*g/.test(literalOf(a.value) ?? ''));
  const local = variant === 'local' || (!global && (variant === 'declare' || variant === 'typeset') && m.ctx.calls.length > 0);
  let array = false;
  for (const a of args) {
    if (!a.name) {
      const opt = a.value ? literalOf(a.value) : null;
      if (opt && /^-[a-zA-Z]*[aA]/.test(opt)) array = true;
      if (opt && /g/.test(opt) && opt.startsWith('-')) continue;
      continue;
    }
    if (array && a.naked) {
      if (local) st.declareLocal(a.name);
      if (!st.hasVar(a.name)) st.setVar(a.name, { kind: 'array', items: [] });
      continue;
    }
    assign(m, a, st, local);
  }
  st.status = true;
  return st;
}

/** The runs that read who they run as (watchedUser); the others are the same for every user. */
const USER_READ = new WeakSet<ScriptRun>();
/** The stand-in each run ran as: the user its endings, commands and jobs hold. */
const RUN_USER = new WeakMap<ScriptRun, UserValue>();

/**
 * The run read its user: an `id -u`, `whoami`, `$EUID` or user test, or the user's text in a
 * decision. A run that did not is the same run for any other user with the same environment
 * (forUser).
 */
export function readsUser(run: ScriptRun): boolean {
  return USER_READ.has(run);
}

/**
 * A run that does not read its user (readsUser), as run by `to`: wherever the run holds its user
 * (its endings, the commands it recorded, the jobs it started) the copy holds `to`; every other
 * value is the same (and shared).
 */
export function forUser(run: ScriptRun, to: UserValue): ScriptRun {
  const from = RUN_USER.get(run);
  if (readsUser(run) || !from) throw new Error('forUser: the run reads its user');
  const copy = swapUser(run, from, to, new Map());
  RUN_USER.set(copy, to);
  return copy;
}

/** Where a run's values hold syntax or files, never a user: not walked by swapUser. */
const NO_USERS_UNDER = new Set(['stmt', 'call', 'file', 'ast', 'decl']);

/**
 * `x` with every `from` in it replaced by `to`: the objects and arrays on the way to one are
 * copied, everything else is shared (`seen` keeps shared values shared in the copy).
 */
function swapUser<T>(x: T, from: UserValue, to: UserValue, seen: Map<object, unknown>): T {
  if ((x as unknown) === from) return to as T;
  if (x === null || typeof x !== 'object') return x;
  const obj = x as object;
  if (seen.has(obj)) return seen.get(obj) as T;
  seen.set(obj, obj);
  let out: unknown = obj;
  if (Array.isArray(obj)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < obj.length; i++) {
      const v = swapUser(obj[i] as unknown, from, to, seen);
      if (v !== obj[i]) (copy ??= [...obj])[i] = v;
    }
    if (copy) out = copy;
  } else {
    let copy: Record<string, unknown> | null = null;
    for (const [k, v] of Object.entries(obj)) {
      if (NO_USERS_UNDER.has(k)) continue;
      const w = swapUser(v, from, to, seen);
      if (w !== v) (copy ??= { ...obj })[k] = w;
    }
    if (copy) out = copy;
  }
  seen.set(obj, out);
  return out as T;
}

/** Runs one script for one invocation. */
export function interpret(inv: ScriptInvocation, host: Host, limits: Limits = DEFAULT_LIMITS): ScriptRun {
  // The run's user is watched: reading it marks the run as depending on it (readsUser).
  let userRead = false;
  const user = watchedUser(inv.user, () => {
    userRead = true;
  });
  // What the run recorded holds the stand-in, which reads as the user (and is no longer watched).
  const run = interpretAs({ ...inv, user }, host, limits);
  if (userRead) USER_READ.add(run);
  RUN_USER.set(run, user);
  return run;
}

function interpretAs(inv: ScriptInvocation, host: Host, limits: Limits): ScriptRun {
  const rec = new Recorder();
  const m = new Machine(inv, host, limits, rec);
  const start = new State({ vars: new Map(inv.vars), params: inv.params, user: inv.user });
  let budget: string | null = null;
  try {
    const flow = m.run(new ListFrame(inv.ast.stmts, [start]));
    const ended = [...flow.next, ...flow.ret, ...flow.brk, ...flow.cont];
    // Nothing reads a variable after the script's end: what its branches learnt of them is undone.
    for (const st of ended) st.widenNarrowed();
    for (const st of m.merge(ended)) {
      rec.ending({ kind: 'end', cmd: null, argv: [], code: null, last: st.last, user: st.user, failed: st.status === false, why: whyList(st.why), opaque: st.opaque, ...waitedOf(st), ...(st.jobs && st.jobs.jobs.length > 0 && !st.jobs.waited ? { running: st.jobs } : {}) });
    }
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    budget = e.message;
  }
  const commands = [...rec.commands.values()].flat();
  if (rec.endingsDropped) budget ??= `more than ${MAX_ENDINGS} different ways to end`;
  let capped: ScriptRun['capped'] = null;
  const join = rec.firstJoin ?? rec.exactJoin;
  if (join && rec.lostUse !== null) {
    capped = { ...join, lost: rec.lostUse };
    // Nothing may be concluded from a run whose paths lost values the script then used.
    budget ??= `more than ${MAX_STATES_PER_POINT} different states met at line ${join.at.stmt.p[0]} and were joined`;
  }
  return { endings: rec.endings, commands, unknownSources: rec.unknownSources, sourcedFiles: rec.sourcedFiles, argsRead: rec.argsRead, budget, joined: rec.joined, steps: rec.steps, capped };
}
