import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lintFile } from '../src/engine.js';
import type { Finding } from '../src/findings.js';
import { parseDockerfile } from '../src/parsers/dockerfile.js';
import { loadShellParser } from '../src/parsers/shell.js';
import { SourceFile } from '../src/parsers/source.js';
import { RULES } from '../src/rules/index.js';
import {
  applySuppressions,
  dockerfileComments,
  dockerfileSuppressions,
  parseSuppressions,
  scriptSuppressions,
  type FileSuppressions,
} from '../src/suppressions.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const KNOWN = new Set(RULES.map((r) => r.id));

function finding(rule: string, file: string, line: number, related: { file: string; line: number }[] = []): Finding {
  return {
    rule,
    severity: 'error',
    message: `${rule} at ${file}:${line}`,
    hint: null,
    file,
    line,
    column: 1,
    endLine: line,
    endColumn: 5,
    related: [...related.map((r) => ({ ...r, column: 1, message: '' })), { file, line, column: 1, message: '' }],
  };
}

function dockerfile(text: string, name = 'Dockerfile'): FileSuppressions {
  return dockerfileSuppressions(parseDockerfile(new SourceFile(name, text)));
}

function apply(findings: Finding[], files: FileSuppressions[], reportUnused = false, offIds?: Set<string>): Finding[] {
  return applySuppressions(findings, new Map(files.map((f) => [f.file, f])), { reportUnused, knownIds: KNOWN, ...(offIds ? { offIds } : {}) });
}

const brief = (fs: Finding[]): string[] => fs.map((f) => `${f.file}:${f.line} ${f.rule}${f.rule === 'suppression' ? `: ${f.message}` : ''}`);

describe('# dockerlint ignore= (next line)', () => {
  const text = [
    'FROM alpine:3.20', //                                   1
    '# dockerlint ignore=root-process -- set-up needs root', // 2
    'USER root', //                                          3
    '# dockerlint ignore=shell-form-pid1,cmd-ignored', //    4
    '# a second comment line in between', //                 5
    'ENTRYPOINT nginx -g "daemon off;"', //                  6
    'CMD ["x"]', //                                          7
    '',
  ].join('\n');

  test('suppresses those rules on the next non-comment line only; reason is kept', () => {
    const supp = dockerfile(text);
    expect(supp.suppressions.map((s) => [s.line, s.target, s.rules, s.reason])).toEqual([
      [2, { line: 3, endLine: 3 }, ['root-process'], 'set-up needs root'],
      [4, { line: 6, endLine: 6 }, ['shell-form-pid1', 'cmd-ignored'], null],
    ]);
    const out = apply(
      [finding('root-process', 'Dockerfile', 3), finding('shell-form-pid1', 'Dockerfile', 6), finding('cmd-ignored', 'Dockerfile', 7), finding('root-process', 'Dockerfile', 1)],
      [supp],
    );
    expect(brief(out)).toEqual(['Dockerfile:1 root-process', 'Dockerfile:7 cmd-ignored']);
  });

  test('covers every line of a continued instruction, heredoc included', () => {
    const supp = dockerfile('FROM alpine\n# dockerlint ignore=sudo-in-run\nRUN apk add sudo \\\n  && sudo true\nRUN <<EOF\nsudo x\nEOF\nRUN sudo y\n');
    const out = apply([finding('sudo-in-run', 'Dockerfile', 4), finding('sudo-in-run', 'Dockerfile', 6), finding('sudo-in-run', 'Dockerfile', 8)], [supp]);
    expect(brief(out)).toEqual(['Dockerfile:6 sudo-in-run', 'Dockerfile:8 sudo-in-run']);
  });

  test('a blank line after the comment is the line it targets (nothing there: unused)', () => {
    const supp = dockerfile('FROM alpine\n# dockerlint ignore=root-process\n\nUSER root\n');
    expect(brief(apply([finding('root-process', 'Dockerfile', 4)], [supp], true))).toEqual([
      'Dockerfile:2 suppression: unused suppression: no `root-process` finding on line 3',
      'Dockerfile:4 root-process',
    ]);
  });
});

