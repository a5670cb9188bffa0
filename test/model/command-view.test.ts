import { buildImageModel } from '../../src/model/image.js';
import { DockerfileView, copyView, fromView, keyValues, parseImageRef, userView, workdirView, exposeView, healthcheckView } from '../../src/model/instructions.js';
import { prefixOption, unwrapPrefixes } from '../../src/model/prefixes.js';
import { ShellService } from '../../src/model/shell-service.js';
import type { CommandView } from '../../src/model/command-view.js';
import { lintFile } from '../../src/engine.js';
import { ast } from '../helpers.js';

const shell = new ShellService();

function viewOf(text: string): DockerfileView {
  const a = ast(text);
  return new DockerfileView(a, buildImageModel(a), shell);
}

async function commandsOf(text: string, n = 0): Promise<CommandView[]> {
  const v = viewOf(text);
  const runs = v.byKeyword('RUN');
  const run = runs[n];
  if (!run) throw new Error('no RUN');
  return [...(await v.run(run)).commands];
}

const names = (cs: CommandView[]): (string | null)[] => cs.map((c) => c.name);

describe('unwrapPrefixes', () => {
  const start = (words: string[]): number => unwrapPrefixes(words, (w) => w).start;
  it('skips sudo, env (options and assignments), command, exec, nice and nohup', () => {
    expect(start(['sudo', '-u', 'app', '-E', 'make'])).toBe(4);
    expect(start(['env', '-i', 'X=1', 'Y=2', 'make'])).toBe(4);
    expect(start(['env', '-u', 'HOME', 'make'])).toBe(3);
    expect(start(['command', 'sudo', 'make'])).toBe(2);
    expect(start(['exec', '-a', 'name', 'nice', '-n', '10', 'nohup', 'make'])).toBe(7);
    expect(start(['nice', '-5', 'make'])).toBe(2);
    expect(start(['sudo', '--user=app', '--', 'make'])).toBe(3);
  });
  it('stops where a prefix runs no command of its words', () => {
    expect(start(['command', '-v', 'sudo'])).toBe(0);
    expect(start(['sudo', '-l'])).toBe(0);
    expect(start(['env'])).toBe(0);
    expect(start(['exec'])).toBe(0);
  });
  it('stops at a word computed at runtime', () => {
    expect(unwrapPrefixes(['sudo', null, 'x'], (w) => w).start).toBe(1);
  });
});

describe('prefixOption', () => {
  const user = (words: (string | null)[]): string | null | undefined => prefixOption('sudo', words, 1, (w) => w, 'u', 'user');
  it('reads an option in every spelling: separate, glued, in a cluster, long', () => {
    expect(user(['sudo', '-u', 'app', 'make'])).toBe('app');
    expect(user(['sudo', '-uapp', 'make'])).toBe('app');
    expect(user(['sudo', '-HEu', 'git', 'make'])).toBe('git');
    expect(user(['sudo', '--user=app', 'make'])).toBe('app');
    expect(user(['sudo', '--user', 'app', 'make'])).toBe('app');
  });
  it('is undefined when the option is absent and null when only the shell knows its value', () => {
    expect(user(['sudo', 'make'])).toBeUndefined();
    expect(user(['sudo', '-g', 'staff', 'make'])).toBeUndefined();
    expect(user(['sudo', '-u', null, 'make'])).toBeNull();
  });
  it('stops at the command: its own options are not the prefix\'s', () => {
    expect(user(['sudo', 'make', '-u', 'x'])).toBeUndefined();
  });
});

