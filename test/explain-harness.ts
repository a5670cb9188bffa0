/**
 * A build context written to a temporary folder from a map of files (a `.sh` file is made
 * executable), and `explain` of its Dockerfile: the text, and the JSON as a reader gets it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchOf, lintFile } from '../src/engine.js';
import { explainLaunch, formatExplanation, type Explanation } from '../src/explain.js';
import type { ShellService } from '../src/model/shell-service.js';

export interface Explained {
  e: Explanation;
  text: string;
  json: Explanation;
  /** The folder the context was written to (removed by `removeContexts`). */
  dir: string;
}

const dirs: string[] = [];

export function removeContexts(): void {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export async function explainContext(files: Record<string, string>, shell: ShellService): Promise<Explained> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-explain-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text, { mode: name.endsWith('.sh') ? 0o755 : 0o644 });
  }
  const prepared = await launchOf({ path: path.join(dir, 'Dockerfile') }, { cwd: dir, shell });
  if (Array.isArray(prepared)) throw new Error(prepared.map((f) => f.message).join('; '));
  const e = explainLaunch(prepared.launch);
  return { e, text: formatExplanation(e), json: JSON.parse(JSON.stringify(e)) as Explanation, dir };
}

/** explainContext, and the rules that fire on the same context (their ids, in report order). */
export async function explainAndLint(files: Record<string, string>, shell: ShellService): Promise<Explained & { rules: string[] }> {
  const x = await explainContext(files, shell);
  const findings = await lintFile({ path: path.join(x.dir, 'Dockerfile') }, { cwd: x.dir, shell });
  return { ...x, rules: findings.map((f) => f.rule) };
}
