/**
 * Joins that lose nothing. Where more paths meet than the evaluator keeps apart, it first joins
 * the paths that differ only in what no later command can see: variables nothing reads again
 * (dead: never read after the point, or assigned before any read), the status of a command no
 * one tests, or values a path that knows less already covers. Only when that is not enough are
 * values lost, and a run that then reads a lost value is unsure, as before.
 */
import { endings, run, setup } from './harness.js';

beforeAll(setup);

/** Four undecidable `if`s: 16 paths that differ in four flags. */
const FLAGS = 'if [ -f /etc/a ]; then A=1; fi\nif [ -f /etc/b ]; then B=1; fi\nif [ -f /etc/c ]; then C=1; fi\nif [ -f /etc/d ]; then D=1; fi\n';
/** The user the script drops to, decided by a file test before the flags. */
const RUN_AS = 'if [ -f /etc/mode ]; then RUN_AS=app; else RUN_AS=worker; fi\n';
const DROP = 'if [ "$RUN_AS" = app ] || [ "$RUN_AS" = worker ]; then exec gosu "$RUN_AS" "$@"; fi\nexec "$@"\n';

describe('dead variables', () => {
  test('flags nothing reads again: the paths are one, nothing is lost, both drops are known', () => {
    const r = run(`#!/bin/sh\n${RUN_AS}${FLAGS}${DROP}`);
    expect(r.joined).toBe(0);
    expect(r.capped).toBeNull();
    expect(r.budget).toBeNull();
    expect(endings(`#!/bin/sh\n${RUN_AS}${FLAGS}${DROP}`)).toEqual(['exec gosu app server [root]@7', 'exec gosu worker server [root]@7']);
  });

  test('flags assigned again before they are read: dead where the paths meet', () => {
    const r = run(`#!/bin/sh\n${RUN_AS}${FLAGS}A=0; B=0; C=0; D=0\nif [ "$A$B$C$D" = 0000 ]; then ${DROP.replace('\nexec "$@"\n', '\n')}fi\nexec "$@"\n`);
    expect(r.joined).toBe(0);
    expect(r.budget).toBeNull();
  });

  test('the twin: a flag read in a condition later is live, the cap is hit and said once', () => {
    const r = run(`#!/bin/sh\n${RUN_AS}${FLAGS}[ "$A$B$C$D" = 1111 ] && echo all >&2\n${DROP}`);
    expect(r.joined).toBeGreaterThan(0);
    expect(r.capped?.lost).toBe('`$A`, read at line 7');
    expect(r.budget).toBe('more than 8 different states met at line 5 and were joined');
  });

  test('a flag read by a function called later is live', () => {
    const r = run(`#!/bin/sh\nlog() { [ "$A$B$C$D" = 1111 ] && echo "$*" >&2; }\n${RUN_AS}${FLAGS}log starting\n${DROP}`);
    expect(r.budget).not.toBeNull();
  });

  test('a function that assigns a flag before it reads it does not make it live', () => {
    const r = run(`#!/bin/sh\nreset() { D=0; [ "$D" = 1 ] && echo on >&2; }\n${RUN_AS}${FLAGS}reset\n${DROP}`);
    expect(r.joined).toBe(0);
    expect(r.budget).toBeNull();
  });

  test('a name read through eval, a sourced file or ${!name} may be any: every variable is live', () => {
    for (const reader of ['eval "echo \\$$1"', 'name=D; echo "${!name}"', '. /etc/app/env.sh']) {
      const r = run(`#!/bin/bash\n${RUN_AS}${FLAGS}${reader}\n${DROP}`);
      expect(r.budget).not.toBeNull();
    }
  });

  test('a trap action reads its variables whenever it runs: live after the trap is set', () => {
    const r = run(`#!/bin/sh\ntrap 'echo "$A$B$C$D" >&2' EXIT\n${RUN_AS}${FLAGS}if [ "$RUN_AS" = app ]; then exec gosu app "$@"; fi\nexec gosu worker "$@"\n`);
    expect(r.joined).toBeGreaterThan(0);
  });

  test('a status no one tests: paths that differ only in it are one', () => {
    const tests = Array.from({ length: 5 }, (_, i) => `[ -f /etc/f${i} ] && touch /tmp/f${i}`).join('\n');
    const r = run(`#!/bin/sh\n${RUN_AS}${tests}\n${DROP}`);
    expect(r.joined).toBe(0);
    expect(r.budget).toBeNull();
  });
});

