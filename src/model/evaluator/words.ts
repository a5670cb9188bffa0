/**
 * Word expansion as the shell does it, over abstract values: parameters (`$1`, `"$@"`,
 * `${args[@]:1}`), default and alternative values (`${X:-d}`, `${X:=d}`, `${X:+a}`), trims
 * (`${1#-}`, `${f%.conf}`), replacements, lengths, command substitution (through the
 * interpreter), then field splitting of unquoted results. What cannot be known is unknown, never
 * guessed.
 */
import type { ParamExp, Stmt, Word, WordPart } from '../../parsers/shell-ast.js';
import { isName } from '../../parsers/variables.js';
import { evalArithm } from './arithmetic.js';
import { isJoinedAway, type State } from './state.js';
import { lit, UNKNOWN, UNKNOWN_FIELDS, uidField, unsetValue, USER_COMMAND, type Field, type Mangling } from './values.js';

export interface ExpandEnv {
  /** `$0`: the script as it was invoked. */
  arg0: Field;
  /** The text the word's offsets index (for `${a[@]:1}`, whose offsets the AST does not keep). */
  text: string;
  /** Runs `$(...)` and returns what it prints, trailing newlines removed. */
  substitute(stmts: Stmt[], st: State): Field;
  /** Bash or a shell with the same extensions (`$EUID`, arrays). */
  bash: boolean;
  /**
   * The image paths an absolute pathname pattern (`/startup.d/*.sh`) matches when the container
   * starts, sorted; null when the folder's content is not known.
   */
  glob?(pattern: string): string[] | null;
  /** A variable was read whose value the state cap joined away (see `isJoinedAway`); `array` for an array. */
  joinedAway?(name: string, array: boolean): void;
  /** Positional parameters were expanded (`$1`, `"$@"`, `${@:2}`): what the script reads of its arguments. */
  readArgs?(fields: readonly Field[]): void;
  /** `${NAME:?}` found NAME unset: the shell exits with an error after this expansion. */
  requiredUnset?(name: string): void;
}

/** A piece of a word: text that joins onto the current field, or a list of whole fields. */
type Piece = { kind: 'text'; field: Field; quoted: boolean } | { kind: 'fields'; fields: Field[]; quoted: boolean };

/** The fields of a word in a command line (split, `"$@"` expanded to several fields). */
export function expandFields(word: Word, st: State, env: ExpandEnv): Field[] {
  // Most words are one plain literal (a command name, an option): itself, without the pieces.
  if (word.parts.length === 1) {
    const only = word.parts[0] as WordPart;
    if (only.type === 'Lit' && only.value !== '' && !PLAIN_LIT_SPECIAL.test(only.value)) return [lit(only.value)];
  }
  if (word.parts.some(isGlobLit)) return pathnames(word, st, env);
  const pieces: Piece[] = [];
  for (const part of word.parts) pushPart(part, false, st, env, pieces);
  return assemble(pieces);
}

/** The value of a word where no splitting happens (assignments, `case` words, here). */
export function expandScalar(word: Word, st: State, env: ExpandEnv): Field {
  const pieces: Piece[] = [];
  for (const part of word.parts) pushPart(part, true, st, env, pieces);
  if (pieces.length === 1) {
    const p = pieces[0] as Piece;
    if (p.kind === 'text') return p.field;
    if (p.fields.length === 1) return p.fields[0] as Field;
  }
  let acc: Field = lit('');
  for (const p of pieces) acc = concat(acc, p.kind === 'text' ? p.field : joinFields(p.fields, ' '));
  return acc;
}

