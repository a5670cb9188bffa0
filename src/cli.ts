/**
 * The command line: `dockerlint [paths..]`.
 *
 * Exit codes: 0 nothing at or above the failure threshold; 1 findings at or above it (or more
 * warnings than --max-warnings); 2 usage error, or a file that could not be read or linted
 * (after linting everything else).
 */
import fs from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import picomatch from 'picomatch';
import { DEFAULT_MAX_FILE_BYTES, defaultConfig, FAILURE_THRESHOLDS, parseSize, PRESETS, type FailureThreshold, type Preset } from './config/schema.js';
import { workerCount, type WorkerSetup } from './parallel.js';
import { createLinter } from './linter.js';
import { discover } from './discovery.js';
import type { LintInput } from './engine.js';
import { ComposeIndex } from './compose.js';
import { displayPath, mapFindingPaths, SEVERITY_RANK, uniqueSorted, spanFinding, type Finding, type Severity } from './findings.js';
import { Jail, repositoryRoot } from './fs/jail.js';
import type { DirEntry } from './fs/file-system.js';
import { escapeControl, escapeJson, escapeStrings } from './reporters/escape.js';
import { format, FORMATS, isFormat, type Format } from './reporters/index.js';
import { RULES } from './rules/index.js';
import { ruleIdsFor } from './config/rule-refs.js';
import { CATEGORIES, peersOf, type Category, type DiagnosticMeta, type Peer } from './rules/rule.js';
import { resolveSeverities, type Selection } from './config/severities.js';

export { VERSION } from './meta.js';
import { VERSION } from './meta.js';
type Threshold = FailureThreshold;

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => Promise<string>;
  writeFile: (path: string, text: string) => void;
  isTTY: boolean;
  /** stderr is a terminal: a progress line may be shown there on long runs. */
  stderrTTY?: boolean;
  cwd: string;
  env: Record<string, string | undefined>;
}

/**
 * The process's stdout, written until its reader goes away (`dockerlint . | head -1`): an EPIPE
 * then means there is nobody left to read, so the rest is dropped and the run ends with its own exit
 * code, as `grep` and ESLint do, instead of a stack trace. Any other write error still surfaces.
 */
function stdoutWriter(): (s: string) => void {
  let closed = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    closed = true;
  });
  return (s) => {
    if (!closed) process.stdout.write(s);
  };
}

const defaultIo = (): CliIo => ({
  stdout: stdoutWriter(),
  stderr: (s) => process.stderr.write(s),
  readStdin: async () => fs.readFileSync(0, 'utf8'),
  writeFile: (p, text) => {
    // `-o reports/x.sarif` into a folder that does not exist yet: make it.
    fs.mkdirSync(path.dirname(path.resolve(p)), { recursive: true });
    fs.writeFileSync(p, text);
  },
  isTTY: !!process.stdout.isTTY,
  stderrTTY: !!process.stderr.isTTY,
  cwd: process.cwd(),
  env: process.env,
});

class UsageError extends Error {}
/** An --output-file that cannot be written: said in one line, exit code 2. */
class OutputError extends Error {}

function writeOutput(io: CliIo, file: string, text: string): void {
  try {
    io.writeFile(file, text);
  } catch (e) {
    throw new OutputError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** FORCE_COLOR as Node and chalk read it: `0`/`false` off, any other value on, unset: no say. */
function forcedColor(env: Record<string, string | undefined>): boolean | undefined {
  const v = env.FORCE_COLOR;
  if (v === undefined) return undefined;
  return !(v === '0' || v.toLowerCase() === 'false');
}

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  try {
    return await run(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`dockerlint: ${e.message}\nRun dockerlint --help for usage.\n`);
      return 2;
    }
    if (e instanceof OutputError) {
      io.stderr(`dockerlint: ${escapeControl(e.message)}\n`);
      return 2;
    }
    io.stderr(`dockerlint: internal error: ${e instanceof Error ? e.message : String(e)} (please report it)\n`);
    return 2;
  }
}

/**
 * Pairs each --output-file with the --format given just before it, in command-line order
 * (`-f compact -f sarif -o out.sarif` prints compact and writes SARIF).
 */
function formatPairs(argv: string[]): { format: string; output: string | null }[] {
  const pairs: { format: string; output: string | null }[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const m = /^(?:-f|--format|-o|--output-file)(?:=(.*))?$/.exec(a);
    if (!m) continue;
    const value = m[1] ?? argv[++i];
    if (value === undefined) throw new UsageError(`${a} needs a value`);
    if (a.startsWith('-f') || a.startsWith('--format')) pairs.push({ format: value, output: null });
    else {
      const last = pairs[pairs.length - 1];
      if (!last || last.output !== null) throw new UsageError(`--output-file ${value} must follow the --format it writes`);
      last.output = value;
    }
  }
  return pairs;
}

