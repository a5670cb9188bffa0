/**
 * The command view: each simple command a RUN executes, as rules ask about it. Its program name,
 * its argument words (literal, or unknown when computed at runtime), its flags in every spelling
 * (`-yq`, `--yes`, `--opt=value`), its subcommand and a span per word. Prefixes (`sudo`, `env
 * X=1`, `command`, `exec`, `nice`, `nohup`) are unwrapped through `unwrapPrefixes`, and a shell
 * started with a literal script (`sh -c "..."`, `bash -ec '...'`) is read as the commands of that
 * script, recursively.
 */
import type { Dialect, Stmt, Word } from '../parsers/shell-ast.js';
import type { ShellParser } from '../parsers/shell.js';
import { childStmts, forEachCall } from '../parsers/shell-walk.js';
import { MappedText, type Span } from '../parsers/source.js';
import { basename, wordLiteral } from './commands.js';
import { unwrapPrefixes, type CommandPrefix } from './prefixes.js';

export interface ArgWord {
  /** The word's value when it has no expansion; null when only the running shell knows it. */
  value: string | null;
  /** The word as written (quotes and `$VAR` kept). */
  text: string;
  span: Span;
  /** Offsets of the word in the Dockerfile's text. */
  start: number;
  end: number;
}

export interface CommandView {
  /** Basename of the program (`apt-get` for `/usr/bin/apt-get`); null when computed at runtime. */
  name: string | null;
  /** The program word. */
  program: ArgWord;
  /** The words after the program. */
  args: readonly ArgWord[];
  /** The prefixes it was started through, outermost first (`['sudo']`), and their words. */
  prefixes: readonly CommandPrefix[];
  prefixWords: readonly ArgWord[];
  /** Every word of the simple command, prefixes included. */
  words: readonly ArgWord[];
  /** The whole simple command. */
  span: Span;
  /** 0 for a command of the RUN itself, 1 inside its `sh -c "..."`, and so on. */
  depth: number;
  /** `hasFlag('y')` for `-y`, `-qy`; `hasFlag('yes')` for `--yes`, `--yes=1`. Any of the names. */
  hasFlag(...names: string[]): boolean;
  /** Some argument equals one of the values exactly. */
  hasArg(...values: string[]): boolean;
  /**
   * The value of an option: `--name=value`, `--name value`, `-n value`, `-nvalue`; undefined when
   * absent, null when its value is unknown.
   */
  flagValue(...names: string[]): string | null | undefined;
  /** The first argument that is not an option (`install` in `apt-get -y install x`); null if none. */
  subcommand: string | null;
  /** The arguments that are not options, in order (option values included, as hadolint reads them). */
  positional: readonly ArgWord[];
}

/** The mvdan/sh dialect for a shell program, or null when it is not a POSIX-family shell. */
export function shellDialect(program: string): Dialect | null {
  const b = basename(program).toLowerCase();
  if (b === 'bash' || b === 'zsh') return 'bash';
  if (b === 'mksh' || b === 'ksh') return 'mksh';
  if (b === 'sh' || b === 'dash' || b === 'ash' || b === 'busybox') return 'posix';
  return null;
}

/** Flags of a word list as hadolint spells them: `-abc` is a, b, c; `--name=v` is name. */
function flagNames(text: string): string[] {
  if (text === '--' || text === '-' || !text.startsWith('-')) return [];
  if (text.startsWith('--')) {
    const eq = text.indexOf('=');
    return [text.slice(2, eq >= 0 ? eq : undefined)];
  }
  return [...text.slice(1)];
}

