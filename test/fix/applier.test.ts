import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyEdits, bomEdit, chooseFixes, keepFinalNewline, newlineOf, type Edit, type Fix, type FixCandidate } from '../../src/fix/edits.js';
import { bytesOf, editFile, loadFixFile, writeAtomic } from '../../src/fix/files.js';
import { runFixLoop, writeChanged, type LintPassResult } from '../../src/fix/run.js';
import { unifiedDiff } from '../../src/fix/diff.js';
import type { Finding, FindingFix } from '../../src/findings.js';
import { writeFileIn } from '../helpers.js';

let dir: string;
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-fix-')));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (rel: string, text: string | Buffer, mode?: number): string => writeFileIn(dir, rel, text, mode);

const edit = (file: string, start: number, end: number, text: string): Edit => ({ file, start, end, text });
const cand = (rule: string, edits: Edit[], safety: Fix['safety'] = 'safe'): FixCandidate => ({ rule, fix: { safety, title: rule, edits } });

describe('chooseFixes', () => {
  test('overlapping and touching fixes wait for the next pass; disjoint ones go together', () => {
    const a = cand('a', [edit('/f', 0, 5, 'x')]);
    const overlaps = cand('b', [edit('/f', 3, 8, 'y')]);
    const touches = cand('c', [edit('/f', 5, 6, 'z')]);
    const disjoint = cand('d', [edit('/f', 7, 9, 'w')]);
    const otherFile = cand('e', [edit('/g', 0, 5, 'v')]);
    const { chosen, deferred } = chooseFixes([a, overlaps, touches, disjoint, otherFile]);
    expect(chosen.map((c) => c.rule)).toEqual(['a', 'd', 'e']);
    expect(deferred.map((c) => c.rule)).toEqual(['b', 'c']);
  });

  test('two insertions at one place conflict; a fix across two files is taken whole or not at all', () => {
    const ins1 = cand('i1', [edit('/f', 4, 4, 'a')]);
    const ins2 = cand('i2', [edit('/f', 4, 4, 'b')]);
    const cross = cand('x', [edit('/g', 0, 1, 'q'), edit('/f', 3, 4, 'r')]);
    const { chosen, deferred } = chooseFixes([ins1, ins2, cross]);
    expect(chosen.map((c) => c.rule)).toEqual(['i1']);
    expect(deferred.map((c) => c.rule)).toEqual(['i2', 'x']);
  });

  test('the same fix offered twice (one script, two Dockerfiles) is applied once', () => {
    const one = cand('r', [edit('/f', 0, 1, 'x')]);
    const again = cand('r', [edit('/f', 0, 1, 'x')]);
    const { chosen, deferred } = chooseFixes([one, again]);
    expect(chosen).toHaveLength(1);
    expect(deferred).toHaveLength(0);
  });

  test('a fix whose own edits overlap, or with a reversed range, is invalid', () => {
    const self = cand('s', [edit('/f', 0, 4, 'x'), edit('/f', 2, 6, 'y')]);
    const reversed = cand('r', [edit('/f', 5, 2, 'x')]);
    const empty = cand('e', []);
    const { chosen, invalid } = chooseFixes([self, reversed, empty]);
    expect(chosen).toHaveLength(0);
    expect(invalid.map((i) => i.reason)).toEqual(['two edits of the fix overlap', 'reversed or broken range 5-2', 'the fix has no edits']);
  });
});

describe('applyEdits', () => {
  test('applies edits from the end so that offsets stay valid', () => {
    expect(applyEdits('CMD a b', [edit('/f', 4, 5, '"a"'), edit('/f', 6, 7, '"b"'), edit('/f', 4, 4, '[')]).text).toBe('CMD ["a" "b"');
  });

  test('inserted newlines follow a CRLF file; the byte order mark is removed only by its edit', () => {
    expect(applyEdits('a\r\nb\r\n', [edit('/f', 3, 3, 'x\ny\n')], '\r\n').text).toBe('a\r\nx\r\ny\r\nb\r\n');
    expect(applyEdits('ab', [bomEdit('/f')])).toEqual({ text: 'ab', removeBom: true });
    expect(() => applyEdits('ab', [edit('/f', 1, 9, '')])).toThrow(/past the end/);
  });

  test('newlineOf takes the most common line end', () => {
    expect(newlineOf('a\r\nb\r\nc\n')).toBe('\r\n');
    expect(newlineOf('a\nb\r\nc\n')).toBe('\n');
    expect(newlineOf('no newline')).toBe('\n');
  });

  test('the final newline stays as it was', () => {
    expect(keepFinalNewline('a\n', 'b')).toBe('b\n');
    expect(keepFinalNewline('a\r\n', 'b')).toBe('b\r\n');
    expect(keepFinalNewline('a', 'b\n')).toBe('b');
    expect(keepFinalNewline('a', 'b\nc')).toBe('b\nc');
    expect(keepFinalNewline('a\n', 'b\n')).toBe('b\n');
  });
});

