import { defineRule } from './rule.js';

export default defineRule({
  id: 'cmd-ignored',
  severity: 'warning',
  category: 'startup',
  recommended: true,
  title: 'CMD never runs because ENTRYPOINT is in shell form',
  peers: {},
  messages: {
    ignored: {
      message: 'This CMD never runs: the ENTRYPOINT on line {entryLine} is in shell form, which runs `/bin/sh -c` on its own string and drops CMD and `docker run` arguments.',
      hint: 'Write ENTRYPOINT in exec form (a JSON array) so CMD is appended to it, or remove the CMD.',
    },
  },
  docs: {
    what: 'A CMD in an image whose ENTRYPOINT is in shell form.',
    why:
      'A shell-form ENTRYPOINT runs `/bin/sh -c "<string>"` and nothing else: CMD, and the arguments of `docker run IMAGE args`, are passed to that shell as `$0`, `$1`, ... and never used. The CMD looks like configuration but has no effect.',
    bad: 'FROM alpine\nENTRYPOINT /usr/local/bin/server --port 80\nCMD ["--verbose"]',
    good: 'FROM alpine\nENTRYPOINT ["/usr/local/bin/server", "--port", "80"]\nCMD ["--verbose"]',
    howToFix: 'Write ENTRYPOINT in exec form so CMD is appended to it, or remove the CMD.',
    noPeers: 'None: hadolint DL4004 (multiple ENTRYPOINT) is a different check, and BuildKit has none.',
  },
  check(ctx) {
    const pid1 = ctx.launch?.pid1;
    const cmd = pid1?.cmdIgnored;
    const entry = pid1?.entrypoint;
    if (!cmd || !entry) return;
    const file = ctx.env.dockerfile.displayPath;
    ctx.report({
      at: { file, span: cmd.instruction.keywordSpan },
      messageId: 'ignored',
      data: { entryLine: entry.instruction.keywordSpan.line },
      chain: [{ file, span: entry.instruction.keywordSpan, label: 'ENTRYPOINT (shell form)' }],
      label: 'CMD',
    });
  },
});
