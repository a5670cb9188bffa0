import { posix } from 'node:path';
import { isPlainOs } from '../model/base-images.js';
import type { Stage } from '../model/image.js';
import { workdirView, type InstructionView, type InstWord } from '../model/instructions.js';
import type { Fix } from '../findings.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'workdir-relative',
  severity: 'warning',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  fixable: true,
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
    autofix: [
      {
        safety: 'safe',
        what: 'Writes the absolute path the relative one resolves to, where the folder it starts from is known: the stage (and the stages it builds on) has no WORKDIR before it and is built on a plain OS image or `scratch`, whose folder is `/`',
        why: 'the WORKDIR is the same folder as before; it no longer depends on the base image',
      },
    ],
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
      const file = ctx.env.dockerfile.displayPath;
      ctx.report({ messageId: 'relative', data: { path }, at: { file, span: word.span }, ...absoluteFix(ctx.env.dockerfile.text, file, word, path, view, ctx.view.byKeyword('WORKDIR', { onbuild: false })) });
    }
  },
});

/**
 * The WORKDIR written absolute, when the folder it is relative to is `/` for sure: no WORKDIR
 * before it in its stage or the stages it builds on, and the first of them is built on a plain
 * OS image (whose config sets no working folder) or `scratch`. Distroless and Chainguard images
 * are left out: their configs may set one.
 */
function absoluteFix(text: string, file: string, word: InstWord, relative: string, view: InstructionView, workdirs: readonly InstructionView[]): { fix?: Fix } {
  const chain = new Set<number>();
  let root: Stage | null = view.stage;
  for (let s = view.stage; s; s = s.baseStage) {
    chain.add(s.index);
    root = s;
  }
  if (!root || !isPlainOs(root) || /distroless|chainguard/.test(root.base)) return {};
  if (workdirs.some((w) => w !== view && chain.has(w.stageIndex) && (w.stageIndex !== view.stageIndex || w.inst.span.line < view.inst.span.line))) return {};
  if (text.slice(word.start, word.end) !== word.text) return {};
  const quote = /^["']/.test(word.text) ? word.text[0] : '';
  if (word.text !== `${quote}${relative}${quote}` || relative.includes('\\')) return {};
  const absolute = posix.resolve('/', relative) + (relative.endsWith('/') && relative.replace(/\/+$/, '') !== '' ? '/' : '');
  return { fix: { safety: 'safe', title: `Write WORKDIR ${absolute}`, edits: [{ file, start: word.start, end: word.end, text: `${quote}${absolute}${quote}` }] } };
}
