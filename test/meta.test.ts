import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_NAME, REPOSITORY_URL, ruleDocUrl } from '../src/meta.js';
import { helpUri, INFORMATION_URI } from '../src/reporters/sarif.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  name: string;
  bin: Record<string, string>;
  homepage: string;
  repository: { type: string; url: string };
  bugs: { url: string };
};

test('package.json names the package and its one repository as src/meta.ts does; the command stays dockerlint', () => {
  expect(pkg.name).toBe(PACKAGE_NAME);
  expect(Object.keys(pkg.bin)).toEqual(['dockerlint']);
  expect(pkg.repository).toEqual({ type: 'git', url: `git+${REPOSITORY_URL}.git` });
  expect(pkg.homepage).toBe(`${REPOSITORY_URL}#readme`);
  expect(pkg.bugs).toEqual({ url: `${REPOSITORY_URL}/issues` });
});

test('SARIF links to the same repository and rule pages that exist', () => {
  expect(INFORMATION_URI).toBe(REPOSITORY_URL);
  expect(helpUri('root-process')).toBe(`${REPOSITORY_URL}/blob/main/docs/rules/root-process.md`);
  expect(ruleDocUrl('root-process')).toBe(helpUri('root-process'));
  expect(fs.existsSync(path.join(root, 'docs', 'rules', 'root-process.md'))).toBe(true);
});
