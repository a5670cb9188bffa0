import { firstAshProblem } from '../../src/parsers/ash-features.js';
import { loadShellParser, type ShellParser } from '../../src/parsers/shell.js';

let parser: ShellParser;

beforeAll(async () => {
  parser = await loadShellParser();
});

/** What busybox ash lacks in a script, as `line:column what`, or null. */
function ash(text: string): string | null {
  const r = parser.parse(text, 'bash');
  if (!r.ok) throw new Error(r.error.message);
  const p = firstAshProblem(r.file, text);
  return p ? `${p.p[0]}:${p.p[1]} ${p.what}` : null;
}

describe('firstAshProblem: what bash has and busybox ash lacks', () => {
  it('accepts the bash features busybox ash has', () => {
    expect(ash('if [[ "${1:0:1}" == - ]]; then set -- app "$@"; fi\nv=${v//a/b}\nread -r x <<< "$v"\nfunction f { echo $\'a\\tb\'; }\nf &> /dev/null\nexec "$@"\n')).toBeNull();
    expect(ash('echo "$#" "$!" "$$" "${#v}" "${v%%.*}" "${v:-d}"\nfor x in a b; do echo "$x"; done\n')).toBeNull();
  });

  it('finds arrays: assignments, declarations and expansions', () => {
    expect(ash('set -e\nargs=("$@")\n')).toBe('2:1 array assignments (`args=("$@")`)');
    expect(ash('declare -A seen\n')).toBe('1:9 array declarations (`declare -A`)');
    expect(ash('echo "${BASH_SOURCE[0]}"\n')).toBe('1:7 array expansions (`${BASH_SOURCE[0]}`)');
    expect(ash('n=${#list[@]}\n')).toBe('1:3 array expansions (`${#list[@]}`)');
  });

  it('finds process substitution, case changes, indirection and C-style loops, wherever they are nested', () => {
    expect(ash('while read -r l; do :; done < <(env)\n')).toBe('1:31 process substitution (`<(...)`)');
    expect(ash('main() {\n  if true; then\n    x=$(echo "${1^^}")\n  fi\n}\n')).toBe('3:15 case-changing expansions (`${1^^}`)');
    expect(ash('name=HOME\necho "${!name}"\n')).toBe('2:7 indirect expansions (`${!name}`)');
    expect(ash('for ((i = 0; i < 3; i++)); do echo $i; done\n')).toBe('1:1 C-style for loops (`for ((i = 0; i < 3; i++)); do echo $i; d…`)');
  });

  it('reports the first in source order', () => {
    expect(ash('a=(1 2)\necho "${!a}"\n')).toBe('1:1 array assignments (`a=(1 2)`)');
  });

  it('walks deeply nested ifs without recursion', () => {
    const n = 90; // the parse budget's nesting limit is 100
    const text = `${'if true; then\n'.repeat(n)}echo "\${a[0]}"\n${'fi\n'.repeat(n)}`;
    const r = parser.parse(text, 'bash');
    expect(r.ok).toBe(true);
    if (r.ok) expect(firstAshProblem(r.file, text)?.what).toBe('array expansions (`${a[0]}`)');
  });
});
