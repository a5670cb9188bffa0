/**
 * The fixture formats (CONTRIBUTING.md, "The fixture formats"): the multi-case file
 * `fixtures/<rule>/cases.txt`, the list of cases and the text of expected findings; shared by the
 * fixture harness and the documentation generator (which shows fixtures as the rules' examples).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chainText, type Finding } from '../src/findings.js';
import { escapeControl } from '../src/reporters/escape.js';

/** The multi-case file of a rule's folder. */
export const CASES_FILE = 'cases.txt';

export interface CaseBase {
  rule: string;
  name: string;
  kind: 'bad' | 'good' | 'scenario';
  /** Where the case is written, for messages: `fixtures/<rule>/<name>` or `.../cases.txt`. */
  where: string;
}

/** A build context folder with its expected.txt. */
export interface FolderCase extends CaseBase {
  form: 'folder';
  dir: string;
}

/** One case of a rule's cases.txt. */
export interface InlineCase extends CaseBase {
  form: 'inline';
  title: string;
  dockerfile: string;
  /** The text after `--- expected`, null when the section is absent. */
  expected: string | null;
  /** The text after `--- fixed`, null when the section is absent. */
  fixed: string | null;
  /** The rule's options for this case (JSON after `--- options`), null when absent. */
  options: string | null;
}

export type FixtureCase = FolderCase | InlineCase;

export const FIXTURES = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures');

/** Folders of `fixtures/` that are not rules: whole real-world-style images, every rule on. */
export const SCENARIO_SETS = new Set(['real-world-style']);

export function fixtureCases(fixtures = FIXTURES): FixtureCase[] {
  const cases: FixtureCase[] = [];
  for (const rule of fs.readdirSync(fixtures).sort()) {
    const ruleDir = path.join(fixtures, rule);
    if (!fs.statSync(ruleDir).isDirectory()) continue;
    for (const name of fs.readdirSync(ruleDir).sort()) {
      const dir = path.join(ruleDir, name);
      if (name === CASES_FILE) {
        cases.push(...parseCasesFile(rule, fs.readFileSync(dir, 'utf8')));
        continue;
      }
      if (!fs.statSync(dir).isDirectory()) throw new Error(`fixtures/${rule}/${name}: only case folders and ${CASES_FILE} belong here`);
      const kind = SCENARIO_SETS.has(rule) ? 'scenario' : name.startsWith('bad-') ? 'bad' : name.startsWith('good-') ? 'good' : null;
      if (!kind) throw new Error(`fixture ${rule}/${name}: the name must start with bad- or good-`);
      cases.push({ form: 'folder', rule, name, kind, dir, where: `fixtures/${rule}/${name}` });
    }
  }
  return cases;
}

export const CASE_HEADER = /^=== (bad|good): (.+)$/;
export const SECTION = /^--- (expected|fixed|options)$/;

/** The cases of a `cases.txt`; lines before the first `===` are comments on the file. */
export function parseCasesFile(rule: string, text: string): InlineCase[] {
  const cases: InlineCase[] = [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let current: { kind: 'bad' | 'good'; title: string; line: number; sections: Record<string, string[]> } | null = null;
  let section = 'dockerfile';
  const flush = (): void => {
    if (!current) return;
    const body = (name: string): string | null => {
      const l = current?.sections[name];
      if (!l) return null;
      while (l.length && l[l.length - 1]?.trim() === '') l.pop();
      return l.length ? `${l.join('\n')}\n` : '';
    };
    const name = `${current.kind}: ${current.title}`;
    if (cases.some((c) => c.name === name)) throw new Error(`fixtures/${rule}/${CASES_FILE}:${current.line}: two cases named "${name}"`);
    cases.push({
      form: 'inline',
      rule,
      name,
      kind: current.kind,
      title: current.title,
      where: `fixtures/${rule}/${CASES_FILE}:${current.line}`,
      dockerfile: body('dockerfile') ?? '',
      expected: body('expected'),
      fixed: body('fixed'),
      options: body('options'),
    });
  };
  lines.forEach((line, i) => {
    const header = CASE_HEADER.exec(line);
    if (header) {
      flush();
      current = { kind: header[1] as 'bad' | 'good', title: (header[2] ?? '').trim(), line: i + 1, sections: { dockerfile: [] } };
      section = 'dockerfile';
      return;
    }
    if (!current) return; // the file's own comments
    const s = SECTION.exec(line);
    if (s) {
      section = s[1] ?? '';
      if (current.sections[section]) throw new Error(`fixtures/${rule}/${CASES_FILE}:${i + 1}: a second --- ${section}`);
      current.sections[section] = [];
      return;
    }
    current.sections[section]?.push(line);
  });
  flush();
  return cases;
}

/**
 * Findings as fixtures spell them, a block each:
 *
 *   Dockerfile:4:1-4:4 warning cmd-ignored ignored
 *     message: This CMD never runs: ...
 *     hint: Write ENTRYPOINT in exec form ...
 *     chain: Dockerfile:3 ENTRYPOINT (shell form) -> Dockerfile:4 CMD
 *     fix (safe): Add --no-install-recommends
 *
 * The first line is the position (start and end), severity, rule and message id (none for
 * findings the engine makes itself: input-error, syntax-error, suppression).
 */
export function formatFindings(findings: readonly Finding[]): string {
  const out: string[] = [];
  for (const f of findings) {
    out.push(`${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.severity} ${f.rule}${f.messageId ? ` ${f.messageId}` : ''}`);
    out.push(`  message: ${escapeControl(f.message)}`);
    if (f.hint) out.push(`  hint: ${escapeControl(f.hint)}`);
    if (f.related.length) out.push(`  chain: ${escapeControl(chainText(f))}`);
    if (f.fix) out.push(`  fix (${f.fix.safety}): ${escapeControl(f.fix.title)}`);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/** The `rule messageId` pairs named by expected text (header lines). */
export function messageIdsIn(expected: string): { rule: string; messageId: string | null }[] {
  const ids: { rule: string; messageId: string | null }[] = [];
  for (const line of expected.split('\n')) {
    const m = /^\S+:\d+:\d+-\d+:\d+ (?:error|warning|info) (\S+)(?: (\S+))?$/.exec(line);
    if (m) ids.push({ rule: m[1] ?? '', messageId: m[2] ?? null });
  }
  return ids;
}

/** Expected text without its comment lines (`# why`), which are for people. */
export function withoutComments(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n')
    .replace(/^\n+/, '');
}

