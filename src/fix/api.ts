/**
 * Fixes for an editor: what the findings of a buffer offer, and the buffer with the fixes
 * applied, computed in memory; nothing is written.
 */
import path from 'node:path';
import { lintFile, type LintOptions } from '../engine.js';
import type { Finding, FindingFix } from '../findings.js';
import { diskFs, OverlayFileSystem } from '../fs/file-system.js';
import { realPathOf } from './files.js';
import { MAX_FIX_PASSES, runFixLoop, type AppliedFix, type FixSelection } from './run.js';

export interface BufferInput {
  /** Absolute path of the Dockerfile the buffer holds (its build context is read from disk). */
  path: string;
  /** The buffer's text (unsaved edits included). */
  text: string;
}

export interface OfferedFix {
  finding: Finding;
  fix: FindingFix;
}

/** @public (an editor server) The fixes the findings of a buffer offer (safe and unsafe), as code actions would list them. */
export async function getFixes(input: BufferInput, options: LintOptions): Promise<OfferedFix[]> {
  const findings = await lintFile({ path: path.resolve(input.path), text: input.text }, options);
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
 * Applies the selected fixes to a buffer (and, in memory, to the files they reach), as
 * ESLint's `verifyAndFix`. `root` bounds the files a fix may touch (default: `options.cwd`).
 * @public (an editor server)
 */
export async function fixBuffer(input: BufferInput, options: LintOptions, selection: FixSelection & { root?: string }): Promise<FixedBuffer> {
  const abs = realPathOf(path.resolve(input.path)) ?? path.resolve(input.path);
  const base = new Map([[abs, Buffer.from(input.text, 'utf8')]]);
  const loop = await runFixLoop({
    root: selection.root ?? options.cwd,
    unsafe: selection.unsafe,
    rules: selection.rules,
    maxPasses: MAX_FIX_PASSES,
    base,
    lint: async (overlay) => {
      const filesRead = new Set<string>();
      const text = (overlay.get(abs) as Buffer).toString('utf8');
      const findings = await lintFile({ path: abs, text }, { ...options, fs: new OverlayFileSystem(options.fs ?? diskFs, overlay), filesRead });
      filesRead.add(abs);
      return { findings, filesRead };
    },
  });
  const own = loop.changed.find((c) => c.path === abs);
  const otherFiles = new Map(loop.changed.filter((c) => c.path !== abs).map((c) => [c.path, c.after.toString('utf8')]));
  return { text: own ? own.after.toString('utf8') : input.text, applied: loop.applied, findings: loop.findings, otherFiles };
}
