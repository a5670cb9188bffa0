/**
 * Fixes as data, and the choice of the fixes one pass can apply together.
 *
 * A fix is a set of text edits, possibly in several files (a Dockerfile finding may edit the
 * script it starts). Offsets are UTF-16 offsets into a file's text as dockerlint read it, after
 * its byte order mark: offset 0 is the first character after the mark. The mark itself is the
 * range [-1, 0), so that the one fix that removes it (`bomEdit`) is an edit like the others. An
 * edit's file is an absolute path (or, from a rule, the path the file is shown as: the engine
 * turns it into the real path of a file the lint read).
 */

import type { Edit, Fix } from '../findings.js';

export type { Edit, Fix };

/** Where a byte order mark sits in offsets that start after it. */
export const BOM_START = -1;

/** The edit that removes a file's byte order mark. */
export function bomEdit(file: string): Edit {
  return { file, start: BOM_START, end: 0, text: '' };
}

/** A fix offered by a finding of a rule. */
export interface FixCandidate {
  rule: string;
  fix: Fix;
}

export interface Choice<C extends FixCandidate> {
  /** Fixes to apply now: no edit of one touches an edit of another. */
  chosen: C[];
  /** Fixes left for the next pass because they touch a chosen one. */
  deferred: C[];
  /** Fixes that can never apply (edits that overlap each other, or reversed ranges). */
  invalid: { candidate: C; reason: string }[];
}

/**
 * Whether two edits of the same file conflict. Ranges that overlap conflict, and so do ranges that
 * merely touch (an insertion at the end of a replaced range, two insertions at one place): the
 * order of the results would be a guess, so one waits for the next pass, as ESLint does.
 */
function editsConflict(a: Edit, b: Edit): boolean {
  return a.file === b.file && a.start <= b.end && b.start <= a.end;
}

function problemOf(fix: Fix): string | null {
  if (fix.edits.length === 0) return 'the fix has no edits';
  for (const e of fix.edits) {
    if (!Number.isInteger(e.start) || !Number.isInteger(e.end) || e.start > e.end) return `reversed or broken range ${e.start}-${e.end}`;
    if (e.start < BOM_START || (e.start === BOM_START && (e.end !== 0 || e.text !== ''))) return 'an edit before the start of the file';
  }
  const sorted = [...fix.edits].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start || a.end - b.end));
  for (let i = 1; i < sorted.length; i++) {
    const p = sorted[i - 1] as Edit;
    const e = sorted[i] as Edit;
    // Within one fix, edits may touch but not overlap (deleting every CR of a file is many edits).
    if (p.file === e.file && e.start < p.end) return 'two edits of the fix overlap';
    if (p.file === e.file && p.start === p.end && e.start === e.end && p.start === e.start) return 'two insertions at one place';
  }
  return null;
}

/** Two fixes that make exactly the same edits (one script started by two Dockerfiles). */
function sameEdits(a: Fix, b: Fix): boolean {
  if (a.edits.length !== b.edits.length) return false;
  const key = (e: Edit): string => `${e.file}\0${e.start}\0${e.end}\0${e.text}`;
  const ka = a.edits.map(key).sort();
  const kb = b.edits.map(key).sort();
  return ka.every((k, i) => k === kb[i]);
}

/**
 * Picks, in order, each fix whose edits conflict with no fix picked before it. A fix is applied
 * whole or not at all, in every file it touches. Duplicates of a picked fix are dropped.
 */
export function chooseFixes<C extends FixCandidate>(candidates: readonly C[]): Choice<C> {
  const chosen: C[] = [];
  const deferred: C[] = [];
  const invalid: { candidate: C; reason: string }[] = [];
  for (const c of candidates) {
    const problem = problemOf(c.fix);
    if (problem) {
      invalid.push({ candidate: c, reason: problem });
      continue;
    }
    if (chosen.some((p) => sameEdits(p.fix, c.fix))) continue;
    const clash = chosen.some((p) => p.fix.edits.some((a) => c.fix.edits.some((b) => editsConflict(a, b))));
    if (clash) deferred.push(c);
    else chosen.push(c);
  }
  return { chosen, deferred, invalid };
}

/**
 * Applies edits of one file to its text (after the mark). Returns the new text and whether the
 * byte order mark is to be removed. The edits must not overlap (`chooseFixes` guarantees it).
 * `eol` is the file's newline: a `\n` in inserted text becomes `\r\n` in a CRLF file.
 */
export function applyEdits(text: string, edits: readonly Edit[], eol: '\n' | '\r\n' = '\n'): { text: string; removeBom: boolean } {
  let removeBom = false;
  const ordered = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of ordered) {
    if (e.start === BOM_START) {
      removeBom = true;
      continue;
    }
    if (e.end > out.length) throw new Error(`edit ${e.start}-${e.end} is past the end of the file (${out.length})`);
    const inserted = eol === '\r\n' ? e.text.replace(/\r?\n/g, '\r\n') : e.text;
    out = out.slice(0, e.start) + inserted + out.slice(e.end);
  }
  return { text: out, removeBom };
}

/** The newline a file uses: CRLF when most of its line ends are CRLF. */
export function newlineOf(text: string): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/**
 * Keeps a file's last line as it was: with a final newline if it had one, without one if it had
 * none. Only the end of the file is looked at; a fix that converts CRLF keeps its own newline.
 */
export function keepFinalNewline(before: string, after: string): string {
  if (before === '' || after === '') return after;
  const had = before.endsWith('\n');
  const has = after.endsWith('\n');
  if (had && !has) return after + (before.endsWith('\r\n') ? '\r\n' : '\n');
  if (!had && has) return after.replace(/\r?\n$/, '');
  return after;
}
