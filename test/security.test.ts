/**
 * Safety: dockerlint reads nothing outside a Dockerfile's build context, and never sends terminal
 * control characters from linted files to the terminal.
 *
 * A build context sits next to a "secret" outside it, with one Dockerfile per trap (each ends in
 * an ENTRYPOINT that makes dockerlint want to read the trapped file as a script):
 *   COPY ../secret.txt, COPY /etc/passwd, a symlink to the secret (copied by name, by glob and
 *   with the whole folder), a symlinked folder pointing outside, a script that sources a file
 *   copied from outside, and a `<Dockerfile>.dockerignore` / `.dockerignore` symlinked outside.
 * fs is spied on (the same default `node:fs` object the source imports) and every path it is
 * asked to open is checked; the secret's text must not appear in any finding.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../src/cli.js';
import { lintFile } from '../src/engine.js';
import type { Finding } from '../src/findings.js';
import { ShellService } from '../src/model/shell-service.js';
import { FORMATS } from '../src/reporters/index.js';
import { MemoryIo, runCli, writeFileIn } from './helpers.js';

// In ESM, jest's object is on import.meta (no global); its type is @types/jest's.
const { jest: J } = import.meta as unknown as { jest: typeof jest };

const SECRET_TEXT = 'SECRET_TOKEN_4f1d9c';
/** Looks like an entrypoint, so a linter that read it would quote it (`ends with ...`). */
const SECRET_SCRIPT = `#!/bin/sh\n${SECRET_TEXT}_cmd "$@"\n`;
const PASSWD_MARK = /root:x?:0:0/;

let top: string;
let ctx: string;
let secretFile: string;
let secretDir: string;
const shell = new ShellService();

const write = (rel: string, text: string | Buffer, mode?: number): string => writeFileIn(ctx, rel, text, mode);

const TRAPS: Record<string, string> = {
  'Dockerfile.parent': 'FROM alpine:3.20\nCOPY ../secret.txt /x.sh\nENTRYPOINT ["/x.sh"]\n',
  'Dockerfile.parent-dir': 'FROM alpine:3.20\nCOPY ../outside/ /opt/\nENTRYPOINT ["/opt/run.sh"]\n',
  'Dockerfile.parent-glob': 'FROM alpine:3.20\nCOPY ../*.txt /usr/local/bin/\nENTRYPOINT ["secret.txt"]\n',
  'Dockerfile.absolute': 'FROM alpine:3.20\nCOPY /etc/passwd /y.sh\nENTRYPOINT ["/y.sh"]\n',
  'Dockerfile.absolute-secret': `ARG SECRET=PLACEHOLDER\nFROM alpine:3.20\nARG SECRET\nCOPY ${'$'}{SECRET}/secret.txt /z.sh\nENTRYPOINT ["/z.sh"]\n`,
  'Dockerfile.symlink': 'FROM alpine:3.20\nCOPY entry.sh /entry.sh\nENTRYPOINT ["/entry.sh"]\n',
  'Dockerfile.symlink-glob': 'FROM alpine:3.20\nCOPY *.sh /usr/local/bin/\nENTRYPOINT ["entry.sh"]\n',
  'Dockerfile.symlink-all': 'FROM alpine:3.20\nCOPY . /app/\nENTRYPOINT ["/app/entry.sh"]\n',
  'Dockerfile.symlink-dir': 'FROM alpine:3.20\nCOPY linkdir/ /opt/\nENTRYPOINT ["/opt/run.sh"]\n',
  'Dockerfile.symlink-dir-file': 'FROM alpine:3.20\nCOPY linkdir/run.sh /run.sh\nENTRYPOINT ["tini", "--", "/run.sh"]\n',
  'Dockerfile.source': 'FROM alpine:3.20\nCOPY ../secret.txt /lib.sh\nCOPY lib-link.sh /lib2.sh\nCOPY --chmod=755 sources.sh /usr/local/bin/\nENTRYPOINT ["sources.sh"]\n',
  'Dockerfile.dotdot-dest': 'FROM alpine:3.20\nWORKDIR /a/b\nCOPY ./../../secret.txt ./x.sh\nCOPY sub/../../secret.txt /w.sh\nENTRYPOINT ["sh", "/w.sh"]\n',
};
/** In a context of their own: `.dockerignore` and `<Dockerfile>.dockerignore` symlinked to the secret. */
const IGNORE_TRAPS = ['Dockerfile', 'Dockerfile.own'];
const IGNORE_DOCKERFILE = 'FROM alpine:3.20\nCOPY --chmod=755 ok.sh /ok.sh\nENTRYPOINT ["/ok.sh"]\n';
let ignoreCtx: string;

