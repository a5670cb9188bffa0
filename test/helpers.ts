/** Small builders shared by the unit tests. */
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
