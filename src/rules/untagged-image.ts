import { fromView } from '../model/instructions.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'untagged-image',
  severity: 'warning',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: 'FROM an image without a tag or digest',
  peers: { hadolint: ['DL3006'] },
  messages: {
    untagged: {
      message: '`FROM {image}` has no tag or digest, so it means `{image}:latest`: whatever the registry calls latest the day of the build, a new major version included.',
      hint: 'Name the version: `FROM {image}:<tag>` (or pin the digest, `{image}@sha256:...`).',
    },
    untaggedVersioned: {
      message: '`FROM {image}` has no tag or digest, so it means `{image}:latest`: whatever the registry calls latest the day of the build. The name holds the major version, but each minor release and rebuild still changes the base under the Dockerfile.',
      hint: 'Name the version: `FROM {image}:<tag>` (or pin the digest, `{image}@sha256:...`).',
    },
  },
  docs: {
    what: 'A FROM image with neither a tag nor a digest; not `scratch`, an earlier stage, or an image computed from a build argument.',
    why: 'An untagged base changes under the Dockerfile without any edit: builds stop being reproducible and break on upstream major releases.',
    bad: 'FROM node\nCMD ["node", "server.js"]',
    good: 'FROM node:22-bookworm-slim\nCMD ["node", "server.js"]',
    howToFix: 'Add the tag (or digest) you tested with.',
  },
  check(ctx) {
    for (const view of ctx.view.byKeyword('FROM', { onbuild: false })) {
      const from = fromView(view.inst, ctx.dockerfile.escape);
      const ref = from.ref;
      if (!ref || !from.image || from.scratch || ref.variable || ref.tag !== null || ref.digest !== null) continue;
      if (view.stage?.baseStage) continue;
      // `redhat/ubi9-minimal`: the major version is in the name itself.
      const name = ref.text.split('/').pop() ?? '';
      const versioned = /[a-z]\d+(?:[-._]|$)/i.test(name);
      ctx.report({ messageId: versioned ? 'untaggedVersioned' : 'untagged', data: { image: ref.text }, at: { file: ctx.env.dockerfile.displayPath, span: from.image.span } });
    }
  },
});
