/** The command line's rough edges, one test each (issue: ready for users outside the repository). */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main, type CliIo } from '../src/cli.js';
import { writeFileIn, runCli } from './helpers.js';

let dir: string;
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-edges-')));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (rel: string, text: string | Buffer, mode?: number): string => writeFileIn(dir, rel, text, mode);

async function cli(args: string[], opts: { stdin?: string; env?: Record<string, string>; isTTY?: boolean } = {}) {
  return runCli(args, { cwd: dir, ...opts });
}

const GOOD = 'FROM alpine:3.20\nUSER nobody\nCMD ["sleep", "infinity"]\n';
const SHELL_FORM = 'FROM alpine:3.20\nUSER nobody\nCMD sleep infinity\n'; // one warning
const ROOT = 'FROM alpine:3.20\nCMD ["sleep", "infinity"]\n'; // one error

test('`dockerlint - --context .` lints standard input only, not ./Dockerfile', async () => {
  write('Dockerfile', ROOT);
  const r = await cli(['-', '--context', '.', '-f', 'compact'], { stdin: SHELL_FORM });
  expect(r.out).toMatch(/^-:3:1: warning shell-form-pid1/m);
  expect(r.out).not.toContain('root-process');
});

test('explain - reads the Dockerfile from standard input', async () => {
  write('Dockerfile', GOOD);
  const r = await cli(['explain', '-'], { stdin: 'FROM alpine:3.20\nUSER daemon\nCMD ["httpd", "-f"]\n' });
  expect(r.err).toBe('');
  expect(r.out).toContain('argv of PID 1: ["httpd","-f"]');
  expect(r.out).toContain('starts as: daemon');
});

test('explain accepts --no-color / --color, and -h', async () => {
  write('Dockerfile', GOOD);
  expect((await cli(['explain', '--no-color', 'Dockerfile'])).out).toContain('argv of PID 1: ["sleep","infinity"]');
  expect((await cli(['explain', '--color', 'Dockerfile'])).code).toBe(0);
  expect((await cli(['explain', '-h'])).out).toContain('Print what runs when the container starts');
});

test('a --context that does not exist is a usage error (exit 2)', async () => {
  write('Dockerfile', GOOD);
  const r = await cli(['.', '--context', 'nope']);
  expect(r.code).toBe(2);
  expect(r.err).toContain('dockerlint: --context nope: no such folder');
});

test('no Dockerfile found: exit 2, or 0 with --no-error-on-unmatched-pattern (still said)', async () => {
  fs.mkdirSync(path.join(dir, 'empty'));
  let r = await cli(['empty']);
  expect(r.code).toBe(2);
  expect(r.err).toBe('dockerlint: no Dockerfile found in empty\n');
  r = await cli(['empty', '--no-error-on-unmatched-pattern']);
  expect(r.code).toBe(0);
  expect(r.err).toBe('dockerlint: no Dockerfile found in empty\n');
});

test('a path that does not exist, and a glob whose folder does not exist: exit 2, or said and 0 with --no-error-on-unmatched-pattern', async () => {
  write('Dockerfile', GOOD);
  let r = await cli(['nope']);
  expect([r.code, r.err]).toEqual([2, 'dockerlint: nope: no such file or folder\n']);
  r = await cli(['nope', '--no-error-on-unmatched-pattern']);
  expect([r.code, r.err]).toEqual([0, 'dockerlint: nope: no such file or folder\n']);
  r = await cli(['nothing/*.Dockerfile']);
  expect([r.code, r.err]).toEqual([2, 'dockerlint: no Dockerfile matches nothing/*.Dockerfile\n']);
  r = await cli(['nothing/*.Dockerfile', '--no-error-on-unmatched-pattern']);
  expect([r.code, r.err]).toEqual([0, 'dockerlint: no Dockerfile matches nothing/*.Dockerfile\n']);
  // The other paths are still linted, and their findings still count.
  write('svc/Dockerfile', ROOT);
  r = await cli(['nope', 'svc', '--no-error-on-unmatched-pattern', '-f', 'compact']);
  expect(r.code).toBe(1);
  expect(r.out).toContain('svc/Dockerfile:1:1: error root-process');
  // Not a missing path: a file that cannot be linted stays exit 2 with the flag.
  write('bin.Dockerfile', '\u0000\u0001binary');
  expect((await cli(['bin.Dockerfile', '--no-error-on-unmatched-pattern'])).code).toBe(2);
});

