import { keyValues } from '../model/instructions.js';
import { varReferences } from '../parsers/variables.js';
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
      // The pairs by key (in order): each value is scanned once for the keys it refers to, not
      // once per key (an ENV of thousands of words stays linear).
      const byKey = new Map<string, number[]>();
      pairs.forEach((pair, i) => byKey.set(pair.key, [...(byKey.get(pair.key) ?? []), i]));
      pairs.forEach((other, i) => {
        const text = other.valueText ?? '';
        let first = -1;
        for (const key of referencedKeys(text, byKey, ctx.dockerfile.escape)) {
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

/**
 * The keys of `byKey` that `text` refers to, operands included (`${A:-$KEY}`): `$KEY`, `${KEY}` or
 * `${KEY:...}` (not `${KEY-x}`, `${KEY%x}`), read as the builder reads the word: an escaped `\$KEY`
 * and a single-quoted `'$KEY'` are text, not references.
 */
function referencedKeys(text: string, byKey: Map<string, unknown>, escape: string): Set<string> {
  const out = new Set<string>();
  for (const ref of varReferences(text, { operands: true, escape, quotes: true })) {
    if ((ref.modifier === '' || ref.modifier.startsWith(':')) && byKey.has(ref.name)) out.add(ref.name);
  }
  return out;
}
