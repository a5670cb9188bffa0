import fs from 'node:fs';
import path from 'node:path';
import { DockerfileParser, Instruction } from 'dockerfile-ast';
import { commandForm, looksLikeJsonArray, runShellSource, runShellText, unmemoisedRawArguments } from '../../src/parsers/dockerfile.js';
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

describe('dockerfile-ast argument memo', () => {
  // Every Dockerfile under fixtures/ and bench-like shapes: the memoised tokenizer must give what
  // the original gives, and each caller must get its own array (ModifiableInstruction shifts it).
  const root = path.resolve('fixtures');
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/Dockerfile/.test(e.name)) files.push(p);
    }
  };
  walk(root);

  const shape = (args: unknown[]) =>
    (args as Array<{ getValue(): string; getRange(): unknown }>).map((a) => [a.getValue(), a.getRange()]);

  test(`matches the unmemoised tokenizer on ${files.length} fixture Dockerfiles`, () => {
    expect(files.length).toBeGreaterThan(50);
    // The memo is installed on the same module instance the parser uses.
    const proto = Instruction.prototype as unknown as { getRawArguments: { original?: unknown } };
    expect(typeof proto.getRawArguments.original).toBe('function');
    let compared = 0;
    for (const f of files) {
      const parsed = DockerfileParser.parse(fs.readFileSync(f, 'utf8'));
      for (const node of parsed.getInstructions()) {
        const raw = node as unknown as { getRawArguments(): unknown[] };
        const first = raw.getRawArguments();
        first.length = 0; // a caller that mutates its array must not affect the next one
        expect(shape(raw.getRawArguments())).toEqual(shape(unmemoisedRawArguments(node)));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(300);
  });

  test('runShellSource is the text of runShellText on every RUN of the fixtures, heredocs included', () => {
    let compared = 0;
    let heredocs = 0;
    const extra = 'FROM a\nRUN <<EOF\necho one\nEOF\nRUN cat <<A >/x && cat <<-B >/y\na\nA\n\tb\n\tB\nRUN [ -f /x ] && \\\n  echo yes\n';
    for (const text of [...files.map((f) => fs.readFileSync(f, 'utf8')), extra]) {
      for (const inst of ast(text).instructions) {
        if (inst.keyword !== 'RUN') continue;
        expect(runShellSource(inst)).toBe(runShellText(inst).text);
        compared++;
        if (inst.heredocs.length > 0) heredocs++;
      }
    }
    expect(compared).toBeGreaterThan(150);
    expect(heredocs).toBeGreaterThanOrEqual(3);
  });

  test('flags are still taken off the arguments of COPY and RUN', () => {
    const parsed = DockerfileParser.parse('FROM a\nCOPY --chown=1:1 --chmod=755 a b\nRUN --mount=type=cache,target=/x make\n');
    const [, copy, run] = parsed.getInstructions() as unknown as Array<{
      getFlags(): Array<{ getName(): string }>;
      getArguments(): Array<{ getValue(): string }>;
    }>;
    expect(copy?.getFlags().map((f) => f.getName())).toEqual(['chown', 'chmod']);
    expect(copy?.getArguments().map((a) => a.getValue())).toEqual(['a', 'b']);
    expect(copy?.getArguments().map((a) => a.getValue())).toEqual(['a', 'b']);
    expect(run?.getArguments().map((a) => a.getValue())).toEqual(['make']);
  });
});
