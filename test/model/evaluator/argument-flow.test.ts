/**
 * How values and the script's arguments flow where real entrypoints were not followed before: a
 * variable named by another (`${!name}`), files sourced from paths the build does not provide,
 * arguments flattened into a string, and what the subcommand branches read of CMD. One behaviour
 * each; `endings()` prints how each path ends (`exec ARGV [user]@line`), as in interpreter.test.ts.
 */
import { endings, run, setup } from './harness.js';

beforeAll(setup);

describe('${!name}: the value of the variable that name holds', () => {
  test('is the named variable\'s value when the name is known', () => {
    const src = '#!/bin/bash\nAPP_BIN=/opt/app/bin/server\nref=APP_BIN\nexec "${!ref}" "$@"\n';
    expect(endings(src)).toEqual(['exec /opt/app/bin/server server [root]@4']);
  });

  test('is unknown when the name is not known, and the script goes on', () => {
    const src = '#!/bin/bash\nref="$(cat /etc/app/bin-var)"\nexec "${!ref}" "$@"\n';
    expect(endings(src)).toEqual(['exec ? server [root]@3']);
  });

  test('of an unset variable is a required-setting check: the configured run is the main path', () => {
    // The check function of graylog's and bookstack's entrypoints.
    const src = '#!/bin/bash\ncheck_env() {\n  local name="$1"\n  if [ -z "${!name}" ]; then echo "missing $name" >&2; exit 1; fi\n}\ncheck_env DB_HOST\nexec "$@"\n';
    const r = run(src);
    const exit = r.endings.find((e) => e.kind === 'exit');
    expect(exit?.why.map((d) => [d.text, d.unset])).toEqual([['-z ${!name} (DB_HOST unset)', ['DB_HOST']]]);
    expect(endings(src, { env: { DB_HOST: 'db' } })).toEqual(['exec server [root]@7']);
  });

  test('in a loop over the required names, each is checked as if written out', () => {
    const src = '#!/bin/bash\nfor v in DB_HOST DB_USER; do\n  [ -z "${!v}" ] && { echo "$v is required" >&2; exit 1; }\ndone\nexec "$@"\n';
    expect(endings(src, { env: { DB_HOST: 'db', DB_USER: 'app' } })).toEqual(['exec server [root]@5']);
    expect(endings(src, { env: { DB_HOST: 'db' } }, true)).toEqual(['exit 1 [root]@3']);
  });
});

describe('what the script reads of its arguments (argsRead)', () => {
  const read = (src: string, args: string[]): number[] => [...run(src, { args }).argsRead].sort();

  test('a subcommand branch that execs its own command line reads only the word it tested', () => {
    const src = '#!/bin/sh\ncase "$1" in\n  server) exec /opt/app/bin/app serve ;;\n  *) exec "$@" ;;\nesac\n';
    expect(read(src, ['server', '--port', '80'])).toEqual([0]);
  });

  test('"$@" after shift reads the rest', () => {
    const src = '#!/bin/sh\ncase "$1" in\n  server) shift; exec /opt/app/bin/app serve "$@" ;;\nesac\n';
    expect(read(src, ['server', '--port', '80'])).toEqual([0, 1, 2]);
  });

  test('a loop that shifts through the arguments reads them all, though their values are unknown inside it', () => {
    const src = '#!/bin/sh\nshift\nwhile [ $# -gt 0 ]; do case "$1" in --port) p="$2"; shift 2 ;; *) shift ;; esac; done\nexec app --port "$p"\n';
    expect(read(src, ['server', '--port', '80'])).toEqual([1, 2]);
  });

  test('getopts and `for arg; do` read the arguments without expanding them', () => {
    expect(read('#!/bin/sh\nwhile getopts "p:" o; do :; done\nexec app\n', ['-p', '80'])).toEqual([0, 1]);
    expect(read('#!/bin/sh\nfor a; do echo "x"; done\nexec app\n', ['a', 'b'])).toEqual([0, 1]);
  });

  test('only the paths the run takes read: a branch for another subcommand does not', () => {
    const src = '#!/bin/sh\nif [ "$1" = migrate ]; then exec app migrate "$@"; fi\nexec app serve\n';
    expect(read(src, ['server', '--port', '80'])).toEqual([0]);
  });
});

