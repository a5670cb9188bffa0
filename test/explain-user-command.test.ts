/**
 * `dockerlint explain` for `docker run IMAGE <command>`: the user's command is a program the image
 * has (`docker run IMAGE sh`) and not one of the image's own words, so the tests real entrypoints
 * ask of it (is it one of the program's subcommands, does it exist, is it the default CMD written
 * out) take the branch that runs it as given, while CMD's words still take theirs. And what the
 * text says matches the JSON, for every run, also when the chain is not known.
 */
import { explainContext, removeContexts, type Explained } from './explain-harness.js';
import { ShellService } from '../src/model/shell-service.js';

const shell = new ShellService();
afterAll(removeContexts);

function explain(files: Record<string, string>): Promise<Explained> {
  return explainContext(files, shell);
}

const IMAGE = (cmd = '["server"]'): string => `FROM alpine:3.20\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\nCMD ${cmd}\n`;

/** `process [user]` of each hop of the user-command run. */
function userHops(x: Explained): string[] {
  return (x.e.userCommand?.hops ?? []).map((h) => `${h.process} [${h.user}]`);
}

describe('the user command', () => {
  test('a subcommand test on the program\'s help (`vault --help "$1" | grep -q "vault $1"`): the user\'s command runs as given, as root; CMD\'s `server` still drops to vault', async () => {
    const x = await explain({
      Dockerfile: IMAGE('["server"]'),
      'entrypoint.sh':
        '#!/bin/sh\nset -e\nif [ "$1" = server ]; then\n  set -- vault server -config=/vault/config\nelif vault --help "$1" 2>&1 | grep -q "vault $1"; then\n  set -- vault "$@"\nfi\nif [ "$1" = vault ] && [ "$(id -u)" = 0 ]; then\n  set -- su-exec vault "$@"\nfi\nexec "$@"\n',
    });
    expect(userHops(x)).toEqual(['entrypoint.sh <command> [root]', 'exec "$@" [root]', '<command> [root]']);
    expect(x.e.userCommand?.otherPaths).toBe(0);
    expect(x.e.hops.map((h) => `${h.process} [${h.user}]`)).toEqual(['entrypoint.sh server [root]', 'exec "$@" [vault]', 'vault server -config=/vault/config [vault]']);
    expect(x.text).toContain('PID 1: entrypoint.sh <command> (root) -> exec "$@" (same PID, user root) -> <command> (same PID, user root)\n');
  });

  test('`command -v -- "$1"` finds the user\'s command: the script execs it, not java -jar with it as an argument', async () => {
    const x = await explain({
      Dockerfile: IMAGE('["--port=8080"]'),
      'entrypoint.sh': '#!/bin/sh\nif ! command -v -- "$1" >/dev/null 2>&1; then\n  set -- java -jar /opt/app/app.jar "$@"\nfi\nexec "$@"\n',
    });
    expect(userHops(x)).toEqual(['entrypoint.sh <command> [root]', 'exec "$@" [root]', '<command> [root]']);
    expect(x.e.userCommand?.hops[1]?.why).toEqual(['command -v <command> finds it (the user command: a program the image has, as `docker run IMAGE sh` means)']);
    // CMD's option is no program: the default run is not decided by this test, but the path on
    // which it is found ends at `exec --port=8080`, which fails (no such command): an error path.
    expect(x.e.otherPaths).toBe(0);
  });

  test('the default CMD written out (`[ "$(echo "$@")" = "su-exec app tini -s ./start.sh" ]`) is not the user\'s command, after init files sourced in a loop too', async () => {
    const x = await explain({
      Dockerfile: IMAGE('["su-exec", "app", "tini", "-s", "./start.sh"]'),
      'entrypoint.sh':
        '#!/bin/bash\nfor script in $(find /etc/cont-init.d -type f | sort); do\n  . "${script}"\ndone\nif [ "$(IFS=" "; echo "$@")" == "su-exec app tini -s ./start.sh" ]; then\n  command=("$@" server)\n  exec "${command[@]}"\nelse\n  exec "$@"\nfi\n',
    });
    expect(userHops(x)).toEqual(['entrypoint.sh <command> [root]', 'exec "$@" [root]', '<command> [root]']);
    expect(x.e.hops[1]?.process).toBe('exec "${command[@]}"');
    expect(x.e.otherPaths).toBe(0);
  });
});

