/**
 * Dockerfile front end: dockerfile-ast finds the instructions; this module turns each one into
 * the logical text Docker itself sees (line continuations joined, comment lines inside a
 * continuation dropped, heredoc bodies split off), keeping a map back to file positions.
 *
 * Known dockerfile-ast 0.7.1 traps, guarded here (see test/parsers/dockerfile.test.ts):
 * - it drops spaces inside exec-form JSON strings: exec form is parsed here with JSON.parse;
 * - `RUN cat << 'EOF'` (space after `<<`) is not seen as a heredoc and the body lines become
 *   instructions: the text handed to dockerfile-ast has that space moved behind the word;
 * - an indented first instruction with a variable (` RUN $A`) overflows the stack in its
 *   variable getters: they are never called; variables are expanded by `model/expand.ts`.
 */
import { DockerfileParser, Instruction as AstInstruction } from 'dockerfile-ast';
import { MappedText, SourceFile, type Span } from './source.js';

export interface Flag {
  name: string;
  value: string | null;
  span: Span;
}

export interface Heredoc {
  /** The delimiter word without quotes. */
  name: string;
  /** `<<-`: leading tabs are stripped from body lines. */
  strip: boolean;
  /** The delimiter was quoted: no expansion in the body. */
  quoted: boolean;
  /** The body, without the delimiter line. */
  body: MappedText;
  /** From the first body line to the delimiter line. */
  span: Span;
  /** Raw source of the body including the closing delimiter line (for re-parsing as shell). */
  rawWithTerminator: MappedText;
}

export interface Instruction {
  /** Upper-case keyword: `FROM`, `RUN`, ... */
  keyword: string;
  /** The whole instruction, heredoc bodies included. */
  span: Span;
  keywordSpan: Span;
  /** Everything after the keyword on its (continued) line, flags included. */
  args: MappedText;
  /** Leading `--name[=value]` options (COPY, ADD, RUN, FROM). */
  flags: Flag[];
  /** `args` without the leading flags. */
  rest: MappedText;
  heredocs: Heredoc[];
}

export interface Directive {
  name: string;
  value: string;
  line: number;
}

export interface ParseProblem {
  message: string;
  span: Span;
}

export interface DockerfileAst {
  file: SourceFile;
  escape: string;
  directives: Directive[];
  instructions: Instruction[];
  problems: ParseProblem[];
}

/**
 * Speed: dockerfile-ast 0.7.1 re-tokenises an instruction's arguments on every
 * `getRawArguments()` call, and its constructors and heredoc pass call it four to six times per
 * COPY/RUN (`JSONInstruction`, `getFlags`, `getArguments`): about a quarter of the time spent
 * linting a Dockerfile. The tokens depend only on the (immutable) document, so the first result is
 * kept on the instance. Callers get a fresh array each time, because `ModifiableInstruction`
 * shifts flags off the array it receives. test/parsers/dockerfile.test.ts compares the memoised
 * and original results on every fixture.
 */
const MEMO = Symbol('dockerlint.rawArguments');
interface RawArgumentsOwner {
  [MEMO]?: unknown[];
  getRawArguments(): unknown[];
}
// `getRawArguments` is private in dockerfile-ast's typings, hence the structural view.
const astProto = AstInstruction.prototype as unknown as RawArgumentsOwner;
const originalGetRawArguments: (this: RawArgumentsOwner) => unknown[] =
  (astProto.getRawArguments as { original?: (this: RawArgumentsOwner) => unknown[] }).original ??
  astProto.getRawArguments;
astProto.getRawArguments = Object.assign(
  function getRawArguments(this: RawArgumentsOwner): unknown[] {
    let args = this[MEMO];
    if (args === undefined) {
      args = originalGetRawArguments.call(this);
      this[MEMO] = args;
    }
    return args.slice();
  },
  { original: originalGetRawArguments },
);
/** The unmemoised tokenizer, for the test that checks the memo changes nothing. */
export function unmemoisedRawArguments(node: AstInstruction): unknown[] {
  return originalGetRawArguments.call(node as unknown as RawArgumentsOwner);
}

