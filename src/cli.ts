/**
 * The command line: `dockerlint [paths..]`.
 *
 * Exit codes: 0 no errors or warnings; 1 errors or warnings found; 2 usage error, or a file that
 * could not be read or parsed (after linting everything else).
 */
import fs from 'node:fs';
import yargs from 'yargs';
import { discover } from './discovery.js';
import { lintFile, type LintInput } from './engine.js';
import { compareFindings, type Finding } from './findings.js';
import { ShellService } from './model/shell-service.js';
import { formatJson } from './reporters/json.js';
import { formatStylish } from './reporters/stylish.js';
import { escapeControl } from './reporters/escape.js';

export const FORMATS = ['stylish', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => Promise<string>;
  isTTY: boolean;
  cwd: string;
}

const defaultIo = (): CliIo => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  readStdin: async () => fs.readFileSync(0, 'utf8'),
  isTTY: !!process.stdout.isTTY,
  cwd: process.cwd(),
});

export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  let usageError: string | null = null;
  const parser = yargs(argv)
    .scriptName('dockerlint')
    .usage('$0 [paths..]\n\nLint Dockerfiles and the entrypoint scripts they start.\nPaths are files or folders (default: .); - reads one Dockerfile from stdin.')
    .command('$0 [paths..]', false)
    .positional('paths', { type: 'string', array: true, default: ['.'] })
    .option('format', { alias: 'f', choices: FORMATS, default: 'stylish' as Format, describe: 'output format' })
    .option('context', { type: 'string', describe: 'build context folder (default: each Dockerfile\'s folder)' })
    .option('target', { type: 'string', describe: 'lint this build stage instead of the last one' })
    .option('color', { type: 'boolean', describe: 'colour the output (default: when stdout is a terminal); --no-color turns it off' })
    .strictOptions()
    .exitProcess(false)
    .fail((msg, err) => {
      usageError = msg ?? err?.message ?? 'invalid arguments';
    })
    .help()
    .version('0.1.0');
  let args: Awaited<ReturnType<typeof parser.parseAsync>>;
  let output = '';
  try {
    args = await parser.parseAsync(argv, {}, (_err, _argv, out) => {
      output = out;
    });
  } catch (e) {
    usageError ??= e instanceof Error ? e.message : String(e);
    args = {} as typeof args;
  }
  if (usageError) {
    io.stderr(`dockerlint: ${usageError}\nRun dockerlint --help for usage.\n`);
    return 2;
  }
  if (output) {
    io.stdout(`${output}\n`);
    return 0;
  }

  const paths = ((args.paths as string[] | undefined) ?? ['.']).map(String);
  const format = (args.format ?? 'stylish') as Format;
  const color = (args.color as boolean | undefined) ?? (io.isTTY && !process.env.NO_COLOR);

  const inputs: LintInput[] = [];
  const findings: Finding[] = [];
  let inputProblems = 0;
  const onDisk = paths.filter((p) => p !== '-');
  if (paths.includes('-')) inputs.push({ path: '-', text: await io.readStdin() });
  const found = onDisk.length > 0 ? discover(onDisk, io.cwd) : { files: [], problems: [] };
  for (const p of found.problems) {
    io.stderr(`dockerlint: ${escapeControl(p.path)}: ${p.message}\n`);
    inputProblems++;
  }
  for (const f of found.files) inputs.push({ path: f });
  if (inputs.length === 0 && found.problems.length === 0) {
    io.stderr(`dockerlint: no Dockerfile found in ${paths.map(escapeControl).join(', ')}\n`);
  }

  const shell = new ShellService();
  for (const input of inputs) {
    const options = { cwd: io.cwd, shell, ...(args.context ? { context: String(args.context) } : {}), ...(args.target ? { target: String(args.target) } : {}) };
    findings.push(...(await lintFile(input, options)));
  }
  findings.sort(compareFindings);

  io.stdout(format === 'json' ? formatJson(findings) : formatStylish(findings, color));
  if (inputProblems > 0 || findings.some((f) => f.rule === 'input-error' && f.severity === 'error')) return 2;
  return findings.some((f) => f.severity === 'error' || f.severity === 'warning') ? 1 : 0;
}
