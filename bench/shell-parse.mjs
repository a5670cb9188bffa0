// Benchmark of the WebAssembly shell parser on a realistic ~250-line entrypoint script.
//
// Runs against the compiled output: run `npm run build` first (it imports ../dist/parsers/shell.js).
//   node bench/shell-parse.mjs [seconds]
// Prints the load (compile + instantiate) time, scripts parsed per second, and the size of the
// AST per parse (as JSON, for scale).
import { performance } from 'node:perf_hooks';

const seconds = Number(process.argv[2] ?? 2);

/** A docker-entrypoint.sh in the style of the official images: functions, if/case, heredocs, exec gosu. */
function makeScript() {
  const lines = [
    '#!/usr/bin/env bash',
    '# docker-entrypoint.sh: prepare the data directory, then drop privileges and exec the server.',
    'set -Eeuo pipefail',
    '',
    '# usage: file_env VAR [DEFAULT]',
    '#    ie: file_env \'XYZ_DB_PASSWORD\' \'example\'',
    '# (will allow for "$XYZ_DB_PASSWORD_FILE" to fill in the value of',
    '#  "$XYZ_DB_PASSWORD" from a file, especially for Docker\'s secrets feature)',
    'file_env() {',
    '\tlocal var="$1"',
    '\tlocal fileVar="${var}_FILE"',
    '\tlocal def="${2:-}"',
    '\tif [ "${!var:-}" ] && [ "${!fileVar:-}" ]; then',
    '\t\tprintf >&2 \'error: both %s and %s are set (but are exclusive)\\n\' "$var" "$fileVar"',
    '\t\texit 1',
    '\tfi',
    '\tlocal val="$def"',
    '\tif [ "${!var:-}" ]; then',
    '\t\tval="${!var}"',
    '\telif [ "${!fileVar:-}" ]; then',
    '\t\tval="$(< "${!fileVar}")"',
    '\tfi',
    '\texport "$var"="$val"',
    '\tunset "$fileVar"',
    '}',
    '',
    '# check to see if this file is being run or sourced from another script (e.g. by a test harness)',
    '_is_sourced() {',
    '\t# https://unix.stackexchange.com/a/215279',
    '\t[ "${#FUNCNAME[@]}" -ge 2 ] \\',
    '\t\t&& [ "${FUNCNAME[0]}" = \'_is_sourced\' ] \\',
    '\t\t&& [ "${FUNCNAME[1]}" = \'source\' ]',
    '}',
    '',
    'log() {',
    '\tlocal level="$1"; shift',
    '\tprintf \'%s [%s] [Entrypoint]: %s\\n\' "$(date --rfc-3339=seconds)" "$level" "$*"',
    '}',
    'note() { log Note "$@"; }',
    'warn() { log Warn "$@" >&2; }',
    'error() { log ERROR "$@" >&2; exit 1; }',
    'usage() {',
    '\tcat <<USAGE',
    'Usage: docker run [docker options] example/app[:tag] [server|worker|shell] [--option value]...',
    '  server      start the HTTP server on \$PORT (default 8080) after the dependencies are ready',
    '  worker      start a background worker that consumes jobs from the queue service',
    '  shell       run an interactive shell inside the container, as the unprivileged app user',
    'Environment: DB_HOST, DB_PORT, DB_PASSWORD[_FILE], CACHE_HOST, QUEUE_HOST, SEARCH_HOST, MAIL_HOST,',
    '  SKIP_WAIT=1 to start without waiting, WAIT_TRIES=N to wait N seconds for each service.',
    'USAGE',
    '}',
  ];
  const services = ['db', 'cache', 'queue', 'search', 'mail'];
  for (const s of services) {
    const S = s.toUpperCase();
    lines.push(
      `# --- ${s}: read the ${S}_* settings (from the environment, or from *_FILE secrets) and wait until it is reachable ---`,
      `setup_${s}_env() {`,
      `\tfile_env '${S}_HOST' 'localhost'`,
      `\tfile_env '${S}_PORT' "\${DEFAULT_${S}_PORT:-5432}"`,
      `\tfile_env '${S}_PASSWORD'`,
      `\tdeclare -g ${S}_URL="${s}://\${${S}_USER:-app}:\${${S}_PASSWORD}@\${${S}_HOST}:\${${S}_PORT}"`,
      `\tif [ -z "\${${S}_PASSWORD}" ] && [ -z "\${ALLOW_EMPTY_PASSWORD:-}" ]; then`,
      `\t\tcat >&2 <<-EOWARN`,
      `\t\t\t******************************************************`,
      `\t\t\tWARNING: ${S}_PASSWORD is not set for "\${${S}_HOST}".`,
      `\t\t\t  Set it, or set ALLOW_EMPTY_PASSWORD=yes to accept.`,
      `\t\t\t******************************************************`,
      `\t\tEOWARN`,
      `\t\texit 1`,
      `\tfi`,
      `}`,
      `wait_for_${s}() {`,
      `\tlocal i tries="\${WAIT_TRIES:-30}"`,
      `\tfor (( i = 0; i < tries; i++ )); do`,
      `\t\tif nc -z "\${${S}_HOST}" "\${${S}_PORT}" 2>/dev/null; then`,
      `\t\t\tnote "${s} is up after \${i}s"`,
      `\t\t\treturn 0`,
      `\t\tfi`,
      `\t\tsleep 1`,
      `\tdone  # every second, up to \$WAIT_TRIES times, for the ${s} service to accept connections`,
      `\terror "${s} at \${${S}_HOST}:\${${S}_PORT} did not accept connections after \${tries} attempts; check the ${S}_HOST and ${S}_PORT settings"`,
      `}`,
      '',
    );
  }
  lines.push(
    '_main() {',
    '\t# if first arg looks like a flag, assume we want to run the server',
    '\tif [ "${1:0:1}" = \'-\' ]; then',
    '\t\tset -- server "$@"',
    '\tfi',
    '',
    '\tcase "$1" in',
    '\t\tserver|worker)',
    '\t\t\tfor svc in db cache queue search mail; do',
    '\t\t\t\t"setup_${svc}_env"',
    '\t\t\t\t[[ -n "${SKIP_WAIT:-}" ]] || "wait_for_${svc}"',
    '\t\t\tdone',
    '\t\t\t;;',
    '\t\tshell|bash|sh)',
    '\t\t\texec "$@"',
    '\t\t\t;;',
    '\t\t*) ;;',
    '\tesac',
    '',
    '\tmkdir -p "$DATA_DIR" /var/run/app',
    '\tif [ "$(id -u)" = \'0\' ]; then',
    '\t\tfind "$DATA_DIR" \\! -user app -exec chown app \'{}\' +',
    '\t\tchmod 700 "$DATA_DIR" || :',
    '\t\t# drop privileges and restart this script as the app user',
    '\t\texec gosu app "$BASH_SOURCE" "$@"',
    '\tfi',
    '',
    '\tif [ ! -s "$DATA_DIR/VERSION" ]; then',
    '\t\tnote "initializing $DATA_DIR"',
    '\t\tcat > "$DATA_DIR/app.conf" <<EOF',
    'listen_addresses = \'*\'',
    'port = ${PORT:-8080}',
    'data_directory = \'$DATA_DIR\'',
    'log_level = ${LOG_LEVEL:-info}',
    'EOF',
    '\t\tfor f in /docker-entrypoint-initdb.d/*; do',
    '\t\t\tcase "$f" in',
    '\t\t\t\t*.sh)     note "running $f"; . "$f" ;;',
    '\t\t\t\t*.sql)    note "running $f"; app-cli < "$f"; echo ;;',
    '\t\t\t\t*.sql.gz) note "running $f"; gunzip -c "$f" | app-cli; echo ;;',
    '\t\t\t\t*)        note "ignoring $f" ;;',
    '\t\t\tesac',
    '\t\tdone',
    '\t\techo "${APP_VERSION:?}" > "$DATA_DIR/VERSION"',
    '\tfi',
    '',
    '\ttrap \'warn "caught signal, exiting"; exit 143\' TERM INT',
    '\texport PATH="/opt/app/bin:${PATH}" LANG="${LANG:-C.UTF-8}"',
    '\tumask 0027',
    '\tnote "starting: $*"',
    '\texec "$@"',
    '}',
    '',
    'if ! _is_sourced; then',
    '\t_main "$@"',
    'fi',
  );
  return lines.join('\n') + '\n';
}

