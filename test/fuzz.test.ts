/**
 * Property-based tests of the whole pipeline (`lintFile`): generated Dockerfiles (valid, nearly
 * valid, random text and bytes) and entrypoint scripts (valid-ish grammar, random), each written
 * into a build context where `COPY entrypoint.sh /usr/local/bin/` + `ENTRYPOINT ["entrypoint.sh"]`
 * reach the script. For every case:
 *   - nothing throws, and no finding is an "internal error" (a crash caught by the engine);
 *   - every finding's place lies in the file it names (1 <= line <= lines, column >= 1,
 *     endLine >= line), and so does each link of its evidence chain;
 *   - rule ids are RULES ids, input-error or syntax-error;
 *   - linting the same context twice gives identical output.
 *
 * `npm test` runs a fixed seed (FUZZ_SEED overrides it): 1,600 cases (two lints each), ~18 s on 2 cores.
 * `FUZZ_SECONDS=60 npm run fuzz` (scripts/fuzz.mjs) sets FUZZ_SECONDS: then every property runs in
 * batches with fresh seeds until its share of the time is up, printing each seed; a failure
 * prints `FUZZ_SEED=<seed>` (and fast-check's counterexample path) to replay it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { lintFile } from '../src/engine.js';
import type { Finding } from '../src/findings.js';
import { ShellService } from '../src/model/shell-service.js';
import { DIAGNOSTIC_IDS, RULES } from '../src/rules/index.js';

const shell = new ShellService();
const KNOWN_IDS = new Set<string>([...RULES.map((r) => r.id), ...DIAGNOSTIC_IDS]);

const FUZZ_SECONDS = Number(process.env.FUZZ_SECONDS ?? 0);
const FUZZ_MODE = FUZZ_SECONDS > 0;
const BASE_SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : FUZZ_MODE ? Date.now() % 2 ** 31 : 20240611;

// ---------------------------------------------------------------------------------------------
// Building blocks

const pick = <T>(...xs: T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);
const joinWords = (parts: fc.Arbitrary<string>[]): fc.Arbitrary<string> => fc.tuple(...parts).map((p) => p.filter((s) => s !== '').join(' '));

const varName = pick('APP', 'HOME', 'PATH', 'APP_USER', 'UID', 'VERSION', 'BASE', 'X', 'TARGETARCH');
const varRef = fc.tuple(varName, pick('$', '${', '${:-', '${:+', '${?'), pick('', 'dflt', 'a b')).map(([n, form, d]) =>
  form === '$' ? `$${n}` : form === '${' ? `\${${n}}` : `\${${n}${form.slice(2)}${d}}`,
);
const word = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-z][a-z0-9_.-]{0,8}$/) },
  { weight: 1, arbitrary: varRef },
  { weight: 1, arbitrary: pick('"quoted word"', "'single quoted'", 'a\\ b', '--flag=1', '-x', 'é', '日本', '*') },
);
const image = pick('alpine:3.20', 'debian:bookworm-slim', 'node:20', 'scratch', '${BASE}', '$BASE', 'busybox', 'redis:7', 'postgres:16', 'build', 'golang:1.22@sha256:abc', 'UPPER:Case');
const userSpec = pick('root', '0', 'nobody', 'app', '1000:1000', '${APP_USER}', 'app:app', '0:0', 'node', '$UID', 'redis');
const ctxPath = pick('/app', '/usr/local/bin/', '/usr/local/bin/entrypoint.sh', '/entrypoint.sh', '.', './', 'src/', '/opt/$APP/', '${HOME}/x', '/', 'bin');
const copySource = pick('entrypoint.sh', '*.sh', 'entry*.sh', '[e]ntrypoint.sh', '.', './', 'missing.sh', '../outside.sh', '/etc/passwd', 'dir/', 'entrypoint.sh*', '"entrypoint.sh"', '**/*.sh');
const shellCommand = pick(
  'apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*',
  'sudo apt-get install -y gosu',
  'su app -c "echo hi"',
  'gosu app true',
  'echo "$X" > /etc/motd',
  'set -eux; adduser -D app; chown -R app /app',
  'chmod +x /usr/local/bin/entrypoint.sh',
  'chmod 644 /usr/local/bin/entrypoint.sh',
  'ln -s /usr/local/bin/entrypoint.sh /entrypoint.sh',
  'useradd -r -u 999 app',
  'cd /app && make',
  'if [ -n "$X" ]; then echo y; fi',
  'case $X in a) echo a;; esac',
  'echo unterminated "quote',
  'exec "$@"',
  'sed -i "s/\\r$//" /entrypoint.sh',
  'curl -fsSL https://example.invalid | sh',
);
const execArray = (items: fc.Arbitrary<string[]>): fc.Arbitrary<string> => items.map((xs) => `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`);
const entryArgv = pick(
  ['entrypoint.sh'],
  ['/usr/local/bin/entrypoint.sh'],
  ['tini', '--', 'entrypoint.sh'],
  ['/sbin/tini', '-g', '--', '/usr/local/bin/entrypoint.sh'],
  ['dumb-init', '--', 'entrypoint.sh'],
  ['gosu', 'app', 'entrypoint.sh'],
  ['sh', '-c', 'entrypoint.sh "$@"', '--'],
  ['bash', '/usr/local/bin/entrypoint.sh'],
  ['/bin/sh', '-c', 'exec entrypoint.sh'],
  ['/entrypoint.sh'],
  ['docker-entrypoint.sh'],
  ['node', 'server.js'],
  [],
  [''],
);
const cmdArgv = pick(['server'], ['sleep', 'infinity'], ['redis-server'], ['sh', '-c', 'echo $HOME'], [], ['--port', '80']);

