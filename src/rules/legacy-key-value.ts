import { mappedRange } from '../fix/builders/place.js';
import { keyValues } from '../model/instructions.js';
import type { Fix } from '../findings.js';
import type { Instruction } from '../parsers/dockerfile.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'legacy-key-value',
  severity: 'warning',
  category: 'style',
  recommended: true,
  scope: 'instructions',
  fixable: true,
  title: '`ENV key value` and `ARG key value` (legacy form without `=`)',
  peers: { buildkit: ['LegacyKeyValueFormat'] },
  messages: {
    legacy: {
      message: '`{keyword} {key} {value}` uses the legacy space-separated form: the whole rest of the line becomes the value (spaces and `=` signs included), and the form is deprecated.',
      hint: 'Write `{keyword} {key}={quoted}`.',
    },
    legacyArg: {
      message: '`ARG {key} {value}` sets no default: ARG takes several names separated by spaces, so BuildKit declares `{key}` and `{value}`, both without a value.',
      hint: 'Write `ARG {key}={quoted}` if `{value}` is meant as the default.',
    },
  },
  docs: {
    what: 'ENV, ARG and LABEL written as `KEY value` instead of `KEY=value`.',
    why: 'The legacy form is easy to misread (`ENV A B=C` sets A to `B=C`) and BuildKit warns that it will go away.',
    bad: 'FROM alpine:3.20\nENV APP_HOME /app',
    good: 'FROM alpine:3.20\nENV APP_HOME=/app',
    howToFix: 'Add `=` between the key and the value, quoting the value if it has spaces.',
    example: { bad: 'ENV, ARG and LABEL with a space' },
    autofix: [
      {
        safety: 'safe',
        what: 'Writes `KEY=value` on a one-line instruction: the value as written when it is one word or one quoted string, in double quotes when it has spaces and no quotes or escapes (no fix otherwise)',
        why: 'For ENV and LABEL, Docker expands and unquotes the value the same way in both forms, so the key gets the same value',
      },
      {
        safety: 'unsafe',
        what: 'The same for ARG: `ARG NAME value` becomes `ARG NAME=value`',
        why: 'BuildKit reads `ARG NAME value` as two declarations without defaults, so the fix gives NAME the default it was meant to have: the build changes where NAME was not passed',
      },
    ],
  },
  check(ctx) {
    for (const view of ctx.view.instructions) {
      if (view.keyword !== 'ENV' && view.keyword !== 'LABEL' && view.keyword !== 'ARG') continue;
      const [kv] = keyValues(view.inst, ctx.dockerfile.escape);
      if (!kv?.legacy) continue;
      // `ARG NAME` alone declares; `ARG NAME value` is the legacy form.
      const value = kv.valueText ?? '';
      const quoted = hintValue(value, kv.value);
      const file = ctx.env.dockerfile.displayPath;
      ctx.report({
        ...(view.keyword === 'ARG' ? { messageId: 'legacyArg' as const, data: { key: kv.key, value, quoted } } : { messageId: 'legacy' as const, data: { keyword: view.keyword, key: kv.key, value, quoted } }),
        at: { file, span: view.inst.keywordSpan },
        ...legacyFix(ctx.env.dockerfile.text, file, view.inst, value, view.keyword === 'ARG' ? 'unsafe' : 'safe'),
      });
    }
  },
});

/**
 * The value of the hint's `KEY=value`: as written when it is one word or one plain quoted string;
 * else the value as Docker reads it (quotes removed, escapes applied), written back in double
 * quotes; else (it holds a variable) the text in double quotes.
 */
function hintValue(written: string, read: string | null): string {
  if (!/\s/.test(written) || /^"[^"\\`$]*"$/.test(written)) return written;
  if (read !== null) return `"${read.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`;
  return /^".*"$/.test(written) ? written : `"${written.replace(/"/g, '\\"')}"`;
}

/**
 * `KEY=value` for a one-line `KEY value`, when the new form surely gives the same value: a value
 * of one word (quotes and escapes as written, which Docker reads the same in both forms), one
 * quoted string, or words with no quote or escape character, put in double quotes.
 */
function legacyFix(text: string, file: string, inst: Instruction, value: string, safety: Fix['safety']): { fix?: Fix } {
  if (inst.span.line !== inst.span.endLine) return {};
  const rest = inst.rest.trim();
  const { start, end } = mappedRange(rest);
  if (text.slice(start, end) !== rest.text) return {};
  const key = /^\S+/.exec(rest.text)?.[0] ?? '';
  let written: string;
  if (!/\s/.test(value) || /^"[^"\\`]*"$/.test(value) || /^'[^']*'$/.test(value)) written = value;
  else if (!/["'\\`]/.test(value)) written = `"${value}"`;
  else return {};
  return { fix: { safety, title: `Write ${key}=${written}`, edits: [{ file, start, end, text: `${key}=${written}` }] } };
}
