import { shipsIn } from '../model/instructions.js';
import { cacheMountCovers } from '../model/packages.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'yarn-cache-not-cleaned',
  severity: 'info',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: '`yarn install` without `yarn cache clean` after it',
  peers: { hadolint: ['DL3060'] },
  messages: {
    cache: {
      message: '`yarn install` leaves its package cache in the layer: no `yarn cache clean` follows it in this RUN.',
      hint: 'End the RUN with `&& yarn cache clean`, or use `RUN --mount=type=cache,target=/usr/local/share/.cache/yarn ...`.',
    },
  },
  docs: {
    what: 'A RUN of the image being built (the last stage or `--target`, and every stage it is built on through `FROM <stage>`) with `yarn install` and no `yarn cache clean` after it, without a cache or tmpfs mount on `.cache/yarn`.',
    why: 'The yarn cache holds a copy of every package, as large as node_modules itself.',
    bad: 'FROM node:22\nRUN yarn install --frozen-lockfile',
    good: 'FROM node:22\nRUN yarn install --frozen-lockfile && yarn cache clean',
    howToFix: 'Clean the cache in the RUN that filled it.',
  },
  async check(ctx) {
    // A builder stage the built image does not build on can keep its cache.
    const ships = shipsIn(ctx.stage);
    for (const { view, run } of await ctx.view.allRuns(['yarn'])) {
      if (!ships(view)) continue;
      if (cacheMountCovers(view.inst.flags, '.cache/yarn')) continue;
      const cmds = run.commands;
      const at = cmds.findIndex((c) => c.name === 'yarn' && c.hasArg('install'));
      const install = cmds[at];
      if (!install) continue;
      if (cmds.slice(at + 1).some((c) => c.name === 'yarn' && c.hasArg('cache') && c.hasArg('clean'))) continue;
      ctx.report({ messageId: 'cache', at: { file: ctx.env.dockerfile.displayPath, span: install.program.span } });
    }
  },
});
