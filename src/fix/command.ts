/**
 * The `--fix` / `--fix-dry-run` run of the command line: the fix loop over all inputs, re-linting
 * only the inputs that read a file changed by the pass before, then the write (or the diff) and a
 * summary of what was fixed and what is left.
 */
import path from 'node:path';
import { uniqueSorted, type Finding } from '../findings.js';
import type { LintInput } from '../engine.js';
import { diskFs, OverlayFileSystem, type FileSystem } from '../fs/file-system.js';
import { repositoryRoot } from '../fs/jail.js';
import { realPathOf } from './files.js';
import { runFixLoop, selected, writeChanged, type FixLoopResult, type FixSelection } from './run.js';

export interface FixCommandOptions extends FixSelection {
  cwd: string;
  dryRun: boolean;
  /** Dockerfiles on disk (each linted in its jail: a file is fixed only inside its input's root). */
  inputs: readonly LintInput[];
  /** Lints one input through `fs` (the disk under the files fixed so far), adding what it read to `filesRead`. */
  lint(input: LintInput, fs: FileSystem, filesRead: Set<string>): Promise<Finding[]>;
}

export interface FixCommandResult {
  loop: FixLoopResult;
  /** What is left after fixing (or, in a dry run, what would be left). */
  findings: Finding[];
  /** Lines for stderr: what was fixed, what was refused, what is left. */
  summary: string[];
  /** The unified diff of a dry run ('' otherwise). */
  diff: string;
  /** Files that could not be written. */
  failures: { path: string; reason: string }[];
}


export async function runFixCommand(o: FixCommandOptions): Promise<FixCommandResult> {
  const cache = new Map<LintInput, { findings: Finding[]; filesRead: Set<string> }>();
  const rootOf = new Map<string, string>();
  let lastOverlay = new Map<string, Buffer>();
  const loop = await runFixLoop({
    root: (file) => rootOf.get(file) ?? null,
    unsafe: o.unsafe,
    rules: o.rules,
    lint: async (overlay) => {
      const changed = new Set([...overlay.keys()].filter((p) => !lastOverlay.get(p)?.equals(overlay.get(p) as Buffer)));
      lastOverlay = new Map(overlay);
      const filesRead = new Set<string>();
      const findings: Finding[] = [];
      for (const input of o.inputs) {
        let entry = cache.get(input);
        if (!entry || [...entry.filesRead].some((p) => changed.has(p))) {
          const read = new Set<string>();
          entry = { findings: await o.lint(input, new OverlayFileSystem(diskFs, overlay), read), filesRead: read };
          cache.set(input, entry);
          const root = realPathOf(input.root ?? repositoryRoot(input.path));
          if (root) for (const p of read) if (!rootOf.has(p)) rootOf.set(p, root);
        }
        for (const p of entry.filesRead) filesRead.add(p);
        for (const f of entry.findings) findings.push(f);
      }
      return { findings: uniqueSorted(findings), filesRead };
    },
  });

  let diff = '';
  let failures: { path: string; reason: string }[] = [];
  if (o.dryRun) diff = (await import('./diff.js')).unifiedDiff(loop.changed, o.cwd);
  else failures = writeChanged(loop.changed).failed;
  return { loop, findings: loop.findings, summary: summaryLines(loop, o, failures), diff, failures };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function summaryLines(loop: FixLoopResult, o: FixCommandOptions, failures: { path: string; reason: string }[]): string[] {
  const lines: string[] = [];
  const shown = (p: string): string => {
    const rel = path.relative(o.cwd, p);
    return rel.startsWith('..') || path.isAbsolute(rel) ? p : rel.split(path.sep).join('/');
  };
  const verb = o.dryRun ? 'would fix' : 'fixed';
  const files = loop.changed.length;
  if (loop.applied.length === 0) lines.push(o.dryRun ? 'nothing to fix' : 'nothing fixed');
  else lines.push(`${verb} ${plural(loop.applied.length, 'problem')} in ${plural(files, 'file')}${loop.passes > 1 ? ` (${loop.passes} passes)` : ''}`);
  for (const a of loop.applied) lines.push(`  ${a.files.map(shown).join(', ')}: ${a.rule}: ${a.title}${a.safety === 'unsafe' ? ' (unsafe)' : ''}`);
  for (const r of loop.refused) lines.push(`  not fixed: ${r.rule}: ${r.title}: ${r.reason}`);
  for (const f of failures) lines.push(`  not written: ${shown(f.path)}: ${f.reason}`);
  if (!loop.converged) lines.push(`  stopped after ${loop.passes} passes with fixes still to apply; run --fix again`);
  const left = loop.findings.length;
  const moreUnsafe = o.unsafe ? 0 : loop.findings.filter((f) => f.fix?.safety === 'unsafe' && selected(f, { unsafe: true, rules: o.rules })).length;
  if (left > 0) lines.push(`${plural(left, 'problem')} ${o.dryRun ? 'would remain' : 'remain'}${moreUnsafe > 0 ? ` (${moreUnsafe} fixable with --unsafe-fixes)` : ''}`);
  return lines;
}
