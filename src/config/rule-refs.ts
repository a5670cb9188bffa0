/**
 * Names a user may give for rules: a dockerlint rule id, or the code of a peer tool that has an
 * equivalent here (`DL3008`, `JSONArgsRecommended`), mapped through the rules' `peers` (the codes
 * whose suppression comments silence them, as in docs/suppressions.md). One code may stand for
 * several rules (`DL3025`: json-args, shell-form-pid1, invalid-exec-form). Computed on first use:
 * the configuration schema imports this module while the rule list is still loading.
 */
import { RULES } from '../rules/index.js';
import { peersOf } from '../rules/rule.js';

type Tool = 'hadolint' | 'buildkit';
let tables: Record<Tool, Map<string, string[]>> | null = null;

function peerTables(): Record<Tool, Map<string, string[]>> {
  if (tables) return tables;
  const t: Record<Tool, Map<string, string[]>> = { hadolint: new Map(), buildkit: new Map() };
  for (const tool of ['hadolint', 'buildkit'] as const) {
    for (const rule of RULES) for (const p of peersOf(rule, tool)) if (p.suppresses !== false) t[tool].set(p.code, [...(t[tool].get(p.code) ?? []), rule.id]);
  }
  tables = t;
  return t;
}

/** The rule ids `name` stands for, or null when it is neither a rule id nor a mapped peer code. */
export function ruleIdsFor(name: string): string[] | null {
  if (RULES.some((r) => r.id === name)) return [name];
  // ShellCheck's findings (`shellcheck: true`): `shellcheck/SC2086`, or the bare code as hadolint takes it.
  if (/^shellcheck\/SC\d{4}$/.test(name)) return [name];
  if (/^SC\d{4}$/.test(name)) return [`shellcheck/${name}`];
  const t = peerTables();
  if (/^DL\d{4}$/i.test(name)) return t.hadolint.get(name.toUpperCase()) ?? null;
  for (const [code, ids] of t.buildkit) if (code.toLowerCase() === name.toLowerCase()) return [...ids];
  return null;
}

/** Every peer code with its tool and the rules it stands for, sorted by tool and code. */
export function peerCodeTable(): { tool: Tool; code: string; rules: readonly string[] }[] {
  const t = peerTables();
  const rows = (['hadolint', 'buildkit'] as const).flatMap((tool) => [...t[tool]].map(([code, rules]) => ({ tool, code, rules })));
  return rows.sort((a, b) => a.tool.localeCompare(b.tool) || a.code.localeCompare(b.code));
}
