/**
 * The jail: one root for everything a run reads (the repository of the linted path, the linted
 * folder without one, or --root). Each trap below is a case; every case asserts what the output
 * says and, with a file-system hook (spies on the `node:fs` functions that open or list), that
 * nothing outside the root was opened. When strace is installed, the shipped entry point is also
 * run under it on the whole trap repository, and every open(2) outside the root (other than
 * Node's own and dockerlint's own files) fails the test.
 *
 * Layout (T is a fresh temporary folder):
 *   T/outer/package.json        a FIFO above the root (yargs used to read it at start-up)
 *   T/outer/.dockerlint.yaml    a configuration above the root: never read
 *   T/outer/hostetc/passwd      stands for the host's /etc (a `root:x:0:0` line)
 *   T/outer/repo/.git/          the root
 *   T/outer/repo/...            the traps
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lintFile } from '../src/engine.js';
import { discover } from '../src/discovery.js';
import { DiskFileSystem, FsError, OverlayFileSystem, type FileSystem } from '../src/fs/file-system.js';
import { Jail, repositoryRoot } from '../src/fs/jail.js';
import { ShellService } from '../src/model/shell-service.js';
import { FORMATS } from '../src/reporters/index.js';
import { writeFileIn, runCli } from './helpers.js';

const { jest: J } = import.meta as unknown as { jest: typeof jest };

const PASSWD_MARK = /root:x:0:0/;
const shell = new ShellService();
let T: string;
let outer: string;
let repo: string;

const write = (rel: string, text: string | Buffer, mode?: number): string => writeFileIn(repo, rel, text, mode);

const ENTRY = (script: string): string => `FROM alpine:3.20\nCOPY ${script} /entry.sh\nUSER nobody\nENTRYPOINT ["/entry.sh"]\n`;
const GOOD = 'FROM alpine:3.20\nUSER nobody\nCMD ["sleep", "infinity"]\n';

beforeAll(() => {
  T = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-jail-')));
  outer = path.join(T, 'outer');
  repo = path.join(outer, 'repo');
  fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
  fs.mkdirSync(path.join(outer, 'hostetc'));
  fs.writeFileSync(path.join(outer, 'hostetc', 'passwd'), '#!/bin/sh\nroot:x:0:0:root:/root:/bin/sh "$@"\n', { mode: 0o755 });
  fs.writeFileSync(path.join(outer, '.dockerlint.yaml'), 'failureThreshold: none\n');
  spawnSync('mkfifo', [path.join(outer, 'package.json')]);

  // Contexts from the configuration: absolute, `..`, and through a committed symlink.
  write(
    '.dockerlint.yaml',
    [
      'context:',
      '  - dockerfile: cfg-abs/Dockerfile',
      '    context: /etc',
      '  - dockerfile: cfg-dotdot/Dockerfile',
      '    context: ../../../../../../../../etc',
      '  - dockerfile: cfg-link/Dockerfile',
      '    context: etclink',
      '  - dockerfile: cfg-outer/Dockerfile',
      '    context: ../hostetc',
      '',
    ].join('\n'),
  );
  fs.symlinkSync('../hostetc', path.join(repo, 'etclink'));
  for (const d of ['cfg-abs', 'cfg-dotdot', 'cfg-link', 'cfg-outer']) write(`${d}/Dockerfile`, ENTRY('passwd'));
  // A compose file whose build context escapes through the symlink.
  write('compose/compose.yaml', 'services:\n  app:\n    build:\n      context: ../etclink\n      dockerfile: ../compose/Dockerfile\n');
  write('compose/Dockerfile', ENTRY('passwd'));
  // A bake target whose context escapes through the symlink.
  write('bake/docker-bake.hcl', 'target "app" {\n  dockerfile = "../bake/Dockerfile"\n  context = "../etclink"\n}\n');
  write('bake/Dockerfile', ENTRY('passwd'));
  // A Dockerfile and an entrypoint that are FIFOs (reading them would block forever).
  fs.mkdirSync(path.join(repo, 'fifo'));
  spawnSync('mkfifo', [path.join(repo, 'fifo', 'target')]);
  fs.symlinkSync('target', path.join(repo, 'fifo', 'Dockerfile'));
  write('fifo-entry/Dockerfile', ENTRY('run.sh'));
  spawnSync('mkfifo', [path.join(repo, 'fifo-entry', 'run.sh')]);
  // A huge (sparse) entrypoint: refused by its size on the open descriptor, never read.
  write('huge-entry/Dockerfile', ENTRY('run.sh'));
  write('huge-entry/run.sh', '#!/bin/sh\nexec "$@"\n', 0o755);
  fs.truncateSync(path.join(repo, 'huge-entry', 'run.sh'), 1536 * 1024 * 1024);
  // A huge (sparse) .gitignore.
  write('huge-ignore/.gitignore', 'x\n');
  fs.truncateSync(path.join(repo, 'huge-ignore', '.gitignore'), 600 * 1024 * 1024);
  write('huge-ignore/Dockerfile', GOOD);
  // An entrypoint symlinked to a device outside the root.
  write('dev-entry/Dockerfile', ENTRY('run.sh'));
  fs.symlinkSync('/dev/zero', path.join(repo, 'dev-entry', 'run.sh'));
  // A plain Dockerfile with a finding: it must still be reported whatever else fails.
  write('ok/Dockerfile', 'FROM alpine:3.20\nUSER nobody\nCMD sleep infinity\n');
});
afterAll(() => fs.rmSync(T, { recursive: true, force: true }));

/** Paths outside the root that must never be opened. */
function forbidden(p: string): boolean {
  const abs = path.resolve(p);
  if (abs === '/etc/passwd' || abs === '/etc' || abs.startsWith('/etc/')) return true;
  if (abs === outer || (abs.startsWith(`${outer}${path.sep}`) && abs !== repo && !abs.startsWith(`${repo}${path.sep}`))) return true;
  // A path inside that resolves outside (a symlink).
  try {
    const real = fs.realpathSync.native(abs);
    return real !== abs && forbidden(real);
  } catch {
    return false;
  }
}

