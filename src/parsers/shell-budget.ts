/**
 * The parse budget of shell text: how deeply a script nests, measured before it is parsed.
 *
 * The shell parser (WebAssembly) and dockerlint's walkers over its syntax tree recurse once per
 * level of nesting, so absurd nesting (thousands of `(`, `if`, or `&&` in one statement) would
 * overflow the stack; where it overflows depends on the thread's stack, so the result would differ
 * between runs and between worker threads. Measuring first makes the outcome a property of the
 * text alone: over the budget, the text is not parsed, and the caller says so (an info finding).
 *
 * The measure is a cheap lexical scan that errs on the side of counting too much: quotes and
 * comments are skipped, every opener (`(`, `{`, `$(`, `${`, `` ` ``, `if`, `case`, `while`,
 * `until`, `for`, `select`) adds a level and its closer removes one, and the `&&`, `||` and `|` of
 * one statement (which the parser nests one inside the other) are counted until a newline or `;`.
 */

/** Nesting levels: real scripts stay under 20; the parser overflows after about 500. */
export const MAX_SHELL_NESTING = 100;
/** `&&`/`||`/`|` in one statement: long RUN chains have about 100; the parser overflows after about 6,000. */
export const MAX_SHELL_CHAIN = 1000;

const OPEN_WORDS = new Set(['if', 'case', 'while', 'until', 'for', 'select']);
const CLOSE_WORDS = new Set(['fi', 'esac', 'done']);
/** Reserved words after which the next word is again in command position. */
const LEAD_WORDS = new Set(['if', 'then', 'else', 'elif', 'while', 'until', 'do', 'time', '!']);

export interface ShellNesting {
  depth: number;
  chain: number;
  /** The UTF-16 offset where the deepest level (or the longest chain) was reached. */
  at: number;
}

export function shellNesting(source: string): ShellNesting {
  let depth = 0;
  let chain = 0;
  let inDouble = false;
  // At the start of a word / of a command (where a reserved word is one).
  let wordStart = true;
  let commandPos = true;
  const max: ShellNesting = { depth: 0, chain: 0, at: 0 };
  const n = source.length;
  const note = (i: number): void => {
    if (depth > max.depth || chain > max.chain) {
      max.depth = Math.max(max.depth, depth);
      max.chain = Math.max(max.chain, chain);
      max.at = i;
    }
  };
  for (let i = 0; i < n; i++) {
    const c = source[i] as string;
    if (c === '\\') {
      i++;
      wordStart = commandPos = false;
      continue;
    }
    if (inDouble) {
      if (c === '"') inDouble = false;
      else if (c === '`' || (c === '$' && (source[i + 1] === '(' || source[i + 1] === '{'))) {
        if (c === '$') i++;
        depth++;
        note(i);
      } else if ((c === ')' || c === '}') && depth > 0) depth--;
      continue;
    }
    if (c === "'") {
      const end = source.indexOf("'", i + 1);
      i = end < 0 ? n : end;
      wordStart = commandPos = false;
      continue;
    }
    if (c === '"') {
      inDouble = true;
      wordStart = commandPos = false;
      continue;
    }
    if (c === '#' && wordStart) {
      const end = source.indexOf('\n', i);
      i = (end < 0 ? n : end) - 1;
      continue;
    }
    if (c === '\n' || c === ';') {
      chain = 0;
      wordStart = commandPos = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      wordStart = true;
      continue;
    }
    if (c === '&' || c === '|') {
      const doubled = source[i + 1] === c;
      if (doubled) i++;
      // A lone `&` ends a statement (a background job); `|`, `||` and `&&` chain it.
      if (c === '|' || doubled) chain++;
      else chain = 0;
      note(i);
      wordStart = commandPos = true;
      continue;
    }
    if (c === '(' || c === '{' || c === '`' || (c === '$' && (source[i + 1] === '(' || source[i + 1] === '{'))) {
      if (c === '$') i++;
      depth++;
      note(i);
      wordStart = commandPos = true;
      continue;
    }
    if (c === ')' || c === '}') {
      depth = Math.max(0, depth - 1);
      wordStart = true;
      commandPos = false;
      continue;
    }
    if (wordStart && commandPos && /[a-z!]/.test(c)) {
      let j = i;
      while (j < n && /[a-z!]/.test(source[j] as string)) j++;
      const word = source.slice(i, j);
      const after = source[j];
      const reserved = after === undefined || /[\s;&|()]/.test(after);
      if (reserved && OPEN_WORDS.has(word)) {
        depth++;
        note(i);
      } else if (reserved && CLOSE_WORDS.has(word)) depth = Math.max(0, depth - 1);
      commandPos = reserved && LEAD_WORDS.has(word);
      wordStart = false;
      i = j - 1;
      continue;
    }
    wordStart = commandPos = false;
  }
  return max;
}

/** Why a text is over the budget, or null. */
export function overBudget(source: string): { message: string; at: number } | null {
  const m = shellNesting(source);
  if (m.depth > MAX_SHELL_NESTING) {
    return { message: `nested ${m.depth} levels deep, more than dockerlint analyses (${MAX_SHELL_NESTING}): not parsed, its checks were skipped`, at: m.at };
  }
  if (m.chain > MAX_SHELL_CHAIN) {
    return { message: `${m.chain} commands chained with &&, || or | in one statement, more than dockerlint analyses (${MAX_SHELL_CHAIN}): not parsed, its checks were skipped`, at: m.at };
  }
  return null;
}