/** `dockerlint explain [Dockerfile] [--target NAME] [--format text|json|mermaid]`. */
async function explain(argv: string[], io: CliIo): Promise<number> {
  let failure: string | null = null;
  let helpText = '';
  // yargs drops a lone `-`: it means "read the Dockerfile from stdin", as for the lint command.
  const fromStdin = argv.includes('-');
  if (fromStdin) argv = argv.filter((a) => a !== '-');
  const { default: yargs } = await import('yargs');
  const args = await yargs(argv)
    .scriptName('dockerlint explain')
    .usage('$0 [dockerfile]\n\nPrint what runs when the container starts: PID 1, as which user, step by step.')
    .command('$0 [dockerfile]', false)
    .positional('dockerfile', { type: 'string', default: 'Dockerfile' })
    .option('target', { type: 'string', describe: 'explain this build stage instead of the last one' })
    .option('context', { type: 'string', describe: "build context folder (default: the Dockerfile's folder)" })
    .option('root', { type: 'string', describe: 'nothing outside this folder is read (default: the git top level of the Dockerfile, or its folder)' })
    .option('format', { alias: 'f', choices: ['text', 'json', 'mermaid'] as const, default: 'text' as const, describe: 'text, json, or mermaid (a flowchart GitHub renders in Markdown)' })
    // Accepted as on the lint command, so one set of flags works for both; explain prints no colour.
    .option('color', { type: 'boolean', describe: 'accepted for symmetry with the lint command (explain prints no colour)' })
    .option('config', { alias: 'c', type: 'string', describe: 'configuration file (default: searched upwards, as for linting); its trustedBaseImages and context apply' })
    .strictOptions()
    .exitProcess(false)
    .fail((msg, err) => {
      failure = msg ?? err?.message ?? 'invalid arguments';
    })
    .help()
    .alias('h', 'help')
    .parseAsync(argv, {}, (_e, _a, out) => {
      helpText = out;
    });
  if (failure) throw new UsageError(failure);
  if (helpText) {
    io.stdout(`${helpText}\n`);
    return 0;
  }
  // As for linting: a --context that does not exist is a usage error, not a context with no files.
  if (args.context && !isDirectory(path.resolve(io.cwd, String(args.context)))) throw new UsageError(`--context ${String(args.context)}: no such folder`);
  const { launchOf } = await import('./engine.js');
  const { explainLaunch, formatExplanation } = await import('./explain.js');
  const target = fromStdin ? '-' : String(args.dockerfile ?? 'Dockerfile');
  const input: LintInput = target === '-' ? { path: '-', text: await io.readStdin() } : { path: path.resolve(io.cwd, target) };
  // The same configuration as a lint run, so that explain and the rules agree (trusted base
  // images' users, context globs).
  const rootArg = args.root ? path.resolve(io.cwd, String(args.root)) : null;
  const startDir = configStartDir(target === '-' ? io.cwd : path.resolve(io.cwd, target));
  const { loadConfig, configMatchers } = await import('./config/load.js');
  const loaded = loadConfig(startDir, args.config ? path.resolve(io.cwd, String(args.config)) : undefined, { jail: Jail.of(startDir, { root: rootArg, maxFileBytes: DEFAULT_MAX_FILE_BYTES }) });
  if ('error' in loaded) {
    for (const e of [loaded.error, ...(loaded.error.more ?? [])]) io.stderr(`dockerlint: ${escapeControl(e.file)}${e.line ? `:${e.line}` : ''}: ${e.key ? `${escapeControl(e.key)}: ` : ''}${escapeControl(e.message)}\n`);
    return 2;
  }
  const matchers = configMatchers(loaded.config, loaded.file, io.cwd, loaded.lines ?? {});
  const configured = args.context || target === '-' ? null : matchers.contextFor(input.path);
  const context = args.context ? String(args.context) : (configured?.dir ?? null);
  const prepared = await launchOf(input, {
    cwd: io.cwd,
    compose: new ComposeIndex(),
    baseImageFacts: (ref) => matchers.trustedBaseImage(ref),
    ...(rootArg ? { root: rootArg } : {}),
    ...(context ? { context } : {}),
    ...(args.target ? { target: String(args.target) } : {}),
  });
  if (Array.isArray(prepared)) {
    for (const f of prepared) io.stderr(`dockerlint: ${escapeControl(f.file)}:${f.line}:${f.column}: ${escapeControl(f.message)}\n`);
    return 2;
  }
  const explanation = explainLaunch(prepared.launch);
  // Every field is escaped before it is laid out: the text `\x0a` (or a real newline) in a
  // Dockerfile stays one field of one line. (Mermaid escapes its labels as entities.)
  if (args.format === 'mermaid') io.stdout((await import('./reporters/mermaid.js')).formatMermaid(explanation));
  else io.stdout(args.format === 'json' ? `${escapeJson(JSON.stringify(explanation, null, 2))}\n` : formatExplanation(escapeStrings(explanation)));
  return 0;
}

