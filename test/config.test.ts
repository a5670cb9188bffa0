import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { configMatchers, loadConfig, parseConfigText, type ConfigError, type LoadResult } from '../src/config/load.js';
import { configSchema, defaultConfig, DEFAULT_MAX_FILE_BYTES, parseSize, schemaText, starterConfig, type Config } from '../src/config/schema.js';
import { FORMATS } from '../src/reporters/index.js';
import { RULES } from '../src/rules/index.js';
import { writeFileIn } from './helpers.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
let dir: string;

const write = (rel: string, text: string | Buffer, mode?: number): string => writeFileIn(dir, rel, text, mode);

function ok(r: LoadResult): { config: Config; file: string | null } {
  if ('error' in r) throw new Error(`unexpected config error: ${JSON.stringify(r.error)}`);
  return r;
}

function err(r: LoadResult): ConfigError {
  if (!('error' in r)) throw new Error(`expected an error, got ${JSON.stringify(r)}`);
  return r.error;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-config-'));
  fs.mkdirSync(path.join(dir, 'repo', '.git'), { recursive: true });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('finding the configuration', () => {
  test('no file anywhere: the defaults, file null', () => {
    expect(loadConfig(path.join(dir, 'repo'))).toEqual({ config: defaultConfig(), file: null });
  });

  test('found from a sub-folder upwards; values as written, the rest defaults', () => {
    const file = write('repo/.dockerlint.yaml', 'rules:\n  root-process: warning\n  sudo-in-run: off\nfailureThreshold: error\nformat: json\n');
    fs.mkdirSync(path.join(dir, 'repo/services/api'), { recursive: true });
    const { config, file: found } = ok(loadConfig(path.join(dir, 'repo/services/api')));
    expect(found).toBe(file);
    expect(config).toEqual({ ...defaultConfig(), rules: { 'root-process': 'warning', 'sudo-in-run': 'off' }, failureThreshold: 'error', format: 'json' });
  });

  test('.dockerlint.yml is found too; the nearest folder wins', () => {
    write('repo/.dockerlint.yaml', 'format: json\n');
    const near = write('repo/sub/.dockerlint.yml', 'format: compact\n');
    const r = ok(loadConfig(path.join(dir, 'repo/sub')));
    expect(r.file).toBe(near);
    expect(r.config.format).toBe('compact');
  });

  test('the search stops at the folder that contains .git', () => {
    write('.dockerlint.yaml', 'format: json\n'); // above the repository: never read
    expect(ok(loadConfig(path.join(dir, 'repo'))).file).toBeNull();
    // .git as a file (a worktree or submodule) stops it as well
    fs.mkdirSync(path.join(dir, 'wt/sub'), { recursive: true });
    write('wt/.git', 'gitdir: elsewhere\n');
    expect(ok(loadConfig(path.join(dir, 'wt/sub'))).file).toBeNull();
    // without .git, it goes on to the root (and finds the file in the temp folder)
    fs.mkdirSync(path.join(dir, 'plain/sub'), { recursive: true });
    expect(ok(loadConfig(path.join(dir, 'plain/sub'))).file).toBe(path.join(dir, '.dockerlint.yaml'));
  });

  test('the dockerlint key of package.json; a package.json without it is passed over', () => {
    const pkg = write('repo/package.json', JSON.stringify({ name: 'x', dockerlint: { rules: { 'cmd-ignored': 'error' }, ignore: ['vendor/**'] } }));
    write('repo/app/package.json', JSON.stringify({ name: 'app' }));
    const r = ok(loadConfig(path.join(dir, 'repo/app')));
    expect(r.file).toBe(pkg);
    expect(r.config.rules).toEqual({ 'cmd-ignored': 'error' });
    expect(r.config.ignore).toEqual(['vendor/**']);
  });

  test('two configurations in one folder is an error naming both', () => {
    write('repo/.dockerlint.yaml', 'format: json\n');
    write('repo/package.json', JSON.stringify({ dockerlint: {} }));
    const e = err(loadConfig(path.join(dir, 'repo')));
    expect(e.message).toMatch(/several dockerlint configurations in one folder \(\.dockerlint\.yaml, package\.json \(key "dockerlint"\)\)/);
  });

  test('an explicit file (relative to the start folder) is used instead of the search', () => {
    write('repo/.dockerlint.yaml', 'format: json\n');
    const other = write('repo/ci/lint.yaml', 'format: sarif\n');
    const r = ok(loadConfig(path.join(dir, 'repo'), 'ci/lint.yaml'));
    expect(r).toEqual({ config: { ...defaultConfig(), format: 'sarif' }, file: other });
    // a JSON file is YAML too
    write('repo/ci/lint.json', '{"failureThreshold": "none"}');
    expect(ok(loadConfig(path.join(dir, 'repo'), 'ci/lint.json')).config.failureThreshold).toBe('none');
    // an explicit package.json is read for its key, which must be there
    write('repo/ci/package.json', '{"dockerlint": {"format": "gitlab"}}');
    expect(ok(loadConfig(path.join(dir, 'repo'), 'ci/package.json')).config.format).toBe('gitlab');
    write('repo/ci2/package.json', '{"name": "x"}');
    expect(err(loadConfig(path.join(dir, 'repo'), 'ci2/package.json'))).toEqual({ file: 'ci2/package.json', key: 'dockerlint', message: 'package.json has no "dockerlint" key' });
  });

  test('an explicit file that does not exist, or is a folder', () => {
    expect(err(loadConfig(path.join(dir, 'repo'), 'nope.yaml'))).toEqual({ file: 'nope.yaml', key: '', message: 'cannot read the file: ENOENT' });
    fs.mkdirSync(path.join(dir, 'repo/folder.yaml'));
    expect(err(loadConfig(path.join(dir, 'repo'), 'folder.yaml')).message).toBe('not a file');
  });

  test('an empty file, or one with only comments, is the defaults; a BOM is fine', () => {
    write('repo/.dockerlint.yaml', '# nothing yet\n');
    expect(ok(loadConfig(path.join(dir, 'repo'))).config).toEqual(defaultConfig());
    write('repo/.dockerlint.yaml', '\ufeffformat: json\n');
    expect(ok(loadConfig(path.join(dir, 'repo'))).config.format).toBe('json');
  });
});

describe('errors name the file, the key and the line', () => {
  const load = (text: string): ConfigError => {
    write('repo/.dockerlint.yaml', text);
    return err(loadConfig(path.join(dir, 'repo')));
  };

  test('an unknown rule id suggests the nearest one', () => {
    const e = load('# comment\nrules:\n  root-procss: error\n');
    expect(e).toMatchObject({ file: '.dockerlint.yaml', key: 'rules.root-procss', line: 3, column: 3 });
    expect(e.message).toBe('unknown rule id; did you mean root-process?');
  });

  test('a bad severity', () => {
    expect(load('rules:\n  root-process: fatal\n')).toEqual({
      file: '.dockerlint.yaml',
      key: 'rules.root-process',
      message: 'expected one of off, info, warning, error',
      line: 2,
      column: 17,
    });
  });

  test('an unknown top-level key', () => {
    const e = load('format: json\nrule:\n  root-process: off\n');
    expect(e).toMatchObject({ key: 'rule', line: 2, message: 'unknown key; did you mean rules?' });
  });

  test('failureThreshold and format take their lists of values', () => {
    expect(load('failureThreshold: warn\n')).toMatchObject({ key: 'failureThreshold', message: 'expected one of error, warning, info, none', line: 1 });
    expect(load('format: html\n')).toMatchObject({ key: 'format', message: `expected one of ${FORMATS.join(', ')}` });
  });

  test('wrong types and empty strings', () => {
    expect(load('ignore: vendor/**\n')).toMatchObject({ key: 'ignore', message: 'expected a list', line: 1 });
    expect(load('ignore:\n  - ok/**\n  - ""\n')).toMatchObject({ key: 'ignore[1]', message: 'must not be empty', line: 3 });
    expect(load('rules: [root-process]\n')).toMatchObject({ key: 'rules', message: 'expected a mapping' });
    expect(load('trustedBaseImages:\n  - image: ghcr.io/acme/*\n    dropsPrivileges: "yes"\n')).toMatchObject({
      key: 'trustedBaseImages[0].dropsPrivileges',
      message: 'expected true or false',
      line: 3,
    });
  });

  test('a context entry without its context, or with an unknown key', () => {
    expect(load('context:\n  - dockerfile: docker/*.Dockerfile\n')).toMatchObject({ key: 'context[0].context', message: 'missing: this key is required', line: 2 });
    expect(load('context:\n  - dockerfile: a\n    context: .\n    target: x\n')).toMatchObject({ key: 'context[0].target', message: 'unknown key; known: dockerfile, context', line: 4 });
  });

  test('YAML syntax errors give the line', () => {
    const e = load('rules:\n  root-process: error\n  root-process: off\n');
    expect(e).toMatchObject({ file: '.dockerlint.yaml', key: '', line: 3 });
    expect(e.message).toMatch(/^YAML syntax error: Map keys must be unique/);
    expect(load('format: [json\n')).toMatchObject({ key: '', message: expect.stringMatching(/^YAML syntax error/), line: expect.any(Number) });
  });

  test('a document that is not a mapping', () => {
    expect(load('- rules\n')).toMatchObject({ key: '', message: expect.stringMatching(/^expected a mapping of settings/) });
    expect(load('just text\n')).toMatchObject({ key: '', message: expect.stringMatching(/^expected a mapping of settings/) });
  });

  test('in a package.json: invalid JSON, and keys under "dockerlint" with their line', () => {
    write('repo/package.json', '{ "name": "x", }');
    expect(err(loadConfig(path.join(dir, 'repo')))).toMatchObject({ file: 'package.json', key: '', message: expect.stringMatching(/^not valid JSON/) });
    write('repo/package.json', '{\n  "name": "x",\n  "dockerlint": {\n    "rules": { "nope": "off" }\n  }\n}\n');
    expect(err(loadConfig(path.join(dir, 'repo')))).toMatchObject({ file: 'package.json', key: 'dockerlint.rules.nope', line: 4, message: expect.stringMatching(/^unknown rule id/) });
    write('repo/package.json', '{"dockerlint": "strict"}');
    expect(err(loadConfig(path.join(dir, 'repo')))).toMatchObject({ key: 'dockerlint', message: expect.stringMatching(/^expected a mapping/) });
  });

  test('the file is shown relative to the start folder', () => {
    write('repo/.dockerlint.yaml', 'format: nope\n');
    fs.mkdirSync(path.join(dir, 'repo/a/b'), { recursive: true });
    expect(err(loadConfig(path.join(dir, 'repo/a/b'))).file).toBe('../../.dockerlint.yaml');
  });

  test('never throws, whatever the bytes', () => {
    const inputs = [
      '\u0000\u0001\u0002',
      'a: &a [1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
      '!!js/function "() => 1"\n',
      '<<: {rules: {}}\n',
      `${'['.repeat(2000)}${']'.repeat(2000)}\n`,
      '%YAML 9.9\n---\nformat: json\n',
      'format: !!binary aGVsbG8=\n',
    ];
    for (const text of inputs) {
      const r = parseConfigText(text, '.dockerlint.yaml');
      expect(r).toBeDefined();
    }
    // the alias bomb is refused, not expanded
    expect('error' in parseConfigText(inputs[1]!, 'x')).toBe(true);
  });
});

describe('the schema and the starter file', () => {
  test('schema/dockerlint.schema.json is up to date (npm run gen)', () => {
    const file = path.join(root, 'schema', 'dockerlint.schema.json');
    expect(fs.readFileSync(file, 'utf8')).toBe(schemaText());
  });

  test('the rule ids of the schema are the rules, with their default severities', () => {
    const rules = (configSchema().properties as Record<string, { properties: Record<string, { default: string }> }>).rules.properties;
    const ids = RULES.map((r) => r.id);
    expect(Object.keys(rules).slice(0, ids.length)).toEqual(ids);
    for (const r of RULES) expect(rules[r.id]?.default).toBe(r.severity);
    // The other keys are the hadolint and BuildKit codes that stand for rules.
    for (const code of Object.keys(rules).slice(ids.length)) expect(code).toMatch(/^(DL\d{4}|[A-Z][A-Za-z]+)$/);
  });

  test('the starter is all comments, and uncommented it is exactly the defaults', () => {
    const text = starterConfig();
    expect(parse(text)).toBeNull();
    write('repo/.dockerlint.yaml', text);
    expect(ok(loadConfig(path.join(dir, 'repo'))).config).toEqual(defaultConfig());
    for (const r of RULES) expect(text).toMatch(new RegExp(`^#  ${r.id}: +${r.severity} +# `, 'm'));

    const uncommented = text
      .split('\n')
      .map((l) => (/^#(\S|  \S)/.test(l) ? l.slice(1) : l))
      .join('\n');
    write('repo/.dockerlint.yaml', uncommented);
    const { config } = ok(loadConfig(path.join(dir, 'repo')));
    expect(config).toEqual({
      ...defaultConfig(),
      rules: Object.fromEntries(RULES.map((r) => [r.id, r.severity])),
      preset: 'recommended',
      failureThreshold: 'warning',
      format: 'stylish',
      maxFileSize: '4MB',
    });
    expect(parseSize('4MB')).toBe(DEFAULT_MAX_FILE_BYTES);
  });

  test('sizes: bytes, or a number with a unit, in powers of 1024', () => {
    expect(parseSize(1000)).toBe(1000);
    expect(parseSize('1000')).toBe(1000);
    expect(parseSize('512KB')).toBe(512 * 1024);
    expect(parseSize('1.5 MiB')).toBe(1.5 * 1024 * 1024);
    expect(parseSize('2g')).toBe(2 * 1024 ** 3);
    for (const bad of [0, -1, 1.5, '', 'lots', '4 MBs', '-3KB', '0KB']) expect(parseSize(bad)).toBeNull();
  });
});

describe('configMatchers: paths and images resolved against the config folder', () => {
  const config: Config = {
    ...defaultConfig(),
    ignore: ['vendor', 'third_party/**', '**/testdata/**', 'legacy/*.Dockerfile'],
    context: [
      { dockerfile: 'docker/*.Dockerfile', context: '.' },
      { dockerfile: 'services/**/Dockerfile', context: 'services' },
    ],
    trustedBaseImages: [
      { image: 'ghcr.io/acme/base-*', user: 'app' },
      { image: 'ghcr.io/acme/db', dropsPrivileges: true },
      { image: 'node' },
    ],
  };

  test('ignore: globs, and folders matched by a glob', () => {
    const m = configMatchers(config, '/r/.dockerlint.yaml', '/r/sub');
    expect(m.dir).toBe('/r');
    expect(m.isIgnored('/r/vendor/x/Dockerfile')).toBe(true);
    expect(m.isIgnored('/r/third_party/Dockerfile')).toBe(true);
    expect(m.isIgnored('/r/a/testdata/b/Dockerfile')).toBe(true);
    expect(m.isIgnored('/r/legacy/old.Dockerfile')).toBe(true);
    expect(m.isIgnored('/r/legacy/sub/old.Dockerfile')).toBe(false);
    expect(m.isIgnored('/r/Dockerfile')).toBe(false);
    expect(m.isIgnored('/elsewhere/vendor/Dockerfile')).toBe(false);
    // relative paths are taken from the current folder
    expect(m.isIgnored('../vendor/Dockerfile')).toBe(true);
  });

  test('context: the first matching override, as an absolute folder', () => {
    const m = configMatchers(config, '/r/.dockerlint.yaml', '/r');
    expect(m.contextFor('/r/docker/api.Dockerfile')?.dir).toBe('/r');
    expect(m.contextFor('/r/services/a/b/Dockerfile')?.dir).toBe('/r/services');
    expect(m.contextFor('/r/Dockerfile')).toBeNull();
  });

  test('trustedBaseImages: globs, prefixes at a name boundary, docker.io/library/ ignored', () => {
    const m = configMatchers(config, null, '/r');
    expect(m.trustedBaseImage('ghcr.io/acme/base-python:3.12')).toMatchObject({ user: 'app', dropsPrivileges: false });
    expect(m.trustedBaseImage('ghcr.io/acme/db:16')).toMatchObject({ user: null, dropsPrivileges: true });
    expect(m.trustedBaseImage('ghcr.io/acme/dbx:16')).toBeNull();
    expect(m.trustedBaseImage('docker.io/library/node:20-slim')).toMatchObject({ user: null });
    expect(m.trustedBaseImage('NODE@sha256:abc')).not.toBeNull();
    expect(m.trustedBaseImage('nodered/node-red')).toBeNull();
  });
});
