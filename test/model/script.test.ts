import { loadShellParser, type ShellParser } from '../../src/parsers/shell.js';
import { analyseScript, isErrorExit, type Ending, type ScriptAnalysis } from '../../src/model/script.js';

let parser: ShellParser;
beforeAll(async () => {
  parser = await loadShellParser();
});

function analyse(src: string, dialect: 'posix' | 'bash' = 'posix'): ScriptAnalysis {
  const r = parser.parse(src, dialect);
  if (!r.ok) throw new Error(r.error.message);
  return analyseScript(r.file, src);
}

/** One line per ending: `kind@line name args [switch] [ranArgs@line]`, error exits skipped. */
function endings(src: string, dialect: 'posix' | 'bash' = 'posix'): string[] {
  return analyse(src, dialect)
    .endings.filter((e) => !isErrorExit(e))
    .map((e: Ending) => {
      const at = e.kind === 'exit' ? e.exitStmt?.p[0] : e.last?.stmt.p[0];
      const name = e.last?.info.name ?? (e.last ? '(dynamic)' : '-');
      const parts = [`${e.kind}@${at ?? '-'}`, name, e.last?.info.args ?? 'none'];
      if (e.userSwitch) parts.push(`switch:${(e.userSwitch.info.switcher ?? e.userSwitch.info.forking)?.user}`);
      if (e.ranArgs) parts.push(`ranArgs@${e.ranArgs.stmt.p[0]}`);
      if (e.positional !== 'script') parts.push('positional:other');
      return parts.join(' ');
    })
    .sort();
}