/** Instructions whose arguments start with `--flags`. */
const FLAGGED = new Set(['COPY', 'ADD', 'RUN', 'FROM', 'HEALTHCHECK']);
/** Instructions BuildKit reads heredocs for. */
const HEREDOC_INSTRUCTIONS = new Set(['RUN', 'COPY', 'ADD']);

/** A heredoc's delimiter word, as BuildKit reads it. Source text, to build patterns from. */
const HEREDOC_DELIMITER = '[A-Za-z0-9_][A-Za-z0-9_.-]*';
const HEREDOC_MARK = new RegExp(`<<(-?)[ \\t]*(["']?)(${HEREDOC_DELIMITER})\\2`, 'g');
/** `<< 'EOF'`: blanks between `<<` and the delimiter. */
const HEREDOC_SPACED = new RegExp(`<<(-?)([ \\t]+)(["']?${HEREDOC_DELIMITER}["']?)`, 'g');
/** A COPY or ADD source word that names a heredoc (`<<EOF`, `<<-"EOF"`), its delimiter in group 1. */
export const HEREDOC_SOURCE = new RegExp(`^<<-?["']?(${HEREDOC_DELIMITER})["']?$`);

export function parseDockerfile(file: SourceFile): DockerfileAst {
  const problems: ParseProblem[] = [];
  // Trap: `<< 'EOF'` — hand dockerfile-ast `<<'EOF' ` (same length, so positions hold).
  // Trap: a lone CR is a line break to dockerfile-ast but not to Docker (or to our positions):
  // hand it over as a blank.
  const forAst = file.text
    .replace(HEREDOC_SPACED, '<<$1$3$2')
    .replace(/\r(?!\n)/g, ' ');
  const parsed = DockerfileParser.parse(forAst);
  const escape = parsed.getEscapeCharacter() === '`' ? '`' : '\\';
  const directives: Directive[] = parsed.getDirectives().map((d) => ({
    name: d.getName().toLowerCase(),
    value: d.getValue(),
    line: d.getRange().start.line + 1,
  }));

  const instructions: Instruction[] = [];
  let consumedUntilLine = 0; // 1-based: lines up to here belong to an earlier instruction
  for (const node of parsed.getInstructions()) {
    const keywordRange = node.getInstructionRange();
    const startLine = keywordRange.start.line + 1;
    if (startLine <= consumedUntilLine) continue; // a heredoc body line dockerfile-ast took for an instruction
    const keyword = node.getKeyword().toUpperCase();
    const keywordStart = file.offsetOf(startLine, keywordRange.start.character + 1);
    const keywordEnd = file.offsetOf(keywordRange.end.line + 1, keywordRange.end.character + 1);
    const logical = joinContinuation(file, keywordEnd, escape);
    let endOffset = logical.endOffset;
    let lastLine = file.positionAt(Math.max(keywordStart, endOffset - 1)).line;

    const args = logical.text.trim();
    const { flags, rest } = FLAGGED.has(keyword) ? splitFlags(args) : { flags: [], rest: args };

    const heredocs: Heredoc[] = [];
    if (HEREDOC_INSTRUCTIONS.has(keyword)) {
      for (const mark of findHeredocMarks(rest.text)) {
        const doc = readHeredocBody(file, lastLine + 1, mark);
        if (!doc) {
          problems.push({
            message: `heredoc <<${mark.name} is never closed: add a line with just ${mark.name}`,
            span: rest.spanOf(mark.index, mark.index + mark.length),
          });
          lastLine = file.lineCount;
          endOffset = file.text.length;
          break;
        }
        heredocs.push(doc.heredoc);
        lastLine = doc.endLine;
        endOffset = file.offsetOf(lastLine, file.line(lastLine).length + 1);
      }
    }
    consumedUntilLine = lastLine;
    instructions.push({
      keyword,
      span: file.spanOf(keywordStart, Math.max(keywordStart, trimEndOffset(file, endOffset))),
      keywordSpan: file.spanOf(keywordStart, keywordEnd),
      args,
      flags,
      rest,
      heredocs,
    });
  }
  return { file, escape, directives, instructions, problems };
}