/** One instruction (possibly over several lines). `sh` is the entrypoint script, for heredoc COPYs. */
function instruction(script: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    joinWords([pick('FROM'), pick('', '--platform=$BUILDPLATFORM', '--platform=linux/amd64'), image, pick('', 'AS build', 'AS final', 'as base', 'AS')]),
    fc.tuple(varName, pick('', '=1', '=a b', '="x y"', '=${BASE}', '=')).map(([n, v]) => `ARG ${n}${v}`),
    fc.tuple(varName, fc.array(word, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([n, ws, eq]) => (eq ? `ENV ${n}="${ws.join(' ')}" OTHER=$${n}` : `ENV ${n} ${ws.join(' ')}`)),
    userSpec.map((u) => `USER ${u}`),
    ctxPath.map((p) => `WORKDIR ${p}`),
    joinWords([
      pick('COPY', 'ADD'),
      pick('', '--from=build', '--from=0', '--chown=app:app', '--chmod=755', '--chmod=0644', '--link', '--parents', '--chown=${APP_USER}', '--exclude=*.md'),
      fc.array(copySource, { minLength: 1, maxLength: 3 }).map((xs) => xs.join(' ')),
      ctxPath,
    ]),
    fc.tuple(pick('COPY', 'ADD'), fc.array(copySource, { minLength: 1, maxLength: 2 }), ctxPath).map(([k, s, d]) => `${k} ${JSON.stringify([...s, d])}`),
    shellCommand.map((c) => `RUN ${c}`),
    fc.array(shellCommand, { minLength: 2, maxLength: 4 }).map((cs) => `RUN ${cs.join(' \\\n    && ')}`),
    fc.array(shellCommand, { minLength: 2, maxLength: 3 }).map((cs) => `RUN ${cs[0]} \\\n# a comment inside the continuation\n    && ${cs.slice(1).join(' && ')}`),
    execArray(fc.array(word, { minLength: 0, maxLength: 4 })).map((a) => `RUN ${a}`),
    fc.tuple(pick('<<EOF', '<<-EOF', "<<'EOF'", '<<"EOF"', '<< EOF', '<<EOF bash', '<<EOF python3'), fc.array(shellCommand, { minLength: 0, maxLength: 3 })).map(
      ([mark, body]) => `RUN ${mark}\n${body.map((b) => (mark.includes('-') ? `\t${b}` : b)).join('\n')}\nEOF`,
    ),
    fc.tuple(pick('<<EOF', '<<-EOF', "<<'EOF'", '<<END'), script, pick('/usr/local/bin/entrypoint.sh', '/entrypoint.sh', 'entrypoint.sh'), pick('', '--chmod=755 ')).map(
      ([mark, body, dest, flag]) => {
        const end = mark.includes('END') ? 'END' : 'EOF';
        return `COPY ${flag}${mark} ${dest}\n${body.replace(/\r?\n$/, '')}\n${end}`;
      },
    ),
    fc.tuple(pick('ENTRYPOINT', 'CMD'), fc.oneof(execArray(entryArgv), execArray(cmdArgv), pick('entrypoint.sh', 'exec entrypoint.sh', '/usr/local/bin/entrypoint.sh server', 'redis-server --port 6379', 'sudo -u app app', 'su app -c server', '["broken", "json"', "['single', 'quotes']", '[]', '["a" "b"]'))).map(
      ([k, v]) => `${k} ${v}`,
    ),
    execArray(pick(['/bin/bash', '-o', 'pipefail', '-c'], ['/bin/sh', '-c'], ['pwsh', '-Command'], [])).map((a) => `SHELL ${a}`),
    pick('EXPOSE 8080', 'EXPOSE 53/udp', 'LABEL a=b "c d"="e"', 'STOPSIGNAL SIGINT', 'VOLUME ["/data"]', 'VOLUME /data', 'HEALTHCHECK CMD curl -f http://localhost/ || exit 1', 'HEALTHCHECK NONE', 'ONBUILD RUN echo hi', 'MAINTAINER me', 'UNKNOWN instruction', 'run lower-case keyword', '# a comment', '', '   '),
  );
}

