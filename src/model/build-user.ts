/**
 * The user a build step runs as: the last USER before it in its stage, else the user the stage
 * it is built on ends with, else its base image's default user (configuration first), else root,
 * as Docker does for an image with no user; not known when the build passes the base image
 * (Stage.baseChosenAtBuild).
 */
import type { Instruction } from '../parsers/dockerfile.js';
import { ROOT_USER } from '../text.js';
import { knownBaseImage, type BaseImageFacts } from './base-images.js';
import type { Stage } from './image.js';

export interface BuildUser {
  /** true: root; false: another user; null: a USER whose value only the build knows. */
  root: boolean | null;
  /** The USER in force as written (`app`, `1000:1000`), or the base image's user; null for root by default. */
  spec: string | null;
}

export function buildUserAt(stage: Stage, at: Instruction | null, trusted?: (ref: string) => BaseImageFacts | null): BuildUser {
  let s: Stage = stage;
  let before: Instruction | null = at;
  for (;;) {
    const upTo = before ? s.instructions.indexOf(before) : -1;
    const user = s.instructions
      .slice(0, upTo < 0 ? undefined : upTo)
      .reverse()
      .find((i) => i.keyword === 'USER');
    if (user) {
      const spec = user.rest.text.trim();
      return { root: spec.includes('$') ? null : ROOT_USER.test(spec), spec };
    }
    if (!s.baseStage) break;
    s = s.baseStage;
    before = null;
  }
  if (s.baseChosenAtBuild) return { root: null, spec: null };
  const base = knownBaseImage(s, trusted);
  return base?.user ? { root: ROOT_USER.test(base.user), spec: base.user } : { root: true, spec: null };
}
