import { expandPattern, type VarLookup } from '../../src/model/expand.js';

/** QEMU_ARCH and SCRIPT are build arguments with no default; DIR is `bin`. */
const vars: VarLookup = Object.assign((n: string) => ({ QEMU_ARCH: null, SCRIPT: null, DIR: 'bin' } as Record<string, string | null>)[n], { unsetArg: () => false });
const pattern = (word: string): string | undefined => expandPattern(word, vars, '<?>')?.value;

describe('expandPattern: a COPY source with unknown parts, as what it may name', () => {
  test('each reference with no known value is a mark; known parts expand as usual, quotes removed', () => {
    expect(pattern('qemu-${QEMU_ARCH}-static*')).toBe('qemu-<?>-static*');
    expect(pattern('"$DIR/${SCRIPT}"')).toBe('bin/<?>');
  });

  test('the whole reference is the mark, whatever its operator: `${X:+a}` may be empty, `${X:-a}` may be X', () => {
    expect(pattern('x${SCRIPT:+.sh}')).toBe('x<?>');
    expect(pattern('${SCRIPT:-run.sh}')).toBe('<?>');
  });

  test('a word over the expansion budget is not a pattern', () => {
    expect(pattern('${A:-'.repeat(100) + 'x' + '}'.repeat(100))).toBeUndefined();
  });
});
