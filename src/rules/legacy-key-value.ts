import { keyValues } from '../model/instructions.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'legacy-key-value',
  severity: 'warning',
  category: 'style',
  recommended: true,
  scope: 'instructions',
  title: '`ENV key value` and `ARG key value` (legacy form without `=`)',
  peers: { buildkit: ['LegacyKeyValueFormat'] },
  messages: {
    legacy: {
      message: '`{keyword} {key} {value}` uses the legacy space-separated form: the whole rest of the line becomes the value (spaces and quotes included), and the form is deprecated.',
      hint: 'Write `{keyword} {key}={quoted}`.',
    },
  },
  docs: {
    what: 'ENV, ARG and LABEL written as `KEY value` instead of `KEY=value`.',
    why: 'The legacy form is easy to misread (`ENV A B=C` sets A to `B=C`) and BuildKit warns that it will go away.',
    bad: 'FROM alpine:3.20\nENV APP_HOME /app',
    good: 'FROM alpine:3.20\nENV APP_HOME=/app',
    howToFix: 'Add `=` between the key and the value, quoting the value if it has spaces.',
  },
  check(ctx) {
    for (const view of ctx.view.instructions) {
      if (view.keyword !== 'ENV' && view.keyword !== 'LABEL' && view.keyword !== 'ARG') continue;
      const [kv] = keyValues(view.inst, ctx.dockerfile.escape);
      if (!kv?.legacy) continue;
      // `ARG NAME` alone declares; `ARG NAME value` is the legacy form.
      const value = kv.valueText ?? '';
      const quoted = /\s/.test(value) && !/^".*"$/.test(value) ? `"${value.replace(/"/g, '\\"')}"` : value;
      ctx.report({ messageId: 'legacy', data: { keyword: view.keyword, key: kv.key, value, quoted }, at: { file: ctx.env.dockerfile.displayPath, span: view.inst.keywordSpan } });
    }
  },
});
