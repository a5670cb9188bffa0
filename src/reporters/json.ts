/**
 * `--format json`: a JSON array of findings. The fields are a public contract: `messageId` is the
 * rule's message (null for input and syntax errors), `url` its documentation page, and `fix`
 * (when there is one) edits in offsets of the file's text.
 */
import type { Finding } from '../findings.js';
import { ruleDocUrl } from '../meta.js';
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
      ...(f.fix ? { fix: f.fix } : {}),
    })),
    null,
    2,
  ))}\n`;
}
