/**
 * Fixes for an editor: what the findings of an open buffer offer, and the buffer with the fixes
 * applied, computed in memory through the linter's overlay; nothing is written.
 */
import path from 'node:path';
import type { Finding, FindingFix } from '../findings.js';
import { diskFs, OverlayFileSystem, type FileSystem } from '../fs/file-system.js';
import { repositoryRoot } from '../fs/jail.js';
import type { LintInput } from '../engine.js';
import { realPathOf } from './files.js';
import { runFixLoop, type AppliedFix, type FixSelection } from './run.js';

/** What the fix functions need of a linter (`createLinter(...)`). */
export interface BufferLinter {
  lintOne(input: LintInput, extra?: { fs?: FileSystem; filesRead?: Set<string> }): Promise<Finding[]>;
}

export interface BufferInput {
  /** Absolute path of the Dockerfile the buffer holds (its build context is read from disk). */
  path: string;
  /** The buffer's text, unsaved edits included. */
  text: string;
}

export interface OfferedFix {
  finding: Finding;
  fix: FindingFix;
}

/** @public (an editor server) The fixes the findings of a buffer offer, safe and unsafe, as code actions would list them. */
export async function getFixes(linter: BufferLinter, buffer: BufferInput): Promise<OfferedFix[]> {
  const findings = await linter.lintOne({ path: path.resolve(buffer.path), text: buffer.text });
  return findings.filter((f): f is Finding & { fix: FindingFix } => !!f.fix).map((f) => ({ finding: f, fix: f.fix }));
}

export interface FixedBuffer {
  /** The buffer with the selected fixes applied (re-linted until nothing changes). */
  text: string;
  applied: AppliedFix[];
  /** What is left. */
  findings: Finding[];
  /** Other files the fixes would change (a script the Dockerfile starts): real path -> new text. */
  otherFiles: Map<string, string>;
}

/**
 * Applies the selected fixes to a buffer and, in memory, to the files they reach, as ESLint's
 * `verifyAndFix`. `root` bounds the files a fix may touch (default: the buffer's repository).
 * @public (an editor server)
 */
export async function fixBuffer(linter: BufferLinter, buffer: BufferInput, selection: FixSelection & { root?: string }): Promise<FixedBuffer> {
  const resolved = path.resolve(buffer.path);
  const abs = realPathOf(resolved) ?? resolved;
  const base = new Map([[abs, Buffer.from(buffer.text, 'utf8')]]);
  const loop = await runFixLoop({
    root: selection.root ?? repositoryRoot(abs),
    unsafe: selection.unsafe,
    rules: selection.rules,
    base,
    lint: async (overlay) => {
      const filesRead = new Set<string>();
      const text = (overlay.get(abs) as Buffer).toString('utf8');
      const findings = await linter.lintOne({ path: abs, text }, { fs: new OverlayFileSystem(diskFs, overlay), filesRead });
      filesRead.add(abs);
      return { findings, filesRead };
    },
  });
  const own = loop.changed.find((c) => c.path === abs);
  const otherFiles = new Map(loop.changed.filter((c) => c.path !== abs).map((c) => [c.path, c.after.toString('utf8')]));
  return { text: own ? own.after.toString('utf8') : buffer.text, applied: loop.applied, findings: loop.findings, otherFiles };
}
