import { defineRule } from './rule.js';

/** `# hadolint ignore=DL3008` (not `global ignore`), as hadolint's pragma parser reads it. */
const HADOLINT_INLINE = /^#\s*hadolint\s+ignore\s*=\s*\S/;
/** `# dockerlint ignore=rule` (not `ignore-file`). */
const DOCKERLINT_INLINE = /^#\s*dockerlint\s+ignore\s*=\s*\S/;

export default defineRule({
  id: 'inline-suppression',
  severity: 'info',
  category: 'style',
  recommended: false,
  scope: 'instructions',
  title: 'An inline suppression comment (`# hadolint ignore=`, `# dockerlint ignore=`)',
  peers: { hadolint: [{ code: 'DL1001', note: 'also flags dockerlint\'s own `# dockerlint ignore=`' }] },
  messages: {
    inline: {
      message: '`{comment}` silences findings for the next instruction only, where a reviewer of the rules does not see it.',
      hint: 'Fix what it silences, or set the rule for the whole project in `.dockerlint.yaml` (under `rules:`), where the exception is reviewed once.',
    },
  },
  docs: {
    what: 'A comment that silences rules for the next instruction: `# hadolint ignore=DL3008,DL3015` (hadolint\'s inline pragma; `# hadolint global ignore=` is not flagged, as in hadolint) or dockerlint\'s own `# dockerlint ignore=rule` (`ignore-file` is not flagged). Comment lines inside heredoc bodies are file content and are not read.',
    why: 'A policy some teams keep: exceptions belong in the project\'s configuration, where they are reviewed in one place, not scattered over Dockerfiles. It is a policy, not a defect, so it is off in `recommended` (hadolint ships DL1001 off as well).',
    bad: 'FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get update && apt-get install -y --no-install-recommends curl',
    good: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl',
    howToFix: 'Remove the comment and fix the finding, or configure the rule for the whole project.',
  },
  check(ctx) {
    const src = ctx.env.dockerfile;
    if (!src.text.includes('ignore')) return;
    const heredocLines: [number, number][] = ctx.dockerfile.instructions.flatMap((i) => i.heredocs.map((h): [number, number] => [h.span.line, h.span.endLine]));
    const lines = src.text.split('\n');
    for (const [i, raw] of lines.entries()) {
      const n = i + 1;
      const line = raw.replace(/\r$/, '');
      const lead = line.length - line.trimStart().length;
      const text = line.slice(lead);
      if (!HADOLINT_INLINE.test(text) && !DOCKERLINT_INLINE.test(text)) continue;
      if (heredocLines.some(([a, b]) => n >= a && n <= b)) continue;
      ctx.report({ messageId: 'inline', data: { comment: text.trimEnd() }, at: { file: src.displayPath, span: { line: n, column: lead + 1, endLine: n, endColumn: line.length + 1 } } });
    }
  },
});
