/**
 * Variable names and the `$name` references in a text, one copy each: the shell and BuildKit's
 * Dockerfile lexer agree on both.
 */

/** A variable name (POSIX): a letter or `_`, then letters, digits and `_`. Source text, to build patterns from. */
export const NAME = '[A-Za-z_][A-Za-z0-9_]*';

const WHOLE_NAME = new RegExp(`^${NAME}$`);

/** `s` is a variable name as a whole (`PATH`, `_x1`; not `1x`, `a-b`, `$x`). */
export function isName(s: string): boolean {
  return WHOLE_NAME.test(s);
}

/** A word that starts with an assignment, `NAME=...` (the name in group 1). */
export const ASSIGNMENT = new RegExp(`^(${NAME})=`);

/** A shell assignment or append word, `NAME=...` or `NAME+=...` (the name in group 1, `+` or '' in group 2). */
export const ASSIGNMENT_OR_APPEND = new RegExp(`^(${NAME})(\\+?)=`);

/** A `$` reference in a scanned text, at offsets of that text. */
export interface VarRef {
  /** The variable: a name, a positional parameter (`1`, `10`) or a special one (`@`, `#`, `?`, ...). */
  name: string;
  /** Offsets of the whole reference: `$x`, or `${x:-word}` to its closing brace. */
  start: number;
  end: number;
  /** What follows the name inside the braces, operator and operand (`:-word`, `%%.*`); '' for `$x` and `${x}`. */
  modifier: string;
}

export interface VarRefOptions {
  /** The escape character (the Dockerfile's, `\` or a backtick): the character after it is text. Default: none. */
  escape?: string;
  /** Quotes as the builder's word lexer reads them: nothing in single quotes is a reference. Default: quotes are text. */
  quotes?: boolean;
  /** The operands of a `${x:-word}` (`${x/a/b}`, ...) are scanned for references too. Default: not. */
  operands?: boolean;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const DIGIT = /\d/;
const SPECIAL = '@*#?-$!0';
/** The first character of a modifier BuildKit's lexer accepts after `${name`. */
const OPERATOR = /[:+\-?#%/]/;

/**
 * The variables looked up when `text` is expanded, read as BuildKit's word lexer reads them: `$x`,
 * `$1`, `$@`, `${x}` and `${x<modifier>}` (`${x:-word}`, `${x+word}`, `${x%word}`, `${x/a/b}`). A
 * `$` before anything else is text; a `${` with an unsupported modifier (`${x.y}`) is no reference;
 * an unclosed `${` ends the scan (the builder refuses the word).
 */
export function varReferences(text: string, options: VarRefOptions = {}): VarRef[] {
  const out: VarRef[] = [];
  scan(text, 0, text.length, options, out);
  return out;
}

/** `${x:-word}`, `${x+word}`, `${x:?message}`: the reference says what happens when x is unset. */
export function guardsUnset(ref: VarRef): boolean {
  return /^:?[-+?]/.test(ref.modifier);
}

function scan(text: string, from: number, to: number, options: VarRefOptions, out: VarRef[]): void {
  const escape = options.escape ?? null;
  const quotes = options.quotes ?? false;
  let double = false;
  for (let i = from; i < to; i++) {
    const c = text[i] as string;
    if (c === escape) {
      i++;
      continue;
    }
    if (quotes && c === "'" && !double) {
      const close = text.indexOf("'", i + 1);
      if (close < 0 || close >= to) return;
      i = close;
      continue;
    }
    if (quotes && c === '"') {
      double = !double;
      continue;
    }
    if (c !== '$') continue;
    const next = text[i + 1] ?? '';
    if (next === '{') {
      const close = closingBrace(text, i + 2, to);
      if (close < 0) return;
      let j = i + 2;
      const first = text[j] ?? '';
      if (DIGIT.test(first)) while (j < close && DIGIT.test(text[j] as string)) j++;
      else if (NAME_START.test(first)) while (j < close && NAME_CHAR.test(text[j] as string)) j++;
      else if (first !== '' && SPECIAL.includes(first)) j++;
      const name = text.slice(i + 2, j);
      if (name !== '' && (j === close || OPERATOR.test(text[j] ?? ''))) {
        out.push({ name, start: i, end: close + 1, modifier: text.slice(j, close) });
        if (options.operands && j < close) scan(text, j + 1, close, options, out);
      }
      i = close;
      continue;
    }
    if (DIGIT.test(next)) {
      let j = i + 1;
      while (j < to && DIGIT.test(text[j] as string)) j++;
      out.push({ name: text.slice(i + 1, j), start: i, end: j, modifier: '' });
      i = j - 1;
    } else if (next !== '' && SPECIAL.includes(next)) {
      out.push({ name: next, start: i, end: i + 2, modifier: '' });
      i++;
    } else if (NAME_START.test(next)) {
      let j = i + 1;
      while (j < to && NAME_CHAR.test(text[j] as string)) j++;
      out.push({ name: text.slice(i + 1, j), start: i, end: j, modifier: '' });
      i = j - 1;
    }
  }
}

/** The `}` that closes a `${`, nested `${...}` skipped; -1 when there is none. */
function closingBrace(text: string, from: number, to: number): number {
  let depth = 1;
  for (let j = from; j < to; j++) {
    const c = text[j];
    if (c === '$' && text[j + 1] === '{') {
      depth++;
      j++;
    } else if (c === '}' && --depth === 0) return j;
  }
  return -1;
}
