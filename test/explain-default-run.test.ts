/**
 * `dockerlint explain` on the default run for the shapes of real entrypoints that the chain of
 * exec hand-overs alone does not describe: a shell that stays PID 1 waiting on background
 * children (`daemon &` then `wait`, with or without a SIGTERM trap), and a step-down condition
 * written as a subshell group (`( [ "$1" = a ] || [ "$1" = b ] ) && ...`). Each case is checked
 * in the text and in the JSON (the same objects).
 */
import { explainContext, removeContexts, type Explained } from './explain-harness.js';
import { ShellService } from '../src/model/shell-service.js';
import { readIni, supervisorConfig, supervisordOptions } from '../src/model/supervisord.js';
import { run, setup } from './model/evaluator/harness.js';

const shell = new ShellService();
beforeAll(setup);
afterAll(removeContexts);

function explain(files: Record<string, string>): Promise<Explained> {
  return explainContext(files, shell);
}

const IMAGE = (cmd = '["server"]', user = ''): string => `FROM debian:12-slim\nCOPY entrypoint.sh /usr/local/bin/\n${user}ENTRYPOINT ["entrypoint.sh"]\nCMD ${cmd}\n`;

describe('a shell that waits on its background children', () => {
  test('trap + daemon & + wait: the shell stays PID 1 at the wait, the daemon is its child, and the exec after the wait is not the default run', async () => {
    const { e, text, json } = await explain({
      Dockerfile: IMAGE(),
      'entrypoint.sh': '#!/bin/bash\nif [ "$1" = server ]; then\n  trap \'kill -TERM "$PID"\' SIGTERM\n  /opt/app/bin/guard &\n  PID=$!\n  wait "$PID"\nfi\nexec "$@"\n',
    });
    expect(e.hops.map((h) => [h.process, h.pid1, h.user, h.at])).toEqual([
      ['entrypoint.sh server', true, 'root', 'Dockerfile:3'],
      ['wait "$PID"', true, 'root', 'entrypoint.sh:6'],
      ['/opt/app/bin/guard &', false, 'root', 'entrypoint.sh:4'],
    ]);
    expect(e.hops[1]?.why).toEqual(['$1 = server (from CMD)']);
    expect(e.hops[1]?.note).toBe(
      'the shell stays PID 1 and waits on its background children (/opt/app/bin/guard as root); SIGTERM is forwarded: the TERM trap at entrypoint.sh:3 runs \'kill -TERM "$PID"\', which signals the children; only after they exit does the script go on, to exec "$@" at entrypoint.sh:8',
    );
    expect(e.hops[2]?.note).toBe('background child of the shell');
    expect(e.summary).toBe('PID 1: entrypoint.sh server (root) -> wait "$PID" (same PID, user root) -> /opt/app/bin/guard & (child, user root)');
    // The JSON carries the same, with the children and the trap as data.
    expect(json.hops[1]?.waits).toEqual([{ process: '/opt/app/bin/guard &', user: 'root', at: 'entrypoint.sh:4' }]);
    expect(json.hops[1]?.signals).toEqual({ trap: 'entrypoint.sh:3', action: 'kill -TERM "$PID"', forwards: true });
    expect(text).toContain(' 2. PID 1  wait "$PID"  [user root]  entrypoint.sh:6');
    expect(text).toContain(' 3. child  /opt/app/bin/guard &  [user root]  entrypoint.sh:4');
    // The user command still takes the exec.
    expect(e.userCommand?.hops.map((h) => h.process)).toEqual(['entrypoint.sh <command>', 'exec "$@"', '<command>']);
  });

  test('no TERM trap, two daemons and wait -n, as USER: both children named with their user, and SIGTERM said to be dropped', async () => {
    const { e, json } = await explain({
      Dockerfile: IMAGE('["start"]', 'USER scanner\n'),
      'entrypoint.sh': '#!/bin/bash\nupdater -d &\nscand --foreground &\nwait -n\necho "a daemon exited"\nexit 1\n',
    });
    expect(e.hops.map((h) => [h.process, h.pid1, h.user])).toEqual([
      ['entrypoint.sh start', true, 'scanner'],
      ['wait -n', true, 'scanner'],
      ['updater -d &', false, 'scanner'],
      ['scand --foreground &', false, 'scanner'],
    ]);
    expect(e.hops[1]?.note).toContain('waits on its background children (updater -d as scanner, scand --foreground as scanner)');
    expect(e.hops[1]?.note).toContain('no TERM trap: the shell is PID 1, so SIGTERM is dropped and not forwarded');
    expect(e.hops[1]?.note).toContain('to exit at entrypoint.sh:6');
    expect(json.hops[1]?.signals).toEqual({ trap: null, action: null, forwards: false });
  });

  test('a trap that calls a function which kills the child forwards SIGTERM; a job under gosu runs as its user', async () => {
    const { e } = await explain({
      Dockerfile: IMAGE(),
      'entrypoint.sh': '#!/bin/bash\non_term() {\n  if [ -n "$pid" ]; then kill "$pid"; fi\n  exit 143\n}\ntrap on_term TERM INT\ngosu app /opt/app/server "$@" &\npid=$!\nwait $pid\n',
    });
    expect(e.hops.slice(1).map((h) => [h.process, h.pid1, h.user])).toEqual([
      ['wait $pid', true, 'root'],
      ['gosu app /opt/app/server "$@" &', false, 'app'],
    ]);
    expect(e.hops[1]?.note).toContain('SIGTERM is forwarded: the TERM trap at entrypoint.sh:6 runs on_term, which signals the children');
    expect(e.hops[1]?.signals?.forwards).toBe(true);
  });

  test('a trap set before its function is defined is read when the wait starts; capsh --user runs the job as that user', async () => {
    const { e } = await explain({
      Dockerfile: `FROM debian:12-slim\nENV DAEMON_USER=dns\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\nCMD ["server"]\n`,
      'entrypoint.sh': '#!/bin/bash\ntrap stop SIGINT SIGTERM\nfunction stop() {\n  kill $CHILD\n  wait $CHILD\n}\ncapsh --user="${DAEMON_USER}" --keep=1 -- -c "/usr/bin/dnsd" &\nCHILD=$!\nwait "$CHILD"\n',
    });
    expect(e.hops[1]?.note).toContain('SIGTERM is forwarded: the TERM trap at entrypoint.sh:2 runs stop, which signals the children');
    expect(e.hops[2]).toMatchObject({ pid1: false, user: 'dns', at: 'entrypoint.sh:7' });
  });

  test('a trap that runs a stop command (no kill) is said not to pass SIGTERM on; a function started in the background names the program it runs', async () => {
    const { e } = await explain({
      Dockerfile: IMAGE(),
      'entrypoint.sh': '#!/bin/bash\nrun_server() {\n  /opt/app/bin/app.sh run\n}\ntrap "/opt/app/bin/app.sh stop; exit 0" SIGTERM\nrun_server &\nwait $!\n',
    });
    expect(e.hops[1]?.note).toContain("SIGTERM is not passed on as such: the TERM trap at entrypoint.sh:5 runs '/opt/app/bin/app.sh stop; exit 0' instead, which kills no child itself");
    expect(e.hops[2]).toMatchObject({ process: 'run_server &', pid1: false, note: 'background child of the shell; it runs /opt/app/bin/app.sh run (entrypoint.sh:3)' });
    expect(e.hops[1]?.signals?.forwards).toBe(false);
  });

  test('the path that waits in a loop is shown, not the way out after the children exit', async () => {
    const { e } = await explain({
      Dockerfile: IMAGE(),
      'entrypoint.sh': '#!/bin/bash\nstop() { kill "$gen"; exit 0; }\ntrap stop TERM\ngenerator --watch &\ngen=$!\nwhile [ -e "/proc/$gen" ]; do\n  wait "$gen"\ndone\nstop\n',
    });
    expect(e.hops.map((h) => h.process)).toEqual(['entrypoint.sh server', 'wait "$gen"', 'generator --watch &']);
    expect(e.hops[1]?.note).toContain('to exit at entrypoint.sh:2');
  });

  test('silent twins: a wait with no background job, and a sidecar started in the background before exec, keep the exec chain', async () => {
    const noJob = await explain({ Dockerfile: IMAGE(), 'entrypoint.sh': '#!/bin/sh\nwait\nexec "$@"\n' });
    expect(noJob.e.hops.map((h) => h.process)).toEqual(['entrypoint.sh server', 'exec "$@"', 'server']);
    expect(noJob.e.hops.some((h) => h.waits)).toBe(false);
    const sidecar = await explain({ Dockerfile: IMAGE(), 'entrypoint.sh': '#!/bin/sh\nlog-shipper &\nexec "$@"\n' });
    expect(sidecar.e.hops.map((h) => [h.process, h.pid1])).toEqual([
      ['entrypoint.sh server', true],
      ['exec "$@"', true],
      ['server', true],
    ]);
    // A wait inside a background job is the job's, not the shell's.
    const inJob = await explain({ Dockerfile: IMAGE(), 'entrypoint.sh': '#!/bin/sh\n( worker & wait ) &\nexec "$@"\n' });
    expect(inJob.e.hops.map((h) => h.process)).toEqual(['entrypoint.sh server', 'exec "$@"', 'server']);
  });

  test('silent twin: the temporary server of a first start (started in the background, stopped with kill, then waited for) does not keep the shell: the exec after it is the default run', async () => {
    const { e } = await explain({
      Dockerfile: IMAGE('["dbd"]'),
      'entrypoint.sh': '#!/bin/bash\ntemp_start() {\n  "$@" --skip-networking &\n  pid=$!\n}\ntemp_stop() {\n  if ! kill -s TERM "$pid" || ! wait "$pid"; then\n    echo "init failed"; exit 1\n  fi\n}\nif [ "$1" = dbd ]; then\n  temp_start "$@"\n  temp_stop\nfi\nexec gosu db "$@"\n',
    });
    expect(e.hops.map((h) => h.process)).toEqual(['entrypoint.sh dbd', 'exec gosu db "$@"', 'dbd']);
    expect(e.hops.some((h) => h.waits)).toBe(false);
    // kill -0 only checks that the job is alive: the wait after it still waits on it.
    const alive = await explain({ Dockerfile: IMAGE(), 'entrypoint.sh': '#!/bin/bash\nserverd &\npid=$!\nkill -0 "$pid"\nwait "$pid"\n' });
    expect(alive.e.hops.map((h) => h.process)).toEqual(['entrypoint.sh server', 'wait "$pid"', 'serverd &']);
  });

  test('the evaluator records the wait on the path that reaches it, with the jobs then running and the TERM trap', () => {
    const r = run('#!/bin/bash\ntrap \'kill $a $b\' TERM\nfirst &\na=$!\nif [ "$1" = both ]; then second & b=$!; fi\nwait\n', { args: ['both'] });
    const w = r.endings[0]?.waited;
    expect(w?.jobs.map((j) => j.cmds.map((c) => c.argv.map((f) => f.s).join(' ')))).toEqual([['first'], ['second']]);
    expect(w?.term).toMatchObject({ action: 'kill $a $b', kills: true });
    const reset = run('#!/bin/bash\ntrap \'kill $a\' TERM\ntrap - TERM\nfirst &\nwait\n');
    expect(reset.endings[0]?.waited?.term).toBeNull();
    const none = run('#!/bin/bash\nfirst\nwait\n');
    expect(none.endings[0]?.waited).toBeUndefined();
  });
});

