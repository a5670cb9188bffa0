/**
 * The budgets of a run. The per-point state cap: when more different states meet than the evaluator keeps apart, they
 * are joined and values that differed become unknown. A run that then uses such a value is
 * unsure: it says where the cap was hit and what was lost, and sets `budget` so that no check
 * concludes anything from it. A join whose lost values are never read changes nothing.
 */
import { run, setup } from './harness.js';

beforeAll(setup);

/**
 * Four undecidable `if`s: 16 paths meet after them, more than the 8 kept apart. The flags are
 * printed right after (on the same line), so they are still read where the paths meet.
 */
const FOUR_IFS = 'if [ -f /etc/a ]; then A=1; fi\nif [ -f /etc/b ]; then B=1; fi\nif [ -f /etc/c ]; then C=1; fi\nif [ -f /etc/d ]; then D=1; fi; echo "flags $A$B$C$D" >&2\n';

describe('the state cap', () => {
  test('a value the join lost, read afterwards: the run is unsure, with where and what', () => {
    const r = run(`#!/bin/sh\nif [ -f /etc/mode ]; then RUN_AS=app; else RUN_AS=worker; fi\n${FOUR_IFS}if [ "$RUN_AS" = app ] || [ "$RUN_AS" = worker ]; then exec gosu "$RUN_AS" "$@"; fi\nexec "$@"\n`);
    expect(r.capped).not.toBeNull();
    expect(r.capped?.at.stmt.p[0]).toBe(5);
    expect(r.capped?.states).toBeGreaterThan(8);
    expect(r.capped?.lost).toBe('`$RUN_AS`, read at line 7');
    expect(r.budget).toBe('more than 8 different states met at line 5 and were joined');
  });

  test('an array the join lost, expanded afterwards: the run is unsure too', () => {
    const r = run(`#!/bin/bash\nif [ -f /etc/mode ]; then args=(--cluster "$@"); else args=(--single "$@"); fi\n${FOUR_IFS}exec server "\${args[@]}"\n`);
    expect(r.capped?.lost).toBe('`$args`, read at line 7');
    expect(r.budget).not.toBeNull();
  });

  test('the same script under the cap: no join, both paths exec gosu, nothing unsure', () => {
    const r = run('#!/bin/sh\nif [ -f /etc/mode ]; then RUN_AS=app; else RUN_AS=worker; fi\nif [ -f /etc/a ]; then A=1; fi\nif [ "$RUN_AS" = app ] || [ "$RUN_AS" = worker ]; then exec gosu "$RUN_AS" "$@"; fi\nexec "$@"\n');
    expect(r.capped).toBeNull();
    expect(r.budget).toBeNull();
    expect(r.endings.filter((e) => e.kind === 'exec').map((e) => e.argv.map((f) => f.s).join(' ')).sort()).toEqual(['gosu app server', 'gosu worker server']);
  });

  test('joined values that are never read again: the cap was hit, but the run is still sure', () => {
    const r = run(`#!/bin/sh\n${FOUR_IFS}exec "$@"\n`);
    expect(r.joined).toBeGreaterThan(0);
    expect(r.capped).toBeNull();
    expect(r.budget).toBeNull();
    expect(r.endings.map((e) => e.argv.map((f) => f.s).join(' '))).toEqual(['server']);
  });

  test('paths that differ in the arguments themselves: a join of them is unsure at once', () => {
    const shifts = Array.from({ length: 4 }, (_, i) => `if [ -f /etc/s${i} ]; then set -- "$@" --opt${i}; fi`).join('\n');
    const r = run(`#!/bin/sh\n${shifts}\nexec "$@"\n`);
    expect(r.capped?.lost).toBe("the script's arguments or its user, which differed between the paths");
    expect(r.budget).not.toBeNull();
  });
});

/** A value set differently on two paths, then joined away by FOUR_IFS; `use` reads it. */
function lostThen(use: string, shell = 'sh'): ReturnType<typeof run> {
  return run(`#!/bin/${shell}\nif [ -f /app/conf.py ]; then CONF=/app/conf.py; else CONF=/conf.py; fi\n${FOUR_IFS}${use}\n`);
}

