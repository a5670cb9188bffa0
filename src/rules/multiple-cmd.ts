import { defineRule } from './rule.js';

export default defineRule({
  id: 'multiple-cmd',
  severity: 'warning',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: 'More than one CMD in a stage',
  peers: { hadolint: ['DL4003'], buildkit: ['MultipleInstructionsDisallowed'] },
  messages: {
    ignored: {
      message: 'This CMD is ignored: a later CMD (line {later}) in the same stage replaces it, because only the last CMD of a stage is the image\'s default command.',
      hint: 'Keep one CMD per stage: remove this one, or merge it into the one on line {later}.',
    },
  },
  docs: {
    what: 'A CMD followed by another CMD in the same stage (the finding is on the one that has no effect; ONBUILD triggers are not counted).',
    why: 'Docker keeps only the last one: the earlier CMD is dead text that a reader takes for the real one.',
    bad: 'FROM alpine:3.20\nCMD ["one"]\nCMD ["two"]',
    good: 'FROM alpine:3.20\nCMD ["two"]',
    howToFix: 'Delete the CMD that has no effect.',
  },
  check(ctx) {
    for (const { view, laterLine } of ctx.view.replacedInStage('CMD')) {
      ctx.report({ messageId: 'ignored', data: { later: laterLine }, at: { file: ctx.env.dockerfile.displayPath, span: view.inst.keywordSpan } });
    }
  },
});
