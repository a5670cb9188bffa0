import { fromView, keyValues } from '../model/instructions.js';
import { suggestion } from '../model/suggest.js';
import { isName, varReferences } from '../parsers/variables.js';
import { defineRule } from './rule.js';

/** ARGs BuildKit defines for FROM without a declaration. */
const PREDEFINED = new Set(['BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT', 'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'TARGETSTAGE', 'BUILDKIT_SBOM_SCAN_STAGE']);

/** The variables named in a FROM word, guarded ones (`${X:-default}`) too; not those in operands. */
function varsIn(text: string): string[] {
  return varReferences(text).map((ref) => ref.name).filter(isName);
}

export default defineRule({
  id: 'from-arg-undefined',
  severity: 'warning',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: 'FROM uses an ARG not declared before the first FROM',
  peers: { buildkit: ['UndefinedArgInFrom'] },
  messages: {
    undefined: {
      message: '`FROM` uses `${name}`, but no ARG {name} is declared before the first FROM: FROM only sees global ARGs, so it expands to an empty string{suggest}.',
      hint: 'Declare it above the first FROM: `ARG {name}=<default>`.',
    },
  },
  docs: {
    what: 'A variable in a FROM image or `--platform` that is neither a global ARG (declared before the first FROM) nor one BuildKit predefines (`BUILDPLATFORM`, `TARGETARCH`, ...).',
    why: 'An ARG declared inside a stage is not visible to FROM; the image name silently loses that part.',
    bad: 'FROM alpine:3.20 AS base\nARG VERSION=1.27\nFROM nginx:${VERSION}',
    good: 'ARG VERSION=1.27\nFROM nginx:${VERSION}',
    howToFix: 'Move or copy the ARG above the first FROM.',
  },
  check(ctx) {
    const global = new Set<string>();
    for (const view of ctx.view.instructions) {
      if (view.onbuild) continue;
      if (view.keyword === 'ARG' && view.stageIndex < 0) for (const kv of keyValues(view.inst, ctx.dockerfile.escape)) global.add(kv.key);
      if (view.keyword !== 'FROM') continue;
      const from = fromView(view.inst, ctx.dockerfile.escape);
      const texts = [from.image?.text ?? '', from.platform?.value ?? ''];
      const seen = new Set<string>();
      for (const name of texts.flatMap(varsIn)) {
        if (global.has(name) || PREDEFINED.has(name) || seen.has(name)) continue;
        seen.add(name);
        const s = suggestion(name, global);
        ctx.report({ messageId: 'undefined', data: { name, suggest: s ? ` (did you mean ${s}?)` : '' }, at: { file: ctx.env.dockerfile.displayPath, span: view.inst.span.line === view.inst.keywordSpan.line ? (from.image?.span ?? view.inst.keywordSpan) : view.inst.keywordSpan } });
      }
    }
  },
});
