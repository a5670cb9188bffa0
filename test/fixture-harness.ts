/**
 * Fixture cases (CONTRIBUTING.md, "Fixtures", says how to write them):
 *
 * - a folder `fixtures/<rule>/<bad|good>-<case>/`: a build context with a Dockerfile (and the
 *   scripts, .dockerignore, compose file it needs) and `expected.txt`, the findings in the format
 *   of `formatFindings`; with fixes, `fixed/` holds every file a fix changes, as fixed;
 * - the multi-case file `fixtures/<rule>/cases.txt`, for cases that need only a Dockerfile:
 *   `=== bad: <title>` or `=== good: <title>`, the Dockerfile, then (bad cases) `--- expected`
 *   and the findings, and, with fixes, `--- fixed` and the Dockerfile as fixed.
 *
 * A case of `fixtures/<rule>/` runs with only that rule on; `fixtures/real-world-style/` runs
 * every rule. The checks live in test/fixtures.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lintFile, type LintOptions } from '../src/engine.js';
import type { Finding } from '../src/findings.js';
import { applyEdits, chooseFixes, newlineOf, type Edit } from '../src/fix/edits.js';
import { ShellService } from '../src/model/shell-service.js';
import { ComposeIndex } from '../src/compose.js';
import { diskFs, OverlayFileSystem } from '../src/fs/file-system.js';
import { RULES } from '../src/rules/index.js';
import { CASE_HEADER, CASES_FILE, FIXTURES, formatFindings, SECTION, withoutComments, type FixtureCase, type InlineCase } from './fixture-format.js';

export { fixtureCases, formatFindings, messageIdsIn, SCENARIO_SETS, type FixtureCase } from './fixture-format.js';


const shell = new ShellService();
let emptyDir: string | null = null;

/** Only `rule` on (every rule for a scenario). */
function severities(c: FixtureCase): LintOptions['severities'] {
  if (c.kind === 'scenario') return {};
  return Object.fromEntries(RULES.filter((r) => r.id !== c.rule).map((r) => [r.id, 'off' as const]));
}

/** The findings of a case, and the texts of the files they point into (for fixes). */
export async function lintCase(c: FixtureCase): Promise<{ findings: Finding[]; read: (file: string) => string | null; cwd: string }> {
  if (c.form === 'folder') {
    const findings = await lintFile({ path: path.join(c.dir, 'Dockerfile') }, { cwd: c.dir, shell, compose: new ComposeIndex(c.dir), severities: severities(c) });
    const read = (file: string): string | null => {
      const p = path.resolve(c.dir, file);
      return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : null;
    };
    return { findings, read, cwd: c.dir };
  }
  // A Dockerfile alone: an unsaved buffer in an empty folder, so no build context is there.
  emptyDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-cases-'));
  const dockerfile = path.join(emptyDir, 'Dockerfile');
  const overlay = new OverlayFileSystem(diskFs, [[dockerfile, c.dockerfile]]);
  const findings = await lintFile({ path: dockerfile }, { cwd: emptyDir, shell, fs: overlay, root: emptyDir, severities: severities(c) });
  return { findings, read: (file) => (file === 'Dockerfile' ? c.dockerfile : null), cwd: emptyDir };
}

export function expectedText(c: FixtureCase): string | null {
  if (c.form === 'inline') return c.expected === null ? (c.kind === 'good' ? '' : null) : withoutComments(c.expected);
  const file = path.join(c.dir, 'expected.txt');
  return fs.existsSync(file) ? withoutComments(fs.readFileSync(file, 'utf8')) : null;
}

/**
 * Every file the findings' fixes change, as fixed, by the path relative to `cwd` (one pass of
 * `--fix`: the fixes that do not touch each other, safe and unsafe alike).
 */
export function fixedFiles(findings: readonly Finding[], read: (file: string) => string | null, cwd: string): Map<string, string> {
  const candidates = findings.flatMap((f) => (f.fix ? [{ rule: f.rule, fix: f.fix }] : []));
  const byFile = new Map<string, Edit[]>();
  for (const c of chooseFixes(candidates).chosen) for (const e of c.fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  const out = new Map<string, string>();
  for (const [file, edits] of byFile) {
    const rel = path.relative(cwd, path.resolve(cwd, file)).split(path.sep).join('/');
    const text = read(rel);
    if (text !== null) out.set(rel, applyEdits(text, edits, newlineOf(text)).text);
  }
  return out;
}

/** The fixed files a case expects: `fixed/` of a folder, `--- fixed` of an inline case. */
export function expectedFixed(c: FixtureCase): Map<string, string> {
  const out = new Map<string, string>();
  if (c.form === 'inline') {
    if (c.fixed !== null) out.set('Dockerfile', c.fixed);
    return out;
  }
  const root = path.join(c.dir, 'fixed');
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(root, p).split(path.sep).join('/'), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  return out;
}

/**
 * Rewrites a case's expectations from what dockerlint reports now (scripts/update-fixtures.mjs):
 * comment lines of expected.txt are kept above the findings.
 */
export function writeExpected(c: FixtureCase, findings: readonly Finding[], fixed: Map<string, string>): boolean {
  const text = formatFindings(findings);
  if (c.form === 'folder') {
    const file = path.join(c.dir, 'expected.txt');
    const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const comments = old.split('\n').filter((l) => l.startsWith('#'));
    const next = `${comments.length ? `${comments.join('\n')}\n` : ''}${text}`;
    let changed = next !== old;
    if (changed) fs.writeFileSync(file, next);
    for (const [rel, body] of fixed) {
      const p = path.join(c.dir, 'fixed', rel);
      if (fs.existsSync(p) && fs.readFileSync(p, 'utf8') === body) continue;
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, body);
      changed = true;
    }
    return changed;
  }
  const file = path.join(FIXTURES, c.rule, CASES_FILE);
  const source = fs.readFileSync(file, 'utf8');
  const next = rewriteInlineCase(source, c, text, fixed.get('Dockerfile') ?? null);
  if (next === source) return false;
  fs.writeFileSync(file, next);
  return true;
}

function rewriteInlineCase(source: string, c: InlineCase, expected: string, fixed: string | null): string {
  const lines = source.split('\n');
  const start = lines.findIndex((l) => l === `=== ${c.name}`);
  if (start < 0) return source;
  let end = lines.findIndex((l, i) => i > start && CASE_HEADER.test(l));
  if (end < 0) end = lines.length;
  const body = lines.slice(start + 1, end);
  const firstSection = body.findIndex((l) => SECTION.test(l));
  const dockerfile = (firstSection < 0 ? body : body.slice(0, firstSection)).join('\n').replace(/\n+$/, '');
  // Comments at the top of the expected section are kept.
  const oldExpected = sectionLines(body, 'expected');
  const comments = oldExpected.filter((l) => l.startsWith('#'));
  const block = [lines[start] ?? '', dockerfile];
  if (expected || comments.length) block.push('--- expected', ...comments, expected.replace(/\n$/, ''));
  if (fixed !== null) block.push('--- fixed', fixed.replace(/\n$/, ''));
  const kept = block.filter((p) => p !== '');
  if (end < lines.length) return [...lines.slice(0, start), ...kept, '', ...lines.slice(end)].join('\n');
  return `${[...lines.slice(0, start), ...kept].join('\n')}\n`;
}

function sectionLines(body: string[], name: string): string[] {
  const i = body.indexOf(`--- ${name}`);
  if (i < 0) return [];
  const next = body.findIndex((l, j) => j > i && SECTION.test(l));
  return body.slice(i + 1, next < 0 ? body.length : next);
}
