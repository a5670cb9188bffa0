/**
 * Background jobs and what keeps the shell alive beside them: the facts the evaluator records for
 * `server &` followed by `wait`, a keep-alive, or an `exec` of a keep-alive, and what a TERM trap's
 * action does (passes the signal on, or only prints or exits).
 */
import type { Ending } from '../../../src/model/evaluator/interpreter.js';
import { run, setup } from './harness.js';

beforeAll(setup);

function only(src: string): Ending {
  const es = run(src, { args: [] }).endings.filter((e) => !e.failed);
  expect(es).toHaveLength(1);
  return es[0] as Ending;
}

const jobLines = (e: Ending, of: 'waited' | 'running'): number[] => (e[of]?.jobs ?? []).map((j) => j.stmt.p[0]);

describe('an exec after background jobs', () => {
  test('the jobs still run, as children of the program the shell becomes', () => {
    const e = only('#!/bin/sh\nfreshclam --daemon --foreground &\nclamd --foreground &\nexec tail -f /dev/null\n');
    expect(e.kind).toBe('exec');
    expect(jobLines(e, 'running')).toEqual([2, 3]);
  });

  test('an exec with no jobs started has none running', () => {
    const e = only('#!/bin/sh\nclamd --version\nexec tail -f /dev/null\n');
    expect(e.kind).toBe('exec');
    expect(e.running).toBeUndefined();
  });

  test('jobs stopped with kill before the exec are not running', () => {
    const e = only('#!/bin/sh\nmysqld --skip-networking &\npid=$!\nkill -s TERM "$pid"\nwait "$pid"\nexec mysqld\n');
    expect(e.running).toBeUndefined();
  });
});

describe('a TERM trap that only prints or exits is inert', () => {
  const waitedTrap = (src: string): { inert: boolean; kills: boolean } => {
    const t = only(src).waited?.term;
    if (!t) throw new Error('no trap at the wait');
    return { inert: t.inert === true, kills: t.kills };
  };

  test('a function that echoes, through another function and $(date)', () => {
    expect(waitedTrap('#!/bin/bash\nlog() { echo "$(date +%T) $*" >&2; }\non_term() { log stopping; }\ntrap on_term TERM\nserver &\nwait $!\n')).toEqual({ inert: true, kills: false });
  });

  test('an action that prints and exits', () => {
    expect(waitedTrap("#!/bin/sh\ntrap 'echo bye; exit 0' TERM\nserver &\nwait\n")).toEqual({ inert: true, kills: false });
  });

  test('the handler defined after the trap is read at the wait', () => {
    expect(waitedTrap('#!/bin/bash\ntrap on_term SIGTERM\non_term() { echo "stopping"; }\nserver &\nwait $!\n').inert).toBe(true);
  });

  test('a handler that kills passes the signal on', () => {
    expect(waitedTrap('#!/bin/bash\nstop() { echo stopping; kill -TERM "$pid"; }\ntrap stop TERM\nserver &\npid=$!\nwait "$pid"\n')).toEqual({ inert: false, kills: true });
  });

  test('a handler that runs another program, sets a flag, writes a file or calls an unknown function may stop the service', () => {
    for (const action of ["'nginx -s quit'", "'running=0'", "'echo stop > /run/app/control'", 'cleanup', "'echo stop | nc localhost 9000'"]) {
      expect(waitedTrap(`#!/bin/bash\ntrap ${action} TERM\nserver &\nwait\n`).inert).toBe(false);
    }
  });

  test('an ignored signal is not inert: it is ignored (the empty action)', () => {
    const t = only("#!/bin/sh\ntrap '' TERM\nserver &\nwait\n").waited?.term;
    expect(t?.action).toBe('');
    expect(t?.inert).toBeUndefined();
  });
});

describe('what ran after the wait', () => {
  test('only builtins after the wait (an echo): nothing that could stop the jobs', () => {
    const e = only('#!/bin/sh\ntrap "echo bye" TERM\nprepare\nserver &\nwait\necho done\n');
    expect(e.waited?.after).toBeUndefined();
  });

  test('a kill after the wait is a program that ran after it', () => {
    const e = only('#!/bin/sh\ntrap "echo bye" TERM\nserver &\npid=$!\nwait "$pid"\nkill -TERM "$pid"\nwait "$pid"\n');
    expect(e.waited?.after).toBe(true);
  });

  test('a program on one of two paths after the wait counts where they meet', () => {
    const e = only('#!/bin/sh\ntrap "echo bye" TERM\nserver &\nwait\nif [ -f /run/x ]; then cleanup; fi\necho done\n');
    expect(e.waited?.after).toBe(true);
  });
});
