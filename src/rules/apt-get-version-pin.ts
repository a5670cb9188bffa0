import { aptGetPackages, isAptGetInstall } from '../model/packages.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'apt-get-version-pin',
  severity: 'info',
  category: 'build',
  recommended: false,
  scope: 'instructions',
  title: '`apt-get install` of a package without a version',
  peers: { hadolint: ['DL3008'] },
  messages: {
    unpinned: {
      message: '`apt-get install {pkg}` without a version: the build installs whatever version the mirror has that day, so two builds of the same Dockerfile can differ.',
      hint: 'Pin it as `{pkg}=<version>` (see `apt-cache policy {pkg}`), or accept the drift and leave this rule off.',
    },
  },
  docs: {
    what: 'A package word of `apt-get install` with no `=version`, that is not a `.deb` file or a path. Words computed at build time (`$PKGS`) are not judged.',
    why: 'Unpinned packages make builds irreproducible. Pinned ones break when the mirror drops the old version, which is why this rule is off in `recommended`.',
    bad: 'FROM debian:12\nRUN apt-get install -y curl',
    good: 'FROM debian:12\nRUN apt-get install -y curl=7.88.1-10+deb12u5',
    howToFix: 'Write `package=version` for each package.',
  },
  async check(ctx) {
    await ctx.view.forEachCommand((cmd) => {
      if (!isAptGetInstall(cmd)) return;
      for (const pkg of aptGetPackages(cmd)) {
        const v = pkg.value;
        if (v === null || v.includes('=') || v.includes('/') || v.endsWith('.deb')) continue;
        ctx.report({ messageId: 'unpinned', data: { pkg: v }, at: { file: ctx.env.dockerfile.displayPath, span: pkg.span } });
      }
    });
  },
});
