/**
 * Which variables a script may still read after a program point, for joining paths that differ
 * only in values nothing reads again (a counter, a file name used only in a message, the status
 * of a command whose status no one tests).
 *
 * The answer is conservative: a name counts as read wherever it appears as a word a later command
 * could take as a variable (a parameter expansion, a name in `[[ ]]` or `$(( ))`, a literal word,
 * a quoted string that a later `sh -c` or `trap` may run), and anything that reads variables by a
 * name computed at run time (`eval`, `. file`, `${!name}`, a nameref) makes every variable live.
 * A name is dead only when every way forward from the point either never mentions it or first
 * assigns it with a plain `NAME=value` on a path that cannot jump over the assignment.
 *
 * Each file is indexed once (the offsets where each name is read, sorted); a question is answered
 * by range searches over that index, with a fixed bound on the work of one question.
 */
import type { Command, ShellFile, Stmt, Word, WordPart } from '../../parsers/shell-ast.js';
import { childStmts } from '../../parsers/shell-walk.js';

/** How a statement sits in its file: the list it is in, and the statement that holds that list. */
interface Place {
  list: Stmt[];
  i: number;
  /** The compound statement (or the statement whose word holds `$(...)`), null at the top. */
  owner: Stmt | null;
  /** What the list is to the owner. */
  role: 'top' | 'loop' | 'func' | 'ifcond' | 'branch' | 'case' | 'left' | 'plain' | 'word';
}

interface FileIndex {
  /** Where each name is read, ascending offsets. `?` stands for the last status (`$?`, a bare `exit` or `return`). */
  reads: Map<string, number[]>;
  /** Where something reads variables by a computed name, ascending. */
  giveUps: number[];
  /** Literal command names, by offset (for function calls), ascending. */
  calls: { o: number; name: string }[];
  callOffsets: number[];
  /** Commands whose name is computed (`$run "$@"`): they may call any function. */
  dynamicCalls: number[];
  /** `return`, `break` and `continue`: after one, a later assignment may be jumped over. */
  jumps: number[];
  /** `trap` commands: their actions run at any later time. */
  traps: { p: number; e: number }[];
  /** Function bodies by name: their span, and their statements when the body is a `{ ...; }` block. */
  funcs: Map<string, { p: number; e: number; stmts: Stmt[] | null }[]>;
  places: Map<Stmt, Place>;
  /** A statement object found at two places (a syntax tree built by hand): no answers. */
  shared: boolean;
}

const INDEXES = new WeakMap<ShellFile, FileIndex>();

/** Names the shell or the evaluator itself reads, whatever the script says. */
const ALWAYS_LIVE = new Set(['IFS', 'PATH', 'HOME', 'PWD', 'OLDPWD', 'CDPATH', 'OPTIND', 'OPTARG', 'OPTERR', 'REPLY', 'PS4', 'ENV', 'BASH_ENV', 'SHELLOPTS', 'BASHOPTS', 'POSIXLY_CORRECT', 'LANG', 'LC_ALL', 'LC_CTYPE', 'LC_COLLATE', 'LC_MESSAGES', 'GLOBIGNORE', 'TMPDIR', 'USER', 'LOGNAME', 'SHELL', 'UID', 'EUID', 'PPID', 'PIPESTATUS', 'BASH_REMATCH', 'FUNCNAME', 'BASH_SOURCE', 'LINENO', 'HOSTNAME', 'TERM']);

/** Commands that read variables by a name computed at run time, or print them all. */
const GIVE_UP_COMMANDS = new Set(['eval', '.', 'source', 'compgen', 'alias']);

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

function literal(w: Word | undefined): string | null {
  if (!w) return null;
  let s = '';
  for (const p of w.parts) {
    if (p.type === 'Lit') s += p.value;
    else if (p.type === 'SglQuoted') s += p.value;
    else return null;
  }
  return s;
}

