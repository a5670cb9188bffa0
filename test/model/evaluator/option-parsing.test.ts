/**
 * `while getopts ...; do ...; done; shift $((OPTIND - 1))`: the option parser of vendor
 * entrypoints. Over known words (CMD's, or the user command, which is not an option) it is run
 * pass by pass as getopts would, so `$#` after the shift is what the shell has; over words it
 * cannot know, `$#` is unknown, never a wrong known value.
 */
import { parseGetopts } from '../../../src/model/evaluator/getopts.js';
import { lit, UNKNOWN, UNKNOWN_FIELDS } from '../../../src/model/evaluator/values.js';
import { endings, setup } from './harness.js';

beforeAll(setup);

const PARSER = '#!/bin/bash\nwhile getopts ":hnpc:" opt; do\n  case "$opt" in\n    h) echo usage; exit 0 ;;\n    n) NMBD=true ;;\n    p) PERM=true ;;\n    c) CONF="$OPTARG" ;;\n  esac\ndone\nshift $(( OPTIND - 1 ))\n';

describe('parseGetopts', () => {
  const words = (...w: string[]) => w.map(lit);
  test('clusters, values in the same word or the next, and the first non-option word', () => {
    const p = parseGetopts(':hnpc:', words('-pn', '-cfoo', '-c', 'bar', 'smbd', '-n'), 32);
    expect(p?.steps.map((s) => [s.name, s.optarg?.s, s.optind])).toEqual([
      ['p', undefined, 1],
      ['n', undefined, 2],
      ['c', 'foo', 3],
      ['c', 'bar', 5],
    ]);
    expect(p?.optind).toBe(5);
  });
  test('`--` ends the options and is dropped by the shift; unknown letters and missing values are errors', () => {
    expect(parseGetopts('n', words('-n', '--', '-x'), 32)?.optind).toBe(3);
    expect(parseGetopts(':n', words('-x'), 32)?.steps).toEqual([{ name: '?', optarg: { s: 'x' }, optind: 2 }]);
    expect(parseGetopts('n', words('-x'), 32)?.steps).toEqual([{ name: '?', optarg: undefined, optind: 2 }]);
    expect(parseGetopts(':c:', words('-c'), 32)?.steps).toEqual([{ name: ':', optarg: { s: 'c' }, optind: 2 }]);
  });
  test('a word it must read that is unknown: no parse', () => {
    expect(parseGetopts('n', [lit('-n'), UNKNOWN], 32)).toBeNull();
    expect(parseGetopts('n', [UNKNOWN_FIELDS], 32)).toBeNull();
    // An unknown word after the first non-option is never read.
    expect(parseGetopts('n', [lit('-n'), lit('app'), UNKNOWN_FIELDS], 32)?.optind).toBe(2);
  });
});

describe('a getopts loop then shift $((OPTIND - 1))', () => {
  const TAIL = 'if [ $# -ge 1 ]; then\n  exec "$@"\nfi\nexec smbd -F\n';
  test('CMD of options only: every word is consumed, $# is 0, the script execs its own server', () => {
    expect(endings(PARSER + TAIL, { args: ['-p', '-n'] })).toEqual(['exec smbd -F [root]@14']);
  });
  test('an option value and a command after the options: the command is run', () => {
    expect(endings(PARSER + TAIL, { args: ['-c', '/etc/smb.conf', 'smbd', '-d'] })).toEqual(['exec smbd -d [root]@12']);
  });
  test('the user command is not an option: getopts stops at it, and it is exec\'d', () => {
    expect(endings(PARSER + TAIL, { args: 'user' })).toEqual(['exec <command> [root]@12']);
  });
  test('the parsed options set what the body assigns (value of -c)', () => {
    expect(endings(PARSER + 'exec smbd -s "$CONF" --perm="$PERM"\n', { args: ['-p', '-c', '/x.conf'] })).toEqual(['exec smbd -s /x.conf --perm=true [root]@11']);
  });
  test('-h takes the usage branch and exits there', () => {
    expect(endings(PARSER + TAIL, { args: ['-h'] })).toEqual(['exit 0 [root]@4']);
  });
  test('an option word that cannot be known: $# is unknown, both endings stay possible', () => {
    expect(endings('#!/bin/bash\nset -- "$UNSET_OPTS" "$@"\n' + PARSER.slice('#!/bin/bash\n'.length) + TAIL, { args: ['-p'], env: { UNSET_OPTS: null } })).toEqual(['exec smbd -F [root]@15', 'exec … [root]@13', 'exit 0 [root]@5']);
  });
});

describe('$((...)): known when its operands are', () => {
  test('names, numbers, $# and parentheses', () => {
    expect(endings('#!/bin/sh\nn=3\nexec app --workers $(( (n + 1) * 2 )) --rest $(($# - 1)) --unset $((NOPE + 0))\n', { args: ['a', 'b'] })).toEqual(['exec app --workers 8 --rest 1 --unset 0 [root]@3']);
  });
  test('an unknown operand, a division by zero or an assignment: unknown', () => {
    expect(endings('#!/bin/sh\nexec app $((N + 1)) $((2 / 0)) $((i++))\n', { env: { N: null } })).toEqual(['exec app … … … [root]@2']);
  });
});

describe('a `while [ $# -gt 0 ]; do case "$1" ...; shift; done` loop over known words', () => {
  const LOOP = '#!/bin/sh\nwhile [ $# -gt 0 ]; do\n  case "$1" in\n    -v) VERBOSE=1 ;;\n    --port) PORT=$2; shift ;;\n    -*) echo "unknown option $1" >&2; exit 2 ;;\n    *) echo "unknown driver $1" >&2; exit 1 ;;\n  esac\n  shift\ndone\nexec server --port "${PORT:-80}" --verbose="${VERBOSE:-0}" "$@"\n';
  test('CMD of options: run pass by pass, each word takes its own branch, and nothing is left for "$@"', () => {
    expect(endings(LOOP, { args: ['--port', '8080', '-v'] }, true)).toEqual(['exec server --port 8080 --verbose=1 [root]@11']);
  });
  test('no arguments: the loop is not entered, and "$@" stays empty', () => {
    expect(endings(LOOP, { args: [] }, true)).toEqual(['exec server --port 80 --verbose=0 [root]@11']);
  });
  test('the user command is no option and none of the words the parser knows: it is rejected', () => {
    expect(endings(LOOP, { args: 'user' }, true)).toEqual(['exit 1 [root]@7']);
  });
  test('a word that cannot be known: the loop is widened, every branch stays possible', () => {
    const unknown = '#!/bin/sh\nset -- $UNSET_OPTS\n' + LOOP.slice('#!/bin/sh\n'.length);
    expect(endings(unknown, { args: [], env: { UNSET_OPTS: null } }, true)).toEqual(['exec server --port ? --verbose=1 … [root]@12', 'exec server --port ? ? … [root]@12', 'exit 1 [root]@8', 'exit 2 [root]@7']);
  });
  test('a loop that never shifts is widened after as many passes as there are words, not run for ever', () => {
    const stuck = '#!/bin/sh\nwhile [ $# -gt 0 ]; do\n  case "$1" in\n    -v) VERBOSE=1 ;;\n  esac\n  [ -n "$DONE" ] && set --\ndone\nexec server\n';
    expect(endings(stuck, { args: ['-v'], env: { DONE: null } }, true)).toEqual(['exec server [root]@8']);
  });
});
