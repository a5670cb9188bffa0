/**
 * The shell parser keeps the results of short texts (the RUN lines a monorepo repeats) for the
 * next caller, at most 500, and evicts the one used least recently: a boilerplate line used all
 * along stays while one-off texts come and go.
 */
import { loadShellParser, type ShellParser } from '../../src/parsers/shell.js';

let parser: ShellParser;
beforeAll(async () => {
  parser = await loadShellParser();
});

describe('the parse cache of short texts', () => {
  test('a text used again is kept over texts used once, and a result comes back as the same object', () => {
    const boiler = 'apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*';
    const first = parser.parse(boiler, 'posix');
    expect(first.ok).toBe(true);
    expect(parser.parse(boiler, 'posix')).toBe(first);
    // 2,000 one-off texts, the boilerplate used again after every 100: it is never the least recent.
    for (let i = 0; i < 2000; i++) {
      parser.parse(`echo one-off ${i}`, 'posix');
      if (i % 100 === 99) expect(parser.parse(boiler, 'posix')).toBe(first);
    }
    expect(parser.parse(boiler, 'posix')).toBe(first);
    // The dialect is part of the key.
    expect(parser.parse(boiler, 'bash')).not.toBe(first);
  });

  test('at most 500 texts are kept: the least recently used is parsed afresh', () => {
    const old = parser.parse('echo evicted-first', 'posix');
    for (let i = 0; i < 500; i++) parser.parse(`echo filler ${i}`, 'posix');
    const again = parser.parse('echo evicted-first', 'posix');
    expect(again).not.toBe(old);
    expect(again).toEqual(old);
  });

  test('a text of 1 KB or more is not kept', () => {
    const long = `echo ${'x'.repeat(1100)}`;
    const a = parser.parse(long, 'posix');
    expect(parser.parse(long, 'posix')).not.toBe(a);
  });
});
