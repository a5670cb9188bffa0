import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

test('action/ is what scripts/bundle-action.mjs builds from the current sources (rerun it when this fails)', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-bundle-'));
  try {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'bundle-action.mjs'), '--out', out], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const built = fs.readdirSync(out).sort();
    expect(built).toEqual(expect.arrayContaining(['index.js', 'package.json', 'shparse.wasm', 'wasm_exec.cjs']));
    // The same files (a lazily loaded package's file may have come or gone), with the same bytes.
    expect(fs.readdirSync(path.join(root, 'action')).sort()).toEqual(built);
    for (const name of built) {
      const committed = path.join(root, 'action', name);
      expect(fs.existsSync(committed)).toBe(true);
      // Compare bytes; on a mismatch say which file, not a megabyte diff.
      const same = fs.readFileSync(committed).equals(fs.readFileSync(path.join(out, name)));
      expect({ file: `action/${name}`, upToDate: same }).toEqual({ file: `action/${name}`, upToDate: true });
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}, 120_000);

test('the build refuses a bundle that would still load a package at run time', () => {
  // What esbuild reports for a require() it left external, e.g. require('yaml') through a
  // createRequire it cannot follow, fails the build; node built-ins and the allowed files pass.
  const script = `
    import { checkImports } from ${JSON.stringify(path.join(root, 'scripts', 'bundle-action.mjs'))};
    const meta = (imports) => ({ outputs: { 'action/index.js': { imports } } });
    checkImports(meta([{ path: 'node:fs', kind: 'import-statement', external: true }, { path: 'fs', kind: 'require-call', external: true },
      { path: './x.cjs', kind: 'dynamic-import', external: true }, { path: 'yaml', kind: 'require-call', external: false }]), ['./x.cjs']);
    try { checkImports(meta([{ path: 'yaml', kind: 'require-call', external: true }]), []); console.log('accepted'); }
    catch (e) { console.log(e.message); }
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe('the bundle would load modules it does not contain:\n  action/index.js: require-call yaml\n');
});