describe('a step-down condition written as a subshell group', () => {
  const SCRIPT = (cond: string): string =>
    `#!/bin/bash\nwants_help() {\n  local arg\n  for arg; do\n    case "$arg" in -h|--help) return 0 ;; esac\n  done\n  return 1\n}\nif ${cond}; then\n  if [ "$(id -u)" = '0' ]; then\n    exec gosu search "$0" "$@"\n  fi\nfi\nexec "$@"\n`;

  test('( [ "$1" = a ] || [ "$1" = b ] ) && ! function: decided for the CMD, so the default run re-execs as the user', async () => {
    const { e } = await explain({ Dockerfile: IMAGE('["searchd", "--nodetach"]'), 'entrypoint.sh': SCRIPT('([ "$1" = \'searchd\' ] || [ "$1" = \'indexer\' ]) && ! wants_help "$@"') });
    expect(e.summary).toBe(
      'PID 1: entrypoint.sh searchd --nodetach (root) -> exec gosu search "$0" "$@" (same PID, user search) -> exec "$@" (same PID, user search) -> searchd --nodetach (same PID, user search)',
    );
    expect(e.otherPaths).toBe(0);
    // The user command is neither word: no step-down.
    expect(e.userCommand?.summary).toBe('PID 1: entrypoint.sh <command> (root) -> exec "$@" (same PID, user root) -> <command> (same PID, user root)');
  });

  test('silent twins: a subshell whose status depends on a file stays undecided, and one that exits inside is not read as a status', async () => {
    const file = await explain({ Dockerfile: IMAGE('["searchd"]'), 'entrypoint.sh': SCRIPT('([ -f /data/ready ] || [ "$1" = indexer ])') });
    expect(file.e.otherPaths).toBe(1);
    expect(file.text).toContain('(1 other path depends on conditions dockerlint cannot decide)');
    const exits = await explain({ Dockerfile: IMAGE('["searchd"]'), 'entrypoint.sh': SCRIPT('( [ "$1" = searchd ] && exit 1 )') });
    expect(exits.e.otherPaths).toBe(1);
  });
});

