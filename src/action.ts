/**
 * The GitHub Action (`action.yml`): reads the inputs the runner passes as `INPUT_*` environment
 * variables, turns them into a dockerlint command line and runs it in-process.
 *
 * GitHub names each variable `INPUT_` + the input name upper-cased, keeping hyphens:
 * `INPUT_PATH`, `INPUT_CONFIG`, `INPUT_FORMAT`, `INPUT_FAILURE-THRESHOLD`, `INPUT_SARIF-FILE`.
 * An input that is not given is absent or empty.
 *
 * `scripts/bundle-action.mjs` bundles this module with everything it imports into
 * `action/index.js` (committed, so the action needs no `npm install`), next to copies of the shell
 * parser's `shparse.wasm` and `wasm_exec.cjs`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { main, type CliIo } from './cli.js';
import { escapeData } from './reporters/github.js';

export interface ActionInputs {
  /** Files or folders to lint (the `path` input, one per line; default `.`). */
  paths: string[];
  config: string | null;
  format: string;
  failureThreshold: string | null;
  /** Where to write a SARIF report as well (for github/codeql-action/upload-sarif). */
  sarifFile: string | null;
}

type Env = Record<string, string | undefined>;

function input(env: Env, name: string): string | null {
  const value = env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`];
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

export function readInputs(env: Env): ActionInputs {
  const paths = (input(env, 'path') ?? '.')
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return {
    paths: paths.length > 0 ? paths : ['.'],
    config: input(env, 'config'),
    format: input(env, 'format') ?? 'github',
    failureThreshold: input(env, 'failure-threshold'),
    sarifFile: input(env, 'sarif-file'),
  };
}

/**
 * The dockerlint arguments for the inputs. The CLI pairs each `--output-file` with the
 * `--format` at the same position and prints the one format left without a file on stdout, so
 * the SARIF pair comes first and the log format last.
 */
export function actionArgv(inputs: ActionInputs): string[] {
  const argv: string[] = [];
  if (inputs.sarifFile) argv.push('--format', 'sarif', '--output-file', inputs.sarifFile);
  argv.push('--format', inputs.format);
  if (inputs.config) argv.push('--config', inputs.config);
  if (inputs.failureThreshold) argv.push('--failure-threshold', inputs.failureThreshold);
  // A path that starts with `-` must not be read as an option (and `-`, stdin, means nothing here).
  argv.push(...inputs.paths.map((p) => (p.startsWith('-') ? `./${p}` : p)));
  return argv;
}

/** Runs the action; resolves to the exit code for the step (0 pass, 1 findings, 2 could not lint). */
export async function runAction(env: Env = process.env, io?: CliIo): Promise<number> {
  const cwd = io?.cwd ?? process.cwd();
  const inputs = readInputs(env);
  if (inputs.sarifFile) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(cwd, inputs.sarifFile)), { recursive: true });
    } catch (e) {
      const message = `cannot create the folder of sarif-file ${inputs.sarifFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
      (io?.stdout ?? ((s: string) => process.stdout.write(s)))(`::error title=dockerlint::${escapeData(message)}\n`);
      return 2;
    }
  }
  return io ? main(actionArgv(inputs), io) : main(actionArgv(inputs));
}
