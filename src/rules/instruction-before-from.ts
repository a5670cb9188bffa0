import { defineRule } from './rule.js';

export default defineRule({
  id: 'instruction-before-from',
  severity: 'error',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: 'An instruction other than ARG before the first FROM',
  peers: { hadolint: ['DL3061'] },
  messages: {
    order: {
      message: '`{keyword}` before the first FROM: only ARG (and parser directives and comments) may come before FROM, so the build fails ("no build stage in current context").',
      hint: 'Move it after the FROM it belongs to.',
    },
  },
  docs: {
    what: 'Any instruction except ARG before the first FROM; once per file, at the first such instruction (a file with no FROM gets its input error instead).',
    why: 'The builder has no stage to apply it to and rejects the Dockerfile.',
    bad: 'LABEL org.opencontainers.image.title=app\nFROM alpine:3.20',
    good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.title=app',
    howToFix: 'Put FROM first (global ARGs may stay above it).',
  },
  check(ctx) {
    // A file with no FROM at all already has its input error; this rule is about the order.
    if (ctx.model.stages.length === 0) return;
    for (const view of ctx.view.instructions) {
      if (view.keyword === 'FROM' && !view.onbuild) return;
      if (view.keyword === 'ARG' || view.onbuild) continue;
      ctx.report({ messageId: 'order', data: { keyword: view.keyword }, at: { file: ctx.env.dockerfile.displayPath, span: view.inst.keywordSpan } });
      return;
    }
  },
});
