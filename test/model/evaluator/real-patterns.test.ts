/**
 * The false-alarm patterns found on real official and vendor images, each as a specification of
 * what the evaluator concludes (written as small cases in the style of those entrypoints), through
 * the whole pipeline: Dockerfile, image filesystem, the runs, the rules and explain.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchOf, lintFile } from '../../../src/engine.js';
import { explainLaunch, type Hop } from '../../../src/explain.js';
import type { Finding } from '../../../src/findings.js';
import { mainProcesses } from '../../../src/model/evaluator/questions.js';
import { showArgv, showUser } from '../../../src/model/evaluator/values.js';
import type { Launch } from '../../../src/model/launch.js';
import { ShellService } from '../../../src/model/shell-service.js';
import { endings, run, setup } from './harness.js';

const shell = new ShellService();
const dirs: string[] = [];
beforeAll(setup);
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const ROOT_IMAGE = 'FROM debian:12-slim\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\nCMD ["/usr/local/bin/app-server"]\n';

interface Result {
  findings: string[];
  raw: Finding[];
  launch: Launch;
  explained: { def: Hop[]; user: Hop[] };
}

async function image(files: Record<string, string>): Promise<Result> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-real-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text, { mode: name.endsWith('.sh') || name.endsWith('/run') ? 0o755 : 0o644 });
  }
  const input = { path: path.join(dir, 'Dockerfile') };
  const raw = await lintFile(input, { cwd: dir, shell });
  const prepared = await launchOf(input, { cwd: dir, shell });
  if (Array.isArray(prepared)) throw new Error('no launch');
  const e = explainLaunch(prepared.launch);
  return { findings: raw.map((f) => `${f.file}:${f.line} ${f.rule}`), raw, launch: prepared.launch, explained: { def: e.hops, user: e.userCommand?.hops ?? [] } };
}

/** `argv [user]` of the main process of each chain of a run. */
function mains(launch: Launch, which: 'default' | 'user-command'): string[] {
  return mainProcesses(launch.runs[which]).map((m) => `${m.staying ? '(script stays) ' : ''}${showArgv(m.hop.argv)} [${showUser(m.user)}]`);
}

const notes = (hops: Hop[]): string => hops.map((h) => h.note ?? '').join('\n');

