/**
 * `dockerlint explain` on shapes where what runs was misnamed: a shell ENTRYPOINT given the
 * user's command as its script file, `nice` with its options, a TERM trap written in double
 * quotes around a pid only known at run time, and a plain OS base image's CMD when no stage sets
 * ENTRYPOINT or CMD. Checked in the text and the JSON.
 */
import { explainContext, removeContexts, type Explained } from './explain-harness.js';
import { ShellService } from '../src/model/shell-service.js';

const shell = new ShellService();
afterAll(removeContexts);

function explain(files: Record<string, string>): Promise<Explained> {
  return explainContext(files, shell);
}

function hops(h: { process: string; user: string; pid1: boolean }[]): string[] {
  return h.map((x) => `${x.process} [${x.user}${x.pid1 ? ', PID 1' : ''}]`);
}

describe('a shell ENTRYPOINT and the user\'s command', () => {
  test('`ENTRYPOINT ["/bin/bash"]` with a script as CMD: bash takes the user\'s command as a script file to read, and fails', async () => {
    const x = await explain({
      Dockerfile: 'FROM debian:12-slim\nCOPY docker-entrypoint.sh /\nENTRYPOINT ["/bin/bash"]\nCMD ["/docker-entrypoint.sh"]\n',
      'docker-entrypoint.sh': '#!/bin/bash\nexec /usr/bin/server\n',
    });
    const u = x.e.userCommand;
    expect(hops(u?.hops ?? [])).toEqual(['/bin/bash <command> [root, PID 1]']);
    expect(u?.hops[0]?.note).toBe(
      "bash takes the user's command as the name of a script file to read, not as a program to run (`docker run IMAGE sh` has it read a file named sh, the /bin/sh program or no file at all): it fails, and the command is not run",
    );
    expect(x.text).not.toContain('\u0000');
    // CMD's script is read and followed, as before.
    expect(x.e.hops.map((h) => h.process)).toEqual(['/bin/bash /docker-entrypoint.sh', 'exec /usr/bin/server', '/usr/bin/server']);
  });
});

describe('nice with its options', () => {
  test('`exec nice -n "$NICENESS" java ...`: the program is java, not the option', async () => {
    const x = await explain({
      Dockerfile: 'FROM eclipse-temurin:21-jre\nCOPY start.sh /usr/local/bin/\nENTRYPOINT ["start.sh"]\n',
      'start.sh': '#!/bin/sh\nexec nice -n "${NICENESS:-0}" java -jar /opt/app/app.jar\n',
    });
    expect(x.e.hops[2]?.process).toBe('java -jar /opt/app/app.jar');
  });

  test('`exec nice java ...` with no option, as before', async () => {
    const x = await explain({
      Dockerfile: 'FROM eclipse-temurin:21-jre\nCOPY start.sh /usr/local/bin/\nENTRYPOINT ["start.sh"]\n',
      'start.sh': '#!/bin/sh\nexec nice java -jar /opt/app/app.jar\n',
    });
    expect(x.e.hops[2]?.process).toBe('java -jar /opt/app/app.jar');
  });
});

describe('a TERM trap in double quotes', () => {
  const SCRIPT = (trap: string): string => `#!/bin/bash\nrun() {\n  "$@" &\n  pid="$!"\n  ${trap}\n  wait\n}\nrun /opt/app/bin/server\n`;
  test('`trap "kill -TERM $pid" TERM` with the pid of `$!`: the action as written kills the child, so SIGTERM is forwarded', async () => {
    const x = await explain({ Dockerfile: 'FROM debian:12-slim\nCOPY start.sh /usr/local/bin/\nENTRYPOINT ["start.sh"]\n', 'start.sh': SCRIPT('trap "echo stopping $pid; kill -SIGTERM $pid" SIGINT SIGTERM') });
    expect(x.e.hops[1]?.signals).toEqual({ trap: 'start.sh:5', action: 'echo stopping $pid; kill -SIGTERM $pid', forwards: true });
    expect(x.e.hops[1]?.note).toContain("SIGTERM is forwarded: the TERM trap at start.sh:5 runs 'echo stopping $pid; kill -SIGTERM $pid', which signals the children");
  });

  test('a double-quoted action that kills nothing is still no forwarding', async () => {
    const x = await explain({ Dockerfile: 'FROM debian:12-slim\nCOPY start.sh /usr/local/bin/\nENTRYPOINT ["start.sh"]\n', 'start.sh': SCRIPT('trap "echo stopping $pid" SIGTERM') });
    expect(x.e.hops[1]?.signals).toEqual({ trap: 'start.sh:5', action: 'echo stopping $pid', forwards: false });
  });
});

