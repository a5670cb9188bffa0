/**
 * The command line's two readings of the lint command's arguments: `plainLintArgs`, which reads
 * the common invocation without loading yargs, must give exactly what yargs gives, or decline.
 */
import { parseLintArgs, plainLintArgs } from '../src/cli.js';

/** Command lines the plain reading takes: each must equal yargs's reading, key for key. */
const TAKEN: string[][] = [
  [],
  ['.'],
  ['.', '--format', 'json'],
  ['--format', 'json', '.'],
  ['-f', 'sarif', '-o', 'out.sarif', 'services', 'Dockerfile'],
  ['--format', 'sarif', '--output-file', 'out.sarif'],
  ['a', 'b', 'c/Dockerfile.prod'],
  ['007', '1e3', '0x10', 'true', 'false', 'null', 'a=b', 'x.y', 'with space', 'naïve/Dockerfile'],
  ["services/**/Dockerfile", '-f', 'compact'],
  ['version', 'completion', 'explain-me'],
  ['-f', 'no-such-format'],
  ['-o', 'out.txt', '.'],
];

/** Command lines yargs reads differently from plain words, or that need an option it does not read. */
const DECLINED: string[][] = [
  ['help'], // yargs prints the help for a positional `help`
  ['a', 'help'],
  ['--format', 'help'],
  ['--format=json', '.'],
  ['-fjson'],
  ['--format'],
  ['--format', '-x'],
  ['-f', 'json', '-f', 'sarif'],
  ['-o', 'a', '-o', 'b'],
  ['--', 'x'],
  [''],
  ['.', '--no-color'],
  ['--quiet', '.'],
  ['--help'],
  ['-v'],
  ['--cache'],
  ['--no-format'],
];

test.each(TAKEN.map((argv) => [argv.join(' ') || '(none)', argv]))('plain reading equals yargs: %s', async (_name, argv) => {
  const plain = plainLintArgs(argv);
  expect(plain).not.toBeNull();
  const parsed = await parseLintArgs(argv);
  expect(parsed.failure).toBeNull();
  expect(parsed.helpText).toBe('');
  expect(plain!.failure).toBeNull();
  expect(plain!.helpText).toBe('');
  expect(plain!.args).toEqual(parsed.args);
});

test.each(DECLINED.map((argv) => [argv.join(' ') || '(empty word)', argv]))('left to yargs: %s', (_name, argv) => {
  expect(plainLintArgs(argv)).toBeNull();
});

test('yargs reads the declined command lines differently from plain words (why they are declined)', async () => {
  expect((await parseLintArgs(['a', 'help'])).helpText).toContain('dockerlint [paths..]');
  expect((await parseLintArgs(['--', 'x'])).args.paths).toBeUndefined();
  expect((await parseLintArgs(['--format', '-x'])).args.format).toBe('');
  expect((await parseLintArgs(['-f', 'json', '-f', 'sarif'])).args.format).toEqual(['json', 'sarif']);
});
