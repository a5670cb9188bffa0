import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Log } from 'sarif';
import { runAction } from '../../src/action.js';
import { MemoryIo, runCli } from '../helpers.js';
import { sarifValidator } from '../sarif-schema.js';

const validate = sarifValidator({ allErrors: true });

let dir: string;
beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-fixout-')));
  fs.mkdirSync(path.join(dir, 'app'));
  fs.writeFileSync(path.join(dir, 'app', 'Dockerfile'), 'FROM python:3.12-slim\nUSER nobody\nCOPY start.sh /start.sh\nENTRYPOINT ["/start.sh"]\nCMD python app.py\n');
  fs.writeFileSync(path.join(dir, 'app', 'start.sh'), '#!/bin/sh\r\nexec "$@"\r\n');
  fs.chmodSync(path.join(dir, 'app', 'start.sh'), 0o755);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], cwd = dir): Promise<string> {
  return (await runCli(args, { cwd })).out;
}

describe('fixes in the output formats', () => {
  test('json: title, safety and edits with the file as findings show it, offsets, lines and columns', async () => {
    const findings = JSON.parse(await run(['--format', 'json', 'app'])) as { rule: string; fix?: unknown }[];
    const crlf = findings.find((f) => f.rule === 'entrypoint-crlf');
    expect(crlf?.fix).toEqual({
      title: 'Convert the line endings to LF',
      safety: 'safe',
      edits: [
        { file: 'app/start.sh', start: 9, end: 10, line: 1, column: 10, endLine: 1, endColumn: 11, text: '' },
        { file: 'app/start.sh', start: 20, end: 21, line: 2, column: 10, endLine: 2, endColumn: 11, text: '' },
      ],
    });
    const shellForm = findings.find((f) => f.rule === 'shell-form-pid1');
    expect(shellForm?.fix).toEqual({
      title: 'Use exec form: CMD ["python", "app.py"]',
      safety: 'unsafe',
      edits: [{ file: 'app/Dockerfile', start: 87, end: 100, line: 5, column: 5, endLine: 5, endColumn: 18, text: '["python", "app.py"]' }],
    });
  });

  test('sarif: fixes with artifact changes and replacements, valid SARIF 2.1.0', async () => {
    const log = JSON.parse(await run(['--format', 'sarif', 'app'])) as Log;
    expect(validate(log)).toBe(true);
    const result = log.runs[0]?.results?.find((r) => r.ruleId === 'shell-form-pid1');
    expect(result?.fixes).toEqual([
      {
        description: { text: 'Use exec form: CMD ["python", "app.py"] (unsafe)' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'app/Dockerfile', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { startLine: 5, startColumn: 5, endLine: 5, endColumn: 18 }, insertedContent: { text: '["python", "app.py"]' } }],
          },
        ],
        properties: { safety: 'unsafe' },
      },
    ]);
  });

  test('github: the fix, its safety and its replacement follow the message', async () => {
    const out = await run(['--format', 'github', 'app']);
    const line = out.split('\n').find((l) => l.includes('shell-form-pid1'));
    expect(line).toContain('%0Aautofix (unsafe, dockerlint --fix --unsafe-fixes): Use exec form: CMD ["python", "app.py"]%0A  app/Dockerfile:5:5: replace to 5:18 with "[\\"python\\", \\"app.py\\"]"');
  });

  test('stylish: the summary says how many findings --fix would fix, and how many more with --unsafe-fixes', async () => {
    const out = await run(['app']);
    expect(out).toContain('  1 fixable with `--fix`, 1 more with `--fix --unsafe-fixes` (preview: `--fix-dry-run`)\n');
  });

  test('edit paths follow the findings: relative to the current folder in json, to the repository root in sarif', async () => {
    fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
    try {
      const app = path.join(dir, 'app');
      const json = JSON.parse(await run(['--format', 'json', '.'], app)) as { rule: string; file: string; fix?: { edits: { file: string }[] } }[];
      const crlf = json.find((f) => f.rule === 'entrypoint-crlf');
      expect([crlf?.file, crlf?.fix?.edits[0]?.file]).toEqual(['start.sh', 'start.sh']);
      const log = JSON.parse(await run(['--format', 'sarif', '.'], app)) as Log;
      const result = log.runs[0]?.results?.find((r) => r.ruleId === 'entrypoint-crlf');
      expect(result?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe('app/start.sh');
      expect(result?.fixes?.[0]?.artifactChanges[0]?.artifactLocation.uri).toBe('app/start.sh');
    } finally {
      fs.rmSync(path.join(dir, '.git'), { recursive: true });
    }
  });

  test('the Action: its annotations (the github format) carry the fix and its replacement', async () => {
    const io = new MemoryIo({ cwd: dir });
    await runAction({ INPUT_PATH: 'app' }, io);
    const line = io.out.split('\n').find((l) => l.startsWith('::error file=app/start.sh') && l.includes('entrypoint-crlf'));
    expect(line).toContain('%0Aautofix (safe, dockerlint --fix): Convert the line endings to LF%0A  app/start.sh:1:10: delete to 1:11%0A  app/start.sh:2:10: delete to 2:11');
  });

  test('sarif: the removal of a byte order mark is a replacement of its 3 bytes, and the fix of a script finding that edits the Dockerfile names the Dockerfile, valid SARIF 2.1.0', async () => {
    const bom = path.join(dir, 'bom');
    fs.mkdirSync(bom);
    fs.writeFileSync(path.join(bom, 'Dockerfile'), 'FROM alpine:3.20\nCOPY --chmod=755 entrypoint.sh /entrypoint.sh\nUSER nobody\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["sleep", "infinity"]\n');
    fs.writeFileSync(path.join(bom, 'entrypoint.sh'), '\uFEFF#!/bin/sh\nexec "$@"\n', { mode: 0o755 });
    const alpine = path.join(dir, 'bash-on-alpine');
    fs.mkdirSync(alpine);
    fs.writeFileSync(path.join(alpine, 'Dockerfile'), 'FROM alpine:3.20\nCOPY --chmod=755 entrypoint.sh /entrypoint.sh\nUSER nobody\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["sleep", "infinity"]\n');
    fs.writeFileSync(path.join(alpine, 'entrypoint.sh'), '#!/bin/bash\nexec "$@"\n', { mode: 0o755 });
    try {
      const log = JSON.parse(await run(['--format', 'sarif', 'bom', 'bash-on-alpine'])) as Log;
      expect(validate(log)).toBe(true);
      const fixes = (log.runs[0]?.results ?? []).filter((r) => r.ruleId === 'entrypoint-shebang').map((r) => r.fixes?.[0]);
      expect(fixes).toContainEqual({
        description: { text: 'Remove the byte order mark (safe)' },
        artifactChanges: [{ artifactLocation: { uri: 'bom/entrypoint.sh', uriBaseId: '%SRCROOT%' }, replacements: [{ deletedRegion: { byteOffset: 0, byteLength: 3 } }] }],
        properties: { safety: 'safe' },
      });
      // A finding in the script whose fix edits the Dockerfile: the change names the Dockerfile.
      const bash = fixes.find((f) => f?.description?.text?.startsWith('Install bash'));
      expect(bash?.artifactChanges.map((c) => c.artifactLocation.uri)).toEqual(['bash-on-alpine/Dockerfile']);
      expect(bash?.artifactChanges[0]?.replacements).toEqual([{ deletedRegion: { startLine: 1, startColumn: 17, endLine: 1, endColumn: 17 }, insertedContent: { text: '\nRUN apk add --no-cache bash' } }]);
    } finally {
      fs.rmSync(bom, { recursive: true });
      fs.rmSync(alpine, { recursive: true });
    }
  });
});
