import fc from 'fast-check';
import { readBakeFile, type BakeBuild } from '../src/bake.js';

const builds = (name: string, text: string): BakeBuild[] => {
  const r = readBakeFile(name, text);
  if ('problem' in r) throw new Error(r.problem.message);
  return r.builds;
};
const problem = (name: string, text: string) => {
  const r = readBakeFile(name, text);
  return 'problem' in r ? r.problem : null;
};

describe('readBakeFile (HCL)', () => {
  it('reads a target context and dockerfile, with the line of the context', () => {
    const text = '# comment\ntarget "app" {\n  dockerfile = "docker/app.dockerfile"\n  context = "."\n}\n';
    expect(builds('docker-bake.hcl', text)).toEqual([{ target: 'app', context: '.', dockerfile: 'docker/app.dockerfile', line: 4, key: 'target.app.context', namesDockerfile: true }]);
  });

  it('defaults the context to the bake folder and the dockerfile to Dockerfile', () => {
    expect(builds('docker-bake.hcl', 'target "default" {\n  tags = ["x:1"]\n}\n')).toEqual([{ target: 'default', context: '.', dockerfile: 'Dockerfile', line: 1, key: 'target.default.context', namesDockerfile: false }]);
  });

  it('reads templates of variables whose defaults are literals', () => {
    const text = 'variable "DIR" {\n  default = "services"\n}\ntarget "api" {\n  context = "${DIR}/api"\n}\n';
    expect(builds('docker-bake.hcl', text)[0]?.context).toBe('services/api');
  });

  it('applies inherits: own attributes first, then the later parent', () => {
    const text = [
      'target "_common" {',
      '  context = "."',
      '  dockerfile = "base/Dockerfile"',
      '}',
      'target "_other" {',
      '  dockerfile = "other/Dockerfile"',
      '}',
      'target "app" {',
      '  inherits = ["_common", "_other"]',
      '}',
      'target "own" {',
      '  inherits = ["_common"]',
      '  dockerfile = "own/Dockerfile"',
      '}',
    ].join('\n');
    const byName = new Map(builds('docker-bake.hcl', text).map((b) => [b.target, b]));
    expect(byName.get('app')).toMatchObject({ context: '.', dockerfile: 'other/Dockerfile', line: 2 });
    expect(byName.get('own')).toMatchObject({ context: '.', dockerfile: 'own/Dockerfile' });
  });

  it('puts the targets that name their Dockerfile before those that build Dockerfile by default', () => {
    const text = 'target "_common" {\n  args = { A = "1" }\n}\ntarget "app" {\n  inherits = ["_common"]\n  dockerfile = "Dockerfile"\n  context = "src"\n}\n';
    expect(builds('docker-bake.hcl', text).map((b) => `${b.target} ${b.context}`)).toEqual(['app src', '_common .']);
  });

  it('skips what it cannot know: function calls, matrix values, other targets and remote contexts', () => {
    const text = [
      'target "fn" {',
      '  context = notlocal("x")',
      '}',
      'target "matrix" {',
      '  matrix = { v = ["a", "b"] }',
      '  name = "m-${v}"',
      '  context = "${v}"',
      '}',
      'target "remote" {',
      '  context = "https://github.com/example/repo.git#main"',
      '}',
      'target "stage" {',
      '  context = "target:fn"',
      '}',
      'target "inline" {',
      '  dockerfile-inline = "FROM alpine"',
      '}',
    ].join('\n');
    expect(builds('docker-bake.hcl', text)).toEqual([]);
  });

  it('reads a file with the expressions bake files really use (functions, for, heredocs, conditionals)', () => {
    const text = [
      'variable "TAGS" {',
      '  default = regex_replace("3.20.1", "\\\\.\\\\d+$", "")',
      '}',
      'function "tags" {',
      '  params = [name]',
      '  result = [for v in ["a", "b"] : "${name}:${v}"]',
      '}',
      'group "default" {',
      '  targets = ["alpine", "debian"]',
      '}',
      '/* a block',
      '   comment */',
      'target "alpine" {',
      '  matrix = {',
      '    jdk = [21, 25]',
      '  }',
      '  name = "alpine_jdk${jdk}"',
      '  dockerfile = "alpine/hotspot/Dockerfile"',
      '  context = "."',
      '  args = {',
      '    JAVA = jdk == 21 ? "21.0.1" : "25.0.1"',
      '    NOTE = <<EOT',
      'a } b ${x}',
      'EOT',
      '  }',
      '  tags = tags("alpine")',
      '}',
      'target "debian" {',
      '  dockerfile = "debian/Dockerfile" // the default variant',
      '  context = "."',
      '}',
    ].join('\n');
    expect(builds('docker-bake.hcl', text).map((b) => `${b.target} ${b.context} ${b.dockerfile}`)).toEqual(['alpine . alpine/hotspot/Dockerfile', 'debian . debian/Dockerfile']);
  });

  it('says where a file that is not HCL stops', () => {
    expect(problem('docker-bake.hcl', 'target "a" {\n  context = "."\n')).toMatchObject({ message: expect.stringMatching(/HCL syntax error: `}` expected/) });
    expect(problem('docker-bake.hcl', 'target "a" {\n  context = ".\n}\n')).toEqual({ message: 'HCL syntax error: unterminated string', line: 2 });
    expect(problem('docker-bake.hcl', 'target "a" {\n  args = { a = [1, 2 }\n}\n')).toMatchObject({ line: 2 });
  });

  it('does not overflow on deep nesting', () => {
    const deep = `target "a" {\n  x = ${'['.repeat(20000)}${']'.repeat(20000)}\n}\n`;
    expect(builds('docker-bake.hcl', deep)).toHaveLength(1);
    const blocks = `${'b {\n'.repeat(100)}${'}\n'.repeat(100)}`;
    expect(problem('docker-bake.hcl', blocks)).toMatchObject({ message: 'HCL syntax error: blocks nested too deeply' });
  });
});

describe('readBakeFile (JSON)', () => {
  it('reads targets with the line of their context', () => {
    const text = JSON.stringify({ group: { default: { targets: ['web'] } }, target: { base: { context: 'src' }, web: { inherits: ['base'], dockerfile: 'web.Dockerfile' } } }, null, 2);
    const byName = new Map(builds('docker-bake.json', text).map((b) => [b.target, b]));
    expect(byName.get('web')).toMatchObject({ context: 'src', dockerfile: 'web.Dockerfile', line: 11 });
  });

  it('says why a file that is not JSON was not used', () => {
    expect(problem('docker-bake.json', '{"target": ')).toMatchObject({ message: expect.stringMatching(/^not valid JSON/) });
  });
});

describe('readBakeFile on any input', () => {
  it('never throws: a list of builds or one problem, for random text and for mangled bake files', () => {
    const sample = 'variable "D" {\n  default = "app"\n}\ntarget "a" {\n  context = "${D}"\n  dockerfile = <<EOT\nx\nEOT\n  args = { A = [1, "b", {c = d}] }\n}\n/* c */ # c\n';
    const mangled = fc.tuple(fc.nat(sample.length), fc.nat(sample.length), fc.string({ maxLength: 8 })).map(([a, b, s]) => sample.slice(0, Math.min(a, b)) + s + sample.slice(Math.max(a, b)));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), mangled), fc.constantFrom('docker-bake.hcl', 'docker-bake.json'), (text, name) => {
        const r = readBakeFile(name, text);
        expect('builds' in r || 'problem' in r).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