/** The lint command's arguments, parsed by yargs (loaded here, on first use). */
export async function parseLintArgs(argv: string[]) {
  const { default: yargs } = await import('yargs');
  let failure: string | null = null;
  let helpText = '';
  const parser = yargs(argv)
    .scriptName('dockerlint')
    .usage(
      '$0 [paths..]\n$0 explain [Dockerfile]\n\nLint Dockerfiles and the entrypoint scripts they start.\n' +
        'Paths are files or folders (default: .); - reads one Dockerfile from stdin.\n' +
        '`dockerlint explain` prints what runs when the container starts (see dockerlint explain --help).',
    )
    .command('$0 [paths..]', false)
    .positional('paths', { type: 'string', array: true, describe: 'files, folders or quoted globs (default: .)' })
    .option('format', { alias: 'f', type: 'string', describe: `output format: ${FORMATS.join(', ')} (repeatable, paired with --output-file)` })
    .option('output-file', { alias: 'o', type: 'string', describe: 'write the matching --format to this file instead of stdout' })
    .option('context', { type: 'string', describe: "build context folder (default: each Dockerfile's folder)" })
    .option('root', { type: 'string', describe: 'nothing outside this folder is read (default: the git top level of each linted path, or the path itself)' })
    .option('target', { type: 'string', describe: 'lint this build stage instead of the last one' })
    .option('rule', { type: 'string', describe: 'set a rule severity: id=off|info|warning|error (a hadolint or BuildKit code works too), or category:<name>=... for a whole category (repeatable)' })
    .option('preset', { choices: PRESETS, describe: 'which rules are on: recommended (default) or all' })
    .option('shellcheck', { type: 'boolean', describe: 'also give RUN bodies and entrypoint scripts to the shellcheck program (findings: shellcheck/SCxxxx); --no-shellcheck turns it off' })
    .option('ignore-rule', { type: 'string', describe: 'turn a rule off: a rule id, or a hadolint/BuildKit code (repeatable)' })
    .option('failure-threshold', { choices: FAILURE_THRESHOLDS, describe: 'lowest severity that makes the exit code 1 (default: warning)' })
    .option('max-warnings', { type: 'number', describe: 'exit 1 when there are more warnings than this (warnings alone then fail only past it)' })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'report errors only (warnings and info neither shown nor counted)' })
    .option('stdin-filename', { type: 'string', describe: 'the path to show for - (standard input); its folder is the default build context' })
    .option('error-on-unmatched-pattern', { type: 'boolean', default: true, describe: 'exit 2 when a path or glob finds no Dockerfile; --no-error-on-unmatched-pattern only says so' })
    .option('list-rules', { type: 'boolean', describe: 'list the rules (as a table, or JSON with --format json)' })
    .option('config', { alias: 'c', type: 'string', describe: 'configuration file (default: .dockerlint.yaml/.yml or package.json "dockerlint", searched upwards)' })
    .option('print-config', { type: 'string', describe: 'print the configuration that applies to a path, and exit' })
    .option('init', { type: 'boolean', describe: 'write a commented starter .dockerlint.yaml' })
    .option('from-hadolint', { type: 'boolean', describe: 'with --init: translate the .hadolint.yaml (or .yml) found from here upwards into the .dockerlint.yaml' })
    .option('max-file-size', { type: 'string', describe: 'do not read files larger than this: bytes, or e.g. 512KB, 16MB (default: 4MB)' })
    .option('report-unused-suppressions', { type: 'boolean', describe: 'report # dockerlint ignore= comments that suppress nothing' })
    .option('color', { type: 'boolean', describe: 'colour the output (default: when stdout is a terminal); --no-color turns it off' })
    .option('fix', { type: 'boolean', describe: 'apply the safe fixes in place, then report what is left' })
    .option('unsafe-fixes', { type: 'boolean', describe: 'with --fix or --fix-dry-run: also apply the fixes that may change behaviour' })
    .option('fix-dry-run', { alias: 'diff', type: 'boolean', describe: 'print the changes --fix would make as a unified diff; write nothing' })
    .option('fix-rule', { type: 'string', describe: 'fix only the findings of this rule (repeatable)' })
    .option('cache', { type: 'boolean', describe: 'reuse the findings of Dockerfiles whose files (and every file they read) did not change' })
    .option('cache-location', { type: 'string', describe: 'the cache file, or a folder for it (default: .dockerlintcache in the current folder, inside the repository)' })
    .option('shard', { type: 'string', describe: 'lint only shard i of n (i/n): each Dockerfile is in one shard, by a hash of its path in the repository' })
    .strictOptions()
    .exitProcess(false)
    .fail((msg, err) => {
      failure = msg ?? err?.message ?? 'invalid arguments';
    })
    .help()
    .alias('h', 'help')
    .version(VERSION)
    .alias('v', 'version');
  const args = await parser.parseAsync(argv, {}, (_err, _argv, out) => {
    helpText = out;
  });
  return { args, failure: failure as string | null, helpText };
}

type LintArgs = Awaited<ReturnType<typeof parseLintArgs>>['args'];

/** A word yargs takes as itself: not an option, not empty, not `help` (a positional `help` asks yargs for the help text). */
const plainWord = (s: string): boolean => s !== '' && s !== 'help' && !s.startsWith('-');

/**
 * The arguments of the common invocation, `dockerlint [paths..] [-f|--format F] [-o|--output-file
 * O]` (each option at most once, its value a separate word), exactly as yargs gives them, without
 * loading yargs: its modules and building its parser are a few percent of a cold start that lints
 * one small build context. Anything else is null, and yargs parses: another option, a repeated
 * one, `--format=json`, an empty word, a word after `--`. `test/cli-args.test.ts` compares the
 * two on many command lines.
 */
