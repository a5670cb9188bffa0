/**
 * How a shell script ends. Walks the shell AST along every path (if/elif/else, case, `&&`/`||`,
 * loops, functions called on the way with their positional parameters) and answers, for each
 * path that ends the script: is the last action an `exec`, of what, as which user, with which
 * arguments. Comments, strings and heredoc bodies are never commands: they are not statements
 * in the AST.
 */
import type { CallExpr, Command, FuncDecl, IfClause, Position, ShellFile, Stmt, Word } from '../parsers/shell-ast.js';
import { childStmts } from '../parsers/shell-walk.js';
import type { Span } from '../parsers/source.js';
import { analyseCommand, wordLiteral, type CommandInfo } from './commands.js';

/** Where a command's positions point: the script itself, or a file it sources. */
export interface CommandSource {
  /** Display path of the file. */
  path: string;
  text: string;
  spanOf(p: Position, e: Position): Span;
}

/** A file a script sources (`. /usr/local/bin/lib.sh`), parsed. */
export interface SourcedFile {
  file: ShellFile;
  source: CommandSource;
}

/**
 * Finds a sourced file in the image: a parsed file, null when the image does not have it from
 * the build context (reported once as unknown, never guessed).
 */
export type SourceResolver = (path: string) => SourcedFile | null;

export interface CommandAt {
  info: CommandInfo;
  stmt: Stmt;
  call: CallExpr;
  /** Function frames this command was reached through (outermost first). */
  via: string[];
  /** The file the command is in; null for the analysed script itself. */
  source: CommandSource | null;
  /** The `. file` statements that led into that file, outermost first. */
  sourcedVia: { stmt: Stmt; source: CommandSource | null }[];
}

export type EndingKind = 'exec' | 'exit' | 'end';

export interface Ending {
  kind: EndingKind;
  /** For `exec`: the exec'd command. Otherwise the last foreground command on the path. */
  last: CommandAt | null;
  /** The `exit` statement, for `exit` endings. */
  exitStmt: Stmt | null;
  /** The file the `exit` is in (null: the script itself). */
  exitSource?: CommandSource | null;
  /** `exit`'s status word as written (`0`, `1`, `$?`), null for a bare exit or the script end. */
  exitCode: string | null;
  /** `"$@"` (or a mangled form) run as a child process on this path, not exec'd. */
  ranArgs: CommandAt | null;
  /** A user switch (gosu & co, su/sudo) on this path, exec'd or not. */
  userSwitch: CommandAt | null;
  /** What `"$@"` means at this point: the script's own arguments, or something else. */
  positional: 'script' | 'other';
  /** The path got here because a command failed (`a && exec b` when `a` fails): an error path. */
  failed: boolean;
  /** The path passed a test that the script runs as root (`[ "$(id -u)" = 0 ]`, `$EUID -eq 0`). */
  rootOnly: boolean;
}

export interface ScriptAnalysis {
  endings: Ending[];
  /** Every simple command on some path (foreground or not), in source order. */
  commands: CommandAt[];
  functions: Map<string, FuncDecl>;
  /** Analysis gave up somewhere (too many paths, deep recursion): stay quiet on absence checks. */
  truncated: boolean;
  /** `trap ... TERM` with a `wait`: a deliberate supervisor that forwards signals itself. */
  supervisor: boolean;
  /** `. file` / `source file` that could not be followed (dynamic path, or not in the image). */
  unknownSources: { path: string; stmt: Stmt; source: CommandSource | null }[];
}

interface State {
  last: CommandAt | null;
  ranArgs: CommandAt | null;
  userSwitch: CommandAt | null;
  positional: 'script' | 'other';
  failed: boolean;
  rootOnly: boolean;
  /** `set -- gosu user "$@"`: what `exec "$@"` will run. */
  argsSwitch?: CommandAt | null;
}

interface Flow {
  next: State[];
  /** States that left a function with `return`. */
  returned: State[];
}

const MAX_STATES = 64;
const MAX_DEPTH = 12;