function trimEndOffset(file: SourceFile, end: number): number {
  let e = end;
  while (e > 0 && /\s/.test(file.text[e - 1] ?? '')) e--;
  return e;
}

/**
 * The logical line that starts at `start`: physical lines joined where they end with the escape
 * character (trailing blanks allowed), dropping comment and empty lines inside the continuation,
 * as Docker does.
 */
function joinContinuation(file: SourceFile, start: number, escape: string): { text: MappedText; endOffset: number } {
  const b = MappedText.builder(file);
  const text = file.text;
  let pos = start;
  let continued = false;
  for (;;) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    let lineEnd = eol;
    if (lineEnd > pos && text[lineEnd - 1] === '\r') lineEnd--;
    const line = text.slice(pos, lineEnd);
    if (continued && /^\s*(#.*)?$/.test(line)) {
      if (eol >= text.length) return { text: b.build(lineEnd), endOffset: lineEnd };
      pos = eol + 1;
      continue;
    }
    const trimmed = line.replace(/[ \t]+$/, '');
    if (trimmed.endsWith(escape) && !trimmed.endsWith(escape + escape) && eol < text.length) {
      b.appendRange(pos, pos + trimmed.length - 1);
      continued = true;
      pos = eol + 1;
      continue;
    }
    b.appendRange(pos, lineEnd);
    return { text: b.build(lineEnd), endOffset: lineEnd };
  }
}

