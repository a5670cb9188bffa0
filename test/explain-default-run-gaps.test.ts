/**
 * Gaps of the default-run chain found on real images.
 *
 * A build argument with no default in a WORKDIR or COPY destination: the path is not known, so a
 * file the entrypoint names there is not "not found" — explain says which instruction makes the
 * path unknown, and entrypoint-not-found stays silent. A path outside what such a COPY can reach
 * is still reported missing.
 */
import { explainAndLint, removeContexts } from './explain-harness.js';
import { ShellService } from '../src/model/shell-service.js';
import { setup } from './model/evaluator/harness.js';

const shell = new ShellService();
beforeAll(setup);
afterAll(removeContexts);

const explain = (files: Record<string, string>) => explainAndLint(files, shell);

const SCRIPT = '#!/bin/sh\nexec "$@"\n';

describe('paths that use a build argument with no known value', () => {
  test('WORKDIR from an ARG without default, ENTRYPOINT ./run.sh: unknown because of that WORKDIR, not missing', async () => {
    const { e, json, rules } = await explain({
      Dockerfile: 'FROM debian:12-slim\nARG version\nENV APP_HOME=/opt/app-${version}\nCOPY scripts/ ${APP_HOME}/bin/\nWORKDIR ${APP_HOME}/bin\nENTRYPOINT ["./run.sh"]\nCMD ["serve"]\n',
      'scripts/run.sh': SCRIPT,
    });
    expect(e.hops[0]?.note).toBe('./run.sh is looked up in the WORKDIR of line 5 (`${APP_HOME}/bin`), whose path uses a build argument with no known value, so what it does (whether it hands over to another program or changes user) is not known');
    expect(json.hops[0]?.note).toBe(e.hops[0]?.note);
    expect(rules).not.toContain('entrypoint-not-found');
  });
  test('COPY into /opt/${version}/ and an absolute ENTRYPOINT there: it may be that file', async () => {
    const { e, rules } = await explain({
      Dockerfile: 'FROM debian:12-slim\nARG version\nCOPY run.sh /opt/release-${version}/\nENTRYPOINT ["/opt/release-1.2/run.sh"]\n',
      'run.sh': SCRIPT,
    });
    expect(e.hops[0]?.note).toBe('/opt/release-1.2/run.sh may be the file that COPY on line 3 puts in a folder whose path uses a build argument with no known value (`run.sh /opt/release-${version}/`), so what it does (whether it hands over to another program or changes user) is not known');
    expect(rules).not.toContain('entrypoint-not-found');
  });
  test('twin: a path such a COPY cannot reach is still not provided', async () => {
    const { e, rules } = await explain({
      Dockerfile: 'FROM debian:12-slim\nARG version\nCOPY run.sh /opt/release-${version}/\nENTRYPOINT ["/usr/local/bin/run.sh"]\n',
      'run.sh': SCRIPT,
    });
    expect(e.hops[0]?.note).toBe('/usr/local/bin/run.sh is not provided by any COPY or ADD in the build context, so what it does (whether it hands over to another program or changes user) is not known');
    expect(rules).toContain('entrypoint-not-found');
  });
  test('twin: with a default the paths are known and the script is followed', async () => {
    const { e } = await explain({
      Dockerfile: 'FROM debian:12-slim\nARG version=1.2\nENV APP_HOME=/opt/app-${version}\nCOPY scripts/ ${APP_HOME}/bin/\nWORKDIR ${APP_HOME}/bin\nENTRYPOINT ["./run.sh"]\nCMD ["serve"]\n',
      'scripts/run.sh': SCRIPT,
    });
    expect(e.hops.map((h) => h.process)).toEqual(['./run.sh serve', 'exec "$@"', 'serve']);
  });
});

