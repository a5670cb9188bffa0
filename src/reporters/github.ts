/**
 * `--format github`: GitHub Actions workflow commands, one a line, which the runner turns into
 * annotations on the pull request:
 *
 *   ::error file=Dockerfile,line=14,col=1,endLine=14,endColumn=10,title=dockerlint (root-process)::message%0Afix: ...
 *
 * error -> `::error`, warning -> `::warning`, info -> `::notice`. The hint, the evidence chain
 * and the fix (its safety, title and each edit's place and text: workflow commands cannot post
 * suggestions) follow the message on lines of their own (escaped as %0A).
 *
 * Escaping: the message (data) has `%`, CR and LF percent-encoded; property values also `:` and
 * `,`. Other control characters (an ANSI sequence in a file name, say) are then shown as `\xNN`
 * so they never reach the log raw.
 *
 * Positions: the runner accepts columns only on a one-line annotation, so `col`/`endColumn` are
 * sent only when the finding starts and ends on the same line; `endColumn` is inclusive there
 * (dockerlint's end is exclusive). A finding on stdin (`-`) has no file to annotate: it carries no
 * position properties, and its message starts with `-:line:col:`.
 */
import { chainText, type Finding, type Severity } from '../findings.js';
import { escapeControl } from './escape.js';
import { fixLines } from '../fix/output.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

export function escapeData(text: string): string {
  return escapeControl(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

export function escapeProperty(text: string): string {
  return escapeControl(
    text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/:/g, '%3A').replace(/,/g, '%2C'),
  );
}

function position(f: Finding): [string, number][] {
  const line = Math.max(1, f.line);
  let endLine = Math.max(line, f.endLine);
  let endColumn: number | null = f.endColumn - 1; // inclusive
  if (endLine > line && endColumn < 1) {
    // The span ends at the start of a line: it really ends on the line before.
    endLine--;
    endColumn = null;
  }
  if (endLine !== line) return [['line', line], ['endLine', endLine]];
  const col = Math.max(1, f.column);
  const props: [string, number][] = [['line', line], ['col', col], ['endLine', endLine]];
  if (endColumn !== null) props.push(['endColumn', Math.max(col, endColumn)]);
  return props;
}

export function formatGithub(findings: Finding[]): string {
  return findings
    .map((f) => {
      const stdin = f.file === '-';
      const props: [string, string | number][] = stdin
        ? []
        : [['file', f.file.replace(/\\/g, '/')], ...position(f)];
      props.push(['title', `dockerlint (${f.rule})`]);
      const lines = [stdin ? `-:${f.line}:${f.column}: ${f.message}` : f.message];
      if (f.hint) lines.push(`fix: ${f.hint}`);
      if (f.related.length > 1) lines.push(`via: ${chainText(f)}`);
      if (f.fix) lines.push(...fixLines(f.fix));
      const properties = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
      return `::${COMMAND[f.severity]} ${properties}::${escapeData(lines.join('\n'))}\n`;
    })
    .join('');
}
