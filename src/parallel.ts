/**
 * Linting many Dockerfiles on every core: worker threads that each load dockerlint once (and
 * the shell parser once) and take Dockerfiles from a shared queue. Results come back in any
 * order; the caller sorts them, so output stays deterministic.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Config } from './config/schema.js';
import type { LintInput } from './engine.js';
import type { Finding, Severity } from './findings.js';

/** What a worker needs to lint like the main thread would (all structured-clone safe). */
export interface WorkerSetup {
  cwd: string;
  severities: Record<string, Severity | 'off'>;
  reportUnusedSuppressions: boolean;
  target: string | null;
  /** --context, absolute. */
  context: string | null;
  config: Config;
  configFile: string | null;
  /** Lines of the configuration's `context[i].context` keys. */
  configLines: Record<string, number>;
  maxFileBytes: number;
  /** `shellcheck: true` / `--shellcheck`. */
  shellcheck?: boolean;
  /** Record every file system call of each input's lint (for `--cache`). */
  recordReads?: boolean;
}


/** Below this many files, one thread is faster than starting workers. */
const PARALLEL_THRESHOLD = 24;

export function workerCount(files: number, env: Record<string, string | undefined>): number {
  const forced = env.DOCKERLINT_WORKERS;
  if (forced !== undefined && /^\d+$/.test(forced)) return Math.min(Number(forced), files);
  if (files < PARALLEL_THRESHOLD) return 0;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  // This thread lints too: one worker fewer than cores.
  return Math.max(0, Math.min(cores - 1, 7, Math.ceil(files / 8)));
}

/** What the main thread posts to each worker once: the whole queue and the shared cursor. */
export interface WorkerQueue {
  inputs: LintInput[];
  /** One Int32 on a SharedArrayBuffer: the index of the next input to take. */
  cursor: Int32Array;
}

/** What a worker posts back: the findings of one input and the files it read, or that the queue is empty. */
export type WorkerReport = { index: number; findings: Finding[]; filesRead: string[]; reads?: Array<[string, string]> } | { done: true };

/** Takes the next input of the queue (every thread calls this; Atomics makes it race-free). */
function takeNext(queue: WorkerQueue): number | null {
  const i = Atomics.add(queue.cursor, 0, 1);
  return i < queue.inputs.length ? i : null;
}

/**
 * Lints `inputs` on `count` workers running `moduleUrl` (a module that starts `runWorkerQueue`
 * when loaded as a worker) and on this thread too (`lintHere`). Every thread takes inputs from
 * one queue through an atomic cursor, so no thread waits for another to hand it work (a worker
 * that had to wait for this thread's next pause between files sat idle half the time).
 * `onDone` is called for each file as it finishes.
 */
/** The young generation of each worker thread's heap, in MB. */
const WORKER_YOUNG_MB = 12;

export async function lintInWorkers(
  moduleUrl: URL,
  setup: WorkerSetup,
  inputs: LintInput[],
  count: number,
  lintHere: (input: LintInput) => Promise<Finding[]>,
  onDone: (input: LintInput) => void,
  /** Each worker input's result, when the workers record reads. */
  onResult?: (input: LintInput, findings: Finding[], reads: Array<[string, string]>) => void,
): Promise<{ findings: Finding[]; filesRead: string[] }> {
  const findings: Finding[] = [];
  const filesRead: string[] = [];
  const queue: WorkerQueue = { inputs, cursor: new Int32Array(new SharedArrayBuffer(4)) };
  const workersDone = new Promise<void>((resolve, reject) => {
    let running = count;
    if (count === 0) resolve();
    for (let i = 0; i < count; i++) {
      // A young generation of 12 MB (semi-spaces of 4 MB) instead of V8's default of up to 48:
      // measured on 1,000 contexts, the same CPU and 24 MB less peak memory per worker.
      const w = new Worker(moduleUrl, { workerData: { dockerlintWorker: setup }, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
      w.on('message', (msg: WorkerReport) => {
        if ('done' in msg) {
          void w.terminate();
          if (--running === 0) resolve();
          return;
        }
        // Loops, not push(...): one file may have more findings than a call takes arguments.
        for (const f of msg.findings) findings.push(f);
        for (const p of msg.filesRead) filesRead.push(p);
        const input = inputs[msg.index];
        if (input && onResult && msg.reads) onResult(input, msg.findings, msg.reads);
        if (input) onDone(input);
      });
      w.on('error', reject);
      w.postMessage(queue);
    }
  });
  // This thread works through the same queue while the workers start and run.
  for (let i = takeNext(queue); i !== null; i = takeNext(queue)) {
    const input = inputs[i] as LintInput;
    for (const f of await lintHere(input)) findings.push(f);
    onDone(input);
    // Let worker messages (findings, progress) in between files.
    await new Promise((r) => setImmediate(r));
  }
  await workersDone;
  return { findings, filesRead };
}

/** The worker side: lint inputs from the queue until it is empty, posting each file's findings. */
export async function runWorkerQueue(
  queue: WorkerQueue,
  lint: (input: LintInput) => Promise<{ findings: Finding[]; filesRead: string[]; reads?: Array<[string, string]> }>,
  post: (report: WorkerReport) => void,
): Promise<void> {
  for (let i = takeNext(queue); i !== null; i = takeNext(queue)) {
    post({ index: i, ...(await lint(queue.inputs[i] as LintInput)) });
  }
  post({ done: true });
}
