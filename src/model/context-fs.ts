/**
 * Read-only access to a build context that never leaves it: no absolute paths, no `..` escape,
 * no symlink whose target lies outside. Everything dockerlint reads of a context goes through
 * here, so this is the one place to audit.
 */
import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';

export type ContextEntry = { kind: 'file'; mode: number; size: number } | { kind: 'dir' } | null;

export class ContextFs {
  private readonly realRoot: string;
  private readonly listings = new Map<string, string[]>();

  constructor(readonly root: string) {
    let real = path.resolve(root);
    try {
      real = fs.realpathSync(real);
    } catch {
      // A missing context folder simply has no files.
    }
    this.realRoot = real;
  }

  /**
   * Normalises a context-relative path (`./a/../b` -> `b`, `` for the root). Returns null for
   * anything outside the context.
   */
  static normalize(rel: string): string | null {
    const n = path.posix.normalize(rel.replace(/\\/g, '/').replace(/^\/+/, ''));
    if (n === '.' || n === './' || n === '') return '';
    if (n === '..' || n.startsWith('../')) return null;
    return n.replace(/\/+$/, '');
  }

  /** Absolute path on disk for a normalised relative path, or null when it escapes via a link. */
  private resolveInside(rel: string): string | null {
    const n = ContextFs.normalize(rel);
    if (n === null) return null;
    const abs = path.join(this.realRoot, n);
    let real: string;
    try {
      real = fs.realpathSync(abs);
    } catch {
      return null;
    }
    if (real !== this.realRoot && !real.startsWith(this.realRoot + path.sep)) return null;
    return real;
  }

  /** Whether `rel` escapes the context (by `..` or through a symlink). */
  escapes(rel: string): boolean {
    const n = ContextFs.normalize(rel);
    if (n === null) return true;
    const abs = path.join(this.realRoot, n);
    try {
      const real = fs.realpathSync(abs);
      return real !== this.realRoot && !real.startsWith(this.realRoot + path.sep);
    } catch {
      return false;
    }
  }

  stat(rel: string): ContextEntry {
    const abs = this.resolveInside(rel);
    if (!abs) return null;
    try {
      const st = fs.statSync(abs);
      if (st.isDirectory()) return { kind: 'dir' };
      if (st.isFile()) return { kind: 'file', mode: st.mode, size: st.size };
    } catch {
      // unreadable: treated as absent
    }
    return null;
  }

  readText(rel: string): string {
    const abs = this.resolveInside(rel);
    if (!abs) throw new Error(`${rel} is outside the build context`);
    return fs.readFileSync(abs, 'utf8');
  }

  readBytes(rel: string): Buffer {
    const abs = this.resolveInside(rel);
    if (!abs) throw new Error(`${rel} is outside the build context`);
    return fs.readFileSync(abs);
  }

  /** Names in a folder of the context (sorted), empty when absent. */
  list(relDir: string): string[] {
    const n = ContextFs.normalize(relDir);
    if (n === null) return [];
    const cached = this.listings.get(n);
    if (cached) return cached;
    const abs = this.resolveInside(n);
    let names: string[] = [];
    if (abs) {
      try {
        names = fs.readdirSync(abs).sort();
      } catch {
        names = [];
      }
    }
    this.listings.set(n, names);
    return names;
  }

  /**
   * Context paths matching a COPY source pattern (Go filepath.Match syntax: `*`, `?`, `[...]`,
   * matching within one path segment). Only the folders the pattern needs are listed.
   */
  glob(pattern: string): string[] {
    const n = ContextFs.normalize(pattern);
    if (n === null) return [];
    if (!hasGlob(n)) return this.stat(n) ? [n] : [];
    const segments = n.split('/');
    let current = [''];
    for (const seg of segments) {
      const next: string[] = [];
      for (const dir of current) {
        if (!hasGlob(seg)) {
          const p = dir ? `${dir}/${seg}` : seg;
          if (this.stat(p)) next.push(p);
          continue;
        }
        const match = picomatch(seg, { dot: true });
        for (const name of this.list(dir)) {
          if (match(name)) next.push(dir ? `${dir}/${name}` : name);
        }
      }
      current = next;
    }
    return current.sort();
  }
}

export function hasGlob(p: string): boolean {
  return /[*?[]/.test(p);
}
