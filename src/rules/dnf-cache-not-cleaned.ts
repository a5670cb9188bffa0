import { shipsIn } from '../model/instructions.js';
import { cacheMountCovers, removesTree } from '../model/packages.js';
import { defineRule } from './rule.js';

const TOOLS = new Set(['dnf', 'microdnf']);
const INSTALL = ['install', 'in', 'upgrade', 'up', 'upgrade-minimal', 'up-min', 'reinstall', 'rei'];

export default defineRule({
  id: 'dnf-cache-not-cleaned',
  severity: 'info',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: '`dnf install` without `dnf clean all` in the same RUN',
  peers: { hadolint: ['DL3040'] },
  messages: {
    cache: {
      message: '`{tool} {verb}` leaves its package cache in the layer: no `dnf clean all` follows it in this RUN, and a later RUN cannot shrink this layer.',
      hint: 'End the RUN with `&& dnf clean all` (or mount a cache: `RUN --mount=type=cache,target=/var/cache/libdnf5 ...`).',
    },
  },
  docs: {
    what: 'A RUN of the image being built (the last stage or `--target`, or a stage it is built on through `FROM <stage>`; ONBUILD triggers too) with `dnf` `install` / `in` / `upgrade` / `up` / `upgrade-minimal` / `up-min` / `reinstall` / `rei` and no `dnf clean all` (or `rm -rf /var/cache/libdnf5*`) after it in the same RUN, and no cache or tmpfs mount on the cache folder.',
    why: 'Metadata and downloaded packages stay in the image, often tens of megabytes.',
    bad: 'FROM fedora:40\nRUN dnf install -y httpd',
    good: 'FROM fedora:40\nRUN dnf install -y httpd && dnf clean all',
    howToFix: 'Clean the cache in the RUN that filled it.',
  },
  async check(ctx) {
    // A builder stage the built image does not build on can keep its cache.
    const ships = shipsIn(ctx.stage);
    for (const { view, run } of await ctx.view.allRuns(['dnf'])) {
      if (!ships(view)) continue;
      if (['/var/cache/libdnf5', '.cache/libdnf5', '/var/cache/dnf'].some((m) => cacheMountCovers(view.inst.flags, m))) continue;
      const cmds = run.commands;
      const at = cmds.findIndex((c) => c.name !== null && TOOLS.has(c.name) && c.args.some((a) => a.value !== null && INSTALL.includes(a.value)));
      if (at < 0) continue;
      const cmd = cmds[at];
      if (!cmd) continue;
      const cleaned = cmds.slice(at + 1).some((c) => (c.name === cmd.name && c.hasArg('clean') && c.hasArg('all')) || ['/var/cache/dnf', '/var/cache/yum', '/var/cache/libdnf5'].some((p) => removesTree(c, p)));
      if (cleaned) continue;
      const verb = cmd.args.find((a) => a.value !== null && INSTALL.includes(a.value))?.value ?? 'install';
      ctx.report({ messageId: 'cache', data: { tool: cmd.name ?? '', verb }, at: { file: ctx.env.dockerfile.displayPath, span: cmd.program.span } });
    }
  },
});
