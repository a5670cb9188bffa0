/**
 * Finding Dockerfiles: explicit files as given, folders walked for Dockerfile-like names,
 * skipping `.git`, `node_modules` and what `.gitignore` files ignore. Symlinked folders are
 * not followed (no loops, no escape). The result is sorted, so output order is deterministic.
 */
import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);
/** `Dockerfile.<ext>` names that are documentation or templates, not Dockerfiles. */
const NOT_DOCKERFILE_EXT = new Set([
  'md', 'markdown', 'txt', 'rst', 'adoc', 'html', 'j2', 'jinja', 'jinja2', 'tmpl', 'tpl', 'template', 'erb',
  'in', 'orig', 'bak', 'swp', 'json', 'yaml', 'yml', 'toml', 'sh', 'py', 'log', 'lock', 'patch', 'diff',
  'dockerignore', 'sample', 'example', 'gotmpl', 'mustache', 'hbs', 'njk',
]);

export function isDockerfileName(name: string): boolean {
  if (name === 'Dockerfile' || name === 'Containerfile') return true;
  const dotted = /^(Dockerfile|Containerfile)\.([^/]+)$/.exec(name);
  if (dotted) {
    const ext = (dotted[2] ?? '').toLowerCase();
    return !NOT_DOCKERFILE_EXT.has(ext) && !ext.endsWith('.md');
  }
  return /^[^.].*\.(Dockerfile|dockerfile)$/.test(name);
}

export interface DiscoveryProblem {
  path: string;
  message: string;
}

export interface Discovery {
  files: string[];
  problems: DiscoveryProblem[];
}

interface IgnoreScope {
  dir: string;
  matcher: Ignore;
}

export function discover(inputs: string[], cwd: string): Discovery {
  const files = new Set<string>();
  const problems: DiscoveryProblem[] = [];
  for (const input of inputs) {
    const abs = path.resolve(cwd, input);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      problems.push({ path: input, message: 'no such file or folder' });
      continue;
    }
    if (st.isFile()) files.add(abs);
    else if (st.isDirectory()) walk(abs, [], files, realOrSelf(abs));
    else problems.push({ path: input, message: 'not a regular file or folder' });
  }
  return { files: [...files].sort(), problems };
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return p;
  }
}

/**
 * Walks `dir` (inside the folder the user named, whose real path is `top`). A symlinked
 * Dockerfile is kept only when it resolves inside `top`: a link met while walking must not make
 * dockerlint read (and quote) a file from elsewhere.
 */
function walk(dir: string, scopes: IgnoreScope[], out: Set<string>, top: string): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  const here = [...scopes];
  const gitignore = entries.find((e) => e.name === '.gitignore' && e.isFile());
  if (gitignore) {
    try {
      here.push({ dir, matcher: ignore().add(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')) });
    } catch {
      // an unreadable .gitignore ignores nothing
    }
  }
  const ignored = (abs: string, isDir: boolean): boolean =>
    here.some((s) => {
      const rel = path.relative(s.dir, abs).split(path.sep).join('/');
      return rel !== '' && s.matcher.ignores(isDir ? `${rel}/` : rel);
    });
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (SKIP_DIRS.has(e.name) || ignored(abs, true)) continue;
      walk(abs, here, out, top);
    } else if ((e.isFile() || e.isSymbolicLink()) && isDockerfileName(e.name) && !ignored(abs, false)) {
      if (e.isSymbolicLink()) {
        const real = realOrSelf(abs);
        if (real !== top && !real.startsWith(top + path.sep)) continue;
      }
      out.add(abs);
    }
  }
}
