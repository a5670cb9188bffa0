/**
 * Commands and arguments held in strings: `[[ $args =~ re ]]` on a string of joined arguments,
 * a command line built in a variable and run unquoted (`CMD="app --port=$PORT $@"; $CMD`), and
 * the words `exec` takes as its own options. One behaviour each; `endings()` prints how each path
 * ends (`exec ARGV [user]@line`), as in interpreter.test.ts.
 */
import { endings, run, setup } from './harness.js';
import { regexMatch } from '../../../src/model/evaluator/conditions.js';
import { lit, USER_COMMAND } from '../../../src/model/evaluator/values.js';

beforeAll(setup);

describe('[[ x =~ re ]]: a POSIX extended regular expression', () => {
  const chroma = '#!/bin/bash\nargs="$@"\nif [[ $args =~ ^uvicorn.* ]]; then\n  exec $args\nelse\n  exec uvicorn app:app $args\nfi\n';

  test('is decided on known words: a CMD of options does not start with the program', () => {
    expect(endings(chroma, { args: ['--workers 2 --port 80'] })).toEqual(['exec uvicorn app:app --workers 2 --port 80 [root]@6']);
    expect(endings(chroma, { args: ['uvicorn', 'app:app'] })).toEqual(['exec uvicorn app:app [root]@4']);
  });

  test('the user command matches only an expression that matches every word', () => {
    // `docker run IMAGE sh` is not `uvicorn...`: the options branch runs, with `sh` as an option.
    expect(endings(chroma, { args: 'user' })).toEqual(['exec uvicorn app:app <command> [root]@6']);
    expect(regexMatch(lit(USER_COMMAND), '^-')).toEqual({ matched: false, groups: null });
    expect(regexMatch(lit(USER_COMMAND), '.*')).toEqual({ matched: true, groups: null });
    // Matches the empty word but is anchored at the end: not known.
    expect(regexMatch(lit(USER_COMMAND), '^[a-z]*$')).toBeNull();
  });

  test('quoted parts match themselves; groups fill BASH_REMATCH', () => {
    const src = '#!/bin/bash\nif [[ "$1" =~ ^--port=([0-9]+)$ ]]; then\n  exec app -p "${BASH_REMATCH[1]}"\nfi\nif [[ "$1" =~ "a.b" ]]; then exec dotted; fi\nexec other\n';
    expect(endings(src, { args: ['--port=8080'] })).toEqual(['exec app -p 8080 [root]@3']);
    expect(endings(src, { args: ['axb'] })).toEqual(['exec other [root]@6']);
    expect(endings(src, { args: ['a.b'] })).toEqual(['exec dotted [root]@5']);
  });

  test('an expression outside the subset read, or an unknown word, leaves both branches', () => {
    expect(regexMatch(lit('ab'), '(a)\\1')).toBeNull();
    expect(regexMatch(lit('ab'), '[[:word:]]')).toBeNull();
    const src = '#!/bin/bash\nMODE="$(cat /etc/mode)"\nif [[ "$MODE" =~ ^dev ]]; then exec dev-server; fi\nexec server\n';
    expect(endings(src)).toEqual(['exec dev-server [root]@3', 'exec server [root]@4']);
    const rematch = run('#!/bin/bash\n[[ "$MODE" =~ ^(a)$ ]]\nexec app "${BASH_REMATCH[1]}"\n').endings[0];
    expect(rematch?.argv[1]).toEqual({ s: null });
  });
});

describe('exec and the words it takes as its own options', () => {
  test('-a NAME, -c, -l and -- are exec\'s; the command follows', () => {
    expect(endings('#!/bin/bash\nexec -a myapp -c -- /opt/app/bin/app "$@"\n')).toEqual(['exec /opt/app/bin/app server [root]@2']);
  });

  test('any other word with a dash is the command, which is not found: no hand-over', () => {
    expect(endings('#!/bin/bash\nexec --workers 2 --port 80\necho unreachable-in-bash-with-set-e\n')).toEqual(['end [root] after echo']);
  });
});
