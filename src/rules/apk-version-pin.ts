import { apkPackages, isApkAdd } from '../model/packages.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'apk-version-pin',
  severity: 'info',
  category: 'build',
  recommended: false,
  scope: 'instructions',
  title: '`apk add` of a package without a version',
  peers: { hadolint: ['DL3018'] },
  messages: {
    unpinned: {
      message: '`apk add {pkg}` without a version: the build installs whatever the repository has that day, so two builds of the same Dockerfile can differ.',
      hint: 'Pin it as `{pkg}=<version>` or `{pkg}~<major.minor>`, or leave this rule off if you accept the drift.',
    },
  },
  docs: {
    what: 'A package word of `apk add` without `=`, `~`, `>` or `<`, that is not a `.apk` file. The values of `--virtual`/`-t`, `--repository`/`-X` are not packages; words computed at build time are not judged.',
    why: 'Unpinned packages make builds irreproducible; Alpine drops old versions from its repositories, so pins break too, which is why this rule is off in `recommended`.',
    bad: 'FROM alpine:3.20\nRUN apk add --no-cache curl',
    good: 'FROM alpine:3.20\nRUN apk add --no-cache curl~8',
    howToFix: 'Write `package=version` or `package~version` for each package.',
  },
  async check(ctx) {
    await ctx.view.forEachCommand((cmd) => {
      if (!isApkAdd(cmd)) return;
      for (const pkg of apkPackages(cmd)) {
        const v = pkg.value;
        if (v === null || /[=~<>]/.test(v) || v.endsWith('.apk')) continue;
        ctx.report({ messageId: 'unpinned', data: { pkg: v }, at: { file: ctx.env.dockerfile.displayPath, span: pkg.span } });
      }
    });
  },
});
