import { dialectFromShebang, loadShellParser } from '../../src/parsers/shell.js';
import { readShebang } from '../../src/parsers/shebang.js';
import type { ShellParser } from '../../src/parsers/shell.js';
import type {
  BinaryCmd,
  CallExpr,
  CaseClause,
  Command,
  DblQuoted,
  DeclClause,
  Dialect,
  ForClause,
  FuncDecl,
  IfClause,
  Lit,
  ParamExp,
  ShellFile,
  Stmt,
  Word,
} from '../../src/parsers/shell-ast.js';

let parser: ShellParser;

beforeAll(async () => {
  parser = await loadShellParser();
});

function parse(source: string, dialect: Dialect = 'bash'): ShellFile {
  const result = parser.parse(source, dialect);
  if (!result.ok) throw new Error(`unexpected syntax error: ${result.error.message}`);
  return result.file;
}

function cmd<T extends Command>(stmt: Stmt | undefined, type: T['type']): T {
  expect(stmt?.cmd?.type).toBe(type);
  return stmt!.cmd as T;
}

const text = (source: string, node: { p: [number, number, number]; e: [number, number, number] }): string =>
  source.slice(node.p[2], node.e[2]);

/** The literal text of a word made only of Lit parts. */
const lit = (w: Word): string => w.parts.map((p) => (p as Lit).value).join('');

describe('loadShellParser', () => {
  it('returns the same parser on every call', async () => {
    const a = await loadShellParser();
    const b = await loadShellParser();
    expect(a).toBe(b);
    expect(a).toBe(parser);
  });
});

describe('simple commands', () => {
  it('splits words into parts with positions', () => {
    const src = `echo hi "a $x" 'q s' $'t\\n' \${y:-def}`;
    const file = parse(src);
    expect(file.type).toBe('File');
    expect(file.stmts).toHaveLength(1);
    const call = cmd<CallExpr>(file.stmts[0], 'CallExpr');
    expect(call.assigns).toEqual([]);
    expect(call.args.map((w) => text(src, w))).toEqual(['echo', 'hi', '"a $x"', "'q s'", "$'t\\n'", '${y:-def}']);
    expect(call.args[0]!.parts).toEqual([{ type: 'Lit', p: [1, 1, 0], e: [1, 5, 4], value: 'echo' }]);

    const dq = call.args[2]!.parts[0] as DblQuoted;
    expect(dq.type).toBe('DblQuoted');
    expect(dq.dollar).toBe(false);
    expect(dq.parts.map((p) => p.type)).toEqual(['Lit', 'ParamExp']);
    expect((dq.parts[1] as ParamExp).param).toBe('x');
    expect((dq.parts[1] as ParamExp).short).toBe(true);

    expect(call.args[3]!.parts[0]).toMatchObject({ type: 'SglQuoted', value: 'q s', dollar: false });
    expect(call.args[4]!.parts[0]).toMatchObject({ type: 'SglQuoted', value: 't\\n', dollar: true });

    const pe = call.args[5]!.parts[0] as ParamExp;
    expect(pe).toMatchObject({ type: 'ParamExp', param: 'y', short: false, op: ':-', index: null });
    expect(lit(pe.word!)).toBe('def');
  });

  it('gives exec "$@" a double-quoted $@ argument', () => {
    const src = 'exec "$@"';
    const call = cmd<CallExpr>(parse(src).stmts[0], 'CallExpr');
    expect(call.args).toHaveLength(2);
    expect(lit(call.args[0]!)).toBe('exec');
    const arg = call.args[1]!;
    expect(arg.type).toBe('Word');
    expect(arg.parts).toHaveLength(1);
    const dq = arg.parts[0] as DblQuoted;
    expect(dq.type).toBe('DblQuoted');
    expect(dq.parts).toHaveLength(1);
    expect(dq.parts[0]).toEqual({
      type: 'ParamExp',
      p: [1, 7, 6],
      e: [1, 9, 8],
      param: '@',
      short: true,
      length: false,
      excl: false,
      index: null,
      op: null,
      word: null,
    });
  });

  it('keeps assignments, redirections, negation and background flags', () => {
    const src = 'FOO=1 BAR+=x cmd 2>&1 >/dev/null &\n! true\n> out';
    const [a, b, c] = parse(src).stmts;
    const call = cmd<CallExpr>(a, 'CallExpr');
    expect(call.assigns.map((x) => [x.name, x.value && lit(x.value), x.append, x.naked])).toEqual([
      ['FOO', '1', false, false],
      ['BAR', 'x', true, false],
    ]);
    expect(call.args.map(lit)).toEqual(['cmd']);
    expect(a!.background).toBe(true);
    expect(a!.redirs.map((r) => [r.op, r.n, r.word && lit(r.word), r.hdoc])).toEqual([
      ['>&', '2', '1', null],
      ['>', null, '/dev/null', null],
    ]);
    expect(text(src, a!.redirs[0]!)).toBe('2>&1');
    expect(b!.negated).toBe(true);
    expect(b!.background).toBe(false);
    expect(c!.cmd).toBeNull();
    expect(c!.redirs[0]!.op).toBe('>');
  });

  it('parses set -- a "$@"', () => {
    const call = cmd<CallExpr>(parse('set -- a "$@"').stmts[0], 'CallExpr');
    expect(call.args.slice(0, 3).map(lit)).toEqual(['set', '--', 'a']);
    expect(((call.args[3]!.parts[0] as DblQuoted).parts[0] as ParamExp).param).toBe('@');
  });

  it('parses a plain assignment statement as a CallExpr without args', () => {
    const call = cmd<CallExpr>(parse('PATH=/x:$PATH').stmts[0], 'CallExpr');
    expect(call.args).toEqual([]);
    expect(call.assigns[0]!.name).toBe('PATH');
    expect(call.assigns[0]!.value!.parts.map((p) => p.type)).toEqual(['Lit', 'ParamExp']);
  });
});

