import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ContextFs } from '../../src/model/context-fs.js';
import { ImageFs } from '../../src/model/image-fs.js';
import { finalStage } from '../helpers.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-ctx-'));
  const files: Record<string, string> = {
    'docker-entrypoint.sh': '#!/bin/sh\n',
    'scripts/start.sh': '#!/bin/sh\n',
    'scripts/lib/util.sh': '#!/bin/sh\n',
    'bin/a.sh': '', 'bin/b.sh': '', 'bin/c.txt': '',
  };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, 'ctx', rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'ctx', rel), text);
  }
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'secret');
  fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(dir, 'ctx', 'link-out.sh'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function resolve(dockerfile: string, name: string): string | null {
  const imageFs = new ImageFs(new ContextFs(path.join(dir, 'ctx')));
  const r = imageFs.resolveCommand(finalStage(dockerfile), name);
  if (!r) return null;
  return r.origin.kind === 'context' ? `${r.imagePath} <- ${r.origin.contextPath}` : `${r.imagePath} <- ${r.origin.kind}`;
}

describe('replaying COPY/ADD', () => {
  test('a file copied into a folder (trailing slash) is found through PATH', () => {
    expect(resolve('FROM alpine\nCOPY docker-entrypoint.sh /usr/local/bin/\n', 'docker-entrypoint.sh')).toBe(
      '/usr/local/bin/docker-entrypoint.sh <- docker-entrypoint.sh',
    );
  });

  test('a well-known folder without a trailing slash is a folder', () => {
    expect(resolve('FROM alpine\nCOPY docker-entrypoint.sh /usr/local/bin\n', 'docker-entrypoint.sh')).toBe(
      '/usr/local/bin/docker-entrypoint.sh <- docker-entrypoint.sh',
    );
  });

  test('a destination with no trailing slash that the build places something below is a folder: the file lands inside it', () => {
    // A later COPY below it (below a file, that COPY would fail), or an earlier WORKDIR below it.
    expect(resolve('FROM alpine\nCOPY docker-entrypoint.sh /home/scanner\nCOPY scripts/start.sh /home/scanner/bin/start.sh\n', '/home/scanner/docker-entrypoint.sh')).toBe(
      '/home/scanner/docker-entrypoint.sh <- docker-entrypoint.sh',
    );
    expect(resolve('FROM alpine\nWORKDIR /srv/app/data\nCOPY docker-entrypoint.sh /srv/app\n', '/srv/app/docker-entrypoint.sh')).toBe('/srv/app/docker-entrypoint.sh <- docker-entrypoint.sh');
    // In a stage built on the one that copies below it, too.
    expect(resolve('FROM alpine AS base\nCOPY scripts/start.sh /opt/app/bin/start.sh\nFROM base\nCOPY docker-entrypoint.sh /opt/app\n', '/opt/app/docker-entrypoint.sh')).toBe(
      '/opt/app/docker-entrypoint.sh <- docker-entrypoint.sh',
    );
  });

  test('a destination with nothing below it is the file\'s new name; a standard folder is one only on a Linux base, not on scratch', () => {
    expect(resolve('FROM alpine\nCOPY docker-entrypoint.sh /srv/app\nCOPY scripts/start.sh /srv/start.sh\n', '/srv/app/docker-entrypoint.sh')).toBeNull();
    expect(resolve('FROM alpine\nCOPY docker-entrypoint.sh /srv/app\n', '/srv/app')).toBe('/srv/app <- docker-entrypoint.sh');
    expect(resolve('FROM alpine\nCOPY docker-entrypoint.sh /opt\n', '/opt')).toBeNull();
    // scratch has no /opt: either, as before.
    expect(resolve('FROM scratch\nCOPY docker-entrypoint.sh /opt\n', '/opt')).toBe('/opt <- docker-entrypoint.sh');
    expect(resolve('FROM scratch\nCOPY docker-entrypoint.sh /opt\n', '/opt/docker-entrypoint.sh')).toBe('/opt/docker-entrypoint.sh <- docker-entrypoint.sh');
  });

  test('a file copied to a new name', () => {
    expect(resolve('FROM alpine\nCOPY docker-entrypoint.sh /entrypoint\n', '/entrypoint')).toBe('/entrypoint <- docker-entrypoint.sh');
  });

  test('a folder copy puts its contents (not itself) under the destination', () => {
    expect(resolve('FROM alpine\nCOPY scripts/ /usr/local/bin/\n', 'start.sh')).toBe('/usr/local/bin/start.sh <- scripts/start.sh');
    expect(resolve('FROM alpine\nCOPY scripts /opt/s\n', '/opt/s/lib/util.sh')).toBe('/opt/s/lib/util.sh <- scripts/lib/util.sh');
  });

  test('destinations are relative to WORKDIR', () => {
    expect(resolve('FROM alpine\nWORKDIR /app\nCOPY scripts/start.sh ./bin/\n', './bin/start.sh')).toBe('/app/bin/start.sh <- scripts/start.sh');
    expect(resolve('FROM alpine\nWORKDIR /app\nCOPY . .\n', 'scripts/start.sh')).toBe('/app/scripts/start.sh <- scripts/start.sh');
  });

  test('a glob with one match copies to the destination name; several matches need a folder', () => {
    expect(resolve('FROM alpine\nCOPY docker-entry*.sh /usr/local/bin/run.sh\n', 'run.sh')).toBe('/usr/local/bin/run.sh <- docker-entrypoint.sh');
    expect(resolve('FROM alpine\nCOPY bin/*.sh /opt/tools\n', '/opt/tools/a.sh')).toBe('/opt/tools/a.sh <- bin/a.sh');
  });

  test('globs in sources', () => {
    expect(resolve('FROM alpine\nCOPY bin/*.sh /usr/bin/\n', 'b.sh')).toBe('/usr/bin/b.sh <- bin/b.sh');
    expect(resolve('FROM alpine\nCOPY bin/*.sh /usr/bin/\n', 'c.txt')).toBeNull();
  });

  test('COPY --from follows into the earlier stage', () => {
    const df = 'FROM alpine AS build\nCOPY scripts/start.sh /out/run.sh\nFROM alpine\nCOPY --from=build /out/run.sh /usr/local/bin/\n';
    expect(resolve(df, 'run.sh')).toBe('/usr/local/bin/run.sh <- scripts/start.sh');
  });

  test('COPY --from an image is a source dockerlint cannot read', () => {
    expect(resolve('FROM alpine\nCOPY --from=tianon/gosu /gosu /usr/local/bin/\n', 'gosu')).toBe('/usr/local/bin/gosu <- remote');
  });

  test('a folder copied from an image may hold a name only when no earlier PATH folder is searched first', () => {
    const jdk = 'FROM debian:12\nCOPY --from=eclipse-temurin:21-jre /opt/java/openjdk /opt/java/openjdk\n';
    // First on PATH: the copied folder is where the shell looks first.
    expect(resolve(`${jdk}ENV PATH=/opt/java/openjdk/bin:$PATH\n`, 'java')).toBe('/opt/java/openjdk/bin/java <- remote');
    expect(resolve(`${jdk}ENV PATH=/opt/java/openjdk/bin:/opt/tool/bin:$PATH\n`, 'tool')).toBe('/opt/java/openjdk/bin/tool <- remote');
    // After a folder a RUN (or the base image) may fill: that folder is searched first, and what
    // it holds is not known.
    expect(resolve(`${jdk}ENV PATH=/opt/tool/bin:/opt/java/openjdk/bin:$PATH\n`, 'tool')).toBeNull();
    expect(resolve(`${jdk}ENV PATH=$PATH:/opt/java/openjdk/bin\n`, 'java')).toBeNull();
    // A file the COPY names is there, wherever its folder is on PATH.
    expect(resolve('FROM debian:12\nCOPY --from=tianon/gosu /gosu /opt/tools/bin/gosu\nENV PATH=/opt/app/bin:/opt/tools/bin:$PATH\n', 'gosu')).toBe('/opt/tools/bin/gosu <- remote');
  });

  test('heredoc sources', () => {
    expect(resolve('FROM alpine\nCOPY <<EOF /entrypoint.sh\n#!/bin/sh\nEOF\n', '/entrypoint.sh')).toBe('/entrypoint.sh <- heredoc');
  });

  test('a later COPY overrides an earlier one', () => {
    const df = 'FROM alpine\nCOPY scripts/start.sh /run.sh\nCOPY docker-entrypoint.sh /run.sh\n';
    expect(resolve(df, '/run.sh')).toBe('/run.sh <- docker-entrypoint.sh');
  });

  test('nothing outside the context: `..` sources and outward symlinks are not followed', () => {
    expect(resolve('FROM alpine\nCOPY ../secret.txt /s.sh\n', '/s.sh')).toBeNull();
    expect(resolve('FROM alpine\nCOPY link-out.sh /s.sh\n', '/s.sh')).toBeNull();
    const ctx = new ContextFs(path.join(dir, 'ctx'));
    expect(ctx.escapes('link-out.sh')).toBe(true);
    expect(() => ctx.readText('../secret.txt')).toThrow(/outside the build context/);
  });

  test('an ENV PATH entry is searched', () => {
    expect(resolve('FROM alpine\nENV PATH=/opt/app/bin:$PATH\nCOPY scripts/start.sh /opt/app/bin/\n', 'start.sh')).toBe(
      '/opt/app/bin/start.sh <- scripts/start.sh',
    );
  });
});

describe('a source with parts that use a build argument with no known value', () => {
  // The unknown parts are wildcards of a name: the word may put a file only where a name it can
  // take lands; elsewhere the other sources stay known.
  test('a name the word cannot take still comes from the known source: `qemu-*-static*` is never docker-entrypoint.sh', () => {
    expect(resolve('FROM alpine\nARG QEMU_ARCH\nCOPY docker-entrypoint.sh qemu-${QEMU_ARCH}-static* /usr/bin/\n', '/usr/bin/docker-entrypoint.sh')).toBe(
      '/usr/bin/docker-entrypoint.sh <- docker-entrypoint.sh',
    );
    expect(resolve('FROM alpine\nARG QEMU_ARCH\nCOPY docker-entrypoint.sh qemu-${QEMU_ARCH}-static* /usr/bin/\n', '/usr/bin/qemu-arm-static')).toBe('/usr/bin/qemu-arm-static <- remote');
  });

  test('a name the word can take is unknown, whichever COPY came first', () => {
    expect(resolve('FROM alpine\nARG ARCH\nCOPY scripts/start.sh *-${ARCH}.sh /usr/bin/\n', '/usr/bin/start-amd64.sh')).toBe('/usr/bin/start-amd64.sh <- remote');
    expect(resolve('FROM alpine\nARG ARCH\nCOPY scripts/start.sh /usr/bin/\nCOPY start-${ARCH}.sh /usr/bin/start.sh\n', '/usr/bin/start.sh')).toBe('/usr/bin/start.sh <- remote');
  });

  test('order counts: a known source after the unknown one, in the same COPY or a later one, is what lands', () => {
    expect(resolve('FROM alpine\nARG SCRIPT\nCOPY ${SCRIPT} docker-entrypoint.sh /usr/bin/\n', '/usr/bin/docker-entrypoint.sh')).toBe('/usr/bin/docker-entrypoint.sh <- docker-entrypoint.sh');
    expect(resolve('FROM alpine\nARG SCRIPT\nCOPY ${SCRIPT} /usr/bin/\nCOPY docker-entrypoint.sh /usr/bin/\n', '/usr/bin/docker-entrypoint.sh')).toBe('/usr/bin/docker-entrypoint.sh <- docker-entrypoint.sh');
    expect(resolve('FROM alpine\nARG SCRIPT\nCOPY docker-entrypoint.sh ${SCRIPT} /usr/bin/\n', '/usr/bin/docker-entrypoint.sh')).toBe('/usr/bin/docker-entrypoint.sh <- remote');
  });

  test('a word that may name a folder may put any file below the destination', () => {
    const after = (src: string): string | null => resolve(`FROM alpine\nARG A\nCOPY docker-entrypoint.sh /usr/bin/\nCOPY ${src} /usr/bin/\n`, '/usr/bin/docker-entrypoint.sh');
    // All unknown, a trailing slash, a last part with neither a dot nor a glob.
    for (const src of ['${A}', 'dist/${A}/', 'rootfs-${A}', 'build/${A}/bin']) expect(after(src)).toBe('/usr/bin/docker-entrypoint.sh <- remote');
    // A word that names files (`scr*pt*`) but matches a folder of the build context: only a file that folder holds.
    expect(after('scr${A}pt*')).toBe('/usr/bin/docker-entrypoint.sh <- docker-entrypoint.sh');
    expect(resolve('FROM alpine\nARG A\nCOPY docker-entrypoint.sh /usr/bin/start.sh\nCOPY scr${A}pt* /usr/bin/\n', '/usr/bin/start.sh')).toBe('/usr/bin/start.sh <- remote');
  });

  test('ADD: a local word may be an archive it unpacks, a download is one file named by its URL', () => {
    const after = (src: string): string | null => resolve(`FROM alpine\nARG V\nCOPY docker-entrypoint.sh /usr/bin/\nADD ${src} /usr/bin/\n`, '/usr/bin/docker-entrypoint.sh');
    expect(after('app-${V}.tar.gz')).toBe('/usr/bin/docker-entrypoint.sh <- remote');
    expect(after('https://github.com/org/tool-${V}.git')).toBe('/usr/bin/docker-entrypoint.sh <- remote');
    expect(after('https://example.com/releases/${V}/tini-static')).toBe('/usr/bin/docker-entrypoint.sh <- docker-entrypoint.sh');
    expect(after('https://example.com/${V}/docker-entrypoint.sh?raw=1')).toBe('/usr/bin/docker-entrypoint.sh <- remote');
  });

  test('ADD of a URL with no unknown part: a download is one file, a Git repository a folder', () => {
    expect(resolve('FROM alpine\nCOPY docker-entrypoint.sh /usr/bin/\nADD https://example.com/v1/tini /usr/bin/\n', '/usr/bin/docker-entrypoint.sh')).toBe('/usr/bin/docker-entrypoint.sh <- docker-entrypoint.sh');
    expect(resolve('FROM alpine\nCOPY docker-entrypoint.sh /usr/bin/\nADD https://example.com/v1/tini /usr/bin/\n', '/usr/bin/tini')).toBe('/usr/bin/tini <- remote');
    expect(resolve('FROM alpine\nCOPY docker-entrypoint.sh /usr/bin/\nADD https://example.com/org/tools.git#v1 /usr/bin/\n', '/usr/bin/docker-entrypoint.sh')).toBe('/usr/bin/docker-entrypoint.sh <- remote');
  });

  test('COPY --from a stage: the same, on the word alone', () => {
    const after = (src: string): string | null => resolve(`FROM alpine AS build\nFROM alpine\nARG A\nCOPY docker-entrypoint.sh /usr/bin/\nCOPY --from=build ${src} /usr/bin/\n`, '/usr/bin/docker-entrypoint.sh');
    expect(after('/out/qemu-${A}-static*')).toBe('/usr/bin/docker-entrypoint.sh <- docker-entrypoint.sh');
    expect(after('/out/${A}/')).toBe('/usr/bin/docker-entrypoint.sh <- remote');
  });

  test('a platform-named binary copied to its own name is still the platform\'s binary', () => {
    expect(resolve('FROM alpine\nARG TARGETARCH\nCOPY app-linux-${TARGETARCH} /usr/local/bin/app\n', 'app')).toBe('/usr/local/bin/app <- platform');
  });
});

describe('.dockerignore as Docker applies it', () => {
  /** A fresh context with these files and this .dockerignore. */
  function contextWith(ignoreFile: string, files: string[]): ContextFs {
    const root = fs.mkdtempSync(path.join(dir, 'ign-'));
    for (const rel of files) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), '#!/bin/sh\n');
    }
    fs.writeFileSync(path.join(root, '.dockerignore'), ignoreFile);
    return new ContextFs(root);
  }

  test('`!` re-includes a path below an excluded folder: `*` then `!docker/rootfs/` sends docker/rootfs/ and nothing else', () => {
    const ctx = contextWith('*\n!docker/rootfs/\n', ['docker/rootfs/usr/local/bin/start.sh', 'docker/other/x.sh', 'README.md']);
    expect(ctx.stat('docker/rootfs/usr/local/bin/start.sh')?.kind).toBe('file');
    expect(ctx.stat('docker/rootfs')?.kind).toBe('dir');
    expect(ctx.stat('docker')?.kind).toBe('dir'); // excluded itself, but it holds what is sent
    expect(ctx.stat('docker/other/x.sh')).toBeNull();
    expect(ctx.stat('docker/other')).toBeNull();
    expect(ctx.stat('README.md')).toBeNull();
  });

  test('`**` then a re-included file, and a folder pattern then a re-included subfolder', () => {
    const all = contextWith('**\n!docker/start.sh\n', ['docker/start.sh', 'docker/stop.sh']);
    expect(all.stat('docker/start.sh')?.kind).toBe('file');
    expect(all.stat('docker/stop.sh')).toBeNull();
    const build = contextWith('build\n!build/docker\n', ['build/docker/run.sh', 'build/out/app.jar']);
    expect(build.stat('build/docker/run.sh')?.kind).toBe('file');
    expect(build.stat('build/out/app.jar')).toBeNull();
  });

  test('patterns match case-sensitively, from the context root, and the last match wins', () => {
    const ctx = contextWith('*.md\n!README.md\nnode_modules\n', ['README.md', 'NOTES.md', 'notes.MD', 'node_modules/x.sh', 'sub/node_modules/y.sh']);
    expect(ctx.stat('README.md')?.kind).toBe('file');
    expect(ctx.stat('NOTES.md')).toBeNull();
    expect(ctx.stat('notes.MD')?.kind).toBe('file');
    expect(ctx.stat('node_modules/x.sh')).toBeNull();
    expect(ctx.stat('sub/node_modules/y.sh')?.kind).toBe('file'); // a pattern is anchored at the root
  });

  test('regular-expression characters are plain characters of a path; a pattern that cannot be matched is a problem, not a crash', () => {
    const plus = contextWith('+.*\ndocs\n', ['+.env', 'docs/a.md', 'start.sh']);
    expect(plus.stat('+.env')).toBeNull();
    expect(plus.stat('start.sh')?.kind).toBe('file');
    expect(plus.problems).toEqual([]);
    const broken = contextWith('a[\n', ['a[', 'start.sh']);
    expect(broken.stat('start.sh')?.kind).toBe('file');
    expect(broken.problems).toEqual([
      { kind: 'ignore-file', path: '.dockerignore', message: '.dockerignore holds a pattern that cannot be matched; no file of the context was taken as excluded' },
    ]);
  });
});