describe('${NAME:?} is a required-configuration check', () => {
  const SCRIPT = '#!/bin/bash\nwrite_config() {\n  printf "host = ${DB_HOST:?"You must set DB_HOST"}\\n" >> /etc/app.ini\n}\nwrite_config\nexec "$@"\n';

  test('in a function: the default run exits there unless DB_HOST is set, and the configured run is shown', async () => {
    const { e, json } = await explain({ Dockerfile: IMAGE(), 'entrypoint.sh': SCRIPT });
    expect(e.hops[0]?.required).toEqual(['exits 1 at entrypoint.sh:3 unless DB_HOST is set']);
    expect(e.hops[0]?.note).toBe('script /usr/local/bin/entrypoint.sh; exits 1 at entrypoint.sh:3 unless DB_HOST is set (what follows is the configured run, where it is set)');
    expect(e.summary).toBe('PID 1: entrypoint.sh server (root) -> exec "$@" (same PID, user root) -> server (same PID, user root)');
    expect(json.hops[0]?.required).toEqual(e.hops[0]?.required);
  });

  test('the evaluator ends the path with exit 1 at the expansion, decided because the variable is unset', () => {
    const r = run(SCRIPT);
    const exit = r.endings.find((x) => x.kind === 'exit');
    expect(exit).toMatchObject({ failed: true, code: { s: '1' } });
    expect(exit?.why.at(-1)).toMatchObject({ text: '${DB_HOST:?} exits because DB_HOST is unset', unset: ['DB_HOST'] });
    expect(r.endings.some((x) => x.kind === 'exec')).toBe(false);
  });

  test('silent twins: set by ENV, inside $(...) (only the substitution exits), and ${X?} with X set to empty', async () => {
    const env = await explain({ Dockerfile: IMAGE().replace('COPY', 'ENV DB_HOST=db\nCOPY'), 'entrypoint.sh': SCRIPT });
    expect(env.e.hops[0]?.required).toBeUndefined();
    expect(run('#!/bin/sh\nv=$(echo "${DB_HOST:?}")\nexec "$@"\n').endings.map((x) => x.kind)).toEqual(['exec']);
    expect(run('#!/bin/sh\n: "${OPT?}"\nexec "$@"\n', { env: { OPT: '' } }).endings.map((x) => x.kind)).toEqual(['exec']);
  });
});

