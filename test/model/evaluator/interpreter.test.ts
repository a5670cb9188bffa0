/**
 * The entrypoint evaluator, one behaviour per test. `endings()` prints how each path of a script
 * ends for one invocation: `exec ARGV [user]@line`, `exit CODE [user]@line` or
 * `end [user] after CMD` (error paths left out unless asked for). The default invocation is
 * `CMD ["server"]` as root; `args: 'user'` is `docker run IMAGE <command>`.
 */
import type { ShellFile, Stmt } from '../../../src/parsers/shell-ast.js';
import { describe as describeEnding, endings, run, setup } from './harness.js';

/** `if ...; then X=1; <the next level>; fi` nested n deep, ending in the script's last statement. */
function nest(ast: ShellFile, n: number): ShellFile {
  const [level, tail] = ast.stmts as [Stmt, Stmt];
  let inner: Stmt = tail;
  for (let i = 0; i < n; i++) {
    const cmd = level.cmd as Extract<Stmt['cmd'], { type: 'IfClause' }>;
    inner = { ...level, cmd: { ...cmd, then: [cmd.then[0] as Stmt, inner] } };
  }
  return { ...ast, stmts: [inner] };
}

beforeAll(setup);

describe('values', () => {
  test('a literal assignment is known where it is used', () => {
    expect(endings('#!/bin/sh\napp=/opt/app/bin/server\nexec "$app" --port 80\n')).toEqual(['exec /opt/app/bin/server --port 80 [root]@3']);
  });

  test('a variable that is never set is empty: the ENV defaults are the only environment', () => {
    expect(endings('#!/bin/sh\nexec server $EXTRA_FLAGS\n')).toEqual(['exec server [root]@2']);
  });

  test('an ENV value is known, an ENV with an unknown value is unknown', () => {
    expect(endings('#!/bin/sh\nexec "$APP" run\n', { env: { APP: '/usr/bin/app' } })).toEqual(['exec /usr/bin/app run [root]@2']);
    expect(endings('#!/bin/sh\nexec "$APP" run\n', { env: { APP: null } })).toEqual(['exec ? run [root]@2']);
  });

  test('${X:-default}, ${X:=default} (which assigns) and ${X:+alt}', () => {
    const src = '#!/bin/sh\n: "${PORT:=8080}"\nexec "${BIN:-server}" --port "$PORT" ${DEBUG:+--debug}\n';
    expect(endings(src)).toEqual(['exec server --port 8080 [root]@3']);
    expect(endings(src, { env: { DEBUG: '1', BIN: 'srv' } })).toEqual(['exec srv --port 8080 --debug [root]@3']);
  });

  test('prefix and suffix trims: ${1#-}, ${1%.conf}', () => {
    const src = '#!/bin/sh\nif [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then\n  set -- redis-server "$@"\nfi\nexec "$@"\n';
    expect(endings(src, { args: ['--appendonly', 'yes'] })).toEqual(['exec redis-server --appendonly yes [root]@5']);
    expect(endings(src, { args: ['/etc/redis.conf'] })).toEqual(['exec redis-server /etc/redis.conf [root]@5']);
    expect(endings(src, { args: ['redis-server'] })).toEqual(['exec redis-server [root]@5']);
  });

  test('substrings and replacements in bash: ${1:0:1}, ${v//a/b}', () => {
    const src = '#!/bin/bash\nif [ "${1:0:1}" = - ]; then set -- mysqld "$@"; fi\nv=a-b-c\nexec "$@" "${v//-/_}"\n';
    expect(endings(src, { args: ['-v'] })).toEqual(['exec mysqld -v a_b_c [root]@4']);
  });

  test('local, export, readonly and declare assign; local is undone when the function returns', () => {
    const src = '#!/bin/bash\nexport A=1\nreadonly B=2\ndeclare C=3\nf() { local A=inner; }\nf\nexec echo "$A$B$C"\n';
    expect(endings(src)).toEqual(['exec echo 123 [root]@7']);
  });

  test('in a POSIX sh script, export, readonly and local assign too (the parser reads them as plain commands there)', () => {
    const src = '#!/bin/sh\nexport A=1 D=\nreadonly B="$A"2\nC=3; export C\nf() { local A=inner; }\nf\nexec echo "$A$B$C$D"\n';
    expect(endings(src)).toEqual(['exec echo 1123 [root]@7']);
  });

  test('in a POSIX sh script, a user exported before the drop is the user gosu switches to', () => {
    const src = '#!/bin/sh\nexport RUN_AS=app\nif [ "$(id -u)" = 0 ]; then exec gosu "$RUN_AS" "$0" "$@"; fi\nexec "$@"\n';
    expect(endings(src)).toEqual(['exec gosu app /usr/local/bin/entrypoint.sh server [root]@3']);
  });

  test('a value assigned in a loop body is unknown after the loop', () => {
    const src = '#!/bin/sh\nbin=server\nfor f in /docker-entrypoint.d/*; do bin="$f"; done\nexec "$bin"\n';
    expect(endings(src)).toEqual(['exec ? [root]@4']);
  });
});

