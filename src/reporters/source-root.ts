/**
 * The folder that paths in SARIF, GitHub annotations and GitLab Code Quality reports are relative
 * to: the repository root, where those tools resolve them (dockerlint's own paths are relative to
 * the folder it ran in, which may be a subfolder).
 *
 * - In CI, the checkout: `GITHUB_WORKSPACE` (GitHub Actions) or `CI_PROJECT_DIR` (GitLab), when
 *   the current folder is inside it.
 * - Otherwise the nearest folder, from the current one upwards, that has a `.git` entry (a folder,
 *   or a file in a worktree or submodule); only its existence is checked, nothing is read.
 * - Otherwise the current folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fixShownBy, mapFindingPaths, type Finding } from '../findings.js';

function inside(dir: string, root: string): boolean {
  const rel = path.relative(root, dir);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export function sourceRoot(cwd: string, env: Record<string, string | undefined>): string {
  const here = path.resolve(cwd);
  for (const name of ['GITHUB_WORKSPACE', 'CI_PROJECT_DIR']) {
    const dir = env[name];
    if (dir && path.isAbsolute(dir) && inside(here, path.resolve(dir))) return path.resolve(dir);
  }
  for (let dir = here; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return here;
  }
}

/**
 * Paths relative to `root` instead of `cwd` (forward slashes) for the files inside it; a file
 * outside it becomes absolute (a path relative to the root would start with `..`, which no viewer
 * resolves); stdin (`-`) stays `-`.
 */
export function rebaseFindings(findings: Finding[], cwd: string, root: string): Finding[] {
  const rebase = (file: string): string => {
    if (file === '-') return file;
    const abs = path.resolve(cwd, file);
    return inside(abs, root) ? path.relative(root, abs).split(path.sep).join('/') : abs;
  };
  return findings.map((f) => ({ ...mapFindingPaths(f, rebase), ...fixShownBy(f, rebase) }));
}
