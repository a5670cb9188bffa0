import { parseCasesFile, withoutComments } from './fixture-format.js';

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
