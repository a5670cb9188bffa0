/**
 * Finding Dockerfiles: explicit files as given, folders walked for Dockerfile-like names
 * (`Dockerfile`, `dockerfile`, `Containerfile`, `Dockerfile.<variant>`, `<name>.Dockerfile`) and for
 * the Dockerfiles that compose and bake files name (`Dockerfile-app`, `docker/app.dockerfile`),
 * skipping `.git`, `node_modules` and what `.gitignore` files ignore. Symlinked folders are
 * not followed (no loops, no escape). The result is sorted, so output order is deterministic.
 * Every input gets its jail's root (`--root`, else its repository, else itself); folders and
 * `.gitignore` files are read through that jail, and one that cannot be read is a problem to
 * report, not an empty folder.
 */
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { diskFs, FsError, type DirEntry, type FileSystem } from './fs/file-system.js';
import { trackedPaths, type TrackedPaths } from './fs/git-index.js';
import { describeFsError, isWithin, Jail, repositoryRoot } from './fs/jail.js';
import { BUILD_FILE_NAMES, ComposeIndex } from './compose.js';

const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);
/** `Dockerfile.<ext>` names that are documentation or templates, not Dockerfiles. */
const NOT_DOCKERFILE_EXT = new Set([
  'md', 'markdown', 'txt', 'rst', 'adoc', 'html', 'j2', 'jinja', 'jinja2', 'tmpl', 'tpl', 'template', 'erb',
  'in', 'orig', 'bak', 'swp', 'json', 'yaml', 'yml', 'toml', 'sh', 'py', 'log', 'lock', 'patch', 'diff',
  'dockerignore', 'sample', 'example', 'gotmpl', 'mustache', 'hbs', 'njk',
]);

function isDockerfileName(name: string): boolean {
  if (/^(Dockerfile|Containerfile|dockerfile|containerfile)$/.test(name)) return true;
  const dotted = /^(Dockerfile|Containerfile|dockerfile|containerfile)\.([^/]+)$/.exec(name);
  if (dotted) {
    const ext = (dotted[2] ?? '').toLowerCase();
    return !NOT_DOCKERFILE_EXT.has(ext) && !ext.endsWith('.md');
  }
  const named = /^([^.].*)\.(Dockerfile|dockerfile)$/.exec(name);
  // `tmplv3.Dockerfile`, `app-template.Dockerfile`: what a generator fills in (envsubst, sed).
  return named !== null && !TEMPLATE_STEM.test(named[1] ?? '');
}

/** The name of a `<name>.Dockerfile` that says it is a template: its first or last word. */
const TEMPLATE_STEM = /^(?:tmpl|tpl|template)(?:v?\d+)?(?:[._-]|$)|[._-](?:tmpl|tpl|template)$/i;

export interface DiscoveryProblem {
  path: string;
  message: string;
  /**
   * `error` (default): an input that does not exist or cannot be linted; `warning`: something met
   * while walking (an unreadable folder or .gitignore), reported as a finding.
   */
  severity?: 'error' | 'warning';
  /** The input does not exist (what --no-error-on-unmatched-pattern forgives). */
  missing?: boolean;
}

export interface Discovery {
  files: string[];
  problems: DiscoveryProblem[];
  /** The jail's root of each file (absolute path -> real path of the root). */
  roots: Map<string, string>;
}

export interface DiscoverOptions {
  fs?: FileSystem;
  /** `--root`: one root for every input. */
  root?: string | null;
  /** The size limit of the files read (.gitignore). */
  maxFileBytes?: number;
  /**
   * Filled with the entries of every folder the walk listed, by its real path (for `--cache`,
   * whose check of the folders a lint listed then needs no system call of its own for them).
   */
  listings?: Map<string, DirEntry[]>;
}

interface IgnoreScope {
  dir: string;
  matcher: Ignore;
}

export function discover(inputs: string[], cwd: string, options: DiscoverOptions = {}): Discovery {
  const fsys = options.fs ?? diskFs;
  const files = new Set<string>();
  const roots = new Map<string, string>();
  const problems: DiscoveryProblem[] = [];
  // The tracked paths of each repository, read once however many of its folders are walked.
  const trackedIn = new Map<string, TrackedPaths | null>();
  for (const input of inputs) {
    const abs = path.resolve(cwd, input);
    let st;
    try {
      st = fsys.stat(abs);
    } catch (e) {
      problems.push({ path: input, message: `cannot read it (${FsError.from(e).code})` });
      continue;
    }
    if (!st) {
      problems.push({ path: input, message: 'no such file or folder', missing: true });
      continue;
    }
    const jail = new Jail(options.root ? path.resolve(cwd, options.root) : repositoryRoot(abs, fsys), fsys, options.maxFileBytes);
    const found = new Set<string>();
    if (st.kind === 'file') found.add(abs);
    else if (st.kind === 'dir') walk(abs, null, [], found, fsys.realpath(abs) ?? abs, jail, { input, abs, builds: new ComposeIndex(), listings: options.listings, tracked: () => trackedOf(trackedIn, jail) }, problems);
    else problems.push({ path: input, message: 'not a regular file or folder' });
    for (const f of found) {
      files.add(f);
      if (!roots.has(f)) roots.set(f, jail.root);
    }
  }
  return { files: [...files].sort(), problems, roots };
}

