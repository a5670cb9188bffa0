import type { Log, Result } from 'sarif';
import type { Finding } from '../../src/findings.js';
import { DIAGNOSTIC_IDS, RULES } from '../../src/rules/index.js';
import { FINGERPRINT_KEY, formatSarif, helpUri } from '../../src/reporters/sarif.js';
import { sarifValidator } from '../sarif-schema.js';
import { finding as aFinding } from './finding.js';

const validate = sarifValidator({ allErrors: true });

const finding = (over: Partial<Finding>): Finding =>
  aFinding({ message: 'The main process redis-server runs as root', hint: 'Add `USER redis` to the final stage', line: 14, column: 1, endLine: 14, endColumn: 40, ...over });

const chained = finding({
  rule: 'gosu-without-exec',
  file: 'docker-entrypoint.sh',
  line: 22,
  column: 3,
  endLine: 22,
  endColumn: 30,
  message: 'gosu runs redis-server without exec: the shell stays PID 1',
  related: [
    { file: 'Dockerfile', line: 14, column: 1, message: 'ENTRYPOINT' },
    { file: 'docker-entrypoint.sh', line: 20, column: 1, message: 'if [ "$1" = redis-server ]' },
    { file: 'docker-entrypoint.sh', line: 22, column: 3, message: 'gosu redis "$@"' },
  ],
});
const stdinSyntax = finding({
  rule: 'syntax-error',
  file: '-',
  line: 3,
  column: 5,
  endLine: 3,
  endColumn: 5,
  hint: null,
  message: 'unexpected end of JSON array',
});
const stdinChained = finding({
  rule: 'shell-form-pid1',
  severity: 'warning',
  file: '-',
  line: 7,
  column: 1,
  endLine: 8,
  endColumn: 1,
  message: 'CMD in shell form: /bin/sh -c is PID 1',
  related: [
    { file: '-', line: 2, column: 1, message: 'ENTRYPOINT' },
    { file: '-', line: 7, column: 1, message: 'CMD' },
  ],
});
const oddPath = finding({ rule: 'sudo-in-run', severity: 'info', file: 'sub dir\\Docker#file 100%.dev', hint: null });
const absolute = finding({ file: '/srv/app/Dockerfile' });

function run(findings: Finding[]): Log {
  return JSON.parse(formatSarif(findings, RULES, '1.2.3')) as Log;
}

function results(log: Log): Result[] {
  return log.runs[0]!.results!;
}

