import { fromView } from '../model/instructions.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'latest-tag',
  severity: 'warning',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: 'FROM an image tagged `latest`',
  peers: { hadolint: ['DL3007'] },
  messages: {
    latest: {
      message: '`FROM {image}` uses the `latest` tag: it moves to each new release, a new major version included, so the same Dockerfile builds a different image over time.',
      hint: 'Name the version you tested with (`{repo}:<version>`), or add the digest (`{image}@sha256:...`).',
    },
  },
  docs: {
    what: 'A FROM image tagged `latest` without a digest.',
    why: '`latest` is just a tag that moves; builds stop being reproducible and break on upstream releases.',
    bad: 'FROM python:latest',
    good: 'FROM python:3.12-slim',
    howToFix: 'Replace `latest` with a version tag.',
  },
  check(ctx) {
    for (const view of ctx.view.byKeyword('FROM', { onbuild: false })) {
      const from = fromView(view.inst, ctx.dockerfile.escape);
      const ref = from.ref;
      if (!ref || !from.image || ref.tag !== 'latest' || ref.digest !== null) continue;
      const repo = ref.text.slice(0, ref.text.lastIndexOf(':'));
      ctx.report({ messageId: 'latest', data: { image: ref.text, repo }, at: { file: ctx.env.dockerfile.displayPath, span: from.image.span } });
    }
  },
});
