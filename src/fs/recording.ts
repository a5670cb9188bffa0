/**
 * A file system that records every call a lint makes, with a digest of the answer: what a
 * result depends on, for `--cache` (`../cache.ts`). `observe` runs a recorded call again.
 */
import { createHash } from 'node:crypto';
import { FsError, type DirEntry, type FileStat, type FileSystem } from './file-system.js';

/** Every call a lint made on its file system: `op\0arg\0path` -> digest of the answer. */
export type ReadLog = Map<string, string>;

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('base64');

function statDigest(s: FileStat | null): string {
  if (!s) return '-';
  return s.kind === 'file' ? `f:${s.size}:${s.mode}` : `${s.kind}:${s.mode}`;
}

const errorDigest = (e: unknown): string => `E:${FsError.from(e).code}`;

/** The digest of a folder's entries, as a `readdir` call records it. */
export const listingDigest = (entries: readonly DirEntry[]): string => `d:${sha256(entries.map((e) => `${e.kind}:${e.name}`).join('\0'))}`;

/** Runs one recorded call again and returns the digest of its answer. */
export function observe(key: string, fsys: FileSystem): string {
  const [op, arg, p] = key.split('\0') as [string, string, string];
  try {
    switch (op) {
      case 's':
        return statDigest(fsys.stat(p));
      case 'r':
        return `r:${fsys.realpath(p) ?? '-'}`;
      case 'd':
        return listingDigest(fsys.readdir(p));
      case 'f':
        return `f:${sha256(fsys.readFile(p, Number(arg)))}`;
      default:
        return '?';
    }
  } catch (e) {
    return errorDigest(e);
  }
}

/** A file system that logs each call and a digest of its answer into `log`. */
export class RecordingFileSystem implements FileSystem {
  constructor(
    private readonly inner: FileSystem,
    readonly log: ReadLog,
  ) {}

  private record<T>(key: string, run: () => T, digest: (value: T) => string): T {
    let value: T;
    try {
      value = run();
    } catch (e) {
      this.log.set(key, errorDigest(e));
      throw e;
    }
    this.log.set(key, digest(value));
    return value;
  }

  stat(p: string): FileStat | null {
    return this.record(`s\0\0${p}`, () => this.inner.stat(p), statDigest);
  }

  realpath(p: string): string | null {
    return this.record(`r\0\0${p}`, () => this.inner.realpath(p), (v) => `r:${v ?? '-'}`);
  }

  readdir(p: string): DirEntry[] {
    return this.record(`d\0\0${p}`, () => this.inner.readdir(p), listingDigest);
  }

  readFile(p: string, maxBytes: number): Buffer {
    return this.record(`f\0${maxBytes}\0${p}`, () => this.inner.readFile(p, maxBytes), (v) => `f:${sha256(v)}`);
  }
}

