import { defineDiagnostic } from './rule.js';

export default defineDiagnostic({
  id: 'syntax-error',
  severity: 'error',
  category: 'input',
  title: 'Syntax error',
  peers: {},
  docs: {
    what:
      'A Dockerfile, or a shell script it starts, does not parse. The error is reported where the parser stopped; checks that needed the unparsable part were skipped.',
    why: 'A Dockerfile that does not parse fails `docker build`; an entrypoint script that does not parse fails when the container starts, at the line the shell gives up on.',
    bad: '#!/bin/sh\nif [ "$1" = serve ]; then\n  exec server\n',
    good: '#!/bin/sh\nif [ "$1" = serve ]; then\n  exec server\nfi\nexec "$@"\n',
    howToFix: 'Fix the syntax at the reported line (the shell dialect is the one of the shebang, or of SHELL for RUN).',
    noPeers: 'ShellCheck and hadolint report parse errors of their own (ShellCheck SC1xxx).',
  },
});