describe('files', () => {
  test('refuses a file outside the root, through a symbolic link too, a folder, and bytes that are not UTF-8', () => {
    const outsideDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-out-')));
    try {
      const outside = path.join(outsideDir, 'entrypoint.sh');
      fs.writeFileSync(outside, '#!/bin/sh\n');
      const root = path.join(dir, 'repo');
      fs.mkdirSync(root);
      fs.symlinkSync(outside, path.join(root, 'link.sh'));
      expect(loadFixFile(outside, root)).toEqual({ ok: false, reason: `outside the repository root ${root}` });
      expect(loadFixFile(path.join(root, 'link.sh'), root)).toEqual({ ok: false, reason: `outside the repository root ${root}` });
      expect(loadFixFile(path.join(root, '..', 'repo2', 'x'), root)).toMatchObject({ ok: false });
      fs.mkdirSync(path.join(root, 'sub'));
      expect(loadFixFile(path.join(root, 'sub'), root)).toEqual({ ok: false, reason: 'not a regular file' });
      const latin1 = path.join(root, 'latin1.sh');
      fs.writeFileSync(latin1, Buffer.from([0x23, 0x21, 0x2f, 0x62, 0x69, 0x6e, 0x2f, 0x73, 0x68, 0x0a, 0x65, 0x63, 0x68, 0x6f, 0x20, 0xe9, 0x0a]));
      expect(loadFixFile(latin1, root)).toEqual({ ok: false, reason: 'not valid UTF-8: rewriting it would change its bytes' });
      expect(loadFixFile('relative/path', root)).toEqual({ ok: false, reason: 'not an absolute path' });
    } finally {
      fs.rmSync(outsideDir, { recursive: true, force: true });
    }
  });

  test('a symbolic link inside the root is fixed in the file it points to, and stays a link', () => {
    const target = write('scripts/real.sh', 'echo hi\n', 0o755);
    fs.symlinkSync('scripts/real.sh', path.join(dir, 'link.sh'));
    const loaded = loadFixFile(path.join(dir, 'link.sh'), dir);
    if (!loaded.ok) throw new Error(loaded.reason);
    expect(loaded.file.path).toBe(target);
    const fixed = editFile(loaded.file, [edit(target, 0, 0, 'exec ')]);
    writeAtomic(fixed.path, bytesOf(fixed), fixed.mode);
    expect(fs.lstatSync(path.join(dir, 'link.sh')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe('exec echo hi\n');
  });

  test('keeps a BOM, CRLF line ends and a missing final newline; removes the BOM only when asked', () => {
    const p = write('x.sh', '\uFEFFecho a\r\necho b');
    const loaded = loadFixFile(p, dir);
    if (!loaded.ok) throw new Error(loaded.reason);
    expect(loaded.file).toMatchObject({ bom: true, text: 'echo a\r\necho b' });
    const fixed = editFile(loaded.file, [edit(p, 8, 8, 'exec ')]);
    expect(bytesOf(fixed).toString('utf8')).toBe('\uFEFFecho a\r\nexec echo b');
    const inserted = editFile(loaded.file, [edit(p, 8, 8, 'set -e\n')]);
    expect(bytesOf(inserted).toString('utf8')).toBe('\uFEFFecho a\r\nset -e\r\necho b');
    const noBom = editFile(loaded.file, [bomEdit(p)]);
    expect(bytesOf(noBom).toString('utf8')).toBe('echo a\r\necho b');
  });

  test('an atomic write keeps the mode (0755), replaces the file by a rename and leaves no temporary file', () => {
    const p = write('entrypoint.sh', 'old\n', 0o755);
    const hardLink = path.join(dir, 'old-inode');
    fs.linkSync(p, hardLink);
    writeAtomic(p, Buffer.from('new\n'), 0o755);
    expect(fs.readFileSync(p, 'utf8')).toBe('new\n');
    expect(fs.statSync(p).mode & 0o7777).toBe(0o755);
    // The old inode was never written to: the new content arrived by rename.
    expect(fs.readFileSync(hardLink, 'utf8')).toBe('old\n');
    expect(fs.readdirSync(dir).sort()).toEqual(['entrypoint.sh', 'old-inode']);
  });

  test('a write that fails leaves the original and no temporary file behind', () => {
    const target = path.join(dir, 'busy');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'inside'), 'x');
    expect(() => writeAtomic(target, Buffer.from('new'), 0o644)).toThrow();
    expect(fs.readdirSync(dir)).toEqual(['busy']);
    expect(fs.readFileSync(path.join(target, 'inside'), 'utf8')).toBe('x');
  });

  test('writeChanged leaves a file that changed on disk since it was read', () => {
    const p = write('Dockerfile', 'edited by someone\n');
    const out = writeChanged([{ path: p, before: Buffer.from('as read\n'), after: Buffer.from('fixed\n'), mode: 0o644 }]);
    expect(out.written).toEqual([]);
    expect(out.failed[0]?.reason).toMatch(/changed on disk/);
    expect(fs.readFileSync(p, 'utf8')).toBe('edited by someone\n');
  });
});