describe('required configuration: an error exit because a variable is unset is not the main path', () => {
  test('[ -z "$DB_HOST" ] is decided because DB_HOST is unset, and the decision says so', () => {
    const r = run('#!/bin/sh\nif [ -z "$DB_HOST" ]; then echo missing >&2; exit 1; fi\nexec "$@"\n');
    const exit = r.endings.find((e) => e.kind === 'exit');
    expect(exit?.failed).toBe(true);
    expect(exit?.why.find((d) => d.unset)?.unset).toEqual(['DB_HOST']);
  });

  test('a default taken from another unset variable names the variable tested first', () => {
    const r = run('#!/bin/sh\n: "${DB_PASS:=$LINKED_ROOT_PASS}"\nif [ -z "$DB_PASS" ]; then exit 1; fi\nexec "$@"\n');
    expect(r.endings.find((e) => e.kind === 'exit')?.why.find((d) => d.unset)?.unset).toEqual(['DB_PASS', 'LINKED_ROOT_PASS']);
  });

  test('a variable ENV sets, even to an empty value, is not an unset one', () => {
    const r = run('#!/bin/sh\nif [ -z "$DB_HOST" ]; then exit 1; fi\nexec "$@"\n', { env: { DB_HOST: '' } });
    expect(r.endings.find((e) => e.kind === 'exit')?.why.some((d) => d.unset)).toBe(false);
  });

  test('the configured run is judged: root-process fires where the configured server runs as root', async () => {
    const script = '#!/bin/sh\nset -e\nif [ -z "$APP_DB_HOST" ]; then\n  echo >&2 "set APP_DB_HOST"\n  exit 1\nfi\nexec "$@"\n';
    const r = await image({ Dockerfile: ROOT_IMAGE, 'entrypoint.sh': script });
    expect(mains(r.launch, 'default')).toEqual(['/usr/local/bin/app-server [root]']);
    expect(r.findings).toEqual(['Dockerfile:1 root-process']);
    expect(r.raw[0]?.message).not.toContain('does not exec');
  });

  test('explain says where the script exits unless the variable is set, and shows the configured run', async () => {
    const script = '#!/bin/sh\nset -e\nif [ -z "$APP_DB_HOST" ]; then\n  echo >&2 "set APP_DB_HOST"\n  exit 1\nfi\nexec "$@"\n';
    const r = await image({ Dockerfile: ROOT_IMAGE, 'entrypoint.sh': script });
    expect(r.explained.def[0]?.required).toEqual(['exits 1 at entrypoint.sh:5 unless APP_DB_HOST is set']);
    expect(r.explained.def.map((h) => h.process)).toEqual(['entrypoint.sh /usr/local/bin/app-server', 'exec "$@"', '/usr/local/bin/app-server']);
  });

  test('two checks one after the other (host, then password with a fallback): both are reported', async () => {
    const script = '#!/bin/sh\nif [ -z "$APP_DB_HOST" ]; then exit 1; fi\n: "${APP_DB_PASS:=$LINKED_PASS}"\nif [ -z "$APP_DB_PASS" ] && [ "$APP_ALLOW_EMPTY" != yes ]; then exit 1; fi\nexec gosu app "$@"\n';
    const r = await image({ Dockerfile: ROOT_IMAGE, 'entrypoint.sh': script });
    expect(r.explained.def[0]?.required).toEqual(['exits 1 at entrypoint.sh:2 unless APP_DB_HOST is set', 'exits 1 at entrypoint.sh:4 unless APP_DB_PASS is set']);
    expect(mains(r.launch, 'default')).toEqual(['/usr/local/bin/app-server [app]']);
    expect(r.findings).toEqual([]);
  });

  test('a script run again as another user (postgres style): the note goes on the exec that re-runs it', async () => {
    const script = '#!/bin/bash\nif [ "$1" = app-server ] && [ "$(id -u)" = 0 ]; then exec gosu app "$BASH_SOURCE" "$@"; fi\nif [ "$1" = app-server ] && [ -z "$APP_PASSWORD" ]; then exit 1; fi\nexec "$@"\n';
    const r = await image({ Dockerfile: ROOT_IMAGE.replace('/usr/local/bin/app-server', 'app-server'), 'entrypoint.sh': script });
    expect(r.explained.def[1]?.note).toContain('the script runs again as app; then exits 1 at entrypoint.sh:3 unless APP_PASSWORD is set');
    expect(mains(r.launch, 'default')).toEqual(['app-server [app]']);
  });

  test('an exit after an undecided file test is not a required-configuration check', async () => {
    const script = '#!/bin/sh\nif [ -z "$APP_DEBUG" ]; then quiet=1; fi\nif [ ! -f /etc/app.conf ]; then echo no config; exit 1; fi\nexec "$@"\n';
    const r = await image({ Dockerfile: ROOT_IMAGE, 'entrypoint.sh': script });
    expect(r.explained.def[0]?.required).toBeUndefined();
    expect(mains(r.launch, 'default')).toEqual(['/usr/local/bin/app-server [root]']);
  });

  test('a bare exit after the message is a check too (its status is the message\'s); explain says where it stops', async () => {
    const script = '#!/bin/sh\nif [ -z "$APP_TOKEN" ]; then\n  echo "start the container with -e APP_TOKEN=..."\n  exit\nfi\nexec "$@"\n';
    const r = await image({ Dockerfile: ROOT_IMAGE, 'entrypoint.sh': script });
    expect(r.explained.def[0]?.required).toEqual(['stops at entrypoint.sh:4 unless APP_TOKEN is set']);
    expect(mains(r.launch, 'default')).toEqual(['/usr/local/bin/app-server [root]']);
    expect(mains(r.launch, 'user-command')).toEqual(['<command> [root]']);
  });

  test('an explicit exit 0 on an unset variable is a deliberate ending, not a check', async () => {
    const script = '#!/bin/sh\nif [ -z "$APP_TOKEN" ]; then\n  echo "nothing to do"\n  exit 0\nfi\nexec "$@"\n';
    const r = await image({ Dockerfile: ROOT_IMAGE, 'entrypoint.sh': script });
    expect(r.explained.def[0]?.required).toBeUndefined();
  });

  test('exit -1 is an error exit (bash exits 255, dash refuses the number and exits 2)', () => {
    const r = run('#!/bin/sh\nif [ -z "$DB_HOST" ]; then echo missing >&2; exit -1; fi\nexec "$@"\n');
    expect(r.endings.find((e) => e.kind === 'exit')?.failed).toBe(true);
  });

  test('an opt-in drop is still not taken on the default run (no error exit asks for it)', async () => {
    const script = '#!/bin/sh\nif [ -n "$RUN_AS" ]; then exec gosu "$RUN_AS" "$@"; fi\nexec "$@"\n';
    const r = await image({ Dockerfile: ROOT_IMAGE, 'entrypoint.sh': script });
    expect(mains(r.launch, 'default')).toEqual(['/usr/local/bin/app-server [root]']);
    expect(notes(r.explained.def)).not.toContain('unless');
  });
});

