import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
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

/**
 * The script end to end in a throwaway repository made of this one's release inputs
 * (package.json, package-lock.json, src/meta.ts, CHANGELOG.md, scripts/release.mjs), with `gen`
 * and `test` replaced by scripts that record that they ran and which version they saw.
 */
describe('npm run release in a temporary repository', () => {
  let repo: string;
  const gitEnv = {
    ...process.env,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'release-test',
    GIT_AUTHOR_EMAIL: 'release-test@example.invalid',
    GIT_COMMITTER_NAME: 'release-test',
    GIT_COMMITTER_EMAIL: 'release-test@example.invalid',
    npm_config_update_notifier: 'false',
  };
  const sh = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: repo, encoding: 'utf8', env: gitEnv, timeout: 60_000 });
  const git = (...args: string[]) => sh('git', args).stdout.trim();
  const releaseRun = (...args: string[]) => sh(process.execPath, [path.join('scripts', 'release.mjs'), ...args]);
  const read = (rel: string) => fs.readFileSync(path.join(repo, rel), 'utf8');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string; scripts: Record<string, string> };
  const [major, minor] = pkg.version.split('.').map(Number) as [number, number];
  const next = `${major}.${minor + 1}.0`;

  beforeAll(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-release-'));
    for (const rel of ['package-lock.json', 'src/meta.ts', 'CHANGELOG.md', 'scripts/release.mjs']) {
      fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
      fs.copyFileSync(path.join(root, rel), path.join(repo, rel));
    }
    const record = (name: string) => `node -e "require('fs').writeFileSync('${name}', require('./package.json').version + '\\n')"`;
    fs.writeFileSync(path.join(repo, 'package.json'), `${JSON.stringify({ ...pkg, scripts: { release: pkg.scripts.release, gen: record('gen-ran'), test: record('test-ran') } }, null, 2)}\n`);
    expect(sh('git', ['init', '-q', '-b', 'main']).status).toBe(0);
    git('add', '-A');
    expect(sh('git', ['commit', '-q', '-m', 'start']).status).toBe(0);
  });
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  test('--dry-run prints the version, the changelog section and the commands, and writes nothing', () => {
    const before = git('rev-parse', 'HEAD');
    const r = releaseRun('minor', '--dry-run');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`release (dry run, nothing is written): ${pkg.version} -> ${next}, dated `);
    expect(r.stdout).toMatch(new RegExp(`^  ## \\[${next.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm'));
    expect(r.stdout).toContain(`  $ git tag -a v${next} -m "dockerlint ${next}"`);
    expect(r.stdout).toContain(`  git push origin HEAD v${next}`);
    expect(git('status', '--porcelain')).toBe('');
    expect(git('rev-parse', 'HEAD')).toBe(before);
    expect(git('tag', '--list')).toBe('');
    expect(fs.existsSync(path.join(repo, 'gen-ran'))).toBe(false);
  });

  test('refuses a dirty work tree, an unknown option and a version that is not higher', () => {
    fs.writeFileSync(path.join(repo, 'stray.txt'), 'x');
    expect(releaseRun('minor', '--dry-run')).toMatchObject({ status: 2, stderr: 'release: the work tree has uncommitted changes; commit or stash them first\n' });
    fs.rmSync(path.join(repo, 'stray.txt'));
    expect(releaseRun('minor', '--dryrun')).toMatchObject({ status: 2, stderr: expect.stringContaining('release: unknown option --dryrun') as unknown });
    expect(releaseRun(pkg.version)).toMatchObject({ status: 2, stderr: `release: ${pkg.version} is not above the current version ${pkg.version}\n` });
  });

  test('a real run: version everywhere, changelog, gen and test after the bump, one commit, an annotated tag', () => {
    const r = releaseRun('minor');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Released ${next} locally (commit and tag v${next}).`);
    expect(git('status', '--porcelain')).toBe('');
    expect(git('log', '-1', '--format=%s')).toBe(`Release ${next}`);
    expect(git('cat-file', '-t', `v${next}`)).toBe('tag');
    expect(git('rev-parse', `v${next}^{}`)).toBe(git('rev-parse', 'HEAD'));
    expect((JSON.parse(read('package.json')) as { version: string }).version).toBe(next);
    const lock = JSON.parse(read('package-lock.json')) as { version: string; packages: Record<string, { version: string }> };
    expect([lock.version, lock.packages['']!.version]).toEqual([next, next]);
    expect(read('src/meta.ts')).toContain(`export const VERSION = '${next}';`);
    expect(read('CHANGELOG.md')).toMatch(new RegExp(`\\n## Unreleased\\n\\n## \\[${next.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}\\n\\n### Added\\n`));
    // gen and test ran on the new version, and what gen wrote is in the release commit.
    expect([read('gen-ran'), read('test-ran')]).toEqual([`${next}\n`, `${next}\n`]);
    expect(git('show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual(['CHANGELOG.md', 'gen-ran', 'package-lock.json', 'package.json', 'src/meta.ts', 'test-ran']);
    // Again: the Unreleased section is empty now.
    expect(releaseRun('patch')).toMatchObject({ status: 2, stderr: 'release: the Unreleased section of CHANGELOG.md is empty: say what changed first\n' });
  }, 60_000);

  test('an existing tag is refused', () => {
    const patch = `${major}.${minor + 1}.1`;
    fs.writeFileSync(path.join(repo, 'CHANGELOG.md'), read('CHANGELOG.md').replace('## Unreleased\n', '## Unreleased\n\n- a fix\n'));
    git('commit', '-qam', 'a fix');
    git('tag', `v${patch}`);
    expect(releaseRun('patch', '--dry-run')).toMatchObject({ status: 2, stderr: `release: the tag v${patch} exists already\n` });
  });
});
