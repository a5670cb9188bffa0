/**
 * The file system dockerlint reads through: the disk, or an overlay of unsaved buffers over it
 * (an editor). Everything a run reads (Dockerfiles, scripts, ignore files, compose files,
 * configuration, package.json) goes through one `FileSystem`, and, above it, through a `Jail`
 * (`./jail.ts`) that keeps reads inside one root.
 *
 * The contract is small on purpose: stat, realpath, readdir and a bounded read of a regular file.
 * Nothing here follows a path outside what it is given, and `readFile` never blocks: it opens
 * regular files only (a FIFO, a device or a socket is refused before it is opened), checks the
 * size on the open descriptor and reads at most `maxBytes`.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface FileStat {
  kind: 'file' | 'dir' | 'other';
  /** Bytes (files). */
  size: number;
  /** Permission bits and file type, as in `fs.Stats.mode`. */
  mode: number;
}

export interface DirEntry {
  name: string;
  /** The entry itself, not what a symlink points to. */
  kind: 'file' | 'dir' | 'symlink' | 'other';
}

/**
 * Why a read failed: the `code` of the system error (`ENOENT`, `EACCES`, `ELOOP`, ...) or one of
 * dockerlint's: `ENOTREG` (a FIFO, device or socket), `EISDIR`, `EFBIG` (larger than the limit;
 * `size` says how large), `EOUTSIDE` (outside the jail).
 */
export class FsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly size?: number,
  ) {
    super(message);
  }

  static from(e: unknown): FsError {
    if (e instanceof FsError) return e;
    const code = (e as NodeJS.ErrnoException | null)?.code ?? 'EIO';
    return new FsError(code, code);
  }
}

export interface FileSystem {
  /** Follows symlinks. Null when nothing is there (ENOENT, ENOTDIR); throws FsError otherwise. */
  stat(p: string): FileStat | null;
  /** The path with every symlink resolved; null when it does not exist (or cannot be resolved). */
  realpath(p: string): string | null;
  /** The entries of a folder, sorted by name; throws FsError when it cannot be read. */
  readdir(p: string): DirEntry[];
  /**
   * The bytes of a regular file, at most `maxBytes`; throws FsError (`ENOTREG`, `EISDIR`,
   * `EFBIG`, `ENOENT`, `EACCES`, ...) otherwise. Never blocks on a FIFO, never opens a device.
   */
  readFile(p: string, maxBytes: number): Buffer;
}

const missing = (e: unknown): boolean => {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
};

function kindOf(st: fs.Stats | fs.Dirent): FileStat['kind'] {
  return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
}

/** A read-only view of the disk. */
export class DiskFileSystem implements FileSystem {
  stat(p: string): FileStat | null {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(p, { throwIfNoEntry: false });
    } catch (e) {
      if (missing(e)) return null;
      throw FsError.from(e);
    }
    return st ? { kind: kindOf(st), size: st.size, mode: st.mode } : null;
  }

  realpath(p: string): string | null {
    // Most paths asked about are absent (compose and ignore file names, PATH candidates): a
    // failed access() answers them without the exception a failed realpath throws (about 8x
    // dearer). Whatever access() cannot reach, realpath cannot resolve either.
    if (!fs.existsSync(p)) return null;
    try {
      return fs.realpathSync.native(p);
    } catch {
      return null;
    }
  }

  readdir(p: string): DirEntry[] {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(p, { withFileTypes: true });
    } catch (e) {
      throw FsError.from(e);
    }
    return entries
      .map((e): DirEntry => ({ name: e.name, kind: e.isSymbolicLink() ? 'symlink' : kindOf(e) }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  readFile(p: string, maxBytes: number): Buffer {
    // Refused before opening: opening a FIFO blocks (without O_NONBLOCK), opening a device can
    // have effects of its own.
    const before = this.stat(p);
    if (!before) throw new FsError('ENOENT', 'ENOENT');
    if (before.kind === 'dir') throw new FsError('EISDIR', 'is a folder');
    if (before.kind !== 'file') throw new FsError('ENOTREG', 'not a regular file (a FIFO, device or socket)');
    if (before.size > maxBytes) throw new FsError('EFBIG', 'too large', before.size);
    let fd: number;
    try {
      fd = fs.openSync(p, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0));
    } catch (e) {
      throw FsError.from(e);
    }
    try {
      // The path may have changed between stat and open: what counts is the open descriptor.
      const st = fs.fstatSync(fd);
      if (st.isDirectory()) throw new FsError('EISDIR', 'is a folder');
      if (!st.isFile()) throw new FsError('ENOTREG', 'not a regular file (a FIFO, device or socket)');
      if (st.size > maxBytes) throw new FsError('EFBIG', 'too large', st.size);
      // One byte more than allowed tells a file that grew past the limit from one that fits.
      const chunks: Buffer[] = [];
      let total = 0;
      let buf = Buffer.allocUnsafe(Math.min(st.size, maxBytes) + 1);
      for (;;) {
        const n = fs.readSync(fd, buf, 0, buf.length, null);
        if (n === 0) break;
        chunks.push(buf.subarray(0, n));
        total += n;
        if (total > maxBytes) throw new FsError('EFBIG', 'too large', total);
        if (n === buf.length) buf = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes - total + 1));
      }
      return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
    } catch (e) {
      throw FsError.from(e);
    } finally {
      fs.closeSync(fd);
    }
  }
}

/**
 * Unsaved buffers over another file system (an editor's open files): a buffer replaces the file
 * at its absolute path, or adds one. Folders come from the file system below (a buffer's folder
 * must exist there).
 */
export class OverlayFileSystem implements FileSystem {
  private readonly buffers = new Map<string, Buffer>();

  constructor(
    private readonly base: FileSystem,
    buffers: Iterable<[string, string | Buffer]> = [],
  ) {
    for (const [p, text] of buffers) this.set(p, text);
  }

  set(p: string, text: string | Buffer): void {
    this.buffers.set(path.resolve(p), typeof text === 'string' ? Buffer.from(text) : text);
  }

  delete(p: string): void {
    this.buffers.delete(path.resolve(p));
  }

  stat(p: string): FileStat | null {
    const b = this.buffers.get(path.resolve(p));
    if (b) return { kind: 'file', size: b.length, mode: this.base.stat(p)?.mode ?? 0o100644 };
    return this.base.stat(p);
  }

  realpath(p: string): string | null {
    const abs = path.resolve(p);
    if (this.buffers.has(abs)) {
      const dir = this.base.realpath(path.dirname(abs));
      return dir === null ? null : path.join(dir, path.basename(abs));
    }
    return this.base.realpath(abs);
  }

  readdir(p: string): DirEntry[] {
    const abs = path.resolve(p);
    const entries = this.base.readdir(abs);
    const names = new Set(entries.map((e) => e.name));
    for (const file of this.buffers.keys()) {
      if (path.dirname(file) === abs && !names.has(path.basename(file))) entries.push({ name: path.basename(file), kind: 'file' });
    }
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  readFile(p: string, maxBytes: number): Buffer {
    const b = this.buffers.get(path.resolve(p));
    if (!b) return this.base.readFile(p, maxBytes);
    if (b.length > maxBytes) throw new FsError('EFBIG', 'too large', b.length);
    return b;
  }
}

/** The disk, shared: it holds no state. */
export const diskFs: FileSystem = new DiskFileSystem();
