import { afterEnvOptions } from '../../../src/model/evaluator/invocations.js';
import { commandOf } from '../../../src/model/evaluator/questions.js';
import { lit, UNKNOWN, type Field } from '../../../src/model/evaluator/values.js';

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
