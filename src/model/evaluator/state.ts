/**
 * The state of one path through a script: variables, functions, positional parameters, the user,
 * the exit status of the last command, and what the path has decided on the way.
 *
 * States are copied on write: forking a state is O(1) (both copies share their maps until one of
 * them writes), so an `if` whose condition is unknown costs nothing until a branch assigns.
 * At join points equal states are merged, and when more than a few different states reach the
 * same point they are joined into one (values that differ become unknown), which keeps the work
 * per statement bounded and the whole evaluation linear in the size of the script.
 */
import type { FuncDecl, Stmt, CallExpr } from '../../parsers/shell-ast.js';
import type { BranchFacts } from './conditions.js';
import type { Span } from '../../parsers/source.js';
import {
  joinField,
  joinFieldLists,
  joinUser,
  sameField,
  sameFields,
  sameUser,
  UNKNOWN,
  UNKNOWN_FIELDS,
  USER_COMMAND,
  userKey,
  type Field,
  type UserValue,
} from './values.js';

/** A file the evaluator runs: the entrypoint, a file it sources, the text of an `eval`. */
export interface ScriptFile {
  /** Display path of the file (the Dockerfile for heredocs and inline strings). */
  path: string;
  /** The text the AST's offsets index. */
  text: string;
  spanOf(p: [number, number, number], e: [number, number, number]): Span;
}

export type Var =
  | {
      kind: 'scalar';
      value: Field;
      flat?: Flattening;
      /**
       * Empty, but whether it is set is not known: the path took the true way of `[ -z "$V" ]` on a
       * value it did not know, which an unset variable passes too (`${V-x}` and `-v V` stay unknown).
       */
      maybeUnset?: true;
    }
  | { kind: 'array'; items: Field[] };

/**
 * A string made by joining the positional parameters (`ARGS="$@"`, `opts="$*"`, `EXTRA="${@:2}"`):
 * expanded unquoted later, it is split again on blanks, not where the arguments were.
 */
export interface Flattening {
  /** The variable. */
  name: string;
  /** The assignment as written, the file it is in and its line. */
  text: string;
  file: string;
  line: number;
  /**
   * The parameters it joined could hold a blank or a glob character: the user's command, a
   * value not known, or a known word with one; not when they were only known words without.
   */
  risky: boolean;
}

export interface FunctionDef {
  decl: FuncDecl;
  file: ScriptFile;
  /** The `. file` statements that led to its definition. */
  sourcedVia: readonly { stmt: Stmt; file: ScriptFile }[];
}

/**
 * Variables as layers: a fork shares every layer, a write after a fork adds a small layer on
 * top, and a long stack of layers is flattened now and then. Two paths that forked and assigned
 * the same values compare (and join) by their top layers only.
 */
class Scope {
  readonly depth: number;
  /**
   * A 64-bit digest of every variable (two 32-bit halves, XOR of one hash per name and value),
   * kept up to date on each write: equal states are found without comparing their variables.
   */
  h1: number;
  h2: number;
  constructor(
    readonly parent: Scope | null,
    readonly own: Map<string, Var | undefined>,
    digest?: { h1: number; h2: number },
  ) {
    this.depth = parent ? parent.depth + 1 : 0;
    this.h1 = digest ? digest.h1 : parent ? parent.h1 : 0;
    this.h2 = digest ? digest.h2 : parent ? parent.h2 : 0;
    if (!parent && !digest) {
      for (const [k, v] of own) {
        if (!v) continue;
        const [a, b] = entryHash(k, v);
        this.h1 ^= a;
        this.h2 ^= b;
      }
    }
  }

  /** Sets a name in this (owned) layer, keeping the digest. */
  set(name: string, v: Var | undefined): void {
    const old = this.get(name);
    if (old) {
      const [a, b] = entryHash(name, old);
      this.h1 ^= a;
      this.h2 ^= b;
    }
    if (v) {
      const [a, b] = entryHash(name, v);
      this.h1 ^= a;
      this.h2 ^= b;
    }
    this.own.set(name, v);
  }

  /**
   * A layer made when too many variables differ between paths that meet: every variable it does
   * not list is unknown (nothing below it is read).
   */
  havoc = false;

  get(name: string): Var | undefined {
    for (let s: Scope | null = this; s; s = s.parent) {
      if (s.own.has(name)) return s.own.get(name);
      if (s.havoc) return UNKNOWN_VAR;
    }
    return undefined;
  }

  /** The scope's history ends in a havoc layer. */
  get rootedInHavoc(): boolean {
    for (const s of history(this)) if (s.havoc) return true;
    return false;
  }

  private flatCache: Scope | null = null;
  /** For a flat copy: the scope it copies (same variables), to find common ancestors through it. */
  source: Scope | null = null;

  /** This scope as one flat layer, made once per scope (so paths that share it share the copy). */
  compacted(): Scope {
    if (!this.flatCache) {
      this.flatCache = new Scope(null, this.flat(), this);
      this.flatCache.source = this;
      for (let s: Scope | null = this; s; s = s.parent) {
        if (s.havoc) {
          this.flatCache.havoc = true;
          break;
        }
      }
    }
    return this.flatCache;
  }

  /**
   * The same variables with the layers below the top `keep` squashed into the (shared) flat
   * copy of the layer under them, so reads stay short and forks keep a common ancestor.
   */
  rebased(keep: number): Scope {
    const kept: Scope[] = [];
    let s: Scope = this;
    while (kept.length < keep && s.parent) {
      kept.push(s);
      s = s.parent;
    }
    let out = s.compacted();
    for (let i = kept.length - 1; i >= 0; i--) {
      const layer = kept[i] as Scope;
      out = new Scope(out, layer.own, layer);
    }
    return out;
  }

  /** Every variable, newest layer winning. */
  flat(): Map<string, Var> {
    const out = new Map<string, Var>();
    const layers: Scope[] = [];
    for (let s: Scope | null = this; s; s = s.parent) {
      layers.push(s);
      if (s.havoc) break;
    }
    for (let i = layers.length - 1; i >= 0; i--) {
      for (const [k, v] of (layers[i] as Scope).own) {
        if (v === undefined) out.delete(k);
        else out.set(k, v);
      }
    }
    return out;
  }
}

