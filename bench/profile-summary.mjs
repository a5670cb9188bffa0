// Summarises a V8 CPU profile (`node --cpu-prof`): the functions with the most self time, and the
// time by file (own code, node_modules packages, node internals, WebAssembly, GC, idle).
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bin/dockerlint.cjs .bench/mono-1000 --format json > /dev/null
//   node bench/profile-summary.mjs /tmp/prof/CPU.*.cpuprofile [top=25]
import fs from 'node:fs';
import path from 'node:path';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-summary.mjs PROFILE.cpuprofile [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const prof = JSON.parse(fs.readFileSync(file, 'utf8'));

// Self time per node: the sampling interval of each sample goes to the node it hit.
const self = new Map();
const deltas = prof.timeDeltas ?? [];
for (let i = 0; i < prof.samples.length; i++) {
  const id = prof.samples[i];
  const dt = deltas[i + 1] ?? deltas[i] ?? 0;
  self.set(id, (self.get(id) ?? 0) + dt);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);

function where(cf) {
  const url = cf.url || '';
  if (!url) return cf.functionName.startsWith('(') ? cf.functionName : '(native)';
  if (url.startsWith('wasm://')) return 'wasm';
  if (url.startsWith('node:')) return 'node internals';
  const p = url.replace(/^file:\/\//, '');
  const nm = p.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = p.slice(nm + 'node_modules/'.length).split('/');
    return `node_modules/${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  return path.relative(process.cwd(), p) || p;
}

const byFn = new Map();
const byFile = new Map();
for (const node of prof.nodes) {
  const t = self.get(node.id) ?? 0;
  if (!t) continue;
  const cf = node.callFrame;
  const w = where(cf);
  const fileKey = w.startsWith('node_modules/') || w === 'wasm' || w.startsWith('(') || w === 'node internals' ? w : w.replace(/:\d+$/, '');
  byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + t);
  const key = `${cf.functionName || '(anonymous)'}  ${w}${cf.url && !cf.url.startsWith('wasm://') && !cf.url.startsWith('node:') ? `:${cf.lineNumber + 1}` : ''}`;
  byFn.set(key, (byFn.get(key) ?? 0) + t);
}

const pct = (t) => `${((100 * t) / total).toFixed(1).padStart(5)}%`;
const ms = (t) => `${(t / 1000).toFixed(0).padStart(6)} ms`;
console.log(`profile: ${file}\ntotal sampled: ${(total / 1000).toFixed(0)} ms (${prof.samples.length} samples)\n`);
console.log('self time by place');
for (const [k, t] of [...byFile.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${ms(t)} ${pct(t)}  ${k}`);
console.log(`\ntop ${top} functions by self time`);
for (const [k, t] of [...byFn.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${ms(t)} ${pct(t)}  ${k}`);
