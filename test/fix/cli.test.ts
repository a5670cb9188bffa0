import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileIn, runCli } from '../helpers.js';

let dir: string;
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-fixcli-')));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (rel: string, text: string | Buffer, mode?: number): string => writeFileIn(dir, rel, text, mode);

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { code, out, err } = await runCli(args, { cwd: dir, env: {}, stdin: 'FROM alpine\nCMD ["sh"]\n' });
  return { code, out, err };
}

const GOOD = 'FROM alpine:3.20\nUSER nobody\nCMD ["sleep", "infinity"]\n';

describe('fix flags', () => {
  test('--fix on a clean project fixes nothing, writes nothing and exits 0', async () => {
    write('Dockerfile', GOOD);
    const r = await cli(['--fix']);
    expect(r).toMatchObject({ code: 0, out: '' });
    expect(r.err).toBe('nothing fixed\n');
    expect(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toBe(GOOD);
  });

  test('--fix-dry-run and its alias --diff print an empty diff when there is nothing to fix', async () => {
    write('Dockerfile', GOOD);
    for (const flag of ['--fix-dry-run', '--diff']) {
      const r = await cli([flag]);
      expect(r).toEqual({ code: 0, out: '', err: 'nothing to fix\n' });
    }
  });

  test.each([
    [['--unsafe-fixes'], '--unsafe-fixes and --fix-rule go with --fix or --fix-dry-run'],
    [['--fix-rule', 'shell-form-pid1'], '--unsafe-fixes and --fix-rule go with --fix or --fix-dry-run'],
    [['--fix', '--fix-rule', 'no-such-rule'], '--fix-rule no-such-rule: unknown rule; see dockerlint --list-rules'],
    [['--fix', '-'], '--fix and --fix-dry-run work on files, not on standard input'],
  ])('usage errors: %j', async (args, message) => {
    write('Dockerfile', GOOD);
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`dockerlint: ${message}\nRun dockerlint --help for usage.\n`);
  });

  test('the help lists the fix flags', async () => {
    const r = await cli(['--help']);
    for (const flag of ['--fix ', '--unsafe-fixes', '--fix-dry-run', '--diff', '--fix-rule']) expect(r.out).toContain(flag);
  });
});

describe('the engine reads fixed files from the overlay and says which files it read', () => {
  test('overlay bytes stand for the disk; filesRead has the real paths of the Dockerfile and its script', async () => {
    const { lintFile } = await import('../../src/engine.js');
    write('Dockerfile', 'FROM alpine\nCOPY --chmod=755 entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n');
    write('entrypoint.sh', '#!/bin/sh\nexec "$@"\n', 0o755);
    fs.symlinkSync('Dockerfile', path.join(dir, 'Dockerfile.link'));
    const filesRead = new Set<string>();
    const clean = await lintFile({ path: path.join(dir, 'Dockerfile.link') }, { cwd: dir, filesRead });
    expect(clean.filter((f) => f.rule === 'entrypoint-crlf')).toEqual([]);
    expect([...filesRead].sort()).toEqual([path.join(dir, 'Dockerfile'), path.join(dir, 'entrypoint.sh')]);
    const overlay = new Map([[path.join(dir, 'entrypoint.sh'), Buffer.from('#!/bin/sh\r\nexec "$@"\r\n')]]);
    const { OverlayFileSystem, diskFs } = await import('../../src/fs/file-system.js');
    const withOverlay = await lintFile({ path: path.join(dir, 'Dockerfile') }, { cwd: dir, fs: new OverlayFileSystem(diskFs, overlay) });
    expect(withOverlay.map((f) => f.rule)).toContain('entrypoint-crlf');
    expect(fs.readFileSync(path.join(dir, 'entrypoint.sh'), 'utf8')).toBe('#!/bin/sh\nexec "$@"\n');
  });
});
