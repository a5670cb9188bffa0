/**
 * `dockerlint explain` where a script's run does not end in a hand-over: every path ends in an
 * error exit (a usage message for no arguments, or an option parser that rejects the user's
 * command), a keep-alive that never returns before the script's own end, and the system's init
 * (systemd) as the main process. Checked in the text and the JSON.
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

const PARSER =
  '#!/bin/bash\nusage() {\n  echo "usage: [driver] [--compile]"\n}\ndriver=\nwhile test $# -gt 0; do\n  case "$1" in\n    auto|kmod) driver=$1 ;;\n    --compile) COMPILE=true ;;\n    -h|--help) usage; exit 0 ;;\n    --*) echo "Unknown option: $1" >&2; usage; exit 1 ;;\n    *) echo "Unknown driver: $1" >&2; usage; exit 1 ;;\n  esac\n  shift\ndone\n/usr/bin/installer --driver "${driver:-auto}" --compile="${COMPILE:-false}"\n';

describe('every path of the run ends in an error exit', () => {
  test('an option parser given the user\'s command: it is not run, the script rejects the word and exits 1; the default run installs', async () => {
    const x = await explain({ Dockerfile: IMAGE(), 'entrypoint.sh': PARSER });
    const u = x.e.userCommand;
    expect(hops(u?.hops ?? [])).toEqual(['entrypoint.sh <command> [root] Dockerfile:3', 'exit 1 [root] entrypoint.sh:12']);
    expect(u?.hops[1]?.why).toEqual(['$1 matches * (the user command)']);
    expect(u?.hops[1]?.note).toBe(
      "the user's command is not run: the script takes the word as one of its own arguments and rejects it, exiting 1 here after 'echo \"usage: [driver] [--compile]\"' in usage (entrypoint.sh:3); every path of this run ends in such an error exit, so the container stops with no main process",
    );
    expect(u?.summary).toBe('PID 1: entrypoint.sh <command> (root) -> exit 1 (same PID, user root)');
    expect(u?.otherPaths).toBe(0);
    // No arguments: the loop is not entered; the installer is the last command, the only path.
    expect(hops(x.e.hops)).toEqual(['entrypoint.sh [root] Dockerfile:3', '/usr/bin/installer --driver "${driver:-auto}" --compile="${… [root] entrypoint.sh:16']);
    expect(x.e.otherPaths).toBe(0);
    expect(x.json.userCommand?.hops[1]?.process).toBe('exit 1');
  });

  test('CMD words the parser knows take their branches, and the default run goes on to the installer', async () => {
    const x = await explain({ Dockerfile: IMAGE('CMD ["kmod", "--compile"]\n'), 'entrypoint.sh': PARSER });
    expect(x.e.hops[1]?.process).toBe('/usr/bin/installer --driver "${driver:-auto}" --compile="${…');
    expect(x.e.otherPaths).toBe(0);
  });

  test('a usage check for no arguments (`[ "$#" -lt 1 ]`): the default run exits 1 there, with no main process', async () => {
    const x = await explain({
      Dockerfile: IMAGE(),
      'entrypoint.sh': '#!/bin/bash\nusage() {\n  echo "usage: run.sh <ACL>..."\n}\nif [ "$#" -lt 1 ]; then\n  usage\n  exit 1\nfi\nexec /usr/bin/proxy --allow "$@"\n',
    });
    expect(hops(x.e.hops)).toEqual(['entrypoint.sh [root] Dockerfile:3', 'exit 1 [root] entrypoint.sh:7']);
    expect(x.e.hops[1]?.note).toBe(
      "the script exits 1 here after 'echo \"usage: run.sh <ACL>...\"' in usage (entrypoint.sh:3); every path of this run ends in such an error exit, so the container stops with no main process",
    );
    expect(x.text).toContain('PID 1: entrypoint.sh (root) -> exit 1 (same PID, user root)\n');
    // Given a word, it is an ACL rule for the proxy, which is exec'd.
    expect(hops(x.e.userCommand?.hops ?? []).slice(1)).toEqual(['exec /usr/bin/proxy --allow "$@" [root] entrypoint.sh:9', '/usr/bin/proxy --allow <command> [root] entrypoint.sh:9']);
  });

  test('an exit that depends on a setting is the configured run\'s check, not an error ending: the chain goes on', async () => {
    const x = await explain({
      Dockerfile: IMAGE('CMD ["server"]\n'),
      'entrypoint.sh': '#!/bin/sh\nif [ -z "$DB_HOST" ]; then\n  echo "DB_HOST is not set" >&2\n  exit 1\nfi\nexec "$@"\n',
    });
    expect(x.e.hops.map((h) => h.process)).toEqual(['entrypoint.sh server', 'exec "$@"', 'server']);
    expect(x.e.hops[0]?.required).toEqual(['exits 1 at entrypoint.sh:4 unless DB_HOST is set']);
  });

  test('an exit reached because of the word the script was given is no configuration check, even after a test of an unset variable', async () => {
    const x = await explain({
      Dockerfile: IMAGE('CMD ["serve"]\n'),
      'entrypoint.sh':
        '#!/bin/bash\nset -e\ntest -z "$DEBUG_TRACE" || set -x\ncase "$1" in\n  /bin/bash|bash) exec "$@" ;;\nesac\nif [ "$1" == no-exit -o -n "$DEBUG_NO_EXIT" ] ; then\n  if [ "$1" == no-exit ] ; then\n    shift\n  fi\nfi\ntest -z "$DEBUG_TRACE" || touch /run/app/debug-trace\nif [ -n "$1" ] ; then\n  case "$1" in\n    serve) shift ;;\n    -*) : ;;\n    *) echo "Invocation error: command [$1] not supported." >&2; exit 8 ;;\n  esac\nfi\nexec /usr/bin/app-server "$@"\n',
    });
    const u = x.e.userCommand;
    expect(u?.hops[0]?.required).toBeUndefined();
    expect(hops(u?.hops ?? [])).toEqual(['entrypoint.sh <command> [root] Dockerfile:3', 'exit 8 [root] entrypoint.sh:17']);
    expect(u?.hops[1]?.note).toContain("the user's command is not run");
    expect(x.e.hops.map((h) => h.process)).toEqual(['entrypoint.sh serve', 'exec /usr/bin/app-server "$@"', '/usr/bin/app-server']);
  });
});

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

describe('the system\'s init', () => {
  test('a script that execs /usr/sbin/init: systemd is named as the system\'s init, the main process, not a tini-like init with a child', async () => {
    const x = await explain({
      Dockerfile: 'FROM fedora:40\nCOPY entrypoint.sh /usr/local/sbin/init\nSTOPSIGNAL RTMIN+3\nENTRYPOINT ["/usr/local/sbin/init"]\n',
      'entrypoint.sh': '#!/bin/bash\nrm -rf /run/* /tmp/*\nexec /usr/sbin/init --show-status=false\n',
    });
    expect(hops(x.e.hops)).toEqual(['/usr/local/sbin/init [root] Dockerfile:4', 'exec /usr/sbin/init --show-status=false [root] entrypoint.sh:3', '/usr/sbin/init --show-status=false [root] entrypoint.sh:3']);
    expect(x.e.hops[2]?.note).toBe(
      "the system's init (systemd, or sysvinit), PID 1: the main process, which boots the system in the container and starts the services the image enables (systemd: each as the User= of its unit); it does not run its arguments as a command",
    );
  });

  test('another program exec\'d the same way is the main process, as before', async () => {
    const x = await explain({
      Dockerfile: 'FROM fedora:40\nCOPY entrypoint.sh /usr/local/sbin/start\nENTRYPOINT ["/usr/local/sbin/start"]\n',
      'entrypoint.sh': '#!/bin/bash\nexec /usr/sbin/httpd -DFOREGROUND\n',
    });
    expect(x.e.hops[2]?.note).toBe('the main process, PID 1; `httpd` starts as root by design: its workers run as the `User` of httpd.conf');
  });
});

describe('a path that sourced files known only at run time', () => {
  test('its last command is shown as reached only if none of those files handed over, then the unknown', async () => {
    const x = await explain({
      Dockerfile: 'FROM python:3.12-slim\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\nCMD ["/usr/local/bin/app-server"]\n',
      'entrypoint.sh': '#!/bin/sh\nfor f in /docker-entrypoint.d/*.sh; do\n  . "$f"\ndone\necho "init done"\n',
    });
    expect(hops(x.e.hops)).toEqual(['entrypoint.sh /usr/local/bin/app-server [root] Dockerfile:3', 'echo "init done" [root] entrypoint.sh:5', '? [root] Dockerfile:3']);
    expect(x.e.hops[1]?.note).toBe('runs only if none of the files the script sourced at run time handed over: then the shell stays PID 1 and this runs as its child');
    expect(x.e.hops[2]?.note).toBe('the script sources files that are only known at run time, which may hand over themselves');
  });
});

describe("a base image's start script, sourced", () => {
  test("php's docker-php-entrypoint sourced into the script's shell: its exec is the hand-over, then the modelled program", async () => {
    const x = await explain({
      Dockerfile: 'FROM php:8.3-apache\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\nCMD ["apache2-foreground"]\n',
      'entrypoint.sh': '#!/bin/bash\nsource /usr/local/bin/docker-php-entrypoint\necho\n',
    });
    expect(hops(x.e.hops).slice(1, 3)).toEqual(['source /usr/local/bin/docker-php-entrypoint [root] entrypoint.sh:2', '/usr/local/bin/docker-php-entrypoint apache2-foreground [root] entrypoint.sh:2']);
    expect(x.e.hops[1]?.note).toBe("same PID: the base image's program, sourced, ends with exec and replaces this shell");
  });
});
