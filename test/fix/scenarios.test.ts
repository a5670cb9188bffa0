/**
 * `--fix --unsafe-fixes` on copies of whole projects (fixtures/real-world-style/ and examples/):
 * every fix applies, the fixed files still parse (Dockerfiles with the same stages), no finding
 * with a fix is left, a second --fix changes nothing, and file modes are kept.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildImageModel } from '../../src/model/image.js';
import { ShellService } from '../../src/model/shell-service.js';
import { parseDockerfile } from '../../src/parsers/dockerfile.js';
import { dialectFromShebang } from '../../src/parsers/shell.js';
import { SourceFile } from '../../src/parsers/source.js';
import { runCli } from '../helpers.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const shell = new ShellService();

function files(dir: string): Map<string, { bytes: Buffer; mode: number }> {
  const out = new Map<string, { bytes: Buffer; mode: number }>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.set(path.relative(dir, p), { bytes: fs.readFileSync(p), mode: fs.statSync(p).mode & 0o7777 });
    }
  };
  walk(dir);
  return out;
}

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const { code, out, err } = await runCli(args, { cwd: cwd, env: {} });
  return { code, out, err };
}

/** Names in lower case, as BuildKit reads them; a base that is an earlier stage by its index. */
function stages(text: string): string[] {
  return buildImageModel(parseDockerfile(new SourceFile('Dockerfile', text))).stages.map((s) => `${s.name?.toLowerCase() ?? '-'} ${s.baseStage ? `stage ${s.baseStage.index}` : s.base}`);
}

const projects = [
  ...fs.readdirSync(path.join(ROOT, 'fixtures', 'real-world-style')).map((n) => path.join('fixtures', 'real-world-style', n)),
  'examples',
];

describe.each(projects)('--fix --unsafe-fixes on a copy of %s', (project) => {
  let dir: string;
  beforeAll(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-scenario-')));
    // The project without its expectations (fixed/ holds Dockerfiles of its own).
    fs.cpSync(path.join(ROOT, project), dir, { recursive: true, filter: (src) => !/(^|\/)(fixed|expected\.txt)$/.test(path.relative(path.join(ROOT, project), src)) });
    // A repository of its own: the fixes stay inside the copy.
    fs.mkdirSync(path.join(dir, '.git'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the fixes apply, still parse, leave no fixable finding, keep modes, and a second --fix changes nothing', async () => {
    const before = files(dir);
    const dry = await cli(['--fix-dry-run', '--unsafe-fixes'], dir);
    expect(files(dir)).toEqual(before);
    const fixed = await cli(['--fix', '--unsafe-fixes', '--format', 'json'], dir);
    const after = files(dir);
    // The broken projects (and the demo) have something to fix; the official-image styles may not.
    if (/broken-|windows-crlf|examples/.test(project)) expect(fixed.err).toMatch(/^fixed \d+ problems? in \d+ files?/);
    // The dry run said what --fix did.
    expect(dry.err.split('\n')[0]?.replace('would fix', 'fixed').replace('nothing to fix', 'nothing fixed')).toBe(fixed.err.split('\n')[0]);
    expect(dry.code).toBe(fixed.err.startsWith('nothing fixed') ? 0 : 1);

    for (const [rel, now] of after) {
      const was = before.get(rel);
      expect({ rel, mode: now.mode }).toEqual({ rel, mode: was?.mode });
      if (!was || was.bytes.equals(now.bytes)) continue;
      const text = now.bytes.toString('utf8');
      const old = was.bytes.toString('utf8');
      if (/(^|\/)Dockerfile$/.test(rel)) {
        expect({ rel, stages: stages(text) }).toEqual({ rel, stages: stages(old) });
        expect(parseDockerfile(new SourceFile(rel, text)).problems).toEqual([]);
      } else if (/\.sh$/.test(rel) || text.startsWith('#!')) {
        const parser = await shell.get();
        const r = parser.parse(text.replace(/^\uFEFF/, ''), dialectFromShebang(text));
        expect({ rel, ok: r.ok }).toEqual({ rel, ok: true });
      }
    }
    const left = JSON.parse(fixed.out) as { rule: string; fix?: unknown }[];
    expect(left.filter((f) => f.fix).map((f) => f.rule)).toEqual([]);
    const again = await cli(['--fix', '--unsafe-fixes'], dir);
    expect(again.err.split('\n')[0]).toBe('nothing fixed');
    expect(files(dir)).toEqual(after);
  });
});

test('the README shows the --fix-dry-run diff dockerlint prints on the demo project', async () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const shown = /```\n\$ dockerlint --fix-dry-run --unsafe-fixes examples\/\n([\s\S]*?)```/.exec(readme)?.[1];
  const r = await cli(['--fix-dry-run', '--unsafe-fixes', 'examples/'], ROOT);
  expect(r.code).toBe(1);
  expect(shown).toBe(r.err + r.out);
});
