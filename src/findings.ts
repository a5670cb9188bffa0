/**
 * Findings: what every rule reports and every reporter prints.
 */
import path from 'node:path';
import type { Span } from './parsers/source.js';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** One link of the evidence chain: `Dockerfile:14 ENTRYPOINT`. */
export interface Related {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** One text edit, in UTF-16 offsets of the file's text (as read, after a byte order mark). */
export interface Edit {
  file: string;
  start: number;
  end: number;
  text: string;
}

export interface Fix {
  /** `safe`: it cannot change what the image does beyond the rule's point; `unsafe`: review it. */
  safety: 'safe' | 'unsafe';
  /** What the fix does, for a code action's title (`Add --no-install-recommends`). */
  title: string;
  edits: Edit[];
}

export interface Finding {
  rule: string;
  /** Which of the rule's messages this is (absent for findings made outside a rule). */
  messageId?: string;
  severity: Severity;
  message: string;
  /** One line: how to fix it. */
  hint: string | null;
  /** Relative to the current folder (`-` for stdin). */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The evidence chain across files, outermost first (ends with the finding's own place). */
  related: Related[];
  /** The fix, when the rule has one (edits in offsets and, for reporters, in lines and columns). */
  fix?: FindingFix;
  /**
   * In a script that several Dockerfiles start: the place in each other Dockerfile that starts
   * it (the first link of its chain; `related` holds the first Dockerfile's), sorted by file.
   */
  alsoStartedBy?: Related[];
}

/** The finding with every path it holds (its file, its chains) passed through `map`. */
export function mapFindingPaths(f: Finding, map: (file: string) => string): Finding {
  return {
    ...f,
    file: map(f.file),
    related: f.related.map((r) => ({ ...r, file: map(r.file) })),
    ...(f.alsoStartedBy ? { alsoStartedBy: f.alsoStartedBy.map((r) => ({ ...r, file: map(r.file) })) } : {}),
  };
}

/**
 * An edit of a fix: `file` is the file's real path (what `--fix` writes), `shown` the path as
 * reporters show it (the convention of `Finding.file`), `span` the replaced text's place.
 */
export interface FindingEdit extends Edit {
  shown: string;
  span: Span;
}

export interface FindingFix extends Fix {
  edits: FindingEdit[];
}

export function chainText(f: Finding): string {
  return f.related.map((r) => `${r.file}:${r.line} ${r.message}`.trim()).join(' -> ');
}

/** Findings with the same key are one finding (the same script reached from two Dockerfiles). */
export function findingKey(f: Finding): string {
  return `${f.rule}|${f.file}|${f.line}|${f.column}|${f.message}`;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

export function spanFinding(
  rule: string,
  severity: Severity,
  file: string,
  span: Span,
  message: string,
  hint: string | null = null,
  related: Related[] = [],
): Finding {
  return { rule, severity, message, hint, file, ...span, related };
}

/**
 * One finding per key, sorted. A script shared by several Dockerfiles is reported once per line:
 * the copies of a finding that only differ in the Dockerfile that starts the script (its chain,
 * and a message that may name it) become one, the first in a total order, whose message ends by
 * naming the other Dockerfiles (through `show`: paths as users see them, when the findings' are
 * absolute).
 */
export function uniqueSorted(findings: readonly Finding[], show: (file: string) => string = (f) => f): Finding[] {
  // Which copy is kept must not depend on which thread finished first (the copies of a finding in
  // a shared script differ in their evidence chain): a total order first, then the first of each.
  const unique = new Map<string, { kept: Finding; others: Map<string, Related> }>();
  for (const f of [...findings].sort(compareFindingsTotally)) {
    const key = scriptKey(f) ?? findingKey(f);
    const seen = unique.get(key);
    if (!seen) unique.set(key, { kept: f, others: new Map() });
    else {
      const by = startedBy(f);
      if (by !== null && by !== startedBy(seen.kept) && !seen.others.has(by)) seen.others.set(by, f.related[0]!);
    }
  }
  return [...unique.values()]
    .map(({ kept, others }) => {
      if (others.size === 0) return kept;
      const starts = [...(kept.alsoStartedBy ?? []), ...others.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
      return {
        ...kept,
        message: `${kept.message.replace(/\s*$/, '')} Also started by ${[...others.keys()].map(show).sort().join(', ')}.`,
        alsoStartedBy: starts,
      };
    })
    .sort(compareFindings);
}

/** The Dockerfile whose chain leads to a finding in another file (a script), or null. */
function startedBy(f: Finding): string | null {
  const first = f.related[0];
  return first && first.file !== f.file ? first.file : null;
}

/** For a finding in a script started by a Dockerfile: its key without that Dockerfile. */
function scriptKey(f: Finding): string | null {
  if (startedBy(f) === null || f.messageId === undefined) return null;
  return `${f.rule}|${f.messageId}|${f.file}|${f.line}|${f.column}|${f.endLine}|${f.endColumn}`;
}

/** compareFindings, then every other field: no two different findings compare equal. */
function compareFindingsTotally(a: Finding, b: Finding): number {
  const byPlace = compareFindings(a, b);
  if (byPlace !== 0) return byPlace;
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A path as shown to users: relative to the current folder, unless it lies far outside it. */
export function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  if (rel === '') return '.';
  const farOutside = rel.startsWith('..') && rel.split(path.sep).length > 4;
  return farOutside ? abs : rel.split(path.sep).join('/');
}

/** A finding as shown to users: its paths (absolute, or relative to `cwd`) made display paths. */
export function forDisplay(f: Finding, cwd: string, shown: (file: string) => string = displayPaths(cwd)): Finding {
  return { ...mapFindingPaths(f, shown), ...fixShownBy(f, shown) };
}

/**
 * The display path of each file (absolute, or relative to `cwd`), worked out once per file: a run
 * shows thousands of findings in a few hundred files, and `path.relative` is not cheap.
 */
export function displayPaths(cwd: string): (file: string) => string {
  const memo = new Map<string, string>();
  return (file) => {
    if (file === '-') return file;
    let shown = memo.get(file);
    if (shown === undefined) {
      shown = displayPath(path.resolve(cwd, file), cwd);
      memo.set(file, shown);
    }
    return shown;
  };
}

/** The finding's fix with each edit's `shown` path made by `shown` from its real path. */
export function fixShownBy(f: Finding, shown: (file: string) => string): { fix?: FindingFix } {
  return f.fix ? { fix: { ...f.fix, edits: f.fix.edits.map((e) => ({ ...e, shown: shown(e.file) })) } } : {};
}
