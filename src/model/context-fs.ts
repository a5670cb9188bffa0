/**
 * Read-only access to a build context that never leaves it: no absolute paths, no `..` escape,
 * no symlink whose target lies outside. Everything dockerlint reads of a context goes through
 * here, over the run's jail (`../fs/jail.ts`: its file system and its size limit), so this is the
 * one place to audit. A folder or an ignore file that cannot be read is recorded in `problems`,
 * never silently taken for absent.
 */
import path from 'node:path';
import picomatch from 'picomatch';
import dockerignorePackage, { type Ignore } from '@balena/dockerignore';

// A CommonJS package whose types declare `export default`: under NodeNext the default import is
// `module.exports`, and the factory is also its own `.default`.
const dockerignore = dockerignorePackage.default;
import { FsError } from '../fs/file-system.js';
import { describeFsError, isWithin, Jail } from '../fs/jail.js';

export type ContextEntry = { kind: 'file'; mode: number; size: number } | { kind: 'dir' } | null;

/** Something of the context that could not be read (a folder, `.dockerignore`). */
export interface ContextProblem {
  /** A folder that could not be listed, an ignore file that could not be used, a failed stat. */
  kind: 'folder' | 'ignore-file' | 'stat';
  /** Context-relative path (forward slashes; `.` for the root). */
  path: string;
  message: string;
}

