import { basename } from '../model/commands.js';
import { addsSetuid } from '../model/run-facts.js';
import { defineRule } from './rule.js';

const TOOLS = new Set(['gosu', 'su-exec']);

export default defineRule({
  id: 'gosu-setuid',
  severity: 'error',
  category: 'privilege',
  recommended: true,
  title: 'gosu or su-exec made setuid',
  peers: {},
  messages: {
    setuid: {
      message: "`chmod {mode}` makes {tool} setuid: any user in the container could then switch to root, and {tool} refuses to run setuid, so the entrypoint's step-down fails.",
      hint: 'Drop the chmod: {tool} runs as root from the entrypoint and needs no setuid bit.',
    },
  },
  docs: {
    what: 'A RUN that sets the setuid bit on gosu or su-exec (`chmod +s`, `chmod u+s`, `chmod 4755`).',
    why:
      'A setuid gosu lets any user in the container become any other user, root included: it turns a tool meant for dropping privileges into one for gaining them. gosu refuses to run when it is setuid ("gosu should not be installed setuid"), so the entrypoint fails too.',
    bad: 'FROM debian:12\nRUN apt-get update && apt-get install -y gosu && chmod +s /usr/sbin/gosu',
    good: 'FROM debian:12\nRUN apt-get update && apt-get install -y gosu && gosu nobody true',
    howToFix: 'Remove the setuid bit: gosu is run by root in the entrypoint and needs no special mode.',
  },
  async check(ctx) {
    if (!ctx.stage) return;
    const facts = await ctx.runFacts();
    for (const c of facts.chmods) {
      if (!addsSetuid(c.mode)) continue;
      const tool = c.paths.map((p) => basename(p)).find((b) => TOOLS.has(b));
      if (!tool) continue;
      ctx.report({
        at: { file: ctx.env.dockerfile.displayPath, span: c.instruction.keywordSpan },
        messageId: 'setuid',
        data: { mode: c.mode, tool },
        label: 'RUN chmod',
      });
    }
  },
});
