/**
 * The shell parser: mvdan/sh compiled to WebAssembly (`wasm/shparse.go`, built by
 * `scripts/build-wasm.sh`), returning the compact AST of `./shell-ast.ts`.
 *
 * Loading compiles the module once (tens of milliseconds); after that `parse` is synchronous.
 * The Go side writes the tree as uint32 words into its own memory (byte offsets only, strings as
 * slices of the source); `decode` reads them in place and computes lines and UTF-16 columns and
 * offsets from the source, so that `source.slice(node.p[2], node.e[2])` is the node's text.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import type { Assign, ArithmExpr, CaseItem, Command, Dialect, IfClause, Position, Redirect, ShellComment, ShellFile, ShellParseResult, Stmt, Word, WordPart } from './shell-ast.js';
import { readShebang } from './shebang.js';
import { overBudget } from './shell-budget.js';

export interface ShellParser {
  /** Parses a whole script. Never throws: syntax errors come back as `{ ok: false }`. */
  parse(source: string, dialect: Dialect): ShellParseResult;
}

// Relative to this module: the same from src/parsers/shell.ts and dist/parsers/shell.js.
const WASM_URL = new URL('../../wasm/shparse.wasm', import.meta.url);
const GLUE_PATH = '../../wasm/wasm_exec.cjs';
/** The global function that `wasm/shparse.go` registers. */
const GLOBAL_NAME = '__dockerlintShParse';

// Minimal typings: the project's `lib` has no WebAssembly declarations.
type WasmModule = object;
interface WasmInstance {
  readonly exports: unknown;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => WasmInstance;
}
/** The `Go` class that Go's `wasm_exec.js` defines on `globalThis`. */
interface GoRuntime {
  importObject: object;
  run(instance: WasmInstance): Promise<void>;
  /** Internal to wasm_exec.js: the timers the Go scheduler is waiting on. */
  _scheduledTimeouts?: Map<number, ReturnType<typeof setTimeout>>;
}
type GoClass = new () => GoRuntime;
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
type ParseFn = (source: string, dialect: string) => unknown;

let loading: Promise<ShellParser> | null = null;

/**
 * The compile that bin/dockerlint.cjs starts (`WebAssembly.compile` of the same file) when its
 * arguments say a lint will run, handed over once through a global. A hint only: a missing or
 * failed one means the module is compiled here, the same bytes either way.
 */
function prefetchedModule(g: Record<string, unknown>): Promise<WasmModule> | null {
  const p = g.dockerlintShparse;
  delete g.dockerlintShparse;
  return p instanceof Promise ? (p as Promise<WasmModule>) : null;
}

/** Loads the parser once; later calls return the same instance. */
export async function loadShellParser(): Promise<ShellParser> {
  loading ??= load().catch((err: unknown) => {
    loading = null; // let a later call retry
    throw err;
  });
  return loading;
}

/**
 * Runs `f` with stand-ins for some globals, then puts Node's own back (still unread, where they
 * are lazy getters). `f` runs synchronously, so no other code sees a stand-in.
 */
function withStandIns<T>(standIns: Record<string, unknown>, f: () => T): T {
  const saved: Array<[string, PropertyDescriptor | undefined]> = [];
  for (const [name, value] of Object.entries(standIns)) {
    const own = Object.getOwnPropertyDescriptor(globalThis, name);
    if (own && !own.configurable) continue;
    saved.push([name, own]);
    Object.defineProperty(globalThis, name, { value, configurable: true, writable: true, enumerable: own?.enumerable ?? false });
  }
  try {
    return f();
  } finally {
    for (const [name, own] of saved) {
      if (own) Object.defineProperty(globalThis, name, own);
      else delete (globalThis as Record<string, unknown>)[name];
    }
  }
}

/**
 * A `crypto` whose only method fills arrays from `Math.random`. Go's glue checks that the global
 * exists when it loads, and Go's runtime asks it for random bytes when it starts: the seeds of its
 * map hashing and its scheduler, not secrets. In Node the global is Web Crypto, loaded on first
 * access (about 2 ms of modules nothing else in a lint uses). Bytes asked for later come from Web
 * Crypto.
 */
