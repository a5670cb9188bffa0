/** How a command is quoted in messages: on one line, shortened at whole shell words, never inside one. */
import { loadShellParser, type ShellParser } from '../src/parsers/shell.js';
import { refText } from '../src/evidence.js';
import type { Stmt } from '../src/parsers/shell-ast.js';

let parser: ShellParser;
beforeAll(async () => {
  parser = await loadShellParser();
});

/** refText of the first statement of a script. */
function textOf(src: string, max?: number): string {
  const parsed = parser.parse(src, 'bash');
  if (!parsed.ok) throw new Error(parsed.error.message);
  const stmt = parsed.file.stmts[0] as Stmt;
  const file = { path: 'run.sh', text: src, spanOf: () => ({ line: 1, column: 1, endLine: 1, endColumn: 1 }) };
  return refText({ stmt, file }, max);
}

test('a command that fits is quoted whole, on one line', () => {
  expect(textOf('exec server \\\n  --port 80\n')).toBe('exec server --port 80');
});

test('a long command keeps its first whole words and ends in " ..."', () => {
  expect(textOf('exec "${APP_HOME}/bin/forwarder" run -f "$FORWARDER_CONFIG_FILE" --verbose\n', 38)).toBe('exec "${APP_HOME}/bin/forwarder" run ...');
});

test('a first word longer than the limit is kept whole', () => {
  expect(textOf('/opt/a-very-long-directory-name/and-a-long-program-name --flag value\n', 20)).toBe('/opt/a-very-long-directory-name/and-a-long-program-name ...');
});