describe('parameter expansions', () => {
  it('models index, length, excl and the operators', () => {
    const src = 'echo ${a[0]} ${#x} ${!ref} ${x@Q} ${x/a/b} ${x//a/b} ${x:1:2} ${x##*/} ${x%.sh} ${x:=d} $1 ${arr[@]}';
    const call = cmd<CallExpr>(parse(src).stmts[0], 'CallExpr');
    const pes = call.args.slice(1).map((w) => w.parts[0] as ParamExp);
    expect(pes.map((p) => [p.param, p.index, p.length, p.excl, p.op, p.word && lit(p.word)])).toEqual([
      ['a', '0', false, false, null, null],
      ['x', null, true, false, null, null],
      ['ref', null, false, true, null, null],
      ['x', null, false, false, '@', 'Q'],
      ['x', null, false, false, '/', 'a'],
      ['x', null, false, false, '//', 'a'],
      ['x', null, false, false, ':', null],
      ['x', null, false, false, '##', '*/'],
      ['x', null, false, false, '%', '.sh'],
      ['x', null, false, false, ':=', 'd'],
      ['1', null, false, false, null, null],
      ['arr', '@', false, false, null, null],
    ]);
  });
});

describe('comments', () => {
  it('collects every comment in source order, outside the statements', () => {
    const src = '#!/bin/sh\n# top\necho a # trailing\nif true; then\n  # inside\n  :\nfi\n# last\n';
    const file = parse(src, 'posix');
    expect(file.comments.map((c) => c.text)).toEqual(['!/bin/sh', ' top', ' trailing', ' inside', ' last']);
    expect(file.comments[2]!.p).toEqual([3, 8, 23]);
    expect(src.slice(file.comments[3]!.p[2]).startsWith('# inside')).toBe(true);
    expect(file.stmts).toHaveLength(2);
    const json = JSON.stringify(file.stmts);
    expect(json).not.toContain('trailing');
    expect(json).not.toContain('inside');
  });
});

