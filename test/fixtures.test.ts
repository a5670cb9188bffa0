import type { Finding } from '../src/findings.js';
import { RULES } from '../src/rules/index.js';
import {
  expectedFixed,
  expectedText,
  fixCase,
  fixtureCases,
  formatFindings,
  lintCase,
  messageIdsIn,
  SCENARIO_SETS,
  writeExpected,
  type FixtureCase,
} from './fixture-harness.js';

const cases = fixtureCases();
const ruleIds = new Set(RULES.map((r) => r.id));
/** scripts/update-fixtures.mjs sets it: rewrite the expectations instead of checking them. */
const UPDATE = process.env.DOCKERLINT_UPDATE_FIXTURES === '1' && !process.env.CI;

const fixes = new Map<FixtureCase, ReturnType<typeof fixCase>>();
const fixedCase = (c: FixtureCase): ReturnType<typeof fixCase> => {
  let p = fixes.get(c);
  if (!p) fixes.set(c, (p = fixCase(c)));
  return p;
};

const lint = new Map<FixtureCase, ReturnType<typeof lintCase>>();
const linted = (c: FixtureCase): ReturnType<typeof lintCase> => {
  let p = lint.get(c);
  if (!p) lint.set(c, (p = lintCase(c)));
  return p;
};

describe('fixtures', () => {
  test('every fixture folder is named after a rule', () => {
    const orphans = [...new Set(cases.map((c) => c.rule))].filter((r) => !ruleIds.has(r) && !SCENARIO_SETS.has(r));
    expect(orphans).toEqual([]);
  });

  test('every rule has a case that fires and a case that stays silent', () => {
    const missing: string[] = [];
    for (const id of ruleIds) {
      if (!cases.some((c) => c.rule === id && c.kind === 'bad')) missing.push(`${id}: no bad case`);
      if (!cases.some((c) => c.rule === id && c.kind === 'good')) missing.push(`${id}: no good case`);
    }
    expect(missing).toEqual([]);
  });

  test("every message id of every rule is in some case's expected findings", () => {
    const seen = new Set<string>();
    for (const c of cases) for (const { rule, messageId } of messageIdsIn(expectedText(c) ?? '')) seen.add(`${rule} ${messageId}`);
    const missing = RULES.flatMap((r) => Object.keys(r.messages).map((id) => `${r.id} ${id}`)).filter((k) => !seen.has(k));
    expect(missing).toEqual([]);
  });

  describe.each(cases.map((c) => [c.where.replace(/:\d+$/, `: ${c.name}`), c] as const))('%s', (_label, c) => {
    test('reports exactly the expected findings, messages, hints and chains', async () => {
      const { findings } = await linted(c);
      if (UPDATE) {
        if (writeExpected(c, findings, (await fixedCase(c)).fixed)) console.log(`updated ${c.where}\n${formatFindings(findings)}`);
        return;
      }
      const expected = expectedText(c);
      expect({ case: c.where, expected: expected !== null }).toEqual({ case: c.where, expected: true });
      expect(formatFindings(findings)).toBe(expected);
    });

    test('its fixes give the expected files, byte for byte', async () => {
      if (UPDATE) return;
      const { fixed } = await fixedCase(c);
      expect(Object.fromEntries(fixed)).toEqual(Object.fromEntries(expectedFixed(c)));
    });

    test('fixed, it still parses (same stages) and its rule keeps only the findings that had no fix; a second --fix changes nothing', async () => {
      const { findings } = await linted(c);
      const outcome = await fixedCase(c);
      if (outcome.fixed.size === 0) return;
      expect(outcome.parses.filter((p) => !p.ok)).toEqual([]);
      const rule = c.kind === 'scenario' ? null : c.rule;
      const ids = (fs: readonly Finding[]): string[] => fs.filter((f) => rule === null || f.rule === rule).map((f) => `${f.rule} ${f.messageId ?? ''}`).sort();
      expect(ids(outcome.remaining)).toEqual(ids(findings.filter((f) => !f.fix)));
      expect(outcome.converged).toBe(true);
      expect(outcome.second).toEqual([]);
    });

    if (c.kind === 'bad') {
      test(`fires ${c.rule}`, async () => {
        const { findings } = await linted(c);
        expect(findings.some((f) => f.rule === c.rule)).toBe(true);
      });
    } else if (c.kind === 'good') {
      // Empty, but for what dockerlint says it could not follow (info), which explains the silence.
      test('reports nothing', async () => {
        const { findings } = await linted(c);
        expect(findings.filter((f) => !(f.rule === 'input-error' && f.severity === 'info'))).toEqual([]);
      });
    }
  });
});
