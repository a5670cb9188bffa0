/**
 * The parse budget of shell text: how deeply a script nests, measured before it is parsed.
 *
 * The shell parser (WebAssembly) and dockerlint's walkers over its syntax tree recurse once per
 * level of nesting, so absurd nesting (thousands of `(`, `if`, or `&&` in one statement) would
 * overflow the stack; where it overflows depends on the thread's stack, so the result would differ
 * between runs and between worker threads. Measuring first makes the outcome a property of the
 * text alone: over the budget, the text is not parsed, and the caller says so (an info finding).
 *
 * The measure is a cheap lexical scan that errs on the side of counting too much: single quotes
 * and comments are skipped, every opener (`(`, `{`, `$(`, `${`, `` ` ``, `"`, `if`, `case`,
 * `while`, `until`, `for`, `select`) adds a level and its closer removes it (and what it still
 * held open), inside double quotes only `$(`, `${` and `` ` `` open anything, and the `&&`, `||`
 * and `|` of one statement (which the parser nests one inside the other) are counted until a
 * newline, `;` or `&`.
 */

/** Nesting levels: real scripts stay under 20; the parser overflows after about 500. */
export const MAX_SHELL_NESTING = 100;
/** `&&`/`||`/`|` in one statement: long RUN chains have about 100; the parser overflows after about 6,000. */
export const MAX_SHELL_CHAIN = 1000;

const CLOSER: Record<string, string> = { if: 'fi', case: 'esac', while: 'done', until: 'done', for: 'done', select: 'done' };
const CLOSE_WORDS = new Set(['fi', 'esac', 'done']);
/** Reserved words after which the next word is again in command position. */
const LEAD_WORDS = new Set(['if', 'then', 'else', 'elif', 'while', 'until', 'do', 'time', '!']);

export interface ShellNesting {
  depth: number;
  chain: number;
  /** The UTF-16 offsets where the deepest level and the longest chain were reached. */
  depthAt: number;
  chainAt: number;
}

export function shellNesting(source: string): ShellNesting {
  // The open constructs, innermost last: what closes each (`)`, `}`, `` ` ``, `"`, `fi`, ...).
  const stack: string[] = [];
  let chain = 0;
  let wordStart = true;
  let commandPos = true;
  const max: ShellNesting = { depth: 0, chain: 0, depthAt: 0, chainAt: 0 };
  const n = source.length;
  const open = (closer: string, i: number): void => {
    stack.push(closer);
    if (stack.length > max.depth) {
      max.depth = stack.length;
      max.depthAt = i;
    }
  };
  const close = (closer: string): void => {
    const at = stack.lastIndexOf(closer);
    if (at >= 0) stack.length = at;
  };
  for (let i = 0; i < n; i++) {
    const c = source[i] as string;
    const top = stack[stack.length - 1];
    if (c === '\\') {
      i++;
      wordStart = commandPos = false;
      continue;
    }
    if (top === '"') {
      // Inside double quotes only `$(`, `${`, a backquote and the closing quote mean anything.
      if (c === '"') stack.pop();
      else if (c === '`') open('`', i);
      else if (c === '$' && source[i + 1] === '(') open(')', i++);
      else if (c === '$' && source[i + 1] === '{') open('}', i++);
      continue;
    }
    if (c === "'") {
      const end = source.indexOf("'", i + 1);
      i = end < 0 ? n : end;
      wordStart = commandPos = false;
      continue;
    }
    if (c === '"') {
      open('"', i);
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
      if (c === '|' || doubled) {
        chain++;
        if (chain > max.chain) {
          max.chain = chain;
          max.chainAt = i;
        }
      } else chain = 0;
      wordStart = commandPos = true;
      continue;
    }
    if (c === '`') {
      if (top === '`') stack.pop();
      else open('`', i);
      wordStart = commandPos = true;
      continue;
    }
    if (c === '(' || c === '{' || (c === '$' && (source[i + 1] === '(' || source[i + 1] === '{'))) {
      if (c === '$') i++;
      open(source[i] === '(' ? ')' : '}', i);
      wordStart = commandPos = true;
      continue;
    }
    if (c === ')' || c === '}') {
      close(c);
      wordStart = true;
      commandPos = false;
      continue;
    }
    if (wordStart && commandPos && isWordChar(source.charCodeAt(i))) {
      let j = i;
      while (j < n && isWordChar(source.charCodeAt(j))) j++;
      const word = source.slice(i, j);
      const after = source[j];
      const reserved = after === undefined || /[\s;&|()]/.test(after);
      const closer = CLOSER[word];
      if (reserved && closer) open(closer, i);
      else if (reserved && CLOSE_WORDS.has(word)) close(word);
      commandPos = reserved && LEAD_WORDS.has(word);
      wordStart = false;
      i = j - 1;
      continue;
    }
    wordStart = commandPos = false;
  }
  return max;
}

/** `a`-`z` or `!`: the characters of a reserved word (a code comparison, not a regular expression per character). */
function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || code === 33;
}

/** Why a text is over the budget, or null. */
export function overBudget(source: string): { message: string; at: number } | null {
  const m = shellNesting(source);
  if (m.depth > MAX_SHELL_NESTING) {
    return { message: `nested ${m.depth} levels deep, more than dockerlint analyses (${MAX_SHELL_NESTING}): not parsed, its checks were skipped`, at: m.depthAt };
  }
  if (m.chain > MAX_SHELL_CHAIN) {
    return { message: `${m.chain} commands chained with &&, || or | in one statement, more than dockerlint analyses (${MAX_SHELL_CHAIN}): not parsed, its checks were skipped`, at: m.chainAt };
  }
  return null;
}