describe('a required setting tested through a flag, inside a branch the arguments chose', () => {
  const SCRIPT = '#!/bin/sh\nhas_src=false\nif [ -n "$SRC_URI" ]; then has_src=true; fi\nif [ "$1" = server ]; then\n  if [ "$has_src" = false ]; then echo "set SRC_URI" >&2; exit 1; fi\nfi\nexec "$@"\n';

  test('the branch of `$1 = server` on the way does not hide the check of SRC_URI: the configured run is shown', async () => {
    const { e } = await explain({ Dockerfile: IMAGE(), 'entrypoint.sh': SCRIPT });
    expect(e.hops[0]?.required).toEqual(['exits 1 at entrypoint.sh:5 unless SRC_URI is set']);
    expect(e.summary).toBe('PID 1: entrypoint.sh server (root) -> exec "$@" (same PID, user root) -> server (same PID, user root)');
  });

  test('silent twin: an exit in the branch the arguments chose is no configuration check', async () => {
    const { e } = await explain({ Dockerfile: IMAGE(), 'entrypoint.sh': '#!/bin/sh\nif [ -n "$DEBUG_TRACE" ]; then set -x; fi\ncase "$1" in\n  server) ;;\n  *) echo "unknown command $1" >&2; exit 8 ;;\nesac\nexec "$@"\n' });
    expect(e.hops[0]?.required).toBeUndefined();
    const other = await explain({ Dockerfile: IMAGE('["other"]'), 'entrypoint.sh': '#!/bin/sh\nif [ -n "$DEBUG_TRACE" ]; then set -x; fi\ncase "$1" in\n  server) ;;\n  *) echo "unknown command $1" >&2; exit 8 ;;\nesac\nexec "$@"\n' });
    expect(other.e.hops[0]?.required).toBeUndefined();
    expect(other.e.summary).toMatch(/exit 8/);
  });
});

