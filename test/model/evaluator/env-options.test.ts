import { afterEnvOptions, envSplitString } from '../../../src/model/evaluator/invocations.js';
import { commandOf } from '../../../src/model/evaluator/questions.js';
import { lit, UNKNOWN, userFromSpec, type Field } from '../../../src/model/evaluator/values.js';

const fields = (...words: (string | null)[]): Field[] => words.map((w) => (w === null ? UNKNOWN : lit(w)));

describe('afterEnvOptions: the command of `env [options] [NAME=value ...] command`', () => {
  it('passes options and assignments', () => {
    expect(afterEnvOptions(fields('env', 'gosu', 'app'), 1)).toBe(1);
    expect(afterEnvOptions(fields('env', '-i', 'HOME=/app', 'PATH=/bin', 'node', 'A=1'), 1)).toBe(4);
    expect(afterEnvOptions(fields('env', '-', '--ignore-environment', 'x'), 1)).toBe(3);
  });

  it('passes the value of -u NAME and -C DIR, which is no command', () => {
    expect(afterEnvOptions(fields('env', '-u', 'DEBUG', 'gosu', 'app'), 1)).toBe(3);
    expect(afterEnvOptions(fields('env', '--unset', 'A', '-C', '/srv', '--chdir', '/', 'B=1', 'node'), 1)).toBe(8);
    expect(afterEnvOptions(fields('env', '-uDEBUG', '--unset=A', 'node'), 1)).toBe(3);
    expect(afterEnvOptions(fields('env', '-u'), 1)).toBe(2);
  });

  it('stops at a word that is neither, and at one whose value is not known', () => {
    expect(afterEnvOptions(fields('env', '1A=x', 'cmd'), 1)).toBe(1);
    expect(afterEnvOptions(fields('env', 'A=1', null, 'cmd'), 1)).toBe(2);
    expect(afterEnvOptions(fields('env', 'A=1'), 1)).toBe(2);
  });

  it('is what commandOf unwraps before a user switch', () => {
    const c = commandOf(fields('exec', 'env', '-i', 'A=1', 'gosu', 'app', 'node', 'server.js'));
    expect({ switcher: c.switcher, name: c.name?.s }).toEqual({ switcher: 'gosu', name: 'node' });
    const u = commandOf(fields('exec', 'env', '-u', 'DEBUG', 'gosu', 'app', 'node'));
    expect({ switcher: u.switcher, name: u.name?.s }).toEqual({ switcher: 'gosu', name: 'node' });
  });
});

describe('envSplitString: `env -S STRING` stands for the words of STRING', () => {
  const words = (argv: Field[] | null): (string | null)[] | null => argv && argv.map((f) => f.s);
  it('splits the string in place, in every spelling of the option', () => {
    expect(words(envSplitString(fields('env', '-S', 'bash -e', '/start.sh')))).toEqual(['env', 'bash', '-e', '/start.sh']);
    expect(words(envSplitString(fields('env', '-Sbash -e', '/start.sh')))).toEqual(['env', 'bash', '-e', '/start.sh']);
    expect(words(envSplitString(fields('env', '--split-string=node --max-old-space-size=512', 'app.js')))).toEqual(['env', 'node', '--max-old-space-size=512', 'app.js']);
    expect(words(envSplitString(fields('env', '-i', '-S', "A=1 sh -c 'exec app'")))).toEqual(['env', '-i', 'A=1', 'sh', '-c', 'exec app']);
  });
  it('leaves an argv without -S as it is', () => {
    expect(words(envSplitString(fields('env', 'A=1', 'node', '-S')))).toEqual(['env', 'A=1', 'node', '-S']);
  });
  it('is unknown for a string it cannot read', () => {
    expect(envSplitString(fields('env', '-S', null))).toBeNull();
    expect(envSplitString(fields('env', '-S', 'bash ${OPTS}'))).toBeNull();
    expect(envSplitString(fields('env', '-S', 'bash\\_-e'))).toBeNull();
    expect(envSplitString(fields('env', '-S', "bash 'unclosed"))).toBeNull();
  });
});

describe('userFromSpec: the user a gosu-style spec names', () => {
  it('is unknown with no user before the colon (`gosu ":"` from empty variables)', () => {
    expect(userFromSpec(':', 'gosu :').root).toBeNull();
    expect(userFromSpec(':1000', 'gosu :1000').root).toBeNull();
  });
  it('is root for uid 0 with or without a group, and not root for another uid', () => {
    expect(userFromSpec('0:', 'gosu 0:').root).toBe(true);
    expect(userFromSpec('0:0', 'gosu 0:0').root).toBe(true);
    expect(userFromSpec('1000:', 'gosu 1000:').root).toBe(false);
  });
});