class Walker {
  readonly endings: Ending[] = [];
  readonly commands = new Map<Stmt, CommandAt>();
  readonly functions = new Map<string, FuncDecl>();
  truncated = false;
  private readonly stack: string[] = [];
  /** >0 while inside a subshell or pipeline: exec and exit end that process, not the script. */
  private subshell = 0;
  readonly unknownSources: ScriptAnalysis['unknownSources'] = [];
  /** The file being walked (null: the script itself) and the `.` statements that led there. */
  private current: CommandSource | null = null;
  private sourcedVia: CommandAt['sourcedVia'] = [];
  private readonly sourcing = new Set<string>();
  private readonly functionFiles = new Map<string, CommandSource | null>();

  constructor(
    file: ShellFile,
    private source: string,
    private readonly resolve: SourceResolver | null,
  ) {
    this.rootSource = source;
    collectFunctions(file.stmts, this.functions);
    for (const n of this.functions.keys()) this.functionFiles.set(n, null);
  }

  private readonly rootSource: string;

  stmts(list: Stmt[], states: State[]): Flow {
    let current = states;
    const returned: State[] = [];
    for (const s of list) {
      if (current.length === 0) break;
      const flow = this.stmtAll(s, current);
      returned.push(...flow.returned);
      current = dedupe(flow.next, this);
    }
    return { next: current, returned };
  }

  private stmtAll(s: Stmt, states: State[]): Flow {
    const next: State[] = [];
    const returned: State[] = [];
    for (const st of states) {
      const f = this.stmt(s, st);
      next.push(...f.next);
      returned.push(...f.returned);
    }
    return { next, returned };
  }

  stmt(s: Stmt, st: State): Flow {
    if (!s.cmd) return { next: [st], returned: [] };
    if (s.background) {
      this.subshell++;
      const f = this.command(s, s.cmd, st);
      this.subshell--;
      // A background job neither ends the script nor becomes its last foreground command.
      const merged = [...f.next, ...f.returned].map((x) => ({ ...x, last: st.last }));
      return { next: merged.length ? merged : [st], returned: [] };
    }
    return this.command(s, s.cmd, st);
  }

  private command(s: Stmt, cmd: Command, st: State): Flow {
    switch (cmd.type) {
      case 'CallExpr':
        return this.call(s, cmd, st);
      case 'BinaryCmd': {
        if (cmd.op === '|' || cmd.op === '|&') {
          this.subshell++;
          const left = this.stmt(cmd.x, st);
          this.subshell--;
          // The last element of a pipeline is what the script waits for.
          this.subshell++;
          const right = this.stmtAll(cmd.y, left.next.length ? left.next.map((x) => ({ ...x })) : [st]);
          this.subshell--;
          return { next: right.next, returned: [] };
        }
        const left = this.stmt(cmd.x, st);
        const right = this.stmtAll(cmd.y, left.next);
        // `a && b`: b runs, or is skipped because a failed (for `||`, because a succeeded).
        const skipped = cmd.op === '&&' ? left.next.map((x) => ({ ...x, failed: true })) : left.next;
        // Deduplicated here too: a chain of n `&&` would otherwise hold 2^n copies of a few states.
        return { next: dedupe([...skipped, ...right.next], this), returned: dedupe([...left.returned, ...right.returned], this) };
      }
      case 'IfClause':
        return this.ifClause(cmd, [st]);
      case 'WhileClause': {
        const cond = this.stmts(cmd.cond, [st]);
        const body = this.stmts(cmd.do, cond.next);
        const forever = cmd.cond.length === 1 && isConstant(cmd.cond[0], !cmd.until);
        return { next: forever ? body.next.filter(() => false) : [...cond.next, ...body.next], returned: [...cond.returned, ...body.returned] };
      }
      case 'ForClause': {
        const body = this.stmts(cmd.do, [st]);
        return { next: [st, ...body.next], returned: body.returned };
      }
      case 'CaseClause': {
        const next: State[] = [];
        const returned: State[] = [];
        let hasDefault = false;
        for (const item of cmd.items) {
          if (item.patterns.some((p) => wordLiteral(p) === '*' || p.parts.length === 1 && p.parts[0]?.type === 'Lit' && p.parts[0].value === '*')) hasDefault = true;
          const f = this.stmts(item.stmts, [st]);
          next.push(...f.next);
          returned.push(...f.returned);
        }
        if (!hasDefault) next.push(st);
        return { next, returned };
      }
      case 'Block':
        return this.stmts(cmd.stmts, [st]);
      case 'Subshell': {
        this.subshell++;
        const f = this.stmts(cmd.stmts, [st]);
        this.subshell--;
        const after = [...f.next, ...f.returned];
        return { next: after.length ? after : [st], returned: [] };
      }
      case 'TimeClause':
        return cmd.stmt ? this.stmt(cmd.stmt, st) : { next: [st], returned: [] };
      case 'CoprocClause': {
        this.subshell++;
        this.stmt(cmd.stmt, st);
        this.subshell--;
        return { next: [st], returned: [] };
      }
      default:
        // FuncDecl (collected up front), declarations, tests and arithmetic: no hand-over.
        return { next: [st], returned: [] };
    }
  }