describe('the script arguments', () => {
  test('exec "$@" hands over the arguments intact', () => {
    const r = run('#!/bin/sh\nexec "$@"\n', { args: ['server', '--port', '80'] });
    expect(r.endings[0]?.argv.map((f) => [f.s, f.arg])).toEqual([
      ['server', 0],
      ['--port', 1],
      ['80', 2],
    ]);
  });

  test('exec $@ and exec "$*" mangle them', () => {
    expect(run('#!/bin/sh\nexec $@\n').endings[0]?.argv[0]?.mangled).toBe('unquoted');
    expect(run('#!/bin/sh\nexec "$*"\n').endings[0]?.argv[0]?.mangled).toBe('star');
  });

  test('set -- prepends, shift drops the first', () => {
    expect(endings('#!/bin/sh\nset -- gosu app "$@"\nexec "$@"\n')).toEqual(['exec gosu app server [root]@3']);
    expect(endings('#!/bin/sh\nshift\nexec worker "$@"\n', { args: ['run', '-v'] })).toEqual(['exec worker -v [root]@3']);
  });

  test('set -Eeuo pipefail sets options, not the arguments', () => {
    expect(endings('#!/bin/bash\nset -Eeuo pipefail\nexec "$@"\n')).toEqual(['exec server [root]@3']);
    expect(endings('#!/bin/bash\nset -eou pipefail\nexec "$@"\n')).toEqual(['exec server [root]@3']);
    expect(endings('#!/bin/bash\nset -o errexit -o nounset\nexec "$@"\n')).toEqual(['exec server [root]@3']);
    expect(endings('#!/bin/sh\nset -e run\nexec "$@"\n')).toEqual(['exec run [root]@3']);
  });

  test('"$#" is known', () => {
    expect(endings('#!/bin/sh\nif [ "$#" -eq 0 ]; then set -- server; fi\nexec "$@"\n', { args: [] })).toEqual(['exec server [root]@3']);
  });

  test('arrays: args=("$@"), "${args[@]}", "${args[@]:1}", ${#args[@]}', () => {
    const src = '#!/bin/bash\nargs=("$@")\nif [ "${#args[@]}" -gt 0 ] && [ "${args[0]}" = server ]; then\n  args=(/opt/app/bin/server --port 8080 "${args[@]:1}")\nfi\nexec "${args[@]}"\n';
    expect(endings(src, { args: ['server', '-v'] })).toEqual(['exec /opt/app/bin/server --port 8080 -v [root]@6']);
    const r = run(src, { args: 'user' });
    expect(r.endings[0]?.argv.map((f) => [f.arg, f.mangled])).toEqual([[0, undefined]]);
  });

  test('"${args[*]}" unquoted mangles the array of arguments', () => {
    const r = run('#!/bin/bash\nargs=("$@")\nexec ${args[*]}\n');
    expect(r.endings[0]?.argv[0]?.mangled).toBe('unquoted');
  });

  test('a function gets its own arguments, and the caller keeps its own', () => {
    const src = '#!/bin/sh\nrun() { exec "$@"; }\nshow() { echo "$1"; }\nshow other\nrun gosu app "$@"\n';
    expect(endings(src)).toEqual(['exec gosu app server [root]@2']);
  });
});

describe('commands held in values', () => {
  test('a variable holding the hand-over: run="exec su-exec app"; $run "$@"', () => {
    const src = '#!/bin/sh\nrun=exec\nif [ "$(id -u)" = 0 ]; then run="exec su-exec app"; fi\n$run "$@"\n';
    expect(endings(src)).toEqual(['exec su-exec app server [root]@4']);
    expect(endings(src, { user: '1000' })).toEqual(['exec server [1000]@4']);
  });

  test('command substitution of a function whose output is known', () => {
    const src = '#!/bin/bash\ndrop() { if [ "$(id -u)" = 0 ]; then echo "gosu app"; fi; }\nexec $(drop) "$@"\n';
    expect(endings(src)).toEqual(['exec gosu app server [root]@3']);
    expect(endings(src, { user: '1000' })).toEqual(['exec server [1000]@3']);
  });

  test('command substitution of a program whose output is not known is unknown', () => {
    expect(endings('#!/bin/sh\nexec $(cat /etc/cmd)\n')).toEqual(['exec … [root]@2']);
  });

  test('eval of a known string runs it', () => {
    expect(endings('#!/bin/sh\ncmd=\'exec gosu app "$@"\'\neval "$cmd"\n')).toEqual(['exec gosu app server [root]@3']);
  });

  test('eval of an unknown string is an unknown command, not an ending', () => {
    expect(endings('#!/bin/sh\neval "$START"\n', { env: { START: null } })).toEqual(['end [root] after eval']);
  });

  test('a command word from an unknown value is unknown', () => {
    const r = run('#!/bin/sh\n$LAUNCHER server\n', { env: { LAUNCHER: null } });
    expect(r.commands[0]?.argvs[0]?.[0]?.s).toBeNull();
  });
});

