/**
 * The jail: one root folder for everything a run reads. It is the repository of the linted path
 * (the nearest folder upwards that holds `.git`, found without running git), or the linted folder
 * when there is none, or `--root`. A path is inside when its real path (every symlink resolved)
 * is the root or below it; reads of anything else are refused with `EOUTSIDE`, so a build
 * context, a compose file or a configuration cannot make dockerlint open a host file.
 */
import path from 'node:path';
import { DEFAULT_MAX_FILE_BYTES, formatSize } from '../config/schema.js';
import { diskFs, FsError, type DirEntry, type FileStat, type FileSystem } from './file-system.js';
import { stripBom } from '../text.js';

export class Jail {
  /** The root's real path. */
  readonly root: string;

  constructor(
    root: string,
    readonly fs: FileSystem = diskFs,
    /** The largest file any read may return (`maxFileSize`, `--max-file-size`). */
    readonly maxFileBytes: number = DEFAULT_MAX_FILE_BYTES,
  ) {
    const abs = path.resolve(root);
    this.root = fs.realpath(abs) ?? abs;
  }

  /** The jail of a linted path (file or folder): `explicitRoot`, else its repository, else its folder. */
  static of(linted: string, options: { fs?: FileSystem; root?: string | null; maxFileBytes?: number } = {}): Jail {
    const fsys = options.fs ?? diskFs;
    const root = options.root ? path.resolve(options.root) : repositoryRoot(linted, fsys);
    return new Jail(root, fsys, options.maxFileBytes);
  }

  /** A jail with the same root over another limit. */
  withLimit(maxFileBytes: number): Jail {
    return maxFileBytes === this.maxFileBytes ? this : new Jail(this.root, this.fs, maxFileBytes);
  }

  /** The file system's answers to `realpath`, by path, for this jail's life. */
  private readonly reals = new Map<string, string | null>();

  /**
   * The file system's `realpath` of an absolute path, asked once per path: a jail lives for one
   * lint (or one discovery walk), and a lint asks about the same folders many times (every
   * compose and ignore file name in a folder resolves the folder; a context file is resolved
   * before it is stat'ed and again when it is read). The file system sees the first call of each
   * path, so a recording file system logs the same paths.
   */
  real(abs: string): string | null {
    let r = this.reals.get(abs);
    if (r === undefined) {
      r = this.fs.realpath(abs);
      this.reals.set(abs, r);
    }
    return r;
  }

  /**
   * The real path of `p` (absolute, or relative to the root), resolving symlinks as far as the
   * path exists; an absent tail is appended as written (normalised).
   */
  realpath(p: string): string {
    const abs = path.resolve(this.root, p);
    let existing = abs;
    const tail: string[] = [];
    for (;;) {
      const real = this.real(existing);
      if (real !== null) return tail.length ? path.join(real, ...tail.reverse()) : real;
      const parent = path.dirname(existing);
      if (parent === existing) return abs;
      tail.push(path.basename(existing));
      existing = parent;
    }
  }

  /** Whether `p` (its real path) is the root or inside it. */
  contains(p: string): boolean {
    return isWithin(this.realpath(p), this.root);
  }

  private check(p: string): string {
    const real = this.realpath(p);
    if (!isWithin(real, this.root)) throw new FsError('EOUTSIDE', `outside the root ${this.root}`);
    return real;
  }

  /** A regular file inside the jail, at most `maxBytes` (default: the jail's limit). */
  readFile(p: string, maxBytes = this.maxFileBytes): Buffer {
    return this.fs.readFile(this.check(p), maxBytes);
  }

  /** `readFile` decoded as UTF-8, without a leading byte order mark. */
  readText(p: string, maxBytes = this.maxFileBytes): string {
    return stripBom(this.readFile(p, maxBytes).toString('utf8')).text;
  }

  readdir(p: string): DirEntry[] {
    return this.fs.readdir(this.check(p));
  }

  /** `readdir`, with the folder's real path. */
  readdirReal(p: string): { entries: DirEntry[]; real: string } {
    const real = this.check(p);
    return { entries: this.fs.readdir(real), real };
  }

  /** Null for what is absent or outside the jail. */
  stat(p: string): FileStat | null {
    const real = this.realpath(p);
    return isWithin(real, this.root) ? this.fs.stat(real) : null;
  }
}

export function isWithin(p: string, root: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * The repository a path belongs to: the nearest folder upwards (from the path itself when it is a
 * folder, else from its folder) that holds a `.git` folder or file (a worktree's), without running
 * git; the starting folder when there is none.
 */
export function repositoryRoot(linted: string, fsys: FileSystem = diskFs): string {
  const abs = path.resolve(linted);
  let start = abs;
  try {
    if (fsys.stat(abs)?.kind !== 'dir') start = path.dirname(abs);
  } catch {
    start = path.dirname(abs);
  }
  for (let dir = start; ; dir = path.dirname(dir)) {
    let marker: FileStat | null = null;
    try {
      marker = fsys.stat(path.join(dir, '.git'));
    } catch {
      marker = null;
    }
    if (marker && marker.kind !== 'other') return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

/** Why a read failed, for a finding. `limit`: the size limit in force, to say it. */
export function describeFsError(e: unknown, limit?: number, limitText?: (size: number) => string): string {
  const err = FsError.from(e);
  switch (err.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'ENOTREG':
      return 'not a regular file (a FIFO, device or socket): not read';
    case 'EFBIG':
      if (limitText && err.size !== undefined) return limitText(err.size);
      return err.size !== undefined && limit !== undefined
        ? `file is ${formatSize(err.size)}, larger than the ${formatSize(limit)} limit (maxFileSize in the configuration, or --max-file-size): not read`
        : 'larger than the file size limit: not read';
    case 'EOUTSIDE':
      return `${err.message}: not read`;
    default:
      return `cannot read it (${err.code})`;
  }
}
