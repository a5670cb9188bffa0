// The entrypoint evaluator's linear-time claim, measured: a 1,000-link `&&` chain, a 10,000-line
// script, 5,000 nested `if`s and a 1,000-deep chain of function calls, each next to the same shape
// at a tenth of the size. Each must take well under a second (here: at most 0.5 s of CPU, parse +
// evaluation), and ten times
// the size must cost about ten times the work (the evaluator's own step count, which does not
// depend on the machine's load, and the time).
//
// Runs against the compiled output: `npm run build` first (it imports ../dist/).
//   node bench/evaluator.mjs [--runs N] [--root DIR] [--json FILE]
// `npm run bench` runs it too and prints its targets with the others.
//
// In one process, after one warm-up of each case: the median of N runs (default 7) of the parse
// (the WebAssembly shell parser) and of the evaluation (`interpret`, the default run: CMD
// arguments, root), as CPU time of the process (process.cpuUsage: a busy machine inflates the
// wall clock, which is printed too, but not this). 5,000 nested `if`s are deeper than the parser's nesting budget (100 levels:
// the linter reports such a script as not analysed), so that case builds its syntax tree by
// nesting a parsed `if` in itself, as the evaluator's unit test does, and times the evaluation only.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The shapes, each as a function of its size. */
export const CASES = [
  {
    id: 'chain',
    title: '`&&` chain',
    sizes: [100, 1000],
    unit: 'links',
    script: (n) => `#!/bin/sh\n${Array.from({ length: n }, (_, i) => `step${i} --flag=${i}`).join(' && ')} && exec "$@"\n`,
  },
  {
    id: 'lines',
    title: 'long script',
    sizes: [1000, 10000],
    unit: 'lines',
    // Assignments, tests, conditionals and a case: each line a statement the evaluator steps through.
    script: (n) => {
      const body = Array.from({ length: n - 2 }, (_, i) => {
        switch (i % 5) {
          case 0:
            return `v${i}="\${APP_HOME:-/opt/app}/part${i}"`;
          case 1:
            return `[ -f "/etc/app/f${i}" ] && echo "found $v${i - 1}" >&2`;
          case 2:
            return `if [ -n "\${OPT_${i}:-}" ]; then export OPT_${i}; fi`;
          case 3:
            return `case "$1" in -*) set -- server "$@" ;; esac`;
          default:
            return `mkdir -p "/var/lib/app/d${i}"`;
        }
      });
      return `#!/bin/sh\n${body.join('\n')}\nexec "$@"\n`;
    },
  },
  {
    id: 'ifs',
    title: 'nested `if`s',
    sizes: [500, 5000],
    unit: 'levels',
    script: () => '#!/bin/sh\nif [ -f /x ]; then X=1; fi\nexec "$@"\n',
    // The exec is in the innermost `then`: when the first test fails, the script ends without it.
    endings: ['end', 'exec server'],
    /** The parsed `if` holding the rest, n times (the parser refuses that depth: its budget is 100). */
    transform: (ast, n) => {
      const [level, tail] = ast.stmts;
      let inner = tail;
      for (let i = 0; i < n; i++) inner = { ...level, cmd: { ...level.cmd, then: [level.cmd.then[0], inner] } };
      return { ...ast, stmts: [inner] };
    },
  },
  {
    id: 'calls',
    title: 'nested function calls',
    sizes: [100, 1000],
    unit: 'calls deep',
    script: (n) => `#!/bin/sh\n${Array.from({ length: n }, (_, i) => `f${i}() { f${i + 1} "$@"; }`).join('\n')}\nf${n}() { exec "$@"; }\nf0 "$@"\n`,
  },
];