describe('conditions', () => {
  test('[ "$1" = value ] is decided from the arguments, and says why', () => {
    const r = run('#!/bin/sh\nif [ "$1" = server ]; then exec /opt/server; fi\nexec "$@"\n');
    expect(r.endings.map((e) => e.why.map((d) => d.text))).toEqual([['$1 = server (from CMD, word 1)']]);
  });

  test('[ "$(id -u)" = 0 ] is decided from the start user', () => {
    const src = '#!/bin/sh\nif [ "$(id -u)" = 0 ]; then exec gosu app "$@"; fi\nexec "$@"\n';
    expect(endings(src)).toEqual(['exec gosu app server [root]@2']);
    expect(endings(src, { user: 'app' })).toEqual(['exec server [app]@3']);
    expect(run(src).endings[0]?.why.map((d) => d.text)).toEqual(['$(id -u) = 0 (no USER)']);
  });

  test('$EUID and whoami in bash', () => {
    expect(endings('#!/bin/bash\n[ "$EUID" -ne 0 ] && exec "$@"\nexec gosu app "$@"\n', { user: 'app' })).toEqual(['exec server [app]@2']);
    expect(endings('#!/bin/bash\nif [ "$(whoami)" = root ]; then exec gosu app "$@"; fi\n')).toEqual(['exec gosu app server [root]@2']);
  });

  test('[ -n "$OPT_IN" ] is decided from the ENV defaults', () => {
    const src = '#!/bin/sh\nif [ -n "$RUN_AS" ] && [ "$(id -u)" = 0 ]; then exec gosu "$RUN_AS" "$@"; fi\nexec "$@"\n';
    expect(endings(src)).toEqual(['exec server [root]@3']);
    expect(endings(src, { env: { RUN_AS: 'app' } })).toEqual(['exec gosu app server [root]@2']);
  });

  test('[[ ]] with patterns and &&', () => {
    const src = '#!/bin/bash\nif [[ $1 == -* && -z "$SKIP" ]]; then set -- app "$@"; fi\nexec "$@"\n';
    expect(endings(src, { args: ['-v'] })).toEqual(['exec app -v [root]@3']);
    expect(endings(src, { args: ['sh'] })).toEqual(['exec sh [root]@3']);
  });

  test('a test on an unknown value takes both branches', () => {
    expect(endings('#!/bin/sh\nif [ -f /data/init ]; then exec init "$@"; fi\nexec "$@"\n')).toEqual(['exec init server [root]@2', 'exec server [root]@3']);
  });

  test('case "$1" in: the matching branch only; the user command matches only *', () => {
    const src = '#!/bin/sh\ncase "$1" in\n  -*) set -- app "$@" ;;\n  help) echo usage; exit 0 ;;\n  *) ;;\nesac\nexec "$@"\n';
    expect(endings(src, { args: ['help'] })).toEqual(['exit 0 [root]@4']);
    expect(endings(src, { args: ['-v'] })).toEqual(['exec app -v [root]@7']);
    expect(endings(src, { args: 'user' })).toEqual(['exec <command> [root]@7']);
  });

  test('a && b: b is skipped when a fails; a failed last command is an error path', () => {
    expect(endings('#!/bin/sh\n[ "$1" = x ] && exec x\nexec "$@"\n')).toEqual(['exec server [root]@3']);
    expect(endings('#!/bin/sh\ntest -d /data && exec "$@"\n', {}, true)).toEqual(['end [root]', 'exec server [root]@2']);
  });

  test('the _is_sourced guard of big official entrypoints is false when the script is run', () => {
    const src = '#!/bin/bash\n_is_sourced() {\n  [ "${#FUNCNAME[@]}" -ge 2 ] && [ "${FUNCNAME[0]}" = _is_sourced ] && [ "${FUNCNAME[1]}" = source ]\n}\n_main() { exec "$@"; }\nif ! _is_sourced; then _main "$@"; fi\n';
    expect(endings(src)).toEqual(['exec server [root]@5']);
  });

  test('[[ $X -ne 0 ]] reads an unset X as 0 (arithmetic); [ "$X" -ne 0 ] fails on a non-integer and takes the else branch', () => {
    const dbl = '#!/bin/bash\nif [[ ${TELEMETRY_OFF} -ne "0" ]]; then exec "$@" --no-telemetry; else exec "$@"; fi\n';
    expect(endings(dbl)).toEqual(['exec server [root]@2']);
    expect(endings(dbl, { env: { TELEMETRY_OFF: '1' } })).toEqual(['exec server --no-telemetry [root]@2']);
    expect(endings('#!/bin/bash\n[[ $UNSET -eq 0 ]] && exec "$@" --zero\nexec "$@"\n')).toEqual(['exec server --zero [root]@2']);
    expect(endings('#!/bin/sh\nif [ "$UNSET" -ne 0 ]; then exec "$@" --set; fi\nexec "$@"\n')).toEqual(['exec server [root]@3']);
    expect(endings('#!/bin/sh\nif [ "$MODE" -eq 0 ]; then exec "$@" --zero; fi\nexec "$@"\n', { env: { MODE: 'fast' } })).toEqual(['exec server [root]@3']);
  });

  test('command -v "$1" finds the program the image\'s CMD names, and the user\'s command; any other name stays unknown', () => {
    const src = '#!/bin/sh\nif ! command -v -- "$1" >/dev/null 2>&1; then set -- java -jar /opt/start.jar "$@"; fi\nexec "$@"\n';
    expect(endings(src, { args: ['java', '-jar', '/opt/start.jar'] })).toEqual(['exec java -jar /opt/start.jar [root]@3']);
    expect(run(src, { args: ['java'] }).endings[0]?.why.map((d) => d.text)).toEqual(['command -v java finds it (from CMD, word 1: the image\'s own command)']);
    expect(endings(src, { args: 'user' })).toEqual(['exec <command> [root]@3']);
    expect(endings('#!/bin/sh\nif [ -z "$(command -v "$1")" ]; then set -- node "$@"; fi\nexec "$@"\n', { args: ['node'] })).toEqual(['exec node [root]@3']);
    expect(endings('#!/bin/sh\nif command -v gosu >/dev/null; then exec gosu app "$@"; fi\nexec "$@"\n')).toEqual(['exec gosu app server [root]@2', 'exec server [root]@3']);
  });

  test('[[ -v NAME ]] is decided from what the run sets: ENV, the script, or nothing (unset)', () => {
    const src = '#!/bin/bash\nif [[ -v DSN ]]; then CONF=relstorage.conf; else CONF=zope.conf; fi\nexec app "$CONF"\n';
    expect(endings(src)).toEqual(['exec app zope.conf [root]@3']);
    expect(run(src).endings[0]?.why.map((d) => [d.text, d.unset])).toEqual([['not -v DSN (DSN unset)', ['DSN']]]);
    expect(endings(src, { env: { DSN: 'postgres://db' } })).toEqual(['exec app relstorage.conf [root]@3']);
    expect(endings(`#!/bin/bash\nDSN=\nif [[ -v DSN ]]; then exec app set; fi\nexec app unset\n`)).toEqual(['exec app set [root]@3']);
    expect(endings(`#!/bin/bash\nDSN=x\nunset DSN\nif [ -v DSN ]; then exec app set; fi\nexec app unset\n`)).toEqual(['exec app unset [root]@5']);
    // After a file that could not be read, or for a variable the shell sets itself: not known.
    expect(endings(`#!/bin/bash\n. /etc/app/env\nif [[ -v DSN ]]; then exec app set; fi\nexec app unset\n`)).toEqual(['exec app set [root]@3', 'exec app unset [root]@4']);
    expect(endings(`#!/bin/bash\nif [[ -v TERM ]]; then exec app set; fi\nexec app unset\n`)).toEqual(['exec app set [root]@2', 'exec app unset [root]@3']);
  });

  test('expr STRING : REGEX is decided when both are known (a basic regular expression anchored at the start)', () => {
    const src = '#!/bin/sh\nif expr "$*" : \'java .*/start\\.jar.*$\' >/dev/null; then exec "$@" --jetty; fi\nexec "$@"\n';
    expect(endings(src, { args: ['java', '-jar', '/opt/jetty/start.jar'] })).toEqual(['exec java -jar /opt/jetty/start.jar --jetty [root]@2']);
    expect(endings(src, { args: ['bash'] })).toEqual(['exec bash [root]@3']);
    expect(endings(src, { args: 'user' })).toEqual(['exec <command> [root]@3']);
    expect(run(src, { args: ['java', '-jar', '/opt/jetty/start.jar'] }).endings[0]?.why.map((d) => d.text)).toEqual(["expr $* : java .*/start\\.jar.*$ matches (from CMD, word 1)"]);
  });

  test('expr with a repeated group, or a construct not read (\\{m,n\\}), is not evaluated: both branches', () => {
    const src = (re: string): string => `#!/bin/sh\nif expr "$1" : '${re}' >/dev/null; then exec "$@" --yes; fi\nexec "$@"\n`;
    expect(endings(src('\\(a*\\)*b'), { args: ['a'.repeat(40)] })).toEqual([`exec ${'a'.repeat(40)} --yes [root]@2`, `exec ${'a'.repeat(40)} [root]@3`]);
    expect(endings(src('a\\{2,3\\}'), { args: ['aaa'] })).toEqual(['exec aaa --yes [root]@2', 'exec aaa [root]@3']);
    expect(endings(src('se\\(rv\\)er'), { args: ['server'] })).toEqual(['exec server --yes [root]@2']);
  });

  test('the CMD\'s program is not also a file of the working directory unless the build puts one there', () => {
    // The node image's entrypoint: prepend node when $1 is a non-executable file.
    const src = '#!/bin/sh\nif { [ -f "$1" ] && ! [ -x "$1" ]; }; then set -- node "$@"; fi\nexec "$@"\n';
    expect(endings(src, { args: ['node'], cwd: '/', provides: [] })).toEqual(['exec node [root]@3']);
    expect(endings(src, { args: ['app.js'], cwd: '/srv', provides: ['/srv/app.js'] })).toEqual(['exec app.js [root]@3', 'exec node app.js [root]@3']);
    expect(endings(`#!/bin/sh\ncd /srv\n${src.slice(src.indexOf('\n') + 1)}`, { args: ['node'], cwd: '/', provides: [] })).toEqual(['exec node [root]@4', 'exec node node [root]@4']);
  });

  test('the "${BASH_SOURCE[0]}" = "$0" guard is true when the script is run', () => {
    expect(endings('#!/bin/bash\nif [ "${BASH_SOURCE[0]}" = "$0" ]; then exec "$@"; fi\n')).toEqual(['exec server [root]@2']);
  });
});