/**
 * The hash of a value: the two hashes of `textHash` over its key (the value written out: text,
 * `multi`, argument index, mangling, the texts it is known to differ from, with separators), fed
 * one character at a time instead of building the key as a string first. The same numbers as
 * hashing the written-out key.
 */
let hashA = 0;
let hashB = 0;

function feedCode(c: number): void {
  hashA = Math.imul(hashA ^ c, 0x01000193);
  hashB = Math.imul(hashB ^ c, 0x5bd1e995);
  hashB ^= hashB >>> 15;
}

function feedText(t: string): void {
  for (let i = 0; i < t.length; i++) feedCode(t.charCodeAt(i));
}

/** The key of a field: `${s ?? '\u0002'}\u0001${multi ? 1 : 0}${arg ?? ''}\u0001${mangled ?? ''}\u0001${not?.join('\u0003') ?? ''}`. */
function feedField(f: Field): void {
  if (f.s === null) feedCode(2);
  else feedText(f.s);
  feedCode(1);
  feedCode(f.multi ? 0x31 : 0x30);
  if (f.arg !== undefined && f.arg !== null) feedText(String(f.arg));
  feedCode(1);
  if (f.mangled !== undefined && f.mangled !== null) feedText(f.mangled);
  feedCode(1);
  if (f.not) {
    for (let i = 0; i < f.not.length; i++) {
      if (i > 0) feedCode(3);
      const x = f.not[i];
      if (x !== undefined && x !== null) feedText(x);
    }
  }
  if (f.pid) {
    // The job by where it is started (jobs are compared by identity where states meet).
    feedCode(5);
    feedText(`${f.pid.job.file.path}:${f.pid.job.stmt.p[2]}:${f.pid.before}:${f.pid.after}`);
  }
}

/** `textHash` of the value's key: `s` (`u` when maybe unset) and the field's key, or `a` and the items' keys joined by `\u0004`. */
export function varHash(v: Var): [number, number] {
  // A long text (an ENV value that doubles itself line after line) is hashed once, not once for
  // each of the many values that hold it: the hash of a scalar depends only on its field.
  const long = v.kind === 'scalar' && v.value.s !== null && v.value.s.length >= LONG_TEXT ? v.value : null;
  if (long) {
    const known = longHashes.get(long.s as string);
    if (known && known.field.multi === long.multi && known.field.arg === long.arg && known.field.mangled === long.mangled && known.field.not === long.not) return known.hash;
  }
  hashA = 0x811c9dc5;
  hashB = 0x9e3779b9;
  if (v.kind === 'scalar') {
    feedCode(v.maybeUnset ? 0x75 : 0x73);
    feedField(v.value);
  } else {
    feedCode(0x61);
    for (let i = 0; i < v.items.length; i++) {
      if (i > 0) feedCode(4);
      feedField(v.items[i] as Field);
    }
  }
  const hash: [number, number] = [hashA >>> 0, hashB >>> 0];
  if (long) {
    if (longHashes.size >= 64) longHashes.clear();
    longHashes.set(long.s as string, { field: long, hash });
  }
  return hash;
}

/** Texts at least this long have their scalar's hash kept, by text (see varHash). */
const LONG_TEXT = 4096;
const longHashes = new Map<string, { field: Field; hash: [number, number] }>();

