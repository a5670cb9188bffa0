/**
 * A tokenizer for Python source: names, string literals and operators, with comments and
 * the insides of strings kept apart from code. It is not a parser: dockerlint does not run or
 * follow Python. It is enough to ask what a program names in its code (`os.execve`, a
 * `"gosu"` literal) without being fooled by a comment or a docstring that mentions it.
 */

export interface PyToken {
  kind: 'name' | 'string' | 'op' | 'number';
  /** The name, the operator, or a string's content between its quotes (escapes left as written). */
  value: string;
  /** 1-based. */
  line: number;
}

const STRING_PREFIX = /^(r|u|b|f|t|br|rb|fr|rf|tr|rt)$/i;
const NAME_START = /[A-Za-z_\u0080-\uffff]/;
const NAME_PART = /[A-Za-z0-9_\u0080-\uffff]/;

/** The tokens of a Python source text. An unterminated string ends at the end of the text (or of its line). */
export function pythonTokens(text: string): PyToken[] {
  const out: PyToken[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\n' ? 2 : 3;
      line++;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const from = i;
      i = readString(text, i, line, out);
      line += countNewlines(text.slice(from, i));
      continue;
    }
    if (NAME_START.test(c)) {
      let j = i + 1;
      while (j < n && NAME_PART.test(text[j] as string)) j++;
      const word = text.slice(i, j);
      const q = text[j];
      if ((q === '"' || q === "'") && STRING_PREFIX.test(word)) {
        i = readString(text, j, line, out);
        line += countNewlines(text.slice(j, i));
        continue;
      }
      out.push({ kind: 'name', value: word, line });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(text[j] as string)) j++;
      out.push({ kind: 'number', value: text.slice(i, j), line });
      i = j;
      continue;
    }
    out.push({ kind: 'op', value: c, line });
    i++;
  }
  return out;
}

/** Reads the string whose opening quote is at `q`; pushes it and returns the index after it. */
function readString(text: string, q: number, line: number, out: PyToken[]): number {
  const quote = text[q] as string;
  const triple = text.startsWith(quote.repeat(3), q);
  const close = triple ? quote.repeat(3) : quote;
  let i = q + close.length;
  const start = i;
  while (i < text.length) {
    const c = text[i];
    // A backslash keeps the next character inside the string, in raw strings too (r"\"" is one string).
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (!triple && c === '\n') break;
    if (text.startsWith(close, i)) {
      out.push({ kind: 'string', value: text.slice(start, i), line });
      return i + close.length;
    }
    i++;
  }
  out.push({ kind: 'string', value: text.slice(start, Math.min(i, text.length)), line });
  return Math.min(i, text.length);
}

function countNewlines(s: string): number {
  let k = 0;
  for (const ch of s) if (ch === '\n') k++;
  return k;
}
