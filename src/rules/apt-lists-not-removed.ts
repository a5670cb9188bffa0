import { cacheMountCovers, removesTree } from '../model/packages.js';
import { defineRule } from './rule.js';

const UPDATERS = new Set(['apt-get', 'apt', 'aptitude']);

export default defineRule({
  id: 'apt-lists-not-removed',
  severity: 'info',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: 'apt lists left in the image after `apt-get update`',
  peers: { hadolint: ['DL3009'] },
  messages: {
    lists: {
      message: '`{cmd} update` downloads the package lists into /var/lib/apt/lists, and this RUN does not remove them: the layer keeps tens of megabytes of lists that are stale the day after the build.',
      hint: 'End the same RUN with `&& rm -rf /var/lib/apt/lists/*`, or use `RUN --mount=type=cache,target=/var/lib/apt/lists ...`.',
    },
  },
  docs: {
    what: 'A RUN of the final image (the last stage, or a stage a later FROM builds on) that runs `apt-get update` without removing `/var/lib/apt/lists` in the same RUN, and without a cache or tmpfs mount for them.',
    why: 'Files deleted in a later RUN still take space in the earlier layer; the lists only help the build itself.',
    bad: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl',
    good: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*',
    howToFix: 'Remove the lists in the RUN that downloaded them.',
  },
  async check(ctx) {
    const stages = ctx.model.stages;
    // A builder stage the final image does not build on can keep its lists.
    const shipped = (index: number): boolean =>
      index < 0 || index === stages.length - 1 || stages.some((s) => s.index > index && s.baseStage?.index === index);
    for (const { view, run } of await ctx.view.allRuns()) {
      // An ONBUILD trigger runs in the image built FROM this one: it always ships.
      if (!view.onbuild && !shipped(view.stageIndex)) continue;
      const update = run.commands.find((c) => c.name !== null && UPDATERS.has(c.name) && c.hasArg('update'));
      if (!update) continue;
      if (run.commands.some((c) => removesTree(c, '/var/lib/apt/lists'))) continue;
      const flags = view.inst.flags;
      if (cacheMountCovers(flags, '/var/lib/apt/lists') || (cacheMountCovers(flags, '/var/lib/apt') && cacheMountCovers(flags, '/var/cache/apt'))) continue;
      ctx.report({ messageId: 'lists', data: { cmd: update.name ?? 'apt-get' }, at: { file: ctx.env.dockerfile.displayPath, span: update.span } });
    }
  },
});