describe('a user switch that forks (runuser, su) shows the program it runs, as its user', () => {
  test('exec runuser -u app -- "$@": runuser stays the process as root, the CMD runs as its child as app', async () => {
    const { e } = await explain({ Dockerfile: IMAGE('["appd", "-F"]'), 'entrypoint.sh': '#!/bin/sh\nexec runuser -u app -- "$@"\n' });
    expect(e.hops.map((h) => [h.process, h.pid1, h.user])).toEqual([
      ['entrypoint.sh appd -F', true, 'root'],
      ['exec runuser -u app -- "$@"', true, 'root'],
      ['appd -F', false, 'app'],
    ]);
    expect(e.hops[1]?.note).toBe('same PID: runuser stays the parent (as root) and runs the command as its child');
    expect(e.hops[2]?.note).toBe('the main process, a child of runuser');
  });

  test('a switch held in a variable (EXEC="runuser -u app --"; exec $EXEC server) is followed the same way', async () => {
    const { e } = await explain({ Dockerfile: IMAGE('[]'), 'entrypoint.sh': '#!/bin/bash\nEXEC=""\nif [[ $(id -u) == 0 ]]; then\n  EXEC="runuser -u app -g app --"\nfi\nexec $EXEC /opt/app/bin/server --port 80\n' });
    expect(e.hops.slice(1).map((h) => [h.process, h.pid1, h.user])).toEqual([
      ['exec $EXEC /opt/app/bin/server --port 80', true, 'root'],
      ['/opt/app/bin/server --port 80', false, 'app'],
    ]);
  });

  test('su app -c "string" as the CMD: su is PID 1 as root, the string runs under it as app', async () => {
    const { e } = await explain({ Dockerfile: 'FROM debian:12-slim\nCMD ["su", "app", "-c", "/opt/app/run --foreground"]\n' });
    expect(e.hops.map((h) => [h.process, h.pid1, h.user])).toEqual([
      ['su app', true, 'root'],
      ['/opt/app/run --foreground', false, 'app'],
    ]);
    expect(e.hops[1]?.note).toBe('the main process, a child of su (run by a shell)');
  });

  test('silent twin: exec gosu (which execs) keeps one PID and adds no child hop', async () => {
    const { e } = await explain({ Dockerfile: IMAGE('["appd"]'), 'entrypoint.sh': '#!/bin/sh\nexec gosu app "$@"\n' });
    expect(e.hops.map((h) => [h.process, h.pid1, h.user])).toEqual([
      ['entrypoint.sh appd', true, 'root'],
      ['exec gosu app "$@"', true, 'app'],
      ['appd', true, 'app'],
    ]);
  });
});