export function plainLintArgs(argv: string[]): { args: LintArgs; failure: null; helpText: '' } | null {
  const paths: string[] = [];
  let format: string | undefined;
  let output: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-f' || a === '--format' || a === '-o' || a === '--output-file') {
      const value = argv[++i];
      if (value === undefined || !plainWord(value)) return null;
      if (a === '-f' || a === '--format') {
        if (format !== undefined) return null;
        format = value;
      } else {
        if (output !== undefined) return null;
        output = value;
      }
    } else if (plainWord(a)) paths.push(a);
    else return null;
  }
  const args = {
    _: [],
    ...(format !== undefined ? { format, f: format } : {}),
    ...(output !== undefined ? { 'output-file': output, outputFile: output, o: output } : {}),
    'error-on-unmatched-pattern': true,
    errorOnUnmatchedPattern: true,
    $0: 'dockerlint',
    ...(paths.length > 0 ? { paths } : {}),
  };
  return { args: args as unknown as LintArgs, failure: null, helpText: '' };
}

async function run(rawArgv: string[], io: CliIo): Promise<number> {
  if (rawArgv[0] === 'explain') return explain(rawArgv.slice(1), io);
  // yargs drops a lone `-`; it means "read a Dockerfile from stdin".
  const fromStdin = rawArgv.includes('-');
  const argv = rawArgv.filter((a) => a !== '-');
  const { args, failure, helpText } = plainLintArgs(argv) ?? (await parseLintArgs(argv));
  if (failure) throw new UsageError(failure);
  if (helpText) {
    io.stdout(`${helpText}\n`);
    return 0;
  }

  if (args['from-hadolint'] && !args.init) throw new UsageError('--from-hadolint goes with --init');
  if (args.init) {
    const { starterConfig } = await import('./config/schema.js');
    const target = path.join(io.cwd, '.dockerlint.yaml');
    if (fs.existsSync(target)) throw new UsageError('.dockerlint.yaml exists already; not overwritten');
    if (args['from-hadolint']) {
      const { findHadolintConfig } = await import('./config/load.js');
      const { dockerlintYamlFrom } = await import('./config/hadolint.js');
      const found = findHadolintConfig(io.cwd, Jail.of(io.cwd, { root: args.root !== undefined ? path.resolve(io.cwd, String(args.root)) : null, maxFileBytes: DEFAULT_MAX_FILE_BYTES }));
      if (!found) throw new UsageError('--init --from-hadolint: no .hadolint.yaml or .hadolint.yml here or above');
      if ('error' in found) throw new UsageError(`${found.error.file}: ${found.error.message}`);
      const source = path.relative(io.cwd, found.file ?? '') || '.hadolint.yaml';
      io.writeFile(target, dockerlintYamlFrom({ config: found.config, notes: found.notes ?? [] }, source));
      io.stdout(`wrote .dockerlint.yaml from ${source}${found.notes?.length ? ` (${found.notes.length} setting(s) not translated: see the comments at its end)` : ''}\n`);
      return 0;
    }
    io.writeFile(target, starterConfig());
    io.stdout('wrote .dockerlint.yaml (every rule at its default, commented out)\n');
    return 0;
  }

  // Configuration: --config FILE, else the first config file from the linted folder upwards.
  // No path: `.`, unless `-` (stdin) was given; a value of an option (`--context .`) is no path.
  const named_ = list(args.paths);
  const given = named_.length > 0 || fromStdin ? named_ : ['.'];
  const printConfigFor = args['print-config'] as string | undefined;
  const firstPath = printConfigFor ?? given.find((g) => g !== '-') ?? '.';
  const startDir = configStartDir(path.resolve(io.cwd, firstPath));
  const rootArg = args.root !== undefined ? path.resolve(io.cwd, String(args.root)) : null;
  const sizeGiven = args['max-file-size'] as string | undefined;
  const { loadConfig, configMatchers } = await import('./config/load.js');
  const loaded = loadConfig(startDir, args.config ? path.resolve(io.cwd, String(args.config)) : undefined, {
    jail: Jail.of(startDir, { root: rootArg, maxFileBytes: (sizeGiven !== undefined ? parseSize(sizeGiven) : null) ?? DEFAULT_MAX_FILE_BYTES }),
  });
  // A broken configuration is one error finding: everything else is still linted (with the
  // defaults) and printed in the format asked for.
  const configProblems: Finding[] = [];
  if ('error' in loaded) {
    // Every problem of the file at once (the first carries the others in `more`).
    const all = [loaded.error, ...(loaded.error.more ?? [])];
    for (const e of all) {
      const line = e.line ?? 1;
      const column = e.column ?? 1;
      configProblems.push(
        spanFinding('input-error', 'error', e.file ? displayPath(path.resolve(startDir, e.file), io.cwd) : '.', { line, column, endLine: line, endColumn: column }, `${e.key ? `${e.key}: ` : ''}${e.message}; the configuration was not used (defaults apply)`),
      );
    }
    if (printConfigFor !== undefined) {
      for (const e of all) io.stderr(`dockerlint: ${escapeControl(e.file)}${e.line ? `:${e.line}` : ''}: ${e.key ? `${escapeControl(e.key)}: ` : ''}${escapeControl(e.message)}\n`);
      return 2;
    }
  }
  if (!('error' in loaded) && loaded.notes && loaded.file) {
    // A translated .hadolint.yaml: what was not translated is a warning, never an error.
    for (const note of loaded.notes) {
      configProblems.push(spanFinding('input-error', 'warning', displayPath(loaded.file, io.cwd), { line: 1, column: 1, endLine: 1, endColumn: 1 }, `hadolint configuration: ${note}`));
    }
  }
  const config = 'error' in loaded ? defaultConfig() : loaded.config;
  const configFile = 'error' in loaded ? null : loaded.file;
  const configLines = 'error' in loaded ? {} : (loaded.lines ?? {});
  const matchers = configMatchers(config, configFile, io.cwd, configLines);

  const pairs = formatPairs(argv);
  if (pairs.length === 0 && config.format) pairs.push({ format: config.format, output: null });
  for (const p of pairs) if (!isFormat(p.format)) throw new UsageError(`unknown format ${p.format}; one of ${FORMATS.join(', ')}`);
  if (!pairs.some((p) => p.output === null)) pairs.push({ format: 'stylish', output: null });
  if (pairs.filter((p) => p.output === null).length > 1) {
    throw new UsageError('only one format can go to stdout: give the others an --output-file');
  }
  const color = (args.color as boolean | undefined) ?? forcedColor(io.env) ?? (io.isTTY && !io.env.NO_COLOR);
  const maxWarnings = args['max-warnings'] as number | undefined;
  if (maxWarnings !== undefined && !(Number.isInteger(maxWarnings) && maxWarnings >= 0)) {
    throw new UsageError('--max-warnings: expected a whole number of warnings, 0 or more');
  }
  const severities = resolveSeverities([config, { ...parseRuleOptions(list(args.rule), list(args['ignore-rule'])), ...(args.preset ? { preset: args.preset as Preset } : {}) }]);
  // With --max-warnings (and no threshold given), warnings fail the run only past that number.
  const threshold = (args['failure-threshold'] as Threshold | undefined) ?? config.failureThreshold ?? (maxWarnings !== undefined ? 'error' : 'warning');
  const sizeArg = sizeGiven;
  const maxFileBytes = sizeArg !== undefined ? parseSize(sizeArg) : config.maxFileSize !== undefined ? parseSize(config.maxFileSize) : DEFAULT_MAX_FILE_BYTES;
  if (maxFileBytes === null) throw new UsageError(`--max-file-size ${sizeArg}: expected a positive size: bytes, or a number with KB, MB or GB`);

  if (printConfigFor !== undefined) {
    // What this run would use: every rule's severity, the threshold and limits, defaults included.
    const effective = {
      file: configFile ? path.relative(io.cwd, configFile) || configFile : null,
      ...config,
      rules: Object.fromEntries(RULES.map((r) => [r.id, severities[r.id] ?? r.severity])),
      failureThreshold: threshold,
      format: pairs.find((p) => p.output === null)?.format ?? 'stylish',
      maxFileSize: maxFileBytes,
    };
    io.stdout(`${escapeJson(JSON.stringify(effective, null, 2))}\n`);
    return 0;
  }

  if (args['list-rules']) {
    io.stdout(await listRules(pairs.some((p) => p.format === 'json'), severities));
    return 0;
  }

  // With `-`, the default `.` does not apply: only paths actually given are linted besides stdin.
  const onDisk = given;
  const paths = fromStdin ? ['-', ...onDisk] : onDisk;
  const inputs: LintInput[] = [];
  let inputProblems = 0;
  if (fromStdin) inputs.push({ path: '-', text: await io.readStdin(), root: rootArg ?? repositoryRoot(io.cwd) });
  // A quoted glob (`'services/**/Dockerfile'`, for shells that do not expand it) walks its
  // folder and keeps the Dockerfiles it matches; a path that exists is always a path.
  const globs = onDisk.filter((p) => !fs.existsSync(path.resolve(io.cwd, p)) && picomatch.scan(p).isGlob).map((glob) => {
    const base = picomatch.scan(glob).base || '.';
    const match = picomatch(path.resolve(io.cwd, glob).split(path.sep).join('/'), { dot: false });
    return { glob, base, match, hits: 0 };
  });
  const plain = onDisk.filter((p) => !globs.some((g) => g.glob === p));
  // A glob whose folder does not exist matches nothing (said below); it is not a missing path.
  const walked = [...plain, ...globs.map((g) => g.base).filter((b) => fs.existsSync(path.resolve(io.cwd, b)))];
  // With --cache, the folders the walk lists answer the cache's check of the same folders.
  const listings = args.cache ? new Map<string, DirEntry[]>() : undefined;
  const found = walked.length > 0 ? discover(walked, io.cwd, { root: rootArg, maxFileBytes, ...(listings ? { listings } : {}) }) : { files: [], problems: [], roots: new Map<string, string>() };
  if (globs.length > 0) {
    const plainAbs = plain.map((p) => path.resolve(io.cwd, p));
    const under = (f: string, dir: string): boolean => f === dir || f.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
    found.files = found.files.filter((f) => {
      const slashed = f.split(path.sep).join('/');
      const hit = globs.filter((g) => g.match(slashed));
      for (const g of hit) g.hits++;
      return hit.length > 0 || plainAbs.some((d) => under(f, d));
    });
    for (const g of globs.filter((x) => x.hits === 0)) {
      io.stderr(`dockerlint: no Dockerfile matches ${escapeControl(g.glob)}\n`);
      if (args['error-on-unmatched-pattern'] !== false) inputProblems++;
    }
  }
  const findings: Finding[] = [...configProblems];
  for (const p of found.problems) {
    if (p.severity === 'warning') {
      findings.push(spanFinding('input-error', 'warning', p.path, { line: 1, column: 1, endLine: 1, endColumn: 1 }, p.message));
      continue;
    }
    io.stderr(`dockerlint: ${escapeControl(p.path)}: ${escapeControl(p.message)}\n`);
    // As ESLint: a path that does not exist is an unmatched pattern, forgiven (still said) by
    // --no-error-on-unmatched-pattern.
    if (!p.missing || args['error-on-unmatched-pattern'] !== false) inputProblems++;
  }
  const named = new Set(onDisk.map((p) => path.resolve(io.cwd, p)));
  // `ignore` globs apply to what folder walks find; a file named on the command line is linted.
  for (const f of found.files) {
    const root = found.roots.get(f);
    if (named.has(f) || !matchers.isIgnored(f)) inputs.push(root ? { path: f, root } : { path: f });
  }
  if (inputs.length === 0 && found.problems.length === 0 && globs.every((g) => g.hits > 0)) {
    io.stderr(`dockerlint: no Dockerfile found in ${paths.map(escapeControl).join(', ')}\n`);
    // As ESLint: an error (exit 2) unless --no-error-on-unmatched-pattern.
    if (args['error-on-unmatched-pattern'] !== false) inputProblems++;
  }
  if (args.shard !== undefined) {
    const { parseShard, inShard } = await import('./shard.js');
    const shard = parseShard(String(args.shard));
    if (!shard) throw new UsageError(`--shard ${String(args.shard)}: expected i/n with 1 <= i <= n, e.g. --shard 2/4`);
    inputs.splice(0, inputs.length, ...inputs.filter((i) => inShard(i, shard)));
    // What is not about one Dockerfile (the configuration, a folder the walk could not read) is
    // reported by shard 1 only, so that merged shards have it once.
    if (shard.index !== 1) findings.splice(0, findings.length);
  }

  const stdinFile = args['stdin-filename'] as string | undefined;
  if (stdinFile !== undefined && !fromStdin) throw new UsageError('--stdin-filename names standard input: give - as well');
  // Standard input alone, named: its folder is the build context (as for the file it stands for).
  const contextDir = args.context
    ? path.resolve(io.cwd, String(args.context))
    : stdinFile !== undefined && onDisk.length === 0
      ? path.dirname(path.resolve(io.cwd, stdinFile))
      : null;
  if (contextDir && !isDirectory(contextDir)) throw new UsageError(`--context ${String(args.context ?? contextDir)}: no such folder`);
  const setup: WorkerSetup = {
    cwd: io.cwd,
    severities,
    reportUnusedSuppressions: !!args['report-unused-suppressions'],
    target: args.target ? String(args.target) : null,
    context: contextDir,
    config,
    configFile,
    configLines,
    maxFileBytes,
    shellcheck: (args.shellcheck as boolean | undefined) ?? config.shellcheck ?? false,
  };
  const dryRun = !!args['fix-dry-run'];
  if (args.fix || dryRun) {
    if (fromStdin) throw new UsageError('--fix and --fix-dry-run work on files, not on standard input');
    return fixCommand(io, inputs, setup, findings, {
      dryRun,
      unsafe: !!args['unsafe-fixes'],
      rules: args['fix-rule'] === undefined ? null : new Set(list(args['fix-rule']).flatMap((id) => known(id.trim(), '--fix-rule'))),
      pairs,
      color,
      threshold,
      maxWarnings,
      inputProblems,
    });
  }
  if (args['unsafe-fixes'] || args['fix-rule'] !== undefined) throw new UsageError('--unsafe-fixes and --fix-rule go with --fix or --fix-dry-run');

  const machineOnStdout = pairs.some((p) => !p.output && !['stylish', 'compact'].includes(p.format));
  const progress = new Progress(io, inputs.length, !!io.stderrTTY && !io.env.CI && !machineOnStdout);
  const onDone = (i: LintInput): void => progress.update(i.path === '-' ? '-' : path.relative(io.cwd, i.path));
  // A run over many Dockerfiles (worker threads): V8 grows each thread's heap to 2x what its
  // last full collection kept, not up to 4x (3,000 contexts: 2.5x straddled the 300 MB target,
  // 261-332 MB over nine runs; 2x 244-273 MB at about the same CPU; docs/performance.md). Set by
  // the command line for its own process; the engine API leaves its host's heap alone.
  // bin/dockerlint.cjs sets the same value before it loads the bundle (its code cache is written
  // under it, and the worker threads would otherwise find a flag the cache was not written with).
  if (workerCount(inputs.length, io.env) > 0) setFlagsFromString('--heap-growing-percent=100');
  const linter = await createLinter(args.cache ? { ...setup, recordReads: true } : setup);
  const run = args.cache
    ? await (await import('./cache.js')).lintCached(linter, inputs, {
        cwd: io.cwd,
        root: inputs.find((i) => i.root)?.root ?? rootArg ?? repositoryRoot(io.cwd),
        location: args['cache-location'] as string | undefined,
        key: { version: VERSION, rules: RULES.map((r) => r.id), options: setup },
        env: io.env,
        onDone,
        note: io.stderr,
        ...(listings ? { listings } : {}),
      })
    : await linter.lint(inputs, { env: io.env, onDone });
  progress.done();
  // Not splice(..., ...list): a run may have more findings than a call takes arguments.
  let all = uniqueSorted([...findings, ...run.findings]);
  // --quiet: errors only, in the output and in the exit code.
  if (args.quiet) all = all.filter((f) => f.severity === 'error');
  // --stdin-filename: the name standard input's findings are shown under.
  if (stdinFile !== undefined) all = all.map((f) => renameStdin(f, stdinFile));
  findings.length = 0;
  for (const f of all) findings.push(f);

  for (const { format: name, output } of pairs) {
    const text = await format(name as Format, findings, { color: output ? false : color, version: VERSION, cwd: io.cwd, paths: await reportPaths(name, io) });
    if (output) writeOutput(io, output, text);
    else io.stdout(text);
  }
  // In GitHub Actions, the human output also becomes annotations on the pull request.
  if (io.env.GITHUB_ACTIONS === 'true' && !pairs.some((p) => p.format === 'github') && pairs.some((p) => p.format === 'stylish' && !p.output)) {
    io.stdout(await format('github', findings, { color: false, version: VERSION, cwd: io.cwd, paths: await reportPaths('github', io) }));
  }
  return exitCode(findings, inputProblems, threshold, maxWarnings);
}

