import { computePid1 } from '../../src/model/pid1.js';
import { finalStage } from '../helpers.js';

const ENTRY = {
  none: '',
  shell: 'ENTRYPOINT e f\n',
  exec: 'ENTRYPOINT ["e", "f"]\n',
};
const CMD = {
  none: '',
  exec: 'CMD ["a", "b"]\n',
  shell: 'CMD a b\n',
};

function argv(entry: keyof typeof ENTRY, cmd: keyof typeof CMD): string[] | null {
  const stage = finalStage(`FROM scratch\n${ENTRY[entry]}${CMD[cmd]}`);
  const pid1 = computePid1(stage);
  return pid1.argv.length ? pid1.argv.map((a) => a.value) : null;
}

describe('ENTRYPOINT x CMD table', () => {
  test.each([
    ['none', 'none', null],
    ['none', 'exec', ['a', 'b']],
    ['none', 'shell', ['/bin/sh', '-c', 'a b']],
    ['shell', 'none', ['/bin/sh', '-c', 'e f']],
    ['shell', 'exec', ['/bin/sh', '-c', 'e f']],
    ['shell', 'shell', ['/bin/sh', '-c', 'e f']],
    ['exec', 'none', ['e', 'f']],
    ['exec', 'exec', ['e', 'f', 'a', 'b']],
    ['exec', 'shell', ['e', 'f', '/bin/sh', '-c', 'a b']],
  ] as const)('ENTRYPOINT %s x CMD %s', (entry, cmd, expected) => {
    expect(argv(entry, cmd)).toEqual(expected);
  });

  test('a shell-form ENTRYPOINT marks the CMD as ignored', () => {
    const pid1 = computePid1(finalStage('FROM scratch\nENTRYPOINT e f\nCMD ["a"]\n'));
    expect(pid1.cmdIgnored?.instruction.keywordSpan.line).toBe(3);
  });

  test('SHELL changes what shell form runs', () => {
    const pid1 = computePid1(finalStage('FROM scratch\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nCMD run it\n'));
    expect(pid1.argv.map((a) => a.value)).toEqual(['/bin/bash', '-o', 'pipefail', '-c', 'run it']);
  });

  test('ENTRYPOINT and CMD are inherited from an earlier stage', () => {
    const pid1 = computePid1(finalStage('FROM scratch AS base\nENTRYPOINT ["e"]\nCMD ["c"]\nFROM base\nENV X=1\n'));
    expect(pid1.argv.map((a) => a.value)).toEqual(['e', 'c']);
  });

  test('ENTRYPOINT resets a CMD inherited from the base stage', () => {
    const stage = finalStage('FROM scratch AS base\nCMD ["c"]\nFROM base\nENTRYPOINT ["e"]\n');
    expect(computePid1(stage).argv.map((a) => a.value)).toEqual(['e']);
    expect(stage.config.cmdResetBy?.keywordSpan.line).toBe(4);
  });

  test('a CMD set in the same stage survives a later ENTRYPOINT', () => {
    const stage = finalStage('FROM scratch\nCMD ["c"]\nENTRYPOINT ["e"]\n');
    expect(computePid1(stage).argv.map((a) => a.value)).toEqual(['e', 'c']);
  });

  test('only the last ENTRYPOINT and CMD count', () => {
    const stage = finalStage('FROM scratch\nCMD ["x"]\nENTRYPOINT ["y"]\nENTRYPOINT ["e"]\nCMD ["c"]\n');
    expect(computePid1(stage).argv.map((a) => a.value)).toEqual(['e', 'c']);
  });

  test('--target picks an earlier stage', () => {
    const stage = finalStage('FROM scratch AS dev\nCMD ["dev"]\nFROM scratch\nCMD ["prod"]\n', 'dev');
    expect(computePid1(stage).argv.map((a) => a.value)).toEqual(['dev']);
  });
});
