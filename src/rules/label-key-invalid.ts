import { keyValues } from '../model/instructions.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'label-key-invalid',
  severity: 'info',
  category: 'style',
  recommended: false,
  scope: 'instructions',
  title: 'LABEL key outside the label key conventions',
  peers: { hadolint: ['DL3048'] },
  messages: {
    invalid: {
      message: 'Label key `{key}` {why}: label keys are lower-case reverse-DNS names (`org.example.build-date`), made of a-z, 0-9, `.`, `-`, `_` and `/`.',
      hint: 'Rename it, e.g. `org.opencontainers.image.*` for the standard ones.',
    },
  },
  docs: {
    what: 'A LABEL key that does not start with a-z, does not end with a-z or 0-9, has another character than a-z 0-9 `.-_/`, has `..` or `--`, or uses the namespaces reserved for Docker (`com.docker.`, `io.docker.`, `org.dockerproject.`).',
    why: 'Docker\'s label conventions keep keys portable across tools; a style matter, which is why this rule is off in `recommended`.',
    bad: 'FROM alpine:3.20\nLABEL Version=1.0',
    good: 'FROM alpine:3.20\nLABEL org.opencontainers.image.version=1.0',
    howToFix: 'Use lower-case, namespaced keys.',
  },
  check(ctx) {
    for (const view of ctx.view.byKeyword('LABEL')) {
      for (const kv of keyValues(view.inst, ctx.dockerfile.escape)) {
        const k = kv.key;
        const why = !/^[a-z]/.test(k)
          ? 'does not start with a lower-case letter'
          : !/[a-z0-9]$/.test(k)
            ? 'does not end with a lower-case letter or digit'
            : /[^a-z0-9._/-]/.test(k)
              ? 'has characters outside a-z, 0-9, `.`, `-`, `_`, `/`'
              : /\.\.|--/.test(k)
                ? 'has consecutive separators'
                : /^(com\.docker\.|io\.docker\.|org\.dockerproject\.)/.test(k)
                  ? 'uses a namespace reserved for Docker'
                  : null;
        if (why) ctx.report({ messageId: 'invalid', data: { key: k, why }, at: { file: ctx.env.dockerfile.displayPath, span: kv.keySpan } });
      }
    }
  },
});
