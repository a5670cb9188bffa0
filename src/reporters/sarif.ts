/**
 * `--format sarif`: SARIF 2.1.0 (one run), for GitHub code scanning and other SARIF viewers.
 *
 * - `tool.driver.rules` is generated from the rule metadata, plus one entry for each finding id
 *   that is not a rule (`input-error`, `syntax-error`); each result points at its rule with
 *   `ruleId` and `ruleIndex`.
 * - Paths are relative URIs (forward slashes, percent-encoded) against `uriBaseId: %SRCROOT%`,
 *   the repository root (./source-root.ts: the CI checkout, else the nearest folder with `.git`),
 *   which `originalUriBaseIds` gives as a `file://` URI; code scanning maps such paths to the
 *   repository's files whatever subfolder dockerlint ran in. Files outside the root become
 *   absolute `file://` URIs. Standard input (`-`) has no URI: its artifact location carries only
 *   a description.
 * - Every rule carries `properties.tags` (its category) and `properties["security-severity"]`, a
 *   CVSS-like score from its category and default severity (SECURITY_SEVERITY, documented in
 *   docs/sarif.md); rules about privileges are also tagged `security`, which makes GitHub show
 *   their alerts as security alerts with that score's level.
 * - Columns count UTF-16 code units (`run.columnKind`), as dockerlint's own columns do, and the
 *   region end is exclusive, as in SARIF.
 * - The evidence chain (`related`, all but the last link, which is the result's own place)
 *   becomes `relatedLocations`; in a script several Dockerfiles start, the place in each other
 *   Dockerfile that starts it (`alsoStartedBy`) follows, its message prefixed "also starts it:".
 * - `partialFingerprints["dockerlint/v1"]` hashes rule + file + message, never line numbers, so
 *   a finding keeps its identity when lines move; identical findings in one file are told apart
 *   by a `:N` occurrence suffix (as GitHub's own `primaryLocationLineHash` does).
 * - A finding with a fix carries it as `fixes` (artifact changes with replacements; the safety
 *   in the description and in `properties.safety`).
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type {
  ArtifactLocation,
  Location,
  Log,
  Region,
  ReportingConfiguration,
  ReportingDescriptor,
  Result,
} from 'sarif';
import type { Finding, Related, Severity } from '../findings.js';
import type { Category } from '../rules/rule.js';
import type { RuleMeta } from '../rules/rule.js';
import { escapeJson } from './escape.js';
import { DIAGNOSTICS } from '../rules/index.js';
import { sarifFix } from '../fix/output.js';
import { REPOSITORY_URL, ruleDocUrl } from '../meta.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json';
export const INFORMATION_URI = REPOSITORY_URL;
export const FINGERPRINT_KEY = 'dockerlint/v1';
/** The base id of relative URIs (the name GitHub and SARIF's examples use for the source root). */
export const SRCROOT = '%SRCROOT%';

export function helpUri(id: string): string {
  return ruleDocUrl(id);
}

type Level = ReportingConfiguration.level;

const LEVEL: Record<Severity, Level> = { error: 'error', warning: 'warning', info: 'note' };

/** `root-process` -> `RootProcess`: SARIF's `name` is an identifier-like, human-readable name. */
function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

function fence(lang: string, text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${lang}\n${text.replace(/\n$/, '')}\n${ticks}`;
}

/**
 * CVSS-like scores (0.0-10.0) by category and default severity, for `security-severity`. GitHub
 * reads 9.0+ as critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low. The privilege rules score
 * highest (a root main process or password-less sudo turns any code execution into root in the
 * container); start-up failures stop the service (availability); PID 1 and signal problems lose
 * clean shutdowns (availability, partial); build, style and input findings have no runtime
 * security impact of their own.
 */
export const SECURITY_SEVERITY: Record<Category, Record<Severity, number>> = {
  privilege: { error: 7.5, warning: 5.5, info: 3.0 },
  startup: { error: 5.0, warning: 4.0, info: 2.0 },
  pid1: { error: 4.0, warning: 3.0, info: 1.5 },
  build: { error: 3.0, warning: 2.0, info: 1.0 },
  style: { error: 0.0, warning: 0.0, info: 0.0 },
  input: { error: 0.0, warning: 0.0, info: 0.0 },
};

/** The categories whose rules GitHub should treat as security queries. */
export const SECURITY_CATEGORIES: readonly Category[] = ['privilege'];

function ruleDescriptor(rule: Pick<RuleMeta, 'id' | 'title' | 'docs' | 'severity' | 'category'>): ReportingDescriptor {
  const d = rule.docs;
  const uri = helpUri(rule.id);
  const lang = (text: string): string => (text.startsWith('#!') ? 'sh' : 'dockerfile');
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: d.what },
    help: {
      text: `${d.why}\n\nFix: ${d.howToFix}\n\nDocumentation: ${uri}`,
      markdown: [
        d.why,
        `**Fix:** ${d.howToFix}`,
        'Flagged:',
        fence(lang(d.bad), d.bad),
        'Fixed:',
        fence(lang(d.good), d.good),
        `[Rule documentation](${uri})`,
      ].join('\n\n'),
    },
    helpUri: uri,
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: SECURITY_CATEGORIES.includes(rule.category) ? ['security', rule.category] : [rule.category],
      'security-severity': SECURITY_SEVERITY[rule.category][rule.severity].toFixed(1),
    },
  };
}

/** Replace lone surrogates, which `encodeURIComponent` rejects. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

function encodePath(p: string): string {
  return p
    .split('/')
    .map((segment) => encodeURIComponent(wellFormed(segment)))
    .join('/');
}

/** The URI of a finding's file: relative (to SRCROOT) where possible; null for stdin. */
export function fileUri(file: string): { uri: string; relative: boolean } | null {
  if (file === '-') return null;
  const slashed = file.replace(/\\/g, '/');
  const drive = /^([A-Za-z]):\//.exec(slashed);
  if (drive) return { uri: `file:///${drive[1]}:/${encodePath(slashed.slice(3))}`, relative: false };
  if (slashed.startsWith('//')) return { uri: `file:${encodePath(slashed)}`, relative: false };
  if (slashed.startsWith('/')) return { uri: `file://${encodePath(slashed)}`, relative: false };
  return { uri: encodePath(slashed.replace(/^(\.\/)+/, '')), relative: true };
}

