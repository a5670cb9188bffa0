/**
 * `--format gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality`), the Code
 * Climate issue format GitLab reads: a JSON array of
 *
 *   { type, check_name, description, fingerprint, severity, location: { path, lines: { begin, end } } }
 *
 * Severity: GitLab has five levels (info < minor < major < critical < blocker); dockerlint's
 * three map to error -> major, warning -> minor, info -> info. `critical` and `blocker` are left
 * for findings that are security holes or break the build for sure, which a lint rule cannot
 * promise.
 *
 * Fingerprint: the SHA-256 (hex) of rule + path + message + the occurrence index of that triple
 * in the report, never line numbers, so a finding keeps its identity when lines are added above
 * it, and GitLab does not show it as fixed-and-new in the merge request; two identical findings in
 * one file still differ by their index.
 */
import { createHash } from 'node:crypto';
import { chainText, type Finding, type Severity } from '../findings.js';
import { escapeJson } from './escape.js';

export type GitlabSeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

const GITLAB_SEVERITY: Record<Severity, GitlabSeverity> = { error: 'major', warning: 'minor', info: 'info' };

export interface CodeQualityIssue {
  type: 'issue';
  check_name: string;
  description: string;
  fingerprint: string;
  severity: GitlabSeverity;
  location: { path: string; lines: { begin: number; end: number } };
}

export function formatGitlab(findings: Finding[]): string {
  const seen = new Map<string, number>();
  const issues = findings.map((f): CodeQualityIssue => {
    const path = f.file.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
    const key = JSON.stringify([f.rule, path, f.message]);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    const parts = [f.message];
    if (f.hint) parts.push(`Fix: ${f.hint}`);
    if (f.related.length > 1) parts.push(`Via: ${chainText(f)}`);
    const begin = Math.max(1, f.line);
    return {
      type: 'issue',
      check_name: f.rule,
      description: parts.join(' — '),
      fingerprint: createHash('sha256').update(`${key}#${occurrence}`).digest('hex'),
      severity: GITLAB_SEVERITY[f.severity],
      location: { path, lines: { begin, end: Math.max(begin, f.endLine) } },
    };
  });
  return `${escapeJson(JSON.stringify(issues, null, 2))}\n`;
}
