import { buildUserAt } from '../model/build-user.js';
import type { ArgWord } from '../model/command-view.js';
import { prefixOption } from '../model/prefixes.js';
import { ROOT_USER } from '../text.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'sudo-in-run',
  severity: 'error',
  category: 'privilege',
  recommended: true,
  title: 'sudo in a RUN instruction',
  peers: { hadolint: ['DL3004'] },
  messages: {
    sudo: {
      message:
        '`sudo` in RUN: the build already runs as root unless USER says otherwise, and sudo that works here means the image ships password-less sudo, a privilege-escalation path at runtime.',
      hint: 'Remove sudo; use `USER root` before this RUN (and switch back after) if an earlier USER changed it.',
    },
    sudoAsUser: {
      message:
        '`sudo` in RUN under `USER {user}`: it only works if the image lets {user} run sudo without a password, and that rule stays in the image, a way back to root for anything that runs in the container.',
      hint: 'Put `USER root` before this RUN (and `USER {user}` after it), or do the step in a RUN before the USER; then remove sudo and its sudoers rule from the image.',
    },
  },
  scope: 'instructions',
  docs: {
    what: '`sudo` anywhere in a RUN instruction: shell form, exec form, heredoc, inside `sh -c "..."`, behind `env X=1` or `command`, and in ONBUILD RUN. Not a step down: `sudo -u app cmd` in a RUN that runs as root (no USER, or `USER root`, before it) needs no sudoers rule and runs the step as the app user on purpose, so it is left alone here (hadolint\'s DL3004 reports it); su-in-run reports it as a switch that belongs in `USER app`.',
    why:
      'RUN already runs as root unless a USER says otherwise, so sudo is pointless there; where USER is not root, sudo only works if the image ships sudo with a password-less rule, which leaves a privilege-escalation path in the final image.',
    example: { bad: 'bad-sudo', good: 'good-mentions-sudo' },
    bad: 'FROM debian:12\nRUN sudo apt-get update && sudo apt-get install -y curl',
    good: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl',
    howToFix: 'Drop sudo; if an earlier USER switched away from root, put `USER root` before the RUN and switch back after it.',
  },
  async check(ctx) {
    for (const view of ctx.view.byKeyword('RUN')) {
      const inst = view.inst;
      // Most RUNs never mention sudo: they need no parse for this rule.
      if (!inst.rest.text.includes('sudo') && !inst.heredocs.some((h) => h.body.text.includes('sudo'))) continue;
      const run = await ctx.view.run(view);
      for (const cmd of run.commands) {
        const i = cmd.prefixes.indexOf('sudo');
        const word: ArgWord | undefined = i >= 0 ? cmd.prefixWords[i] : cmd.name === 'sudo' ? cmd.program : undefined;
        if (!word) continue;
        const builder = view.stage && !view.onbuild ? buildUserAt(view.stage, view.inst, ctx.env.baseImageFacts) : null;
        if (builder?.root === true && stepsDown(cmd.words, word)) continue;
        const user = builder?.root === false ? builder.spec : null;
        // Exec form: the finding points at the instruction's array, as the shell form points at the word.
        const span = run.form.kind === 'exec' && cmd.depth === 0 ? run.form.text.spanOf(0, run.form.text.text.length) : word.span;
        ctx.report({
          at: { file: ctx.env.dockerfile.displayPath, span },
          ...(user ? { messageId: 'sudoAsUser' as const, data: { user } } : { messageId: 'sudo' as const }),
          label: cmd.depth > 0 ? 'RUN (sh -c)' : view.onbuild ? 'ONBUILD RUN' : 'RUN',
        });
      }
    }
  },
});

/** `sudo -u app ...`: the sudo at `word` runs its command as a known user that is not root. */
function stepsDown(words: readonly ArgWord[], word: ArgWord): boolean {
  const at = words.indexOf(word);
  if (at < 0) return false;
  const user = prefixOption('sudo', words, at + 1, (w) => w.value, 'u', 'user');
  return typeof user === 'string' && user !== '' && !ROOT_USER.test(user) && !user.startsWith('#0');
}

