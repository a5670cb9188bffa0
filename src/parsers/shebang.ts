/**
 * The one reader of `#!` lines, for every caller: which interpreter runs a script, and through
 * which init when the shebang names one.
 *
 * - `#!/bin/sh -e`            -> interpreter `sh`
 * - `#!/usr/bin/env bash`     -> interpreter `bash` (env's options and NAME=value skipped)
 * - `#!/usr/bin/env -S bash -e` -> interpreter `bash` (`-S` splits the rest into words)
 * - `#!/usr/bin/dumb-init /bin/sh` -> init `dumb-init`, interpreter `sh`: the init is PID 1 and
 *   the script runs under it
 * - `#!/bin/busybox sh`       -> interpreter `sh`
 * - `#!/usr/bin/with-contenv bash` -> interpreter `bash` (s6-overlay's wrapper: the container's
 *   environment, then the interpreter); `bashio` (Home Assistant's bash with its library) is bash
 *
 * The kernel passes everything after the interpreter path as one argument; `env -S` splits it.
 */
import path from 'node:path';
import { ASSIGNMENT } from './variables.js';

export interface Shebang {
  /** The line as written, without `#!` and trailing blanks. */
  text: string;
  /** The program the kernel runs (the first word). */
  program: string;
  /** The interpreter's name (`sh`, `bash`, `node`, `python3`), after env/init/busybox. */
  interpreter: string | null;
  /** An init the shebang starts first (`dumb-init`, `tini`), or null. */
  init: string | null;
  /** `tini -g` / dumb-init (unless `--single-child`): signals reach the child's process group. */
  initSignalsGroup: boolean;
}

const INITS = new Set(['tini', 'tini-static', 'dumb-init', 'catatonit', 'docker-init']);

/** The shebang of a script (a byte order mark first is ignored here), or null. */
export function readShebang(source: string): Shebang | null {
  const start = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (!source.startsWith('#!', start)) return null;
  const nl = source.indexOf('\n', start);
  const text = source
    .slice(start + 2, nl === -1 ? undefined : nl)
    .replace(/\r$/, '')
    .trim();
  const words = text.split(/\s+/).filter((w) => w !== '');
  const program = words[0] ?? '';
  let i = 0;
  let name = path.posix.basename(program);
  let init: string | null = null;
  let group = false;
  for (let guard = 0; guard < 4; guard++) {
    if (name === 'env') {
      i++;
      while (i < words.length) {
        const w = words[i] as string;
        if (w === '-S' || w === '--split-string' || w === '-i' || w === '--ignore-environment' || w === '-') i++;
        else if (w.startsWith('-S')) {
          words.splice(i, 1, w.slice(2));
        } else if (w === '-u' || w === '--unset' || w === '-C' || w === '--chdir') i += 2;
        else if (w.startsWith('-') || ASSIGNMENT.test(w)) i++;
        else break;
      }
      name = path.posix.basename(words[i] ?? '');
      continue;
    }
    if (INITS.has(name)) {
      init = name;
      group = name === 'dumb-init';
      i++;
      while (i < words.length && (words[i] as string).startsWith('-')) {
        const w = words[i] as string;
        if (w === '--') {
          i++;
          break;
        }
        if (name !== 'dumb-init' && /^-[a-zA-Z]*g/.test(w)) group = true;
        if (name === 'dumb-init' && (w === '-c' || w === '--single-child')) group = false;
        i++;
      }
      name = path.posix.basename(words[i] ?? '');
      continue;
    }
    if (name === 'busybox' || name === 'with-contenv') {
      i++;
      name = path.posix.basename(words[i] ?? '');
      continue;
    }
    break;
  }
  if (name === 'bashio') name = 'bash';
  return { text, program, interpreter: name === '' ? null : name, init, initSignalsGroup: group };
}
