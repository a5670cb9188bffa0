/**
 * `dockerlint explain --format json` carries what the text shows: the default run and the
 * user-command run, each hop with its user, whether it is PID 1, its place and the conditions
 * that chose its branch, and how many other paths there are. One behaviour per test.
 */
import path from 'node:path';
import { FIXTURES } from './fixture-format.js';
import { runCli } from './helpers.js';

interface JsonHop {
  process: string;
  user: string;
  pid1: boolean;
  at: string;
  why: string[];
}
interface JsonRun {
  argv: string[];
  hops: JsonHop[];
  otherPaths: number;
}
interface JsonExplanation extends JsonRun {
  startUser: string;
  userCommand: (JsonRun & { run: string; incomplete: string | null }) | null;
}

async function explainJson(rel: string): Promise<JsonExplanation> {
  const { code, out, err } = await runCli(['explain', 'Dockerfile', '--format', 'json'], { cwd: path.join(FIXTURES, rel) });
  expect({ code, err }).toEqual({ code: 0, err: '' });
  return JSON.parse(out) as JsonExplanation;
}

const brief = (hops: JsonHop[]): string[] => hops.map((h) => `${h.process} [${h.user}${h.pid1 ? ', PID 1' : ''}] @${h.at}`);

describe('explain --format json', () => {
  test('the default run: the redis pattern steps down to redis on the same PID, each hop with its place', async () => {
    const e = await explainJson('root-process/good-redis-gosu');
    expect(e.argv).toEqual(['docker-entrypoint.sh', 'redis-server']);
    expect(e.startUser).toBe('root');
    expect(brief(e.hops)).toEqual([
      'docker-entrypoint.sh redis-server [root, PID 1] @Dockerfile:13',
      'exec gosu redis "$0" "$@" [redis, PID 1] @docker-entrypoint.sh:13',
      'exec "$@" [redis, PID 1] @docker-entrypoint.sh:22',
      'redis-server [redis, PID 1] @Dockerfile:15',
    ]);
    expect(e.otherPaths).toBe(0);
  });

  test('the default run: the hop that steps down says which conditions chose it, from CMD and the start user', async () => {
    const e = await explainJson('root-process/good-redis-gosu');
    const gosu = e.hops.find((h) => h.process.startsWith('exec gosu'));
    expect(gosu?.why).toContain('$1 = redis-server && $(id -u) = 0 (from CMD)');
  });

  test('the user-command run: the same script hands `<command>` over as root, and says why the step-down branch is not taken', async () => {
    const e = await explainJson('root-process/good-redis-gosu');
    expect(e.userCommand?.run).toBe('docker run IMAGE <command>');
    expect(e.userCommand?.argv).toEqual(['docker-entrypoint.sh', '<command>']);
    expect(brief(e.userCommand?.hops ?? [])).toEqual([
      'docker-entrypoint.sh <command> [root, PID 1] @Dockerfile:13',
      'exec "$@" [root, PID 1] @docker-entrypoint.sh:22',
      '<command> [root, PID 1] @Dockerfile:13',
    ]);
    expect(e.userCommand?.hops[1]?.why).toContain('not $1 = redis-server && $(id -u) = 0 (the user command)');
    expect(e.userCommand?.incomplete).toBeNull();
  });

  test("a subcommand chosen by CMD: the help branch's condition names the CMD word; the user command takes the fallback", async () => {
    const e = await explainJson('missing-exec-args/good-subcommand-help-exits');
    expect(e.argv).toEqual(['entrypoint.sh', 'help']);
    expect(e.hops[1]?.why).toEqual(['$1 matches help|--help (from CMD)']);
    expect(e.hops[1]?.pid1).toBe(false);
    expect(brief(e.userCommand?.hops ?? []).slice(1)).toEqual(['exec "$@" [1000, PID 1] @entrypoint.sh:8', '<command> [1000, PID 1] @Dockerfile:4']);
  });
});
