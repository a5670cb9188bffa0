/**
 * `--format json`: a JSON array of findings. The fields are a public contract.
 */
import type { Finding } from '../findings.js';
import { escapeJson } from './escape.js';

export function formatJson(findings: Finding[]): string {
  return `${escapeJson(JSON.stringify(
    findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      hint: f.hint,
      file: f.file,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      related: f.related,
    })),
    null,
    2,
  ))}\n`;
}
