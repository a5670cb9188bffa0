import { userView } from '../model/instructions.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'last-user-root',
  severity: 'warning',
  category: 'privilege',
  recommended: false,
  scope: 'instructions',
  title: 'The last USER of a stage is root',
  peers: { hadolint: [{ code: 'DL3002', note: 'the same reading: the last USER of each stage, by its text' }] },
  messages: {
    lastRoot: {
      message:
        '`USER {user}` is the last USER of this stage: the rest of its build and, in the image it makes, the container run as root unless the entrypoint steps down.',
      hint: 'End the stage with `USER <name>` (or a numeric uid) once the steps that need root are done.',
    },
  },
  docs: {
    what: 'A stage whose last USER instruction names root: `USER root`, `USER 0`, `USER root:<group>` or `USER 0:<group>`. It reads the text of each stage, as hadolint\'s DL3002 does.',
    why:
      'What follows the last USER runs as that user, and so does the container of the final stage. This rule is in the `all` preset for parity with hadolint: `root-process` (recommended) asks the question that matters at run time, whether the main process of the built image runs as root, and stays silent where root is the design (a tool or REPL image, a server that drops privileges for its workers, an entrypoint that steps down with `exec gosu`).',
    bad: 'FROM gradle:8-jdk21\nUSER root\nRUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*\nCMD ["gradle"]',
    good: 'FROM gradle:8-jdk21\nUSER root\nRUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*\nUSER gradle\nCMD ["gradle"]',
    howToFix: 'Add `USER <name>` after the last step that needs root, or drop privileges in the entrypoint (`exec gosu <user> "$@"`) and leave a note for the readers of the Dockerfile.',
  },
  check(ctx) {
    const last = new Map<number, { inst: (typeof ctx.view.instructions)[number]['inst']; user: string; text: string }>();
    for (const view of ctx.view.byKeyword('USER', { onbuild: false })) {
      if (view.stageIndex < 0) continue;
      const u = userView(view.inst, ctx.dockerfile.escape);
      last.set(view.stageIndex, { inst: view.inst, user: u.user, text: u.word?.text ?? '' });
    }
    for (const { inst, user, text } of last.values()) {
      if (user !== 'root' && user !== '0') continue;
      ctx.report({ messageId: 'lastRoot', data: { user: text }, at: { file: ctx.env.dockerfile.displayPath, span: inst.keywordSpan } });
    }
  },
});
