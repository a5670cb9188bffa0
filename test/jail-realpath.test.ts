/**
 * A jail asks its file system for the real path of each path once: a lint resolves the same
 * folders many times (each compose and ignore file name of a folder, each context file before it
 * is stat'ed and again when it is read). The answers stay those of the file system, links
 * included.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DiskFileSystem, type FileSystem } from '../src/fs/file-system.js';
import { Jail } from '../src/fs/jail.js';
import { ContextFs } from '../src/model/context-fs.js';

class CountingFs extends DiskFileSystem {
  readonly asked = new Map<string, number>();
  override realpath(p: string): string | null {
    this.asked.set(p, (this.asked.get(p) ?? 0) + 1);
    return super.realpath(p);
  }
}

let T: string;
beforeAll(() => {
  T = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dl-jail-real-')));
  fs.mkdirSync(path.join(T, 'repo', 'app'), { recursive: true });
  fs.mkdirSync(path.join(T, 'elsewhere'));
  fs.writeFileSync(path.join(T, 'repo', 'app', 'entry.sh'), '#!/bin/sh\nexec "$@"\n');
  fs.writeFileSync(path.join(T, 'elsewhere', 'secret'), 'root:x:0:0\n');
  fs.symlinkSync(path.join(T, 'elsewhere', 'secret'), path.join(T, 'repo', 'app', 'link'));
});
afterAll(() => fs.rmSync(T, { recursive: true, force: true }));

test('absent names in one folder resolve the folder once', () => {
  const counting = new CountingFs();
  const jail = new Jail(path.join(T, 'repo'), counting);
  const dir = path.join(T, 'repo', 'app');
  for (const name of ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml', 'docker-bake.hcl']) {
    expect(jail.stat(path.join(dir, name))).toBeNull();
  }
  expect(counting.asked.get(dir)).toBe(1);
  expect(jail.stat(path.join(dir, 'entry.sh'))?.kind).toBe('file');
  expect(jail.readText(path.join(dir, 'entry.sh'))).toMatch(/exec/);
  expect(counting.asked.get(path.join(dir, 'entry.sh'))).toBe(1);
  expect([...counting.asked.values()].every((n) => n === 1)).toBe(true);
});

test('a link out of the root is still refused, asked about or not', () => {
  const jail = new Jail(path.join(T, 'repo'), new CountingFs());
  const link = path.join(T, 'repo', 'app', 'link');
  expect(jail.contains(link)).toBe(false);
  expect(jail.stat(link)).toBeNull();
  expect(() => jail.readText(link)).toThrow(/outside/);
  const context = new ContextFs(path.join(T, 'repo', 'app'), null, jail);
  expect(context.stat('link')).toBeNull();
  expect(context.escapes('link')).toBe(true);
  expect(context.stat('entry.sh')?.kind).toBe('file');
});

test('each jail asks again: a new lint sees what changed', () => {
  const counting: FileSystem & { asked: Map<string, number> } = new CountingFs();
  const file = path.join(T, 'repo', 'app', 'later.sh');
  expect(new Jail(path.join(T, 'repo'), counting).stat(file)).toBeNull();
  fs.writeFileSync(file, 'x');
  expect(new Jail(path.join(T, 'repo'), counting).stat(file)?.kind).toBe('file');
});