describe('heredocs', () => {
  it('keeps the body only in Redirect.hdoc', () => {
    const src = 'cat <<EOF\nexec "$@"\nEOF\necho done\n';
    const file = parse(src);
    expect(file.stmts).toHaveLength(2);
    const [cat, done] = file.stmts;
    expect(cmd<CallExpr>(cat, 'CallExpr').args.map(lit)).toEqual(['cat']);
    expect(cmd<CallExpr>(done, 'CallExpr').args.map(lit)).toEqual(['echo', 'done']);
    const redir = cat!.redirs[0]!;
    expect(redir.op).toBe('<<');
    expect(lit(redir.word!)).toBe('EOF');
    expect(redir.hdoc).not.toBeNull();
    expect(redir.hdoc!.parts.map((p) => p.type)).toEqual(['Lit', 'ParamExp', 'Lit']);
    // The body only: the closing delimiter line belongs to the redirect, not to hdoc.
    expect(text(src, redir.hdoc!)).toBe('exec "$@"\n');
    expect(redir.hdoc!.e).toEqual([3, 1, 20]);
    expect(text(src, redir)).toBe('<<EOF\nexec "$@"\nEOF');
    expect(JSON.stringify(file.stmts).match(/"type":"CallExpr"/g)).toHaveLength(2);
  });

  it('does not report # lines of a heredoc body as comments', () => {
    const src = 'cat <<EOF # real\n# not a comment\nEOF\n';
    const file = parse(src);
    expect(file.comments.map((c) => c.text)).toEqual([' real']);
    expect((file.stmts[0]!.redirs[0]!.hdoc!.parts[0] as Lit).value).toBe('# not a comment\n');
  });

  it('parses a quoted, tab-stripped heredoc as a literal', () => {
    const src = 'cat <<-\'END\'\n\t$x\n\tEND\n';
    const redir = parse(src).stmts[0]!.redirs[0]!;
    expect(redir.op).toBe('<<-');
    expect(redir.hdoc!.parts).toEqual([{ type: 'Lit', p: [2, 1, 13], e: [3, 1, 17], value: '\t$x\n' }]);
  });
});