function trackedOf(memo: Map<string, TrackedPaths | null>, jail: Jail): TrackedPaths | null {
  let t = memo.get(jail.root);
  if (t === undefined) memo.set(jail.root, (t = trackedPaths(jail.root, jail)));
  return t;
}

/**
 * Walks `dir` (inside the folder the user named, whose real path is `top`). A symlinked
 * Dockerfile is kept only when it resolves inside `top`: a link met while walking must not make
 * dockerlint read (and quote) a file from elsewhere. `real` is the real path of `dir` when the
 * walk knows it (a plain folder listed in a folder whose real path is inside the jail), else null
 * and the jail resolves and checks it.
 */
function walk(dir: string, real: string | null, scopes: IgnoreScope[], out: Set<string>, top: string, jail: Jail, input: { input: string; abs: string; builds: ComposeIndex; listings: Map<string, DirEntry[]> | undefined; tracked: () => TrackedPaths | null }, problems: DiscoveryProblem[]): void {
  // Shown as the user named the folder: `sub/.gitignore` for `dockerlint sub`.
  const shown = (abs: string): string => path.join(input.input, path.relative(input.abs, abs)).split(path.sep).join('/');
  let entries;
  let hereReal: string;
  try {
    ({ entries, real: hereReal } = real === null ? jail.readdirReal(dir) : { entries: jail.fs.readdir(real), real });
  } catch (e) {
    problems.push({ path: shown(dir), severity: 'warning', message: `cannot read this folder (${FsError.from(e).code}): Dockerfiles in it were not linted` });
    return;
  }
  input.listings?.set(hereReal, entries);
  const here = [...scopes];
  const gitignore = entries.find((e) => e.name === '.gitignore' && e.kind !== 'dir');
  if (gitignore) {
    try {
      here.push({ dir, matcher: ignore().add(jail.readText(path.join(dir, '.gitignore'))) });
    } catch (e) {
      problems.push({ path: shown(path.join(dir, '.gitignore')), severity: 'warning', message: `${describeFsError(e, jail.maxFileBytes)}; nothing in ${shown(dir)} was taken as ignored` });
    }
  }
  // A .gitignore governs only what is below its folder: a compose file may name a Dockerfile
  // above it (context: ../..), which no .gitignore deeper than that Dockerfile can ignore.
  // What git tracks it does not ignore, whatever .gitignore says (and a folder that holds a
  // tracked file is walked): by the path in the repository, from the real path of this folder.
  // The index is read the first time .gitignore ignores something.
  const tracked = (abs: string, isDir: boolean): boolean => {
    const paths = input.tracked();
    if (!paths) return false;
    const rel = path.relative(jail.root, path.join(hereReal, path.relative(dir, abs))).split(path.sep).join('/');
    if (rel === '' || rel.startsWith('../')) return false;
    return isDir ? paths.dirs.has(rel) : paths.files.has(rel);
  };
  const ignored = (abs: string, isDir: boolean): boolean =>
    here.some((s) => {
      const rel = path.relative(s.dir, abs).split(path.sep).join('/');
      if (rel === '' || rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)) return false;
      return s.matcher.ignores(isDir ? `${rel}/` : rel);
    }) && !tracked(abs, isDir);
  for (const e of entries) {
    const abs = path.join(dir, e.name);
    if (e.kind === 'dir') {
      if (SKIP_DIRS.has(e.name) || ignored(abs, true)) continue;
      // Listed as a folder, not a link: its real path is its name in this folder's real path,
      // which saves resolving every component again (one system call each) for every folder.
      walk(abs, path.join(hereReal, e.name), here, out, top, jail, input, problems);
    } else if ((e.kind === 'file' || e.kind === 'symlink') && isDockerfileName(e.name) && !ignored(abs, false)) {
      if (e.kind === 'symlink') {
        const real = jail.fs.realpath(abs) ?? abs;
        if (!isWithin(real, top)) continue;
      }
      out.add(abs);
    }
  }
  // Dockerfiles that a compose or bake file here names, whatever they are called; only those
  // inside the folder walked and not ignored. (A file that cannot be read or parsed is reported
  // when a Dockerfile it would give a context to is linted.)
  if (entries.some((e) => e.kind !== 'dir' && BUILD_FILE_NAMES.has(e.name))) {
    for (const named of input.builds.dockerfilesIn(dir, jail)) {
      if (out.has(named) || !isWithin(named, top) || ignored(named, false)) continue;
      if (path.relative(top, named).split(path.sep).some((seg) => SKIP_DIRS.has(seg))) continue;
      const real = jail.fs.realpath(named);
      if (real === null || !isWithin(real, top)) continue;
      try {
        if (jail.stat(named)?.kind === 'file') out.add(named);
      } catch {
        // Unreadable: not a Dockerfile to lint here.
      }
    }
  }
}
