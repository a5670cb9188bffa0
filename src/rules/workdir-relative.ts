import { workdirView } from '../model/instructions.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'workdir-relative',
  severity: 'warning',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: 'Relative WORKDIR before any absolute one',
  peers: { buildkit: ['WorkdirRelativePath'], hadolint: ['DL3000'] },
  messages: {
    relative: {
      message: '`WORKDIR {path}` is relative, and no absolute WORKDIR comes before it in this stage: it lands under whatever folder the base image set, which can change with the base image.',
      hint: 'Write the absolute path: `WORKDIR /{path}` (or set an absolute WORKDIR first).',
    },
  },
  docs: {
    what: 'A relative WORKDIR (not starting with `/`, a drive letter, or a `$variable`) in a stage that has no absolute WORKDIR before it (also in the stages it builds on). A later relative WORKDIR after an absolute one is fine: its result is known.',
    why: 'The base image decides the starting folder; a relative WORKDIR makes every later COPY and RUN depend on it.',
    bad: 'FROM nginx:1.27\nWORKDIR usr/share/nginx/html',
    good: 'FROM nginx:1.27\nWORKDIR /usr/share/nginx/html',
    howToFix: 'Start the path with `/`.',
  },
  check(ctx) {
    const absoluteIn = new Set<number>();
    for (const view of ctx.view.byKeyword('WORKDIR', { onbuild: false })) {
      const word = workdirView(view.inst, ctx.dockerfile.escape).word;
      if (!word) continue;
      const path = (word.value ?? word.text).replace(/^["']|["']$/g, '');
      const absolute = path.startsWith('/') || path.startsWith('$') || /^[A-Za-z]:/.test(path) || path.startsWith('\\');
      let known = absoluteIn.has(view.stageIndex);
      for (let s = view.stage; s; s = s.baseStage) if (absoluteIn.has(s.index)) known = true;
      if (absolute) {
        absoluteIn.add(view.stageIndex);
        continue;
      }
      if (known) continue;
      absoluteIn.add(view.stageIndex); // fixing the first relative one fixes the ones after it
      ctx.report({ messageId: 'relative', data: { path }, at: { file: ctx.env.dockerfile.displayPath, span: word.span } });
    }
  },
});
