/**
 * Read-only access to a build context that never leaves it: no absolute paths, no `..` escape,
 * no symlink whose target lies outside. Everything dockerlint reads of a context goes through
 * here, so this is the one place to audit.
 */
import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import ignore, { type Ignore } from 'ignore';

export type ContextEntry = { kind: 'file'; mode: number; size: number } | { kind: 'dir' } | null;

export class ContextFs {
  private readonly realRoot: string;
  private readonly listings = new Map<string, string[]>();
  private readonly excluded: Ignore | null;
  /** The .dockerignore file in force (context-relative name), if any. */
  readonly dockerignore: string | null;
  /** Paths a COPY would have matched, had .dockerignore not excluded them. */
  readonly ignoredHits = new Set<string>();

  /**
   * @param dockerfileName the Dockerfile's name: `<name>.dockerignore` next to it wins over the
   *   context's `.dockerignore`, as BuildKit does.
   */
  constructor(
    readonly root: string,
    dockerfilePath: string | null = null,
  ) {
    let real = path.resolve(root);
    try {
      real = fs.realpathSync.native(real);
    } catch {
      // A missing context folder simply has no files.
    }
    this.realRoot = real;
    const loaded = loadDockerignore(real, dockerfilePath);
    this.excluded = loaded?.matcher ?? null;
    this.dockerignore = loaded?.name ?? null;
  }

  /** Whether .dockerignore keeps a context path out of the build context. */
  isIgnored(rel: string): boolean {
    if (!this.excluded || rel === '') return false;
    return this.excluded.ignores(rel);
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
      real = fs.realpathSync.native(abs);
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
      const real = fs.realpathSync.native(abs);
      return real !== this.realRoot && !real.startsWith(this.realRoot + path.sep);
    } catch {
      return false;
    }
  }

  /** Whether anything at all is at `rel` in the checkout (a file, a folder, a link), inside or not. */
  present(rel: string): boolean {
    const n = ContextFs.normalize(rel);
    return n === null || n === '' || this.listed(n);
  }

  private readonly stats = new Map<string, ContextEntry>();

  stat(rel: string): ContextEntry {
    const cached = this.stats.get(rel);
    if (cached !== undefined) return cached;
    const entry = this.statUncached(rel);
    this.stats.set(rel, entry);
    return entry;
  }

  private statUncached(rel: string): ContextEntry {
    const n = ContextFs.normalize(rel);
    if (n !== null && this.isIgnored(n)) {
      this.ignoredHits.add(n);
      return null;
    }
    // Absent paths (most lookups: PATH entries, guessed names) are answered from the cached
    // listings of their folders, without a syscall or a thrown ENOENT.
    if (n === null || !this.listed(n)) return null;
    const abs = this.resolveInside(n);
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

  private readonly listingSets = new Map<string, Set<string>>();

  /** Whether every segment of a normalised path appears in its folder's listing. */
  private listed(n: string): boolean {
    if (n === '') return true;
    const slash = n.lastIndexOf('/');
    const dir = slash < 0 ? '' : n.slice(0, slash);
    if (dir !== '' && !this.listed(dir)) return false;
    let names = this.listingSets.get(dir);
    if (!names) {
      names = new Set(this.list(dir));
      this.listingSets.set(dir, names);
    }
    return names.has(n.slice(slash + 1));
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
          const p = dir ? `${dir}/${name}` : name;
          if (!match(name)) continue;
          if (this.isIgnored(p)) this.ignoredHits.add(p);
          else next.push(p);
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

/**
 * `.dockerignore` rules as gitignore rules anchored at the context root (Docker matches each
 * pattern against the whole path from the root, `**` for any number of folders, `!` to re-include).
 */
function loadDockerignore(root: string, dockerfilePath: string | null): { matcher: Ignore; name: string } | null {
  const candidates: { file: string; name: string }[] = [];
  if (dockerfilePath) {
    const own = `${dockerfilePath}.dockerignore`;
    candidates.push({ file: own, name: path.relative(root, own).split(path.sep).join('/') });
  }
  candidates.push({ file: path.join(root, '.dockerignore'), name: '.dockerignore' });
  for (const c of candidates) {
    let text: string;
    try {
      // Read only what stays inside the context, or beside the Dockerfile: never through a
      // symlink that leads elsewhere.
      const real = fs.realpathSync.native(c.file);
      const allowed = [root, dockerfilePath ? fs.realpathSync.native(path.dirname(dockerfilePath)) : null].filter((d): d is string => d !== null);
      if (!allowed.some((d) => real === path.join(d, path.basename(real)) || real.startsWith(d + path.sep))) continue;
      const st = fs.statSync(real);
      if (!st.isFile() || st.size > 1024 * 1024) continue;
      text = fs.readFileSync(real, 'utf8');
    } catch {
      continue;
    }
    const rules = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => {
        const negate = l.startsWith('!');
        let p = negate ? l.slice(1).trim() : l;
        p = path.posix.normalize(p.replace(/^(\.\/)+/, '').replace(/^\/+/, ''));
        return `${negate ? '!' : ''}/${p}`;
      });
    return { matcher: ignore().add(rules), name: c.name };
  }
  return null;
}
