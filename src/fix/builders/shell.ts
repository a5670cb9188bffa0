/**
 * Fixes inside shell scripts (entrypoint files, heredocs, shell-form strings), built from the
 * mvdan/sh AST: where `exec` may go, how `"$@"` is written, what replaces `su`/`sudo`.
 */
import type { ScriptText } from '../../model/launch.js';
import { shellQuote } from '../../text.js';
import { isSelfReference, wordLiteral } from '../../model/commands.js';
import type { CallExpr, Command, ShellFile, Stmt, Word, WordPart } from '../../parsers/shell-ast.js';
import { childStmts, forEachCall } from '../../parsers/shell-walk.js';
import type { Edit, Fix } from '../edits.js';
import { scriptEdit } from './place.js';

/** The parts of a script unit a fix needs. */
export interface ScriptTarget {
  source: ScriptText;
  ast: ShellFile;
}

/**
 * Builtins and keywords that `exec` cannot run (`exec cd` fails: there is no such program), or
 * whose meaning changes under it. `exec` in front of one of these is never offered.
 */
const NOT_EXECUTABLE = new Set([
  '.', ':', 'source', 'eval', 'exec', 'exit', 'return', 'set', 'unset', 'shift', 'export', 'readonly', 'local', 'declare', 'typeset',
  'cd', 'wait', 'trap', 'read', 'break', 'continue', 'alias', 'unalias', 'ulimit', 'umask', 'builtin', 'command', 'jobs', 'fg', 'bg',
  'hash', 'type', 'getopts', 'let', 'shopt', 'enable', 'pushd', 'popd', 'dirs', 'disown', 'suspend', 'times', 'caller', 'mapfile', 'readarray',
]);

/** `exec` cannot run the word: a shell builtin or keyword, not a program (`cd`, `.`, `wait`). */
export function execCannotRun(name: string): boolean {
  return NOT_EXECUTABLE.has(name);
}

function contains(outer: { p: [number, number, number]; e: [number, number, number] }, inner: Stmt): boolean {
  return inner.p[2] >= outer.p[2] && inner.e[2] <= outer.e[2];
}

/**
 * Whether `target` is in tail position of `stmts`: nothing of the list runs after it, through
 * if/case branches, blocks and the right side of `&&`/`||`. Never inside a loop, a pipeline, a
 * subshell, a command substitution or a background job.
 */
function tailOf(stmts: readonly Stmt[], target: Stmt, last = true): boolean {
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i] as Stmt;
    const isLast = !last || i === stmts.length - 1;
    if (s === target) return isLast && !s.background && !s.negated;
    if (contains(s, target)) return isLast && !s.background && tailInCommand(s.cmd, target, last);
  }
  return false;
}

/**
 * `last`: nothing runs after `target`. Without it: `target` is run by the script's own shell
 * (not in a loop, a pipeline, a subshell or the background) wherever it is in the flow.
 */
function tailInCommand(c: Command | null, target: Stmt, last = true): boolean {
  if (!c) return false;
  switch (c.type) {
    case 'IfClause':
      for (let cl: typeof c | null = c; cl; cl = cl.else) {
        if (cl.cond.some((s) => contains(s, target))) return false;
        if (cl.then.some((s) => contains(s, target))) return tailOf(cl.then, target, last);
      }
      return false;
    case 'CaseClause':
      for (const item of c.items) if (item.stmts.some((s) => contains(s, target))) return item.op === ';;' && tailOf(item.stmts, target, last);
      return false;
    case 'Block':
      return tailOf(c.stmts, target, last);
    case 'BinaryCmd':
      if (c.op !== '&&' && c.op !== '||') return false;
      return c.y === target ? !c.y.background && !c.y.negated : contains(c.y, target) && !c.y.background && tailInCommand(c.y.cmd, target, last);
    default:
      return false;
  }
}