function makeCommandView(words: ArgWord[], all: ArgWord[], prefixes: { name: CommandPrefix; index: number }[], depth: number, span: Span): CommandView {
  const program = words[0] as ArgWord;
  const args = words.slice(1);
  const flagText = (w: ArgWord): string => w.value ?? '';
  const positional = args.filter((w) => w.value === null || !w.value.startsWith('-') || w.value === '-');
  return {
    name: program.value === null ? null : basename(program.value),
    program,
    args,
    prefixes: prefixes.map((p) => p.name),
    prefixWords: prefixes.map((p) => all[p.index] as ArgWord),
    words: all,
    span,
    depth,
    subcommand: positional[0]?.value ?? null,
    positional,
    hasFlag(...names) {
      for (const a of args) {
        if (a.value === '--') break;
        for (const f of flagNames(flagText(a))) if (names.includes(f)) return true;
      }
      return false;
    },
    hasArg(...values) {
      return args.some((a) => a.value !== null && values.includes(a.value));
    },
    flagValue(...names) {
      for (let i = 0; i < args.length; i++) {
        const a = args[i] as ArgWord;
        const v = a.value;
        if (v === null) continue;
        if (v === '--') break;
        if (v.startsWith('--')) {
          const eq = v.indexOf('=');
          const n = v.slice(2, eq >= 0 ? eq : undefined);
          if (!names.includes(n)) continue;
          return eq >= 0 ? v.slice(eq + 1) : (args[i + 1]?.value ?? null);
        }
        if (v.startsWith('-') && v.length > 1) {
          const c = v[1] as string;
          if (!names.includes(c)) continue;
          return v.length > 2 ? v.slice(2) : (args[i + 1]?.value ?? null);
        }
      }
      return undefined;
    },
  };
}

/** `sh -c SCRIPT`: the index of SCRIPT among `args` (options before it, `-o name` taking a value). */
function shellScriptIndex(args: readonly { value: string | null }[]): number {
  let sawC = false;
  for (let i = 0; i < args.length; i++) {
    const v = args[i]?.value;
    if (v === null || v === undefined) return sawC ? i : -1;
    if (v === '--') return sawC ? i + 1 : -1;
    if (/^[-+]o$/.test(v)) {
      i++;
      continue;
    }
    if (/^[-+][A-Za-z]+$/.test(v)) {
      if (v.startsWith('-') && v.includes('c')) sawC = true;
      continue;
    }
    return sawC ? i : -1;
  }
  return -1;
}

const MAX_DEPTH = 4;

/** Collects the command views of a parsed script (a RUN body or an `sh -c` string). */
export class CommandCollector {
  readonly commands: CommandView[] = [];
  /** Scripts that did not parse (`sh -c "..."` strings, a RUN body): where and why. */
  readonly syntaxErrors: { span: Span; message: string; budget?: true }[] = [];
  /**
   * The pipes (`a | b`) of the top-level script, outermost first; `tested` when the script tests
   * the pipe's status instead of letting it stand (an `if` or `while` condition, `! a | b`,
   * `a | b || true`).
   */
  readonly pipes: { span: Span; text: string; tested?: true }[] = [];

  constructor(private readonly parser: ShellParser) {}

  /** Parses `text` in `dialect` and collects its commands. Returns false when it does not parse. */
  script(text: MappedText, dialect: Dialect, depth: number): boolean {
    const result = this.parser.parse(text.text.replace(/\r(?=\n)/g, ' '), dialect);
    if (!result.ok) {
      this.syntaxErrors.push({ span: text.spanOf(result.error.p[2], result.error.p[2]), message: result.error.message, ...(result.error.budget ? { budget: true as const } : {}) });
      return false;
    }
    if (depth === 0) this.collectPipes(result.file.stmts, text);
    this.stmts(result.file.stmts, text, depth);
    return true;
  }

  private collectPipes(stmts: Stmt[], text: MappedText): void {
    const todo = stmts.map((stmt) => ({ stmt, tested: false }));
    for (let item = todo.pop(); item; item = todo.pop()) {
      const c = item.stmt.cmd;
      const tested = item.tested || item.stmt.negated;
      if (c?.type === 'BinaryCmd' && (c.op === '|' || c.op === '|&')) {
        const raw = text.text.slice(c.p[2], c.e[2]).replace(/\s+/g, ' ');
        this.pipes.push({ span: text.spanOf(c.p[2], c.e[2]), text: raw.length > 60 ? `${raw.slice(0, 57)}...` : raw, ...(tested ? { tested: true as const } : {}) });
        continue;
      }
      // What a condition or the left of `||` runs is tested; the rest stands as it is.
      const conds = new Set<Stmt>();
      if (c?.type === 'IfClause') for (let cl: typeof c | null = c; cl; cl = cl.else) for (const st of cl.cond) conds.add(st);
      else if (c?.type === 'WhileClause') for (const st of c.cond) conds.add(st);
      else if (c?.type === 'BinaryCmd' && c.op === '||') conds.add(c.x);
      for (const child of childStmts(c)) todo.push({ stmt: child, tested: tested || conds.has(child) });
    }
    this.pipes.sort((a, b) => a.span.line - b.span.line || a.span.column - b.span.column);
  }

