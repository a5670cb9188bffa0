/**
 * The GitHub Action (`action.yml`): reads the inputs the runner passes as `INPUT_*` environment
 * variables, runs the dockerlint command line in-process, and then does what only an Action can:
 * step outputs (`GITHUB_OUTPUT`), a job summary (`GITHUB_STEP_SUMMARY`) and usage errors as
 * `::error::` workflow commands.
 *
 * GitHub names each variable `INPUT_` + the input name upper-cased, keeping hyphens:
 * `INPUT_PATH`, `INPUT_CONFIG`, `INPUT_FORMAT`, `INPUT_FAILURE-THRESHOLD`, `INPUT_SARIF-FILE`,
 * `INPUT_ANNOTATIONS`. An input that is not given is absent or empty.
 *
 * The log: the `format` input on stdout (default `github`: workflow commands, which the runner
 * turns into annotations). With `annotations: on` and another format, the annotations are printed
 * after it; with `annotations: off`, none are (a `github` format then prints `stylish`). GitHub shows
 * at most 10 annotations of each level per step: the summary says when findings go beyond that.
 *
 * `scripts/bundle-action.mjs` bundles this module with everything it imports into
 * `action/index.js` (committed, so the action needs no `npm install`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { main, VERSION, type CliIo } from './cli.js';
import type { Finding, Severity } from './findings.js';
import { ruleDocUrl } from './meta.js';
import { escapeControl } from './reporters/escape.js';
import { escapeData } from './reporters/github.js';

export interface ActionInputs {
  /** Files or folders to lint (the `path` input, one per line; default `.`). */
  paths: string[];
  config: string | null;
  format: string;
  failureThreshold: string | null;
  /** Where to write a SARIF report as well (for github/codeql-action/upload-sarif). */
  sarifFile: string | null;
  /** Annotations on the pull request (the `annotations` input, on/off; default on). */
  annotations: boolean;
  /** The `fix` input (on/off; default off): the diff `--fix-dry-run` would apply, in the summary. */
  fix: boolean;
}

type Env = Record<string, string | undefined>;

/** GitHub shows at most this many annotations of each level (error, warning, notice) per step. */
const ANNOTATION_LIMIT = 10;
/** Rows of the findings table and PID 1 diagrams in the job summary (its size limit is 1 MiB). */
const SUMMARY_ROWS = 200;
const SUMMARY_DIAGRAMS = 10;

class InputError extends Error {}

