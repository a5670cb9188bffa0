/** Rule selection: presets, categories and rules, in the configuration and on the command line. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveSeverities } from '../src/config/severities.js';
import { RULES } from '../src/rules/index.js';
import type { Rule } from '../src/rules/rule.js';
import { runCli } from './helpers.js';

const rule = (id: string, category: Rule['category'], recommended: boolean): Rule => ({ ...(RULES[0] as Rule), id, category, recommended, severity: 'warning' });
const rules = [rule('a', 'pid1', true), rule('b', 'build', false), rule('c', 'build', true)];

describe('resolveSeverities', () => {
  test('recommended (default) turns off the rules not marked recommended; all turns them on', () => {
    expect(resolveSeverities([], rules)).toEqual({ a: 'warning', b: 'off', c: 'warning' });
    expect(resolveSeverities([{ preset: 'all' }], rules)).toEqual({ a: 'warning', b: 'warning', c: 'warning' });
  });

  test('categories, then rules; a later layer (the command line) wins', () => {
    expect(resolveSeverities([{ categories: { build: 'error' }, rules: { c: 'off' } }], rules)).toEqual({ a: 'warning', b: 'error', c: 'off' });
    expect(resolveSeverities([{ rules: { a: 'error' } }, { categories: { pid1: 'off' } }], rules)).toEqual({ a: 'off', b: 'off', c: 'warning' });
    expect(resolveSeverities([{ preset: 'all' }, { rules: { b: 'info' } }], rules)).toEqual({ a: 'warning', b: 'info', c: 'warning' });
  });
});

describe('the command line', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-select-'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM alpine:3.20\nCMD sleep infinity\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    return runCli(args, { cwd: dir });
  }
  const rulesOf = (out: string): string[] => (JSON.parse(out) as { rule: string }[]).map((f) => f.rule);

  test('--rule category:<name>=off and the configuration`s categories', async () => {
    expect(rulesOf((await cli(['-f', 'json'])).out)).toEqual(['root-process', 'shell-form-pid1']);
    expect(rulesOf((await cli(['-f', 'json', '--rule', 'category:privilege=off'])).out)).toEqual(['shell-form-pid1']);
    fs.writeFileSync(path.join(dir, '.dockerlint.yaml'), 'categories:\n  pid1: off\n');
    expect(rulesOf((await cli(['-f', 'json'])).out)).toEqual(['root-process']);
    // The command line's rule beats the configuration's category.
    expect(rulesOf((await cli(['-f', 'json', '--rule', 'shell-form-pid1=error'])).out)).toEqual(['root-process', 'shell-form-pid1']);
  });

  test('an unknown category is a usage error', async () => {
    const r = await cli(['--rule', 'category:nope=off']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown category');
  });

  test('--list-rules --format json prints every rule`s metadata, then the pseudo-rules', async () => {
    const list = JSON.parse((await cli(['--list-rules', '-f', 'json'])).out) as Record<string, unknown>[];
    const root = list.find((r) => r.id === 'root-process');
    expect(root).toMatchObject({ kind: 'rule', severity: 'error', category: 'privilege', recommended: true, fixable: false, peers: { hadolint: [{ code: 'DL3002' }], buildkit: [], shellcheck: [] } });
    expect(Object.keys(root?.messages as object)).toEqual(['lastUserRoot', 'noUser', 'serviceRoot']);
    expect(list.filter((r) => r.kind === 'diagnostic').map((r) => r.id)).toEqual(['input-error', 'suppression', 'syntax-error']);
    expect(list.filter((r) => r.kind === 'rule')).toHaveLength(RULES.length);
  });
});
