/**
 * The engine API: `createLinter(options).lint(inputs) -> { findings, filesRead }`, what the
 * command line, the GitHub Action (through the command line), `--fix` and an editor server call;
 * `getFixes(buffer)` and `fixBuffer(buffer, selection)` give an editor the fixes of an unsaved
 * buffer, and the buffer fixed, without writing.
 * It lints many Dockerfiles (on worker threads when there are many), merges what the same script
 * seen from several Dockerfiles reports once, and sorts.
 *
 * Findings are keyed by absolute path (`file`, and each `related[].file`; `-` for standard
 * input): a reporter makes display paths (`format(..., { cwd })`). Messages keep the paths as the
 * user sees them, relative to `cwd`.
 */
import path from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { ComposeIndex } from './compose.js';
import type { ConfigMatchers } from './config/load.js';
import { lintFile, type LintInput, type LintOptions } from './engine.js';
import { displayPath, fixShownBy, mapFindingPaths, uniqueSorted, type Finding } from './findings.js';
import { diskFs, type FileSystem } from './fs/file-system.js';
import type { ReadLog } from './fs/recording.js';
import type { BufferInput, FixedBuffer, OfferedFix } from './fix/api.js';
import type { FixSelection } from './fix/run.js';
import { ShellService } from './model/shell-service.js';
import { lintInWorkers, runWorkerQueue, workerCount, type WorkerQueue, type WorkerSetup } from './parallel.js';

export type LinterOptions = WorkerSetup;

export interface LintRun {
  /** Sorted, one per finding; keyed by absolute path. */
  findings: Finding[];
  /** The real path of every file the run read (what a fix may edit). */
  filesRead: string[];
}

export interface LintHooks {
  /** Called as each input finishes (for progress). */
  onDone?: (input: LintInput) => void;
  /**
   * With `recordReads` in the options: each input's findings and every file system call its lint
   * made, with a digest of the answer (what `--cache` keys an entry by).
   */
  onResult?: (input: LintInput, findings: Finding[], reads: ReadLog) => void;
  env?: Record<string, string | undefined>;
}

export interface Linter {
  /** Lints every input. */
  lint(inputs: readonly LintInput[], hooks?: LintHooks): Promise<LintRun>;
  /**
   * Lints one input on this thread, through `fs` when given (an overlay of unsaved or fixed
   * buffers), adding what it read to `filesRead` (and, with `recordReads`, each call to `reads`).
   * Findings keyed by absolute path.
   */
  lintOne(input: LintInput, extra?: { fs?: FileSystem; filesRead?: Set<string>; reads?: ReadLog }): Promise<Finding[]>;
  /** The fixes an editor buffer's findings offer (safe and unsafe); nothing is written. */
  getFixes(buffer: BufferInput): Promise<OfferedFix[]>;
  /** The buffer with the selected fixes applied, re-linted until nothing changes; nothing is written. */
  fixBuffer(buffer: BufferInput, selection: FixSelection & { root?: string }): Promise<FixedBuffer>;
}

/** A linter over the options of a run (`WorkerSetup`: plain data, so workers get the same). */
export async function createLinter(options: LinterOptions): Promise<Linter> {
  const { configMatchers } = await import('./config/load.js');
  const recording = options.recordReads ? await import('./fs/recording.js') : null;
  const here = inputLinter(options, configMatchers(options.config, options.configFile, options.cwd, options.configLines), recording);
  const lintOne = async (input: LintInput, extra: { fs?: FileSystem; filesRead?: Set<string>; reads?: ReadLog } = {}): Promise<Finding[]> => byAbsolutePath(await here(input, extra), options.cwd);
  return {
    lintOne,
    getFixes: async (buffer) => (await import('./fix/api.js')).getFixes({ lintOne }, buffer),
    fixBuffer: async (buffer, selection) => (await import('./fix/api.js')).fixBuffer({ lintOne }, buffer, selection),
    async lint(inputs, hooks = {}) {
      const findings: Finding[] = [];
      const filesRead = new Set<string>();
      const onDisk = inputs.filter((i) => i.path !== '-');
      const workers = workerCount(onDisk.length, hooks.env ?? {});
      const done = hooks.onDone ?? ((): void => {});
      const onResult = options.recordReads ? hooks.onResult : undefined;
      // Lints one input here, reporting its result when reads are recorded.
      const mine = async (input: LintInput): Promise<Finding[]> => {
        if (!onResult) return lintOne(input, { filesRead });
        const reads: ReadLog = new Map();
        const found = await lintOne(input, { filesRead, reads });
        onResult(input, found, reads);
        return found;
      };
      if (workers > 0) {
        const fromWorker = onResult ? (input: LintInput, found: Finding[], reads: Array<[string, string]>): void => onResult(input, found, new Map(reads)) : undefined;
        const got = await lintInWorkers(workerModule(), options, onDisk, workers, mine, done, fromWorker);
        for (const f of got.findings) findings.push(f);
        for (const p of got.filesRead) filesRead.add(p);
      }
      for (const input of workers > 0 ? inputs.filter((i) => i.path === '-') : inputs) {
        for (const f of await mine(input)) findings.push(f);
        done(input);
      }
      return { findings: uniqueSorted(findings, (f) => displayPath(f, options.cwd)), filesRead: [...filesRead].sort() };
    },
  };
}