/** Function declarations of a script, by name. */
function functionsOf(ast: ShellFile): Map<string, { body: Stmt; decl: Stmt }> {
  const out = new Map<string, { body: Stmt; decl: Stmt }>();
  const visit = (s: Stmt): void => {
    if (s.cmd?.type === 'FuncDecl' && !out.has(s.cmd.name)) out.set(s.cmd.name, { body: s.cmd.body, decl: s });
    childStmts(s.cmd).forEach(visit);
  };
  ast.stmts.forEach(visit);
  return out;
}

function callsOf(ast: ShellFile, name: string): Stmt[] {
  const out: Stmt[] = [];
  forEachCall(ast.stmts, (call, stmt) => {
    const w = call.args[0];
    if (w && wordLiteral(w) === name) out.push(stmt);
  });
  return out;
}

/**
 * Whether nothing of the script runs after `target`: it is in tail position of the script, or of
 * a function called exactly once, from tail position.
 */
function isLastOnItsPath(ast: ShellFile, target: Stmt, depth = 0): boolean {
  if (tailOf(ast.stmts, target)) return true;
  if (depth > 4) return false;
  for (const [name, fn] of functionsOf(ast)) {
    if (!contains(fn.body, target)) continue;
    const body = fn.body.cmd?.type === 'Block' || fn.body.cmd?.type === 'Subshell' ? fn.body.cmd : null;
    if (!body || body.type === 'Subshell' || !tailOf(body.stmts, target)) return false;
    const calls = callsOf(ast, name);
    return calls.length === 1 && isLastOnItsPath(ast, calls[0] as Stmt, depth + 1);
  }
  return false;
}

/** Whether the script's own shell runs `target` (not a loop, pipeline, subshell, or function). */
function inScriptShell(ast: ShellFile, target: Stmt): boolean {
  return tailOf(ast.stmts, target, false);
}

/** Literal values assigned to a variable anywhere in the script; null when one is not literal. */
function assignedValues(ast: ShellFile, name: string): string[] | null {
  const values: string[] = [];
  let unknown = false;
  const visit = (s: Stmt): void => {
    const c = s.cmd;
    if (c?.type === 'CallExpr' || c?.type === 'DeclClause') {
      const assigns = c.type === 'CallExpr' ? c.assigns : c.args;
      for (const a of assigns) {
        if (a.name !== name) continue;
        const v = a.value ? wordLiteral(a.value) : '';
        if (v === null || a.array) unknown = true;
        else values.push(v);
      }
    }
    if (c?.type === 'ForClause' && c.name === name) unknown = true;
    childStmts(c).forEach(visit);
  };
  ast.stmts.forEach(visit);
  return unknown ? null : values;
}

/** Why `exec` cannot go in front of this command, or null. */
function execBlocker(target: ScriptTarget, call: CallExpr): string | null {
  const head = call.args[0];
  if (!head) return 'no command';
  const lit = wordLiteral(head);
  const functions = functionsOf(target.ast);
  if (lit !== null) {
    if (lit === 'exec') return 'already exec';
    if (NOT_EXECUTABLE.has(lit)) return `${lit} is a shell builtin`;
    if (functions.has(lit)) return `${lit} is a shell function`;
    return null;
  }
  // `"$@"` (and `$1`...): the container's command, run as a program.
  const only = head.parts.length === 1 ? head.parts[0] : null;
  const inner = only?.type === 'DblQuoted' && only.parts.length === 1 ? only.parts[0] : only;
  if (inner?.type !== 'ParamExp' || inner.length || inner.excl || inner.op !== null) return 'the command is computed';
  if (/^[@*0-9]$/.test(inner.param)) return null;
  // A variable: only when every value it is given is a program (not `exec ...`, not a function).
  const values = assignedValues(target.ast, inner.param);
  if (values === null || values.length === 0) return `$${inner.param} is not known`;
  for (const v of values) {
    const first = v.trim().split(/\s+/)[0] ?? '';
    if (first === '' || first === 'exec' || NOT_EXECUTABLE.has(first) || functions.has(first)) return `$${inner.param} holds \`${v}\``;
  }
  return null;
}