const GLOB_CHAR = /[*?[]/;
/** What makes a literal more than its text: a glob character, a backslash, a blank (none in a parsed literal, but cheap to refuse). */
const PLAIN_LIT_SPECIAL = /[*?[\\ \t\n]/;

function isGlobLit(part: WordPart): boolean {
  // Most literals hold no glob character at all: answered without copying the value.
  return part.type === 'Lit' && GLOB_CHAR.test(part.value) && /[*?]|\[[^\]]*\]/.test(part.value.replace(/\\./g, ''));
}

/**
 * A word with an unquoted glob (`/startup.d/*`): the files it matches in the image when the
 * folder's content is known (the word itself when nothing matches, as the shell does), else any
 * number of unknown fields.
 */
function pathnames(word: Word, st: State, env: ExpandEnv): Field[] {
  const pattern = patternOf(word, st, env);
  if (pattern === null || !pattern.startsWith('/') || !env.glob) return [UNKNOWN_FIELDS];
  const files = env.glob(pattern);
  if (files === null) return [UNKNOWN_FIELDS];
  return files.length > 0 ? files.map(lit) : [lit(pattern.replace(/\\(.)/g, '$1'))];
}

function assemble(pieces: Piece[]): Field[] {
  const out: Field[] = [];
  let cur: Field | null = null;
  const flush = (): void => {
    if (cur) out.push(cur);
    cur = null;
  };
  for (const p of pieces) {
    if (p.kind === 'text') {
      if (p.quoted) {
        cur = cur ? concat(cur, p.field) : p.field;
        continue;
      }
      // Unquoted expansion result: split on blanks.
      const f = p.field;
      // A pid is digits: unquoted, it is still one word.
      if (f.pid && !f.multi) {
        cur = cur ? concat(cur, f) : f;
        continue;
      }
      if (f.s === null) {
        cur = cur ? { ...concat(cur, f), multi: true } : { ...f, multi: f.multi ?? !f.not };
        continue;
      }
      if (f.s === '') continue;
      const parts = f.s.split(/[ \t\n]+/);
      const lead = parts[0] === '';
      const trail = parts[parts.length - 1] === '';
      const words = parts.filter((x) => x !== '');
      if (words.length === 0) {
        flush();
        continue;
      }
      if (lead) flush();
      words.forEach((w, i) => {
        const piece: Field = words.length === 1 && !lead && !trail ? { ...f, s: w } : { s: w, ...(f.mangled ? { mangled: f.mangled } : {}) };
        if (i === 0) cur = cur ? concat(cur, piece) : piece;
        else {
          flush();
          cur = piece;
        }
      });
      if (trail) flush();
      continue;
    }
    // A list of fields ("$@", "${a[@]}"): the first joins the current field, the last stays open.
    const fs = p.fields;
    if (fs.length === 0) continue;
    fs.forEach((f, i) => {
      if (i === 0 && cur) cur = { ...concat(cur, f), mangled: 'glued' as Mangling };
      else {
        if (i > 0 || cur) flush();
        cur = f;
      }
    });
    // The last field stays open: text after "$@" glues onto it (and it is no longer that argument).
  }
  flush();
  return out;
}

function concat(a: Field, b: Field): Field {
  if (a.s === '' && !a.multi) return b;
  if (b.s === '' && !b.multi) return a;
  // Text around a job's pid (`/proc/$pid`): still that job's, for a liveness test.
  if (b.pid && a.s !== null && !a.multi && !a.mangled && !b.multi) return { s: null, not: [''], pid: { ...b.pid, before: a.s + b.pid.before } };
  if (a.pid && b.s !== null && !b.multi && !b.mangled && !a.multi) return { s: null, not: [''], pid: { ...a.pid, after: a.pid.after + b.s } };
  const mangled = a.mangled ?? b.mangled;
  if (a.s !== null && b.s !== null) return { s: a.s + b.s, ...(a.multi || b.multi ? { multi: true } : {}), ...(mangled ? { mangled } : {}) };
  return { s: null, ...(a.multi || b.multi ? { multi: true } : {}), ...(mangled ? { mangled } : {}) };
}

function joinFields(fs: readonly Field[], sep: string): Field {
  if (fs.length === 0) return lit('');
  if (fs.length === 1) return fs[0] as Field;
  let acc: Field = fs[0] as Field;
  for (const f of fs.slice(1)) acc = concat(concat(acc, lit(sep)), f);
  return acc.multi ? { ...acc, multi: false } : acc;
}

/** The field of each literal of an AST, expanded inside double quotes and outside them (see `pushPart`). */
const QUOTED_LITS = new WeakMap<WordPart, Field>();
const UNQUOTED_LITS = new WeakMap<WordPart, Field>();

function pushPart(part: WordPart, quoted: boolean, st: State, env: ExpandEnv, out: Piece[]): void {
  switch (part.type) {
    case 'Lit': {
      // What a literal expands to depends on its text alone: worked out once per literal of the
      // AST (a script runs several times), and the field shared (fields are never changed).
      const memo = quoted ? QUOTED_LITS : UNQUOTED_LITS;
      let field = memo.get(part);
      if (field === undefined) {
        // An unquoted glob (`/docker-entrypoint.d/*`) expands to the files that match at run time.
        if (!quoted && /[*?]|\[[^\]]*\]/.test(part.value.replace(/\\./g, ''))) field = UNKNOWN_FIELDS;
        else field = lit(quoted ? part.value.replace(/\\([$`"\\\n])/g, '$1') : unescapeLit(part.value));
        memo.set(part, field);
      }
      out.push(field === UNKNOWN_FIELDS ? { kind: 'text', field, quoted: false } : { kind: 'text', field, quoted: true });
      return;
    }
    case 'SglQuoted':
      out.push({ kind: 'text', field: part.dollar ? ansiC(part.value) : lit(part.value), quoted: true });
      return;
    case 'DblQuoted': {
      // "" is an empty field of its own.
      if (part.parts.length === 0) out.push({ kind: 'text', field: lit(''), quoted: true });
      for (const p of part.parts) pushPart(p, true, st, env, out);
      return;
    }
    case 'ParamExp': {
      const v = paramValue(part, st, env, quoted);
      if (v.kind === 'fields') {
        if (quoted) out.push({ kind: 'fields', fields: v.fields, quoted: true });
        else {
          const ifs = ifsOf(st);
          out.push({ kind: 'fields', fields: v.fields.flatMap((f) => splitUnquoted(f, ifs)), quoted: false });
        }
      } else out.push({ kind: 'text', field: v.field, quoted });
      return;
    }
    case 'CmdSubst': {
      out.push({ kind: 'text', field: env.substitute(part.stmts, st), quoted });
      return;
    }
    case 'ArithmExp': {
      const v = evalArithm(part.x, st, (w, s, name) => arithmOperand(w, s, env, name));
      if (v !== null) {
        out.push({ kind: 'text', field: lit(String(v)), quoted: true });
        return;
      }
      out.push({ kind: 'text', field: quoted ? UNKNOWN : UNKNOWN_FIELDS, quoted });
      return;
    }
    default:
      // <(...), extglobs, brace expansion: not evaluated.
      out.push({ kind: 'text', field: quoted ? UNKNOWN : UNKNOWN_FIELDS, quoted });
  }
}

/** An operand of `$((...))`: a name reads the variable (as `$name` would), anything else is expanded. */
function arithmOperand(w: Word, st: State, env: ExpandEnv, name: string | null): string | null {
  if (name === null) {
    const f = expandScalar(w, st, env);
    return f.s === null || f.multi || f.s.includes(USER_COMMAND) ? null : f.s;
  }
  const read: ParamExp = { type: 'ParamExp', p: w.p, e: w.e, param: name, short: true, length: false, excl: false, index: null, op: null, word: null };
  const f = expandScalar({ type: 'Word', p: w.p, e: w.e, parts: [read] }, st, env);
  // A variable holding a name or an expression is evaluated again by the shell: not followed here.
  return f.s === null || f.multi || !/^\s*[+-]?\d*\s*$/.test(f.s) ? null : f.s;
}

/** IFS when the script set it to a known value; null when it is the default or not known. */
function ifsOf(st: State): string | null {
  const v = st.getVar('IFS');
  return v?.kind === 'scalar' && v.value.s !== null && !v.value.multi ? v.value.s : null;
}

/**
 * One positional parameter expanded unquoted (`$@`): re-split, and marked as mangled. With IFS
 * set to a known value that holds no space (`IFS=$'\n\t'`, `IFS=`), the expansion splits only at
 * the characters IFS holds: a known word with none of them and no glob character stays intact
 * (not mangled); an unknown one is taken to hold no tab, newline or glob character (the words of
 * a CMD or of `docker run IMAGE a b` practically never do), so it is not reported either.
 */
function splitUnquoted(f: Field, ifs: string | null = null): Field[] {
  if (ifs !== null && !ifs.includes(' ')) {
    const { mangled, ...plain } = f;
    const kept: Field = mangled === 'unquoted' ? plain : f;
    if (f.s === null) return [kept];
    const parts = ifs === '' ? [f.s] : f.s.split(new RegExp(`[${ifs.replace(/[\\\]^-]/g, '\\$&')}]+`)).filter((w) => w !== '');
    if (parts.length === 1 && parts[0] === f.s && !/[*?[]/.test(f.s)) return [kept];
    return parts.map((w) => ({ ...f, s: w, mangled: 'unquoted' as Mangling }));
  }
  if (f.s === null) return [{ ...f, multi: true, mangled: 'unquoted' }];
  const words = f.s.split(/[ \t\n]+/).filter((w) => w !== '');
  return words.map((w) => ({ ...f, s: w, mangled: 'unquoted' as Mangling }));
}

function unescapeLit(v: string): string {
  return v.includes('\\') ? v.replace(/\\\n/g, '').replace(/\\(.)/g, '$1') : v;
}

function ansiC(v: string): Field {
  if (!v.includes('\\')) return lit(v);
  const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', e: '\x1b', a: '\x07' };
  let unknown = false;
  const s = v.replace(/\\(.)/g, (_m, c: string) => {
    const r = map[c];
    if (r === undefined) unknown = true;
    return r ?? '';
  });
  return unknown ? UNKNOWN : lit(s);
}

type ParamValue = { kind: 'fields'; fields: Field[] } | { kind: 'scalar'; field: Field };

/** The value of a parameter before its operator: fields for `@`/`*`/arrays, else a scalar, or unset. */
function baseValue(pe: ParamExp, st: State, env: ExpandEnv): { list: Field[] | null; scalar: Field | null; set: boolean | null } {
  const name = pe.param;
  const index = pe.index;
  if (name === '@' || name === '*') {
    env.readArgs?.(st.params);
    return { list: st.params, scalar: null, set: st.params.length > 0 ? true : null };
  }
  if (/^\d+$/.test(name)) {
    const n = Number(name);
    if (n === 0) return { list: null, scalar: env.arg0, set: true };
    const r = positional(st.params, n);
    if (r.scalar) env.readArgs?.([r.scalar]);
    return r;
  }
  switch (name) {
    case '#': {
      if (st.params.some((f) => f.multi)) return { list: null, scalar: UNKNOWN, set: true };
      return { list: null, scalar: lit(String(st.params.length)), set: true };
    }
    case '?':
      return { list: null, scalar: st.status === true ? lit('0') : UNKNOWN, set: true };
    case '!': {
      // The pid of the last background job: not known, never empty, one word, and which job it is.
      const job = st.jobs?.last;
      return { list: null, scalar: job ? { s: null, not: [''], pid: { job, before: '', after: '' } } : UNKNOWN, set: true };
    }
    case '$':
    case '-':
    case '_':
      return { list: null, scalar: UNKNOWN, set: true };
    default:
      break;
  }
  const v = st.getVar(name);
  if (isJoinedAway(v)) env.joinedAway?.(name, v?.kind === 'array');
  if (!v) {
    if (name === 'BASH_SOURCE' && env.bash) return { list: [env.arg0], scalar: env.arg0, set: true };
    if ((name === 'EUID' || name === 'UID') && env.bash) return { list: null, scalar: uidField(st.user), set: true };
    if (name === 'USER' || name === 'LOGNAME') return { list: null, scalar: UNKNOWN, set: null };
    if (name === 'RANDOM' || name === 'SECONDS' || name === 'LINENO' || name === 'PPID' || name === 'BASHPID') return { list: null, scalar: UNKNOWN, set: true };
    // After a sourced file that could not be read, a variable not set since may be set by it.
    if (st.unknownUnset) return index === '@' || index === '*' ? { list: [UNKNOWN_FIELDS], scalar: null, set: null } : { list: null, scalar: UNKNOWN, set: null };
    if (index === '@' || index === '*') return { list: [], scalar: null, set: false };
    return { list: null, scalar: null, set: false };
  }
  if (v.kind === 'array') {
    if (index === '@' || index === '*') return { list: v.items, scalar: null, set: v.items.length > 0 ? true : v.items.some((f) => f.multi) ? null : false };
    const i = index === null ? 0 : /^\d+$/.test(index) ? Number(index) : null;
    if (i === null) return { list: null, scalar: UNKNOWN, set: null };
    return positional(v.items, i + 1);
  }
  if (index === '@' || index === '*') return { list: [v.value], scalar: null, set: true };
  if (index !== null && index !== '0') return { list: null, scalar: UNKNOWN, set: null };
  // Empty because of unset variables (`: "${A:=$B}"`): reading it names it first.
  if (v.value.unset && v.value.s === '') return { list: null, scalar: unsetValue(name, v.value.unset), set: true };
  return { list: null, scalar: v.value, set: v.value.s === null || v.maybeUnset ? null : true };
}

/** `${!ref}` where ref holds `name`: `$name` (its first item for an array). */
function indirect(name: string, st: State, env: ExpandEnv): Field {
  const v = st.getVar(name);
  if (isJoinedAway(v)) env.joinedAway?.(name, v?.kind === 'array');
  if (!v) return st.unknownUnset ? UNKNOWN : unsetValue(name);
  if (v.kind === 'array') return v.items[0] && !v.items[0].multi ? v.items[0] : v.items.length === 0 ? lit('') : UNKNOWN;
  if (v.value.unset && v.value.s === '') return unsetValue(name, v.value.unset);
  return v.value;
}

/** The n-th (1-based) of a list of fields, which may hold unknown-length runs. */
function positional(items: readonly Field[], n: number): { list: null; scalar: Field | null; set: boolean | null } {
  for (let i = 0; i < items.length; i++) {
    const f = items[i] as Field;
    if (f.multi) return { list: null, scalar: UNKNOWN, set: null };
    if (i === n - 1) return { list: null, scalar: f, set: true };
  }
  return { list: null, scalar: null, set: false };
}

function paramValue(pe: ParamExp, st: State, env: ExpandEnv, quoted: boolean): ParamValue {
  const base = baseValue(pe, st, env);
  const star = pe.param === '*' || pe.index === '*';
  if (pe.excl) {
    // ${!name}: the value of the variable whose name `name` holds, read as `$NAME` would be (an
    // unset one is empty and remembers it, so `[ -z "${!v}" ] && exit 1` is a required-setting
    // check); a name not known, or ${!prefix*} and ${!a[@]}, is unknown.
    const target = base.scalar;
    if (pe.op === null && pe.index === null && target && target.s !== null && !target.multi && isName(target.s)) {
      return { kind: 'scalar', field: indirect(target.s, st, env) };
    }
    return { kind: 'scalar', field: UNKNOWN };
  }
  if (pe.length) {
    if (base.list) return { kind: 'scalar', field: base.list.some((f) => f.multi) ? UNKNOWN : lit(String(base.list.length)) };
    const s = base.scalar;
    return { kind: 'scalar', field: s === null ? lit('0') : s.s === null ? UNKNOWN : lit(String([...s.s].length)) };
  }
  const op = pe.op;
  // A list ("$@", "${a[@]}"), possibly sliced.
  if (base.list) {
    let list = base.list;
    if (op === ':') {
      const sl = sliceOf(pe, env.text);
      if (!sl) return { kind: 'fields', fields: [UNKNOWN_FIELDS] };
      // ${@:1} starts at $1 (index 0 of params is $1); arrays start at 0.
      const from = pe.param === '@' || pe.param === '*' ? sl.offset - 1 : sl.offset;
      list = sliceFields(list, Math.max(0, from), sl.length, pe.param === '@' && sl.offset === 0 ? env.arg0 : null);
    } else if (op !== null) {
      const set = list.length > 0 ? true : list.some((f) => f.multi) ? null : false;
      const alt = opOnList(op, set, pe, st, env, list);
      if (alt) return alt;
      return { kind: 'fields', fields: list.map((f) => (f.s === null ? UNKNOWN : f)).map((f) => ({ ...f, arg: undefined })) };
    }
    if (star) {
      if (!quoted) return { kind: 'fields', fields: list.map((f) => ({ ...f, mangled: 'unquoted' as Mangling })) };
      const joined = joinFields(list, ' ');
      return { kind: 'scalar', field: list.length === 0 ? lit('') : { ...joined, mangled: 'star' } };
    }
    return { kind: 'fields', fields: list };
  }
  const value = base.scalar;
  const set = base.set;
  const named = isName(pe.param) && pe.index === null;
  // An unset variable is empty, and remembers it was unset (a required-configuration test).
  const unsetEmpty = (): Field => (named ? unsetValue(pe.param) : lit(''));
  if (op === null) return { kind: 'scalar', field: value ?? unsetEmpty() };
  const expandWord = (): Field => (pe.word ? expandScalar(pe.word, st, env) : lit(''));
  // `${X:-}`, `${X:=$Y}`: a default that is itself empty keeps X (and Y) as the unset ones.
  const word = (): Field => {
    const w = expandWord();
    if (!named || w.s !== '' || w.multi || !(set === false || value?.unset)) return w;
    return unsetValue(pe.param, w.unset ?? value?.unset);
  };
  const empty = value === null ? true : value.s === null ? (value.not?.includes('') ? false : null) : value.s === '';
  switch (op) {
    case ':-':
    case '-': {
      const useDefault = op === ':-' ? (set === false ? true : empty) : set === false ? true : set === true ? false : null;
      if (useDefault === true) return { kind: 'scalar', field: word() };
      if (useDefault === false) return { kind: 'scalar', field: value as Field };
      return { kind: 'scalar', field: UNKNOWN };
    }
    case ':=':
    case '=': {
      const useDefault = op === ':=' ? (set === false ? true : empty) : set === false ? true : set === true ? false : null;
      if (useDefault === true) {
        const w = word();
        if (isName(pe.param)) st.setVar(pe.param, { kind: 'scalar', value: w });
        return { kind: 'scalar', field: w };
      }
      if (useDefault === false) return { kind: 'scalar', field: value as Field };
      if (isName(pe.param)) st.setVar(pe.param, { kind: 'scalar', value: UNKNOWN });
      return { kind: 'scalar', field: UNKNOWN };
    }
    case ':+':
    case '+': {
      const useAlt = op === ':+' ? (set === false ? false : empty === null ? null : !empty) : set;
      if (useAlt === true) return { kind: 'scalar', field: expandWord() };
      if (useAlt === false) return { kind: 'scalar', field: lit('') };
      return { kind: 'scalar', field: UNKNOWN };
    }
    case ':?':
    case '?':
      // `${DB_HOST:?must be set}` with DB_HOST unset (or empty, for `:?`): the shell prints the
      // message and exits with an error, a required-configuration check.
      if (named && (set === false || (op === ':?' && empty === true && set !== null))) {
        env.requiredUnset?.(pe.param);
        return { kind: 'scalar', field: lit('') };
      }
      return { kind: 'scalar', field: value ?? UNKNOWN };
    case '#':
    case '##':
    case '%':
    case '%%': {
      if (!value || value.s === null) return { kind: 'scalar', field: value ? UNKNOWN : lit('') };
      const pat = pe.word ? patternOf(pe.word, st, env) : '';
      if (pat === null) return { kind: 'scalar', field: UNKNOWN };
      return { kind: 'scalar', field: lit(trim(value.s, pat, op)) };
    }
    case '/':
    case '//': {
      if (!value || value.s === null) return { kind: 'scalar', field: value ? UNKNOWN : lit('') };
      return { kind: 'scalar', field: replace(pe, value.s, st, env, op === '//') };
    }
    case '^^':
    case ',,':
    case '^':
    case ',': {
      if (!value || value.s === null) return { kind: 'scalar', field: value ? UNKNOWN : lit('') };
      const s = value.s;
      const r = op === '^^' ? s.toUpperCase() : op === ',,' ? s.toLowerCase() : op === '^' ? s.slice(0, 1).toUpperCase() + s.slice(1) : s.slice(0, 1).toLowerCase() + s.slice(1);
      return { kind: 'scalar', field: lit(r) };
    }
    case ':': {
      if (!value || value.s === null) return { kind: 'scalar', field: value ? UNKNOWN : lit('') };
      const sl = sliceOf(pe, env.text);
      if (!sl) return { kind: 'scalar', field: UNKNOWN };
      const chars = [...value.s];
      const from = sl.offset < 0 ? Math.max(0, chars.length + sl.offset) : sl.offset;
      const to = sl.length === null ? chars.length : sl.length < 0 ? chars.length + sl.length : from + sl.length;
      return { kind: 'scalar', field: lit(chars.slice(from, Math.max(from, to)).join('')) };
    }
    default:
      return { kind: 'scalar', field: UNKNOWN };
  }
}

function opOnList(op: string, set: boolean | null, pe: ParamExp, st: State, env: ExpandEnv, list: Field[]): ParamValue | null {
  const word = (): Field => (pe.word ? expandScalar(pe.word, st, env) : lit(''));
  if (op === ':-' || op === '-') {
    if (set === false) return { kind: 'scalar', field: word() };
    if (set === true) return { kind: 'fields', fields: list };
    return { kind: 'fields', fields: [UNKNOWN_FIELDS] };
  }
  if (op === ':+' || op === '+') {
    if (set === false) return { kind: 'scalar', field: lit('') };
    if (set === true) return { kind: 'scalar', field: word() };
    return { kind: 'scalar', field: UNKNOWN };
  }
  return null;
}

function sliceFields(list: readonly Field[], from: number, length: number | null, zero: Field | null): Field[] {
  const items = zero ? [zero, ...list] : [...list];
  const start = zero ? 0 : from;
  for (let i = 0; i < Math.min(items.length, start + (length ?? items.length)); i++) {
    if ((items[i] as Field).multi) return [UNKNOWN_FIELDS];
  }
  return items.slice(start, length === null ? undefined : start + Math.max(0, length));
}

/** `${x:1}`, `${x:0:1}`, `${@:2}`: the offsets are read from the text (the AST does not keep them). */
function sliceOf(pe: ParamExp, text: string): { offset: number; length: number | null } | null {
  const src = text.slice(pe.p[2], pe.e[2]);
  const m = /^\$\{[^:}]*:\s*(\(\s*)?(-?\s*\d+)\s*\)?\s*(?::\s*(-?\s*\d+)\s*)?\}$/.exec(src);
  if (!m) return null;
  const offset = Number((m[2] ?? '0').replace(/\s+/g, ''));
  const length = m[3] !== undefined ? Number(m[3].replace(/\s+/g, '')) : null;
  return { offset, length };
}

function trim(s: string, pattern: string, op: string): string {
  const re = globToRegExp(pattern);
  const chars = [...s];
  if (op === '#' || op === '##') {
    const lens = op === '#' ? range(0, chars.length) : range(0, chars.length).reverse();
    for (const n of lens) if (re.test(chars.slice(0, n).join(''))) return chars.slice(n).join('');
    return s;
  }
  const lens = op === '%' ? range(0, chars.length) : range(0, chars.length).reverse();
  for (const n of lens) if (re.test(chars.slice(chars.length - n).join(''))) return chars.slice(0, chars.length - n).join('');
  return s;
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i <= b; i++) out.push(i);
  return out;
}

function replace(pe: ParamExp, s: string, st: State, env: ExpandEnv, all: boolean): Field {
  // The Go side keeps the original pattern as the word; the replacement is in the text.
  const src = env.text.slice(pe.p[2], pe.e[2]);
  const m = /^\$\{[A-Za-z_0-9@*]+\/\/?([^/}]*)(?:\/([^}]*))?\}$/.exec(src);
  if (!m) return UNKNOWN;
  const pat = pe.word ? patternOf(pe.word, st, env) : (m[1] ?? '');
  const rep = m[2] ?? '';
  if (pat === null || /[$`\\]/.test(rep) || /[$`]/.test(m[1] ?? '')) return UNKNOWN;
  if (pat === '') return lit(s);
  if (/^[#%]/.test(pat)) return UNKNOWN;
  const re = new RegExp(globToRegExp(pat).source.slice(1, -1), all ? 'gs' : 's');
  return lit(s.replace(re, () => rep.replace(/^["']|["']$/g, '')));
}

/** A pattern word (`-`, `*.conf`, `"$x"`) as a glob, quoted parts literal; null when unknown. */
export function patternOf(word: Word, st: State, env: ExpandEnv): string | null {
  let out = '';
  for (const part of word.parts) {
    if (part.type === 'Lit') out += part.value.replace(/\\(.)/g, (_m, c: string) => escapeGlob(c));
    else if (part.type === 'SglQuoted') out += escapeGlob(part.value);
    else if (part.type === 'DblQuoted') {
      const v = expandScalar({ ...word, parts: [part] }, st, env);
      if (v.s === null) return null;
      out += escapeGlob(v.s);
    } else if (part.type === 'ParamExp' || part.type === 'CmdSubst') {
      const v = expandScalar({ ...word, parts: [part] }, st, env);
      if (v.s === null) return null;
      out += v.s;
    } else return null;
  }
  return out;
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** A shell glob (`*`, `?`, `[a-z]`, `\x`) as an anchored regular expression. */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '\\') {
      const n = glob[i + 1];
      if (n !== undefined) {
        re += escapeRe(n);
        i++;
      } else re += '\\\\';
    } else if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = glob.slice(i + 1, end);
        if (body.startsWith('!') || body.startsWith('^')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\').replace(/\[:(\w+):\]/g, (_m, cls: string) => POSIX_CLASSES[cls] ?? '')}]`;
        i = end;
      }
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, 's');
}

/** The POSIX character classes (`[:digit:]`) as the ranges of a JavaScript character class, for glob patterns and `=~` alike. */
export const POSIX_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: 'A-Za-z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
};

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, (x) => `\\${x}`);
}

/** Whether a known text matches a glob; the user command matches only patterns that match anything. */
export function globMatch(text: string, glob: string): boolean {
  if (text.includes(USER_COMMAND)) {
    const stripped = glob.replace(/\\./g, 'x');
    return /^\**$/.test(stripped) && stripped.length > 0;
  }
  return globToRegExp(glob).test(text);
}