function input(env: Env, name: string): string | null {
  const value = env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`];
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

function onOff(env: Env, name: string, fallback: boolean): boolean {
  const value = input(env, name);
  if (value === null) return fallback;
  if (/^(on|true|yes|1)$/i.test(value)) return true;
  if (/^(off|false|no|0)$/i.test(value)) return false;
  throw new InputError(`input ${name}: expected on or off, got ${value}`);
}

export function readInputs(env: Env): ActionInputs {
  const paths = (input(env, 'path') ?? '.')
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return {
    paths: paths.length > 0 ? paths : ['.'],
    config: input(env, 'config'),
    format: input(env, 'format') ?? 'github',
    failureThreshold: input(env, 'failure-threshold'),
    sarifFile: input(env, 'sarif-file'),
    annotations: onOff(env, 'annotations', true),
    fix: onOff(env, 'fix', false),
  };
}

/** Files the action asks the CLI for besides the log; never written to disk (see runAction). */
export interface CapturedFiles {
  json: string;
  annotations: string | null;
}

/**
 * The dockerlint arguments for the inputs. The CLI pairs each `--output-file` with the
 * `--format` at the same position and prints the one format left without a file on stdout, so
 * the pairs come first and the log format last.
 */
export function actionArgv(inputs: ActionInputs, captured?: CapturedFiles): string[] {
  const argv: string[] = [];
  if (captured) argv.push('--format', 'json', '--output-file', captured.json);
  if (captured?.annotations) argv.push('--format', 'github', '--output-file', captured.annotations);
  if (inputs.sarifFile) argv.push('--format', 'sarif', '--output-file', inputs.sarifFile);
  argv.push('--format', logFormat(inputs));
  if (inputs.config) argv.push('--config', inputs.config);
  if (inputs.failureThreshold) argv.push('--failure-threshold', inputs.failureThreshold);
  // A path that starts with `-` must not be read as an option (and `-`, stdin, means nothing here).
  argv.push(...inputs.paths.map((p) => (p.startsWith('-') ? `./${p}` : p)));
  return argv;
}

function logFormat(inputs: ActionInputs): string {
  return inputs.format === 'github' && !inputs.annotations ? 'stylish' : inputs.format;
}

const processIo = (): CliIo => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  readStdin: async () => '',
  writeFile: (p, text) => fs.writeFileSync(p, text),
  isTTY: false,
  stderrTTY: false,
  cwd: process.cwd(),
  env: process.env,
});

/** Runs the action; resolves to the exit code for the step (0 pass, 1 findings, 2 could not lint). */
export async function runAction(env: Env = process.env, io: CliIo = processIo()): Promise<number> {
  const cwd = io.cwd;
  const command = (kind: 'error' | 'warning', message: string): void => io.stdout(`::${kind} title=dockerlint::${escapeData(message)}\n`);
  let inputs: ActionInputs;
  try {
    inputs = readInputs(env);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    command('error', e.message);
    return 2;
  }
  if (inputs.sarifFile) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(cwd, inputs.sarifFile)), { recursive: true });
    } catch (e) {
      command('error', `cannot create the folder of sarif-file ${inputs.sarifFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return 2;
    }
  }

  // The CLI writes the JSON findings (and the annotations, when they are not the log) to these
  // names; this io keeps them in memory instead.
  const key = `.dockerlint-action-${process.pid}-${Date.now()}`;
  const captured: CapturedFiles = {
    json: path.join(cwd, `${key}.json`),
    annotations: inputs.annotations && inputs.format !== 'github' ? path.join(cwd, `${key}.annotations`) : null,
  };
  const memory = new Map<string, string>();
  let stderr = '';
  const cliIo: CliIo = {
    ...io,
    stderr: (s) => (stderr += s),
    writeFile: (p, text) => (p === captured.json || p === captured.annotations ? memory.set(p, text) : io.writeFile(p, text)),
    // The action prints the annotations itself (or not, with annotations: off).
    env: { ...io.env, GITHUB_ACTIONS: undefined },
  };
  const code = await main(actionArgv(inputs, captured), cliIo);
  if (captured.annotations && memory.has(captured.annotations)) io.stdout(memory.get(captured.annotations) ?? '');

  // The CLI's messages on stderr (a usage error, a file it could not read) become workflow
  // commands: errors when the run failed to lint (exit 2), warnings otherwise.
  for (const line of stderr.split('\n')) {
    const m = /^dockerlint: (.*)$/.exec(line);
    if (m?.[1]) command(code === 2 ? 'error' : 'warning', m[1]);
  }

  const json = memory.get(captured.json);
  const findings = json === undefined ? null : (JSON.parse(json) as Finding[]);
  const counts = countBySeverity(findings ?? []);
  // On stderr, so that stdout stays the format asked for (the log shows both).
  if (findings) io.stderr(`dockerlint: ${countText(counts)}\n`);

  const outputs: [string, string][] = [
    ['errors', String(counts.error)],
    ['warnings', String(counts.warning)],
    ['sarif-file', inputs.sarifFile && findings ? inputs.sarifFile : ''],
  ];
  const problems: string[] = [];
  const append = (variable: string, text: string): void => {
    const file = env[variable];
    if (!file) return;
    try {
      fs.appendFileSync(file, text);
    } catch (e) {
      problems.push(`cannot write ${variable} (${file}): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  };
  append('GITHUB_OUTPUT', outputs.map(([k, v]) => `${k}=${v}\n`).join(''));
  if (env.GITHUB_STEP_SUMMARY) {
    const diagrams = findings ? await pid1Diagrams(findings, io, inputs.config) : [];
    const fixes = findings && inputs.fix ? await dryRunFixes(inputs, io) : undefined;
    append('GITHUB_STEP_SUMMARY', jobSummary({ findings, counts, code, annotations: inputs.annotations, diagrams, messages: stderr, ...(fixes === undefined ? {} : { fixes }) }));
  }
  for (const p of problems) command('warning', p);
  return code;
}

type Counts = Record<Severity, number>;

function countBySeverity(findings: Finding[]): Counts {
  const counts: Counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function countText(c: Counts): string {
  return `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.info, 'note')}`;
}

/**
 * Text from linted files (names, messages quoting script lines) in Markdown: every character that
 * Markdown or HTML give a meaning to becomes a numeric entity, so a file name can neither format
 * nor link (`:` and `@` too: GitHub links `https://...`, `www.` and e-mail addresses by itself) nor
 * end a table cell; control characters are shown as `\xNN`.
 */
function markdownText(text: string): string {
  return escapeControl(text.replace(/\r?\n/g, ' '))
    .replace(/[\\`*_{}[\]<>()#+!|~&"@:$]/g, (ch) => `&#${ch.charCodeAt(0)};`)
    .replace(/(www)\./gi, '$1&#46;');
}

/** The Dockerfile that starts a finding's chain (the finding's own file for a Dockerfile finding). */
function dockerfileOf(f: Finding): string {
  return f.related[0]?.file ?? f.file;
}

interface Diagram {
  dockerfile: string;
  mermaid: string | null;
}

/** The PID 1 chain of each image with findings, from `dockerlint explain --format mermaid`. */
async function pid1Diagrams(findings: Finding[], io: CliIo, config: string | null): Promise<Diagram[]> {
  const files = [...new Set(findings.map(dockerfileOf))].filter((f) => f !== '-').slice(0, SUMMARY_DIAGRAMS);
  const diagrams: Diagram[] = [];
  for (const dockerfile of files) {
    let out = '';
    const argv = ['explain', dockerfile, '--format', 'mermaid', ...(config ? ['--config', config] : [])];
    const code = await main(argv, { ...io, stdout: (s) => (out += s), stderr: () => undefined });
    diagrams.push({ dockerfile, mermaid: code === 0 && out.startsWith('flowchart') ? out : null });
  }
  return diagrams;
}

/** What `dockerlint --fix-dry-run` would change (the `fix` input): a unified diff, or null. */
async function dryRunFixes(inputs: ActionInputs, io: CliIo): Promise<string | null> {
  let diff = '';
  const argv = ['--fix-dry-run', '--no-color', ...(inputs.config ? ['--config', inputs.config] : []), ...inputs.paths.map((p) => (p.startsWith('-') ? `./${p}` : p))];
  await main(argv, { ...io, stdout: (s) => (diff += s), stderr: () => undefined, env: { ...io.env, GITHUB_ACTIONS: undefined } });
  return diff.trim() === '' ? null : diff;
}

/** A fenced code block that no backtick run in `text` can close. */
export function codeBlock(lang: string, text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  const lines = text.replace(/\n$/, '').split('\n').map(escapeControl);
  return `${ticks}${lang}\n${lines.join('\n')}\n${ticks}`;
}

/** The summary's diff is cut here (the summary of a step may be at most 1 MiB). */
const SUMMARY_DIFF_BYTES = 64 * 1024;

export interface SummaryInput {
  /** null: the run stopped before linting (a usage error). */
  findings: Finding[] | null;
  counts: Counts;
  code: number;
  annotations: boolean;
  diagrams: Diagram[];
  /** What the CLI said on stderr. */
  messages: string;
  /** With the `fix` input: the dry-run diff, or null when no fix applies; undefined without it. */
  fixes?: string | null;
}

/** The job summary, GitHub-flavoured Markdown (tables, alerts, mermaid code blocks). */
export function jobSummary(s: SummaryInput): string {
  const out: string[] = ['## dockerlint', ''];
  const messages = s.messages
    .split('\n')
    .map((l) => /^dockerlint: (.*)$/.exec(l)?.[1])
    .filter((m): m is string => !!m);
  if (s.findings === null) {
    out.push('> [!CAUTION]', '> dockerlint could not run:', ...messages.map((m) => `> ${markdownText(m)}`), '');
    return `${out.join('\n')}\n`;
  }
  const findings = s.findings;
  const files = new Set(findings.map((f) => f.file));
  const verdict = s.code === 0 ? 'passed' : s.code === 1 ? 'failed' : 'could not lint everything';
  out.push(
    findings.length === 0
      ? `**No problems found** (dockerlint ${VERSION}).`
      : `**${countText(s.counts)}** in ${plural(files.size, 'file')}: the check ${verdict} (dockerlint ${VERSION}).`,
    '',
  );
  if (messages.length > 0) out.push(...messages.map((m) => `- ${markdownText(m)}`), '');

  const levels: [Severity, string][] = [
    ['error', 'errors'],
    ['warning', 'warnings'],
    ['info', 'notices'],
  ];
  const over = levels.filter(([sev]) => s.counts[sev] > ANNOTATION_LIMIT);
  if (s.annotations && over.length > 0) {
    const what = over.map(([sev, name]) => `${s.counts[sev]} ${name}`).join(' and ');
    out.push(
      '> [!WARNING]',
      `> GitHub shows at most ${ANNOTATION_LIMIT} annotations of each level per step, and this run has ${what}: the rest have no annotation on the pull request. Every finding is in the table below (and in code scanning, if you upload the \`sarif-file\`).`,
      '',
    );
  }

  if (findings.length > 0) {
    out.push('### Findings by file', '', '| File | Line | Severity | Rule | Message |', '|---|---:|---|---|---|');
    for (const f of findings.slice(0, SUMMARY_ROWS)) {
      const message = f.message.length > 300 ? `${f.message.slice(0, 299)}…` : f.message;
      out.push(`| ${markdownText(f.file)} | ${f.line} | ${f.severity} | [${markdownText(f.rule)}](${ruleDocUrl(f.rule)}) | ${markdownText(message)} |`);
    }
    if (findings.length > SUMMARY_ROWS) out.push('', `…and ${findings.length - SUMMARY_ROWS} more (see the log or the SARIF report).`);
    out.push('');
  }

  if (s.fixes !== undefined) {
    out.push('### Automatic fixes (dry run)', '');
    if (s.fixes === null) {
      // The dry run shows the safe fixes only: say when unsafe ones exist, and how to apply them.
      const unsafe = findings.filter((f) => f.fix?.safety === 'unsafe').length;
      out.push(
        unsafe > 0
          ? `No finding here has a safe automatic fix, but ${plural(unsafe, 'finding has', 'findings have')} an unsafe one: it may change what the image does, so read it first with \`dockerlint --fix-dry-run --unsafe-fixes\`, then apply it locally with \`dockerlint --fix --unsafe-fixes\` (one rule at a time with \`--fix-rule <rule>\`).`
          : 'No finding here has an automatic fix: the messages say how to fix them.',
        '',
      );
    }
    else {
      const cut = s.fixes.length > SUMMARY_DIFF_BYTES;
      out.push('What `dockerlint --fix` would change (run it locally to apply):', '', codeBlock('diff', cut ? s.fixes.slice(0, SUMMARY_DIFF_BYTES) : s.fixes), '');
      if (cut) out.push(`The diff is cut at ${SUMMARY_DIFF_BYTES / 1024} KB; \`dockerlint --fix-dry-run\` prints all of it.`, '');
    }
  }

  if (s.diagrams.length > 0) {
    out.push('### PID 1 of each image with findings', '');
    for (const d of s.diagrams) {
      out.push(`<details><summary>${markdownText(d.dockerfile)}</summary>`, '');
      if (d.mermaid) out.push('```mermaid', d.mermaid.replace(/\n$/, ''), '```');
      else out.push('(dockerlint explain could not follow this image)');
      out.push('', '</details>', '');
    }
  }
  return `${out.join('\n')}\n`;
}