describe('files sourced from a loop over a folder of the image', () => {
  test('a glob over a folder whose files the build tells matches them, sorted', () => {
    const r = run('#!/bin/sh\nfor f in /startup.d/*.sh; do chmod +x "$f"; done\n', { glob: { '/startup.d/*.sh': ['/startup.d/10-a.sh', '/startup.d/20-b.sh'] } });
    expect(r.commands.flatMap((c) => c.argvs.map((a) => a.map((f) => f.s).join(' ')))).toEqual(['chmod +x /startup.d/10-a.sh', 'chmod +x /startup.d/20-b.sh']);
  });

  test('the loop runs once per known item: each sourced file is followed in order, and one of them hands over', () => {
    const files = { '/startup.d/10-prep.sh': 'mkdir -p /data\n', '/startup.d/20-run.sh': 'exec gosu app "$@"\n' };
    const src = '#!/bin/sh\nfor f in /startup.d/*; do . "$f" || exit 1; done\n';
    expect(endings(src, { files, glob: { '/startup.d/*': Object.keys(files) } })).toEqual(['exec gosu app server [root]@1']);
  });

  test('a folder nothing is copied into matches nothing on docker run IMAGE: the word stays as written', () => {
    const src = '#!/bin/sh\nfor f in /docker-entrypoint-initdb.d/*; do case "$f" in *.sh) . "$f" ;; esac; done\nexec "$@"\n';
    expect(endings(src, { glob: { '/docker-entrypoint-initdb.d/*': [] } })).toEqual(['exec server [root]@3']);
  });

  test('a folder whose content is not known: the sourced files may do anything (no ending from the loop is claimed)', () => {
    const r = run('#!/bin/sh\nfor f in /startup.d/*; do . "$f"; done\n');
    expect(r.endings.every((e) => e.opaque)).toBe(true);
  });

  test('through the image: a COPY\'d folder on a plain OS image is listed, and the drop in it is seen', async () => {
    const df = 'FROM alpine:3.20\nCOPY entrypoint.sh /\nCOPY startup.d /startup.d/\nENTRYPOINT ["/entrypoint.sh"]\n';
    const files = {
      Dockerfile: df,
      'entrypoint.sh': '#!/bin/sh\nfor f in /startup.d/*; do . "$f"; done\n',
      'startup.d/10-drop.sh': 'if [ "$(id -u)" = 0 ]; then exec su-exec app /entrypoint.sh "$@"; fi\n',
      'startup.d/90-run.sh': 'exec /usr/bin/appd "$@"\n',
    };
    const r = await image(files);
    expect(mains(r.launch, 'default')).toEqual(['/usr/bin/appd [app]']);
    expect(r.findings).toEqual([]);
    // On an image that is not a plain OS, the base may ship files there too: unknown, silent.
    const other = await image({ ...files, Dockerfile: df.replace('alpine:3.20', 'example/base:1') });
    expect(mains(other.launch, 'default').filter((m) => m.startsWith('(script stays)'))).toEqual([]);
    expect(other.launch.runs.default.chains.every((c) => c.hops.some((h) => h.kind === 'unknown'))).toBe(true);
    expect(other.findings.filter((f) => f.includes('root-process') || f.includes('exec'))).toEqual([]);
  });

  test('a php-apache image whose init folder is filled at run time: no rule says how the script ends after sourcing it', async () => {
    // The moodle php-apache shape: a function sources each file it is given, over a folder globbed
    // on an image that is not a plain OS (so its files are not known), and an `echo` is the last line.
    const script = '#!/bin/bash\nset -e\nrun_init() {\n  local f\n  for f; do\n    case "$f" in\n      *.sh) . "$f" ;;\n    esac\n  done\n}\nrun_init /docker-entrypoint.d/*\necho\n';
    const df = 'FROM php:8.3-apache\nRUN mkdir -p /docker-entrypoint.d\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\nCMD ["apache2-foreground"]\n';
    const r = await image({ Dockerfile: df, 'entrypoint.sh': script });
    const ending = r.launch.runs['user-command'].chains.flatMap((c) => c.hops).flatMap((h) => ((h.kind === 'script' || h.kind === 'shell') && h.ending ? [h.ending] : []))[0];
    expect([ending?.kind, ending?.opaque]).toEqual(['end', true]);
    expect(r.launch.runs['user-command'].chains.every((c) => c.end === null && c.hops[c.hops.length - 1]?.kind === 'unknown')).toBe(true);
    // Only what dockerlint could not follow is said.
    expect(r.raw.filter((f) => f.severity !== 'info')).toEqual([]);
    // The same script on debian, whose build leaves the folder empty, ends with its `echo`: the CMD is lost.
    const plain = await image({ Dockerfile: df.replace('php:8.3-apache', 'debian:12-slim').replace('apache2-foreground', '/usr/local/bin/app-server'), 'entrypoint.sh': script });
    expect(plain.findings.filter((f) => f.includes('exec'))).toEqual(['entrypoint.sh:12 missing-exec-args']);
  });

  test("then the php image's entrypoint, sourced: its exec hands over to apache2-foreground, and the `echo` after it never runs", async () => {
    const script = '#!/bin/bash\nset -e\nfor f in /docker-entrypoint.d/*; do . "$f"; done\nsource /usr/local/bin/docker-php-entrypoint\necho\n';
    const df = 'FROM php:8.3-apache\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\nCMD ["apache2-foreground"]\n';
    const r = await image({ Dockerfile: df, 'entrypoint.sh': script });
    expect(mains(r.launch, 'default')).toEqual(['apache2 -DFOREGROUND [root]']);
    expect(mains(r.launch, 'user-command')).toEqual(['<command> [root]']);
    expect(r.findings).toEqual([]);
  });
});

