/**
 * Building the evidence chain of a finding: from the Dockerfile line that starts a script,
 * through the COPY that put it in the image, to the line of the script.
 */
import type { Position } from './parsers/shell-ast.js';
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
  if (origin && origin.kind !== 'remote') {
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
    label: label ?? snippet(unit, node.p, node.e),
  };
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
    label: label ?? refText(c),
  };
}

/**
 * A compound statement (a loop) on one line, as it would be written so, shortened for messages:
 * `while true; do sleep 1000; done`.
 */
export function statementText(c: Pick<CmdRef, 'stmt' | 'file'>, max = 60): string {
  const text = c.file.text.slice(c.stmt.p[2], c.stmt.e[2]);
  return oneLine(text.replace(/\b(do|then|else)[ \t]*\n\s*/g, '$1 ').replace(/[ \t]*\n\s*/g, '; '), max);
}

/** Source text of a command the evaluator reached, on one line, shortened for messages. */
export function refText(c: Pick<CmdRef, 'stmt' | 'file'>, max = 60): string {
  return oneLine(c.file.text.slice(c.stmt.p[2], c.stmt.e[2]).replace(/\\\n\s*/g, ' ').split('\n')[0] ?? '', max);
}