  private stmts(stmts: Stmt[], text: MappedText, depth: number): void {
    forEachCall(stmts, (call, stmt) => {
      const words = call.args.map((w) => shellWord(w, text));
      const callSpan = text.spanOf(call.p[2], call.e[2]);
      // `bash <<EOF ... EOF`: the heredoc is the script the shell reads on stdin.
      const hdoc = stmt.redirs.find((r) => (r.op === '<<' || r.op === '<<-') && r.hdoc)?.hdoc;
      const stdin = hdoc ? text.sub(hdoc.p[2], hdoc.e[2]) : null;
      this.argv(words, depth, callSpan, (i) => innerScript(call.args[i] as Word, text), stdin);
    });
  }

  /** One command's words (exec form, or a simple command of a script). */
  argv(words: ArgWord[], depth: number, span: Span, scriptOf: (index: number) => MappedText | null, stdin: MappedText | null = null): void {
    if (words.length === 0) return;
    const { prefixes, start } = unwrapPrefixes(words, (w) => w.value);
    const own = words.slice(start);
    const view = makeCommandView(own, words, prefixes, depth, span);
    this.commands.push(view);
    const dialect = view.name !== null ? shellDialect(view.name) : null;
    if (dialect === null || depth >= MAX_DEPTH || view.name === 'busybox') return;
    const at = shellScriptIndex(view.args);
    if (at >= 0) {
      const inner = scriptOf(start + 1 + at);
      if (inner) this.script(inner, dialect, depth + 1);
    } else if (stdin && view.args.every((a) => a.value !== null && /^[-+]/.test(a.value))) {
      this.script(stdin, dialect, depth + 1);
    }
  }
}

function shellWord(w: Word, text: MappedText): ArgWord {
  const start = text.originOf(w.p[2]);
  const end = w.e[2] > w.p[2] ? text.originOf(w.e[2] - 1) + 1 : start;
  return { value: wordLiteral(w), text: text.text.slice(w.p[2], w.e[2]), span: text.spanOf(w.p[2], w.e[2]), start, end };
}

/** The script of an `sh -c` word, mapped to the file: a quoted or plain literal word. */
function innerScript(w: Word, text: MappedText): MappedText | null {
  const only = w.parts.length === 1 ? w.parts[0] : undefined;
  if (only?.type === 'SglQuoted' || only?.type === 'DblQuoted') {
    // Between the quotes, as written (`$VAR` inside double quotes stays an expansion of the inner script).
    const dollar = only.type === 'SglQuoted' && text.text[only.p[2]] === '$' ? 1 : 0;
    return text.sub(only.p[2] + 1 + dollar, only.e[2] - 1);
  }
  if (wordLiteral(w) !== null && !text.text.slice(w.p[2], w.e[2]).includes('\\')) return text.sub(w.p[2], w.e[2]);
  return null;
}

/** Exec-form elements: their decoded values and where each JSON string sits in the text. */
export function execFormWords(text: MappedText, argv: readonly string[]): { words: ArgWord[]; scripts: (MappedText | null)[] } {
  const words: ArgWord[] = [];
  const scripts: (MappedText | null)[] = [];
  const t = text.text;
  let i = 0;
  for (const value of argv) {
    const open = t.indexOf('"', i);
    let close = open + 1;
    while (close < t.length && t[close] !== '"') close += t[close] === '\\' ? 2 : 1;
    i = close + 1;
    const start = text.originOf(open);
    const end = text.originOf(close) + 1;
    words.push({ value, text: t.slice(open, close + 1), span: text.spanOf(open, close + 1), start, end });
    const raw = t.slice(open + 1, close);
    if (!raw.includes('\\')) scripts.push(text.sub(open + 1, close));
    else {
      // Escapes make the decoded text longer or shorter than the source: map it all to the string's start.
      const b = MappedText.builder(text.file);
      for (let k = 0; k < value.length; k++) b.appendChar(value[k] as string, start);
      scripts.push(b.build(start));
    }
  }
  return { words, scripts };
}

/** The word sits in the file exactly as parsed (not decoded from a JSON escape): an edit at its offsets is exact. */
export function writtenAsIs(fileText: string, w: ArgWord): boolean {
  return fileText.slice(w.start, w.end) === w.text;
}