describe('a path that knows less covers one that knows more', () => {
  test('each version unknown or 0: the unknown paths stand for the others, nothing is lost', () => {
    const versions = ['ROOT', 'CODE', 'SITES', 'DATA'].map((v) => `if [ -f /v/${v} ]; then V_${v}=$(cat /v/${v}); else V_${v}=0; fi`).join('\n');
    const r = run(`#!/bin/sh\n${versions}\nif [ "$V_ROOT" -gt "$V_SITES" ] && [ "$V_CODE" = "$V_DATA" ]; then upgrade; fi\nexec gosu app "$@"\n`);
    expect(r.joined).toBe(0);
    expect(r.budget).toBeNull();
    expect(endings(`#!/bin/sh\n${versions}\nif [ "$V_ROOT" -gt "$V_SITES" ] && [ "$V_CODE" = "$V_DATA" ]; then upgrade; fi\nexec gosu app "$@"\n`)).toEqual(['exec gosu app server [root]@7']);
  });

  test('the twin: known values on both sides (yes or no) are not covered: the cap is hit and said', () => {
    const flags = ['L2TP', 'XAUTH', 'IKEV2', 'SHA2'].map((v) => `if [ -f /etc/${v} ]; then no_${v}=yes; else no_${v}=no; fi`).join('\n');
    const r = run(`#!/bin/sh\n${flags}\nif [ "$no_L2TP$no_XAUTH$no_IKEV2$no_SHA2" = yesyesyesyes ]; then exec gosu app "$@"; fi\nexec "$@"\n`);
    expect(r.capped?.lost).toBe('`$no_L2TP`, read at line 6');
    expect(r.budget).toBe('more than 8 different states met at line 5 and were joined');
    expect(r.budget).not.toBeNull();
  });

  test('after a sourced file that could not be read, an unset variable covers one set to an unknown value', () => {
    const trims = ['DNS1', 'DNS2', 'NAME', 'IP'].map((v) => `if [ -n "$VPN_${v}" ]; then VPN_${v}=$(trim "$VPN_${v}"); fi`).join('\n');
    const r = run(`#!/bin/sh\n. /opt/src/vpn.env\n${trims}\nif [ -n "$VPN_DNS1" ]; then echo dns >&2; fi\nexec xl2tpd -D\n`);
    expect(r.joined).toBe(0);
    expect(r.budget).toBeNull();
    expect(r.endings.map((e) => e.argv.map((f) => f.s).join(' '))).toEqual(['xl2tpd -D']);
  });
});

describe('a loop whose condition is false on the state that reaches it', () => {
  test('`shift` then `while [ $# -gt 0 ]` with no arguments left: the loop never runs, its assignments do not happen', () => {
    const src = '#!/bin/sh\nshift\nwhile [ $# -gt 0 ]; do case "$1" in --user) RUN=$2; shift ;; esac; shift; done\nexec gosu "${RUN:-app}" server\n';
    expect(endings(src)).toEqual(['exec gosu app server [root]@4']);
  });

  test('the twin: with arguments left the body may run, and what it assigns is unknown', () => {
    const src = '#!/bin/sh\nwhile [ $# -gt 0 ]; do case "$1" in --user) RUN=$2; shift ;; esac; shift; done\nexec gosu "${RUN:-app}" server\n';
    expect(endings(src, { args: ['--user', 'bob'] })).not.toEqual(['exec gosu app server [root]@3']);
  });
});