describe('command view', () => {
  it('reads flags in every spelling, subcommands and option values', async () => {
    const [c] = await commandsOf('FROM debian\nRUN apt-get -qy --no-install-recommends -o Dpkg::Options::=--force-confnew install curl=7.1 --target-release=bookworm\n');
    expect(c?.name).toBe('apt-get');
    expect(c?.hasFlag('y')).toBe(true);
    expect(c?.hasFlag('q')).toBe(true);
    expect(c?.hasFlag('yes', 'assume-yes')).toBe(false);
    expect(c?.hasFlag('no-install-recommends')).toBe(true);
    expect(c?.hasFlag('target-release')).toBe(true);
    expect(c?.flagValue('target-release')).toBe('bookworm');
    expect(c?.flagValue('o')).toBe('Dpkg::Options::=--force-confnew');
    expect(c?.hasArg('install')).toBe(true);
    expect(c?.positional.map((w) => w.value)).toEqual(['Dpkg::Options::=--force-confnew', 'install', 'curl=7.1']);
  });
  it('keeps unknown words and a span per word', async () => {
    const [c] = await commandsOf('FROM debian\nRUN pip install "$PKG" x\n');
    expect(c?.args.map((a) => a.value)).toEqual(['install', null, 'x']);
    expect(c?.args[1]?.text).toBe('"$PKG"');
    expect(c?.args[1]?.span).toMatchObject({ line: 2, column: 17, endColumn: 23 });
  });
  it('unwraps prefixes and sh -c scripts, in exec form too', async () => {
    const cs = await commandsOf('FROM debian\nRUN env X=1 sudo make && command sudo ls && sh -c "nice -n 5 gcc x.c" && bash -ec \'cd /x\'\n');
    expect(names(cs)).toEqual(['make', 'ls', 'sh', 'gcc', 'bash', 'cd']);
    expect(cs[0]?.prefixes).toEqual(['env', 'sudo']);
    expect(cs[3]?.depth).toBe(1);
    expect(cs[3]?.program.span).toMatchObject({ line: 2, column: 62 });
    const exec = await commandsOf('FROM debian\nRUN ["/bin/sh", "-c", "apt-get update"]\n');
    expect(names(exec)).toEqual(['sh', 'apt-get']);
    expect(exec[1]?.program.span).toMatchObject({ line: 2, column: 24 });
  });
  it('reads the script a shell takes from a heredoc on stdin, and commands in $(...)', async () => {
    const cs = await commandsOf('FROM debian\nRUN bash <<EOF\nmake install\nEOF\n');
    expect(names(cs)).toEqual(['bash', 'make']);
    expect(cs[1]?.span).toMatchObject({ line: 3, column: 1 });
    expect(names(await commandsOf('FROM debian\nRUN echo $(uname -r)\n'))).toEqual(['uname', 'echo']);
  });
  it('parses a RUN in the dialect of the SHELL in force, inherited across FROM <stage>', async () => {
    const text = 'FROM debian AS a\nRUN x=(1 2)\nSHELL ["/bin/bash", "-c"]\nRUN y=(1 2); make\nFROM a\nRUN z=(3); ls\nFROM debian\nRUN w=(1)\n';
    const v = viewOf(text);
    const runs = v.byKeyword('RUN');
    const dialects = await Promise.all(runs.map(async (r) => (await v.run(r)).dialect));
    expect(dialects).toEqual(['posix', 'bash', 'bash', 'posix']);
    const results = await Promise.all(runs.map((r) => v.run(r)));
    expect(results.map((r) => r.syntaxError === null)).toEqual([false, true, true, false]);
    expect(names([...(results[1]?.commands ?? [])])).toEqual(['make']);
  });
  it("parses a RUN in the grammar of the image's /bin/sh: bash's for Alpine (busybox ash) and UBI, POSIX for Debian", async () => {
    const run = async (text: string) => {
      const v = viewOf(text);
      const [r] = v.byKeyword('RUN');
      if (!r) throw new Error('no RUN');
      return v.run(r);
    };
    const alpine = await run('FROM alpine:3.20\nRUN v=abc; echo "${v:0:1}" && sudo make\n');
    expect(alpine).toMatchObject({ dialect: 'bash', syntaxError: null });
    expect((await run('FROM registry.access.redhat.com/ubi9\nRUN echo "${v//a/b}"\n')).dialect).toBe('bash');
    // Not POSIX on Debian: the error is kept, and the commands are still known, as bash reads them.
    const debian = await run('FROM debian:12\nRUN v=abc; echo "${v:0:1}" && sudo make\n');
    expect(debian).toMatchObject({ dialect: 'posix', syntaxError: { lenient: true } });
    expect(names([...debian.commands])).toEqual(['echo', 'make']);
    expect(debian.commands[1]?.prefixes).toEqual(['sudo']);
  });
  it('parses each RUN once', async () => {
    const v = viewOf('FROM debian\nRUN make\n');
    const [r] = v.byKeyword('RUN');
    if (!r) throw new Error('no RUN');
    expect(v.run(r)).toBe(v.run(r));
  });
  it('does not read a heredoc with a non-shell #! as shell, nor a PowerShell RUN', async () => {
    expect(await commandsOf('FROM python\nRUN <<EOF\n#!/usr/bin/env python3\nprint("sudo")\nEOF\n')).toEqual([]);
    expect(await commandsOf('FROM mcr.microsoft.com/windows\nSHELL ["powershell", "-Command"]\nRUN Write-Host sudo\n')).toEqual([]);
    expect(names(await commandsOf('FROM debian\nRUN <<EOF\n#!/bin/bash\nset -e\nEOF\n'))).toEqual(['set']);
  });
  it('is linear in a long && chain', async () => {
    const chain = Array.from({ length: 500 }, (_, i) => `echo ${i}`).join(' && ');
    const cs = await commandsOf(`FROM debian\nRUN ${chain} && sudo make\n`);
    expect(cs).toHaveLength(501);
    expect(cs[500]?.prefixes).toEqual(['sudo']);
  });
});

