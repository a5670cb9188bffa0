import { insertAfterWord } from '../fix/builders/dockerfile.js';
import { shipsIn } from '../model/instructions.js';
import { cacheMountCovers, isApkAdd } from '../model/packages.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'apk-add-no-cache',
  severity: 'info',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  fixable: true,
  title: '`apk add` without `--no-cache`',
  peers: { hadolint: ['DL3019'] },
  messages: {
    noCache: {
      message: '`apk add` without `--no-cache` keeps the package index in /var/cache/apk in the layer.',
      hint: 'Use `apk add --no-cache ...` (it also makes `apk update` and removing /var/cache/apk unnecessary).',
    },
  },
  docs: {
    what: '`apk add` without `--no-cache` (or `--no-network`, which fetches no index), in a RUN of the image being built (the last stage or `--target`, or a stage it is built on through `FROM <stage>`; ONBUILD triggers too) without a cache or tmpfs mount on /var/cache/apk.',
    why: 'The index is only useful during the build; left in the layer it makes the image bigger.',
    bad: 'FROM alpine:3.20\nRUN apk update && apk add curl',
    good: 'FROM alpine:3.20\nRUN apk add --no-cache curl',
    howToFix: 'Add `--no-cache` after `apk add`.',
    autofix: [
      { safety: 'safe', what: 'Inserts ` --no-cache` after `add`', why: 'apk installs the same packages; only its index is not kept in the layer' },
    ],
  },
  async check(ctx) {
    // A builder stage the built image does not build on can keep its index.
    const ships = shipsIn(ctx.stage);
    await ctx.view.forEachCommand((cmd, view) => {
      // `--no-network` fetches no index, so it leaves none behind either.
      if (!isApkAdd(cmd) || cmd.hasFlag('no-cache', 'no-network') || !ships(view)) return;
      if (cacheMountCovers(view.inst.flags, '/var/cache/apk')) return;
      const add = cmd.args.find((a) => a.value === 'add');
      const file = ctx.env.dockerfile.displayPath;
      ctx.report({
        messageId: 'noCache',
        at: { file, span: cmd.program.span },
        ...insertAfterWord(ctx.env.dockerfile, add, ' --no-cache', 'Add --no-cache'),
      });
    }, ['apk']);
  },
});