describe('a build argument with no default, under an expansion with a fallback', () => {
  // `ARG UID` with no default is unset on a build that passes none: `${UID:-9999}` is 9999 there.
  const image = (env: string, user: string): Record<string, string> => ({
    Dockerfile: `FROM debian:12-slim AS base\nARG UID\n${env}RUN useradd -u 9999 -m app\nUSER ${user}\nCOPY entrypoint.sh /\nFROM base AS local\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["serve"]\n`,
    'entrypoint.sh': SCRIPT,
  });
  test('ENV UID=${UID:-9999}, then USER $UID:$UID in the stage the final one builds on: 9999', async () => {
    const { e } = await explain(image('ENV UID=${UID:-9999}\n', '$UID:$UID'));
    // Shown by its uid, as `USER 9999:9999` is.
    expect(e.startUser).toBe('9999');
    expect(e.hops.map((h) => h.user)).toEqual(['9999', '9999', '9999']);
  });
  test('USER ${UID:-9999} itself: 9999', async () => {
    const { e } = await explain(image('', '${UID:-9999}'));
    expect(e.startUser).toBe('9999');
  });
  test('twin: USER $UID alone is meant to be given at build time, and stays unknown', async () => {
    const { e } = await explain(image('', '$UID'));
    expect(e.startUser).toBe('unknown user');
  });
  test('twin: a platform argument has the value BuildKit gives it, which is not known: ${TARGETARCH:-9999} stays unknown', async () => {
    const { e } = await explain({ ...image('', '${TARGETARCH:-9999}'), Dockerfile: image('', '${TARGETARCH:-9999}').Dockerfile?.replace('ARG UID', 'ARG TARGETARCH') ?? '' });
    expect(e.startUser).toBe('unknown user');
  });
  test('twin: a build argument with a default is that default, which ${UID:-9999} keeps', async () => {
    const { e } = await explain({ ...image('ENV UID=${UID:-9999}\n', '$UID'), Dockerfile: image('ENV UID=${UID:-9999}\n', '$UID').Dockerfile?.replace('ARG UID', 'ARG UID=1200') ?? '' });
    expect(e.startUser).toBe('1200');
  });
});

describe('a program whose file dockerlint cannot read is named, not shown as `?`', () => {
  const UNREAD = ', so what it does (whether it hands over to another program or changes user) is not known';
  test('a binary copied from another image: its argv, and that the image cannot be read', async () => {
    const { e, text } = await explain({ Dockerfile: 'FROM scratch\nCOPY --from=nats:2.12-alpine /usr/local/bin/nats-server /nats-server\nENTRYPOINT ["/nats-server"]\nCMD ["--config", "nats-server.conf"]\n' });
    expect(e.hops.map((h) => [h.process, h.user, h.pid1, h.note])).toEqual([['/nats-server --config nats-server.conf', 'root', true, `/nats-server comes from image nats:2.12-alpine, which dockerlint cannot read${UNREAD}`]]);
    expect(e.summary).toBe('PID 1: /nats-server --config nats-server.conf (root)');
    expect(text).not.toContain('  ?  ');
  });
  test('a program exec\'d by a script that no COPY provides: named as the script wrote it, with the user it runs as', async () => {
    const { e } = await explain({
      Dockerfile: 'FROM debian:12-slim\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["/opt/app/bin/server", "run"]\n',
      'entrypoint.sh': '#!/bin/sh\nset -e\nexec setpriv --reuid=app --regid=app --clear-groups "$@"\n',
    });
    expect(e.hops.map((h) => [h.process, h.user])).toEqual([
      ['/entrypoint.sh /opt/app/bin/server run', 'root'],
      ['exec setpriv --reuid=app --regid=app --clear-groups "$@"', 'app'],
      ['/opt/app/bin/server run', 'app'],
    ]);
    expect(e.hops[2]?.note).toBe(`/opt/app/bin/server is not provided by any COPY or ADD in the build context${UNREAD}`);
  });
  test('a shell script made by RUN in another stage: the main process as far as can be seen, its content not known', async () => {
    const { e } = await explain({ Dockerfile: 'FROM debian:12-slim AS builder\nRUN mkdir /out && printf "#!/bin/sh\\nexec $APP\\n" > /out/start.sh\nFROM debian:12-slim\nCOPY --from=builder /out/start.sh /app/start.sh\nCMD ["/app/start.sh"]\n' });
    expect(e.hops.map((h) => [h.process, h.note])).toEqual([['/app/start.sh', `the main process, PID 1; /app/start.sh is a script made in stage builder of the build, which dockerlint cannot read${UNREAD}`]]);
  });
  test('twin: a script RUN writes from literal text in another stage is read', async () => {
    const { e } = await explain({ Dockerfile: 'FROM debian:12-slim AS builder\nRUN mkdir /out && printf "#!/bin/sh\\nexec app\\n" > /out/start.sh\nFROM debian:12-slim\nCOPY --from=builder /out/start.sh /app/start.sh\nCMD ["/app/start.sh"]\n' });
    expect(e.hops.map((h) => [h.process, h.note])).toEqual([
      ['/app/start.sh', 'script /app/start.sh'],
      ['exec app', 'same PID: hands over to its arguments'],
      ['app', 'the main process, PID 1'],
    ]);
  });
  test('twin: a compiled program made in another stage is the main process', async () => {
    const { e } = await explain({ Dockerfile: 'FROM golang:1.22 AS builder\nRUN go build -o /out/app .\nFROM debian:12-slim\nCOPY --from=builder /out/app /app/app\nCMD ["/app/app"]\n' });
    expect(e.hops.map((h) => [h.process, h.note])).toEqual([['/app/app', 'the main process, PID 1']]);
  });
  test('twin: a command whose value is not known stays `?`', async () => {
    const { e } = await explain({
      Dockerfile: 'FROM debian:12-slim\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n',
      'entrypoint.sh': '#!/bin/sh\nexec $(cat /etc/app/command)\n',
    });
    expect(e.hops.map((h) => [h.process, h.note])).toEqual([
      ['/entrypoint.sh', 'script /entrypoint.sh'],
      ['exec $(cat /etc/app/command)', 'same PID: hands over to its arguments'],
      ['?', 'the command comes from a value dockerlint cannot know'],
    ]);
  });
});

