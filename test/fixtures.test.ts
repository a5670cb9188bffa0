import { RULES } from '../src/rules/index.js';
import {
  expectedFixed,
  expectedText,
  fixedFiles,
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
      const { findings, read, cwd } = await linted(c);
      if (UPDATE) {
        if (writeExpected(c, findings, fixedFiles(findings, read, cwd))) console.log(`updated ${c.where}\n${formatFindings(findings)}`);
        return;
      }
      const expected = expectedText(c);
      expect({ case: c.where, expected: expected !== null }).toEqual({ case: c.where, expected: true });
      expect(formatFindings(findings)).toBe(expected);
    });

    test('its fixes give the expected files', async () => {
      if (UPDATE) return;
      const { findings, read, cwd } = await linted(c);
      expect(Object.fromEntries(fixedFiles(findings, read, cwd))).toEqual(Object.fromEntries(expectedFixed(c)));
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
