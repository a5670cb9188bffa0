/**
 * The digest that finds equal states compares values by a hash of their key. `varHash` feeds the
 * key to the hash character by character instead of writing it out first: it must give exactly
 * the numbers `textHash` gives for the written-out key, or states that were equal would differ.
 */
import fc from 'fast-check';
import { textHash, varHash, type Var } from '../../../src/model/evaluator/state.js';
import type { Field, Mangling } from '../../../src/model/evaluator/values.js';

/** The key as it was written out before: text, multi, argument index, mangling, the texts it differs from. */
function fieldKey(f: Field): string {
  return `${f.s === null ? '\u0002' : f.s}\u0001${f.multi ? 1 : 0}${f.arg ?? ''}\u0001${f.mangled ?? ''}\u0001${f.not?.join('\u0003') ?? ''}`;
}

function varKey(v: Var): string {
  return v.kind === 'scalar' ? `${v.maybeUnset ? 'u' : 's'}${fieldKey(v.value)}` : `a${v.items.map(fieldKey).join('\u0004')}`;
}

const text = fc.oneof(fc.string(), fc.constantFrom('', 'a', '\u0001', '\u0002x', 'é', '😀', 'x y', '12'));
const field: fc.Arbitrary<Field> = fc.record(
  {
    s: fc.option(text, { nil: null }),
    multi: fc.boolean(),
    arg: fc.nat(40),
    mangled: fc.constantFrom<Mangling>('star', 'glued', 'unquoted'),
    not: fc.array(text, { maxLength: 3 }),
  },
  { requiredKeys: ['s'] },
);
const value: fc.Arbitrary<Var> = fc.oneof(
  fc.tuple(field, fc.boolean()).map(([f, maybeUnset]): Var => ({ kind: 'scalar', value: f, ...(maybeUnset ? { maybeUnset: true as const } : {}) })),
  fc.array(field, { maxLength: 4 }).map((items): Var => ({ kind: 'array', items })),
);

describe('the hash of a variable value', () => {
  test('is textHash of its written-out key', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(varHash(v)).toEqual(textHash(varKey(v)));
      }),
      { numRuns: 5000 },
    );
  });

  test('tells apart values whose keys differ in one part', () => {
    const base: Field = { s: 'x', arg: 1 };
    const variants: Field[] = [{ s: 'x' }, { s: 'x', arg: 2 }, { s: 'x', arg: 1, multi: true }, { s: 'x', arg: 1, mangled: 'star' }, { s: 'x', arg: 1, not: ['0'] }, { s: null, arg: 1 }, { s: 'x1' }];
    const h = varHash({ kind: 'scalar', value: base });
    for (const f of variants) expect(varHash({ kind: 'scalar', value: f })).not.toEqual(h);
    expect(varHash({ kind: 'array', items: [base] })).not.toEqual(h);
    expect(varHash({ kind: 'scalar', value: base, maybeUnset: true })).not.toEqual(h);
  });
});
