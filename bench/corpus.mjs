// Deterministic benchmark corpora: build contexts (Dockerfile + entrypoint script) in the style
// of real images, written into a folder. Same seed, same bytes.
//
//   import { writeSmall, writeMonorepo } from './corpus.mjs';
//   writeMonorepo('/tmp/x', 1000, 42)  ->  { dockerfiles, scripts, scriptLines, dockerfileLines, ... }
//
// A monorepo is `services/<team>/<name>/Dockerfile` + its entrypoint. Each context draws:
//   - a Dockerfile of 20-80 instructions: optional `# syntax=` / `# escape=` directives, ARG before
//     FROM, 1-3 build stages (`FROM ... AS build`, `COPY --from=build`), ENV/ARG with `${}`, RUN in
//     shell form with continuation lines, RUN heredocs (`RUN <<EOF`), COPY with --chown/--chmod and
//     globs, WORKDIR, USER, EXPOSE, HEALTHCHECK, LABEL, ENTRYPOINT in exec form (often through tini
//     or dumb-init) and CMD;
//   - an entrypoint: a script file in the context (most), a `COPY <<EOF /entrypoint.sh` heredoc, or
//     none (the binary is the entrypoint);
//   - a script of 30-300 lines: functions, `file_env`, if/case, loops, heredocs, the official-image
//     step-down `exec gosu user "$0" "$@"` and `exec "$@"`, `_main "$@"`; about one in eight is
//     broken (no exec, gosu without exec, `$@` unquoted, CRLF endings, an unclosed `if`).
import fs from 'node:fs';
import path from 'node:path';

/** mulberry32: a small, fast, seedable PRNG (returns floats in [0, 1)). */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
  };
  return r;
}

const BASES = [
  { image: 'debian:bookworm-slim', pkg: 'apt' },
  { image: 'ubuntu:24.04', pkg: 'apt' },
  { image: 'alpine:3.20', pkg: 'apk' },
  { image: 'node:20-bookworm-slim', pkg: 'apt' },
  { image: 'python:3.12-slim', pkg: 'apt' },
  { image: 'eclipse-temurin:21-jre', pkg: 'apt' },
  { image: 'redis:7.2', pkg: 'apt' },
  { image: 'postgres:16-alpine', pkg: 'apk' },
];
const BUILDERS = [
  { image: 'golang:1.22', build: ['go mod download', 'CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app ./cmd/app'] },
  { image: 'node:20', build: ['npm ci --omit=dev', 'npm run build', 'mkdir -p /out && cp -r dist node_modules package.json /out/'] },
  { image: 'rust:1.79', build: ['cargo build --release --locked', 'mkdir -p /out && cp target/release/app /out/app'] },
  { image: 'maven:3.9-eclipse-temurin-21', build: ['mvn -B -q package -DskipTests', 'mkdir -p /out && cp target/*.jar /out/app.jar'] },
];
const PACKAGES = ['ca-certificates', 'curl', 'tzdata', 'netcat-openbsd', 'gosu', 'tini', 'procps', 'less', 'jq', 'gettext-base', 'libpq5', 'openssl', 'unzip', 'locales'];
const USERS = ['app', 'redis', 'postgres', 'node', 'www-data', 'svc', 'worker'];
const SERVICES = ['db', 'cache', 'queue', 'search', 'mail', 'auth', 'blob', 'metrics'];

