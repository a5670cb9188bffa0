/**
 * Budgets: no input makes dockerlint's work or memory explode, and hitting a budget is an info
 * finding on that file, never a crash, a lost finding elsewhere or output that depends on the
 * thread's stack. Each trap is a case:
 *   - `&&` chains: a RUN with 17 and 30 `&&` that mentions sudo; entrypoints with 20, 24 and 31
 *     `&&` before `su` (their findings must stay);
 *   - ARG/ENV expansion: a 27- and a 28-level doubling chain, nested defaults;
 *   - parse depth: 20,000 `&&`, 5,000 nested subshells, 2,000 nested `if` in an entrypoint or a RUN;
 *   - the time budget of one file;
 *   - determinism: the same bytes with 0 or 3 worker threads, twice.
 * No timings are asserted (speed is measured with `npm run bench`): jest's timeout is the hang
 * guard, and memory is checked loosely.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lintFile } from '../src/engine.js';
import type { Finding } from '../src/findings.js';
import { ShellService } from '../src/model/shell-service.js';
import { expandWord, MAX_EXPANSION_LENGTH } from '../src/model/expand.js';
import { MAX_SHELL_CHAIN, MAX_SHELL_NESTING, overBudget, shellNesting } from '../src/parsers/shell-budget.js';

const shell = new ShellService();
let dir: string;

beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-budgets-')));
  fs.mkdirSync(path.join(dir, '.git'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Writes a build context (Dockerfile and files) and lints its Dockerfile. */
async function lint(dockerfile: string, files: Record<string, string> = {}, options: { timeBudgetMs?: number } = {}): Promise<Finding[]> {
  const ctx = path.join(dir, `case-${n++}`);
  fs.mkdirSync(ctx);
  fs.writeFileSync(path.join(ctx, 'Dockerfile'), dockerfile);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(ctx, name), text, { mode: 0o755 });
  return lintFile({ path: path.join(ctx, 'Dockerfile') }, { cwd: ctx, shell, ...options });
}

const rules = (fs: Finding[]): string[] => fs.map((f) => f.rule).sort();
const chain = (k: number, cmd = 'true'): string => Array.from({ length: k }, () => cmd).join(' && ');
const ENTRY = 'FROM alpine:3.20\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["server"]\n';
/** The same with a finding of the Dockerfile's own (sudo-in-run), which must survive whatever the script does. */
const ENTRY_SUDO = 'FROM alpine:3.20\nRUN sudo true\nCOPY e.sh /e.sh\nENTRYPOINT ["/e.sh"]\nCMD ["server"]\n';

describe('&& chains are linear and keep their findings', () => {
  test.each([17, 30])('RUN with %i && that mentions sudo: sudo-in-run, no internal error', async (k) => {
    const findings = await lint(`FROM alpine:3.20\nRUN ${chain(k, 'apk add --no-cache x')} && sudo ls\nUSER nobody\nCMD ["x"]\n`);
    expect(rules(findings)).toEqual(['sudo-in-run']);
  });

  test.each([20, 24, 31])('an entrypoint with %i && before su: su-sudo, and the Dockerfile\'s sudo-in-run, kept', async (k) => {
    const findings = await lint(ENTRY_SUDO, { 'e.sh': `#!/bin/sh\nset -e\n${chain(k, '[ -n "$X" ] || true')}\nsu app -c "$@"\n` });
    expect(rules(findings)).toEqual(['su-sudo', 'sudo-in-run']);
    expect(findings.find((f) => f.rule === 'su-sudo')?.file).toMatch(/e\.sh$/);
  });
});