describe('compound commands', () => {
  it('nests if / elif / else', () => {
    const src = 'if [ "$1" = a ]; then\n  echo a\nelif [ "$1" = b ]; then\n  echo b\nelse\n  echo c\nfi\n';
    const ifc = cmd<IfClause>(parse(src, 'posix').stmts[0], 'IfClause');
    expect(text(src, ifc)).toBe(src.trimEnd());
    expect(lit(cmd<CallExpr>(ifc.cond[0], 'CallExpr').args[0]!)).toBe('[');
    expect(cmd<CallExpr>(ifc.then[0], 'CallExpr').args.map(lit)).toEqual(['echo', 'a']);
    const elif = ifc.else!;
    expect(elif.type).toBe('IfClause');
    expect(elif.cond).toHaveLength(1);
    expect(cmd<CallExpr>(elif.then[0], 'CallExpr').args.map(lit)).toEqual(['echo', 'b']);
    const els = elif.else!;
    expect(els.cond).toEqual([]);
    expect(cmd<CallExpr>(els.then[0], 'CallExpr').args.map(lit)).toEqual(['echo', 'c']);
    expect(els.else).toBeNull();
    expect(text(src, els).startsWith('else')).toBe(true);
  });

  it('parses case items with patterns and operators', () => {
    const src = 'case "$1" in\n  start|run) exec app ;;\n  -*) set -- app "$@" ;&\n  *) exec "$@"\nesac';
    const cc = cmd<CaseClause>(parse(src).stmts[0], 'CaseClause');
    expect(text(src, cc.word)).toBe('"$1"');
    expect(cc.items.map((i) => [i.patterns.map((w) => text(src, w)), i.op, i.stmts.length])).toEqual([
      [['start', 'run'], ';;', 1],
      [['-*'], ';&', 1],
      [['*'], ';;', 1],
    ]);
    expect(text(src, cc.items[0]!)).toBe('start|run) exec app ;;');
  });

  it('parses function declarations in both styles', () => {
    const src = 'f() { echo "$1"; }\nfunction g {\n  return 0\n}\n';
    const [f, g] = parse(src).stmts;
    const fd = cmd<FuncDecl>(f, 'FuncDecl');
    expect(fd.name).toBe('f');
    expect(fd.body.cmd?.type).toBe('Block');
    expect(text(src, fd)).toBe('f() { echo "$1"; }');
    expect(cmd<FuncDecl>(g, 'FuncDecl').name).toBe('g');
  });

  it('parses && and || as left-nested BinaryCmds', () => {
    const src = 'a && b || c | d';
    const or = cmd<BinaryCmd>(parse(src).stmts[0], 'BinaryCmd');
    expect(or.op).toBe('||');
    const and = cmd<BinaryCmd>(or.x, 'BinaryCmd');
    expect(and.op).toBe('&&');
    expect(lit(cmd<CallExpr>(and.x, 'CallExpr').args[0]!)).toBe('a');
    expect(lit(cmd<CallExpr>(and.y, 'CallExpr').args[0]!)).toBe('b');
    const pipe = cmd<BinaryCmd>(or.y, 'BinaryCmd');
    expect(pipe.op).toBe('|');
    expect(text(src, pipe)).toBe('c | d');
  });

  it('parses for loops, while/until, subshells and blocks', () => {
    const src = 'for x in a "$@"; do :; done\nfor y; do :; done\nfor ((i=0; i<3; i++)); do :; done\nuntil false; do break; done\n(cd /; ls) && { echo; }';
    const [f1, f2, f3, u, sb] = parse(src).stmts;
    const a = cmd<ForClause>(f1, 'ForClause');
    expect(a.name).toBe('x');
    expect(a.items!.map((w) => text(src, w))).toEqual(['a', '"$@"']);
    expect(a.do).toHaveLength(1);
    expect(cmd<ForClause>(f2, 'ForClause')).toMatchObject({ name: 'y', items: null });
    expect(cmd<ForClause>(f3, 'ForClause')).toMatchObject({ name: null, items: null });
    expect(u!.cmd).toMatchObject({ type: 'WhileClause', until: true });
    const bin = cmd<BinaryCmd>(sb, 'BinaryCmd');
    expect(bin.x.cmd?.type).toBe('Subshell');
    expect(bin.y.cmd?.type).toBe('Block');
  });

  it('parses command substitutions', () => {
    const src = 'if [ "$(id -u)" = 0 ]; then uid=`id -u`; fi';
    const ifc = cmd<IfClause>(parse(src).stmts[0], 'IfClause');
    const test = cmd<CallExpr>(ifc.cond[0], 'CallExpr');
    const cs = (test.args[1]!.parts[0] as DblQuoted).parts[0]!;
    expect(cs.type).toBe('CmdSubst');
    if (cs.type !== 'CmdSubst') return;
    expect(cs.backquotes).toBe(false);
    expect(text(src, cs)).toBe('$(id -u)');
    expect(cmd<CallExpr>(cs.stmts[0], 'CallExpr').args.map(lit)).toEqual(['id', '-u']);
    const assign = cmd<CallExpr>(ifc.then[0], 'CallExpr').assigns[0]!;
    expect(assign.value!.parts[0]).toMatchObject({ type: 'CmdSubst', backquotes: true });
  });
});

describe('declarations', () => {
  it('parses local x=1 as a DeclClause under bash', () => {
    const src = 'f() { local x=1 y; export -p "$z"; }';
    const body = cmd<FuncDecl>(parse(src).stmts[0], 'FuncDecl').body;
    const block = body.cmd;
    if (block?.type !== 'Block') throw new Error('expected a block');
    const local = cmd<DeclClause>(block.stmts[0], 'DeclClause');
    expect(local.variant).toBe('local');
    expect(local.args.map((a) => [a.name, a.value && lit(a.value), a.naked])).toEqual([
      ['x', '1', false],
      ['y', null, true],
    ]);
    expect(text(src, local.args[0]!)).toBe('x=1');
    // Arguments that are not names (options, expansions) have an empty name and the word as value.
    const exp = cmd<DeclClause>(block.stmts[1], 'DeclClause');
    expect(exp.args.map((a) => [a.name, a.value && text(src, a.value), a.naked])).toEqual([
      ['', '-p', true],
      ['', '"$z"', true],
    ]);
  });

  it('parses local as a plain command under posix', () => {
    const call = cmd<CallExpr>(parse('local x=1', 'posix').stmts[0], 'CallExpr');
    expect(call.args.map(lit)).toEqual(['local', 'x=1']);
  });
});

