/**
 * Corpus fuzzing of the command line: each case copies a fixture build context, mutates it (bytes
 * of a file, hostile strings, bombs, hostile file names, symlinks out, FIFOs, broken
 * configuration and compose files) and runs `dockerlint . ` once with every output format
 * (`--format X --output-file ...` for all but one, under GITHUB_ACTIONS=true half of the time),
 * twice. Every case must give:
 *   - an exit code of 0, 1 or 2, and no exception out of main();
 *   - JSON that parses (json, gitlab), SARIF valid against the SARIF 2.1.0 schema, well-formed XML
 *     (checkstyle);
 *   - no "internal error" and no stack trace in any output;
 *   - no raw control character (C0 but LF, DEL, C1), BiDi control or U+2028/2029 in any output,
 *     and no output line that starts with `::` but a real dockerlint annotation;
 *   - the same bytes the second time;
 *   - nothing opened or listed outside the case's folder (a file-system hook on node:fs);
 *   - bounded time and memory (per case: 20 s of CPU, wall time printed too; the process's peak
 *     resident set, which bounds every case's, under 1.5 GB).
 * Each case also runs `dockerlint explain` on its Dockerfile (text, json or mermaid, in turn), twice, with the
 * same checks (exit code 0 or 2, JSON, no control character or forged line, same bytes).
 *
 *   npm test                          FUZZ_CASES=150, a fixed seed
 *   npm run fuzz                      FUZZ_CASES=2000 (scripts/fuzz.mjs), a fresh seed
 *   FUZZ_CASES=10000 FUZZ_SEED=7 npm run fuzz
 *
 * A failing case is kept under $TMPDIR/dockerlint-fuzz-failures/ with what failed; the seed and
 * case number replay it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { main } from '../src/cli.js';
import { FORMATS } from '../src/reporters/index.js';
import { MemoryIo, runCli } from './helpers.js';
import { sarifValidator } from './sarif-schema.js';

const { jest: J } = import.meta as unknown as { jest: typeof jest };

const CASES = Number(process.env.FUZZ_CASES ?? 150);
/** The first case number (a shard of a long run: FUZZ_FROM=5000 FUZZ_CASES=5000 runs cases 5000-9999 of the seed). */
const FROM = Number(process.env.FUZZ_FROM ?? 0);
/** Where to write the raw figures (times per case, per property), to combine shards. */
const STATS_FILE = process.env.FUZZ_STATS_FILE;
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : process.env.FUZZ_CASES ? Date.now() % 2 ** 31 : 20261201;
const MAX_CASE_MS = 20_000;
const MAX_RSS = 1.5 * 1024 * 1024 * 1024;
const PROJECT = path.resolve('.');

const sarifValid = sarifValidator({ allErrors: false });

/** The properties each case is checked for, in the order the figures print them. */
const PROPERTIES = ['exit code 0/1/2', 'no exception', 'valid JSON', 'valid SARIF', 'valid XML', 'no internal error', 'no control character', 'no forged line', 'same output twice', 'nothing read outside', 'time', 'memory'] as const;
type Property = (typeof PROPERTIES)[number];

/** mulberry32: small, seedable, good enough to pick mutations. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every fixture build context (a folder with a Dockerfile), with its files. */
function corpus(): { name: string; files: Map<string, Buffer> }[] {
  const out: { name: string; files: Map<string, Buffer> }[] = [];
  const walk = (dir: string): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name === 'Dockerfile')) {
      const files = new Map<string, Buffer>();
      const add = (d: string, rel: string): void => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) add(p, path.join(rel, e.name));
          else if (e.isFile() && !e.name.startsWith('expected')) files.set(path.join(rel, e.name), fs.readFileSync(p));
        }
      };
      add(dir, '');
      out.push({ name: path.relative(PROJECT, dir), files });
      return;
    }
    for (const e of entries) if (e.isDirectory()) walk(path.join(dir, e.name));
  };
  walk(path.join(PROJECT, 'fixtures'));
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