function artifactLocation(file: string): ArtifactLocation {
  const u = fileUri(file);
  if (!u) return { description: { text: 'standard input' } };
  return u.relative ? { uri: u.uri, uriBaseId: SRCROOT } : { uri: u.uri };
}

/** A region SARIF accepts: 1-based, the end never before the start. */
function region(f: Finding): Region {
  const startLine = Math.max(1, f.line);
  const startColumn = Math.max(1, f.column);
  const endLine = Math.max(startLine, f.endLine);
  let endColumn = Math.max(1, f.endColumn);
  if (endLine === startLine && endColumn < startColumn) endColumn = startColumn;
  return { startLine, startColumn, endLine, endColumn };
}

function relatedLocation(r: Related, id: number): Location {
  return {
    id,
    physicalLocation: {
      artifactLocation: artifactLocation(r.file),
      region: { startLine: Math.max(1, r.line), startColumn: Math.max(1, r.column) },
    },
    message: { text: r.message },
  };
}

/** The root as an absolute `file://` URI ending in `/`, as SARIF requires of a base URI. */
function rootUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith('/') ? href : `${href}/`;
}

const ALSO_STARTED_BY = / Also started by [^\n]*\.$/;

export function fingerprintBase(f: Finding): string {
  const file = fileUri(f.file)?.uri ?? '-';
  // Without the "Also started by ..." that names the other Dockerfiles starting a shared script:
  // a new Dockerfile that starts it, or a shard with only some of them, is the same alert.
  const message = f.message.replace(ALSO_STARTED_BY, '');
  return createHash('sha256').update(JSON.stringify([f.rule, file, message])).digest('hex');
}

/**
 * `root`: the absolute repository root that finding paths are relative to (given by the caller,
 * which has rebased them); without it, `%SRCROOT%` is only described.
 */
export function formatSarif(findings: Finding[], rules: readonly RuleMeta[], version: string, root?: string): string {
  const descriptors: ReportingDescriptor[] = [
    ...rules.map(ruleDescriptor),
    ...DIAGNOSTICS.filter((d) => !rules.some((r) => r.id === d.id)).map(ruleDescriptor),
  ];
  const index = new Map(descriptors.map((d, i) => [d.id, i]));
  const seen = new Map<string, number>();

  const results: Result[] = findings.map((f) => {
    const base = fingerprintBase(f);
    const occurrence = (seen.get(base) ?? 0) + 1;
    seen.set(base, occurrence);
    const ruleIndex = index.get(f.rule);
    const chain = f.related.slice(0, -1);
    const related = [...chain, ...(f.alsoStartedBy ?? []).map((r) => ({ ...r, message: `also starts it: ${r.message}` }))].map((r, i) => relatedLocation(r, i + 1));
    return {
      ruleId: f.rule,
      ...(ruleIndex === undefined ? {} : { ruleIndex }),
      level: LEVEL[f.severity],
      message: { text: f.hint ? `${f.message}\nFix: ${f.hint}` : f.message },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(f.file), region: region(f) } }],
      ...(related.length ? { relatedLocations: related } : {}),
      ...(f.fix ? { fixes: [sarifFix(f.fix, artifactLocation)] } : {}),
      partialFingerprints: { [FINGERPRINT_KEY]: `${base}:${occurrence}` },
    };
  });

  const log: Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dockerlint',
            informationUri: INFORMATION_URI,
            version,
            rules: descriptors,
          },
        },
        originalUriBaseIds: {
          [SRCROOT]: root
            ? { uri: rootUri(root), description: { text: 'The repository root: finding paths are relative to it.' } }
            : { description: { text: 'The folder dockerlint ran in: finding paths are relative to it.' } },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${escapeJson(JSON.stringify(log, null, 2))}\n`;
}