describe('a lost value is unsure only where it can change an answer', () => {
  test('read as a plain argument of the final exec: the run is sure, and the hand-over is known', () => {
    const r = lostThen('exec gunicorn -c "$CONF" "$@"');
    expect(r.joined).toBeGreaterThan(0);
    expect(r.capped).toBeNull();
    expect(r.budget).toBeNull();
    const execs = r.endings.filter((e) => e.kind === 'exec');
    expect(execs).toHaveLength(1);
    expect(execs[0]?.argv[0]?.s).toBe('gunicorn');
    expect(execs[0]?.argv[2]?.s).toBeNull();
  });

  test('copied into another variable first, then a plain argument: still sure', () => {
    const r = lostThen('export GUNICORN_CONF=${GUNICORN_CONF:-$CONF}\nexec gunicorn -c "$GUNICORN_CONF" app:main');
    expect(r.budget).toBeNull();
    expect(r.endings.filter((e) => e.kind === 'exec').map((e) => e.argv[0]?.s)).toEqual(['gunicorn']);
  });

  test('printed, or a plain argument of a command that is not the last: sure', () => {
    expect(lostThen('echo "using $CONF"\ncp "$CONF" /tmp/conf.py\nexec "$@"').budget).toBeNull();
  });

  test('as the command word, or in a command held in a variable: unsure', () => {
    expect(lostThen('exec "$CONF" "$@"').capped?.lost).toBe('`$CONF`, read at line 7');
    const held = lostThen('RUN="python $CONF"\nexec $RUN "$@"');
    expect(held.capped?.lost).toBe('`$RUN`, read at line 8');
    expect(held.budget).not.toBeNull();
  });

  test('in a condition that picks a branch: unsure', () => {
    expect(lostThen('if [ "$CONF" = /conf.py ]; then exec gosu app "$@"; fi\nexec "$@"').capped?.lost).toBe('`$CONF`, read at line 7');
    expect(lostThen('[ "$CONF" = /conf.py ] && exec gosu app "$@"\nexec "$@"').budget).not.toBeNull();
  });

  test('as the user or the program of a drop tool, or of a wrapper that runs a program: unsure', () => {
    expect(lostThen('exec gosu "$CONF" "$@"').budget).not.toBeNull();
    expect(lostThen('exec su-exec app "$CONF"').budget).not.toBeNull();
    expect(lostThen('exec setpriv --reuid="$CONF" --init-groups "$@"').budget).not.toBeNull();
    expect(lostThen('exec tini -- "$CONF"').budget).not.toBeNull();
  });

  test('where the arguments are formed (set --, eval, shift, an array, a function\'s arguments): unsure', () => {
    expect(lostThen('set -- "$CONF" "$@"\nexec "$@"').budget).not.toBeNull();
    expect(lostThen('eval "exec $CONF"').budget).not.toBeNull();
    expect(lostThen('shift "${#CONF}"\nexec "$@"').budget).not.toBeNull();
    expect(lostThen('args=(-c "$CONF" "$@")\nexec gunicorn "${args[@]}"', 'bash').budget).not.toBeNull();
    expect(lostThen('start() { exec "$@"; }\nstart "$CONF"').budget).not.toBeNull();
  });

  test('assigned inside a plain argument (${A:=...}) or captured by $(...) into the command word: unsure', () => {
    expect(lostThen(': "${PROG:=$CONF}"\nexec "$PROG"').budget).not.toBeNull();
    expect(lostThen('exec "$(echo "$CONF")" "$@"').budget).not.toBeNull();
  });
});

describe('the other budgets of a run', () => {
  test('function calls nested deeper than the budget: the run stops there and says why', () => {
    const fns = Array.from({ length: 2100 }, (_, i) => `f${i}() { f${i + 1} "$@"; }`).join('\n');
    const r = run(`#!/bin/sh\n${fns}\nf2100() { exec "$@"; }\nf0 "$@"\n`);
    expect(r.budget).toBe('more than 2000 nested function calls');
    expect(r.endings).toEqual([]);
  });

  test('a recursive function is not a budget: the recursive call is not followed again', () => {
    const r = run('#!/bin/sh\nretry() { if [ -f /ready ]; then exec "$@"; fi; sleep 1; retry "$@"; }\nretry "$@"\n');
    expect(r.budget).toBeNull();
    expect(r.endings.some((e) => e.kind === 'exec')).toBe(true);
  });

  test('more different endings than are kept: the run stops trusting its endings and says why', () => {
    const exits = Array.from({ length: 300 }, (_, i) => `[ -f /etc/stop${i} ] && exit ${i + 1}`).join('\n');
    const r = run(`#!/bin/sh\n${exits}\nexec "$@"\n`);
    expect(r.budget).toBe('more than 256 different ways to end');
    const few = run(`#!/bin/sh\n${exits.split('\n').slice(0, 100).join('\n')}\nexec "$@"\n`);
    expect(few.budget).toBeNull();
    expect(few.endings).toHaveLength(101);
  });

  test('sourced files nested deeper than the budget: the run stops there and says why', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) files[`/lib/l${i}.sh`] = `. /lib/l${i + 1}.sh\n`;
    files['/lib/l10.sh'] = 'exec "$@"\n';
    const r = run('#!/bin/sh\n. /lib/l0.sh\n', { files });
    expect(r.budget).toBe('more than 8 nested sourced files');
    expect(r.unknownSources).toEqual([]);
  });
});

describe('the walk of the whole script', () => {
  test('functions nested 40 deep are walked once each: the run ends as the script says', () => {
    // Each level used to be walked twice (as a function and as its body): 2^40 visits.
    let body = 'echo ready';
    for (let i = 0; i < 40; i++) body = `f${i}() { ${body}; }`;
    const r = run(`#!/bin/sh\n${body}\nif [ -f /etc/a ]; then A=1; fi\nexec "$@"\n`);
    expect(r.budget).toBeNull();
    expect(r.endings.map((e) => e.argv.map((f) => f.s).join(' '))).toEqual(['server']);
  });
});
