import { copyView, fromView, parseImageRef } from '../model/instructions.js';
import { defineRule } from './rule.js';

interface Options {
  /** Registries images may come from: `docker.io`, `ghcr.io`, `*.example.com`, `registry.example.com*`, `*`. */
  registries: string[];
}

function matches(allow: string, registry: string): boolean {
  if (allow === '*') return true;
  if (allow.startsWith('*')) return registry.endsWith(allow.slice(1));
  if (allow.endsWith('*')) return registry.startsWith(allow.slice(0, -1));
  return registry === allow;
}

export default defineRule({
  id: 'trusted-registry',
  severity: 'error',
  category: 'build',
  recommended: false,
  scope: 'instructions',
  title: 'An image from a registry that is not in the trusted list',
  peers: { hadolint: ['DL3026'] },
  options: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: { registries: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Registries images may come from (`docker.io` for Docker Hub images without a registry; `*.example.com`, `prefix*` and `*` match several).' } },
    },
    defaults: { registries: [] } as Options,
  },
  messages: {
    untrusted: {
      message: '`{image}` comes from `{registry}`, which is not one of the trusted registries ({trusted}).',
      hint: 'Use an image from a trusted registry (or mirror it there), or add `{registry}` to the rule\'s `registries` option.',
    },
  },
  docs: {
    what: 'With the `registries` option set: a FROM image, `COPY --from=<image>` or `RUN --mount=from=<image>` whose registry is not in the list. An image without a registry is from `docker.io`. Stages and `scratch` are always fine; without the option the rule checks nothing.',
    why: 'Organisations that mirror or vet their base images want builds to fail on an image from anywhere else. It is a policy that needs a list (the `registries` option, or `trustedRegistries` in a .hadolint.yaml), so it is off in `recommended`.',
    bad: 'FROM quay.io/example/app:1.0',
    good: 'FROM registry.example.com/example/app:1.0',
    howToFix: 'Pull the image through a trusted registry.',
  },
  check(ctx) {
    const trusted = ctx.options.registries;
    if (trusted.length === 0) return;
    const stages = new Set(ctx.model.stages.map((s) => s.name).filter((n): n is string => n !== null));
    const check = (text: string, span: { line: number; column: number; endLine: number; endColumn: number }): void => {
      if (text.includes('$') || text.toLowerCase() === 'scratch' || stages.has(text.toLowerCase()) || /^\d+$/.test(text)) return;
      const ref = parseImageRef(text);
      const registry = ref.registry ?? 'docker.io';
      const ok = ref.registry === null ? trusted.some((t) => matches(t, 'docker.io') || matches(t, 'hub.docker.com')) : trusted.some((t) => matches(t, registry));
      if (!ok) ctx.report({ messageId: 'untrusted', data: { image: text, registry, trusted: trusted.join(', ') }, at: { file: ctx.env.dockerfile.displayPath, span } });
    };
    for (const view of ctx.view.instructions) {
      if (view.keyword === 'FROM' && !view.onbuild) {
        const image = fromView(view.inst, ctx.dockerfile.escape).image;
        if (image) check(image.text, image.span);
      } else if (view.keyword === 'COPY') {
        const from = copyView(view.inst, ctx.dockerfile.escape).from;
        if (from?.value) check(from.value, from.span);
      } else if (view.keyword === 'RUN') {
        for (const f of view.inst.flags) {
          if (f.name !== 'mount' || !f.value) continue;
          const m = /(?:^|,)from=([^,]+)/.exec(f.value);
          if (m?.[1]) check(m[1], f.span);
        }
      }
    }
  },
});
