import { applyFixes } from '../src/fix.js';
import type { Fix } from '../src/findings.js';
import { parseCasesFile, withoutComments } from './fixture-format.js';

const fix = (title: string, ...edits: [number, number, string][]): Fix => ({ safety: 'safe', title, edits: edits.map(([start, end, text]) => ({ file: 'Dockerfile', start, end, text })) });

describe('applyFixes', () => {
  const text = 'FROM debian:12\nRUN apt-get install -y curl\n';
  const read = (file: string): string | null => (file === 'Dockerfile' ? text : null);

  test('applies edits from the end so earlier offsets still hold', () => {
    const at = text.indexOf('-y');
    const out = applyFixes([fix('a', [at, at, '--no-install-recommends ']), fix('b', [0, 4, 'from'])], read);
    expect(out.get('Dockerfile')).toBe('from debian:12\nRUN apt-get install --no-install-recommends -y curl\n');
  });

  test('a fix that overlaps one already taken is left out whole', () => {
    const out = applyFixes([fix('first', [5, 11, 'ubuntu']), fix('second', [0, 4, 'X'], [7, 9, 'Y'])], read);
    expect(out.get('Dockerfile')).toBe('FROM ubuntu:12\nRUN apt-get install -y curl\n');
  });

  test('files it cannot read are not in the result', () => {
    expect(applyFixes([{ safety: 'unsafe', title: 't', edits: [{ file: 'other', start: 0, end: 0, text: 'x' }] }], read).size).toBe(0);
  });
});

describe('the multi-case fixture form', () => {
  test('cases, sections and comments', () => {
    const cases = parseCasesFile('r', '# about the file\n=== bad: one\nFROM a\n\n--- expected\n# why\nDockerfile:1:1-1:5 error r id\n  message: m\n--- fixed\nfrom a\n\n=== good: two\nFROM b\n');
    expect(cases.map((c) => [c.name, c.dockerfile, c.expected, c.fixed])).toEqual([
      ['bad: one', 'FROM a\n', '# why\nDockerfile:1:1-1:5 error r id\n  message: m\n', 'from a\n'],
      ['good: two', 'FROM b\n', null, null],
    ]);
    expect(withoutComments(cases[0]?.expected ?? '')).toBe('Dockerfile:1:1-1:5 error r id\n  message: m\n');
  });

  test('two cases with one name are refused', () => {
    expect(() => parseCasesFile('r', '=== good: x\nFROM a\n=== good: x\nFROM b\n')).toThrow(/two cases named/);
  });
});
