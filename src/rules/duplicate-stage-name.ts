import { fromView } from '../model/instructions.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'duplicate-stage-name',
  severity: 'error',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: 'Two stages with the same name',
  peers: { hadolint: ['DL3024'], buildkit: ['DuplicateStageName'] },
  messages: {
    duplicate: {
      message: 'Stage name `{name}` is already used on line {first}: stage names are case-insensitive and must be unique, so BuildKit refuses the build.',
      hint: 'Rename one of the stages (and the `--from=` and `FROM` lines that refer to it).',
    },
  },
  docs: {
    what: 'A `FROM ... AS NAME` whose NAME (compared without case, as BuildKit does) an earlier stage already has.',
    why: 'The build fails with "duplicate stage name"; with old builders `--from` picks one of them silently.',
    bad: 'FROM node:22 AS build\nFROM golang:1.23 AS build',
    good: 'FROM node:22 AS web\nFROM golang:1.23 AS api',
    howToFix: 'Give each stage its own name.',
  },
  check(ctx) {
    const seen = new Map<string, number>();
    for (const view of ctx.view.byKeyword('FROM', { onbuild: false })) {
      const alias = fromView(view.inst, ctx.dockerfile.escape).alias;
      if (!alias) continue;
      const key = alias.text.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) ctx.report({ messageId: 'duplicate', data: { name: alias.text, first }, at: { file: ctx.env.dockerfile.displayPath, span: alias.span } });
      else seen.set(key, alias.span.line);
    }
  },
});
