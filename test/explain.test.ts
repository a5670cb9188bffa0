import path from 'node:path';
import { launchOf } from '../src/engine.js';
import { explainLaunch, formatExplanation } from '../src/explain.js';
import { ShellService } from '../src/model/shell-service.js';
import { FIXTURES } from './fixture-format.js';

const shell = new ShellService();

async function explainFixture(rel: string) {
  const dir = path.join(FIXTURES, rel);
  const prepared = await launchOf({ path: path.join(dir, 'Dockerfile') }, { cwd: dir, shell });
  if (Array.isArray(prepared)) throw new Error(prepared.map((f) => f.message).join('; '));
  return explainLaunch(prepared.launch);
}

describe('dockerlint explain', () => {
  test('a Python start script that execs gosu, and a launcher given a command: explain says why their user is not known', async () => {
    const py = await explainFixture('root-process/good-python-start-script-execs-gosu');
    expect(py.hops.map((h) => h.note)).toEqual([
      'the main process, PID 1; /start.py is a Python program that uses `os.execv`, which replaces it with another program (start.py:7); dockerlint does not follow Python, so the user of what it runs is not known',
    ]);
    const launcher = await explainFixture('root-process/good-launcher-given-command');
    expect(launcher.hops.map((h) => h.note)).toEqual([
      'the main process, PID 1; env-setup is given the command `/usr/local/bin/agent start` to run, and dockerlint cannot read it (it is not provided by a COPY or ADD of the build context): whether it runs that command as another user is not known',
    ]);
    // Read to the end and naming no hand-over: the main process, with no such note.
    const app = await explainFixture('root-process/bad-python-start-script-no-handover');
    expect(app.hops.map((h) => h.note)).toEqual(['the main process, PID 1']);
  });

  test('the official redis pattern: root, then the same PID as redis, then redis-server', async () => {
    const e = await explainFixture('root-process/good-redis-gosu');
    expect(e.argv).toEqual(['docker-entrypoint.sh', 'redis-server']);
    expect(e.summary).toBe(
      'PID 1: docker-entrypoint.sh redis-server (root) -> exec gosu redis "$0" "$@" (same PID, user redis) -> exec "$@" (same PID, user redis) -> redis-server (same PID, user redis)',
    );
    expect(e.hops.map((h) => h.at)).toEqual(['Dockerfile:13', 'docker-entrypoint.sh:13', 'docker-entrypoint.sh:22', 'Dockerfile:15']);
  });

  test('tini as PID 1, the script its child, gosu without exec leaves the shell in place', async () => {
    const e = await explainFixture('gosu-without-exec/bad-tini-gosu');
    expect(e.hops.map((h) => [h.process, h.pid1, h.user])).toEqual([
      ['tini', true, 'root'],
      ['/entrypoint.sh myapp', false, 'root'],
      ['gosu daemon "$@"', false, 'daemon'],
    ]);
  });

  test('a shell-form CMD puts the shell at PID 1', async () => {
    const e = await explainFixture('shell-form-pid1/bad-cmd-shell-form');
    expect(e.argv).toEqual(['/bin/sh', '-c', 'python -m http.server 8000']);
    expect(e.hops[0]).toMatchObject({ process: "/bin/sh -c 'python -m http.server 8000'", pid1: true, user: 'nobody' });
    // The child the shell does not exec is the main process: one hop, not the same line twice.
    expect(e.hops).toHaveLength(2);
    expect(e.hops[1]).toMatchObject({ process: 'python -m http.server 8000', pid1: false, at: 'Dockerfile:3', note: "not exec'd: the shell stays PID 1 and this runs as its child: the main process" });
    expect(formatExplanation(e)).toContain('shell form: a shell runs the string');
    expect(e.summary).toBe("PID 1: /bin/sh -c 'python -m http.server 8000' (nobody) -> python -m http.server 8000 (child, user nobody)");
  });

  test('jetty style: the CMD is found by command -v and matches the expr test, so the default run takes the dry run to the last exec "$@", not the branch for terminating options', async () => {
    const e = await explainFixture('root-process/good-jetty-style-dry-run');
    expect(e.hops.map((h) => [h.process, h.at])).toEqual([
      ['/docker-entrypoint.sh java -jar /opt/server/start.jar', 'Dockerfile:7'],
      ['exec "$@"', 'docker-entrypoint.sh:26'],
      ['?', 'docker-entrypoint.sh:26'],
    ]);
    expect(e.hops[1]?.why).toEqual(['command -v java finds it (from CMD: the image\'s own command)', "expr $* : java .*/start\\.jar.*$ matches (from CMD)"]);
  });

  test('an ARG is not in the container\'s environment: [[ ${KEEP_ROOT} -ne 0 ]] reads it unset (0), and gosu drops', async () => {
    const arg = await explainFixture('root-process/good-arithmetic-opt-out-arg-only');
    expect(arg.summary).toBe('PID 1: /entrypoint.sh /usr/local/bin/app-server (root) -> exec gosu app "$@" (same PID, user app) -> /usr/local/bin/app-server (same PID, user app)');
    const env = await explainFixture('root-process/bad-arithmetic-opt-out-set');
    expect(env.summary).toBe('PID 1: /entrypoint.sh /usr/local/bin/app-server (root) -> exec "$@" (same PID, user root) -> /usr/local/bin/app-server (same PID, user root)');
  });

  test('node style: the CMD names the interpreter, which is a command and not a file of the working directory, so it runs alone (the REPL)', async () => {
    const e = await explainFixture('root-process/good-repl-base-prepends-interpreter');
    expect(e.summary).toBe('PID 1: docker-entrypoint.sh node (root) -> exec "$@" (same PID, user root) -> node (same PID, user root)');
  });

  test('a CMD that is a subcommand of the entrypoint (agent), not a program, is not assumed found by command -v', async () => {
    const e = await explainFixture('root-process/good-subcommand-cmd-not-a-program');
    // Both ways stay open: `agent` as the command, or `agentd agent` under su-exec.
    expect(e.hops.flatMap((h) => h.why ?? []).join(' ')).not.toMatch(/command -v/);
    expect(e.otherPaths).toBe(1);
  });

  test('a default run the analysis is unsure of says why, in text and in JSON', async () => {
    const e = await explainFixture('missing-exec-args/good-state-budget-joined');
    expect(e.incomplete).toBe('docker-entrypoint.sh: more than 8 different states met at line 10 and were joined');
    expect(formatExplanation(e)).toContain('(not fully known: docker-entrypoint.sh: more than 8 different states met at line 10 and were joined)');
    const sure = await explainFixture('missing-exec-args/bad-state-budget-kept-apart');
    expect(sure.incomplete).toBeUndefined();
  });
});
