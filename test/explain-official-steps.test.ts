/**
 * explain on official-image patterns: the docker-library entrypoints that step down from root
 * (postgres, redis, mongo, ...), a base image dockerlint does not know (its USER applies), and the
 * paths an entrypoint takes for the user's command (`docker run IMAGE sh`) and for the default run.
 */
import { explainAndLint, removeContexts } from './explain-harness.js';
import { ShellService } from '../src/model/shell-service.js';
import { setup } from './model/evaluator/harness.js';

const shell = new ShellService();
beforeAll(setup);
afterAll(removeContexts);

const explain = (files: Record<string, string>) => explainAndLint(files, shell);
const rows = (hops: { process: string; user: string; pid1: boolean }[]) => hops.map((h) => [h.process, h.user, h.pid1]);

describe('the inherited docker-library entrypoint steps down for its server', () => {
  test('postgres, CMD postgres -c ...: docker-entrypoint.sh re-runs itself as postgres with gosu; root-process silent', async () => {
    const { e, rules } = await explain({ Dockerfile: 'FROM postgres:18\nCOPY init.sql /docker-entrypoint-initdb.d/\nCMD ["postgres", "-c", "shared_buffers=256MB"]\n', 'init.sql': 'select 1;\n' });
    expect(rows(e.hops)).toEqual([
      ['docker-entrypoint.sh postgres -c shared_buffers=256MB', 'root', true],
      ['gosu postgres docker-entrypoint.sh postgres -c shared_buffers=256MB', 'postgres', true],
      ['postgres -c shared_buffers=256MB', 'postgres', true],
    ]);
    expect(e.hops[0]?.note).toMatch(/here `postgres` is its server and it starts as root: it re-runs itself as postgres with gosu, then it runs `postgres -c shared_buffers=256MB`$/);
    expect(e.hops[1]?.note).toBe('same PID, user postgres: the entrypoint runs again as postgres');
    expect(e.startUser).toBe('root');
    expect(rows(e.userCommand?.hops ?? [])).toEqual([
      ['docker-entrypoint.sh <command>', 'root', true],
      ['<command>', 'root', true],
    ]);
    expect(rules).not.toContain('root-process');
  });
  test('twin: USER postgres: no step-down, the server runs as postgres', async () => {
    const { e } = await explain({ Dockerfile: 'FROM postgres:18\nUSER postgres\nCMD ["postgres"]\n' });
    expect(rows(e.hops)).toEqual([
      ['docker-entrypoint.sh postgres', 'postgres', true],
      ['postgres', 'postgres', true],
    ]);
    expect(e.hops[0]?.note).toMatch(/here `postgres` is its server, but it starts as postgres, not root, so it does not step down: it runs `postgres`$/);
  });
  test('twin: postgres --version only prints: no step-down', async () => {
    const { e } = await explain({ Dockerfile: 'FROM postgres:18\nCMD ["postgres", "--version"]\n' });
    expect(rows(e.hops)).toEqual([
      ['docker-entrypoint.sh postgres --version', 'root', true],
      ['postgres --version', 'root', true],
    ]);
  });
  test('redis, CMD a .conf file: redis-server goes in front, then the step-down to redis', async () => {
    const { e } = await explain({ Dockerfile: 'FROM redis:7-alpine\nCOPY redis.conf /usr/local/etc/redis/redis.conf\nCMD ["/usr/local/etc/redis/redis.conf"]\n', 'redis.conf': 'port 6379\n' });
    expect(rows(e.hops)).toEqual([
      ['docker-entrypoint.sh /usr/local/etc/redis/redis.conf', 'root', true],
      ['gosu redis docker-entrypoint.sh /usr/local/etc/redis/redis.conf', 'redis', true],
      ['redis-server /usr/local/etc/redis/redis.conf', 'redis', true],
    ]);
  });
  test("mongo: a script of the image that execs the base's docker-entrypoint.sh: mongod runs as mongodb", async () => {
    const { e, rules } = await explain({
      Dockerfile: 'FROM mongo:8\nCOPY start.sh /start.sh\nENTRYPOINT ["/start.sh"]\nCMD ["mongod"]\n',
      'start.sh': '#!/bin/bash\nset -e\nexec docker-entrypoint.sh "$@"\n',
    });
    expect(e.hops.map((h) => [h.process, h.user])).toEqual([
      ['/start.sh mongod', 'root'],
      ['exec docker-entrypoint.sh "$@"', 'root'],
      ['docker-entrypoint.sh mongod', 'root'],
      ['gosu mongodb docker-entrypoint.sh mongod', 'mongodb'],
      ['mongod', 'mongodb'],
    ]);
    expect(rules).not.toContain('root-process');
  });
  test('twin: rabbitmq with a command that is not its own: runs as it is, as root', async () => {
    const { e } = await explain({ Dockerfile: 'FROM rabbitmq:4\nCMD ["sleep", "infinity"]\n' });
    expect(rows(e.hops)).toEqual([
      ['docker-entrypoint.sh sleep infinity', 'root', true],
      ['sleep infinity', 'root', true],
    ]);
  });
});

