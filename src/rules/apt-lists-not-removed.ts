import { shipsIn } from '../model/instructions.js';
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
      hint: 'End the same RUN with `&& rm -rf /var/lib/apt/lists/*` (or `&& apt-get dist-clean` with apt 2.7.8 or later: Debian 13, Ubuntu 24.04), or use `RUN --mount=type=cache,target=/var/lib/apt/lists ...`.',
    },
  },
  docs: {
    what: 'A RUN of the image being built (the last stage or `--target`, and every stage it is built on through `FROM <stage>`, however deep) that runs `apt-get update` without removing `/var/lib/apt/lists` after it in the same RUN (`rm -rf`, or `apt-get dist-clean` / `distclean`, which apt 2.7.8 added to remove the package cache and the lists), and without a cache or tmpfs mount for them.',
    why: 'Files deleted in a later RUN still take space in the earlier layer; the lists only help the build itself.',
    bad: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl',
    good: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*',
    howToFix: 'Remove the lists in the RUN that downloaded them.',
  },
  async check(ctx) {
    // A builder stage the built image does not build on can keep its cache.
    const ships = shipsIn(ctx.stage);
    for (const { view, run } of await ctx.view.allRuns(['update'])) {
      if (!ships(view)) continue;
      const cmds = run.commands;
      const at = cmds.findIndex((c) => c.name !== null && UPDATERS.has(c.name) && c.hasArg('update'));
      const update = cmds[at];
      if (!update) continue;
      // Removed after the update: by rm, or by `apt-get distclean` (apt 2.7.8: the cache and the lists).
      if (cmds.slice(at + 1).some((c) => removesTree(c, '/var/lib/apt/lists') || (c.name !== null && UPDATERS.has(c.name) && c.hasArg('dist-clean', 'distclean')))) continue;
      const flags = view.inst.flags;
      if (cacheMountCovers(flags, '/var/lib/apt/lists') || (cacheMountCovers(flags, '/var/lib/apt') && cacheMountCovers(flags, '/var/cache/apt'))) continue;
      ctx.report({ messageId: 'lists', data: { cmd: update.name ?? 'apt-get' }, at: { file: ctx.env.dockerfile.displayPath, span: update.span } });
    }
  },
});
