/**
 * Command prefixes: programs that run the rest of their words as the command, in the same process
 * or as a child: `sudo [options]`, `env [-i] [-u NAME] [NAME=value ...]`, `command [-p]`,
 * `exec [-a NAME] [-cl]`, `nice [-n N]`, `nohup`. The one copy of this convention: the RUN command
 * view, the entrypoint evaluator and the command analysis all unwrap through `unwrapPrefixes`.
 */

import { ASSIGNMENT } from '../parsers/variables.js';

const COMMAND_PREFIXES = ['sudo', 'env', 'command', 'exec', 'nice', 'nohup'] as const;
export type CommandPrefix = (typeof COMMAND_PREFIXES)[number];

const ALL: ReadonlySet<CommandPrefix> = new Set(COMMAND_PREFIXES);

export interface PrefixUse {
  name: CommandPrefix;
  /** Index of the prefix's own word. */
  index: number;
}

export interface Unwrapped {
  /** The prefixes passed through, outermost first. */
  prefixes: PrefixUse[];
  /**
   * Index of the word that names the command that finally runs. When a prefix runs no command
   * (`env` alone prints the environment, `command -v x` only looks x up, `sudo -l`), the command
   * is that prefix itself and `start` is its index.
   */
  start: number;
}

/** Options that take the next word as their value (or `-uVALUE` glued), per prefix. */
const VALUED: Record<CommandPrefix, ReadonlySet<string>> = {
  sudo: new Set(['u', 'g', 'C', 'h', 'p', 'D', 'r', 't', 'U', 'T', 'R']),
  env: new Set(['u', 'C', 'S']),
  command: new Set(),
  exec: new Set(['a']),
  nice: new Set(['n']),
  nohup: new Set(),
};
const VALUED_LONG: Record<CommandPrefix, ReadonlySet<string>> = {
  sudo: new Set(['user', 'group', 'close-from', 'host', 'prompt', 'chdir', 'role', 'type', 'other-user', 'command-timeout', 'chroot']),
  env: new Set(['unset', 'chdir', 'split-string']),
  command: new Set(),
  exec: new Set(),
  nice: new Set(['adjustment']),
  nohup: new Set(),
};
/** Options after which the prefix runs no command of the words that follow. */
const NO_COMMAND: Record<CommandPrefix, ReadonlySet<string>> = {
  sudo: new Set(['l', 'v', 'k', 'K', 'V', 'e', 'h', 'list', 'validate', 'reset-timestamp', 'remove-timestamp', 'version', 'edit', 'help']),
  env: new Set(['S', 'split-string', 'help', 'version']),
  command: new Set(['v', 'V']),
  exec: new Set(),
  nice: new Set(['help', 'version']),
  nohup: new Set(['help', 'version']),
};

/** The option of a prefix, as written (`-u`, one letter of a cluster; `--user`), takes a value. */
export function takesValue(prefix: CommandPrefix, option: string): boolean {
  return option.startsWith('--') ? VALUED_LONG[prefix].has(option.slice(2)) : VALUED[prefix].has(option.slice(1));
}

function basename(name: string): string {
  const i = name.lastIndexOf('/');
  return i >= 0 ? name.slice(i + 1) : name;
}

/**
 * Skips the prefixes at the start of a command's words. `literal(w)` gives a word's value, or null
 * when it is computed at runtime (then unwrapping stops at it: it is the command, name unknown).
 * `through` limits which prefixes are unwrapped (default: all of them).
 */
export function unwrapPrefixes<W>(words: readonly W[], literal: (w: W) => string | null, through: ReadonlySet<CommandPrefix> = ALL): Unwrapped {
  const prefixes: PrefixUse[] = [];
  let i = 0;
  for (;;) {
    const w = words[i];
    const lit = w === undefined ? null : literal(w);
    if (lit === null) return { prefixes, start: i };
    const name = basename(lit) as CommandPrefix;
    if (!through.has(name)) return { prefixes, start: i };
    const next = skipOptions(name, words, i + 1, literal);
    if (next === null || next >= words.length) return { prefixes, start: i };
    prefixes.push({ name, index: i });
    i = next;
  }
}

/** Index of the first word after a prefix's options (and env's assignments); null: no command runs. */
function skipOptions<W>(prefix: CommandPrefix, words: readonly W[], from: number, literal: (w: W) => string | null): number | null {
  let i = from;
  while (i < words.length) {
    const w = words[i] as W;
    const lit = literal(w);
    if (lit === null) return i;
    if (lit === '--') return i + 1;
    if (prefix === 'env' && ASSIGNMENT.test(lit)) {
      i++;
      continue;
    }
    if (prefix === 'env' && lit === '-') {
      i++;
      continue;
    }
    if (prefix === 'nice' && /^-\d+$/.test(lit)) {
      i++;
      continue;
    }
    if (lit.startsWith('--') && lit.length > 2) {
      const eq = lit.indexOf('=');
      const long = lit.slice(2, eq >= 0 ? eq : undefined);
      if (NO_COMMAND[prefix].has(long)) return null;
      i += VALUED_LONG[prefix].has(long) && eq < 0 ? 2 : 1;
      continue;
    }
    if (lit.startsWith('-') && lit.length > 1) {
      // A cluster (`-iu NAME`, `-n10`): the first valued letter takes the rest, or the next word.
      let consumed = 1;
      for (let k = 1; k < lit.length; k++) {
        const c = lit[k] as string;
        if (NO_COMMAND[prefix].has(c)) return null;
        if (VALUED[prefix].has(c)) {
          if (k === lit.length - 1) consumed = 2;
          break;
        }
      }
      i += consumed;
      continue;
    }
    return i;
  }
  return i;
}

/**
 * The value of one option of a prefix (`sudo -u app`, `sudo -HEu app`, `sudo --user=app`), read
 * from the words after the prefix's own word at `from`: undefined when absent, null when its
 * value is computed at runtime. The last one given wins, as getopt does.
 */
export function prefixOption<W>(prefix: CommandPrefix, words: readonly W[], from: number, literal: (w: W) => string | null, short: string, long: string): string | null | undefined {
  let value: string | null | undefined;
  let i = from;
  while (i < words.length) {
    const lit = literal(words[i] as W);
    if (lit === null || lit === '--' || !lit.startsWith('-') || lit === '-') break;
    if (lit.startsWith('--')) {
      const eq = lit.indexOf('=');
      const name = lit.slice(2, eq >= 0 ? eq : undefined);
      const takes = VALUED_LONG[prefix].has(name);
      if (name === long) value = eq >= 0 ? lit.slice(eq + 1) : words[i + 1] === undefined ? null : literal(words[i + 1] as W);
      i += takes && eq < 0 ? 2 : 1;
      continue;
    }
    let consumed = 1;
    for (let k = 1; k < lit.length; k++) {
      const c = lit[k] as string;
      if (!VALUED[prefix].has(c)) continue;
      const glued = lit.slice(k + 1);
      const v = glued !== '' ? glued : words[i + 1] === undefined ? null : literal(words[i + 1] as W);
      if (glued === '') consumed = 2;
      if (c === short) value = v;
      break;
    }
    i += consumed;
  }
  return value;
}
