/**
 * Paths in the reports that other tools resolve (SARIF for code scanning, GitHub annotations,
 * GitLab Code Quality) are relative to the repository root, whatever subfolder dockerlint ran in.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Log } from 'sarif';
import { DIAGNOSTICS, RULES } from '../src/rules/index.js';
import { SECURITY_SEVERITY } from '../src/reporters/sarif.js';
import { ruleDocUrl } from '../src/meta.js';
import { runCli } from './helpers.js';

let repo: string;
beforeEach(() => {
  repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-paths-')));
  const write = (rel: string, text: string, mode = 0o644): void => {
    fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
    fs.writeFileSync(path.join(repo, rel), text, { mode });
  };
  write('services/api/Dockerfile', 'FROM alpine:3.20\nCOPY entry.sh /entry.sh\nENTRYPOINT ["/entry.sh"]\nCMD ["app"]\n');
  write('services/api/entry.sh', '#!/bin/sh\nset -e\nsu app -c "$*"\n', 0o755);
});
afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

async function cli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const { code, out, err } = await runCli(args, { cwd: cwd, env: env });
  return { code, out, err };
}

type Uri = { uri?: string; uriBaseId?: string };
const uris = (log: Log): Uri[] =>
  log.runs[0]!.results!.flatMap((r) => [
    ...r.locations!.map((l) => l.physicalLocation!.artifactLocation as Uri),
    ...(r.relatedLocations ?? []).map((l) => l.physicalLocation!.artifactLocation as Uri),
  ]);

describe('SARIF from a subfolder of a repository', () => {
  test('%SRCROOT% is the repository root (the folder with .git) and every URI is relative to it', async () => {
    fs.mkdirSync(path.join(repo, '.git'));
    const r = await cli(['.', '--format', 'sarif'], path.join(repo, 'services', 'api'));
    expect(r.err).toBe('');
    const log = JSON.parse(r.out) as Log;
    expect(log.runs[0]!.originalUriBaseIds!['%SRCROOT%']!.uri).toBe(`${pathToFileURL(repo).href}/`);
    const all = uris(log);
    expect(all.length).toBeGreaterThan(2);
    expect(new Set(all.map((u) => u.uriBaseId))).toEqual(new Set(['%SRCROOT%']));
    expect(new Set(all.map((u) => u.uri))).toEqual(new Set(['services/api/Dockerfile', 'services/api/entry.sh']));
    // The human formats keep paths relative to where it ran.
    expect((await cli(['.', '--format', 'compact'], path.join(repo, 'services', 'api'))).out).toMatch(/^entry\.sh:3:1: error su-sudo/m);
  });

  test('GITHUB_WORKSPACE is the root in Actions (no .git needed); annotations and GitLab paths too', async () => {
    const cwd = path.join(repo, 'services');
    const env = { GITHUB_WORKSPACE: repo };
    const sarif = JSON.parse((await cli(['api', '--format', 'sarif'], cwd, env)).out) as Log;
    expect(sarif.runs[0]!.originalUriBaseIds!['%SRCROOT%']!.uri).toBe(`${pathToFileURL(repo).href}/`);
    expect(uris(sarif).map((u) => u.uri)).toContain('services/api/entry.sh');
    const gh = await cli(['api', '--format', 'github'], cwd, env);
    expect(gh.out).toMatch(/^::error file=services\/api\/entry\.sh,line=3,/m);
    expect(gh.out).toContain('via: services/api/Dockerfile:3 ENTRYPOINT');
    const gitlab = JSON.parse((await cli(['api', '--format', 'gitlab'], cwd, { CI_PROJECT_DIR: repo })).out) as { location: { path: string } }[];
    expect(gitlab.map((i) => i.location.path)).toContain('services/api/entry.sh');
  });

  test('a file outside the root gets an absolute file URI, not one with ..', async () => {
    const inner = path.join(repo, 'inner');
    fs.mkdirSync(path.join(inner, '.git'), { recursive: true });
    const log = JSON.parse((await cli(['../services/api', '--format', 'sarif'], inner)).out) as Log;
    const all = uris(log);
    expect(all.every((u) => u.uriBaseId === undefined && u.uri!.startsWith(pathToFileURL(repo).href))).toBe(true);
  });
});

describe('SARIF rule properties', () => {
  test('every rule has a security-severity from its category and severity; privilege rules are tagged security', async () => {
    fs.mkdirSync(path.join(repo, '.git'));
    const log = JSON.parse((await cli(['.', '--format', 'sarif'], repo)).out) as Log;
    const rules = log.runs[0]!.tool.driver.rules!;
    for (const meta of [...RULES, ...DIAGNOSTICS]) {
      const d = rules.find((r) => r.id === meta.id)!;
      expect({ id: meta.id, score: d.properties!['security-severity'] }).toEqual({ id: meta.id, score: SECURITY_SEVERITY[meta.category][meta.severity].toFixed(1) });
      expect(d.properties!.tags).toEqual(meta.category === 'privilege' ? ['security', 'privilege'] : [meta.category]);
      // Help links for the rules and for the findings that are not rules, to pages that exist.
      expect(d.helpUri).toBe(ruleDocUrl(meta.id));
      expect(fs.existsSync(path.join(process.cwd(), 'docs', 'rules', `${meta.id}.md`))).toBe(true);
    }
    expect(rules.find((r) => r.id === 'root-process')!.properties!['security-severity']).toBe('7.5');
    expect(rules.find((r) => r.id === 'shell-form-pid1')!.properties!['security-severity']).toBe('3.0');
  });
});
