/**
 * `--fix`: lint, apply the fixes that do not touch each other, lint again with the fixed files
 * (held in memory), and so on until no fix is left or a cap of passes is reached. Nothing is
 * written until the loop ends; then each changed file is written once, atomically.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Finding } from '../findings.js';
import { BOM_START, chooseFixes, type Fix, type FixCandidate } from './edits.js';
import { bytesOf, editFile, fixFileFromBytes, loadFixFile, realPathOf, writeAtomic, type FixFile } from './files.js';

const MAX_FIX_PASSES = 10;

export interface FixSelection {
  /** Also apply fixes marked unsafe (`--unsafe-fixes`). */
  unsafe: boolean;
  /** Only the fixes of these rules (`--fix-rule`); null: every rule. */
  rules: ReadonlySet<string> | null;
}

export interface LintPassResult {
  findings: Finding[];
  /** Real paths of every file the pass read. */
  filesRead: ReadonlySet<string>;
}

export interface FixLoopOptions extends FixSelection {
  /**
   * No file outside this folder is ever changed; or, per file, the root of the run that read it
   * (null: none, the file is refused).
   */
  root: string | ((file: string) => string | null);
  maxPasses?: number;
  /** Contents that stand for the disk's (real path -> bytes): an editor's unsaved buffers. */
  base?: ReadonlyMap<string, Buffer>;
  /** Lints everything, reading the files fixed so far from `overlay` (real path -> bytes). */
  lint(overlay: ReadonlyMap<string, Buffer>): Promise<LintPassResult>;
}

export interface AppliedFix {
  rule: string;
  title: string;
  safety: Fix['safety'];
  /** Real paths of the files it changed. */
  files: string[];
  pass: number;
}

export interface RefusedFix {
  rule: string;
  title: string;
  reason: string;
}

export interface ChangedFile {
  path: string;
  before: Buffer;
  after: Buffer;
  mode: number;
}

export interface FixLoopResult {
  changed: ChangedFile[];
  applied: AppliedFix[];
  refused: RefusedFix[];
  passes: number;
  /** False when the cap of passes was reached with fixes still to apply. */
  converged: boolean;
  /** The findings of the last pass: what is left. */
  findings: Finding[];
}

interface Candidate extends FixCandidate {
  finding: Finding;
}

/** Whether a finding's fix is one the selection applies. */
export function selected(f: Finding, sel: FixSelection): f is Finding & { fix: Fix } {
  if (!f.fix) return false;
  if (f.fix.safety === 'unsafe' && !sel.unsafe) return false;
  return sel.rules === null || sel.rules.has(f.rule);
}

export async function runFixLoop(options: FixLoopOptions): Promise<FixLoopResult> {
  const max = options.maxPasses ?? MAX_FIX_PASSES;
  const originals = new Map<string, FixFile>();
  const current = new Map<string, FixFile>();
  const overlay = new Map<string, Buffer>(options.base ?? []);
  const applied: AppliedFix[] = [];
  const refused = new Map<string, RefusedFix>();
  const seenStates = new Set<string>();
  let passes = 0;
  let converged = false;
  let result = await options.lint(overlay);

  while (true) {
    const candidates: Candidate[] = result.findings.filter((f) => selected(f, options)).map((f) => ({ rule: f.rule, fix: f.fix as Fix, finding: f }));
    const usable: Candidate[] = [];
    for (const c of candidates) {
      const problem = checkFiles(c, result.filesRead, options.root, current, originals, options.base);
      if (problem) refused.set(`${c.rule}|${c.fix.title}|${problem}`, { rule: c.rule, title: c.fix.title, reason: problem });
      else usable.push(c);
    }
    const choice = chooseFixes(usable);
    for (const { candidate, reason } of choice.invalid) refused.set(`${candidate.rule}|${candidate.fix.title}|${reason}`, { rule: candidate.rule, title: candidate.fix.title, reason });
    if (choice.chosen.length === 0) {
      converged = true;
      break;
    }
    if (passes >= max) break;
    passes++;
    const byFile = new Map<string, Fix['edits']>();
    for (const c of choice.chosen) {
      for (const e of c.fix.edits) {
        const real = options.base?.has(e.file) ? e.file : (realPathOf(e.file) as string);
        const list = byFile.get(real) ?? [];
        list.push({ ...e, file: real });
        byFile.set(real, list);
      }
      applied.push({ rule: c.rule, title: c.fix.title, safety: c.fix.safety, files: [...new Set(c.fix.edits.map((e) => (options.base?.has(e.file) ? e.file : (realPathOf(e.file) as string))))], pass: passes });
    }
    for (const [real, edits] of byFile) {
      const file = current.get(real) as FixFile;
      const next = editFile(file, edits);
      current.set(real, next);
      overlay.set(real, bytesOf(next));
    }
    // A fix that undoes another would loop: stop when the files come back to a state seen before.
    const state = [...overlay.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, b]) => `${p}\0${b.toString('base64')}`).join('\0');
    if (seenStates.has(state)) {
      result = await options.lint(overlay);
      break;
    }
    seenStates.add(state);
    result = await options.lint(overlay);
  }

  const changed: ChangedFile[] = [];
  for (const [real, file] of current) {
    const before = bytesOf(originals.get(real) as FixFile);
    const after = bytesOf(file);
    if (!before.equals(after)) changed.push({ path: real, before, after, mode: file.mode });
  }
  changed.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { changed, applied, refused: [...refused.values()], passes, converged, findings: result.findings };
}

