/**
 * `--format compact`: one line per finding, for grep, editors' error parsers and terse CI logs:
 *
 *   Dockerfile:14:1: error root-process: The main process ... runs as root ...
 *
 * Terminal control characters are shown as `\xNN` (escapeControl); a line break in a message
 * becomes a space, and one in a file name `\x0a`, so every finding stays on one line.
 */
import type { Finding } from '../findings.js';
import { escapeControl } from './escape.js';

function oneLine(text: string): string {
  return escapeControl(text.replace(/\r\n|\r|\n/g, ' '));
}

function fileName(file: string): string {
  return escapeControl(file);
}

export function formatCompact(findings: Finding[]): string {
  return findings
    .map((f) => `${fileName(f.file)}:${f.line}:${f.column}: ${f.severity} ${oneLine(f.rule)}: ${oneLine(f.message)}\n`)
    .join('');
}
