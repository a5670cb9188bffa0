/** Small builders shared by the unit tests. */
import fs from 'node:fs';
import path from 'node:path';
import { main, type CliIo } from '../src/cli.js';
import { buildImageModel, targetStage, type Stage } from '../src/model/image.js';
import { parseDockerfile, type DockerfileAst } from '../src/parsers/dockerfile.js';
import { SourceFile } from '../src/parsers/source.js';

export function ast(text: string): DockerfileAst {
  return parseDockerfile(new SourceFile('Dockerfile', text));
}

export function finalStage(text: string, target?: string): Stage {
  const stage = targetStage(buildImageModel(ast(text)), target);
  if (!stage) throw new Error('no stage');
  return stage;
}

/** Writes `rel` under `root` (making its folders) with exactly `mode`, and returns its path. */
export function writeFileIn(root: string, rel: string, text: string | Buffer, mode = 0o644): string {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  fs.chmodSync(p, mode);
  return p;
}

/** What one in-memory run of the command line printed, returned and would have written. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
  /** The files it wrote through `writeFile` (reports, `--init`), by path. */
  files: Record<string, string>;
}

/**
 * A CliIo for in-process runs: what is printed is kept (`out`, `err`, and `all` for both in the
 * order printed), what is written goes to `files` by path, or to disk with `writeFile: 'disk'`.
 */
export class MemoryIo implements CliIo {
  out = '';
  err = '';
  all = '';
  files: Record<string, string> = {};
  readonly cwd: string;
  readonly env: Record<string, string | undefined>;
  readonly isTTY: boolean;
  private readonly stdin: string;
  private readonly disk: boolean;

  constructor(opts: { cwd: string; env?: Record<string, string | undefined>; stdin?: string; isTTY?: boolean; writeFile?: 'memory' | 'disk' }) {
    this.cwd = opts.cwd;
    this.env = opts.env ?? {};
    this.isTTY = opts.isTTY ?? false;
    this.stdin = opts.stdin ?? '';
    this.disk = opts.writeFile === 'disk';
  }

  readonly stdout = (s: string): void => {
    this.out += s;
    this.all += s;
  };

  readonly stderr = (s: string): void => {
    this.err += s;
    this.all += s;
  };

  readonly readStdin = async (): Promise<string> => this.stdin;

  readonly writeFile = (p: string, text: string): void => {
    if (this.disk) fs.writeFileSync(p, text);
    else this.files[p] = text;
  };

  /** Forgets what was printed so far (between runs on the same io). */
  clear(): void {
    this.out = this.err = this.all = '';
  }
}

/** Runs the command line in memory (not a terminal unless `isTTY`): stdout and stderr collected, nothing written to disk. */
export async function runCli(args: string[], opts: { cwd: string; env?: Record<string, string>; stdin?: string; isTTY?: boolean }): Promise<CliRun> {
  const io = new MemoryIo(opts);
  const code = await main(args, io);
  return { code, out: io.out, err: io.err, files: io.files };
}
