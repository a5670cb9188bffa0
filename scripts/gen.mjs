#!/usr/bin/env node
// The one generator: writes everything derived from the sources, and deletes what no source
// derives any more.
//
//   src/rules/index.ts          the rule list, from the files of src/rules/
//   docs/rules/<id>.md          a page per rule and pseudo-rule (orphan pages are deleted)
//   README.md                   the rule table, by category (between the rules:start/end markers)
//   docs/suppressions.md        the hadolint and BuildKit tables, from the rules' peers
//   schema/dockerlint.schema.json
//   action/                     the GitHub Action bundle (scripts/bundle-action.mjs)
//
//   npm run gen                 write them
//   npm run gen -- --check      change nothing; exit 1 and name each stale file (npm test runs it)
//
// Needs no build: esbuild compiles scripts/gen/generate.ts (and the sources it imports) into a
// temporary module first.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { bundleAction } from './bundle-action.mjs';
import { ruleIndexText } from './gen/rule-index.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const stale = [];

// First the rule list, which everything else imports.
const indexFile = path.join(root, 'src', 'rules', 'index.ts');
const indexText = ruleIndexText(root);
if (fs.readFileSync(indexFile, 'utf8') !== indexText) {
  if (check) stale.push('src/rules/index.ts is stale');
  else {
    fs.writeFileSync(indexFile, indexText);
    console.log('wrote src/rules/index.ts');
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-gen-'));
try {
  const out = path.join(tmp, 'generate.mjs');
  await build({
    absWorkingDir: root,
    entryPoints: ['scripts/gen/generate.ts'],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outfile: out,
    logLevel: 'error',
    banner: { js: "import { createRequire as __dockerlintCreateRequire } from 'node:module'; const require = __dockerlintCreateRequire(import.meta.url);" },
  });
  const generated = (await import(pathToFileURL(out).href)).generate(root);
  for (const [rel, text] of generated.files) {
    const file = path.join(root, rel);
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    if (current === text) continue;
    if (check) stale.push(`${rel} is stale`);
    else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      console.log(`wrote ${rel}`);
    }
  }
  for (const rel of generated.orphans) {
    if (check) stale.push(`${rel} documents no rule`);
    else {
      fs.rmSync(path.join(root, rel));
      console.log(`deleted ${rel}`);
    }
  }

  // The action bundle: built into a temporary folder and compared byte for byte.
  const actionOut = check ? path.join(tmp, 'action') : path.join(root, 'action');
  const files = await bundleAction(actionOut);
  if (check) {
    const committed = fs.existsSync(path.join(root, 'action')) ? fs.readdirSync(path.join(root, 'action')).sort() : [];
    if (committed.join() !== files.join()) stale.push(`action/ has ${committed.join(', ')}; the build gives ${files.join(', ')}`);
    for (const name of files) {
      const a = path.join(root, 'action', name);
      if (fs.existsSync(a) && !fs.readFileSync(a).equals(fs.readFileSync(path.join(actionOut, name)))) stale.push(`action/${name} is stale`);
    }
  } else console.log(`wrote action/: ${files.join(', ')}`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
if (stale.length) {
  for (const s of stale) console.error(s);
  console.error('run `npm run gen` and commit the result');
  process.exitCode = 1;
}