function dockerfile(r, ctx) {
  const ins = [];
  const push = (...lines) => ins.push(lines.join('\n'));
  const pre = [];
  if (r.chance(0.4)) pre.push('# syntax=docker/dockerfile:1');
  if (r.chance(0.05)) pre.push('# escape=`');
  const esc = pre.includes('# escape=`') ? '`' : '\\';
  const base = r.pick(BASES);
  const user = ctx.user;
  const target = r.int(22, 80);
  pre.push(`# ${ctx.name}: built by the platform team; see README.md`);
  if (r.chance(0.5)) push(`ARG BASE_IMAGE=${base.image}`);
  const multi = r.chance(0.6);
  if (multi) {
    const b = r.pick(BUILDERS);
    push(`FROM ${b.image} AS build`);
    push('WORKDIR /src');
    push('COPY . .');
    for (const step of b.build) push(`RUN ${step}`);
    if (r.chance(0.3)) {
      push('FROM build AS test');
      push('RUN make test || true');
    }
  }
  push(ins.some((i) => i.startsWith('ARG BASE_IMAGE')) ? 'FROM ${BASE_IMAGE}' : `FROM ${base.image}`);
  push(`LABEL org.opencontainers.image.title="${ctx.name}" org.opencontainers.image.source="https://example.invalid/${ctx.team}/${ctx.name}"`);
  push(`ARG APP_VERSION=1.${r.int(0, 30)}.${r.int(0, 9)}`);
  push('ENV APP_VERSION=${APP_VERSION} \\', '    APP_HOME=/opt/app \\', '    PATH=/opt/app/bin:$PATH');
  const pkgs = [...new Set(Array.from({ length: r.int(3, 8) }, () => r.pick(PACKAGES)))];
  if (ctx.gosu && !pkgs.includes('gosu')) pkgs.push('gosu');
  if (ctx.tini && !pkgs.includes('tini')) pkgs.push('tini');
  if (base.pkg === 'apt') {
    push(
      `RUN set -eux; ${esc}`,
      `    apt-get update; ${esc}`,
      `    apt-get install -y --no-install-recommends ${esc}`,
      ...pkgs.map((p) => `        ${p} ${esc}`),
      `    ; ${esc}`,
      '    rm -rf /var/lib/apt/lists/*',
    );
  } else push(`RUN apk add --no-cache ${pkgs.join(' ')}`);
  if (user !== 'root') {
    push(
      base.pkg === 'apt'
        ? `RUN groupadd -r ${user} --gid=999 && useradd -r -g ${user} --uid=999 --home-dir=/opt/app ${user}`
        : `RUN addgroup -S -g 999 ${user} && adduser -S -D -u 999 -G ${user} -h /opt/app ${user}`,
    );
  }
  if (r.chance(0.5)) {
    push(
      'RUN <<EOF',
      'set -eu',
      'mkdir -p /opt/app/bin /var/lib/app /docker-entrypoint-initdb.d',
      `chown -R ${user}:${user} /var/lib/app`,
      'chmod 775 /var/lib/app',
      'EOF',
    );
  }
  push('WORKDIR /opt/app');
  if (multi) push(`COPY --from=build --chown=${user}:${user} /out/ /opt/app/`);
  else push(`COPY --chown=${user}:${user} app/ /opt/app/`);
  if (r.chance(0.3)) push('COPY config/*.conf /etc/app/');
  // Filler up to the instruction count, before the entrypoint part.
  while (ins.length < target - 6) {
    const k = r.int(0, 9);
    if (k === 0) push(`ENV ${r.pick(SERVICES).toUpperCase()}_HOST=${r.pick(SERVICES)}.internal`);
    else if (k === 1) push(`ARG FEATURE_${r.int(1, 99)}=off`);
    else if (k === 2) push(`LABEL com.example.build.${r.int(1, 999)}="${ctx.team}"`);
    else if (k === 3) push(`RUN mkdir -p /var/lib/app/${r.pick(SERVICES)} && chown ${user} /var/lib/app`);
    else if (k === 4) push(`EXPOSE ${r.int(1000, 9999)}`);
    else if (k === 5) push(`RUN ln -sf /dev/stdout /var/log/app-${r.int(1, 9)}.log`);
    else if (k === 6) push(`RUN echo "${ctx.name} $APP_VERSION" > /etc/app-release`);
    else if (k === 7) push(`ENV ${r.pick(SERVICES).toUpperCase()}_PORT=${r.int(1000, 9999)}`);
    else if (k === 8) push(`COPY --chmod=644 conf/app-${r.int(1, 9)}.conf /etc/app/`);
    else push(`RUN test -d /opt/app && ls -la /opt/app > /dev/null`);
  }
  push('VOLUME /var/lib/app');
  push(`HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost:${r.int(1000, 9999)}/health || exit 1`);
  if (ctx.entry === 'file') {
    if (r.chance(0.5)) push('COPY docker-entrypoint.sh /usr/local/bin/');
    else push('COPY --chmod=755 docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh');
  } else if (ctx.entry === 'heredoc') {
    push('COPY --chmod=755 <<ENTRYPOINT_EOF /usr/local/bin/docker-entrypoint.sh', ...ctx.script.replace(/\$/g, '\\$').split('\n').filter((l, i, a) => i < a.length - 1 || l !== ''), 'ENTRYPOINT_EOF');
  }
  if (!ctx.gosu && user !== 'root') push(`USER ${user}`);
  const entry = ctx.entry === 'none' ? '/opt/app/bin/app' : 'docker-entrypoint.sh';
  if (ctx.tini) push(`ENTRYPOINT ["tini", "--", "${entry}"]`);
  else if (ctx.dumbInit) push(`ENTRYPOINT ["/usr/bin/dumb-init", "--", "${entry}"]`);
  else push(`ENTRYPOINT ["${entry}"]`);
  push(`CMD ["${ctx.command}", "--port", "${r.int(1000, 9999)}"]`);
  const text = `${pre.join('\n')}\n${ins.join('\n')}\n`;
  return esc === '`' ? text.replaceAll(' \\\n', ' `\n') : text;
}

