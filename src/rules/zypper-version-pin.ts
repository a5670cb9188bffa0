import { operands } from '../model/packages.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'zypper-version-pin',
  severity: 'info',
  category: 'build',
  recommended: false,
  scope: 'instructions',
  title: '`zypper install` of a package without a version',
  peers: { hadolint: ['DL3037'] },
  messages: {
    unpinned: {
      message: '`zypper install {pkg}` without a version: the build installs whatever the repository has that day.',
      hint: 'Pin it as `{pkg}=<version>` (or `>=`, `<`), or leave this rule off if you accept the drift.',
    },
  },
  docs: {
    what: 'A package of `zypper install`/`in` without `=`, `<` or `>`, that is not an `.rpm` file.',
    why: 'Unpinned packages make builds irreproducible, which pins trade for breakage when versions disappear; off in `recommended`.',
    bad: 'FROM opensuse/leap:15.6\nRUN zypper install -y curl && zypper clean',
    good: 'FROM opensuse/leap:15.6\nRUN zypper install -y curl=8.6.0 && zypper clean',
    howToFix: 'Write `name=version` for each package.',
  },
  async check(ctx) {
    await ctx.view.forEachCommand((cmd) => {
      if (cmd.name !== 'zypper' || !cmd.hasArg('install', 'in')) return;
      for (const w of operands(cmd, ['r', 'repo', 't', 'type', 'from'], ['install', 'in'])) {
        const pkg = w.value;
        if (pkg === null || /[=<>]/.test(pkg) || pkg.endsWith('.rpm')) continue;
        ctx.report({ messageId: 'unpinned', data: { pkg }, at: { file: ctx.env.dockerfile.displayPath, span: w.span } });
      }
    });
  },
});