/** For the formats whose paths are relative to the repository root: where that is. */
async function reportPaths(name: string, io: CliIo): Promise<{ cwd: string; root: string } | undefined> {
  if (!['sarif', 'github', 'gitlab'].includes(name)) return undefined;
  const { sourceRoot } = await import('./reporters/source-root.js');
  return { cwd: io.cwd, root: sourceRoot(io.cwd, io.env) };
}

/**
 * `[120/1000] services/api/Dockerfile` on stderr, rewritten in place, once a run has taken about a
 * second; cleared at the end. Only on a terminal: never in CI logs, pipes or machine formats.
 */
class Progress {
  private readonly start = Date.now();
  private done_ = 0;
  private shown = false;
  private lastDraw = 0;

  constructor(
    private readonly io: CliIo,
    private readonly total: number,
    private readonly enabled: boolean,
  ) {}

  update(current: string): void {
    if (!this.enabled) return;
    const now = Date.now();
    this.done_++;
    if (now - this.start < 1000 || now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.shown = true;
    const cols = 100;
    const line = `[${this.done_}/${this.total}] ${escapeControl(current)}`;
    this.io.stderr(`\r\x1b[K${line.length > cols ? `${line.slice(0, cols - 1)}…` : line}`);
  }

  done(): void {
    if (this.shown) this.io.stderr('\r\x1b[K');
  }
}

/** The folder the configuration search starts from: a linted folder itself, or a file's folder. */
function configStartDir(p: string): string {
  try {
    return fs.statSync(p).isDirectory() ? p : path.dirname(p);
  } catch {
    return path.dirname(p);
  }
}

function exitCode(findings: Finding[], inputProblems: number, threshold: Threshold, maxWarnings?: number): number {
  if (inputProblems > 0 || findings.some((f) => f.rule === 'input-error' && f.severity === 'error')) return 2;
  if (threshold !== 'none' && findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold])) return 1;
  if (maxWarnings !== undefined && findings.filter((f) => f.severity === 'warning').length > maxWarnings) return 1;
  return 0;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function renameStdin(f: Finding, name: string): Finding {
  const rename = (file: string): string => (file === '-' ? name : file);
  return mapFindingPaths(f, rename);
}