export function textHash(text: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [a >>> 0, b >>> 0];
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const varHashes = new WeakMap<Var, [number, number]>();
const nameHashes = new Map<string, [number, number]>();

/** Two independent 32-bit hashes of a name and its value (values are immutable: cached). */
function entryHash(name: string, v: Var): [number, number] {
  let vh = varHashes.get(v);
  if (!vh) {
    vh = varHash(v);
    varHashes.set(v, vh);
  }
  let nh = nameHashes.get(name);
  if (!nh) {
    nh = textHash(name);
    if (nameHashes.size < 100_000) nameHashes.set(name, nh);
  }
  return [mix(nh[0] ^ Math.imul(vh[0], 0x9e3779b1)) || 1, mix(nh[1] ^ Math.imul(vh[1] ^ 0x7f4a7c15, 0x85ebca77)) || 1];
}

/** The value of a variable that differs between joined paths. */
const UNKNOWN_VAR: Var = Object.freeze({ kind: 'scalar', value: UNKNOWN }) as Var;

const NO_NARROWED: readonly string[] = [];

/** A variable the path knows to be empty, set or not (see `maybeUnset`). */
const EMPTY_OR_UNSET: Var = Object.freeze({ kind: 'scalar', value: Object.freeze({ s: '' }), maybeUnset: true }) as Var;

/** A value a test may narrow: a text not known, that is no argument of the script, no list and no flattening. */
function narrowable(v: Var): boolean {
  return v.kind === 'scalar' && v.flat === undefined && !v.maybeUnset && v.value.s === null && !v.value.multi && v.value.arg === undefined && v.value.mangled === undefined && !v.value.not?.includes('');
}

/**
 * The variable lost its value where too many states met and were joined (or in a layer where
 * every variable did): it had known values on the paths, and only the cap made it unknown.
 */
export function isJoinedAway(v: Var | undefined): boolean {
  return v === UNKNOWN_VAR || (v !== undefined && JOINED.has(v));
}

/** Values made by joining different ones (an array with unknown items, a field known only in part). */
const JOINED = new WeakSet<Var>();

/** A value computed from one the join lost (`CONF=${CONF:-$DEFAULT_CONF}`): it is lost too. */
export function markJoinedAway(v: Var): Var {
  JOINED.add(v);
  return v;
}

const MAX_SCOPE_DEPTH = 64;
const KEPT_LAYERS = 32;

/** The names set in `a`'s layers above `base` (a common ancestor), or null when there is none. */
/** The layers of a scope's history, newest first; a flat copy stands for the scope it copies. */
function* history(a: Scope): Generator<Scope> {
  let s: Scope | null = a;
  while (s) {
    if (s.source) {
      s = s.source;
      continue;
    }
    yield s;
    if (s.havoc) return;
    s = s.parent;
  }
}

/** More variables than this differing where paths meet: all of them become unknown at once. */
const MAX_JOINED_NAMES = 256;
let havocCount = 0;

/** A havoc layer holding `own`: every other variable unknown. */
function havocScope(own: Map<string, Var | undefined>): Scope {
  havocCount++;
  const h = new Scope(null, new Map(), { h1: mix(havocCount * 0x9e3779b1), h2: mix(havocCount ^ 0x5bd1e995) });
  h.havoc = true;
  for (const [k, v] of own) h.set(k, v);
  return h;
}

function joinValues(values: (Var | undefined)[]): Var | undefined {
  let out = values[0];
  for (const w of values.slice(1)) {
    if (out === w) continue;
    out = out && w ? joinVar(out, w) : out || w ? UNKNOWN_VAR : undefined;
  }
  return out;
}

/** The variables set in `a`'s history above `base`, with their newest values. */
function valuesAbove(a: Scope, base: Scope | null): Map<string, Var | undefined> {
  const out = new Map<string, Var | undefined>();
  if (!base) {
    for (const [k, v] of a.flat()) out.set(k, v);
    return out;
  }
  for (const s of history(a)) {
    if (s === base) break;
    for (const [k, v] of s.own) if (!out.has(k)) out.set(k, v);
  }
  return out;
}

function namesAbove(a: Scope, base: Scope | null): Set<string> {
  const names = new Set<string>();
  for (const s of history(a)) {
    if (s === base) break;
    for (const k of s.own.keys()) names.add(k);
  }
  return names;
}

function commonAncestor(a: Scope, b: Scope): Scope | null {
  const seen = new Set<Scope>();
  for (const s of history(a)) seen.add(s);
  for (const s of history(b)) if (seen.has(s)) return s;
  return null;
}

/** A simple command as reached by the evaluator: where it is and how it was reached. */
export interface CmdRef {
  stmt: Stmt;
  call: CallExpr;
  file: ScriptFile;
  /** Functions it was reached through, outermost first. */
  via: readonly string[];
  /** The `. file` statements that led into `file`, outermost first. */
  sourcedVia: readonly { stmt: Stmt; file: ScriptFile }[];
}

/** A command started in the background (`daemon &`): a child of the shell that goes on. */
export interface Job {
  /** The `... &` statement. */
  stmt: Stmt;
  file: ScriptFile;
  /** The user the shell runs as when it starts the job. */
  user: UserValue;
  /** The programs the job ran (a function's commands, a pipeline's), in order; at most a few. */
  cmds: { ref: CmdRef; argv: Field[]; user: UserValue }[];
}

/** `trap ACTION TERM`: what the shell does when it gets SIGTERM. */
export interface TermTrap {
  at: CmdRef;
  /** The action as written (`kill -TERM "$pid"`, `_term`); empty when the signal is ignored. */
  action: string;
  /** The action (or a function it calls) runs `kill`: it passes the signal on to the children. */
  kills: boolean;
  /**
   * The action (and every function it calls) only prints, waits or ends the shell (`echo
   * stopping`, `exit 0`): it signals no child, stops no service, sets no variable and writes no
   * file, so the shell's jobs never hear of the signal.
   */
  inert?: true;
  /** The one signal other than TERM that the action's own `kill` sends (`USR1` for `kill -USR1 $pid`). */
  signal?: string;
}

/**
 * Job control on a path: the background jobs started, the SIGTERM trap, and the first `wait`
 * that found jobs running (where the shell stays, PID 1 if it is, while its children run).
 * Immutable: a path that changes it gets a new one.
 */
export interface JobControl {
  jobs: readonly Job[];
  term: TermTrap | null;
  /**
   * Where the shell stays while its jobs run: a `wait`, or a loop that polls a job (`while kill -0
   * "$pid"; do sleep 5; done`, see `polls.ts`) and goes on only once it has exited. `after`: a
   * program (not a builtin such as `echo`) ran after the wait returned (a `kill "$pid"`, say).
   */
  waited: { at: StmtRef; poll?: Poll; jobs: readonly Job[]; term: TermTrap | null; why: Decision[]; after?: true } | null;
  /** The job `$!` names: the last one the path started. */
  last?: Job;
}

/** A statement as reached by the evaluator (a loop, a `wait`): where it is and how it was reached. */
export type StmtRef = Pick<CmdRef, 'stmt' | 'file' | 'via' | 'sourcedVia'>;

/** The liveness test of a loop that polls background jobs, and the jobs it polls. */
export interface Poll {
  /** The loop's condition (`kill -0 "$pid"`, `pgrep -x server`, `[ -e /proc/$pid ]`), at its first test. */
  test: CmdRef;
  /** The condition as written, without the redirections of its last test. */
  text: string;
  jobs: readonly Job[];
}

/** A condition the evaluator decided on a path: `$1 = server (from CMD)`. */
export interface Decision {
  text: string;
  /** The command that tested it. */
  at: CmdRef | null;
  /** Decided because these environment variables are unset (`[ -z "$DB_HOST" ]`). */
  unset?: readonly string[];
  /** Decided by the invocation's arguments (`$1 = server (from CMD)`, `$1 matches * (the user command)`). */
  args?: true;
  /** Not a decision: the path went one way of a condition dockerlint could not decide. */
  undecided?: true;
}

/** The mark a path gets where it took one way of a condition that could not be decided. */
export const UNDECIDED: Decision = Object.freeze({ text: '', at: null, undecided: true as const });

/** The decisions of a path, newest first (a persistent list, shared between forks). */
export interface Why {
  d: Decision;
  prev: Why | null;
}

export function whyList(w: Why | null): Decision[] {
  const out: Decision[] = [];
  for (let x = w; x; x = x.prev) out.push(x.d);
  return out.reverse();
}

export class State {
  private vars: Scope;
  private varsOwned: boolean;
  private funcs: Map<string, FunctionDef>;
  private funcsOwned: boolean;
  /** Saved values of the names each active function declared `local`, innermost last. */
  private locals: Map<string, Var | undefined>[];
  params: Field[];
  user: UserValue;
  private status_: boolean | null;
  /**
   * What the last command, a test that could not be decided, says of the variables it read for
   * each way it goes (`[ -z "$V" ]`); set with the status, and gone with the next one.
   */
  private pending: BranchFacts | null;
  /**
   * The variables whose value a branch narrowed (`[ -z "$V" ]` true: V is empty), with the value
   * each had before: the narrowing is undone where the variable is no longer read, so paths that
   * differ only in it merge as they did before it was known.
   */
  private narrowed: ReadonlyMap<string, Var | undefined> | null;
  /** What the last test command decided, for the `if`/`&&` that reads its status. */
  test: Decision | null;
  /** The last foreground simple commands of the path (several after a merge). */
  last: CmdRef[];
  why: Why | null;
  /** Standard output captured by a command substitution: undefined when not capturing, null when unknown. */
  out: string | null | undefined;
  /** The path sourced files that are only known at run time. */
  opaque: boolean;
  /**
   * A file the path sourced could not be read (`. /etc/app/env.sh` that the image gets at run
   * time): a variable that is not set may hold a value it set, so it reads as unknown, not as
   * empty.
   */
  unknownUnset: boolean;
  /** Background jobs, the TERM trap and `wait` on this path; null until the first of them. */
  jobs: JobControl | null;

  constructor(init: { vars?: Map<string, Var>; params: Field[]; user: UserValue }) {
    this.vars = new Scope(null, new Map(init.vars ?? []));
    this.varsOwned = false;
    this.funcs = new Map();
    this.funcsOwned = true;
    this.locals = [];
    this.params = init.params;
    this.user = init.user;
    this.status_ = true;
    this.pending = null;
    this.narrowed = null;
    this.test = null;
    this.last = [];
    this.why = null;
    this.out = undefined;
    this.opaque = false;
    this.unknownUnset = false;
    this.jobs = null;
  }

  fork(): State {
    const s = Object.create(State.prototype) as State;
    s.vars = this.vars;
    s.funcs = this.funcs;
    s.locals = this.locals;
    this.varsOwned = false;
    this.funcsOwned = false;
    s.varsOwned = false;
    s.funcsOwned = false;
    s.params = this.params;
    s.user = this.user;
    s.status_ = this.status_;
    s.pending = this.pending;
    s.narrowed = this.narrowed;
    s.test = this.test;
    s.last = this.last;
    s.why = this.why;
    s.out = this.out;
    s.opaque = this.opaque;
    s.unknownUnset = this.unknownUnset;
    s.jobs = this.jobs;
    return s;
  }

  /** Exit status of the last command: true = 0, false = non-zero, null = unknown. */
  get status(): boolean | null {
    return this.status_;
  }

  set status(v: boolean | null) {
    this.status_ = v;
    this.pending = null;
  }

  /** The status of a test that could not be decided (null), and what each way of it says. */
  undecided(facts: BranchFacts | undefined): void {
    this.status = null;
    if (facts) this.pending = facts;
  }

  /** `! test`: the status negated, and what each way says with it. */
  negate(): void {
    const facts = this.pending;
    this.status = this.status_ === null ? null : !this.status_;
    if (facts) this.pending = { yes: facts.no, no: facts.yes };
  }

  /**
   * A fork that took one way of the undecided status: the status, and what the test says of the
   * variables for that way (empty, or not empty).
   */
  takeBranch(status: boolean): State {
    const facts = this.pending;
    const s = this.fork();
    s.status = status;
    if (facts) for (const f of status ? facts.yes : facts.no) s.narrow(f.name, f.empty);
    return s;
  }

  /**
   * The variable is empty (or unset), or not empty, on this path. Only a value not known is
   * narrowed: unknown text that holds no argument of the script and no list of words.
   */
  private narrow(name: string, empty: boolean): void {
    if (SHELL_SET.has(name)) return;
    const old = this.vars.get(name);
    if (old === undefined ? !this.unknownUnset : !narrowable(old)) return;
    const prev = this.narrowed?.has(name) ? this.narrowed.get(name) : old;
    const f = old?.kind === 'scalar' ? old.value : UNKNOWN;
    this.setVar(name, empty ? EMPTY_OR_UNSET : { kind: 'scalar', value: { ...f, not: [...(f.not ?? []), ''] } });
    const narrowed = new Map(this.narrowed ?? []);
    narrowed.set(name, prev);
    this.narrowed = narrowed;
  }

  /** The variables this path narrowed (see `narrowed`). */
  narrowedNames(): Iterable<string> {
    return this.narrowed?.keys() ?? NO_NARROWED;
  }

  hasNarrowed(): boolean {
    return this.narrowed !== null;
  }

  /** Undoes the narrowing of the variables `drop` names (all when absent): each gets its value before the test back. */
  widenNarrowed(drop?: (name: string) => boolean): void {
    const narrowed = this.narrowed;
    if (!narrowed) return;
    let kept: Map<string, Var | undefined> | null = null;
    for (const [k, v] of narrowed) {
      if (!drop || drop(k)) this.setVar(k, v);
      else (kept ??= new Map()).set(k, v);
    }
    this.narrowed = kept;
  }

  getVar(name: string): Var | undefined {
    return this.vars.get(name);
  }

  /** The variables, for comparing states where they meet. */
  scope(): Scope {
    return this.vars;
  }

  hasVar(name: string): boolean {
    return this.vars.get(name) !== undefined;
  }

  setVar(name: string, v: Var | undefined): void {
    if (this.narrowed?.has(name)) {
      const narrowed = new Map(this.narrowed);
      narrowed.delete(name);
      this.narrowed = narrowed.size > 0 ? narrowed : null;
    }
    if (!this.varsOwned) {
      this.vars = new Scope(this.vars.depth >= MAX_SCOPE_DEPTH ? this.vars.rebased(KEPT_LAYERS) : this.vars, new Map());
      this.varsOwned = true;
    }
    this.vars.set(name, v);
  }

  /**
   * A sourced file that could not be read ran: a variable that is not set may have been set by
   * it. What the script and ENV set before it, the positional parameters and the functions are
   * kept: a file sourced for its settings is taken to provide the ones the script has not set,
   * not to replace the script's own values, arguments or functions (an assumption; making every
   * variable unknown instead costs more than it gains on real entrypoints, whose paths would
   * then differ everywhere).
   */
  sourcedUnknownFile(): void {
    this.unknownUnset = true;
  }

  /** Every variable becomes unknown that a loop body may assign (widening before a loop). */
  forget(names: Iterable<string>): void {
    for (const n of names) {
      const v = this.vars.get(n);
      this.setVar(n, v?.kind === 'array' ? { kind: 'array', items: [UNKNOWN_FIELDS] } : { kind: 'scalar', value: UNKNOWN });
    }
  }

  getFunction(name: string): FunctionDef | undefined {
    return this.funcs.get(name);
  }

  defineFunction(name: string, def: FunctionDef | undefined): void {
    if (this.funcs.get(name) === def) return;
    if (!this.funcsOwned) {
      this.funcs = new Map(this.funcs);
      this.funcsOwned = true;
    }
    if (def) this.funcs.set(name, def);
    else this.funcs.delete(name);
  }

  enterFunction(): void {
    this.locals = [...this.locals, new Map()];
  }

  /** `local x`: remembers the outer value, to restore when the function returns. */
  declareLocal(name: string): void {
    const top = this.locals[this.locals.length - 1];
    if (!top || top.has(name)) return;
    const copy = new Map(top);
    copy.set(name, this.vars.get(name));
    this.locals = [...this.locals.slice(0, -1), copy];
  }

  leaveFunction(): void {
    const top = this.locals[this.locals.length - 1];
    if (!top) return;
    this.locals = this.locals.slice(0, -1);
    for (const [name, v] of top) this.setVar(name, v);
  }

  addDecision(d: Decision): void {
    this.why = { d, prev: this.why };
  }

  /** Equal in everything that decides what the path does next. */
  sameAs(o: State): boolean {
    return (
      this.status === o.status &&
      this.opaque === o.opaque &&
      this.unknownUnset === o.unknownUnset &&
      this.jobs === o.jobs &&
      this.out === o.out &&
      sameUser(this.user, o.user) &&
      sameFields(this.params, o.params) &&
      sameScopes(this.vars, o.vars) &&
      sameMaps(this.funcs, o.funcs, (a, b) => a.decl === b.decl) &&
      sameLocals(this.locals, o.locals)
    );
  }

  /** Equal in everything that decides what the path does next but the variables and the status (and, with `anyUnset`, how unset variables read). */
  sameOutsideVars(o: State, anyUnset = false): boolean {
    return (
      this.opaque === o.opaque &&
      (anyUnset || this.unknownUnset === o.unknownUnset) &&
      this.jobs === o.jobs &&
      this.out === o.out &&
      sameUser(this.user, o.user) &&
      sameFields(this.params, o.params) &&
      sameMaps(this.funcs, o.funcs, (a, b) => a.decl === b.decl) &&
      sameLocals(this.locals, o.locals)
    );
  }

  /** The join of two states: what both agree on, unknown where they differ. */
  joinWith(o: State, withVars = true): State {
    const s = this.fork();
    s.status = this.status === o.status ? this.status : null;
    // The joined values are what both paths hold, narrowed or not: there is nothing to undo.
    s.narrowed = null;
    s.opaque = this.opaque || o.opaque;
    s.unknownUnset = this.unknownUnset || o.unknownUnset;
    s.jobs = joinJobs(this.jobs, o.jobs);
    s.out = this.out === o.out ? this.out : this.out === undefined ? undefined : null;
    s.user = joinUser(this.user, o.user);
    s.params = joinFieldLists(this.params, o.params);
    if (withVars && this.vars !== o.vars) {
      const base = commonAncestor(this.vars, o.vars);
      const names = base ? new Set([...namesAbove(this.vars, base), ...namesAbove(o.vars, base)]) : new Set([...this.vars.flat().keys(), ...o.vars.flat().keys()]);
      const own = new Map<string, Var | undefined>();
      for (const k of names) {
        const v = this.vars.get(k);
        const w = o.vars.get(k);
        own.set(k, v && w ? joinVar(v, w) : v || w ? UNKNOWN_VAR : undefined);
      }
      const joined = new Scope(base && base.depth > MAX_SCOPE_DEPTH ? base.compacted() : base, new Map());
      for (const [k, v] of own) joined.set(k, v);
      s.vars = joined;
      s.varsOwned = true;
    }
    if (this.funcs !== o.funcs) {
      const funcs = new Map(this.funcs);
      for (const [k, v] of o.funcs) if (!funcs.has(k)) funcs.set(k, v);
      s.funcs = funcs;
      s.funcsOwned = true;
    }
    s.last = unionLast(this.last, o.last);
    return s;
  }

  /** The join of several states at once (one pass over the variables that differ). */
  static joinAll(states: State[]): State {
    const first = states[0] as State;
    if (states.length === 1) return first;
    let s = first;
    // Everything but the variables, pairwise (small).
    for (const o of states.slice(1)) {
      const vars = s.vars;
      s = s.joinWith(o, false);
      s.vars = vars;
    }
    const scopes = states.map((x) => x.vars);
    if (scopes.every((v) => v === scopes[0])) {
      s.vars = first.vars;
      s.varsOwned = false;
      return s;
    }
    // A path that already lost track of its variables: the join keeps only what it still knows.
    if (scopes.some((v) => v.rootedInHavoc)) {
      const names = new Set<string>();
      for (const v of scopes) if (v.rootedInHavoc) for (const k of namesAbove(v, null)) names.add(k);
      const own = new Map<string, Var | undefined>();
      for (const k of names) own.set(k, joinValues(scopes.map((v) => v.get(k))));
      s.vars = havocScope(own);
      s.varsOwned = true;
      return s;
    }
    const sets = scopes.slice(1).map((v) => new Set(history(v)));
    let base: Scope | null = null;
    for (const h of history(first.vars)) {
      if (sets.every((set) => set.has(h))) {
        base = h;
        break;
      }
    }
    // Per state, the values set above the common ancestor (newest layer first wins); the rest
    // come from the ancestor, flattened once.
    const above = scopes.map((v) => valuesAbove(v, base));
    const names = new Set<string>();
    for (const m of above) for (const k of m.keys()) names.add(k);
    if (names.size > MAX_JOINED_NAMES) {
      s.vars = havocScope(new Map());
      s.varsOwned = true;
      return s;
    }
    const flatBase = base ? base.compacted() : null;
    const joined = new Scope(flatBase, new Map());
    for (const k of names) {
      const fromBase = flatBase ? flatBase.own.get(k) : undefined;
      let out: Var | undefined;
      let firstValue = true;
      for (const m of above) {
        const w = m.has(k) ? m.get(k) : fromBase;
        if (firstValue) {
          out = w;
          firstValue = false;
        } else if (out !== w) out = out && w ? joinVar(out, w) : out || w ? UNKNOWN_VAR : undefined;
      }
      joined.set(k, out);
    }
    s.vars = joined;
    s.varsOwned = true;
    return s;
  }

  /** Merges `o` into this equal state: only the record of the last commands differs. */
  absorb(o: State): void {
    if (o.last !== this.last) this.last = unionLast(this.last, o.last);
  }
}

/** Job control where paths meet: the jobs either started, the first trap and wait either saw. */
function joinJobs(a: JobControl | null, b: JobControl | null): JobControl | null {
  if (a === b || !b) return a;
  if (!a) return b;
  const jobs = [...a.jobs];
  for (const j of b.jobs) if (!jobs.some((x) => x.stmt === j.stmt) && jobs.length < 8) jobs.push(j);
  // A program after the wait on either path counts.
  const waited = a.waited && !a.waited.after && b.waited?.after ? { ...a.waited, after: true as const } : (a.waited ?? b.waited);
  // `$!` names one job only where both paths started the same one last.
  const last = a.last === b.last ? a.last : undefined;
  return { jobs, term: a.term ?? b.term, waited, ...(last ? { last } : {}) };
}

function unionLast(a: CmdRef[], b: CmdRef[]): CmdRef[] {
  if (a === b) return a;
  const out = [...a];
  for (const c of b) if (!out.some((x) => x.stmt === c.stmt) && out.length < 4) out.push(c);
  return out;
}

function sameVar(a: Var, b: Var): boolean {
  if (a === b) return true;
  if (a.kind === 'scalar' && b.kind === 'scalar') return sameField(a.value, b.value) && !a.maybeUnset === !b.maybeUnset;
  if (a.kind === 'array' && b.kind === 'array') return sameFields(a.items, b.items);
  return false;
}

function joinVar(a: Var, b: Var): Var {
  if (sameVar(a, b)) return a;
  let out: Var;
  if (a.kind === 'scalar' && b.kind === 'scalar') {
    // Empty on both paths, set on one only: still empty, no value lost.
    if (sameField(a.value, b.value)) return a.maybeUnset ? a : b;
    const f = joinField(a.value, b.value);
    if (f === UNKNOWN) return UNKNOWN_VAR;
    out = { kind: 'scalar', value: f };
  } else if (a.kind === 'array' && b.kind === 'array') out = { kind: 'array', items: joinFieldLists(a.items, b.items) };
  else return UNKNOWN_VAR;
  JOINED.add(out);
  return out;
}

function sameScopes(a: Scope, b: Scope): boolean {
  return a === b || (a.h1 === b.h1 && a.h2 === b.h2);
}

function sameMaps<V>(a: Map<string, V>, b: Map<string, V>, eq: (x: V, y: V) => boolean): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w === undefined || !eq(v, w)) return false;
  }
  return true;
}

