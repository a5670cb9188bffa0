/**
 * What an undecided test tells its branches. `[ -z "$V" ]` on a value the evaluator does not know
 * (a variable a sourced file that could not be read may set, the output of a command) goes both
 * ways, but each way knows something: V is empty (set or not) on the true way, not empty on the
 * false way. A later test of V (`-n`, `= ''`, `${V:-x}`, `case "$V"`) is then decided on each
 * way, and no path takes both. Where V is no longer read, what was learnt is undone, so the paths
 * merge as they did before; and when too many paths meet, it is undone before any value is lost.
 */
import { endings, run, setup } from './harness.js';

beforeAll(setup);

/** A file the run cannot read: every variable the script has not set may be set by it. */
const ENV = '. /etc/app/env.sh\n';

describe('each way of the test knows whether the variable is empty', () => {
  test('the true way of `-z`: a second `-z` of the same variable is true, its else never runs', () => {
    const src = `#!/bin/sh\n${ENV}if [ -z "$PLUGIN_PATH" ]; then\n  exec gosu app server --no-plugins\nfi\nif [ -z "$PLUGIN_PATH" ]; then echo "PLUGIN_PATH must be set" >&2; exit 1; fi\nexec gosu app "$@"\n`;
    expect(endings(src, {}, true)).toEqual(['exec gosu app server --no-plugins [root]@4', 'exec gosu app server [root]@7']);
  });

  test('the false way of `-n`: `${V:-default}` is the default there, and not known on the other way', () => {
    const src = `#!/bin/sh\n${ENV}if [ -n "$DATA_DIR" ]; then chown -R app "$DATA_DIR"; fi\nexec gosu app server --data "\${DATA_DIR:-/var/lib/app}"\n`;
    expect(endings(src)).toEqual(['exec gosu app server --data /var/lib/app [root]@4', 'exec gosu app server --data ? [root]@4']);
  });

  test('`"$V" = ""` and `"" != "$V"` say the same as `-z` and `-n`', () => {
    for (const cond of ['[ "$MODE" = "" ]', '[ "" = "$MODE" ]', '! [ "" != "$MODE" ]', '[ "$MODE" == \'\' ]']) {
      const src = `#!/bin/sh\n${ENV}if ${cond}; then exec app --default; fi\nif [ -n "$MODE" ]; then exec app --mode "$MODE"; fi\nexit 1\n`;
      expect(endings(src, {}, true)).toEqual(['exec app --default [root]@3', 'exec app --mode ? [root]@4']);
    }
  });

  test('`"${V:-}"` and `"${V-}"` are empty exactly when V is empty or unset', () => {
    for (const word of ['"${MODE:-}"', '"${MODE-}"', '"${MODE}"']) {
      const src = `#!/bin/sh\nset -u\n${ENV}if [ -z ${word} ]; then exec app --default; fi\nif [ -n "$MODE" ]; then exec app --mode "$MODE"; fi\nexit 1\n`;
      expect(endings(src, {}, true)).toEqual(['exec app --default [root]@4', 'exec app --mode ? [root]@5']);
    }
  });

  test('in `[[ ]]` the variable may be unquoted', () => {
    const src = `#!/bin/bash\n${ENV}if [[ -z $MODE ]]; then exec app --default; fi\n[[ -n $MODE ]] || exit 1\nexec app --mode "$MODE"\n`;
    expect(endings(src, {}, true)).toEqual(['exec app --default [root]@3', 'exec app --mode ? [root]@5']);
  });

  test('a value printed by a command is narrowed too', () => {
    const src = '#!/bin/sh\nHOST=$(cat /etc/app/host)\nif [ -z "$HOST" ]; then exec app --local; fi\n[ -n "$HOST" ] || exit 1\nexec app --host "$HOST"\n';
    expect(endings(src, {}, true)).toEqual(['exec app --host ? [root]@5', 'exec app --local [root]@3']);
  });

  test('`case "$V" in "")` after the not-empty way does not take the empty item', () => {
    const src = `#!/bin/sh\n${ENV}[ -n "$ROLE" ] || exit 1\ncase "$ROLE" in\n  "") exec app --no-role ;;\n  *) exec app --role "$ROLE" ;;\nesac\n`;
    expect(endings(src, {}, true)).toEqual(['exec app --role ? [root]@6', 'exit 1 [root]@3']);
  });

  test('`||` after the test: the way that goes on knows the variable is not empty', () => {
    const src = `#!/bin/sh\n${ENV}[ -z "$TOKEN" ] && { echo "TOKEN is required" >&2; exit 1; }\nif [ -z "$TOKEN" ]; then exec app --anonymous; fi\nexec app --token "$TOKEN"\n`;
    expect(endings(src, {}, true)).toEqual(['exec app --token ? [root]@5', 'exit 1 [root]@3']);
  });
});

