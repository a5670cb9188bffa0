import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseShard, shardKey, shardOf } from '../src/shard.js';
import { writeFileIn, runCli } from './helpers.js';

let dir: string;

const write = (rel: string, text: string | Buffer, mode?: number): string => writeFileIn(dir, rel, text, mode);

async function cli(args: string[], cwd = dir): Promise<{ code: number; out: string; err: string }> {
  const { code, out, err } = await runCli(args, { cwd: cwd, env: { DOCKERLINT_WORKERS: '0' } });
  return { code, out, err };
}

interface JsonFinding {
  rule: string;
  file: string;
  line: number;
  column: number;
  message: string;
  related: Array<{ file: string }>;
}

const BAD = 'FROM alpine:3.20\nCMD node server.js\n';
const SCRIPT_IMAGE = 'FROM alpine:3.20\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n';

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-shard-'));
  fs.mkdirSync(path.join(dir, '.git'));
  for (let i = 0; i < 24; i++) write(`services/svc-${i}/Dockerfile`, i % 3 === 0 ? SCRIPT_IMAGE : BAD);
  for (let i = 0; i < 24; i += 3) write(`services/svc-${i}/entrypoint.sh`, '#!/bin/sh\nsu app -c "$@"\n', 0o755);
  write('tools/Containerfile', BAD);
  // One script started by several Dockerfiles, which land in different shards.
  for (const n of ['a', 'b', 'c', 'd']) write(`shared/${n}.Dockerfile`, 'FROM alpine:3.20\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT /entrypoint.sh\n');
  write('shared/entrypoint.sh', '#!/bin/sh\nsu app -c "$@"\n', 0o755);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('parseShard', () => {
  it.each([
    ['1/1', { index: 1, count: 1 }],
    ['2/3', { index: 2, count: 3 }],
    [' 3 / 3 ', { index: 3, count: 3 }],
  ])('accepts %j', (spec, shard) => expect(parseShard(spec)).toEqual(shard));
  it.each(['0/3', '4/3', '1/0', '1', '1/2/3', 'a/b', '-1/2', '1.5/2', ''])('rejects %j', (spec) => expect(parseShard(spec)).toBeNull());
});

describe('shardOf', () => {
  it('depends only on the path: the same on every call, forward slashes whatever the platform', () => {
    expect(shardOf('services/api/Dockerfile', 7)).toBe(shardOf('services/api/Dockerfile', 7));
    // A fixed value: the assignment must not change between versions or machines.
    expect([1, 2, 3, 4, 5].map((n) => shardOf('services/api/Dockerfile', n))).toEqual(FIXED);
  });

  it('spreads paths over the shards', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[shardOf(`apps/app-${i}/Dockerfile`, 4) - 1]!++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
  });

  it('keys a file by its path relative to the root', () => {
    expect(shardKey(path.join('/r', 'a', 'Dockerfile'), '/r')).toBe('a/Dockerfile');
    expect(shardKey('/elsewhere/Dockerfile', '/r')).toBe('/elsewhere/Dockerfile');
  });
});

describe('--shard', () => {
  /** The Dockerfiles a run reported on (a script's finding names its Dockerfile first in `related`). */
  const files = (out: string): string[] =>
    [...new Set((JSON.parse(out) as JsonFinding[]).flatMap((f) => [f.file, ...f.related.map((r) => r.file)]))].filter((f) => !f.endsWith('.sh')).sort();

  it('puts every Dockerfile in exactly one shard, the same on every run and from another folder', async () => {
    const all = files((await cli(['.', '--format', 'json'])).out);
    expect(all).toHaveLength(29);
    for (const n of [1, 2, 3, 5]) {
      const seen: string[] = [];
      for (let i = 1; i <= n; i++) {
        const run = await cli(['.', '--format', 'json', '--shard', `${i}/${n}`]);
        expect(run.code).toBe(1);
        const mine = files(run.out);
        // Stable: the same shard again, and run from a subfolder naming the repository root.
        expect(files((await cli(['.', '--format', 'json', '--shard', `${i}/${n}`])).out)).toEqual(mine);
        const fromSub = files((await cli(['..', '--format', 'json', '--shard', `${i}/${n}`], path.join(dir, 'services'))).out).map((f) => path.posix.join('services', f));
        expect(fromSub.sort()).toEqual(mine);
        // Each Dockerfile is in the shard its path says.
        for (const f of mine) expect(shardOf(f, n)).toBe(i);
        seen.push(...mine);
      }
      expect(seen.sort()).toEqual(all);
    }
  });

  it('gives SARIF that merges into the full run: same tool and rules, results split without loss', async () => {
    const sarif = async (extra: string[]): Promise<{ runs: Array<{ tool: unknown; results: Array<{ partialFingerprints: Record<string, string> }> }> }> =>
      JSON.parse((await cli(['.', '--format', 'sarif', ...extra])).out);
    const full = await sarif([]);
    const shards = await Promise.all([1, 2, 3].map((i) => sarif(['--shard', `${i}/3`])));
    for (const s of shards) expect(s.runs[0]!.tool).toEqual(full.runs[0]!.tool);
    // Merging is a union by fingerprint: a script started by Dockerfiles of two shards is reported
    // by both, with the same fingerprint (the full run reports it once).
    type Result = { partialFingerprints: Record<string, string> };
    const fp = (r: Result): string => JSON.stringify(r.partialFingerprints);
    const merged = new Map<string, Result[]>();
    for (const s of shards) for (const r of s.runs[0]!.results) merged.set(fp(r), [...(merged.get(fp(r)) ?? []), r]);
    const fullResults = full.runs[0]!.results;
    expect([...merged.keys()].sort()).toEqual(fullResults.map(fp).sort());
    expect(new Set(fullResults.map(fp)).size).toBe(fullResults.length);
    // A result only one shard has is the full run's result, byte for byte.
    for (const r of fullResults) {
      const got = merged.get(fp(r))!;
      if (got.length === 1) expect(got[0]).toEqual(r);
    }
    expect([...merged.values()].some((rs) => rs.length > 1)).toBe(true);
    expect(shards.every((s) => s.runs[0]!.results.length > 0)).toBe(true);
  });

  it('rejects a malformed shard with a usage error', async () => {
    const run = await cli(['.', '--shard', '4/3']);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/--shard 4\/3: expected i\/n/);
  });
});

const FIXED = [1, 2, 1, 2, 4];