describe('instruction views', () => {
  it('unwraps ONBUILD into the instruction it holds', () => {
    const v = viewOf('FROM debian\nONBUILD RUN --mount=type=cache,target=/x make\nONBUILD copy a /b\n');
    const runs = v.byKeyword('RUN');
    expect(runs).toHaveLength(1);
    expect(runs[0]?.onbuild?.keyword).toBe('ONBUILD');
    expect(runs[0]?.inst.flags.map((f) => f.name)).toEqual(['mount']);
    expect(runs[0]?.inst.keywordSpan).toMatchObject({ line: 2, column: 9, endColumn: 12 });
    expect(v.byKeyword('COPY', { onbuild: false })).toHaveLength(0);
    expect(v.byKeyword('COPY')).toHaveLength(1);
  });
  it('FROM: image, tag, digest, platform and alias', () => {
    const v = viewOf('FROM --platform=linux/amd64 ghcr.io/org/app:1.2@sha256:abc AS Build\n');
    const f = fromView(v.instructions[0]!.inst);
    expect(f.ref).toMatchObject({ registry: 'ghcr.io', repository: 'org/app', tag: '1.2', digest: 'sha256:abc' });
    expect(f.platform?.value).toBe('linux/amd64');
    expect(f.alias?.text).toBe('Build');
    expect(parseImageRef('localhost:5000/app')).toMatchObject({ registry: 'localhost:5000', repository: 'app', tag: null });
    expect(parseImageRef('debian')).toMatchObject({ registry: null, tag: null, variable: false });
    expect(parseImageRef('${BASE}:${TAG}').variable).toBe(true);
  });
  it('COPY, USER, WORKDIR, EXPOSE, ENV/LABEL and HEALTHCHECK', () => {
    const v = viewOf('FROM debian\nCOPY --from=build --chown=app a "b c" /dst/\nCOPY ["x", "y/"]\nUSER app:staff\nWORKDIR /my app\nEXPOSE 80/tcp 443\nENV A=1 B="two words"\nENV OLD legacy value\nHEALTHCHECK --interval=5s CMD curl -f http://x/\nHEALTHCHECK NONE\n');
    const [from, copy, json, user, wd, expose, env, legacy, hc, none] = v.instructions.map((i) => i.inst);
    void from;
    const c = copyView(copy!);
    expect(c.sources.map((w) => w.value)).toEqual(['a', 'b c']);
    expect(c.dest?.value).toBe('/dst/');
    expect(c.from?.value).toBe('build');
    expect(copyView(json!).dest?.value).toBe('y/');
    expect(userView(user!)).toMatchObject({ user: 'app', group: 'staff' });
    expect(workdirView(wd!).word?.value).toBe('/my app');
    expect(exposeView(expose!).ports.map((p) => p.text)).toEqual(['80/tcp', '443']);
    expect(keyValues(env!).map((kv) => [kv.key, kv.value, kv.legacy])).toEqual([['A', '1', false], ['B', 'two words', false]]);
    expect(keyValues(legacy!).map((kv) => [kv.key, kv.value, kv.legacy])).toEqual([['OLD', 'legacy value', true]]);
    expect(healthcheckView(hc!).cmd?.kind).toBe('shell');
    expect(healthcheckView(none!).none).toBe(true);
  });
  it('the CMD, ENTRYPOINT or HEALTHCHECK a later one of the same stage replaces, ONBUILD triggers not counted', () => {
    const v = viewOf('FROM debian AS a\nCMD ["1"]\nONBUILD CMD ["t"]\nCMD ["2"]\nCMD ["3"]\nFROM a\nCMD ["4"]\nENTRYPOINT ["e"]\n');
    expect(v.replacedInStage('CMD').map((r) => [r.view.inst.keywordSpan.line, r.laterLine])).toEqual([[4, 5], [2, 4]]);
    expect(v.replacedInStage('ENTRYPOINT')).toEqual([]);
  });
});

describe('a Dockerfile without FROM', () => {
  it('gets the missing-FROM error and the instruction-level rules', async () => {
    const findings = await lintFile({ path: '-', text: 'RUN sudo make\nCMD ["x"]\n' }, { cwd: process.cwd() });
    expect(findings.map((f) => `${f.line}:${f.column} ${f.rule}`)).toEqual(['1:1 input-error', '1:5 sudo-in-run']);
    expect(findings[0]?.message).toMatch(/no FROM instruction/);
  });
});