describe('script endings', () => {
  test('exec "$@" at the end', () => {
    expect(endings('#!/bin/sh\nset -e\nexec "$@"\n')).toEqual(['exec@3 (dynamic) quoted']);
  });

  test('a comment, a string and a heredoc that mention exec "$@" are not commands', () => {
    const src = '#!/bin/sh\n# exec "$@"\necho \'exec "$@"\'\ncat <<EOF\nexec "$@"\nEOF\n';
    expect(endings(src)).toEqual(['end@4 cat none']);
  });

  test('the official-image re-exec step-down: one path drops to redis, the other execs "$@"', () => {
    const src = [
      '#!/bin/sh',
      'set -e',
      'if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then',
      '  find . \\! -user redis -exec chown redis {} +',
      '  exec gosu redis "$0" "$@"',
      'fi',
      'exec "$@"',
    ].join('\n');
    const a = analyse(src);
    expect(endings(src)).toEqual(['exec@5 gosu quoted switch:redis', 'exec@7 (dynamic) quoted']);
    expect(a.endings.find((e) => e.last?.info.name === 'gosu')?.last?.info.reexec).toBe(true);
  });

  test('a function called on the main path with "$@" is followed', () => {
    const src = '#!/bin/sh\n_main() {\n  chown app /data\n  exec gosu app "$@"\n}\n_main "$@"\n';
    expect(endings(src)).toEqual(['exec@4 gosu quoted switch:app']);
  });

  test('a function called without "$@" does not see the script arguments', () => {
    const src = '#!/bin/sh\nrun() { exec "$@"; }\nrun node server.js\n';
    expect(endings(src)).toEqual(['exec@2 (dynamic) quoted positional:other']);
  });

  test('set -- server "$@" keeps the arguments, set -- x replaces them', () => {
    expect(endings('#!/bin/sh\nset -- redis-server "$@"\nexec "$@"\n')).toEqual(['exec@3 (dynamic) quoted']);
    expect(endings('#!/bin/sh\nset -- nginx -g "daemon off;"\nexec "$@"\n')).toEqual(['exec@3 (dynamic) quoted positional:other']);
  });

  test('if/elif/else and case give one ending per path, a missing else falls through', () => {
    const src = [
      '#!/bin/sh',
      'case "$1" in',
      '  web) exec web-server ;;',
      '  worker) exec worker ;;',
      'esac',
      'if [ -n "$A" ]; then exec a; elif [ -n "$B" ]; then exec b; else exec c; fi',
    ].join('\n');
    expect(endings(src)).toEqual(['exec@3 web-server none', 'exec@4 worker none', 'exec@6 a none', 'exec@6 b none', 'exec@6 c none']);
  });

  test('"$@" run without exec is recorded on the path', () => {
    expect(endings('#!/bin/sh\n"$@"\n')).toEqual(['end@2 (dynamic) quoted ranArgs@2']);
  });

  test('mangled arguments: $@ unquoted and "$*"', () => {
    expect(endings('#!/bin/sh\nexec $@\n')).toEqual(['exec@2 (dynamic) unquoted']);
    expect(endings('#!/bin/sh\nexec "$*"\n')).toEqual(['exec@2 (dynamic) star']);
  });

  test('an error exit is not a way the main process ends; a && exec b fails on a', () => {
    const a = analyse('#!/bin/sh\n[ -n "$X" ] || { echo "X missing" >&2; exit 1; }\nmigrate && exec server\n');
    expect(a.endings.filter(isErrorExit).map((e) => e.kind).sort()).toEqual(['end', 'exit']);
    expect(endings('#!/bin/sh\n[ -n "$X" ] || { echo "X missing" >&2; exit 1; }\nmigrate && exec server\n')).toEqual(['exec@3 server none']);
  });

  test('exec in a subshell or a pipeline does not end the script', () => {
    expect(endings('#!/bin/sh\n( exec foo )\necho done\n')).toEqual(['end@3 echo none']);
    expect(endings('#!/bin/sh\nexec foo | cat\n')).toEqual(['end@2 cat none']);
  });

  test('gosu without exec stays a foreground child with a user switch', () => {
    expect(endings('#!/bin/sh\ngosu redis "$@"\n')).toEqual(['end@2 gosu quoted switch:redis ranArgs@2']);
  });

  test('su and sudo are forking user switches', () => {
    const a = analyse('#!/bin/sh\nexec su app -c "server"\n');
    expect(a.endings[0]?.last?.info.forking).toMatchObject({ tool: 'su', user: 'app', commandString: 'server' });
    const b = analyse('#!/bin/sh\nexec sudo -u app "$@"\n');
    expect(b.endings[0]?.last?.info.forking).toMatchObject({ tool: 'sudo', user: 'app' });
  });

  test('setpriv, chroot --userspec, su-exec, s6-setuidgid and chpst -u are exec user switches', () => {
    const users = [
      'exec setpriv --reuid=app --regid=app --init-groups "$@"',
      'exec chroot --userspec=app:app / "$@"',
      'exec su-exec app "$@"',
      'exec s6-setuidgid app "$@"',
      'exec chpst -u app "$@"',
    ].map((line) => analyse(`#!/bin/sh\n${line}\n`).endings[0]?.last?.info.switcher?.user);
    expect(users).toEqual(['app', 'app:app', 'app', 'app', 'app']);
  });

  test('the _is_sourced guard of big official entrypoints is known to be false at container start', () => {
    const src = [
      '#!/bin/bash',
      '_is_sourced() { [ "${#FUNCNAME[@]}" -ge 2 ] && [ "${FUNCNAME[1]}" = source ]; }',
      '_main() { exec "$@"; }',
      'if ! _is_sourced; then',
      '  _main "$@"',
      'fi',
    ].join('\n');
    expect(endings(src, 'bash')).toEqual(['exec@3 (dynamic) quoted']);
  });

  test('root guards: the step-down under `id -u` = 0 (or after a non-root early exec) runs only as root', () => {
    const rootOnly = (src: string, dialect: 'posix' | 'bash' = 'posix'): boolean[] =>
      analyse(src, dialect).endings.filter((e) => e.last?.info.switcher).map((e) => e.rootOnly);
    expect(rootOnly('#!/bin/sh\nif [ "$(id -u)" = \'0\' ]; then exec gosu app "$0" "$@"; fi\nexec "$@"\n')).toEqual([true]);
    expect(rootOnly('#!/bin/sh\nif [ "$1" = s -a "$(id -u)" = 0 ]; then exec gosu app "$0" "$@"; fi\nexec "$@"\n')).toEqual([true]);
    expect(rootOnly('#!/bin/bash\nif [[ $EUID -ne 0 ]]; then exec "$@"; fi\nexec gosu app "$@"\n', 'bash')).toEqual([true]);
    // the then-branch path (not root) reaches gosu too
    expect(rootOnly('#!/bin/sh\nif [ "$(id -u)" != 0 ]; then echo not root; fi\nexec gosu app "$@"\n').sort()).toEqual([false, true]);
    expect(rootOnly('#!/bin/sh\nexec gosu app "$@"\n')).toEqual([false]);
  });

  test('the `"${BASH_SOURCE[0]}" = "$0"` guard is known to be true at container start', () => {
    const main = '_main() { exec "$@"; }\n';
    expect(endings(`#!/bin/bash\n${main}if [ "\${BASH_SOURCE[0]}" = "$0" ]; then\n  _main "$@"\nfi\n`, 'bash')).toEqual(['exec@2 (dynamic) quoted']);
    expect(endings(`#!/bin/bash\n${main}if [[ "$0" != "$BASH_SOURCE" ]]; then return; fi\n_main "$@"\n`, 'bash')).toEqual(['exec@2 (dynamic) quoted']);
  });

  test('a trap-and-wait supervisor is recognised', () => {
    const a = analyse('#!/bin/sh\ntrap \'kill -TERM "$child"\' TERM\napp &\nchild=$!\nwait "$child"\n');
    expect(a.supervisor).toBe(true);
    expect(analyse('#!/bin/sh\napp\n').supervisor).toBe(false);
  });

  test('recursion does not hang', () => {
    const a = analyse('#!/bin/sh\nf() { f "$@"; }\nf "$@"\n');
    expect(a.truncated).toBe(true);
  });
});
