/**
 * The answers the evaluator must give on the patterns of real official and vendor entrypoints
 * (the ten cases of the evaluator brief), through the whole pipeline: Dockerfile, image
 * filesystem, the three runs, the rules.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchOf, lintFile } from '../../../src/engine.js';
import type { Finding } from '../../../src/findings.js';
import type { Run } from '../../../src/model/evaluator/invocations.js';
import { mainProcesses } from '../../../src/model/evaluator/questions.js';
import { showArgv, showUser } from '../../../src/model/evaluator/values.js';
import type { Launch } from '../../../src/model/launch.js';
import { ShellService } from '../../../src/model/shell-service.js';

const shell = new ShellService();
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const DOCKERFILE = 'FROM debian:12-slim\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\nCMD ["server"]\n';

async function context(files: Record<string, string>, ruleOptions?: Record<string, Record<string, unknown>>): Promise<{ findings: string[]; launch: Launch; raw: Finding[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-case-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text, { mode: name.endsWith('.sh') ? 0o755 : 0o644 });
  }
  const input = { path: path.join(dir, 'Dockerfile') };
  const raw = await lintFile(input, { cwd: dir, shell, ...(ruleOptions ? { ruleOptions } : {}) });
  const prepared = await launchOf(input, { cwd: dir, shell });
  if (Array.isArray(prepared)) throw new Error('no launch');
  return { findings: raw.map((f) => `${f.file}:${f.line} ${f.rule}`), launch: prepared.launch, raw };
}

/** `argv [user]` of the main process of each chain of a run. */
function mains(launch: Launch, run: 'default' | 'user-command'): string[] {
  return mainsOf(launch.runs[run]);
}

/** The same, of any run (`await launch.nonRoot()`, the run as `--user 1000`). */
function mainsOf(run: Run): string[] {
  return mainProcesses(run).map((m) => `${m.staying ? '(script stays) ' : ''}${showArgv(m.hop.argv)} [${showUser(m.user)}]`);
}