const seedCrypto = {
  getRandomValues<A extends Uint8Array>(a: A): A {
    for (let i = 0; i < a.length; i++) a[i] = Math.floor(Math.random() * 256);
    return a;
  },
};

/** Runs `f` (starting Go's runtime) with `seedCrypto` as `globalThis.crypto`. */
function withSeedCrypto<T>(f: () => T): T {
  return withStandIns({ crypto: seedCrypto }, f);
}

/**
 * The `performance` Go's glue reads: `performance.now()` is the Go runtime's monotonic clock
 * (nanotime), milliseconds from a fixed point as `performance.now` gives them. Node's global
 * `performance` is a lazy getter that loads perf_hooks (ten modules, about 2 ms) on first read,
 * which nothing else in a lint needs; `process.hrtime` is Node's monotonic clock too, and loaded.
 */
const clockOrigin = process.hrtime.bigint();
const glueClock = { now: (): number => Number(process.hrtime.bigint() - clockOrigin) / 1e6 };

/**
 * Loads Go's glue, a classic script that assigns `globalThis.Go`, copied unmodified from Go. It is
 * compiled as a function whose parameter `performance` is `glueClock`, so that the runtime's clock
 * never reads Node's global; while it runs, the globals it checks for (`globalThis.crypto`,
 * `globalThis.performance`) are stand-ins, so that neither check loads Node's.
 */
function loadGlue(): void {
  const file = fileURLToPath(new URL(GLUE_PATH, import.meta.url));
  // A Function, not vm.compileFunction: it runs in this realm, as the module's require did.
  const run = new Function('performance', `${readFileSync(file, 'utf8')}\n//# sourceURL=${file}`) as (clock: typeof glueClock) => void;
  withStandIns({ crypto: seedCrypto, performance: glueClock }, () => run(glueClock));
}