describe('tests of two variables at once', () => {
  test('`-n "$A" -a -n "$B"` true: both are not empty; false: neither is known', () => {
    const src = `#!/bin/sh\n${ENV}if [ -n "$USER_NAME" -a -n "$USER_ID" ]; then\n  [ -z "$USER_NAME" ] && exit 2\n  [ -z "$USER_ID" ] && exit 3\n  exec gosu "$USER_ID" "$@"\nfi\nexec "$@"\n`;
    expect(endings(src, {}, true)).toEqual(['exec gosu ? server [root]@6', 'exec server [root]@8']);
  });

  test('`[ -z "$A" ] || [ -z "$B" ]` false: both are not empty', () => {
    const src = `#!/bin/sh\n${ENV}if [ -z "$CERT" ] || [ -z "$KEY" ]; then exec app --plain; fi\nif [ -z "$CERT$KEY" ]; then exit 1; fi\n[ -n "$KEY" ] || exit 2\nexec app --tls\n`;
    expect(endings(src, {}, true)).toEqual(['exec app --plain [root]@3', 'exec app --tls [root]@6', 'exit 1 [root]@4']);
  });
});

describe('what is not narrowed', () => {
  test('`[ -z $V ]` unquoted in `[ ]` (an unknown value may be several words): nothing is learnt', () => {
    const src = `#!/bin/sh\n${ENV}if [ -z $MODE ]; then exec app --default; fi\n[ -n "$MODE" ] || exit 1\nexec app\n`;
    expect(endings(src, {}, true)).toEqual(['exec app --default [root]@3', 'exec app [root]@5', 'exit 1 [root]@4']);
  });

  test('an argument of the script (`"$1"`) is not a variable the test narrows', () => {
    const src = '#!/bin/sh\nif [ -z "$2" ]; then exec app --one; fi\n[ -n "$2" ] || exit 1\nexec app --two "$2"\n';
    expect(endings(src, { args: ['server', 'x'] }, true)).toEqual(['exec app --two x [root]@4']);
  });

  test('the true way of `-z` does not say the variable is set: `${V-x}` and `-v V` stay unknown', () => {
    const src = `#!/bin/bash\n${ENV}if [ -z "$MODE" ]; then\n  if [[ -v MODE ]]; then exec app --set-empty; fi\n  exec app "\${MODE-unset}" "\${MODE:-default}" "\${MODE:+alt}"\nfi\nexec app --mode\n`;
    expect(endings(src)).toEqual(['exec app --mode [root]@7', 'exec app --set-empty [root]@4', 'exec app ? default  [root]@5']);
  });

  test('a variable assigned after the test holds what was assigned', () => {
    const src = `#!/bin/sh\n${ENV}if [ -z "$MODE" ]; then echo "no mode" >&2; fi\nMODE=$(cat /etc/mode)\n[ -n "$MODE" ] || exit 1\nexec app\n`;
    expect(endings(src, {}, true)).toEqual(['exec app [root]@6', 'exit 1 [root]@5']);
  });
});

