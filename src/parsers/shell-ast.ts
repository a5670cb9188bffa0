/**
 * The compact shell AST that `wasm/shparse.go` (mvdan/sh compiled to WebAssembly) encodes and
 * `./shell.ts` decodes.
 *
 * It keeps only what dockerlint's analysis needs: statements, commands, words and their parts.
 * Everything else (test expressions, arithmetic) is kept as a node with a position, so that the
 * text can be sliced from the source when it is needed.
 *
 * Positions are tuples `[line, column, offset]`: line and column are 1-based, offset is 0-based.
 * After `parseShell` returns, offsets and columns count UTF-16 code units of the source string
 * (the Go side counts bytes; the loader converts when the source is not pure ASCII).
 * `p` is where a node starts, `e` is just past its end.
 */

export type Position = [line: number, column: number, offset: number];

interface Spanned {
  p: Position;
  e: Position;
}

export type Dialect = 'posix' | 'bash' | 'mksh';

export interface ShellFile {
  type: 'File';
  stmts: Stmt[];
  /** Every comment in the file, in source order (`text` without the leading `#`). */
  comments: ShellComment[];
}

export interface ShellComment {
  p: Position;
  text: string;
}

export interface Stmt extends Spanned {
  type: 'Stmt';
  /** null for a statement that is only redirections, e.g. `> file`. */
  cmd: Command | null;
  negated: boolean;
  background: boolean;
  redirs: Redirect[];
}

export interface Redirect extends Spanned {
  type: 'Redirect';
  /** The operator as written: `>`, `>>`, `<`, `<<`, `<<-`, `<<<`, `>&`, `&>`, ... */
  op: string;
  /** The file descriptor before the operator (`2` in `2>&1`), or null. */
  n: string | null;
  word: Word | null;
  /**
   * Body of a heredoc (`<<` and `<<-`), or null (also for an empty body). Never contains commands
   * to run. Its span is the body only; the redirect's `e` includes the closing delimiter line.
   */
  hdoc: Word | null;
}

export type Command =
  | CallExpr
  | IfClause
  | WhileClause
  | ForClause
  | CaseClause
  | Block
  | Subshell
  | BinaryCmd
  | FuncDecl
  | DeclClause
  | TimeClause
  | CoprocClause
  | TestClause
  | ArithmCmd
  | LetClause
  | OtherCommand;

export interface CallExpr extends Spanned {
  type: 'CallExpr';
  /** `FOO=bar` prefixes; with no args, a plain assignment statement. */
  assigns: Assign[];
  args: Word[];
}

export interface IfClause extends Spanned {
  type: 'IfClause';
  /** Empty for a plain `else` branch. */
  cond: Stmt[];
  then: Stmt[];
  /** The `elif`/`else` branch, or null when there is none. */
  else: IfClause | null;
}

export interface WhileClause extends Spanned {
  type: 'WhileClause';
  until: boolean;
  cond: Stmt[];
  do: Stmt[];
}

export interface ForClause extends Spanned {
  type: 'ForClause';
  /** Loop variable for `for x in ...; do`, null for C-style `for ((...))`. */
  name: string | null;
  /** Words after `in`; null when `in` is absent (iterates over "$@") or C-style. */
  items: Word[] | null;
  do: Stmt[];
}

export interface CaseClause extends Spanned {
  type: 'CaseClause';
  word: Word;
  items: CaseItem[];
}

export interface CaseItem extends Spanned {
  type: 'CaseItem';
  patterns: Word[];
  /** `;;`, `;&`, `;;&` or `;|`. */
  op: string;
  stmts: Stmt[];
}

export interface Block extends Spanned {
  type: 'Block';
  stmts: Stmt[];
}

export interface Subshell extends Spanned {
  type: 'Subshell';
  stmts: Stmt[];
}

export interface BinaryCmd extends Spanned {
  type: 'BinaryCmd';
  /** `&&`, `||`, `|` or `|&`. */
  op: string;
  x: Stmt;
  y: Stmt;
}

export interface FuncDecl extends Spanned {
  type: 'FuncDecl';
  name: string;
  body: Stmt;
}

export interface DeclClause extends Spanned {
  type: 'DeclClause';
  /** `declare`, `local`, `export`, `readonly`, `typeset` or `nameref`. */
  variant: string;
  args: Assign[];
}

export interface TimeClause extends Spanned {
  type: 'TimeClause';
  stmt: Stmt | null;
}

export interface CoprocClause extends Spanned {
  type: 'CoprocClause';
  stmt: Stmt;
}

