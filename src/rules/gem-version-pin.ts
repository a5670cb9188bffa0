import { defineRule } from './rule.js';

export default defineRule({
  id: 'gem-version-pin',
  severity: 'info',
  category: 'build',
  recommended: false,
  scope: 'instructions',
  title: '`gem install` of a gem without a version',
  peers: { hadolint: ['DL3028'] },
  messages: {
    unpinned: {
      message: '`gem install {pkg}` without a version: the build installs the newest release of the day.',
      hint: 'Pin it: `gem install {pkg}:<version>` (or `-v <version>`), or use a Gemfile.lock with `bundle install`.',
    },
  },
  docs: {
    what: 'A gem of `gem install` (or `gem i`) without `:version`, when the command has no `-v`/`--version`.',
    why: 'Unpinned gems make builds irreproducible; off in `recommended`.',
    bad: 'FROM ruby:3.3\nRUN gem install bundler',
    good: 'FROM ruby:3.3\nRUN gem install bundler:2.5.22',
    howToFix: 'Write `gem:version`.',
  },
  async check(ctx) {
    await ctx.view.forEachCommand((cmd) => {
      if (cmd.name !== 'gem' || !(cmd.subcommand === 'install' || cmd.subcommand === 'i')) return;
      if (cmd.hasFlag('v', 'version')) return;
      // gem options take a value: skip the word after each option, up to `--`.
      const args = cmd.args;
      for (let i = 0; i < args.length; i++) {
        const v = args[i]?.value;
        if (v === '--') break;
        if (v === null || v === undefined) continue;
        if (v.startsWith('-')) {
          if (!v.includes('=')) i++;
          continue;
        }
        if (v === 'install' || v === 'i' || v.includes(':')) continue;
        const w = args[i];
        if (w) ctx.report({ messageId: 'unpinned', data: { pkg: v }, at: { file: ctx.env.dockerfile.displayPath, span: w.span } });
      }
    });
  },
});
