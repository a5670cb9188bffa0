#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli.js and what it imports, npm packages included) into one
// ES module, dist/dockerlint.mjs, which bin/dockerlint.js loads: one file to read and compile
// instead of ~150 modules to resolve is most of dockerlint's start-up time (measured: --version
// 0.50 s -> 0.30 s). Run by `npm run build`.
//
// Left out, loaded from node_modules only when needed: @typescript-eslint/typescript-estree
// (JavaScript entrypoints) and yaml (compose files and configuration), both required lazily.
// The shell parser finds wasm/ relative to its module: `../../wasm/` from dist/parsers/, which is
// rewritten to `../wasm/` from dist/dockerlint.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WASM_FILES = ['shparse.wasm', 'wasm_exec.cjs'];

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

await build({
  absWorkingDir: root,
  entryPoints: ['dist/cli.js'],
  outfile: 'dist/dockerlint.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['@typescript-eslint/typescript-estree', 'yaml', 'ajv'],
  banner: { js: "import { createRequire as __dockerlintCreateRequire } from 'node:module';\nconst require = __dockerlintCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'error',
  plugins: [wasmBesideDist],
});