describe('the user\'s command (docker run IMAGE sh): a program the image has, not one of its words', () => {
  test('a subcommand test on the program\'s help output (`vault --help "$1" | grep -q "vault $1"`) fails: the command is run as given', () => {
    const src = '#!/bin/sh\nif [ "$1" = server ]; then set -- vault server; elif vault --help "$1" 2>&1 | grep -q "vault $1"; then set -- vault "$@"; fi\nexec "$@"\n';
    expect(endings(src, { args: 'user' })).toEqual(['exec <command> [root]@3']);
    // The default CMD's word still takes its branch; another CMD word still asks the program.
    expect(endings(src)).toEqual(['exec vault server [root]@3']);
    expect(endings(src, { args: ['operator', 'init'] })).toEqual(['exec operator init [root]@3', 'exec vault operator init [root]@3']);
  });

  test('grep on text that may name the command stays unknown: the command alone, or what the script echoes', () => {
    const alone = '#!/bin/sh\nif vault --help "$1" 2>&1 | grep -q "$1"; then set -- vault "$@"; fi\nexec "$@"\n';
    expect(endings(alone, { args: 'user' })).toEqual(['exec <command> [root]@3', 'exec vault <command> [root]@3']);
    const echoed = '#!/bin/sh\nif echo "$1" | grep -q "vault $1"; then set -- vault "$@"; fi\nexec "$@"\n';
    expect(endings(echoed, { args: 'user' })).toEqual(['exec <command> [root]@3', 'exec vault <command> [root]@3']);
    const file = '#!/bin/sh\nif grep -q "vault $1" /etc/vault/commands; then set -- vault "$@"; fi\nexec "$@"\n';
    expect(endings(file, { args: 'user' })).toEqual(['exec <command> [root]@3', 'exec vault <command> [root]@3']);
  });

  test('which, type and hash find the command, as command -v does; a name the script writes stays unknown', () => {
    for (const look of ['which "$1"', 'type "$1"', 'type -p "$1"', 'hash "$1"', 'command -v "$1"']) {
      const src = `#!/bin/sh\nif ! ${look} >/dev/null 2>&1; then set -- java -jar /opt/app.jar "$@"; fi\nexec "$@"\n`;
      expect(endings(src, { args: 'user' })).toEqual(['exec <command> [root]@3']);
    }
    expect(run('#!/bin/sh\nif which "$1" >/dev/null; then exec "$@"; fi\nexec java -jar /opt/app.jar "$@"\n', { args: 'user' }).endings[0]?.why.map((d) => d.text)).toEqual(["which <command> finds it (the user command: a program the image has, as `docker run IMAGE sh` means)"]);
    expect(endings('#!/bin/sh\nif [ -z "$(which "$1")" ]; then set -- app "$@"; fi\nexec "$@"\n', { args: 'user' })).toEqual(['exec <command> [root]@3']);
    expect(endings('#!/bin/sh\nif which gosu >/dev/null; then exec gosu app "$@"; fi\nexec "$@"\n', { args: 'user' })).toEqual(['exec <command> [root]@3', 'exec gosu app <command> [root]@2']);
  });

  test('what the image\'s commands print is not the command: `[[ $1 == $(which squid) ]]` is false', () => {
    const src = '#!/bin/bash\nif [[ ${1} == squid || ${1} == $(which squid) ]]; then set --; fi\nif [[ -z ${1} ]]; then exec /usr/sbin/squid -NYC; fi\nexec "$@"\n';
    expect(endings(src, { args: 'user' })).toEqual(['exec <command> [root]@4']);
    // With CMD's `squid`, or a word that may be squid's path, the script still runs squid.
    expect(endings(src, { args: ['squid'] })).toEqual(['exec /usr/sbin/squid -NYC [root]@3']);
    expect(endings(src, { args: ['/usr/sbin/squid'] })).toEqual(['exec /usr/sbin/squid -NYC [root]@3', 'exec /usr/sbin/squid [root]@4']);
    // A command that reads the user's command may print it.
    const reads = '#!/bin/sh\nif [ "$1" = "$(basename "$1")" ]; then exec "$@"; fi\nexec /usr/bin/env "$@"\n';
    expect(endings(reads, { args: 'user' })).toEqual(['exec /usr/bin/env <command> [root]@3', 'exec <command> [root]@2']);
    const fed = '#!/bin/bash\nif [ "$1" = "$(cat <<< "$1")" ]; then exec "$@"; fi\nexec /usr/bin/env "$@"\n';
    expect(endings(fed, { args: 'user' })).toEqual(['exec /usr/bin/env <command> [root]@3', 'exec <command> [root]@2']);
  });

  test('a test against the default CMD written out is false for the command; CMD\'s words still match it', () => {
    const src = '#!/bin/bash\nfor s in $(find /etc/cont-init.d -type f); do . "$s"; done\nif [ "$(IFS=" "; echo "$@")" == "su-exec app tini -s ./start.sh" ]; then\n  exec "$@" server\nfi\nexec "$@"\n';
    expect(endings(src, { args: 'user' })).toEqual(['exec <command> [root]@6']);
    expect(endings(src, { args: ['su-exec', 'app', 'tini', '-s', './start.sh'] })).toEqual(['exec su-exec app tini -s ./start.sh server [root]@4']);
  });

  test('expr on the command is decided when any word the image does not know gives the same answer', () => {
    const src = (re: string): string => `#!/bin/sh\nif expr "$1" : '${re}' >/dev/null; then exec app "$@"; fi\nexec "$@"\n`;
    expect(endings(src('java .*'), { args: 'user' })).toEqual(['exec <command> [root]@3']);
    expect(endings(src('-'), { args: 'user' })).toEqual(['exec <command> [root]@3']);
    expect(endings(src('.*'), { args: 'user' })).toEqual(['exec app <command> [root]@2']);
    expect(endings(src('[a-z]*$'), { args: 'user' })).toEqual(['exec <command> [root]@3', 'exec app <command> [root]@2']);
  });
});

