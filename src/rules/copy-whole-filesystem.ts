import { findStage, rootStage, type Stage } from '../model/image.js';
import { copyView } from '../model/instructions.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'copy-whole-filesystem',
  severity: 'warning',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: '`COPY --from` of a whole filesystem onto `/`',
  peers: { hadolint: ['DL3067'] },
  messages: {
    whole: {
      message: '`COPY --from={from} / /` copies the other stage\'s entire filesystem over this one: its /etc/passwd, libraries and package database replace this stage\'s, and the image doubles in size.',
      hint: 'Copy only what the image needs (`COPY --from={from} /app /app`), or build FROM that stage.',
    },
  },
  docs: {
    what: '`COPY --from=...` with `/` as a source and `/` as the destination; not into a stage built FROM scratch (a build flattened into one layer: there is nothing to replace), nor from a stage built FROM scratch with no RUN (a root filesystem of files the build copies, such as the overlay of s6 services: only those files come).',
    why: 'It overwrites the system files of this stage and is almost always a shortcut that ships a whole build environment.',
    bad: 'FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build / /',
    good: 'FROM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build /go/bin/app /usr/local/bin/app',
    howToFix: 'Name the paths to copy.',
  },
  check(ctx) {
    // The stages a RUN runs in (a stage built on them runs it too).
    const running = new Set(ctx.view.byKeyword('RUN').map((v) => v.stageIndex));
    const runsIn = (stage: Stage): boolean => {
      for (let st: Stage | null = stage; st; st = st.baseStage) if (running.has(st.index)) return true;
      return false;
    };
    for (const view of ctx.view.byKeyword('COPY')) {
      const copy = copyView(view.inst, ctx.dockerfile.escape);
      const clean = (t: string): string => t.replace(/^["']|["']$/g, '');
      if (!copy.from || !copy.dest || clean(copy.dest.value ?? copy.dest.text) !== '/') continue;
      if (!copy.sources.some((s) => clean(s.value ?? s.text) === '/')) continue;
      // Into a stage built FROM scratch (flattening a build into one layer) nothing is replaced;
      // from a stage built FROM scratch that runs nothing, only the files the build put in it come.
      if (view.stage && fromScratch(view.stage)) continue;
      const source = copy.from.value === null ? null : findStage(ctx.model.stages.slice(0, Math.max(view.stageIndex, 0)), copy.from.value);
      if (source && fromScratch(source) && !runsIn(source)) continue;
      ctx.report({ messageId: 'whole', data: { from: copy.from.value ?? '' }, at: { file: ctx.env.dockerfile.displayPath, span: view.inst.keywordSpan } });
    }
  },
});

/** The stage is built FROM scratch, directly or through the stages it is built on. */
function fromScratch(stage: Stage): boolean {
  return rootStage(stage).base.toLowerCase() === 'scratch';
}
