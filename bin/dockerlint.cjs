#!/usr/bin/env node
// Starts dockerlint: loads the bundled CLI, dist/dockerlint.cjs, with V8's code cache
// (dist/dockerlint.cjs.cache, written by `npm run build`), which saves compiling the bundle and
// the functions a lint run uses. Without a bundle (a checkout that ran only tsc) it falls back to
// dist/cli.js. The same file starts worker threads (see src/parallel.ts).
//
// DOCKERLINT_CODE_CACHE: `off` ignores the cache, `report` says on stderr whether it was used,
// `write` writes it after the run (scripts/bundle-cli.mjs does that at build time).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

// `dockerlint --version` (alone) answers from package.json without loading the linter: tools that
// probe the version (pre-commit, CI steps, editor plugins) then pay only Node's own start-up.
// test/startup.test.ts checks that it prints what the command line prints.
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v') && require('node:worker_threads').isMainThread && process.env.DOCKERLINT_CODE_CACHE !== 'write') {
  let version = null;
  try {
    version = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version;
  } catch {
    // no package.json next to bin/: the command line answers
  }
  if (typeof version === 'string') {
    process.stdout.write(`${version}\n`);
    return;
  }
}

const v8 = require('node:v8');

// V8 accepts a code cache only under the flags it was written with, so the command line's V8 flags
// are set here, before anything is compiled, both when the cache is written and when it is used,
// on every thread (worker threads load this file too):
// - The shell parser (WebAssembly) runs on V8's baseline compiler only (src/parsers/shell.ts says
//   why).
// - V8's optimising compiler waits for 16 times its default interrupt budget before it optimises a
//   function: dockerlint runs a large bundle of code for a short time, and by default V8 optimised
//   (and threw away) much of it before it paid. Measured in whole processes against the default
//   (docs/performance.md): one context 0.92x CPU, 100 contexts 0.64x, the 1,000 Dockerfile-only
//   corpus 0.75x, 1,000 contexts 0.93x; turning the optimiser off instead costs 1.07x at 1,000.
// - A run over many Dockerfiles sets V8's heap growth in the command line (src/cli.ts); set here
//   too, so that the worker threads, which start after it, find the flags their code cache was
//   written with (they compiled the whole bundle again before).
v8.setFlagsFromString('--liftoff-only');
v8.setFlagsFromString('--interrupt-budget=1081344');
v8.setFlagsFromString('--heap-growing-percent=100');

// A lint nearly always parses shell (RUN bodies, the entrypoint script): the shell parser's
// WebAssembly module (2.7 MB) starts compiling now, partly on V8's background threads, while the
// bundle loads and the command line reads its configuration and the Dockerfiles;
// src/parsers/shell.ts takes it over (globalThis.dockerlintShparse) or compiles the module itself.
// Skipped for the arguments that lint nothing or may need no parser (help, rule lists, --cache): a
// wrong guess costs a background compile or the overlap, never a different result.
const NO_PREFETCH = new Set(['-h', '--help', '--list-rules', '--print-config', '--init', '--version', '-v', '--cache']);
if (require('node:worker_threads').isMainThread && process.env.DOCKERLINT_CODE_CACHE !== 'write' && !argv.some((a) => NO_PREFETCH.has(a) || a.startsWith('--print-config=') || a.startsWith('--cache='))) {
  try {
    const pending = WebAssembly.compile(fs.readFileSync(path.join(__dirname, '..', 'wasm', 'shparse.wasm')));
    pending.catch(() => undefined); // the parser then compiles the module itself, and reports
    globalThis.dockerlintShparse = pending;
  } catch {
    // unreadable: the parser reports it when it loads
  }
}

const vm = require('node:vm');
const { isAscii } = require('node:buffer');
const { pathToFileURL } = require('node:url');
const { isMainThread, workerData } = require('node:worker_threads');

const BUNDLE = path.join(__dirname, '..', 'dist', 'dockerlint.cjs');
const CACHE = `${BUNDLE}.cache`;
/**
 * The bundle's first line is `// dockerlint-bundle <sha1 of the rest>`; the cache file starts with
 * that line too, so a cache is only used with the bundle it was written for (V8 itself checks
 * only the length of the source, its own version and flags). Reading the id costs nothing, where
 * hashing the bundle at start-up would load node:crypto (7 ms).
 */
function bundleId(source) {
  const m = /^\/\/ dockerlint-bundle [0-9a-f]{40}\n/.exec(source);
  return m ? Buffer.from(m[0]) : null;
}

function loadBundle() {
  let source;
  try {
    // esbuild writes the bundle in ASCII (non-ASCII characters escaped): read as Latin-1 it is the
    // same string, without UTF-8 decoding (0.4 instead of 3 ms for 2 MB); any other byte, UTF-8.
    const bytes = fs.readFileSync(BUNDLE);
    source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  } catch {
    return null;
  }
  const hash = bundleId(source);
  let cachedData;
  if (hash && process.env.DOCKERLINT_CODE_CACHE !== 'write' && process.env.DOCKERLINT_CODE_CACHE !== 'off') {
    try {
      const file = fs.readFileSync(CACHE);
      if (file.length > hash.length && file.subarray(0, hash.length).equals(hash)) cachedData = file.subarray(hash.length);
    } catch {
      // no cache: compile normally
    }
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapper, { filename: BUNDLE, cachedData });
  if (process.env.DOCKERLINT_CODE_CACHE === 'report') {
    const status = cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used';
    process.stderr.write(`dockerlint: code cache ${status} (${CACHE})\n`);
  }
  globalThis.dockerlintLoader = pathToFileURL(__filename).href;
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, require('node:module').createRequire(BUNDLE), module, BUNDLE, path.dirname(BUNDLE));
  return { cli: module.exports, script, hash };
}

function writeCache(script, hash) {
  try {
    fs.writeFileSync(CACHE, Buffer.concat([hash, script.createCachedData()]));
  } catch (e) {
    process.stderr.write(`dockerlint: could not write ${CACHE}: ${e.message}\n`);
  }
}

/**
 * Without dist/ (a clone where `npm ci` ran but no build: the package builds only before it is
 * packed), the command line runs from the committed, self-contained bundle in action/, which
 * test/action-bundle.test.ts keeps equal to the sources. `npm run build` makes dist/, which wins.
 */
function committedBundle() {
  const cli = path.join(__dirname, '..', 'action', 'dockerlint.js');
  if (fs.existsSync(path.join(__dirname, '..', 'dist', 'cli.js')) || !fs.existsSync(cli)) return null;
  return cli;
}

const loaded = loadBundle();
const isWorker = !isMainThread && workerData && workerData.dockerlintWorker;
if (!isWorker) {
  const fallback = loaded ? null : committedBundle();
  // The committed bundle runs the command line itself (exit code, errors) when imported.
  if (fallback) import(pathToFileURL(fallback).href);
  else runCli(loaded);
} else if (!loaded) {
  import('../dist/cli.js'); // starts the worker loop when loaded in a worker
}

function runCli(loaded) {
  const cli = loaded ? Promise.resolve(loaded.cli) : import('../dist/cli.js');
  cli
    .then((m) => m.main(process.argv.slice(2)))
    .then((code) => {
      process.exitCode = code;
      if (loaded && loaded.hash && process.env.DOCKERLINT_CODE_CACHE === 'write') writeCache(loaded.script, loaded.hash);
    })
    .catch((e) => {
      // main() reports every expected failure itself; this is a bug, said without a stack trace.
      process.stderr.write(`dockerlint: internal error: ${e && e.message ? e.message : String(e)} (please report it)\n`);
      process.exitCode = 2;
    });
}
