/**
 * The paths git tracks, read from the repository's index (`.git/index`) without running git:
 * a tracked file is never ignored by git, whatever `.gitignore` says, and discovery follows git
 * (Kong's `Dockerfile.deb` is tracked beside a `.gitignore` with `**` + `/*.deb`).
 *
 * The index is data from the repository, so it is read as such: within the jail, under a size
 * limit, every offset checked, and any surprise (another signature or version, a length that runs
 * past the end) gives up on the whole file, which leaves `.gitignore` as the only word.
 */
import path from 'node:path';
import type { Jail } from './jail.js';

/** A larger index (a monorepo of a million files) is not read: `.gitignore` alone decides there. */
const MAX_INDEX_BYTES = 64 * 1024 * 1024;

/** A name git never writes: absolute, with an empty, `.` or `..` part. */
const BAD_NAME = /^\/|\/\/|(^|\/)\.\.?(\/|$)/;

export interface TrackedPaths {
  /** Tracked files, relative to the repository root, with `/`. */
  files: ReadonlySet<string>;
  /** Every folder that holds a tracked file, at any depth (`a`, `a/b` for `a/b/c`). */
  dirs: ReadonlySet<string>;
}

/**
 * The tracked paths of the repository whose root is `root` (it holds `.git` as a folder), or null
 * when there is no index to read: no `.git` folder (a worktree's `.git` file points outside), an
 * index that is too large or not one git writes.
 */
export function trackedPaths(root: string, jail: Jail): TrackedPaths | null {
  const git = path.join(root, '.git');
  let data: Buffer;
  try {
    if (jail.stat(git)?.kind !== 'dir') return null;
    data = jail.readFile(path.join(git, 'index'), MAX_INDEX_BYTES);
  } catch {
    return null;
  }
  let config = '';
  try {
    config = jail.readText(path.join(git, 'config'), 1024 * 1024);
  } catch {
    // no config: SHA-1
  }
  const hashBytes = /^\s*objectformat\s*=\s*sha256\s*$/im.test(config) ? 32 : 20;
  const names = parseIndex(data, hashBytes);
  if (!names) return null;
  const files = new Set<string>();
  const dirs = new Set<string>();
  for (const name of names) {
    files.add(name);
    for (let i = name.lastIndexOf('/'); i > 0; i = name.lastIndexOf('/', i - 1)) {
      const dir = name.slice(0, i);
      if (dirs.has(dir)) break;
      dirs.add(dir);
    }
  }
  return { files, dirs };
}

/**
 * The path names of a git index (versions 2, 3 and 4; `hashBytes` 20 for SHA-1 repositories, 32
 * for SHA-256), in order; null when the bytes are not such an index. A sparse index's folder
 * entries are names too (their folders then count as tracked).
 */
export function parseIndex(data: Buffer, hashBytes = 20): string[] | null {
  if (data.length < 12 || data.toString('latin1', 0, 4) !== 'DIRC') return null;
  const version = data.readUInt32BE(4);
  if (version < 2 || version > 4) return null;
  const count = data.readUInt32BE(8);
  // Each entry takes at least 40 bytes of stat data, the hash and the flags.
  const fixed = 40 + hashBytes + 2;
  if (count > (data.length - 12) / fixed) return null;
  const names: string[] = [];
  let at = 12;
  let previous: Buffer = Buffer.alloc(0);
  for (let n = 0; n < count; n++) {
    const start = at;
    if (at + fixed > data.length) return null;
    const flags = data.readUInt16BE(at + 40 + hashBytes);
    at += fixed;
    if (flags & 0x4000) {
      if (version < 3 || at + 2 > data.length) return null;
      at += 2;
    }
    let name: Buffer;
    if (version === 4) {
      // The number of bytes to drop from the previous name (a varint), then the rest, NUL-ended.
      let drop = 0;
      let b: number;
      let shifts = 0;
      do {
        if (at >= data.length || shifts > 4) return null;
        b = data[at++] as number;
        drop = shifts === 0 ? b & 0x7f : ((drop + 1) << 7) | (b & 0x7f);
        shifts++;
      } while (b & 0x80);
      const end = data.indexOf(0, at);
      if (end < 0 || drop > previous.length) return null;
      name = Buffer.concat([previous.subarray(0, previous.length - drop), data.subarray(at, end)]);
      at = end + 1;
    } else {
      const end = data.indexOf(0, at);
      if (end < 0) return null;
      name = data.subarray(at, end);
      // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
      at = start + Math.ceil((end - start + 1) / 8) * 8;
      if (at > data.length) return null;
    }
    previous = name;
    const text = name.toString('utf8').replace(/\/$/, '');
    if (text === '' || BAD_NAME.test(text)) return null;
    names.push(text);
  }
  return names;
}
