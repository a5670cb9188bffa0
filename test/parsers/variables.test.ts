import { ASSIGNMENT, ASSIGNMENT_OR_APPEND, guardsUnset, isName, NAME, varReferences, type VarRefOptions } from '../../src/parsers/variables.js';

/** The references of `text` as `name@start-end` (with `[modifier]` when there is one). */
function refs(text: string, options?: VarRefOptions): string[] {
  return varReferences(text, options).map((r) => `${r.name}@${r.start}-${r.end}${r.modifier ? `[${r.modifier}]` : ''}`);
}

describe('variable names', () => {
  it('takes a letter or _ first, then letters, digits and _', () => {
    expect(['PATH', '_x1', 'a', 'A_B_9'].filter(isName)).toEqual(['PATH', '_x1', 'a', 'A_B_9']);
    expect(['', '1x', 'a-b', '$x', 'a.b', 'é', 'a b'].filter(isName)).toEqual([]);
    expect(new RegExp(`^${NAME}`).exec('abc-def')?.[0]).toBe('abc');
  });

  it('reads an assignment word with its name', () => {
    expect(ASSIGNMENT.exec('PORT=8080')?.[1]).toBe('PORT');
    expect(ASSIGNMENT.exec('A_1=')?.[1]).toBe('A_1');
    expect(ASSIGNMENT.test('1A=x')).toBe(false);
    expect(ASSIGNMENT.test('--opt=x')).toBe(false);
    expect(ASSIGNMENT.test('A+=x')).toBe(false);
    expect(ASSIGNMENT_OR_APPEND.exec('A+=x')?.slice(1)).toEqual(['A', '+']);
    expect(ASSIGNMENT_OR_APPEND.exec('A=x')?.slice(1)).toEqual(['A', '']);
    expect(ASSIGNMENT_OR_APPEND.test('A-=x')).toBe(false);
  });
});

describe('varReferences', () => {
  it('reads $x, ${x}, positional and special parameters with their offsets', () => {
    expect(refs('a$x/${y}b')).toEqual(['x@1-3', 'y@4-8']);
    expect(refs('$1 $10 ${12} $@ $# ${#} $$')).toEqual(['1@0-2', '10@3-6', '12@7-12', '@@13-15', '#@16-18', '#@19-23', '$@24-26']);
    expect(refs('$x_1y-z')).toEqual(['x_1y@0-5']);
  });

  it('keeps the modifier of ${x<op>...}, and reads it as the lexer does', () => {
    expect(refs('${x:-a}${y+b}${z%%.*}${w/a/b}${v:?m}')).toEqual(['x@0-7[:-a]', 'y@7-13[+b]', 'z@13-21[%%.*]', 'w@21-29[/a/b]', 'v@29-36[:?m]']);
    // A modifier BuildKit does not support is no reference; the text after it is still read.
    expect(refs('${x.y} $z')).toEqual(['z@7-9']);
  });

  it('takes a $ before anything else as text, and $$ as one parameter', () => {
    expect(refs('5$ a$.b $')).toEqual([]);
    expect(refs('$$A')).toEqual(['$@0-2']);
  });

  it('stops at an unclosed ${ (the builder refuses the word)', () => {
    expect(refs('$a ${b $c')).toEqual(['a@0-2']);
  });

  it('scans operands only when asked, nested braces included', () => {
    expect(refs('${A:-$B}${C:-${D}}')).toEqual(['A@0-8[:-$B]', 'C@8-18[:-${D}]']);
    expect(refs('${A:-$B}${C:-${D}}', { operands: true })).toEqual(['A@0-8[:-$B]', 'B@5-7', 'C@8-18[:-${D}]', 'D@13-17']);
    expect(refs('${A#$B}', { operands: true })).toEqual(['A@0-7[#$B]', 'B@4-6']);
  });

  it('reads quotes only when asked: single quotes hide, double quotes do not', () => {
    expect(refs(`'$a' "$b"`)).toEqual(['a@1-3', 'b@6-8']);
    expect(refs(`'$a' "$b" "'$c'"`, { quotes: true })).toEqual(['b@6-8', 'c@12-14']);
    // An unclosed single quote hides the rest.
    expect(refs(`$a '$b`, { quotes: true })).toEqual(['a@0-2']);
  });

  it('reads the escape character only when given one', () => {
    expect(refs('\\$a $b')).toEqual(['a@1-3', 'b@4-6']);
    expect(refs('\\$a $b', { escape: '\\' })).toEqual(['b@4-6']);
    expect(refs('`$a $b', { escape: '`' })).toEqual(['b@4-6']);
  });
});

describe('guardsUnset', () => {
  it('is true for a reference that says what happens when the variable is unset', () => {
    const guarded = (text: string): boolean[] => varReferences(text).map(guardsUnset);
    expect(guarded('${a:-x}${b-x}${c:+x}${d+x}${e:?x}${f?x}')).toEqual([true, true, true, true, true, true]);
    expect(guarded('$a${b}${c%x}${d#x}${e/x/y}${f:=x}')).toEqual([false, false, false, false, false, false]);
  });
});
