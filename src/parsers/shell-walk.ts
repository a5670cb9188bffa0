/**
 * Visiting every simple command of a shell AST, wherever it is nested: lists, pipelines,
 * if/case/loops, function bodies, subshells and command substitutions. Heredoc bodies and
 * comments are not commands and are not visited.
 */
import type { CallExpr, Command, Stmt, Word, WordPart } from './shell-ast.js';

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
    switch (c.type) {
      case 'CallExpr':
        for (const a of c.assigns) if (a.value) word(a.value);
        words(c.args);
        if (c.args.length > 0) visit(c, s);
        break;
      case 'IfClause': {
        for (let cl: typeof c | null = c; cl; cl = cl.else) {
          cl.cond.forEach(stmt);
          cl.then.forEach(stmt);
        }
        break;
      }
      case 'WhileClause':
        c.cond.forEach(stmt);
        c.do.forEach(stmt);
        break;
      case 'ForClause':
        if (c.items) words(c.items);
        c.do.forEach(stmt);
        break;
      case 'CaseClause':
        word(c.word);
        for (const item of c.items) item.stmts.forEach(stmt);
        break;
      case 'Block':
      case 'Subshell':
        c.stmts.forEach(stmt);
        break;
      case 'BinaryCmd':
        stmt(c.x);
        stmt(c.y);
        break;
      case 'FuncDecl':
        stmt(c.body);
        break;
      case 'DeclClause':
        for (const a of c.args) if (a.value) word(a.value);
        break;
      case 'TimeClause':
        if (c.stmt) stmt(c.stmt);
        break;
      case 'CoprocClause':
        stmt(c.stmt);
        break;
      default:
        break;
    }
  };
  stmts.forEach(stmt);
}
