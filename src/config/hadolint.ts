/**
 * hadolint's configuration (`.hadolint.yaml`, `.hadolint.yml`), read when a project has no
 * dockerlint configuration, and translated into one: `ignored` and `override` through the rules'
 * peer codes, `failure-threshold` and `no-fail` into `failureThreshold`, `trustedRegistries` and
 * `label-schema`/`strict-labels` into the options of the rules that use them. Keys dockerlint
 * has no use for, and unknown keys, are notes (warnings), never errors.
 */
import type { Severity } from '../findings.js';
import { defaultConfig, type Config, type FailureThreshold } from './schema.js';
import { ruleIdsFor } from './rule-refs.js';

export const HADOLINT_CONFIG_NAMES = ['.hadolint.yaml', '.hadolint.yml'] as const;

export interface HadolintTranslation {
  config: Config;
  /** What was not translated, one sentence each (the CLI shows them as warnings). */
  notes: string[];
}

const SEVERITY: Record<string, Severity> = { error: 'error', warning: 'warning', info: 'info', style: 'info' };
const THRESHOLD: Record<string, FailureThreshold> = { error: 'error', warning: 'warning', info: 'info', style: 'info', ignore: 'none', none: 'none' };
/** hadolint keys that only shape hadolint's own output or pragmas. */
const NOT_USED = new Set(['format', 'no-color', 'disable-ignore-pragma', 'verbose']);

/** Parsed YAML of a .hadolint.yaml into a dockerlint configuration. */
export function translateHadolint(data: unknown): HadolintTranslation {
  const config = defaultConfig();
  const notes: string[] = [];
  if (data === null || data === undefined) return { config, notes };
  if (typeof data !== 'object' || Array.isArray(data)) return { config, notes: ['not a mapping of settings; nothing was used'] };
  const unmapped: string[] = [];
  const codes = (key: string, value: unknown): string[] => {
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      notes.push(`${key}: expected a list of rule codes; not used`);
      return [];
    }
    const ids: string[] = [];
    for (const code of value as string[]) {
      const mapped = ruleIdsFor(code);
      if (mapped) ids.push(...mapped);
      else unmapped.push(code);
    }
    return ids;
  };
  const options: Record<string, Record<string, unknown>> = {};
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    switch (key) {
      case 'ignored':
        for (const id of codes(key, value)) config.rules[id] = 'off';
        break;
      case 'override': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          notes.push('override: expected a mapping of error/warning/info/style to lists of codes; not used');
          break;
        }
        for (const [level, list] of Object.entries(value as Record<string, unknown>)) {
          const sev = SEVERITY[level];
          if (!sev) {
            notes.push(`override.${level}: unknown level (error, warning, info, style); not used`);
            continue;
          }
          for (const id of codes(`override.${level}`, list)) if (config.rules[id] !== 'off') config.rules[id] = sev;
        }
        break;
      }
      case 'failure-threshold': {
        const t = typeof value === 'string' ? THRESHOLD[value] : undefined;
        if (t) config.failureThreshold = t;
        else notes.push(`failure-threshold: ${String(value)} is not one of error, warning, info, style, ignore, none; not used`);
        break;
      }
      case 'no-fail':
        if (value === true) config.failureThreshold = 'none';
        break;
      case 'trustedRegistries':
        if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
          options['trusted-registry'] = { registries: [...(value as string[])] };
          if (config.rules['trusted-registry'] === undefined) config.rules['trusted-registry'] = 'error';
        } else notes.push('trustedRegistries: expected a list of registry names; not used');
        break;
      case 'label-schema':
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
          options['label-schema'] = { ...(options['label-schema'] ?? {}), labels: { ...(value as Record<string, unknown>) } };
          if (config.rules['label-schema'] === undefined) config.rules['label-schema'] = 'info';
        } else notes.push('label-schema: expected a mapping of label names to types; not used');
        break;
      case 'strict-labels':
        options['label-schema'] = { ...(options['label-schema'] ?? {}), strict: value === true };
        break;
      default:
        notes.push(NOT_USED.has(key) ? `${key}: hadolint's own output setting; dockerlint does not use it` : `${key}: unknown hadolint setting; ignored`);
    }
  }
  if (unmapped.length > 0) notes.push(`no dockerlint equivalent for ${unmapped.join(', ')}: nothing to change for them`);
  if (Object.keys(options).length > 0) config.ruleOptions = options;
  return { config, notes };
}

/** A .dockerlint.yaml with the same meaning as a hadolint configuration (`--init --from-hadolint`). */
export function dockerlintYamlFrom(t: HadolintTranslation, source: string): string {
  const lines = [`# Translated from ${source} by dockerlint --init --from-hadolint.`, ''];
  const rules = Object.entries(t.config.rules);
  if (rules.length > 0) {
    lines.push('rules:');
    for (const [id, sev] of rules.sort(([a], [b]) => a.localeCompare(b))) lines.push(`  ${id}: ${sev}`);
    lines.push('');
  }
  if (t.config.failureThreshold) lines.push(`failureThreshold: ${t.config.failureThreshold}`, '');
  if (t.config.ruleOptions) {
    lines.push('ruleOptions:');
    for (const [id, opts] of Object.entries(t.config.ruleOptions)) lines.push(`  ${id}: ${JSON.stringify(opts)}`);
    lines.push('');
  }
  // hadolint runs ShellCheck on every RUN; here it is a choice (it costs a process per RUN).
  if (t.config.shellcheck === undefined) lines.push('# hadolint runs ShellCheck on RUN bodies; to keep that (with shellcheck installed):', '# shellcheck: true', '');
  for (const n of t.notes) lines.push(`# not translated: ${n}`);
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}
