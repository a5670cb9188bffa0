/**
 * docs/agreement.md against the rules' peers: every hadolint or BuildKit code a rule claims as an
 * equivalent has its row on the page, naming that rule, at 97% or more of the peer's cases; every
 * row is such a claim. (The cases themselves are the peers' test code and stay outside the
 * repository; the page gives the measured figures.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { RULES } from '../src/rules/index.js';
import { peersOf } from '../src/rules/rule.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const page = fs.readFileSync(path.join(root, 'docs', 'agreement.md'), 'utf8');

interface Row {
  code: string;
  rules: string[];
  cases: number;
  agree: number;
  percent: number;
}

/** The rows of the generated tables (between the agreement markers). */
function rows(): Row[] {
  const block = /<!-- agreement:start -->([\s\S]*?)<!-- agreement:end -->/.exec(page)?.[1] ?? '';
  const out: Row[] = [];
  for (const line of block.split('\n')) {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (cells.length < 5 || !/^(DL\d{4}|[A-Z][A-Za-z]+)$/.test(cells[0] ?? '') || cells[0] === 'BuildKit') continue;
    out.push({
      code: cells[0] as string,
      rules: [...(cells[1] ?? '').matchAll(/\[`([a-z0-9-]+)`\]/g)].map((m) => m[1] as string),
      cases: Number(cells[2]),
      agree: Number(cells[3]),
      percent: Number(cells[4]),
    });
  }
  return out;
}

/** code -> the rules that claim it as an equivalent. */
function claims(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of RULES) {
    for (const tool of ['hadolint', 'buildkit'] as const) {
      for (const p of peersOf(r, tool)) {
        if (p.equivalent === false) continue;
        const set = out.get(p.code) ?? new Set<string>();
        set.add(r.id);
        out.set(p.code, set);
      }
    }
  }
  return out;
}

describe('docs/agreement.md', () => {
  test('has a row per claimed equivalent, with the rules that claim it', () => {
    const byCode = new Map(rows().map((r) => [r.code, r]));
    const claimed = claims();
    expect(claimed.size).toBeGreaterThan(80);
    for (const [code, ids] of claimed) {
      const row = byCode.get(code);
      expect({ code, row: row ? 'present' : 'missing' }).toEqual({ code, row: 'present' });
      expect({ code, rules: [...(row?.rules ?? [])].sort() }).toEqual({ code, rules: [...ids].sort() });
    }
    for (const code of byCode.keys()) expect({ code, claimed: claimed.has(code) }).toEqual({ code, claimed: true });
  });

  test('every equivalent agrees on at least 97% of its cases, and the figures add up', () => {
    const all = rows();
    expect(all.length).toBeGreaterThan(80);
    for (const r of all) {
      expect(r.cases).toBeGreaterThan(0);
      expect(r.agree).toBeLessThanOrEqual(r.cases);
      expect(Math.abs(r.percent - (100 * r.agree) / r.cases)).toBeLessThan(0.06);
      expect({ code: r.code, atLeast97: r.agree / r.cases >= 0.97 }).toEqual({ code: r.code, atLeast97: true });
    }
  });

  test('a rule marked related (equivalent: false) is not counted as an equivalent', () => {
    const related = RULES.flatMap((r) => (['hadolint', 'buildkit'] as const).flatMap((t) => peersOf(r, t).filter((p) => p.equivalent === false).map((p) => ({ code: p.code, id: r.id }))));
    expect(related.length).toBeGreaterThan(0);
    const byCode = new Map(rows().map((r) => [r.code, r]));
    for (const { code, id } of related) expect(byCode.get(code)?.rules ?? []).not.toContain(id);
  });
});