describe('no ENTRYPOINT or CMD on a plain OS image', () => {
  test('alpine: its CMD /bin/sh is PID 1 on the default run, and the user\'s command replaces it', async () => {
    const x = await explain({ Dockerfile: 'FROM golang:1.22 AS build\nRUN go build -o /nsqd ./nsqd\nFROM alpine:3.20\nCOPY --from=build /nsqd /nsqd\n' });
    expect(hops(x.e.hops)).toEqual(['/bin/sh [root, PID 1]']);
    expect(x.e.hops[0]?.at).toBe('Dockerfile:3');
    expect(x.e.hops[0]?.note).toBe('the CMD of `alpine:3.20` (no stage sets ENTRYPOINT or CMD): an interactive shell as PID 1, which exits at once without a terminal (`docker run -it` keeps it); the image is meant to be given a command');
    expect(hops(x.e.userCommand?.hops ?? [])).toEqual(['<command> [root, PID 1]']);
    expect(x.e.userCommand?.summary).toBe('PID 1: <command> (root)');
  });

  test('an image dockerlint does not know: the base image still decides', async () => {
    const x = await explain({ Dockerfile: 'FROM registry.example.com/tools:1\nCOPY app /app\n', app: '' });
    expect(x.e.hops).toEqual([]);
    expect(x.e.summary).toBe('No ENTRYPOINT or CMD: the base image decides what runs.');
  });
});

describe('a background child written as expansions', () => {
  const SCRIPT = (job: string): string => `#!/bin/bash\ntrapper() {\n  ${job}\n  pid="$!"\n  trap 'kill -TERM $pid' TERM\n  wait\n}\ntrapper /opt/app/load-and-execute.sh "$@"\n`;
  test('`"$@" &` in a function given the program: the child\'s note says what it runs', async () => {
    const x = await explain({ Dockerfile: 'FROM debian:12-slim\nCOPY run.sh /usr/local/bin/\nENTRYPOINT ["run.sh"]\n', 'run.sh': SCRIPT('"$@" &') });
    expect(x.e.hops[2]?.process).toBe('"$@" &');
    expect(x.e.hops[2]?.note).toBe('background child of the shell; it runs /opt/app/load-and-execute.sh');
  });

  test('a child written as its program: the note is as before', async () => {
    const x = await explain({ Dockerfile: 'FROM debian:12-slim\nCOPY run.sh /usr/local/bin/\nENTRYPOINT ["run.sh"]\n', 'run.sh': SCRIPT('/opt/app/load-and-execute.sh &') });
    expect(x.e.hops[2]?.note).toBe('background child of the shell');
  });
});

describe('a TERM trap that sends another signal', () => {
  const SCRIPT = (trap: string): string => `#!/bin/bash\n/opt/app/bin/server &\nPID=$!\n${trap}\nwait\n`;
  const IMAGE = 'FROM debian:12-slim\nCOPY start.sh /usr/local/bin/\nENTRYPOINT ["start.sh"]\n';
  test('`trap "kill -USR1 $PID" INT TERM`: SIGTERM is not passed on as such, the children get SIGUSR1', async () => {
    const x = await explain({ Dockerfile: IMAGE, 'start.sh': SCRIPT('trap "kill -USR1 $PID" INT TERM') });
    expect(x.e.hops[1]?.note).toContain("SIGTERM is not passed on as such: the TERM trap at start.sh:4 runs 'kill -USR1 $PID', which sends SIGUSR1 to the children instead");
    const y = await explain({ Dockerfile: IMAGE, 'start.sh': SCRIPT("trap 'kill -s INT $PID' TERM") });
    expect(y.e.hops[1]?.note).toContain('which sends SIGINT to the children instead');
  });

  test('`kill $PID` or `kill -TERM $PID`: SIGTERM is forwarded, as before', async () => {
    for (const trap of ["trap 'kill $PID' TERM", 'trap "kill -TERM $PID" TERM', "trap 'kill -SIGTERM $PID' TERM"]) {
      const x = await explain({ Dockerfile: IMAGE, 'start.sh': SCRIPT(trap) });
      expect(x.e.hops[1]?.note).toContain('SIGTERM is forwarded: the TERM trap at start.sh:4 runs');
    }
  });
});