describe('paths merge as before where the variable is not read again', () => {
  const FOUR = ['A', 'B', 'C', 'D'].map((v) => `if [ -z "$OPT_${v}" ]; then echo "OPT_${v} not set" >&2; fi\n`).join('');

  test('four tests of variables nothing reads later: one path at the end, nothing joined', () => {
    const src = `#!/bin/sh\n${ENV}${FOUR}exec gosu app "$@"\n`;
    const r = run(src);
    expect(r.joined).toBe(0);
    expect(r.budget).toBeNull();
    expect(endings(src)).toEqual(['exec gosu app server [root]@7']);
  });

  test('the same variable read once more: the paths stay apart until that read, then merge', () => {
    const src = `#!/bin/sh\n${ENV}if [ -z "$PORT" ]; then echo "default port" >&2; fi\necho "port: \${PORT:-8080}" >&2\nif [ -f /etc/app/debug ]; then echo debug >&2; fi\nexec gosu app "$@"\n`;
    expect(run(src).endings).toHaveLength(1);
  });

  test('what is learnt of a variable no longer read is undone at once: it does not crowd out what is still read', () => {
    // A's test is dead after line 3; B's is read at line 7. With A's paths kept apart too, there
    // would be 8 paths at line 6, more than are kept while facts are held, and B's would go too.
    const src = `#!/bin/sh\n${ENV}if [ -z "$A" ]; then echo "A not set" >&2; fi\nif [ -z "$B" ]; then exec app --no-b; fi\nif [ -f /etc/debug ]; then DEBUG=1; else DEBUG=0; fi\nif [ -f /etc/trace ]; then TRACE=1; else TRACE=0; fi\n[ -n "$B" ] || exit 1\nexec app "$DEBUG" "$TRACE"\n`;
    expect(endings(src, {}, true)).toEqual(['exec app --no-b [root]@4', 'exec app 0 0 [root]@8', 'exec app 0 1 [root]@8', 'exec app 1 0 [root]@8', 'exec app 1 1 [root]@8']);
  });

  test('four tests whose variables are all read at the end: undone before the cap, so nothing is lost', () => {
    const src = `#!/bin/sh\n${ENV}${FOUR}exec gosu app "$@" "$OPT_A" "$OPT_B" "$OPT_C" "$OPT_D"\n`;
    const r = run(src);
    expect(r.joined).toBe(0);
    expect(r.capped).toBeNull();
    expect(r.budget).toBeNull();
  });

  test('a value copied from the not-empty way (`LEVEL=$level`) covers a known default: no new cap', () => {
    // Each of 5 config paths, times a log level that is `info` or copied from a tested, not-empty
    // value: the copy stands for `info` too (every run of one is a run of the other), so the
    // paths join with nothing lost, as they did when the copy was simply not known.
    const paths = 'if [ -f /etc/a ]; then CONF=/etc/a; elif [ -f /etc/b ]; then CONF=/etc/b; elif [ -f /etc/c ]; then CONF=/etc/c; elif [ -f /etc/d ]; then CONF=/etc/d; else CONF=/etc/e; fi\n';
    const level = 'level=$(cat "$CONF")\nif [ -z "$level" ]; then LOG_LEVEL=info; else LOG_LEVEL=$level; fi\n';
    const r = run(`#!/bin/sh\n${paths}${level}[ "$LOG_LEVEL" = debug ] && echo "conf $CONF" >&2\nexec app --config "$CONF"\n`);
    expect(r.capped).toBeNull();
    expect(r.budget).toBeNull();
  });

  test('the twin of the cap: flags with known values read later still hit it, as before', () => {
    const flags = ['A', 'B', 'C', 'D'].map((v) => `if [ -f /etc/${v} ]; then F_${v}=yes; else F_${v}=no; fi\n`).join('');
    const r = run(`#!/bin/sh\n${ENV}${flags}[ "$F_A$F_B$F_C$F_D" = yesyesyesyes ] && exec gosu app "$@"\nexec "$@"\n`);
    expect(r.budget).toBe('more than 8 different states met at line 6 and were joined');
  });
});