/**
 * Why a fix cannot touch its files, or null: each must have been read by the run, lie inside the
 * root, be a regular UTF-8 file, and each edit must lie within the file's text.
 */
function checkFiles(
  c: Candidate,
  filesRead: ReadonlySet<string>,
  rootOf: FixLoopOptions['root'],
  current: Map<string, FixFile>,
  originals: Map<string, FixFile>,
  base: ReadonlyMap<string, Buffer> | undefined,
): string | null {
  for (const e of c.fix.edits) {
    const real = base?.has(e.file) ? e.file : realPathOf(e.file);
    if (!real || !filesRead.has(real)) return `${e.file} was not read by this run`;
    let file = current.get(real);
    if (!file) {
      const root = typeof rootOf === 'string' ? rootOf : rootOf(real);
      if (root === null) return `${e.file} is not inside the root of the run that read it`;
      const held = base?.get(real);
      const loaded = held ? bufferFile(real, held, root) : loadFixFile(real, root);
      if (!loaded.ok) return `${e.file}: ${loaded.reason}`;
      file = loaded.file;
      originals.set(real, file);
      current.set(real, file);
    }
    if (e.end > file.text.length) return `${e.file}: an edit lies past the end of the file`;
    if (e.start === BOM_START && !file.bom) return `${e.file}: the file has no byte order mark to remove`;
  }
  return null;
}

/** An unsaved buffer as a file to fix (it may not exist on disk yet). */
function bufferFile(real: string, bytes: Buffer, root: string): ReturnType<typeof loadFixFile> {
  const realRoot = realPathOf(root) ?? root;
  const rel = path.relative(realRoot, real);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { ok: false, reason: `outside the repository root ${realRoot}` };
  return { ok: true, file: fixFileFromBytes({ path: real, bom: false, text: '', mode: 0o644 }, bytes) };
}

export interface WriteOutcome {
  written: string[];
  failed: { path: string; reason: string }[];
}

/**
 * Writes the changed files. A file whose bytes on disk are no longer those the run read (edited
 * meanwhile) is left alone.
 */
export function writeChanged(changed: readonly ChangedFile[]): WriteOutcome {
  const out: WriteOutcome = { written: [], failed: [] };
  for (const c of changed) {
    try {
      const now = fs.readFileSync(c.path);
      if (!now.equals(c.before)) {
        out.failed.push({ path: c.path, reason: 'it changed on disk while dockerlint ran; not written' });
        continue;
      }
      writeAtomic(c.path, c.after, c.mode);
      out.written.push(c.path);
    } catch (e) {
      out.failed.push({ path: c.path, reason: (e as NodeJS.ErrnoException).code ?? String(e) });
    }
  }
  return out;
}
