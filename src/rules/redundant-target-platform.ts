import { fromView } from '../model/instructions.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'redundant-target-platform',
  severity: 'info',
  category: 'style',
  recommended: true,
  scope: 'instructions',
  fixable: true,
  title: '`FROM --platform=$TARGETPLATFORM`',
  peers: { buildkit: ['RedundantTargetPlatform'], hadolint: ['DL3065'] },
  messages: {
    redundant: {
      message: '`FROM --platform={platform}` is what FROM does anyway: $TARGETPLATFORM is the default platform of every stage.',
      hint: 'Remove `--platform={platform}`.',
    },
  },
  docs: {
    what: '`FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`).',
    why: 'It changes nothing and suggests to a reader that the stage is special.',
    bad: 'FROM --platform=$TARGETPLATFORM alpine:3.20',
    good: 'FROM alpine:3.20',
    howToFix: 'Remove the flag (the fix does).',
    autofix: [
      { safety: 'safe', what: 'Removes `--platform=$TARGETPLATFORM` from FROM', why: '$TARGETPLATFORM is FROM\'s default: the stage is built the same way' },
    ],
  },
  check(ctx) {
    for (const view of ctx.view.byKeyword('FROM', { onbuild: false })) {
      const flag = fromView(view.inst, ctx.dockerfile.escape).platform;
      if (!flag || (flag.value !== '$TARGETPLATFORM' && flag.value !== '${TARGETPLATFORM}')) continue;
      const file = ctx.env.dockerfile.displayPath;
      const src = ctx.env.dockerfile;
      const start = src.offsetOf(flag.span.line, flag.span.column);
      let end = src.offsetOf(flag.span.endLine, flag.span.endColumn);
      while (src.text[end] === ' ' || src.text[end] === '\t') end++;
      const oneLine = flag.span.line === flag.span.endLine && src.text.slice(start, end).startsWith('--');
      ctx.report({
        messageId: 'redundant',
        data: { platform: flag.value },
        at: { file, span: flag.span },
        ...(oneLine ? { fix: { safety: 'safe' as const, title: 'Remove --platform', edits: [{ file, start, end, text: '' }] } } : {}),
      });
    }
  },
});
