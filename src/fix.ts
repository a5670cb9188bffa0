/**
 * Applying fixes: the edits of several findings to the texts of their files, as `--fix` and the
 * fixture harness do. Edits are in UTF-16 offsets of a file's text; an edit that overlaps one
 * already taken is left out (ESLint does the same and lints again), and so is every other edit
 * of its fix, so a fix is applied whole or not at all.
 */
import type { Edit, Fix } from './findings.js';

/** The fixed text of every file the fixes change (`read` gives a file's current text, or null). */
export function applyFixes(fixes: readonly Fix[], read: (file: string) => string | null): Map<string, string> {
  const taken = new Map<string, Edit[]>();
  for (const fix of fixes) {
    const clashes = fix.edits.some((e) => (taken.get(e.file) ?? []).some((t) => overlaps(t, e)) || fix.edits.some((o) => o !== e && o.file === e.file && overlaps(o, e)));
    if (clashes) continue;
    for (const e of fix.edits) taken.set(e.file, [...(taken.get(e.file) ?? []), e]);
  }
  const out = new Map<string, string>();
  for (const [file, edits] of taken) {
    let text = read(file);
    if (text === null) continue;
    for (const e of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
      if (e.start < 0 || e.end > text.length || e.start > e.end) continue;
      text = text.slice(0, e.start) + e.text + text.slice(e.end);
    }
    out.set(file, text);
  }
  return out;
}

/** Two edits touch the same text (two insertions at one offset count: their order is unclear). */
function overlaps(a: Edit, b: Edit): boolean {
  return (a.start < b.end && b.start < a.end) || a.start === b.start;
}