describe('where too many paths meet', () => {
  test('a variable used as the command word keeps its values; counters and flags are joined first', () => {
    const flags = Array.from({ length: 4 }, (_, i) => `if [ -f /x${i} ]; then F${i}=1; fi\n`).join('');
    const src = `#!/bin/sh\nRUNNER=""\nif [ -d /sys/numa ]; then RUNNER="numactl --all"; fi\n${flags}exec $RUNNER "$@"\n`;
    expect(endings(src)).toEqual(['exec numactl --all server [root]@8', 'exec server [root]@8']);
  });
});

describe('drop tools: each exec form switches the main process to the user', () => {
  const tools: [string, string][] = [
    ['gosu', 'exec gosu app "$@"'],
    ['su-exec', 'exec su-exec app:app "$@"'],
    ['setpriv --reuid', 'exec setpriv --reuid=app --regid=app --init-groups "$@"'],
    ['chpst -u', 'exec chpst -u app:app "$@"'],
    ['s6-setuidgid', 'exec s6-setuidgid app "$@"'],
    ['clickhouse su (a vendor built-in gosu)', 'exec clickhouse su "app:app" "$@"'],
  ];
  test.each(tools)('%s: the server runs as app, no root-process', async (_name, line) => {
    const r = await image({ Dockerfile: ROOT_IMAGE, 'entrypoint.sh': `#!/bin/sh\nset -e\n${line}\n` });
    expect(mains(r.launch, 'default')).toEqual(['/usr/local/bin/app-server [app]']);
    expect(r.findings.filter((f) => f.includes('root-process'))).toEqual([]);
  });

  test('runuser -u app -- cmd: the server runs as app, as runuser\'s child (su-sudo says so), not as root', async () => {
    const r = await image({ Dockerfile: ROOT_IMAGE, 'entrypoint.sh': '#!/bin/sh\nexec runuser -u app -- "$@"\n' });
    expect(mainProcesses(r.launch.runs.default).map((m) => showUser(m.user))).toEqual(['app']);
    expect(r.findings.filter((f) => f.includes('root-process'))).toEqual([]);
  });

  test('the same tools to root (or without the drop) leave the server as root: root-process', async () => {
    const r = await image({ Dockerfile: ROOT_IMAGE, 'entrypoint.sh': '#!/bin/sh\nexec clickhouse su "root:root" "$@"\n' });
    expect(r.findings).toEqual(['Dockerfile:1 root-process']);
  });

  test('the user given as $(id -u name): a user by that name, never root', async () => {
    const script = '#!/bin/bash\nif [ "$(id -u)" = 0 ]; then USER="${APP_UID:-"$(id -u app)"}"; GROUP="$(id -g app)"; else USER="$(id -u)"; GROUP="$(id -g)"; fi\nexec clickhouse su "${USER}:${GROUP}" "$@"\n';
    const r = await image({ Dockerfile: ROOT_IMAGE, 'entrypoint.sh': script });
    expect(mains(r.launch, 'default')).toEqual(['/usr/local/bin/app-server [app]']);
    expect(r.findings).toEqual([]);
  });
});

