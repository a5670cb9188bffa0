import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintCached } from '../src/cache.js';
import { defaultConfig } from '../src/config/schema.js';
import { createLinter } from '../src/linter.js';
import { VERSION } from '../src/meta.js';
import { RULES } from '../src/rules/index.js';
import { writeFileIn, runCli } from './helpers.js';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'dockerlint.cjs');

let dir: string;

const write = (rel: string, text: string | Buffer, mode?: number): string => writeFileIn(dir, rel, text, mode);

async function cli(args: string[], cwd = dir): Promise<{ code: number; out: string; err: string }> {
  const { code, out, err } = await runCli(args, { cwd: cwd, env: { DOCKERLINT_WORKERS: '0', DOCKERLINT_CACHE: 'report' } });
  return { code, out, err };
}

/** The counts DOCKERLINT_CACHE=report prints. */
const counts = (err: string): { hits: number; misses: number } => {
  const m = /(\d+) hits, (\d+) misses/.exec(err);
  if (!m) throw new Error(`no cache report in: ${err}`);
  return { hits: Number(m[1]), misses: Number(m[2]) };
};

const IMAGE = 'FROM alpine:3.20\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n';
const GOOD_SCRIPT = '#!/bin/sh\nset -e\nexec "$@"\n';
const BAD_SCRIPT = '#!/bin/sh\nsu app -c "$@"\n';

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-cache-'));
  fs.mkdirSync(path.join(dir, '.git'));
  for (let i = 0; i < 6; i++) {
    write(`svc-${i}/Dockerfile`, IMAGE);
    write(`svc-${i}/entrypoint.sh`, i % 2 ? BAD_SCRIPT : GOOD_SCRIPT, 0o755);
  }
  // Two Dockerfiles start one script.
  write('pair/a.Dockerfile', IMAGE);
  write('pair/b.Dockerfile', IMAGE);
  write('pair/entrypoint.sh', GOOD_SCRIPT, 0o755);
  write('plain/Dockerfile', 'FROM alpine:3.20\nCMD node server.js\n');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const JSON_ARGS = ['.', '--format', 'json'];