describe('dialects and errors', () => {
  it('reports a syntax error with position and incomplete flag, without throwing', () => {
    const result = parser.parse('if true; then', 'bash');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(/then/);
    expect(result.error.p).toEqual([1, 10, 9]);
    expect(result.error.incomplete).toBe(true);
  });

  it('reports a complete-but-invalid script as not incomplete', () => {
    const result = parser.parse('echo )\n', 'posix');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.incomplete).toBe(false);
    expect(result.error.p).toEqual([1, 6, 5]);
  });

  it('reports an unclosed quote as incomplete', () => {
    const result = parser.parse('echo "abc\n', 'bash');
    expect(result).toMatchObject({ ok: false, error: { incomplete: true, p: [1, 6, 5] } });
  });

  it('parses [[ ]] as a TestClause in bash and as a plain command in posix', () => {
    const src = '[[ -n "$x" ]] && echo y';
    const bash = cmd<BinaryCmd>(parse(src, 'bash').stmts[0], 'BinaryCmd');
    expect(bash.x.cmd).toEqual({ type: 'TestClause', p: [1, 1, 0], e: [1, 14, 13] });
    const posix = cmd<BinaryCmd>(parse(src, 'posix').stmts[0], 'BinaryCmd');
    expect(cmd<CallExpr>(posix.x, 'CallExpr').args.map((w) => text(src, w))).toEqual(['[[', '-n', '"$x"', ']]']);
  });

  it('rejects bash-only syntax under posix with a language error', () => {
    const result = parser.parse('a=(1 2)', 'posix');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(/arrays are a bash/);
    expect(result.error.p[0]).toBe(1);
    expect(parser.parse('a=(1 2)', 'bash').ok).toBe(true);
  });

  it('supports the mksh dialect', () => {
    expect(parser.parse('print -r -- "$x" |& cat', 'mksh').ok).toBe(true);
    expect(parser.parse('print -r -- "$x" |& cat', 'posix').ok).toBe(false);
  });

  it('reports absurdly deep nesting as over the parse budget (measured before parsing, not a stack overflow) and keeps working', () => {
    const deep = '( '.repeat(5000) + 'true' + ' )'.repeat(5000);
    const result = parser.parse(deep, 'bash');
    // At the deepest point (the 5,000th `(`), whatever the thread's stack.
    expect(result).toMatchObject({ ok: false, error: { p: [1, 9999, 9998], incomplete: false, budget: true } });
    if (!result.ok) expect(result.error.message).toBe('nested 5000 levels deep, more than dockerlint analyses (100): not parsed, its checks were skipped');
    expect(cmd<CallExpr>(parse('echo "$@"').stmts[0], 'CallExpr').args.map((w) => w.parts[0]!.type)).toEqual([
      'Lit',
      'DblQuoted',
    ]);
    const nested = '( '.repeat(50) + 'true' + ' )'.repeat(50);
    expect(parse(nested).stmts[0]!.cmd?.type).toBe('Subshell');
  });

  it('reports an unknown dialect as an error result', () => {
    const result = parser.parse('echo', 'zsh' as Dialect);
    expect(result).toEqual({
      ok: false,
      error: { message: 'internal error: unknown dialect "zsh"', p: [1, 1, 0], incomplete: false },
    });
  });

  it('keeps working after errors', () => {
    for (let i = 0; i < 3; i++) expect(parser.parse('case x in', 'posix').ok).toBe(false);
    expect(cmd<CallExpr>(parse('true').stmts[0], 'CallExpr').args.map(lit)).toEqual(['true']);
  });
});

