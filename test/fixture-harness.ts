/**
 * Fixture cases (CONTRIBUTING.md, "Fixtures", says how to write them):
 *
 * - a folder `fixtures/<rule>/<bad|good>-<case>/`: a build context with a Dockerfile (and the
 *   scripts, .dockerignore, compose file it needs) and `expected.txt`, the findings in the format
 *   of `formatFindings`; with fixes, `fixed/` holds every file a fix changes, as fixed (byte for
 *   byte: what `--fix --unsafe-fixes --fix-rule <rule>` writes);
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
import { runFixLoop, type LintPassResult } from '../src/fix/run.js';
import { buildImageModel } from '../src/model/image.js';
import { parseDockerfile } from '../src/parsers/dockerfile.js';
import { dialectFromShebang } from '../src/parsers/shell.js';
import { SourceFile } from '../src/parsers/source.js';
import { ShellService } from '../src/model/shell-service.js';
import { ComposeIndex } from '../src/compose.js';
import { diskFs, OverlayFileSystem } from '../src/fs/file-system.js';
import { RULES } from '../src/rules/index.js';
import { CASE_HEADER, CASES_FILE, FIXTURES, formatFindings, SECTION, withoutComments, type FixtureCase, type InlineCase } from './fixture-format.js';

export { fixtureCases, formatFindings, messageIdsIn, SCENARIO_SETS, type FixtureCase } from './fixture-format.js';


const shell = new ShellService();
let emptyDir: string | null = null;

/** Only `rule` on, at its default severity even when it is not in the recommended preset (a scenario: the default preset). */
function severities(c: FixtureCase): LintOptions['severities'] {
  if (c.kind === 'scenario') return {};
  return Object.fromEntries(RULES.map((r) => [r.id, r.id === c.rule ? r.severity : ('off' as const)]));
}

/** A folder case's rule options: `options.json` next to its Dockerfile (not part of what the Dockerfile copies). */
export function folderOptions(c: Extract<FixtureCase, { form: 'folder' }>): Record<string, Record<string, unknown>> | undefined {
  const file = path.join(c.dir, 'options.json');
  return fs.existsSync(file) ? { [c.rule]: JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> } : undefined;
}

/** The rule options a case runs with, from either form. */
function caseOptions(c: FixtureCase): Record<string, Record<string, unknown>> | undefined {
  if (c.form === 'folder') return folderOptions(c);
  return c.form === 'inline' && c.options !== null ? { [c.rule]: JSON.parse(c.options) as Record<string, unknown> } : undefined;
}

