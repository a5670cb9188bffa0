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
});
