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
}

export interface Task {
  input: LintInput;
}

/** Below this many files, one thread is faster than starting workers. */
export const PARALLEL_THRESHOLD = 24;

export function workerCount(files: number, env: Record<string, string | undefined>): number {
  const forced = env.DOCKERLINT_WORKERS;
  if (forced !== undefined && /^\d+$/.test(forced)) return Math.min(Number(forced), files);
  if (files < PARALLEL_THRESHOLD) return 0;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  // This thread lints too: one worker fewer than cores.
  return Math.max(0, Math.min(cores - 1, 7, Math.ceil(files / 8)));
}

/**
 * Lints `inputs` on `count` workers running `moduleUrl` (the CLI module, which starts a worker
 * loop when loaded as a worker) and on this thread too (`lintHere`), all taking files from one
 * queue. `onDone` is called for each file as it finishes.
 */
export async function lintInWorkers(
  moduleUrl: URL,
  setup: WorkerSetup,
  inputs: LintInput[],
  count: number,
  lintHere: (input: LintInput) => Promise<Finding[]>,
  onDone: (input: LintInput) => void,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  let next = 0;
  const workersDone = new Promise<void>((resolve, reject) => {
    let running = 0;
    if (count === 0) resolve();
    for (let i = 0; i < count; i++) {
      const w = new Worker(moduleUrl, { workerData: { dockerlintWorker: setup } });
      running++;
      let current: LintInput | null = null;
      w.on('message', (msg: { ready?: true; findings?: Finding[] }) => {
        if (msg.findings) {
          findings.push(...msg.findings);
          if (current) onDone(current);
        }
        current = inputs[next++] ?? null;
        if (current) w.postMessage({ input: current });
        else {
          void w.terminate();
          if (--running === 0) resolve();
        }
      });
      w.on('error', reject);
    }
  });
  // This thread works through the same queue while the workers start and run.
  for (let input = inputs[next++]; input; input = inputs[next++]) {
    findings.push(...(await lintHere(input)));
    onDone(input);
    // Let worker messages in between files.
    await new Promise((r) => setImmediate(r));
  }
  await workersDone;
  return findings;
}
