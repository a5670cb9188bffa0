/**
 * `--fix-dry-run` / `--diff`: the changes `--fix` would make, as a unified diff (`git apply` and
 * `patch -p1` take it for ordinary text). For review on a terminal, what cannot be seen is named:
 * control characters other than tab as `\xNN`, a carriage return at the end of a line as `\r` (so that a CRLF
 * to LF fix shows), a byte order mark as `\ufeff`; such lines are for reading, not for `patch`.
 */
import path from 'node:path';
import { structuredPatch } from 'diff';
import { escapeControl } from '../reporters/escape.js';
import type { ChangedFile } from './run.js';

function shown(p: string, cwd: string): string {
  const rel = path.relative(cwd, p);
  return (rel.startsWith('..') || path.isAbsolute(rel) ? p : rel).split(path.sep).join('/');
}

/** A line of the diff as printed: control characters escaped, a final CR and a BOM made visible. */
function printable(line: string): string {
  const cr = line.endsWith('\r');
  const body = cr ? line.slice(0, -1) : line;
  // Tabs stay tabs (harmless on a terminal, and the indentation of most Dockerfiles).
  const shown = body.split('\t').map(escapeControl).join('\t');
  return `${shown.replace(/\uFEFF/g, '\\ufeff')}${cr ? '\\r' : ''}`;
}

export function unifiedDiff(changed: readonly ChangedFile[], cwd: string): string {
  let out = '';
  for (const c of changed) {
    const name = shown(c.path, cwd);
    const before = c.before.toString('utf8');
    const after = c.after.toString('utf8');
    // Split on LF only, so that removing a CR shows as a changed line.
    const patch = structuredPatch(`a/${name}`, `b/${name}`, before, after, '', '', { context: 3, stripTrailingCr: false });
    out += `--- a/${escapeControl(name)}\n+++ b/${escapeControl(name)}\n`;
    for (const h of patch.hunks) {
      out += `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@\n`;
      for (const line of h.lines) out += `${printable(line)}\n`;
    }
  }
  return out;
}
