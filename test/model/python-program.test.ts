import { pythonTokens } from '../../src/parsers/python-tokens.js';
import { pythonHandover } from '../../src/model/python-program.js';

describe('pythonTokens', () => {
  test('comments and the text of strings are not code; lines count across triple-quoted strings', () => {
    const src = '# os.execv here\nx = """a\nos.setuid(0)\n""" + r\'\\\'\' + f"{y}"\nos . getuid ( )\n';
    const names = pythonTokens(src).filter((t) => t.kind === 'name').map((t) => `${t.value}@${t.line}`);
    expect(names).toEqual(['x@2', 'os@5', 'getuid@5']);
    const strings = pythonTokens(src).filter((t) => t.kind === 'string').map((t) => t.value);
    expect(strings).toEqual(['a\nos.setuid(0)\n', "\\'", '{y}']);
  });

  test('an unterminated string ends at its line; a backslash-newline joins lines', () => {
    expect(pythonTokens('s = "open\nos.execv(a, b)\n').filter((t) => t.kind === 'name').map((t) => `${t.value}@${t.line}`)).toEqual(['s@1', 'os@2', 'execv@2', 'a@2', 'b@2']);
    expect(pythonTokens('a = 1 + \\\n  b\n').filter((t) => t.kind === 'name').map((t) => `${t.value}@${t.line}`)).toEqual(['a@1', 'b@2']);
  });
});

describe('pythonHandover', () => {
  test('an exec call is preferred to a user switch named in a string', () => {
    expect(pythonHandover('args = ["gosu", u] + args\nos.execve("/usr/sbin/gosu", args, env)\n')).toEqual({ what: 'os.execve', kind: 'exec', line: 2 });
  });

  test('a user change imported bare, and a switch named as the program to run', () => {
    expect(pythonHandover('from os import setuid\nsetuid(1000)\n')).toEqual({ what: 'setuid', kind: 'user', line: 1 });
    expect(pythonHandover('subprocess.run(["/sbin/su-exec", "app", "srv"])\n')).toEqual({ what: '"/sbin/su-exec"', kind: 'switcher', line: 1 });
  });

  test('mentions in comments and docstrings, a function of the same name, and other words are not a hand-over', () => {
    expect(pythonHandover('"""Would os.execve gosu."""\n# os.setuid(0)\nprint("gosu is not used")\ndef setuid(x):\n    return x\nexecute = 1\n')).toBeNull();
  });

  test('a call of a library function whose name says it drops privileges leaves the user unknown', () => {
    expect(pythonHandover('from socrate import system\nsystem.drop_privs_to("mailu")\nos.system("gunicorn app")\n')).toEqual({ what: 'system.drop_privs_to', kind: 'named', line: 2 });
    expect(pythonHandover('demote(1000, 1000)\n')).toEqual({ what: 'demote', kind: 'named', line: 1 });
  });

  test('the name alone, not called, or a function the program defines, is not a drop', () => {
    expect(pythonHandover('DROP = drop_privs\nprint("drop_privs(x)")\n')).toBeNull();
    expect(pythonHandover('def demote():\n    pass\n')).toBeNull();
  });
});
