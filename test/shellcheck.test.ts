/**
 * Optional ShellCheck: RUN bodies in their stage's SHELL dialect and entrypoint scripts, positions
 * mapped back into the files, hadolint's exclusions, the missing-program finding, and the program
 * never taken from the repository. The cases that need the program skip when it is not installed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lintFile } from '../src/engine.js';
import type { Finding } from '../src/findings.js';
import { findShellcheck } from '../src/shellcheck.js';
import { writeFileIn } from './helpers.js';

const BINARY = findShellcheck([]);
const withShellcheck = BINARY ? test : test.skip;

let dir: string;
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-sc-')));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (rel: string, text: string | Buffer, mode?: number): string => writeFileIn(dir, rel, text, mode);

async function lint(dockerfile: string, opts: { severities?: Record<string, 'off' | 'info' | 'warning' | 'error'> } = {}): Promise<Finding[]> {
  write('Dockerfile', dockerfile);
  return lintFile({ path: path.join(dir, 'Dockerfile') }, { cwd: dir, root: dir, shellcheck: true, severities: { 'root-process': 'off', 'shell-form-pid1': 'off', ...opts.severities } });
}

const sc = (fs: Finding[]): string[] => fs.filter((f) => f.rule.startsWith('shellcheck/')).map((f) => `${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.rule} ${f.severity}`);

describe('ShellCheck on RUN', () => {
  withShellcheck('positions are mapped back through line continuations', async () => {
    const f = await lint(['FROM debian:12', 'RUN apt-get update; \\', '    cd /opt; \\', '    echo $1', 'USER nobody', 'CMD ["/opt/app"]', ''].join('\n'));
    // `cd /opt` without `|| exit` (SC2164) on line 3, the unquoted `$1` (SC2086) on line 4
    // (under `set -e` ShellCheck leaves the cd alone)
    expect(sc(f)).toEqual(['Dockerfile:3:5-3:12 shellcheck/SC2164 warning', 'Dockerfile:4:10-4:12 shellcheck/SC2086 info']);
    const one = f.find((x) => x.rule === 'shellcheck/SC2086');
    expect(one?.message).toBe('Double quote to prevent globbing and word splitting.');
    expect(one?.hint).toBe('See https://www.shellcheck.net/wiki/SC2086');
  });

  withShellcheck('heredoc bodies: positions in the body lines', async () => {
    const f = await lint(['FROM debian:12', 'RUN <<EOF', 'apt-get update', 'cd /opt', 'EOF', 'USER nobody', 'CMD ["/opt/app"]', ''].join('\n'));
    expect(sc(f)).toEqual(['Dockerfile:4:1-4:8 shellcheck/SC2164 warning']);
    const set = await lint(['FROM debian:12', 'RUN <<EOF', 'set -e', 'cd /opt', 'EOF', 'USER nobody', 'CMD ["/opt/app"]', ''].join('\n'));
    expect(sc(set)).toEqual([]);
  });

  withShellcheck("the stage's SHELL dialect: [[ ]] is fine in bash, not in sh", async () => {
    const body = ['RUN if [[ -f /etc/os-release ]]; then echo ok; fi', 'USER nobody', 'CMD ["/app"]', ''];
    expect(sc(await lint(['FROM debian:12', 'SHELL ["/bin/bash", "-c"]', ...body].join('\n')))).toEqual([]);
    expect(sc(await lint(['FROM debian:12', ...body].join('\n')))).toEqual(['Dockerfile:2:8-2:32 shellcheck/SC3010 warning']);
  });

  withShellcheck('ARG and ENV names count as set (as hadolint does); ONBUILD RUN is checked; exec form is not', async () => {
    const f = await lint(['FROM debian:12', 'ARG version', 'ENV app_home=/opt/app', 'RUN echo "$version" "$app_home" "$undefined_thing"', 'ONBUILD RUN cd /x', 'RUN ["sh", "-c", "cd /y"]', 'USER nobody', 'CMD ["/app"]', ''].join('\n'));
    expect(sc(f)).toEqual(['Dockerfile:4:34-4:50 shellcheck/SC2154 warning', 'Dockerfile:5:13-5:18 shellcheck/SC2164 warning']);
  });

  withShellcheck("hadolint's exclusions (SC1091: a sourced file it cannot see) and a SHELL that is not POSIX-like", async () => {
    expect(sc(await lint(['FROM debian:12', 'RUN . /etc/profile.d/x.sh && echo ok', 'USER nobody', 'CMD ["/app"]', ''].join('\n')))).toEqual([]);
    expect(sc(await lint(['FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'SHELL ["powershell", "-Command"]', 'RUN cd C:\\; echo $x', ''].join('\n')))).toEqual([]);
  });

  withShellcheck('severities by id, # hadolint ignore=SCxxxx and # dockerlint ignore=shellcheck/SCxxxx', async () => {
    const text = ['FROM debian:12', '# hadolint ignore=SC2164', 'RUN cd /a', '# dockerlint ignore=shellcheck/SC2164 -- checked', 'RUN cd /b', 'RUN cd /c', 'USER nobody', 'CMD ["/app"]', ''].join('\n');
    const f = await lint(text);
    // what is left is the last RUN, and shellcheck/SC2164 is no unknown id to the suppression check
    expect(sc(f)).toEqual(['Dockerfile:6:5-6:10 shellcheck/SC2164 warning']);
    expect(f.filter((x) => x.rule === 'suppression')).toEqual([]);
    expect(sc(await lint(text, { severities: { 'shellcheck/SC2164': 'off' } }))).toEqual([]);
    expect(sc(await lint(text, { severities: { 'shellcheck/SC2164': 'error' } }))).toEqual(['Dockerfile:6:5-6:10 shellcheck/SC2164 error']);
  });
});

describe('ShellCheck on entrypoint scripts', () => {
  withShellcheck('findings in the script, with the chain from the Dockerfile', async () => {
    write('entrypoint.sh', '#!/bin/sh\nset -e\nexec gosu app $@\n', 0o755);
    const f = await lint(['FROM debian:12', 'COPY entrypoint.sh /usr/local/bin/', 'ENTRYPOINT ["entrypoint.sh"]', 'CMD ["app"]', ''].join('\n'));
    const hit = f.find((x) => x.rule === 'shellcheck/SC2068');
    expect(hit).toMatchObject({ file: 'entrypoint.sh', line: 3, column: 15 });
    expect(hit?.related.map((r) => `${r.file}:${r.line}`)).toEqual(['Dockerfile:3', 'entrypoint.sh:3']);
  });
});

describe('the program', () => {
  test('missing: one info finding, and the rest of the lint as usual', async () => {
    const saved = process.env.PATH;
    process.env.PATH = path.join(dir, 'nowhere');
    try {
      const f = await lint('FROM debian:12\nRUN cd /opt\nUSER nobody\nCMD ["/opt/app"]\n');
      expect(f.filter((x) => x.rule === 'input-error' && x.message.includes('ShellCheck')).map((x) => [x.severity, x.line, x.message])).toEqual([
        ['info', 1, 'ShellCheck is on (`shellcheck: true` or `--shellcheck`) but no `shellcheck` program was found on PATH outside the repository: RUN bodies and entrypoint scripts were not given to it'],
      ]);
      expect(sc(f)).toEqual([]);
    } finally {
      process.env.PATH = saved;
    }
  });

  test('a shellcheck inside the repository (or the current folder) is never run', async () => {
    const marker = path.join(os.tmpdir(), `dockerlint-sc-ran-${process.pid}`);
    write('bin/shellcheck', `#!/bin/sh\ntouch ${marker}\necho '{"comments":[]}'\n`, 0o755);
    expect(findShellcheck([dir], path.join(dir, 'bin'))).toBeNull();
    expect(findShellcheck([], 'bin')).toBeNull(); // relative PATH entries are skipped
    const saved = process.env.PATH;
    process.env.PATH = path.join(dir, 'bin');
    try {
      const f = await lint('FROM debian:12\nRUN cd /opt\nUSER nobody\nCMD ["/opt/app"]\n');
      expect(f.some((x) => x.rule === 'input-error' && x.message.startsWith('ShellCheck is on'))).toBe(true);
      expect(fs.existsSync(marker)).toBe(false);
    } finally {
      process.env.PATH = saved;
      fs.rmSync(marker, { force: true });
    }
  });

  test('off by default: no program is looked for', async () => {
    write('Dockerfile', 'FROM debian:12\nRUN cd /opt\nUSER nobody\nCMD ["/opt/app"]\n');
    const f = await lintFile({ path: path.join(dir, 'Dockerfile') }, { cwd: dir, root: dir });
    expect(f.filter((x) => x.rule.startsWith('shellcheck/') || x.message.includes('ShellCheck'))).toEqual([]);
  });
});

describe('turning it on and choosing findings', () => {
  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const { main } = await import('../src/cli.js');
    let out = '';
    let err = '';
    const code = await main(args, {
      stdout: (s) => (out += s),
      stderr: (s) => (err += s),
      readStdin: async () => '',
      writeFile: (p, t) => fs.writeFileSync(p, t),
      isTTY: false,
      cwd: dir,
      env: {},
    });
    return { code, out, err };
  }
  const DOCKERFILE = 'FROM debian:12\nRUN cd /opt\nUSER nobody\nCMD ["/opt/app"]\n';
  const ids = (out: string): string[] => (JSON.parse(out) as Finding[]).map((f) => f.rule).filter((r) => r.startsWith('shellcheck/'));

  withShellcheck('--shellcheck, shellcheck: true in the configuration, and --no-shellcheck', async () => {
    write('Dockerfile', DOCKERFILE);
    expect(ids((await cli(['.', '-f', 'json'])).out)).toEqual([]);
    expect(ids((await cli(['.', '-f', 'json', '--shellcheck'])).out)).toEqual(['shellcheck/SC2164']);
    write('.dockerlint.yaml', 'shellcheck: true\n');
    expect(ids((await cli(['.', '-f', 'json'])).out)).toEqual(['shellcheck/SC2164']);
    expect(ids((await cli(['.', '-f', 'json', '--no-shellcheck'])).out)).toEqual([]);
  });

  withShellcheck('ids in rules, --rule and --ignore-rule (shellcheck/SC2164 or SC2164), and a .hadolint.yaml that ignores SC2164', async () => {
    write('Dockerfile', DOCKERFILE);
    write('.dockerlint.yaml', 'shellcheck: true\nrules:\n  shellcheck/SC2164: off\n');
    expect(ids((await cli(['.', '-f', 'json'])).out)).toEqual([]);
    fs.rmSync(path.join(dir, '.dockerlint.yaml'));
    expect(ids((await cli(['.', '-f', 'json', '--shellcheck', '--rule', 'shellcheck/SC2164=off'])).out)).toEqual([]);
    expect(ids((await cli(['.', '-f', 'json', '--shellcheck', '--ignore-rule', 'SC2164'])).out)).toEqual([]);
    write('.hadolint.yaml', 'ignored:\n  - SC2164\n');
    expect(ids((await cli(['.', '-f', 'json', '--shellcheck'])).out)).toEqual([]);
  });

  test('the configuration key is a boolean, and a ShellCheck id in rules needs the SCxxxx form', async () => {
    write('Dockerfile', DOCKERFILE);
    write('.dockerlint.yaml', 'shellcheck: yes please\n');
    const bad = await cli(['.', '-f', 'json']);
    expect(bad.code).toBe(2);
    expect(bad.out + bad.err).toContain('shellcheck');
    write('.dockerlint.yaml', 'rules:\n  shellcheck/2164: off\n');
    expect((await cli(['.', '-f', 'json'])).code).toBe(2);
  });
});
