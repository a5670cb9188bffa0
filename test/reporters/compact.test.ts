import type { Finding } from '../../src/findings.js';
import { formatCompact } from '../../src/reporters/compact.js';
import { finding as aFinding } from './finding.js';

const finding = (over: Partial<Finding>): Finding => aFinding({ hint: 'Add `USER app`', ...over });

describe('formatCompact', () => {
  test('one exact line per finding', () => {
    expect(
      formatCompact([
        finding({}),
        finding({ file: 'app/docker-entrypoint.sh', rule: 'gosu-without-exec', severity: 'warning', line: 22, column: 7, message: 'gosu without exec' }),
        finding({ file: '-', rule: 'syntax-error', severity: 'info', line: 1, column: 1, message: 'x' }),
      ]),
    ).toBe(
      'Dockerfile:3:2: error root-process: The main process runs as root\n' +
        'app/docker-entrypoint.sh:22:7: warning gosu-without-exec: gosu without exec\n' +
        '-:1:1: info syntax-error: x\n',
    );
  });

  test('line breaks in messages become spaces, so a finding stays on one line', () => {
    expect(formatCompact([finding({ message: 'a\nb\r\nc\rd' })])).toBe('Dockerfile:3:2: error root-process: a b c d\n');
    expect(formatCompact([finding({ file: 'odd\nname', message: 'm' })])).toBe('odd\\x0aname:3:2: error root-process: m\n');
  });

  test('terminal control characters are shown escaped', () => {
    const out = formatCompact([finding({ file: '\u001b[31mred\u001b[0m/Dockerfile', message: 'x\u0007\u009by' })]);
    expect(out).toBe('\\x1b[31mred\\x1b[0m/Dockerfile:3:2: error root-process: x\\x07\\x9by\n');
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  test('no findings, no output', () => {
    expect(formatCompact([])).toBe('');
  });
});
