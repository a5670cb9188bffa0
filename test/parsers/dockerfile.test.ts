import { commandForm, looksLikeJsonArray } from '../../src/parsers/dockerfile.js';
import { buildImageModel } from '../../src/model/image.js';
import { ast, finalStage } from '../helpers.js';

describe('Dockerfile front end', () => {
  test('keywords, lines and columns are 1-based', () => {
    const a = ast('FROM alpine\n\n  RUN echo hi\n');
    expect(a.instructions.map((i) => [i.keyword, i.keywordSpan.line, i.keywordSpan.column])).toEqual([
      ['FROM', 1, 1],
      ['RUN', 3, 3],
    ]);
  });

  test('line continuations are joined and comment lines inside them dropped', () => {
    const a = ast('FROM alpine\nRUN apk add \\\n# a comment\n    curl \\\n    jq\n');
    const run = a.instructions[1];
    expect(run?.rest.text.replace(/\s+/g, ' ')).toBe('apk add curl jq');
    expect(run?.span.endLine).toBe(5);
    // `curl` maps back to line 4, column 5.
    const at = run?.rest.text.indexOf('curl') ?? -1;
    expect(run?.rest.spanOf(at, at + 4)).toEqual({ line: 4, column: 5, endLine: 4, endColumn: 9 });
  });

  test('# escape=` makes the backtick the continuation character', () => {
    const a = ast('# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN dir `\n  c:\\\n');
    expect(a.escape).toBe('`');
    expect(a.instructions[1]?.rest.text.replace(/\s+/g, ' ')).toBe('dir c:\\');
  });

  test('# syntax= is read as a directive', () => {
    expect(ast('# syntax=docker/dockerfile:1\nFROM alpine\n').directives).toEqual([{ name: 'syntax', value: 'docker/dockerfile:1', line: 1 }]);
  });

  test('heredoc bodies belong to their instruction', () => {
    const a = ast('FROM alpine\nCOPY <<EOF /entrypoint.sh\n#!/bin/sh\nexec "$@"\nEOF\nCMD ["x"]\n');
    expect(a.instructions.map((i) => i.keyword)).toEqual(['FROM', 'COPY', 'CMD']);
    const doc = a.instructions[1]?.heredocs[0];
    expect(doc?.name).toBe('EOF');
    expect(doc?.body.text).toBe('#!/bin/sh\nexec "$@"\n');
    expect(doc?.span.line).toBe(3);
  });

  test('trap: `<< \'EOF\'` with a space is still a heredoc (dockerfile-ast 0.7.1 makes its body instructions)', () => {
    const a = ast("FROM alpine\nRUN cat << 'EOT' > /x\nhello\nEOT\nCMD [\"x\"]\n");
    expect(a.instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN', 'CMD']);
    expect(a.instructions[1]?.heredocs[0]?.body.text).toBe('hello\n');
    expect(a.instructions[2]?.keywordSpan.line).toBe(5);
  });

  test('trap: exec-form strings keep their spaces (dockerfile-ast 0.7.1 drops them)', () => {
    const a = ast('FROM alpine\nCMD ["/bin/echo", "a  b", " c"]\n');
    const form = commandForm(a.instructions[1]!.rest);
    expect(form).toMatchObject({ kind: 'exec', argv: ['/bin/echo', 'a  b', ' c'] });
  });

  test('trap: an indented first instruction with a variable does not overflow the stack', () => {
    expect(() => buildImageModel(ast(' RUN $A\n'))).not.toThrow();
    const model = buildImageModel(ast(' ARG BASE\n FROM $BASE\n RUN $A\n'));
    expect(model.stages).toHaveLength(1);
    expect(model.stages[0]?.baseKnown).toBe(false);
  });

  test('an unclosed heredoc is a positioned problem, not an exception', () => {
    const a = ast('FROM alpine\nRUN <<EOF\necho hi\n');
    expect(a.problems).toHaveLength(1);
    expect(a.problems[0]?.span.line).toBe(2);
  });

  test.each([
    ["['a', 'b']", true],
    ['["a" "b"]', true],
    ['["a", "b",]', true],
    ["['server']", true],
    ['[ -f x ]', false],
    ['[ "$A" = "b" ]', false],
    ['[ -n "$X" ] && echo', false],
  ])('looksLikeJsonArray(%s) = %s', (text, expected) => {
    expect(looksLikeJsonArray(text)).toBe(expected);
  });

  test('a JSON-looking array that is not JSON is shell form with a reason', () => {
    const a = ast("FROM alpine\nENTRYPOINT ['a', 'b']\n");
    const form = commandForm(a.instructions[1]!.rest);
    expect(form.kind).toBe('shell');
    expect(form.kind === 'shell' && form.invalidJson).toMatch(/double quotes/);
  });
});

describe('image model', () => {
  test('USER expands build arguments and ENV', () => {
    expect(finalStage('FROM alpine\nARG APP_USER=app\nUSER ${APP_USER}\n').config.user).toMatchObject({ value: 'app', known: true });
    expect(finalStage('FROM alpine\nENV U=svc\nUSER $U:$U\n').config.user?.value).toBe('svc:svc');
    expect(finalStage('FROM alpine\nARG U\nUSER $U\n').config.user?.known).toBe(false);
    expect(finalStage('ARG U=x\nFROM alpine\nARG U\nUSER ${U:-root}\n').config.user?.value).toBe('x');
  });

  test('USER, WORKDIR and ENV are inherited from an earlier stage', () => {
    const stage = finalStage('FROM alpine AS a\nUSER 1000\nWORKDIR /srv\nENV K=v\nFROM a\n');
    expect(stage.config.user?.value).toBe('1000');
    expect(stage.config.workdir).toBe('/srv');
    expect(stage.config.env.get('K')).toBe('v');
  });

  test('a stage built FROM an image starts as root with no user', () => {
    expect(finalStage('FROM alpine AS a\nUSER 1000\nFROM alpine\n').config.user).toBeNull();
  });

  test('WORKDIR is relative to the previous one and ENV PATH extends the default', () => {
    const stage = finalStage('FROM alpine\nWORKDIR /srv\nWORKDIR app\nENV PATH=/opt/bin:$PATH\n');
    expect(stage.config.workdir).toBe('/srv/app');
    expect(stage.config.env.get('PATH')).toBe('/opt/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  });
});
