/**
 * A script run that never reads who it runs as is shared between the invocations that run it as
 * different users (the non-root run and the default run's hops as a non-root user): forUser must
 * give exactly the run a fresh evaluation as the other user gives, and readsUser must say when
 * the run asked (`id -u`, `whoami`, `$EUID`), where it may not be shared.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchOf } from '../../../src/engine.js';
import { forUser, interpret, readsUser, type Host, type ScriptRun } from '../../../src/model/evaluator/interpreter.js';
import { mainProcesses } from '../../../src/model/evaluator/questions.js';
import type { ScriptFile, Var } from '../../../src/model/evaluator/state.js';
import { lit, sameUser, showArgv, showUser, userFromSpec, type UserValue } from '../../../src/model/evaluator/values.js';
import { ShellService } from '../../../src/model/shell-service.js';
import { loadShellParser, type ShellParser } from '../../../src/parsers/shell.js';

let parser: ShellParser;
beforeAll(async () => {
  parser = await loadShellParser();
});

/** Runs `src` as each user with the same file, host and environment objects, so runs compare with toEqual. */
function runAs(src: string, users: UserValue[], env: Record<string, string> = {}): ScriptRun[] {
  const dialect = src.startsWith('#!/bin/bash') ? 'bash' : 'posix';
  const parsed = parser.parse(src, dialect);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const file: ScriptFile = { path: 'entrypoint.sh', text: src, spanOf: (p, e) => ({ line: p[0], column: p[1], endLine: e[0], endColumn: e[1] }) };
  const lib = '#!/bin/sh\nlog() { echo "$*"; }\nAPP_LIB=1\n';
  const libParsed = parser.parse(lib, dialect);
  if (!libParsed.ok) throw new Error(libParsed.error.message);
  const libFile: ScriptFile = { ...file, path: '/lib.sh', text: lib };
  const host: Host = {
    bash: dialect === 'bash',
    parse: (text) => {
      const r = parser.parse(text, dialect);
      return r.ok ? r.file : null;
    },
    source: (p) => (p === '/lib.sh' ? { ast: libParsed.file, file: libFile } : null),
    glob: () => null,
  };
  const vars = new Map<string, Var>(Object.entries(env).map(([k, v]) => [k, { kind: 'scalar', value: lit(v) }]));
  const arg0 = lit('/usr/local/bin/entrypoint.sh');
  const params = [{ s: 'server', arg: 0 }];
  return users.map((user) => interpret({ file, ast: parsed.file, arg0, params, user, vars, argLabel: (i) => `from CMD, word ${i + 1}` }, host));
}

/**
 * A run as plain data: a function (a file's spanOf, which an `eval`'d text gets per run) as what
 * it answers, so two runs compare by what they say.
 */
function plain(x: unknown): unknown {
  if (typeof x === 'function') return { spanOf: (x as ScriptFile['spanOf'])([1, 1, 0], [2, 1, 5]) };
  if (Array.isArray(x)) return x.map(plain);
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)]));
  return x;
}

const app = userFromSpec('app', 'gosu app');
const uid1000 = userFromSpec('1000', '--user 1000');
const root = userFromSpec('root', 'no USER');

/** Scripts that never ask who runs them: functions, case, loops, sourcing, eval, subshells, traps. */
const USER_BLIND = [
  '#!/bin/sh\nset -e\nexec "$@"\n',
  '#!/bin/sh\n. /lib.sh\nlog starting\ncase "$1" in\n  server) shift; set -- /opt/app/bin/server --port 80 "$@" ;;\n  -*) set -- server "$@" ;;\nesac\nexec "$@"\n',
  '#!/bin/bash\nset -Eeuo pipefail\nfile_env() { local var="$1"; local def="${2:-}"; local val="$def"; if [ "${!var:-}" ]; then val="${!var}"; fi; export "$var"="$val"; }\nfile_env DB_PASSWORD secret\nfor d in /data /logs; do mkdir -p "$d"; chown app "$d"; done\nif [ -n "${DEBUG:-}" ]; then set -x; fi\nexec gosu app "$@"\n',
  '#!/bin/sh\ntrap "echo bye" TERM\n( cd /tmp && ls )\ncmd="exec $1"\neval "$cmd"\n',
  '#!/bin/sh\nif [ "$1" = server ]; then\n  /opt/app/migrate || exit 1\n  su-exec app "$@" &\n  wait\nfi\nexit 0\n',
  // Background jobs (each recorded with the user that started it), a TERM trap and a wait.
  // A keep-alive loop: the shell never leaves it.
  '#!/bin/sh\n/opt/app/start --daemon\nwhile true; do sleep 60; done\n',
  '#!/bin/sh\n_term() { kill -TERM "$child"; }\ntrap _term TERM\nworker() { /opt/app/worker --queue jobs; }\nworker &\n"$@" &\nchild=$!\nwait "$child"\n',
];

