import type { Finding } from '../../src/findings.js';
import { formatCheckstyle } from '../../src/reporters/checkstyle.js';
import { formatCompact } from '../../src/reporters/compact.js';
import { formatGithub } from '../../src/reporters/github.js';
import { formatGitlab } from '../../src/reporters/gitlab.js';
import { FORMATS, format, isFormat } from '../../src/reporters/index.js';
import { formatJson } from '../../src/reporters/json.js';
import { formatSarif } from '../../src/reporters/sarif.js';
import { formatStylish } from '../../src/reporters/stylish.js';
import { RULES } from '../../src/rules/index.js';

const ESC = '\u001b[31m';

const findings: Finding[] = [
  {
    rule: 'root-process',
    severity: 'error',
    message: `runs as root ${ESC}(really)\u001b[0m`,
    hint: `Add USER ${ESC}app`,
    file: `${ESC}evil\u001b[0m/Dockerfile`,
    line: 2,
    column: 1,
    endLine: 2,
    endColumn: 4,
    related: [
      { file: `${ESC}evil\u001b[0m/Dockerfile`, line: 1, column: 1, message: `ENTRYPOINT ${ESC}` },
      { file: `${ESC}evil\u001b[0m/Dockerfile`, line: 2, column: 1, message: 'CMD' },
    ],
  },
  {
    rule: 'syntax-error',
    severity: 'warning',
    message: 'plain',
    hint: null,
    file: '-',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    related: [],
  },
];

describe('format', () => {
  test('the list of formats', () => {
    expect(FORMATS).toEqual(['stylish', 'json', 'sarif', 'github', 'checkstyle', 'gitlab', 'compact']);
    expect(isFormat('sarif')).toBe(true);
    expect(isFormat('html')).toBe(false);
  });

  test('each name loads its formatter and returns what it returns', async () => {
    const opts = { color: false, version: '9.9.9' };
    expect(await format('stylish', findings, opts)).toBe(formatStylish(findings, false));
    expect(await format('stylish', findings, { ...opts, color: true })).toBe(formatStylish(findings, true));
    expect(await format('json', findings, opts)).toBe(formatJson(findings));
    expect(await format('sarif', findings, opts)).toBe(formatSarif(findings, RULES, '9.9.9'));
    expect(await format('github', findings, opts)).toBe(formatGithub(findings));
    expect(await format('checkstyle', findings, opts)).toBe(formatCheckstyle(findings));
    expect(await format('gitlab', findings, opts)).toBe(formatGitlab(findings));
    expect(await format('compact', findings, opts)).toBe(formatCompact(findings));
  });

  test('an unknown name is an error, not empty output', async () => {
    await expect(format('html' as never, findings, { color: false, version: '1' })).rejects.toThrow('unknown format: html');
  });

  test.each(['stylish', 'github', 'checkstyle', 'compact'] as const)(
    '%s: no raw control character from a linted file reaches the output',
    async (name) => {
      const out = await format(name, findings, { color: false, version: '1' });
      expect(out).not.toContain('\u001b');
      expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      expect(out).toContain('\\x1b[31mevil\\x1b[0m/Dockerfile');
    },
  );

  test.each(['json', 'sarif', 'gitlab'] as const)('%s: JSON escapes control characters and keeps them intact', async (name) => {
    const out = await format(name, findings, { color: false, version: '1' });
    expect(out).not.toContain('\u001b');
    expect(out).toContain('\\u001b[31m');
    expect(() => JSON.parse(out) as unknown).not.toThrow();
  });
});
