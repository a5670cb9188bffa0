/**
 * The lint pipeline for one Dockerfile: read, parse, model the image, follow the entrypoint,
 * run the rules. Every failure becomes a finding with a file and a line; nothing here throws.
 */
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import type { ComposeIndex } from './compose.js';
import type { BaseImageFacts } from './model/base-images.js';
import { compareFindings, spanFinding, type Finding, type Related, type Severity } from './findings.js';
import { ContextFs } from './model/context-fs.js';
import { ImageFs } from './model/image-fs.js';
import { buildImageModel, targetStage, type ImageModel, type Stage } from './model/image.js';
import { inlineUnit, resolveLaunch, type Launch, type LaunchEnv, type ScriptUnit } from './model/launch.js';
import { ShellService } from './model/shell-service.js';
import { parseDockerfile, type DockerfileAst } from './parsers/dockerfile.js';
import { SourceFile, type MappedText, type Span } from './parsers/source.js';
import { DIAGNOSTIC_IDS, RULES } from './rules/index.js';
import { applySuppressions, dockerfileSuppressions, scriptSuppressions, type FileSuppressions } from './suppressions.js';
import { collectRunFacts, type RunFacts } from './model/run-facts.js';
import { isCertainlyMissing } from './rules/entrypoint-not-found.js';
import type { Report, Rule, RuleContext } from './rules/rule.js';
import { DEFAULT_MAX_FILE_BYTES, formatSize } from './config/schema.js';


export interface LintOptions {
  cwd: string;
  /** Build context folder; default: the Dockerfile's folder (the current folder for stdin). */
  context?: string;
  /** `--target`: lint this stage instead of the last one. */
  target?: string;
  /** Severity per rule id; `off` disables it. */
  severities?: Record<string, Severity | 'off'>;
  shell?: ShellService;
  /** docker-compose files that may name a Dockerfile's build context. */
  compose?: ComposeIndex;
  /** Report `# dockerlint ignore=` comments that suppress nothing. */
  reportUnusedSuppressions?: boolean;
  /** Facts about base images from the configuration (`trustedBaseImages`), before the built-in table. */
  baseImageFacts?: (ref: string) => BaseImageFacts | null;
  /** Files larger than this are not read (`maxFileSize`, `--max-file-size`); default 4 MB. */
  maxFileBytes?: number;
}

export interface LintInput {
  /** Absolute path, or `-` for stdin (then `text` is set). */
  path: string;
  text?: string;
}

const WHOLE_FILE: Span = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/** A path as shown to users: relative to the current folder, unless it lies far outside it. */
export function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  if (rel === '') return '.';
  const farOutside = rel.startsWith('..') && rel.split(path.sep).length > 4;
  return farOutside ? abs : rel.split(path.sep).join('/');
}

function tooLarge(size: number, limit: number): string {
  return `file is ${formatSize(size)}, larger than the ${formatSize(limit)} limit (maxFileSize in the configuration, or --max-file-size)`;
}

/**
 * Decodes file bytes, or says why they are not a text file dockerlint can read. A byte order
 * mark is kept (a script that starts with one cannot be exec'd: entrypoint-shebang says so);
 * `badUtf8Line` is the first line that is not valid UTF-8 (its bytes become U+FFFD).
 */
export function decodeText(bytes: Buffer, maxBytes = DEFAULT_MAX_FILE_BYTES): { text: string; badUtf8Line: number | null } | { problem: string } {
  if (bytes.length > maxBytes) return { problem: tooLarge(bytes.length, maxBytes) };
  const head = bytes.subarray(0, 8000);
  if (head.includes(0)) return { problem: 'binary file (it contains NUL bytes), not a text file' };
  return { text: bytes.toString('utf8'), badUtf8Line: isUtf8(bytes) ? null : firstBadUtf8Line(bytes) };
}

