import { validReference } from '../model/base-images.js';
import { fromView, keyValues } from '../model/instructions.js';
import { expandWord } from '../model/expand.js';
import { NAME } from '../parsers/variables.js';
import { defineRule } from './rule.js';

/** `$NAME` or `${NAME...`, the name in group 1. */
const REFERENCE = new RegExp(`\\$\\{?(${NAME})`, 'g');

export default defineRule({
  id: 'from-arg-default-invalid',
  severity: 'warning',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: 'Global ARG defaults give FROM an empty or invalid image name',
  peers: { buildkit: ['InvalidDefaultArgInFrom'] },
  messages: {
    invalid: {
      message: '`FROM {image}` with the ARG defaults becomes `{result}`, which is not a valid image reference: a build without `--build-arg` fails.',
      hint: 'Give the ARG a default that makes a valid image (`ARG {arg}=<value>`).',
    },
    empty: {
      message: '`FROM {image}` with the ARG defaults becomes an empty image name: a build without `--build-arg` fails.',
      hint: 'Give the ARG a default that makes a valid image (`ARG {arg}=<value>`).',
    },
  },
  docs: {
    what: 'A FROM image built from global ARGs whose defaults (an ARG without one counts as empty) make an empty or invalid reference, like `alpine:` or `:3.20`.',
    why: 'The Dockerfile only builds when every caller passes the build argument.',
    bad: 'ARG TAG\nFROM alpine:${TAG}',
    good: 'ARG TAG=3.20\nFROM alpine:${TAG}',
    howToFix: 'Add defaults to the global ARGs FROM uses.',
  },
  check(ctx) {
    const global = new Map<string, string | null>();
    for (const view of ctx.view.instructions) {
      if (view.onbuild) continue;
      if (view.keyword === 'ARG' && view.stageIndex < 0) {
        for (const kv of keyValues(view.inst, ctx.dockerfile.escape)) {
          const v = kv.valueText === null ? { value: '', known: true } : expandWord(kv.valueText, (n) => global.get(n) ?? '', ctx.dockerfile.escape);
          global.set(kv.key, v.known ? v.value : null);
        }
      }
      if (view.keyword !== 'FROM') continue;
      const image = fromView(view.inst, ctx.dockerfile.escape).image;
      if (!image || !image.text.includes('$')) continue;
      const names = [...image.text.matchAll(REFERENCE)].map((m) => m[1] ?? '');
      // Only global ARGs with known defaults are judged (an undeclared one is from-arg-undefined's).
      if (names.some((n) => !global.has(n) || global.get(n) === null)) continue;
      const e = expandWord(image.text, (n) => global.get(n) ?? '', ctx.dockerfile.escape);
      if (!e.known || validReference(e.value) || e.value.toLowerCase() === 'scratch') continue;
      const arg = names.find((n) => global.get(n) === '') ?? names[0] ?? '';
      const at = { file: ctx.env.dockerfile.displayPath, span: image.span };
      // An empty result has no code to show: say it in words (an empty code span shows nothing).
      if (e.value.trim() === '') ctx.report({ messageId: 'empty', data: { image: image.text, arg }, at });
      else ctx.report({ messageId: 'invalid', data: { image: image.text, result: e.value, arg }, at });
    }
  },
});
