/**
 * The values the entrypoint evaluator computes with.
 *
 * A shell word expands to fields. Each field is a literal string, or unknown (`s: null`), and
 * remembers when it is exactly one of the arguments the script was started with (`arg`), so that
 * `exec "$@"`, `exec "${args[@]}"` or `set -- server "$@"; exec "$@"` can be recognised as handing
 * the arguments over intact, and `exec $@` or `"$*"` as mangling them.
 */
import { ROOT_USER } from '../../text.js';
import type { Job } from './state.js';

/**
 * The command of the user-command run (`docker run IMAGE <command>`): a word the image does not
 * know. It equals no literal the script compares it with and matches only patterns that match
 * everything (`*`), which is what "a command the image does not know" means.
 */
export const USER_COMMAND = '\u0000command';

/**
 * What a command prints when it ran only on words the script knows: not known, but not the user's
 * command (`[ "$1" = "$(which squid)" ]` is false for `docker run IMAGE sh`).
 */
export const NOT_USER_COMMAND: Field = Object.freeze({ s: null, not: Object.freeze([USER_COMMAND]) });

/** How a field was made from the positional parameters when not intact. */
export type Mangling = 'unquoted' | 'star' | 'glued';

export interface Field {
  /** The text; null when unknown. */
  s: string | null;
  /** Stands for any number of fields (0..n): an unquoted unknown expansion, an unknown array. */
  multi?: boolean;
  /** Exactly the invocation argument with this index, intact. */
  arg?: number;
  /** Made from the positional parameters by an expansion that re-splits or joins them. */
  mangled?: Mangling;
  /** An unknown text known to differ from these (the uid of a named non-root user is not `0`). */
  not?: readonly string[];
  /**
   * Empty because these environment variables are unset (the default run sets none but ENV's),
   * the variable read first: a test on it is a required-configuration check.
   */
  unset?: readonly string[];
  /**
   * Holds the process id of one of the shell's background jobs (`$!`), with the text written
   * around it (`/proc/$PID` has `before: '/proc/'`): a liveness test can tell which job it polls.
   */
  pid?: PidOf;
}

/** The pid of a background job inside a field: `$!` itself, or `/proc/$!/status`. */
export interface PidOf {
  job: Job;
  before: string;
  after: string;
}

function samePid(a: PidOf | undefined, b: PidOf | undefined): boolean {
  return a === b || (!!a && !!b && a.job === b.job && a.before === b.before && a.after === b.after);
}

/** The value of an environment variable the configured run assumes set: unknown, not empty. */
export const CONFIGURED: Field = Object.freeze({ s: null, not: Object.freeze(['']) });

/** The empty value of a variable that is unset, remembering which (see `Field.unset`). */
export function unsetValue(name: string, via?: readonly string[]): Field {
  return { s: '', unset: via ? [name, ...via.filter((n) => n !== name)] : [name] };
}

export const UNKNOWN: Field = Object.freeze({ s: null });
export const UNKNOWN_FIELDS: Field = Object.freeze({ s: null, multi: true });

export function lit(s: string): Field {
  return { s };
}


/** The text of a field for messages and explain: `<command>` for the user command. */
export function showField(f: Field): string {
  if (f.multi) return '…';
  if (f.s === null) return '?';
  if (f.s === USER_COMMAND) return '<command>';
  return f.s.includes(USER_COMMAND) ? f.s.split(USER_COMMAND).join('<command>') : f.s;
}

