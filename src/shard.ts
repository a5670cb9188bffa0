/**
 * `--shard i/n`: split the Dockerfiles of a monorepo across n CI jobs. A Dockerfile belongs to
 * shard `1 + (h mod n)`, where h is the first 32 bits of the SHA-256 of its path relative to its
 * repository root (forward slashes). That depends on nothing but the path: not on discovery
 * order, the checkout folder, the machine or the other files, so every Dockerfile is in exactly
 * one shard, the same one on every run, and adding a Dockerfile moves no other.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { LintInput } from './engine.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** Parses `i/n` (1 <= i <= n <= 10000); null when it is not that. */
export function parseShard(spec: string): Shard | null {
  const m = /^\s*(\d{1,5})\s*\/\s*(\d{1,5})\s*$/.exec(spec);
  if (!m) return null;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > 10000 || index < 1 || index > count) return null;
  return { index, count };
}

/** The shard (1-based) of a path relative to its repository root, out of `count`. */
export function shardOf(relativePath: string, count: number): number {
  const key = relativePath.split(path.sep).join('/');
  const h = createHash('sha256').update(key, 'utf8').digest().readUInt32BE(0);
  return 1 + (h % count);
}

/**
 * The shard key of a file: its path relative to `root` when it is inside it, else the absolute
 * path (then stable only on machines with the same layout).
 */
export function shardKey(file: string, root: string | undefined): string {
  if (root) {
    const rel = path.relative(root, file);
    if (rel && !rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  }
  return file.split(path.sep).join('/');
}

/** Whether an input is in the shard: by its path in its repository (standard input: shard 1). */
export function inShard(input: LintInput, shard: Shard): boolean {
  if (input.path === '-') return shard.index === 1;
  // The folder's real path, so that a checkout reached through a symlink gives the same key.
  let file = input.path;
  try {
    file = path.join(fs.realpathSync.native(path.dirname(input.path)), path.basename(input.path));
  } catch {
    // keep the path as given
  }
  return shardOf(shardKey(file, input.root), shard.count) === shard.index;
}
