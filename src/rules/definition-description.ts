import { keyValues, fromView } from '../model/instructions.js';
import { defineRule } from './rule.js';

/**
 * Comments for tools that must sit right above their instruction (`# hadolint ignore=DL3008`,
 * `# dockerlint ignore=...`, `# renovate: datasource=...`, `# check=skip=...`): an empty line
 * would break them, and they are not meant as descriptions.
 */
const ANNOTATION = /^(hadolint\s|dockerlint\s|shellcheck\s|renovate:|check\s*=|syntax\s*=|escape\s*=)/i;

export default defineRule({
  id: 'definition-description',
  severity: 'info',
  category: 'style',
  recommended: false,
  scope: 'instructions',
  fixable: true,
  title: 'The comment right above a named stage or an ARG does not start with its name',
  peers: { buildkit: [{ code: 'InvalidDefinitionDescription', note: 'an empty line between the comment and the instruction ends the description, as BuildKit documents it; tool annotations (`# hadolint ignore=`, `# renovate:`) are not flagged' }] },
  messages: {
    stage: {
      message: 'The comment right above `FROM ... AS {name}` is taken as the description of stage `{name}` (`docker build --call=outline` and `--call=targets` show it), but it does not start with the name: `# {first} ...`.',
      hint: 'Start it with the name (`# {name} <description>`), or put an empty line between the comment and the FROM.',
    },
    arg: {
      message: 'The comment right above `ARG {names}` is taken as the description of the build argument (`docker build --call=outline` shows it), but it does not start with its name: `# {first} ...`.',
      hint: 'Start it with the name (`# {example} <description>`), or put an empty line between the comment and the ARG.',
    },
  },
  docs: {
    what: 'A comment on the line right above `FROM ... AS name` or an ARG whose first word is not the stage name (as BuildKit lowercases it) or one of the ARG\'s names. Only the nearest comment line counts; a `#` line with nothing after it or an empty line in between ends the description, as do parser directives. ONBUILD ARG is not read. Tool annotations that must stay right above their instruction (`# hadolint ignore=...`, `# dockerlint ignore=...`, `# renovate: ...`, `# check=...`) are not descriptions and are left alone (BuildKit flags them too).',
    why: 'BuildKit reads such a comment as the description of the stage or build argument in `docker build --call=outline` and `--call=targets`; a section comment (`# Build stage`) shows up there as a wrong description. It is a BuildKit experimental check and a convention of those commands, so it is off in `recommended`.',
    bad: '# Build the binary\nFROM golang:1.23 AS build\n# The version to build\nARG VERSION=1.0',
    good: '# build compiles the binary\nFROM golang:1.23 AS build\n# VERSION is the version to build\nARG VERSION=1.0',
    howToFix: 'Start the comment with the name, or separate it from the instruction with an empty line.',
    autofix: [
      { safety: 'safe', what: 'Puts an empty line between the comment and the instruction', why: 'the comment is then no description; comments and empty lines change nothing in the image' },
    ],
  },
  check(ctx) {
    const src = ctx.env.dockerfile;
    if (!src.text.includes('#')) return;
    const directiveLines = new Set(ctx.dockerfile.directives.map((d) => d.line));
    const file = src.displayPath;
    let prevEnd = 0;
    for (const view of ctx.view.instructions) {
      if (view.onbuild) continue;
      const inst = view.inst;
      const start = inst.keywordSpan.line;
      const lowerBound = prevEnd;
      prevEnd = inst.span.endLine;
      if (inst.keyword !== 'FROM' && inst.keyword !== 'ARG') continue;
      const above = start - 1;
      if (above <= lowerBound || directiveLines.has(above)) continue;
      const line = src.line(above).trimStart();
      if (!line.startsWith('#')) continue;
      const comment = line.slice(1).trim();
      if (comment === '') continue;
      // A tool's annotation must stay right above its instruction: it is no description to fix.
      if (ANNOTATION.test(comment)) continue;
      const first = comment.split(' ')[0] ?? '';
      const at = { file, span: inst.keywordSpan };
      const lineStart = src.offsetOf(start, 1);
      const fix = { safety: 'safe' as const, title: 'Separate the comment with an empty line', edits: [{ file, start: lineStart, end: lineStart, text: '\n' }] };
      if (inst.keyword === 'FROM') {
        const alias = fromView(inst, ctx.dockerfile.escape).alias;
        if (!alias) continue;
        const name = alias.text.toLowerCase();
        if (first === name) continue;
        ctx.report({ messageId: 'stage', data: { name, first }, at, fix });
      } else {
        const keys = keyValues(inst, ctx.dockerfile.escape).map((kv) => kv.key);
        if (keys.length === 0 || keys.includes(first)) continue;
        ctx.report({ messageId: 'arg', data: { names: keys.join(' '), first, example: keys.length > 1 ? '<name>' : (keys[0] ?? '') }, at, fix });
      }
    }
  },
});