function buildIndex(ast: ShellFile, text: string): FileIndex {
  const reads = new Map<string, number[]>();
  const ix: FileIndex = { reads, giveUps: [], calls: [], callOffsets: [], dynamicCalls: [], jumps: [], traps: [], funcs: new Map(), places: new Map(), shared: false };
  const read = (name: string, o: number): void => {
    const list = reads.get(name);
    if (list) list.push(o);
    else reads.set(name, [o]);
  };
  /** Every name-like token of a piece of text the syntax tree does not break down. */
  const tokens = (s: string, o: number): void => {
    for (let i = 0; i < s.length; ) {
      const c = s.charCodeAt(i);
      if (isNameStart(c) && (i === 0 || !isNameChar(s.charCodeAt(i - 1)))) {
        let j = i + 1;
        while (j < s.length && isNameChar(s.charCodeAt(j))) j++;
        read(s.slice(i, j), o);
        i = j;
      } else i++;
    }
    if (s.includes('$?')) read('?', o);
    if (s.includes('${!')) ix.giveUps.push(o);
  };
  const span = (n: { p: [number, number, number]; e: [number, number, number] }): void => tokens(text.slice(n.p[2], n.e[2]), n.p[2]);
  const todo: { s: Stmt; place: Place }[] = [];
  const place = (list: Stmt[], owner: Stmt | null, role: Place['role']): void => {
    list.forEach((s, i) => todo.push({ s, place: { list, i, owner, role } }));
  };
  const part = (p: WordPart, owner: Stmt): void => {
    switch (p.type) {
      case 'Lit':
      case 'SglQuoted':
        tokens(p.value, p.p[2]);
        return;
      case 'DblQuoted':
        for (const q of p.parts) part(q, owner);
        return;
      case 'ParamExp':
        read(p.param, p.p[2]);
        if (p.excl) ix.giveUps.push(p.p[2]);
        if (p.index) tokens(p.index, p.p[2]);
        if (p.word) word(p.word, owner);
        return;
      case 'CmdSubst':
      case 'ProcSubst':
        place(p.stmts, owner, 'word');
        return;
      default:
        span(p);
    }
  };
  const word = (w: Word | null, owner: Stmt): void => {
    if (w) for (const p of w.parts) part(p, owner);
  };
  const command = (c: Command, s: Stmt): void => {
    switch (c.type) {
      case 'CallExpr': {
        for (const a of c.assigns) {
          if (a.append) read(a.name, a.p[2]);
          if (a.array) span(a);
          word(a.value, s);
        }
        for (const w of c.args) word(w, s);
        const head = literal(c.args[0]);
        const o = c.p[2];
        if (c.args.length > 0 && head === null) ix.dynamicCalls.push(o);
        if (head !== null) {
          ix.calls.push({ o, name: head });
          if (GIVE_UP_COMMANDS.has(head)) ix.giveUps.push(o);
          if (head === 'set' && c.args.length === 1) ix.giveUps.push(o);
          if ((head === 'exit' || head === 'return') && c.args.length === 1) read('?', o);
          if (head === 'return' || head === 'break' || head === 'continue') ix.jumps.push(o);
          if (head === 'trap') ix.traps.push({ p: s.p[2], e: s.e[2] });
          // `command f`, `builtin f`: the command after them.
          if ((head === 'command' || head === 'builtin') && c.args[1]) {
            const next = literal(c.args[1]);
            if (next !== null) ix.calls.push({ o, name: next });
            else ix.dynamicCalls.push(o);
          }
        }
        return;
      }
      case 'DeclClause':
        for (const a of c.args) {
          // `declare -n ref=NAME`, `declare -p`: names computed at run time, or all of them.
          const opt = a.name === '' ? literal(a.value ?? undefined) : null;
          if (a.name === '' && (opt === null || /[np]/.test(opt))) ix.giveUps.push(a.p[2]);
          if (a.name !== '' && (a.naked || a.append)) read(a.name, a.p[2]);
          if (a.array) span(a);
          word(a.value, s);
        }
        if (c.args.length === 0) ix.giveUps.push(c.p[2]);
        return;
      case 'ForClause':
        if (c.items) for (const w of c.items) word(w, s);
        else span({ p: c.p, e: c.do[0]?.p ?? c.e });
        place(c.do, s, 'loop');
        return;
      case 'WhileClause':
        place(c.cond, s, 'loop');
        place(c.do, s, 'loop');
        return;
      case 'IfClause':
        for (let cl: typeof c | null = c; cl; cl = cl.else) {
          place(cl.cond, s, 'ifcond');
          place(cl.then, s, 'branch');
        }
        return;
      case 'CaseClause':
        word(c.word, s);
        for (const item of c.items) {
          for (const w of item.patterns) word(w, s);
          place(item.stmts, s, c.items.every((x) => x.op === ';;') ? 'branch' : 'case');
        }
        return;
      case 'FuncDecl': {
        const list = ix.funcs.get(c.name);
        const body = { p: c.body.p[2], e: c.body.e[2], stmts: c.body.cmd?.type === 'Block' && !c.body.negated && !c.body.background && c.body.redirs.length === 0 ? c.body.cmd.stmts : null };
        if (list) list.push(body);
        else ix.funcs.set(c.name, [body]);
        place([c.body], s, 'func');
        return;
      }
      case 'BinaryCmd':
        todo.push({ s: c.x, place: { list: [c.x], i: 0, owner: s, role: 'left' } });
        todo.push({ s: c.y, place: { list: [c.y], i: 0, owner: s, role: 'plain' } });
        return;
      case 'Block':
      case 'Subshell':
      case 'TimeClause':
      case 'CoprocClause':
        place(childStmts(c), s, 'plain');
        return;
      default:
        // `[[ ]]`, `(( ))`, `let` and the rest: the names in their text.
        span(c);
    }
  };
  place(ast.stmts, null, 'top');
  while (todo.length > 0) {
    const { s, place: at } = todo.pop() as { s: Stmt; place: Place };
    if (ix.places.has(s)) ix.shared = true;
    ix.places.set(s, at);
    for (const r of s.redirs) {
      word(r.word, s);
      word(r.hdoc, s);
    }
    if (s.cmd) command(s.cmd, s);
  }
  for (const list of reads.values()) list.sort((a, b) => a - b);
  ix.giveUps.sort((a, b) => a - b);
  ix.calls.sort((a, b) => a.o - b.o);
  ix.callOffsets = ix.calls.map((c) => c.o);
  ix.dynamicCalls.sort((a, b) => a - b);
  ix.jumps.sort((a, b) => a - b);
  return ix;
}

