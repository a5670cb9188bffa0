import { fromView, shipsIn } from '../model/instructions.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'from-platform-constant',
  severity: 'warning',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: '`FROM --platform` with a constant value',
  peers: { buildkit: ['FromPlatformFlagConstDisallowed'], hadolint: ['DL3029'] },
  messages: {
    constant: {
      message: '`FROM --platform={platform}` pins this stage to one platform: a build for any other platform (`docker build --platform`, a multi-platform build) still gets {platform} here, and runs it under emulation or fails.',
      hint: 'Drop the flag, or use `--platform=$BUILDPLATFORM` for a stage that only runs build tools.',
    },
  },
  docs: {
    what: '`FROM --platform=` with a constant value (`linux/amd64`), unless the stage name mentions its OS or architecture (`AS build-amd64`), or the stage runs nothing (no RUN) and the built image is not made of it: a stage that only holds files a later stage copies (BuildKit\'s check reports that one too).',
    why: 'A constant platform breaks multi-platform builds; `$BUILDPLATFORM` and other variables are the intended use.',
    bad: 'FROM --platform=linux/amd64 node:22',
    good: 'FROM --platform=$BUILDPLATFORM golang:1.23 AS build',
    howToFix: 'Remove the flag, or use `$BUILDPLATFORM` for cross-compiling stages.',
  },
  check(ctx) {
    // A stage with no RUN that the built image is not made of runs nothing on any platform: it
    // only holds files a later stage copies (`COPY --from=assets /lib.dll ...`).
    const ships = shipsIn(ctx.stage);
    const running = new Set(ctx.view.byKeyword('RUN', { onbuild: false }).map((v) => v.stageIndex));
    for (const view of ctx.view.byKeyword('FROM', { onbuild: false })) {
      if (!ships(view) && !running.has(view.stageIndex)) continue;
      const from = fromView(view.inst, ctx.dockerfile.escape);
      const flag = from.platform;
      if (!flag || flag.value === null || flag.value === '') continue;
      const v = flag.value;
      const at = { file: ctx.env.dockerfile.displayPath, span: flag.span };
      if (v.includes('$')) continue;
      const [os = '', arch = ''] = v.split('/');
      const name = from.alias?.text ?? '';
      if ((os && name.includes(os)) || (arch && name.includes(arch))) continue;
      ctx.report({ messageId: 'constant', data: { platform: v }, at });
    }
  },
});
