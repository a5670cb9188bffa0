/**
 * `test` / `[ ... ]` / `[[ ... ]]` over abstract values: decided when the operands are known
 * (`[ "$1" = server ]` against the invocation's arguments, `[ "$(id -u)" = 0 ]` against the start
 * user, `[ -n "$OPT_IN" ]` against the ENV defaults), unknown otherwise. File tests are unknown
 * (the evaluator does not know the container's files at run time) unless the caller knows the
 * answer for the path (`FileFacts`).
 */
import { compareFields, lit, USER_COMMAND, type Field } from './values.js';
import { globMatch, POSIX_CLASSES } from './words.js';

export interface TestOperand {
  field: Field;
  /** The operand as written (`"$1"`, `'server'`), for the decision's description. */
  text: string;
  /** The operand came from an unquoted pattern in `[[ x == pat ]]`. */
  pattern?: boolean;
  /**
   * The right side of `[[ x =~ re ]]` as a regular expression (its quoted parts escaped to match
   * themselves); null when a part of it is not known.
   */
  regex?: string | null;
  /**
   * The variable whose value the operand is, whole (`"$V"`, `"${V:-}"`): a test on it that cannot
   * be decided says, for each way it goes, whether the variable is empty.
   */
  name?: string;
}

/** What one way of an undecided test says of a variable: empty (or unset), or not empty. */
export interface EmptyFact {
  name: string;
  empty: boolean;
}

/** What an undecided test says of the variables it read, when it is true and when it is false. */
export interface BranchFacts {
  yes: readonly EmptyFact[];
  no: readonly EmptyFact[];
}

export interface TestResult {
  value: boolean | null;
  /** What was decided, as written: `"$1" = server`. */
  text: string;
  /** The operands that decided it. */
  operands: Field[];
  /**
   * Decided because these environment variables are unset (`[ -z "$DB_HOST" ]`), the one
   * tested first: a required-configuration check.
   */
  unset?: readonly string[];
  /** `[[ x =~ re ]]` matched: what BASH_REMATCH holds (the match, then each group). */
  rematch?: string[];
  /** Not decided: what each way says of the variables it tested (`-z "$V"` true: V is empty). */
  facts?: BranchFacts;
}

const UNARY_FILE = new Set(['-e', '-f', '-d', '-r', '-w', '-x', '-s', '-L', '-h', '-b', '-c', '-p', '-S', '-g', '-u', '-k', '-O', '-G', '-N', '-t', '-a']);
const BINARY = new Set(['=', '==', '!=', '-eq', '-ne', '-lt', '-gt', '-le', '-ge', '<', '>', '=~', '-nt', '-ot', '-ef']);

/**
 * What a file test knows about its operand (`-f`, `-e`, `-x` ... and the path): true or false when
 * known for the container at start, null otherwise.
 */
export type FileFacts = (op: string, path: Field) => boolean | null;

/** Whether a variable is set (`-v NAME`): true or false when known for the run, null otherwise. */
export type VarFacts = (name: string) => boolean | null;

/** Evaluates the words of a test (without the `[` and `]`). */
export function evalTest(ops: TestOperand[], dbl: boolean, files?: FileFacts, vars?: VarFacts): TestResult {
  const p = new Parser(ops, dbl, files, vars);
  const r = p.or();
  if (p.i < ops.length) return { value: null, text: ops.map((o) => o.text).join(' '), operands: [] };
  return r;
}

class Parser {
  i = 0;
  constructor(
    private readonly ops: TestOperand[],
    private readonly dbl: boolean,
    private readonly files?: FileFacts,
    private readonly vars?: VarFacts,
  ) {}

  private peek(k = 0): TestOperand | undefined {
    return this.ops[this.i + k];
  }

  private is(k: number, s: string): boolean {
    const o = this.peek(k);
    return !!o && o.field.s === s && !o.field.multi;
  }

  or(): TestResult {
    let left = this.and();
    while (this.is(0, this.dbl ? '||' : '-o') && this.ops.length - this.i > 1) {
      this.i++;
      const right = this.and();
      left = combine(left, right, '||');
    }
    return left;
  }

  and(): TestResult {
    let left = this.not();
    while (this.is(0, this.dbl ? '&&' : '-a') && this.ops.length - this.i > 1) {
      this.i++;
      const right = this.not();
      left = combine(left, right, '&&');
    }
    return left;
  }

  not(): TestResult {
    if (this.is(0, '!') && this.ops.length - this.i > 1) {
      this.i++;
      const r = this.not();
      return { value: r.value === null ? null : !r.value, text: `! ${r.text}`, operands: r.operands, ...(r.unset ? { unset: r.unset } : {}), ...(r.facts ? { facts: { yes: r.facts.no, no: r.facts.yes } } : {}) };
    }
    return this.primary();
  }

