/**
 * The shipped entry point, bin/dockerlint.cjs, as users run it: the bundled CLI with its V8 code
 * cache, and worker threads. Needs `npm run build` (`npm test` runs it first, as `pretest`).
 */
import { isAscii } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve('.');
const bin = path.join(root, 'bin', 'dockerlint.cjs');
const bundle = path.join(root, 'dist', 'dockerlint.cjs');

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bin/dockerlint.cjs', () => {
  beforeAll(() => {
    if (!fs.existsSync(bundle)) throw new Error('dist/dockerlint.cjs is missing: run `npm run build` first');
  });

  test('the build wrote a code cache that V8 accepts, and it changes nothing in the output', () => {
    const cached = run(['fixtures/root-process', '--format', 'json'], { DOCKERLINT_CODE_CACHE: 'report' });
    expect(cached.stderr).toContain('code cache used');
    const plain = run(['fixtures/root-process', '--format', 'json'], { DOCKERLINT_CODE_CACHE: 'off' });
    expect(plain.stderr).toBe('');
    expect(cached.status).toBe(1);
    expect(plain.status).toBe(cached.status);
    expect(JSON.parse(plain.stdout)).toEqual(JSON.parse(cached.stdout));
    expect(JSON.parse(cached.stdout).length).toBeGreaterThan(2);
  });

  test('--version alone answers without loading the linter, with what the command line prints', () => {
    const full = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(bundle)}).main(['--version']).then((c) => { process.exitCode = c; })`], { cwd: root, encoding: 'utf8' });
    expect(full.status).toBe(0);
    expect(full.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    for (const flag of ['--version', '-v']) {
      const fast = run([flag], { DOCKERLINT_CODE_CACHE: 'report' });
      expect(fast).toEqual({ status: 0, stdout: full.stdout, stderr: '' }); // no "code cache" line: the bundle was not loaded
    }
    // With anything else on the line, the command line parses it as before.
    expect(run(['--version', '--no-color'], { DOCKERLINT_CODE_CACHE: 'report' }).stderr).toContain('code cache used');
  });

  test('a lint evaluates no string-width and loads no node:assert; --help still lays out its columns', () => {
    // The bundle's own module initialisers (esbuild's init_* functions) run only when required.
    const probe = `const seen = new Set(process.moduleLoadList);
if (require('node:worker_threads').isMainThread) process.on('exit', () => {
  const loaded = process.moduleLoadList.filter((m) => !seen.has(m));
  process.stderr.write(JSON.stringify({ assert: loaded.includes('NativeModule assert'), segmenter: globalThis.__segmenters ?? 0 }));
});
const Seg = Intl.Segmenter;
Intl.Segmenter = class extends Seg { constructor(...a) { super(...a); globalThis.__segmenters = (globalThis.__segmenters ?? 0) + 1; } };`;
    const hook = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-probe-')), 'probe.cjs');
    try {
      fs.writeFileSync(hook, probe);
      const lint = spawnSync(process.execPath, ['-r', hook, bin, 'fixtures/root-process', '--format', 'json'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(lint.status).toBe(1);
      expect(JSON.parse(lint.stderr)).toEqual({ assert: false, segmenter: 0 });
      const help = spawnSync(process.execPath, ['-r', hook, bin, '--help'], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(help.status).toBe(0);
      expect(JSON.parse(help.stderr).segmenter).toBeGreaterThan(0); // measured when needed
      // Options and their descriptions in aligned columns, as cliui lays them out.
      const rows = help.stdout.split('\n').filter((l) => /^\s+--(cache|cache-location|max-warnings) /.test(l));
      expect(rows.length).toBe(3);
      // The description column starts at the same place on every row.
      expect(new Set(rows.map((l) => /^\s+--\S+\s+/.exec(l)![0].length)).size).toBe(1);
    } finally {
      fs.rmSync(path.dirname(hook), { recursive: true, force: true });
    }
  });

  test('a lint takes over the parser module bin/ started compiling, and loads neither Web Crypto nor perf_hooks; --list-rules and --cache start no compile', () => {
    // Counts bin/'s early WebAssembly.compile calls, and says at exit whether the parser took the
    // compile over (the global is gone), whether Node's Web Crypto and perf_hooks were loaded, and
    // whether globalThis.crypto and globalThis.performance are still Node's own lazy getters.
    const probe = `const seen = new Set(process.moduleLoadList);