describe('a sourced file that cannot be read', () => {
  test('leaves the rest of the script analysed, with the arguments kept', () => {
    const src = '#!/bin/sh\n. /etc/app/env.sh\nmkdir -p /data\nexec "$@"\n';
    expect(endings(src, { args: ['server', '-v'] })).toEqual(['exec server -v [root]@4']);
  });

  test('makes a variable the script has not set unknown (the file may set it), not empty', () => {
    const src = '#!/bin/sh\n. /etc/app/env.sh\nexec /opt/app/bin/server $EXTRA "${MODE:-dev}"\n';
    expect(endings(src)).toEqual(['exec /opt/app/bin/server … ? [root]@3']);
  });

  test('keeps what the script and ENV set before it (the file is taken to provide the settings not set)', () => {
    const src = '#!/bin/sh\nbin=/opt/app/bin/server\n. /etc/app/env.sh\nexec "$bin" "$MODE"\n';
    expect(endings(src, { env: { MODE: 'prod' } })).toEqual(['exec /opt/app/bin/server prod [root]@4']);
  });

  test('what the script assigns after it is known again', () => {
    const src = '#!/bin/sh\n. /etc/app/env.sh\nbin=/opt/app/bin/server\nexec "$bin" "$@"\n';
    expect(endings(src)).toEqual(['exec /opt/app/bin/server server [root]@4']);
  });

  test('a required-setting test after it is not decided: the file may set it', () => {
    const src = '#!/bin/sh\n. /etc/app/env.sh\nif [ -z "$DB_HOST" ]; then echo missing >&2; exit 1; fi\nexec "$@"\n';
    expect(run(src).endings.map((e) => [e.kind, e.why.some((d) => d.unset)])).toEqual([
      ['exit', false],
      ['exec', false],
    ]);
  });

  test('the files of an init folder known only at run time (`. "$f"` in a loop) leave unset settings unset', () => {
    const src = '#!/bin/sh\nfor f in /docker-entrypoint.d/*.sh; do . "$f"; done\nif [ -n "$INIT_ONLY" ]; then exit 0; fi\nexec /opt/app/bin/server\n';
    expect(endings(src)).toEqual(['exec /opt/app/bin/server [root]@4']);
  });

  test('a file read by the build is followed as before', () => {
    const src = '#!/bin/sh\n. /usr/local/lib/app.sh\nexec "$APP_BIN" "$@"\n';
    expect(endings(src, { files: { '/usr/local/lib/app.sh': 'APP_BIN=/opt/app/bin/server\n' } })).toEqual(['exec /opt/app/bin/server server [root]@3']);
  });
});

describe('arguments flattened into a string', () => {
  const flat = (src: string, args: string[] | 'user'): unknown[] => run(src, { args }).endings.map((e) => (e.flattened ? [e.flattened.name, e.flattened.line, e.flattened.risky] : null));

  test('ARGS="$@" then an unquoted $ARGS in the exec: the exec expands a flattened string', () => {
    expect(flat('#!/bin/sh\nARGS="$@"\nexec app $ARGS\n', 'user')).toEqual([['ARGS', 2, true]]);
  });

  test('"$*" and ${@:2} flatten too; what they joined decides whether it can break', () => {
    expect(flat('#!/bin/sh\nOPTS="$*"\nexec app $OPTS\n', ['--port', '80'])).toEqual([['OPTS', 2, false]]);
    expect(flat('#!/bin/bash\nOPTS="${@:2}"\nexec app $OPTS\n', ['serve', '--title', 'My App'])).toEqual([['OPTS', 2, true]]);
  });

  test('the string quoted in the exec, an array copy, or a count is not a flattening re-split', () => {
    expect(flat('#!/bin/sh\nARGS="$@"\nexec app "$ARGS"\n', 'user')).toEqual([null]);
    expect(flat('#!/bin/bash\nARGS=("$@")\nexec app "${ARGS[@]}"\n', 'user')).toEqual([null]);
    expect(flat('#!/bin/sh\nN="$#"\nexec app $N\n', 'user')).toEqual([null]);
  });

  test('a flattened string keeps the value the arguments had: the user command stays one word in the model', () => {
    expect(endings('#!/bin/sh\nARGS="$@"\nexec app $ARGS\n', { args: ['--port', '80'] })).toEqual(['exec app --port 80 [root]@3']);
  });
});
