import { RULES } from '../../src/rules/index.js';
import { fixtureCases, lintCase } from '../fixture-harness.js';

describe('fix metadata', () => {
  test('a rule is fixable exactly when its docs say what its fixes do, with their safety and why', () => {
    for (const r of RULES) {
      const docs = r.docs.autofix ?? [];
      expect({ rule: r.id, fixable: r.fixable }).toEqual({ rule: r.id, fixable: docs.length > 0 });
      for (const a of docs) expect(a.what.length > 20 && a.why.length > 10).toBe(true);
    }
  });

  test("every fix in the fixtures belongs to a fixable rule that documents a fix of that safety, and every fixable rule's fixes are shown by some case", async () => {
    const seen = new Set<string>();
    const wrong: string[] = [];
    for (const c of fixtureCases()) {
      const { findings } = await lintCase(c);
      for (const f of findings) {
        if (!f.fix) continue;
        const rule = RULES.find((r) => r.id === f.rule);
        if (!rule?.fixable || !(rule.docs.autofix ?? []).some((a) => a.safety === f.fix?.safety)) wrong.push(`${c.where}: ${f.rule} ${f.fix.safety}`);
        seen.add(`${f.rule} ${f.fix.safety}`);
      }
    }
    expect(wrong).toEqual([]);
    const documented = RULES.flatMap((r) => [...new Set((r.docs.autofix ?? []).map((a) => `${r.id} ${a.safety}`))]);
    expect(documented.filter((d) => !seen.has(d))).toEqual([]);
  });
});
