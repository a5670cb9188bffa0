import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../src/cli.js';
import { ruleDocUrl } from '../src/meta.js';
import { writeFileIn, runCli } from './helpers.js';

let dir: string;

const write = (rel: string, text: string | Buffer, mode?: number): string => writeFileIn(dir, rel, text, mode);

async function cli(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string; files: Record<string, string> }> {
  return runCli(args, { cwd: dir, stdin });
}

const GOOD = 'FROM alpine:3.20\nUSER nobody\nCMD ["sleep", "infinity"]\n';

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-cli-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('discovery', () => {
  test('finds Dockerfile-like names, skips docs, .git, node_modules and .gitignore\'d paths, in sorted order', async () => {
    for (const f of ['Dockerfile', 'Containerfile', 'api.Dockerfile', 'web.dockerfile', 'Dockerfile.prod', 'Containerfile.dev', 'sub/Dockerfile']) write(f, GOOD);
    for (const f of ['Dockerfile.md', 'Dockerfile.j2', 'node_modules/x/Dockerfile', '.git/Dockerfile', 'ignored/Dockerfile', 'README.md']) write(f, 'not a dockerfile');
    write('.gitignore', 'ignored/\n');
    const { code, out } = await cli(['--format', 'json', '--list-rules']);
    expect(code).toBe(0);
    expect(JSON.parse(out).length).toBeGreaterThan(5);
    const { discover } = await import('../src/discovery.js');
    const found = discover(['.'], dir).files.map((f) => path.relative(dir, f));
    expect(found).toEqual(['Containerfile', 'Containerfile.dev', 'Dockerfile', 'Dockerfile.prod', 'api.Dockerfile', 'sub/Dockerfile', 'web.dockerfile']);
  });

  test('finds a lowercase dockerfile, and the Dockerfiles compose and bake files name whatever their names', async () => {
    for (const f of ['svc/dockerfile', 'docker/Dockerfile-app', 'build/worker.df', 'images/web/Dockerfile-web', 'Dockerfile-unnamed', 'outside/Dockerfile-x']) write(f, GOOD);
    write('docker/compose.yaml', 'services:\n  app:\n    build:\n      context: .\n      dockerfile: Dockerfile-app\n  missing:\n    build:\n      context: .\n      dockerfile: Dockerfile-missing\n');
    write('docker-bake.hcl', 'target "worker" {\n  context = "build"\n  dockerfile = "worker.df"\n}\ntarget "web" {\n  context = "images/web"\n  dockerfile = "Dockerfile-web"\n}\n');
    // A bake file in the walked folder that names a Dockerfile outside it: not linted from here.
    write('images/docker-bake.json', JSON.stringify({ target: { x: { context: '../outside', dockerfile: 'Dockerfile-x' } } }));
    const { discover } = await import('../src/discovery.js');
    expect(discover(['.'], dir).files.map((f) => path.relative(dir, f))).toEqual(['build/worker.df', 'docker/Dockerfile-app', 'images/web/Dockerfile-web', 'outside/Dockerfile-x', 'svc/dockerfile']);
    // From images/ alone: the bake file there names only a Dockerfile outside it, and the one that
    // names images/web/Dockerfile-web is above it.
    expect(discover(['images'], dir).files).toEqual([]);
  });

  test('a compose file below a .gitignore names a Dockerfile above that folder: found, no internal error', async () => {
    write('images/main.df', GOOD);
    write('clients/app/.gitignore', 'data/\n');
    write('clients/app/docker/compose.yaml', 'services:\n  main:\n    build:\n      context: ../../../\n      dockerfile: ./images/main.df\n');
    const { discover } = await import('../src/discovery.js');
    expect(discover(['.'], dir).files.map((f) => path.relative(dir, f))).toEqual(['images/main.df']);
    // An ignore file above the Dockerfile still applies to it.
    write('.gitignore', 'main.df\n');
    expect(discover(['.'], dir).files).toEqual([]);
  });
});