beforeAll(() => {
  top = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-security-')));
  ctx = path.join(top, 'ctx');
  secretFile = path.join(top, 'secret.txt');
  secretDir = path.join(top, 'outside');
  fs.writeFileSync(secretFile, SECRET_SCRIPT);
  fs.mkdirSync(path.join(secretDir), { recursive: true });
  fs.writeFileSync(path.join(secretDir, 'run.sh'), SECRET_SCRIPT, { mode: 0o755 });
  fs.mkdirSync(ctx);
  for (const [name, text] of Object.entries(TRAPS)) write(name, text.replace('PLACEHOLDER', top));
  fs.symlinkSync('../secret.txt', path.join(ctx, 'entry.sh'));
  fs.symlinkSync('../outside', path.join(ctx, 'linkdir'));
  fs.symlinkSync('../secret.txt', path.join(ctx, 'lib-link.sh'));
  fs.symlinkSync(secretFile, path.join(ctx, 'abs-link.sh'));
  write('sources.sh', '#!/bin/sh\n. /lib.sh\n. /lib2.sh\nexec "$@"\n', 0o755);
  write('ok.sh', '#!/bin/sh\nexec "$@"\n', 0o755);
  // .dockerignore files are read from the context too: symlinked outside, they must not be followed.
  ignoreCtx = path.join(top, 'ctx-ignore');
  fs.mkdirSync(ignoreCtx);
  for (const name of IGNORE_TRAPS) fs.writeFileSync(path.join(ignoreCtx, name), IGNORE_DOCKERFILE);
  fs.writeFileSync(path.join(ignoreCtx, 'ok.sh'), '#!/bin/sh\nexec "$@"\n', { mode: 0o755 });
  fs.symlinkSync('../secret.txt', path.join(ignoreCtx, '.dockerignore'));
  fs.symlinkSync('../outside/run.sh', path.join(ignoreCtx, 'Dockerfile.own.dockerignore'));
});
afterAll(() => fs.rmSync(top, { recursive: true, force: true }));

/** Whether a path given to fs names something outside the context that must stay unread. */
function forbidden(p: unknown): boolean {
  if (typeof p !== 'string' && !Buffer.isBuffer(p) && !(p instanceof URL)) return false;
  const s = p instanceof URL ? p.pathname : String(p);
  const abs = path.resolve(s);
  if (abs === secretFile || abs === '/etc/passwd' || abs === secretDir || abs.startsWith(secretDir + path.sep)) return true;
  // A path inside the context that resolves outside it (a symlink) is as bad.
  try {
    const real = fs.realpathSync.native(abs);
    return real === secretFile || real === '/etc/passwd' || real.startsWith(secretDir + path.sep);
  } catch {
    return false;
  }
}

