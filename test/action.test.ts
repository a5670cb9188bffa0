import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { actionArgv, codeBlock, jobSummary, readInputs, runAction } from '../src/action.js';
import { MemoryIo } from './helpers.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const FIXTURE = 'fixtures/su-sudo/bad-redis-su';
const ANNOTATION = `::error file=${FIXTURE}/docker-entrypoint.sh,line=13,`;

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-action-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface SarifLog {
  version: string;
  runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[];
}

function expectSarif(file: string): void {
  const sarif = JSON.parse(fs.readFileSync(file, 'utf8')) as SarifLog;
  expect(sarif.version).toBe('2.1.0');
  const results = sarif.runs[0]!.results;
  expect(results.map((r) => r.ruleId)).toEqual(['su-sudo']);
  expect(results[0]!.locations[0]!.physicalLocation).toMatchObject({ artifactLocation: { uri: `${FIXTURE}/docker-entrypoint.sh` }, region: { startLine: 13 } });
}

describe('inputs, as GitHub passes them (INPUT_ + upper-cased name, hyphens kept)', () => {
  test('defaults: path ., format github', () => {
    expect(readInputs({})).toEqual({ paths: ['.'], config: null, format: 'github', failureThreshold: null, sarifFile: null, annotations: true, fix: false });
    expect(actionArgv(readInputs({ INPUT_PATH: '  ', INPUT_CONFIG: '' }))).toEqual(['--format', 'github', '.']);
  });

  test('every input; several paths one per line; a path like an option stays a path', () => {
    const inputs = readInputs({
      INPUT_PATH: 'services/api\n  docker/ \n\n-odd',
      INPUT_CONFIG: 'ci/dockerlint.yaml',
      INPUT_FORMAT: 'stylish',
      'INPUT_FAILURE-THRESHOLD': 'error',
      'INPUT_SARIF-FILE': 'out/dockerlint.sarif',
    });
    // SARIF pairs with --output-file first; the log format, printed on stdout, comes last.
    expect(actionArgv(inputs)).toEqual([
      '--format', 'sarif', '--output-file', 'out/dockerlint.sarif',
      '--format', 'stylish',
      '--config', 'ci/dockerlint.yaml',
      '--failure-threshold', 'error',
      'services/api', 'docker/', './-odd',
    ]);
  });

  test('action.yml declares exactly these inputs, node24, and the committed bundle', () => {
    const action = parse(fs.readFileSync(path.join(root, 'action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: string }>;
      outputs: Record<string, { description: string }>;
      runs: { using: string; main: string };
    };
    expect(Object.keys(action.inputs)).toEqual(['path', 'config', 'format', 'failure-threshold', 'sarif-file', 'annotations', 'fix']);
    expect(Object.keys(action.outputs)).toEqual(['errors', 'warnings', 'sarif-file']);
    expect(action.inputs.path?.default).toBe('.');
    expect(action.inputs.format?.default).toBe('github');
    expect(action.runs).toEqual({ using: 'node24', main: 'action/index.js' });
    for (const f of ['index.js', 'shparse.wasm', 'wasm_exec.cjs']) expect(fs.existsSync(path.join(root, 'action', f))).toBe(true);
  });
});

describe('runAction in-process', () => {
  test('annotations on stdout, SARIF to the file, exit code from the failure threshold', async () => {
    const io = new MemoryIo({ cwd: root, env: { GITHUB_ACTIONS: 'true' } });
    const sarif = path.join(tmp, 'reports', 'dockerlint.sarif');
    const env = { INPUT_PATH: FIXTURE, INPUT_FORMAT: 'github', 'INPUT_SARIF-FILE': sarif };
    expect(await runAction(env, io)).toBe(1);
    expect(io.all).toContain(ANNOTATION);
    expect(io.all).toContain('title=dockerlint (su-sudo)::');
    expect(fs.existsSync(path.dirname(sarif))).toBe(true); // made for the CLI to write into
    fs.writeFileSync(sarif, io.files[sarif]!);
    expectSarif(sarif);

    io.clear();
    expect(await runAction({ ...env, 'INPUT_FAILURE-THRESHOLD': 'none' }, io)).toBe(0);
    expect(io.all).toContain(ANNOTATION);
  });

  test('a bad input is a usage error (exit 2), said as an ::error:: workflow command', async () => {
    const io = new MemoryIo({ cwd: root });
    expect(await runAction({ INPUT_PATH: FIXTURE, INPUT_FORMAT: 'html' }, io)).toBe(2);
    expect(io.out).toBe('::error title=dockerlint::unknown format html; one of stylish, json, sarif, github, checkstyle, gitlab, compact\n');
    expect(io.err).toBe('');
    io.clear();
    expect(await runAction({ INPUT_PATH: FIXTURE, INPUT_ANNOTATIONS: 'maybe' }, io)).toBe(2);
    expect(io.out).toBe('::error title=dockerlint::input annotations: expected on or off, got maybe\n');
  });

  test('the config input: a config that turns the firing rules off makes the run pass', async () => {
    const cfg = path.join(tmp, 'quiet.yaml');
    fs.writeFileSync(cfg, 'rules:\n  su-sudo: off\n  missing-exec-args: off\n');
    const io = new MemoryIo({ cwd: root });
    expect(await runAction({ INPUT_PATH: FIXTURE, INPUT_FORMAT: 'github' }, io)).toBe(1);
    io.clear();
    expect(await runAction({ INPUT_PATH: FIXTURE, INPUT_FORMAT: 'github', INPUT_CONFIG: cfg }, io)).toBe(0);
    expect(io.all).not.toContain('su-sudo');
  });
});

describe('the committed bundle, end to end (node action/index.js, as the runner starts it)', () => {
  const run = (cwd: string, env: Record<string, string>): { status: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [path.join(cwd, 'action', 'index.js')], {
      cwd,
      env: { PATH: process.env.PATH ?? '', GITHUB_ACTIONS: 'true', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  test('from a copy of action/ with no node_modules anywhere: annotations, SARIF, exit 1', () => {
    // The runner checks out the action's repository and runs `node action/index.js` in the
    // workspace: no npm install, so everything must be in action/.
    const work = path.join(tmp, 'workspace');
    fs.cpSync(path.join(root, 'action'), path.join(work, 'action'), { recursive: true });
    fs.cpSync(path.join(root, FIXTURE), path.join(work, FIXTURE), { recursive: true });
    const sarif = path.join(tmp, 'out', 'dockerlint.sarif');
    const r = run(work, { INPUT_PATH: FIXTURE, INPUT_FORMAT: 'github', 'INPUT_FAILURE-THRESHOLD': 'error', 'INPUT_SARIF-FILE': sarif, INPUT_CONFIG: '' });
    expect(r.stderr).toBe('dockerlint: 1 error, 0 warnings, 0 notes\n');
    expect(r.stdout).toContain(ANNOTATION);
    expect(r.status).toBe(1);
    expectSarif(sarif);
  }, 60_000);

  /**
   * A workspace that needs every module the CLI loads at run time: a configuration file (yaml,
   * ajv), a compose file (yaml) naming the build context, and Node entrypoints (the TypeScript
   * parser, bundled apart).
   */
  function project(work: string): void {
    const write = (rel: string, text: string, mode = 0o644): void => {
      fs.mkdirSync(path.dirname(path.join(work, rel)), { recursive: true });
      fs.writeFileSync(path.join(work, rel), text, { mode });
    };
    // Without the configuration, root-process fires on svc (no USER).
    write('.dockerlint.yaml', 'rules:\n  root-process: off\n');
    // The Dockerfile is in svc/docker/, its context (compose) is svc/: without the compose file,
    // entry.sh is not found.
    write('svc/compose.yaml', 'services:\n  app:\n    build:\n      context: .\n      dockerfile: docker/Dockerfile\n');
    write('svc/docker/Dockerfile', 'FROM alpine:3.20\nCOPY entry.sh /entry.sh\nENTRYPOINT ["/entry.sh"]\nCMD ["redis-server"]\n');
    write('svc/entry.sh', '#!/bin/sh\nset -e\nsu redis -c "$*"\n', 0o755);
    const node = (dir: string, server: string): void => {
      write(`${dir}/Dockerfile`, 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD ["node", "server.js"]\n');
      write(`${dir}/server.js`, server);
    };
    node('app-bad', "const http = require('node:http');\nhttp.createServer((q, r) => r.end('ok')).listen(8080);\n");
    // The handler is in a module server.js imports: only a parsed import graph sees it.
    node('app-good', "const http = require('node:http');\nconst server = http.createServer((q, r) => r.end('ok')).listen(8080);\nrequire('./shutdown')(server);\n");
    write('app-good/shutdown.js', "module.exports = (server) => process.on('SIGTERM', () => server.close());\n");
  }

  const FORMATS = ['github', 'stylish', 'json', 'sarif', 'checkstyle', 'gitlab', 'compact'];

  test('from a folder with no node_modules: configuration, compose, Node entrypoints, every format', () => {
    const work = path.join(tmp, 'workspace');
    fs.cpSync(path.join(root, 'action'), path.join(work, 'action'), { recursive: true });
    project(work);
    for (let dir = work; dir !== path.dirname(dir); dir = path.dirname(dir)) expect(fs.existsSync(path.join(dir, 'node_modules'))).toBe(false);
    for (const format of FORMATS) {
      // Annotations off: stdout is the format alone (annotations would follow it).
      const r = run(work, { INPUT_FORMAT: format, INPUT_ANNOTATIONS: 'off' });
      expect({ format, stderr: r.stderr }).toEqual({ format, stderr: 'dockerlint: 1 error, 1 warning, 0 notes\n' });
      expect({ format, status: r.status }).toEqual({ format, status: 1 });
      // su-sudo in the script compose names the context of; the Node warning only where no
      // module handles SIGTERM; root-process turned off by the configuration.
      expect(r.stdout).toContain('svc/entry.sh');
      expect(r.stdout).toContain('su-sudo');
      expect(r.stdout).toContain('app-bad/Dockerfile');
      expect(r.stdout).toContain('node-pid1-signals');
      // SARIF describes every rule; its results are what was found.
      const found = format === 'sarif' ? JSON.stringify((JSON.parse(r.stdout) as SarifLog).runs[0]!.results) : r.stdout;
      expect(found).not.toContain('app-good');
      expect(found).not.toContain('root-process');
      expect(found).not.toContain('entrypoint-not-found');
      expect(found).not.toContain('input-error');
      if (format === 'json' || format === 'gitlab') expect(() => JSON.parse(r.stdout) as unknown).not.toThrow();
    }
    const json = JSON.parse(run(work, { INPUT_FORMAT: 'json', INPUT_ANNOTATIONS: 'off' }).stdout) as { rule: string; file: string }[];
    expect(json.map((f) => `${f.file} ${f.rule}`).sort()).toEqual(['app-bad/Dockerfile node-pid1-signals', 'svc/entry.sh su-sudo']);
  }, 120_000);

  test('from a folder with no node_modules: job summary (table, Mermaid, the fix input\'s diff), outputs, a usage error', () => {
    const work = path.join(tmp, 'workspace');
    fs.cpSync(path.join(root, 'action'), path.join(work, 'action'), { recursive: true });
    project(work);
    // A safe fix, so that the diff module (loaded only for a dry run) runs from the bundle.
    fs.writeFileSync(path.join(work, 'svc', 'docker', 'Dockerfile'), 'FROM alpine:3.20\nRUN apk add redis\nCOPY entry.sh /entry.sh\nENTRYPOINT ["/entry.sh"]\nCMD ["redis-server"]\n');
    const summary = path.join(tmp, 'summary.md');
    const output = path.join(tmp, 'output');
    fs.writeFileSync(summary, '');
    fs.writeFileSync(output, '');
    const sarif = path.join(work, 'out', 'dockerlint.sarif');
    const r = run(work, { GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, INPUT_FIX: 'on', 'INPUT_SARIF-FILE': sarif });
    expect(r.stderr).toBe('dockerlint: 1 error, 1 warning, 1 note\n');
    expect(r.status).toBe(1);
    expect(fs.readFileSync(output, 'utf8')).toBe(`errors=1\nwarnings=1\nsarif-file=${sarif}\n`);
    expect(fs.existsSync(sarif)).toBe(true);
    const text = fs.readFileSync(summary, 'utf8');
    expect(text).toContain('**1 error, 1 warning, 1 note** in 3 files: the check failed');
    expect(text).toMatch(/^\| svc\/entry\.sh \| 3 \| error \| \[su-sudo\]\(/m);
    expect(text).toMatch(/^\| app-bad\/Dockerfile \| 5 \| warning \| \[node-pid1-signals\]\(/m);
    expect(text).toContain('-RUN apk add redis\n+RUN apk add --no-cache redis\n');
    expect(text).toContain('<details><summary>svc/docker/Dockerfile</summary>\n\n```mermaid\nflowchart TD\n');
    expect(text).not.toContain('[!CAUTION]');
    // A usage error from the bundle: a workflow command, and a summary that says so.
    fs.writeFileSync(summary, '');
    const bad = run(work, { GITHUB_STEP_SUMMARY: summary, INPUT_FORMAT: 'html' });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('::error title=dockerlint::unknown format html; one of stylish, json, sarif, github, checkstyle, gitlab, compact\n');
    expect(fs.readFileSync(summary, 'utf8')).toContain('> [!CAUTION]\n> dockerlint could not run:');
  }, 120_000);

  test('action/dockerlint.js: the same bundle as a command line (the pre-commit hook runs it)', () => {
    const work = path.join(tmp, 'workspace');
    fs.cpSync(path.join(root, 'action'), path.join(work, 'action'), { recursive: true });
    project(work);
    expect(fs.statSync(path.join(work, 'action', 'dockerlint.js')).mode & 0o111).not.toBe(0);
    const r = spawnSync(path.join(work, 'action', 'dockerlint.js'), ['.', '--format', 'compact', '--no-color'], { cwd: work, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^svc\/entry\.sh:3:1: error su-sudo: /m);
    expect(r.stdout).toMatch(/^app-bad\/Dockerfile:5:\d+: warning node-pid1-signals: /m);
    expect(r.status).toBe(1);
    const v = spawnSync(process.execPath, [path.join(work, 'action', 'dockerlint.js'), '--version'], { cwd: work, encoding: 'utf8' });
    expect(v.stdout.trim()).toBe((JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version);
  }, 60_000);

  test('in the repository itself, with the default format and a threshold that never fails', () => {
    const r = run(root, { INPUT_PATH: FIXTURE, 'INPUT_FAILURE-THRESHOLD': 'none' });
    expect(r.stdout).toContain(ANNOTATION);
    expect(r.status).toBe(0);
  }, 60_000);
});

test('bin/dockerlint.cjs in a clone that was not built runs the committed bundle', () => {
  // npm ci in a clone builds nothing (the package builds before it is packed): bin/ falls back to action/.
  const clone = path.join(tmp, 'clone');
  for (const dir of ['bin', 'action']) fs.cpSync(path.join(root, dir), path.join(clone, dir), { recursive: true });
  fs.cpSync(path.join(root, FIXTURE), path.join(clone, FIXTURE), { recursive: true });
  const r = spawnSync(process.execPath, [path.join(clone, 'bin', 'dockerlint.cjs'), FIXTURE, '--format', 'compact'], { cwd: clone, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8', timeout: 60_000 });
  expect(r.stderr).toBe('');
  expect(r.stdout).toContain(`${FIXTURE}/docker-entrypoint.sh:13:`);
  expect(r.status).toBe(1);
}, 60_000);

describe('outputs and job summary (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY)', () => {
  const io = (cwd: string): MemoryIo => new MemoryIo({ cwd, writeFile: 'disk' });
  function githubFiles(): { env: Record<string, string>; output: () => string; summary: () => string } {
    const output = path.join(tmp, 'github_output');
    const summary = path.join(tmp, 'step_summary');
    fs.writeFileSync(output, 'earlier=kept\n');
    fs.writeFileSync(summary, '');
    return {
      env: { GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary },
      output: () => fs.readFileSync(output, 'utf8'),
      summary: () => fs.readFileSync(summary, 'utf8'),
    };
  }

  test('counts as outputs, a findings table, the PID 1 chain as a Mermaid diagram', async () => {
    const gh = githubFiles();
    const sarif = path.join(tmp, 'dockerlint.sarif');
    const cli = io(root);
    expect(await runAction({ ...gh.env, INPUT_PATH: FIXTURE, 'INPUT_SARIF-FILE': sarif }, cli)).toBe(1);
    // Appended to what earlier steps wrote.
    expect(gh.output()).toBe(`earlier=kept\nerrors=1\nwarnings=0\nsarif-file=${sarif}\n`);
    expect(cli.err).toBe('dockerlint: 1 error, 0 warnings, 0 notes\n');
    const summary = gh.summary();
    expect(summary).toContain('## dockerlint\n\n**1 error, 0 warnings, 0 notes** in 1 file: the check failed');
    expect(summary).toContain('| File | Line | Severity | Rule | Message |\n|---|---:|---|---|---|\n');
    expect(summary).toContain(`| ${FIXTURE}/docker-entrypoint.sh | 13 | error | [su-sudo](https://github.com/dockerlint-pid1/dockerlint/blob/main/docs/rules/su-sudo.md) | `);
    expect(summary).toContain(`<details><summary>${FIXTURE}/Dockerfile</summary>\n\n\`\`\`mermaid\nflowchart TD\n  start(["docker run: ${FIXTURE}/Dockerfile`);
    expect(summary).not.toContain('[!WARNING]');
  });

  test('more findings than GitHub annotates: a note in the summary; annotations off: none in the log', async () => {
    const work = path.join(tmp, 'many');
    fs.mkdirSync(work);
    const sudo = (n: number): string => `FROM debian:12\n${Array.from({ length: n }, (_, i) => `RUN sudo touch /f${i}\n`).join('')}USER nobody\nCMD ["sleep", "infinity"]\n`;
    fs.writeFileSync(path.join(work, 'Dockerfile'), sudo(11));
    let gh = githubFiles();
    let cli = io(work);
    expect(await runAction({ ...gh.env }, cli)).toBe(1);
    expect(cli.out.match(/^::error file=Dockerfile,/gm)).toHaveLength(11);
    expect(gh.output()).toContain('errors=11\nwarnings=0\nsarif-file=\n');
    expect(gh.summary()).toContain('> [!WARNING]\n> GitHub shows at most 10 annotations of each level per step, and this run has 11 errors: the rest have no annotation');

    gh = githubFiles();
    cli = io(work);
    expect(await runAction({ ...gh.env, INPUT_ANNOTATIONS: 'off' }, cli)).toBe(1);
    expect(cli.out).not.toContain('::error');
    expect(cli.out).toContain('sudo-in-run'); // the github format falls back to stylish
    expect(gh.summary()).not.toContain('[!WARNING]');

    fs.writeFileSync(path.join(work, 'Dockerfile'), sudo(10));
    gh = githubFiles();
    cli = io(work);
    expect(await runAction({ ...gh.env, INPUT_FORMAT: 'compact' }, cli)).toBe(1);
    // compact is the log, the annotations follow it.
    expect(cli.out).toMatch(/^Dockerfile:2:5: error sudo-in-run: [^\n]*\n(.*\n)*::error file=Dockerfile,line=2,/m);
    expect(gh.summary()).not.toContain('[!WARNING]');
  });

  test('a clean run, and a usage error: both still write a summary and the outputs', async () => {
    const work = path.join(tmp, 'clean');
    fs.mkdirSync(work);
    fs.writeFileSync(path.join(work, 'Dockerfile'), 'FROM alpine:3.20\nUSER nobody\nCMD ["sleep", "infinity"]\n');
    let gh = githubFiles();
    expect(await runAction({ ...gh.env }, io(work))).toBe(0);
    expect(gh.summary()).toBe('## dockerlint\n\n**No problems found** (dockerlint 0.1.0).\n\n');
    expect(gh.output()).toBe('earlier=kept\nerrors=0\nwarnings=0\nsarif-file=\n');

    gh = githubFiles();
    const cli = io(work);
    expect(await runAction({ ...gh.env, 'INPUT_FAILURE-THRESHOLD': 'fatal' }, cli)).toBe(2);
    expect(cli.out).toMatch(/^::error title=dockerlint::Invalid values:/m);
    expect(gh.summary()).toMatch(/^## dockerlint\n\n> \[!CAUTION\]\n> dockerlint could not run:\n> Invalid values&#58;/);
  });

  test('file names and messages cannot inject Markdown, HTML or table cells into the summary', async () => {
    const work = path.join(tmp, 'evil');
    fs.mkdirSync(work);
    const name = 'x|y<img src=a>[l](https:__e.com)`$1$`.Dockerfile';
    fs.writeFileSync(path.join(work, name), 'FROM debian:12\nRUN sudo true\nUSER nobody\nCMD ["sleep", "1"]\n');
    const gh = githubFiles();
    expect(await runAction({ ...gh.env }, io(work))).toBe(1);
    const row = gh.summary().split('\n').find((l) => l.includes('sudo-in-run'));
    expect(row).toBe(
      '| x&#124;y&#60;img src=a&#62;&#91;l&#93;&#40;https&#58;&#95;&#95;e.com&#41;&#96;&#36;1&#36;&#96;.Dockerfile | 2 | error | [sudo-in-run](https://github.com/dockerlint-pid1/dockerlint/blob/main/docs/rules/sudo-in-run.md) | ' +
        '&#96;sudo&#96; in RUN&#58; the build already runs as root unless USER says otherwise, and sudo that works here means the image ships password-less sudo, a privilege-escalation path at runtime. |',
    );
    expect(gh.summary()).toContain(`<details><summary>x&#124;y&#60;img`);
  });
});

describe('the fix input: the dry-run diff in the summary', () => {
  test('fix: on with findings whose only fix is unsafe says that one exists and how to apply it; off adds no section', async () => {
    const summary = path.join(tmp, 'summary.md');
    const io = new MemoryIo({ cwd: root });
    fs.writeFileSync(summary, '');
    // su-sudo's fix (exec su-exec instead of su) is unsafe: the dry run of safe fixes is empty.
    await runAction({ GITHUB_STEP_SUMMARY: summary, INPUT_PATH: FIXTURE, INPUT_FIX: 'on' }, io);
    expect(fs.readFileSync(summary, 'utf8')).toContain(
      '### Automatic fixes (dry run)\n\nNo finding here has a safe automatic fix, but 1 finding has an unsafe one: it may change what the image does, so read it first with `dockerlint --fix-dry-run --unsafe-fixes`, then apply it locally with `dockerlint --fix --unsafe-fixes` (one rule at a time with `--fix-rule <rule>`).\n',
    );
    fs.writeFileSync(summary, '');
    await runAction({ GITHUB_STEP_SUMMARY: summary, INPUT_PATH: FIXTURE }, io);
    expect(fs.readFileSync(summary, 'utf8')).not.toContain('Automatic fixes');
  });

  test('fix: on with findings that have no automatic fix at all says so', async () => {
    const work = path.join(tmp, 'nofix');
    fs.mkdirSync(work);
    fs.writeFileSync(path.join(work, 'Dockerfile'), 'FROM debian:12\nRUN sudo true\nUSER nobody\nCMD ["sleep", "1"]\n');
    const summary = path.join(tmp, 'summary.md');
    fs.writeFileSync(summary, '');
    const io = new MemoryIo({ cwd: work });
    await runAction({ GITHUB_STEP_SUMMARY: summary, INPUT_FIX: 'on' }, io);
    expect(fs.readFileSync(summary, 'utf8')).toContain('### Automatic fixes (dry run)\n\nNo finding here has an automatic fix: the messages say how to fix them.\n');
  });

  test('fix: on with a fixable finding puts the dry-run diff in the summary and changes no file', async () => {
    const work = path.join(tmp, 'fixable');
    fs.mkdirSync(work);
    const dockerfile = 'FROM alpine:3.20\nUSER nobody\nCMD sleep infinity\n';
    fs.writeFileSync(path.join(work, 'Dockerfile'), dockerfile);
    const summary = path.join(tmp, 'summary.md');
    fs.writeFileSync(summary, '');
    const io = new MemoryIo({ cwd: work, writeFile: 'disk' });
    expect(await runAction({ GITHUB_STEP_SUMMARY: summary, INPUT_FIX: 'on' }, io)).toBe(1);
    expect(fs.readFileSync(summary, 'utf8')).toContain(
      '### Automatic fixes (dry run)\n\nWhat `dockerlint --fix` would change (run it locally to apply):\n\n```diff\n--- a/Dockerfile\n+++ b/Dockerfile\n' +
        '@@ -1,3 +1,3 @@\n FROM alpine:3.20\n USER nobody\n-CMD sleep infinity\n+CMD ["sleep", "infinity"]\n```\n',
    );
    expect(fs.readFileSync(path.join(work, 'Dockerfile'), 'utf8')).toBe(dockerfile);
  });

  test('a diff goes in a diff block that no backtick in it can close', () => {
    const diff = '--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1 +1 @@\n-CMD echo ```\n+CMD ["echo", "```"]\n';
    expect(codeBlock('diff', diff)).toBe(`\`\`\`\`diff\n${diff.replace(/\n$/, '')}\n\`\`\`\``);
    const text = jobSummary({ findings: [], counts: { error: 0, warning: 0, info: 0 }, code: 0, annotations: true, diagrams: [], messages: '', fixes: diff });
    expect(text).toContain('What `dockerlint --fix` would change (run it locally to apply):\n\n````diff\n--- a/Dockerfile');
  });
});