async function load(): Promise<ShellParser> {
  const g = globalThis as unknown as Record<string, unknown>;
  loadGlue();
  const Go = g.Go as GoClass | undefined;
  if (typeof Go !== 'function') throw new Error(`dockerlint: ${GLUE_PATH} did not define globalThis.Go`);
  const wasm = g.WebAssembly as WasmApi;
  // Liftoff only: V8's optimising tier costs more than it saves for a parser that runs for
  // milliseconds per script (measured: instantiate 155 -> 37 ms, first parse 93 -> 12 ms, and 300
  // parses of a 100-line script 1.44 -> 0.97 s). Compiling synchronously avoids waiting for the
  // background compile threads on a busy machine.
  setFlagsFromString('--liftoff-only');
  // bin/dockerlint.cjs may have started compiling the module already, on V8's background threads,
  // while the command line read its configuration and the Dockerfiles (see `prefetchedModule`).
  // Otherwise, or if that failed, it is compiled here; a synchronous read: node:fs is loaded
  // already, node:fs/promises would cost 2-3 ms to load.
  const prefetched = prefetchedModule(g);
  const module = (prefetched && (await prefetched.catch(() => null))) || new wasm.Module(readFileSync(WASM_URL));

  const start = (): { go: GoRuntime; fn: ParseFn; memory: WasmMemory } => {
    const go = new Go();
    const instance = new wasm.Instance(module, go.importObject);
    // run() executes Go's main() synchronously until it blocks in `select {}`, having registered
    // the parse function; the promise only settles if the Go program exits.
    withSeedCrypto(() => go.run(instance)).catch(() => undefined);
    const fn = g[GLOBAL_NAME];
    delete g[GLOBAL_NAME];
    if (typeof fn !== 'function') throw new Error(`dockerlint: shparse.wasm did not register ${GLOBAL_NAME}`);
    const memory = (instance.exports as { mem?: WasmMemory }).mem;
    if (!memory) throw new Error('dockerlint: shparse.wasm exports no memory');
    return { go, fn: fn as ParseFn, memory };
  };
  let runtime = start();

  // The same texts come back often in a monorepo (shared entrypoints, boilerplate RUN lines):
  // results are kept, read-only, for the next caller; the least recently used goes first.
  const cache = new Map<string, ShellParseResult>();
  const CACHE_LIMIT = 500;
  const parseOnce = (source: string, dialect: Dialect): ShellParseResult => {
    const key = `${dialect}\u0000${source}`;
    const hit = cache.get(key);
    if (hit) {
      // Used again: to the end of the map's order, which is the eviction order.
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const over = overBudget(source);
    const result: ShellParseResult = over ? { ok: false, error: { message: over.message, p: positionAt(source, over.at), incomplete: false, budget: true } } : parseFresh(source, dialect);
    if (source.length < 1024) {
      if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
      cache.set(key, result);
    }
    return result;
  };

  function parseFresh(original: string, dialect: Dialect): ShellParseResult {
    // mvdan/sh uses U+0081 internally as its escaped-newline marker: hand over another character
    // of the same UTF-8 and UTF-16 length so positions stay the same.
    let source = original.includes('\u0081') ? original.replace(/\u0081/g, '\u0082') : original;
    // A byte order mark is not a shell character; a blank keeps the UTF-16 positions.
    if (source.charCodeAt(0) === 0xfeff) source = ` ${source.slice(1)}`;
    // Go receives the string UTF-8 encoded, lone surrogates as U+FFFD: slice the same text.
    const ascii = ASCII.test(source);
    if (!ascii) source = source.replace(LONE_SURROGATE, '\ufffd');
    let addr: number;
    try {
      const out: unknown = runtime.fn(source, dialect);
      // After a fatal Go error the program exits and the call returns undefined.
      if (typeof out !== 'number') throw new Error('the Go runtime exited');
      addr = out;
    } catch (err) {
      // A JavaScript exception went through the Go code: in practice "Maximum call stack size
      // exceeded" on absurdly deep nesting (some hundreds of levels), or a fatal Go error. The
      // instance is unusable; stop its timers, start a fresh one, report the script as
      // unparsable.
      const timers = runtime.go._scheduledTimeouts;
      if (timers) {
        for (const timer of timers.values()) clearTimeout(timer);
        timers.clear();
      }
      runtime = start();
      const message = err instanceof Error ? err.message : String(err);
      return { ok: false, error: { message: `internal error: ${message}`, p: [1, 1, 0], incomplete: false } };
    }
    return decode(runtime.memory.buffer, addr, source, ascii);
  }

  return { parse: parseOnce };
}

/** Line, column and offset (UTF-16) of an offset of `source`. */
function positionAt(source: string, offset: number): Position {
  let line = 1;
  let start = 0;
  for (let i = source.indexOf('\n'); i >= 0 && i < offset; i = source.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return [line, offset - start + 1, offset];
}

/**
 * Builds the AST from the words that `wasm/shparse.go` wrote at `addr` in the module's memory
 * (the encoding is described at the top of that file). Positions come as byte offsets; lines and
 * columns are computed here from the source, and offsets and columns count UTF-16 code units.
 */
function decode(buffer: ArrayBuffer, addr: number, source: string, ascii: boolean): ShellParseResult {
  const head = new Uint32Array(buffer, addr, 4);
  const b = new Uint32Array(buffer, addr, head[0]!);
  const strBytes = head[2]! > 0 ? new Uint8Array(buffer, head[1]!, head[2]!) : new Uint8Array(0);
  const map = ascii ? null : byteToUtf16(source);
  const lines = lineStarts(source);
  const lastLine = lines.length - 1;
  let i = 4;
  let line = 0; // index into lines of the last position's line

  const unit = (byte: number): number => (map === null ? byte : map[Math.min(byte, map.length - 1)]!);

  const pos = (): Position => {
    const raw = b[i++]!;
    if (raw === NO_POS) return [0, 0, 0];
    const o = unit(raw);
    if (o < lines[line]! || (line < lastLine && o >= lines[line + 1]!)) {
      if (line < lastLine && o >= lines[line + 1]! && (line + 1 === lastLine || o < lines[line + 2]!)) line++;
      else {
        let lo = 0;
        let hi = lastLine;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (lines[mid]! <= o) lo = mid;
          else hi = mid - 1;
        }
        line = lo;
      }
    }
    return [line + 1, o - lines[line]! + 1, o];
  };

  const str = (): string => {
    const a = b[i++]!;
    const e = b[i++]!;
    if (a < INLINE) return map === null ? source.slice(a, e) : source.slice(unit(a), unit(e));
    let s = '';
    const from = a & ~INLINE;
    for (let k = from; k < from + e; k++) {
      const c = strBytes[k]!;
      if (c >= 0x80) return UTF8.decode(strBytes.subarray(from, from + e));
      s += String.fromCharCode(c);
    }
    return s;
  };
  const strOrNull = (): string | null => {
    if (b[i] === NULL_STR) {
      i += 2;
      return null;
    }
    return str();
  };

  const stmts = (): Stmt[] => {
    const n = b[i++]!;
    const out: Stmt[] = new Array<Stmt>(n);
    for (let k = 0; k < n; k++) out[k] = stmt();
    return out;
  };
  const stmt = (): Stmt => {
    const p = pos();
    const e = pos();
    const cmd = command();
    const flags = b[i++]!;
    const n = b[i++]!;
    const redirs: Redirect[] = new Array<Redirect>(n);
    for (let k = 0; k < n; k++) redirs[k] = redirect();
    return { type: 'Stmt', p, e, cmd, negated: (flags & 1) !== 0, background: (flags & 2) !== 0, redirs };
  };
  const redirect = (): Redirect => {
    const p = pos();
    const e = pos();
    const op = str();
    const n = strOrNull();
    const w = wordOrNull();
    const hdoc = wordOrNull();
    return { type: 'Redirect', p, e, op, n, word: w, hdoc };
  };
  const ifClause = (): IfClause => {
    const p = pos();
    const e = pos();
    const cond = stmts();
    const then = stmts();
    const els = b[i++] === 1 ? ifClause() : null;
    return { type: 'IfClause', p, e, cond, then, else: els };
  };
  const command = (): Command | null => {
    const tag = b[i++]!;
    if (tag === CMD_IF) return ifClause();
    if (tag === 0) return null;
    const p = pos();
    const e = pos();
    switch (tag) {
      case CMD_CALL: {
        const as = assigns();
        return { type: 'CallExpr', p, e, assigns: as, args: words() };
      }
      case CMD_WHILE: {
        const until = b[i++] === 1;
        const cond = stmts();
        return { type: 'WhileClause', p, e, until, cond, do: stmts() };
      }
      case CMD_FOR: {
        const name = strOrNull();
        const items = b[i++] === 1 ? words() : null;
        return { type: 'ForClause', p, e, name, items, do: stmts() };
      }
      case CMD_CASE: {
        const w = word();
        const n = b[i++]!;
        const items: CaseItem[] = new Array<CaseItem>(n);
        for (let k = 0; k < n; k++) {
          const ip = pos();
          const ie = pos();
          const patterns = words();
          const op = str();
          items[k] = { type: 'CaseItem', p: ip, e: ie, patterns, op, stmts: stmts() };
        }
        return { type: 'CaseClause', p, e, word: w, items };
      }
      case CMD_BLOCK:
        return { type: 'Block', p, e, stmts: stmts() };
      case CMD_SUBSHELL:
        return { type: 'Subshell', p, e, stmts: stmts() };
      case CMD_BINARY: {
        const op = str();
        const x = stmt();
        return { type: 'BinaryCmd', p, e, op, x, y: stmt() };
      }
      case CMD_FUNC: {
        const name = str();
        return { type: 'FuncDecl', p, e, name, body: stmt() };
      }
      case CMD_DECL: {
        const variant = str();
        return { type: 'DeclClause', p, e, variant, args: assigns() };
      }
      case CMD_TIME:
        return { type: 'TimeClause', p, e, stmt: b[i++] === 1 ? stmt() : null };
      case CMD_COPROC:
        return { type: 'CoprocClause', p, e, stmt: stmt() };
      case CMD_TEST:
        return { type: 'TestClause', p, e };
      case CMD_ARITHM:
        return { type: 'ArithmCmd', p, e };
      case CMD_LET:
        return { type: 'LetClause', p, e };
      case CMD_OTHER:
        return { type: 'Other', p, e, kind: str() };
      default:
        throw new Error(`dockerlint: bad command tag ${tag} in the shell parser's output`);
    }
  };
  const assigns = (): Assign[] => {
    const n = b[i++]!;
    const out: Assign[] = new Array<Assign>(n);
    for (let k = 0; k < n; k++) {
      const p = pos();
      const e = pos();
      const name = str();
      const value = wordOrNull();
      const flags = b[i++]!;
      out[k] = { type: 'Assign', p, e, name, value, append: (flags & 1) !== 0, array: (flags & 2) !== 0, naked: (flags & 4) !== 0 };
    }
    return out;
  };
  const words = (): Word[] => {
    const n = b[i++]!;
    const out: Word[] = new Array<Word>(n);
    for (let k = 0; k < n; k++) out[k] = word();
    return out;
  };
  const wordOrNull = (): Word | null => (b[i++] === 1 ? word() : null);
  const word = (): Word => {
    const p = pos();
    const e = pos();
    return { type: 'Word', p, e, parts: parts() };
  };
  const parts = (): WordPart[] => {
    const n = b[i++]!;
    const out: WordPart[] = new Array<WordPart>(n);
    for (let k = 0; k < n; k++) out[k] = part();
    return out;
  };
  const arithm = (): ArithmExpr | null => {
    switch (b[i++]) {
      case ARITHM_BINARY: {
        const op = str();
        const x = arithm();
        return { type: 'BinaryArithm', op, x, y: arithm() };
      }
      case ARITHM_UNARY: {
        const op = str();
        const post = b[i++] === 1;
        return { type: 'UnaryArithm', op, post, x: arithm() };
      }
      case ARITHM_PAREN:
        return { type: 'ParenArithm', x: arithm() };
      case ARITHM_WORD:
        return { type: 'ArithmWord', word: word() };
      default:
        return null;
    }
  };
  const part = (): WordPart => {
    const tag = b[i++]!;
    const p = pos();
    const e = pos();
    switch (tag) {
      case PART_LIT:
        return { type: 'Lit', p, e, value: str() };
      case PART_SGL: {
        const value = str();
        return { type: 'SglQuoted', p, e, value, dollar: b[i++] === 1 };
      }
      case PART_DBL: {
        const ps = parts();
        return { type: 'DblQuoted', p, e, parts: ps, dollar: b[i++] === 1 };
      }
      case PART_PARAM: {
        const param = str();
        const flags = b[i++]!;
        const index = strOrNull();
        const op = strOrNull();
        return { type: 'ParamExp', p, e, param, short: (flags & 1) !== 0, length: (flags & 2) !== 0, excl: (flags & 4) !== 0, index, op, word: wordOrNull() };
      }
      case PART_CMDSUBST: {
        const ss = stmts();
        return { type: 'CmdSubst', p, e, stmts: ss, backquotes: b[i++] === 1 };
      }
      case PART_ARITHM:
        return { type: 'ArithmExp', p, e, x: arithm() };
      case PART_PROCSUBST: {
        const op = str();
        return { type: 'ProcSubst', p, e, op, stmts: stmts() };
      }
      case PART_EXTGLOB: {
        const op = str();
        return { type: 'ExtGlob', p, e, op, pattern: str() };
      }
      case PART_OTHER:
        return { type: 'Other', p, e, kind: str() };
      default:
        throw new Error(`dockerlint: bad word part tag ${tag} in the shell parser's output`);
    }
  };

  if (head[3] === 0) {
    const message = str();
    const p = pos(); // offset 0 when mvdan gave no position
    return { ok: false, error: { message, p, incomplete: b[i++] === 1 } };
  }
  const file: ShellFile = { type: 'File', stmts: stmts(), comments: [] };
  const n = b[i++]!;
  const comments: ShellComment[] = new Array<ShellComment>(n);
  for (let k = 0; k < n; k++) {
    const p = pos();
    comments[k] = { p, text: str() };
  }
  file.comments = comments;
  return { ok: true, file };
}

// Tags and markers of the encoding (wasm/shparse.go).
const NO_POS = 0xffffffff;
const INLINE = 0x80000000;
const NULL_STR = 0xffffffff;
const CMD_CALL = 1;
const CMD_IF = 2;
const CMD_WHILE = 3;
const CMD_FOR = 4;
const CMD_CASE = 5;
const CMD_BLOCK = 6;
const CMD_SUBSHELL = 7;
const CMD_BINARY = 8;
const CMD_FUNC = 9;
const CMD_DECL = 10;
const CMD_TIME = 11;
const CMD_COPROC = 12;
const CMD_TEST = 13;
const CMD_ARITHM = 14;
const CMD_LET = 15;
const CMD_OTHER = 16;
const PART_LIT = 1;
const PART_SGL = 2;
const PART_DBL = 3;
const PART_PARAM = 4;
const PART_CMDSUBST = 5;
const PART_ARITHM = 6;
const PART_PROCSUBST = 7;
const PART_EXTGLOB = 8;
const PART_OTHER = 9;

const ARITHM_BINARY = 1;
const ARITHM_UNARY = 2;
const ARITHM_PAREN = 3;
const ARITHM_WORD = 4;

const UTF8 = new TextDecoder();
const ASCII = /^[\x00-\x7f]*$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The UTF-16 offset where each line of `source` starts. */
function lineStarts(source: string): Uint32Array {
  let n = 1;
  for (let k = source.indexOf('\n'); k !== -1; k = source.indexOf('\n', k + 1)) n++;
  const out = new Uint32Array(n);
  let l = 1;
  for (let k = source.indexOf('\n'); k !== -1; k = source.indexOf('\n', k + 1)) out[l++] = k + 1;
  return out;
}

/** For each UTF-8 byte offset of `source` (and its end), the UTF-16 offset of its character. */
function byteToUtf16(source: string): Uint32Array {
  const map = new Uint32Array(Buffer.byteLength(source, 'utf8') + 1);
  let byte = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    let size = 3;
    const start = i;
    if (c < 0x80) size = 1;
    else if (c < 0x800) size = 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < source.length) {
      const d = source.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        size = 4;
        i++;
      }
    }
    if (size === 1) map[byte] = start;
    else map.fill(start, byte, byte + size);
    byte += size;
  }
  map[byte] = source.length;
  return map;
}

const POSIX_SHELLS = new Set(['sh', 'dash', 'ash', 'posh']);
const KORN_SHELLS = new Set(['mksh', 'ksh', 'ksh93', 'pdksh', 'oksh', 'lksh']);

/**
 * The dialect to parse a script with, from its `#!` line (read by `readShebang`): `sh`, `dash`,
 * `ash` (also through `/usr/bin/env`, `env -S`, `busybox` or an init) are POSIX; `mksh`/`ksh` are
 * MirBSD Korn; bash, zsh, anything else and no shebang at all are parsed as bash, the most
 * permissive.
 */
export function dialectFromShebang(source: string): Dialect {
  const name = readShebang(source)?.interpreter ?? 'bash';
  if (POSIX_SHELLS.has(name)) return 'posix';
  if (KORN_SHELLS.has(name)) return 'mksh';
  return 'bash';
}
