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