function script(r, ctx) {
  const bash = r.chance(0.6);
  const L = [bash ? '#!/usr/bin/env bash' : '#!/bin/sh', bash ? 'set -Eeuo pipefail' : 'set -eu', ''];
  const target = r.int(30, 300);
  L.push('log() {', '\tprintf \'%s [entrypoint] %s\\n\' "$(date +%FT%T)" "$*"', '}', 'warn() { log "WARN: $*" >&2; }', 'die() { log "ERROR: $*" >&2; exit 1; }', '');
  if (target >= 80) L.push(
    '# usage: file_env VAR [DEFAULT]: VAR from the environment, or from the file named by VAR_FILE',
    'file_env() {',
    '\tvar="$1"',
    '\tfileVar="${var}_FILE"',
    '\tdef="${2:-}"',
    '\tval="$def"',
    '\teval "cur=\\${$var:-}"',
    '\teval "curFile=\\${$fileVar:-}"',
    '\tif [ -n "$cur" ] && [ -n "$curFile" ]; then',
    '\t\tdie "both $var and $fileVar are set (but are exclusive)"',
    '\tfi',
    '\tif [ -n "$cur" ]; then',
    '\t\tval="$cur"',
    '\telif [ -n "$curFile" ]; then',
    '\t\tval="$(cat "$curFile")"',
    '\tfi',
    '\texport "$var"="$val"',
    '\tunset "$fileVar"',
    '}',
    '',
  );
  const helpers = [];
  let h = 0;
  // Body helpers until the script is about as long as drawn (the main part and the call follow).
  const tail = () => 16 + helpers.length + (ctx.gosu ? 4 : 0) + (bash ? 10 : 1);
  while (L.length + tail() < target) {
    const svc = r.pick(SERVICES);
    const S = svc.toUpperCase();
    const name = `setup_${svc}_${h++}`;
    helpers.push(name);
    const kind = r.int(target >= 80 ? 0 : 1, 3);
    if (kind === 0) {
      L.push(
        `${name}() {`,
        `\tfile_env '${S}_HOST' '${svc}'`,
        `\tfile_env '${S}_PASSWORD'`,
        `\tif [ -z "\${${S}_PASSWORD:-}" ] && [ -z "\${ALLOW_EMPTY_PASSWORD:-}" ]; then`,
        `\t\tcat >&2 <<-EOWARN`,
        `\t\t\tWARNING: ${S}_PASSWORD is not set for "\${${S}_HOST}".`,
        `\t\t\t  Set it, or set ALLOW_EMPTY_PASSWORD=yes to accept.`,
        `\t\tEOWARN`,
        '\t\treturn 1',
        '\tfi',
        '}',
        '',
      );
    } else if (kind === 1) {
      L.push(
        `${name}() {`,
        '\ttries=0',
        `\twhile ! nc -z "\${${S}_HOST:-${svc}}" "\${${S}_PORT:-${r.int(1000, 9999)}}" 2>/dev/null; do`,
        '\t\ttries=$((tries + 1))',
        `\t\t[ "$tries" -lt "\${WAIT_TRIES:-30}" ] || die "${svc} did not come up"`,
        '\t\tsleep 1',
        '\tdone',
        `\tlog "${svc} is up"`,
        '}',
        '',
      );
    } else if (kind === 2) {
      L.push(
        `${name}() {`,
        `\tcase "\${${S}_MODE:-default}" in`,
        '\t\tdefault|"")',
        `\t\t\tlog "${svc}: default mode"`,
        '\t\t\t;;',
        '\t\tstrict)',
        `\t\t\texport ${S}_STRICT=1`,
        '\t\t\t;;',
        '\t\t*)',
        `\t\t\tdie "unknown ${S}_MODE: \${${S}_MODE}"`,
        '\t\t\t;;',
        '\tesac',
        '}',
        '',
      );
    } else {
      L.push(
        `${name}() {`,
        '\tfor f in /docker-entrypoint-initdb.d/*; do',
        '\t\tcase "$f" in',
        '\t\t\t*.sh)  log "running $f"; . "$f" ;;',
        `\t\t\t*.sql) log "running $f"; ${svc}-cli < "$f" ;;`,
        '\t\t\t*)     log "ignoring $f" ;;',
        '\t\tesac',
        '\tdone',
        `\tcat > /var/lib/app/${svc}.conf <<EOF`,
        `host = \${${S}_HOST:-${svc}}`,
        `port = \${${S}_PORT:-${r.int(1000, 9999)}}`,
        'EOF',
        '}',
        '',
      );
    }
  }
  const broken = ctx.broken;
  const drop = ctx.gosu
    ? [
        '\tif [ "$(id -u)" = \'0\' ]; then',
        `\t\tfind /var/lib/app \\! -user ${ctx.user} -exec chown ${ctx.user} '{}' +`,
        broken === 'gosu-no-exec' ? `\t\tgosu ${ctx.user} "$0" "$@"` : `\t\texec gosu ${ctx.user} "$0" "$@"`,
        '\tfi',
      ]
    : [];
  const handover = broken === 'no-exec' ? '\t"$@"' : broken === 'unquoted' ? '\texec $@' : '\texec "$@"';
  L.push(
    '_main() {',
    '\t# if the first argument looks like a flag, assume the server',
    `\tif [ "\${1#-}" != "$1" ]; then`,
    `\t\tset -- ${ctx.command} "$@"`,
    '\tfi',
    '\tcase "$1" in',
    `\t\t${ctx.command}|worker)`,
    ...helpers.map((f) => `\t\t\t${f}`),
    '\t\t\t;;',
    '\t\tsh|bash)',
    '\t\t\texec "$@"',
    '\t\t\t;;',
    '\tesac',
    ...drop,
    broken === 'unclosed-if' ? '\tif [ -n "${DEBUG:-}" ]; then\n\t\tset -x' : '\t[ -z "${DEBUG:-}" ] || set -x',
    '\tlog "starting: $*"',
    handover,
    '}',
    '',
  );
  if (bash) {
    L.push(
      '# check to see if this file is being run or sourced from another script',
      '_is_sourced() {',
      '\t[ "${#FUNCNAME[@]}" -ge 2 ] \\',
      '\t\t&& [ "${FUNCNAME[0]}" = \'_is_sourced\' ] \\',
      '\t\t&& [ "${FUNCNAME[1]}" = \'source\' ]',
      '}',
      '',
      'if ! _is_sourced; then',
      '\t_main "$@"',
      'fi',
    );
  }
  else L.push('_main "$@"');
  let text = `${L.join('\n')}\n`;
  if (broken === 'crlf') text = text.replaceAll('\n', '\r\n');
  return text;
}

