import { defineRule } from './rule.js';

export default defineRule({
  id: 'empty-continuation',
  severity: 'warning',
  category: 'style',
  recommended: true,
  scope: 'instructions',
  fixable: true,
  title: 'Empty line inside a continued instruction',
  peers: { buildkit: ['NoEmptyContinuation'] },
  messages: {
    empty: {
      message: 'Empty line inside a continued `{keyword}`: the builder skips it today, but it reads as the end of the instruction, and BuildKit plans to make it an error.',
      hint: 'Delete the empty line (a comment line is fine).',
    },
  },
  docs: {
    what: 'A blank line between the lines of an instruction continued with `\\` (or the escape character); heredoc bodies are not continuations.',
    why: 'A reader stops at the blank line; the next lines still belong to the instruction.',
    bad: 'FROM debian:12\nRUN apt-get update && \\\n\n    apt-get install -y curl',
    good: 'FROM debian:12\nRUN apt-get update && \\\n    apt-get install -y curl',
    howToFix: 'Remove the blank line (the fix does).',
    autofix: [
      { safety: 'safe', what: 'Deletes the blank line inside the continuation', why: 'the builder already skips it: the instruction stays the same' },
    ],
  },
  check(ctx) {
    const src = ctx.env.dockerfile;
    const esc = ctx.dockerfile.escape;
    for (const inst of ctx.dockerfile.instructions) {
      // The continued part ends where the first heredoc body starts.
      const last = inst.heredocs.length > 0 ? (inst.heredocs[0]?.span.line ?? inst.span.endLine) - 1 : inst.span.endLine;
      let continued = false;
      for (let n = inst.span.line; n <= last; n++) {
        const line = src.line(n).replace(/\r$/, '');
        if (continued && /^[ \t]*$/.test(line)) {
          const file = ctx.env.dockerfile.displayPath;
          const start = src.offsetOf(n, 1);
          const end = n < src.lineCount ? src.offsetOf(n + 1, 1) : src.text.length;
          ctx.report({ messageId: 'empty', data: { keyword: inst.keyword }, at: { file, span: src.lineSpan(n) }, fix: { safety: 'safe', title: 'Remove the empty line', edits: [{ file, start, end, text: '' }] } });
          continue;
        }
        if (continued && /^[ \t]*#/.test(line)) continue;
        const t = line.replace(/[ \t]+$/, '');
        continued = t.endsWith(esc) && !t.endsWith(esc + esc);
      }
    }
  },
});
