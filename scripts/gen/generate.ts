/**
 * Everything `npm run gen` writes from the sources, as texts: the rule pages, the README table,
 * the suppression tables and the configuration schema (scripts/gen.mjs adds the action bundle).
 * `orphans` are pages under docs/rules/ with no rule: gen deletes them, `--check` fails on them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { schemaText } from '../../src/config/schema.js';
import { DIAGNOSTICS, RULES } from '../../src/rules/index.js';
import type { DiagnosticMeta } from '../../src/rules/rule.js';
import { CASES_FILE, fixtureCases, withoutComments, type FixtureCase } from '../../test/fixture-format.js';
import { migrationTable, peerTable, replaceSection, rulePage, ruleTable, type Example } from './docs.js';

export interface Generated {
  /** Repository-relative path -> text. */
  files: Map<string, string>;
  orphans: string[];
}

export function generate(root: string): Generated {
  const files = new Map<string, string>();
  const cases = fixtureCases(path.join(root, 'fixtures'));
  const documented: DiagnosticMeta[] = [...RULES, ...DIAGNOSTICS];
  for (const rule of documented) {
    const own = cases.filter((c) => c.rule === rule.id);
    const example = rule.docs.example;
    files.set(`docs/rules/${rule.id}.md`, rulePage(rule, { bad: pick(root, own, 'bad', example?.bad), good: pick(root, own, 'good', example?.good) }));
  }
  const readme = path.join(root, 'README.md');
  files.set('README.md', replaceSection(fs.readFileSync(readme, 'utf8'), 'rules', ruleTable(), 'README.md'));
  const sup = path.join(root, 'docs', 'suppressions.md');
  let supText = fs.readFileSync(sup, 'utf8');
  supText = replaceSection(supText, 'peers-hadolint', peerTable('hadolint'), 'docs/suppressions.md');
  supText = replaceSection(supText, 'peers-buildkit', peerTable('buildkit'), 'docs/suppressions.md');
  files.set('docs/suppressions.md', supText);
  const mig = path.join(root, 'docs', 'migrating-from-hadolint.md');
  let migText = fs.readFileSync(mig, 'utf8');
  migText = replaceSection(migText, 'migration-hadolint', migrationTable('hadolint'), 'docs/migrating-from-hadolint.md');
  migText = replaceSection(migText, 'migration-buildkit', migrationTable('buildkit'), 'docs/migrating-from-hadolint.md');
  files.set('docs/migrating-from-hadolint.md', migText);
  files.set('schema/dockerlint.schema.json', schemaText());
  const pages = new Set(documented.map((r) => `${r.id}.md`));
  const orphans = fs
    .readdirSync(path.join(root, 'docs', 'rules'))
    .filter((name) => name.endsWith('.md') && !pages.has(name))
    .map((name) => `docs/rules/${name}`);
  return { files, orphans };
}

/** The case a page shows: the one the rule names, else the smallest of its kind. */
function pick(root: string, cases: FixtureCase[], kind: 'bad' | 'good', named: string | undefined): Example | null {
  const candidates = cases.filter((c) => c.kind === kind).map((c) => toExample(root, c));
  if (named !== undefined) {
    const found = candidates.find((e) => e.name === named);
    if (!found) throw new Error(`docs.example.${kind}: no ${kind} case named "${named}" in fixtures/${cases[0]?.rule ?? '?'}/`);
    return found.example;
  }
  const size = (e: Example): number => e.files.reduce((n, f) => n + f.text.length, 0);
  candidates.sort((a, b) => size(a.example) - size(b.example) || (a.name < b.name ? -1 : 1));
  return candidates[0]?.example ?? null;
}

function toExample(root: string, c: FixtureCase): { name: string; example: Example } {
  if (c.form === 'inline') {
    return {
      name: c.title,
      example: { where: `fixtures/${c.rule}/${CASES_FILE} (${c.name})`, files: [{ name: 'Dockerfile', text: c.dockerfile }], expected: withoutComments(c.expected ?? '') },
    };
  }
  const files: { name: string; text: string }[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name === 'Dockerfile' ? -1 : b.name === 'Dockerfile' ? 1 : a.name < b.name ? -1 : 1))) {
      const name = rel ? `${rel}/${e.name}` : e.name;
      if (name === 'expected.txt' || name === 'fixed') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, name);
      else if (e.isFile()) {
        const text = fs.readFileSync(p, 'utf8');
        if (!text.includes('\0')) files.push({ name, text });
      }
    }
  };
  walk(c.dir, '');
  const expectedFile = path.join(c.dir, 'expected.txt');
  const expected = fs.existsSync(expectedFile) ? withoutComments(fs.readFileSync(expectedFile, 'utf8')) : '';
  return { name: c.name, example: { where: path.relative(root, c.dir).split(path.sep).join('/'), files, expected } };
}