/** Records every path the fs functions that read or open are called with, while `fn` runs. */
async function watchingFs<T>(fn: () => Promise<T>): Promise<{ result: T; opened: string[] }> {
  const opened: string[] = [];
  const note = (p: unknown): void => {
    if (forbidden(p)) opened.push(String(p));
  };
  const spies = [
    J.spyOn(fs, 'readFileSync').mockName('readFileSync'),
    J.spyOn(fs, 'openSync').mockName('openSync'),
    J.spyOn(fs, 'readFile').mockName('readFile'),
    J.spyOn(fs, 'open').mockName('open'),
    J.spyOn(fs, 'createReadStream').mockName('createReadStream'),
    J.spyOn(fs.promises, 'readFile').mockName('promises.readFile'),
    J.spyOn(fs.promises, 'open').mockName('promises.open'),
    J.spyOn(fs, 'opendirSync').mockName('opendirSync'),
    J.spyOn(fs, 'readdirSync').mockName('readdirSync'),
  ];
  try {
    const result = await fn();
    for (const spy of spies) for (const call of spy.mock.calls as unknown[][]) note(call[0]);
    return { result, opened };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

function leaks(text: string): boolean {
  return text.includes(SECRET_TEXT) || PASSWD_MARK.test(text);
}

describe('nothing outside the build context is read', () => {
  test('the spies see the source reading files (sanity check of the ESM spy)', async () => {
    // Every read goes through one reader, which opens with fs.openSync.
    const spy = J.spyOn(fs, 'openSync');
    try {
      await lintFile({ path: path.join(ctx, 'Dockerfile.source') }, { cwd: ctx, shell });
      const read = spy.mock.calls.map((c) => String(c[0]));
      expect(read).toContain(path.join(ctx, 'Dockerfile.source'));
      expect(read).toContain(path.join(ctx, 'sources.sh'));
    } finally {
      spy.mockRestore();
    }
  });

  for (const name of Object.keys(TRAPS)) {
    test(`${name}: the secret is never opened and never quoted`, async () => {
      const { result: findings, opened } = await watchingFs(() => lintFile({ path: path.join(ctx, name) }, { cwd: ctx, shell }));
      expect(opened).toEqual([]);
      const text = JSON.stringify(findings);
      expect(leaks(text)).toBe(false);
      // No finding points at a file outside the context.
      for (const f of findings as Finding[]) {
        for (const file of [f.file, ...f.related.map((r) => r.file)]) {
          expect(path.resolve(ctx, file).startsWith(ctx + path.sep) || path.resolve(ctx, file) === ctx).toBe(true);
        }
      }
    });
  }

  // BUG (src/model/context-fs.ts loadDockerignore, uncommitted work at the time of writing): the
  // `.dockerignore` and `<Dockerfile>.dockerignore` files are read with fs.statSync/readFileSync
  // on their path in the context, following a symlink to anywhere (here ../secret.txt and
  // ../outside/run.sh). They should go through the same realpath check as every other context
  // read. Fixed: they go through a realpath check (inside the context, or beside the Dockerfile).
  for (const name of IGNORE_TRAPS) {
    test(`${name} with its .dockerignore symlinked outside: not followed`, async () => {
      const { result: findings, opened } = await watchingFs(() => lintFile({ path: path.join(ignoreCtx, name) }, { cwd: ignoreCtx, shell }));
      expect(opened).toEqual([]);
      expect(leaks(JSON.stringify(findings))).toBe(false);
    });
  }

  // FOUND: discovery keeps Dockerfile-named symlinks (discovery.ts walk: e.isSymbolicLink()) and
  // lintFile reads them wherever they point, so `Dockerfile -> ../secret` in a linted folder is
  // read and quoted (`/bin/sh -c "echo SECRET..."`). Docker resolves a Dockerfile symlink inside
  // the context only. A policy call for the lead (an explicit `dockerlint ../x/Dockerfile` is
  // fine; a symlink met while walking a folder is the trap). Fixed: a symlink met while walking
  // is kept only when it resolves inside the folder being walked.
  test('a Dockerfile-named symlink to a file outside the linted folder is not read', async () => {
    const repo = path.join(top, 'repo-with-link');
    fs.mkdirSync(repo, { recursive: true });
    fs.writeFileSync(path.join(top, 'outside.Dockerfile'), `FROM alpine\nCMD echo ${SECRET_TEXT}\n`);
    fs.symlinkSync('../outside.Dockerfile', path.join(repo, 'Dockerfile'));
    const io = new MemoryIo({ cwd: repo });
    const { opened } = await watchingFs(() => main(['.', '--format', 'json'], io));
    expect(leaks(io.all)).toBe(false);
    expect(opened.filter((p) => fs.realpathSync(path.resolve(repo, p)) === path.join(top, 'outside.Dockerfile'))).toEqual([]);
  });

  test('the whole context through the CLI, every format: nothing opened outside, nothing leaked', async () => {
    for (const format of FORMATS) {
      const io = new MemoryIo({ cwd: ctx });
      const { result: code, opened } = await watchingFs(() => main(['.', '--format', format], io));
      expect({ format, opened }).toEqual({ format, opened: [] });
      expect({ format, leaked: leaks(io.out + io.err) }).toEqual({ format, leaked: false });
      expect([0, 1, 2]).toContain(code);
    }
  });
});

describe('terminal control characters in file names and lines are escaped', () => {
  const ESC = '\u001b';
  let dir: string;
  beforeAll(() => {
    dir = path.join(top, 'ansi');
    const evil = `evil${ESC}[31m${ESC}]0;title${String.fromCharCode(7)}`;
    const sub = path.join(dir, `ctx-${evil}`);
    // `[` is a glob character in COPY sources, so the script's name carries ESC and BEL only.
    const script = `evil${ESC}]0;title${String.fromCharCode(7)}`;
    fs.mkdirSync(sub, { recursive: true });
    // A Dockerfile whose own name, whose script's name and whose script's lines carry ESC.
    fs.writeFileSync(path.join(sub, `Dockerfile.${evil}`), `FROM alpine:3.20\nCOPY --chmod=755 run-${script}.sh /usr/local/bin/run.sh\nENTRYPOINT ["run.sh"]\nCMD ["server"]\n`);
    fs.writeFileSync(path.join(sub, `run-${script}.sh`), `#!/bin/sh\necho "${ESC}[2J${ESC}[H"\ngosu app "$@" # ${ESC}[31mred\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(sub, 'Dockerfile'), `FROM alpine:3.20\nRUN sudo echo "${ESC}[31m"\nCMD sleep ${ESC}[2J\n`);
    // An unreadable-as-text file with ESC in its name (binary) and a dangling symlink.
    fs.writeFileSync(path.join(sub, `bin-${evil}.Dockerfile`), Buffer.from([0, 1, 2, 27, 91, 51, 49, 109]));
    fs.symlinkSync(path.join(sub, 'missing'), path.join(sub, `Dockerfile.dangling-${evil}`));
  });

  async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    return runCli(args, { cwd: dir, stdin: `FROM alpine\nCMD echo ${ESC}[31m\n` });
  }

  test.each(FORMATS.map((f) => [f]))('--format %s prints no raw ESC (or BEL)', async (format) => {
    const r = await run(['.', '--format', format, '--no-color']);
    expect(r.out.length).toBeGreaterThan(0);
    expect(r.out).not.toContain(ESC);
    expect(r.err).not.toContain(ESC);
    expect(r.out).not.toContain(String.fromCharCode(7));
    // The names did reach the output (escaped), including the script's: gosu without exec there.
    expect(r.out).toMatch(/ctx-evil(\\x1b|\\u001b|\\\\x1b|&#27;|%1B|\\u001B)/i);
    expect(r.out).toMatch(/run-evil/);
    expect(r.out).toMatch(/gosu-without-exec/);
  });

  test('paths given on the command line, missing files and stdin are escaped too', async () => {
    const r = await run([`no-such-${ESC}[31m`, '-', `ctx-evil${ESC}[31m${ESC}]0;title${String.fromCharCode(7)}`]);
    expect(r.err + r.out).not.toContain(ESC);
    expect(r.err).toMatch(/no-such-\\x1b\[31m/);
  });
});