/** One build context: its files (relative path -> text) and what it holds. */
export function makeContext(r, index, team = 'core') {
  const entry = r.chance(0.8) ? 'file' : r.chance(0.5) ? 'heredoc' : 'none';
  const user = r.pick(USERS);
  const ctx = {
    name: `svc-${String(index).padStart(4, '0')}`,
    team,
    user,
    entry,
    gosu: r.chance(0.45),
    tini: false,
    dumbInit: false,
    command: r.pick(['server', 'app', 'run', 'serve', 'start']),
    broken: r.chance(0.125) ? r.pick(['no-exec', 'gosu-no-exec', 'unquoted', 'crlf', 'unclosed-if']) : null,
    script: '',
  };
  if (r.chance(0.35)) ctx.tini = true;
  else if (r.chance(0.1)) ctx.dumbInit = true;
  if (entry === 'heredoc' && ctx.broken === 'crlf') ctx.broken = null;
  ctx.script = entry === 'none' ? '' : script(r, ctx);
  const files = { Dockerfile: dockerfile(r, ctx) };
  if (entry === 'file') files['docker-entrypoint.sh'] = ctx.script;
  files['app/README.md'] = `# ${ctx.name}\n`;
  return { files, ctx };
}

function writeFiles(dir, files) {
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text, { mode: rel.endsWith('.sh') ? 0o755 : 0o644 });
  }
}