describe('supervisord: the programs of its configuration, when the build provides it', () => {
  const CONF = '[supervisord]\nnodaemon=true ; stay in the foreground\n\n[program:web]\ncommand=/usr/sbin/nginx -g "daemon off;"\nuser=www-data\n\n[program:worker]\ncommand=/opt/app/bin/worker\n  --queue default\n\n[program:cron]\ncommand=/usr/sbin/cron -f\nautostart=false\n';

  test('a drop-in copied to /etc/supervisor/conf.d/: the package main file includes it; each program is a child, as its user=', async () => {
    const { e, json } = await explain({
      Dockerfile: 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y supervisor nginx\nCOPY app.conf /etc/supervisor/conf.d/app.conf\nCMD ["/usr/bin/supervisord", "-n"]\n',
      'app.conf': CONF,
    });
    expect(e.hops.map((h) => [h.process, h.pid1, h.user, h.at])).toEqual([
      ['/usr/bin/supervisord -n', true, 'root', 'Dockerfile:4'],
      ['/usr/sbin/nginx -g "daemon off;"', false, 'www-data', 'app.conf:5'],
      ['/opt/app/bin/worker --queue default', false, 'root', 'app.conf:9'],
    ]);
    expect(e.hops[0]?.note).toBe("supervisor: starts the programs of app.conf (the package's /etc/supervisor/supervisord.conf, which includes /etc/supervisor/conf.d/*.conf) as its children");
    expect(e.hops[1]?.note).toBe('[program:web] of supervisord, its child (user=www-data)');
    expect(json.hops[0]?.programs).toEqual([
      { name: 'web', user: 'www-data', at: 'app.conf:5' },
      { name: 'worker', user: 'root', at: 'app.conf:9' },
    ]);
    expect(e.summary).toBe('PID 1: /usr/bin/supervisord -n (root) -> /usr/sbin/nginx -g "daemon off;" (child, user www-data) -> /opt/app/bin/worker --queue default (child, user root)');
  });

  test('-c names the file; [supervisord] user= is what supervisord and the programs without user= run as; %(program_name)s and %(ENV_X)s are expanded', async () => {
    const { e } = await explain({
      Dockerfile: 'FROM debian:12-slim\nENV APP_PORT=8080\nCOPY conf/ /etc/app/\nCMD ["supervisord", "-c", "/etc/app/supervisord.conf"]\n',
      'conf/supervisord.conf': '[supervisord]\nuser=app\n\n[program:api]\ncommand=/opt/%(program_name)s/run --port %(ENV_APP_PORT)s\n',
    });
    expect(e.hops.map((h) => [h.process, h.pid1, h.user])).toEqual([
      ['supervisord -c /etc/app/supervisord.conf', true, 'root'],
      ['/opt/api/run --port 8080', false, 'app'],
    ]);
    expect(e.hops[0]?.note).toContain('(-c /etc/app/supervisord.conf) as its children; it switches to app itself ([supervisord] user=)');
  });

  test('[supervisord] user=root under a root start is no switch, and is not said to be one', async () => {
    const { e } = await explain({
      Dockerfile: 'FROM debian:12-slim\nCOPY supervisord.conf /etc/supervisor/supervisord.conf\nCMD ["supervisord", "-c", "/etc/supervisor/supervisord.conf"]\n',
      'supervisord.conf': '[supervisord]\nuser=root\nnodaemon=true\n\n[program:mail]\ncommand=/usr/local/bin/start-mail.sh\n',
    });
    expect(e.hops[0]?.note).toBe('supervisor: starts the programs of supervisord.conf (-c /etc/supervisor/supervisord.conf) as its children');
    expect(e.hops[1]).toMatchObject({ process: '/usr/local/bin/start-mail.sh', user: 'root', pid1: false });
  });

  test('supervisord started as a non-root user cannot switch to a program\'s user=', async () => {
    const { e } = await explain({
      Dockerfile: 'FROM debian:12-slim\nCOPY app.conf /etc/supervisor/conf.d/app.conf\nUSER 1000\nCMD ["/usr/bin/supervisord", "-n"]\n',
      'app.conf': CONF,
    });
    expect(e.hops[1]).toMatchObject({ user: '1000', note: '[program:web] of supervisord, its child (user=www-data); supervisord is not root, so it cannot switch to www-data: the program fails to start' });
    expect(e.hops[2]).toMatchObject({ user: '1000' });
  });

  test('silent twin: a configuration the build does not provide says that supervisord\'s programs are not known', async () => {
    const { e } = await explain({ Dockerfile: 'FROM debian:12-slim\nRUN apt-get update && apt-get install -y supervisor\nCMD ["/usr/bin/supervisord", "-n", "-c", "/etc/supervisor/supervisord.conf"]\n' });
    expect(e.hops).toEqual([
      expect.objectContaining({ process: '/usr/bin/supervisord -n -c /etc/supervisor/supervisord.conf', pid1: true, user: 'root', note: "supervisord starts the programs of its configuration, which is not in the build context: supervisord's programs are not known" }),
    ]);
  });
});