describe('argv moved into variables: JAVA="$1"; shift; exec $JAVA "$@"', () => {
  test('the whole argv is forwarded: no missing-exec-args', async () => {
    const df = ROOT_IMAGE.replace('CMD ["/usr/local/bin/app-server"]', 'USER 1000\nCMD ["java", "-jar", "/opt/app.jar"]');
    const script = '#!/bin/sh\nset -e\nOPTS="-Xmx1g"\nJAVA="$1"\nshift\nexec $JAVA $OPTS "$@"\n';
    const r = await image({ Dockerfile: df, 'entrypoint.sh': script });
    expect(mains(r.launch, 'default')).toEqual(['java -Xmx1g -jar /opt/app.jar [1000]']);
    expect(mains(r.launch, 'user-command')).toEqual(['<command> -Xmx1g [1000]']);
    expect(r.findings).toEqual([]);
  });

  test('its twin that drops the arguments after moving the first one fires', async () => {
    const df = ROOT_IMAGE.replace('CMD ["/usr/local/bin/app-server"]', 'USER 1000\nCMD ["java", "-jar", "/opt/app.jar"]');
    const script = '#!/bin/sh\nset -e\nJAVA="$1"\nshift\nexec /usr/bin/java -jar /opt/other.jar\n';
    const r = await image({ Dockerfile: df, 'entrypoint.sh': script });
    expect(r.findings).toEqual(['entrypoint.sh:5 missing-exec-args']);
  });
});

