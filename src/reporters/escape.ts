/**
 * Text from linted files (names, lines, values) never reaches a terminal or a CI log raw: an ANSI
 * sequence in a file name must not rewrite the output, a newline in a name or a line must not
 * start a line of its own (GitHub Actions runs any output line that starts with `::` as a
 * workflow command), and BiDi controls must not reorder what a reviewer reads.
 *
 * Escaped, as `\xNN` (up to U+00FF) or `\uNNNN`: every C0 control (tab, CR and LF included), DEL,
 * the C1 controls (NEL among them), the BiDi embeddings, overrides, isolates and marks (U+202A-202E,
 * U+2066-2069, U+200E, U+200F, U+061C), and the line and paragraph separators U+2028/2029.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// The same without tab and LF: for formats that encode those themselves (XML references).
// eslint-disable-next-line no-control-regex
const UNSAFE_BUT_WHITESPACE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** What JSON.stringify leaves raw but a terminal, a log viewer or an old JS parser would act on. */
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function code(ch: string): string {
  const n = ch.charCodeAt(0);
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** One field of a line-based format: after this, it holds no control character and no line break. */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, code);
}

/** As escapeControl, but tab and LF are kept (the caller encodes them). */
export function escapeControlButWhitespace(text: string): string {
  return text.replace(UNSAFE_BUT_WHITESPACE, code);
}

/**
 * JSON text (from JSON.stringify) with DEL, C1, BiDi and line separator characters written as
 * `\uNNNN` escapes: the same JSON value, nothing raw in the bytes.
 */
export function escapeJson(json: string): string {
  return json.replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Every string in a value (arrays and plain objects, recursively) passed through escapeControl. */
export function escapeStrings<T>(value: T): T {
  if (typeof value === 'string') return escapeControl(value) as T;
  if (Array.isArray(value)) return value.map((v) => escapeStrings(v)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, escapeStrings(v)])) as T;
  }
  return value;
}
