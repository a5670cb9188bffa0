import { writtenAsIs } from '../model/command-view.js';
import { shipsIn } from '../model/instructions.js';
import { isAptGetInstall } from '../model/packages.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'apt-get-install-recommends',
  severity: 'info',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  fixable: true,
  title: '`apt-get install` without `--no-install-recommends`',
  peers: { hadolint: ['DL3015'] },
  messages: {
    recommends: {
      message: '`apt-get install` without `--no-install-recommends` also installs every "recommended" package: often tens of megabytes the image never uses.',
      hint: 'Add `--no-install-recommends` and name the packages the image needs.',
    },
  },
  docs: {
    what: '`apt-get install` without `--no-install-recommends` and without `-o APT::Install-Recommends=false`, in a RUN of the image being built (the last stage or `--target`, or a stage it is built on through `FROM <stage>`; ONBUILD triggers too): a builder stage that is only `COPY --from`\'d ships none of its packages.',
    why: 'Recommended packages make the image larger and add software (and vulnerabilities) nothing asked for.',
    bad: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl',
    good: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl',
    howToFix: 'Add `--no-install-recommends`; if a tool then misses something, install that package by name.',
    autofix: [
      {
        safety: 'unsafe',
        what: 'Inserts ` --no-install-recommends` after `install` (not in JSON strings with escapes, whose offsets are not exact)',
        why: 'the recommended packages are no longer installed: a program that relied on one of them (a CA bundle, a locale, a helper tool) may fail until that package is named',
      },
    ],
  },
  async check(ctx) {
    // A builder stage the built image does not build on ships none of its packages.
    const ships = shipsIn(ctx.stage);
    await ctx.view.forEachCommand((cmd, view) => {
      if (!isAptGetInstall(cmd) || !ships(view)) return;
      if (cmd.hasFlag('no-install-recommends') || cmd.hasArg('APT::Install-Recommends=false', 'APT::Install-Recommends=0')) return;
      const file = ctx.env.dockerfile.displayPath;
      const install = cmd.args.find((a) => a.value === 'install');
      const fix =
        install && writtenAsIs(ctx.env.dockerfile.text, install)
          ? { fix: { safety: 'unsafe' as const, title: 'Add --no-install-recommends', edits: [{ file, start: install.end, end: install.end, text: ' --no-install-recommends' }] } }
          : {};
      ctx.report({ messageId: 'recommends', at: { file, span: cmd.program.span }, ...fix });
    }, ['apt-get']);
  },
});
