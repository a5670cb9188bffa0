import path from 'node:path';
import { defaultConfig } from '../src/config/schema.js';
import { displayPath, displayPaths, forDisplay } from '../src/findings.js';
import { createLinter } from '../src/linter.js';
import { FIXTURES } from './fixture-format.js';

const setup = (cwd: string) => ({
  cwd,
  severities: {},
  reportUnusedSuppressions: false,
  target: null,
  context: null,
  config: defaultConfig(),
  configFile: null,
  configLines: {},
  maxFileBytes: 4 * 1024 * 1024,
});

describe('createLinter', () => {
  test('lint(inputs): findings keyed by absolute path, the files read, one finding per key', async () => {
    const dir = path.join(FIXTURES, 'su-sudo', 'bad-redis-su');
    const linter = await createLinter(setup(FIXTURES));
    const input = { path: path.join(dir, 'Dockerfile') };
    const run = await linter.lint([input, input]);
    const script = path.join(dir, 'docker-entrypoint.sh');
    expect(run.findings.map((f) => [f.file, f.rule])).toEqual([[script, 'su-sudo']]);
    expect(run.findings[0]?.related.map((r) => r.file)).toEqual([path.join(dir, 'Dockerfile'), path.join(dir, 'Dockerfile'), script]);
    expect(run.filesRead).toEqual(expect.arrayContaining([path.join(dir, 'Dockerfile'), script]));
    // Messages keep what the user sees: paths relative to cwd.
    expect(run.findings[0]?.message).not.toContain(FIXTURES);
    expect(forDisplay(run.findings[0]!, FIXTURES).file).toBe('su-sudo/bad-redis-su/docker-entrypoint.sh');
    // The reporters' memo of display paths shows every path as displayPath does, each file once.
    const shown = displayPaths(FIXTURES);
    expect(forDisplay(run.findings[0]!, FIXTURES, shown)).toEqual(forDisplay(run.findings[0]!, FIXTURES));
    for (const file of [script, 'su-sudo/x/Dockerfile', '/etc/passwd', FIXTURES, path.join(FIXTURES, '..', 'x')]) {
      expect(shown(file)).toBe(displayPath(path.resolve(FIXTURES, file), FIXTURES));
      expect(shown(file)).toBe(shown(file));
    }
    expect(shown('-')).toBe('-');
  });

  test('--target: the stages a cache rule counts as shipped are the target and the stages it is built on', async () => {
    const text = [
      'FROM debian:12 AS os',
      'RUN apt-get update && apt-get install -y --no-install-recommends curl',
      'FROM os AS tools',
      'RUN apt-get update && apt-get install -y --no-install-recommends gcc',
      'FROM debian:12',
      'COPY --from=tools /x /x',
      '',
    ].join('\n');
    const lines = async (target: string | null): Promise<number[]> => {
      const linter = await createLinter({ ...setup(FIXTURES), target });
      const run = await linter.lint([{ path: '-', text, root: FIXTURES }]);
      return run.findings.filter((f) => f.rule === 'apt-lists-not-removed').map((f) => f.line);
    };
    // Built as the last stage, neither builder ships its lists; built as `tools`, both do.
    expect(await lines(null)).toEqual([]);
    expect(await lines('tools')).toEqual([2, 4]);
    expect(await lines('os')).toEqual([2]);
  });

  test('standard input stays `-`', async () => {
    const linter = await createLinter(setup(FIXTURES));
    const run = await linter.lint([{ path: '-', text: 'FROM alpine:3.20\nCMD sleep 1\n', root: FIXTURES }]);
    expect(new Set(run.findings.map((f) => f.file))).toEqual(new Set(['-']));
  });
});