/**
 * A stand-in for the linter: a finding for each lower-case `todo` (fixed to `TODO`), and for each
 * `a`, a fix that replaces the `a` and the character after it with `b` (so neighbouring ones
 * overlap and take several passes).
 */
function fakeLint(files: string[], opts: { unsafe?: boolean; outside?: string } = {}): (overlay: ReadonlyMap<string, Buffer>) => Promise<LintPassResult> {
  return async (overlay) => {
    const findings: Finding[] = [];
    for (const file of files) {
      const raw = (overlay.get(file) ?? fs.readFileSync(file)).toString('utf8');
      const text = raw.replace(/^\uFEFF/, '');
      const fixOf = (start: number, end: number, to: string, rule: string): FindingFix => ({
        safety: opts.unsafe ? 'unsafe' : 'safe',
        title: `${rule} fix`,
        edits: [{ file: opts.outside ?? file, shown: 'Dockerfile', start, end, text: to, span: { line: 1, column: 1, endLine: 1, endColumn: 1 } }],
      });
      for (const m of text.matchAll(/todo/g)) {
        findings.push({ rule: 'todo', severity: 'warning', message: 'todo', hint: null, file, line: 1, column: 1, endLine: 1, endColumn: 1, related: [], fix: fixOf(m.index, m.index + 4, 'TODO', 'todo') });
      }
      for (const m of text.matchAll(/a/g)) {
        findings.push({ rule: 'ab', severity: 'warning', message: 'a', hint: null, file, line: 1, column: 1, endLine: 1, endColumn: 1, related: [], fix: fixOf(m.index, m.index + 1, 'b', 'ab') });
      }
    }
    return { findings, filesRead: new Set(files) };
  };
}