/**
 * `exec ` in front of a command that ends its path, so that it replaces the shell. Unsafe: the
 * shell no longer waits for it (an EXIT trap or a cleanup after it no longer runs). Never in
 * front of a builtin, a function, or a variable that holds `exec ...` already.
 */
export function prependExec(target: ScriptTarget, stmt: Stmt, title = 'Put exec in front of the last command', reexec = false): Fix | null {
  if (stmt.cmd?.type !== 'CallExpr' || stmt.background || stmt.negated) return null;
  const call = stmt.cmd;
  if (execBlocker(target, call) !== null) return null;
  // A hand-over that re-runs the script (`gosu redis "$0" "$@"`) runs what follows it itself.
  if (!(isLastOnItsPath(target.ast, stmt) || (reexec && inScriptShell(target.ast, stmt)))) return null;
  const head = call.args[0] as Word;
  const edit = scriptEdit(target.source, head.p, head.p, 'exec ');
  return edit ? { safety: 'unsafe', title, edits: [edit] } : null;
}

/** `exec $@`, `exec "$*"` -> `exec "$@"`: the arguments passed on intact. Safe. */
export function quoteArgs(target: ScriptTarget, word: Word): Fix | null {
  const only = word.parts.length === 1 ? word.parts[0] : null;
  const inner = only?.type === 'DblQuoted' && only.parts.length === 1 ? only.parts[0] : only;
  // Only the whole word `$@`, `$*`, `"$*"`, `${@}`: glued text (`x$@`) has no exact equivalent.
  if (inner?.type !== 'ParamExp' || !['@', '*'].includes(inner.param) || inner.length || inner.excl || inner.op !== null) return null;
  const edit = scriptEdit(target.source, word.p, word.e, '"$@"');
  return edit ? { safety: 'safe', title: 'Pass the arguments as "$@"', edits: [edit] } : null;
}


/** The literal words of a statement that is one simple command and nothing else, or null. */
export function literalCommand(stmt: Stmt): string[] | null {
  if (stmt.cmd?.type !== 'CallExpr' || stmt.background || stmt.negated || stmt.redirs.length > 0 || stmt.cmd.assigns.length > 0) return null;
  const words: string[] = [];
  for (const w of stmt.cmd.args) {
    const v = strictLiteral(w);
    if (v === null) return null;
    words.push(v);
  }
  return words.length > 0 ? words : null;
}

/**
 * A word's value when the shell leaves it as written: no expansion, no globbing (`*`, `?`, `[`),
 * no tilde or brace expansion, no escaped newline.
 */
function strictLiteral(w: Word): string | null {
  for (const p of w.parts) {
    if (p.type === 'Lit' && /[*?[\]{}~]|\\\n/.test(p.value)) return null;
    if (p.type === 'SglQuoted' && p.dollar) return null;
    if (p.type === 'DblQuoted' && p.dollar) return null;
  }
  return wordLiteral(w);
}

/** A user name gosu can take as written: a name, a uid, or `user:group` (not root). */
export function plainUser(user: string | null | undefined): user is string {
  return user != null && /^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/.test(user) && !/^(root|0)(:|$)/.test(user);
}

export interface SwitchFix {
  /** `exec gosu user ...` in place of the su/sudo command (the whole statement's command). */
  edit: Edit;
  /** The replacement text, for the message. */
  text: string;
}

/**
 * `su user -c "cmd"`, `sudo -u user cmd`, `runuser -u user -- cmd` -> `exec gosu user cmd`.
 * The command string of `su -c` is parsed: one simple command with literal words becomes those
 * words; `"$*"`/`"$@"` becomes `"$@"`; anything else runs through `sh -c` as before.
 */
