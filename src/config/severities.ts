/**
 * Which rules run, at which severity: the preset (`recommended`, the default, or `all`), then
 * the configuration's `categories` and `rules`, then the command line's `--rule category:<name>=`
 * and `--rule <id>=` (later wins). The result names every rule, so a worker or an editor given it
 * needs nothing else.
 */
import type { Severity } from '../findings.js';
import { RULES } from '../rules/index.js';
import type { Category, Rule } from '../rules/rule.js';
import type { Preset } from './schema.js';

export type Setting = Severity | 'off';

export interface Selection {
  preset?: Preset;
  categories?: Partial<Record<Category, Setting>>;
  rules?: Record<string, Setting>;
}

export function resolveSeverities(layers: readonly Selection[], rules: readonly Rule[] = RULES): Record<string, Setting> {
  const preset = [...layers].reverse().find((l) => l.preset)?.preset ?? 'recommended';
  const out: Record<string, Setting> = {};
  for (const rule of rules) {
    let setting: Setting = preset === 'all' || rule.recommended ? rule.severity : 'off';
    for (const layer of layers) {
      setting = layer.categories?.[rule.category] ?? setting;
      setting = layer.rules?.[rule.id] ?? setting;
    }
    out[rule.id] = setting;
  }
  // ShellCheck's findings have no rule here: their settings are kept as given.
  for (const layer of layers) for (const [id, setting] of Object.entries(layer.rules ?? {})) if (/^shellcheck\/SC\d{4}$/.test(id)) out[id] = setting;
  return out;
}
