import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLinter } from '../../src/linter.js';
import { defaultConfig } from '../../src/config/schema.js';

let dir: string;
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-editor-')));
  fs.mkdirSync(path.join(dir, '.git'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const setup = () => ({ cwd: dir, severities: {}, reportUnusedSuppressions: false, target: null, context: null, config: defaultConfig(), configFile: null, configLines: {}, maxFileBytes: 4 << 20 });

describe('the engine API gives an editor the fixes of an unsaved buffer', () => {
  test('getFixes: the fixes of the buffer, not of the file on disk; nothing written', async () => {
    const dockerfile = path.join(dir, 'Dockerfile');
    fs.writeFileSync(dockerfile, 'FROM alpine:3.20\nUSER nobody\nCMD ["sleep", "infinity"]\n');
    const linter = await createLinter(setup());
    const offered = await linter.getFixes({ path: dockerfile, text: 'FROM alpine:3.20\nUSER nobody\nCMD sleep infinity\n' });
    expect(offered.map((o) => [o.finding.rule, o.fix.safety, o.fix.title])).toEqual([['shell-form-pid1', 'safe', 'Use exec form: CMD ["sleep", "infinity"]']]);
    expect(offered[0]?.fix.edits).toEqual([
      { file: dockerfile, shown: dockerfile, start: 33, end: 47, text: '["sleep", "infinity"]', span: { line: 3, column: 5, endLine: 3, endColumn: 19 } },
    ]);
    expect(fs.readFileSync(dockerfile, 'utf8')).toBe('FROM alpine:3.20\nUSER nobody\nCMD ["sleep", "infinity"]\n');
  });

  test('fixBuffer: the buffer fixed, the script it starts fixed in memory (unsafe only when asked), the disk untouched', async () => {
    const dockerfile = path.join(dir, 'Dockerfile');
    const script = path.join(dir, 'entrypoint.sh');
    fs.writeFileSync(dockerfile, 'FROM alpine:3.20\n');
    fs.writeFileSync(script, '#!/bin/sh\r\nchown app /data\r\ngosu app "$@"\r\n', { mode: 0o755 });
    const buffer = { path: dockerfile, text: "FROM alpine:3.20\nRUN apk add --no-cache gosu\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ['/entrypoint.sh']\nCMD [\"app\"]\n" };
    const linter = await createLinter(setup());
    const safe = await linter.fixBuffer(buffer, { unsafe: false, rules: null });
    expect(safe.text).toBe(buffer.text.replace("['/entrypoint.sh']", '["/entrypoint.sh"]'));
    expect([...safe.otherFiles]).toEqual([[script, '#!/bin/sh\nchown app /data\ngosu app "$@"\n']]);
    expect(safe.applied.map((a) => a.rule).sort()).toEqual(['entrypoint-crlf', 'invalid-exec-form']);
    const all = await linter.fixBuffer(buffer, { unsafe: true, rules: null });
    expect(all.otherFiles.get(script)).toBe('#!/bin/sh\nchown app /data\nexec gosu app "$@"\n');
    expect(all.findings.filter((f) => f.fix)).toEqual([]);
    expect(fs.readFileSync(dockerfile, 'utf8')).toBe('FROM alpine:3.20\n');
    expect(fs.readFileSync(script, 'utf8')).toBe('#!/bin/sh\r\nchown app /data\r\ngosu app "$@"\r\n');
  });
});