function parseRuleOptions(rules: string[], ignored: string[]): Selection {
  const out: Required<Pick<Selection, 'rules' | 'categories'>> = { rules: {}, categories: {} };
  for (const r of rules) {
    const m = /^(category:)?([A-Za-z0-9-]+(?:\/SC[0-9]{4})?)=(off|info|warning|warn|error)$/.exec(r.trim());
    if (!m) throw new UsageError(`--rule ${r}: expected id=off|info|warning|error or category:<name>=...`);
    // `warn` as ESLint and hadolint spell it.
    const setting = (m[3] === 'warn' ? 'warning' : m[3]) as Severity | 'off';
    if (m[1]) {
      const name = m[2] as string;
      if (!Object.hasOwn(CATEGORIES, name)) throw new UsageError(`--rule ${r}: unknown category; one of ${Object.keys(CATEGORIES).join(', ')}`);
      out.categories[name as Category] = setting;
    } else for (const id of known(m[2] as string, '--rule')) out.rules[id] = setting;
  }
  for (const name of ignored) for (const id of known(name.trim(), '--ignore-rule')) out.rules[id] = 'off';
  return out;
}

/** The rules a name given on the command line stands for: a rule id, or a hadolint/BuildKit code. */
function known(name: string, flag: string): string[] {
  const ids = ruleIdsFor(name);
  if (!ids) throw new UsageError(`${flag} ${name}: unknown rule; see dockerlint --list-rules`);
  return ids;
}