function splitFlags(args: MappedText): { flags: Flag[]; rest: MappedText } {
  const flags: Flag[] = [];
  const re = /^--([A-Za-z][A-Za-z0-9-]*)(?:=((?:"[^"]*"|'[^']*'|\S)*))?\s*/;
  let i = 0;
  for (;;) {
    const m = re.exec(args.text.slice(i));
    if (!m) break;
    const raw = m[0].trimEnd();
    let value: string | null = m[2] ?? null;
    if (value !== null && /^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    flags.push({ name: (m[1] ?? '').toLowerCase(), value, span: args.spanOf(i, i + raw.length) });
    i += m[0].length;
  }
  return { flags, rest: args.sub(i, args.text.length) };
}

interface HeredocMark {
  name: string;
  strip: boolean;
  quoted: boolean;
  index: number;
  length: number;
}

/** `<<EOF` markers in a command line, outside quotes. */
function findHeredocMarks(text: string): HeredocMark[] {
  const marks: HeredocMark[] = [];
  HEREDOC_MARK.lastIndex = 0;
  for (let m = HEREDOC_MARK.exec(text); m; m = HEREDOC_MARK.exec(text)) {
    if (insideQuotes(text, m.index)) continue;
    if (text[m.index - 1] === '<') continue; // `<<<` here-string
    marks.push({
      name: m[3] ?? '',
      strip: m[1] === '-',
      quoted: (m[2] ?? '') !== '',
      index: m.index,
      length: m[0].length,
    });
  }
  return marks;
}

function insideQuotes(text: string, index: number): boolean {
  let quote: string | null = null;
  for (let i = 0; i < index; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '\\') i++;
  }
  return quote !== null;
}

function readHeredocBody(
  file: SourceFile,
  firstLine: number,
  mark: HeredocMark,
): { heredoc: Heredoc; endLine: number } | null {
  for (let n = firstLine; n <= file.lineCount; n++) {
    const line = file.line(n);
    const candidate = mark.strip ? line.replace(/^\t+/, '') : line;
    if (candidate === mark.name) {
      const bodyStart = file.offsetOf(firstLine, 1);
      const bodyEnd = n > firstLine ? file.offsetOf(n, 1) : bodyStart;
      const terminatorEnd = file.offsetOf(n, line.length + 1);
      const lastBody = n > firstLine ? n - 1 : firstLine;
      return {
        heredoc: {
          name: mark.name,
          strip: mark.strip,
          quoted: mark.quoted,
          body: MappedText.slice(file, bodyStart, bodyEnd),
          span: { line: firstLine, column: 1, endLine: n, endColumn: line.length + 1 },
          rawWithTerminator: MappedText.slice(file, bodyStart, terminatorEnd),
        },
        endLine: Math.max(n, lastBody),
      };
    }
  }
  return null;
}

/** The shell text a RUN executes: its command line, followed by its heredocs (a real shell heredoc). */
export function runShellText(inst: Instruction): MappedText {
  const b = MappedText.builder(inst.rest.file);
  const line = inst.rest;
  b.appendMapped(line);
  for (const h of inst.heredocs) {
    b.appendChar('\n', h.rawWithTerminator.originOf(0));
    b.appendMapped(h.rawWithTerminator);
  }
  // `RUN <<EOF` alone runs the heredoc body as the script.
  const only = inst.heredocs.length === 1 && /^<<-?\s*["']?[A-Za-z0-9_.-]+["']?\s*$/.test(line.text.trim());
  if (only && inst.heredocs[0]) return inst.heredocs[0].body;
  return b.build(line.originOf(line.text.length));
}

/** The text of runShellText, without the mapping to the file (built for every RUN, parsed or not). */
export function runShellSource(inst: Instruction): string {
  const line = inst.rest.text;
  const only = inst.heredocs.length === 1 && /^<<-?\s*["']?[A-Za-z0-9_.-]+["']?\s*$/.test(line.trim());
  if (only && inst.heredocs[0]) return inst.heredocs[0].body.text;
  let out = line;
  for (const h of inst.heredocs) out += `\n${h.rawWithTerminator.text}`;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Command forms: exec form (a JSON array of strings) or shell form.

export type CommandForm =
  | { kind: 'exec'; argv: string[]; text: MappedText }
  | {
      kind: 'shell';
      text: MappedText;
      /** Set when the text looks like an exec-form array but is not valid JSON. */
      invalidJson: string | null;
      /**
       * Text after the array's closing `]` (`["app"];`, `["app"] # comment`), which is what makes
       * the line invalid JSON; the array before it is `text` without it.
       */
      trailing?: { text: string; /** the array before it is valid JSON */ arrayValid: boolean };
    };

/** How Docker reads RUN/CMD/ENTRYPOINT arguments: JSON array of strings, or else shell form. */
export function commandForm(text: MappedText): CommandForm {
  const trimmed = text.trim();
  const t = trimmed.text;
  if (t.startsWith('[')) {
    try {
      const value: unknown = JSON.parse(t);
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
        return { kind: 'exec', argv: value as string[], text: trimmed };
      }
      if (Array.isArray(value)) {
        return { kind: 'shell', text: trimmed, invalidJson: 'every element of an exec-form array must be a string' };
      }
    } catch (e) {
      if (looksLikeJsonArray(t)) {
        return { kind: 'shell', text: trimmed, invalidJson: jsonReason(t, e) };
      }
      const after = trailingAfterArray(t);
      if (after !== null) return { kind: 'shell', text: trimmed, invalidJson: after.reason, trailing: { text: after.trailing, arrayValid: after.valid } };
    }
  }
  return { kind: 'shell', text: trimmed, invalidJson: null };
}

/**
 * `["sh", "run.sh"];` or `["app"] # comment`: an array (valid JSON, or pseudo-JSON) followed by
 * only `;`/`,` or a comment. Docker parses the whole rest of the line as JSON (a `#` starts a
 * comment only at the beginning of a line), so it is shell form. Null for anything else after
 * the `]` (`[ -f x ] && ...` is a test command).
 */
function trailingAfterArray(t: string): { trailing: string; valid: boolean; reason: string } | null {
  let quote: string | null = null;
  let close = -1;
  for (let i = 1; i < t.length && close < 0; i++) {
    const c = t[i] ?? '';
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ']') close = i;
  }
  if (close < 0) return null;
  const array = t.slice(0, close + 1);
  const trailing = t.slice(close + 1).trim();
  if (!/^[;,]+$/.test(trailing) && !/^#/.test(trailing)) return null;
  let valid = false;
  try {
    const value: unknown = JSON.parse(array);
    valid = Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string');
  } catch {
    valid = false;
  }
  if (!valid && !looksLikeJsonArray(array)) return null;
  const what = trailing.startsWith('#') ? 'a comment after the closing `]`: Docker reads `#` as a comment only at the start of a line' : `\`${trailing}\` after the closing \`]\``;
  return { trailing, valid, reason: valid ? what : `${jsonReason(array, null)}, and ${what}` };
}

/**
 * Whether text that failed JSON.parse was meant as an exec-form array: `['a', 'b']`, `["a" "b"]`,
 * `["a", "b",]`, and not the shell test command `[ -f x ] && ...` or `[ "$A" = b ]`.
 */
export function looksLikeJsonArray(t: string): boolean {
  if (!t.endsWith(']')) return false;
  const inner = t.slice(1, -1).trim();
  if (inner === '') return false;
  const elements = splitTopLevel(inner, ',');
  const quoted = /^(?:"(?:[^"\\]|\\.)*"|'[^']*')$/;
  const onlyQuotedWords = /^(?:(?:"(?:[^"\\]|\\.)*"|'[^']*')\s*)+$/;
  if (elements.length > 1) {
    return elements.filter((e) => e.trim() !== '').every((e) => /^\s*["']/.test(e) || /["']\s*$/.test(e));
  }
  const only = (elements[0] ?? '').trim();
  if (/^'/.test(only) && quoted.test(only)) return true; // ['server']
  return onlyQuotedWords.test(only) && /["']\s+["']/.test(only); // ["a" "b"]
}

function splitTopLevel(text: string, sep: string): string[] {
  const out: string[] = [];
  let quote: string | null = null;
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (quote) {
      if (c === '\\' && quote === '"') {
        cur += c + (text[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === sep) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}

function jsonReason(t: string, e: unknown): string {
  if (t.includes("'")) return 'JSON strings need double quotes, not single quotes';
  if (/,\s*\]$/.test(t)) return 'JSON does not allow a trailing comma';
  if (/["']\s+["']/.test(t)) return 'array elements must be separated by commas';
  if (/[\u201c\u201d]/.test(t)) return 'typographic quotes are not JSON double quotes';
  return `not valid JSON (${e instanceof Error ? e.message : String(e)})`;
}

/**
 * The instruction an `ONBUILD` holds (`ONBUILD RUN make` -> the `RUN make` instruction, mapped to
 * the same file positions); null when it holds nothing. Heredocs are not read inside ONBUILD.
 */
export function onbuildTrigger(onbuild: Instruction): Instruction | null {
  const text = onbuild.rest.text;
  const m = /^\s*([A-Za-z]+)/.exec(text);
  if (!m || !m[1]) return null;
  const kwStart = m[0].length - m[1].length;
  const kwEnd = m[0].length;
  const keyword = m[1].toUpperCase();
  const args = onbuild.rest.sub(kwEnd, text.length).trim();
  const { flags, rest } = FLAGGED.has(keyword) ? splitFlags(args) : { flags: [], rest: args };
  return {
    keyword,
    span: onbuild.span,
    keywordSpan: onbuild.rest.spanOf(kwStart, kwEnd),
    args,
    flags,
    rest,
    heredocs: [],
  };
}
