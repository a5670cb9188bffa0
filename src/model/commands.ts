/**
 * What a simple command does, read from its words: which program, whether it forwards the
 * positional parameters (`"$@"`), whether it switches user (gosu and friends, or su/sudo).
 */
import type { Word, WordPart } from '../parsers/shell-ast.js';
import { unwrapPrefixes, type CommandPrefix } from './prefixes.js';
import { ROOT_USER } from '../text.js';

/** Prefixes that run the command in the same process (an exec'd `env X=1 cmd` is still cmd). */
const SAME_PROCESS: ReadonlySet<CommandPrefix> = new Set(['env', 'command']);

/** Tools that switch user and then exec the command in the same process. */
const EXEC_USER_SWITCHERS = new Set(['gosu', 'su-exec', 'setpriv', 'chroot', 's6-setuidgid', 'chpst', 'setuidgid', 'doas']);
/** Tools that switch user but fork and stay alive as the parent. */
export const FORKING_USER_SWITCHERS = new Set(['su', 'sudo', 'runuser']);
/**
 * Vendor programs with a built-in gosu, as a subcommand: `clickhouse su user:group cmd...`
 * switches user and execs the command, like `gosu user:group cmd...`.
 */
const VENDOR_USER_SWITCHERS: ReadonlyMap<string, string> = new Map([['clickhouse', 'su']]);

/** A program whose job is to run a command as another user (`gosu`, `su-exec`, `su`, `sudo`, ...), by its name. */
export function isUserSwitcherName(name: string): boolean {
  const b = basename(name);
  return EXEC_USER_SWITCHERS.has(b) || FORKING_USER_SWITCHERS.has(b) || VENDOR_USER_SWITCHERS.has(b) || b === START_STOP_DAEMON;
}

export const START_STOP_DAEMON = 'start-stop-daemon';

/** start-stop-daemon's options whose value is the next word (matching and process options). */
const SSD_VALUED = new Set(['-p', '--pidfile', '-n', '--name', '-u', '--user', '-g', '--group', '-s', '--signal', '-r', '--chroot', '-d', '--chdir', '-N', '--nicelevel', '-P', '--procsched', '-I', '--iosched', '-k', '--umask', '-R', '--retry', '--ppid', '-O', '--output', '--notify-timeout', '--notify-await']);

/**
 * `start-stop-daemon --start --chuid app[:group] --exec /usr/sbin/prog -- args` (or `-c app`,
 * `--chuid=app`, with `--startas`/`-a` naming the program started): it switches to the user and
 * execs the program in its own process, like setpriv. With `--background` (`-b`) it forks first
 * and returns, so it is no hand-over. Null unless it starts (`--start`/`-S`) a known program with
 * `--chuid` and stays in the foreground. (`--user`/`-u` only matches running processes: no switch.)
 * Indexes are into `args`, the words after `start-stop-daemon`; `user` is the value when it is
 * glued to its option (`--chuid=app`, `-capp`), else `userAt` is the word that holds it.
 */
export function startStopDaemonSwitch(args: readonly (string | null | undefined)[]): { userAt: number; user: string | null; programAt: number; argsFrom: number } | null {
  let start = false;
  let background = false;
  let userAt = -1;
  let user: string | null = null;
  let execAt = -1;
  let startasAt = -1;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === null || a === undefined) return null;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-')) return null;
    const glued = /^(--chuid=|--exec=|--startas=)(.*)$/.exec(a);
    if (a === '-S' || a === '--start') start = true;
    else if (a === '-b' || a === '--background') background = true;
    else if (a === '-K' || a === '--stop' || a === '-T' || a === '--status' || a === '-H' || a === '--help' || a === '-V' || a === '--version') return null;
    else if (a === '-c' || a === '--chuid') userAt = ++i;
    else if (a === '-x' || a === '--exec') execAt = ++i;
    else if (a === '-a' || a === '--startas') startasAt = ++i;
    else if (glued) {
      // The value glued to its option: the word itself, with the value after the `=`.
      if (glued[1] === '--chuid=') {
        userAt = i;
        user = glued[2] ?? '';
      } else return null; // a program glued to `--exec=`: rare, and not a word to hand over
    } else if (/^-c./.test(a)) {
      userAt = i;
      user = a.slice(2);
    } else if (SSD_VALUED.has(a)) i++;
    else if (/^-[a-zA-Z]{2,}$/.test(a)) return null; // a cluster of short options: not read
  }
  const programAt = startasAt >= 0 ? startasAt : execAt;
  if (!start || background || userAt < 0 || userAt >= args.length || programAt < 0 || programAt >= args.length) return null;
  return { userAt, user, programAt, argsFrom: Math.min(i, args.length) };
}

