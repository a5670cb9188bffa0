import { shipsIn } from '../model/instructions.js';
import { cacheMountCovers, removesTree } from '../model/packages.js';
import { defineRule } from './rule.js';

const TOOLS = new Set(['zypper']);
const INSTALL = ['install', 'in'];

export default defineRule({
  id: 'zypper-cache-not-cleaned',
  severity: 'info',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: '`zypper install` without `zypper clean` in the same RUN',
  peers: { hadolint: ['DL3036'] },
  messages: {
    cache: {
      message: '`{tool} {verb}` leaves its package cache in the layer: no `zypper clean` follows it in this RUN, and a later RUN cannot shrink this layer.',
      hint: 'End the RUN with `&& zypper clean` (or mount a cache: `RUN --mount=type=cache,target=/var/cache/zypp ...`).',
    },
  },
  docs: {
    what: 'A RUN of the image being built (the last stage or `--target`, or a stage it is built on through `FROM <stage>`; ONBUILD triggers too) with `zypper` `install` / `in` and no `zypper clean` (or `rm -rf /var/cache/zypp*`) after it in the same RUN, and no cache or tmpfs mount on the cache folder.',
    why: 'Metadata and downloaded packages stay in the image, often tens of megabytes.',
    bad: 'FROM opensuse/leap:15.6\nRUN zypper install -y curl',
    good: 'FROM opensuse/leap:15.6\nRUN zypper install -y curl && zypper clean',
    howToFix: 'Clean the cache in the RUN that filled it.',
  },
  async check(ctx) {
    // A builder stage the built image does not build on can keep its cache.
    const ships = shipsIn(ctx.stage);
    for (const { view, run } of await ctx.view.allRuns(['zypper'])) {
      if (!ships(view)) continue;
      if (['/var/cache/zypp'].some((m) => cacheMountCovers(view.inst.flags, m))) continue;
      const cmds = run.commands;
      const at = cmds.findIndex((c) => c.name !== null && TOOLS.has(c.name) && c.args.some((a) => a.value !== null && INSTALL.includes(a.value)));
      if (at < 0) continue;
      const cmd = cmds[at];
      if (!cmd) continue;
      const cleaned = cmds.slice(at + 1).some((c) => (c.name === cmd.name && (c.hasArg('clean') || c.hasArg('cc'))) || removesTree(c, '/var/cache/zypp'));
      if (cleaned) continue;
      const verb = cmd.args.find((a) => a.value !== null && INSTALL.includes(a.value))?.value ?? 'install';
      ctx.report({ messageId: 'cache', data: { tool: cmd.name ?? '', verb }, at: { file: ctx.env.dockerfile.displayPath, span: cmd.program.span } });
    }
  },
});