describe('the supervisord configuration reader', () => {
  test('sections, key = value and key: value, comment lines, inline comments only after whitespace, continuation lines', () => {
    const s = readIni('; top comment\n[program:a]\ncommand = sh -c "x;y" ; the inline comment\nuser: app\n# another comment\nenvironment=A="1",\n  B="2"\n');
    expect(s.map((x) => x.name)).toEqual(['program:a']);
    const keys = s[0]?.keys;
    expect(keys?.get('command')).toEqual({ value: 'sh -c "x;y"', line: 3 });
    expect(keys?.get('user')?.value).toBe('app');
    expect(keys?.get('environment')?.value).toBe('A="1",\nB="2"');
  });

  test('options: -c, --configuration=, -cFILE, -u; a value not known leaves the file unknown', () => {
    expect(supervisordOptions(['-n', '-c', '/a.conf'])).toEqual({ config: '/a.conf', user: null, unknown: false });
    expect(supervisordOptions(['--configuration=/b.conf', '-u', 'app'])).toEqual({ config: '/b.conf', user: 'app', unknown: false });
    expect(supervisordOptions(['-c/c.conf'])).toMatchObject({ config: '/c.conf' });
    const image = { read: () => ({ text: '', display: 'x' }), list: () => [], workdir: '/', env: new Map() };
    expect(supervisorConfig(['-c', null], image)).toBeNull();
  });

  test('[include] files are read in sorted order, relative to the main file; a later program section of the same name wins; a folder not known is said so', () => {
    const files: Record<string, string> = {
      '/etc/s/main.conf': '[include]\nfiles = conf.d/*.conf /srv/extra/*.conf\n',
      '/etc/s/conf.d/b.conf': '[program:x]\ncommand=/bin/second\n',
      '/etc/s/conf.d/a.conf': '[program:x]\ncommand=/bin/first\n[program:y]\ncommand=/bin/y\n',
    };
    const image = {
      read: (p: string) => (files[p] !== undefined ? { text: files[p] as string, display: p.slice(1) } : null),
      list: (d: string) => (d === '/etc/s/conf.d' ? ['/etc/s/conf.d/b.conf', '/etc/s/conf.d/a.conf', '/etc/s/conf.d/notes.txt'] : null),
      workdir: '/',
      env: new Map<string, string | null>(),
    };
    const c = supervisorConfig(['-c', '/etc/s/main.conf'], image);
    expect(c?.files).toEqual(['etc/s/main.conf', 'etc/s/conf.d/a.conf', 'etc/s/conf.d/b.conf']);
    expect(c?.programs.map((p) => [p.name, p.command])).toEqual([
      ['x', '/bin/second'],
      ['y', '/bin/y'],
    ]);
    expect(c?.unknownIncludes).toEqual(['/srv/extra/*.conf']);
  });
});

describe('[[ ... && ( ... ) ]]: a group inside a bash test is evaluated', () => {
  const SCRIPT = (cond: string): string => `#!/bin/bash\nif [[ ${cond} ]]; then\n  exec gosu app "$@"\nfi\nexec "$@"\n`;

  test('[[ "$1" = appd && ($# = 1 || "$2" = run) ]] is decided for the CMD: the default run steps down, the user command does not', async () => {
    const { e } = await explain({ Dockerfile: IMAGE('["appd"]'), 'entrypoint.sh': SCRIPT('"$1" = appd && ($# = 1 || "$2" = run)') });
    expect(e.summary).toBe('PID 1: entrypoint.sh appd (root) -> exec gosu app "$@" (same PID, user app) -> appd (same PID, user app)');
    expect(e.hops[1]?.why).toEqual(['$1 = appd && ( $# = 1 || $2 = run ) (from CMD)']);
    expect(e.otherPaths).toBe(0);
    expect(e.userCommand?.summary).toBe('PID 1: entrypoint.sh <command> (root) -> exec "$@" (same PID, user root) -> <command> (same PID, user root)');
  });

  test('silent twins: a group with a file test stays undecided, and a regex with parentheses is not read as a group', async () => {
    const file = await explain({ Dockerfile: IMAGE('["appd"]'), 'entrypoint.sh': SCRIPT('"$1" = appd && ( -f /data/x || "$2" = run )') });
    expect(file.e.otherPaths).toBe(1);
    // The parentheses are the expression's group: it is matched against CMD's word, not run as a subshell.
    const regex = await explain({ Dockerfile: IMAGE('["appd"]'), 'entrypoint.sh': SCRIPT('$1 =~ ^(appd|other)$') });
    expect(regex.e.otherPaths).toBe(0);
    expect(regex.e.hops[1]?.why).toEqual(['$1 =~ ^(appd|other)$ (from CMD)']);
    const other = await explain({ Dockerfile: IMAGE('["appd"]'), 'entrypoint.sh': SCRIPT('$1 =~ ^(app|other)$') });
    expect(other.e.hops[1]?.why).toEqual(['not $1 =~ ^(app|other)$ (from CMD)']);
  });
});