/** 1-based line of the first invalid UTF-8 sequence (a newline byte never occurs inside one). */
function firstBadUtf8Line(bytes: Buffer): number {
  let line = 1;
  for (let start = 0; start <= bytes.length; line++) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    if (!isUtf8(bytes.subarray(start, end))) return line;
    start = end + 1;
  }
  return 1;
}

export async function lintFile(input: LintInput, options: LintOptions): Promise<Finding[]> {
  const read = readInput(input, options);
  if (Array.isArray(read)) return read;
  const { file, notes } = read;
  try {
    return [...notes, ...(await lintSource(file, input, options))];
  } catch (e) {
    // A bug in dockerlint must not hide the other files' findings; say what failed, where.
    return [
      spanFinding('input-error', 'error', file.displayPath, WHOLE_FILE, `internal error while linting this file: ${e instanceof Error ? e.message : String(e)} (please report it)`),
    ];
  }
}

/** Everything the rules (and `explain`) look at for one Dockerfile. */
export interface Prepared {
  file: SourceFile;
  ast: DockerfileAst;
  model: ImageModel;
  stage: Stage;
  env: LaunchEnv;
  shell: ShellService;
  launch: Launch;
}

/**
 * Reads, parses and models one Dockerfile and follows its entrypoint. Returns the findings that
 * stop the work (empty file, no FROM, unknown --target) instead when there are any.
 */
async function prepare(
  file: SourceFile,
  input: LintInput,
  options: LintOptions,
  findings: Finding[],
): Promise<Prepared | null> {
  const ast = parseDockerfile(file);
  for (const p of ast.problems) findings.push(spanFinding('syntax-error', 'error', file.displayPath, p.span, p.message));
  if (ast.instructions.length === 0) {
    findings.push(spanFinding('input-error', 'error', file.displayPath, WHOLE_FILE, 'empty Dockerfile: it has no instructions, so `docker build` fails'));
    return null;
  }
  const model = buildImageModel(ast);
  if (model.stages.length === 0) {
    const first = ast.instructions[0];
    findings.push(
      spanFinding('input-error', 'error', file.displayPath, first ? first.keywordSpan : WHOLE_FILE, 'no FROM instruction: this is not a Dockerfile `docker build` can use'),
    );
    return null;
  }
  const stage = targetStage(model, options.target);
  if (!stage) {
    findings.push(spanFinding('input-error', 'error', file.displayPath, WHOLE_FILE, `--target ${options.target}: no stage of that name`));
    return null;
  }

  const composed = !options.context && input.path !== '-' ? options.compose?.contextFor(input.path) : null;
  const contextDir = options.context
    ? path.resolve(options.cwd, options.context)
    : input.path === '-'
      ? options.cwd
      : (composed?.context ?? path.dirname(input.path));
  const context = new ContextFs(contextDir, input.path === '-' ? null : input.path);
  const shell = options.shell ?? new ShellService();
  const env: LaunchEnv = {
    fs: new ImageFs(context),
    shell,
    dockerfile: file,
    ...(options.baseImageFacts ? { baseImageFacts: options.baseImageFacts } : {}),
    displayPath: (rel) => displayPath(path.join(contextDir, rel), options.cwd),
    readContext: (rel) => {
      const bytes = context.readBytes(rel);
      const decoded = decodeText(bytes, options.maxFileBytes);
      if ('problem' in decoded) throw new Error(`${rel}: ${decoded.problem}`);
      return decoded.text;
    },
  };
  // Symlinks made by RUN (`ln -s`) lead to scripts too; RUNs are parsed only when one mentions ln.
  if (hasLinkingRun(stage)) {
    const facts = await collectRunFacts(stage, shell);
    env.symlinks = facts.symlinks.map((l) => ({ target: l.target, link: l.link }));
  }
  const launch = await resolveLaunch(stage, env, model.stages.length);
  return { file, ast, model, stage, env, shell, launch };
}