/** CPU time of this process (user + system, ms): unlike the wall clock, it does not count the time other processes on a busy machine hold the cores. */
function cpuNow() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs every case; returns one row per case and size. */
export async function runEvaluatorBench({ root = path.join(HERE, '..'), runs = 7 } = {}) {
  const dist = (p) => pathToFileURL(path.join(root, 'dist', p)).href;
  const { loadShellParser } = await import(dist('parsers/shell.js'));
  const { interpret } = await import(dist('model/evaluator/interpreter.js'));
  const { lit, userFromSpec } = await import(dist('model/evaluator/values.js'));
  const parser = await loadShellParser();
  const file = (p, text) => ({ path: p, text, spanOf: (a, b) => ({ line: a[0], column: a[1], endLine: b[0], endColumn: b[1] }) });
  const host = {
    bash: false,
    parse: (text) => {
      const r = parser.parse(text, 'posix');
      return r.ok ? r.file : null;
    },
    source: () => null,
  };
  const rows = [];
  for (const c of CASES) {
    for (const n of c.sizes) {
      const text = c.script(n);
      const once = () => {
        const t0 = cpuNow();
        const w0 = performance.now();
        const parsed = parser.parse(text, 'posix');
        const t1 = cpuNow();
        if (!parsed.ok) throw new Error(`${c.id} ${n}: ${parsed.error.message}`);
        const ast = c.transform ? c.transform(parsed.file, n) : parsed.file;
        const t2 = cpuNow();
        const run = interpret(
          { file: file('entrypoint.sh', text), ast, arg0: lit('/usr/local/bin/entrypoint.sh'), params: [{ s: 'server', arg: 0 }], user: userFromSpec('root', 'no USER'), vars: new Map(), argLabel: (i) => `from CMD, word ${i + 1}` },
          host,
        );
        const t3 = cpuNow();
        return { parse: c.transform ? null : t1 - t0, evaluate: t3 - t2, wall: performance.now() - w0, run };
      };
      once(); // warm-up
      const samples = Array.from({ length: runs }, once);
      const last = samples[samples.length - 1].run;
      const ends = last.endings.filter((e) => !e.failed).map((e) => `${e.kind} ${e.argv.map((f) => f.s ?? '?').join(' ')}`.trim());
      const parse = c.transform ? null : median(samples.map((s) => s.parse));
      const evaluate = median(samples.map((s) => s.evaluate));
      rows.push({ id: c.id, title: c.title, n, unit: c.unit, lines: text.split('\n').length - 1, bytes: Buffer.byteLength(text), parseMs: parse, evaluateMs: evaluate, totalMs: (parse ?? 0) + evaluate, wallMs: median(samples.map((s) => s.wall)), steps: last.steps, budget: last.budget, endings: [...new Set(ends)].sort() });
    }
  }
  return rows;
}

/** The verdicts: the big size of each case under a second, and linear in steps and time. */
export function evaluatorTargets(rows) {
  const out = [];
  for (const c of CASES) {
    const [small, big] = c.sizes.map((n) => rows.find((r) => r.id === c.id && r.n === n));
    if (!small || !big) continue;
    const k = big.n / small.n;
    const stepRatio = big.steps / small.steps;
    const timeRatio = big.totalMs / small.totalMs;
    const right = big.budget === null && big.endings.join() === (c.endings ?? ['exec server']).join();
    out.push({
      name: `evaluator: ${big.n.toLocaleString('en-US')} ${c.unit} (${c.title}) well under a second, linear`,
      // "Well under a second": at most half of one. Linear: 10x the size, at most 1.5x10 the steps and 2x10 the time.
      ok: big.totalMs <= 500 && stepRatio <= 1.5 * k && timeRatio <= 2 * k && right,
      detail: `${big.totalMs.toFixed(1)} ms (${big.parseMs === null ? 'evaluation only' : `parse ${big.parseMs.toFixed(1)} + evaluation ${big.evaluateMs.toFixed(1)}`}); ${k}x the size: ${stepRatio.toFixed(1)}x the steps, ${timeRatio.toFixed(1)}x the time; ending ${big.endings.join(', ') || 'none'}${big.budget ? `; budget: ${big.budget}` : ''}`,
    });
  }
  return out;
}

export function evaluatorTable(rows) {
  const header = ['case', 'size', 'lines', 'KB', 'parse ms', 'evaluate ms', 'total ms', 'wall ms', 'steps', 'ending'];
  const cells = [header, ...rows.map((r) => [r.title, `${r.n.toLocaleString('en-US')} ${r.unit}`, String(r.lines), (r.bytes / 1024).toFixed(0), r.parseMs === null ? '-' : r.parseMs.toFixed(1), r.evaluateMs.toFixed(1), r.totalMs.toFixed(1), r.wallMs.toFixed(1), String(r.steps), r.endings.join(', ') + (r.budget ? ` (budget: ${r.budget})` : '')])];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i < 2 || i === 9 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const runs = Number(opt('--runs') ?? 7);
  const rows = await runEvaluatorBench({ runs, root: path.resolve(opt('--root') ?? path.join(HERE, '..')) });
  console.log(evaluatorTable(rows));
  console.log('\ntargets');
  for (const t of evaluatorTargets(rows)) console.log(`  [${t.ok ? 'met' : 'NOT met'}] ${t.name}: ${t.detail}`);
  const json = opt('--json');
  if (json) fs.writeFileSync(json, `${JSON.stringify(rows, null, 2)}\n`);
}
