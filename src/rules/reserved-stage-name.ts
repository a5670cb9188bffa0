import { fromView } from '../model/instructions.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'reserved-stage-name',
  severity: 'error',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: 'Stage named `scratch` or `context`',
  peers: { hadolint: ['DL3063'], buildkit: ['ReservedStageName'] },
  messages: {
    reserved: {
      message: 'Stage name `{name}` is reserved: `FROM {name}` and `--from={name}` already mean {meaning}, so this stage cannot be referred to.',
      hint: 'Rename the stage (`AS {suggestion}`, or a name that says what it builds).',
    },
  },
  docs: {
    what: 'A `FROM ... AS scratch` or `AS context` (any case).',
    why: '`scratch` is the empty image and `context` the build context; a stage with such a name is unreachable and BuildKit warns about it.',
    bad: 'FROM alpine:3.20 AS scratch',
    good: 'FROM alpine:3.20 AS base',
    howToFix: 'Choose another stage name.',
  },
  check(ctx) {
    for (const view of ctx.view.byKeyword('FROM', { onbuild: false })) {
      const alias = fromView(view.inst, ctx.dockerfile.escape).alias;
      const name = alias?.text.toLowerCase();
      if (!alias || (name !== 'scratch' && name !== 'context')) continue;
      ctx.report({ messageId: 'reserved', data: { name: alias.text, suggestion: `${alias.text.toLowerCase()}-stage`, meaning: name === 'scratch' ? 'the empty image' : 'the build context' }, at: { file: ctx.env.dockerfile.displayPath, span: alias.span } });
    }
  },
});
