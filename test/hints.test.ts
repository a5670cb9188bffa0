/**
 * Every message and hint the rules give over the fixtures (every rule's cases and the
 * real-world-style set, as their expected text says, which test/fixtures.test.ts checks is
 * exactly what they report) shows valid code: see test/hint-checks.ts for the checks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadShellParser, type ShellParser } from '../src/parsers/shell.js';
import { expectedText, fixtureCases, type FixtureCase } from './fixture-harness.js';
import { checkFinding, codeSpans, jsonArrays, type ShownFinding } from './hint-checks.js';

let parser: ShellParser;
beforeAll(async () => {
  parser = await loadShellParser();
});

/** The findings of an expected text, with a reader for the case's files. */
function shown(c: FixtureCase): ShownFinding[] {
  const text = expectedText(c);
  if (!text) return [];
  const read = (file: string): string | null => {
    if (c.form === 'inline') return file === 'Dockerfile' ? c.dockerfile : null;
    const p = path.resolve(c.dir, file);
    return fs.existsSync(p) && fs.statSync(p).isFile() ? fs.readFileSync(p, 'utf8') : null;
  };
  const out: ShownFinding[] = [];
  let cur: ShownFinding | null = null;
  for (const line of text.split('\n')) {
    const head = /^(\S+):(\d+):\d+-\d+:\d+ (?:error|warning|info) (\S+)/.exec(line);
    if (head) {
      cur = { where: c.where, file: head[1] as string, line: Number(head[2]), rule: head[3] as string, message: '', hint: null, read };
      out.push(cur);
    } else if (cur && line.startsWith('  message: ')) cur.message = line.slice('  message: '.length);
    else if (cur && line.startsWith('  hint: ')) cur.hint = line.slice('  hint: '.length);
  }
  return out;
}

describe('the checks themselves', () => {
  const f = (hint: string, message = 'A message.'): ShownFinding => ({ where: 'test', file: 'Dockerfile', line: 2, rule: 'r', message, hint, read: () => 'FROM x\nENTRYPOINT "/app/run.sh" --port 80\n' });

  test('code spans and JSON arrays are found', () => {
    expect(codeSpans('Use `exec "$@"` or `USER app`.')).toEqual(['exec "$@"', 'USER app']);
    expect(jsonArrays('e.g. CMD ["a", "b"] and ["c", "d]"].')).toEqual(['["a", "b"]', '["c", "d]"]']);
  });

  test('each kind of invalid hint is caught', () => {
    expect(checkFinding(f('Write `exec "$@".'), parser)).toEqual([expect.stringContaining('odd number of backticks')]);
    expect(checkFinding(f('Write `if [ -f x ]; then exec a`.'), parser)).toEqual([expect.stringContaining('does not parse')]);
    expect(checkFinding(f('Use ["gosu", "app", ...].'), parser)).toEqual([expect.stringContaining('JSON array that does not parse')]);
    expect(checkFinding(f('A hint.', 'Runs /bin/sh -c ""x"" as PID 1.'), parser)).toEqual([expect.stringContaining('doubles its quotes')]);
    expect(checkFinding(f('A hint.', 'It becomes ``, which is not an image.'), parser)).toEqual([expect.stringContaining('empty code span')]);
    expect(checkFinding(f('A hint.', 'It runs `/bin/sh -c "java -jar /app/ap…"`.'), parser)).toEqual([expect.stringContaining('cuts a code span short')]);
    expect(checkFinding(f('Use ENTRYPOINT ["\\"/app/run.sh\\"", "--port", "80"].'), parser)).toEqual([expect.stringContaining('does not split')]);
    const script: ShownFinding = { ...f('Write `exec start_server "$@"` and `exec $run "$@"`.'), file: 'entrypoint.sh', read: () => '#!/bin/sh\nrun="exec gosu app"\nstart_server() { server "$@"; }\n' };
    expect(checkFinding(script, parser)).toEqual([expect.stringContaining('shell function start_server'), expect.stringContaining('already holds exec')]);
    expect(checkFinding({ ...script, hint: 'Replace it with `exec gosu chat -- "$@"`.' }, parser)).toEqual([expect.stringContaining('passes -- to gosu')]);
  });

  test('valid hints pass: placeholders, Dockerfile lines, the exec form split as the shell does', () => {
    expect(checkFinding(f('Add `USER <name>`, then `exec gosu <user> "$@"`; or `RUN --mount=type=secret,id=k ...`.'), parser)).toEqual([]);
    expect(checkFinding(f('Use exec form: ENTRYPOINT ["/app/run.sh", "--port", "80"].'), parser)).toEqual([]);
  });
});

describe('every hint of every fixture', () => {
  test('shows valid code', () => {
    const findings = fixtureCases().flatMap(shown);
    expect(findings.length).toBeGreaterThan(300);
    const problems = findings.flatMap((x) => checkFinding(x, parser));
    expect(problems).toEqual([]);
  });
});