describe('# dockerlint ignore-file=', () => {
  test('anywhere in the file, for the whole file', () => {
    const supp = dockerfile('FROM alpine\nCMD a b\nUSER root\n# dockerlint ignore-file=shell-form-pid1, root-process\n');
    const out = apply([finding('shell-form-pid1', 'Dockerfile', 2), finding('root-process', 'Dockerfile', 3), finding('cmd-ignored', 'Dockerfile', 2)], [supp]);
    expect(brief(out)).toEqual(['Dockerfile:2 cmd-ignored']);
  });

  test('only in its own file', () => {
    const a = dockerfile('# dockerlint ignore-file=root-process\nFROM alpine\n', 'a/Dockerfile');
    const out = apply([finding('root-process', 'a/Dockerfile', 2), finding('root-process', 'b/Dockerfile', 2)], [a]);
    expect(brief(out)).toEqual(['b/Dockerfile:2 root-process']);
  });
});

describe('reported problems', () => {
  test('unknown rule ids are always reported, with file and line', () => {
    const supp = dockerfile('FROM alpine\n  # dockerlint ignore=root-procss,root-process\nUSER root\n');
    const out = apply([finding('root-process', 'Dockerfile', 3)], [supp]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ rule: 'suppression', severity: 'warning', file: 'Dockerfile', line: 2, column: 3, endLine: 2 });
    expect(out[0]!.message).toBe(`unknown rule id \`root-procss\` in \`# dockerlint ignore=\`; known: ${[...KNOWN].sort().join(', ')}`);
  });

  test('unused suppressions are reported only with reportUnused, and not for rules turned off', () => {
    const supp = dockerfile('FROM alpine\n# dockerlint ignore=root-process,sudo-in-run\nUSER root\n# dockerlint ignore-file=cmd-ignored\n');
    const findings = [finding('root-process', 'Dockerfile', 3)];
    expect(apply(findings, [supp], false)).toEqual([]);
    expect(brief(apply(findings, [supp], true))).toEqual([
      'Dockerfile:2 suppression: unused suppression: no `sudo-in-run` finding on line 3',
      'Dockerfile:4 suppression: unused suppression: no `cmd-ignored` finding in this file',
    ]);
    expect(brief(apply(findings, [supp], true, new Set(['cmd-ignored'])))).toEqual([
      'Dockerfile:2 suppression: unused suppression: no `sudo-in-run` finding on line 3',
    ]);
  });

  test('a comment that looks like a suppression but is not one is reported', () => {
    const supp = dockerfile('FROM alpine\n# dockerlint-ignore root-process\n# dockerlint ignore=\n# dockerlint ignore=a b\n# dockerlint is a linter\n# dockerlint ignores nothing here\n');
    expect(brief(apply([], [supp]))).toEqual([
      'Dockerfile:2 suppression: this looks like a dockerlint suppression but is not one: write `# dockerlint ignore=rule-a,rule-b -- reason` (next line) or `# dockerlint ignore-file=rule` (whole file)',
      'Dockerfile:3 suppression: `# dockerlint ignore=` names no rule',
      'Dockerfile:4 suppression: cannot read `a b` as a rule id in `# dockerlint ignore=`: separate ids with commas, and put a reason after ` -- `',
    ]);
  });

  test('suppression findings themselves are never suppressed', () => {
    const supp = dockerfile('FROM alpine\n# dockerlint ignore-file=suppression\n# dockerlint ignore=nope\nUSER root\n');
    expect(brief(apply([], [supp]))).toEqual([
      expect.stringMatching(/^Dockerfile:2 suppression: unknown rule id `suppression`/),
      expect.stringMatching(/^Dockerfile:3 suppression: unknown rule id `nope`/),
    ]);
  });
});

