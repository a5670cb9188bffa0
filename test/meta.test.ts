import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_NAME, REPOSITORY_URL, ruleDocUrl, VERSION } from '../src/meta.js';
import { helpUri, INFORMATION_URI } from '../src/reporters/sarif.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  homepage: string;
  repository: { type: string; url: string };
  bugs: { url: string };
};

test('package.json names the package and its one repository as src/meta.ts does; the command stays dockerlint', () => {
  expect(pkg.name).toBe(PACKAGE_NAME);
  expect(pkg.version).toBe(VERSION);
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

test('the README: what it does, the two Quickstart commands, install with the package name, no tag that does not exist', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const repo = REPOSITORY_URL.replace('https://github.com/', '');
  expect(readme.indexOf('## Quickstart')).toBeLessThan(readme.indexOf('## Use it on your project'));
  expect(readme).toContain('```sh\nnpm ci && npx dockerlint examples/\nnpm test\n```');
  expect(readme).toContain(`npx -p ${PACKAGE_NAME} dockerlint .`);
  expect(readme).toContain(`npm install --global ${PACKAGE_NAME}`);
  expect(readme).toContain(`uses: ${repo}@main`);
  expect(readme).toContain(`repo: ${REPOSITORY_URL}\n`);
  expect(readme).toContain('uses: actions/checkout@v7');
  expect(readme).toContain('uses: github/codeql-action/upload-sarif@v4');
  // No release exists yet: neither the Action nor the hook may name a tag.
  expect(readme).not.toMatch(new RegExp(`${repo}@v\\d`));
  expect(readme).not.toMatch(/^\s*rev: v\d/m);
  for (const section of ['## Limitations', '### Releasing']) expect(readme).toContain(section);
});

test('no document names another repository URL for dockerlint', () => {
  const docs = ['README.md', 'CHANGELOG.md', 'action.yml', '.pre-commit-hooks.yaml', ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  for (const file of docs) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const urls = [...text.matchAll(/https:\/\/github\.com\/([\w.-]+\/[\w.-]*dockerlint[\w.-]*)/gi)].map((m) => m[1]);
    expect({ file, urls: urls.filter((u) => u !== REPOSITORY_URL.replace('https://github.com/', '')) }).toEqual({ file, urls: [] });
  }
});

test('workflow snippets and CI name the current majors of the actions they use (all on Node 24)', () => {
  // Current majors in December 2026; each runs on Node 24 (earlier ones on the removed Node 20).
  const CURRENT: Record<string, string> = {
    'actions/checkout': 'v7',
    'actions/setup-node': 'v7',
    'actions/upload-artifact': 'v7',
    'actions/download-artifact': 'v8',
    'github/codeql-action/upload-sarif': 'v4',
  };
  const repo = REPOSITORY_URL.replace('https://github.com/', '');
  for (const file of ['README.md', '.github/workflows/ci.yml']) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const uses = [...text.matchAll(/uses: ([\w./-]+)@([\w.-]+)/g)].map((m) => [m[1]!, m[2]!] as const).filter(([action]) => action !== repo);
    expect(uses.length).toBeGreaterThan(0);
    for (const [action, ref] of uses) expect({ file, action, ref }).toEqual({ file, action, ref: CURRENT[action] });
  }
});
