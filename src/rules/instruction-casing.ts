import { defineRule } from './rule.js';

export default defineRule({
  id: 'instruction-casing',
  severity: 'info',
  category: 'style',
  recommended: true,
  scope: 'instructions',
  fixable: true,
  title: 'Instruction keywords in mixed case',
  peers: { buildkit: ['ConsistentInstructionCasing'] },
  messages: {
    casing: {
      message: '`{keyword}` is not in the case of the file\'s other instructions ({casing}).',
      hint: 'Write `{expected}`.',
    },
  },
  docs: {
    what: 'An instruction keyword that is in mixed case (`Run`), or in upper case in a file written mostly in lower case (or the reverse).',
    why: 'Keywords are case-insensitive; one casing keeps the file easy to scan and grep.',
    bad: 'FROM alpine:3.20\nrun echo hi\nCMD ["sh"]',
    good: 'FROM alpine:3.20\nRUN echo hi\nCMD ["sh"]',
    howToFix: 'Use one casing (upper case by convention).',
    example: { bad: 'mixed and minority casing' },
    autofix: [
      { safety: 'safe', what: 'Rewrites the keyword in the casing of the file\'s other instructions (`Run` -> `RUN`)', why: 'Docker reads keywords in any case, so only the spelling changes' },
    ],
  },
  check(ctx) {
    const src = ctx.env.dockerfile;
    const words = ctx.dockerfile.instructions.map((inst) => {
      const k = inst.keywordSpan;
      const start = src.offsetOf(k.line, k.column);
      const end = src.offsetOf(k.endLine, k.endColumn);
      return { span: k, start, end, text: src.text.slice(start, end) };
    });
    let lower = 0;
    let upper = 0;
    for (const w of words) {
      if (w.text === w.text.toLowerCase()) lower++;
      else if (w.text === w.text.toUpperCase()) upper++;
    }
    const majorityLower = lower > upper;
    for (const w of words) {
      const expected = majorityLower ? w.text.toLowerCase() : w.text.toUpperCase();
      if (w.text === expected) continue;
      const file = ctx.env.dockerfile.displayPath;
      ctx.report({
        messageId: 'casing',
        data: { keyword: w.text, casing: majorityLower ? 'lower case' : 'upper case', expected },
        at: { file, span: w.span },
        fix: { safety: 'safe', title: `Write ${expected}`, edits: [{ file, start: w.start, end: w.end, text: expected }] },
      });
    }
  },
});