function sameLocals(a: Map<string, Var | undefined>[], b: Map<string, Var | undefined>[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Map<string, Var | undefined>;
    const y = b[i] as Map<string, Var | undefined>;
    if (x === y) continue;
    if (x.size !== y.size) return false;
    for (const [k, v] of x) {
      if (!y.has(k)) return false;
      const w = y.get(k);
      if (v !== w && (!v || !w || !sameVar(v, w))) return false;
    }
  }
  return true;
}

/** How many different states may reach one program point before they are joined into one. */
export const MAX_STATES_PER_POINT = 8;

/**
 * How many different states may reach one point while some of them still hold what a branch
 * learnt of a variable (`[ -z "$V" ]`); past it, that is undone first.
 */
const MAX_NARROWED_STATES = 4;

/**
 * Equal states merged; more than `cap` different ones joined into one. Returns the states,
 * whether the cap was hit (values that differed became unknown), and whether the join also lost
 * the arguments or the user (paths that differed in them were joined).
 */
export function mergeStates(states: State[], cap = MAX_STATES_PER_POINT, keep: ReadonlySet<string> = NO_NAMES, liveness?: (names: readonly string[]) => LiveFacts | null): { states: State[]; capped: boolean; lostFacts?: boolean; exact?: boolean } {
  if (states.length <= 1) return { states, capped: false };
  // What a branch learnt of a variable nothing reads again is undone first: paths that differ
  // only in it are one path, as they were before it was learnt.
  const narrowed = new Set<string>();
  for (const s of states) for (const k of s.narrowedNames()) narrowed.add(k);
  if (narrowed.size > 0 && liveness) {
    const facts = liveness([...narrowed]);
    if (facts) for (const s of states) s.widenNarrowed((k) => !facts.live(k));
  }
  const holding = states.some((s) => s.hasNarrowed());
  const out = distinct(states, holding ? Math.min(cap, MAX_NARROWED_STATES) : cap);
  if (out) return { states: out, capped: false };
  // More paths than that: what the branches learnt goes before anything else, so the paths merge
  // as they did before it was learnt (and the work stays what it was), and only then are values lost.
  if (holding) {
    for (const s of states) s.widenNarrowed();
    const fewer = distinct(states, cap);
    if (fewer) return { states: fewer, capped: false };
  }
  // Too many: first the joins that lose nothing, then, if still too many, the joins that do.
  const exact = liveness ? joinExact(states, liveness) : null;
  if (exact) {
    const fewer = distinct(exact, cap);
    if (fewer) return { states: fewer, capped: false, exact: true };
    return { ...joinByFacts(exact, cap, keep), capped: true, exact: true };
  }
  return { ...joinByFacts(states, cap, keep), capped: true };
}

