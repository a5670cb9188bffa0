import SPDX_IDS from 'spdx-license-ids/index.json' with { type: 'json' };
import SPDX_DEPRECATED from 'spdx-license-ids/deprecated.json' with { type: 'json' };
import type { Stage } from '../model/image.js';
import { copyView, fromView, keyValues, type InstructionView } from '../model/instructions.js';
import { defineRule } from './rule.js';

type LabelType = 'text' | 'url' | 'spdx' | 'hash' | 'rfc3339' | 'semver' | 'email';

interface Options {
  /** Required labels and the type of their value. */
  labels: Record<string, LabelType>;
  /** Labels not in `labels` are reported too. */
  strict: boolean;
  /** Which stages must carry the labels: the image being built, or every stage (hadolint's DL3049). */
  stages: 'image' | 'every';
}

/**
 * The stages without `label` when every stage is asked (hadolint's DL3049): a stage that sets it,
 * or is built on a stage that does, has it; a stage that lacks it is let off when a later stage
 * copies from it (`COPY --from=name`) or, built on it, sets the label itself.
 */
function stagesMissing(views: readonly InstructionView[], label: string, escape: string): Stage[] {
  const good = new Set<Stage>();
  const bad = new Set<Stage>();
  const letOff = (name: string): void => {
    for (const s of bad) if (s.name !== null && s.name === name) bad.delete(s);
  };
  for (const view of views) {
    const stage = view.stage;
    if (view.onbuild || !stage) continue;
    if (view.keyword === 'FROM') {
      const base = fromView(view.inst, escape).ref?.repository.toLowerCase() ?? '';
      if ([...good].some((g) => g.name !== null && g.name === base)) good.add(stage);
      else bad.add(stage);
    } else if (view.keyword === 'COPY') {
      const from = copyView(view.inst, escape).from?.value;
      if (from) letOff(from.toLowerCase());
    } else if (view.keyword === 'LABEL' && keyValues(view.inst, escape).some((kv) => kv.key === label)) {
      letOff(stage.name ?? fromView(stage.from, escape).ref?.repository.toLowerCase() ?? '');
      good.add(stage);
      bad.delete(stage);
    }
  }
  return [...bad];
}

let spdxIds: Set<string> | null = null;
/** An SPDX license identifier (current or deprecated), with an optional `+`. */
function isSpdx(value: string): boolean {
  spdxIds ??= new Set([...SPDX_IDS, ...SPDX_DEPRECATED]);
  return spdxIds.has(value.replace(/\+$/, ''));
}

const VALID: Record<Exclude<LabelType, 'text'>, (v: string) => boolean> = {
  url: (v) => {
    try {
      return new URL(v).protocol.length > 1;
    } catch {
      return false;
    }
  },
  spdx: isSpdx,
  hash: (v) => /^[0-9a-f]{40}$|^[0-9a-f]{7}$/.test(v),
  rfc3339: (v) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)),
  semver: (v) => /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/.test(v),
  email: (v) => /^[^\s@"<>()[\]\\,;:]+@[^\s@"<>()[\]\\,;:]+\.[^\s@"<>()[\]\\,;:]+$/.test(v),
};

const TYPE_TEXT: Record<Exclude<LabelType, 'text'>, string> = {
  url: 'a URL',
  spdx: 'an SPDX license identifier (`MIT`, `Apache-2.0`)',
  hash: 'a git commit hash (7 or 40 hex digits)',
  rfc3339: 'an RFC 3339 time (`2024-05-01T12:00:00Z`)',
  semver: 'a semantic version (`1.2.3`)',
  email: 'an e-mail address',
};

