import fs from 'node:fs';
import path from 'node:path';
import { DOCUMENTED, replaceReadmeTable, rulePage } from '../src/docs.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

describe('generated documentation is up to date (npm run docs)', () => {
  test.each(DOCUMENTED.map((r) => [r.id, r] as const))('docs/rules/%s.md', (id, rule) => {
    const file = path.join(root, 'docs', 'rules', `${id}.md`);
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe(rulePage(rule));
  });

  test('README rule table', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(replaceReadmeTable(readme)).toBe(readme);
  });

  test('rule ids are kebab-case and match their file names', () => {
    for (const r of DOCUMENTED) {
      expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(fs.existsSync(path.join(root, 'src', 'rules', `${r.id}.ts`))).toBe(true);
      expect(r.docs.what.length).toBeGreaterThan(20);
      expect(r.docs.why.length).toBeGreaterThan(20);
    }
  });

  test('the README quickstart is exactly the two documented commands', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const quick = /## Quickstart\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(quick).toBe('npm ci && npx dockerlint examples/\nnpm test\n');
  });
});
