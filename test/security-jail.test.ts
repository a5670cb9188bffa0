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
import { main, type CliIo } from '../src/cli.js';
import { lintFile } from '../src/engine.js';
import { DiskFileSystem, FsError, OverlayFileSystem, type FileSystem } from '../src/fs/file-system.js';
import { Jail, repositoryRoot } from '../src/fs/jail.js';
import { ShellService } from '../src/model/shell-service.js';
import { FORMATS } from '../src/reporters/index.js';

const { jest: J } = import.meta as unknown as { jest: typeof jest };

const PASSWD_MARK = /root:x:0:0/;
const shell = new ShellService();
let T: string;
let outer: string;
let repo: string;

function write(rel: string, text: string | Buffer, mode = 0o644): string {
  const p = path.join(repo, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text, { mode });
  return p;
}

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
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (s) => (out += s), stderr: (s) => (err += s), readStdin: async () => '', writeFile: () => undefined, isTTY: false, cwd, env };
  const code = await main(args, io);
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

/** A billion-laughs YAML: ten levels of ten aliases. */
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

describe('strace: the shipped entry point opens nothing outside the root', () => {
  const bin = path.resolve('bin', 'dockerlint.cjs');
  const strace = spawnSync('strace', ['-V'], { encoding: 'utf8' });
  const available = strace.status === 0 && fs.existsSync(path.resolve('dist', 'dockerlint.cjs'));
  /** The files a successful open(2) named in a strace log. */
  const openedIn = (log: string): string[] =>
    fs
      .readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => /\bopen(at2?)?\(/.test(l) && !/= -1 /.test(l))
      .map((l) => /"([^"]*)"/.exec(l)?.[1] ?? '')
      .filter((p) => p !== '');
  (available ? test : test.skip)('the whole trap repository, every format', () => {
    const log = path.join(T, 'strace.log');
    // What Node itself opens at start-up (the dynamic loader's cache, OpenSSL's configuration):
    // not dockerlint's doing.
    spawnSync('strace', ['-f', '-qq', '-e', 'trace=open,openat,openat2', '-o', log, process.execPath, '-e', '0'], { cwd: repo });
    const runtime = new Set(openedIn(log));
    for (const format of FORMATS) {
      const r = spawnSync('strace', ['-f', '-qq', '-e', 'trace=open,openat,openat2,execve', '-o', log, process.execPath, bin, '.', '-f', format], {
        cwd: repo,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, GITHUB_ACTIONS: 'true', DOCKERLINT_WORKERS: '2' },
      });
      expect({ format, status: r.status }).toEqual({ format, status: 2 });
      const calls = fs.readFileSync(log, 'utf8').split('\n');
      const opened = openedIn(log).filter((p) => !runtime.has(p) && forbidden(path.resolve(repo, p)));
      expect({ format, opened }).toEqual({ format, opened: [] });
      // Nothing is executed: the only program started is node itself.
      const execs = calls.filter((l) => /\bexecve\(/.test(l) && !/= -1 /.test(l)).map((l) => /"([^"]*)"/.exec(l)?.[1]);
      expect(execs.every((e) => e === process.execPath)).toBe(true);
      expect(PASSWD_MARK.test(r.stdout + r.stderr)).toBe(false);
    }
  });
});
