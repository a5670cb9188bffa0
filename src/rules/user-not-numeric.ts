import { userView } from '../model/instructions.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'user-not-numeric',
  severity: 'info',
  category: 'privilege',
  recommended: false,
  scope: 'instructions',
  title: 'USER by name instead of a numeric UID',
  peers: { hadolint: ['DL3066'] },
  messages: {
    name: {
      message: '`USER {user}` names the user: a runtime that enforces non-root (Kubernetes `runAsNonRoot`) cannot verify a name, only a numeric UID, and refuses to start the pod.',
      hint: 'Write the UID (and GID): `USER 10001:10001`, after creating the user with that UID.',
    },
  },
  docs: {
    what: 'A USER whose user part is not a number and not a `$variable`.',
    why: 'Names only resolve inside the image\'s /etc/passwd; policies outside the image need the number. Many images are fine with names, which is why this rule is off in `recommended`.',
    bad: 'FROM node:22\nUSER node',
    good: 'FROM node:22\nUSER 1000:1000',
    howToFix: 'Use the numeric UID.',
  },
  check(ctx) {
    for (const view of ctx.view.byKeyword('USER')) {
      const u = userView(view.inst, ctx.dockerfile.escape);
      if (!u.word || u.word.text.includes('$') || /^\d+$/.test(u.user)) continue;
      ctx.report({ messageId: 'name', data: { user: u.word.text }, at: { file: ctx.env.dockerfile.displayPath, span: u.word.span } });
    }
  },
});
