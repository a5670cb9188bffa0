/**
 * `dockerlint explain` of runit as the main process: the runit packages' `runsvdir-start` is
 * `runsvdir -P /etc/service`, and each service's run script the build copies there is a path of
 * its own; a run file that cannot say what the service runs leaves that service unknown.
 */
import { explainContext, removeContexts, type Explained } from './explain-harness.js';
import { ShellService } from '../src/model/shell-service.js';

const shell = new ShellService();
afterAll(removeContexts);

function explain(files: Record<string, string>): Promise<Explained> {
  return explainContext(files, shell);
}

const DOCKERFILE =
  'FROM debian:12-slim\nRUN apt-get update && apt-get install -y runit && useradd -r ledger\nCOPY --chmod=755 run /etc/service/ledger/run\nENTRYPOINT ["/usr/sbin/runsvdir-start"]\n';

describe('runsvdir-start from the runit package as the entrypoint', () => {
  test('it is shown as the supervisor of /etc/service, and the service is followed through its run script to the user it drops to', async () => {
    const x = await explain({ Dockerfile: DOCKERFILE, run: '#!/bin/sh\nexec 2>&1\nexec chpst -u ledger /usr/local/bin/ledgerd\n' });
    expect(x.e.hops[0]?.note).toBe("supervisor (runit's start script: `runsvdir -P /etc/service`): starts the services /etc/service/ledger/run as its children");
    expect(x.e.hops.map((h) => `${h.process} [${h.user}]`).slice(1)).toEqual([
      '/etc/service/ledger/run [root]',
      'exec chpst -u ledger /usr/local/bin/ledgerd [ledger]',
      '/usr/local/bin/ledgerd [ledger]',
    ]);
  });

  test('a run file with no #! line (a placeholder written at run time) leaves the service unknown', async () => {
    const x = await explain({ Dockerfile: DOCKERFILE, run: '# written by the entrypoint\n' });
    expect(x.e.hops.map((h) => h.process)).toEqual(['/usr/sbin/runsvdir-start', '/etc/service/ledger/run']);
    expect(x.e.hops[1]?.note).toContain('is not a shell script dockerlint can read');
  });

  test('a run script that runs no command leaves the service unknown', async () => {
    const x = await explain({ Dockerfile: DOCKERFILE, run: '#!/bin/sh\n# written by the entrypoint\n' });
    expect(x.e.hops[x.e.hops.length - 1]?.note).toContain('the run script runs no command');
  });
});

const S6_OVERLAY =
  'FROM alpine:3.20\nADD https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-noarch.tar.xz /tmp\nRUN tar -C / -Jxpf /tmp/s6-overlay-noarch.tar.xz && adduser -S -D -H feed\nCOPY --chmod=755 run /etc/s6-overlay/s6-rc.d/feed/run\nCOPY type /etc/s6-overlay/s6-rc.d/feed/type\nENTRYPOINT ["/init"]\n';

describe("s6-overlay's /init with no command", () => {
  test('it is PID 1 as the supervisor of its longruns, and a service is followed through with-contenv to the user it drops to', async () => {
    const x = await explain({ Dockerfile: S6_OVERLAY, type: 'longrun\n', run: '#!/command/with-contenv sh\nexec s6-setuidgid feed /usr/local/bin/feedd\n' });
    expect(x.e.hops[0]?.note).toBe('supervisor (s6-overlay: /init runs its start-up scripts as root, then s6-svscan stays PID 1): starts the services /etc/s6-overlay/s6-rc.d/feed/run as its children');
    expect(x.e.hops.map((h) => `${h.process} [${h.user}]`)).toEqual([
      '/init [root]',
      '/etc/s6-overlay/s6-rc.d/feed/run [root]',
      'exec s6-setuidgid feed /usr/local/bin/feedd [feed]',
      '/usr/local/bin/feedd [feed]',
    ]);
  });

  test('an execline run script leaves the service unknown', async () => {
    const x = await explain({ Dockerfile: S6_OVERLAY, type: 'longrun\n', run: '#!/command/execlineb -P\ns6-setuidgid feed /usr/local/bin/feedd\n' });
    expect(x.e.hops[x.e.hops.length - 1]?.note).toContain('is not a shell script dockerlint can read');
  });

  test('with a command, /init runs it as its child after the start-up scripts', async () => {
    const x = await explain({ Dockerfile: S6_OVERLAY.replace('ENTRYPOINT ["/init"]', 'ENTRYPOINT ["/init"]\nCMD ["/usr/local/bin/feedd"]'), type: 'longrun\n', run: '#!/bin/sh\nexec /usr/local/bin/feedd\n' });
    expect(x.e.hops.map((h) => h.process)).toEqual(['s6-overlay /init', '/usr/local/bin/feedd']);
  });
});

describe('a server that starts as root and switches user itself', () => {
  test('explain says so on the main process, as root-process does', async () => {
    const x = await explain({ Dockerfile: 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y bind9 && rm -rf /var/lib/apt/lists/*\nCMD ["/usr/sbin/named", "-u", "bind", "-g"]\n' });
    expect(x.e.hops).toHaveLength(1);
    expect(x.e.hops[0]?.user).toBe('root');
    expect(x.e.hops[0]?.note).toMatch(/^the main process, PID 1; `named` starts as root by design: /);
  });

  test('twin: the same server told no user gets no such note', async () => {
    const x = await explain({ Dockerfile: 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y bind9 && rm -rf /var/lib/apt/lists/*\nCMD ["/usr/sbin/named", "-g"]\n' });
    expect(x.e.hops[0]?.note).toBe('the main process, PID 1');
  });
});

describe('a CMD on a base image the build passes, with no ENTRYPOINT of its own', () => {
  test('the CMD is not taken to be PID 1, and explain says why', async () => {
    const x = await explain({ Dockerfile: 'ARG BUILD_FROM\nFROM $BUILD_FROM\nCOPY --chmod=755 run.sh /\nCMD ["/run.sh"]\n', 'run.sh': '#!/usr/bin/with-contenv bashio\nwhile true; do sleep 300; done\n' });
    expect(x.e.entrypointUnknown).toBe("the base image's ENTRYPOINT is not known (`FROM $BUILD_FROM` takes the image from the build argument BUILD_FROM, which has no default): it may run the CMD as its child, so the CMD is not taken to be PID 1");
    expect(x.e.hops[0]?.pid1).toBe(false);
  });

  test('twin: with a default base and no ENTRYPOINT there, the CMD is PID 1', async () => {
    const x = await explain({ Dockerfile: 'ARG BUILD_FROM=alpine:3.20\nFROM $BUILD_FROM\nCOPY --chmod=755 run.sh /\nCMD ["/run.sh"]\n', 'run.sh': '#!/bin/sh\nwhile true; do sleep 300; done\n' });
    expect(x.e.entrypointUnknown).toBeUndefined();
    expect(x.e.hops[0]?.pid1).toBe(true);
  });
});