export class ContextFs {
  private readonly realRoot: string;
  /** The context as a jail of its own: reads stay inside it. */
  private readonly jail: Jail;
  readonly problems: ContextProblem[] = [];
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
    /** The run's jail (file system and size limit); the context must lie inside it. */
    private readonly outer: Jail = new Jail(root),
  ) {
    // A missing context folder simply has no files.
    this.jail = new Jail(outer.realpath(path.resolve(root)), outer.fs, outer.maxFileBytes);
    this.realRoot = this.jail.root;
    const loaded = loadDockerignore(this.jail, outer, dockerfilePath, this.problems);
    this.excluded = loaded?.matcher ?? null;
    this.dockerignore = loaded?.name ?? null;
    this.reincludes = loaded?.reincludes ?? false;
  }

  /** The ignore file has `!` patterns: an excluded folder may still hold paths that are sent. */
  private readonly reincludes: boolean;

  /** Whether .dockerignore keeps a context path out of the build context. */
  isIgnored(rel: string): boolean {
    if (!this.excluded || rel === '') return false;
    return this.excluded.ignores(rel);
  }

  /**
   * Whether an excluded folder still holds a path that is sent (`*` then `!docker/rootfs/`: the
   * folder `docker` is excluded, `docker/rootfs` is not): the build then has the folder, with only
   * those paths in it, as BuildKit walks into excluded folders when an exception may match below.
   */
  private holdsReincluded(dir: string, depth = 0): boolean {
    if (!this.reincludes || depth > 32) return false;
    const known = this.reincluded.get(dir);
    if (known !== undefined) return known;
    let holds = false;
    // A file lists as an empty folder: only folders are walked into.
    for (const name of this.list(dir)) {
      const p = `${dir}/${name}`;
      if (!this.isIgnored(p) || this.holdsReincluded(p, depth + 1)) {
        holds = true;
        break;
      }
    }
    this.reincluded.set(dir, holds);
    return holds;
  }

  private readonly reincluded = new Map<string, boolean>();

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
    const real = this.jail.real(path.join(this.realRoot, n));
    if (real === null || !isWithin(real, this.realRoot)) return null;
    return real;
  }

  /** Whether `rel` escapes the context (by `..` or through a symlink). */
  escapes(rel: string): boolean {
    const n = ContextFs.normalize(rel);
    if (n === null) return true;
    const real = this.jail.real(path.join(this.realRoot, n));
    return real !== null && !isWithin(real, this.realRoot);
  }

  /**
   * The nearest folder above the context, inside the repository, that holds `rel` (a path of
   * two names or more), as a path from the context (`..`, `../..`); null when none does. A COPY source the context lacks but
   * a folder above it holds says the build probably runs from that folder
   * (`docker build -f .docker/Dockerfile .`).
   */
  holderAbove(rel: string): string | null {
    const n = ContextFs.normalize(rel);
    // A path of one name (`dist`, `app.jar`) is in some folder above by chance too often.
    if (n === null || !n.includes('/')) return null;
    let dir = this.realRoot;
    for (let up = 1; up <= 8; up++) {
      const parent = path.dirname(dir);
      if (parent === dir || !isWithin(parent, this.outer.root)) return null;
      dir = parent;
      if (this.outer.stat(path.join(dir, n))) return Array.from({ length: up }, () => '..').join('/');
    }
    return null;
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
    if (n !== null && this.isIgnored(n) && !(this.listed(n) && this.holdsReincluded(n))) {
      this.ignoredHits.add(n);
      return null;
    }
    // Absent paths (most lookups: PATH entries, guessed names) are answered from the cached
    // listings of their folders, without a syscall or a thrown ENOENT.
    if (n === null || !this.listed(n)) return null;
    const abs = this.resolveInside(n);
    if (!abs) return null;
    try {
      const st = this.jail.fs.stat(abs);
      if (st?.kind === 'dir') return { kind: 'dir' };
      // A FIFO, device or socket counts as a file that is there: reading it then says what it is.
      if (st?.kind === 'file' || st?.kind === 'other') return { kind: 'file', mode: st.mode, size: st.size };
    } catch (e) {
      this.problems.push({ kind: 'stat', path: n || '.', message: `cannot stat it (${FsError.from(e).code})` });
    }
    return null;
  }

  /** The real path of a context file (links followed), or null when it is absent or outside. */
  realPath(rel: string): string | null {
    return this.resolveInside(rel);
  }

  /**
   * The bytes of a context file, through the jail's reader (a regular file, at most the size
   * limit); throws FsError.
   */
  readBytes(rel: string): Buffer {
    const abs = this.resolveInside(rel);
    if (!abs) throw new FsError('EOUTSIDE', `${rel} is outside the build context`);
    return this.jail.readFile(abs);
  }

  readText(rel: string): string {
    return this.readBytes(rel).toString('utf8');
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
        if (this.jail.fs.stat(abs)?.kind === 'dir') names = this.jail.fs.readdir(abs).map((e) => e.name);
      } catch (e) {
        this.problems.push({ kind: 'folder', path: n || '.', message: `cannot read this folder of the build context (${FsError.from(e).code}): what COPY takes from it is unknown` });
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
 * `.dockerignore` rules as Docker applies them, not as gitignore does: each pattern is matched
 * against the whole path from the context root and against each of its parent folders, `**` for
 * any number of folders, and the last pattern that matches decides, so `!` re-includes a path even
 * below an excluded folder (`*` then `!docker/rootfs/` sends `docker/rootfs/` and nothing else).
 * Read only inside the context, or beside the Dockerfile (`<Dockerfile>.dockerignore`): never
 * through a symlink that leads elsewhere.
 */
function loadDockerignore(context: Jail, outer: Jail, dockerfilePath: string | null, problems: ContextProblem[]): { matcher: Ignore; name: string; reincludes: boolean } | null {
  const root = context.root;
  const candidates: { file: string; name: string; jail: Jail }[] = [];
  if (dockerfilePath) {
    const own = `${dockerfilePath}.dockerignore`;
    const beside = new Jail(outer.realpath(path.dirname(dockerfilePath)), outer.fs, outer.maxFileBytes);
    const inContext = context.contains(own);
    candidates.push({ file: own, name: path.relative(root, own).split(path.sep).join('/'), jail: inContext ? context : beside });
  }
  candidates.push({ file: path.join(root, '.dockerignore'), name: '.dockerignore', jail: context });
  for (const c of candidates) {
    let st;
    try {
      st = c.jail.stat(c.file);
    } catch (e) {
      problems.push({ kind: 'ignore-file', path: c.name, message: `cannot read ${c.name} (${FsError.from(e).code}): no file of the context was taken as excluded` });
      continue;
    }
    if (!st) {
      // Present, but its real path lies outside: refused, and said.
      if (!c.jail.contains(c.file) && c.jail.fs.realpath(c.file) !== null) {
        problems.push({ kind: 'ignore-file', path: c.name, message: `${c.name} is a symlink to a file outside the build context: not read, no file of the context was taken as excluded` });
      }
      continue;
    }
    let text: string;
    try {
      // A symlink that leads out of the context is refused (EOUTSIDE) like every other read.
      text = c.jail.readText(c.file);
    } catch (e) {
      problems.push({ kind: 'ignore-file', path: c.name, message: `${c.name}: ${describeFsError(e, c.jail.maxFileBytes)}; no file of the context was taken as excluded` });
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
    // The matcher turns a pattern into a regular expression and, as Docker's did, escapes only `.`
    // and `$`: `+`, `(`, `)`, `{`, `}` and `|` are plain characters of a path here, escaped first.
    const matcher = dockerignore({ ignorecase: false }).add(rules.map((r) => r.replace(/[+(){}|]/g, '\\$&')));
    try {
      matcher.ignores('.dockerignore-probe');
    } catch {
      problems.push({ kind: 'ignore-file', path: c.name, message: `${c.name} holds a pattern that cannot be matched; no file of the context was taken as excluded` });
      return null;
    }
    return { matcher, name: c.name, reincludes: rules.some((r) => r.startsWith('!')) };
  }
  return null;
}