  primary(): TestResult {
    const a = this.peek();
    if (!a) return { value: false, text: '', operands: [] };
    if (a.field.s === '(' && !a.field.multi) {
      this.i++;
      const r = this.or();
      if (this.is(0, ')')) this.i++;
      return { ...r, text: `( ${r.text} )` };
    }
    const op = this.peek(1);
    const b = this.peek(2);
    if (op && b && op.field.s !== null && BINARY.has(op.field.s) && !op.field.multi) {
      this.i += 3;
      return binary(a, op.field.s, b, this.dbl);
    }
    if (a.field.s !== null && !a.field.multi && (a.field.s === '-n' || a.field.s === '-z') && op) {
      this.i += 2;
      return unary(a.field.s, op);
    }
    if (a.field.s !== null && UNARY_FILE.has(a.field.s) && op) {
      this.i += 2;
      const value = a.field.s === '-t' || op.field.multi ? null : (this.files?.(a.field.s, op.field) ?? null);
      return { value, text: `${a.text} ${op.text}`, operands: value === null ? [] : [op.field] };
    }
    if (a.field.s === '-v' && !a.field.multi && op && !BINARY.has(op.field.s ?? '')) {
      // `[[ -v NAME ]]`: set or not, as the run's environment says (unset: a required-configuration check).
      this.i += 2;
      const name = op.field.s;
      const value = name === null || op.field.multi ? null : (this.vars?.(name) ?? null);
      return { value, text: `${a.text} ${op.text}`, operands: value === null ? [] : [op.field], ...(value === false && name ? { unset: [name] } : {}) };
    }
    if (a.field.s !== null && /^-[a-zA-Z]$/.test(a.field.s) && op && !BINARY.has(op.field.s ?? '')) {
      this.i += 2;
      return { value: null, text: `${a.text} ${op.text}`, operands: [] };
    }
    // One word: true when non-empty.
    this.i++;
    return unary('-n', a);
  }
}

function combine(l: TestResult, r: TestResult, op: '&&' | '||'): TestResult {
  let value: boolean | null;
  if (op === '&&') value = l.value === false || r.value === false ? false : l.value === true && r.value === true ? true : null;
  else value = l.value === true || r.value === true ? true : l.value === false && r.value === false ? false : null;
  const unset = l.unset ?? r.unset;
  const facts = value === null ? combineFacts(l, r, op) : null;
  return { value, text: `${l.text} ${op} ${r.text}`, operands: [...l.operands, ...r.operands], ...(unset ? { unset } : {}), ...(facts ? { facts } : {}) };
}

/**
 * The facts of `a && b`: when true, both sides were true; when false, only a side known true
 * says the other was false. `a || b` the other way round. A side with no facts adds none.
 */
function combineFacts(l: TestResult, r: TestResult, op: '&&' | '||'): BranchFacts | null {
  const none: BranchFacts = { yes: [], no: [] };
  const a = l.facts ?? none;
  const b = r.facts ?? none;
  const facts: BranchFacts =
    op === '&&'
      ? { yes: [...a.yes, ...b.yes], no: l.value === true ? b.no : r.value === true ? a.no : [] }
      : { yes: r.value === false ? a.yes : l.value === false ? b.yes : [], no: [...a.no, ...b.no] };
  return facts.yes.length > 0 || facts.no.length > 0 ? facts : null;
}

/** `-z "$V"` (empty: true) or `-n "$V"` (false) on a variable whose value is not known. */
function emptyFacts(name: string | undefined, empty: boolean): { facts: BranchFacts } | Record<string, never> {
  return name ? { facts: { yes: [{ name, empty }], no: [{ name, empty: !empty }] } } : {};
}

function unary(op: '-n' | '-z', a: TestOperand): TestResult {
  const f = a.field;
  const text = `${op} ${a.text}`;
  if (f.multi) return { value: null, text, operands: [] };
  if (f.s === null) return f.not?.includes('') ? { value: op === '-n', text, operands: [] } : { value: null, text, operands: [], ...emptyFacts(a.name, op === '-z') };
  const nonEmpty = f.s !== '';
  return { value: op === '-n' ? nonEmpty : !nonEmpty, text, operands: [f], ...(f.unset && !nonEmpty ? { unset: f.unset } : {}) };
}

