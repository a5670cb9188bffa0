/**
 * `id -g`: the start user's primary group. Root with no group given is group 0; `USER root:1000`
 * or `gosu app:1000` says the group; a named user's group comes from /etc/passwd and is unknown.
 * The shape is the vendor check `[ "$(id -u)" != 0 ] || [ "$(id -g)" != 0 ]` before a drop.
 */
import { endings, run, setup } from './harness.js';

beforeAll(setup);

const CHECK = '#!/bin/sh\nif [ "$(id -u)" != 0 ] || [ "$(id -g)" != 0 ]; then\n  exec app "$@"\nelse\n  exec su-exec "$PUID:$PGID" app "$@"\nfi\n';

describe('id -g from the start user', () => {
  test('root start (no USER): both tests are false, the drop branch is taken', () => {
    expect(endings(CHECK, { args: [], env: { PUID: '1000', PGID: '1000' } })).toEqual(['exec su-exec 1000:1000 app [root]@5']);
    const why = run(CHECK, { args: [], env: { PUID: '1000', PGID: '1000' } }).endings[0]?.why.map((d) => d.text);
    expect(why).toEqual(['not $(id -u) != 0 (no USER)', 'not $(id -g) != 0 (no USER)']);
  });
  test('USER root:1000: the group test is true', () => {
    expect(endings(CHECK, { args: [], user: 'root:1000' })).toEqual(['exec app [root]@3']);
  });
  test('USER app: the uid test alone decides', () => {
    expect(endings(CHECK, { args: [], user: 'app' })).toEqual(['exec app [app]@3']);
  });
  test('root with a group that is only a name: unknown, both branches', () => {
    expect(endings(CHECK, { args: [], user: 'root:staff', env: { PUID: '1', PGID: '1' } })).toEqual(['exec app [root]@3', 'exec su-exec 1:1 app [root]@5']);
  });
  test('a named user\'s own group is not guessed: id -g alone is unknown for `USER app`', () => {
    expect(endings('#!/bin/sh\nif [ "$(id -g)" = 0 ]; then exec a; fi\nexec b\n', { args: [], user: 'app' })).toEqual(['exec a [app]@2', 'exec b [app]@3']);
  });
});
