/**
 * Fixes as the reporters print them: in JSON (edits with offsets and lines/columns, paths as the
 * findings show them), as SARIF `fixes`, and as text lines for the annotation formats.
 */
import type { Fix as SarifFix } from 'sarif';
import type { FindingFix } from '../findings.js';
import { BOM_START } from './edits.js';

export interface JsonFix {
  title: string;
  safety: 'safe' | 'unsafe';
  edits: { file: string; start: number; end: number; line: number; column: number; endLine: number; endColumn: number; text: string }[];
}

export function jsonFix(fix: FindingFix): JsonFix {
  return {
    title: fix.title,
    safety: fix.safety,
    edits: fix.edits.map((e) => ({ file: e.shown, start: e.start, end: e.end, ...e.span, text: e.text })),
  };
}

/**
 * SARIF 2.1.0 `fixes` (§3.55): one artifact change per file, a replacement per edit (region in
 * lines and UTF-16 columns, as the results' regions). The byte order mark is the first 3 bytes.
 */
export function sarifFix(fix: FindingFix, location: (file: string) => SarifFix['artifactChanges'][number]['artifactLocation']): SarifFix {
  const files = [...new Set(fix.edits.map((e) => e.shown))];
  return {
    description: { text: `${fix.title} (${fix.safety})` },
    artifactChanges: files.map((file) => ({
      artifactLocation: location(file),
      replacements: fix.edits
        .filter((e) => e.shown === file)
        .map((e) => ({
          deletedRegion:
            e.start === BOM_START
              ? { byteOffset: 0, byteLength: 3 }
              : { startLine: e.span.line, startColumn: e.span.column, endLine: e.span.endLine, endColumn: e.span.endColumn },
          ...(e.text ? { insertedContent: { text: e.text } } : {}),
        })),
    })),
    properties: { safety: fix.safety },
  };
}

/** `autofix (safe, dockerlint --fix): Use exec form` and, per edit, where and what it writes. */
export function fixLines(fix: FindingFix): string[] {
  const lines = [`autofix (${fix.safety}, dockerlint --fix${fix.safety === 'unsafe' ? ' --unsafe-fixes' : ''}): ${fix.title}`];
  if (fix.edits.length > 3) return lines;
  for (const e of fix.edits) {
    const at = `${e.shown}:${e.span.line}:${e.span.column}`;
    const what = e.start === BOM_START ? 'remove the byte order mark' : e.text === '' ? `delete to ${e.span.endLine}:${e.span.endColumn}` : e.start === e.end ? `insert ${JSON.stringify(e.text)}` : `replace to ${e.span.endLine}:${e.span.endColumn} with ${JSON.stringify(e.text)}`;
    lines.push(`  ${at}: ${what}`);
  }
  return lines;
}