describe('exit codes and formats', () => {
  test('a clean Dockerfile exits 0 and prints nothing', async () => {
    write('Dockerfile', GOOD);
    expect(await cli(['.'])).toMatchObject({ code: 0, out: '' });
  });

  test('findings exit 1; --format json has the documented fields, relative paths', async () => {
    write('Dockerfile', 'FROM alpine:3.20\nCMD sleep infinity\n');
    const { code, out } = await cli(['--format', 'json']);
    expect(code).toBe(1);
    const findings = JSON.parse(out);
    expect(findings.map((f: { rule: string }) => f.rule)).toEqual(['root-process', 'shell-form-pid1']);
    expect(Object.keys(findings[1]).sort()).toEqual(['column', 'endColumn', 'endLine', 'file', 'fix', 'hint', 'line', 'message', 'messageId', 'related', 'rule', 'severity', 'url']);
    expect(findings[1].fix).toEqual({
      title: 'Use exec form: CMD ["sleep", "infinity"]',
      safety: 'safe',
      edits: [{ file: 'Dockerfile', start: 21, end: 35, line: 2, column: 5, endLine: 2, endColumn: 19, text: '["sleep", "infinity"]' }],
    });
    expect(findings[1]).toMatchObject({ file: 'Dockerfile', line: 2, column: 1, severity: 'warning', messageId: 'shellFormLone' });
    expect(findings[1].url).toBe(ruleDocUrl('shell-form-pid1'));
  });

  test('--failure-threshold error ignores warnings; --max-warnings counts them', async () => {
    write('Dockerfile', 'FROM alpine:3.20\nUSER nobody\nCMD sleep infinity\n');
    expect((await cli(['--failure-threshold', 'error'])).code).toBe(0);
    expect((await cli(['--failure-threshold', 'none', '--max-warnings', '0'])).code).toBe(1);
    expect((await cli(['--failure-threshold', 'none', '--max-warnings', '1'])).code).toBe(0);
  });

  test('--rule and --ignore-rule change severities; unknown ids are usage errors', async () => {
    write('Dockerfile', 'FROM alpine:3.20\nUSER nobody\nCMD sleep infinity\n');
    expect((await cli(['--ignore-rule', 'shell-form-pid1'])).code).toBe(0);
    const { out } = await cli(['--rule', 'shell-form-pid1=error', '-f', 'json']);
    expect(JSON.parse(out)[0].severity).toBe('error');
    const bad = await cli(['--rule', 'no-such-rule=off']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown rule/);
  });

  test('an unknown option is a usage error with exit 2', async () => {
    const r = await cli(['--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Unknown argument|no-such-flag/);
  });

  test('--format with --output-file pairs writes each format to its file', async () => {
    write('Dockerfile', 'FROM alpine:3.20\nCMD sleep infinity\n');
    const r = await cli(['-f', 'compact', '-f', 'sarif', '-o', 'out.sarif']);
    expect(r.out.trim().split('\n')).toHaveLength(2);
    expect(JSON.parse(r.files['out.sarif'] ?? '{}').version).toBe('2.1.0');
  });

  test('- reads a Dockerfile from stdin, with the current folder as context', async () => {
    const r = await cli(['-', '-f', 'compact'], 'FROM alpine:3.20\nUSER root\nCMD ["/usr/local/bin/app"]\n');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^-:2:1: error root-process:/);
  });

  test('GITHUB_ACTIONS=true adds annotations to the default output', async () => {
    write('Dockerfile', 'FROM alpine:3.20\nUSER nobody\nCMD sleep infinity\n');
    let out = '';
    await main([], { stdout: (s) => (out += s), stderr: () => {}, readStdin: async () => '', writeFile: () => {}, isTTY: false, cwd: dir, env: { GITHUB_ACTIONS: 'true' } });
    expect(out).toMatch(/^::warning file=Dockerfile,line=3,col=1/m);
  });
});

describe('bad input: a clear message with file and line, exit 2, and the other files are still linted', () => {
  test('empty, binary, no FROM, unreadable, missing path', async () => {
    write('empty/Dockerfile', '');
    write('binary/Dockerfile', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
    write('nofrom/Dockerfile', 'RUN echo hi\n');
    write('unreadable/Dockerfile', GOOD, 0o000);
    write('ok/Dockerfile', 'FROM alpine\nUSER root\nCMD ["/usr/local/bin/app"]\n');
    const r = await cli(['.', 'missing-folder', '-f', 'compact']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/missing-folder: no such file or folder/);
    const lines = r.out.trim().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^binary\/Dockerfile:1:1: error input-error: binary file/));
    expect(lines).toContainEqual(expect.stringMatching(/^empty\/Dockerfile:1:1: error input-error: empty Dockerfile/));
    expect(lines).toContainEqual(expect.stringMatching(/^nofrom\/Dockerfile:1:1: error input-error: no FROM/));
    expect(lines).toContainEqual(expect.stringMatching(/^ok\/Dockerfile:2:1: error root-process/));
    if (process.getuid?.() !== 0) {
      // root reads files whatever their mode
      expect(lines).toContainEqual(expect.stringMatching(/^unreadable\/Dockerfile:1:1: error input-error: cannot read/));
    }
    expect(r.out + r.err).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/); // no stack traces
  });

  test('a file over the size limit: one input-error each; maxFileSize and --max-file-size set the limit', async () => {
    const big = `${GOOD}${'# padding\n'.repeat(200)}`; // ~2 KB
    write('big/Dockerfile', big);
    write('small/Dockerfile', GOOD);
    const r = await cli(['.', '--max-file-size', '1KB', '-f', 'compact']);
    expect(r.code).toBe(2);
    expect(r.out.trim().split('\n')).toEqual([
      expect.stringMatching(/^big\/Dockerfile:1:1: error input-error: file is \d+ bytes, larger than the 1 KB limit \(maxFileSize in the configuration, or --max-file-size\); not linted/),
    ]);
    // An entrypoint script over the limit is said where the Dockerfile starts it.
    write('script/Dockerfile', 'FROM debian:12\nCOPY --chmod=755 run.sh /run.sh\nUSER nobody\nENTRYPOINT ["/run.sh"]\n');
    write('script/run.sh', `#!/bin/sh\n${'# padding\n'.repeat(200)}exec "$@"\n`, 0o755);
    const s = await cli(['script', '--max-file-size', '1024', '-f', 'compact']);
    expect(s.out).toMatch(/run\.sh: file is \d+ bytes, larger than the 1 KB limit/);
    // The configuration key, and a CLI flag that overrides it (found above `big` inside the
    // repository: without a .git, the root would be `big` itself).
    fs.mkdirSync(path.join(dir, '.git'));
    write('.dockerlint.yaml', 'maxFileSize: 1KB\n');
    expect((await cli(['big', '-f', 'compact'])).out).toMatch(/larger than the 1 KB limit/);
    expect((await cli(['big', '--max-file-size', '8MB', '-f', 'compact'])).code).toBe(0);
    const bad = await cli(['big', '--max-file-size', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--max-file-size lots: expected a positive size/);
    write('.dockerlint.yaml', 'maxFileSize: -3\n');
    const badConfig = await cli(['big', '-f', 'compact']);
    expect(badConfig.code).toBe(2);
    expect(badConfig.out).toMatch(/^\.dockerlint\.yaml:1:\d+: error input-error: maxFileSize: /m);
  });

  test('a Dockerfile that is not valid UTF-8 is linted, with a warning at its first bad line', async () => {
    write('latin1/Dockerfile', Buffer.concat([Buffer.from('FROM alpine:3.20\n# caf'), Buffer.from([0xe9]), Buffer.from('\nUSER nobody\nCMD ["sleep", "infinity"]\n')]));
    write('bom/Dockerfile', `\uFEFF${GOOD}`);
    const r = await cli(['.', '-f', 'compact']);
    expect(r.out.trim().split('\n')).toEqual([expect.stringMatching(/^latin1\/Dockerfile:2:1: warning input-error: not valid UTF-8 from line 2 on/)]);
    expect(r.code).toBe(1);
  });

  test('symlink loops met in discovery: a looping folder is not walked, a looping Dockerfile is one input-error', async () => {
    write('app/Dockerfile', GOOD);
    fs.symlinkSync('..', path.join(dir, 'app', 'parent')); // app/parent/app/parent/...
    fs.symlinkSync('Dockerfile.loop', path.join(dir, 'app', 'Dockerfile.loop')); // a link to itself
    const r = await cli(['.', '-f', 'compact']);
    expect(r.out.trim().split('\n')).toEqual([expect.stringMatching(/^app\/Dockerfile\.loop:1:1: error input-error: cannot read the file: ELOOP/)]);
    expect(r.code).toBe(2);
  });

  test('an ENTRYPOINT script that is not in the build context: an error on a plain OS image, information otherwise', async () => {
    write('a/Dockerfile', 'FROM alpine\nUSER nobody\nENTRYPOINT ["/docker-entrypoint.sh"]\nCMD ["x"]\n');
    write('b/Dockerfile', 'FROM node:20\nUSER node\nENTRYPOINT ["/docker-entrypoint.sh"]\nCMD ["x"]\n');
    const r = await cli(['-f', 'compact']);
    expect(r.out).toMatch(/^a\/Dockerfile:3:1: error entrypoint-not-found: ENTRYPOINT runs `\/docker-entrypoint.sh`, but no COPY or ADD puts it in the image/m);
    expect(r.out).toMatch(/^b\/Dockerfile:3:1: info input-error: cannot follow ENTRYPOINT: \/docker-entrypoint.sh is not provided by any COPY or ADD/m);
  });

  test('a script with a syntax error is reported at its line, the Dockerfile checks still run', async () => {
    write('Dockerfile', 'FROM alpine\nRUN sudo true\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["x"]\n');
    write('entrypoint.sh', '#!/bin/sh\nif true; then\n  exec "$@"\n', 0o755);
    const r = await cli(['-f', 'compact']);
    expect(r.out).toMatch(/^entrypoint.sh:\d+:\d+: error syntax-error: shell syntax error/m);
    expect(r.out).toMatch(/^Dockerfile:2:5: error sudo-in-run/m);
  });
});