/** Scripts that do ask. */
const USER_AWARE = [
  '#!/bin/sh\nif [ "$(id -u)" = 0 ]; then exec gosu app "$0" "$@"; fi\nexec "$@"\n',
  '#!/bin/sh\nme=$(whoami)\necho "$me"\nexec "$@"\n',
  '#!/bin/bash\nif [ "$EUID" -ne 0 ]; then echo not root; fi\nexec "$@"\n',
  '#!/bin/sh\nuid=$(id -u)\nexec chpst -u "$uid" "$@"\n',
];

describe('runs shared between users', () => {
  test.each(USER_BLIND.map((s, i) => [i, s]))('script %i does not read its user, and forUser gives the fresh run as another user', (_i, src) => {
    const [asApp, as1000, asRoot] = runAs(src as string, [app, uid1000, root]) as [ScriptRun, ScriptRun, ScriptRun];
    expect(readsUser(asApp)).toBe(false);
    expect(readsUser(as1000)).toBe(false);
    expect(plain(forUser(asApp, uid1000))).toEqual(plain(as1000));
    // Root has another HOME unless ENV sets one: with HOME from ENV the environments agree.
    const [withHome, withHomeRoot] = runAs(src as string, [app, root], { HOME: '/home/app' }) as [ScriptRun, ScriptRun];
    expect(plain(forUser(withHome, root))).toEqual(plain(withHomeRoot));
    expect(asRoot.endings.every((e) => sameUser(e.user, root))).toBe(true);
    // The original run keeps its own user; the copy holds the other one wherever the run held a user.
    expect(asApp.endings.every((e) => sameUser(e.user, app))).toBe(true);
    expect(asApp.commands.every((c) => c.users.every((u) => sameUser(u, app)))).toBe(true);
    const copy = forUser(asApp, uid1000);
    expect(copy.endings.every((e) => e.user === uid1000)).toBe(true);
    expect(copy.commands.every((c) => c.users.every((u) => u === uid1000))).toBe(true);
    for (const e of copy.endings) for (const j of e.waited?.jobs ?? []) expect([j.user, ...j.cmds.map((c) => c.user)].every((u) => u === uid1000)).toBe(true);
  });

  test.each(USER_AWARE.map((s, i) => [i, s]))('script %i reads its user, and is not shared', (_i, src) => {
    const [asApp, as1000] = runAs(src as string, [app, uid1000]) as [ScriptRun, ScriptRun];
    expect(readsUser(asApp)).toBe(true);
    expect(readsUser(as1000)).toBe(true);
    expect(() => forUser(asApp, uid1000)).toThrow('reads its user');
  });

  test('through the launch: the non-root run of a script that does not read its user is the run as 1000', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-shared-'));
    try {
      fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM debian:12-slim\nCOPY entrypoint.sh /usr/local/bin/\nUSER app\nENTRYPOINT ["entrypoint.sh"]\nCMD ["server"]\n');
      fs.writeFileSync(path.join(dir, 'entrypoint.sh'), '#!/bin/sh\nset -e\nif [ "$1" = server ]; then set -- /opt/app/bin/server "$@"; fi\nexec "$@"\n', { mode: 0o755 });
      const prepared = await launchOf({ path: path.join(dir, 'Dockerfile') }, { cwd: dir, shell: new ShellService() });
      if (Array.isArray(prepared)) throw new Error('no launch');
      const runs = { default: prepared.launch.runs.default, 'non-root': await prepared.launch.nonRoot() };
      expect(await prepared.launch.nonRoot()).toBe(runs['non-root']);
      const mains = (kind: 'default' | 'non-root'): string[] => mainProcesses(runs[kind]).map((m) => `${showArgv(m.hop.argv)} [${showUser(m.user)}]`);
      expect(mains('default')).toEqual(['/opt/app/bin/server server [app]']);
      expect(mains('non-root')).toEqual(['/opt/app/bin/server server [1000]']);
      const hop = (kind: 'default' | 'non-root') => runs[kind].chains[0]?.hops.find((h) => h.kind === 'script');
      const def = hop('default');
      const nonRoot = hop('non-root');
      if (def?.kind !== 'script' || nonRoot?.kind !== 'script' || !def.run || !nonRoot.run) throw new Error('no script hop');
      expect(nonRoot.run).not.toBe(def.run);
      expect(nonRoot.run.endings.map((e) => showUser(e.user))).toEqual(['1000']);
      expect(def.run.endings.map((e) => showUser(e.user))).toEqual(['app']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