/** Every path the fs functions that open, read or list are called with while `fn` runs. */
async function watchingFs<T>(fn: () => Promise<T>): Promise<{ result: T; opened: string[]; all: string[] }> {
  const spies = [
    J.spyOn(fs, 'openSync'),
    J.spyOn(fs, 'readFileSync'),
    J.spyOn(fs, 'readdirSync'),
    J.spyOn(fs, 'opendirSync'),
    J.spyOn(fs, 'open'),
    J.spyOn(fs, 'readFile'),
    J.spyOn(fs, 'createReadStream'),
    J.spyOn(fs.promises, 'open'),
    J.spyOn(fs.promises, 'readFile'),
  ];
  try {
    const result = await fn();
    const all = spies.flatMap((s) => (s.mock.calls as unknown[][]).map((c) => c[0])).filter((p): p is string => typeof p === 'string');
    return { result, opened: all.filter(forbidden), all };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}

async function cli(args: string[], cwd = repo, env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const { code, out, err } = await runCli(args, { cwd: cwd, env: env });
  return { code, out, err };
}

function compactLines(out: string): string[] {
  return out.trim().split('\n').filter((l) => l !== '');
}

describe('contexts outside the root are refused, with the file and the key', () => {
  test.each([
    ['cfg-abs', 'context[0].context', 3],
    ['cfg-dotdot', 'context[1].context', 5],
    ['cfg-link', 'context[2].context', 7],
    ['cfg-outer', 'context[3].context', 9],
  ])('%s (configuration %s)', async (dir, key, line) => {
    const { result, opened } = await watchingFs(() => cli([dir, '-f', 'compact']));
    expect(opened).toEqual([]);
    expect(result.code).toBe(2);
    expect(compactLines(result.out)).toEqual([
      expect.stringMatching(new RegExp(`^\\.dockerlint\\.yaml:${line}:1: error input-error: ${key.replace(/[[\].]/g, '\\$&')}: the build context .* of ${dir}/Dockerfile resolves to .*, outside the root ${repo}: refused`)),
    ]);
    expect(PASSWD_MARK.test(result.out + result.err)).toBe(false);
  });

  test('a compose build.context through a committed symlink (etclink -> ../hostetc)', async () => {
    const { result, opened } = await watchingFs(() => cli(['compose', '-f', 'compact']));
    expect(opened).toEqual([]);
    expect(result.code).toBe(2);
    expect(compactLines(result.out)).toEqual([expect.stringMatching(/^compose\/compose\.yaml:4:1: error input-error: services\.app\.build\.context: the build context etclink of compose\/Dockerfile resolves to .*hostetc, outside the root/)]);
  });

  test('a bake target context through a committed symlink (etclink -> ../hostetc)', async () => {
    const { result, opened } = await watchingFs(() => cli(['bake', '-f', 'compact']));
    expect(opened).toEqual([]);
    expect(result.code).toBe(2);
    expect(compactLines(result.out)).toEqual([expect.stringMatching(/^bake\/docker-bake\.hcl:3:1: error input-error: target\.app\.context: the build context etclink of bake\/Dockerfile resolves to .*hostetc, outside the root/)]);
  });

  test('`cd / && dockerlint repo`: the contexts are judged against the repository, not the current folder', async () => {
    const { result, opened } = await watchingFs(() => cli([path.join(repo, 'cfg-abs'), '-f', 'json'], '/'));
    expect(opened).toEqual([]);
    expect(result.code).toBe(2);
    const findings = JSON.parse(result.out) as { rule: string; file: string; message: string }[];
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'input-error', file: path.join(repo, '.dockerlint.yaml').slice(1) });
    expect(findings[0]?.message).toMatch(/^context\[0\]\.context: the build context etc of .*cfg-abs\/Dockerfile resolves to \/etc, outside the root .*repo: refused/);
  });

  test('--context outside the root is refused; --root widens the root', async () => {
    write('wide/Dockerfile', ENTRY('passwd'));
    const refused = await watchingFs(() => cli(['wide', '--context', '../hostetc', '-f', 'compact']));
    expect(refused.opened).toEqual([]);
    expect(refused.result.code).toBe(2);
    expect(refused.result.out).toMatch(/^wide\/Dockerfile:1:1: error input-error: --context: the build context \.\.\/hostetc .*refused/m);
    // The user may widen the root on purpose: then the file is read (it is inside the new root).
    const widened = await cli(['wide', '--context', '../hostetc', '--root', '..', '-f', 'compact']);
    expect(widened.out).not.toMatch(/refused/);
  });

  test('the engine API refuses the same way (contexts from a caller, symlinked)', async () => {
    const { result, opened } = await watchingFs(() => lintFile({ path: path.join(repo, 'cfg-link', 'Dockerfile') }, { cwd: repo, shell, context: path.join(repo, 'etclink') }));
    expect(opened).toEqual([]);
    expect(result.map((f) => f.message)).toEqual([expect.stringMatching(/--context: .*outside the root .*refused/)]);
  });
});

