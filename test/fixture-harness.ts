/**
 * Fixture cases: `fixtures/<rule-id>/<bad|good>-<case>/`, each a build context with a Dockerfile
 * and an `expected.txt` beside it listing every finding as `file:line:column severity rule`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { lintFile } from '../src/engine.js';
import type { Finding, Severity } from '../src/findings.js';
import { ShellService } from '../src/model/shell-service.js';
import { ComposeIndex } from '../src/compose.js';
import { RULES } from '../src/rules/index.js';

export const FIXTURES = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures');

/** Folders of `fixtures/` that are not rules: whole real-world-style images, compared exactly. */
export const SCENARIO_SETS = new Set(['real-world-style']);

export interface FixtureCase {
  rule: string;
  name: string;
  kind: 'bad' | 'good' | 'scenario';
  dir: string;
}

export function fixtureCases(): FixtureCase[] {
  const cases: FixtureCase[] = [];
  for (const rule of fs.readdirSync(FIXTURES).sort()) {
    const ruleDir = path.join(FIXTURES, rule);
    if (!fs.statSync(ruleDir).isDirectory()) continue;
    for (const name of fs.readdirSync(ruleDir).sort()) {
      const dir = path.join(ruleDir, name);
      if (!fs.statSync(dir).isDirectory()) continue;
      const kind = SCENARIO_SETS.has(rule) ? 'scenario' : name.startsWith('bad-') ? 'bad' : name.startsWith('good-') ? 'good' : null;
      if (!kind) throw new Error(`fixture ${rule}/${name}: the name must start with bad- or good-`);
      cases.push({ rule, name, kind, dir });
    }
  }
  return cases;
}

const shell = new ShellService();

/** A case of `fixtures/<rule>/` runs with only that rule on; a scenario runs every rule. */
export function fixtureSeverities(c: Pick<FixtureCase, 'rule' | 'kind'>): Record<string, Severity | 'off'> {
  if (c.kind === 'scenario') return {};
  return Object.fromEntries(RULES.map((r) => [r.id, r.id === c.rule ? r.severity : ('off' as const)]));
}

export async function lintCase(c: FixtureCase): Promise<Finding[]> {
  return lintFile({ path: path.join(c.dir, 'Dockerfile') }, { cwd: c.dir, shell, compose: new ComposeIndex(c.dir), severities: fixtureSeverities(c) });
}

export function findingLine(f: Finding): string {
  return `${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule}`;
}

export function expectedLines(c: FixtureCase): string[] | null {
  const file = path.join(c.dir, 'expected.txt');
  if (!fs.existsSync(file)) return null;
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}
