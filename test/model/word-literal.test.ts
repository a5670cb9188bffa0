/**
 * `wordLiteral`, the one reader of a word's literal text that the rules and the RUN-write replay
 * share: it gives the text the shell would pass as the argument, or null when the shell would
 * compute it (an expansion) or when its meaning depends on the shell (`$'...'`, `$"..."`).
 */
import { loadShellParser, type ShellParser } from '../../src/parsers/shell.js';
import type { CallExpr } from '../../src/parsers/shell-ast.js';
import { wordLiteral } from '../../src/model/commands.js';

let parser: ShellParser;
beforeAll(async () => {
  parser = await loadShellParser();
});

/** The literal values of the words of the first command of `text`, as bash parses it. */
function words(text: string): (string | null)[] {
  const r = parser.parse(text, 'bash');
  if (!r.ok) throw new Error(`parse failed: ${text}`);
  const cmd = r.file.stmts[0]?.cmd as CallExpr;
  return cmd.args.map(wordLiteral);
}

describe('wordLiteral', () => {
  test('plain, single-quoted and double-quoted text is the text the command receives', () => {
    expect(words(`exec gosu 'app user' "x y" a\\ b`)).toEqual(['exec', 'gosu', 'app user', 'x y', 'a b']);
  });

  test('a backslash-newline inside a word is a line continuation, not a character', () => {
    expect(words('echo ab\\\ncd "ef\\\ngh"')).toEqual(['echo', 'abcd', 'efgh']);
  });

  test('inside double quotes only \\$ \\` \\" and \\\\ lose their backslash', () => {
    expect(words('echo "a\\$b \\n"')).toEqual(['echo', 'a$b \\n']);
  });

  test("ANSI-C quoting ($'\\n') and locale quoting ($\"...\") are not literals: dash and bash differ on them", () => {
    expect(words(`printf $'a\\nb' $"hello"`)).toEqual(['printf', null, null]);
  });

  test('an expansion anywhere in the word makes it not literal', () => {
    expect(words('exec "$APP" /bin/$X "a${B}"')).toEqual(['exec', null, null, null]);
  });
});
