import { execFormText, pseudoJsonStrings } from '../fix/builders/dockerfile.js';
import { shellQuote } from '../text.js';
import { commandForm } from '../parsers/dockerfile.js';
import { defineRule } from './rule.js';
import { fixOf } from '../fix/builders/report.js';
import { pseudoJsonFix } from '../fix/builders/pid1.js';

const COMMANDS = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL']);

export default defineRule({
  id: 'invalid-exec-form',
  severity: 'error',
  category: 'startup',
  recommended: true,
  fixable: true,
  title: 'An exec-form array that is not valid JSON runs as shell form',
  peers: {
    hadolint: [{ code: 'DL3025', equivalent: false, note: 'any CMD/ENTRYPOINT that is not a JSON array (json-args is the equivalent)' }],
    buildkit: [{ code: 'JSONArgsRecommended', equivalent: false, note: 'only for shell form in general (json-args is the equivalent)' }],
  },
  messages: {
    invalidJson: {
      message: '{keyword} arguments look like an exec-form array but are not valid JSON ({problem}): {fate}.',
      hint: 'Use double quotes around every element and commas between them: `{keyword} {json}`.',
    },
    trailingText: {
      message: '{keyword} arguments are an exec-form array followed by `{trailing}`: Docker parses everything after {keyword} as JSON, and with `{trailing}` after the closing `]` it is not valid JSON, so {fate}.',
      hint: 'Remove `{trailing}` after the closing `]`: `{keyword} {json}`.',
    },
    trailingComment: {
      message: '{keyword} arguments are an exec-form array followed by a comment: Docker reads `#` as a comment only at the start of a line, so the comment is part of the arguments, the text is not valid JSON, and {fate}.',
      hint: 'Move the comment to a line of its own above the instruction: `{keyword} {json}`.',
    },
  },
  docs: {
    what:
      "RUN, CMD, ENTRYPOINT or SHELL arguments that look like an exec-form array but are not valid JSON: single quotes (`['app']`), a missing comma, a trailing comma, typographic quotes, a non-string element, or text after the closing `]` (a `;` as in other languages, or a comment: Docker reads `#` as a comment only at the start of a line).",
    why:
      'Docker only takes the exec form when the text parses as a JSON array of strings. Anything else is silently run as shell form: `/bin/sh -c "[\'app\']"`, which fails with `[app]: not found`, or (for ENTRYPOINT/CMD) puts a shell at PID 1. SHELL requires JSON and fails the build.',
    bad: "FROM alpine\nENTRYPOINT ['/usr/local/bin/server', '--port', '80']",
    good: 'FROM alpine\nENTRYPOINT ["/usr/local/bin/server", "--port", "80"]',
    howToFix: 'Write a JSON array: double quotes around every element, commas between them, none after the last.',
    autofix: [
      { safety: 'safe', what: 'Rewrites the pseudo-JSON as a JSON array of the same strings (single and typographic quotes, missing and trailing commas); nothing is guessed: an element that is not a string, or a backslash inside single quotes, gets no fix', why: 'Docker then runs the program the author wrote, instead of a shell that fails on the text' },
    ],
  },
  check(ctx) {
    const file = ctx.env.dockerfile.displayPath;
    for (const inst of ctx.dockerfile.instructions) {
      if (!COMMANDS.has(inst.keyword)) continue;
      const form = commandForm(inst.rest);
      if (form.kind !== 'shell' || !form.invalidJson) continue;
      const fate =
        inst.keyword === 'SHELL'
          ? 'SHELL requires a JSON array, so the build fails'
          : form.text.text.length <= 60 && !form.text.text.includes('\n')
            ? `Docker does not see an exec-form array and runs the whole text as shell form, \`/bin/sh -c ${shellQuote(form.text.text)}\``
            : 'Docker does not see an exec-form array and runs the whole text as shell form, with `/bin/sh -c`';
      const at = { file, span: form.text.spanOf(0, form.text.text.length) };
      // A valid array with only `;` or a comment after it: say exactly that, with the array as it is.
      const trailing = form.trailing?.text;
      const array = trailing ? form.text.text.slice(0, form.text.text.length - trailing.length).trimEnd() : form.text.text;
      // The same strings as JSON where they can be read (the fix writes that), else the shape of it.
      const json = execFormText(pseudoJsonStrings(array) ?? ['prog', 'arg']);
      const comment = trailing?.startsWith('#') ?? false;
      // A fix would delete the comment: only `;` and `,` are removed.
      const fix = comment ? {} : fixOf(pseudoJsonFix(inst, form.text, ctx.env.dockerfile, array));
      if (trailing && form.trailing?.arrayValid) {
        if (comment) ctx.report({ at, messageId: 'trailingComment', data: { keyword: inst.keyword, fate, json }, label: inst.keyword });
        else ctx.report({ at, messageId: 'trailingText', data: { keyword: inst.keyword, trailing, fate, json }, label: inst.keyword, ...fix });
        continue;
      }
      ctx.report({ at, messageId: 'invalidJson', data: { keyword: inst.keyword, problem: form.invalidJson, fate, json }, label: inst.keyword, ...fix });
    }
  },
});