describe('loops', () => {
  test('unset in a loop leaves the arguments known; shift or set makes them unknown', () => {
    const src = (body: string): string => `#!/bin/sh\nfor f in /etc/app.d/*.conf; do ${body}; done\nif [ "$1" = server ]; then exec /opt/app/bin/server; fi\nexec "$@"\n`;
    expect(endings(src('unset vanilla'))).toEqual(['exec /opt/app/bin/server [root]@3']);
    expect(endings(src('shift'))).toEqual(['exec /opt/app/bin/server [root]@3', 'exec … [root]@4']);
  });

  test('files sourced from a folder found at run time leave the arguments as they are; a file the script names may set them', () => {
    const src = (body: string): string => `#!/bin/sh\nfor f in $(ls /etc/app.d); do ${body}; done\nif [ "$1" = server ]; then exec /opt/app/bin/server; fi\nexec "$@"\n`;
    expect(endings(src('. "$f"'))).toEqual(['exec /opt/app/bin/server [root]@3']);
    expect(endings(src('. /usr/local/lib/app.sh'))).toEqual(['exec /opt/app/bin/server [root]@3', 'exec … [root]@4']);
  });

  test('after files sourced from a folder found at run time, the path is opaque: its ending and the commands it runs after them may never be reached', () => {
    const r = run('#!/bin/bash\ninit() { local f; for f; do . "$f"; done; }\nchown app /data\ninit /docker-entrypoint.d/*\n"$@"\ntouch /run/stopped\n');
    expect(r.endings.map((e) => `${e.kind} opaque=${e.opaque}`)).toEqual(['end opaque=true']);
    const ran = (name: string): boolean | undefined => r.commands.find((c) => c.argvs[0]?.[0]?.s === name)?.opaque;
    // `chown` ran before any such file, on every path; `"$@"` and `touch` only after them.
    expect([ran('chown'), ran('server'), ran('touch')]).toEqual([false, true, true]);
  });

  test('a command run both before and after such files (a function called twice) is not opaque', () => {
    const r = run('#!/bin/sh\nprep() { mkdir -p /run/app; }\nprep\nfor f in /docker-entrypoint.d/*; do . "$f"; done\nprep\n');
    expect(r.commands.find((c) => c.argvs[0]?.[0]?.s === 'mkdir')?.opaque).toBe(false);
  });

  test('a folder the build leaves empty sources nothing: the path is not opaque', () => {
    const r = run('#!/bin/sh\nfor f in /docker-entrypoint.d/*.sh; do . "$f"; done\necho done\n', { glob: { '/docker-entrypoint.d/*.sh': [] } });
    expect(r.endings.map((e) => `${e.kind} opaque=${e.opaque}`)).toEqual(['end opaque=false']);
  });
});