function fileIndex(ast: ShellFile, text: string): FileIndex {
  let ix = INDEXES.get(ast);
  if (!ix) INDEXES.set(ast, (ix = buildIndex(ast, text)));
  return ix;
}

/** The first index of `xs` (ascending) whose value is >= `lo`. */
function lowerBound(xs: readonly number[], lo: number): number {
  let a = 0;
  let b = xs.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if ((xs[m] as number) < lo) a = m + 1;
    else b = m;
  }
  return a;
}

/** Some offset of `xs` in [lo, hi). */
function anyIn(xs: readonly number[] | undefined, lo: number, hi: number): boolean {
  if (!xs || xs.length === 0) return false;
  const i = lowerBound(xs, lo);
  return i < xs.length && (xs[i] as number) < hi;
}

/** A file the run knows, with its syntax tree and text. */
export interface KnownFile {
  ast: ShellFile;
  text: string;
}

/** Where the run returns to when the statement's function or sourced file ends, innermost last. */
export interface ReturnPoint {
  file: KnownFile;
  stmt: Stmt;
}

/** What may still be read after a point. */
export interface Liveness {
  live(name: string): boolean;
  /** The status the point leaves (`$?`) may be read. */
  status: boolean;
}

/** Work one question may take (range searches); over it, every name is live. */
const MAX_WORK = 4_000;

/** Statements of a list followed one by one (for the assignments that decide a name); the rest of the list is read at once. */
const STATEMENTS_IN_ORDER = 32;

class GiveUp extends Error {}

/** The calls in [lo, hi) of a file, by name. */
function callsIn(ix: FileIndex, lo: number, hi: number, visit: (name: string) => void): void {
  for (let i = lowerBound(ix.callOffsets, lo); i < ix.calls.length && (ix.calls[i] as { o: number }).o < hi; i++) visit((ix.calls[i] as { name: string }).name);
}

/**
 * The names among `names` that may be read after statement `at` of `file` (the statement has
 * just run), given the return points of the functions and sourced files the run is in and every
 * file the run has read (for the bodies of the functions it may call). Null when it cannot tell
 * (a statement it does not know, more work than the bound).
 */