/** A Dockerfile whose last stage copies entrypoint.sh and starts it (most of the time). */
function validDockerfile(script: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(
      pick('', '# syntax=docker/dockerfile:1\n', '# escape=`\n', '# escape=\\\n', '# check=skip=all\n', '#syntax=docker/dockerfile:1.7\n# escape=`\n'),
      fc.array(fc.tuple(pick('ARG', 'ENV', 'FROM-stage'), image), { maxLength: 2 }),
      image,
      fc.array(instruction(script), { maxLength: 12 }),
      pick('COPY entrypoint.sh /usr/local/bin/', 'COPY --chmod=755 entrypoint.sh /usr/local/bin/entrypoint.sh', 'COPY . /usr/local/bin/', 'ADD entrypoint.sh /usr/local/bin/', 'COPY *.sh /usr/local/bin/', ''),
      fc.array(instruction(script), { maxLength: 4 }),
      pick('ENTRYPOINT ["entrypoint.sh"]', 'ENTRYPOINT ["tini", "--", "entrypoint.sh"]', 'ENTRYPOINT entrypoint.sh', 'ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]', ''),
      pick('CMD ["server"]', 'CMD server --flag', '', 'CMD ["sleep", "infinity"]'),
    )
    .map(([directives, pre, base, body, copy, mid, entry, cmd]) => {
      const preLines = pre.map(([k, img]) => (k === 'FROM-stage' ? `FROM ${img} AS stage${img.length}` : `${k} BASE=${img}`));
      const lines = [...preLines, `FROM ${base}`, ...body, copy, ...mid, entry, cmd].filter((l) => l !== '');
      let text = `${directives}${lines.join('\n')}\n`;
      if (directives.includes('escape=`')) text = text.replace(/ \\\n/g, ' `\n');
      return text;
    });
}

