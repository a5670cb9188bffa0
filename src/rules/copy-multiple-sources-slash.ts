import { copyView } from '../model/instructions.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'copy-multiple-sources-slash',
  severity: 'error',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  fixable: true,
  title: 'COPY of several sources to a destination without a trailing `/`',
  peers: { hadolint: ['DL3021'] },
  messages: {
    slash: {
      message: '`COPY` of {count} sources to `{dest}`: with more than one source the destination must be a folder written with a trailing `/`, or the build fails ("When using COPY with more than one source file, the destination must be a directory and end with a /").',
      hint: 'Write `{dest}/`.',
    },
  },
  docs: {
    what: 'COPY (shell or JSON form) with two or more sources whose destination does not end with `/`; not `.`, which BuildKit reads as `./` (the classic builder refused it, and hadolint\'s DL3021 still reports it).',
    why: 'Docker refuses the build.',
    bad: 'FROM alpine:3.20\nCOPY a.txt b.txt /data',
    good: 'FROM alpine:3.20\nCOPY a.txt b.txt /data/',
    howToFix: 'Add the trailing slash.',
    autofix: [
      { safety: 'safe', what: 'Appends `/` to the destination of a shell-form COPY', why: 'without it the build fails; with it the sources land in the folder, as meant' },
    ],
  },
  check(ctx) {
    for (const view of ctx.view.byKeyword('COPY')) {
      const copy = copyView(view.inst, ctx.dockerfile.escape);
      const dest = copy.dest;
      if (!dest || copy.sources.length < 2) continue;
      const d = (dest.value ?? dest.text).replace(/^["']|["']$/g, '');
      if (d.endsWith('/') || d.endsWith('\\')) continue;
      // BuildKit reads `.` as `./`, the working folder (the classic builder did not).
      if (d === '.') continue;
      const file = ctx.env.dockerfile.displayPath;
      const exact = ctx.env.dockerfile.text.slice(dest.start, dest.end) === dest.text && !copy.json && !/["']$/.test(dest.text);
      ctx.report({
        messageId: 'slash',
        data: { count: copy.sources.length, dest: d },
        at: { file, span: dest.span },
        ...(exact ? { fix: { safety: 'safe' as const, title: 'Add a trailing /', edits: [{ file, start: dest.end, end: dest.end, text: '/' }] } } : {}),
      });
    }
  },
});
