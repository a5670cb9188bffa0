/**
 * Visiting every simple command of a shell AST, wherever it is nested: lists, pipelines,
 * if/case/loops, function bodies, subshells and command substitutions. Heredoc bodies and
 * comments are not commands and are not visited.
 */
import type { CallExpr, Command, Stmt, Word, WordPart } from './shell-ast.js';

/**
 * The statements nested directly in a command, in source order: the bodies of if/elif/else,
 * loops, case items, blocks, subshells, functions, both sides of `&&`/`||`/`|`, and the statement
 * of `time`/`coproc`. Not the commands inside words (`$(...)`): `forEachCall` adds those.
 */
export function childStmts(c: Command | null): Stmt[] {
  if (!c) return [];
  switch (c.type) {
    case 'IfClause': {
      const out: Stmt[] = [];
      for (let cl: typeof c | null = c; cl; cl = cl.else) out.push(...cl.cond, ...cl.then);
      return out;
    }
    case 'WhileClause':
      return [...c.cond, ...c.do];
    case 'ForClause':
      return c.do;
    case 'CaseClause':
      return c.items.flatMap((item) => item.stmts);
    case 'Block':
    case 'Subshell':
      return c.stmts;
    case 'BinaryCmd':
      return [c.x, c.y];
    case 'FuncDecl':
      return [c.body];
    case 'TimeClause':
      return c.stmt ? [c.stmt] : [];
    case 'CoprocClause':
      return [c.stmt];
    default:
      return [];
  }
}

export function forEachCall(stmts: Stmt[], visit: (call: CallExpr, stmt: Stmt) => void): void {
  const stmt = (s: Stmt): void => {
    if (s.cmd) command(s.cmd, s);
    for (const r of s.redirs) if (r.word) word(r.word);
  };
  const words = (ws: Word[]): void => ws.forEach(word);
  const word = (w: Word): void => w.parts.forEach(part);
  const part = (p: WordPart): void => {
    if (p.type === 'CmdSubst' || p.type === 'ProcSubst') p.stmts.forEach(stmt);
    else if (p.type === 'DblQuoted') p.parts.forEach(part);
    else if (p.type === 'ParamExp' && p.word) word(p.word);
  };
  const command = (c: Command, s: Stmt): void => {
    // Words that hold commands of their own, before the statements nested in `c`.
    switch (c.type) {
      case 'CallExpr':
        for (const a of c.assigns) if (a.value) word(a.value);
        words(c.args);
        if (c.args.length > 0) visit(c, s);
        return;
      case 'DeclClause':
        for (const a of c.args) if (a.value) word(a.value);
        return;
      case 'ForClause':
        if (c.items) words(c.items);
        break;
      case 'CaseClause':
        word(c.word);
        break;
      default:
        break;
    }
    childStmts(c).forEach(stmt);
  };
  stmts.forEach(stmt);
}