const NASTY = [
  '\u001b[31m', '\u001b]0;title\u0007', '\u202e', '\u2066', '\u2028', '\u2029', '\u0085', '\u009b', '\u007f', '\u0000', '\r', '\r\n', '\t', '\ufeff',
  '\n::error file=x,line=1::forged\n', '\\x0a::error::forged', '%0A::error::x', '${A:-${B:-x}}', '${', '$(', '`', '"', "'", '<<EOF\n', '\nEOF\n', ' && ', ' || ', ' | ', '\\\n', '#',
  '\nRUN sudo true\n', '\nCOPY . /\n', '\nCOPY ../ /x/\n', '\nCOPY /etc/passwd /e.sh\n', '\nENTRYPOINT ["/entrypoint.sh"]\n', '\nUSER root\n', '\nFROM scratch\n', '\nARG A=$A$A\n',
  '\nENV A=${A}${A}\n', '\nSHELL ["/bin/bash", "-c"]\n', '\nONBUILD RUN x\n', '\nexec "$@"\n', '\nexec gosu app "$@"\n', '\nsu app -c "$*"\n', '\n. ./lib.sh\n', '😀', '\ud800',
];
const NAMES = ['run\n::error::x.sh', 'e\u001b[2J.sh', 'a\u202eb.sh', 'x\u2028y.sh', 'tab\tname.sh', 'sp ace.sh'];

interface Mutated {
  files: Map<string, Buffer>;
  links: [string, string][];
  fifos: string[];
  notes: string[];
}

function mutate(base: Map<string, Buffer>, all: Buffer[], r: () => number): Mutated {
  const files = new Map([...base].map(([k, v]) => [k, Buffer.from(v)]));
  const m: Mutated = { files, links: [], fifos: [], notes: [] };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const names = [...files.keys()].filter((n) => n !== '.git');
  const count = 1 + Math.floor(r() * 3);
  for (let k = 0; k < count; k++) {
    const name = r() < 0.6 ? 'Dockerfile' : pick(names);
    let b = files.get(name) ?? Buffer.alloc(0);
    const at = Math.floor(r() * (b.length + 1));
    const kind = Math.floor(r() * 12);
    switch (kind) {
      case 0: // flip a byte
        if (b.length) b[Math.min(at, b.length - 1)] = Math.floor(r() * 256);
        break;
      case 1:
      case 2: // a hostile string
        b = Buffer.concat([b.subarray(0, at), Buffer.from(pick(NASTY)), b.subarray(at)]);
        break;
      case 3: // delete a range
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + Math.floor(r() * 40)))]);
        break;
      case 4: // duplicate a range
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.max(0, at - 200), at), b.subarray(at)]);
        break;
      case 5: // truncate
        b = b.subarray(0, at);
        break;
      case 6: // a line of another file of the corpus
        {
          const other = pick(all).toString('utf8').split('\n');
          b = Buffer.concat([b.subarray(0, at), Buffer.from(`\n${pick(other)}\n`), b.subarray(at)]);
        }
        break;
      case 7: // CRLF / BOM
        b = r() < 0.5 ? Buffer.from(b.toString('latin1').replace(/\n/g, '\r\n'), 'latin1') : Buffer.concat([Buffer.from('\ufeff'), b]);
        break;
      case 8: // a bomb: deep nesting, a long chain, a doubling ENV chain, nested defaults
        {
          const n = 50 + Math.floor(r() * 3000);
          const bombs = [
            `${'('.repeat(n)}true${')'.repeat(n)}`,
            Array.from({ length: n }, () => 'true').join(' && '),
            `\n${Array.from({ length: 24 + Math.floor(r() * 6) }, (_, i) => (i ? `ENV B${i}=$B${i - 1}$B${i - 1}` : 'ENV B0=xy')).join('\n')}\nWORKDIR /$B20\n`,
            `\nUSER ${'${U:-'.repeat(n)}x${'}'.repeat(n)}\n`,
            `\nRUN ${'if true; then '.repeat(n % 400)}sudo x${'; fi'.repeat(n % 400)}\n`,
          ];
          b = Buffer.concat([b.subarray(0, at), Buffer.from(pick(bombs)), b.subarray(at)]);
        }
        break;
      case 9: // a hostile file name for a script (and the Dockerfile copies it by glob)
        if (name !== 'Dockerfile') {
          const nasty = pick(NAMES);
          files.delete(name);
          files.set(path.join(path.dirname(name), nasty), b);
          m.notes.push(`renamed ${name}`);
          continue;
        }
        break;
      case 10: // the outside world: a symlink out, a FIFO
        if (r() < 0.5) {
          const link = pick(['entrypoint.sh', 'docker-entrypoint.sh', 'lib.sh', 'Dockerfile.link', '.dockerignore', 'passwd']);
          m.links.push([link, pick(['/etc/passwd', '/etc', '../../../etc/passwd', '/dev/zero', '..'])]);
        } else {
          m.fifos.push(pick(['entrypoint.sh', 'docker-entrypoint.sh', '.dockerignore', 'package.json', 'Dockerfile.fifo', 'compose.yaml']));
        }
        break;
      case 11: // configuration and compose files, broken or hostile
        {
          const configs: [string, string][] = [
            ['.dockerlint.yaml', 'context:\n  - dockerfile: Dockerfile\n    context: /etc\n'],
            ['.dockerlint.yaml', 'context:\n  - dockerfile: "**"\n    context: ../../..\n'],
            ['.dockerlint.yaml', `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_, i) => `b${i}: &b${i} [${Array.from({ length: 10 }, () => (i ? `*b${i - 1}` : '*a')).join(', ')}]`).join('\n')}\n`],
            ['.dockerlint.yaml', 'rules: [\n'],
            ['.dockerlint.yaml', 'rules:\n  root-process: off\nfailureThreshold: info\n'],
            ['package.json', '{"dockerlint": {"rules": {"nope": "off"}}'],
            ['package.json', '{"name": "x", "dockerlint": {"format": "json"}}'],
            ['compose.yaml', 'services:\n  app:\n    build:\n      context: /etc\n'],
            ['compose.yaml', 'services:\n  app:\n    build: ../../../etc\n'],
            ['compose.yaml', 'services: [\n'],
            ['.dockerignore', '*\n!Dockerfile\n'],
            ['.gitignore', 'Dockerfile*\n'],
          ];
          const [file, text] = pick(configs);
          files.set(file, Buffer.from(text));
          m.notes.push(`wrote ${file}`);
          continue;
        }
    }
    // Keep cases small: the point is variety, not size.
    files.set(name, b.length > 256 * 1024 ? b.subarray(0, 256 * 1024) : b);
    m.notes.push(`mutation ${kind} of ${name}`);
  }
  return m;
}