describe('the evaluator cases', () => {
  test('1. the hand-over held in a variable: no finding', async () => {
    const script = '#!/bin/sh\nset -e\nrun=exec\nif [ "$(id -u)" = 0 ]; then\n  chown -R app /data\n  run="exec su-exec app"\nfi\nif [ "$1" = server ]; then set -- /opt/app/bin/server --data /data; fi\n$run "$@"\n';
    const r = await context({ Dockerfile: DOCKERFILE, 'entrypoint.sh': script });
    expect(mains(r.launch, 'default')).toEqual(['/opt/app/bin/server --data /data [app]']);
    expect(mains(r.launch, 'user-command')).toEqual(['<command> [app]']);
    expect(r.findings).toEqual([]);
  });

  test('2. the drop produced by a function: no finding; with --user 1000, exec server', async () => {
    const script = '#!/bin/bash\ndrop_privs() { if [ "$(id -u)" = 0 ]; then echo "gosu app"; fi; }\nexec $(drop_privs) "$@"\n';
    const r = await context({ Dockerfile: DOCKERFILE.replace('debian:12-slim', 'debian:12'), 'entrypoint.sh': script });
    expect(mains(r.launch, 'default')).toEqual(['server [app]']);
    expect(mainsOf(await r.launch.nonRoot())).toEqual(['server [1000]']);
    expect(r.findings).toEqual([]);
  });

  test('3. arguments copied into an array: intact; ${args[*]} mangles them', async () => {
    const df = DOCKERFILE.replace('CMD', 'USER 1000\nCMD');
    const script = '#!/bin/bash\nargs=("$@")\nif [ "${args[0]}" = server ]; then\n  args=(/opt/app/bin/server --port 8080 "${args[@]:1}")\nfi\nexec "${args[@]}"\n';
    const good = await context({ Dockerfile: df, 'entrypoint.sh': script });
    expect(good.findings).toEqual([]);
    const bad = await context({ Dockerfile: df, 'entrypoint.sh': script.replace('exec "${args[@]}"', 'exec ${args[*]}') });
    expect(bad.findings).toEqual(['entrypoint.sh:6 missing-exec-args']);
  });

  test('4. the image\'s own subcommands: no finding, also with CMD ["help"]', async () => {
    const df = DOCKERFILE.replace('CMD', 'USER 1000\nCMD');
    const script = '#!/bin/sh\nset -e\ncase "$1" in\n  help|--help) echo "usage: docker run IMAGE [server|migrate|COMMAND]"; exit 0 ;;\n  migrate) shift; exec /opt/app/bin/migrate "$@" ;;\n  server) set -- /opt/app/bin/server "$@" ;;\nesac\nexec "$@"\n';
    const r = await context({ Dockerfile: df, 'entrypoint.sh': script });
    expect(mains(r.launch, 'default')).toEqual(['/opt/app/bin/server server [1000]']);
    expect(mains(r.launch, 'user-command')).toEqual(['<command> [1000]']);
    expect(r.findings).toEqual([]);
    const help = await context({ Dockerfile: df.replace('["server"]', '["help"]'), 'entrypoint.sh': script });
    expect(help.findings).toEqual([]);
  });

  test('5. the step-down gated by an opt-in variable: root-process unless ENV sets it', async () => {
    const script = '#!/bin/sh\nif [ -n "$RUN_AS" ] && [ "$(id -u)" = 0 ]; then exec gosu "$RUN_AS" "$@"; fi\nexec "$@"\n';
    const bad = await context({ Dockerfile: DOCKERFILE, 'entrypoint.sh': script });
    expect(bad.findings).toEqual(['Dockerfile:1 root-process']);
    expect(bad.raw[0]?.message).toContain('is not reached on `docker run IMAGE`');
    const good = await context({ Dockerfile: DOCKERFILE.replace('CMD', 'ENV RUN_AS=app\nCMD'), 'entrypoint.sh': script });
    expect(good.findings).toEqual([]);
  });

  test('6. a one-shot switch is not a drop: root-process', async () => {
    const r = await context({ Dockerfile: DOCKERFILE, 'entrypoint.sh': '#!/bin/sh\ngosu app /opt/app/bin/migrate\nexec "$@"\n' });
    expect(r.findings).toEqual(['Dockerfile:1 root-process']);
    expect(r.raw[0]?.message).toContain('runs only that command as another user');
  });

  test('7. not exec\'d under tini: entrypoint-no-exec saying tini signals only the shell; tini -g: silent', async () => {
    const df = 'FROM python:3.12-slim\nCOPY start.sh app.py /\nUSER 1000\nENTRYPOINT ["tini", "--", "/start.sh"]\n';
    const script = '#!/bin/sh\nset -e\necho starting\npython app.py\n';
    const tini = await context({ Dockerfile: df, 'start.sh': script, 'app.py': 'print(1)\n' });
    // No CMD and a script that never reads its arguments: that `docker run IMAGE sh` starts python
    // too is missing-exec-args's only with its userCommand option (off by default).
    expect(tini.findings).toEqual(['start.sh:4 entrypoint-no-exec']);
    expect(tini.raw.find((f) => f.rule === 'entrypoint-no-exec')?.message).toContain('tini signals only its direct child');
    const group = await context({ Dockerfile: df.replace('"tini", "--"', '"tini", "-g", "--"'), 'start.sh': script, 'app.py': '' });
    expect(group.findings).toEqual([]);
    const dumb = await context({ Dockerfile: df.replace('"tini", "--"', '"dumb-init"'), 'start.sh': script, 'app.py': '' });
    expect(dumb.findings).toEqual([]);
    const bare = await context({ Dockerfile: df.replace('"tini", "--", ', ''), 'start.sh': script, 'app.py': '' });
    expect(bare.findings).toEqual(['start.sh:4 entrypoint-no-exec']);
    const asked = await context({ Dockerfile: df.replace('"tini", "--", ', ''), 'start.sh': script, 'app.py': '' }, { 'missing-exec-args': { userCommand: true } });
    expect(asked.findings).toEqual(['start.sh:4 entrypoint-no-exec', 'start.sh:4 missing-exec-args']);
    expect(bare.raw.find((f) => f.rule === 'entrypoint-no-exec')?.message).toContain('the shell stays PID 1');
    // Run the command when one is given: only the signal problem is left, option or not.
    const given = await context({ Dockerfile: df, 'start.sh': script.replace('echo starting\n', 'echo starting\nif [ "$#" -gt 0 ]; then exec "$@"; fi\n'), 'app.py': '' }, { 'missing-exec-args': { userCommand: true } });
    expect(given.findings).toEqual(['start.sh:5 entrypoint-no-exec']);
  });

  test('8. the shell of the image: ${1:0:1} is fine on Alpine, a portability warning on Debian', async () => {
    const script = '#!/bin/sh\nif [ "${1:0:1}" = \'-\' ]; then set -- server "$@"; fi\n"$@"\n';
    const alpine = await context({ Dockerfile: DOCKERFILE.replace('debian:12-slim', 'alpine:3.20').replace('CMD', 'USER 1000\nCMD'), 'entrypoint.sh': script });
    expect(alpine.findings).toEqual(['entrypoint.sh:3 missing-exec-args']);
    const debian = await context({ Dockerfile: DOCKERFILE.replace('debian:12-slim', 'debian:12').replace('CMD', 'USER 1000\nCMD'), 'entrypoint.sh': script });
    expect(debian.findings).toEqual(['entrypoint.sh:2 shell-portability', 'entrypoint.sh:3 missing-exec-args']);
  });

  test('9. a RUN ln -s link to the copied script is followed; a missing build artifact is unknown', async () => {
    const df = 'FROM debian:12-slim\nCOPY docker-entrypoint.sh /usr/local/bin/\nRUN ln -s usr/local/bin/docker-entrypoint.sh /docker-entrypoint.sh\nUSER 1000\nENTRYPOINT ["/docker-entrypoint.sh"]\nCMD ["server"]\n';
    const r = await context({ Dockerfile: df, 'docker-entrypoint.sh': '#!/bin/sh\nset -e\n"$@"\n' });
    expect(r.findings).toEqual(['docker-entrypoint.sh:3 missing-exec-args']);
    const artifact = await context({ Dockerfile: 'FROM debian:12-slim\nCOPY dist/app /app\nUSER 1000\nENTRYPOINT ["/app"]\n' });
    expect(artifact.findings.filter((f) => f.includes('entrypoint-not-found'))).toEqual([]);
  });

  test('10. size is no excuse: a sudo at the end of a 500-command RUN chain is still found', async () => {
    const run = `RUN ${Array.from({ length: 500 }, (_, i) => `echo ${i}`).join(' && ')} && sudo apt-get update`;
    const r = await context({ Dockerfile: `FROM debian:12-slim\n${run}\nUSER 1000\nCMD ["sleep", "1"]\n` });
    expect(r.findings.filter((f) => f.includes('sudo-in-run'))).toEqual(['Dockerfile:2 sudo-in-run']);
  });
});