export function liveAfter(at: Stmt, file: KnownFile, returns: readonly ReturnPoint[], files: Iterable<KnownFile>, names: readonly string[]): Liveness | null {
  const all = [...files];
  if (!all.some((f) => f.ast === file.ast)) all.push(file);
  const indexes = all.map((f) => fileIndex(f.ast, f.text));
  if (indexes.some((ix) => ix.shared)) return null;
  const asked = new Set(names);
  let work = 0;
  const spend = (n = 1): void => {
    work += n;
    if (work > MAX_WORK) throw new GiveUp();
  };
  const functionNames = new Set<string>();
  for (const ix of indexes) for (const k of ix.funcs.keys()) functionNames.add(k);

  /** A walk forward: the names not decided yet, those found read, whether a plain assignment still decides. */
  interface Walk {
    open: Set<string>;
    read: Set<string>;
    kills: boolean;
  }
  const found = (w: Walk, n: string): void => {
    if (w.open.delete(n)) w.read.add(n);
  };
  /** What a function may read before it assigns it (its body run from the start), among `asked`. */
  const exposed = new Map<string, Set<string> | 'busy'>();
  const exposedBy = (name: string): Set<string> => {
    const known = exposed.get(name);
    if (known === 'busy') return asked; // a recursive call: anything it reads
    if (known) return known;
    exposed.set(name, 'busy');
    const read = new Set<string>();
    for (const ix of indexes) {
      for (const b of ix.funcs.get(name) ?? []) {
        const one: Walk = { open: new Set(asked), read, kills: true };
        if (!b.stmts) readsIn(ix, b.p, b.e, one);
        else rest(ix, b.stmts, 0, one);
      }
    }
    exposed.set(name, read);
    return read;
  };
  /** The names read in [lo, hi) of a file (and by the functions called there) are read. */
  const readsIn = (ix: FileIndex, lo: number, hi: number, w: Walk): void => {
    spend();
    if (anyIn(ix.giveUps, lo, hi)) throw new GiveUp();
    for (const n of w.open) {
      spend();
      if (anyIn(ix.reads.get(n), lo, hi)) found(w, n);
    }
    const via = (f: string): void => {
      spend();
      if (!functionNames.has(f) || w.open.size === 0) return;
      for (const n of exposedBy(f)) found(w, n);
    };
    if (anyIn(ix.dynamicCalls, lo, hi)) for (const f of functionNames) via(f);
    callsIn(ix, lo, hi, via);
  };
  /** One statement of a list run from start to end: its reads, then its plain assignments. */
  const statement = (ix: FileIndex, s: Stmt, w: Walk): void => {
    readsIn(ix, s.p[2], s.e[2], w);
    if (anyIn(ix.jumps, s.p[2], s.e[2])) w.kills = false;
    const c = s.cmd;
    if (!w.kills || s.background || s.negated || !c) return;
    if (c.type === 'CallExpr' && c.args.length === 0) for (const a of c.assigns) w.open.delete(a.name);
    else if (c.type === 'DeclClause' && c.variant === 'export') for (const a of c.args) if (a.name && !a.naked && !a.append && !a.array) w.open.delete(a.name);
  };

  /**
   * The statements of a list from `from` on, in order; past the first few, the rest of the list at
   * once, as reads only: the work of a question does not grow with the length of the script.
   */
  const rest = (ix: FileIndex, list: Stmt[], from: number, w: Walk): void => {
    for (let i = from; i < list.length && w.open.size > 0; i++) {
      if (i - from >= STATEMENTS_IN_ORDER) {
        readsIn(ix, (list[i] as Stmt).p[2], (list[list.length - 1] as Stmt).e[2], w);
        w.kills = false;
        return;
      }
      statement(ix, list[i] as Stmt, w);
    }
  };

  try {
    const ixAt = fileIndex(file.ast, file.text);
    const here = ixAt.places.get(at);
    if (!here) return null;
    // The status: read by the next statement of the list, or by whatever runs the list.
    let status = true;
    const next = here.list[here.i + 1];
    if (next) {
      status = anyIn(ixAt.reads.get('?'), next.p[2], next.e[2]) || anyIn(ixAt.dynamicCalls, next.p[2], next.e[2]);
      callsIn(ixAt, next.p[2], next.e[2], (f) => {
        if (functionNames.has(f)) status = true;
      });
    }
    const w: Walk = { open: new Set([...asked].filter((n) => !ALWAYS_LIVE.has(n))), read: new Set([...asked].filter((n) => ALWAYS_LIVE.has(n))), kills: true };
    // Trap actions run later, at any time: what they read, and the functions they name.
    for (const ix of indexes) {
      for (const t of ix.traps) {
        const trap: Walk = { open: w.open, read: w.read, kills: false };
        readsIn(ix, t.p, t.e, trap);
        for (const f of functionNames) if (anyIn(ix.reads.get(f), t.p, t.e)) for (const n of exposedBy(f)) found(w, n);
      }
    }
    let cur: { ix: FileIndex; stmt: Stmt } | null = { ix: ixAt, stmt: at };
    let depth = returns.length;
    while (cur && w.open.size > 0) {
      const ix: FileIndex = cur.ix;
      const stmt: Stmt = cur.stmt;
      const pl: Place | undefined = ix.places.get(stmt);
      if (!pl) throw new GiveUp();
      rest(ix, pl.list, pl.i + 1, w);
      const owner: Stmt | null = pl.owner;
      if (owner) {
        // What else of the owner may run after the list: all of a loop, the rest of the others.
        if (pl.role === 'loop' || pl.role === 'word') readsIn(ix, owner.p[2], owner.e[2], w);
        else if (pl.role === 'ifcond' || pl.role === 'case' || pl.role === 'left') readsIn(ix, stmt.e[2], owner.e[2], w);
        if (pl.role === 'loop' || pl.role === 'case' || pl.role === 'left' || pl.role === 'word') w.kills = false;
        if (pl.role === 'func') {
          // The function returns to where it was called.
          const back = returns[--depth];
          if (!back) throw new GiveUp();
          cur = { ix: fileIndex(back.file.ast, back.file.text), stmt: back.stmt };
          continue;
        }
        cur = { ix, stmt: owner };
        continue;
      }
      // The end of a file: a sourced one returns to its `. file`; the script ends.
      const back = returns[--depth];
      cur = back ? { ix: fileIndex(back.file.ast, back.file.text), stmt: back.stmt } : null;
    }
    const read = w.read;
    return { live: (n) => read.has(n) || !asked.has(n), status };
  } catch (e) {
    if (e instanceof GiveUp) return null;
    throw e;
  }
}
