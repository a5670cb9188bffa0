import { RULES } from '../src/rules/index.js';
import { expectedLines, findingLine, fixtureCases, lintCase, SCENARIO_SETS } from './fixture-harness.js';

const cases = fixtureCases();
const ruleIds = new Set(RULES.map((r) => r.id));

describe('fixtures', () => {
  test('every fixture folder is named after a rule', () => {
    const orphans = [...new Set(cases.map((c) => c.rule))].filter((r) => !ruleIds.has(r) && !SCENARIO_SETS.has(r));
    expect(orphans).toEqual([]);
  });

  test('every rule has a case that fires and a case that stays silent', () => {
    const missing: string[] = [];
    for (const id of ruleIds) {
      if (!cases.some((c) => c.rule === id && c.kind === 'bad')) missing.push(`${id}: no bad- case`);
      if (!cases.some((c) => c.rule === id && c.kind === 'good')) missing.push(`${id}: no good- case`);
    }
    expect(missing).toEqual([]);
  });

  describe.each(cases.map((c) => [`${c.rule}/${c.name}`, c] as const))('%s', (_label, c) => {
    test('reports exactly the expected findings', async () => {
      const expected = expectedLines(c);
      expect(expected).not.toBeNull();
      const actual = (await lintCase(c)).map(findingLine);
      expect(actual).toEqual(expected);
    });

    if (c.kind === 'bad') {
      test(`fires ${c.rule}`, async () => {
        const found = await lintCase(c);
        expect(found.some((f) => f.rule === c.rule)).toBe(true);
      });
    } else if (c.kind === 'good') {
      test(`does not fire ${c.rule}`, async () => {
        const found = await lintCase(c);
        expect(found.filter((f) => f.rule === c.rule)).toEqual([]);
      });
    }
  });
});
