import type { Edit } from '../findings.js';
import { copyView, fromView, type InstructionView } from '../model/instructions.js';
import type { SourceFile } from '../parsers/source.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'stage-name-casing',
  severity: 'info',
  category: 'style',
  recommended: true,
  scope: 'instructions',
  fixable: true,
  title: 'Stage name not in lower case, or `AS` in another case than `FROM`',
  peers: { buildkit: ['StageNameCasing', 'FromAsCasing'] },
  messages: {
    name: {
      message: 'Stage name `{name}` is not lower case: BuildKit lower-cases stage names, so `--from={name}` and `--target {name}` work only by that conversion, and two names that differ only in case collide.',
      hint: 'Write it `{lower}` (and every reference to it).',
    },
    asCasing: {
      message: '`{as}` and `{from}` differ in case: write the keywords of one instruction the same way.',
      hint: 'Write `{expected}`.',
    },
  },
  docs: {
    what: 'A stage name with upper-case letters, and `FROM ... AS` where `AS` is not in the case of `FROM` (`FROM x as y`, `from x AS y`).',
    why: 'Stage names are case-insensitive; mixed case suggests a distinction that does not exist.',
    bad: 'FROM golang:1.23 as Build',
    good: 'FROM golang:1.23 AS build',
    howToFix: 'Lower-case the stage name; match the case of AS to FROM.',
    autofix: [
      {
        safety: 'safe',
        what: 'Lower-cases the stage name, and the references to it in this file (`FROM Name`, `COPY --from=Name`); writes `AS` in the case of `FROM`',
        why: 'BuildKit lower-cases stage names and their references already (a `--mount=from=` or `--target` left as it was still finds the stage), and keywords are read in any case',
      },
    ],
  },
  check(ctx) {
    for (const view of ctx.view.byKeyword('FROM', { onbuild: false })) {
      const from = fromView(view.inst, ctx.dockerfile.escape);
      const file = ctx.env.dockerfile.displayPath;
      if (from.alias && from.alias.text !== from.alias.text.toLowerCase() && !from.alias.text.includes('$')) {
        const lower = from.alias.text.toLowerCase();
        ctx.report({
          messageId: 'name',
          data: { name: from.alias.text, lower },
          at: { file, span: from.alias.span },
          fix: { safety: 'safe', title: `Name the stage ${lower}`, edits: [{ file, start: from.alias.start, end: from.alias.end, text: lower }, ...references(ctx.view.instructions, ctx.env.dockerfile, ctx.dockerfile.escape, lower)] },
        });
      }
      if (from.asWord) {
        const kw = ctx.env.dockerfile.text.slice(ctx.env.dockerfile.offsetOf(view.inst.keywordSpan.line, view.inst.keywordSpan.column), ctx.env.dockerfile.offsetOf(view.inst.keywordSpan.endLine, view.inst.keywordSpan.endColumn));
        const as = from.asWord.text;
        const fromUpper = kw === kw.toUpperCase();
        const fromLower = kw === kw.toLowerCase();
        if ((fromUpper && as !== as.toUpperCase()) || (fromLower && as !== as.toLowerCase())) {
          const expected = fromUpper ? 'AS' : 'as';
          ctx.report({
            messageId: 'asCasing',
            data: { as, from: kw, expected },
            at: { file, span: from.asWord.span },
            fix: { safety: 'safe', title: `Write ${expected}`, edits: [{ file, start: from.asWord.start, end: from.asWord.end, text: expected }] },
          });
        }
      }
    }
  },
});

/** Edits lower-casing the references to stage `name` written in another case: `FROM Name`, `COPY --from=Name`. */
function references(views: readonly InstructionView[], src: SourceFile, escape: string, lower: string): Edit[] {
  const out: Edit[] = [];
  for (const view of views) {
    if (view.onbuild) continue;
    if (view.keyword === 'FROM') {
      const image = fromView(view.inst, escape).image;
      if (image && image.text !== lower && image.text.toLowerCase() === lower) out.push({ file: src.displayPath, start: image.start, end: image.end, text: lower });
    } else if (view.keyword === 'COPY' || view.keyword === 'ADD') {
      const flag = copyView(view.inst, escape).from;
      if (!flag || flag.value === null || flag.value === lower || flag.value.toLowerCase() !== lower) continue;
      const start = src.offsetOf(flag.span.line, flag.span.column);
      const end = src.offsetOf(flag.span.endLine, flag.span.endColumn);
      const written = src.text.slice(start, end);
      if (written === `--from=${flag.value}`) out.push({ file: src.displayPath, start, end, text: `--from=${lower}` });
    }
  }
  return out;
}
