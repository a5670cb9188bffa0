/**
 * The shell parser: mvdan/sh compiled to WebAssembly (`wasm/shparse.go`, built by
 * `scripts/build-wasm.sh`), returning the compact AST of `./shell-ast.ts`.
 *
 * Loading compiles the module once (tens of milliseconds); after that `parse` is synchronous.
 * The Go side reports byte offsets and byte columns; for sources that are not pure ASCII they are
 * rewritten here to UTF-16 code units, so that `source.slice(node.p[2], node.e[2])` is the node's
 * text.
 */
import { readFile } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import { createRequire } from 'node:module';
import type { Dialect, Position, ShellParseResult } from './shell-ast.js';
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
type ParseFn = (source: string, dialect: string) => unknown;

let loading: Promise<ShellParser> | null = null;

/** Loads the parser once; later calls return the same instance. */
export async function loadShellParser(): Promise<ShellParser> {
  loading ??= load().catch((err: unknown) => {
    loading = null; // let a later call retry
    throw err;
  });
  return loading;
}

async function load(): Promise<ShellParser> {
  const g = globalThis as unknown as Record<string, unknown>;
  // Go's glue is a classic script that assigns globalThis.Go (require runs it once).
  createRequire(import.meta.url)(GLUE_PATH);
  const Go = g.Go as GoClass | undefined;
  if (typeof Go !== 'function') throw new Error(`dockerlint: ${GLUE_PATH} did not define globalThis.Go`);
  const wasm = g.WebAssembly as WasmApi;
  // Liftoff only: V8's optimising tier costs more than it saves for a parser that runs for
  // milliseconds per script (measured: instantiate 155 -> 37 ms, first parse 93 -> 12 ms, and 300
  // parses of a 100-line script 1.44 -> 0.97 s). Compiling synchronously avoids waiting for the
  // background compile threads on a busy machine.
  setFlagsFromString('--liftoff-only');
  const module = new wasm.Module(await readFile(WASM_URL));

  const start = (): { go: GoRuntime; fn: ParseFn } => {
    const go = new Go();
    const instance = new wasm.Instance(module, go.importObject);
    // run() executes Go's main() synchronously until it blocks in `select {}`, having registered
    // the parse function; the promise only settles if the Go program exits.
    go.run(instance).catch(() => undefined);
    const fn = g[GLOBAL_NAME];
    delete g[GLOBAL_NAME];
    if (typeof fn !== 'function') throw new Error(`dockerlint: shparse.wasm did not register ${GLOBAL_NAME}`);
    return { go, fn: fn as ParseFn };
  };
  let runtime = start();

  // The same texts come back often in a monorepo (shared entrypoints, boilerplate RUN lines):
  // results are kept, read-only, for the next caller.
  const cache = new Map<string, ShellParseResult>();
  const CACHE_LIMIT = 500;
  const parseOnce = (source: string, dialect: Dialect): ShellParseResult => {
    const key = `${dialect}\u0000${source}`;
    const hit = cache.get(key);
    if (hit) return hit;
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
      let json: string;
      try {
        const out: unknown = runtime.fn(source, dialect);
        // After a fatal Go error the program exits and the call returns undefined.
        if (typeof out !== 'string') throw new Error('the Go runtime exited');
        json = out;
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
      const result = JSON.parse(json) as ShellParseResult;
      if (!ASCII.test(source)) toUtf16(result, source);
      return result;
  }

  return { parse: parseOnce };
}

const ASCII = /^[\x00-\x7f]*$/;

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
 * Rewrites every `p`/`e` position of the result from UTF-8 bytes to UTF-16 code units. Go
 * received the string UTF-8 encoded, with lone surrogates replaced by U+FFFD (3 bytes each).
 */
function toUtf16(result: ShellParseResult, source: string): void {
  const map = byteToUtf16(source);
  const last = map.length - 1;
  const fix = (pos: Position): void => {
    const offset = Math.min(pos[2], last);
    const unit = map[offset]!;
    if (pos[1] > 0 && offset - (pos[1] - 1) >= 0) pos[1] = unit - map[offset - (pos[1] - 1)]! + 1;
    pos[2] = unit;
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) if (typeof child === 'object' && child !== null) walk(child);
      return;
    }
    const obj = node as Record<string, unknown>;
    for (const key in obj) {
      const value = obj[key];
      if (key === 'p' || key === 'e') fix(value as Position);
      else if (typeof value === 'object' && value !== null) walk(value);
    }
  };
  walk(result);
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