describe('runFixLoop', () => {
  test('applies what does not overlap, re-lints, and stops when nothing is left', async () => {
    const p = write('Dockerfile', 'todo todo\n');
    const result = await runFixLoop({ root: dir, unsafe: false, rules: null, lint: fakeLint([p]) });
    expect(result.converged).toBe(true);
    expect(result.passes).toBe(1);
    expect(result.applied.map((a) => a.rule)).toEqual(['todo', 'todo']);
    expect(result.changed.map((c) => c.after.toString())).toEqual(['TODO TODO\n']);
    expect(result.findings).toEqual([]);
    // Nothing is written by the loop itself.
    expect(fs.readFileSync(p, 'utf8')).toBe('todo todo\n');
  });

  test('touching fixes take several passes; the pass cap stops the loop and says so', async () => {
    const p = write('Dockerfile', 'aaaa');
    const all = await runFixLoop({ root: dir, unsafe: false, rules: null, lint: fakeLint([p]) });
    expect(all.changed[0]?.after.toString()).toBe('bbbb');
    expect(all.passes).toBe(2);
    expect(all.converged).toBe(true);
    const capped = await runFixLoop({ root: dir, unsafe: false, rules: null, maxPasses: 1, lint: fakeLint([p]) });
    expect(capped.converged).toBe(false);
    expect(capped.changed[0]?.after.toString()).toBe('baba');
    expect(capped.findings).toHaveLength(2);
  });

  test('unsafe fixes only with unsafe; rule selection; a file outside the root or not read is refused', async () => {
    const p = write('Dockerfile', 'todo\n');
    const noUnsafe = await runFixLoop({ root: dir, unsafe: false, rules: null, lint: fakeLint([p], { unsafe: true }) });
    expect(noUnsafe.applied).toEqual([]);
    expect(noUnsafe.findings).toHaveLength(1);
    const withUnsafe = await runFixLoop({ root: dir, unsafe: true, rules: null, lint: fakeLint([p], { unsafe: true }) });
    expect(withUnsafe.applied.map((a) => a.safety)).toEqual(['unsafe']);
    const otherRule = await runFixLoop({ root: dir, unsafe: false, rules: new Set(['ab']), lint: fakeLint([p]) });
    expect(otherRule.applied).toEqual([]);

    const notRead = write('other.sh', 'todo\n');
    const refused = await runFixLoop({ root: dir, unsafe: false, rules: null, lint: fakeLint([p], { outside: notRead }) });
    expect(refused.applied).toEqual([]);
    expect(refused.refused[0]?.reason).toBe(`${notRead} was not read by this run`);

    const sub = path.join(dir, 'repo');
    fs.mkdirSync(sub);
    const outside = await runFixLoop({ root: sub, unsafe: false, rules: null, lint: fakeLint([p]) });
    expect(outside.applied).toEqual([]);
    expect(outside.refused[0]?.reason).toBe(`${p}: outside the repository root ${sub}`);
  });

  test('a CRLF file with a BOM and no final newline keeps all three through the loop; mode 0755 is kept on write', async () => {
    const p = write('entrypoint.sh', Buffer.from('\uFEFFtodo\r\naa', 'utf8'), 0o755);
    const result = await runFixLoop({ root: dir, unsafe: false, rules: null, lint: fakeLint([p]) });
    expect(result.changed[0]?.after.toString('utf8')).toBe('\uFEFFTODO\r\nbb');
    expect(writeChanged(result.changed).written).toEqual([p]);
    expect(fs.readFileSync(p, 'utf8')).toBe('\uFEFFTODO\r\nbb');
    expect(fs.statSync(p).mode & 0o7777).toBe(0o755);
  });

  test('fixes that undo each other stop instead of looping', async () => {
    const p = write('Dockerfile', 'x');
    let flip = 0;
    const lint = async (overlay: ReadonlyMap<string, Buffer>): Promise<LintPassResult> => {
      const text = (overlay.get(p) ?? fs.readFileSync(p)).toString();
      flip++;
      const to = text === 'x' ? 'y' : 'x';
      const fix: FindingFix = { safety: 'safe', title: 'flip', edits: [{ file: p, shown: 'Dockerfile', start: 0, end: 1, text: to, span: { line: 1, column: 1, endLine: 1, endColumn: 2 } }] };
      return { findings: [{ rule: 'flip', severity: 'info', message: 'flip', hint: null, file: p, line: 1, column: 1, endLine: 1, endColumn: 2, related: [], fix }], filesRead: new Set([p]) };
    };
    const result = await runFixLoop({ root: dir, unsafe: false, rules: null, lint });
    expect(result.passes).toBeLessThan(4);
    expect(flip).toBeLessThan(5);
  });
});

describe('unifiedDiff', () => {
  test('a unified diff with paths relative to the current folder, CRs and control characters shown', () => {
    const p = path.join(dir, 'entrypoint.sh');
    const text = unifiedDiff(
      [{ path: p, before: Buffer.from('#!/bin/sh\r\necho \x1b[31m\r\nexec "$@"\r\n'), after: Buffer.from('#!/bin/sh\necho \x1b[31m\nexec "$@"\n'), mode: 0o755 }],
      dir,
    );
    expect(text).toBe(
      [
        '--- a/entrypoint.sh',
        '+++ b/entrypoint.sh',
        '@@ -1,3 +1,3 @@',
        '-#!/bin/sh\\r',
        '-echo \\x1b[31m\\r',
        '-exec "$@"\\r',
        '+#!/bin/sh',
        '+echo \\x1b[31m',
        '+exec "$@"',
        '',
      ].join('\n'),
    );
  });

  test('tabs stay tabs', () => {
    const p = path.join(dir, 'Dockerfile');
    const text = unifiedDiff([{ path: p, before: Buffer.from('RUN set -e; \\\n\tapk add x\n'), after: Buffer.from('RUN set -e; \\\n\tapk add --no-cache x\n'), mode: 0o644 }], dir);
    expect(text).toContain('-\tapk add x\n+\tapk add --no-cache x\n');
  });

  test('a diff that `patch` applies for plain text, with the no-newline marker', () => {
    const p = path.join(dir, 'Dockerfile');
    const text = unifiedDiff([{ path: p, before: Buffer.from('FROM a\nCMD x'), after: Buffer.from('FROM a\nCMD ["x"]'), mode: 0o644 }], dir);
    expect(text).toBe(['--- a/Dockerfile', '+++ b/Dockerfile', '@@ -1,2 +1,2 @@', ' FROM a', '-CMD x', '\\ No newline at end of file', '+CMD ["x"]', '\\ No newline at end of file', ''].join('\n'));
  });
});