/** Equal states merged, or null when more than `cap` different ones are left. */
function distinct(states: State[], cap: number): State[] | null {
  const out: State[] = [];
  for (const s of states) {
    const same = out.find((x) => x.sameAs(s));
    if (same) same.absorb(s);
    else if (out.length < cap) out.push(s);
    else return null;
  }
  return out;
}

/** What may still be read where paths meet (see `liveness.ts`). */
export interface LiveFacts {
  live(name: string): boolean;
  /** The exit status the paths leave may be read (`$?`, a bare `exit`, the end of a list). */
  status: boolean;
}

/** More states than this at one point: no search for joins that lose nothing. */
const MAX_EXACT = 64;

/** Two paths that set more names than this since they parted are not compared name by name. */
const MAX_PAIR_NAMES = 64;

/** Names the shell gives a value of its own when the script has not set them: unset is not unknown for them. */
const SHELL_SET = new Set(['BASH_SOURCE', 'EUID', 'UID', 'USER', 'LOGNAME', 'RANDOM', 'SECONDS', 'LINENO', 'PPID', 'BASHPID', 'TERM', 'SHLVL', 'OLDPWD', 'IFS', 'PS1', 'PS4', 'OPTIND', 'OPTARG', 'REPLY', 'HOSTTYPE', 'OSTYPE', 'MACHTYPE', 'GROUPS', 'SHELLOPTS', 'FUNCNAME', 'PIPESTATUS', 'DIRSTACK', 'COLUMNS', 'LINES', 'HISTFILE']);

