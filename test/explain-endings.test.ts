/**
 * `dockerlint explain` where a script's run does not end in a hand-over: a keep-alive that never
 * returns before the script's own end. Checked in the text and the JSON.
 */
import { explainContext, removeContexts, type Explained } from './explain-harness.js';
import { ShellService } from '../src/model/shell-service.js';

const shell = new ShellService();
afterAll(removeContexts);

function explain(files: Record<string, string>): Promise<Explained> {
  return explainContext(files, shell);
}

const IMAGE = (cmd = ''): string => `FROM debian:12-slim\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\n${cmd}`;

/** `process [user] at` of each hop of a run. */
function hops(h: { process: string; user: string; at: string }[]): string[] {
  return h.map((x) => `${x.process} [${x.user}] ${x.at}`);
}

describe('a keep-alive in the foreground never returns', () => {
  test('`tail -f` after a daemon: the shell stays PID 1 there, and the echo and exit 0 after it never run', async () => {
    const x = await explain({
      Dockerfile: IMAGE('CMD ["ANY"]\n'),
      'entrypoint.sh': '#!/bin/bash\nstart() {\n  /usr/bin/tinyproxy\n}\ntail_log() {\n  touch /var/log/tinyproxy.log\n  tail -f /var/log/tinyproxy.log\n  echo "stopped tailing"\n}\nstart\ntail_log\necho "script ended"\nexit 0\n',
    });
    expect(hops(x.e.hops)).toEqual(['entrypoint.sh ANY [root] Dockerfile:3', 'tail -f /var/log/tinyproxy.log [root] entrypoint.sh:7']);
    expect(x.e.hops[1]?.note).toBe("not exec'd: the shell stays PID 1 and this runs as its child; tail never returns, so the shell stays there for the container's life and nothing after it in the script runs");
    expect(x.e.hops[1]?.pid1).toBe(false);
  });

  test('a `tail` that ends (`-n 20`): the script goes on to its exit, as before', async () => {
    const x = await explain({
      Dockerfile: IMAGE('CMD ["ANY"]\n'),
      'entrypoint.sh': '#!/bin/bash\n/usr/bin/tinyproxy\ntail -n 20 /var/log/tinyproxy.log\necho "script ended"\nexit 0\n',
    });
    expect(hops(x.e.hops)).toEqual(['entrypoint.sh ANY [root] Dockerfile:3', 'echo "script ended" [root] entrypoint.sh:4']);
    expect(x.e.hops[1]?.note).toBe("not exec'd: the shell stays PID 1, runs this as its child, then exits");
  });
});
