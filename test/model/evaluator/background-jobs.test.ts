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

describe('a loop that polls a background job holds the shell as a wait does', () => {
  /** The line of the loop the shell stays in, the lines of the jobs it polls, and the test, or null when the path did not poll. */
  const polled = (src: string): { at: number; jobs: number[]; test: string } | null => {
    const w = only(src).waited;
    if (!w?.poll) return null;
    return { at: w.at.stmt.p[0], jobs: w.poll.jobs.map((j) => j.stmt.p[0]), test: w.poll.text };
  };

  test('`$!` names the last job: `kill -0 "$pid"` goes round while it runs', () => {
    expect(polled('#!/bin/sh\n/usr/bin/server &\nPID=$!\nwhile kill -0 $PID 2>/dev/null; do sleep 5; done\n')).toEqual({ at: 4, jobs: [2], test: 'kill -0 $PID' });
  });

  test('with two jobs, `$!` is the second one', () => {
    expect(polled('#!/bin/sh\ncrond &\nnginx -g "daemon off;" &\npid=$!\nwhile kill -0 "$pid"; do sleep 5; done\n')?.jobs).toEqual([3]);
  });

  test('`until ! kill -0`, `kill -s 0`, `[ -e /proc/$pid ]`, `test -d "/proc/$pid"`, `ps -p`', () => {
    const shapes = ['until ! kill -0 "$pid"', 'while kill -s 0 "$pid"', 'while [ -e /proc/$pid ]', 'while test -d "/proc/$pid"', 'while [ -f "/proc/${pid}/status" ]', 'while ps -p "$pid" > /dev/null'];
    for (const loop of shapes) expect(polled(`#!/bin/sh\nserver &\npid=$!\n${loop}; do sleep 5; done\n`)?.jobs).toEqual([2]);
  });

  test('`pgrep -x NAME` and `pidof NAME` name the job by its program, through a user switch too', () => {
    expect(polled('#!/bin/sh\nredis-server /etc/redis.conf &\nwhile pgrep -x redis-server >/dev/null; do sleep 10; done\n')?.jobs).toEqual([2]);
    expect(polled('#!/bin/sh\ngosu app /usr/sbin/nginx &\nwhile pidof nginx; do sleep 10; done\n')?.jobs).toEqual([2]);
    expect(polled('#!/bin/sh\njava -jar /app/app.jar &\nwhile pgrep -f app.jar; do sleep 10; done\n')?.jobs).toEqual([2]);
  });

  test('`while A && B` with two liveness tests goes round while both run', () => {
    expect(polled('#!/bin/sh\nphp-fpm -F &\nFPM=$!\nnginx -g "daemon off;" &\nNGINX=$!\nwhile kill -0 "$FPM" 2>/dev/null && kill -0 "$NGINX" 2>/dev/null; do sleep 1; done\necho "one of them exited"\n')).toEqual({ at: 6, jobs: [2, 4], test: 'kill -0 "$FPM" 2>/dev/null && kill -0 "$NGINX"' });
  });

  test('the script goes on after the loop, with the jobs it polled exited', () => {
    const e = only('#!/bin/sh\nserver &\npid=$!\nwhile kill -0 "$pid"; do sleep 5; done\necho "server exited"\nexit 0\n');
    expect([e.kind, e.waited?.at.stmt.p[0], e.waited?.after]).toEqual(['exit', 4, undefined]);
  });

  test('a readiness loop is not a poll: `until nc -z`, `until kill -0` (waits for a start), a test of something else too', () => {
    expect(polled('#!/bin/sh\npostgres &\nuntil nc -z localhost 5432; do sleep 1; done\nwait\n')).toBeNull();
    expect(polled('#!/bin/sh\nserver &\npid=$!\nuntil kill -0 "$pid"; do sleep 1; done\nwait\n')).toBeNull();
    expect(polled('#!/bin/sh\nserver &\npid=$!\nwhile kill -0 "$pid" && [ -f /run/ok ]; do sleep 1; done\nwait\n')).toBeNull();
    expect(polled('#!/bin/sh\nserver &\npid=$!\nwhile kill -0 "$pid" || [ -f /run/keep ]; do sleep 1; done\nwait\n')).toBeNull();
  });

  test('a body that can leave the loop or stop the job is not a poll: break, exit, a kill, a function of the script', () => {
    for (const body of ['if [ -f /tmp/stop ]; then break; fi; sleep 5', 'sleep 5 || exit 0', 'kill -HUP "$pid"; sleep 60', 'check; sleep 5']) {
      const es = run(`#!/bin/sh\ncheck() { echo ok; }\nserver &\npid=$!\nwhile kill -0 "$pid"; do ${body}; done\nwait\n`, { args: [] }).endings;
      expect(es.filter((e) => e.waited?.poll)).toEqual([]);
    }
  });

  test('a pid the script does not know is no poll: read from a file, or a job stopped before the loop', () => {
    expect(polled('#!/bin/sh\nserver --daemon\nwhile kill -0 "$(cat /run/server.pid)"; do sleep 5; done\n')).toBeNull();
    expect(polled('#!/bin/sh\nserver &\npid=$!\nkill -TERM "$pid"\nwhile kill -0 "$pid"; do sleep 1; done\nexec server\n')).toBeNull();
  });

  test('`$!` before any job is started names none; on each of two paths, the job that path started', () => {
    expect(polled('#!/bin/sh\npid=$!\nserver &\nwhile kill -0 "$pid"; do sleep 5; done\n')).toBeNull();
    expect(polled('#!/bin/sh\nif [ -f /etc/a ]; then\n  a-server &\nelse\n  b-server &\nfi\npid=$!\nwhile kill -0 "$pid"; do sleep 5; done\n')?.at).toBe(8);
  });
});
