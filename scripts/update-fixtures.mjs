#!/usr/bin/env node
// Rewrites fixtures/*/*/expected.txt from what dockerlint reports now, and prints what changed so
// a person reads the diff before committing it. Refuses to run in CI: expectations are approved
// by people, never by the pipeline. Run `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import { lintFile } from '../dist/engine.js';
import { ShellService } from '../dist/model/shell-service.js';
import { ComposeIndex } from '../dist/compose.js';
import { RULES } from '../dist/rules/index.js';

if (process.env.CI) {
  console.error('update-fixtures: refusing to run in CI (CI is set). Expected files are updated by a person.');
  process.exit(2);
}
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures');
const only = process.argv[2];
const shell = new ShellService();
let changed = 0;
for (const rule of fs.readdirSync(root).sort()) {
  const ruleDir = path.join(root, rule);
  if (!fs.statSync(ruleDir).isDirectory()) continue;
  for (const name of fs.readdirSync(ruleDir).sort()) {
    const dir = path.join(ruleDir, name);
    if (only && !`${rule}/${name}`.includes(only)) continue;
    if (!fs.statSync(dir).isDirectory()) continue;
    // A rule's cases run with only that rule on; real-world-style runs every rule.
    const severities = rule === 'real-world-style' ? {} : Object.fromEntries(RULES.map((r) => [r.id, r.id === rule ? r.severity : 'off']));
    const findings = await lintFile({ path: path.join(dir, 'Dockerfile') }, { cwd: dir, shell, compose: new ComposeIndex(dir), severities });
    let text = findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule}`).join('\n') + (findings.length ? '\n' : '');
    const file = path.join(dir, 'expected.txt');
    const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    // Comment lines (`# why this is expected`) are kept, above the findings.
    const comments = (old ?? '').split('\n').filter((l) => l.startsWith('#'));
    if (comments.length) text = `${comments.join('\n')}\n${text}`;
    if (old === text) continue;
    changed++;
    console.log(`--- ${rule}/${name}/expected.txt`);
    for (const l of (old ?? '').split('\n').filter(Boolean)) if (!text.includes(l)) console.log(`- ${l}`);
    for (const l of text.split('\n').filter(Boolean)) if (!(old ?? '').includes(l)) console.log(`+ ${l}`);
    for (const f of findings) console.log(`    ${f.rule}: ${f.message}`);
    fs.writeFileSync(file, text);
  }
}
console.log(`${changed} expected file(s) changed`);
