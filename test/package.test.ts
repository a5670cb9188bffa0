/**
 * The published package as a user gets it: `npm pack` (dist/ is built by `npm test`'s pretest, as
 * `prepack` builds it before a real pack), installed into an empty prefix with --ignore-scripts,
 * run from a folder outside the repository.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  scripts: Record<string, string>;
  dependencies?: Record<string, string>;
};

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-pack-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) =>
  spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } });

test('installers never build: no prepare or install scripts; the build runs before packing', () => {
  for (const script of ['prepare', 'preinstall', 'install', 'postinstall']) expect({ script, defined: script in pkg.scripts }).toEqual({ script, defined: false });
  expect(pkg.scripts.prepack).toBe('npm run build');
  // Everything is bundled: nothing to download besides the tarball.
  expect(pkg.dependencies ?? {}).toEqual({});
});

test('the tarball holds only what runs, installs without warnings and lints from another folder', () => {
  const packed = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], root);
  expect(packed.status).toBe(0);
  const info = (JSON.parse(packed.stdout) as { filename: string; size: number; files: { path: string }[] }[])[0]!;
  const files = info.files.map((f) => f.path).sort();
  expect(files.filter((f) => !f.startsWith('docs/'))).toEqual([
    'LICENSE',
    'README.md',
    'CHANGELOG.md',
    'bin/dockerlint.cjs',
    'dist/dockerlint.cjs',
    'dist/dockerlint.cjs.cache',
    'dist/typescript-eslint-typescript-estree.cjs',
    'package.json',
    'schema/dockerlint.schema.json',
    'wasm/shparse.wasm',
    'wasm/wasm_exec.cjs',
  ].sort());
  expect(files).toContain('docs/rules/root-process.md');
  expect(files.filter((f) => /\.ts$|^src\/|^test\/|^dist\/(?!dockerlint\.cjs|typescript-eslint)/.test(f))).toEqual([]);
  expect(info.size).toBeLessThan(5 * 1024 * 1024);

  const prefix = path.join(tmp, 'prefix');
  const installed = npm(['install', '--global', '--prefix', prefix, '--ignore-scripts', '--no-audit', '--no-fund', path.join(tmp, info.filename)], tmp);
  expect(installed.stderr).toBe('');
  expect(installed.status).toBe(0);
  const pkgDir = path.join(prefix, 'lib', 'node_modules', pkg.name);
  expect(fs.existsSync(path.join(pkgDir, 'node_modules'))).toBe(false);
  const bin = path.join(prefix, 'bin', 'dockerlint');

  // The examples, a configuration (yaml, ajv) and a Node entrypoint (the TypeScript parser).
  const work = path.join(tmp, 'project');
  fs.cpSync(path.join(root, 'examples'), work, { recursive: true });
  fs.writeFileSync(path.join(work, '.dockerlint.yaml'), 'rules:\n  sudo-in-run: off\n');
  const r = spawnSync(bin, ['.', '--format', 'json'], { cwd: work, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 60_000 });
  expect(r.stderr).toBe('');
  const found = (JSON.parse(r.stdout) as { rule: string; file: string }[]).map((f) => `${f.file} ${f.rule}`);
  expect(found).toContain('worker/bin/start-worker.sh su-sudo');
  expect(found).toContain('api/Dockerfile shell-form-pid1');
  expect(found.filter((f) => /sudo-in-run|input-error/.test(f))).toEqual([]);
  expect(r.status).toBe(1);
  const v = spawnSync(bin, ['--version'], { cwd: work, encoding: 'utf8' });
  expect(v.stdout).toBe(`${pkg.version}\n`);
}, 180_000);