// eslint-disable-next-line no-control-regex
const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const ANNOTATION = /^::(error|warning|notice) (file=[^,:]*,)?(line=\d+,)?(col=\d+,)?(endLine=\d+,)?(endColumn=\d+,)?title=dockerlint \([a-z0-9-]+\)::/;
const OUTPUTS = FORMATS.filter((f) => f !== 'stylish');

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  files: Record<string, string>;
}

async function runOnce(cwd: string, env: Record<string, string>): Promise<RunResult> {
  const io = new MemoryIo({ cwd, env });
  const args = ['.', ...OUTPUTS.flatMap((f) => ['--format', f, '--output-file', path.join(os.tmpdir(), `out.${f}`)]), '--format', 'stylish', '--no-color'];
  const code = await main(args, io);
  const files = Object.fromEntries(Object.entries(io.files).map(([p, text]) => [path.basename(p), text]));
  return { code, stdout: io.out, stderr: io.err, files };
}

const EXPLAIN_FORMATS = ['text', 'json', 'mermaid'] as const;

/** `dockerlint explain` in the formats given: stdout of each as a file `explain.FORMAT`. */
async function explainOnce(cwd: string, env: Record<string, string>, formats: readonly string[] = EXPLAIN_FORMATS): Promise<RunResult> {
  const files: Record<string, string> = {};
  let stderr = '';
  let code = 0;
  for (const format of formats) {
    const r = await runCli(['explain', 'Dockerfile', '--format', format], { cwd, env });
    stderr += r.err;
    const c = r.code;
    files[`explain.${format}`] = r.out;
    // explain has no findings to fail on: 0, or 2 when the Dockerfile cannot be explained.
    if (c !== 0 && c !== 2) code = c;
    else code = Math.max(code, c);
  }
  return { code, stdout: '', stderr, files };
}

