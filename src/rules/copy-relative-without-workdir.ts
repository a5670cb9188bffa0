import { copyView } from '../model/instructions.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'copy-relative-without-workdir',
  severity: 'warning',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: 'COPY to a relative destination with no WORKDIR set',
  peers: { hadolint: ['DL3045'] },
  messages: {
    relative: {
      message: '`{keyword} ... {dest}` copies to a relative path, and no WORKDIR is set in this stage: the files land under whatever folder the base image set, which can change with the base image.',
      hint: 'Set `WORKDIR /app` before it, or write an absolute destination.',
    },
  },
  docs: {
    what: 'COPY or ADD with a destination that does not start with `/`, a drive letter or a `$variable`, in a stage (and the stages it builds on) with no WORKDIR before it.',
    why: 'Relative destinations depend on the base image\'s WORKDIR, which the Dockerfile does not control.',
    bad: 'FROM node:22\nCOPY package.json .',
    good: 'FROM node:22\nWORKDIR /app\nCOPY package.json .',
    howToFix: 'Add a WORKDIR, or make the destination absolute.',
  },
  check(ctx) {
    const workdirAt = new Map<number, number>();
    for (const view of ctx.view.instructions) {
      if (view.onbuild) continue;
      if (view.keyword === 'WORKDIR' && !workdirAt.has(view.stageIndex)) workdirAt.set(view.stageIndex, view.inst.span.line);
      if (view.keyword !== 'COPY' && view.keyword !== 'ADD') continue;
      const dest = copyView(view.inst, ctx.dockerfile.escape).dest;
      if (!dest) continue;
      const d = (dest.value ?? dest.text).replace(/^["']|["']$/g, '');
      if (d.startsWith('/') || d.startsWith('$') || /^[A-Za-z]:/.test(d) || d.startsWith('\\')) continue;
      let set = workdirAt.has(view.stageIndex);
      for (let s = view.stage?.baseStage ?? null; s; s = s.baseStage) if (workdirAt.has(s.index)) set = true;
      if (set) continue;
      ctx.report({ messageId: 'relative', data: { keyword: view.keyword, dest: d }, at: { file: ctx.env.dockerfile.displayPath, span: dest.span } });
    }
  },
});
