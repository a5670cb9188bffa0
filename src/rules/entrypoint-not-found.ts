import path from 'node:path';
import { isPlainOs } from '../model/base-images.js';
import { basename } from '../model/commands.js';
import { rootStage, type Stage } from '../model/image.js';
import type { RunFacts } from '../model/run-facts.js';
import { defineRule } from './rule.js';

/**
 * A command path is certainly missing when no COPY/ADD provides it, no RUN mentions it or a
 * folder above it (a RUN may download or generate it), no RUN that unpacks, downloads, clones or
 * copies works in a folder above it, and the image is built on a plain OS image that ships no
 * such script (an official image such as `node` does ship `docker-entrypoint.sh`).
 */
export async function isCertainlyMissing(missing: string, stage: Stage, facts: RunFacts): Promise<boolean> {
  if (!isPlainOs(rootStage(stage))) return false;
  const name = basename(missing);
  for (const w of facts.words) if (w === missing || basename(w) === name || w.includes(name)) return false;
  const abs = path.posix.resolve(stage.config.workdir, missing);
  const above = (dir: string): boolean => dir === '/' || abs.startsWith(`${dir.replace(/\/+$/, '')}/`);
  for (const d of facts.unknownWrites) if (above(d)) return false;
  for (const w of facts.words) if (w.startsWith('/') && w !== '/' && above(path.posix.resolve(w))) return false;
  return true;
}

export default defineRule({
  id: 'entrypoint-not-found',
  severity: 'error',
  category: 'startup',
  recommended: true,
  title: 'ENTRYPOINT/CMD names a script the image does not have',
  peers: {},
  messages: {
    missing: {
      message: '{command} runs `{path}`, but no COPY or ADD puts it in the image and `{base}` does not ship it: the container fails at start with "no such file or directory".{copies}',
      hint: 'COPY the script to the path ENTRYPOINT/CMD names, or fix the name.',
    },
    dockerignored: {
      message: '{command} runs `{path}`, but no COPY or ADD puts it in the image and `{base}` does not ship it: the container fails at start with "no such file or directory". {dockerignore} excludes {excluded} from the build context, so COPY never sees it.',
      hint: 'Remove the pattern that matches {excluded} from {dockerignore} (or add `!{excluded}`).',
    },
  },
  docs: {
    what:
      'ENTRYPOINT or CMD runs a script (an absolute or relative path, or a `*.sh` name looked up in PATH) that no COPY or ADD puts in the image, that no RUN creates, and that the base image (a plain OS image) does not ship.',
    why:
      'The container fails at start with `exec: "/entrypoint.sh": stat /entrypoint.sh: no such file or directory`. The build succeeds, so the mistake (a missing COPY, a wrong destination folder, a typo, a file excluded by .dockerignore) is only found at deploy time.',
    bad: 'FROM alpine:3.20\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT ["/entrypoint.sh"]',
    good: 'FROM alpine:3.20\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]',
    howToFix: 'COPY the script to the path ENTRYPOINT names (or name the path the COPY uses); check .dockerignore does not exclude it.',
  },
  async check(ctx) {
    const launch = ctx.launch;
    const stage = ctx.stage;
    if (!launch || !stage) return;
    for (const step of launch.steps) {
      if (step.kind !== 'unknown' || step.missing === undefined) continue;
      if (!(await isCertainlyMissing(step.missing, stage, await ctx.runFacts()))) continue;
      const copies = stage.copies.map((c) => c.dest);
      const context = ctx.env.fs.context;
      const excluded = [...context.ignoredHits].find((p) => basename(p) === basename(step.missing ?? ''));
      const place = { at: { file: ctx.env.dockerfile.displayPath, span: step.at.span }, label: step.at.label };
      const data = { command: step.at.label, path: String(step.missing), base: rootStage(stage).base };
      if (excluded) ctx.report({ ...place, messageId: 'dockerignored', data: { ...data, dockerignore: context.dockerignore ?? '.dockerignore', excluded } });
      else ctx.report({ ...place, messageId: 'missing', data: { ...data, copies: copies.length ? ` Files are copied to: ${[...new Set(copies)].slice(0, 4).join(', ')}.` : '' } });
    }
  },
});