describe('hadolint and BuildKit comments (migration)', () => {
  test('# hadolint ignore= maps DL codes through peers; codes with no equivalent are left to hadolint', () => {
    const text = [
      'FROM alpine', //                                  1
      '# hadolint ignore=DL3002', //                     2
      'USER root', //                                    3
      '# hadolint ignore=DL3004,DL3008 # inline note', // 4
      'RUN sudo apk add x', //                           5
      '# hadolint ignore=DL3025', //                     6
      "CMD ['nginx', '-g', 'daemon off;']", //           7
      '# hadolint ignore=DL4003,DL3005', //              8
      'CMD a', //                                        9
      '',
    ].join('\n');
    const supp = dockerfile(text);
    expect(supp.suppressions.map((s) => [s.source, s.line, s.rules])).toEqual([
      ['hadolint', 2, ['last-user-root', 'root-process']],
      ['hadolint', 4, ['sudo-in-run', 'apt-get-version-pin']],
      ['hadolint', 6, ['invalid-exec-form', 'json-args', 'shell-form-pid1']],
      ['hadolint', 8, ['multiple-cmd']],
    ]);
    const out = apply(
      [
        finding('root-process', 'Dockerfile', 3),
        finding('sudo-in-run', 'Dockerfile', 5),
        finding('invalid-exec-form', 'Dockerfile', 7),
        finding('shell-form-pid1', 'Dockerfile', 9),
      ],
      [supp],
      true,
    );
    // nothing reported for the hadolint comments, even unused ones
    expect(brief(out)).toEqual(['Dockerfile:9 shell-form-pid1']);
  });

  test('# hadolint global ignore= is file-wide', () => {
    const supp = dockerfile('# hadolint global ignore=DL3025\nFROM alpine\nCMD a b\n');
    expect(apply([finding('shell-form-pid1', 'Dockerfile', 3)], [supp])).toEqual([]);
  });

  test('hadolint comments in a shell script mean nothing', () => {
    const supp = parseSuppressions('entry.sh', [{ line: 1, text: ' hadolint ignore=DL3004' }], 'shell');
    expect(supp.suppressions).toEqual([]);
  });

  test('BuildKit # check=skip= among the parser directives at the top', () => {
    const findings = [finding('shell-form-pid1', 'Dockerfile', 4), finding('invalid-exec-form', 'Dockerfile', 5), finding('root-process', 'Dockerfile', 3)];
    const skip = dockerfile('# syntax=docker/dockerfile:1\n# check=skip=StageNameCasing,JSONArgsRecommended;error=true\nFROM alpine\nCMD a b\nCMD [\'a\']\n');
    expect(skip.suppressions.map((s) => [s.source, s.scope, s.line, s.written, s.rules])).toEqual([
      ['buildkit', 'file', 2, ['StageNameCasing', 'JSONArgsRecommended'], ['stage-name-casing#name', 'invalid-exec-form', 'json-args', 'shell-form-pid1']],
    ]);
    expect(brief(apply(findings, [skip], true))).toEqual(['Dockerfile:3 root-process']);
    // skip=all skips what maps, not dockerlint's other rules
    expect(brief(apply(findings, [dockerfile('#check=skip=all\nFROM alpine\n')]))).toEqual(['Dockerfile:3 root-process']);
  });

  test('# check=error=true: the findings BuildKit would warn about are errors in that file', () => {
    const info = (rule: string, line: number, messageId?: string): Finding => ({ ...finding(rule, 'Dockerfile', line), severity: 'info', ...(messageId ? { messageId } : {}) });
    const findings = [info('instruction-casing', 2), info('apt-get-version-pin', 3), info('stage-name-casing', 4, 'asCasing'), { ...info('root-process', 5), severity: 'warning' as const }];
    const sev = (fs: Finding[]): string[] => fs.map((f) => `${f.line} ${f.rule} ${f.severity}`);
    expect(sev(apply(findings, [dockerfile('# check=error=true\nfrom alpine\n')]))).toEqual(['2 instruction-casing error', '3 apt-get-version-pin info', '4 stage-name-casing error', '5 root-process warning']);
    // with skip: skipped checks are gone, the others are errors
    expect(sev(apply(findings, [dockerfile('# check=skip=ConsistentInstructionCasing;error=true\nfrom alpine\n')]))).toEqual(['3 apt-get-version-pin info', '4 stage-name-casing error', '5 root-process warning']);
    // only among the parser directives, and only error=true
    expect(sev(apply(findings, [dockerfile('FROM alpine\n# check=error=true\nRUN x\n')]))).toEqual(sev(findings));
    expect(sev(apply(findings, [dockerfile('# check=error=false\nFROM alpine\n')]))).toEqual(sev(findings));
  });

  test('one rule for two BuildKit checks: each code silences only its own messages', () => {
    const both = [
      { ...finding('stage-name-casing', 'Dockerfile', 3), messageId: 'name' },
      { ...finding('stage-name-casing', 'Dockerfile', 4), messageId: 'asCasing' },
    ];
    expect(brief(apply(both, [dockerfile('# check=skip=FromAsCasing\nFROM alpine\nFROM alpine AS Build\nFROM alpine as b\n')]))).toEqual(['Dockerfile:3 stage-name-casing']);
    expect(brief(apply(both, [dockerfile('# check=skip=StageNameCasing\nFROM alpine\nFROM alpine AS Build\nFROM alpine as b\n')]))).toEqual(['Dockerfile:4 stage-name-casing']);
    expect(apply(both, [dockerfile('# check=skip=all\nFROM alpine\n')])).toEqual([]);
    // a dockerlint comment names the rule: all of its messages
    expect(apply(both, [dockerfile('# dockerlint ignore-file=stage-name-casing\nFROM alpine\n')])).toEqual([]);
  });

  test('a check comment below the parser directives skips its checks for the next instruction only', () => {
    const local = [
      'FROM alpine\n# check=skip=JSONArgsRecommended\nCMD a b\n', // after an instruction
      '\n# check=skip=JSONArgsRecommended\nCMD a b\n', // after a blank line
      '# a comment\n# check=skip=JSONArgsRecommended\nCMD a b\n', // after another comment
      'FROM alpine\n  # check=skip=JSONArgsRecommended // a remark\nCMD a b\n', // indented, with a remark
    ];
    for (const text of local) {
      const supp = dockerfile(text);
      expect(supp.suppressions.map((s) => [s.source, s.scope, s.written, s.target?.line])).toEqual([['buildkit', 'next-line', ['JSONArgsRecommended'], 3]]);
      expect(brief(apply([finding('shell-form-pid1', 'Dockerfile', 3), finding('shell-form-pid1', 'Dockerfile', 5)], [supp]))).toEqual(['Dockerfile:5 shell-form-pid1']);
    }
    // check names are case-sensitive
    expect(dockerfile('FROM alpine\n# check=skip=jsonargsrecommended\nCMD a b\n').suppressions).toEqual([]);
    // only the first check comment of an instruction's comment block counts
    const two = dockerfile('FROM alpine\n# check=skip=MaintainerDeprecated\n# check=skip=JSONArgsRecommended\nCMD a b\n');
    expect(two.suppressions.map((s) => [s.written, s.target?.line])).toEqual([[['MaintainerDeprecated'], 4]]);
    // a blank line does not end an instruction's comments (BuildKit's parser keeps them); an
    // empty `#` line drops the ones before it
    const apart = dockerfile('FROM alpine\n# check=skip=JSONArgsRecommended\n\nCMD a b\n');
    expect(apply([finding('shell-form-pid1', 'Dockerfile', 4)], [apart])).toEqual([]);
    const dropped = dockerfile('FROM alpine\n# check=skip=JSONArgsRecommended\n#\nCMD a b\n');
    expect(apply([finding('shell-form-pid1', 'Dockerfile', 4)], [dropped])).toHaveLength(1);
    const after = dockerfile('FROM alpine\n# check=skip=MaintainerDeprecated\n#\n# check=skip=JSONArgsRecommended\nCMD a b\n');
    expect(after.suppressions.map((s) => [s.written, s.target?.line])).toEqual([[['JSONArgsRecommended'], 5]]);
    // skip=all: every check with an equivalent, for that instruction
    const all = dockerfile('FROM alpine\n# check=skip=all\nMAINTAINER me\nMAINTAINER you\n');
    expect(brief(apply([finding('maintainer-deprecated', 'Dockerfile', 3), finding('maintainer-deprecated', 'Dockerfile', 4)], [all]))).toEqual(['Dockerfile:4 maintainer-deprecated']);
    // the directive key itself is case-insensitive, and escape/syntax keep the top block open
    expect(dockerfile('# escape=`\n# CHECK = skip=JSONArgsRecommended\nFROM alpine\n').suppressions.map((s) => s.scope)).toEqual(['file']);
  });
});

