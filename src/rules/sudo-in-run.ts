import type { ArgWord } from '../model/command-view.js';
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
  },
  scope: 'instructions',
  docs: {
    what: '`sudo` anywhere in a RUN instruction: shell form, exec form, heredoc, inside `sh -c "..."`, behind `env X=1` or `command`, and in ONBUILD RUN.',
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
        // Exec form: the finding points at the instruction's array, as the shell form points at the word.
        const span = run.form.kind === 'exec' && cmd.depth === 0 ? run.form.text.spanOf(0, run.form.text.text.length) : word.span;
        ctx.report({
          at: { file: ctx.env.dockerfile.displayPath, span },
          messageId: 'sudo',
          label: cmd.depth > 0 ? 'RUN (sh -c)' : view.onbuild ? 'ONBUILD RUN' : 'RUN',
        });
      }
    }
  },
});