test('-o into a folder that does not exist makes it; an unwritable one is one line, exit 2', async () => {
  write('Dockerfile', GOOD);
  // The shipped command line (npm test builds it first), with its real file writing.
  const bin = path.resolve('bin', 'dockerlint.cjs');
  const r = spawnSync(process.execPath, [bin, '.', '-f', 'json', '-o', 'reports/ci/dockerlint.json'], { cwd: dir, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'reports', 'ci', 'dockerlint.json'), 'utf8'))).toEqual([]);
  // A file where the folder should be.
  write('blocked', 'x');
  let err = '';
  const io: CliIo = {
    stdout: () => undefined,
    stderr: (s) => (err += s),
    readStdin: async () => '',
    writeFile: (p) => {
      throw Object.assign(new Error(`ENOTDIR: not a directory, open '${p}'`), { code: 'ENOTDIR' });
    },
    isTTY: false,
    cwd: dir,
    env: {},
  };
  expect(await main(['.', '-f', 'json', '-o', 'blocked/x.json'], io)).toBe(2);
  expect(err).toBe('dockerlint: cannot write blocked/x.json: ENOTDIR\n');
});

test('--max-warnings: not a number is a usage error; given, warnings fail only past it', async () => {
  write('Dockerfile', SHELL_FORM);
  const bad = await cli(['.', '--max-warnings', 'abc']);
  expect(bad.code).toBe(2);
  expect(bad.err).toContain('--max-warnings: expected a whole number of warnings, 0 or more');
  expect((await cli(['.'])).code).toBe(1); // default threshold: a warning fails
  expect((await cli(['.', '--max-warnings', '1'])).code).toBe(0);
  expect((await cli(['.', '--max-warnings', '0'])).code).toBe(1);
  // An explicit threshold still applies.
  expect((await cli(['.', '--max-warnings', '1', '--failure-threshold', 'warning'])).code).toBe(1);
});

test('--print-config prints the effective configuration: every rule, defaults and flags included', async () => {
  write('.dockerlint.yaml', 'rules:\n  root-process: warning\n');
  write('Dockerfile', GOOD);
  const r = await cli(['--print-config', 'Dockerfile', '--rule', 'su-sudo=off']);
  expect(r.code).toBe(0);
  const cfg = JSON.parse(r.out) as { file: string; rules: Record<string, string>; failureThreshold: string; format: string; maxFileSize: number };
  expect(cfg.file).toBe('.dockerlint.yaml');
  expect(cfg.rules['root-process']).toBe('warning');
  expect(cfg.rules['su-sudo']).toBe('off');
  expect(cfg.rules['shell-form-pid1']).toBe('warning'); // a default, not in the file
  expect(cfg).toMatchObject({ failureThreshold: 'warning', format: 'stylish', maxFileSize: 4 * 1024 * 1024 });
});