const compile = WebAssembly.compile;
let compiles = 0;
WebAssembly.compile = (...a) => { compiles++; return process.env.PROBE_FAIL ? Promise.reject(new Error('probe')) : compile(...a); };
if (require('node:worker_threads').isMainThread) process.on('exit', () => {
  const loaded = process.moduleLoadList.filter((m) => !seen.has(m));
  const own = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
  const perf = Object.getOwnPropertyDescriptor(globalThis, 'performance');
  process.stderr.write(JSON.stringify({ compiles, pending: 'dockerlintShparse' in globalThis, webcrypto: loaded.includes('NativeModule internal/crypto/webcrypto'), lazyCrypto: typeof own?.get === 'function', perfHooks: loaded.includes('NativeModule perf_hooks'), lazyPerformance: typeof perf?.get === 'function' }));
});`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-probe-'));
    const hook = path.join(dir, 'probe.cjs');
    const probed = (args: string[], env: Record<string, string> = {}) => {
      const r = spawnSync(process.execPath, ['-r', hook, bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
      return { status: r.status, stdout: r.stdout, probe: JSON.parse(r.stderr) as Record<string, unknown> };
    };
    try {
      fs.writeFileSync(hook, probe);
      const args = ['fixtures/root-process', '--format', 'json'];
      const lint = probed(args);
      expect(lint.status).toBe(1);
      expect(lint.probe).toMatchObject({ compiles: 1, pending: false, webcrypto: false, lazyCrypto: true, lazyPerformance: true });
      // A context without a JavaScript entrypoint (whose parser, TypeScript, loads perf_hooks itself):
      // the shell parser's clock does not read Node's performance global.
      expect(probed(['fixtures/root-process/bad-alt-expansion-drop-unset', '--format', 'json']).probe).toEqual({ compiles: 1, pending: false, webcrypto: false, lazyCrypto: true, perfHooks: false, lazyPerformance: true });
      // A failed early compile: the parser compiles the module itself, with the same findings.
      const fallback = probed(args, { PROBE_FAIL: '1' });
      expect(fallback.probe).toMatchObject({ compiles: 1, pending: false, webcrypto: false, lazyCrypto: true, lazyPerformance: true });
      expect(fallback.status).toBe(1);
      expect(JSON.parse(fallback.stdout)).toEqual(JSON.parse(lint.stdout));
      expect(JSON.parse(lint.stdout).length).toBeGreaterThan(2);
      // Nothing to parse, or maybe nothing (answered from the cache): no early compile.
      expect(probed(['--list-rules', '--format', 'json']).probe.compiles).toBe(0);
      expect(probed(['fixtures/root-process', '--cache', '--cache-location', path.join(dir, 'cache')]).probe.compiles).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the bundle is ASCII, which bin/ reads as Latin-1 without decoding UTF-8', () => {
    expect(isAscii(fs.readFileSync(bundle))).toBe(true);
  });

  test('a cache that belongs to another bundle is not used', () => {
    const cache = `${bundle}.cache`;
    const saved = fs.readFileSync(cache);
    try {
      const other = Buffer.from(saved);
      other[0] = (other[0] ?? 0) ^ 0xff; // the bundle hash no longer matches
      fs.writeFileSync(cache, other);
      const r = run(['--version', '--no-color'], { DOCKERLINT_CODE_CACHE: 'report' });
      expect(r.stderr).toContain('code cache absent');
      expect(r.status).toBe(0);
    } finally {
      fs.writeFileSync(cache, saved);
    }
  });

  test('worker threads use the code cache too: the command line sets no V8 flag the cache was not written with', () => {
    // The command line sets V8's heap growth for a run with workers before they start; a flag that
    // differs from the ones the cache was written with makes V8 reject the cache in the workers.
    const r = run(['fixtures/root-process', 'fixtures/su-sudo', '--format', 'json'], { DOCKERLINT_CODE_CACHE: 'report', DOCKERLINT_WORKERS: '2' });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines.length).toBe(3); // the main thread and two workers
    for (const line of lines) expect(line).toContain('code cache used');
  });

  test('worker threads find exactly what one thread finds, each file once', () => {
    const args = ['fixtures', '--format', 'json'];
    const one = run(args, { DOCKERLINT_WORKERS: '0' });
    const three = run(args, { DOCKERLINT_WORKERS: '3' });
    expect(three.stderr).toBe('');
    expect(three.status).toBe(one.status);
    const findings = JSON.parse(one.stdout) as unknown[];
    expect(findings.length).toBeGreaterThan(50);
    expect(JSON.parse(three.stdout)).toEqual(findings);
  });
});