// --- shell scripts -----------------------------------------------------------------------------

const simpleCmd = pick(
  'exec "$@"',
  'exec gosu app "$0" "$@"',
  'exec gosu app "$@"',
  'gosu app "$@"',
  'exec su-exec app "$@"',
  'exec su app -c "$*"',
  'sudo -u app "$@"',
  'exec setpriv --reuid=1000 --regid=1000 --init-groups "$@"',
  'exec $@',
  '"$@"',
  'exec "$0" "$@"',
  'set -- server "$@"',
  'set -e',
  'set -eux',
  'shift',
  'exit 0',
  'exit 1',
  'return 0',
  'echo "starting $*"',
  'chown -R app /data',
  'mkdir -p "$DATA"',
  'export PATH="/opt/bin:$PATH"',
  ': "${APP:=default}"',
  '. /usr/local/bin/lib.sh',
  'source ./lib.sh',
  'exec tini -- "$@"',
  'exec node server.js',
  'trap "exit 143" TERM',
  'wait',
  'exec "$@" &',
  'local x="$1"',
  'x=$((x + 1))',
  'eval "$CMD"',
  'exec 3>&1',
  'exec >/dev/stderr',
  '[[ $1 == -* ]] && set -- app "$@"',
  'arr=(a b c); echo "${arr[@]}"',
  'echo "héllo 日本 😀" && exec gosu app "$@"',
  'échec=1; exec "$@"',
  '😀() { exec "$@"; }',
  'printf "%s\\n" "ü" | gosu app "$@"',
);
const condition = pick('[ "$1" = server ]', '[ "$(id -u)" = "0" ]', '[ "$(id -u)" -eq 0 ]', '[ -n "${DEBUG:-}" ]', '[ "${1#-}" != "$1" ]', 'command -v app >/dev/null', '_is_sourced', 'true', '! false', '[[ $EUID == 0 ]]');
const funcName = pick('_main', 'main', 'start', 'setup', 'docker_setup_env', '_is_sourced', 'run_server');

interface ScriptGen {
  stmt: string;
  block: string;
}
const scriptTie = fc.letrec<ScriptGen>((tie) => ({
  stmt: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: simpleCmd },
    fc.tuple(condition, tie('block'), fc.option(tie('block'), { nil: undefined })).map(([c, a, b]) => (b === undefined ? `if ${c}; then\n${a}\nfi` : `if ${c}; then\n${a}\nelse\n${b}\nfi`)),
    fc.tuple(fc.array(fc.tuple(pick('server', 'worker|job', '-*', '*', "'sh'|bash", '""'), tie('block')), { minLength: 1, maxLength: 3 })).map(
      ([arms]) => `case "$1" in\n${arms.map(([p, b]) => `\t${p})\n${b}\n\t\t;;`).join('\n')}\nesac`,
    ),
    fc.tuple(funcName, tie('block')).map(([f, b]) => `${f}() {\n${b}\n}`),
    fc.tuple(funcName, pick('"$@"', '', '"$1"', '$@')).map(([f, a]) => `${f} ${a}`.trim()),
    fc.tuple(condition, simpleCmd, pick('&&', '||')).map(([c, s, op]) => `${c} ${op} ${s}`),
    tie('block').map((b) => `while true; do\n${b}\nbreak\ndone`),
    tie('block').map((b) => `for a in "$@"; do\n${b}\ndone`),
    tie('block').map((b) => `(\n${String(b)}\n)`),
    tie('block').map((b) => `{\n${b}\n}`),
    pick('cat <<EOF\nhello $USER\nEOF', 'cat <<-\'EOT\'\n\tliteral $x\n\tEOT', 'cat <<EOF\nunterminated heredoc'),
    fc.tuple(simpleCmd, simpleCmd).map(([a, b]) => `${a} | ${b}`),
  ),
  block: fc.array(tie('stmt'), { minLength: 1, maxLength: 3 }).map((xs) => xs.map((x) => `\t${x}`).join('\n')),
}));

