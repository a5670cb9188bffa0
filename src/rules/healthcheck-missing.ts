import type { Stage } from '../model/image.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'healthcheck-missing',
  severity: 'info',
  category: 'style',
  recommended: false,
  title: 'The image has no HEALTHCHECK',
  peers: { hadolint: [{ code: 'DL3057', note: 'only the image being built (the last stage, or --target) is asked, not every stage' }] },
  messages: {
    missing: {
      message: 'The image{stage} has no HEALTHCHECK (neither its stage nor a stage it is built on sets one): Docker reports the container as running even when the application inside has hung.',
      hint: 'Add `HEALTHCHECK CMD <a command that fails when the service is unhealthy>` to this stage, or `HEALTHCHECK NONE` to say there is none on purpose.',
    },
  },
  docs: {
    what: 'The stage being built (the last, or `--target`) and the stages it is built on (`FROM <stage>`) have no HEALTHCHECK instruction, not even `HEALTHCHECK NONE`. A HEALTHCHECK inside ONBUILD does not count (it applies to images built from this one); a base image\'s own HEALTHCHECK cannot be seen.',
    why: '`docker ps`, Docker Swarm and compose\'s `depends_on: condition: service_healthy` read the health check to tell a hung container from a working one. Kubernetes ignores it (it has probes), one-shot and CLI images have nothing to check, and base images often define one, which is why this rule is off in `recommended`.',
    bad: 'FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/',
    good: 'FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\nHEALTHCHECK CMD curl -fsS http://localhost/ || exit 1',
    howToFix: 'Add a HEALTHCHECK that fails when the service is unhealthy, or `HEALTHCHECK NONE`.',
  },
  check(ctx) {
    const target = ctx.stage;
    if (!target) return;
    const chain = new Set<number>();
    for (let s: Stage | null = target; s && !chain.has(s.index); s = s.baseStage) chain.add(s.index);
    if (ctx.view.byKeyword('HEALTHCHECK', { onbuild: false }).some((v) => chain.has(v.stageIndex))) return;
    ctx.report({ messageId: 'missing', data: { stage: target.name ? ` built from stage \`${target.name}\`` : '' }, at: { file: ctx.env.dockerfile.displayPath, span: target.from.keywordSpan } });
  },
});