export function showArgv(fields: readonly Field[]): string {
  return fields.map((f) => {
    const t = showField(f);
    return f.s !== null && /[\s"'\\$`]/.test(t) ? JSON.stringify(t) : t;
  }).join(' ');
}

/** Whether two fields are certainly equal (true), certainly different (false), or unknown (null). */
export function compareFields(a: Field, b: Field): boolean | null {
  if (a.multi || b.multi) return null;
  if (a.s !== null && b.s !== null) return a.s === b.s;
  if (a.s === null && b.s !== null && a.not?.includes(b.s)) return false;
  if (b.s === null && a.s !== null && b.not?.includes(a.s)) return false;
  return null;
}

export function sameField(a: Field, b: Field): boolean {
  return a.s === b.s && !!a.multi === !!b.multi && a.arg === b.arg && a.mangled === b.mangled && (a.not?.join() ?? '') === (b.not?.join() ?? '') && samePid(a.pid, b.pid);
}

export function sameFields(a: readonly Field[], b: readonly Field[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameField(a[i] as Field, b[i] as Field)) return false;
  return true;
}

/** The lattice join of two fields: equal, or unknown. */
export function joinField(a: Field, b: Field): Field {
  if (sameField(a, b)) return a;
  if (a.multi || b.multi) return UNKNOWN_FIELDS;
  return UNKNOWN;
}

export function joinFieldLists(a: readonly Field[], b: readonly Field[]): Field[] {
  if (sameFields(a, b)) return a as Field[];
  if (a.length !== b.length) return [UNKNOWN_FIELDS];
  return a.map((f, i) => joinField(f, b[i] as Field));
}

/**
 * The user a process runs as. `root` is null when it cannot be told; `name`/`uid` when known.
 */
export interface UserValue {
  name: string | null;
  uid: string | null;
  root: boolean | null;
  /**
   * The primary group's id (`id -g`) when known: `0` for root with no group given, the number of
   * `user:1000`; null or absent when it comes from /etc/passwd or a group name.
   */
  gid?: string | null;
  /** Where it was set: `USER app`, `no USER`, `gosu app`, `--user 1000`, the base image's... */
  why: string;
}


/** A user as written in USER, `--user`, gosu's first argument: `app`, `1000:1000`, `root`. */
export function userFromSpec(spec: string | null, why: string): UserValue {
  if (spec === null || spec === '') return { name: null, uid: null, root: null, why };
  if (spec.includes(USER_COMMAND)) return { name: null, uid: null, root: null, why };
  const group = spec.includes(':') ? spec.slice(spec.indexOf(':') + 1) : null;
  const gid = group === null ? null : /^\d+$/.test(group) ? group : group === 'root' ? '0' : null;
  if (ROOT_USER.test(spec)) return { name: 'root', uid: '0', root: true, gid: group === null ? '0' : gid, why };
  const u = spec.split(':')[0] ?? spec;
  // `gosu ":"`, `gosu ":1000"` (`"$PUID:$PGID"` with PUID empty): the tool picks a default user, not known here.
  if (u === '') return { name: null, uid: null, root: null, gid, why };
  return /^\d+$/.test(u) ? { name: null, uid: u, root: false, gid, why } : { name: u, uid: null, root: false, gid, why };
}

export function showUser(u: UserValue): string {
  if (u.root === true) return 'root';
  return u.name ?? u.uid ?? 'unknown user';
}

export function sameUser(a: UserValue, b: UserValue): boolean {
  // The same object first: a run's states share its user, which is then not read (watchedUser).
  return a === b || (a.name === b.name && a.uid === b.uid && a.root === b.root && (a.gid ?? null) === (b.gid ?? null));
}

/** The user a watched user stands for (watchedUser), or the user itself. */
const WATCHED = new WeakMap<UserValue, UserValue>();

/**
 * A stand-in for `user` that calls `onRead` whenever one of its fields is read: the interpreter
 * runs a script as this stand-in, so a run that never asks who it runs as (no `id -u`, `whoami`,
 * `$EUID`, user test) is known to be the same for every user, but for the user it records.
 * Comparing and grouping states by their user reads it through userKey/sameUser, which do not count.
 */
export function watchedUser(user: UserValue, onRead: () => void): UserValue {
  const w: UserValue = {
    get name() {
      onRead();
      return user.name;
    },
    get uid() {
      onRead();
      return user.uid;
    },
    get root() {
      onRead();
      return user.root;
    },
    get gid() {
      onRead();
      return user.gid;
    },
    get why() {
      onRead();
      return user.why;
    },
  };
  WATCHED.set(w, user);
  return w;
}

/** A user's identity as a string, for grouping states and endings (a watched user is not marked read). */
export function userKey(u: UserValue): string {
  const r = WATCHED.get(u) ?? u;
  return `${r.name}|${r.uid}|${r.root}|${r.gid ?? null}`;
}

export function joinUser(a: UserValue, b: UserValue): UserValue {
  if (sameUser(a, b)) return a;
  return { name: null, uid: null, root: a.root === b.root ? a.root : null, gid: (a.gid ?? null) === (b.gid ?? null) ? (a.gid ?? null) : null, why: `${a.why} or ${b.why}` };
}

/** What `id -u` prints for a user. */
export function uidField(u: UserValue): Field {
  if (u.root === true) return lit('0');
  if (u.uid !== null) return lit(u.uid);
  return u.root === false ? { s: null, not: ['0'] } : UNKNOWN;
}

/** What `id -g` prints: the primary group's id when known. */
export function gidField(u: UserValue): Field {
  return u.gid !== undefined && u.gid !== null ? lit(u.gid) : UNKNOWN;
}

/** What `id -un` / `whoami` prints. */
export function userNameField(u: UserValue): Field {
  if (u.root === true) return lit('root');
  if (u.name !== null) return lit(u.name);
  return u.root === false ? { s: null, not: ['root'] } : UNKNOWN;
}

/**
 * How many following words a cluster of single-letter shell options takes as values: each letter
 * of `valued` takes one (`-eo pipefail` and `-euo pipefail`: 1 for `o`; `-oo a b`: 2). Null for a
 * word that is not such a cluster (`--norc`, `-`, a file name).
 */
export function clusterValueCount(word: string, valued: string): number | null {
  if (!/^[-+][A-Za-z]+$/.test(word)) return null;
  let n = 0;
  for (const c of word.slice(1)) if (valued.includes(c)) n++;
  return n;
}
