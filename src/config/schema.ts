/**
 * The configuration file's shape, as TypeScript types and as a JSON Schema generated from the
 * rule list (so the enum of rule ids cannot go stale). `npm run gen` writes the same
 * schema to `schema/dockerlint.schema.json`, which ships with the package for editors; a test
 * fails when that file differs from `schemaText()`.
 *
 * Configuration is data only (YAML or JSON): nothing from a linted repository is ever executed.
 */
import type { Severity } from '../findings.js';
import { FORMATS, type Format } from '../reporters/index.js';
import { RULES } from '../rules/index.js';
import { peerCodeTable } from './rule-refs.js';
import { CATEGORIES, type Category } from '../rules/rule.js';

/** `recommended` (the default): the rules marked recommended; `all`: every rule. */
export const PRESETS = ['recommended', 'all'] as const;
export type Preset = (typeof PRESETS)[number];

const SEVERITY_SETTINGS = ['off', 'info', 'warning', 'error'] as const;

/** The same values as the CLI's `--failure-threshold` (a test checks they agree). */
export const FAILURE_THRESHOLDS = ['error', 'warning', 'info', 'none'] as const;
export type FailureThreshold = (typeof FAILURE_THRESHOLDS)[number];

export interface ContextOverride {
  /** Glob of Dockerfile paths, relative to the config file's folder. */
  dockerfile: string;
  /** Build context folder for those Dockerfiles, relative to the config file's folder. */
  context: string;
}

export interface TrustedBaseImage {
  /** Image reference: a glob (`ghcr.io/acme/*`) or a prefix (`ghcr.io/acme/`, `node`). */
  image: string;
  /** The user the image runs as (when it is not root). */
  user?: string;
  /** The image's own ENTRYPOINT steps down from root (gosu/su-exec) before running CMD. */
  dropsPrivileges?: boolean;
}

export interface Config {
  /** Which rules are on before `categories` and `rules` change them (default: recommended). */
  preset?: Preset;
  /** Severity for every rule of a category; `off` disables them. */
  categories: Partial<Record<Category, Severity | 'off'>>;
  /** Severity per rule id; `off` disables the rule. Only the rules named are changed. */
  rules: Record<string, Severity | 'off'>;
  /** Options per rule id (for the rules that take options; see each rule's page). */
  ruleOptions: Record<string, Record<string, unknown>>;
  /** Globs of paths not to lint, relative to the config file's folder. */
  ignore: string[];
  failureThreshold?: FailureThreshold;
  format?: Format;
  context: ContextOverride[];
  trustedBaseImages: TrustedBaseImage[];
  /** Files larger than this are not read: bytes, or a size such as `512KB` or `8MB`. */
  maxFileSize?: number | string;
  /** Give RUN bodies and entrypoint scripts to the host's `shellcheck` program (default: false). */
  shellcheck?: boolean;
}

/** The default of `maxFileSize` / `--max-file-size`. */
export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };
/** The pattern of a size string, for the schema and for the CLI. */
const SIZE_PATTERN = '^\\s*[0-9]+(\\.[0-9]+)?\\s*([kKmMgG]?[iI]?[bB]?)\\s*$';

/**
 * Bytes from `maxFileSize` / `--max-file-size`: a number of bytes, or a number with a unit (B, KB,
 * MB, GB; K/M/G and KiB/MiB/GiB too; all powers of 1024, as Docker's size options). Null when it
 * is not a positive size.
 */
export function parseSize(value: number | string): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : null;
  const m = new RegExp(SIZE_PATTERN).exec(value);
  if (!m) return null;
  const unit = SIZE_UNITS[(m[2] ?? '').toLowerCase()];
  const bytes = Math.floor(parseFloat(value) * (unit ?? NaN));
  return Number.isFinite(bytes) && bytes > 0 ? bytes : null;
}

/** A size for messages: `4 MB`, `512 KB`, `1000 bytes`. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

/** The configuration when there is no file, and the base every file's keys are laid on. */
export function defaultConfig(): Config {
  return { categories: {}, rules: {}, ruleOptions: {}, ignore: [], context: [], trustedBaseImages: [] };
}

/** The top-level keys, in documentation order. */
export const CONFIG_KEYS = ['rules', 'ignore', 'failureThreshold', 'format', 'context', 'trustedBaseImages', 'maxFileSize', 'preset', 'categories', 'ruleOptions', 'shellcheck'] as const;

type JsonSchema = Record<string, unknown>;

const nonEmptyString = (description: string): JsonSchema => ({ type: 'string', minLength: 1, description });