/**
 * `--list-rules`: a table, or (`--format json`) every rule's metadata, then the pseudo-rules'.
 * `effectiveSeverity` (the table's severity column) is what this run gives the rule: the preset,
 * the configuration and the flags; `severity` is the rule's default.
 */
async function listRules(json: boolean, effective: Record<string, Severity | 'off'>): Promise<string> {
  const { DIAGNOSTICS } = await import('./rules/index.js');
  const { ruleDocUrl } = await import('./meta.js');
  if (json) {
    const peers = (r: DiagnosticMeta): Record<string, Peer[]> => Object.fromEntries((['hadolint', 'buildkit', 'shellcheck'] as const).map((t) => [t, peersOf(r, t)]));
    const rules = RULES.map((r) => ({
      id: r.id,
      kind: 'rule',
      severity: r.severity,
      effectiveSeverity: effective[r.id] ?? r.severity,
      category: r.category,
      recommended: r.recommended,
      fixable: r.fixable,
      title: r.title,
      url: ruleDocUrl(r.id),
      peers: peers(r),
      messages: r.messages,
      options: r.options ?? null,
      scope: r.scope ?? 'image',
      docs: r.docs,
    }));
    const diagnostics = DIAGNOSTICS.map((d) => ({ id: d.id, kind: 'diagnostic', severity: d.severity, category: d.category, recommended: true, fixable: false, title: d.title, url: ruleDocUrl(d.id), peers: peers(d), docs: d.docs }));
    return `${escapeJson(JSON.stringify([...rules, ...diagnostics], null, 2))}\n`;
  }
  const width = Math.max(...RULES.map((r) => r.id.length));
  const cat = Math.max(...RULES.map((r) => r.category.length));
  // The peers' codes: hadolint's and ShellCheck's as they are, BuildKit's named; `~` marks a
  // related check that is not an equivalent.
  const peerText = (r: (typeof RULES)[number]): string =>
    (['hadolint', 'buildkit', 'shellcheck'] as const)
      .flatMap((t) => peersOf(r, t).map((p) => `${p.code}${p.equivalent === false ? '~' : ''}`))
      .join(' ');
  const row = (r: (typeof RULES)[number]): string => {
    const now = effective[r.id] ?? r.severity;
    const peers = peerText(r);
    return `${r.id.padEnd(width)}  ${now.padEnd(7)}  ${r.category.padEnd(cat)}  ${r.recommended ? 'recommended' : 'all        '}  ${r.title}${now !== r.severity ? ` (default: ${r.severity})` : ''}${peers ? `  [${peers}]` : ''}`;
  };
  return `${RULES.map(row).join('\n')}\n\npreset: recommended = on by default, all = only with --preset all or its own setting; [codes]: the hadolint, BuildKit and ShellCheck checks it stands for (~ related, not an equivalent)\n`;
}

