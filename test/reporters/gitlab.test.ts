import { createHash } from 'node:crypto';
import type { Finding } from '../../src/findings.js';
import { formatGitlab, type CodeQualityIssue } from '../../src/reporters/gitlab.js';
import { finding } from './finding.js';

const issues = (findings: Finding[]): CodeQualityIssue[] => JSON.parse(formatGitlab(findings)) as CodeQualityIssue[];
const fingerprints = (findings: Finding[]): string[] => issues(findings).map((i) => i.fingerprint);

describe('formatGitlab', () => {
  test('the Code Quality fields', () => {
    expect(
      issues([
        finding({
          hint: 'Add `USER app`',
          endLine: 5,
          related: [
            { file: 'Dockerfile', line: 1, column: 1, message: 'ENTRYPOINT' },
            { file: 'Dockerfile', line: 3, column: 2, message: 'CMD' },
          ],
        }),
      ]),
    ).toEqual([
      {
        type: 'issue',
        check_name: 'root-process',
        description: 'The main process runs as root — Fix: Add `USER app` — Via: Dockerfile:1 ENTRYPOINT -> Dockerfile:3 CMD',
        fingerprint: createHash('sha256').update('["root-process","Dockerfile","The main process runs as root"]#0').digest('hex'),
        severity: 'major',
        location: { path: 'Dockerfile', lines: { begin: 3, end: 5 } },
      },
    ]);
  });

  test('severities: error -> major, warning -> minor, info -> info', () => {
    expect(issues([finding({}), finding({ severity: 'warning' }), finding({ severity: 'info' })]).map((i) => i.severity)).toEqual([
      'major',
      'minor',
      'info',
    ]);
  });

  test('an empty report is an empty array', () => {
    expect(formatGitlab([])).toBe('[]\n');
  });

  test('fingerprints are stable across runs and line moves', () => {
    const fs = [finding({}), finding({ file: 'sub/Dockerfile', rule: 'su-sudo', message: 'su in ENTRYPOINT' })];
    const first = fingerprints(fs);
    expect(fingerprints(fs)).toEqual(first);
    for (const f of first) expect(f).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprints([finding({ line: 40, column: 9, endLine: 41, endColumn: 2 })])[0]).toBe(first[0]);
    // The same path spelled with Windows separators or a leading ./ is the same file.
    expect(fingerprints([finding({ file: 'sub\\Dockerfile', rule: 'su-sudo', message: 'su in ENTRYPOINT' })])[0]).toBe(first[1]);
    expect(fingerprints([finding({ file: './sub/Dockerfile', rule: 'su-sudo', message: 'su in ENTRYPOINT' })])[0]).toBe(first[1]);
  });

  test('fingerprints differ for different findings, and for repeats of one finding', () => {
    const base = fingerprints([finding({})])[0];
    expect(fingerprints([finding({ rule: 'su-sudo' })])[0]).not.toBe(base);
    expect(fingerprints([finding({ file: 'other/Dockerfile' })])[0]).not.toBe(base);
    expect(fingerprints([finding({ message: 'The main process runs as root!' })])[0]).not.toBe(base);
    const repeated = fingerprints([finding({}), finding({ line: 9, endLine: 9 }), finding({ line: 12, endLine: 12 })]);
    expect(repeated[0]).toBe(base);
    expect(new Set(repeated).size).toBe(3);
    // A repeat in another file starts its own count.
    const mixed = fingerprints([finding({}), finding({ file: 'b/Dockerfile' }), finding({ line: 9, endLine: 9 })]);
    expect(mixed[0]).toBe(repeated[0]);
    expect(mixed[2]).toBe(repeated[1]);
  });

  test('paths use forward slashes', () => {
    expect(issues([finding({ file: 'a\\b\\Dockerfile' })])[0]!.location.path).toBe('a/b/Dockerfile');
  });
});
