import { defineRule } from './rule.js';

/**
 * The POSIX way to write what dash rejects, by the feature the shell parser names
 * ("search and replace is a bash/mksh feature").
 */
const POSIX: ReadonlyArray<readonly [feature: string, instead: string]> = [
  ['slicing', 'for example `case "$1" in -*) set -- server "$@" ;; esac` instead of testing `${1:0:1}`'],
  ['search and replace', 'for example `v=$(printf \'%s\\n\' "$v" | sed \'s/,/ /g\')` instead of `${v//,/ }`'],
  ['arrays', '`set -- a b` and `"$@"` instead of an array'],
  ['herestrings', 'a here-document that holds `"$v"` instead of `cmd <<< "$v"`; not a pipe into `read`, which runs in a subshell and sets nothing'],
  ['regex tests', 'a `case` pattern or `expr` instead of `[[ $v =~ re ]]`'],
  ['c-style fors', '`i=0; while [ "$i" -lt 3 ]; do i=$((i + 1)); done` instead of `for ((...))`'],
  ['extended globs', 'a `case` pattern per alternative instead of `@(a|b)`'],
  ['this expansion operator', 'for example `v=$(printf \'%s\\n\' "$v" | tr \'[:lower:]\' \'[:upper:]\')` instead of `${v^^}`'],
];

function posixAlternative(why: string): string {
  for (const [feature, instead] of POSIX) if (why.includes(`: ${feature} `)) return instead;
  return 'the shell\'s manual page, `man dash`, lists what it accepts';
}

export default defineRule({
  id: 'shell-portability',
  severity: 'warning',
  category: 'startup',
  recommended: true,
  title: "The script uses syntax that the image's /bin/sh does not accept",
  peers: { shellcheck: [{ code: 'SC3057', note: 'and the SC3xxx family, from the shebang alone', suppresses: false }] },
  messages: {
    dashRejects: {
      message: '{script} is run by sh, and {why}. bash accepts it; dash stops here when the container starts.',
      hint: 'Use POSIX sh syntax on this line ({posix}), or use `#!/bin/bash` with bash installed.',
    },
    ashLacks: {
      message: '{script} is run by sh, and {why}, a bash feature: busybox ash stops with "syntax error" or "bad substitution" when it reaches this line.',
      hint: 'Use POSIX sh on this line (`set -- a b` and `"$@"` instead of an array, a temporary file or a pipe instead of `<(...)`), or use `#!/bin/bash` with `RUN apk add --no-cache bash`.',
    },
  },
  docs: {
    what:
      "A script run by `sh` (its `#!/bin/sh` line, or `sh script.sh`) uses syntax that the image's /bin/sh does not have. On an image whose /bin/sh is dash (Debian, Ubuntu and the official images built on them): `${v:0:1}`, `${v//a/b}`, `[[ ]]`, arrays, `function f {`, which bash and busybox ash accept. On an image whose /bin/sh is busybox ash (Alpine, BusyBox, Wolfi, the `-alpine` tags): what bash has and ash lacks, such as arrays (`a=(x y)`, `${a[@]}`), process substitution `<(...)`, `${v^^}`, `${!v}` and C-style `for ((...))` loops. On the Red Hat family (bash) the same script is fine, and an image dockerlint does not recognise is not judged. The other rules still analyse the script as bash reads it.",
    why: 'dash and busybox ash stop at the line with a syntax error ("Bad substitution", "unexpected token"), so the container fails at start, or, for an expansion that only fails when it runs, part of the script never does what it says.',
    bad: 'FROM debian:12\n# entrypoint.sh, #!/bin/sh:\nif [ "${1:0:1}" = - ]; then set -- server "$@"; fi',
    good: 'FROM debian:12\n# entrypoint.sh, #!/bin/sh:\ncase "$1" in -*) set -- server "$@" ;; esac',
    howToFix: 'Rewrite the line in POSIX sh (`case "$1" in -*) ... ;; esac` instead of `${1:0:1}`, `${v%%x*}` instead of replacements), or start the script with `#!/bin/bash` and make sure the image has bash.',
  },
  check(ctx) {
    const launch = ctx.launch;
    if (!launch) return;
    for (const unit of launch.scripts) {
      const p = unit.portability;
      if (!p) continue;
      const span = unit.source.spanOf(p.p, p.p);
      const at = { file: unit.source.file.displayPath, span };
      const script = unit.imagePath ?? 'This script';
      if (p.shell === 'ash') ctx.report({ at, messageId: 'ashLacks', data: { script, why: p.message }, label: 'sh' });
      else ctx.report({ at, messageId: 'dashRejects', data: { script, why: p.message, posix: posixAlternative(p.message) }, label: 'sh' });
    }
  },
});
