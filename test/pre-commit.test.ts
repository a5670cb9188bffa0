/**
 * The pre-commit hook runs the committed bundle with the node on PATH: installing it is a git
 * clone (no npm install, no TypeScript build). With pre-commit installed, the real hook is run
 * through `pre-commit try-repo` (scripts/test-pre-commit.sh, which CI runs too).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

test('the hook is the committed bundle, as a script: nothing to install', () => {
  const hooks = parse(fs.readFileSync(path.join(root, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string }[];
  expect(hooks.map((h) => [h.id, h.entry, h.language])).toEqual([['dockerlint', 'action/dockerlint.js', 'script']]);
  // git keeps the mode: the hook is started directly.
  const mode = spawnSync('git', ['ls-files', '--stage', 'action/dockerlint.js'], { cwd: root, encoding: 'utf8' }).stdout;
  expect(mode).toMatch(/^100755 /);
});

const hasPreCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;

(hasPreCommit ? test : test.skip)('pre-commit try-repo: the hook fails a bad project with its findings, twice', () => {
  const r = spawnSync('bash', [path.join(root, 'scripts', 'test-pre-commit.sh')], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  expect(r.stdout).toMatch(/test-pre-commit: first run \(installs the hook\) \d+ ms, second run \d+ ms/);
  expect(r.stdout).toContain('test-pre-commit: OK');
  expect(r.status).toBe(0);
}, 120_000);