describe('control flow', () => {
  test('a function called at the end is followed, with "$@"', () => {
    expect(endings('#!/bin/sh\n_main() {\n  chown app /data\n  exec gosu app "$@"\n}\n_main "$@"\n')).toEqual(['exec gosu app server [root]@4']);
  });

  test('return leaves the function, exit ends the script', () => {
    const src = '#!/bin/sh\ncheck() { if [ "$1" = server ]; then return 0; fi; exit 3; }\ncheck "$@"\nexec "$@"\n';
    expect(endings(src, {}, true)).toEqual(['exec server [root]@4']);
    expect(endings(src, { args: ['other'] }, true)).toEqual(['exit 3 [root]@2']);
  });

  test('exec and exit in a subshell or a pipeline end only that child', () => {
    expect(endings('#!/bin/sh\n( exec true )\necho x | exit 1\nexec "$@"\n')).toEqual(['exec server [root]@4']);
  });

  test('a background job changes nothing in the shell', () => {
    expect(endings('#!/bin/sh\nX=1\n{ X=2; exec other; } &\nexec "$X"\n')).toEqual(['exec 1 [root]@4']);
  });

  test('while true without break never falls through: the path stays in the loop (a keep-alive ending)', () => {
    expect(endings('#!/bin/sh\nwhile true; do sleep 1; done\nexec never\n')).toEqual(['loop [root]@2 after sleep']);
    expect(endings('#!/bin/sh\nuntil false; do sleep 1; done\n')).toEqual(['loop [root]@2 after sleep']);
    expect(endings('#!/bin/sh\nwhile :\ndo\n  sleep 60\ndone\n')).toEqual(['loop [root]@2 after sleep']);
  });

  test('a foreground `tail -f` or `sleep infinity` never returns: the path ends there, and what follows it never runs', () => {
    expect(endings('#!/bin/sh\ntinyproxy\ntail -f /var/log/tinyproxy.log\necho "stopped tailing"\nexit 0\n')).toEqual(['end [root] after tail']);
    expect(endings('#!/bin/sh\nkeep() { sleep infinity; echo woke; }\nkeep\nexec never\n')).toEqual(['end [root] after sleep']);
    const r = run('#!/bin/sh\ndaemon &\ntail -F /var/log/app.log\nexit 0\n');
    expect(r.endings.map((e) => [e.kind, e.stays, e.running?.jobs.length])).toEqual([['end', true, 1]]);
  });

  test('a `tail` that ends (no -f), or a keep-alive in the background or a pipeline, is passed: the script goes on', () => {
    expect(endings('#!/bin/sh\ntail -n 20 /var/log/app.log\nexit 0\n')).toEqual(['exit 0 [root]@3']);
    expect(endings('#!/bin/sh\ntail -f /var/log/app.log &\nsleep infinity | cat\nexec server\n')).toEqual(['exec server [root]@4']);
    expect(endings('#!/bin/sh\nif tail -f /dev/null; then :; fi\nexec server\n')).toEqual(['exec server [root]@3']);
  });

  test('an endless loop that a break leaves is a wait, not a keep-alive: the script goes on after it', () => {
    expect(endings('#!/bin/sh\nwhile true; do if nc -z db 5432; then break; fi; sleep 1; done\nexec server\n')).toEqual(['exec server [root]@3']);
  });

  test('a while-true loop in a function that returns on a later pass is a search, not a keep-alive: the script goes on', () => {
    const src = '#!/bin/sh\nis_mounted() {\n  p=$1\n  while true; do\n    if [ -d "$p/.mnt" ]; then return 0; fi\n    [ "$p" = / ] && return 1\n    p=$(dirname "$p")\n  done\n}\nis_mounted /data || echo warn\nexec server\n';
    expect(endings(src)).toEqual(['exec server [root]@11']);
  });

  test('an endless loop in a background job is not how the script ends', () => {
    expect(endings('#!/bin/sh\nwhile true; do sleep 1; done &\nexec server\n')).toEqual(['exec server [root]@3']);
  });

  test('an endless loop in a function ends the path there, with the function it was reached through', () => {
    const r = run('#!/bin/sh\nkeep() { while true; do sleep 1; done; }\nkeep\n');
    expect(r.endings.map(describeEnding)).toEqual(['loop [root]@2 after sleep']);
    expect(r.endings[0]?.loop?.via).toEqual(['keep']);
  });


  test('a sourced file runs in this shell: its functions and variables are seen', () => {
    const files = { '/usr/local/lib/lib.sh': 'APP_USER=app\nstart() { exec gosu "$APP_USER" "$@"; }\n' };
    const r = run('#!/bin/sh\n. /usr/local/lib/lib.sh\nstart "$@"\n', { files });
    expect(r.endings.map((e) => `${e.cmd?.file.path}:${e.cmd?.stmt.p[0]} ${e.argv.map((f) => f.s).join(' ')}`)).toEqual(['/usr/local/lib/lib.sh:2 gosu app server']);
    expect(r.endings[0]?.cmd?.sourcedVia.map((v) => v.stmt.p[0])).toEqual([2]);
  });

  test("a sourced program of the base image that ends with exec (php's docker-php-entrypoint) hands over in this shell, with the positional parameters", () => {
    const spec = { baseImagePrograms: ['/usr/local/bin/docker-php-entrypoint'] };
    const r = run('#!/bin/bash\nsource /usr/local/bin/docker-php-entrypoint\necho never\n', spec);
    expect(r.endings.map(describeEnding)).toEqual(['exec /usr/local/bin/docker-php-entrypoint server [root]@2']);
    expect(r.unknownSources).toEqual([]);
    // Words after its name are its parameters; in a subshell it ends only the subshell.
    expect(endings('#!/bin/sh\n. /usr/local/bin/docker-php-entrypoint apache2-foreground -DX\n', spec)).toEqual(['exec /usr/local/bin/docker-php-entrypoint apache2-foreground -DX [root]@2']);
    expect(endings('#!/bin/sh\n( . /usr/local/bin/docker-php-entrypoint )\nexec "$@"\n', spec)).toEqual(['exec server [root]@3']);
    // Not a program of the base image: an unknown file, taken to return.
    expect(endings('#!/bin/sh\n. /usr/local/bin/docker-php-entrypoint\nexec "$@"\n')).toEqual(['exec server [root]@3']);
  });

  test('a sourced file the image does not have is recorded once', () => {
    const r = run('#!/bin/sh\n. /missing.sh\nexec "$@"\n');
    expect(r.unknownSources.map((u) => u.path)).toEqual(['/missing.sh']);
  });

  test("a virtual environment's activate script is recorded as such, another unreadable file is not", () => {
    const r = run('#!/bin/sh\n. /opt/venv/bin/activate\n. venv/bin/activate\n. /opt/lib/activate.sh\n. /opt/activate\nexec app\n');
    expect(r.unknownSources.map((u) => `${u.path} ${u.activate === true}`)).toEqual(['/opt/venv/bin/activate true', 'venv/bin/activate true', '/opt/lib/activate.sh false', '/opt/activate false']);
  });

  test('recursion does not hang: the recursive call is unknown', () => {
    const r = run('#!/bin/sh\nf() { f "$@"; }\nf\nexec "$@"\n');
    expect(r.endings.map((e) => e.kind)).toEqual(['exec']);
  });

  test('a one-shot user switch is a child command, not an ending', () => {
    const r = run('#!/bin/sh\ngosu app /opt/app/bin/migrate\nexec "$@"\n');
    expect(r.commands.map((c) => [c.argvs[0]?.map((f) => f.s).join(' '), c.exec, c.child])).toEqual([
      ['gosu app /opt/app/bin/migrate', false, false],
      ['server', true, false],
    ]);
  });

  test('comments, strings and heredoc bodies that mention exec "$@" are not commands', () => {
    expect(endings('#!/bin/sh\n# exec "$@"\necho \'exec "$@"\'\ncat <<EOF\nexec "$@"\nEOF\n')).toEqual(['end [root] after cat']);
  });
});