/** The findings of a case, and the texts of the files they point into (for fixes). */
export async function lintCase(c: FixtureCase): Promise<{ findings: Finding[]; read: (file: string) => string | null; cwd: string }> {
  if (c.form === 'folder') {
    const ruleOptions = folderOptions(c);
    const findings = await lintFile({ path: path.join(c.dir, 'Dockerfile') }, { cwd: c.dir, shell, compose: new ComposeIndex(c.dir), severities: severities(c), ...(ruleOptions ? { ruleOptions } : {}) });
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
  const ruleOptions = c.options !== null ? { [c.rule]: JSON.parse(c.options) as Record<string, unknown> } : undefined;
  const findings = await lintFile({ path: dockerfile }, { cwd: emptyDir, shell, fs: overlay, root: emptyDir, severities: severities(c), ...(ruleOptions ? { ruleOptions } : {}) });
  return { findings, read: (file) => (file === 'Dockerfile' ? c.dockerfile : null), cwd: emptyDir };
}

export function expectedText(c: FixtureCase): string | null {
  if (c.form === 'inline') return c.expected === null ? (c.kind === 'good' ? '' : null) : withoutComments(c.expected);
  const file = path.join(c.dir, 'expected.txt');
  return fs.existsSync(file) ? withoutComments(fs.readFileSync(file, 'utf8')) : null;
}

/** What `--fix --unsafe-fixes --fix-rule <the case's rule>` does to a case, computed in memory. */
export interface FixOutcome {
  /** Every file the fixes change, as fixed (path relative to the case -> bytes). */
  fixed: Map<string, Buffer>;
  /** The findings after fixing. */
  remaining: Finding[];
  /** Fixes a second `--fix` would still make (files it would change). */
  second: string[];
  converged: boolean;
  /** Each fixed file that is a script, or a Dockerfile, and whether it still parses. */
  parses: { file: string; ok: boolean; stages?: string[] }[];
}

/**
 * The Dockerfile's stages, as `name base` (what a fix must keep): names in lower case, as BuildKit
 * reads them, and a base that is an earlier stage by its index.
 */
export function stagesOf(text: string): string[] {
  return buildImageModel(parseDockerfile(new SourceFile('Dockerfile', text))).stages.map((s) => `${s.name?.toLowerCase() ?? '-'} ${s.baseStage ? `stage ${s.baseStage.index}` : s.base}`);
}

/**
 * Runs the fix loop of `--fix` on a case (the case's rule only, unsafe fixes too; the whole rule
 * set for a scenario), reading and writing nothing but memory; then once more on the result.
 */
export async function fixCase(c: FixtureCase): Promise<FixOutcome> {
  let cwd: string;
  let dockerfile: string;
  const base = new Map<string, Buffer>();
  if (c.form === 'folder') {
    cwd = fs.realpathSync(c.dir);
    dockerfile = path.join(cwd, 'Dockerfile');
  } else {
    emptyDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-cases-'));
    cwd = fs.realpathSync(emptyDir);
    dockerfile = path.join(cwd, 'Dockerfile');
    base.set(dockerfile, Buffer.from(c.dockerfile));
  }
  const ruleOptions = caseOptions(c);
  const lint = async (overlay: ReadonlyMap<string, Buffer>): Promise<LintPassResult> => {
    const filesRead = new Set<string>();
    const findings = await lintFile(
      { path: dockerfile },
      { cwd, shell, compose: new ComposeIndex(cwd), severities: severities(c), fs: new OverlayFileSystem(diskFs, overlay), root: cwd, filesRead, ...(ruleOptions ? { ruleOptions } : {}) },
    );
    return { findings, filesRead };
  };
  const selection = { unsafe: true, rules: c.kind === 'scenario' ? null : new Set([c.rule]) };
  const loop = await runFixLoop({ root: cwd, ...selection, base, lint });
  const fixed = new Map<string, Buffer>();
  for (const ch of loop.changed) fixed.set(path.relative(cwd, ch.path).split(path.sep).join('/'), ch.after);
  const again = await runFixLoop({ root: cwd, ...selection, base: new Map([...base, ...loop.changed.map((ch) => [ch.path, ch.after] as const)]), lint });
  const parser = await shell.get();
  const parses: FixOutcome['parses'] = [];
  for (const [rel, bytes] of fixed) {
    const text = bytes.toString('utf8');
    if (path.basename(rel) === 'Dockerfile') {
      const before = loop.changed.find((ch) => ch.path === path.join(cwd, rel))?.before.toString('utf8') ?? '';
      const ok = parseDockerfile(new SourceFile(rel, text)).problems.length === 0 && stagesOf(text).join('\n') === stagesOf(before).join('\n');
      parses.push({ file: rel, ok, stages: stagesOf(text) });
    } else {
      const r = parser.parse(text.replace(/^\uFEFF/, ''), dialectFromShebang(text));
      parses.push({ file: rel, ok: r.ok });
    }
  }
  return { fixed, remaining: loop.findings, second: again.changed.map((ch) => path.relative(cwd, ch.path)), converged: loop.converged, parses };
}

/** The fixed files a case expects: `fixed/` of a folder, `--- fixed` of an inline case. */
export function expectedFixed(c: FixtureCase): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (c.form === 'inline') {
    if (c.fixed !== null) out.set('Dockerfile', Buffer.from(c.fixed));
    return out;
  }
  const root = path.join(c.dir, 'fixed');
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(root, p).split(path.sep).join('/'), fs.readFileSync(p));
    }
  };
  walk(root);
  return out;
}

/**
 * Rewrites a case's expectations from what dockerlint reports now (scripts/update-fixtures.mjs):
 * comment lines of expected.txt are kept above the findings.
 */
export function writeExpected(c: FixtureCase, findings: readonly Finding[], fixed: Map<string, Buffer>): boolean {
  const text = formatFindings(findings);
  if (c.form === 'folder') {
    const file = path.join(c.dir, 'expected.txt');
    const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const comments = old.split('\n').filter((l) => l.startsWith('#'));
    const next = `${comments.length ? `${comments.join('\n')}\n` : ''}${text}`;
    // A good case new and silent still gets its (empty) expected.txt.
    let changed = next !== old || !fs.existsSync(file);
    if (changed) fs.writeFileSync(file, next);
    for (const [rel, body] of fixed) {
      const p = path.join(c.dir, 'fixed', rel);
      if (fs.existsSync(p) && fs.readFileSync(p).equals(body)) continue;
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, body);
      changed = true;
    }
    return changed;
  }
  const file = path.join(FIXTURES, c.rule, CASES_FILE);
  const source = fs.readFileSync(file, 'utf8');
  const next = rewriteInlineCase(source, c, text, fixed.get('Dockerfile')?.toString('utf8') ?? null);
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
  const options = sectionLines(body, 'options');
  if (options.length) block.push('--- options', ...options);
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
