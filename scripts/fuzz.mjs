// Long fuzzing run of the property tests in test/fuzz.test.ts.
//
//   npm run fuzz                         60 s in all, fresh seeds
//   FUZZ_SECONDS=600 npm run fuzz        ten minutes
//   FUZZ_SEED=1234567 npm run fuzz       replay from a seed a failure printed
//
// The time is shared between the properties; each runs batches of 100 cases, one seed per batch,
// and prints the seeds it used. A failure prints FUZZ_SEED=<seed> and fast-check's shrunk
// counterexample.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.env.FUZZ_SECONDS ?? 60);
if (!Number.isFinite(seconds) || seconds <= 0) {
  console.error(`fuzz: FUZZ_SECONDS must be a positive number, not ${process.env.FUZZ_SECONDS}`);
  process.exit(2);
}
const r = spawnSync(
  process.execPath,
  ['--experimental-vm-modules', path.join(root, 'node_modules/jest/bin/jest.js'), 'test/fuzz.test.ts', '--testNamePattern', 'fuzz: ', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env: { ...process.env, FUZZ_SECONDS: String(seconds) } },
);
process.exit(r.status ?? 1);