describe('findings reached through a Dockerfile line', () => {
  test('a Dockerfile suppression covers findings whose chain passes through its target line', () => {
    const df = dockerfile('FROM alpine\nCOPY entry.sh /\n# dockerlint ignore=su-sudo -- upstream script\nENTRYPOINT ["/entry.sh"]\n');
    const inScript = finding('su-sudo', 'entry.sh', 13, [
      { file: 'Dockerfile', line: 4 },
      { file: 'Dockerfile', line: 2 },
    ]);
    const elsewhere = finding('su-sudo', 'entry.sh', 13, [{ file: 'other/Dockerfile', line: 4 }]);
    expect(brief(apply([inScript, elsewhere], [df], true))).toEqual(['entry.sh:13 su-sudo']);
  });

  test('a script suppression covers only findings in the script', () => {
    const script = parseSuppressions('entry.sh', [{ line: 3, text: ' dockerlint ignore-file=root-process' }], 'shell');
    const viaScript = finding('root-process', 'Dockerfile', 1, [{ file: 'entry.sh', line: 5 }]);
    expect(apply([viaScript], [script])).toEqual([viaScript]);
  });
});

describe('dockerfileComments: real comments only', () => {
  const text = [
    'FROM alpine', //                                     1
    '  # dockerlint ignore=sudo-in-run', //               2 indented comment
    'RUN <<EOF', //                                       3
    '# dockerlint ignore=root-process', //                4 heredoc body: script text
    'echo hi # not a comment line', //                    5
    'EOF', //                                             6
    'RUN apk add x \\', //                                7
    '# inside a continuation: Docker drops it', //        8
    '  && true', //                                       9
    'COPY <<-END /x', //                                  10
    '\t# also body', //                                    11
    '\tEND', //                                           12
    '# last\r', //                                        13 CRLF
  ].join('\n');

  test('skips heredoc bodies (found by parsing, or given)', () => {
    const expected = [
      { line: 2, column: 3, text: ' dockerlint ignore=sudo-in-run' },
      { line: 8, column: 1, text: ' inside a continuation: Docker drops it' },
      { line: 13, column: 1, text: ' last' },
    ];
    expect(dockerfileComments(text)).toEqual(expected);
    expect(dockerfileComments(text, [{ line: 4, endLine: 6 }, { line: 11, endLine: 12 }])).toEqual(expected);
    // without the ranges, the body lines would count
    expect(dockerfileComments(text, []).map((c) => c.line)).toEqual([2, 4, 8, 11, 13]);
  });

  test('so a suppression inside a heredoc body suppresses nothing', () => {
    const supp = dockerfile(text);
    expect(supp.suppressions.map((s) => [s.line, s.target])).toEqual([[2, { line: 3, endLine: 6 }]]);
    expect(brief(apply([finding('root-process', 'Dockerfile', 5)], [supp]))).toEqual(['Dockerfile:5 root-process']);
  });
});

