import { defineRule } from './rule.js';

export default defineRule({
  id: 'multiple-entrypoint',
  severity: 'error',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: 'More than one ENTRYPOINT in a stage',
  peers: { hadolint: ['DL4004'], buildkit: ['MultipleInstructionsDisallowed'] },
  messages: {
    ignored: {
      message: 'This ENTRYPOINT is ignored: a later ENTRYPOINT (line {later}) in the same stage replaces it, because only the last ENTRYPOINT of a stage is the image\'s entrypoint.',
      hint: 'Keep one ENTRYPOINT per stage: remove this one, or merge it into the one on line {later}.',
    },
  },
  docs: {
    what: 'A ENTRYPOINT followed by another ENTRYPOINT in the same stage (the finding is on the one that has no effect; ONBUILD triggers are not counted).',
    why: 'Docker keeps only the last one: the earlier ENTRYPOINT is dead text that a reader takes for the real one.',
    bad: 'FROM alpine:3.20\nENTRYPOINT ["one"]\nENTRYPOINT ["two"]',
    good: 'FROM alpine:3.20\nENTRYPOINT ["two"]',
    howToFix: 'Delete the ENTRYPOINT that has no effect.',
  },
  check(ctx) {
    for (const { view, laterLine } of ctx.view.replacedInStage('ENTRYPOINT')) {
      ctx.report({ messageId: 'ignored', data: { later: laterLine }, at: { file: ctx.env.dockerfile.displayPath, span: view.inst.keywordSpan } });
    }
  },
});
