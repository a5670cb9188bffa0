import { escapeData, escapeProperty, formatGithub } from '../../src/reporters/github.js';
import { finding } from './finding.js';

describe('formatGithub', () => {
  test('a plain error: every position property, endColumn inclusive', () => {
    expect(formatGithub([finding({})])).toBe(
      '::error file=Dockerfile,line=3,col=2,endLine=3,endColumn=5,title=dockerlint (root-process)::The main process runs as root\n',
    );
  });

  test('severities map to error, warning and notice', () => {
    const out = formatGithub([finding({}), finding({ severity: 'warning' }), finding({ severity: 'info' })]);
    expect(out.split('\n').map((l) => l.slice(0, l.indexOf(' ')))).toEqual(['::error', '::warning', '::notice', '']);
  });

  test('%, CR, LF, : and , are escaped in file names, messages, hint and chain', () => {
    const f = finding({
      file: 'ctx/a,b:c%d.Dockerfile',
      message: '100% broken:\r\nsee a, b',
      hint: 'use `exec "$@"`, not `"$@"`',
      related: [
        { file: 'Dockerfile', line: 1, column: 1, message: 'ENTRYPOINT' },
        { file: 'ctx/a,b:c%d.Dockerfile', line: 3, column: 2, message: 'gosu' },
      ],
    });
    expect(formatGithub([f])).toBe(
      '::error file=ctx/a%2Cb%3Ac%25d.Dockerfile,line=3,col=2,endLine=3,endColumn=5,title=dockerlint (root-process)::' +
        '100%25 broken:%0D%0Asee a, b%0Afix: use `exec "$@"`, not `"$@"`%0Avia: Dockerfile:1 ENTRYPOINT -> ctx/a,b:c%25d.Dockerfile:3 gosu\n',
    );
  });

  test('the escaping helpers', () => {
    expect(escapeData('a%b\rc\nd:e,f')).toBe('a%25b%0Dc%0Ad:e,f');
    expect(escapeProperty('a%b\rc\nd:e,f')).toBe('a%25b%0Dc%0Ad%3Ae%2Cf');
    // % first: an already-escaped-looking sequence is escaped again, not passed through.
    expect(escapeData('%0A')).toBe('%250A');
  });

  test('a message cannot inject a second workflow command', () => {
    const out = formatGithub([finding({ message: 'x\n::error file=evil::pwned\n::stop-commands::t' })]);
    expect(out.split('\n')).toHaveLength(2);
    expect(out).toBe(
      '::error file=Dockerfile,line=3,col=2,endLine=3,endColumn=5,title=dockerlint (root-process)::x%0A::error file=evil::pwned%0A::stop-commands::t\n',
    );
  });

  test('multi-line findings carry no columns; an end at column 1 ends on the line before', () => {
    expect(formatGithub([finding({ line: 2, endLine: 4, endColumn: 7 })])).toBe(
      '::error file=Dockerfile,line=2,endLine=4,title=dockerlint (root-process)::The main process runs as root\n',
    );
    expect(formatGithub([finding({ line: 2, column: 3, endLine: 3, endColumn: 1 })])).toBe(
      '::error file=Dockerfile,line=2,col=3,endLine=2,title=dockerlint (root-process)::The main process runs as root\n',
    );
    expect(formatGithub([finding({ line: 2, column: 3, endLine: 4, endColumn: 1 })])).toBe(
      '::error file=Dockerfile,line=2,endLine=3,title=dockerlint (root-process)::The main process runs as root\n',
    );
    // An empty span (start = end) still has endColumn >= col.
    expect(formatGithub([finding({ line: 1, column: 1, endLine: 1, endColumn: 1 })])).toBe(
      '::error file=Dockerfile,line=1,col=1,endLine=1,endColumn=1,title=dockerlint (root-process)::The main process runs as root\n',
    );
  });

  test('stdin: no file to annotate, the position goes into the message', () => {
    expect(formatGithub([finding({ file: '-', rule: 'syntax-error', message: 'unexpected EOF' })])).toBe(
      '::error title=dockerlint (syntax-error)::-:3:2: unexpected EOF\n',
    );
  });

  test('Windows separators become forward slashes', () => {
    expect(formatGithub([finding({ file: 'sub\\Dockerfile' })])).toMatch(/^::error file=sub\/Dockerfile,/);
  });

  test('terminal control characters never reach the log raw', () => {
    const out = formatGithub([
      finding({ file: '\u001b[31mred\u001b[0m/Dockerfile', message: 'bell\u0007 and \u009b csi', hint: 'esc \u001b]0;title\u0007' }),
    ]);
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(out).toBe(
      '::error file=\\x1b[31mred\\x1b[0m/Dockerfile,line=3,col=2,endLine=3,endColumn=5,title=dockerlint (root-process)::' +
        'bell\\x07 and \\x9b csi%0Afix: esc \\x1b]0;title\\x07\n',
    );
  });

  test('no findings, no output', () => {
    expect(formatGithub([])).toBe('');
  });
});
