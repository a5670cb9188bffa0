/**
 * A syntax error in the entrypoint never turns the other checks off in silence: the finding says
 * which checks were skipped for that script, and the Dockerfile's own checks still run. Its twin,
 * the same script closed properly, is analysed: no syntax error, and the entrypoint checks report.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lintFile } from '../src/engine.js';
import { ShellService } from '../src/model/shell-service.js';
import { writeFileIn } from './helpers.js';

const shell = new ShellService();
let dir: string;
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-syntax-')));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

// Runs as root with no step-down (root-process) and drops CMD (missing-exec-args) once it parses.
const DOCKERFILE = 'FROM alpine:3.20\nCOPY --chmod=755 entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\nCMD ["/usr/local/bin/server"]\n';

async function lint(script: string): Promise<string[]> {
  writeFileIn(dir, 'Dockerfile', DOCKERFILE);
  writeFileIn(dir, 'entrypoint.sh', script, 0o755);
  const findings = await lintFile({ path: path.join(dir, 'Dockerfile') }, { cwd: dir, shell });
  return findings.map((f) => `${f.file}:${f.line} ${f.severity} ${f.rule}: ${f.message}`);
}

test('an unclosed if: one error at the if, naming the entrypoint checks it skipped', async () => {
  const out = await lint('#!/bin/sh\nchown -R app /data\nif [ -n "$DEBUG" ]; then\n  set -x\nexec /usr/local/bin/server --fixed\n');
  const syntax = out.filter((f) => f.includes('syntax-error'));
  expect(syntax).toEqual([
    'entrypoint.sh:3 error syntax-error: shell syntax error (as sh): if statement must end with "fi"; the entrypoint checks (missing-exec-args, root-process, su-sudo, gosu-without-exec, gosu-needs-root, entrypoint-no-exec) were skipped for this script',
  ]);
  // Skipped, not guessed: no entrypoint finding is made up from the unparsable script.
  expect(out.filter((f) => /^\S+ \S+ (missing-exec-args|root-process|entrypoint-no-exec):/.test(f))).toEqual([]);
});

test('its twin, closed with fi: no syntax error, and the entrypoint checks ran', async () => {
  const out = await lint('#!/bin/sh\nchown -R app /data\nif [ -n "$DEBUG" ]; then\n  set -x\nfi\nexec /usr/local/bin/server --fixed\n');
  expect(out.filter((f) => f.includes('syntax-error'))).toEqual([]);
  const rules = out.map((f) => `${f.split(':')[0]} ${f.split(' ')[2]}`);
  expect(rules).toEqual(expect.arrayContaining(['entrypoint.sh missing-exec-args:', 'Dockerfile root-process:']));
});
