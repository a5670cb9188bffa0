#!/usr/bin/env node
// Rewrites the fixtures' expectations (expected.txt, the `--- expected` and `--- fixed` sections
// of cases.txt, fixed/ folders) from what dockerlint reports now, and prints each case it changed,
// so a person reads the diff (`git diff fixtures/`) before committing it. Comment lines (`# why`)
// are kept. Refuses to run in CI: expectations are approved by people, never by the pipeline.
//
//   npm run fixtures:update [-- <jest name filter, e.g. root-process>]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.env.CI) {
  console.error('update-fixtures: refusing to run in CI (CI is set). Expected files are updated by a person.');
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv[2];
const args = ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', 'test/fixtures.test.ts', ...(filter ? ['-t', filter] : [])];
const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, DOCKERLINT_UPDATE_FIXTURES: '1' } });
process.exit(r.status ?? 1);