describe('size', () => {
  const chain = (n: number): string => `#!/bin/sh\n${Array.from({ length: n }, (_, i) => `step${i}`).join(' && ')} && exec "$@"\n`;
  test('a 1,000-link && chain: the same answer as a short one, in linear work', () => {
    const short = run(chain(10));
    const long = run(chain(1000));
    expect(long.endings.filter((e) => !e.failed).map((e) => e.kind)).toEqual(['exec']);
    expect(long.budget).toBeNull();
    expect(long.steps / 1000).toBeLessThan((short.steps / 10) * 2);
  });

  test('a long script: linear work (the benchmark runs 10,000 lines)', () => {
    const lines = (n: number): string => `#!/bin/sh\n${Array.from({ length: n }, (_, i) => `v${i}="x${i}"; [ -f /f${i} ] && echo "$v${i}"`).join('\n')}\nexec "$@"\n`;
    const a = run(lines(200));
    const b = run(lines(2000));
    expect(b.endings.map((e) => e.kind)).toEqual(['exec']);
    expect(b.steps / a.steps).toBeLessThan(12);
  });

  test('300 nested function calls are followed to the end', () => {
    const fns = Array.from({ length: 300 }, (_, i) => `f${i}() { f${i + 1} "$@"; }`).join('\n');
    expect(endings(`#!/bin/sh\n${fns}\nf300() { exec "$@"; }\nf0 "$@"\n`)).toEqual(['exec server [root]@302']);
  });

  test('5,000 nested ifs: no recursion, linear work, the same ending as one if', () => {
    const one = run('#!/bin/sh\nif [ -f /x ]; then X=1; fi\nexec "$@"\n');
    const nested = run('#!/bin/sh\nif [ -f /x ]; then X=1; fi\nexec "$@"\n', { transform: (ast) => nest(ast, 5000) });
    expect(nested.endings.filter((e) => e.kind === 'exec').map((e) => e.argv.map((f) => f.s).join(' '))).toEqual(['server']);
    expect(nested.steps).toBeLessThan(one.steps * 5000 * 2);
  });

  test('many unknown ifs that assign: states are joined, the work stays linear', () => {
    const src = (n: number): string => `#!/bin/sh\n${Array.from({ length: n }, (_, i) => `if [ -f /f${i} ]; then X${i}=1; fi`).join('\n')}\nexec "$@"\n`;
    const a = run(src(100));
    const b = run(src(1000));
    expect(b.endings.map((e) => e.argv.map((f) => f.s).join(' '))).toEqual(['server']);
    expect(b.steps / a.steps).toBeLessThan(12);
  });

  test('many unknown ifs beside a variable used as the command word: the work stays linear, and no literal is made up', () => {
    const src = (n: number): string =>
      `#!/bin/sh\nRUNNER=\nif [ -f /etc/numa.conf ]; then RUNNER=numactl; fi\n${Array.from({ length: n }, (_, i) => `if [ -f /f${i} ]; then X${i}=1; fi`).join('\n')}\nexec $RUNNER "$@"\n`;
    const a = run(src(100));
    const b = run(src(1000));
    for (const e of b.endings) {
      const words = e.argv.map((f) => f.s);
      expect(words[words.length - 1]).toBe('server');
      expect(words.slice(0, -1).every((w) => w === null || w === 'numactl')).toBe(true);
    }
    expect(b.steps / a.steps).toBeLessThan(12);
  });

});
