import { fromView } from '../model/instructions.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'stage-name-casing',
  severity: 'info',
  category: 'style',
  recommended: true,
  scope: 'instructions',
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
  },
  check(ctx) {
    for (const view of ctx.view.byKeyword('FROM', { onbuild: false })) {
      const from = fromView(view.inst, ctx.dockerfile.escape);
      const file = ctx.env.dockerfile.displayPath;
      if (from.alias && from.alias.text !== from.alias.text.toLowerCase() && !from.alias.text.includes('$')) {
        ctx.report({ messageId: 'name', data: { name: from.alias.text, lower: from.alias.text.toLowerCase() }, at: { file, span: from.alias.span } });
      }
      if (from.asWord) {
        const kw = ctx.env.dockerfile.text.slice(ctx.env.dockerfile.offsetOf(view.inst.keywordSpan.line, view.inst.keywordSpan.column), ctx.env.dockerfile.offsetOf(view.inst.keywordSpan.endLine, view.inst.keywordSpan.endColumn));
        const as = from.asWord.text;
        const fromUpper = kw === kw.toUpperCase();
        const fromLower = kw === kw.toLowerCase();
        if ((fromUpper && as !== as.toUpperCase()) || (fromLower && as !== as.toLowerCase())) {
          ctx.report({ messageId: 'asCasing', data: { as, from: kw, expected: fromUpper ? 'AS' : 'as' }, at: { file, span: from.asWord.span } });
        }
      }
    }
  },
});