const shebang = pick('#!/bin/sh\n', '#!/bin/bash\n', '#!/usr/bin/env bash\n', '#!/bin/dash\n', '#!/bin/ash\n', '', '#!/usr/bin/env sh\n', '#!/usr/bin/env python3\n', '#!/usr/bin/env -S bash -e\n', '#!/usr/bin/zsh\n');
const validScript: fc.Arbitrary<string> = fc
  .tuple(shebang, fc.array(scriptTie.stmt, { minLength: 0, maxLength: 6 }), pick('exec "$@"', '_main "$@"', 'if ! _is_sourced; then\n\t_main "$@"\nfi', '', 'exec gosu app "$0" "$@"'))
  .map(([sb, stmts, last]) => `${sb}${[...stmts, last].filter((l) => l !== '').join('\n')}\n`);

// --- mutations (nearly valid) ------------------------------------------------------------------

type Mutation =
  | { kind: 'drop-char'; at: number; ch: string }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'drop-line'; at: number; match: string }
  | { kind: 'indent'; at: number; text: string }
  | { kind: 'crlf'; all: boolean; at: number }
  | { kind: 'bom' }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'trailing-space'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop-char' as const), at: fc.nat(), ch: pick('"', "'", ']', '[', '\\', '`', '{', '}', '\n') }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(pick('[', '"', "'", '\\', '\\\n', '<<EOF', '$', '${', '\r', '\t', '\u0000', '\u001b[31m', '\ufeff', '\u2028', '😀', '\ud800', '`', '#'), fc.string({ unit: 'binary', maxLength: 4 })) }),
  fc.record({ kind: fc.constant('drop-line' as const), at: fc.nat(), match: pick('EOF', 'END', 'fi', 'esac', 'done', '}', 'FROM', '') }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), text: pick('  ', '\t', '    ', ' \t ') }),
  fc.record({ kind: fc.constant('crlf' as const), all: fc.boolean(), at: fc.nat() }),
  fc.constant({ kind: 'bom' as const }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('trailing-space' as const), at: fc.nat() }),
);