describe('positions', () => {
  it('counts UTF-16 units in a non-ASCII source', () => {
    const src = 'echo "héllo" ; exec "$@"\n# ünïcode 😀 comment\nprintf 😀%s "$x"';
    const file = parse(src);
    const [echo, exec, printf] = file.stmts;
    const echoCall = cmd<CallExpr>(echo, 'CallExpr');
    expect(text(src, echoCall.args[1]!)).toBe('"héllo"');
    const execCall = cmd<CallExpr>(exec, 'CallExpr');
    expect(text(src, execCall)).toBe('exec "$@"');
    expect(execCall.p).toEqual([1, 16, 15]);
    const dq = execCall.args[1]!.parts[0] as DblQuoted;
    expect(text(src, dq.parts[0]!)).toBe('$@');
    expect(dq.parts[0]!.p).toEqual([1, 22, 21]);
    expect(file.comments[0]!.p).toEqual([2, 1, 25]);
    expect(src.slice(file.comments[0]!.p[2], file.comments[0]!.p[2] + 1 + file.comments[0]!.text.length)).toBe(
      '# ünïcode 😀 comment',
    );
    const pf = cmd<CallExpr>(printf, 'CallExpr');
    expect(pf.args.map((w) => text(src, w))).toEqual(['printf', '😀%s', '"$x"']);
    // Column of "$x": after `printf 😀%s ` = 7 + 2 (surrogate pair) + 3 units.
    expect(pf.args[2]!.p[1]).toBe(13);
    expect(pf.args[2]!.e).toEqual([3, 17, src.length]);
  });

  it('converts error positions too', () => {
    const result = parser.parse('echo "é" )', 'bash');
    expect(result).toMatchObject({ ok: false, error: { p: [1, 10, 9] } });
  });

  it('round-trips JSON-hostile characters', () => {
    const value = 'tab\there \u0001\u001f quote" back\\slash \u2028 \u007f';
    const src = `echo '${value}' x`;
    const call = cmd<CallExpr>(parse(src).stmts[0], 'CallExpr');
    expect(call.args[1]!.parts[0]).toMatchObject({ type: 'SglQuoted', value });
    expect(text(src, call.args[2]!)).toBe('x');
  });

  it('handles lone surrogates (as U+FFFD) with consistent positions', () => {
    const src = 'echo a\ud800b "\udc00" z';
    const call = cmd<CallExpr>(parse(src).stmts[0], 'CallExpr');
    expect((call.args[1]!.parts[0] as Lit).value).toBe('a\ufffdb');
    expect(call.args.map((w) => text(src, w))).toEqual(['echo', 'a\ud800b', '"\udc00"', 'z']);
    expect(call.args[3]!.p).toEqual([1, 14, 13]);
  });
});