describe('an argv from an unknown value: set -- $(cat file), set -- $UNKNOWN', () => {
  const df = ROOT_IMAGE.replace('CMD ["/usr/local/bin/app-server"]', 'USER 1000\nCMD ["/usr/local/bin/app-server"]');
  test.each([
    ['set -- $(cat /var/lib/app/start.args)'],
    ['START_LINE="$(/usr/local/bin/app-config --start-line)"; set -- $START_LINE'],
  ])('%s; exec "$@": the command is unknown, never a finding', async (setLine) => {
    const r = await image({ Dockerfile: df, 'entrypoint.sh': `#!/bin/sh\nset -e\nif [ -s /var/lib/app/start.args ]; then\n  ${setLine}\nfi\nexec "$@"\n` });
    expect(r.findings).toEqual([]);
    expect(r.launch.runs.default.chains.some((c) => c.hops.some((h) => h.kind === 'unknown'))).toBe(true);
  });

  test('with a known set -- that drops the arguments, it fires', async () => {
    const r = await image({ Dockerfile: df, 'entrypoint.sh': '#!/bin/sh\nset -e\nset -- /usr/local/bin/other-server\nexec "$@"\n' });
    expect(r.findings).toEqual(['entrypoint.sh:4 missing-exec-args']);
  });
});

describe('no CMD, and the script ends with exec "$@" (storm style: the image is given a command)', () => {
  const df = 'FROM debian:12-slim\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n';
  const script = '#!/bin/bash\nset -e\nif [ "$1" = worker -a "$(id -u)" = 0 ]; then exec gosu app "$0" "$@"; fi\nif [ ! -f /etc/app.yaml ]; then\n  cat << EOF > /etc/app.yaml\nworkers: 4\nEOF\nfi\nexec "$@"\n';
  test('explain: exec "$@" has no arguments on docker run IMAGE, the container exits; no finding claims a missing exec', async () => {
    const r = await image({ Dockerfile: df, 'entrypoint.sh': script });
    const last = r.explained.def[r.explained.def.length - 1];
    expect(last?.process).toBe('exec "$@"');
    expect(last?.note).toContain('no arguments to exec on this run');
    expect(r.findings).toEqual([]);
    expect(r.raw.map((f) => f.message).join('\n')).not.toContain('does not exec its last command');
  });

  test('the user command is exec\'d as given', async () => {
    const r = await image({ Dockerfile: df, 'entrypoint.sh': script });
    expect(mains(r.launch, 'user-command')).toEqual(['<command> [root]']);
  });
});

describe('supervisors: runsvdir is PID 1, the applications are its services', () => {
  const df = 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends runit && rm -rf /var/lib/apt/lists/*\nCOPY entrypoint.sh /\nCOPY service/run /etc/service/app/run\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["app"]\n';
  const entry = '#!/bin/sh\nif [ "$1" = app ]; then\n  mkdir -p /var/lib/app\n  exec runsvdir -P /etc/service\nfi\nexec "$@"\n';

  test('a service run script copied to /etc/service/<name>/run is followed; its chpst -uapp drops', async () => {
    const r = await image({ Dockerfile: df, 'entrypoint.sh': entry, 'service/run': '#!/bin/sh\nexec 2>&1\nexec chpst -uapp /usr/local/bin/app-server --foreground\n' });
    expect(mains(r.launch, 'default')).toEqual(['/usr/local/bin/app-server --foreground [app]']);
    expect(r.explained.def.map((h) => h.note ?? '').join('\n')).toContain('supervisor: starts the services /etc/service/app/run as its children');
    expect(r.findings).toEqual([]);
  });

  test('a service that does not drop: root-process names the service\'s program', async () => {
    const r = await image({ Dockerfile: df, 'entrypoint.sh': entry, 'service/run': '#!/bin/sh\nexec /usr/local/bin/app-server --foreground\n' });
    expect(r.findings).toEqual(['Dockerfile:1 root-process']);
    expect(r.raw[0]?.message).toContain('`/usr/local/bin/app-server`');
  });

  test('services dockerlint does not see (none copied into the folder): unknown, never "runs as root"', async () => {
    const r = await image({ Dockerfile: df.replace('COPY service/run /etc/service/app/run\n', ''), 'entrypoint.sh': entry });
    expect(r.findings.filter((f) => f.includes('root-process'))).toEqual([]);
    expect(r.explained.def[r.explained.def.length - 1]?.note).toContain('whose run scripts dockerlint does not know');
  });
});
