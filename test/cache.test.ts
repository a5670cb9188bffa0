import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintCached } from '../src/cache.js';
import { defaultConfig } from '../src/config/schema.js';
import { diskFs, type FileSystem } from '../src/fs/file-system.js';
import { discover } from '../src/discovery.js';
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

  describe('file stamps', () => {
    const setup = { cwd: '', severities: {}, reportUnusedSuppressions: false, target: null, context: null, config: defaultConfig(), configFile: null, configLines: {}, maxFileBytes: 4 * 1024 * 1024, recordReads: true };
    const INPUTS = ['svc-0/Dockerfile', 'svc-1/Dockerfile', 'pair/a.Dockerfile', 'pair/b.Dockerfile'];
    /** A run through lintCached: its counts, findings, and the files the cache check read. */
    async function run(clock?: () => number): Promise<{ hits: number; misses: number; read: string[]; findings: unknown[] }> {
      const linter = await createLinter({ ...setup, cwd: dir });
      const read: string[] = [];
      const counting: FileSystem = { stat: (p) => diskFs.stat(p), realpath: (p) => diskFs.realpath(p), readdir: (p) => diskFs.readdir(p), readFile: (p, max) => (read.push(path.relative(dir, p)), diskFs.readFile(p, max)) };
      const notes: string[] = [];
      const out = await lintCached(linter, INPUTS.map((p) => ({ path: path.join(dir, p), root: dir })), {
        cwd: dir, root: dir, location: undefined, key: { version: VERSION, rules: RULES.map((r) => r.id), options: setup }, env: { DOCKERLINT_CACHE: 'report' },
        note: (t) => notes.push(t), fs: counting, ...(clock ? { clock } : {}),
      });
      return { ...counts(notes.join('')), read: read.sort(), findings: out.findings };
    }
    const table = (): Array<string[]> => JSON.parse(fs.readFileSync(path.join(dir, '.dockerlintcache'), 'utf8')).reads;
    const stamped = (): string[] => table().filter((r) => r.length === 3).map((r) => path.relative(dir, r[0]!.slice(r[0]!.indexOf('\0', 2) + 1))).sort();
    // Files written by the test are seconds old at most: a clock 10 s ahead lets them be stamped.
    const later = (): number => Date.now() + 10_000;
    const SCRIPTS = ['pair/entrypoint.sh', 'svc-0/entrypoint.sh', 'svc-1/entrypoint.sh'];

    it('stamps the files a lint read; an unchanged stamp vouches for the file without reading it', async () => {
      const first = await run(later);
      expect(first).toMatchObject({ hits: 0, misses: 4 });
      expect(stamped()).toEqual(expect.arrayContaining([...INPUTS, ...SCRIPTS]));
      expect(table().filter((r) => r.length === 3).every((r) => r[0]!.startsWith('f\0') && /^\d+:\d+:\d+:\d+:\d+$/.test(r[2]!))).toBe(true);
      const second = await run(later);
      expect(second).toMatchObject({ hits: 4, misses: 0, read: [] });
      expect(second.findings).toEqual(first.findings);
    });

    it('reads a file whose stamp changed: the same bytes still hit, other bytes of the same size miss', async () => {
      await run(later);
      // Rewritten with the same bytes: new times, the same digest, a hit, stamped again.
      write('svc-1/entrypoint.sh', BAD_SCRIPT, 0o755);
      const same = await run(later);
      expect(same).toMatchObject({ hits: 4, misses: 0, read: ['svc-1/entrypoint.sh'] });
      expect((await run(later)).read).toEqual([]);
      // Other bytes, the same size: only the stamp tells them apart before the file is read.
      write('pair/entrypoint.sh', GOOD_SCRIPT.replace('set -e', 'set -u'), 0o755);
      const changed = await run(later);
      expect(changed).toMatchObject({ hits: 2, misses: 2 });
      expect(changed.read).toEqual(['pair/entrypoint.sh']);
    });

    it('keeps no stamp for a file modified seconds ago, and then reads it on every check', async () => {
      await run();
      expect(stamped()).toEqual([]);
      const second = await run();
      expect(second).toMatchObject({ hits: 4, misses: 0 });
      expect(second.read).toEqual(expect.arrayContaining(SCRIPTS));
    });

    it('does not trust a stamp that does not match, and rejects a malformed one', async () => {
      await run(later);
      const file = path.join(dir, '.dockerlintcache');
      const good = JSON.parse(fs.readFileSync(file, 'utf8'));
      const forged = good.reads.map((r: string[]) => (r.length === 3 ? [r[0], r[1], '1:2:3:4:5'] : r));
      fs.writeFileSync(file, JSON.stringify({ ...good, reads: forged }));
      const after = await run(later);
      expect(after).toMatchObject({ hits: 4, misses: 0 });
      expect(after.read).toEqual(expect.arrayContaining(SCRIPTS));
      // Stamped again as the check hashed them.
      expect(table().filter((r) => r.length === 3).some((r) => r[2] === '1:2:3:4:5')).toBe(false);
      for (const bad of [[...good.reads[0], 'x', 'y'], [good.reads[0][0], good.reads[0][1], 7]]) {
        fs.writeFileSync(file, JSON.stringify({ ...good, reads: [bad, ...good.reads.slice(1)] }));
        const notes: string[] = [];
        const linter = await createLinter({ ...setup, cwd: dir });
        await lintCached(linter, [{ path: path.join(dir, 'plain/Dockerfile'), root: dir }], { cwd: dir, root: dir, location: undefined, key: { version: VERSION, rules: RULES.map((r) => r.id), options: setup }, env: { DOCKERLINT_CACHE: 'report' }, note: (t) => notes.push(t) });
        expect(notes.join('')).toMatch(/the file was ignored: malformed/);
      }
    });
  });

  it("answers the folders discovery listed from its listings, and a symlink's real path from the disk", async () => {
    fs.mkdirSync(path.join(dir, 'shared'));
    write('shared/entry.sh', GOOD_SCRIPT, 0o755);
    fs.rmSync(path.join(dir, 'svc-2/entrypoint.sh'));
    fs.symlinkSync('../shared/entry.sh', path.join(dir, 'svc-2/entrypoint.sh'));
    const setup = { cwd: dir, severities: {}, reportUnusedSuppressions: false, target: null, context: null, config: defaultConfig(), configFile: null, configLines: {}, maxFileBytes: 4 * 1024 * 1024, recordReads: true };
    const calls: string[] = [];
    const counting: FileSystem = {
      stat: (p) => diskFs.stat(p),
      realpath: (p) => (calls.push(`realpath ${path.relative(dir, p)}`), diskFs.realpath(p)),
      readdir: (p) => (calls.push(`readdir ${path.relative(dir, p)}`), diskFs.readdir(p)),
      readFile: (p, max) => diskFs.readFile(p, max),
    };
    const run = async () => {
      const listings = new Map<string, import('../src/fs/file-system.js').DirEntry[]>();
      const found = discover(['.'], dir, { listings });
      const linter = await createLinter(setup);
      const notes: string[] = [];
      calls.length = 0;
      const out = await lintCached(linter, found.files.map((p) => ({ path: p, root: dir })), { cwd: dir, root: dir, location: undefined, key: { version: VERSION, rules: RULES.map((r) => r.id), options: setup }, env: { DOCKERLINT_CACHE: 'report' }, note: (t) => notes.push(t), fs: counting, listings });
      return { ...counts(notes.join('')), findings: out.findings };
    };
    const first = await run();
    expect(first).toMatchObject({ hits: 0, misses: 9 });
    const second = await run();
    expect(second).toMatchObject({ hits: 9, misses: 0 });
    expect(second.findings).toEqual(first.findings);
    // Inside the repository, only the symlink is resolved on the disk; no folder is listed again.
    expect(calls.filter((c) => !c.includes('..'))).toEqual(['realpath svc-2/entrypoint.sh']);
    // A file added to a listed folder changes that folder's listing: its Dockerfile is linted again.
    write('svc-3/compose.yaml', 'services:\n  web:\n    build: .\n');
    expect((await run()).misses).toBeGreaterThanOrEqual(1);
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
