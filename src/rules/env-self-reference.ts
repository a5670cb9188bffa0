import { keyValues } from '../model/instructions.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'env-self-reference',
  severity: 'error',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: 'ENV that uses a variable it defines in the same instruction',
  peers: { hadolint: ['DL3044'] },
  messages: {
    selfRef: {
      message: '`{other}` uses `${name}`, which this same ENV defines: variables in an ENV are expanded with the values from before the instruction, so `${name}` there has its value from before this ENV (empty unless the base image sets it), not `{value}`.',
      hint: 'Split it: `ENV {name}={value}` first, then a second ENV that uses `${name}`.',
    },
  },
  docs: {
    what: 'An ENV with several pairs where one value refers (`$NAME`, `${NAME}`, `${NAME:-x}`) to a NAME set by another pair of the same ENV, when NAME was not already defined by an earlier ENV or ARG.',
    why: 'Docker expands the whole instruction before setting any of it: the reference gets the old (usually empty) value.',
    bad: 'FROM alpine:3.20\nENV APP_HOME=/app APP_BIN=$APP_HOME/bin',
    good: 'FROM alpine:3.20\nENV APP_HOME=/app\nENV APP_BIN=$APP_HOME/bin',
    howToFix: 'Define the variable in an ENV of its own before using it.',
  },
  check(ctx) {
    const defined = new Set<string>();
    for (const view of ctx.view.instructions) {
      if (view.keyword === 'FROM' && !view.onbuild) defined.clear();
      if (view.keyword === 'ARG') for (const kv of keyValues(view.inst, ctx.dockerfile.escape)) defined.add(kv.key);
      if (view.keyword !== 'ENV') continue;
      const pairs = keyValues(view.inst, ctx.dockerfile.escape);
      // The pairs by key (in order) and the lengths of the keys: each value is scanned once for
      // the keys it refers to, not once per key (an ENV of thousands of words stays linear).
      const byKey = new Map<string, number[]>();
      pairs.forEach((pair, i) => byKey.set(pair.key, [...(byKey.get(pair.key) ?? []), i]));
      const lengths = [...new Set(pairs.map((pair) => pair.key.length))].filter((n) => n > 0).sort((a, b) => a - b);
      pairs.forEach((other, i) => {
        const text = other.valueText ?? '';
        let first = -1;
        for (const key of referencedKeys(text, byKey, lengths)) {
          if (defined.has(key)) continue;
          const at = (byKey.get(key) ?? []).find((j) => j !== i);
          if (at !== undefined && (first === -1 || at < first)) first = at;
        }
        const pair = pairs[first];
        if (!pair) return;
        ctx.report({
          messageId: 'selfRef',
          data: { other: `${other.key}=${text}`, name: pair.key, value: pair.valueText ?? '' },
          at: { file: ctx.env.dockerfile.displayPath, span: other.span },
        });
      });
      for (const kv of pairs) defined.add(kv.key);
    }
  },
});

const WORD_CHAR = /[A-Za-z0-9_]/;

/**
 * The keys of `byKey` that `text` refers to: `${KEY}` or `${KEY:...}`, or `$KEY` not followed by
 * a letter, digit or `_`. One pass over the `$` of the text, trying only the key lengths there are.
 */
function referencedKeys(text: string, byKey: Map<string, unknown>, lengths: number[]): Set<string> {
  const out = new Set<string>();
  for (let p = text.indexOf('$'); p !== -1; p = text.indexOf('$', p + 1)) {
    for (const n of lengths) {
      // `$KEY`, then not a word character.
      const plain = p + 1 + n;
      if (plain > text.length) break;
      const after = text[plain];
      if (after === undefined || !WORD_CHAR.test(after)) {
        const key = text.slice(p + 1, plain);
        if (byKey.has(key)) out.add(key);
      }
    }
    if (text[p + 1] !== '{') continue;
    for (const n of lengths) {
      // `${KEY` then `}` or `:`.
      const end = p + 2 + n;
      if (end >= text.length) break;
      if (text[end] !== '}' && text[end] !== ':') continue;
      const key = text.slice(p + 2, end);
      if (byKey.has(key)) out.add(key);
    }
  }
  return out;
}
