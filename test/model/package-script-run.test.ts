import { packageScriptRun } from '../../src/model/node-entry.js';

describe('packageScriptRun', () => {
  it('reads the run verbs of every manager', () => {
    expect(packageScriptRun(['npm', 'start'])).toEqual({ manager: 'npm', script: 'start' });
    expect(packageScriptRun(['npm', 'run', 'serve:prod'])).toEqual({ manager: 'npm', script: 'serve:prod' });
    expect(packageScriptRun(['/usr/local/bin/pnpm', 'run', 'start-docker'])).toEqual({ manager: 'pnpm', script: 'start-docker' });
  });

  it("takes pnpm's and yarn's short form: a word that is not one of their commands is a script", () => {
    expect(packageScriptRun(['pnpm', 'start-docker'])).toEqual({ manager: 'pnpm', script: 'start-docker' });
    expect(packageScriptRun(['yarn', 'start:prod'])).toEqual({ manager: 'yarn', script: 'start:prod' });
    expect(packageScriptRun(['pnpm', '--silent', 'start-docker'])).toEqual({ manager: 'pnpm', script: 'start-docker' });
  });

  it("does not take npm's, pnpm's or yarn's own commands, nor Hadoop's yarn, for a script", () => {
    expect(packageScriptRun(['npm', 'start-docker'])).toBeNull();
    expect(packageScriptRun(['pnpm', 'install'])).toBeNull();
    expect(packageScriptRun(['pnpm', 'exec', 'node', 'server.js'])).toBeNull();
    expect(packageScriptRun(['yarn', 'workspace', 'web', 'build'])).toBeNull();
    expect(packageScriptRun(['yarn', 'resourcemanager'])).toBeNull();
    // An option that may take a value: the word after it is not read as the script.
    expect(packageScriptRun(['pnpm', '--filter', 'web', 'dev-server'])).toBeNull();
  });

  it('checks the short form against the scripts of package.json when they are known', () => {
    expect(packageScriptRun(['yarn', 'eslint', '.'], { start: 'node server.js' })).toBeNull();
    expect(packageScriptRun(['yarn', 'resourcemanager'], { resourcemanager: 'node rm.js' })).toEqual({ manager: 'yarn', script: 'resourcemanager' });
    expect(packageScriptRun(['pnpm', 'start-docker'], { 'start-docker': 'node server.js' })).toEqual({ manager: 'pnpm', script: 'start-docker' });
  });
});
