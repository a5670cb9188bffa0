import { maintainerView } from '../model/instructions.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'maintainer-deprecated',
  severity: 'warning',
  category: 'style',
  recommended: true,
  scope: 'instructions',
  fixable: true,
  title: 'MAINTAINER instruction',
  peers: { hadolint: ['DL4000'], buildkit: ['MaintainerDeprecated'] },
  messages: {
    maintainer: {
      message: 'MAINTAINER is deprecated: it sets a legacy image field that tools no longer read.',
      hint: 'Use `LABEL org.opencontainers.image.authors="{who}"`.',
    },
  },
  docs: {
    what: 'A MAINTAINER instruction.',
    why: 'The author belongs in the standard OCI label, where registries and scanners show it.',
    bad: 'FROM alpine:3.20\nMAINTAINER Jane Doe <jane@example.com>',
    good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"',
    howToFix: 'Replace it with the label (the fix does).',
    autofix: [
      { safety: 'safe', what: 'Replaces a one-line MAINTAINER with `LABEL org.opencontainers.image.authors="..."` (not when the text has quotes, backslashes or `$`)', why: 'the author moves to the standard label; MAINTAINER\'s legacy field is read by nothing' },
    ],
  },
  check(ctx) {
    for (const view of ctx.view.byKeyword('MAINTAINER', { onbuild: false })) {
      const who = maintainerView(view.inst).text;
      const file = ctx.env.dockerfile.displayPath;
      const sp = view.inst.span;
      const src = ctx.env.dockerfile;
      const start = src.offsetOf(sp.line, sp.column);
      const end = src.offsetOf(sp.endLine, sp.endColumn);
      const single = sp.line === sp.endLine && !/["\\$`]/.test(who);
      ctx.report({
        messageId: 'maintainer',
        data: { who },
        at: { file, span: view.inst.keywordSpan },
        ...(single ? { fix: { safety: 'safe' as const, title: 'Use the OCI authors label', edits: [{ file, start, end, text: `LABEL org.opencontainers.image.authors="${who}"` }] } } : {}),
      });
    }
  },
});