/** What is wrong with one run's output, if anything, by property. */
function problems(r: RunResult, explained: boolean): [Property, string][] {
  const out: [Property, string][] = [];
  if (!(explained ? [0, 2] : [0, 1, 2]).includes(r.code)) out.push(['exit code 0/1/2', `exit code ${r.code}`]);
  const texts: [string, string][] = [['stdout', r.stdout], ['stderr', r.stderr], ...Object.entries(r.files)];
  for (const [name, text] of texts) {
    if (/internal error|Maximum call stack|\n\s+at .+:\d+:\d+\)/.test(text)) out.push(['no internal error', `${name}: internal error: ${/.*(internal error|Maximum call stack).*/.exec(text)?.[0] ?? ''}`]);
    const raw = RAW_UNSAFE.exec(text);
    if (raw) out.push(['no control character', `${name}: raw U+${raw[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${raw.index}`]);
    for (const line of text.split('\n')) {
      if (line.trimStart().startsWith('::') && !ANNOTATION.test(line)) out.push(['no forged line', `${name}: a forged line: ${line.slice(0, 120)}`]);
    }
  }
  for (const f of explained ? ['explain.json'] : ['out.json', 'out.sarif', 'out.gitlab']) {
    if (explained && (r.files[f] ?? '') === '') continue; // not this case's format, or explain failed (exit 2): nothing on stdout
    try {
      const parsed = JSON.parse(r.files[f] ?? '') as unknown;
      if (f === 'out.sarif' && !sarifValid(parsed)) out.push(['valid SARIF', `${f}: not valid SARIF 2.1.0 (${JSON.stringify(sarifValid.errors?.slice(0, 2))})`]);
    } catch (e) {
      out.push([f === 'out.sarif' ? 'valid SARIF' : 'valid JSON', `${f}: not JSON (${(e as Error).message})`]);
    }
  }
  if (!explained) {
    const parser = new SaxesParser();
    let xmlError: string | null = null;
    parser.on('error', (e) => {
      xmlError ??= e.message;
    });
    try {
      parser.write(r.files['out.checkstyle'] ?? '').close();
    } catch (e) {
      xmlError ??= (e as Error).message;
    }
    if (xmlError) out.push(['valid XML', `out.checkstyle: not XML (${xmlError})`]);
  }
  return out;
}

/** The first output (stdout, stderr, exit code or a report file) that differs between two runs. */
function firstDifference(x: RunResult, y: RunResult): { name: string; a: string; b: string } | null {
  const flat = (r: RunResult): Record<string, string> => ({ stdout: r.stdout, stderr: r.stderr, code: String(r.code), ...r.files });
  const fx = flat(x);
  const fy = flat(y);
  for (const name of new Set([...Object.keys(fx), ...Object.keys(fy)])) if (fx[name] !== fy[name]) return { name, a: fx[name] ?? '', b: fy[name] ?? '' };
  return null;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : 0;
};
const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : 0;
};