describe('a base image dockerlint does not know', () => {
  test('no ENTRYPOINT, CMD or USER: the start user is the base image\'s, not known', async () => {
    const { e } = await explain({ Dockerfile: 'FROM example.com/acme/appserver:2\nCOPY server.xml /config/\n', 'server.xml': '<server/>\n' });
    expect(e.startUser).toBe("not known: no stage sets USER, so the user is `example.com/acme/appserver:2`'s, which dockerlint cannot read (root unless it sets a USER)");
    expect(e.summary).toBe('No ENTRYPOINT or CMD: the base image decides what runs.');
  });
  test('with a CMD: root as the rules assume it, said to be an assumption; root-process fires', async () => {
    const { e, rules } = await explain({ Dockerfile: 'FROM example.com/acme/runtime:2\nCOPY app /usr/local/bin/app\nCMD ["app"]\n', app: 'x' });
    expect(e.startUser).toBe('root (assumed: no stage sets USER, and `example.com/acme/runtime:2` is not an image dockerlint knows; a USER it sets would apply instead)');
    expect(rules).toContain('root-process');
  });
  test('twin: a plain OS base, or a USER of the image: the start user is known', async () => {
    expect((await explain({ Dockerfile: 'FROM debian:bookworm\nCMD ["sleep", "infinity"]\n' })).e.startUser).toBe('root');
    expect((await explain({ Dockerfile: 'FROM example.com/acme/appserver:2\nUSER 1001\n' })).e.startUser).toBe('1001');
  });
});

describe('a base image the build passes (FROM from a build argument with no image as its default)', () => {
  const image = (arg: string) => `${arg}\nFROM golang:1.23 AS build\nRUN go build -o /out/proxy .\nFROM \${RUNTIME_IMAGE}\nCOPY --from=build /out/proxy /bin/proxy\nENTRYPOINT ["/bin/proxy"]\n`;
  test('a placeholder default: the start user is not known, said why; the stage is named as written; root-process is silent', async () => {
    const { e, rules } = await explain({ Dockerfile: image('ARG RUNTIME_IMAGE=placeholder') });
    expect(e.stage).toBe('2 of 2, FROM ${RUNTIME_IMAGE}');
    expect(e.startUser).toBe('not known: no stage sets USER, and `FROM ${RUNTIME_IMAGE}` takes the image from the build argument RUNTIME_IMAGE, whose default `placeholder` names no image one can pull; the user is the one of the image each build passes');
    expect(e.hops.map((h) => [h.process, h.user])).toEqual([['/bin/proxy', 'unknown user']]);
    expect(rules).not.toContain('root-process');
  });
  test('no default: the same', async () => {
    const { e, rules } = await explain({ Dockerfile: image('ARG RUNTIME_IMAGE') });
    expect(e.startUser).toBe('not known: no stage sets USER, and `FROM ${RUNTIME_IMAGE}` takes the image from the build argument RUNTIME_IMAGE, which has no default; the user is the one of the image each build passes');
    expect(rules).not.toContain('root-process');
  });
  test('twin: a default that names an image is that image (root on alpine, 65532 on distroless nonroot)', async () => {
    const alpine = await explain({ Dockerfile: image('ARG RUNTIME_IMAGE=alpine:3.20') });
    expect(alpine.e.startUser).toBe('root');
    expect(alpine.e.stage).toBe('2 of 2, FROM alpine:3.20');
    expect(alpine.rules).toContain('root-process');
    expect((await explain({ Dockerfile: image('ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian12:nonroot') })).e.startUser).toBe('65532');
  });
});

