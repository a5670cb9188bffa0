/**
 * Building the evidence chain of a finding: from the Dockerfile line that starts a script,
 * through the COPY that put it in the image, to the line of the script.
 */
import type { Position, Stmt } from './parsers/shell-ast.js';
import type { Evidence, ScriptUnit } from './model/launch.js';
import type { CmdRef } from './model/evaluator/state.js';
import type { Place } from './rules/rule.js';
import { oneLine } from './text.js';

/** Source text of a node, on one line, shortened for messages. */
function snippet(unit: ScriptUnit, p: Position, e: Position, max = 60): string {
  const text = unit.source.text.slice(p[2], e[2]).replace(/\\\n\s*/g, ' ').split('\n')[0] ?? '';
  return oneLine(text, max);
}

/** The chain that leads to a script: `Dockerfile:14 ENTRYPOINT -> Dockerfile:9 COPY`. */
export function scriptChain(unit: ScriptUnit, dockerfile: string): Evidence[] {
  const chain: Evidence[] = [unit.startedAt];
  const origin = unit.origin;
  if (origin?.kind === 'written') {
    chain.push({ file: dockerfile, span: origin.write.instruction.keywordSpan, label: `RUN writes ${origin.write.path}` });
    for (const op of origin.via) chain.push({ file: dockerfile, span: op.instruction.keywordSpan, label: `${op.instruction.keyword} to ${unit.imagePath ?? ''}`.trim() });
  } else if (origin && origin.kind !== 'remote') {
    for (const op of [origin.op, ...origin.via]) {
      chain.push({ file: dockerfile, span: op.instruction.keywordSpan, label: `${op.instruction.keyword} to ${unit.imagePath ?? ''}`.trim() });
    }
  }
  return chain;
}

/** The place of a node of a script (its whole range), with the chain that leads there. */
export function atNode(unit: ScriptUnit, node: { p: Position; e: Position }, dockerfile: string, label?: string): Place {
  return {
    at: { file: unit.source.file.displayPath, span: unit.source.spanOf(node.p, withinText(node.e, unit.source.text)) },
    chain: unit.kind === 'file' ? scriptChain(unit, dockerfile) : [],
    label: writtenLine(unit, unit.source.text, node.p) + (label ?? snippet(unit, node.p, node.e)),
  };
}

/**
 * `/start.sh:2 ` for a place in a file that echo or printf in a RUN wrote: the Dockerfile line is
 * the command's, so the label says which line of the file it is. Empty elsewhere.
 */
function writtenLine(unit: ScriptUnit, text: string, p: Position): string {
  return unit.origin?.kind === 'written' && unit.source.noEdits && text === unit.source.text ? `${unit.imagePath ?? unit.origin.write.path}:${p[0]} ` : '';
}

/**
 * A node's end, kept inside the text: the shell parser puts the end of a statement that ends in
 * a backslash at end of file past the last character.
 */
function withinText(e: Position, text: string): Position {
  if (e[2] < text.length) return e;
  const lineStart = text.lastIndexOf('\n', text.length - 1) + 1;
  const line = text.slice(0, lineStart).split('\n').length;
  return [line, text.length - lineStart + 1, text.length];
}

/** The last line of a script that has any text, for findings about what is missing at the end. */
export function lastLine(unit: ScriptUnit): { p: Position; e: Position } {
  const text = unit.source.text.replace(/\s+$/, '');
  const start = text.lastIndexOf('\n') + 1;
  const line = text.slice(0, start).split('\n').length;
  const lineText = text.slice(start);
  return { p: [line, 1, start], e: [line, lineText.length + 1, text.length] };
}

/**
 * The place of a command the evaluator reached: in the script itself or in a file it sources,
 * with the `. file` statements in the chain.
 */
export function atRef(unit: ScriptUnit, c: Pick<CmdRef, 'stmt' | 'file' | 'sourcedVia'>, dockerfile: string, label?: string): Place {
  const src = c.file;
  const chain = unit.kind === 'file' ? scriptChain(unit, dockerfile) : [];
  for (const v of c.sourcedVia) {
    chain.push({ file: v.file.path, span: v.file.spanOf(v.stmt.p, v.stmt.e), label: v.file.text.slice(v.stmt.p[2], v.stmt.e[2]).split('\n')[0] ?? '.' });
  }
  return {
    at: { file: src.path, span: src.spanOf(c.stmt.p, withinText(c.stmt.e, src.text)) },
    chain,
    label: writtenLine(unit, src.text, c.stmt.p) + (label ?? refText(c)),
  };
}

/**
 * A compound statement (a loop) on one line, as it would be written so, shortened for messages:
 * `while true; do sleep 1000; done`. Printed from the AST, so comments inside it are left out.
 */