/**
 * The exec'ing user switch that `words[i]` starts, if any: the tool's name (`gosu`,
 * `clickhouse su`) and where its own arguments (user, then command) begin.
 */
export function execSwitcherAt(words: readonly (string | null | undefined)[], i: number): { tool: string; args: number } | null {
  const w = words[i];
  if (!w) return null;
  const b = basename(w);
  if (EXEC_USER_SWITCHERS.has(b)) return { tool: b, args: i + 1 };
  if (b === START_STOP_DAEMON && startStopDaemonSwitch(words.slice(i + 1))) return { tool: b, args: i + 1 };
  const sub = VENDOR_USER_SWITCHERS.get(b);
  if (sub && words[i + 1] === sub) return { tool: `${b} ${sub}`, args: i + 2 };
  return null;
}

/**
 * How a word list passes on the positional parameters:
 * `quoted` = `"$@"` (intact), `unquoted` = `$@` or `$*` (re-split and globbed), `star` = `"$*"`
 * (joined into one word), `none` = not at all.
 */
export type ArgsUse = 'quoted' | 'unquoted' | 'star' | 'none';

export interface UserSwitch {
  tool: string;
  /** The user as written (`redis`, `$APP_USER`, `1000:1000`), or null when not found. */
  user: string | null;
  /** Switches to root (`gosu root`, `sudo` without -u): no privilege drop. */
  toRoot: boolean;
  /** Words of the command it runs, after the tool and its options. */
  command: Word[];
  /** For su/runuser -c: the command string. */
  commandString: string | null;
}

export interface CommandInfo {
  /** The words after `exec`/`env` prefixes. */
  words: Word[];
  /** Literal program name (`gosu`, `/usr/local/bin/gosu`), null when dynamic (e.g. `"$@"`). */
  name: string | null;
  exec: boolean;
  /** How the positional parameters appear anywhere in the words. */
  args: ArgsUse;
  /** The program itself is the positional parameters (`"$@"`, `$@`, `$*`). */
  runsArgs: ArgsUse;
  /** gosu-like: switches user and execs. */
  switcher: UserSwitch | null;
  /** su/sudo/runuser. */
  forking: UserSwitch | null;
  /** Re-runs the script itself (`"$0"`, `"$BASH_SOURCE"`), possibly through a user switch. */
  reexec: boolean;
}

export function basename(name: string): string {
  const i = name.lastIndexOf('/');
  return i >= 0 ? name.slice(i + 1) : name;
}

/** The literal value of a word when it has no expansions (nor `$'...'` or `$"..."` quoting), else null. */
export function wordLiteral(word: Word): string | null {
  let out = '';
  for (const part of word.parts) {
    const v = partLiteral(part);
    if (v === null) return null;
    out += v;
  }
  return out;
}