describe('background children beside a foreground command the script ends on', () => {
  const IMAGE = 'FROM debian:12-slim\nCOPY run.sh /run.sh\nCMD ["/run.sh"]\n';
  test('`zero &` then a foreground `alpha`: both are children of the shell, the background one shown too', async () => {
    const { e, json } = await explain({ Dockerfile: IMAGE, 'run.sh': '#!/bin/bash\nset -e\ndgraph zero &\ndgraph alpha\n' });
    expect(e.hops.map((h) => [h.process, h.pid1, h.note])).toEqual([
      ['/run.sh', true, 'script /run.sh'],
      ['dgraph alpha', false, "not exec'd: the shell stays PID 1 and this runs as its child"],
      ['dgraph zero &', false, 'background child of the shell'],
    ]);
    expect(json.hops).toEqual(JSON.parse(JSON.stringify(e.hops)));
  });
  test('twin: no background job, only the foreground child', async () => {
    const { e } = await explain({ Dockerfile: IMAGE, 'run.sh': '#!/bin/bash\nset -e\ndgraph alpha\n' });
    expect(e.hops.map((h) => h.process)).toEqual(['/run.sh', 'dgraph alpha']);
  });
});

describe('the start user of a base image dockerlint does not know', () => {
  test('a RUN that runs sudo with no USER: the base builds as a user that is not root, so the user is not known and root-process is silent', async () => {
    const { e, json, rules } = await explain({
      Dockerfile: 'FROM example.org/acme/runner:1.4\nRUN sudo mkdir -p /data\nCMD ["python3", "-m", "http.server", "8080"]\n',
    });
    expect(e.startUser).toBe('not known: no stage sets USER, and line 2 runs `sudo`, so example.org/acme/runner:1.4 builds as a user that is not root (a root build needs no sudo)');
    expect(json.startUser).toBe(e.startUser);
    expect(rules).not.toContain('root-process');
  });
  test('twin: with no sudo, root is the assumption explain names, and root-process fires', async () => {
    const { e, rules } = await explain({
      Dockerfile: 'FROM example.org/acme/runner:1.4\nRUN mkdir -p /data\nCMD ["python3", "-m", "http.server", "8080"]\n',
    });
    expect(e.startUser).toBe('root (assumed: no stage sets USER, and `example.org/acme/runner:1.4` is not an image dockerlint knows; a USER it sets would apply instead)');
    expect(rules).toContain('root-process');
  });
  test('twin: the word sudo in a string is not a sudo command', async () => {
    const { e } = await explain({
      Dockerfile: 'FROM example.org/acme/runner:1.4\nRUN echo "no sudo here" > /etc/motd\nCMD ["python3", "-m", "http.server", "8080"]\n',
    });
    expect(e.startUser).toMatch(/^root \(assumed/);
  });
});