test(`fuzz: ${CASES} mutated fixture contexts, every format, seed ${SEED}`, async () => {
  const base = corpus();
  expect(base.length).toBeGreaterThan(50);
  const all = base.flatMap((c) => [...c.files.values()]);
  const work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-fuzz-corpus-')));
  const failures: string[] = [];
  const stats = { reads: 0, cases: 0, maxRssDelta: 0, maxRssCase: -1, exit: { 0: 0, 1: 0, 2: 0 } as Record<number, number>, explainExit: { 0: 0, 2: 0 } as Record<number, number>, findings: 0 };
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const failed = new Map<Property, number>(PROPERTIES.map((p) => [p, 0]));
  // A warm-up run, not counted: the first run loads (and transforms) every module it needs, which
  // is the test runner's cost, not a case's.
  {
    const warm = path.join(work, 'warm-up');
    fs.mkdirSync(path.join(warm, '.git'), { recursive: true });
    for (const [rel, bytes] of base[0]!.files) {
      fs.mkdirSync(path.dirname(path.join(warm, rel)), { recursive: true });
      fs.writeFileSync(path.join(warm, rel), bytes);
    }
    await runOnce(warm, { GITHUB_ACTIONS: 'true' });
    await explainOnce(warm, {});
    fs.rmSync(warm, { recursive: true, force: true });
  }
  // Node loads its recursive rm lazily and keeps the fs functions it finds then: let it load now,
  // or it would keep the spies below for the rest of this jest worker (and break other suites).
  fs.mkdirSync(path.join(work, 'warm', 'up'), { recursive: true });
  fs.rmSync(path.join(work, 'warm'), { recursive: true, force: true });
  // The file-system hook: every path dockerlint opens or lists while a case runs.
  const spies = (['openSync', 'readFileSync', 'readdirSync', 'opendirSync'] as const).map((name) => J.spyOn(fs, name));
  const touched = (): string[] => {
    const paths = spies.flatMap((spy) => (spy.mock.calls as unknown[][]).map((c) => c[0])).filter((p): p is string => typeof p === 'string');
    for (const spy of spies) spy.mockClear();
    return paths.map((p) => path.resolve(p));
  };
  const started = Date.now();
  try {
    for (let i = FROM; i < FROM + CASES; i++) {
      const r = rng(SEED + i * 7919);
      const c = base[Math.floor(r() * base.length)]!;
      const m = mutate(c.files, all, r);
      const dir = path.join(work, `case-${i}`);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
      for (const [rel, bytes] of m.files) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), bytes, { mode: /\.sh$/.test(rel) ? 0o755 : 0o644 });
      }
      for (const [link, target] of m.links) {
        fs.rmSync(path.join(dir, link), { force: true });
        fs.symlinkSync(target, path.join(dir, link));
      }
      for (const fifo of m.fifos) {
        fs.rmSync(path.join(dir, fifo), { force: true });
        spawnSync('mkfifo', [path.join(dir, fifo)]);
      }
      const env: Record<string, string> = r() < 0.5 ? { GITHUB_ACTIONS: 'true' } : {};
      touched();
      const t0 = Date.now();
      const cpu0 = process.cpuUsage();
      const why: [Property, string][] = [];
      /** The two outputs that differed, kept with a failing case. */
      const diffs: [string, string][] = [];
      const rssBefore = process.memoryUsage().rss;
      try {
        const first = await runOnce(dir, env);
        const second = await runOnce(dir, env);
        why.push(...problems(first, false));
        const differs = firstDifference(first, second);
        if (differs) {
          // The per-file time budget is wall time: on a busy machine it can fire in one run and
          // not the other. That is the budget doing its job (the time property), not a
          // non-determinism of the analysis.
          const budget = /longer than its time budget/.test(differs.a + differs.b);
          why.push([budget ? 'time' : 'same output twice', `a second run gave other output (${differs.name})${budget ? ': the time budget of a file fired in one run only' : ''}`]);
          diffs.push([`first.${differs.name}`, differs.a], [`second.${differs.name}`, differs.b]);
        }
        stats.exit[first.code] = (stats.exit[first.code] ?? 0) + 1;
        stats.findings += (JSON.parse(first.files['out.json'] ?? '[]') as unknown[]).length;
        // One explain format per case, in turn (each is an analysis of its own; the lint run's
        // seven formats share one).
        const format = [EXPLAIN_FORMATS[i % EXPLAIN_FORMATS.length]!];
        const explained = await explainOnce(dir, env, format);
        const again = await explainOnce(dir, env, format);
        why.push(...problems(explained, true).map(([p, w]): [Property, string] => [p, `explain: ${w}`]));
        const explainDiffers = firstDifference(explained, again);
        if (explainDiffers) {
          why.push(['same output twice', `explain: a second run gave other output (${explainDiffers.name})`]);
          diffs.push([`first.${explainDiffers.name}`, explainDiffers.a], [`second.${explainDiffers.name}`, explainDiffers.b]);
        }
        stats.explainExit[explained.code] = (stats.explainExit[explained.code] ?? 0) + 1;
      } catch (e) {
        why.push(['no exception', `main() threw: ${(e as Error).stack ?? String(e)}`]);
      }
      const ms = Date.now() - t0;
      // CPU time (user and system) of the case: what the case costs, whatever else the machine
      // runs (wall time on a shared machine includes waiting for a core). The bound is on it.
      const used = process.cpuUsage(cpu0);
      const cpuMs = Math.round((used.user + used.system) / 1000);
      // The process's peak resident set so far (resourceUsage().maxRSS, in KiB) bounds every
      // case's; the resident set after the case less before it says which case grew it.
      const peak = process.resourceUsage().maxRSS * 1024;
      const delta = process.memoryUsage().rss - rssBefore;
      if (delta > stats.maxRssDelta) {
        stats.maxRssDelta = delta;
        stats.maxRssCase = i;
      }
      const seen = touched();
      stats.reads += seen.filter((p) => p.startsWith(`${dir}${path.sep}`)).length;
      // jest's own transform cache is read when a case first loads a lazily imported module
      // (a reporter, the configuration loader): the test runner's reads, not dockerlint's.
      const jestCache = (p: string): boolean => /[\\/]jest-transform-cache-[^\\/]+[\\/]/.test(p);
      const outside = [...new Set(seen)].filter((p) => p !== dir && !p.startsWith(`${dir}${path.sep}`) && !p.startsWith(`${PROJECT}${path.sep}`) && !p.startsWith(os.tmpdir() + path.sep + 'out.') && !jestCache(p));
      if (outside.length) why.push(['nothing read outside', `opened outside the case: ${outside.slice(0, 5).join(', ')}`]);
      if (cpuMs > MAX_CASE_MS) why.push(['time', `took ${cpuMs} ms of CPU (${ms} ms wall)`]);
      if (peak > MAX_RSS) why.push(['memory', `peak resident set ${Math.round(peak / 1024 / 1024)} MB`]);
      stats.cases++;
      times.push(ms);
      cpuTimes.push(cpuMs);
      for (const p of new Set(why.map(([p]) => p))) failed.set(p, (failed.get(p) ?? 0) + 1);
      if (why.length) {
        const keep = path.join(os.tmpdir(), 'dockerlint-fuzz-failures', `seed-${SEED}-case-${i}`);
        fs.rmSync(keep, { recursive: true, force: true });
        fs.mkdirSync(path.dirname(keep), { recursive: true });
        fs.cpSync(dir, keep, { recursive: true, verbatimSymlinks: true, filter: (src) => !fs.lstatSync(src).isFIFO() });
        for (const [name, text] of diffs) fs.writeFileSync(`${keep}.${name}`, text);
        fs.writeFileSync(`${keep}.txt`, `${c.name}\n${m.notes.join('\n')}\n\n${why.map(([p, w]) => `${p}: ${w}`).join('\n')}\n`);
        failures.push(`case ${i} (${c.name}; ${m.notes.join(', ')}): ${why.map(([, w]) => w).join('; ')} [kept in ${keep}]`);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    for (const s of spies) s.mockRestore();
    fs.rmSync(work, { recursive: true, force: true });
  }
  const total = Date.now() - started;
  const mb = (n: number): string => `${Math.round(n / 1024 / 1024)} MB`;
  // The figures, for the record (npm run fuzz prints them).
  process.stdout.write(
    [
      `fuzz: seed ${SEED}, cases ${FROM}-${FROM + CASES - 1}: ${stats.cases} cases in ${(total / 1000).toFixed(1)} s; each case: lint with ${FORMATS.length} formats (${FORMATS.join(', ')}) twice, explain twice in one of text/json/mermaid in turn`,
      `fuzz: CPU time per case: median ${median(cpuTimes)} ms, p99 ${percentile(cpuTimes, 99)} ms, max ${Math.max(0, ...cpuTimes)} ms (limit ${MAX_CASE_MS} ms)`,
      `fuzz: wall time per case: median ${median(times)} ms, p99 ${percentile(times, 99)} ms, max ${Math.max(0, ...times)} ms (on a shared machine, waiting included)`,
      `fuzz: memory: peak resident set of the process ${mb(process.resourceUsage().maxRSS * 1024)} (bounds every case; limit ${mb(MAX_RSS)}), largest growth in one case ${mb(stats.maxRssDelta)} (case ${stats.maxRssCase})`,
      `fuzz: exit codes 0/1/2: ${stats.exit[0]}/${stats.exit[1]}/${stats.exit[2]} (explain 0/2: ${stats.explainExit[0]}/${stats.explainExit[2]}), ${stats.findings} findings`,
      ...PROPERTIES.map((p) => `fuzz: property ${p}: ${stats.cases - (failed.get(p) ?? 0)}/${stats.cases} cases passed`),
      `fuzz: ${failures.length} failures${failures.length ? `:\n${failures.slice(0, 20).join('\n')}` : ''}`,
      '',
    ].join('\n'),
  );
  if (STATS_FILE) {
    const peakRss = process.resourceUsage().maxRSS * 1024;
    fs.writeFileSync(STATS_FILE, JSON.stringify({ seed: SEED, from: FROM, cases: stats.cases, totalMs: total, times, cpuTimes, peakRss, maxRssDelta: stats.maxRssDelta, exit: stats.exit, explainExit: stats.explainExit, findings: stats.findings, reads: stats.reads, failed: Object.fromEntries(failed), failures }));
  }
  // The hook saw the cases being read (else it would prove nothing).
  expect(stats.reads).toBeGreaterThan(stats.cases);
  expect(failures).toEqual([]);
}, 6 * 60 * 60 * 1000);
