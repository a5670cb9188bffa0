import { defineRule } from './rule.js';

export default defineRule({
  id: 'onbuild-forbidden-trigger',
  severity: 'error',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: 'ONBUILD holding ONBUILD, FROM or MAINTAINER',
  peers: { hadolint: ['DL3043'] },
  messages: {
    forbidden: {
      message: '`ONBUILD {keyword}` is not allowed: Docker refuses ONBUILD triggers that are ONBUILD, FROM or MAINTAINER, so the build fails.',
      hint: 'Move the {keyword} out of the ONBUILD.',
    },
  },
  docs: {
    what: 'An ONBUILD whose instruction is ONBUILD, FROM or MAINTAINER.',
    why: 'The builder rejects the Dockerfile.',
    bad: 'FROM alpine:3.20\nONBUILD FROM alpine:3.20',
    good: 'FROM alpine:3.20\nONBUILD RUN echo built',
    howToFix: 'Remove the forbidden trigger.',
  },
  check(ctx) {
    for (const view of ctx.view.instructions) {
      if (!view.onbuild || !['ONBUILD', 'FROM', 'MAINTAINER'].includes(view.keyword)) continue;
      ctx.report({ messageId: 'forbidden', data: { keyword: view.keyword }, at: { file: ctx.env.dockerfile.displayPath, span: view.inst.keywordSpan } });
    }
  },
});
