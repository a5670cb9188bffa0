import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** Runs an expression with scripts/release.mjs's exports in scope; its JSON value, or the error. */
function release(expr: string): unknown {
  const script = `import * as r from ${JSON.stringify(path.join(root, 'scripts', 'release.mjs'))};
    try { console.log(JSON.stringify({ ok: (${expr}) })); } catch (e) { console.log(JSON.stringify({ error: e.message })); }`;
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  expect(out.stderr).toBe('');
  return JSON.parse(out.stdout) as unknown;
}

test('npm run release is the release script', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(pkg.scripts.release).toBe('node scripts/release.mjs');
});

test('versions: bumps, an explicit higher version, nothing lower', () => {
  expect(release("['patch', 'minor', 'major', '0.3.0'].map((s) => r.nextVersion('0.1.9', s))")).toEqual({ ok: ['0.1.10', '0.2.0', '1.0.0', '0.3.0'] });
  expect(release("r.nextVersion('0.2.0', '0.1.5')")).toEqual({ error: '0.1.5 is not above the current version 0.2.0' });
  expect(release("r.nextVersion('0.2.0', undefined)")).toEqual({ error: 'usage: npm run release -- <patch|minor|major|X.Y.Z> (got nothing)' });
});

test('CHANGELOG: Unreleased moves under the version, a fresh Unreleased stays on top; an empty one is refused', () => {
  const text = '# Changelog\n\nintro\n\n## Unreleased\n\n### Added\n\n- a thing\n\n## [0.1.0] - 2026-01-01\n\n- first\n';
  expect(release(`r.releaseChangelog(${JSON.stringify(text)}, '0.2.0', '2026-12-01')`)).toEqual({
    ok: '# Changelog\n\nintro\n\n## Unreleased\n\n## [0.2.0] - 2026-12-01\n\n### Added\n\n- a thing\n\n## [0.1.0] - 2026-01-01\n\n- first\n',
  });
  expect(release(`r.releaseChangelog('# Changelog\\n\\n## Unreleased\\n\\n## [0.1.0] - 2026-01-01\\n', '0.2.0', '2026-12-01')`)).toEqual({
    error: 'the Unreleased section of CHANGELOG.md is empty: say what changed first',
  });
  // The real changelog has an Unreleased section with content to release.
  const real = fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8');
  expect(release(`r.releaseChangelog(${JSON.stringify(real)}, '9.9.9', '2026-12-01').includes('## [9.9.9] - 2026-12-01')`)).toEqual({ ok: true });
});

test('src/meta.ts: the VERSION line is rewritten', () => {
  const meta = fs.readFileSync(path.join(root, 'src', 'meta.ts'), 'utf8');
  expect(release(`r.releaseMeta(${JSON.stringify(meta)}, '0.2.0').match(/VERSION = '([^']*)'/)[1]`)).toEqual({ ok: '0.2.0' });
});