function countLines(text) {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** Writes `n` build contexts under `dir` (emptied first). Returns the lists the comparators need. */
export function writeMonorepo(dir, n, seed) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const r = prng(seed);
  const teams = ['payments', 'search', 'identity', 'platform', 'data', 'web', 'mobile-api', 'ml'];
  const stats = { dockerfiles: [], scripts: [], dockerfileLines: 0, scriptLines: 0, heredocEntrypoints: 0, broken: 0 };
  for (let i = 0; i < n; i++) {
    const team = teams[i % teams.length];
    const { files, ctx } = makeContext(r, i, team);
    const rel = n === 1 ? '.' : path.join('services', team, ctx.name);
    writeFiles(path.join(dir, rel), files);
    stats.dockerfiles.push(path.join(rel, 'Dockerfile'));
    stats.dockerfileLines += countLines(files.Dockerfile);
    if (files['docker-entrypoint.sh'] !== undefined) {
      stats.scripts.push(path.join(rel, 'docker-entrypoint.sh'));
      stats.scriptLines += countLines(files['docker-entrypoint.sh']);
    }
    if (ctx.entry === 'heredoc') stats.heredocEntrypoints++;
    if (ctx.broken) stats.broken++;
  }
  if (n > 1) writeFiles(dir, { 'README.md': `# monorepo of ${n} services\n`, '.gitignore': 'build/\n*.log\n' });
  return stats;
}

/** The single small build context: a Dockerfile and a 40-line entrypoint script. */
export function writeSmall(dir, seed) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // Draw until the script is close to 40 lines (deterministic for a seed).
  const r = prng(seed);
  for (let i = 0; i < 10000; i++) {
    const { files, ctx } = makeContext(r, 0, 'core');
    const lines = files['docker-entrypoint.sh'] === undefined ? 0 : countLines(files['docker-entrypoint.sh']);
    if (lines >= 38 && lines <= 44 && !ctx.broken) {
      writeFiles(dir, files);
      return {
        dockerfiles: ['Dockerfile'],
        scripts: ['docker-entrypoint.sh'],
        dockerfileLines: countLines(files.Dockerfile),
        scriptLines: lines,
        heredocEntrypoints: 0,
        broken: 0,
      };
    }
  }
  throw new Error('no small context drawn');
}

/** A copy of a corpus with only its Dockerfiles (no scripts): the Dockerfile-only comparison. */
export function writeDockerfileOnly(fromDir, dir, dockerfiles) {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const rel of dockerfiles) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.copyFileSync(path.join(fromDir, rel), path.join(dir, rel));
  }
}
