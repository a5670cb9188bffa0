import { copyView } from '../model/instructions.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'copy-from-own-stage',
  severity: 'error',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: '`COPY --from` the stage it is in',
  peers: { hadolint: ['DL3023'] },
  messages: {
    self: {
      message: '`COPY --from={name}` inside stage `{name}` itself: a stage cannot copy from itself, so the build fails (circular dependency).',
      hint: 'Copy from an earlier stage, or use the path directly (the files are already in this stage).',
    },
  },
  docs: {
    what: '`COPY --from=NAME` (or `--from=INDEX`) in the stage named NAME.',
    why: 'BuildKit rejects the build with a circular-dependency error.',
    bad: 'FROM alpine:3.20 AS app\nCOPY --from=app /etc/os-release /x',
    good: 'FROM alpine:3.20 AS base\nFROM alpine:3.20 AS app\nCOPY --from=base /etc/os-release /x',
    howToFix: 'Point --from at another stage.',
  },
  check(ctx) {
    for (const view of ctx.view.byKeyword('COPY', { onbuild: false })) {
      const from = copyView(view.inst, ctx.dockerfile.escape).from;
      const stage = view.stage;
      if (!from?.value || !stage) continue;
      const v = from.value.toLowerCase();
      if (v !== stage.name && !(/^\d+$/.test(v) && Number(v) === stage.index)) continue;
      ctx.report({ messageId: 'self', data: { name: from.value }, at: { file: ctx.env.dockerfile.displayPath, span: from.span } });
    }
  },
});