describe('only regular files, checked on the open descriptor, at most the limit', () => {
  test('a Dockerfile that is a symlink to a FIFO: an input-error, no hang', async () => {
    const r = await cli(['fifo', '-f', 'compact']);
    expect(r.code).toBe(2);
    expect(compactLines(r.out)).toEqual([expect.stringMatching(/^fifo\/Dockerfile:1:1: error input-error: not a regular file \(a FIFO, device or socket\): not read, not linted$/)]);
  });

  test('an entrypoint that is a FIFO: said where the Dockerfile copies it, no hang', async () => {
    const r = await cli(['fifo-entry', '-f', 'compact']);
    expect(r.out).toMatch(/run\.sh: not a regular file \(a FIFO, device or socket\): not read/);
  });

  test('a 1.5 GB entrypoint is refused by its size, never read', async () => {
    const before = process.memoryUsage().rss;
    const read = J.spyOn(fs, 'readSync');
    try {
      const r = await cli(['huge-entry', '-f', 'compact']);
      expect(r.out).toMatch(/run\.sh: file is 1536 MB, larger than the 4 MB limit/);
      const bytes = (read.mock.calls as unknown[][]).reduce((n, c) => n + Number((c[3] as number | undefined) ?? 0), 0);
      expect(bytes).toBeLessThan(4 * 1024 * 1024 + 2);
    } finally {
      read.mockRestore();
    }
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  test('a 600 MB .gitignore: reported, not read; the folder is still linted', async () => {
    const r = await cli(['huge-ignore', '-f', 'compact']);
    expect(compactLines(r.out)).toEqual([expect.stringMatching(/^huge-ignore\/\.gitignore:1:1: warning input-error: file is 600 MB, larger than the 4 MB limit.*; nothing in huge-ignore was taken as ignored$/)]);
  });

  // A device inside the repository (mknod needs CAP_MKNOD: skipped where it fails).
  const device = spawnSync('mknod', [path.join(os.tmpdir(), `dockerlint-mknod-probe-${process.pid}`), 'c', '1', '5']).status === 0;
  fs.rmSync(path.join(os.tmpdir(), `dockerlint-mknod-probe-${process.pid}`), { force: true });
  (device ? test : test.skip)('a character device (like /dev/zero) inside the repository as Dockerfile and as entrypoint: refused, never opened', async () => {
    write('dev-inside/Dockerfile.ok', ENTRY('run.sh'));
    spawnSync('mknod', [path.join(repo, 'dev-inside', 'run.sh'), 'c', '1', '5']);
    spawnSync('mknod', [path.join(repo, 'dev-inside', 'Dockerfile'), 'c', '1', '5']);
    const { result, all } = await watchingFs(() => cli(['dev-inside/Dockerfile', 'dev-inside/Dockerfile.ok', '-f', 'compact']));
    expect(all.filter((p) => p.endsWith('run.sh') || p.endsWith('dev-inside/Dockerfile'))).toEqual([]);
    // Named on the command line: refused as an input (stderr, exit 2), like a missing path.
    expect(result.code).toBe(2);
    expect(result.err).toBe('dockerlint: dev-inside/Dockerfile: not a regular file or folder\n');
    expect(result.out).toMatch(/run\.sh: not a regular file \(a FIFO, device or socket\): not read/);
  });

  test('an entrypoint symlinked to /dev/zero: outside the context, never opened', async () => {
    const { result, all } = await watchingFs(() => cli(['dev-entry', '-f', 'compact']));
    expect(all.filter((p) => p.startsWith('/dev/'))).toEqual([]);
    expect(result.out).not.toMatch(/internal error/);
  });

  test('the reader itself: FIFO, device, folder, over the limit, growing past it', () => {
    const disk = new DiskFileSystem();
    const code = (f: () => unknown): string => {
      try {
        f();
        return 'read';
      } catch (e) {
        return (e as FsError).code;
      }
    };
    expect(code(() => disk.readFile(path.join(repo, 'fifo', 'target'), 100))).toBe('ENOTREG');
    expect(code(() => disk.readFile('/dev/zero', 100))).toBe('ENOTREG');
    expect(code(() => disk.readFile(repo, 100))).toBe('EISDIR');
    expect(code(() => disk.readFile(path.join(repo, 'ok', 'Dockerfile'), 10))).toBe('EFBIG');
    expect(code(() => disk.readFile(path.join(repo, 'nope'), 10))).toBe('ENOENT');
    expect(disk.readFile(path.join(repo, 'ok', 'Dockerfile'), 1000).toString()).toMatch(/^FROM alpine/);
    // /proc files report size 0 and are longer: the read still stops at the limit.
    expect(code(() => disk.readFile('/proc/self/status', 16))).toBe('EFBIG');
  });
});

describe('start-up and configuration reads stay inside the root', () => {
  test('a FIFO package.json and a configuration above the root are never opened', async () => {
    const { result, opened } = await watchingFs(() => cli(['ok', '-f', 'compact']));
    expect(opened).toEqual([]);
    // The configuration above (failureThreshold: none) did not apply: exit 1.
    expect(result.code).toBe(1);
  });

  test('without .git, the root is the linted folder: a configuration above it is not read', async () => {
    const plain = path.join(T, 'plain');
    fs.mkdirSync(path.join(plain, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(plain, '.dockerlint.yaml'), 'failureThreshold: none\n');
    fs.writeFileSync(path.join(plain, 'sub', 'Dockerfile'), 'FROM alpine\nCMD sleep 1\n');
    expect(repositoryRoot(path.join(plain, 'sub'))).toBe(path.join(plain, 'sub'));
    const r = await cli(['sub', '-f', 'compact'], plain);
    expect(r.code).toBe(1);
    // With --root, the user includes it.
    expect((await cli(['sub', '--root', '.'], plain)).code).toBe(0);
  });

  test.each([
    ['a FIFO package.json', (dir: string) => spawnSync('mkfifo', [path.join(dir, 'package.json')]), /package\.json:1:1: error input-error: not a regular file \(a FIFO, device or socket\): not read/],
    ['an oversized package.json', (dir: string) => fs.writeFileSync(path.join(dir, 'package.json'), `{"name": "x", "pad": "${'x'.repeat(1100 * 1024)}"}`), /package\.json:1:1: error input-error: larger than 1 MB; not a dockerlint configuration: not read/],
    ['a 50 MB package.json (sparse)', (dir: string) => (fs.writeFileSync(path.join(dir, 'package.json'), '{}'), fs.truncateSync(path.join(dir, 'package.json'), 50 * 1024 * 1024)), /package\.json:1:1: error input-error: larger than 1 MB; not a dockerlint configuration: not read/],
    ['an invalid package.json', (dir: string) => fs.writeFileSync(path.join(dir, 'package.json'), '{"name": '), /package\.json:1:1: error input-error: not valid JSON: /],
    ['a YAML alias bomb', (dir: string) => fs.writeFileSync(path.join(dir, '.dockerlint.yaml'), bomb()), /\.dockerlint\.yaml:1:1: error input-error: cannot read the YAML: /],
    ['a configuration symlinked outside the root', (dir: string) => fs.symlinkSync(path.join(outer, '.dockerlint.yaml'), path.join(dir, '.dockerlint.yaml')), /\.dockerlint\.yaml:1:1: error input-error: its real path is outside the root .*: not read/],
  ])('%s: one error finding (exit 2), everything else still linted, in every format', async (_name, make, expected) => {
    const dir = fs.mkdtempSync(path.join(T, 'broken-'));
    fs.mkdirSync(path.join(dir, '.git'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM alpine:3.20\nUSER nobody\nCMD sleep infinity\n');
    make(dir);
    const r = await cli(['.', '-f', 'compact'], dir);
    expect(r.code).toBe(2);
    // Findings are sorted by file name: `.dockerlint.yaml` < `Dockerfile` < `package.json`.
    const lines = compactLines(r.out);
    expect(lines).toHaveLength(2);
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^Dockerfile:3:1: warning shell-form-pid1: /), expect.stringMatching(expected)]));
    for (const format of FORMATS) {
      const f = await cli(['.', '-f', format], dir);
      expect({ format, code: f.code }).toEqual({ format, code: 2 });
      if (['json', 'sarif', 'gitlab'].includes(format)) expect(() => JSON.parse(f.out)).not.toThrow();
      expect(f.out).toMatch(/shell-form-pid1/);
    }
  });
});

describe('broken compose and bake files: a warning each, the Dockerfile linted with its own folder as context', () => {
  test.each([
    ['a YAML alias bomb', (dir: string) => fs.writeFileSync(path.join(dir, 'compose.yaml'), bomb()), /^compose\.yaml:1:1: warning input-error: cannot read the YAML \(Excessive alias count/],
    ['a FIFO', (dir: string) => spawnSync('mkfifo', [path.join(dir, 'compose.yaml')]), /^compose\.yaml:1:1: warning input-error: not a regular file \(a FIFO, device or socket\): not read; its build contexts were not used$/],
    ['invalid YAML', (dir: string) => fs.writeFileSync(path.join(dir, 'docker-compose.yml'), 'services: [\n'), /^docker-compose\.yml:2:1: warning input-error: YAML syntax error: /],
    ['invalid HCL', (dir: string) => fs.writeFileSync(path.join(dir, 'docker-bake.hcl'), 'target "app" {\n  context = ".\n}\n'), /^docker-bake\.hcl:2:1: warning input-error: HCL syntax error: unterminated string; its build contexts were not used$/],
    ['invalid bake JSON', (dir: string) => fs.writeFileSync(path.join(dir, 'docker-bake.json'), '{"target": '), /^docker-bake\.json:1:1: warning input-error: not valid JSON \(.*\); its build contexts were not used$/],
    ['a bake FIFO', (dir: string) => spawnSync('mkfifo', [path.join(dir, 'docker-bake.hcl')]), /^docker-bake\.hcl:1:1: warning input-error: not a regular file \(a FIFO, device or socket\): not read; its build contexts were not used$/],
  ])('%s', async (_name, make, expected) => {
    const dir = fs.mkdtempSync(path.join(T, 'compose-'));
    fs.mkdirSync(path.join(dir, '.git'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM alpine:3.20\nUSER nobody\nCMD sleep infinity\n');
    make(dir);
    const r = await cli(['.', '-f', 'compact'], dir);
    expect(r.code).toBe(1);
    expect(compactLines(r.out)).toEqual([expect.stringMatching(/^Dockerfile:3:1: warning shell-form-pid1: /), expect.stringMatching(expected)]);
  });
});

test('a compose file that merges one anchor into 150 services is read (and gives the build context)', async () => {
  const dir = fs.mkdtempSync(path.join(T, 'compose-aliases-'));
  fs.mkdirSync(path.join(dir, '.git'));
  fs.mkdirSync(path.join(dir, 'app'));
  fs.writeFileSync(path.join(dir, 'app', 'Dockerfile'), 'FROM alpine:3.20\nCOPY start.sh /start.sh\nUSER nobody\nCMD ["/start.sh"]\n');
  fs.writeFileSync(path.join(dir, 'start.sh'), '#!/bin/sh\nexec sleep infinity\n', { mode: 0o755 });
  const services = Array.from({ length: 150 }, (_, i) => `  s${i}:\n    <<: *defaults\n    image: example/s${i}`).join('\n');
  fs.writeFileSync(path.join(dir, 'compose.yaml'), `x-defaults: &defaults\n  restart: always\nservices:\n  app:\n    build:\n      context: .\n      dockerfile: app/Dockerfile\n${services}\n`);
  const r = await cli(['.', '-f', 'compact'], dir);
  // The context is the repository root, where start.sh is: nothing to report, and no warning about the YAML.
  expect(compactLines(r.out)).toEqual([]);
  expect(r.code).toBe(0);
});

/** A billion-laughs YAML: ten levels of ten aliases. *//** A billion-laughs YAML: ten levels of ten aliases. */
function bomb(): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

describe('unreadable folders and ignore files are reported (file-system hook: EACCES)', () => {
  /** The disk, except that some paths cannot be listed or read. */
  function denying(denied: string[]): FileSystem {
    const disk = new DiskFileSystem();
    const deny = (p: string): void => {
      if (denied.includes(path.resolve(p))) throw new FsError('EACCES', 'EACCES');
    };
    return {
      stat: (p) => disk.stat(p),
      realpath: (p) => disk.realpath(p),
      readdir: (p) => (deny(p), disk.readdir(p)),
      readFile: (p, max) => (deny(p), disk.readFile(p, max)),
    };
  }

  test('a context folder that cannot be listed: said, and no "no COPY or ADD puts it" guess', async () => {
    write('deny/Dockerfile', 'FROM alpine:3.20\nCOPY bin/ /usr/local/bin/\nUSER nobody\nENTRYPOINT ["run.sh"]\n');
    write('deny/bin/run.sh', '#!/bin/sh\nexec "$@"\n', 0o755);
    const findings = await lintFile({ path: path.join(repo, 'deny', 'Dockerfile') }, { cwd: repo, shell, fs: denying([path.join(repo, 'deny', 'bin')]) });
    expect(findings.map((f) => `${f.file} ${f.severity} ${f.rule}: ${f.message}`)).toContainEqual(
      expect.stringMatching(/^deny\/bin warning input-error: cannot read this folder of the build context \(EACCES\)/),
    );
    expect(findings.map((f) => f.rule)).not.toContain('entrypoint-not-found');
  });

  test('while walking: an unreadable .gitignore and an unreadable folder are warnings, the rest is found', () => {
    write('deny-walk/.gitignore', 'Dockerfile.ignored\n');
    write('deny-walk/Dockerfile', GOOD);
    write('deny-walk/Dockerfile.ignored', GOOD);
    write('deny-walk/locked/Dockerfile', GOOD);
    write('deny-walk/open/Dockerfile', GOOD);
    const found = discover(['deny-walk'], repo, { fs: denying([path.join(repo, 'deny-walk', '.gitignore'), path.join(repo, 'deny-walk', 'locked')]) });
    // Nothing was taken as ignored (the .gitignore could not be read): Dockerfile.ignored is linted.
    expect(found.files.map((f) => path.relative(repo, f)).sort()).toEqual(['deny-walk/Dockerfile', 'deny-walk/Dockerfile.ignored', 'deny-walk/open/Dockerfile']);
    expect(found.problems.map((p) => `${p.severity} ${p.path}: ${p.message}`).sort()).toEqual([
      expect.stringMatching(/^warning deny-walk\/\.gitignore: .*EACCES.*; nothing in deny-walk was taken as ignored$/),
      expect.stringMatching(/^warning deny-walk\/locked: .*EACCES/),
    ]);
  });

  test('an unreadable .dockerignore: said', async () => {
    write('deny-ignore/Dockerfile', GOOD);
    write('deny-ignore/.dockerignore', '*.md\n');
    const findings = await lintFile({ path: path.join(repo, 'deny-ignore', 'Dockerfile') }, { cwd: repo, shell, fs: denying([path.join(repo, 'deny-ignore', '.dockerignore')]) });
    expect(findings.map((f) => `${f.file}: ${f.message}`)).toEqual([expect.stringMatching(/^deny-ignore\/\.dockerignore: \.dockerignore: cannot read it \(EACCES\); no file of the context was taken as excluded$/)]);
  });
});

describe('the FileSystem interface', () => {
  test('an overlay of unsaved buffers is linted instead of the disk, through the same jail', async () => {
    write('overlay/Dockerfile', GOOD);
    const overlay = new OverlayFileSystem(new DiskFileSystem(), [[path.join(repo, 'overlay', 'Dockerfile'), 'FROM alpine:3.20\nCMD sleep infinity\n']]);
    const findings = await lintFile({ path: path.join(repo, 'overlay', 'Dockerfile') }, { cwd: repo, shell, fs: overlay });
    expect(findings.map((f) => f.rule).sort()).toEqual(['root-process', 'shell-form-pid1']);
    // A buffer for a file that is not on disk yet, found by listing its folder.
    overlay.set(path.join(repo, 'overlay', 'entry.sh'), '#!/bin/sh\nsu app -c "$@"\n');
    overlay.set(path.join(repo, 'overlay', 'Dockerfile'), 'FROM alpine:3.20\nCOPY --chmod=755 entry.sh /entry.sh\nENTRYPOINT ["/entry.sh"]\n');
    const second = await lintFile({ path: path.join(repo, 'overlay', 'Dockerfile') }, { cwd: repo, shell, fs: overlay });
    expect(second.map((f) => f.rule)).toContain('su-sudo');
    expect(new Jail(repo, overlay).readText(path.join(repo, 'overlay', 'entry.sh'))).toMatch(/su app/);
  });
});

/**
 * The shipped entry point (bin/dockerlint.cjs, the bundle users run) on every trap at once, with
 * an explicit allow-list: each path it opens, or tries to open (a failed open counts), must be
 * inside one of the roots or be one of Node's own files or dockerlint's own. Two observers:
 *   - strace (open, openat, openat2, and execve: nothing but node is started), where installed;
 *   - everywhere, a preload hook (`node -r`) on the `node:fs` functions that open, read or list,
 *     which sees what JavaScript asks for (the bundle's libraries included), on the main thread.
 * The traps: the repository above (contexts from the configuration to /etc, `..` and a committed
 * symlink, compose through the symlink, FIFO Dockerfile and entrypoint, a 1.5 GB entrypoint, a
 * 600 MB .gitignore, an entrypoint linked to /dev/zero, a FIFO package.json and a configuration
 * above the root), and repositories beside it: an invalid package.json, a 50 MB package.json, a
 * YAML alias bomb, control characters and newlines in names and contents, the budget traps (ENV
 * doubling, 31 `&&`, a 17-`&&` sudo RUN). Run from the folder above them (a FIFO package.json
 * there) and from `/`, every format, GITHUB_ACTIONS=true, with worker threads; and explain.
 */
describe('the shipped entry point opens nothing outside the roots (strace, and a hook on node:fs)', () => {
  const bin = path.resolve('bin', 'dockerlint.cjs');
  const built = fs.existsSync(path.resolve('dist', 'dockerlint.cjs'));
  const hasStrace = spawnSync('strace', ['-V'], { encoding: 'utf8' }).status === 0;
  const PROJECT = path.resolve('.');
  let roots: string[];
  let hook: string;

  beforeAll(() => {
    const repoOf = (name: string, files: Record<string, string | Buffer>): string => {
      const dir = path.join(outer, name);
      fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
      for (const [rel, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), text, { mode: rel.endsWith('.sh') ? 0o755 : 0o644 });
      }
      return dir;
    };
    const doubling = ['FROM alpine:3.20', 'ENV A0=xy', ...Array.from({ length: 28 }, (_, i) => `ENV A${i + 1}=$A${i}$A${i}`), 'WORKDIR /$A28', 'CMD sleep 1', ''].join('\n');
    const and = (k: number, cmd: string): string => Array.from({ length: k }, () => cmd).join(' && ');
    const nasty = '\u001b[31m\u202e\u2066\u2028\u0085';
    roots = [
      repo,
      repoOf('hostile-pkg', { 'package.json': '{"name": ', Dockerfile: GOOD }),
      repoOf('hostile-pkg50', { Dockerfile: GOOD }),
      repoOf('hostile-bomb', { '.dockerlint.yaml': bomb(), 'compose.yaml': bomb(), Dockerfile: GOOD }),
      repoOf(`hostile-names\n::error::x${nasty}`, {
        Dockerfile: `FROM alpine:3.20\nCOPY run* /e.sh\nENTRYPOINT ["/e.sh"]\nCMD echo \\x0a::error::forged ${nasty}\n`,
        [`run\n::error::forged${nasty}.sh`]: `#!/bin/sh\n# ${nasty}\nsu app -c "$@"\n`,
      }),
      repoOf('hostile-budget', {
        Dockerfile: `FROM alpine:3.20\nRUN ${and(17, 'apk add x')} && sudo ls\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\n`,
        'Dockerfile.env': doubling,
        'e.sh': `#!/bin/sh\n${and(31, '[ -n "$X" ] || true')}\nsu app -c "$@"\n`,
      }),
    ];
    fs.writeFileSync(path.join(outer, 'hostile-pkg50', 'package.json'), '{}');
    fs.truncateSync(path.join(outer, 'hostile-pkg50', 'package.json'), 50 * 1024 * 1024);
    // The hook: a script that wraps every fs function that opens, reads or lists (logging its
    // first argument through the original appendFileSync) and then runs the script it is given.
    // Not a `node -r` preload: Node resolves a preload from the current folder and reads the
    // package.json there, which blocks on the FIFO this test leaves in the folder above the roots.
    hook = path.join(T, 'fs-hook.cjs');
    fs.writeFileSync(
      hook,
      [
        "const fs = require('node:fs');",
        'const log = process.env.DOCKERLINT_FS_HOOK_LOG;',
        'const append = fs.appendFileSync.bind(fs);',
        "const note = (p) => { if (typeof p === 'string' || Buffer.isBuffer(p) || p instanceof URL) append(log, JSON.stringify(p instanceof URL ? p.pathname : String(p)) + '\\n'); };",
        "for (const name of ['openSync', 'open', 'readFileSync', 'readFile', 'readdirSync', 'readdir', 'opendirSync', 'opendir', 'createReadStream']) {",
        '  const original = fs[name];',
        '  fs[name] = function (p, ...rest) { note(p); return original.call(this, p, ...rest); };',
        '}',
        "for (const name of ['open', 'readFile', 'readdir', 'opendir']) {",
        '  const original = fs.promises[name];',
        '  fs.promises[name] = function (p, ...rest) { note(p); return original.call(this, p, ...rest); };',
        '}',
        '// Then run the script named first, as if node had been given it.',
        'process.argv.splice(1, 2, process.argv[2]);',
        'require(process.argv[1]);',
        '',
      ].join('\n'),
    );
  });

  /** Node's own files and dockerlint's own: the explicit allow-list. Everything else outside the roots fails. */
  function allowed(p: string): boolean {
    const under = (dir: string): boolean => p === dir || p.startsWith(`${dir}${path.sep}`);
    if (roots.some(under)) return true;
    // The report files the command line names (-o).
    if (under(path.join(T, 'out'))) return true;
    // dockerlint's own files (the package: entry point, bundle, code cache, WebAssembly, its package.json).
    if (['bin', 'dist', 'wasm', 'node_modules'].some((d) => under(path.join(PROJECT, d))) || p === path.join(PROJECT, 'package.json')) return true;
    // Node itself and its shared libraries (the dynamic loader).
    if (p === process.execPath || p === fs.realpathSync(process.execPath) || p === '/etc/ld.so.cache' || p === '/etc/ld.so.preload') return true;
    if (/^\/(usr\/)?(local\/)?lib(64|x32)?\/.*\.so(\.[0-9]+)*$/.test(p)) return true;
    // OpenSSL's configuration and the CA certificates Node loads at start-up.
    if (under('/etc/ssl') || under('/usr/lib/ssl') || [process.env.NODE_EXTRA_CA_CERTS, process.env.SSL_CERT_FILE].includes(p)) return true;
    // The kernel's views of this process (memory, cgroup limits, CPUs, V8's overcommit check),
    // /dev/null and the entropy devices.
    if (/^\/proc\/(self|thread-self|\d+)\//.test(p) || ['/proc/meminfo', '/proc/stat', '/proc/cpuinfo', '/proc/sys/vm/overcommit_memory'].includes(p)) return true;
    if (under('/sys/fs/cgroup') || under('/sys/devices/system/cpu')) return true;
    if (['/dev/null', '/dev/urandom', '/dev/random'].includes(p)) return true;
    // Time zones (Date and Intl).
    return p === '/etc/localtime' || under('/usr/share/zoneinfo');
  }

  /** The bytes of a C string as strace prints it (`\\n`, `\\33`, `\\x1b`, `\\"`), as UTF-8 text. */
  function cString(text: string): string {
    const bytes: number[] = [];
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, a: 7, b: 8, e: 27, '\\': 92, '"': 34, "'": 39, '?': 63 };
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c !== '\\') {
        bytes.push(...Buffer.from(c, 'utf8'));
        continue;
      }
      const next = text[i + 1] ?? '';
      const hex = /^x([0-9a-fA-F]{1,2})/.exec(text.slice(i + 1));
      const oct = /^[0-7]{1,3}/.exec(text.slice(i + 1));
      if (hex) {
        bytes.push(parseInt(hex[1]!, 16));
        i += hex[0].length;
      } else if (oct) {
        bytes.push(parseInt(oct[0], 8));
        i += oct[0].length;
      } else {
        bytes.push(simple[next] ?? next.charCodeAt(0));
        i += 1;
      }
    }
    return Buffer.from(bytes).toString('utf8');
  }

  /** From a `strace -y` log: each path an open named (resolved against its folder) and the real path it opened. */
  function straceOpens(log: string): string[] {
    const out: string[] = [];
    for (const line of fs.readFileSync(log, 'utf8').split('\n')) {
      const m = /\bopen(?:at2?)?\((?:(?:AT_FDCWD|-?\d+)(?:<((?:[^>\\]|\\.)*)>)?, )?"((?:[^"\\]|\\.)*)"[^)]*\)\s*=\s*(-?\d+)(?:<((?:[^>\\]|\\.)*)>)?/.exec(line);
      if (!m) continue;
      const [, base, named, , real] = m;
      out.push(path.resolve(cString(base ?? '/'), cString(named ?? '')));
      if (real) out.push(cString(real));
    }
    return out;
  }

  /** Every format in one run: each to a file of its own under T/out/, stylish (with annotations) on stdout. */
  const allFormats = (): string[] => FORMATS.filter((f) => f !== 'stylish').flatMap((f) => ['-f', f, '-o', path.join(T, 'out', `report.${f}`)]).concat(['-f', 'stylish']);
  const runs: [string, string, string][] = [
    ['lint, every format, from the folder above the roots (a FIFO package.json there)', 'outer', 'lint'],
    ['lint, every format, from /', '/', 'lint'],
    ['explain (text) of a compose-escaping Dockerfile, explain (json) of the names repository', 'outer', 'explain'],
  ];

  (built ? test.each(runs) : test.skip.each(runs))('%s', (_name, from, what) => {
    const cwd = from === 'outer' ? outer : '/';
    const paths = roots.map((r) => (cwd === '/' ? r : path.relative(outer, r)));
    fs.mkdirSync(path.join(T, 'out'), { recursive: true });
    const commands: string[][] = what === 'explain' ? [['explain', path.join(paths[0]!, 'compose', 'Dockerfile')], ['explain', path.join(paths[4]!, 'Dockerfile'), '-f', 'json']] : [[...paths, ...allFormats()]];
    for (const command of commands) {
      const env = { ...process.env, GITHUB_ACTIONS: 'true', DOCKERLINT_WORKERS: '2', NO_COLOR: '1' };
      // The hook, always (worker threads off: the preload runs on the main thread).
      const hookLog = path.join(T, 'fs-hook.log');
      fs.writeFileSync(hookLog, '');
      const hooked = spawnSync(process.execPath, [hook, bin, ...command], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...env, DOCKERLINT_WORKERS: '0', DOCKERLINT_FS_HOOK_LOG: hookLog } });
      // Lint: exit 2 (the refused contexts are errors); explain: 0, or 2 when it cannot explain.
      const status = command[0] === 'explain' ? [0, 2] : [2];
      expect({ command, status: status.includes(hooked.status ?? -1) ? 'expected' : `${hooked.status ?? hooked.signal ?? hooked.error?.message}: ${hooked.stderr}` }).toEqual({ command, status: 'expected' });
      expect(hooked.stderr).not.toMatch(/internal error|\n\s+at /);
      const seen = fs.readFileSync(hookLog, 'utf8').split('\n').filter((l) => l !== '').map((l) => path.resolve(cwd, JSON.parse(l) as string));
      // The hook saw the run read (else it would prove nothing), and nothing it saw is outside.
      expect(seen.filter((p) => roots.some((r) => p.startsWith(`${r}${path.sep}`))).length).toBeGreaterThan(0);
      expect({ command, outside: [...new Set(seen.filter((p) => !allowed(p)))] }).toEqual({ command, outside: [] });
      expect(PASSWD_MARK.test(hooked.stdout + hooked.stderr)).toBe(false);
      if (!hasStrace) continue;
      const log = path.join(T, 'strace.log');
      const r = spawnSync('strace', ['-f', '-qq', '-y', '-e', 'trace=open,openat,openat2,execve', '-o', log, process.execPath, bin, ...command], { cwd, encoding: 'utf8', timeout: 180_000, env });
      expect({ command, status: r.status }).toEqual({ command, status: hooked.status });
      expect(r.stdout).toBe(hooked.stdout);
      const opened = straceOpens(log);
      expect(opened.filter((p) => roots.some((root) => p.startsWith(`${root}${path.sep}`))).length).toBeGreaterThan(0);
      expect({ command, outside: [...new Set(opened.filter((p) => !allowed(p)))] }).toEqual({ command, outside: [] });
      // Nothing is executed: the only program started is node itself.
      const execs = fs
        .readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => /\bexecve\(/.test(l) && !/= -1 /.test(l))
        .map((l) => /"([^"]*)"/.exec(l)?.[1]);
      expect(execs).toEqual([process.execPath]);
    }
  });

  (built ? test : test.skip)('the allow-list is not a blank cheque: a read of /etc/passwd or of a file beside the roots is caught', () => {
    const log = path.join(T, 'fs-hook-probe.log');
    fs.writeFileSync(log, '');
    const probe = path.join(T, 'probe.cjs');
    fs.writeFileSync(probe, `require('node:fs').readFileSync('/etc/passwd'); require('node:fs').readFileSync(${JSON.stringify(path.join(outer, 'hostetc', 'passwd'))});\n`);
    spawnSync(process.execPath, [hook, probe], { encoding: 'utf8', env: { ...process.env, DOCKERLINT_FS_HOOK_LOG: log } });
    const seen = [...new Set(fs.readFileSync(log, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as string))];
    expect(seen.filter((p) => !allowed(p))).toEqual([probe, '/etc/passwd', path.join(outer, 'hostetc', 'passwd')]);
    if (!hasStrace) return;
    const slog = path.join(T, 'strace-probe.log');
    spawnSync('strace', ['-f', '-qq', '-y', '-e', 'trace=open,openat,openat2', '-o', slog, 'cat', '/etc/hostname', path.join(repo, 'etclink', 'passwd')], { encoding: 'utf8' });
    const opened = straceOpens(slog).filter((p) => !allowed(p));
    expect(opened).toEqual(expect.arrayContaining(['/etc/hostname', path.join(outer, 'hostetc', 'passwd')]));
  });
});
