/**
 * The files a fix may write, read and written back with care: only regular files inside the
 * repository root that the run read, valid UTF-8, written atomically (a temporary file in the same
 * folder, then a rename) with their mode, byte order mark, newline style and final newline kept.
 */
import { isUtf8 } from 'node:buffer';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { applyEdits, keepFinalNewline, newlineOf, type Edit } from './edits.js';
import { stripBom } from '../text.js';

/** A file as a fix sees it. `text` is the content after the byte order mark. */
export interface FixFile {
  /** The real path (symbolic links resolved: the file written is the one they point to). */
  path: string;
  bom: boolean;
  text: string;
  mode: number;
}

export type Loaded = { ok: true; file: FixFile } | { ok: false; reason: string };

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** The real path of a folder or file, or null when it does not exist. */
export function realPathOf(p: string): string | null {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return null;
  }
}

/**
 * Reads a file for fixing. Refuses (with the reason) a file outside `root` (after following
 * symbolic links), anything but a regular file, and bytes that are not UTF-8 text.
 */
export function loadFixFile(file: string, root: string): Loaded {
  const realRoot = realPathOf(root);
  if (!realRoot) return { ok: false, reason: `the repository root ${root} does not exist` };
  if (!path.isAbsolute(file)) return { ok: false, reason: 'not an absolute path' };
  const real = realPathOf(file);
  if (!real) return { ok: false, reason: 'the file does not exist' };
  if (!inside(realRoot, real)) return { ok: false, reason: `outside the repository root ${realRoot}` };
  let fd: number;
  try {
    fd = fs.openSync(real, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  } catch (e) {
    return { ok: false, reason: `cannot open it: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { ok: false, reason: 'not a regular file' };
    const bytes = fs.readFileSync(fd);
    if (bytes.subarray(0, 8000).includes(0)) return { ok: false, reason: 'a binary file' };
    if (!isUtf8(bytes)) return { ok: false, reason: 'not valid UTF-8: rewriting it would change its bytes' };
    const { text, bom } = stripBom(bytes.toString('utf8'));
    return { ok: true, file: { path: real, bom, text, mode: st.mode & 0o7777 } };
  } finally {
    fs.closeSync(fd);
  }
}

/** Loads a file from bytes held in memory (an overlay of files fixed in an earlier pass). */
export function fixFileFromBytes(file: FixFile, bytes: Buffer): FixFile {
  const { text, bom } = stripBom(bytes.toString('utf8'));
  return { ...file, bom, text };
}

/** The file with the edits applied: newline style and final newline kept, BOM kept unless removed. */
export function editFile(file: FixFile, edits: readonly Edit[]): FixFile {
  const eol = newlineOf(file.text);
  const { text, removeBom } = applyEdits(file.text, edits, eol);
  return { ...file, bom: file.bom && !removeBom, text: keepFinalNewline(file.text, text) };
}

export function bytesOf(file: FixFile): Buffer {
  return Buffer.from(file.bom ? `\uFEFF${file.text}` : file.text, 'utf8');
}

/**
 * Writes a file atomically: the bytes go to a new file beside it (same folder, so the rename
 * cannot cross file systems), which gets the original's mode and is then renamed over it. A
 * reader sees the old content or the new one, never half of either; on any failure the original
 * is untouched and the temporary file removed.
 */
export function writeAtomic(realPath: string, bytes: Buffer, mode: number): void {
  const dir = path.dirname(realPath);
  const tmp = path.join(dir, `.${path.basename(realPath)}.dockerlint-${process.pid}-${crypto.randomBytes(4).toString('hex')}.tmp`);
  let fd: number | null = null;
  try {
    fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
    fs.writeFileSync(fd, bytes);
    fs.fchmodSync(fd, mode);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(tmp, realPath);
  } catch (e) {
    if (fd !== null) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
