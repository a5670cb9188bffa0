/**
 * Multi-case tests for rules that need only one Dockerfile: each case is a Dockerfile and the
 * findings it must give with only that rule on, as `line:column message-fragment` (an empty list:
 * the rule must stay silent).
 */
import { lintFile } from '../../src/engine.js';
import { RULES } from '../../src/rules/index.js';
import { ShellService } from '../../src/model/shell-service.js';

export interface RuleCase {
  name: string;
  dockerfile: string;
  expect: string[];
  /** Rule options (once the platform passes them). */
  options?: Record<string, unknown>;
}

const shell = new ShellService();

export async function findingsOf(ruleId: string, dockerfile: string): Promise<{ at: string; message: string; hint: string | null; messageId: string | undefined }[]> {
  const severities = Object.fromEntries(RULES.map((r) => [r.id, r.id === ruleId ? r.severity : ('off' as const)]));
  const findings = await lintFile({ path: '-', text: dockerfile }, { cwd: process.cwd(), severities, shell });
  return findings.filter((f) => f.rule === ruleId).map((f) => ({ at: `${f.line}:${f.column}`, message: f.message, hint: f.hint, messageId: f.messageId }));
}

export function ruleCases(ruleId: string, cases: RuleCase[]): void {
  const rule = RULES.find((r) => r.id === ruleId);
  describe(ruleId, () => {
    it('is registered, with messages', () => {
      expect(rule).toBeDefined();
      expect(Object.keys(rule?.messages ?? {}).length).toBeGreaterThan(0);
    });
    const seen = new Set<string>();
    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const got = await findingsOf(ruleId, c.dockerfile);
      const placeholders = Object.values(rule?.messages ?? {}).flatMap((m) => [...`${m.message} ${m.hint ?? ''}`.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((x) => `{${x[1]}}`));
      for (const g of got) {
        if (g.messageId) seen.add(g.messageId);
        for (const p of placeholders) expect(`${g.message} ${g.hint ?? ''}`).not.toContain(p);
      }
      expect(got.map((g) => g.at)).toEqual(c.expect.map((e) => e.split(' ')[0]));
      c.expect.forEach((e, i) => {
        const fragment = e.slice(e.indexOf(' ') + 1);
        if (e.includes(' ')) expect(got[i]?.message).toContain(fragment);
      });
    });
    it('makes every message fire in some case', () => {
      expect([...seen].sort()).toEqual(Object.keys(rule?.messages ?? {}).sort());
    });
    it('has firing and silent cases', () => {
      expect(cases.some((c) => c.expect.length > 0)).toBe(true);
      expect(cases.some((c) => c.expect.length === 0)).toBe(true);
    });
  });
}
