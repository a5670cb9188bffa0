import { userView, type InstructionView } from '../model/instructions.js';
import { defineRule } from './rule.js';

/** `root`, `0`, `root:<group>`, `0:<group>`, as written. */
function isRoot(user: string): boolean {
  return user === 'root' || user === '0' || user.startsWith('root:') || user.startsWith('0:');
}

export default defineRule({
  id: 'last-user-root',
  severity: 'warning',
  category: 'privilege',
  recommended: false,
  scope: 'instructions',
  title: 'The last USER of a stage is root',
  peers: { hadolint: ['DL3002'] },
  messages: {
    root: {
      message: 'The last USER of {stage} is `{user}`: the rest of the stage, and a container started from it, run as root.',
      hint: 'End the stage with `USER <non-root user>` (created with `useradd` first); for the built image, `root-process` also follows the entrypoint, which may drop root itself.',
    },
  },
  docs: {
    what: 'A stage whose last USER instruction, as written, is `root`, `0`, `root:<group>` or `0:<group>` (hadolint\'s DL3002, for every stage). A stage without USER, a later non-root USER, a `$variable` and ONBUILD USER are not flagged.',
    why: 'A process that runs as root holds every privilege in the container. The line alone does not say what the container runs as, though: official images end with `USER root` on purpose and drop privileges in their entrypoint, and a builder stage that is only copied from never runs. `root-process` (in `recommended`) judges the built image from its whole start-up; this rule, hadolint\'s reading, is in `all`.',
    bad: 'FROM debian:12\nRUN useradd -r app\nUSER app\nRUN make install\nUSER root',
    good: 'FROM debian:12\nRUN useradd -r app\nUSER root\nRUN make install\nUSER app',
    howToFix: 'Switch to the unprivileged user at the end of the stage.',
  },
  check(ctx) {
    const last = new Map<number, InstructionView>();
    for (const view of ctx.view.byKeyword('USER', { onbuild: false })) if (view.stageIndex >= 0) last.set(view.stageIndex, view);
    for (const view of last.values()) {
      const u = userView(view.inst, ctx.dockerfile.escape);
      const text = u.word?.value ?? null;
      if (!u.word || text === null || !isRoot(text)) continue;
      const stage = view.stage?.name ? `stage \`${view.stage.name}\`` : `stage ${view.stageIndex}`;
      ctx.report({ messageId: 'root', data: { stage, user: text }, at: { file: ctx.env.dockerfile.displayPath, span: u.word.span } });
    }
  },
});
