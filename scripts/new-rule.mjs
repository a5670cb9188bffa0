#!/usr/bin/env node
// Starts a rule (CONTRIBUTING.md, "Adding a rule"): writes src/rules/<id>.ts, registers it in
// src/rules/index.ts (regenerated from the files of src/rules/) and starts
// fixtures/<id>/cases.txt with a bad and a good case to fill in.
//
//   npm run new-rule <id>          e.g. npm run new-rule apt-no-install-recommends
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ruleIndexText } from './gen/rule-index.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const id = process.argv[2] ?? '';
if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(id)) {
  console.error('usage: npm run new-rule <id>   (a kebab-case id, e.g. apt-no-install-recommends)');
  process.exit(2);
}
const ruleFile = path.join(root, 'src', 'rules', `${id}.ts`);
const casesFile = path.join(root, 'fixtures', id, 'cases.txt');
for (const f of [ruleFile, casesFile]) {
  if (fs.existsSync(f)) {
    console.error(`${path.relative(root, f)} exists already`);
    process.exit(2);
  }
}

fs.writeFileSync(
  ruleFile,
  `import { defineRule } from './rule.js';

export default defineRule({
  id: '${id}',
  severity: 'warning',
  category: 'build',
  recommended: true,
  title: 'TODO: what it flags, in a line',
  peers: {},
  // Reads only the instructions: it also lints a Dockerfile without FROM.
  scope: 'instructions',
  messages: {
    // One string literal each; {placeholders} are filled from the report's data.
    found: {
      message: 'TODO: what is wrong with \`{command}\`, and what it does at build or run time.',
      hint: 'TODO: how to fix it, as code that works.',
    },
  },
  docs: {
    what: 'TODO: what the rule flags.',
    why: 'TODO: why it matters when the image is built or run.',
    bad: 'FROM debian:12\\nRUN TODO',
    good: 'FROM debian:12\\nRUN TODO',
    howToFix: 'TODO: how to fix it, in one or two sentences.',
  },
  async check(ctx) {
    for (const view of ctx.view.byKeyword('RUN')) {
      const run = await ctx.view.run(view);
      for (const cmd of run.commands) {
        if (cmd.name !== 'TODO') continue;
        ctx.report({ at: { file: ctx.env.dockerfile.displayPath, span: cmd.program.span }, messageId: 'found', data: { command: cmd.name } });
      }
    }
  },
});
`,
);
fs.mkdirSync(path.dirname(casesFile), { recursive: true });
fs.writeFileSync(
  casesFile,
  `# ${id}: cases that need only a Dockerfile (CONTRIBUTING.md, "The fixture formats").
# Write them, then \`npm run fixtures:update -- ${id}\` fills in the expected findings for review.

=== bad: TODO what makes it fire
FROM debian:12
RUN TODO

=== good: TODO the official-image pattern that must stay silent
FROM debian:12
RUN true
`,
);
fs.writeFileSync(path.join(root, 'src', 'rules', 'index.ts'), ruleIndexText(root));
console.log(`wrote src/rules/${id}.ts, fixtures/${id}/cases.txt; registered it in src/rules/index.ts`);
console.log(`next: fill in the rule and its cases, \`npm run fixtures:update -- ${id}\`, \`npm run gen\`, \`npm test\``);
