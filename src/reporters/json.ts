/**
 * `--format json`: a JSON array of findings. The fields are a public contract: `messageId` is the
 * rule's message (null for input and syntax errors), `url` its documentation page, and `fix`
 * (when there is one) its title, safety and edits: the file as findings show it, offsets of the
 * file's text (after a byte order mark; -1 is the mark), lines and columns, and the new text.
 * `alsoStartedBy` (in a script several Dockerfiles start) lists where each Dockerfile other than
 * the one in `related` starts it.
 */
import type { Finding } from '../findings.js';
import { ruleDocUrl } from '../meta.js';
import { jsonFix } from '../fix/output.js';
import { escapeJson } from './escape.js';

export function formatJson(findings: Finding[]): string {
  return `${escapeJson(JSON.stringify(
    findings.map((f) => ({
      rule: f.rule,
      messageId: f.messageId ?? null,
      url: ruleDocUrl(f.rule),
      severity: f.severity,
      message: f.message,
      hint: f.hint,
      file: f.file,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      related: f.related,
      ...(f.alsoStartedBy ? { alsoStartedBy: f.alsoStartedBy } : {}),
      ...(f.fix ? { fix: jsonFix(f.fix) } : {}),
    })),
    null,
    2,
  ))}\n`;
}