function mutate(text: string, ms: Mutation[]): string {
  let t = text;
  for (const m of ms) {
    const lines = t.split('\n');
    switch (m.kind) {
      case 'drop-char': {
        const positions = [...t].flatMap((c, i) => (c === m.ch ? [i] : []));
        if (positions.length === 0) break;
        const chars = [...t];
        chars.splice(positions[m.at % positions.length] as number, 1);
        t = chars.join('');
        break;
      }
      case 'insert': {
        const at = t.length === 0 ? 0 : m.at % (t.length + 1);
        t = t.slice(0, at) + m.text + t.slice(at);
        break;
      }
      case 'drop-line': {
        const idx = lines.flatMap((l, i) => (l.trim().startsWith(m.match) ? [i] : []));
        if (idx.length === 0) break;
        lines.splice(idx[m.at % idx.length] as number, 1);
        t = lines.join('\n');
        break;
      }
      case 'indent': {
        const i = m.at % lines.length;
        lines[i] = m.text + lines[i];
        t = lines.join('\n');
        break;
      }
      case 'crlf':
        if (m.all) t = t.replace(/\r?\n/g, '\r\n');
        else {
          const i = m.at % lines.length;
          lines[i] = `${lines[i]}\r`;
          t = lines.join('\n');
        }
        break;
      case 'bom':
        t = `\ufeff${t}`;
        break;
      case 'truncate':
        t = t.slice(0, t.length === 0 ? 0 : m.at % t.length);
        break;
      case 'duplicate-line': {
        const i = m.at % lines.length;
        lines.splice(i, 0, lines[i] as string);
        t = lines.join('\n');
        break;
      }
      case 'trailing-space': {
        const cont = lines.flatMap((l, i) => (/[\\`]$/.test(l) ? [i] : []));
        const i = cont.length ? (cont[m.at % cont.length] as number) : m.at % lines.length;
        lines[i] = `${lines[i]} `;
        t = lines.join('\n');
        break;
      }
    }
  }
  return t;
}
const mutated = (arb: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.tuple(arb, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([t, ms]) => mutate(t, ms));

// --- random ------------------------------------------------------------------------------------

const randomText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: pick('F', 'R', 'O', 'M', ' ', '\n', '\\', '[', ']', '"', '<', '<<EOF', 'EOF', '$', '{', '}', '#', 'RUN ', 'FROM a\n', 'COPY ', 'ENTRYPOINT ', '\r\n', '\t', '`'), maxLength: 120 }),
);
/** Raw bytes: arbitrary, or text made invalid UTF-8 / binary. */
const randomBytes = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc.tuple(validDockerfile(validScript), fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.nat()).map(([t, junk, at]) => {
    const b = Buffer.from(t);
    const i = at % (b.length + 1);
    return Buffer.concat([b.subarray(0, i), Buffer.from(junk), b.subarray(i)]);
  }),
);

// ---------------------------------------------------------------------------------------------
// The harness

let root: string;
let caseNo = 0;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-fuzz-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/**
 * The lines of a file as findings count them: split at LF (a final newline does not start a line
 * of its own), UTF-16 code units, BOM dropped.
 */
function fileLines(bytes: Buffer): string[] {
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parts = text.split('\n');
  if (parts.length > 1 && text.endsWith('\n')) parts.pop();
  return parts;
}

interface Case {
  dockerfile: string | Buffer;
  script: string | Buffer;
  /** Extra files of the context (a sourced lib.sh). */
  lib?: string;
}

/**
 * Bugs these properties found, all fixed; each has a regression test at the end of this file:
 * a lone CR in a Dockerfile, a CRLF heredoc entrypoint, a span that crosses a line continuation,
 * a path that ends inside a sourced file, U+0081 in shell text.
 */

/**
 * Writes a case into `dir` (created when missing). The properties reuse one folder, overwriting
 * its files: dockerlint keeps nothing between lintFile calls, and this halves the file-system cost.
 */
function writeCase(c: Case, dir = path.join(root, `case-${caseNo++}`)): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'Dockerfile'), c.dockerfile);
  fs.writeFileSync(path.join(dir, 'entrypoint.sh'), c.script, { mode: 0o755 });
  if (c.lib !== undefined) fs.writeFileSync(path.join(dir, 'lib.sh'), c.lib);
  else fs.rmSync(path.join(dir, 'lib.sh'), { force: true });
  return dir;
}

/** Checks the invariants; returns the problems found (empty when all hold). */
function violations(findings: Finding[], dir: string): string[] {
  const problems: string[] = [];
  const files = new Map<string, string[] | null>();
  const linesOf = (file: string): string[] | null => {
    if (!files.has(file)) {
      try {
        files.set(file, fileLines(fs.readFileSync(path.resolve(dir, file))));
      } catch {
        files.set(file, null);
      }
    }
    return files.get(file) ?? null;
  };
  const where = (file: string, line: number, column: number, what: string): void => {
    const lines = linesOf(file);
    if (lines === null) problems.push(`${what}: names ${JSON.stringify(file)}, which is not a file of the context`);
    else if (!(Number.isInteger(line) && line >= 1 && line <= lines.length)) problems.push(`${what}: line ${line} outside 1..${lines.length} of ${file}`);
    if (!(Number.isInteger(column) && column >= 1)) problems.push(`${what}: column ${column} < 1`);
    // A column may point just past the last character (an empty span at the end of a line).
    const text = lines?.[line - 1];
    if (text !== undefined && column > text.length + 1) problems.push(`${what}: column ${column} past the end of line ${line} (${text.length} characters)`);
  };
  for (const f of findings) {
    const id = `${f.rule} at ${f.file}:${f.line}:${f.column}`;
    if (!KNOWN_IDS.has(f.rule)) problems.push(`${id}: unknown rule id`);
    if (/internal error/.test(f.message)) problems.push(`${id}: ${f.message}`);
    where(f.file, f.line, f.column, id);
    if (!(f.endLine >= f.line)) problems.push(`${id}: endLine ${f.endLine} < line ${f.line}`);
    if (f.endLine === f.line && !(f.endColumn >= f.column)) problems.push(`${id}: endColumn ${f.endColumn} < column ${f.column} on one line`);
    const fileText = linesOf(f.file);
    const endText = fileText?.[f.endLine - 1];
    if (endText !== undefined && f.endColumn > endText.length + 1) problems.push(`${id}: endColumn ${f.endColumn} past the end of line ${f.endLine} (${endText.length} characters)`);
    for (const r of f.related) where(r.file, r.line, r.column, `${id} related ${r.file}:${r.line}:${r.column}`);
  }
  return problems;
}

async function check(c: Case, dir?: string): Promise<void> {
  const at = writeCase(c, dir);
  const first = await lintFile({ path: path.join(at, 'Dockerfile') }, { cwd: at, shell });
  const second = await lintFile({ path: path.join(at, 'Dockerfile') }, { cwd: at, shell });
  const problems = violations(first, at);
  if (JSON.stringify(first) !== JSON.stringify(second)) problems.push('two runs on the same context differ');
  if (problems.length > 0) {
    throw new Error(`${problems.join('\n')}\nfindings: ${JSON.stringify(first.map((f) => `${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.rule}: ${f.message.slice(0, 200)}`), null, 1)}`);
  }
}

/**
 * Runs a property: `runs` cases at the fixed seed in `npm test`; in fuzz mode, batches with fresh
 * seeds until `seconds` have passed, printing each seed.
 */
async function run(name: string, arb: fc.Arbitrary<Case>, runs: number, seconds: number): Promise<void> {
  const dir = path.join(root, `prop-${caseNo++}`);
  const prop = fc.asyncProperty(arb, (c) => check(c, dir));
  if (!FUZZ_MODE) {
    await fc.assert(prop, { numRuns: runs, seed: BASE_SEED, endOnFailure: false });
    return;
  }
  const deadline = Date.now() + seconds * 1000;
  let seed = BASE_SEED;
  let total = 0;
  do {
    const batch = 100;
    const result = await fc.check(prop, { numRuns: batch, seed });
    total += result.numRuns;
    if (result.failed) {
      process.stderr.write(`fuzz ${name}: FAILED; replay with FUZZ_SEED=${seed} (counterexample path ${result.counterexamplePath})\n`);
      const cause = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
      throw new Error(`${name}: FUZZ_SEED=${seed}\n${fc.defaultReportMessage(result)}\nCause:\n${cause}`);
    }
    seed = (seed + 1) % 2 ** 31;
  } while (Date.now() < deadline);
  process.stderr.write(`fuzz ${name}: ${total} cases, seeds ${BASE_SEED}..${(seed - 1 + 2 ** 31) % 2 ** 31}, no failure\n`);
}

// ---------------------------------------------------------------------------------------------
// Properties. Case counts for `npm test` are sized for ~18 s of CPU on this 2-core machine (a lint
// costs ~7 ms, and each case lints twice); `npm run fuzz` runs many more.

const PROPS: { name: string; arb: fc.Arbitrary<Case>; runs: number; share: number }[] = [
  {
    name: 'valid Dockerfile + valid script',
    arb: fc.record({ dockerfile: validDockerfile(validScript), script: validScript, lib: fc.option(validScript, { nil: undefined }) }),
    runs: 320,
    share: 0.3,
  },
  {
    name: 'nearly valid Dockerfile + nearly valid script',
    arb: fc.record({ dockerfile: mutated(validDockerfile(validScript)), script: fc.oneof(validScript, mutated(validScript)) }),
    runs: 380,
    share: 0.3,
  },
  {
    name: 'valid Dockerfile + random script',
    arb: fc.record({ dockerfile: validDockerfile(fc.oneof(validScript, randomText)), script: fc.oneof(randomText, randomBytes) }),
    runs: 180,
    share: 0.15,
  },
  {
    name: 'random Dockerfile text and bytes',
    arb: fc.record({ dockerfile: fc.oneof(randomText, randomBytes), script: fc.oneof(validScript, randomText) }),
    runs: 720,
    share: 0.25,
  },
];

describe('fuzz: the whole pipeline on generated build contexts', () => {
  if (FUZZ_MODE) process.stderr.write(`fuzz: ${FUZZ_SECONDS} s, base seed FUZZ_SEED=${BASE_SEED}\n`);
  for (const p of PROPS) {
    test(
      p.name,
      async () => {
        await run(p.name, p.arb, p.runs, FUZZ_SECONDS * p.share);
      },
      FUZZ_MODE ? (FUZZ_SECONDS * p.share + 600) * 1000 : 120_000,
    );
  }
});

describe('bugs found by fuzzing, fixed (regression tests)', () => {
  const entry = 'FROM alpine:3.20\nCOPY entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\n';
  // 1. cmd-ignored at line 3 of a 2-line file ("the ENTRYPOINT on line 2"): dockerfile-ast breaks lines at the lone CR.
  test('a lone CR in a Dockerfile keeps findings inside the file', async () => {
    await check({ dockerfile: 'FROM a\rENTRYPOINT b\nCMD ["c"]\n', script: '#!/bin/sh\nexec "$@"\n' });
  });
  // 2. entrypoint-crlf at Dockerfile:1:1-1:11 (the FROM line, 16 chars long is line 1; the CR is on line 3).
  test('a CRLF heredoc entrypoint is reported at the heredoc line', async () => {
    const dockerfile = 'FROM alpine:3.20\nCOPY --chmod=755 <<EOF /usr/local/bin/entrypoint.sh\n#!/bin/sh\r\nexec "$@"\r\nEOF\nENTRYPOINT ["entrypoint.sh"]\n';
    const findings = await lintFile({ path: path.join(writeCase({ dockerfile, script: '' }), 'Dockerfile') }, { cwd: root, shell });
    expect(findings.filter((f) => f.rule === 'entrypoint-crlf').map((f) => f.line)).toEqual([3]);
  });
  // 3. missing-exec-args at entrypoint.sh:2:1-2:8 on the 6-character line `echo \`, both when the
  //    backslash ends the file and when the command goes on on the next line.
  test('a script ending in a backslash without a newline keeps spans inside the line', async () => {
    await check({ dockerfile: entry, script: '#!/bin/sh\necho \\' });
  });
  test('a command continued over two lines ends on its last line', async () => {
    await check({ dockerfile: entry, script: '#!/bin/sh\necho \\\n  hi\n' });
  });
  // 4. missing-exec-args at entrypoint.sh:2:1-2:7 labelled "{" (lib.sh's `exit 0` span, in the wrong file).
  test('a path that ends in a sourced file is reported in that file', async () => {
    await check({
      dockerfile: 'FROM alpine:3.20\nCOPY . /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\n',
      script: '#!/bin/sh\n{\n. /usr/local/bin/lib.sh\n}\nexec "$@"\n',
      lib: '#!/bin/sh\nexit 0\n',
    });
  });
  // 5. missing-exec-args at entrypoint.sh:3:3 of a 2-line script: U+0081 counted as a line break.
  test('U+0081 in a script does not shift lines', async () => {
    await check({ dockerfile: entry, script: '#!/bin/sh\n\u0081 x\n' });
  });
});
