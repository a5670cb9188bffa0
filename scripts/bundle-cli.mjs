#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli.js and what it imports, npm packages included) into one
// CommonJS file, dist/dockerlint.cjs, and writes V8's code cache for it,
// dist/dockerlint.cjs.cache. bin/dockerlint.cjs loads both. Run by `npm run build`.
//
// Why one file: reading and compiling one file instead of resolving ~150 modules is most of
// dockerlint's start-up (measured: --version 0.50 s -> 0.30 s). Why CommonJS: Node 20 can hand a
// code cache to `vm.Script` but not to an ES module, and the cache saves the compile and lazy
// compilation of every function a lint run uses (see docs/performance.md for the figures).
//
// Self-contained, so the published package has no dependencies to install: yaml and ajv
// (compose files, configuration) are in the bundle, still evaluated only when first required;
// @typescript-eslint/typescript-estree (JavaScript entrypoints, with TypeScript ~10 MB) is bundled
// apart into dist/typescript-eslint-typescript-estree.cjs, the same file as the Action's, loaded
// only for a Node entrypoint. The build fails if the bundle would load any other package.
// The shell parser finds wasm/ relative to its module: `../../wasm/` from dist/parsers/, which is
// rewritten to `../wasm/` from dist/dockerlint.cjs.
//
// The cache is written by running the bundle once on examples/ (a warm-up that compiles what a
// lint run compiles) under the same V8 flags bin/dockerlint.cjs sets. V8 rejects a cache made by
// another Node version or other flags, and the loader then compiles normally; it also checks a
// hash of the bundle (its first line), so a cache never outlives its bundle. Failing to write it is a warning.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleLazyPackage, bundleLocalRequires, checkImports, escapeRegExp, fileOf, LAZY_PACKAGES } from './bundle-action.mjs';
import { lazyStringWidth, leanYargsShim } from './esbuild-lean-start.mjs';
import { noPackageJsonLookup } from './esbuild-no-pkgup.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WASM_FILES = ['shparse.wasm', 'wasm_exec.cjs'];
const OUT = path.join(root, 'dist', 'dockerlint.cjs');
const CACHE = `${OUT}.cache`;

const wasmBesideDist = {
  name: 'wasm-beside-dist',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]parsers[\\/]shell\.js$/ }, async (args) => {
      let text = await fs.promises.readFile(args.path, 'utf8');
      for (const name of WASM_FILES) {
        const from = `'../../wasm/${name}'`;
        const count = text.split(from).length - 1;
        if (count !== 1) throw new Error(`${path.relative(root, args.path)}: expected ${from} exactly once, found it ${count} times`);
        text = text.replace(from, `'../wasm/${name}'`);
      }
      return { contents: text, loader: 'js' };
    });
  },
};

// A cache must never be paired with another bundle: remove it first.
fs.rmSync(CACHE, { force: true });
fs.rmSync(path.join(root, 'dist', 'dockerlint.mjs'), { force: true }); // the former ES module bundle

/** The lazy packages are the files beside the bundle, loaded by the require() bin/ hands it. */
const lazyBeside = {
  name: 'lazy-beside',
  setup(b) {
    for (const pkg of LAZY_PACKAGES) {
      b.onResolve({ filter: new RegExp(`^${pkg.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) }, () => ({ path: `./${fileOf(pkg)}`, external: true }));
    }
  },
};

const result = await build({
  absWorkingDir: root,
  metafile: true,
  entryPoints: ['dist/cli.js'],
  outfile: path.relative(root, OUT),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // `import()` of the external packages becomes require(): they are CommonJS, and a vm.Script
  // has no ES module loader of its own.
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__dockerlintBundleUrl' },
  banner: { js: "const __dockerlintBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: 'none',
  logLevel: 'error',
  plugins: [wasmBesideDist, lazyBeside, bundleLocalRequires(new RegExp(`^${escapeRegExp(path.join(root, 'dist'))}[\\\\/].*\\.js$`)), leanYargsShim, noPackageJsonLookup, lazyStringWidth],
});
checkImports(result.metafile, LAZY_PACKAGES.map((p) => `./${fileOf(p)}`));
for (const pkg of LAZY_PACKAGES) await bundleLazyPackage(pkg, path.dirname(OUT));

// The id line bin/dockerlint.cjs pairs the cache with (a hash of the bundle).
let text = fs.readFileSync(OUT, 'utf8');
text = `// dockerlint-bundle ${createHash('sha1').update(text).digest('hex')}\n${text}`;
fs.writeFileSync(OUT, text);
if (/\bimport\(/.test(text.replace(/\/\/.*|'[^'\n]*'|"[^"\n]*"|`[^`]*`/g, ''))) {
  throw new Error('dist/dockerlint.cjs still contains import(): it would fail under vm.Script');
}

const warm = spawnSync(process.execPath, [path.join(root, 'bin', 'dockerlint.cjs'), 'examples', '--no-color'], {
  cwd: root,
  env: { ...process.env, DOCKERLINT_CODE_CACHE: 'write', DOCKERLINT_WORKERS: '0' },
  encoding: 'utf8',
});
if (!fs.existsSync(CACHE)) {
  console.warn(`bundle-cli: no code cache written (exit ${warm.status}): ${(warm.stderr || '').trim().split('\n')[0] ?? ''}`);
}
