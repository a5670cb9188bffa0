import { commandForm, runShellText, type Instruction } from '../parsers/dockerfile.js';
import { MappedText } from '../parsers/source.js';
import { forEachCall } from '../parsers/shell-walk.js';
import { basename, wordLiteral } from '../model/commands.js';
import { SHELLS } from '../model/launch.js';
import { defineRule, type RuleContext } from './rule.js';

const messages = {
  sudo: {
    message:
      '`sudo` in RUN: the build already runs as root unless USER says otherwise, and sudo that works here means the image ships password-less sudo, a privilege-escalation path at runtime.',
    hint: 'Remove sudo; use `USER root` before this RUN (and switch back after) if an earlier USER changed it.',
  },
} as const;

type Ctx = RuleContext<typeof messages>;

export default defineRule({
  id: 'sudo-in-run',
  severity: 'error',
  category: 'privilege',
  recommended: true,
  title: 'sudo in a RUN instruction',
  peers: { hadolint: ['DL3004'] },
  messages,
  docs: {
    what: '`sudo` anywhere in a RUN instruction: shell form, exec form, heredoc, or inside `sh -c "..."`.',
    why:
      'RUN already runs as root unless a USER says otherwise, so sudo is pointless there; where USER is not root, sudo only works if the image ships sudo with a password-less rule, which leaves a privilege-escalation path in the final image.',
    bad: 'FROM debian:12\nRUN sudo apt-get update && sudo apt-get install -y curl',
    good: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl',
    howToFix: 'Drop sudo; if an earlier USER switched away from root, put `USER root` before the RUN and switch back after it.',
  },
  async check(ctx) {
    for (const inst of ctx.dockerfile.instructions) {
      if (inst.keyword !== 'RUN') continue;
      if (!inst.rest.text.includes('sudo') && !inst.heredocs.some((h) => h.body.text.includes('sudo'))) continue;
      const form = commandForm(inst.rest);
      if (form.kind === 'exec') {
        const [a0, ...rest] = form.argv;
        if (a0 && basename(a0) === 'sudo') report(ctx, inst, form.text, 'RUN');
        else if (a0 && SHELLS.has(basename(a0)) && rest[0] && /^-[a-z]*c/.test(rest[0]) && rest[1]?.includes('sudo')) {
          report(ctx, inst, form.text, 'RUN (sh -c)');
        }
        continue;
      }
      await scan(ctx, inst, runShellText(inst), 0);
    }
  },
});

async function scan(ctx: Ctx, inst: Instruction, text: MappedText, depth: number): Promise<void> {
  const unit = await ctx.parseInline(text);
  if (!unit.ast) return;
  const nested: MappedText[] = [];
  forEachCall(unit.ast.stmts, (call) => {
    const name = call.args[0] ? wordLiteral(call.args[0]) : null;
    if (name === null) return;
    if (basename(name) === 'sudo') {
      const first = call.args[0];
      if (first) report(ctx, inst, text, 'RUN', text.spanOf(first.p[2], first.e[2]));
      return;
    }
    // `sh -c "sudo ..."`: the string is a script of its own.
    if (SHELLS.has(basename(name)) && depth < 3) {
      const flag = call.args.findIndex((w) => /^-[a-z]*c[a-z]*$/.test(wordLiteral(w) ?? ''));
      const str = flag >= 0 ? call.args[flag + 1] : undefined;
      const lit = str ? wordLiteral(str) : null;
      if (str && lit !== null && lit.includes('sudo')) {
        const inner = str.parts.length === 1 && (str.parts[0]?.type === 'SglQuoted' || str.parts[0]?.type === 'DblQuoted') ? 1 : 0;
        nested.push(text.sub(str.p[2] + inner, str.e[2] - inner));
      }
    }
  });
  for (const n of nested) await scan(ctx, inst, n, depth + 1);
}

function report(ctx: Ctx, inst: Instruction, text: MappedText, label: string, span = text.spanOf(0, text.text.length)): void {
  void inst;
  ctx.report({
    at: { file: ctx.env.dockerfile.displayPath, span },
    messageId: 'sudo',
    label,
  });
}
