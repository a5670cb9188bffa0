#!/usr/bin/env node
// Writes docs/rules/<id>.md and the README rule table from rule metadata. Run `npm run build` first.
import fs from 'node:fs';
import path from 'node:path';
import { DOCUMENTED, replaceReadmeTable, rulePage } from '../dist/docs.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
fs.mkdirSync(path.join(root, 'docs', 'rules'), { recursive: true });
for (const rule of DOCUMENTED) fs.writeFileSync(path.join(root, 'docs', 'rules', `${rule.id}.md`), rulePage(rule));
const readme = path.join(root, 'README.md');
fs.writeFileSync(readme, replaceReadmeTable(fs.readFileSync(readme, 'utf8')));
console.log(`wrote ${DOCUMENTED.length} rule pages and the README rule table`);