  private ifClause(cl: IfClause, states: State[]): Flow {
    const known = this.sourcedGuard(cl.cond);
    const root = rootTest(cl.cond, this.source) ?? this.rootFunctionTest(cl.cond);
    const c = this.stmts(cl.cond, states);
    const asRoot = (list: State[], yes: boolean): State[] => (yes ? list.map((x) => ({ ...x, rootOnly: true })) : list);
    const next: State[] = [];
    const returned = [...c.returned];
    if (known !== 'false') {
      const t = this.stmts(cl.then, asRoot(c.next, root === 'when-true'));
      next.push(...t.next);
      returned.push(...t.returned);
    }
    if (known !== 'true') {
      const elseStates = asRoot(c.next, root === 'when-false');
      if (!cl.else) next.push(...elseStates);
      else {
        const e = cl.else.cond.length === 0 ? this.stmts(cl.else.then, elseStates) : this.ifClause(cl.else, elseStates);
        next.push(...e.next);
        returned.push(...e.returned);
      }
    }
    return { next, returned };
  }

  /** `if am_i_root; then`: a call to a function whose body is a root test. */
  private rootFunctionTest(cond: Stmt[]): 'when-true' | 'when-false' | null {
    const s = cond[0];
    if (cond.length !== 1 || !s || s.cmd?.type !== 'CallExpr' || s.cmd.args.length !== 1 || !s.cmd.args[0]) return null;
    const name = wordLiteral(s.cmd.args[0]);
    const fn = name !== null ? this.functions.get(name) : undefined;
    if (!fn || !name) return null;
    const file = this.functionFiles.get(name);
    const text = file ? file.text : this.rootSource;
    const body = fn.body.cmd?.type === 'Block' ? fn.body.cmd.stmts : [fn.body];
    if (body.length !== 1) return null;
    const inner = rootTest(body, text);
    if (!inner) return null;
    return s.negated ? (inner === 'when-true' ? 'when-false' : 'when-true') : inner;
  }