test('--list-rules shows the severities the configuration and flags set', async () => {
  write('.dockerlint.yaml', 'rules:\n  root-process: warning\n');
  const r = await cli(['--list-rules', '--ignore-rule', 'su-sudo']);
  expect(r.out).toMatch(/^root-process\s+warning\s+privilege\s+recommended\s+The main process runs as root \(default: error\)  \[DL3002~\]$/m);
  expect(r.out).toMatch(/^su-sudo\s+off\s+/m);
  // the preset and the peers' codes (~: related, not an equivalent)
  expect(r.out).toMatch(/^apt-get-version-pin\s+off\s+build\s+all\s+.*\(default: info\)\s+\[DL3008\]$/m);
  expect(r.out).toMatch(/^json-args\s+.*\[DL3025 JSONArgsRecommended\]$/m);
  expect(r.out).toMatch(/^root-process\s+.*\[DL3002~\]$/m);
  expect(r.out).toMatch(/^cmd-ignored\s+warning\s+startup\s+recommended\s+[^[]*$/m);
  const json = JSON.parse((await cli(['--list-rules', '-f', 'json'])).out) as { id: string; severity: string; effectiveSeverity: string }[];
  expect(json.find((x) => x.id === 'root-process')).toMatchObject({ severity: 'error', effectiveSeverity: 'warning' });
});

test('--quiet reports errors only, and warnings alone then pass', async () => {
  write('a/Dockerfile', SHELL_FORM);
  write('b/Dockerfile', ROOT);
  const r = await cli(['.', '--quiet', '-f', 'compact']);
  expect(r.out).toContain('root-process');
  expect(r.out).not.toContain('shell-form-pid1');
  expect((await cli(['a', '-q'])).code).toBe(0);
});

test('--stdin-filename names standard input in the output, and its folder is the context', async () => {
  write('svc/entry.sh', '#!/bin/sh\nsu app -c "$*"\n', 0o755);
  const stdin = 'FROM alpine:3.20\nCOPY entry.sh /entry.sh\nENTRYPOINT ["/entry.sh"]\n';
  const r = await cli(['-', '--stdin-filename', 'svc/Dockerfile', '-f', 'compact'], { stdin });
  expect(r.out).toMatch(/^svc\/entry\.sh:2:1: error su-sudo/m);
  expect(r.out).not.toMatch(/^-:/m);
  expect(r.out).not.toContain('entrypoint-not-found');
  expect((await cli(['.', '--stdin-filename', 'x'])).code).toBe(2);
});

test('a quoted glob finds the Dockerfiles it matches; one that matches nothing is exit 2', async () => {
  write('services/api/Dockerfile', ROOT);
  write('services/web/Dockerfile', SHELL_FORM);
  write('tools/Dockerfile', ROOT);
  const r = await cli(['services/**/Dockerfile', '-f', 'compact']);
  expect(r.err).toBe('');
  expect(r.out).toContain('services/api/Dockerfile');
  expect(r.out).toContain('services/web/Dockerfile');
  expect(r.out).not.toContain('tools/');
  const none = await cli(['nothing/**/Dockerfile']);
  expect(none.code).toBe(2);
  expect(none.err).toContain('dockerlint: no Dockerfile matches nothing/**/Dockerfile');
});

test('`warn` is accepted for warning in --rule', async () => {
  write('Dockerfile', ROOT);
  const r = await cli(['.', '--rule', 'root-process=warn', '-f', 'compact']);
  expect(r.out).toMatch(/warning root-process/);
});

test('-h and -v', async () => {
  expect((await cli(['-h'])).out).toContain('Lint Dockerfiles and the entrypoint scripts they start.');
  expect((await cli(['-v'])).out).toBe('0.1.0\n');
});

test('FORCE_COLOR colours output that is not a terminal; FORCE_COLOR=0 and --no-color do not', async () => {
  write('Dockerfile', ROOT);
  const esc = String.fromCharCode(27);
  expect((await cli(['.'], { env: { FORCE_COLOR: '1' } })).out).toContain(`${esc}[`);
  expect((await cli(['.'], { env: { FORCE_COLOR: '0' }, isTTY: true })).out).not.toContain(`${esc}[`);
  expect((await cli(['.', '--no-color'], { env: { FORCE_COLOR: '1' } })).out).not.toContain(`${esc}[`);
});

test('every configuration problem at once, with did-you-mean, and `warn` for warning', async () => {
  write('.dockerlint.yaml', 'rules:\n  root-procss: off\n  su-sudo: warn\nfailureTreshold: error\nformat: html\n');
  write('Dockerfile', GOOD);
  const r = await cli(['.', '-f', 'compact']);
  expect(r.code).toBe(2);
  const lines = r.out.trim().split('\n');
  expect(lines).toEqual([
    '.dockerlint.yaml:2:3: error input-error: rules.root-procss: unknown rule id; did you mean root-process?; the configuration was not used (defaults apply)',
    '.dockerlint.yaml:4:1: error input-error: failureTreshold: unknown key; did you mean failureThreshold?; the configuration was not used (defaults apply)',
    expect.stringMatching(/^\.dockerlint\.yaml:5:\d+: error input-error: format: expected one of stylish, .*; the configuration was not used \(defaults apply\)$/),
  ]);
  // `warn` alone is valid.
  write('.dockerlint.yaml', 'rules:\n  root-process: warn\n');
  write('Dockerfile', ROOT);
  expect((await cli(['.', '-f', 'compact'])).out).toMatch(/warning root-process/);
});

test('a script started by several Dockerfiles: one finding per line, naming the other Dockerfiles', async () => {
  write('svc/entry.sh', '#!/bin/sh\nset -e\npython /app/app.py\n', 0o755);
  const dockerfile = 'FROM python:3.12-slim\nCOPY entry.sh /entry.sh\nENTRYPOINT ["/entry.sh"]\n';
  write('svc/Dockerfile', dockerfile);
  write('svc/Dockerfile.dev', dockerfile);
  write('svc/Dockerfile.test', dockerfile);
  const r = await cli(['svc', '-f', 'json']);
  type Json = { rule: string; file: string; line: number; message: string; related: { file: string }[]; alsoStartedBy?: { file: string; line: number; message: string }[] };
  const script = (JSON.parse(r.out) as Json[]).filter((f) => f.file === 'svc/entry.sh');
  // The finding on the last line names its Dockerfile in the message ("... on line 3 of
  // svc/Dockerfile ..."): once, not once per Dockerfile.
  expect(script.length).toBeGreaterThan(0);
  expect(new Set(script.map((f) => `${f.rule}:${f.line}`)).size).toBe(script.length);
  expect(script.some((f) => f.line === 3 && f.message.includes('of svc/Dockerfile '))).toBe(true);
  for (const f of script) {
    expect(f.related[0]!.file).toBe('svc/Dockerfile');
    expect(f.message).toMatch(/ Also started by svc\/Dockerfile\.dev, svc\/Dockerfile\.test\.$/);
    // Every Dockerfile is in the finding's evidence: the first one's chain, and where each other one starts the script.
    expect(f.alsoStartedBy).toEqual([
      { file: 'svc/Dockerfile.dev', line: 3, column: 1, message: 'ENTRYPOINT' },
      { file: 'svc/Dockerfile.test', line: 3, column: 1, message: 'ENTRYPOINT' },
    ]);
  }
  // SARIF: the other Dockerfiles are related locations, after the first one's chain.
  type Sarif = { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; relatedLocations?: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } }; message: { text: string } }[] }[] }[] };
  const sarif = JSON.parse((await cli(['svc', '-f', 'sarif'])).out) as Sarif;
  const results = sarif.runs[0]!.results.filter((x) => x.locations[0]!.physicalLocation.artifactLocation.uri === 'svc/entry.sh');
  expect(results.length).toBe(script.length);
  for (const x of results) {
    const related = (x.relatedLocations ?? []).map((l) => `${l.physicalLocation.artifactLocation.uri}:${l.physicalLocation.region.startLine} ${l.message.text}`);
    expect(related.slice(-2)).toEqual(['svc/Dockerfile.dev:3 also starts it: ENTRYPOINT', 'svc/Dockerfile.test:3 also starts it: ENTRYPOINT']);
    expect(related[0]).toBe('svc/Dockerfile:3 ENTRYPOINT');
  }
  // One Dockerfile alone: no alsoStartedBy.
  const alone = JSON.parse((await cli(['svc/Dockerfile', '-f', 'json'])).out) as Json[];
  expect(alone.filter((f) => f.file === 'svc/entry.sh').length).toBe(script.length);
  expect(alone.filter((f) => f.file === 'svc/entry.sh').every((f) => f.alsoStartedBy === undefined && !f.message.includes('Also started by'))).toBe(true);
});

