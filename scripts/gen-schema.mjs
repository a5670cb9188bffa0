#!/usr/bin/env node
// Writes schema/dockerlint.schema.json, the JSON Schema of the configuration file, from
// src/config/schema.ts (itself generated from the rule list). test/config.test.ts fails when the
// committed file is stale. Needs no build: esbuild (a dev dependency) compiles the TypeScript
// source into a temporary module first.
//
//   node scripts/gen-schema.mjs           write the file
//   node scripts/gen-schema.mjs --check   exit 1 when the file is stale
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'schema', 'dockerlint.schema.json');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-schema-'));
try {
  const out = path.join(tmp, 'schema.mjs');
  await build({
    absWorkingDir: root,
    entryPoints: ['src/config/schema.ts'],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outfile: out,
    logLevel: 'error',
    banner: { js: "import { createRequire as __dockerlintCreateRequire } from 'node:module'; const require = __dockerlintCreateRequire(import.meta.url);" },
  });
  const { schemaText } = await import(pathToFileURL(out).href);
  const text = schemaText();
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
    if (current !== text) {
      console.error(`${path.relative(root, target)} is stale: run node scripts/gen-schema.mjs`);
      process.exitCode = 1;
    }
  } else {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    console.log(`wrote ${path.relative(root, target)}`);
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
