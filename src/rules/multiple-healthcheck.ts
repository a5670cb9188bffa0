import { defineRule } from './rule.js';

export default defineRule({
  id: 'multiple-healthcheck',
  severity: 'error',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: 'More than one HEALTHCHECK in a stage',
  peers: { hadolint: ['DL3012'], buildkit: ['MultipleInstructionsDisallowed'] },
  messages: {
    ignored: {
      message: 'This HEALTHCHECK is ignored: a later HEALTHCHECK (line {later}) in the same stage replaces it, because only the last HEALTHCHECK of a stage is the image\'s health check.',
      hint: 'Keep one HEALTHCHECK per stage: remove this one, or merge it into the one on line {later}.',
    },
  },
  docs: {
    what: 'A HEALTHCHECK followed by another HEALTHCHECK in the same stage (the finding is on the one that has no effect; ONBUILD triggers are not counted).',
    why: 'Docker keeps only the last one: the earlier HEALTHCHECK is dead text that a reader takes for the real one.',
    bad: 'FROM alpine:3.20\nHEALTHCHECK CMD true\nHEALTHCHECK CMD wget -qO- http://localhost/ || exit 1',
    good: 'FROM alpine:3.20\nHEALTHCHECK CMD wget -qO- http://localhost/ || exit 1',
    howToFix: 'Delete the HEALTHCHECK that has no effect.',
  },
  check(ctx) {
    for (const { view, laterLine } of ctx.view.replacedInStage('HEALTHCHECK')) {
      ctx.report({ messageId: 'ignored', data: { later: laterLine }, at: { file: ctx.env.dockerfile.displayPath, span: view.inst.keywordSpan } });
    }
  },
});