function hasLinkingRun(stage: Stage): boolean {
  for (let s: Stage | null = stage; s; s = s.baseStage) {
    if (s.instructions.some((i) => i.keyword === 'RUN' && /\bln\s+-[a-zA-Z]*s/.test(i.rest.text))) return true;
  }
  return false;
}

/**
 * Reads a Dockerfile (or stdin text) into a SourceFile, with what is worth saying about how it was
 * read; or the findings that say why it cannot be.
 */
function readInput(input: LintInput, options: LintOptions): { file: SourceFile; notes: Finding[] } | Finding[] {
  const shown = input.path === '-' ? '-' : displayPath(input.path, options.cwd);
  const inputError = (message: string): Finding[] => [spanFinding('input-error', 'error', shown, WHOLE_FILE, message)];
  const notes: Finding[] = [];
  let text = input.text;
  if (text === undefined) {
    let bytes: Buffer;
    try {
      const st = fs.statSync(input.path);
      if (st.isDirectory()) return inputError('is a folder, not a Dockerfile');
      const limit = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
      if (st.size > limit) return inputError(`${tooLarge(st.size, limit)}; not linted`);
      bytes = fs.readFileSync(input.path);
    } catch (e) {
      return inputError(`cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const decoded = decodeText(bytes, options.maxFileBytes);
    if ('problem' in decoded) return inputError(decoded.problem);
    text = decoded.text;
    if (decoded.badUtf8Line !== null) {
      const line = decoded.badUtf8Line;
      notes.push(
        spanFinding('input-error', 'warning', shown, { line, column: 1, endLine: line, endColumn: 1 }, `not valid UTF-8 from line ${line} on: BuildKit reads Dockerfiles as UTF-8, and dockerlint read the invalid bytes as U+FFFD, so paths and words with them may not match what the build sees; save the file as UTF-8`),
      );
    }
  }
  // BuildKit ignores a byte order mark at the start of a Dockerfile.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { file: new SourceFile(shown, text), notes };
}

/** The launch model of one Dockerfile, for `dockerlint explain`; or the findings that stop it. */
export async function launchOf(input: LintInput, options: LintOptions): Promise<Prepared | Finding[]> {
  const read = readInput(input, options);
  if (Array.isArray(read)) return read;
  const { file } = read;
  const findings: Finding[] = [];
  const prepared = await prepare(file, input, options, findings);
  return prepared ?? findings;
}

async function lintSource(file: SourceFile, input: LintInput, options: LintOptions): Promise<Finding[]> {
  const findings: Finding[] = [];
  const prepared = await prepare(file, input, options, findings);
  if (!prepared) return findings;
  const { ast, model, stage, env, shell, launch } = prepared;
  for (const unit of launch.scripts) {
    if (unit.syntaxError) {
      const err = unit.syntaxError;
      findings.push(
        spanFinding(
          'syntax-error',
          'error',
          unit.source.file.displayPath,
          unit.source.spanOf(err.p, err.p),
          `shell syntax error (as ${unit.interpreter}): ${err.message}; the entrypoint checks (missing-exec-args, root-process, su-sudo, gosu-without-exec, gosu-needs-root, entrypoint-no-exec) were skipped for this script`,
        ),
      );
    }
  }
  // What the evaluator could not follow, said once each, as information: the checks that needed
  // it were skipped. (A script that is certainly missing is entrypoint-not-found's finding.)
  const said = new Set<string>();
  const info = (f: string, span: Span, message: string): void => {
    const key = `${f}:${span.line}:${message}`;
    if (said.has(key)) return;
    said.add(key);
    findings.push(spanFinding('input-error', 'info', f, span, message));
  };
  let runFacts: Promise<RunFacts> | null = null;
  const facts = (): Promise<RunFacts> => (runFacts ??= collectRunFacts(stage, shell));
  for (const run of Object.values(launch.runs)) {
    for (const chain of run.chains) {
      for (const step of chain.hops) {
        if ((step.kind === 'script' || step.kind === 'shell') && step.run) {
          for (const u of step.run.unknownSources) {
            info(u.ref.file.path, u.ref.file.spanOf(u.ref.stmt.p, u.ref.stmt.p), `cannot follow \`. ${u.path}\`: the image does not get it from the build context (or its path is computed at runtime), so its commands were not analysed`);
          }
          if (step.run.budget) {
            info(step.unit.source.file.displayPath, step.unit.source.spanOf([1, 1, 0], [1, 1, 0]), `the analysis of this script stopped early (${step.run.budget}); the entrypoint checks say nothing about what it could not follow`);
          }
        }
        // A hop that a script's exec reaches through an unknown value is unknown, and not news.
        if (step.kind !== 'unknown' || run.kind !== 'default' || step.at.file !== file.displayPath) continue;
        if (step.missing !== undefined && (await isCertainlyMissing(step.missing, stage, await facts()))) continue;
        info(step.at.file, step.at.span, `cannot follow ${step.at.label}: ${step.reason}; the entrypoint checks were skipped for it`);
      }
    }
    if (run.truncated && run.kind === 'default' && !run.chains.some((c) => c.hops.some((h) => (h.kind === 'script' || h.kind === 'shell') && h.run?.budget))) {
      info(file.displayPath, stage.from.keywordSpan, `the start-up analysis stopped early (${run.truncated}); the entrypoint checks say nothing about what it could not follow`);
    }
  }

  // RUN texts and shell-form strings: the same parse-and-analyse as every other script.
  const parseInline = (text: MappedText, interpreter = 'sh'): Promise<ScriptUnit> =>
    inlineUnit(text.text, text, interpreter, { file: file.displayPath, span: text.spanOf(0, 0), label: 'RUN' }, env, stage);

  for (const rule of RULES) {
    const severity = options.severities?.[rule.id] ?? rule.severity;
    if (severity === 'off') continue;
    const ctx: RuleContext = {
      dockerfile: ast,
      model,
      stage,
      launch,
      env,
      parseInline,
      runFacts: facts,
      report: (r) => findings.push(toFinding(rule, severity, r)),
    };
    try {
      await rule.check(ctx);
    } catch (e) {
      findings.push(
        spanFinding('input-error', 'error', file.displayPath, WHOLE_FILE, `internal error in rule ${rule.id}: ${e instanceof Error ? e.message : String(e)} (please report it)`),
      );
    }
  }
  // Suppression comments of the Dockerfile and of the scripts it starts.
  const byFile = new Map<string, FileSuppressions>();
  byFile.set(file.displayPath, dockerfileSuppressions(ast));
  for (const unit of launch.scripts) {
    if (unit.kind === 'file' && unit.ast) {
      byFile.set(unit.source.file.displayPath, scriptSuppressions(unit.source.file.displayPath, unit.source.text, unit.ast));
    }
  }
  const off = new Set(Object.entries(options.severities ?? {}).filter(([, v]) => v === 'off').map(([k]) => k));
  return applySuppressions(dedupe(findings), byFile, {
    reportUnused: options.reportUnusedSuppressions ?? false,
    knownIds: KNOWN_IDS,
    offIds: off,
  }).sort(compareFindings);
}

const KNOWN_IDS = new Set<string>([...RULES.map((r) => r.id), ...DIAGNOSTIC_IDS]);

function toFinding(rule: Rule, severity: Severity, r: Report): Finding {
  const related: Related[] = (r.chain ?? []).map((c) => ({ file: c.file, line: c.span.line, column: c.span.column, message: c.label }));
  related.push({ file: r.at.file, line: r.at.span.line, column: r.at.span.column, message: r.label ?? '' });
  return spanFinding(rule.id, severity, r.at.file, r.at.span, r.message, r.hint ?? null, related);
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}|${f.file}|${f.line}|${f.column}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
