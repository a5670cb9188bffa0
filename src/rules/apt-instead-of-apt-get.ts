import { defineRule } from './rule.js';

export default defineRule({
  id: 'apt-instead-of-apt-get',
  severity: 'warning',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: '`apt` in a RUN instruction',
  peers: { hadolint: ['DL3027'] },
  messages: {
    apt: {
      message: '`apt` is the interactive front end: its output and options are not stable for scripts, and it warns "apt does not have a stable CLI interface" in every build.',
      hint: 'Use `apt-get` (install, update, remove) or `apt-cache` (search, policy).',
    },
  },
  docs: {
    what: 'A command named `apt` in a RUN.',
    why: 'apt\'s behaviour is meant for people at a terminal and may change between releases; apt-get\'s is kept stable for scripts.',
    bad: 'FROM debian:12\nRUN apt update && apt install -y curl',
    good: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl',
    howToFix: 'Replace `apt` with `apt-get` (or `apt-cache` for queries).',
  },
  async check(ctx) {
    await ctx.view.forEachCommand((cmd) => {
      if (cmd.name === 'apt') ctx.report({ messageId: 'apt', at: { file: ctx.env.dockerfile.displayPath, span: cmd.program.span } });
    });
  },
});
