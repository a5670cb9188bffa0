/**
 * Documentation: the generated files are checked by `npm run gen -- --check` (part of npm test);
 * this checks what the generator cannot.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DIAGNOSTICS, RULES } from '../src/rules/index.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

describe('documentation', () => {
  test('rule ids are kebab-case and match their file names, and each has a page', () => {
    for (const r of [...RULES, ...DIAGNOSTICS]) {
      expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(fs.existsSync(path.join(root, 'src', 'rules', `${r.id}.ts`))).toBe(true);
      const page = fs.readFileSync(path.join(root, 'docs', 'rules', `${r.id}.md`), 'utf8');
      expect(page.startsWith(`<!-- generated from src/rules/${r.id}.ts`)).toBe(true);
      expect(r.docs.what.length).toBeGreaterThan(20);
      expect(r.docs.why.length).toBeGreaterThan(20);
    }
  });

  test('every file in src/rules/ is a rule or pseudo-rule, besides the contract and the list', () => {
    const ids = new Set([...RULES, ...DIAGNOSTICS].map((r) => `${r.id}.ts`));
    const others = fs.readdirSync(path.join(root, 'src', 'rules')).filter((f) => !ids.has(f));
    expect(others.sort()).toEqual(['index.ts', 'rule.ts']);
  });

  test('the README quickstart is exactly the two documented commands', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const quick = /## Quickstart\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(quick).toBe('npm ci && npx dockerlint examples/\nnpm test\n');
  });
});