/** The JSON Schema (draft-07) of a dockerlint configuration file. */
export function configSchema(): JsonSchema {
  const rules: Record<string, JsonSchema> = {};
  for (const rule of RULES) {
    rules[rule.id] = {
      description: `${rule.title} (default: ${rule.severity})`,
      enum: [...SEVERITY_SETTINGS],
      default: rule.severity,
    };
  }
  // hadolint and BuildKit codes work wherever a rule id does (`DL3008: off`).
  for (const row of peerCodeTable()) {
    if (rules[row.code]) continue;
    rules[row.code] = { description: `${row.tool === 'hadolint' ? 'hadolint' : 'BuildKit'} ${row.code}: sets ${row.rules.join(', ')}`, enum: [...SEVERITY_SETTINGS] };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'dockerlint configuration',
    description:
      'Configuration of dockerlint: .dockerlint.yaml, .dockerlint.yml, or the "dockerlint" key of package.json. Paths and globs are relative to the folder of the file.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', description: 'The schema of this file (for editors); ignored by dockerlint.' },
      rules: {
        description: 'Severity per rule id: off, info, warning or error. Rules not named keep their default severity.',
        type: 'object',
        additionalProperties: false,
        properties: rules,
        // ShellCheck's findings (with `shellcheck: true`) by their ids.
        patternProperties: { '^shellcheck/SC[0-9]{4}$': { description: 'A ShellCheck finding (with shellcheck: true)', enum: [...SEVERITY_SETTINGS] } },
      },
      shellcheck: {
        description: "Give each shell-form RUN body and each entrypoint script to the host's shellcheck program (found on PATH outside the repository); its findings are shellcheck/SCxxxx. Default: false.",
        type: 'boolean',
      },
      ignore: {
        description: 'Globs of paths not to lint, relative to the folder of this file (e.g. "vendor/**").',
        type: 'array',
        items: nonEmptyString('A glob, relative to the folder of this file.'),
      },
      failureThreshold: {
        description: 'The lowest severity that makes the exit code 1 (default: warning); none never fails on findings.',
        enum: [...FAILURE_THRESHOLDS],
      },
      format: {
        description: 'Output format (default: stylish).',
        enum: [...FORMATS],
      },
      context: {
        description: 'Build contexts for Dockerfiles that are not built from their own folder.',
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['dockerfile', 'context'],
          properties: {
            dockerfile: nonEmptyString('Glob of Dockerfile paths, relative to the folder of this file.'),
            context: nonEmptyString('The build context folder, relative to the folder of this file.'),
          },
        },
      },
      trustedBaseImages: {
        description:
          'Base images dockerlint cannot pull but you know: the user they run as, and whether their ENTRYPOINT drops root before running CMD.',
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['image'],
          properties: {
            image: nonEmptyString('Image reference: a glob (ghcr.io/acme/*) or a prefix (ghcr.io/acme/, node).'),
            user: nonEmptyString('The user the image runs as.'),
            dropsPrivileges: { type: 'boolean', description: "The image's ENTRYPOINT steps down from root before running CMD." },
          },
        },
      },
      maxFileSize: {
        description:
          'Files larger than this are not read (reported as input-error): bytes, or a size such as "512KB" or "8MB" (powers of 1024). Default: 4MB.',
        oneOf: [
          { type: 'integer', minimum: 1 },
          { type: 'string', pattern: SIZE_PATTERN },
        ],
      },
      preset: {
        description: 'Which rules are on: recommended (the default: the rules marked recommended) or all. categories and rules then change them.',
        enum: [...PRESETS],
      },
      categories: {
        description: 'Severity for every rule of a category: off, info, warning or error (rules then changes single rules).',
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(Object.entries(CATEGORIES).map(([name, what]) => [name, { description: what, enum: [...SEVERITY_SETTINGS] }])),
      },
      ruleOptions: {
        description: 'Options of the rules that take options, by rule id.',
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(RULES.filter((r) => r.options).map((r) => [r.id, { description: `Options of ${r.id}`, ...r.options?.schema }])),
      },
    },
  };
}

/** The text of `schema/dockerlint.schema.json`. */
export function schemaText(): string {
  return `${JSON.stringify(configSchema(), null, 2)}\n`;
}

/**
 * A commented YAML starter for `dockerlint --init`, listing every rule with its default severity.
 * The settings are commented out, sshd_config style: a line that is `#` directly followed by a key
 * (or, under `#rules:`, by two spaces and a rule id) shows a default, and removing that `#` makes
 * it a setting. Prose lines are `# ` followed by text.
 */
export function starterConfig(): string {
  const width = Math.max(...RULES.map((r) => r.id.length)) + 1;
  const ruleLines = RULES.map((r) => `#  ${`${r.id}:`.padEnd(width)} ${r.severity.padEnd(7)}  # ${r.title}`);
  return [
    '# dockerlint configuration (written by `dockerlint --init`).',
    '# Every key is optional. Paths and globs are relative to the folder of this file.',
    '# A line with `#` directly before a key shows the default: remove the `#` to set it.',
    '# Schema for editors: node_modules/dockerlint/schema/dockerlint.schema.json',
    '',
    '# Which rules are on: recommended (the rules marked so in --list-rules) or all.',
    '#preset: recommended',
    '',
    `# A severity for every rule of a category (${Object.keys(CATEGORIES).join(', ')}),`,
    '# e.g. { build: off, pid1: error }; the rules below then change single rules.',
    '',
    '# Severity of each rule: off, info, warning or error.',
    '#rules:',
    ...ruleLines,
    '',
    '# Paths not to lint (globs), e.g. ["vendor/**", "**/testdata/**"].',
    '#ignore: []',
    '',
    '# The lowest severity that makes the exit code 1: error, warning, info or none.',
    '#failureThreshold: warning',
    '',
    `# Output format: ${FORMATS.join(', ')}.`,
    '#format: stylish',
    '',
    '# Build context of Dockerfiles that are not built from their own folder,',
    '# e.g. [{ dockerfile: "docker/*.Dockerfile", context: "." }].',
    '#context: []',
    '',
    '# Base images dockerlint cannot look into: the user they run as, and whether their',
    '# ENTRYPOINT drops root (gosu/su-exec) before running CMD, e.g.',
    '# [{ image: "ghcr.io/acme/base-*", user: app }, { image: "ghcr.io/acme/db", dropsPrivileges: true }].',
    '#trustedBaseImages: []',
    '',
    '# Files larger than this are not read (reported as input-error), e.g. 512KB or 16MB.',
    '#maxFileSize: 4MB',
    '',
  ].join('\n');
}
