import { copyView } from '../model/instructions.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'copy-from-unknown-stage',
  severity: 'warning',
  category: 'build',
  recommended: false,
  scope: 'instructions',
  title: '`COPY --from` a name that is no earlier stage',
  peers: { hadolint: ['DL3022'] },
  messages: {
    unknown: {
      message: '`COPY --from={name}`: no stage before this one is called `{name}`, so Docker takes it for an image on a registry and pulls `{name}:latest`; a misspelt stage name fails only at build time, or copies from the wrong image.',
      hint: 'Name an earlier stage (`FROM ... AS {name}`), or write the image with its tag (`--from={name}:<tag>`).',
    },
  },
  docs: {
    what: '`COPY --from=NAME` where NAME is no earlier stage name or index and has no `:tag` or `@digest`. Values from `$variables` are not judged.',
    why: 'A typo in a stage name silently becomes an image pull. Copying from an untagged image is legitimate but rare, which is why this rule is off in `recommended`.',
    bad: 'FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=biuld /app /app',
    good: 'FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=build /app /app',
    howToFix: 'Fix the stage name, or tag the image.',
  },
  check(ctx) {
    for (const view of ctx.view.byKeyword('COPY')) {
      const from = copyView(view.inst, ctx.dockerfile.escape).from;
      const name = from?.value;
      if (!from || !name || name.includes('$') || name.includes(':') || name.includes('@')) continue;
      const earlier = ctx.model.stages.slice(0, Math.max(0, view.onbuild ? ctx.model.stages.length : view.stageIndex));
      if (earlier.some((s) => s.name === name.toLowerCase())) continue;
      if (/^\d+$/.test(name) && Number(name) < earlier.length) continue;
      ctx.report({ messageId: 'unknown', data: { name }, at: { file: ctx.env.dockerfile.displayPath, span: from.span } });
    }
  },
});
