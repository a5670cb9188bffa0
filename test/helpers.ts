/** Small builders shared by the unit tests. */
import fs from 'node:fs';
import path from 'node:path';
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