const { loadShellParser } = await import('../dist/parsers/shell.js');

const source = makeScript();
const lineCount = source.split('\n').length - 1;

const t0 = performance.now();
const parser = await loadShellParser();
const loadMs = performance.now() - t0;

const first = parser.parse(source, 'bash');
if (!first.ok) throw new Error(`benchmark script does not parse: ${first.error.message} at ${first.error.p.join(':')}`);
const jsonKB = JSON.stringify(first).length / 1024;

// Warm up, then measure.
for (let i = 0; i < 20; i++) parser.parse(source, 'bash');
let n = 0;
const start = performance.now();
const deadline = start + seconds * 1000;
let now = start;
while (now < deadline) {
  for (let i = 0; i < 10; i++) parser.parse(source, 'bash');
  n += 10;
  now = performance.now();
}
const elapsed = (now - start) / 1000;

console.log(`script: ${lineCount} lines, ${(Buffer.byteLength(source) / 1024).toFixed(1)} KB`);
console.log(`load (compile + instantiate): ${loadMs.toFixed(1)} ms`);
console.log(`parse: ${(n / elapsed).toFixed(0)} scripts/s (${((elapsed * 1000) / n).toFixed(2)} ms/script, ${n} parses)`);
console.log(`AST per parse, as JSON: ${jsonKB.toFixed(1)} KB`);
