/**
 * `dockerlint explain` for a service started in the background while something else keeps the
 * container alive: an exec'd keep-alive (the jobs are shown as its children), and a wait whose
 * TERM trap only prints. Checked in the text and the JSON.
 */
import { explainContext, removeContexts, type Explained } from './explain-harness.js';
import { ShellService } from '../src/model/shell-service.js';

const shell = new ShellService();
afterAll(removeContexts);

function explain(files: Record<string, string>): Promise<Explained> {
  return explainContext(files, shell);
}

const IMAGE = (entrypoint = '["entrypoint.sh"]'): string => `FROM debian:12-slim\nCOPY entrypoint.sh /usr/local/bin/\nEXPOSE 11211\nENTRYPOINT ${entrypoint}\n`;

function hops(h: { process: string; pid1: boolean; at: string }[]): string[] {
  return h.map((x) => `${x.pid1 ? 'PID 1' : 'child'} ${x.process} ${x.at}`);
}

describe('an exec of a keep-alive after background jobs', () => {
  const SCRIPT = '#!/bin/sh\nmemcached -u nobody &\nexec tail -f /dev/null\n';

  test('tail is PID 1 as a keep-alive, and the server is shown as its child, which docker stop never reaches', async () => {
    const x = await explain({ Dockerfile: IMAGE(), 'entrypoint.sh': SCRIPT });
    expect(hops(x.e.hops)).toEqual([
      'PID 1 entrypoint.sh Dockerfile:4',
      'PID 1 exec tail -f /dev/null entrypoint.sh:3',
      'PID 1 tail -f /dev/null entrypoint.sh:3',
      'child memcached -u nobody & entrypoint.sh:2',
    ]);
    expect(x.e.hops[2]?.note).toBe('a keep-alive, PID 1: it only keeps the container running, while the services run as the background children below');
    expect(x.e.hops[3]?.note).toBe("background child of the shell, left running when it exec'd: now a child of `tail`; `tail` passes no signal on, so `docker stop` never reaches it");
    expect(x.json.hops).toHaveLength(4);
    expect(x.text).toContain('child  memcached -u nobody &');
  });

  test('under dumb-init the process group gets the signal, and the note says so', async () => {
    const x = await explain({ Dockerfile: IMAGE('["dumb-init", "entrypoint.sh"]'), 'entrypoint.sh': SCRIPT });
    expect(x.e.hops[x.e.hops.length - 1]?.note).toBe("background child of the shell, left running when it exec'd: now a child of `tail`; dumb-init signals the whole process group, so SIGTERM reaches it too");
  });

  test('an exec of the server itself shows no keep-alive', async () => {
    const x = await explain({ Dockerfile: IMAGE(), 'entrypoint.sh': '#!/bin/sh\ncron &\nexec memcached -u nobody\n' });
    expect(x.e.hops.map((h) => h.process)).toEqual(['entrypoint.sh', 'exec memcached -u nobody', 'memcached -u nobody']);
  });
});

describe('a wait whose TERM trap only prints', () => {
  test('the wait hop says the trap passes nothing on, and the JSON that it does not forward', async () => {
    const x = await explain({ Dockerfile: IMAGE(), 'entrypoint.sh': '#!/bin/bash\non_term() { echo "stopping"; }\ntrap on_term TERM\nmemcached -u nobody &\nwait $!\n' });
    const w = x.e.hops[1];
    expect(w?.process).toBe('wait $!');
    expect(w?.note).toContain('SIGTERM is not passed on: the TERM trap at entrypoint.sh:3 runs on_term, which only prints or exits, so the children are SIGKILLed when the container stops');
    expect(x.json.hops[1]?.signals).toEqual({ trap: 'entrypoint.sh:3', action: 'on_term', forwards: false });
  });
});

describe('a loop that polls the server', () => {
  const SCRIPT = '#!/bin/sh\nmemcached -u nobody &\npid=$!\nwhile kill -0 "$pid" 2>/dev/null; do\n  sleep 5\ndone\n';

  test('the loop is what PID 1 does while the server runs, with the server as its background child', async () => {
    const x = await explain({ Dockerfile: IMAGE(), 'entrypoint.sh': SCRIPT });
    expect(hops(x.e.hops)).toEqual([
      'PID 1 entrypoint.sh Dockerfile:4',
      'PID 1 while kill -0 "$pid" 2>/dev/null; do … entrypoint.sh:4',
      'child memcached -u nobody & entrypoint.sh:2',
    ]);
    expect(x.e.hops[1]?.note).toBe("a loop that polls memcached -u nobody ('kill -0 \"$pid\"'): the shell stays PID 1 in it for as long as that runs, with its background children (memcached -u nobody as root); no TERM trap: the shell is PID 1, so SIGTERM is dropped and not forwarded; `docker stop` kills everything after its timeout; only after memcached -u nobody exits does the script go on, to the end of the script");
    expect(x.json.hops[1]?.signals).toEqual({ trap: null, action: null, forwards: false });
  });

  test('a trap that forwards TERM is shown as forwarding it', async () => {
    const x = await explain({ Dockerfile: IMAGE(), 'entrypoint.sh': SCRIPT.replace('pid=$!\n', "pid=$!\ntrap 'kill -TERM $pid' TERM\n") });
    expect(x.e.hops[1]?.note).toContain("SIGTERM is forwarded: the TERM trap at entrypoint.sh:4 runs 'kill -TERM $pid'");
  });
});