test('explain reads the configuration as linting does (--config, or found upwards): trusted base images set the start user', async () => {
  write('Dockerfile', 'FROM ghcr.io/acme/base:1\nCMD ["app"]\n');
  expect((await cli(['explain', 'Dockerfile'])).out).toContain('starts as: root');
  write('ci/dockerlint.yaml', 'trustedBaseImages:\n  - image: "ghcr.io/acme/base*"\n    user: "10001"\n');
  expect((await cli(['explain', '--config', 'ci/dockerlint.yaml', 'Dockerfile'])).out).toContain('starts as: 10001');
  write('.dockerlint.yaml', 'trustedBaseImages:\n  - image: "ghcr.io/acme/base*"\n    user: "10002"\n');
  expect((await cli(['explain', 'Dockerfile'])).out).toContain('starts as: 10002');
  write('.dockerlint.yaml', 'trustedBaseImage: []\n');
  const bad = await cli(['explain', 'Dockerfile']);
  expect(bad.code).toBe(2);
  expect(bad.err).toContain('trustedBaseImage: unknown key; did you mean trustedBaseImages?');
});

test('explain --context: the build context COPY reads from; one that does not exist is a usage error, with - too', async () => {
  fs.mkdirSync(path.join(dir, '.git')); // the repository root: the context is inside it
  write('ctx/entry.sh', '#!/bin/sh\nset -e\nexec gosu app "$@"\n', 0o755);
  const dockerfile = 'FROM alpine:3.20\nCOPY entry.sh /entry.sh\nENTRYPOINT ["/entry.sh"]\nCMD ["app"]\n';
  write('docker/Dockerfile', dockerfile);
  // Without --context, the Dockerfile's folder has no entry.sh.
  expect((await cli(['explain', 'docker/Dockerfile'])).out).toContain('not in the build context');
  const r = await cli(['explain', '--context', 'ctx', 'docker/Dockerfile']);
  expect(r.err).toBe('');
  expect(r.out).toContain('exec gosu app "$@"');
  expect(r.out).not.toContain('not in the build context');
  for (const args of [['explain', '--context', 'nope', 'docker/Dockerfile'], ['explain', '-', '--context', 'nope']]) {
    const bad = await cli(args, { stdin: dockerfile });
    expect({ args, code: bad.code, out: bad.out }).toEqual({ args, code: 2, out: '' });
    expect(bad.err).toContain('dockerlint: --context nope: no such folder');
  }
  // Standard input with a context that exists reads the script from it.
  expect((await cli(['explain', '-', '--context', 'ctx'], { stdin: dockerfile })).out).toContain('exec gosu app "$@"');
});

test.each(['stylish', 'sarif', 'json'])('a reader that closes stdout early (`| head -1`) ends the run with its exit code and no stack trace (%s)', async (format) => {
  write('Dockerfile', ROOT);
  const bin = path.resolve('bin', 'dockerlint.cjs');
  const child = spawn(process.execPath, [bin, '.', '-f', format], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy(); // the reader is gone before dockerlint writes its first byte
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  expect(err).toBe('');
  expect(code).toBe(1); // one error finding: the lint's own exit code, not a crash's
});