describe('a script that stays in an endless loop', () => {
  test('daemons in the background, then while true; do sleep 1000; done: the shell stays PID 1 in the loop, with the daemons as its children', async () => {
    const { e, json } = await explain({
      Dockerfile: IMAGE('["-d"]'),
      'entrypoint.sh': '#!/bin/bash\n/opt/hadoop/sbin/start-dfs.sh\nnamenode --foreground &\nif [[ $1 == "-d" ]]; then\n  while true; do sleep 1000; done\nfi\nexec "$@"\n',
    });
    expect(e.hops.map((h) => [h.process, h.pid1, h.user, h.at])).toEqual([
      ['entrypoint.sh -d', true, 'root', 'Dockerfile:3'],
      ['while true; do sleep 1000; done', true, 'root', 'entrypoint.sh:5'],
      ['namenode --foreground &', false, 'root', 'entrypoint.sh:3'],
    ]);
    expect(e.hops[1]?.note).toBe(
      'a loop that never ends: the shell stays PID 1 in it, and the container runs as long, running sleep 1000 (entrypoint.sh:5) as its child each time round; its background children: namenode --foreground as root; no TERM trap: the shell is PID 1, so SIGTERM is dropped and not forwarded; `docker stop` kills everything after its timeout',
    );
    expect(e.hops[1]?.why).toEqual(['$1 == -d (from CMD)']);
    expect(json.hops[1]?.waits).toEqual([{ process: 'namenode --foreground &', user: 'root', at: 'entrypoint.sh:3' }]);
  });

  test('silent twin: a loop that breaks out when a file appears is not endless; the exec after it is the default run', async () => {
    const { e } = await explain({ Dockerfile: IMAGE(), 'entrypoint.sh': '#!/bin/sh\nwhile true; do\n  if [ -f /run/ready ]; then break; fi\n  sleep 1\ndone\nexec "$@"\n' });
    expect(e.hops.map((h) => h.process)).toEqual(['entrypoint.sh server', 'exec "$@"', 'server']);
  });
});


describe('a Dockerfile that leaves the command to its base image', () => {
  test('the header still names the Dockerfile, in the text and the JSON', async () => {
    const { text, json } = await explainContext({ Dockerfile: 'FROM alpine:3.20\nUSER nobody\n' }, shell);
    expect(text.split('\n')[0]).toBe('Dockerfile (stage 1 of 1, FROM alpine:3.20)');
    expect(json.dockerfile).toBe('Dockerfile');
    // alpine's own CMD, its shell, is what runs.
    expect(text).toContain('PID 1: /bin/sh (nobody)\n');
  });
});

describe('a user switch given a user and no command', () => {
  const ENTRY = '#!/bin/sh\nrun_as=""\nif [ "$(id -u)" = 0 ]; then\n  run_as="gosu tool"\nfi\nexec $run_as "$@"\n';
  const NO_CMD = 'FROM debian:12-slim\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\n';

  test('no CMD: gosu prints its usage and exits; the default run has no main process, and the user is not called root by gosu', async () => {
    const { e, text } = await explain({ Dockerfile: NO_CMD, 'entrypoint.sh': ENTRY });
    expect(e.hops.map((h) => [h.process, h.pid1, h.user])).toEqual([
      ['entrypoint.sh', true, 'root'],
      ['exec $run_as "$@"', true, 'root'],
    ]);
    expect(e.hops[1]?.note).toBe('same PID: gosu is given no command (only the user tool): it prints its usage and exits without switching, and the container stops; there is no main process on this run (the image is meant to be given a command)');
    expect(text).not.toContain('switches to root itself');
    // The user's command is handed to gosu, which runs it as tool.
    expect(e.userCommand?.hops.map((h) => [h.process, h.user])).toEqual([
      ['entrypoint.sh <command>', 'root'],
      ['exec $run_as "$@"', 'tool'],
      ['<command>', 'tool'],
    ]);
  });

  test('twin with a CMD: gosu runs it as tool', async () => {
    const { e } = await explain({ Dockerfile: `${NO_CMD}CMD ["tool-server"]\n`, 'entrypoint.sh': ENTRY });
    expect(e.hops.map((h) => [h.process, h.user])).toEqual([
      ['entrypoint.sh tool-server', 'root'],
      ['exec $run_as "$@"', 'tool'],
      ['tool-server', 'tool'],
    ]);
    expect(e.hops[1]?.note).toBe('same PID, user tool');
  });

  test('ENTRYPOINT ["gosu", "tool"] alone: the switch hop itself says it gets no command', async () => {
    const { e } = await explain({ Dockerfile: 'FROM debian:12-slim\nENTRYPOINT ["gosu", "tool"]\n' });
    expect(e.hops.map((h) => [h.process, h.user])).toEqual([['gosu tool', 'root']]);
    expect(e.hops[0]?.note).toContain('gosu is given no command (only the user tool): it prints its usage and exits');
  });
});