interface FixFlags {
  dryRun: boolean;
  unsafe: boolean;
  rules: ReadonlySet<string> | null;
  pairs: { format: string; output: string | null }[];
  color: boolean;
  threshold: Threshold;
  maxWarnings: number | undefined;
  inputProblems: number;
}

/**
 * `--fix` and `--fix-dry-run`: on the main thread (the fixed files live in its memory until they
 * are written). A dry run prints the diff on stdout and exits 1 when it would change something;
 * `--fix` writes, prints what is left in the chosen format and exits as a lint would.
 */
async function fixCommand(io: CliIo, inputs: LintInput[], setup: WorkerSetup, before: Finding[], flags: FixFlags): Promise<number> {
  const { runFixCommand } = await import('./fix/command.js');
  const { lintOne } = await createLinter(setup);
  const result = await runFixCommand({
    cwd: io.cwd,
    dryRun: flags.dryRun,
    unsafe: flags.unsafe,
    rules: flags.rules,
    inputs,
    lint: (input, fsys, filesRead) => lintOne(input, { fs: fsys, filesRead }),
  });
  for (const line of result.summary) io.stderr(`${escapeControl(line)}\n`);
  if (flags.dryRun) {
    io.stdout(result.diff);
    return result.loop.changed.length > 0 ? 1 : flags.inputProblems > 0 ? 2 : 0;
  }
  const findings = uniqueSorted([...before, ...result.findings]);
  for (const { format: name, output } of flags.pairs) {
    const text = await format(name as Format, findings, { color: output ? false : flags.color, version: VERSION, cwd: io.cwd, paths: await reportPaths(name, io) });
    if (output) writeOutput(io, output, text);
    else io.stdout(text);
  }
  if (result.failures.length > 0) return 2;
  return exitCode(findings, flags.inputProblems, flags.threshold, flags.maxWarnings);
}