/** A value that says nothing: unknown text, no argument, no known difference, one field. */
function saysNothing(v: Var | undefined): boolean {
  return v !== undefined && v.kind === 'scalar' && v.flat === undefined && v.value.s === null && !v.value.multi && v.value.arg === undefined && v.value.mangled === undefined && !v.value.not?.length && !v.value.unset?.length;
}

/** A value an unknown one stands for too: a text (known or not) that holds no argument or user command. */
function coveredByUnknown(v: Var | undefined): boolean {
  if (v === undefined || v.kind !== 'scalar' || v.flat !== undefined) return false;
  const f = v.value;
  return !f.multi && f.arg === undefined && f.mangled === undefined && !(f.s !== null && f.s.includes(USER_COMMAND));
}

/**
 * A value not known but for the texts it differs from (`not empty`, learnt from `[ -n "$V" ]`)
 * stands for a value that differs from them too: a known text not among them (`info`), or an
 * unknown one known to differ from at least the same texts.
 */
function holdsWithin(a: Var | undefined, b: Var | undefined): boolean {
  if (a === undefined || a.kind !== 'scalar' || a.flat !== undefined || a.maybeUnset || !coveredByUnknown(b)) return false;
  const f = a.value;
  const not = f.not;
  if (f.s !== null || f.multi || f.arg !== undefined || f.mangled !== undefined || f.unset?.length || !not?.length) return false;
  const g = (b as Var & { kind: 'scalar' }).value;
  if (g.s !== null) return !not.includes(g.s);
  return !g.unset?.length && not.every((t) => g.not?.includes(t));
}