export function gosuReplacement(
  target: ScriptTarget,
  stmt: Stmt,
  sw: { tool: string; user: string | null; command: Word[]; commandString: string | null },
  parse: (text: string) => ShellFile | null,
): SwitchFix | null {
  if (stmt.cmd?.type !== 'CallExpr' || stmt.background || stmt.negated || stmt.cmd.assigns.length > 0) return null;
  if (!plainUser(sw.user)) return null;
  const all = stmt.cmd.args;
  // `[exec] su ...`: the tool is the first word, or the second after `exec` (not behind `env`).
  const skip = all[0] && wordLiteral(all[0]) === 'exec' ? 1 : 0;
  const args = all.slice(skip + 1);
  const toolWord = all[skip] ? wordLiteral(all[skip] as Word) : null;
  if (toolWord === null || toolWord.split('/').pop() !== sw.tool) return null;
  // Nothing after it may run: it is exec'd already, ends its path, or re-runs the script.
  const reexec = sw.command.length > 0 && isSelfReference(sw.command[0] as Word);
  if (!(skip === 1 ? inScriptShell(target.ast, stmt) : isLastOnItsPath(target.ast, stmt) || (reexec && inScriptShell(target.ast, stmt)))) return null;
  const lits = args.map((w) => wordLiteral(w));
  const commandAt = sw.command.length > 0 ? args.indexOf(sw.command[0] as Word) : args.length;
  const options = lits.slice(0, commandAt < 0 ? args.length : commandAt);
  // Options that make su/sudo do what gosu does not: a login shell, another group, a background job.
  if (options.some((l) => l !== null && /^(-|-l|--login|-i|-g|--group|-G|--supp-group|-b|--background|-P|--pty)$/.test(l))) return null;
  if (sw.tool === 'sudo' && options.some((l) => l === '-s' || l === '--shell')) return null;
  let command: string;
  if (sw.tool === 'su' || (sw.tool === 'runuser' && lits.includes('-c'))) {
    const at = lits.findIndex((l) => l === '-c' || l === '--command');
    const word = at >= 0 ? args[at + 1] : undefined;
    if (at < 0 || !word || at + 2 !== args.length) return null;
    const only = word.parts.length === 1 && word.parts[0]?.type === 'DblQuoted' ? word.parts[0].parts : null;
    const single = only && only.length === 1 ? only[0] : null;
    const isArgs = (p: WordPart | undefined): boolean => p?.type === 'ParamExp' && ['*', '@'].includes(p.param) && p.op === null && !p.length;
    const isZero = (p: WordPart | undefined): boolean => p?.type === 'ParamExp' && p.param === '0' && p.op === null && !p.length;
    if (isArgs(single ?? undefined)) command = '"$@"';
    // `su user -c "$0 $*"`: the script re-run as the user, with its arguments.
    else if (only && only.length === 3 && isZero(only[0]) && only[1]?.type === 'Lit' && only[1].value === ' ' && isArgs(only[2])) command = '"$0" "$@"';
    else {
      const text = strictLiteral(word);
      if (text === null) return null;
      const parsed = parse(text);
      const one = parsed && parsed.stmts.length === 1 ? literalCommand(parsed.stmts[0] as Stmt) : null;
      command = one ? one.map(shellQuote).join(' ') : `sh -c ${shellQuote(text)}`;
    }
  } else {
    if (sw.command.length === 0) return null;
    const first = sw.command[0] as Word;
    const last = sw.command[sw.command.length - 1] as Word;
    command = target.source.text.slice(first.p[2], last.e[2]);
    if (command.includes('\n')) return null;
  }
  const head = all[0];
  const lastArg = all[all.length - 1];
  if (!head || !lastArg) return null;
  const text = `exec gosu ${sw.user} ${command}`;
  // Replace from the first word of the command (an `exec` in front included) to its last word.
  const edit = scriptEdit(target.source, head.p, lastArg.e, text);
  return edit ? { edit, text } : null;
}