describe('--cache', () => {
  it('answers an unchanged repository from the cache, with the same output', async () => {
    const plain = await cli(JSON_ARGS);
    const first = await cli([...JSON_ARGS, '--cache']);
    expect(counts(first.err)).toEqual({ hits: 0, misses: 9 });
    expect(fs.existsSync(path.join(dir, '.dockerlintcache'))).toBe(true);
    const second = await cli([...JSON_ARGS, '--cache']);
    expect(counts(second.err)).toEqual({ hits: 9, misses: 0 });
    expect(second.out).toBe(plain.out);
    expect(first.out).toBe(plain.out);
    expect(second.code).toBe(plain.code);
    expect(JSON.parse(second.out).length).toBeGreaterThan(2);
  });

  it('re-lints only the Dockerfiles that read a changed script', async () => {
    await cli([...JSON_ARGS, '--cache']);
    write('pair/entrypoint.sh', BAD_SCRIPT, 0o755);
    const after = await cli([...JSON_ARGS, '--cache']);
    expect(counts(after.err)).toEqual({ hits: 7, misses: 2 });
    expect(after.out).toBe((await cli(JSON_ARGS)).out);
    expect(after.out).toMatch(/pair\/entrypoint\.sh/);
    expect(counts((await cli([...JSON_ARGS, '--cache'])).err)).toEqual({ hits: 9, misses: 0 });
  });

  it('misses when a file changes mode, or appears where one was missing', async () => {
    write('svc-0/Dockerfile', 'FROM alpine:3.20\nCOPY start.sh /start.sh\nENTRYPOINT ["/start.sh"]\n');
    await cli([...JSON_ARGS, '--cache']);
    fs.chmodSync(path.join(dir, 'svc-1/entrypoint.sh'), 0o644);
    write('svc-0/start.sh', BAD_SCRIPT, 0o755);
    const after = await cli([...JSON_ARGS, '--cache']);
    expect(counts(after.err)).toEqual({ hits: 7, misses: 2 });
    expect(after.out).toBe((await cli(JSON_ARGS)).out);
  });

  it('keeps no probe of an absent file in a folder the entry listed; a file appearing there still misses', async () => {
    await cli([...JSON_ARGS, '--cache']);
    const file = path.join(dir, '.dockerlintcache');
    const cache = JSON.parse(fs.readFileSync(file, 'utf8')) as { reads: Array<[string, string]>; entries: Record<string, { reads: number[] }> };
    const entry = cache.entries[path.join(dir, 'svc-0/Dockerfile')]!;
    const calls = new Map(entry.reads.map((i) => cache.reads[i]!));
    const folder = path.join(dir, 'svc-0');
    // The lint listed its context and probed it for compose files: the listing is kept, the probes are not.
    expect(calls.get(`d\0\0${folder}`)).toMatch(/^d:/);
    const probes = [...calls].filter(([call, digest]) => (digest === '-' || digest === 'r:-') && path.dirname(call.slice(call.indexOf('\0', 2) + 1)) === folder);
    expect(probes).toEqual([]);
    expect(cache.reads.some(([call]) => call.includes(`${folder}/compose.yaml`))).toBe(false);
    write('svc-0/compose.yaml', 'services:\n  web:\n    build: .\n');
    const after = await cli([...JSON_ARGS, '--cache']);
    expect(counts(after.err).misses).toBeGreaterThanOrEqual(1);
    expect(after.out).toBe((await cli(JSON_ARGS)).out);
    expect(counts((await cli([...JSON_ARGS, '--cache'])).err)).toEqual({ hits: 9, misses: 0 });
  });

  it('ignores a cache of the previous format', async () => {
    await cli([...JSON_ARGS, '--cache']);
    const file = path.join(dir, '.dockerlintcache');
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), formatVersion: 1 }));
    const after = await cli([...JSON_ARGS, '--cache']);
    expect(after.err).toMatch(/another version, rule set or configuration/);
    expect(counts(after.err)).toEqual({ hits: 0, misses: 9 });
    expect(counts((await cli([...JSON_ARGS, '--cache'])).err)).toEqual({ hits: 9, misses: 0 });
  });

  it('misses everything when the configuration changes', async () => {
    await cli([...JSON_ARGS, '--cache']);
    write('.dockerlint.yaml', 'rules:\n  su-sudo: off\n');
    const after = await cli([...JSON_ARGS, '--cache']);
    expect(counts(after.err)).toEqual({ hits: 0, misses: 9 });
    expect(after.err).toMatch(/another version, rule set or configuration/);
    expect(after.out).toBe((await cli(JSON_ARGS)).out);
    expect(after.out).not.toMatch(/su-sudo/);
    // Options on the command line are part of the key too.
    expect(counts((await cli([...JSON_ARGS, '--cache', '--ignore-rule', 'shell-form-pid1'])).err).misses).toBe(9);
  });

  it('misses everything with another version or rule set', async () => {
    const setup = { cwd: dir, severities: {}, reportUnusedSuppressions: false, target: null, context: null, config: defaultConfig(), configFile: null, configLines: {}, maxFileBytes: 4 * 1024 * 1024, recordReads: true };
    const linter = await createLinter(setup);
    const inputs = ['svc-0/Dockerfile', 'svc-1/Dockerfile'].map((p) => ({ path: path.join(dir, p), root: dir }));
    const notes: string[] = [];
    const run = (version: string, rules: string[]) =>
      lintCached(linter, inputs, { cwd: dir, root: dir, location: undefined, key: { version, rules, options: setup }, env: { DOCKERLINT_CACHE: 'report' }, note: (t) => notes.push(t) });
    const ids = RULES.map((r) => r.id);
    const base = await run(VERSION, ids);
    expect((await run(VERSION, ids)).findings).toEqual(base.findings);
    await run('99.0.0', ids);
    await run('99.0.0', ids.slice(1));
    expect(notes.map((n) => counts(n))).toEqual([
      { hits: 0, misses: 2 },
      { hits: 2, misses: 0 },
      { hits: 0, misses: 2 },
      { hits: 0, misses: 2 },
    ]);
  });

  it('ignores a corrupt cache and replaces it', async () => {
    await cli([...JSON_ARGS, '--cache']);
    const file = path.join(dir, '.dockerlintcache');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.slice(0, text.length / 2));
    const after = await cli([...JSON_ARGS, '--cache']);
    expect(after.err).toMatch(/not valid JSON/);
    expect(counts(after.err)).toEqual({ hits: 0, misses: 9 });
    expect(after.out).toBe((await cli(JSON_ARGS)).out);
    expect(counts((await cli([...JSON_ARGS, '--cache'])).err)).toEqual({ hits: 9, misses: 0 });
  });

  it('never trusts a forged entry: an unknown rule, a bad field, a file the lint did not read', async () => {
    await cli([...JSON_ARGS, '--cache']);
    const file = path.join(dir, '.dockerlintcache');
    const good = JSON.parse(fs.readFileSync(file, 'utf8'));
    const entry = good.entries[path.join(dir, 'plain/Dockerfile')];
    const finding = entry.findings[0];
    const forgeries = [
      { ...finding, rule: 'made-up' },
      { ...finding, line: -1 },
      { ...finding, message: 42 },
      { ...finding, file: '/etc/passwd' },
      { ...finding, related: [{ file: 1 }] },
    ];
    for (const forged of forgeries) {
      fs.writeFileSync(file, JSON.stringify({ ...good, entries: { ...good.entries, [path.join(dir, 'plain/Dockerfile')]: { ...entry, findings: [forged] } } }));
      const run = await cli([...JSON_ARGS, '--cache']);
      expect(run.err).toMatch(/malformed entry/);
      expect(counts(run.err)).toEqual({ hits: 0, misses: 9 });
    }
    fs.writeFileSync(file, JSON.stringify({ ...good, reads: [[1, 2]] }));
    expect((await cli([...JSON_ARGS, '--cache'])).err).toMatch(/malformed/);
  });

  it('leaves a file that is not a dockerlint cache alone', async () => {
    const foreign = '{"version":"7.0","files":{}}\n';
    write('.dockerlintcache', foreign);
    const run = await cli([...JSON_ARGS, '--cache']);
    expect(run.err).toMatch(/not a dockerlint cache/);
    expect(counts(run.err)).toEqual({ hits: 0, misses: 9 });
    expect(fs.readFileSync(path.join(dir, '.dockerlintcache'), 'utf8')).toBe(foreign);
    expect(run.out).toBe((await cli(JSON_ARGS)).out);
  });

  it('writes inside the repository unless --cache-location says otherwise', async () => {
    // From a folder outside the repository: the cache goes to the repository root.
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-cwd-'));
    try {
      await cli([dir, '--format', 'json', '--cache'], outside);
      expect(fs.existsSync(path.join(dir, '.dockerlintcache'))).toBe(true);
      expect(fs.readdirSync(outside)).toEqual([]);
      // From a subfolder: there.
      await cli(['..', '--format', 'json', '--cache'], path.join(dir, 'svc-0'));
      expect(fs.existsSync(path.join(dir, 'svc-0', '.dockerlintcache'))).toBe(true);
      // --cache-location: a folder, or a file.
      await cli([dir, '--format', 'json', '--cache', '--cache-location', `${outside}/`], outside);
      expect(fs.readdirSync(outside)).toEqual(['.dockerlintcache']);
      await cli([dir, '--format', 'json', '--cache', '--cache-location', 'named.cache'], outside);
      expect(fs.readdirSync(outside).sort()).toEqual(['.dockerlintcache', 'named.cache']);
      expect(counts((await cli([dir, '--format', 'json', '--cache', '--cache-location', 'named.cache'], outside)).err)).toEqual({ hits: 9, misses: 0 });
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('records what worker threads read too (the built command line)', () => {
    for (let i = 0; i < 30; i++) write(`many/m-${i}/Dockerfile`, IMAGE), write(`many/m-${i}/entrypoint.sh`, i % 3 ? GOOD_SCRIPT : BAD_SCRIPT, 0o755);
    const run = (extra: string[]) =>
      spawnSync(process.execPath, [BIN, '.', '--format', 'json', ...extra], { cwd: dir, encoding: 'utf8', env: { ...process.env, DOCKERLINT_WORKERS: '1', DOCKERLINT_CACHE: 'report' } });
    const plain = run([]);
    const first = run(['--cache']);
    expect(counts(first.stderr)).toEqual({ hits: 0, misses: 39 });
    write('many/m-4/entrypoint.sh', BAD_SCRIPT, 0o755);
    const second = run(['--cache']);
    expect(counts(second.stderr)).toEqual({ hits: 38, misses: 1 });
    expect(first.stdout).toBe(plain.stdout);
    expect(second.stdout).toBe(run([]).stdout);
    expect(second.stdout).toMatch(/m-4\/entrypoint\.sh/);
  });
});