export default defineRule({
  id: 'label-schema',
  severity: 'info',
  category: 'style',
  recommended: false,
  scope: 'instructions',
  title: 'Labels missing, empty or not of the type the label schema asks for',
  peers: { hadolint: [{ code: 'DL3049', equivalent: false, note: 'by default this rule asks the image being built (the last stage, or --target) for the labels, so a builder stage without labels is not flagged; with the option `stages: every` it asks every stage as hadolint does (all 19 of its cases agree)' }, 'DL3050', 'DL3051', 'DL3052', 'DL3053', 'DL3054', 'DL3055', 'DL3056', 'DL3058'] },
  options: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        labels: { type: 'object', additionalProperties: { enum: ['text', 'url', 'spdx', 'hash', 'rfc3339', 'semver', 'email'] }, description: 'Required labels and the type of their value.' },
        strict: { type: 'boolean', description: 'Also report labels the schema does not name.' },
        stages: { enum: ['image', 'every'], description: 'Which stages must carry the labels: the image being built (default), or every stage, as hadolint asks (DL3049).' },
      },
    },
    defaults: { labels: {}, strict: false, stages: 'image' } as Options,
  },
  messages: {
    missing: { message: 'The image has no label `{label}`, which the label schema requires.', hint: 'Add `LABEL {label}=<value>` to the final stage.' },
    missingInStage: { message: 'Stage {stage} has no label `{label}`, which the label schema requires of every stage (`stages: every`).', hint: 'Add `LABEL {label}=<value>` to this stage, or to a stage it is built on.' },
    empty: { message: 'Label `{label}` is empty.', hint: 'Give `{label}` a value, or remove it.' },
    badValue: { message: 'Label `{label}` is `{value}`, which is not {type}.', hint: 'Write {type} as the value of `{label}`.' },
    superfluous: { message: 'Label `{label}` is not in the label schema (strict labels are on).', hint: 'Remove it, or add it to the schema.' },
  },
  docs: {
    what: 'With the `labels` option (a label schema: label name -> text, url, spdx, hash, rfc3339, semver, email): a required label the final image does not set, a label set empty, a value not of its type, and with `strict`, a label the schema does not name. With `stages: every`, every stage is asked for the labels, as hadolint\'s DL3049 asks: a stage that lacks one is let off when a later stage copies from it or, built on it, sets the label.',
    why: 'Teams that rely on labels for provenance (source URL, revision, licence) want every image to carry them, well-formed. It needs a schema (the `labels` option, or `label-schema` in a .hadolint.yaml), so it is off in `recommended` and does nothing without one.',
    bad: 'FROM alpine:3.20\nLABEL org.opencontainers.image.source=not-a-url',
    good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.source=https://github.com/example/app',
    howToFix: 'Set the labels the schema asks for, with values of their type.',
  },
  check(ctx) {
    const schema = ctx.options.labels;
    const names = Object.keys(schema);
    if (names.length === 0 && !ctx.options.strict) return;
    const file = ctx.env.dockerfile.displayPath;
    const last = ctx.model.stages[ctx.model.stages.length - 1];
    const chain = new Set<number>();
    for (let s: Stage | null = last ?? null; s; s = s.baseStage) chain.add(s.index);
    const seen = new Set<string>();
    for (const view of ctx.view.byKeyword('LABEL', { onbuild: false })) {
      for (const kv of keyValues(view.inst, ctx.dockerfile.escape)) {
        if (chain.has(view.stageIndex) || view.stageIndex < 0) seen.add(kv.key);
        const type = Object.hasOwn(schema, kv.key) ? schema[kv.key] : undefined;
        if (!type) {
          if (ctx.options.strict) ctx.report({ messageId: 'superfluous', data: { label: kv.key }, at: { file, span: kv.keySpan } });
          continue;
        }
        const value = kv.value;
        if (value === '' || kv.valueText === '') ctx.report({ messageId: 'empty', data: { label: kv.key }, at: { file, span: kv.span } });
        else if (value !== null && type !== 'text' && !VALID[type](value)) ctx.report({ messageId: 'badValue', data: { label: kv.key, value, type: TYPE_TEXT[type] }, at: { file, span: kv.span } });
      }
    }
    if (!last) return;
    if (ctx.options.stages === 'every') {
      for (const label of names) {
        for (const stage of stagesMissing(ctx.view.instructions, label, ctx.dockerfile.escape)) {
          ctx.report({ messageId: 'missingInStage', data: { label, stage: stage.name ? `\`${stage.name}\`` : `${stage.index}` }, at: { file, span: stage.from.keywordSpan } });
        }
      }
      return;
    }
    for (const label of names) if (!seen.has(label)) ctx.report({ messageId: 'missing', data: { label }, at: { file, span: last.from.keywordSpan } });
  },
});