/** A finding with absolute paths (it comes from the engine with paths relative to `cwd`). */
function byAbsolutePath(findings: Finding[], cwd: string): Finding[] {
  const abs = (file: string): string => (file === '-' ? file : path.resolve(cwd, file));
  return findings.map((f) => ({ ...mapFindingPaths(f, abs), ...fixShownBy(f, abs) }));
}

/** How this thread lints one input: the same options on the main thread and in every worker. */
function inputLinter(
  setup: WorkerSetup,
  matchers: ConfigMatchers,
  recording: typeof import('./fs/recording.js') | null,
): (input: LintInput, extra: Pick<LintOptions, 'fs' | 'filesRead'> & { reads?: ReadLog }) => Promise<Finding[]> {
  const shell = new ShellService();
  const shared = new ComposeIndex();
  return (input, { reads, ...extra }) => {
    // Recording what one input reads: through a recording file system, and with a compose index
    // of its own (the shared one answers later inputs from memory, which would hide the read).
    const compose = recording && reads ? new ComposeIndex() : shared;
    if (recording && reads) extra.fs = new recording.RecordingFileSystem(extra.fs ?? diskFs, reads);
    const configured = setup.context || input.path === '-' ? null : matchers.contextFor(input.path);
    const context = setup.context ?? configured?.dir ?? null;
    return lintFile(input, {
      ...extra,
      cwd: setup.cwd,
      shell,
      compose,
      severities: setup.severities,
      ...(setup.config.ruleOptions ? { ruleOptions: setup.config.ruleOptions } : {}),
      reportUnusedSuppressions: setup.reportUnusedSuppressions,
      baseImageFacts: (ref) => matchers.trustedBaseImage(ref),
      maxFileBytes: setup.maxFileBytes,
      ruleOptions: setup.config.ruleOptions,
      ...(context ? { context } : {}),
      ...(configured ? { contextOrigin: { file: configured.file, key: configured.key, ...(configured.line ? { line: configured.line } : {}) } } : {}),
      ...(setup.target ? { target: setup.target } : {}),
    });
  };
}

/**
 * The module a worker thread starts: bin/dockerlint.cjs when it loaded the bundle (so workers get
 * its compile cache too; it names itself in `globalThis.dockerlintLoader`), else this module.
 */
function workerModule(): URL {
  const loader = (globalThis as { dockerlintLoader?: unknown }).dockerlintLoader;
  return typeof loader === 'string' ? new URL(loader) : new URL(import.meta.url);
}

/** When this module is loaded as a worker of `lintInWorkers`: lint from the shared queue. */
async function workerLoop(setup: WorkerSetup): Promise<void> {
  const linter = await createLinter(setup);
  const port = parentPort;
  if (!port) return;
  port.once('message', (queue: WorkerQueue) => {
    void runWorkerQueue(
      queue,
      async (input) => {
        const filesRead = new Set<string>();
        if (!setup.recordReads) return { findings: await linter.lintOne(input, { filesRead }), filesRead: [...filesRead] };
        const reads: ReadLog = new Map();
        const findings = await linter.lintOne(input, { filesRead, reads });
        return { findings, filesRead: [...filesRead], reads: [...reads] };
      },
      (report) => port.postMessage(report),
    );
  });
}

if (!isMainThread && (workerData as { dockerlintWorker?: WorkerSetup } | null)?.dockerlintWorker) {
  void workerLoop((workerData as { dockerlintWorker: WorkerSetup }).dockerlintWorker);
}
