/**
 * `--format checkstyle`: Checkstyle XML (Jenkins warnings-ng, reviewdog, GitLab/Bitbucket plugins):
 *
 *   <?xml version="1.0" encoding="UTF-8"?>
 *   <checkstyle version="4.3">
 *     <file name="Dockerfile">
 *       <error line="14" column="1" severity="error" message="..." source="dockerlint.root-process"/>
 *     </file>
 *   </checkstyle>
 *
 * Findings are grouped by file, files in the order they first appear. Severities map one to one
 * (error, warning, info). The message carries the hint and the evidence chain on lines of their
 * own (`&#10;`, which survives attribute-value normalisation).
 *
 * Text is escaped for XML 1.0: terminal control characters are first shown as `\xNN` (as in
 * every human-readable format; this also removes every C0 control XML 1.0 forbids), then `&`,
 * `<`, `>`, `"`, `'`, TAB, LF are written as references; lone surrogates and U+FFFE/U+FFFF, which
 * XML cannot carry either, become U+FFFD.
 */
import { chainText, type Finding } from '../findings.js';
import { escapeControlButWhitespace } from './escape.js';

const REFERENCES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** Escape text for an XML 1.0 attribute value (or element content). */
export function escapeXml(text: string): string {
  return escapeControlButWhitespace(text)
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/g, '\uFFFD')
    .replace(/[&<>"'\t\n\r]/g, (ch) => REFERENCES[ch]!);
}

export function formatCheckstyle(findings: Finding[]): string {
  const files = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = files.get(f.file);
    if (list) list.push(f);
    else files.set(f.file, [f]);
  }
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<checkstyle version="4.3">'];
  for (const [file, list] of files) {
    out.push(`  <file name="${escapeXml(file)}">`);
    for (const f of list) {
      const lines = [f.message];
      if (f.hint) lines.push(`fix: ${f.hint}`);
      if (f.related.length > 1) lines.push(`via: ${chainText(f)}`);
      out.push(
        `    <error line="${f.line}" column="${f.column}" severity="${f.severity}" message="${escapeXml(lines.join('\n'))}" source="${escapeXml(`dockerlint.${f.rule}`)}"/>`,
      );
    }
    out.push('  </file>');
  }
  out.push('</checkstyle>', '');
  return out.join('\n');
}