describe('scriptSuppressions: from the shell syntax tree', () => {
  test('comments, not strings or heredoc bodies; continued commands; trailing comments', async () => {
    const parser = await loadShellParser();
    const source = [
      '#!/bin/sh', //                                                   1
      'echo "# dockerlint ignore=su-sudo"', //                           2 a string
      'cat <<EOF', //                                                   3
      '# dockerlint ignore=missing-exec-args', //                       4 heredoc body
      'EOF', //                                                         5
      'if [ "$(id -u)" = 0 ]; then', //                                  6
      '  # dockerlint ignore=su-sudo -- legacy', //                      7
      '  exec su redis \\', //                                           8
      '    -s /bin/sh -c "$0 $*"', //                                   9
      'fi', //                                                          10
      'exec "$@" # dockerlint ignore=missing-exec-args', //             11 trailing
      '',
    ].join('\n');
    const result = parser.parse(source, 'posix');
    if (!result.ok) throw new Error('parse failed');
    const supp = scriptSuppressions('docker-entrypoint.sh', source, result.file);
    expect(supp.suppressions.map((s) => [s.line, s.rules, s.target, s.reason])).toEqual([
      [7, ['su-sudo'], { line: 8, endLine: 9 }, 'legacy'],
      [11, ['missing-exec-args'], { line: 11, endLine: 11 }, null],
    ]);
    const out = apply(
      [finding('su-sudo', 'docker-entrypoint.sh', 9), finding('missing-exec-args', 'docker-entrypoint.sh', 11), finding('su-sudo', 'docker-entrypoint.sh', 2)],
      [supp],
    );
    expect(brief(out)).toEqual(['docker-entrypoint.sh:2 su-sudo']);
  });
});

describe('with the real linter', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerlint-supp-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the positions of real findings line up with the comments (fixture su-sudo/bad-redis-su)', async () => {
    const src = path.join(root, 'fixtures/su-sudo/bad-redis-su');
    for (const f of ['Dockerfile', 'docker-entrypoint.sh']) fs.copyFileSync(path.join(src, f), path.join(dir, f));
    const lint = async (): Promise<Finding[]> => lintFile({ path: path.join(dir, 'Dockerfile') }, { cwd: dir });
    const before = await lint();
    expect(before.map((f) => f.rule)).toContain('su-sudo');

    // In the script, above the finding's line.
    const scriptPath = path.join(dir, 'docker-entrypoint.sh');
    const lines = fs.readFileSync(scriptPath, 'utf8').split('\n');
    const at = before.find((f) => f.rule === 'su-sudo')!.line;
    lines.splice(at - 1, 0, '\t# dockerlint ignore=su-sudo -- tested');
    const script = lines.join('\n');
    fs.writeFileSync(scriptPath, script);
    // The engine applies the suppressions of the Dockerfile and of the scripts it starts.
    const after = await lintFile({ path: path.join(dir, 'Dockerfile') }, { cwd: dir, reportUnusedSuppressions: true });
    expect(after.map((f) => f.rule)).not.toContain('su-sudo');
    expect(after.map((f) => f.rule)).not.toContain('suppression');
  });
});
