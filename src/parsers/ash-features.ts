/**
 * What a script parsed with bash's grammar uses that busybox ash does not have. busybox ash (the
 * `/bin/sh` of Alpine, BusyBox and Wolfi) accepts much of bash (`[[ ]]`, `${v:0:1}`, `${v//a/b}`,
 * `$'...'`, `<<<`, `function f {`, `&>`), so a script is parsed with bash's grammar there; these
 * are the constructs it rejects ("bad substitution", "syntax error") or lacks:
 *
 * - arrays: `a=(x y)`, `${a[0]}`, `${a[@]}`, `${#a[@]}`, `declare -a`/`-A`;
 * - process substitution `<(cmd)` / `>(cmd)`;
 * - case modification `${v^^}`, `${v,,}`, indirection `${!v}`, `${!prefix*}`, `${v@Q}`;
 * - C-style loops `for ((i = 0; i < n; i++))`, and `coproc`.
 *
 * The walk is iterative (an explicit stack), so a deeply nested script cannot overflow it.
 */
import type { Command, Position, ShellFile, Stmt, Word, WordPart } from './shell-ast.js';
import { childStmts } from './shell-walk.js';

export interface AshProblem {
  /** What the construct is, for "has no ...": ``array expansions (`${args[@]}`)``. */
  what: string;
  p: Position;
}

/** The first construct of the script (in source order) that busybox ash rejects, or null. */
export function firstAshProblem(file: ShellFile, text: string): AshProblem | null {
  let first: AshProblem | null = null;
  const found = (what: string, p: Position): void => {
    if (!first || p[2] < first.p[2]) first = { what, p };
  };
  const snippet = (p: Position, e: Position): string => {
    const s = text.slice(p[2], e[2]).split('\n', 1)[0] ?? '';
    return s.length > 40 ? `${s.slice(0, 40)}…` : s;
  };
  type Item = { stmt: Stmt } | { word: Word } | { part: WordPart };
  const stack: Item[] = file.stmts.map((stmt) => ({ stmt })).reverse();
  const pushWords = (ws: (Word | null | undefined)[]): void => {
    for (let i = ws.length - 1; i >= 0; i--) {
      const w = ws[i];
      if (w) stack.push({ word: w });
    }
  };
  const command = (c: Command): void => {
    switch (c.type) {
      case 'CallExpr':
        for (const a of c.assigns) if (a.array) found(`array assignments (\`${snippet(a.p, a.e)}\`)`, a.p);
        pushWords([...c.assigns.map((a) => a.value), ...c.args]);
        break;
      case 'DeclClause': {
        for (const a of c.args) {
          if (a.array) found(`array assignments (\`${snippet(a.p, a.e)}\`)`, a.p);
          const opt = a.naked && a.name === '' && a.value?.parts.length === 1 && a.value.parts[0]?.type === 'Lit' ? a.value.parts[0].value : '';
          if ((c.variant === 'declare' || c.variant === 'typeset' || c.variant === 'local') && /^-[a-zA-Z]*[aA]/.test(opt)) found(`array declarations (\`${c.variant} ${opt}\`)`, a.p);
        }
        pushWords(c.args.map((a) => a.value));
        break;
      }
      case 'CoprocClause':
        found('`coproc`', c.p);
        break;
      case 'ForClause':
        if (c.name === null) found(`C-style for loops (\`${snippet(c.p, c.e)}\`)`, c.p);
        if (c.items) pushWords(c.items);
        break;
      case 'CaseClause':
        pushWords([c.word]);
        break;
      default:
        break;
    }
    const kids = childStmts(c);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ stmt: kids[i] as Stmt });
  };
  while (stack.length > 0) {
    const item = stack.pop() as Item;
    if ('stmt' in item) {
      const s = item.stmt;
      if (s.cmd) command(s.cmd);
      pushWords(s.redirs.map((r) => r.word));
    } else if ('word' in item) {
      for (let i = item.word.parts.length - 1; i >= 0; i--) stack.push({ part: item.word.parts[i] as WordPart });
    } else {
      const p = item.part;
      switch (p.type) {
        case 'ProcSubst':
          found(`process substitution (\`${p.op}...)\`)`, p.p);
          for (let i = p.stmts.length - 1; i >= 0; i--) stack.push({ stmt: p.stmts[i] as Stmt });
          break;
        case 'CmdSubst':
          for (let i = p.stmts.length - 1; i >= 0; i--) stack.push({ stmt: p.stmts[i] as Stmt });
          break;
        case 'DblQuoted':
          for (let i = p.parts.length - 1; i >= 0; i--) stack.push({ part: p.parts[i] as WordPart });
          break;
        case 'ParamExp': {
          const show = `\`${snippet(p.p, p.e)}\``;
          if (p.index !== null) found(`array expansions (${show})`, p.p);
          else if (p.excl) found(`indirect expansions (${show})`, p.p);
          else if (p.op === '^' || p.op === '^^' || p.op === ',' || p.op === ',,') found(`case-changing expansions (${show})`, p.p);
          else if (p.op === '@') found(`transformation expansions (${show})`, p.p);
          if (p.word) stack.push({ word: p.word });
          break;
        }
        default:
          break;
      }
    }
  }
  return first;
}
