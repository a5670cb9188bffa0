import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { discover } from '../src/discovery.js';
import { parseIndex } from '../src/fs/git-index.js';
import { writeFileIn } from './helpers.js';

let dir: string;
const write = (rel: string, text: string): string => writeFileIn(dir, rel, text);
const git = (...args: string[]): void => {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
};
const index = (): Buffer => fs.readFileSync(path.join(dir, '.git', 'index'));
const found = (): string[] => discover(['.'], dir).files.map((f) => path.relative(dir, f));

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-gitindex-'));
  git('init', '-q', '.');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const IMAGE = 'FROM alpine:3.20\n';

describe('the git index', () => {
  test('versions 2, 3 (an intent-to-add entry has the extended flags) and 4 (names compressed against the one before) give the same names', () => {
    const names = ['Dockerfile', 'docker/Dockerfile.deb', 'docker/Dockerfile.rpm', 'docker/scripts/entrypoint.sh', 'services/api/Dockerfile', 'services/api-gateway/Dockerfile'];
    for (const n of names) write(n, IMAGE);
    git('add', '-f', ...names.slice(0, -1));
    git('update-index', '--index-version', '2');
    expect(index().readUInt32BE(4)).toBe(2);
    expect(parseIndex(index())).toEqual(names.slice(0, -1).sort());
    // An intent-to-add entry needs the extended flags, which version 3 has.
    git('add', '-N', names[names.length - 1]!);
    for (const version of ['3', '4']) {
      git('update-index', '--index-version', version);
      expect(index().readUInt32BE(4)).toBe(Number(version));
      expect(parseIndex(index())).toEqual([...names].sort());
    }
  });

  test('bytes that are not an index give null: another signature or version, cut short, a count past the end, a name that leaves the repository', () => {
    write('Dockerfile', IMAGE);
    git('add', '-f', 'Dockerfile');
    const good = index();
    expect(parseIndex(good)).toEqual(['Dockerfile']);
    expect(parseIndex(Buffer.from('PACK' + good.toString('latin1', 4), 'latin1'))).toBeNull();
    const v9 = Buffer.from(good);
    v9.writeUInt32BE(9, 4);
    expect(parseIndex(v9)).toBeNull();
    expect(parseIndex(good.subarray(0, 40))).toBeNull();
    const many = Buffer.from(good);
    many.writeUInt32BE(1_000_000, 8);
    expect(parseIndex(many)).toBeNull();
    const evil = Buffer.from(good.toString('latin1').replace('Dockerfile', '../../etc/'), 'latin1');
    expect(parseIndex(evil)).toBeNull();
    expect(parseIndex(Buffer.alloc(0))).toBeNull();
  });
});

describe('discovery and .gitignore', () => {
  test('a tracked Dockerfile is linted whatever .gitignore says, and a folder that holds one is walked; an untracked ignored one is not', () => {
    write('.gitignore', '**/*.deb\nbuild/\nDockerfile.local\n');
    for (const f of ['Dockerfile', 'Dockerfile.deb', 'build/Dockerfile', 'Dockerfile.local', 'other/x.deb/Dockerfile']) write(f, IMAGE);
    expect(found()).toEqual(['Dockerfile']);
    git('add', '-f', 'Dockerfile', 'Dockerfile.deb', 'build/Dockerfile');
    expect(found()).toEqual(['Dockerfile', 'Dockerfile.deb', 'build/Dockerfile']);
  });

  test('without an index to read (a worktree whose .git is a file, a damaged index), .gitignore alone decides', () => {
    write('.gitignore', '**/*.deb\n');
    write('Dockerfile.deb', IMAGE);
    git('add', '-f', 'Dockerfile.deb');
    expect(found()).toEqual(['Dockerfile.deb']);
    fs.writeFileSync(path.join(dir, '.git', 'index'), 'DIRC garbage');
    expect(found()).toEqual([]);
    fs.rmSync(path.join(dir, '.git'), { recursive: true });
    write('.git', 'gitdir: /elsewhere/.git/worktrees/x\n');
    expect(found()).toEqual([]);
  });

  test('an index that is a link to a file outside the repository is not read', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-gitindex-out-'));
    try {
      write('.gitignore', '**/*.deb\n');
      write('Dockerfile.deb', IMAGE);
      git('add', '-f', 'Dockerfile.deb');
      fs.renameSync(path.join(dir, '.git', 'index'), path.join(outside, 'index'));
      fs.symlinkSync(path.join(outside, 'index'), path.join(dir, '.git', 'index'));
      expect(found()).toEqual([]);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
