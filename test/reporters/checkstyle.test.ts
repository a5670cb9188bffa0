import { SaxesParser } from 'saxes';
import { escapeXml, formatCheckstyle } from '../../src/reporters/checkstyle.js';
import { finding } from './finding.js';

interface Element {
  name: string;
  attributes: Record<string, string>;
  children: Element[];
}

/** Parse with saxes, a strict (well-formedness-checking, XML 1.0 character-checking) parser. */
function parse(xml: string): Element {
  const parser = new SaxesParser();
  const root: Element = { name: '#document', attributes: {}, children: [] };
  const stack: Element[] = [root];
  const errors: string[] = [];
  parser.on('error', (e) => errors.push(e.message));
  parser.on('opentag', (tag) => {
    const el: Element = { name: tag.name, attributes: tag.attributes as Record<string, string>, children: [] };
    stack[stack.length - 1]!.children.push(el);
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  if (errors.length) throw new Error(errors.join('\n'));
  expect(root.children).toHaveLength(1);
  return root.children[0]!;
}

describe('formatCheckstyle', () => {
  test('exact output, grouped by file in order of first appearance', () => {
    const out = formatCheckstyle([
      finding({}),
      finding({ file: 'docker-entrypoint.sh', rule: 'gosu-without-exec', severity: 'warning', line: 9, column: 1, message: 'no exec' }),
      finding({ rule: 'sudo-in-run', severity: 'info', line: 7, column: 5, message: 'sudo in RUN', hint: 'drop sudo' }),
    ]);
    expect(out).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<checkstyle version="4.3">',
        '  <file name="Dockerfile">',
        '    <error line="3" column="2" severity="error" message="The main process runs as root" source="dockerlint.root-process"/>',
        '    <error line="7" column="5" severity="info" message="sudo in RUN&#10;fix: drop sudo" source="dockerlint.sudo-in-run"/>',
        '  </file>',
        '  <file name="docker-entrypoint.sh">',
        '    <error line="9" column="1" severity="warning" message="no exec" source="dockerlint.gosu-without-exec"/>',
        '  </file>',
        '</checkstyle>',
        '',
      ].join('\n'),
    );
  });

  test('no findings: an empty, well-formed report', () => {
    const out = formatCheckstyle([]);
    expect(out).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<checkstyle version="4.3">\n</checkstyle>\n');
    expect(parse(out)).toEqual({ name: 'checkstyle', attributes: { version: '4.3' }, children: [] });
  });

  test('markup characters, line breaks and tabs survive a strict parse unchanged', () => {
    const message = `a <b> & "c" 'd' ]]> e\n\tf`;
    const file = `dir/<&>"'.Dockerfile`;
    const out = formatCheckstyle([
      finding({
        file,
        message,
        hint: 'use `exec "$@"` & <stop>',
        related: [
          { file: 'Dockerfile', line: 1, column: 1, message: 'ENTRYPOINT ["/e.sh"]' },
          { file, line: 3, column: 2, message: 'gosu' },
        ],
      }),
    ]);
    const doc = parse(out);
    expect(doc.name).toBe('checkstyle');
    expect(doc.children).toHaveLength(1);
    const fileEl = doc.children[0]!;
    expect(fileEl).toMatchObject({ name: 'file', attributes: { name: file } });
    expect(fileEl.children).toEqual([
      {
        name: 'error',
        attributes: {
          line: '3',
          column: '2',
          severity: 'error',
          message: `${message}\nfix: use \`exec "$@"\` & <stop>\nvia: Dockerfile:1 ENTRYPOINT ["/e.sh"] -> ${file}:3 gosu`,
          source: 'dockerlint.root-process',
        },
        children: [],
      },
    ]);
  });

  test('characters XML 1.0 forbids are replaced, and the strict parser agrees', () => {
    // The parser does reject them raw, so the check below means something.
    expect(() => parse('<a b="\u0001"/>')).toThrow();
    expect(() => parse('<a b="\uFFFE"/>')).toThrow();

    const out = formatCheckstyle([
      finding({ file: 'nul\u0000/Dockerfile', message: 'ctl \u0001\u0008\u000b\u000c\u000e\u001f del\u007f c1\u0085 nc\uFFFE\uFFFF lone\uD800x \uDC00 pair\uD83D\uDE00 cr\r.' }),
    ]);
    expect(out).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE\uFFFF]/);
    const el = parse(out).children[0]!;
    expect(el.attributes.name).toBe('nul\\x00/Dockerfile');
    expect(el.children[0]!.attributes.message).toBe(
      'ctl \\x01\\x08\\x0b\\x0c\\x0e\\x1f del\\x7f c1\\x85 nc\uFFFD\uFFFD lone\uFFFDx \uFFFD pair\uD83D\uDE00 cr\\x0d.',
    );
  });

  test('ANSI sequences in a file name are shown escaped, never raw', () => {
    const out = formatCheckstyle([finding({ file: '\u001b[31mred\u001b[0m/Dockerfile', message: 'x \u001b]8;;http://e\u0007y' })]);
    expect(out).not.toContain('\u001b');
    expect(out).toContain('<file name="\\x1b[31mred\\x1b[0m/Dockerfile">');
    expect(out).toContain('message="x \\x1b]8;;http://e\\x07y"');
    parse(out);
  });

  test('escapeXml', () => {
    expect(escapeXml(`<a href="x">&'</a>\t\n`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;&#9;&#10;');
  });
});