describe('formatSarif', () => {
  const findings = [finding({}), chained, stdinSyntax, stdinChained, oddPath, absolute];
  const log = run(findings);

  test('validates against the SARIF 2.1.0 JSON schema', () => {
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
  });

  test('the validator does reject what the schema forbids', () => {
    const bad = JSON.parse(JSON.stringify(log)) as { runs: { results: { level: string }[] }[] };
    bad.runs[0]!.results[0]!.level = 'info'; // SARIF says note
    expect(validate(bad)).toBe(false);
    const badRegion = JSON.parse(JSON.stringify(log)) as { runs: { results: { locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
    badRegion.runs[0]!.results[0]!.locations[0]!.physicalLocation.region.startLine = 0;
    expect(validate(badRegion)).toBe(false);
    // Formats are checked too: an unencoded space is no uri-reference.
    const badUri = JSON.parse(JSON.stringify(log)) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    badUri.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri = 'sub dir/Dockerfile';
    expect(validate(badUri)).toBe(false);
    expect(validate.errors!.map((e) => e.keyword)).toContain('format');
  });

  test('an empty run is valid too', () => {
    const empty = run([]);
    expect(validate(empty)).toBe(true);
    expect(empty.runs[0]!.results).toEqual([]);
  });

  test('the driver describes dockerlint and every rule, then the diagnostics', () => {
    const driver = log.runs[0]!.tool.driver;
    expect(driver.name).toBe('dockerlint');
    expect(driver.version).toBe('1.2.3');
    expect(driver.informationUri).toBe('https://github.com/dockerlint-pid1/dockerlint');
    const ids = driver.rules!.map((r) => r.id);
    expect(ids).toEqual([...RULES.map((r) => r.id), ...DIAGNOSTIC_IDS]);
    const rootProcess = RULES.find((r) => r.id === 'root-process')!;
    const d = driver.rules![ids.indexOf('root-process')]!;
    expect(d.name).toBe('RootProcess');
    expect(d.shortDescription).toEqual({ text: rootProcess.title });
    expect(d.fullDescription).toEqual({ text: rootProcess.docs.what });
    expect(d.helpUri).toBe('https://github.com/dockerlint-pid1/dockerlint/blob/main/docs/rules/root-process.md');
    expect(d.helpUri).toBe(helpUri('root-process'));
    expect(d.help!.text).toContain(rootProcess.docs.why);
    expect(d.help!.text).toContain(rootProcess.docs.howToFix);
    expect(d.help!.markdown).toContain(`**Fix:** ${rootProcess.docs.howToFix}`);
    expect(d.help!.markdown).toContain('```dockerfile\n' + rootProcess.docs.bad + '\n```');
    expect(d.defaultConfiguration).toEqual({ level: 'error' });
    for (const rule of RULES) {
      const level = { error: 'error', warning: 'warning', info: 'note' }[rule.severity];
      expect(driver.rules![ids.indexOf(rule.id)]!.defaultConfiguration).toEqual({ level });
    }
    const syntax = driver.rules![ids.indexOf('syntax-error')]!;
    expect(syntax.name).toBe('SyntaxError');
    expect(syntax.shortDescription!.text).toBe('Syntax error');
  });

  test('results point at their rule by id and index, with level and message + hint', () => {
    const driverRules = log.runs[0]!.tool.driver.rules!;
    const rs = results(log);
    expect(rs.map((r) => r.ruleId)).toEqual(findings.map((f) => f.rule));
    for (const r of rs) expect(driverRules[r.ruleIndex!]!.id).toBe(r.ruleId);
    expect(rs.map((r) => r.level)).toEqual(['error', 'error', 'error', 'warning', 'note', 'error']);
    expect(rs[0]!.message).toEqual({ text: 'The main process redis-server runs as root\nFix: Add `USER redis` to the final stage' });
    expect(rs[2]!.message).toEqual({ text: 'unexpected end of JSON array' });
  });

  test('locations: relative URIs against %SRCROOT%, percent-encoded, with the whole region', () => {
    const rs = results(log);
    expect(rs[0]!.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'Dockerfile', uriBaseId: '%SRCROOT%' },
          region: { startLine: 14, startColumn: 1, endLine: 14, endColumn: 40 },
        },
      },
    ]);
    expect(rs[4]!.locations![0]!.physicalLocation!.artifactLocation).toEqual({
      uri: 'sub%20dir/Docker%23file%20100%25.dev',
      uriBaseId: '%SRCROOT%',
    });
    expect(rs[5]!.locations![0]!.physicalLocation!.artifactLocation).toEqual({ uri: 'file:///srv/app/Dockerfile' });
    expect(log.runs[0]!.originalUriBaseIds!['%SRCROOT%']).toBeDefined();
    expect(log.runs[0]!.columnKind).toBe('utf16CodeUnits');
  });

  test('stdin has no URI, only a description', () => {
    const loc = results(log)[2]!.locations![0]!.physicalLocation!;
    expect(loc.artifactLocation).toEqual({ description: { text: 'standard input' } });
    expect(loc.region).toEqual({ startLine: 3, startColumn: 5, endLine: 3, endColumn: 5 });
  });

  test('the evidence chain becomes relatedLocations, all but the last link', () => {
    const rs = results(log);
    expect(rs[0]!.relatedLocations).toBeUndefined();
    expect(rs[1]!.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: { artifactLocation: { uri: 'Dockerfile', uriBaseId: '%SRCROOT%' }, region: { startLine: 14, startColumn: 1 } },
        message: { text: 'ENTRYPOINT' },
      },
      {
        id: 2,
        physicalLocation: { artifactLocation: { uri: 'docker-entrypoint.sh', uriBaseId: '%SRCROOT%' }, region: { startLine: 20, startColumn: 1 } },
        message: { text: 'if [ "$1" = redis-server ]' },
      },
    ]);
    expect(rs[3]!.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: { artifactLocation: { description: { text: 'standard input' } }, region: { startLine: 2, startColumn: 1 } },
        message: { text: 'ENTRYPOINT' },
      },
    ]);
  });

  test('partialFingerprints: stable across runs and line moves, distinct per finding', () => {
    const fp = (f: Finding[]): string[] => results(run(f)).map((r) => r.partialFingerprints![FINGERPRINT_KEY]!);
    const first = fp(findings);
    expect(fp(findings)).toEqual(first);
    for (const p of first) expect(p).toMatch(/^[0-9a-f]{64}:1$/);
    expect(new Set(first).size).toBe(findings.length);
    const moved = fp([finding({ line: 30, endLine: 31, column: 4 })]);
    expect(moved[0]).toBe(first[0]);
    expect(fp([finding({ message: 'another message' })])[0]).not.toBe(first[0]);
    expect(fp([finding({ file: 'other/Dockerfile' })])[0]).not.toBe(first[0]);
    expect(fp([finding({ rule: 'su-sudo' })])[0]).not.toBe(first[0]);
    // Windows and POSIX spellings of a path are the same artifact.
    expect(fp([finding({ file: 'sub\\Dockerfile' })])[0]).toBe(fp([finding({ file: 'sub/Dockerfile' })])[0]);
    // Identical findings in one file are told apart by their occurrence.
    const twice = fp([finding({}), finding({ line: 40, endLine: 40 })]);
    expect(twice[0]).toBe(first[0]);
    expect(twice[1]).toBe(first[0]!.replace(/:1$/, ':2'));
  });

  test('an end before the start is clamped into a valid region', () => {
    const r = results(run([finding({ line: 5, column: 9, endLine: 5, endColumn: 2 })]))[0]!;
    expect(r.locations![0]!.physicalLocation!.region).toEqual({ startLine: 5, startColumn: 9, endLine: 5, endColumn: 9 });
  });
});
