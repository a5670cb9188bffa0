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

/** Runs the command line in memory (not a terminal unless `isTTY`): stdout and stderr collected, nothing written to disk. */
export async function runCli(args: string[], opts: { cwd: string; env?: Record<string, string>; stdin?: string; isTTY?: boolean }): Promise<CliRun> {
  let out = '';
  let err = '';
  const files: Record<string, string> = {};
  const io: CliIo = {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    readStdin: async () => opts.stdin ?? '',
    writeFile: (p, t) => (files[p] = t),
    isTTY: opts.isTTY ?? false,
    cwd: opts.cwd,
    env: opts.env ?? {},
  };
  const code = await main(args, io);
  return { code, out, err, files };
}