function partLiteral(part: WordPart): string | null {
  switch (part.type) {
    case 'Lit':
      // `\<newline>` is a line continuation, not a character; `\x` is x.
      return part.value.replace(/\\\n/g, '').replace(/\\(.)/gs, '$1');
    case 'SglQuoted':
      // `$'\n'` (ANSI-C quoting) means what its escapes say in bash and nothing in dash: not a literal.
      return part.dollar ? null : part.value;
    case 'DblQuoted': {
      // `$"..."` is translated by the locale: not a literal either.
      if (part.dollar) return null;
      let s = '';
      for (const p of part.parts) {
        if (p.type !== 'Lit') return null;
        s += p.value.replace(/\\\n/g, '').replace(/\\([$`"\\])/g, '$1');
      }
      return s;
    }
    default:
      return null;
  }
}

function isPositionalExp(part: WordPart, names: string[]): boolean {
  return (
    part.type === 'ParamExp' && names.includes(part.param) && !part.length && !part.excl && (part.op === null || part.op === ':')
  );
}

/** How one word uses the positional parameters. */
function positionalUse(word: Word): ArgsUse {
  if (word.parts.length === 1) {
    const only = word.parts[0];
    if (only && only.type === 'DblQuoted' && only.parts.length === 1 && only.parts[0]) {
      if (isPositionalExp(only.parts[0], ['@'])) return 'quoted';
      if (isPositionalExp(only.parts[0], ['*'])) return 'star';
    }
    if (only && isPositionalExp(only, ['@', '*'])) return 'unquoted';
  }
  for (const part of word.parts) {
    if (isPositionalExp(part, ['@', '*'])) return 'unquoted';
    if (part.type === 'DblQuoted') {
      for (const inner of part.parts) {
        if (isPositionalExp(inner, ['*'])) return 'star';
        if (isPositionalExp(inner, ['@'])) return 'star'; // "x$@": glued to other text
      }
    }
  }
  return 'none';
}

function worstUse(words: Word[]): ArgsUse {
  let best: ArgsUse = 'none';
  for (const w of words) {
    const u = positionalUse(w);
    if (u === 'unquoted' || u === 'star') return u;
    if (u === 'quoted') best = 'quoted';
  }
  return best;
}

/** `"$0"`, `"$BASH_SOURCE"`, `"${BASH_SOURCE[0]}"`: the script itself. */
export function isSelfReference(word: Word): boolean {
  const parts = word.parts.length === 1 && word.parts[0]?.type === 'DblQuoted' ? word.parts[0].parts : word.parts;
  if (parts.length !== 1) return false;
  const p = parts[0];
  return !!p && p.type === 'ParamExp' && (p.param === '0' || p.param === 'BASH_SOURCE') && !p.length && p.op === null;
}

export function analyseCommand(words: Word[], exec: boolean): CommandInfo {
  // `env [-i] [NAME=value ...] cmd` and `command cmd` run cmd in the same process.
  const rest = words.slice(unwrapPrefixes(words, wordLiteral, SAME_PROCESS).start);
  const name = rest[0] ? wordLiteral(rest[0]) : null;
  const base = name !== null ? basename(name) : null;
  const switcher = base && EXEC_USER_SWITCHERS.has(base) ? parseSwitcher(base, rest.slice(1)) : null;
  const forking = base && FORKING_USER_SWITCHERS.has(base) ? parseForking(base, rest.slice(1)) : null;
  const target = switcher?.command ?? rest;
  const head = target[0];
  return {
    words: rest,
    name,
    exec,
    args: worstUse(rest),
    runsArgs: head ? positionalUse(head) : 'none',
    switcher,
    forking,
    reexec: !!head && isSelfReference(head),
  };
}

function parseSwitcher(tool: string, args: Word[]): UserSwitch | null {
  const lits = args.map((w) => wordLiteral(w));
  const raw = (i: number): string | null => {
    const w = args[i];
    if (!w) return null;
    return lits[i] ?? renderWord(w);
  };
  const make = (user: string | null, commandStart: number): UserSwitch => ({
    tool,
    user,
    toRoot: user !== null && ROOT_USER.test(user),
    command: args.slice(commandStart),
    commandString: null,
  });
  switch (tool) {
    case 'gosu':
    case 'su-exec':
    case 's6-setuidgid':
    case 'setuidgid':
      return args.length >= 1 ? make(raw(0), 1) : null;
    case 'doas': {
      // doas [-Lns] [-a style] [-C config] [-u user] command: root unless -u names another user.
      const d = doasOptions(lits);
      return d ? make(d.user ?? raw(d.userAt), d.commandAt) : null;
    }
    case 'chpst': {
      // chpst [-u user[:group]] [other options] prog
      let user: string | null = null;
      let i = 0;
      while (i < args.length && (lits[i] ?? '').startsWith('-')) {
        if (lits[i] === '-u' || lits[i] === '-U') {
          user = raw(i + 1);
          i += 2;
        } else i += ['-e', '-/', '-n', '-l', '-L', '-m', '-d', '-o', '-p', '-f', '-c', '-r', '-t'].includes(lits[i] ?? '') ? 2 : 1;
      }
      return user === null ? null : make(user, i);
    }
    case 'setpriv': {
      let user: string | null = null;
      let i = 0;
      while (i < args.length && (lits[i] ?? '').startsWith('-')) {
        const l = lits[i] ?? '';
        if (l === '--') {
          i++;
          break;
        }
        const m = /^--(?:reuid|ruid|euid)=(.*)$/.exec(l);
        if (m) user = m[1] ?? null;
        else if (['--reuid', '--ruid', '--euid'].includes(l)) {
          user = raw(i + 1);
          i++;
        } else if (['--regid', '--rgid', '--egid', '--groups', '--inh-caps', '--bounding-set', '--securebits', '--selinux-label', '--apparmor-profile'].includes(l)) i++;
        i++;
      }
      return user === null ? null : make(user, i);
    }
    case 'chroot': {
      // chroot --userspec=USER:GROUP NEWROOT cmd (the value may be an expansion: "$userspec")
      let user: string | null = null;
      let i = 0;
      const text = (j: number): string => lits[j] ?? (args[j] ? renderWord(args[j] as Word) : '');
      while (i < args.length && text(i).startsWith('--')) {
        const m = /^--userspec=(.*)$/.exec(text(i));
        if (m) user = m[1] ?? null;
        else if (lits[i] === '--userspec') {
          user = raw(i + 1);
          i++;
        }
        i++;
      }
      return user === null ? null : make(user, i + 1);
    }
    default:
      return null;
  }
}

/**
 * The options of `doas [-Lns] [-a style] [-C config] [-u user] command`: the target user (root
 * unless `-u` names one; `userAt` is where `-u`'s value is when it is not a literal) and where the
 * command starts. Null for `-C` (check a configuration), `-L` (clear persisted logins), `-s` (a
 * shell), or no command.
 */
export function doasOptions(words: readonly (string | null)[]): { user: string | null; userAt: number; commandAt: number } | null {
  let user: string | null = 'root';
  let userAt = -1;
  let i = 0;
  for (; i < words.length; i++) {
    const w = words[i];
    if (w === null || w === undefined) return null;
    if (w === '--') {
      i++;
      break;
    }
    if (!w.startsWith('-') || w === '-') break;
    for (let k = 1; k < w.length; k++) {
      const c = w[k];
      if (c === 'n') continue;
      if (c !== 'u' && c !== 'a') return null;
      const glued = w.slice(k + 1);
      const value = glued || (words[i + 1] ?? null);
      if (!glued) i++;
      if (c === 'u') {
        user = value;
        userAt = glued ? -1 : i;
      }
      break;
    }
  }
  return i < words.length ? { user, userAt, commandAt: i } : null;
}

function renderWord(w: Word): string {
  return w.parts
    .map((p) => {
      if (p.type === 'ParamExp') return p.short ? `$${p.param}` : `\${${p.param}}`;
      if (p.type === 'DblQuoted') return renderWord({ ...w, parts: p.parts });
      const lit = partLiteral(p);
      return lit ?? '…';
    })
    .join('');
}

function parseForking(tool: string, args: Word[]): UserSwitch {
  const lits = args.map((w) => wordLiteral(w));
  let user: string | null = null;
  let commandString: string | null = null;
  let commandStart = args.length;
  let i = 0;
  if (tool === 'sudo') {
    user = 'root';
    while (i < args.length) {
      const l = lits[i] ?? '';
      if (l === '--') {
        i++;
        break;
      }
      if (!l.startsWith('-')) break;
      if (l === '-u' || l === '--user' || l === '-g' || l === '--group' || l === '-C' || l === '-h' || l === '-p' || l === '-D' || l === '-r' || l === '-t' || l === '-U') {
        if (l === '-u' || l === '--user') user = lits[i + 1] ?? (args[i + 1] ? renderWord(args[i + 1] as Word) : null);
        i += 2;
      } else {
        const m = /^(?:-u|--user=)(.+)$/.exec(l);
        if (m) user = m[1] ?? null;
        i++;
      }
    }
    commandStart = i;
  } else {
    // su [options] [-] [user [args]]; runuser [-u user] [options] [--] cmd, or runuser user -c cmd
    while (i < args.length) {
      const l = lits[i] ?? '';
      if (l === '-c' || l === '--command') {
        commandString = lits[i + 1] ?? (args[i + 1] ? renderWord(args[i + 1] as Word) : null);
        i += 2;
        continue;
      }
      if (l === '-u' && tool === 'runuser') {
        user = lits[i + 1] ?? null;
        i += 2;
        continue;
      }
      if (l === '-s' || l === '--shell' || l === '-g' || l === '--group' || l === '-G' || l === '-w') {
        i += 2;
        continue;
      }
      if (l === '--') {
        commandStart = i + 1;
        break;
      }
      if (l === '-' || l === '-l' || l === '--login' || l === '-m' || l === '-p' || l === '-f' || l.startsWith('-')) {
        i++;
        continue;
      }
      if (user === null) {
        user = lits[i] ?? renderWord(args[i] as Word);
        i++;
        continue;
      }
      commandStart = i;
      break;
    }
    if (user === null) user = 'root';
  }
  return {
    tool,
    user,
    toRoot: user !== null && /^(root|0)$/.test(user),
    command: args.slice(commandStart),
    commandString,
  };
}
