// Fuzzing, longer than the seeded runs of `npm test`:
//
//   npm run fuzz                               2,000 mutated fixture contexts (a fresh seed)
//   FUZZ_CASES=10000 npm run fuzz              ten thousand
//   FUZZ_SEED=1234567 npm run fuzz             replay from a seed a failure printed
//   FUZZ_SECONDS=600 npm run fuzz              also the property tests of test/fuzz.test.ts for
//                                              ten minutes (fast-check)
//
// The corpus fuzzer (test/fuzz-corpus.test.ts) runs the command line on each case with every
// output format, twice, and prints its figures: cases, time, slowest case, largest heap, exit
// codes, failures. A failing case is kept under $TMPDIR/dockerlint-fuzz-failures/.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const jest = path.join(root, 'node_modules/jest/bin/jest.js');
const cases = Number(process.env.FUZZ_CASES ?? 2000);
const seconds = Number(process.env.FUZZ_SECONDS ?? 0);
if (!Number.isInteger(cases) || cases <= 0) {
  console.error(`fuzz: FUZZ_CASES must be a positive whole number, not ${process.env.FUZZ_CASES}`);
  process.exit(2);
}
if (!Number.isFinite(seconds) || seconds < 0) {
  console.error(`fuzz: FUZZ_SECONDS must be a number of seconds, not ${process.env.FUZZ_SECONDS}`);
  process.exit(2);
}
const run = (file, env) =>
  spawnSync(process.execPath, ['--experimental-vm-modules', jest, file, '--testNamePattern', 'fuzz: ', ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  }).status ?? 1;

let status = run('test/fuzz-corpus.test.ts', { FUZZ_CASES: String(cases) });
if (seconds > 0) status = run('test/fuzz.test.ts', { FUZZ_SECONDS: String(seconds) }) || status;
process.exit(status);
