import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { translateHadolint } from '../../src/config/hadolint.js';
import { loadConfig } from '../../src/config/load.js';
import { ruleIdsFor } from '../../src/config/rule-refs.js';
import { runCli } from '../helpers.js';

let dir: string;
const write = (rel: string, text: string): void => {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
};

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string; files: Record<string, string> }> {
  return runCli(args, { cwd: dir, env: env });
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-migration-'));
  fs.mkdirSync(path.join(dir, '.git'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const PINS = 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nUSER nobody\nCMD ["curl"]\n';

describe('peer codes name rules', () => {
  test('a rule id, a hadolint code (any case), a BuildKit check name, a ShellCheck code; null for the rest', () => {
    expect(ruleIdsFor('apt-get-version-pin')).toEqual(['apt-get-version-pin']);
    expect(ruleIdsFor('DL3008')).toEqual(['apt-get-version-pin']);
    expect(ruleIdsFor('dl3008')).toEqual(['apt-get-version-pin']);
    expect(ruleIdsFor('DL3025')?.sort()).toEqual(['invalid-exec-form', 'json-args', 'shell-form-pid1']);
    expect(ruleIdsFor('JSONArgsRecommended')?.sort()).toEqual(['invalid-exec-form', 'json-args', 'shell-form-pid1']);
    expect(ruleIdsFor('MultipleInstructionsDisallowed')).toEqual(['multiple-cmd', 'multiple-entrypoint', 'multiple-healthcheck']);
    expect(ruleIdsFor('DL1001')).toEqual(['inline-suppression']);
    expect(ruleIdsFor('DL3005')).toBeNull();
    // ShellCheck's findings keep their codes (with shellcheck: true)
    expect(ruleIdsFor('SC2086')).toEqual(['shellcheck/SC2086']);
    expect(ruleIdsFor('shellcheck/SC2086')).toEqual(['shellcheck/SC2086']);
    expect(ruleIdsFor('shellcheck/2086')).toBeNull();
    expect(ruleIdsFor('no-such-rule')).toBeNull();
  });

  test('--rule DL3008=info turns the rule on (it is not in the recommended preset); --ignore-rule takes a BuildKit name', async () => {
    write('Dockerfile', PINS);
    expect((await cli(['-f', 'compact'])).out).not.toMatch(/apt-get-version-pin/);
    const on = await cli(['-f', 'compact', '--rule', 'DL3008=info']);
    expect(on.out).toMatch(/Dockerfile:2:\d+: info apt-get-version-pin: `apt-get install curl` without a version/);
    write('Dockerfile', 'FROM alpine:3.20 as Build\nUSER nobody\nCMD ["x"]\n');
    expect((await cli(['-f', 'compact'])).out).toMatch(/stage-name-casing/);
    expect((await cli(['-f', 'compact', '--ignore-rule', 'StageNameCasing'])).out).not.toMatch(/stage-name-casing/);
    const bad = await cli(['--rule', 'DL9999=off']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/DL9999: unknown rule/);
  });

  test('rules: { DL3015: off } in .dockerlint.yaml; a rule id named too wins over the code', async () => {
    write('.dockerlint.yaml', 'rules:\n  DL3015: off\n  DL3008: info\n  apt-get-version-pin: error\n');
    const loaded = loadConfig(dir);
    expect('config' in loaded && loaded.config.rules).toEqual({ 'apt-get-install-recommends': 'off', 'apt-get-version-pin': 'error' });
    write('.dockerlint.yaml', 'rules:\n  DL9999: off\n');
    const bad = loadConfig(dir);
    expect('error' in bad && bad.error.key).toBe('rules.DL9999');
  });
});

describe('.hadolint.yaml', () => {
  test('DL3002 stands for its equivalent last-user-root and the related root-process: ignored turns both off, override sets both', () => {
    expect(translateHadolint({ ignored: ['DL3002'] }).config.rules).toEqual({ 'last-user-root': 'off', 'root-process': 'off' });
    expect(translateHadolint({ override: { error: ['DL3002'] } }).config.rules).toEqual({ 'last-user-root': 'error', 'root-process': 'error' });
  });

  test('translates ignored, override, failure-threshold, no-fail, trustedRegistries, label-schema, strict-labels; the rest are notes', () => {
    const t = translateHadolint({
      ignored: ['DL3008', 'SC2086', 'DL3005'],
      override: { error: ['DL3015'], style: ['DL3059'], warning: ['DL3008'], fatal: ['DL3000'] },
      'failure-threshold': 'style',
      trustedRegistries: ['docker.io', '*.example.com'],
      'label-schema': { 'org.opencontainers.image.source': 'url' },
      'strict-labels': true,
      'no-color': true,
      'made-up': 1,
    });
    expect(t.config.rules).toEqual({
      'apt-get-version-pin': 'off',
      'apt-get-install-recommends': 'error',
      'consecutive-run': 'info',
      'trusted-registry': 'error',
      'label-schema': 'info',
      // ShellCheck's codes stand for its findings (with shellcheck: true)
      'shellcheck/SC2086': 'off',
    });
    expect(t.config.failureThreshold).toBe('info');
    expect(t.config.ruleOptions).toEqual({ 'trusted-registry': { registries: ['docker.io', '*.example.com'] }, 'label-schema': { labels: { 'org.opencontainers.image.source': 'url' }, strict: true } });
    expect(t.notes).toEqual([
      'override.fatal: unknown level (error, warning, info, style); not used',
      "no-color: hadolint's own output setting; dockerlint does not use it",
      'made-up: unknown hadolint setting; ignored',
      'no dockerlint equivalent for DL3005: nothing to change for them',
    ]);
    expect(translateHadolint({ 'no-fail': true }).config.failureThreshold).toBe('none');
    expect(translateHadolint({ ignored: 'DL3008' }).notes).toEqual(['ignored: expected a list of rule codes; not used']);
  });

  test('is read when there is no dockerlint configuration, from the linted folder upwards; a dockerlint one wins', async () => {
    write('.hadolint.yaml', 'ignored: [DL3015]\nmade-up: 1\n');
    write('sub/Dockerfile', 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nUSER nobody\nCMD ["curl"]\n');
    const r = await cli(['-f', 'compact', 'sub']);
    expect(r.out).not.toMatch(/apt-get-install-recommends/);
    expect(r.out).toMatch(/\.hadolint\.yaml:1:1: warning input-error: hadolint configuration: made-up: unknown hadolint setting; ignored/);
    write('.dockerlint.yaml', 'rules: {}\n');
    expect((await cli(['-f', 'compact', 'sub'])).out).toMatch(/apt-get-install-recommends/);
  });

  test('$XDG_CONFIG_HOME/hadolint.yaml is not read: it is outside the repository (nothing outside is read)', async () => {
    const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-xdg-')));
    try {
      fs.writeFileSync(path.join(home, 'hadolint.yaml'), 'ignored: [DL3015]\n');
      write('Dockerfile', 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nUSER nobody\nCMD ["curl"]\n');
      const r = await cli(['-f', 'compact', '.'], { XDG_CONFIG_HOME: home });
      expect(r.out).toMatch(/apt-get-install-recommends/);
      expect(r.out + r.err).not.toContain(home);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  test('a broken .hadolint.yaml is one error finding, and the defaults apply', async () => {
    write('.hadolint.yaml', 'ignored: [DL3015\n');
    write('Dockerfile', PINS);
    const r = await cli(['-f', 'compact']);
    expect(r.out).toMatch(/\.hadolint\.yaml:1:1: error input-error: YAML syntax error/);
  });

  test('dockerlint --init --from-hadolint writes the equivalent .dockerlint.yaml, which then loads to the same settings', async () => {
    write('.hadolint.yaml', 'ignored:\n  - DL3008\noverride:\n  info: [DL3014]\nfailure-threshold: error\ntrustedRegistries: [registry.example.com]\nformat: json\n');
    const r = await cli(['--init', '--from-hadolint']);
    expect(r.code).toBe(0);
    const text = r.files[path.join(dir, '.dockerlint.yaml')] ?? '';
    expect(text).toMatch(/^# Translated from \.hadolint\.yaml/);
    expect(text).toMatch(/# not translated: format: hadolint's own output setting/);
    // hadolint always runs ShellCheck; here it is offered, commented out
    expect(text).toMatch(/^# shellcheck: true$/m);
    write('.dockerlint.yaml', text);
    const loaded = loadConfig(dir);
    expect('config' in loaded && loaded.config).toMatchObject({
      rules: { 'apt-get-version-pin': 'off', 'apt-get-missing-yes': 'info', 'trusted-registry': 'error' },
      failureThreshold: 'error',
      ruleOptions: { 'trusted-registry': { registries: ['registry.example.com'] } },
    });
    fs.rmSync(path.join(dir, '.hadolint.yaml'));
    fs.rmSync(path.join(dir, '.dockerlint.yaml'));
    const none = await cli(['--init', '--from-hadolint']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no \.hadolint\.yaml/);
  });
});
