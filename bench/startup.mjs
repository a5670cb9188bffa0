// Start-up breakdown: what a cold dockerlint process spends before and while linting one context.
// Each step is a fresh `node` process; the steps run interleaved (round-robin) so that a busy
// machine slows them alike. Prints the median wall time and the median CPU time (user + system,
// from /usr/bin/time when present) of each, and the difference to `node -e 0`.
//
//   node bench/startup.mjs [--runs N] [--root DIR]       (build first: npm run build)
//   The small context is .bench/small (npm run bench -- --quick writes it).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeSmall } from './corpus.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
};
const runs = Number(opt('--runs', 15));
const root = path.resolve(opt('--root', path.join(HERE, '..')));
const dist = (p) => pathToFileURL(path.join(root, 'dist', p)).href;
const small = path.join(HERE, '..', '.bench', 'small');
if (!fs.existsSync(path.join(small, 'Dockerfile'))) writeSmall(small, 42);
const hasTime = fs.existsSync('/usr/bin/time');

const steps = [
  ['node -e 0', ['-e', '0']],
  ['import yargs', ['--input-type=module', '-e', "await import('yargs')"]],
  ['import dockerfile-ast', ['--input-type=module', '-e', "await import('dockerfile-ast')"]],
  ['import dist/engine.js', ['--input-type=module', '-e', `await import('${dist('engine.js')}')`]],
  ['import dist/cli.js', ['--input-type=module', '-e', `await import('${dist('cli.js')}')`]],
  ['shell parser: load + 1 parse', ['--input-type=module', '-e', `const m = await import('${dist('parsers/shell.js')}'); (await m.loadShellParser()).parse('echo hi', 'bash')`]],
  ['dockerlint --version', [path.join(root, 'bin', 'dockerlint.cjs'), '--version']],
  ['dockerlint: one context', [path.join(root, 'bin', 'dockerlint.cjs'), '.', '--format', 'json']],
  ['one context, no code cache', [path.join(root, 'bin', 'dockerlint.cjs'), '.', '--format', 'json'], { DOCKERLINT_CODE_CACHE: 'off' }],
];

const tmp = path.join(os.tmpdir(), `startup-${process.pid}`);
const samples = steps.map(() => ({ wall: [], cpu: [] }));
for (let r = 0; r < runs; r++) {
  steps.forEach(([, argv, extraEnv], i) => {
    const cmd = hasTime ? '/usr/bin/time' : process.execPath;
    const full = hasTime ? ['-f', '%U %S', '-o', tmp, process.execPath, ...argv] : argv;
    const t0 = performance.now();
    const res = spawnSync(cmd, full, { cwd: small, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...extraEnv } });
    samples[i].wall.push(performance.now() - t0);
    if (res.status !== 0 && res.status !== 1) throw new Error(`${steps[i][0]}: exit ${res.status}\n${res.stderr}`);
    if (hasTime) {
      const last = fs.readFileSync(tmp, 'utf8').trim().split('\n').pop() ?? '';
      const [u, s] = last.split(/\s+/).map(Number);
      samples[i].cpu.push((u + s) * 1000);
    }
  });
  process.stderr.write('.');
}
fs.rmSync(tmp, { force: true });
process.stderr.write('\n');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const floor = median(samples[0].wall);
console.log(`start-up breakdown (${runs} runs each, interleaved; ${root}); load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`${'step'.padEnd(32)} ${'wall ms'.padStart(8)} ${'- floor'.padStart(8)} ${'cpu ms'.padStart(8)}`);
steps.forEach(([name], i) => {
  const w = median(samples[i].wall);
  const c = samples[i].cpu.length ? median(samples[i].cpu).toFixed(0) : 'n/a';
  console.log(`${name.padEnd(32)} ${w.toFixed(0).padStart(8)} ${(w - floor).toFixed(0).padStart(8)} ${c.padStart(8)}`);
});