describe("the user-command run: a command the image does not know", () => {
  const composerLike = '#!/bin/sh\nisCommand() {\n  if [ "$1" = "sh" ]; then\n    return 1\n  fi\n  tool help --no-interaction "$1" > /dev/null 2>&1\n}\nif [ "${1#-}" != "$1" ]; then\n  set -- tini -- tool "$@"\nelif [ "$1" = tool ]; then\n  set -- tini -- "$@"\nelif isCommand "$1"; then\n  set -- tini -- tool "$@"\nfi\nexec "$@"\n';
  test('asked for help on the user command, the image\'s program fails: exec "$@" runs the command itself', async () => {
    const { e } = await explain({ Dockerfile: 'FROM alpine:3.20\nCOPY entry.sh /entry.sh\nENTRYPOINT ["/entry.sh"]\nCMD ["tool"]\n', 'entry.sh': composerLike });
    const u = e.userCommand;
    expect(u?.hops.map((h) => h.process)).toEqual(['/entry.sh <command>', 'exec "$@"', '<command>']);
    expect(u?.hops[1]?.why).toContain('tool help --no-interaction $1 fails (the user command: no command of `tool`, as `docker run IMAGE sh` means)');
    expect(u?.otherPaths).toBe(0);
    expect(e.hops.map((h) => h.process)).toEqual(['/entry.sh tool', 'exec "$@"', 'tini', 'tool']);
  });
  test('twin: the user command itself run with --help is not decided', async () => {
    const { e } = await explain({
      Dockerfile: 'FROM alpine:3.20\nCOPY entry.sh /entry.sh\nENTRYPOINT ["/entry.sh"]\nCMD ["tool"]\n',
      'entry.sh': '#!/bin/sh\nif "$1" --help >/dev/null 2>&1; then\n  exec "$@"\nfi\nexec tool "$@"\n',
    });
    expect(e.userCommand?.otherPaths).toBe(1);
  });
  const initScripts = '#!/bin/bash\nCOMMAND=$1\nshift\nif [ -f /opt/app/scripts/init_${COMMAND}.sh ]; then\n  source /opt/app/scripts/init_${COMMAND}.sh\n  exec /opt/app/bin/app ${COMMAND} "$@"\nelse\n  exec ${COMMAND} "$@"\nfi\n';
  test('a file named after the user command does not exist: the generic branch runs it', async () => {
    const { e } = await explain({ Dockerfile: 'FROM debian:bookworm\nCOPY scripts/ /opt/app/scripts/\nUSER 1000\nENTRYPOINT ["/bin/bash", "/opt/app/scripts/entrypoint.sh"]\nCMD ["server"]\n', 'scripts/entrypoint.sh': initScripts, 'scripts/init_server.sh': 'true\n' });
    const u = e.userCommand;
    expect(u?.hops.map((h) => h.process)).toEqual(['/bin/bash /opt/app/scripts/entrypoint.sh <command>', 'exec ${COMMAND} "$@"', '<command>']);
    expect(u?.hops[1]?.why).toContain('not -f /opt/app/scripts/init_${COMMAND}.sh (the user command: the image has no file named after a command it does not know)');
    expect(u?.otherPaths).toBe(0);
  });
  test('twin: a string test on the user command glued to text gives no file reason', async () => {
    const { e } = await explain({
      Dockerfile: 'FROM debian:bookworm\nCOPY entry.sh /entry.sh\nENTRYPOINT ["/entry.sh"]\nCMD ["server"]\n',
      'entry.sh': '#!/bin/sh\nif [ "x$1" = "xserver" ]; then\n  exec /usr/local/bin/app\nfi\nexec "$@"\n',
    });
    expect(e.userCommand?.hops[1]?.why?.join(', ')).not.toMatch(/no file named after/);
  });
  test('twin: a path that is the user command alone (/usr/bin/$1) may be the program: not decided', async () => {
    const { e } = await explain({
      Dockerfile: 'FROM debian:bookworm\nCOPY entry.sh /entry.sh\nENTRYPOINT ["/entry.sh"]\nCMD ["server"]\n',
      'entry.sh': '#!/bin/sh\nif [ -x "/usr/bin/$1" ]; then\n  exec "$@"\nfi\nexec /usr/local/bin/app "$@"\n',
    });
    expect(e.userCommand?.otherPaths).toBe(1);
  });
});

describe('the default run: the main path among paths that end', () => {
  const script = '#!/bin/bash\nif [ ! -f /data/config.json ]; then\n  cp /defaults/config.json /data/config.json\n  if [ -f /data/config.json ]; then\n    echo "copied"\n  else\n    echo "Copy failed"\n    exit\n  fi\nfi\n./server\n';
  test('the path that runs the server is shown, the early exit after a failed copy is one of the other paths', async () => {
    const { e } = await explain({ Dockerfile: 'FROM debian:bookworm\nWORKDIR /app\nCOPY entrypoint.sh /entrypoint.sh\nCOPY server /app/server\nENTRYPOINT ["/bin/bash"]\nCMD ["/entrypoint.sh"]\n', 'entrypoint.sh': script, server: 'x' });
    expect(rows(e.hops)).toEqual([
      ['/bin/bash /entrypoint.sh', 'root', true],
      ['./server', 'root', false],
    ]);
    expect(e.otherPaths).toBeGreaterThan(0);
  });
  test('twin: when every path exits, the one that exits 0 is shown before the error exit', async () => {
    const { e } = await explain({ Dockerfile: 'FROM debian:bookworm\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/bin/bash"]\nCMD ["/entrypoint.sh"]\n', 'entrypoint.sh': '#!/bin/bash\nif [ -f /data/x ]; then\n  echo found\n  exit 0\nfi\necho missing\nexit 1\n' });
    expect(e.hops.map((h) => h.process)).toEqual(['/bin/bash /entrypoint.sh', 'echo found']);
  });
});