function sameValue(a: Var | undefined, b: Var | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && sameVar(a, b));
}

/**
 * The joins at a point that lose nothing any later command could see:
 * - paths that differ only in variables nothing reads again, or in a status nothing tests, are
 *   one path (`liveness` names what may be read; the values it says are dead are joined);
 * - a path whose differing variables are all unknown (and whose status is unknown where the
 *   others' differ) covers a path that knows them: every run of the second is a run of the first.
 * Null when the variables cannot be compared (a path lost track of them, too many differ).
 */
function joinExact(states: State[], liveness: (names: readonly string[]) => LiveFacts | null): State[] | null {
  if (states.length > MAX_EXACT) return null;
  const scopes = states.map((x) => x.scope());
  if (scopes.some((v) => v.rootedInHavoc)) return null;
  // For each pair of paths, the names either set since they parted (the only ones that can
  // differ between them), when few: paths that parted long ago are not compared.
  const pairs = new Map<number, string[] | null>();
  const pairNames = (i: number, j: number): string[] | null => {
    const key = i < j ? i * MAX_EXACT + j : j * MAX_EXACT + i;
    if (pairs.has(key)) return pairs.get(key) as string[] | null;
    const x = scopes[i] as Scope;
    const y = scopes[j] as Scope;
    let out: string[] | null = [];
    if (!sameScopes(x, y)) {
      const base = commonAncestor(x, y);
      const names = base ? new Set([...namesAbove(x, base), ...namesAbove(y, base)]) : null;
      out = names && names.size <= MAX_PAIR_NAMES ? [...names].filter((k) => !sameValue(x.get(k), y.get(k))) : null;
    }
    pairs.set(key, out);
    return out;
  };
  const asked = new Set<string>();
  for (let i = 0; i < states.length; i++) for (let j = i + 1; j < states.length; j++) for (const k of pairNames(i, j) ?? []) asked.add(k);
  const facts = liveness([...asked]) ?? { live: () => true, status: true };
  const value = (i: number, k: string): Var | undefined => (scopes[i] as Scope).get(k);
  /** The names two paths differ in that may be read later; null when the paths are not compared. */
  const liveDiff = (i: number, j: number): string[] | null => pairNames(i, j)?.filter((k) => facts.live(k)) ?? null;
  // Paths equal in all that may be read, by their first path.
  const groups: number[][] = [];
  for (let i = 0; i < states.length; i++) {
    const s = states[i] as State;
    const g = groups.find((m) => {
      const r = m[0] as number;
      const x = states[r] as State;
      return (!facts.status || x.status === s.status) && x.sameOutsideVars(s) && liveDiff(r, i)?.length === 0;
    });
    if (g) g.push(i);
    else groups.push([i]);
  }
  // A group whose first path covers another's first path takes it in.
  const covers = (r: number, q: number): boolean => {
    const x = states[r] as State;
    const y = states[q] as State;
    if (facts.status && x.status !== y.status && x.status !== null) return false;
    // After a sourced file that could not be read, a variable not set reads as unknown, set or not.
    if (x.unknownUnset !== y.unknownUnset && !x.unknownUnset) return false;
    if (!x.sameOutsideVars(y, true)) return false;
    const anything = (a: Var | undefined, k: string): boolean => saysNothing(a) || (a === undefined && x.unknownUnset && !SHELL_SET.has(k));
    const diff = liveDiff(r, q);
    return diff !== null && diff.every((k) => {
      const a = value(r, k);
      const b = value(q, k);
      if (sameValue(a, b)) return x.unknownUnset === y.unknownUnset || a !== undefined;
      return (anything(a, k) && (coveredByUnknown(b) || (b === undefined && y.unknownUnset && !SHELL_SET.has(k)))) || holdsWithin(a, b);
    });
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let q = 0; q < groups.length && !changed; q++) {
      for (let r = 0; r < groups.length && !changed; r++) {
        if (r === q || !covers((groups[r] as number[])[0] as number, (groups[q] as number[])[0] as number)) continue;
        (groups[r] as number[]).push(...(groups[q] as number[]));
        groups.splice(q, 1);
        changed = true;
      }
    }
  }
  if (groups.length === states.length) return null;
  return groups.map((m) => {
    const first = m[0] as number;
    if (m.length === 1) return states[first] as State;
    // The first path, with the values nothing reads again joined (a later read of one would make
    // the run unsure, as any lost value does), and the last commands of them all.
    const joined = (states[first] as State).fork();
    const dead = new Set<string>();
    // Every name two of them differ in, over the pairs compared (a chain of covers included).
    for (const i of m) for (const j of m) if (i < j) for (const k of pairNames(i, j) ?? []) if (!facts.live(k)) dead.add(k);
    for (const k of dead) {
      const v = joinValues(m.map((i) => value(i, k)));
      if (v !== value(first, k)) joined.setVar(k, v);
    }
    for (const i of m.slice(1)) {
      const o = states[i] as State;
      joined.absorb(o);
      if (!facts.status && joined.status !== o.status) joined.status = null;
    }
    return joined;
  });
}