describe('configuration and suppressions', () => {
  const SHELL_FORM = 'FROM alpine:3.20\nUSER nobody\nCMD sleep infinity\n';

  test('a .dockerlint.yaml found upwards (up to the repository root) sets rule severities, failureThreshold and ignore', async () => {
    fs.mkdirSync(path.join(dir, '.git'));
    write('.dockerlint.yaml', 'rules:\n  shell-form-pid1: error\nignore:\n  - vendor/**\n');
    write('app/Dockerfile', SHELL_FORM);
    write('vendor/x/Dockerfile', SHELL_FORM);
    const r = await cli(['-f', 'compact', 'app', 'vendor']);
    expect(r.out.trim().split('\n')).toEqual([expect.stringMatching(/^app\/Dockerfile:3:1: error shell-form-pid1:/)]);
    write('.dockerlint.yaml', 'failureThreshold: none\n');
    expect((await cli(['app'])).code).toBe(0);
  });

  test('CLI flags override the file', async () => {
    write('.dockerlint.yaml', 'rules:\n  shell-form-pid1: off\n');
    write('Dockerfile', SHELL_FORM);
    expect((await cli(['.'])).code).toBe(0);
    expect((await cli(['--rule', 'shell-form-pid1=warning', '.'])).code).toBe(1);
  });

  test('a bad config is exit 2 with file, line and key', async () => {
    write('.dockerlint.yaml', 'rules:\n  root-procss: off\n');
    write('Dockerfile', GOOD);
    const r = await cli(['.', '-f', 'compact']);
    expect(r.code).toBe(2);
    // One error finding in the format asked for; the Dockerfile is still linted (with the defaults).
    expect(r.out.trim().split('\n')).toEqual([expect.stringMatching(/^\.dockerlint\.yaml:2:3: error input-error: rules\.root-procss: unknown rule id; did you mean root-process\?; the configuration was not used \(defaults apply\)$/)]);
    write('Dockerfile', 'FROM alpine:3.20\nCMD sleep infinity\n');
    const json = await cli(['.', '-f', 'json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.out).map((f: { rule: string }) => f.rule).sort()).toEqual(['input-error', 'root-process', 'shell-form-pid1']);
  });

  test('--config names the file; --print-config shows what applies; --init writes a starter', async () => {
    write('conf/strict.yml', 'failureThreshold: info\n');
    const printed = await cli(['--config', 'conf/strict.yml', '--print-config', '.']);
    expect(JSON.parse(printed.out)).toMatchObject({ file: 'conf/strict.yml', failureThreshold: 'info' });
    const init = await cli(['--init']);
    expect(init.code).toBe(0);
    expect(init.files[path.join(dir, '.dockerlint.yaml')]).toMatch(/^#  root-process: +error/m);
  });

  test('# dockerlint ignore= suppresses the next line; an unknown id is reported', async () => {
    write('Dockerfile', 'FROM alpine:3.20\nUSER nobody\n# dockerlint ignore=shell-form-pid1 -- the image is only used for tests\nCMD sleep infinity\n');
    expect(await cli(['-f', 'compact'])).toMatchObject({ code: 0, out: '' });
    write('Dockerfile', 'FROM alpine:3.20\nUSER nobody\n# dockerlint ignore=shell-form-pidl\nCMD sleep infinity\n');
    const r = await cli(['-f', 'compact']);
    expect(r.out).toMatch(/^Dockerfile:3:\d+: warning suppression: /m);
    expect(r.out).toMatch(/^Dockerfile:4:1: warning shell-form-pid1:/m);
  });

  test('hadolint pragmas are honoured for rules with an equivalent: DL3002 silences last-user-root and root-process', async () => {
    write('Dockerfile', 'FROM alpine:3.20\nUSER root\nCMD ["/usr/local/bin/app"]\n');
    const without = (await cli(['-f', 'compact', '--rule', 'last-user-root=warning'])).out;
    expect(without).toMatch(/^Dockerfile:2:6: warning last-user-root:/m);
    expect(without).toMatch(/^Dockerfile:2:1: error root-process:/m);
    write('Dockerfile', 'FROM alpine:3.20\n# hadolint ignore=DL3002\nUSER root\nCMD ["/usr/local/bin/app"]\n');
    expect((await cli(['-f', 'compact', '--rule', 'last-user-root=warning'])).out).toBe('');
  });
});

describe('progress line', () => {
  test('never when stderr is not a terminal, in CI, or with a machine format', async () => {
    write('Dockerfile', GOOD);
    for (const [tty, env, fmt] of [[false, {}, 'stylish'], [true, { CI: 'true' }, 'stylish'], [true, {}, 'json']] as const) {
      let err = '';
      await main(['-f', fmt], { stdout: () => {}, stderr: (s) => (err += s), readStdin: async () => '', writeFile: () => {}, isTTY: false, stderrTTY: tty, cwd: dir, env });
      expect(err).toBe('');
    }
  });
});