/** `[[ ... ]]`: the expression is not modelled; slice the source between `p` and `e`. */
export interface TestClause extends Spanned {
  type: 'TestClause';
}

/** `(( ... ))`. */
export interface ArithmCmd extends Spanned {
  type: 'ArithmCmd';
}

export interface LetClause extends Spanned {
  type: 'LetClause';
}

/** Any other command node (e.g. `TestDecl`); `kind` is the mvdan/sh type name. */
export interface OtherCommand extends Spanned {
  type: 'Other';
  kind: string;
}

export interface Assign extends Spanned {
  type: 'Assign';
  /**
   * Variable name; for a naked `export FOO` or `local x` the name with no value.
   * Adaptation: a DeclClause argument that is not a name (an option such as `-r`, or an
   * expansion such as `"$var"`) has `name: ''`, `naked: true` and the argument in `value`.
   */
  name: string;
  value: Word | null;
  append: boolean;
  /** `a=(...)`: the array elements are not modelled. */
  array: boolean;
  /** True for a declaration with no `=` (`local x`, `export PATH`). */
  naked: boolean;
}

export interface Word extends Spanned {
  type: 'Word';
  parts: WordPart[];
}

export type WordPart = Lit | SglQuoted | DblQuoted | ParamExp | CmdSubst | ArithmExp | ProcSubst | ExtGlob | OtherPart;

export interface Lit extends Spanned {
  type: 'Lit';
  /** The literal as written (backslash escapes are kept, e.g. `\\$`). */
  value: string;
}

export interface SglQuoted extends Spanned {
  type: 'SglQuoted';
  value: string;
  /** `$'...'` (ANSI-C quoting). */
  dollar: boolean;
}

export interface DblQuoted extends Spanned {
  type: 'DblQuoted';
  parts: WordPart[];
  /** `$"..."`. */
  dollar: boolean;
}

export interface ParamExp extends Spanned {
  type: 'ParamExp';
  /** Parameter name: `@`, `*`, `0`, `1`, `#`, `?`, `HOME`, `BASH_SOURCE`, ... */
  param: string;
  /** `$x` rather than `${x}`. */
  short: boolean;
  /** `${#x}`. */
  length: boolean;
  /** `${!x}`. */
  excl: boolean;
  /** Index word text for `${a[0]}` / `${a[@]}`, or null. */
  index: string | null;
  /**
   * The expansion operator, or null: `:-`, `-`, `:=`, `=`, `:?`, `?`, `:+`, `+`, `#`, `##`,
   * `%`, `%%`, `^`, `^^`, `,`, `,,`, `@` for `${x@Q}`; `/`, `//` for replacements; `:` for slices.
   * Also `*` / `@` (with `excl` true and `word` null) for the name listings `${!prefix*}` /
   * `${!prefix@}`.
   */
  op: string | null;
  /** The word after the operator (`${x:-word}`), or null. */
  word: Word | null;
}

export interface CmdSubst extends Spanned {
  type: 'CmdSubst';
  stmts: Stmt[];
  backquotes: boolean;
}

/** `$((...))`: its expression, or null for one the encoding does not carry. */
export interface ArithmExp extends Spanned {
  type: 'ArithmExp';
  x: ArithmExpr | null;
}

/** An arithmetic expression: operators as mvdan/sh spells them (`+`, `-`, `<=`, `++`, `=`, `?`, `:`), operands as words (`OPTIND`, `1`, `$n`). */
export type ArithmExpr =
  | { type: 'BinaryArithm'; op: string; x: ArithmExpr | null; y: ArithmExpr | null }
  | { type: 'UnaryArithm'; op: string; post: boolean; x: ArithmExpr | null }
  | { type: 'ParenArithm'; x: ArithmExpr | null }
  | { type: 'ArithmWord'; word: Word };

export interface ProcSubst extends Spanned {
  type: 'ProcSubst';
  /** `<(` or `>(`. */
  op: string;
  stmts: Stmt[];
}

export interface ExtGlob extends Spanned {
  type: 'ExtGlob';
  op: string;
  pattern: string;
}

export interface OtherPart extends Spanned {
  type: 'Other';
  kind: string;
}

export interface ShellSyntaxError {
  message: string;
  p: Position;
  /** True when the input ended too early (unclosed quote, missing `fi`, ...). */
  incomplete: boolean;
  /** Not a syntax error: the text is over the parse budget (parsers/shell-budget.ts) and was not parsed. */
  budget?: true;
}

export type ShellParseResult = { ok: true; file: ShellFile } | { ok: false; error: ShellSyntaxError };
