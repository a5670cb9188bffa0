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
