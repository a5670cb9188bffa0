import { defineRule } from './rule.js';

export default defineRule({
  id: 'shell-portability',
  severity: 'warning',
  category: 'startup',
  recommended: true,
  title: "The script uses syntax that the image's /bin/sh does not accept",
  peers: { shellcheck: [{ code: 'SC3057', note: 'and the SC3xxx family, from the shebang alone', suppresses: false }] },
  messages: {
    dashRejects: {
      message: '{script} is run by sh, and {why}. bash and busybox ash accept it; dash stops here when the container starts.',
      hint: 'Use POSIX sh syntax on this line (for example `case "$1" in -*)` instead of a substring expansion), or use `#!/bin/bash` with bash installed.',
    },
  },
  docs: {
    what:
      "A script run by `sh` (its `#!/bin/sh` line, or `sh script.sh`) uses syntax that bash and busybox ash accept but dash rejects, on an image whose /bin/sh is dash (Debian, Ubuntu and the images built on them; an image dockerlint does not recognise is taken to be one of these): `${v:0:1}`, `${v//a/b}`, `[[ ]]`, arrays, `function f {`. On Alpine (busybox ash) and on the Red Hat family (bash) the same script is fine and this rule stays silent. The other rules still analyse the script as bash reads it.",
    why: 'dash stops at the line with a syntax error ("Bad substitution", "unexpected token"), so the container fails at start, or, for an expansion that only fails when it runs, part of the script never does what it says.',
    bad: 'FROM debian:12\n# entrypoint.sh, #!/bin/sh:\nif [ "${1:0:1}" = - ]; then set -- server "$@"; fi',
    good: 'FROM debian:12\n# entrypoint.sh, #!/bin/sh:\ncase "$1" in -*) set -- server "$@" ;; esac',
    howToFix: 'Rewrite the line in POSIX sh (`case "$1" in -*)` instead of `${1:0:1}`, `${v%%x*}` instead of replacements), or start the script with `#!/bin/bash` and make sure the image has bash.',
  },
  check(ctx) {
    const launch = ctx.launch;
    if (!launch) return;
    for (const unit of launch.scripts) {
      const p = unit.portability;
      if (!p) continue;
      const span = unit.source.spanOf(p.p, p.p);
      ctx.report({ at: { file: unit.source.file.displayPath, span }, messageId: 'dashRejects', data: { script: unit.imagePath ?? 'This script', why: p.message }, label: 'sh' });
    }
  },
});
