/**
 * `dockerlint explain` where an entrypoint tests the same variable twice and the first test
 * cannot be decided (the variable comes from a settings file that is only there at run time): the
 * default run is a path the script can take, not one that goes both ways of the same question.
 */
import { explainAndLint, removeContexts, type Explained } from './explain-harness.js';
import { ShellService } from '../src/model/shell-service.js';
import { setup } from './model/evaluator/harness.js';

const shell = new ShellService();
beforeAll(setup);
afterAll(removeContexts);

function explain(files: Record<string, string>): Promise<Explained & { rules: string[] }> {
  return explainAndLint(files, shell);
}

const IMAGE = 'FROM debian:12-slim\nRUN useradd -r app\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\nCMD ["connect-worker"]\n';

/** A default given where the variable is empty, then a second test of it. */
const SCRIPT = (second: string): string =>
  `#!/bin/bash\nset -e\n. /etc/worker/env.sh\nif [ -z "$PLUGIN_PATH" ]; then\n  echo "PLUGIN_PATH not set, using /usr/share/java" >&2\n  export PLUGIN_PATH=/usr/share/java\nfi\n${second}\nexec gosu app "$@"\n`;

describe('a variable tested again after a default for its empty way', () => {
  test('`[ -z ]` again: the standalone branch cannot run, so the default run is the worker, with no other path', async () => {
    const { e, rules } = await explain({
      Dockerfile: IMAGE,
      'entrypoint.sh': SCRIPT('if [ -z "$PLUGIN_PATH" ]; then\n  exec gosu app connect-standalone\nfi'),
    });
    expect(e.hops.map((h) => [h.process, h.user])).toEqual([
      ['entrypoint.sh connect-worker', 'root'],
      ['exec gosu app "$@"', 'app'],
      ['connect-worker', 'app'],
    ]);
    expect(e.otherPaths).toBe(0);
    expect(rules).toEqual(['input-error']); // the settings file it cannot follow
  });

  test('`case "${PLUGIN_PATH:-}" in "")` again: the same', async () => {
    const { e } = await explain({
      Dockerfile: IMAGE,
      'entrypoint.sh': SCRIPT('case "${PLUGIN_PATH:-}" in\n  "") exec gosu app connect-standalone ;;\nesac'),
    });
    expect(e.hops.map((h) => h.process)).toEqual(['entrypoint.sh connect-worker', 'exec gosu app "$@"', 'connect-worker']);
    expect(e.otherPaths).toBe(0);
  });

  test('twin: a second test of another variable still goes both ways, and explain says so', async () => {
    const { e } = await explain({
      Dockerfile: IMAGE,
      'entrypoint.sh': SCRIPT('if [ -z "$WORKER_ID" ]; then\n  exec gosu app connect-standalone\nfi'),
    });
    expect(e.hops.map((h) => h.process)).toEqual(['entrypoint.sh connect-worker', 'exec gosu app connect-standalone', 'connect-standalone']);
    expect(e.otherPaths).toBe(1);
  });
});
