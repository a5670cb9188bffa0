import { writtenAsIs } from '../model/command-view.js';
import { keyValues, shipsIn } from '../model/instructions.js';
import { cacheMountCovers, isPipInstall } from '../model/packages.js';
import type { Stage } from '../model/image.js';
import { defineRule } from './rule.js';

const TRUTHY = new Set(['1', 'true', 'True', 'TRUE', 'on', 'On', 'ON', 'yes', 'Yes', 'YES']);

export default defineRule({
  id: 'pip-no-cache-dir',
  severity: 'info',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  fixable: true,
  title: '`pip install` without `--no-cache-dir`',
  peers: { hadolint: ['DL3042'] },
  messages: {
    cache: {
      message: '`pip install` keeps its download and wheel cache (~/.cache/pip) in the layer: often as large as the packages themselves.',
      hint: 'Add `--no-cache-dir`, set `ENV PIP_NO_CACHE_DIR=1`, or use `RUN --mount=type=cache,target=/root/.cache/pip`.',
    },
  },
  docs: {
    what: '`pip install` without `--no-cache-dir` in a RUN of the image being built (the last stage or `--target`, or a stage it is built on through `FROM <stage>`; ONBUILD triggers too), unless `PIP_NO_CACHE_DIR` is set truthy (ENV in the stage or its bases, or in the RUN), the RUN mounts a cache on `.cache/pip`, or the command is pipx/pipenv.',
    why: 'The cache only speeds up the next install on the same machine; in an image layer it is dead weight.',
    bad: 'FROM python:3.12\nRUN pip install -r requirements.txt',
    good: 'FROM python:3.12\nRUN pip install --no-cache-dir -r requirements.txt',
    howToFix: 'Add `--no-cache-dir` after `install`.',
    autofix: [
      { safety: 'safe', what: 'Inserts ` --no-cache-dir` after `install`', why: 'pip installs the same packages; only its download cache is not kept' },
    ],
  },
  async check(ctx) {
    // Stages (by index) where ENV PIP_NO_CACHE_DIR is truthy from some instruction on.
    const envOff = new Map<number, number>();
    for (const v of ctx.view.instructions) {
      if (v.keyword !== 'ENV' || v.onbuild) continue;
      if (keyValues(v.inst, ctx.dockerfile.escape).some((kv) => kv.key === 'PIP_NO_CACHE_DIR' && kv.value !== null && TRUTHY.has(kv.value))) {
        if (!envOff.has(v.stageIndex)) envOff.set(v.stageIndex, v.inst.span.line);
      }
    }
    const disabledAt = (stageIndex: number, line: number): boolean => {
      for (let s: Stage | null = ctx.model.stages[stageIndex] ?? null; s; s = s.baseStage) {
        const at = envOff.get(s.index);
        if (at !== undefined && (s.index !== stageIndex || at < line)) return true;
      }
      return (envOff.get(-1) ?? Infinity) < line;
    };
    // A builder stage the built image does not build on can keep its cache.
    const ships = shipsIn(ctx.stage);
    await ctx.view.forEachCommand((cmd, view) => {
      if (!isPipInstall(cmd) || cmd.hasArg('--no-cache-dir') || !ships(view)) return;
      if (view.inst.rest.text.includes('PIP_NO_CACHE_DIR=') && /PIP_NO_CACHE_DIR=["']?(1|true|on|yes)\b/i.test(view.inst.rest.text)) return;
      if (cacheMountCovers(view.inst.flags, '.cache/pip') || disabledAt(view.stageIndex, view.inst.span.line)) return;
      const install = cmd.args.find((a) => a.value === 'install');
      const file = ctx.env.dockerfile.displayPath;
      ctx.report({
        messageId: 'cache',
        at: { file, span: cmd.program.span },
        ...(install && writtenAsIs(ctx.env.dockerfile.text, install)
          ? { fix: { safety: 'safe' as const, title: 'Add --no-cache-dir', edits: [{ file, start: install.end, end: install.end, text: ' --no-cache-dir' }] } }
          : {}),
      });
    }, ['pip']);
  },
});