/**
 * Too many states at one point: those that agree on what matters most for the hand-over (the
 * arguments, the user) are joined together, so the join loses other variables first; when even
 * those differ too much, everything is joined.
 */
const NO_NAMES: ReadonlySet<string> = new Set();

function joinByFacts(states: State[], cap: number, keep: ReadonlySet<string>): { states: State[]; lostFacts: boolean } {
  const groups = new Map<string, State[]>();
  for (const s of states) {
    const key = `${userKey(s.user)}|${s.params.map((f) => `${f.s}\u0001${f.multi ? 1 : 0}${f.arg ?? ''}${f.mangled ?? ''}`).join('\u0002')}`;
    const g = groups.get(key);
    if (g) g.push(s);
    else groups.set(key, [s]);
  }
  if (groups.size > cap) return { states: [State.joinAll(states)], lostFacts: true };
  // Pair by pair only where a variable used as a command word could lose its values: the
  // distances cost work in the number of variables, which must stay linear in the script.
  if (keep.size > 0 && states.length <= MAX_PAIRWISE) return { states: joinClosest([...groups.values()], cap, keep), lostFacts: false };
  return { states: [...groups.values()].map((g) => State.joinAll(g)), lostFacts: false };
}

/** Few enough states to join pair by pair, the closest first. */
const MAX_PAIRWISE = 24;

/**
 * Joins, within each group, the two states that differ in the fewest variables, until no more
 * than `cap` states are left: a variable that splits the paths in two (the command a script will
 * exec, `NUMACTL=""` or `NUMACTL="numactl ..."`) keeps its values while counters and flags that
 * differ on many paths become unknown. Variables in `keep` (used as a command word) are joined last.
 */
function joinClosest(groups: State[][], cap: number, keep: ReadonlySet<string>): State[] {
  let total = groups.reduce((n, g) => n + g.length, 0);
  // Each pair's distance is computed once; a joined state's distances to the others once more.
  const dist = new Map<State, Map<State, number>>();
  const distance = (a: State, b: State): number => {
    let row = dist.get(a);
    if (!row) dist.set(a, (row = new Map()));
    let d = row.get(b);
    if (d === undefined) {
      d = differing(a, b, keep);
      row.set(b, d);
      let back = dist.get(b);
      if (!back) dist.set(b, (back = new Map()));
      back.set(a, d);
    }
    return d;
  };
  while (total > cap) {
    let best: { g: State[]; i: number; j: number; d: number } | null = null;
    for (const g of groups) {
      for (let i = 0; i < g.length; i++) {
        for (let j = i + 1; j < g.length; j++) {
          const d = distance(g[i] as State, g[j] as State);
          if (!best || d < best.d) best = { g, i, j, d };
        }
      }
    }
    if (!best) break;
    const joined = State.joinAll([best.g[best.i] as State, best.g[best.j] as State]);
    best.g.splice(best.j, 1);
    best.g.splice(best.i, 1, joined);
    total--;
  }
  return groups.flat();
}

/** How many variables two states disagree on; one in `keep` (a command word) counts as many. */
function differing(a: State, b: State, keep: ReadonlySet<string>): number {
  // Only the variables used as a command word are compared: comparing every variable would cost
  // work in their number at every join, and the analysis must stay linear in the script.
  const x = a.scope();
  const y = b.scope();
  if (x === y) return 0;
  let n = 0;
  for (const k of keep) {
    const v = x.get(k);
    const w = y.get(k);
    if (v !== w && (!v || !w || !sameVar(v, w))) n++;
  }
  return n;
}
