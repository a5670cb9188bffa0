/**
 * No input can forge output: control characters, DEL, C1, BiDi controls and line separators in
 * file names, folder names and file contents are escaped in every field of every format (and in
 * `explain`); nothing starts a new line, so a newline in a name can never start a `::error`
 * workflow command, in `--format github` or in the annotations printed under GITHUB_ACTIONS=true.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { escapeControl, escapeJson } from '../src/reporters/escape.js';
import { FORMATS } from '../src/reporters/index.js';
import { runCli } from './helpers.js';

const FORGED = '::error file=forged,line=1::forged annotation';
/** Every character class that must never reach the output raw. */
const RAW_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const NASTY = ['\u001b[31m', '\u0007', '\u007f', '\u0085', '\u009b', '\u202e', '\u2066', '\u2069', '\u2028', '\u2029', '\u200f', '\r'].join('');

let dir: string;

beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-output-')));
  fs.mkdirSync(path.join(dir, '.git'));
  // A folder whose name holds a newline and a workflow command, with a Dockerfile that has
  // findings (root-process, shell-form-pid1, su-sudo in its script).
  const evilDir = path.join(dir, `svc\n${FORGED}`);
  fs.mkdirSync(evilDir);
  const script = `run\n${FORGED}${NASTY}.sh`;
  // A COPY source cannot hold a newline in a Dockerfile, so the script is copied by glob.
  fs.writeFileSync(path.join(evilDir, script), `#!/bin/sh\n# ${NASTY}\nsu app -c "$@ ${NASTY}"\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(evilDir, 'Dockerfile'), `FROM alpine:3.20\nCOPY run* /usr/local/bin/entry.sh\nENTRYPOINT ["entry.sh"]\nCMD echo ${NASTY} \\x0a${FORGED}\n`);
  // A Dockerfile whose own name holds a newline, BiDi controls and a command.
  fs.writeFileSync(path.join(dir, `Dockerfile.x\u202e\n${FORGED}`), `FROM alpine:3.20\nRUN sudo echo "\\x0a${FORGED}${NASTY}"\nCMD ["sh", "-c", "echo \\n${FORGED}"]\n`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const { code, out, err } = await runCli(args, { cwd: dir, env: env });
  return { code, out, err };
}

/** Lines that GitHub Actions would run as workflow commands (leading whitespace is trimmed). */
function commandLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((l) => l.trimStart().startsWith('::'));
}

describe('every format, with and without GITHUB_ACTIONS=true', () => {
  test.each(FORMATS.flatMap((f) => [[f, 'true'], [f, '']]))('--format %s (GITHUB_ACTIONS=%s): nothing raw, no forged line', async (format, actions) => {
    const r = await cli(['.', '-f', format], actions ? { GITHUB_ACTIONS: actions } : {});
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/su-sudo/);
    expect(r.out).toMatch(/sudo-in-run/);
    expect(RAW_UNSAFE.exec(r.out + r.err)).toBeNull();
    const json = JSON.parse((await cli(['.', '-f', 'json'])).out) as unknown[];
    const commands = commandLines(r.out);
    if (format === 'github' || (format === 'stylish' && actions)) {
      // One annotation per finding (stylish is followed by the annotations under Actions), each a
      // real dockerlint command: `::error file=...,line=N,...::...`, never the forged one.
      expect(commands).toHaveLength(json.length);
      for (const c of commands) expect(c).toMatch(/^::(error|warning|notice) (file=[^,:]*,)?line=\d+.*title=dockerlint \([a-z0-9-]+\)::/);
    } else {
      expect(commands).toEqual([]);
    }
    if (format === 'compact') expect(r.out.trim().split('\n')).toHaveLength(json.length);
    if (format === 'json' || format === 'sarif' || format === 'gitlab') expect(() => JSON.parse(r.out)).not.toThrow();
    if (format === 'checkstyle') {
      const parser = new SaxesParser();
      let error: Error | null = null;
      parser.on('error', (e) => (error = e));
      parser.write(r.out).close();
      expect(error).toBeNull();
    }
  });

  test('the names still reach the output, escaped', async () => {
    const r = await cli(['.', '-f', 'compact']);
    expect(r.out).toContain('svc\\x0a::error file=forged');
    expect(r.out).toContain('Dockerfile.x\\u202e\\x0a::error');
  });
});

describe('explain', () => {
  test.each(['text', 'json', 'mermaid'].flatMap((f) => [[f, 'true'], [f, '']]))('--format %s (GITHUB_ACTIONS=%s), both hostile Dockerfiles: nothing raw, no line of its own', async (format, actions) => {
    const file = fs.readdirSync(dir).find((n) => n.startsWith('Dockerfile.x')) as string;
    for (const target of [file, `svc\n${FORGED}/Dockerfile`]) {
      const r = await cli(['explain', target, '-f', format], actions ? { GITHUB_ACTIONS: actions } : {});
      expect({ target, code: r.code }).toEqual({ target, code: 0 });
      expect(RAW_UNSAFE.exec(r.out + r.err)).toBeNull();
      expect(commandLines(r.out + r.err)).toEqual([]);
      if (format === 'json') expect(() => JSON.parse(r.out)).not.toThrow();
      // The hostile text did reach the output (escaped): the explanation is of these files.
      expect(r.out).toMatch(format === 'mermaid' ? /forged/ : /::error file=forged/);
    }
  });

  test('the text \\x0a in a Dockerfile stays text, a real newline in argv is escaped', async () => {
    const file = fs.readdirSync(dir).find((n) => n.startsWith('Dockerfile.x')) as string;
    // The newline in the JSON string of CMD is escaped (inside the JSON of argv: `\\x0a`).
    const text = (await cli(['explain', file])).out;
    expect(text).toContain('"echo \\\\x0a::error file=forged');
    // The text `\x0a` of a shell-form CMD stays those four characters.
    const evil = (await cli(['explain', `svc\n${FORGED}/Dockerfile`])).out;
    expect(evil).toMatch(/echo [^\n]* \\x0a::error file=forged/);
    expect(RAW_UNSAFE.exec(evil)).toBeNull();
    expect(commandLines(evil)).toEqual([]);
  });
});

describe('the escapes themselves', () => {
  test('escapeControl: C0 (tab, LF, CR too), DEL, C1, BiDi, separators; nothing else', () => {
    expect(escapeControl('a\tb\nc\rd\u0000\u001b\u007f\u0085\u009f')).toBe('a\\x09b\\x0ac\\x0dd\\x00\\x1b\\x7f\\x85\\x9f');
    expect(escapeControl('\u202a\u202e\u2066\u2069\u2028\u2029\u200e\u200f\u061c')).toBe('\\u202a\\u202e\\u2066\\u2069\\u2028\\u2029\\u200e\\u200f\\u061c');
    expect(escapeControl('héllo 日本 😀 \u00a0 \u2027 \u202f')).toBe('héllo 日本 😀 \u00a0 \u2027 \u202f');
  });

  test('escapeJson: the same JSON value, no raw DEL, C1, BiDi or separator', () => {
    const value = { s: `x\u2028y\u202e\u007f\u0085z\n` };
    const text = escapeJson(JSON.stringify(value));
    expect(RAW_UNSAFE.exec(text)).toBeNull();
    expect(JSON.parse(text)).toEqual(value);
  });
});