describe('ARG/ENV expansion is capped in length, steps and nesting', () => {
  const doubling = (levels: number): string => {
    const lines = ['FROM alpine:3.20', 'ENV A0=xy'];
    for (let i = 1; i <= levels; i++) lines.push(`ENV A${i}=$A${i - 1}$A${i - 1}`);
    lines.push(`WORKDIR /$A${levels}`, 'CMD sleep 1', '');
    return lines.join('\n');
  };

  test.each([27, 28])('a %i-level doubling chain: one info finding where it goes over, the rest linted', async (levels) => {
    const before = process.memoryUsage().heapUsed;
    const findings = await lint(doubling(levels));
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(256 * 1024 * 1024);
    const budget = findings.filter((f) => f.rule === 'input-error');
    // A_i holds 2^(i+1) characters: A20 (line 22) is the first over 1 MB.
    expect(budget.map((f) => `${f.line} ${f.severity} ${f.message}`)).toEqual([expect.stringMatching(/^22 info expanding the variables of this ENV goes over dockerlint's budget/)]);
    expect(rules(findings)).toEqual(['input-error', 'root-process', 'shell-form-pid1']);
  });

  test('expandWord itself: over the length, over the nesting, under both', () => {
    const big = 'x'.repeat(MAX_EXPANSION_LENGTH / 2 + 1);
    expect(expandWord('$A$A', (v) => (v === 'A' ? big : undefined))).toEqual({ value: '', known: false, budget: true });
    expect(expandWord('$A', (v) => (v === 'A' ? big : undefined)).value).toHaveLength(big.length);
    const nested = `${'${U:-'.repeat(200)}x${'}'.repeat(200)}`;
    expect(expandWord(nested, () => undefined)).toEqual({ value: '', known: false, budget: true });
    expect(expandWord(`${'${U:-'.repeat(20)}x${'}'.repeat(20)}`, () => undefined)).toEqual({ value: 'x', known: true });
    // Unclosed references scanned again and again: the steps budget stops it.
    expect(expandWord('${'.repeat(200_000), () => undefined).budget).toBe(true);
  });

  test('nested defaults in a Dockerfile: info on that instruction, the rest linted', async () => {
    const findings = await lint(`FROM alpine:3.20\nUSER ${'${U:-'.repeat(500)}app${'}'.repeat(500)}\nCMD sleep 1\n`);
    expect(findings.map((f) => `${f.line} ${f.rule}`)).toEqual(['2 input-error', '3 shell-form-pid1']);
  });
});

describe('rules stay linear in the size of an instruction', () => {
  // Found by the corpus fuzzer: env-self-reference compiled one regular expression per pair of
  // pairs of an ENV, so `ENV B=true && true && ...` (each word a pair of the legacy form) took
  // seconds for 2,000 words and would take hours for a 4 MB file.
  test('an ENV of 10,000 words, and one of 5,000 pairs that refer to each other: linted, the self-references still found', async () => {
    const words = await lint(`FROM alpine:3.20\nENV B=${Array.from({ length: 5_000 }, () => 'true &&').join(' ')} true\nUSER nobody\nCMD ["x"]\n`);
    expect(words.filter((f) => f.rule === 'env-self-reference')).toEqual([]);
    const pairs = Array.from({ length: 5_000 }, (_, i) => (i % 1000 === 999 ? `K${i}=\${K${i - 1}}/$K${i - 2}x` : `K${i}=v`)).join(' ');
    const refs = await lint(`FROM alpine:3.20\nENV ${pairs}\nUSER nobody\nCMD ["x"]\n`);
    const self = refs.filter((f) => f.rule === 'env-self-reference');
    // `$K997x` is not K997 (a word character follows): each 1000th pair refers to the one before it.
    expect(self).toHaveLength(5);
    expect(self[0]?.message).toMatch(/^`K999=\$\{K998\}\/\$K997x` uses `\$K998`/);
  });
});

describe('parse depth: over the budget, said as information, not a stack overflow', () => {
  test.each([
    ['20,000 &&', chain(20_000), /19999 commands chained with &&, \|\| or \| in one statement, more than dockerlint analyses \(1000\)/],
    ['5,000 nested subshells', `${'('.repeat(5000)}true${')'.repeat(5000)}`, /nested 5000 levels deep, more than dockerlint analyses \(100\)/],
    ['3,000 nested $(...)', `echo ${'$('.repeat(3000)}true${')'.repeat(3000)}`, /nested 3000 levels deep/],
    ['2,000 nested if', `${'if true; then '.repeat(2000)}true${'; fi'.repeat(2000)}`, /nested 2000 levels deep/],
    // Found by the corpus fuzzer: `(` inside `$(` inside double quotes nests too.
    ['"$(((((..." in double quotes', `[ "$(${'('.repeat(3000)}1${')'.repeat(3000)})" ]`, /nested 3002 levels deep/],
  ])('an entrypoint with %s', async (_name, body, message) => {
    const findings = await lint(ENTRY_SUDO, { 'e.sh': `#!/bin/sh\n${body}\nexec "$@"\n` });
    const info = findings.filter((f) => f.rule === 'input-error');
    expect(info.map((f) => `${f.file} ${f.line} ${f.severity}`)).toEqual([expect.stringMatching(/e\.sh 2 info$/)]);
    expect(info[0]?.message).toMatch(message);
    // The Dockerfile's own checks still ran; the script's were skipped (not guessed).
    expect(rules(findings)).toEqual(['input-error', 'sudo-in-run']);
  });

  test('a RUN with 20,000 && and sudo: an info finding on the RUN, the other rules ran', async () => {
    const findings = await lint(`FROM alpine:3.20\nRUN ${chain(20_000)} && sudo x\nCMD sleep 1\n`);
    expect(findings.map((f) => `${f.line} ${f.rule} ${f.severity}`)).toEqual(['1 root-process error', '2 input-error info', '3 shell-form-pid1 warning']);
  });

  test('the measure: real scripts stay far under it; quotes, comments and words are not nesting', () => {
    const official = [
      '#!/usr/bin/env bash\nset -Eeo pipefail\n# if you (really) want ( to (\nfile_env() {\n\tlocal var="$1"; local fileVar="${var}_FILE"\n\tif [ "${!var:-}" ] && [ "${!fileVar:-}" ]; then\n\t\tprintf >&2 "error: both %s and %s are set (but are exclusive)\\n" "$var" "$fileVar"\n\t\texit 1\n\tfi\n}\ncase "$1" in\n\t-*) set -- postgres "$@" ;;\nesac\nfor f in /docker-entrypoint.d/*; do\n\tcase "$f" in\n\t\t*.sh) . "$f" ;;\n\tesac\ndone\nexec "$@"\n',
      `echo ${'"((( {{{ "'.repeat(300)} ${"'((('".repeat(300)}`,
      Array.from({ length: 500 }, () => 'echo waiting for the database if it is up until then').join('\n'),
    ];
    for (const text of official) {
      const m = shellNesting(text);
      expect(m.depth).toBeLessThan(10);
      expect(m.chain).toBeLessThan(10);
      expect(overBudget(text)).toBeNull();
    }
    expect(shellNesting(`${'('.repeat(MAX_SHELL_NESTING)}x${')'.repeat(MAX_SHELL_NESTING)}`).depth).toBe(MAX_SHELL_NESTING);
    expect(overBudget(`${'('.repeat(MAX_SHELL_NESTING + 1)}x`)).not.toBeNull();
    expect(shellNesting(chain(MAX_SHELL_CHAIN + 1)).chain).toBe(MAX_SHELL_CHAIN);
    // Lines of a long RUN continue a statement; a newline or `;` ends it.
    expect(shellNesting(Array.from({ length: 50 }, () => 'a && \\\n').join('') + 'b').chain).toBe(50);
    expect(shellNesting(Array.from({ length: 50 }, () => 'a && b').join('\n')).chain).toBe(1);
  });
});

describe('more of anything than a function call takes arguments (about 125,000)', () => {
  test('140,000 comment lines: no stack overflow in the suppression scan', async () => {
    const findings = await lint(`FROM alpine:3.20\n${'# x\n'.repeat(140_000)}USER nobody\nCMD ["x"]\n`);
    expect(findings).toEqual([]);
  });

  test('200,000 findings from one file are collected, not spread into a call', async () => {
    const { lintInWorkers } = await import('../src/parallel.js');
    const many: Finding[] = Array.from({ length: 200_000 }, (_, i) => ({ rule: 'x', severity: 'info', file: 'f', line: i + 1, column: 1, endLine: i + 1, endColumn: 1, message: 'm', hint: null, related: [] }) as unknown as Finding);
    const { uniqueSorted } = await import('../src/findings.js');
    const got = await lintInWorkers(new URL(import.meta.url), {} as never, [{ path: '/nowhere/Dockerfile' }], 0, async () => many, () => undefined);
    expect(got.findings).toHaveLength(200_000);
    expect(uniqueSorted(got.findings)).toHaveLength(200_000);
  });
});

describe('the time budget of one file', () => {
  test('past it, the remaining rules are skipped and said; what ran is kept', async () => {
    const findings = await lint('FROM alpine:3.20\nCMD sleep 1\n', {}, { timeBudgetMs: 0 });
    expect(findings.map((f) => `${f.rule} ${f.severity}`)).toEqual(['input-error info']);
    expect(findings[0]?.message).toMatch(/^linting this file took longer than its time budget \(0 s\): not checked: .*root-process/);
  });
});

describe('determinism: same input, same bytes, whatever the worker count', () => {
  const bin = path.resolve('bin', 'dockerlint.cjs');
  const built = fs.existsSync(path.resolve('dist', 'dockerlint.cjs'));
  (built ? test : test.skip)('30 contexts with the traps above, 0 and 3 workers, twice each', () => {
    const root = path.join(dir, 'many');
    const bodies = [chain(20_000), `${'('.repeat(5000)}true${')'.repeat(5000)}`, `${chain(31, '[ -n "$X" ] || true')}\nsu app -c "$@"`, 'exec gosu app "$@"', 'su app -c "$@"'];
    for (let i = 0; i < 30; i++) {
      const ctx = path.join(root, `svc-${String(i).padStart(2, '0')}`);
      fs.mkdirSync(ctx, { recursive: true });
      fs.writeFileSync(path.join(ctx, 'Dockerfile'), i % 7 === 3 ? `FROM alpine:3.20\nRUN ${chain(40)} && sudo x\nCMD sleep 1\n` : ENTRY);
      fs.writeFileSync(path.join(ctx, 'e.sh'), `#!/bin/sh\n${bodies[i % bodies.length]}\nexec "$@"\n`, { mode: 0o755 });
    }
    const run = (workers: string): string => {
      const r = spawnSync(process.execPath, [bin, root, '-f', 'json'], { encoding: 'utf8', env: { ...process.env, DOCKERLINT_WORKERS: workers }, timeout: 120_000 });
      expect(r.stderr).toBe('');
      return r.stdout;
    };
    const single = run('0');
    expect(JSON.parse(single).length).toBeGreaterThan(30);
    expect(single).not.toMatch(/internal error|Maximum call stack/);
    expect(run('3')).toBe(single);
    expect(run('3')).toBe(single);
    expect(run('0')).toBe(single);
  });

  (built ? test : test.skip)('one script shared by 40 Dockerfiles: the same evidence chain is kept whichever thread finished first', () => {
    const root = path.join(dir, 'shared');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'entry.sh'), '#!/bin/sh\nsu app -c "$@"\n', { mode: 0o755 });
    for (let i = 10; i < 50; i++) fs.writeFileSync(path.join(root, `Dockerfile.s${i}`), `FROM alpine:3.20\nCOPY entry.sh /e${i}.sh\nENTRYPOINT ["/e${i}.sh"]\n`);
    const run = (workers: string): string =>
      spawnSync(process.execPath, [bin, root, '-f', 'json'], { encoding: 'utf8', env: { ...process.env, DOCKERLINT_WORKERS: workers }, timeout: 120_000 }).stdout;
    const single = run('0');
    const shared = (JSON.parse(single) as Finding[]).filter((f) => f.file.endsWith('entry.sh'));
    expect(shared).toHaveLength(1);
    // The first Dockerfile in file order supplies the chain.
    expect(shared[0]?.related[0]?.file).toMatch(/Dockerfile\.s10$/);
    for (let k = 0; k < 3; k++) expect(run('3')).toBe(single);
  });
});
