/**
 * From positions in a parsed text to edits of the file it came from. A script's text may be the
 * file itself, a heredoc of the Dockerfile or a shell-form string (mapped to the Dockerfile through
 * its line continuations); an edit is only made where the file holds exactly the text the parser
 * saw, so that a fix can never land beside its target.
 */
import type { ScriptText } from '../../model/launch.js';
import type { Position } from '../../parsers/shell-ast.js';
import type { MappedText } from '../../parsers/source.js';
import type { Edit } from '../edits.js';

/** An edit replacing the node [p, e) of a script (an insertion when p = e); null when unsure. */
export function scriptEdit(source: ScriptText, p: Position, e: Position, text: string): Edit | null {
  if (source.noEdits) return null;
  const file = source.file;
  const span = source.spanOf(p, e);
  const start = file.offsetOf(span.line, span.column);
  const end = p[2] === e[2] ? start : file.offsetOf(span.endLine, span.endColumn);
  if (start < 0 || end < start || end > file.text.length) return null;
  if (p[2] === e[2]) {
    // An insertion: the word after it must be what the parser saw there.
    const want = (/^[^\s]*/.exec(source.text.slice(p[2], p[2] + 64))?.[0] ?? '').slice(0, 16);
    const got = file.text.slice(start, start + want.length);
    if (got !== want) return null;
  } else if (file.text.slice(start, end).replace(/\r\n/g, '\n') !== source.text.slice(p[2], e[2])) {
    return null;
  }
  return { file: file.displayPath, start, end, text };
}

/** The file offsets of a whole mapped text (a Dockerfile instruction's arguments). */
export function mappedRange(text: MappedText): { start: number; end: number } {
  const start = text.originOf(0);
  const end = text.text.length > 0 ? text.originOf(text.text.length - 1) + 1 : start;
  return { start, end };
}