describe('the encoding between Go and TypeScript', () => {
  type Pos = [number, number, number];
  /** Every position in a parse result, with the path that leads to it. */
  const positions = (node: unknown, path = '', out: Array<[string, Pos]> = []): Array<[string, Pos]> => {
    if (Array.isArray(node)) {
      if (node.length === 3 && node.every((x) => typeof x === 'number')) out.push([path, node as Pos]);
      else node.forEach((child, i) => positions(child, `${path}[${i}]`, out));
    } else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) positions(v, `${path}.${k}`, out);
    }
    return out;
  };
  /** Line and column (1-based, UTF-16) of an offset, counted from the source itself. */
  const lineCol = (src: string, offset: number): Pos => {
    const before = src.slice(0, offset);
    return [before.split('\n').length, offset - (before.lastIndexOf('\n') + 1) + 1, offset];
  };

  it.each([
    ['CRLF line ends', '#!/bin/sh\r\nset -e\r\nf() {\r\n\tif [ "$1" ]; then\r\n\t\texit 1\r\n\tfi\r\n}\r\nexec "$@"\r\n'],
    ['heredocs and escaped newlines', 'cat <<-EOF >x\n\tbody $v\n\tEOF\necho a\\\n  b "c\\\nd" \\\n  e\n# done\n'],
    ['non-ASCII text', '# é\necho "😀 $x" ü\ncase $1 in\n  é*) echo ï ;;\nesac\n'],
    ['nested commands', 'a=$(b "$(c <(d) | e)") && { f; } || (g; h) &\nfor i in 1 2; do while :; do break; done; done\n'],
  ])('gives every position the line and column of its offset (%s)', (_name, src) => {
    const result = parser.parse(src, 'bash');
    expect(result.ok).toBe(true);
    const all = positions(result);
    expect(all.length).toBeGreaterThan(10);
    for (const [path, p] of all) expect([path, p]).toEqual([path, lineCol(src, p[2])]);
  });

  it('counts columns past 16,383 bytes (where mvdan/sh stops counting)', () => {
    const src = `echo ${'x'.repeat(20000)} y`;
    const call = cmd<CallExpr>(parse(src).stmts[0], 'CallExpr');
    expect(call.args[2]!.p).toEqual([1, 20007, 20006]);
    expect(call.e).toEqual([1, 20008, 20007]);
  });

  it('gives a comment at the start of the file column 1 after other parses', () => {
    parse('echo one # one\n');
    expect(parse('# c1\necho # c2\n').comments.map((c) => c.p)).toEqual([
      [1, 1, 0],
      [2, 6, 10],
    ]);
  });

  it('carries values that are not a slice of the source at their position', () => {
    const src = 'echo ${x:-y} ${x%%.*} ${x//a/b} ${a[@]:1} ${!pre*} a\\\nb\ncat <<-EOF\n\tz\n\tEOF\n';
    const [echo, cat] = parse(src).stmts;
    const call = cmd<CallExpr>(echo, 'CallExpr');
    const pe = (i: number): ParamExp => call.args[i]!.parts[0] as ParamExp;
    expect([1, 2, 3, 4, 5].map((i) => [pe(i).param, pe(i).op, pe(i).index, pe(i).word && lit(pe(i).word!)])).toEqual([
      ['x', ':-', null, 'y'],
      ['x', '%%', null, '.*'],
      ['x', '//', null, 'a'],
      ['a', ':', '@', null],
      ['pre', '*', null, null],
    ]);
    expect(text(src, call.args[6]!)).toBe('a\\\nb');
    expect(call.args[6]!.parts).toMatchObject([{ type: 'Lit', value: 'ab' }]);
    const hdoc = cat!.redirs[0]!.hdoc!;
    expect(hdoc.parts).toEqual([{ type: 'Lit', p: [4, 1, 67], e: [5, 1, 70], value: '\tz\n' }]);
  });

  it('decodes large scripts and keeps working after them', () => {
    const body = Array.from({ length: 3000 }, (_, i) => `f${i}() { local v="\${${i}:-x}"; echo "$v" | grep -q é && exec "$@"; }`).join('\n');
    const file = parse(`#!/bin/bash\n${body}\n`);
    expect(file.stmts).toHaveLength(3000);
    const last = cmd<FuncDecl>(file.stmts[2999], 'FuncDecl');
    expect(last.name).toBe('f2999');
    expect(last.p).toEqual([3001, 1, lineCol(`#!/bin/bash\n${body}\n`, last.p[2])[2]]);
    expect(cmd<CallExpr>(parse('true').stmts[0], 'CallExpr').args.map(lit)).toEqual(['true']);
  });
});

describe('dialectFromShebang', () => {
  it.each([
    ['#!/bin/sh\necho', 'posix'],
    ['#!/bin/sh -eu\n', 'posix'],
    ['#! /bin/dash\n', 'posix'],
    ['#!/bin/ash', 'posix'],
    ['#!/usr/bin/env sh\n', 'posix'],
    ['#!/usr/bin/env -S sh -e\n', 'posix'],
    ['#!/bin/busybox sh\n', 'posix'],
    ['#!/usr/bin/with-contenv sh\n', 'posix'],
    ['#!/command/with-contenv bash\n', 'bash'],
    ['\ufeff#!/bin/sh\r\n', 'posix'],
    ['#!/bin/mksh\n', 'mksh'],
    ['#!/usr/bin/env ksh\n', 'mksh'],
    ['#!/bin/bash\n', 'bash'],
    ['#!/usr/bin/env bash\n', 'bash'],
    ['#!/bin/zsh\n', 'bash'],
    ['#!/usr/bin/python3\n', 'bash'],
    ['echo no shebang\n', 'bash'],
    ['', 'bash'],
  ] as const)('%j -> %s', (source, dialect) => {
    expect(dialectFromShebang(source)).toBe(dialect);
  });
});

describe('readShebang: the interpreter of s6-overlay run scripts', () => {
  it.each([
    ['#!/usr/bin/with-contenv bash\n', 'bash'],
    ['#!/command/with-contenv sh\n', 'sh'],
    ['#!/usr/bin/with-contenv bashio\n', 'bash'],
    ['#!/usr/bin/bashio\n', 'bash'],
    ['#!/command/execlineb -P\n', 'execlineb'],
    ['#!/usr/bin/with-contenv\n', null],
  ] as const)('%j -> %s', (source, interpreter) => {
    expect(readShebang(source)?.interpreter ?? null).toBe(interpreter);
  });
});