export function statementText(c: Pick<CmdRef, 'stmt' | 'file'>, max = 60): string {
  const full = oneLine(stmtLine(c.stmt, c.file.text), Infinity);
  const cmd = c.stmt.cmd;
  if (full.length <= max || (cmd?.type !== 'WhileClause' && cmd?.type !== 'ForClause')) return full;
  // Too long: the loop with the first statements of its body and `...` for the rest, never cut inside code.
  for (let k = cmd.do.length - 1; k >= 0; k--) {
    const short = { ...c.stmt, cmd: { ...cmd, do: cmd.do.slice(0, k) } };
    const text = oneLine(stmtLine(short, c.file.text, true), Infinity);
    if (text.length <= max || k === 0) return text;
  }
  return full;
}

/** A statement on one line from its AST: simple commands as written, compound ones rebuilt around them. */
function stmtLine(stmt: Stmt, text: string, more = false): string {
  const cmd = stmt.cmd;
  const amp = stmt.background ? ' &' : '';
  const list = (stmts: readonly Stmt[]): string => stmts.map((x, i) => `${stmtLine(x, text)}${i < stmts.length - 1 && !x.background ? ';' : ''}`).join(' ');
  const body = (stmts: readonly Stmt[]): string => (stmts.length === 0 ? '' : `${list(stmts)}${stmts[stmts.length - 1]?.background ? '' : ';'} `);
  // A loop shown with part of its body: `...` stands for the statements left out.
  const loopBody = (stmts: readonly Stmt[]): string => `${body(stmts)}${more ? '...; ' : ''}`;
  const src = (p: Position, e: Position): string => text.slice(p[2], e[2]).replace(/\\\n\s*/g, ' ');
  let out: string;
  switch (cmd?.type) {
    case 'WhileClause':
      out = `${cmd.until ? 'until' : 'while'} ${body(cmd.cond)}do ${loopBody(cmd.do)}done`;
      break;
    case 'ForClause': {
      const head = cmd.name === null ? (/^for\s*\(\([^\n]*?\)\)/.exec(src(cmd.p, cmd.e))?.[0] ?? 'for ((...))') : `for ${cmd.name}${cmd.items ? ` in ${cmd.items.map((w) => src(w.p, w.e)).join(' ')}` : ''}`;
      out = `${head}; do ${loopBody(cmd.do)}done`;
      break;
    }
    case 'IfClause': {
      const parts: string[] = [];
      for (let c: typeof cmd | null = cmd, first = true; c; c = c.else, first = false) {
        parts.push(c.cond.length === 0 ? `else ${body(c.then)}` : `${first ? 'if' : 'elif'} ${body(c.cond)}then ${body(c.then)}`);
      }
      out = `${parts.join('')}fi`;
      break;
    }
    case 'CaseClause':
      out = `case ${src(cmd.word.p, cmd.word.e)} in ${cmd.items.map((it) => `${it.patterns.map((w) => src(w.p, w.e)).join('|')}) ${list(it.stmts)}${it.stmts[it.stmts.length - 1]?.background ? ' ' : ''}${it.op} `).join('')}esac`;
      break;
    case 'Block':
      out = `{ ${body(cmd.stmts)}}`;
      break;
    case 'Subshell':
      out = `(${list(cmd.stmts)})`;
      break;
    case 'BinaryCmd':
      out = `${stmtLine(cmd.x, text)} ${cmd.op} ${stmtLine(cmd.y, text)}`;
      break;
    case 'FuncDecl':
      out = `${cmd.name}() ${stmtLine(cmd.body, text)}`;
      break;
    default: {
      // A simple command as written, up to a heredoc's body, without the `&` that is added back.
      const hdoc = stmt.redirs.find((r) => r.hdoc)?.hdoc;
      const end = hdoc && hdoc.p[2] < stmt.e[2] ? hdoc.p : stmt.e;
      return `${(src(stmt.p, end).split('\n')[0] ?? '').replace(/\s*[;&]\s*$/, '').trimEnd()}${amp}`;
    }
  }
  const redirs = stmt.redirs.map((r) => src(r.p, r.word?.e ?? r.p).split('\n')[0]).join(' ');
  return `${stmt.negated ? '! ' : ''}${out}${redirs ? ` ${redirs}` : ''}${amp}`;
}

/**
 * Source text of a command the evaluator reached, on one line, shortened for messages. A simple
 * command too long for `max` keeps its first whole words and ends in ` ...`: a word is never cut.
 */
export function refText(c: Pick<CmdRef, 'stmt' | 'file'>, max = 60): string {
  const upTo = (e: Position): string => oneLine(c.file.text.slice(c.stmt.p[2], e[2]).replace(/\\\n\s*/g, ' ').split('\n')[0] ?? '', Infinity);
  const full = upTo(c.stmt.e);
  const cmd = c.stmt.cmd;
  if (full.length <= max || cmd?.type !== 'CallExpr' || cmd.args.length < 2) return oneLine(full, max);
  let words = 1;
  while (words < cmd.args.length - 1 && upTo(cmd.args[words]!.e).length <= max) words++;
  return `${upTo(cmd.args[words - 1]!.e)} ...`;
}
