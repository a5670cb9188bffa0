import { isAptGetInstall } from '../model/packages.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'apt-get-install-recommends',
  severity: 'info',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: '`apt-get install` without `--no-install-recommends`',
  peers: { hadolint: ['DL3015'] },
  messages: {
    recommends: {
      message: '`apt-get install` without `--no-install-recommends` also installs every "recommended" package: often tens of megabytes the image never uses.',
      hint: 'Add `--no-install-recommends` and name the packages the image needs.',
    },
  },
  docs: {
    what: '`apt-get install` without `--no-install-recommends` and without `-o APT::Install-Recommends=false`.',
    why: 'Recommended packages make the image larger and add software (and vulnerabilities) nothing asked for.',
    bad: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl',
    good: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl',
    howToFix: 'Add `--no-install-recommends`; if a tool then misses something, install that package by name.',
  },
  async check(ctx) {
    await ctx.view.forEachCommand((cmd) => {
      if (!isAptGetInstall(cmd)) return;
      if (cmd.hasFlag('no-install-recommends') || cmd.hasArg('APT::Install-Recommends=false', 'APT::Install-Recommends=0')) return;
      ctx.report({ messageId: 'recommends', at: { file: ctx.env.dockerfile.displayPath, span: cmd.program.span } });
    });
  },
});