  /**
   * The `_is_sourced` guard of big official entrypoints: `if ! _is_sourced; then _main "$@"; fi`.
   * When the script runs as a container's entrypoint it is never sourced, so the condition is
   * known: 'true' = the condition is certainly true at container start, 'false' = certainly false.
   */
  private sourcedGuard(cond: Stmt[]): 'true' | 'false' | null {
    if (cond.length !== 1) return null;
    const s = cond[0];
    if (!s) return null;
    // `[ "${BASH_SOURCE[0]}" = "$0" ]` (either order, `==`, `[[ ]]`): true when run, not sourced.
    const text = this.source.slice(s.p[2], s.e[2]);
    const self = /\$\{?BASH_SOURCE(\[0\])?\}?"?\s*(==?|!=)\s*"?\$\{?0\b|\$\{?0\}?"?\s*(==?|!=)\s*"?\$\{?BASH_SOURCE\b/.exec(text);
    if (self && s.cmd?.type !== 'BinaryCmd') {
      const equal = (self[2] ?? self[3]) !== '!=';
      return equal !== s.negated ? 'true' : 'false';
    }
    if (s.cmd?.type !== 'CallExpr' || s.cmd.args.length !== 1 || !s.cmd.args[0]) return null;
    const name = wordLiteral(s.cmd.args[0]);
    if (name === null) return null;
    const fn = this.functions.get(name);
    if (!fn || !/^_?is_?sourced$/i.test(name)) return null;
    return s.negated ? 'true' : 'false';
  }

  private call(s: Stmt, call: CallExpr, st: State): Flow {
    const first = call.args[0];
    if (!first) return { next: [st], returned: [] };
    const name = wordLiteral(first);
    if (name === 'exec') {
      if (call.args.length === 1) return { next: [st], returned: [] }; // `exec >log 2>&1`
      const at = this.record(s, call, call.args.slice(1), true);
      if (this.subshell > 0) return { next: [this.after(st, at)], returned: [] };
      this.endings.push({
        kind: 'exec',
        last: at,
        exitStmt: null,
        exitCode: null,
        ranArgs: st.ranArgs,
        userSwitch: at.info.switcher || at.info.forking ? at : at.info.runsArgs === 'quoted' && st.argsSwitch ? st.argsSwitch : st.userSwitch,
        positional: st.positional,
        failed: false,
        rootOnly: st.rootOnly,
      });
      return { next: [], returned: [] };
    }
    if (name === 'exit') {
      if (this.subshell > 0) return { next: [st], returned: [] };
      const code = call.args[1] ? sliceWord(call.args[1]) : null;
      this.endings.push({ kind: 'exit', last: st.last, exitStmt: s, exitSource: this.current, exitCode: code, ranArgs: st.ranArgs, userSwitch: st.userSwitch, positional: st.positional, failed: st.failed, rootOnly: st.rootOnly });
      return { next: [], returned: [] };
    }
    if (name === 'return') {
      return this.stack.length > 0 ? { next: [], returned: [st] } : { next: [st], returned: [] };
    }
    if (name === 'set' && call.args.some((w) => wordLiteral(w) === '--')) {
      const idx = call.args.findIndex((w) => wordLiteral(w) === '--');
      const newArgs = call.args.slice(idx + 1);
      const keeps = st.positional === 'script' && newArgs.some((w) => isQuotedAt(w));
      // `set -- su-exec app "$@"` then `exec "$@"`: the hand-over switches user.
      const info = analyseCommand(newArgs, true);
      const argsSwitch = info.switcher || info.forking ? { info, stmt: s, call, via: [...this.stack], source: this.current, sourcedVia: this.sourcedVia } : null;
      return { next: [{ ...st, positional: keeps ? 'script' : 'other', argsSwitch }], returned: [] };
    }
    if ((name === '.' || name === 'source') && call.args[1] && this.resolve) {
      const target = wordLiteral(call.args[1]);
      if (target === null) return { next: [st], returned: [] }; // `. "$f"` in a loop over runtime files
      const sourced = this.resolve(target);
      if (!sourced || this.sourcing.has(target) || this.sourcing.size >= 8) {
        if (!this.unknownSources.some((u) => u.stmt === s)) {
          this.unknownSources.push({ path: target, stmt: s, source: this.current });
        }
        return { next: [st], returned: [] };
      }
      // The sourced file runs in this shell: its functions become callable, its commands count.
      const fns = new Map<string, FuncDecl>();
      collectFunctions(sourced.file.stmts, fns);
      for (const [n, f] of fns) {
        this.functions.set(n, f);
        this.functionFiles.set(n, sourced.source);
      }
      const saved = { current: this.current, via: this.sourcedVia, source: this.source };
      this.sourcing.add(target);
      this.sourcedVia = [...this.sourcedVia, { stmt: s, source: this.current }];
      this.current = sourced.source;
      this.source = sourced.source.text;
      const inner = this.stmts(sourced.file.stmts, [st]);
      this.current = saved.current;
      this.sourcedVia = saved.via;
      this.source = saved.source;
      this.sourcing.delete(target);
      return { next: [...inner.next, ...inner.returned], returned: [] };
    }
    if (name !== null && this.functions.has(name)) {
      const fn = this.functions.get(name) as FuncDecl;
      if (this.stack.includes(name) || this.stack.length >= MAX_DEPTH) {
        this.truncated = true;
        return { next: [st], returned: [] };
      }
      const passes = st.positional === 'script' && call.args.slice(1).some((w) => isQuotedAt(w));
      this.stack.push(name);
      const fnFile = this.functionFiles.has(name) ? (this.functionFiles.get(name) ?? null) : undefined;
      const saved = { current: this.current, source: this.source };
      if (fnFile !== undefined) {
        this.current = fnFile;
        this.source = fnFile?.text ?? this.rootSource;
      }
      const inner = this.stmt(fn.body, { ...st, positional: passes ? 'script' : 'other' });
      this.current = saved.current;
      this.source = saved.source;
      this.stack.pop();
      const back = [...inner.next, ...inner.returned].map((x) => ({ ...x, positional: st.positional }));
      return { next: back, returned: [] };
    }
    const at = this.record(s, call, call.args, false);
    return { next: [this.after(st, at)], returned: [] };
  }

  private after(st: State, at: CommandAt): State {
    const info = at.info;
    const runsArgs = info.runsArgs !== 'none' && st.positional === 'script';
    return {
      last: at,
      ranArgs: runsArgs ? at : st.ranArgs,
      userSwitch: info.switcher || info.forking ? at : st.userSwitch,
      positional: st.positional,
      failed: false,
      rootOnly: st.rootOnly,
    };
  }

  private record(s: Stmt, call: CallExpr, words: Word[], exec: boolean): CommandAt {
    const existing = this.commands.get(s);
    if (existing && existing.info.exec === exec) return existing;
    const at: CommandAt = { info: analyseCommand(words, exec), stmt: s, call, via: [...this.stack], source: this.current, sourcedVia: this.sourcedVia };
    this.commands.set(s, at);
    return at;
  }
}

/**
 * Whether an `if` condition tests that the script runs as root: `[ "$(id -u)" = 0 ]`,
 * `[ "$EUID" -ne 0 ]`, `[ "$(whoami)" = root ]`, `[[ $EUID == 0 ]]`. 'when-true': the then
 * branch runs as root; 'when-false': the else branch (and what follows a then that exits) does.
 */
function rootTest(cond: Stmt[], source: string): 'when-true' | 'when-false' | null {
  if (cond.length !== 1 || !source) return null;
  const s = cond[0] as Stmt;
  const text = source.slice(s.p[2], s.e[2]);
  const m = /(\$\(\s*id\s+-u\s*\)|`id -u`|\$\{?E?UID\}?|\$\(\s*whoami\s*\))["']?\s*(!=|-ne|==|=|-eq)\s*["']?(0|root)\b|\b(0|root)["']?\s*(!=|-ne|==|=|-eq)\s*["']?(\$\(\s*id\s+-u\s*\)|\$\{?E?UID\}?)/.exec(text);
  if (!m) return null;
  const op = m[2] ?? m[5] ?? '';
  let positive = op !== '!=' && op !== '-ne';
  const negations = (text.match(/^\s*!|\[\s*!\s/g) ?? []).length;
  if (s.negated || negations % 2 === 1) positive = !positive;
  // `a && root-test` keeps the meaning for the then branch; `a || root-test` proves nothing.
  if (s.cmd?.type === 'BinaryCmd' && s.cmd.op === '||') return null;
  return positive ? 'when-true' : 'when-false';
}

function isQuotedAt(w: Word): boolean {
  const only = w.parts[0];
  return (
    w.parts.length === 1 &&
    only?.type === 'DblQuoted' &&
    only.parts.length === 1 &&
    only.parts[0]?.type === 'ParamExp' &&
    only.parts[0].param === '@'
  );
}

function sliceWord(w: Word): string {
  const lit = wordLiteral(w);
  if (lit !== null) return lit;
  const p = w.parts[0];
  if (p?.type === 'ParamExp') return `$${p.param}`;
  return '…';
}

function isConstant(s: Stmt | undefined, value: boolean): boolean {
  if (!s || s.cmd?.type !== 'CallExpr' || s.cmd.args.length !== 1 || !s.cmd.args[0]) return false;
  const lit = wordLiteral(s.cmd.args[0]);
  return value ? lit === 'true' || lit === ':' : lit === 'false';
}

function collectFunctions(stmts: Stmt[], into: Map<string, FuncDecl>): void {
  const visit = (s: Stmt): void => {
    if (s.cmd?.type === 'FuncDecl' && !into.has(s.cmd.name)) into.set(s.cmd.name, s.cmd);
    childStmts(s.cmd).forEach(visit);
  };
  stmts.forEach(visit);
}

function stateKey(s: State): string {
  const k = (c: CommandAt | null): number => (c ? c.stmt.p[2] * 2 + (c.info.exec ? 1 : 0) : -1);
  return `${k(s.last)}|${k(s.ranArgs)}|${k(s.userSwitch)}|${s.positional}|${s.failed}|${s.rootOnly}|${k(s.argsSwitch ?? null)}`;
}

function dedupe(states: State[], w: Walker): State[] {
  if (states.length <= 1) return states;
  const seen = new Map<string, State>();
  for (const s of states) {
    const key = stateKey(s);
    if (!seen.has(key)) seen.set(key, s);
  }
  let out = [...seen.values()];
  if (out.length > MAX_STATES) {
    w.truncated = true;
    out = out.slice(0, MAX_STATES);
  }
  return out;
}

/** Every path of the script, from the first statement, with the script's arguments in `"$@"`. */
export function analyseScript(file: ShellFile, source = '', resolve: SourceResolver | null = null): ScriptAnalysis {
  const w = new Walker(file, source, resolve);
  const start: State = { last: null, ranArgs: null, userSwitch: null, positional: 'script', failed: false, rootOnly: false };
  const flow = w.stmts(file.stmts, [start]);
  for (const st of dedupe([...flow.next, ...flow.returned], w)) {
    w.endings.push({ kind: 'end', last: st.last, exitStmt: null, exitCode: null, ranArgs: st.ranArgs, userSwitch: st.userSwitch, positional: st.positional, failed: st.failed, rootOnly: st.rootOnly });
  }
  const commands = [...w.commands.values()].sort(
    (a, b) => (a.source?.path ?? '').localeCompare(b.source?.path ?? '') || a.stmt.p[2] - b.stmt.p[2],
  );
  const supervisor =
    commands.some(
      (c) =>
        c.info.name === 'trap' &&
        c.info.words[1] !== undefined &&
        !['-', ''].includes(wordLiteral(c.info.words[1]) ?? 'x') &&
        c.info.words.slice(2).some((x) => /^(SIG)?(TERM|INT|15|2)$/.test(wordLiteral(x) ?? '')),
    ) &&
    commands.some((c) => c.info.name === 'wait');
  return { endings: dedupeEndings(w.endings), commands, functions: w.functions, truncated: w.truncated, supervisor, unknownSources: w.unknownSources };
}

function dedupeEndings(endings: Ending[]): Ending[] {
  const seen = new Set<string>();
  const out: Ending[] = [];
  for (const e of endings) {
    const key = `${e.kind}|${e.exitStmt?.p[2] ?? -1}|${stateKey(e)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}

/** An `exit` whose status says failure: an error path, not a way the main process ends. */
export function isErrorExit(e: Ending): boolean {
  if (e.kind === 'end') return e.failed;
  if (e.kind !== 'exit') return false;
  // Only a literal non-zero status is an error path; `exit "$status"` passes a child's on.
  return e.exitCode !== null && /^[0-9]+$/.test(e.exitCode) && e.exitCode !== '0';
}