describe('text and JSON say the same', () => {
  test('no ENTRYPOINT or CMD: both runs in the text as in the JSON, under the Dockerfile\'s path', async () => {
    const x = await explain({ Dockerfile: 'FROM couchbase/server:8.0.2\nCOPY run /etc/service/sandbox/run\n', run: '#!/bin/sh\nexec sandbox\n' });
    expect(x.json.dockerfile).toBe('Dockerfile');
    expect(x.text.startsWith('Dockerfile (stage 1 of 1, FROM couchbase/server:8.0.2)\n')).toBe(true);
    expect(x.json.userCommand?.summary).toBe('No ENTRYPOINT or CMD: the base image decides what runs.');
    expect(x.text).toContain('docker run IMAGE <command>:\n\nNo ENTRYPOINT or CMD: the base image decides what runs.\n');
  });

  test('with an ENTRYPOINT, each run\'s summary in the JSON is a line of the text', async () => {
    const x = await explain({ Dockerfile: IMAGE(), 'entrypoint.sh': '#!/bin/sh\nexec "$@"\n' });
    const lines = x.text.split('\n');
    expect(lines).toContain(x.json.summary);
    expect(lines).toContain(x.json.userCommand?.summary);
    expect(x.json.dockerfile).toBe('Dockerfile');
  });

  test('more start-up chains than are followed: the first is shown, with why the run is not fully known, never "No ENTRYPOINT or CMD"', async () => {
    const branches = Array.from({ length: 20 }, (_, i) => `if [ -f /run/mode-${i} ]; then exec /opt/app/bin/mode-${i}; fi\n`).join('');
    const x = await explain({ Dockerfile: IMAGE(), 'entrypoint.sh': `#!/bin/sh\n${branches}exec "$@"\n` });
    expect(x.e.hops.map((h) => h.process)).toEqual(['entrypoint.sh server', 'exec /opt/app/bin/mode-0;', '/opt/app/bin/mode-0']);
    expect(x.e.incomplete).toBe('more than 16 different start-up chains');
    expect(x.text).toContain('(not fully known: more than 16 different start-up chains)');
    expect(x.text).not.toContain('No ENTRYPOINT or CMD');
    // Fewer branches: every chain followed, nothing left out.
    const few = await explain({ Dockerfile: IMAGE(), 'entrypoint.sh': `#!/bin/sh\n${branches.split('\n').slice(0, 3).join('\n')}\nexec "$@"\n` });
    expect(few.e.incomplete).toBeUndefined();
    expect(few.e.otherPaths).toBe(3);
  });

  test('a loop that unsets a variable keeps the arguments: the subcommand dispatch after it is decided (plone\'s shape)', async () => {
    const x = await explain({
      Dockerfile: IMAGE('["start"]'),
      'entrypoint.sh':
        '#!/bin/bash\nif [ "$(id -u)" = 0 ]; then sudo="gosu plone"; else sudo=""; fi\nvanilla=true\nfor f in etc/conf.d/*.conf; do\n  test -f ${f} || continue\n  unset vanilla\ndone\nif [[ "$1" == "start" ]]; then\n  exec $sudo /app/bin/runwsgi -v etc/zope.ini\nelif [[ "$1" == "console" ]]; then\n  exec $sudo /app/bin/zconsole debug\nelse\n  exec "$@"\nfi\n',
    });
    expect(x.e.hops.map((h) => `${h.process} [${h.user}]`)).toEqual(['entrypoint.sh start [root]', 'exec $sudo /app/bin/runwsgi -v etc/zope.ini [plone]', '/app/bin/runwsgi -v etc/zope.ini [plone]']);
    expect(x.e.otherPaths).toBe(0);
    expect(userHops(x)).toEqual(['entrypoint.sh <command> [root]', 'exec "$@" [root]', '<command> [root]']);
  });
});
