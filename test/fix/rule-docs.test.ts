import { RULES } from '../../src/rules/index.js';
import { fixtureCases, lintCase } from '../fixture-harness.js';

describe('fix metadata', () => {
  test('a rule is fixable exactly when its docs say what its fixes do, with their safety and why', () => {
    // A fixable rule lists its fixes in docs.autofix: [{ safety, what, why }] (src/rules/rule.ts,
    // AutofixDoc); its page shows them under "Automatic fixes".
    const wrong: string[] = [];
    for (const r of RULES) {
      const docs = r.docs.autofix ?? [];
      if (r.fixable && docs.length === 0) wrong.push(`${r.id}: fixable, but no docs.autofix says what its fixes do and why they are safe or unsafe`);
      if (!r.fixable && docs.length > 0) wrong.push(`${r.id}: docs.autofix without fixable: true`);
      for (const a of docs) if (a.what.length < 20 || a.why.length < 10) wrong.push(`${r.id}: an autofix entry too short to explain itself`);
    }
    expect(wrong).toEqual([]);
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