function binary(a: TestOperand, op: string, b: TestOperand, dbl: boolean): TestResult {
  const text = `${a.text} ${op} ${b.text}`;
  const unknown: TestResult = { value: null, text, operands: [] };
  const x = a.field;
  const y = b.field;
  if (x.multi || y.multi) return unknown;
  const done = (value: boolean | null): TestResult => ({ value, text, operands: value === null ? [] : [x, y] });
  switch (op) {
    case '=':
    case '==':
    case '!=': {
      let eq: boolean | null;
      if (dbl && b.pattern && y.s !== null && x.s !== null) eq = globMatch(x.s, y.s);
      else eq = compareFields(x, y);
      if (eq === null) {
        // `"$V" = ''`: the test of `-z "$V"`, written another way.
        const name = y.s === '' ? a.name : x.s === '' ? b.name : undefined;
        return { ...unknown, ...emptyFacts(name, op !== '!=') };
      }
      return done(op === '!=' ? !eq : eq);
    }
    case '-eq':
    case '-ne':
    case '-lt':
    case '-gt':
    case '-le':
    case '-ge': {
      // `[[ ]]` reads its operands as arithmetic, where an empty string (an unset variable) is 0;
      // `[ ]` wants integers and fails on anything else (status 2: the else branch).
      const n = (f: Field): number | null => (f.s === null ? null : /^\s*-?\d+\s*$/.test(f.s) ? Number(f.s) : dbl && f.s.trim() === '' ? 0 : null);
      const xn = n(x);
      const yn = n(y);
      if (xn === null || yn === null) {
        const notInteger = (f: Field): boolean => f.s !== null && !/^\s*-?\d+\s*$/.test(f.s);
        if (!dbl && (notInteger(x) || notInteger(y))) return done(false);
        // A uid known not to be 0, against 0.
        if (op === '-eq' || op === '-ne') {
          if (yn !== null && x.s === null && compareFields(x, lit(String(yn))) === false) return done(op === '-ne');
          if (xn !== null && y.s === null && compareFields(y, lit(String(xn))) === false) return done(op === '-ne');
        }
        return unknown;
      }
      const r = op === '-eq' ? xn === yn : op === '-ne' ? xn !== yn : op === '-lt' ? xn < yn : op === '-gt' ? xn > yn : op === '-le' ? xn <= yn : xn >= yn;
      return done(r);
    }
    case '=~': {
      if (!dbl || b.regex === undefined || b.regex === null) return unknown;
      const m = regexMatch(x, b.regex);
      if (m === null) return unknown;
      return { ...done(m.matched), ...(m.groups ? { rematch: m.groups } : {}) };
    }
    default:
      return unknown;
  }
}

/**
 * `[[ x =~ re ]]` for a POSIX extended regular expression: the match and its groups, false when
 * it does not match, null when not known. Only expressions of a plain subset are read (literals,
 * `.`, anchors, `* + ? {m,n}`, groups, alternation, bracket expressions with character classes);
 * anything else (back-references, collating symbols) is unknown. The user's command matches only
 * an expression that matches every word: one that matches the empty word and has no `$` (it then
 * matches at the start of any word); one that cannot match the empty word names words the image
 * knows, not the one it is given (`[[ $1 =~ ^uvicorn ]]` is false for `docker run IMAGE sh`), as a
 * `case` pattern does.
 */
export function regexMatch(x: Field, source: string): { matched: boolean; groups: string[] | null } | null {
  const re = ereToRegExp(source);
  if (re === null || x.multi || x.s === null) return null;
  if (x.s.includes(USER_COMMAND)) {
    if (x.s !== USER_COMMAND) return null;
    if (!re.test('')) return { matched: false, groups: null };
    return source.includes('$') ? null : { matched: true, groups: null };
  }
  const m = re.exec(x.s);
  return m ? { matched: true, groups: m.map((g) => g ?? '') } : { matched: false, groups: null };
}

/** A POSIX extended regular expression as a JavaScript one, or null outside the subset read. */
function ereToRegExp(source: string): RegExp | null {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '\\') {
      const n = source[i + 1];
      // An escaped character is itself (`\.`); `\1` and GNU's `\w`, `\b` are not read.
      if (n === undefined || /[0-9A-Za-z]/.test(n)) return null;
      out += `\\${n}`;
      i++;
    } else if (c === '[') {
      const end = bracketEnd(source, i);
      if (end < 0) return null;
      let body = source.slice(i + 1, end);
      if (/\[[.=]/.test(body)) return null;
      const negated = body.startsWith('^');
      if (negated) body = body.slice(1);
      body = body.replace(/\\/g, '\\\\').replace(/\[:(\w+):\]/g, (_m, cls: string) => POSIX_CLASSES[cls] ?? '\u0000').replace(/^\]/, '\\]');
      if (body.includes('\u0000')) return null;
      out += `[${negated ? '^' : ''}${body}]`;
      i = end;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (!m) return null;
      out += m[0];
      i += m[0].length - 1;
    } else out += c;
  }
  try {
    return new RegExp(out, 's');
  } catch {
    return null;
  }
}

/** Where a bracket expression that opens at `i` closes (a `]` first in it is a member), or -1. */
function bracketEnd(source: string, i: number): number {
  let j = i + 1;
  if (source[j] === '^') j++;
  if (source[j] === ']') j++;
  while (j < source.length) {
    if (source[j] === '[' && /[:.=]/.test(source[j + 1] ?? '')) {
      const close = source.indexOf(`${source[j + 1]}]`, j + 2);
      if (close < 0) return -1;
      j = close + 2;
      continue;
    }
    if (source[j] === ']') return j;
    j++;
  }
  return -1;
}
