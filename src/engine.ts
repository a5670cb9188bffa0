/**
 * The lint pipeline for one Dockerfile: read, parse, model the image, follow the entrypoint,
 * run the rules. Every failure becomes a finding with a file and a line; nothing here throws.
 */
import { isUtf8 } from 'node:buffer';
import path from 'node:path';
import type { ComposeIndex } from './compose.js';
import { isPlainOs, knownBaseImage, type BaseImageFacts } from './model/base-images.js';
import { compareFindings, displayPath, findingKey, spanFinding, type Finding, type FindingEdit, type FindingFix, type Fix, type Related, type Severity } from './findings.js';
import { BOM_START } from './fix/edits.js';
import { ContextFs } from './model/context-fs.js';
import { ImageFs } from './model/image-fs.js';
import { buildImageModel, rootStage, targetStage, type ImageModel, type Stage } from './model/image.js';
import { resolveLaunch, type Launch, type LaunchEnv, type ScriptUnit } from './model/launch.js';
import { DockerfileView } from './model/instructions.js';
import { MAX_STATES_PER_POINT } from './model/evaluator/state.js';
import { ShellService } from './model/shell-service.js';
import { parseDockerfile, type DockerfileAst } from './parsers/dockerfile.js';
import { SourceFile, type Span } from './parsers/source.js';
import { DIAGNOSTIC_IDS, RULES } from './rules/index.js';
import { applySuppressions, dockerfileSuppressions, scriptSuppressions, type FileSuppressions } from './suppressions.js';
import { collectRunFacts, sudoBuildStep, type RunFacts } from './model/run-facts.js';
import { collectRunWrites, mayWriteFiles } from './model/run-writes.js';
import { isCertainlyMissing } from './rules/entrypoint-not-found.js';
import { fillMessage, type Messages, type Report, type Rule, type RuleContext } from './rules/rule.js';
import { DEFAULT_MAX_FILE_BYTES, formatSize } from './config/schema.js';
import { FsError, type FileSystem } from './fs/file-system.js';
import { describeFsError, Jail, repositoryRoot } from './fs/jail.js';


export interface LintOptions {
  cwd: string;
  /** Build context folder; default: the Dockerfile's folder (the current folder for stdin). */
  context?: string;
  /** `--target`: lint this stage instead of the last one. */
  target?: string;
  /** Severity per rule id; `off` disables it. A rule not named here is on when its preset is. */
  severities?: Record<string, Severity | 'off'>;
  /** `recommended` (default): the rules right nearly every time; `all`: every rule. */
  preset?: 'recommended' | 'all';
  /** Options per rule id, laid over the rule's defaults. */
  ruleOptions?: Record<string, Record<string, unknown>>;
  shell?: ShellService;
  /** docker-compose files that may name a Dockerfile's build context. */
  compose?: ComposeIndex;
  /** Report `# dockerlint ignore=` comments that suppress nothing. */
  reportUnusedSuppressions?: boolean;
  /** Facts about base images from the configuration (`trustedBaseImages`), before the built-in table. */
  baseImageFacts?: (ref: string) => BaseImageFacts | null;
  /** Files larger than this are not read (`maxFileSize`, `--max-file-size`); default 4 MB. */
  maxFileBytes?: number;
  /** What the run reads through: the disk (default), or an overlay of unsaved buffers. */
  fs?: FileSystem;
  /**
   * The jail's root: nothing outside it is read, and a build context outside it is refused.
   * Default: the input's `root`, else the repository of the Dockerfile (its folder without one).
   */
  root?: string;
  /** Where `context` is written (configuration file and key), for the finding that refuses it. */
  contextOrigin?: { file: string | null; key: string; line?: number };
  /** Receives the real path of every file read (what a fix may edit). */
  filesRead?: Set<string>;
  /**
   * Give each shell-form RUN body and each entrypoint script to the host's `shellcheck` program
   * (`shellcheck: true`, `--shellcheck`); its findings are `shellcheck/SCxxxx`.
   */
  shellcheck?: boolean;
  /**
   * The time budget of one Dockerfile, in milliseconds (default 30 s): past it, the rules not run
   * yet are skipped and an info finding says so. Checked between rules.
   */
  timeBudgetMs?: number;
}

const DEFAULT_TIME_BUDGET_MS = 30_000;

export interface LintInput {
  /** Absolute path, or `-` for stdin (then `text` is set). */
  path: string;
  /** The content, when it is not read from the disk: stdin, or an editor's unsaved buffer of `path`. */
  text?: string;
  /** The jail's root for this input (see LintOptions.root). */
  root?: string;
}

/** The jail an input is linted in. */
function jailOf(input: LintInput, options: LintOptions): Jail {
  const root = input.root ?? options.root ?? repositoryRoot(input.path === '-' ? options.cwd : input.path, options.fs);
  return new Jail(root, options.fs, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
}

const WHOLE_FILE: Span = { line: 1, column: 1, endLine: 1, endColumn: 1 };


function tooLarge(size: number, limit: number): string {
  return `file is ${formatSize(size)}, larger than the ${formatSize(limit)} limit (maxFileSize in the configuration, or --max-file-size)`;
}

/**
 * Decodes file bytes, or says why they are not a text file dockerlint can read. A byte order
 * mark is kept (a script that starts with one cannot be exec'd: entrypoint-shebang says so);
 * `badUtf8Line` is the first line that is not valid UTF-8 (its bytes become U+FFFD).
 */
function decodeText(bytes: Buffer, maxBytes = DEFAULT_MAX_FILE_BYTES): { text: string; badUtf8Line: number | null } | { problem: string } {
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
  const jail = jailOf(input, options);
  const read = readInput(input, options, jail);
  if (Array.isArray(read)) return read;
  const { file, notes, texts } = read;
  try {
    return [...notes, ...(await lintSource(file, input, options, jail, texts, Date.now() + (options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS)))];
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
  view: DockerfileView;
  context: ContextFs;
}

/**
 * Where a file shows it is a template that a generator turns into a Dockerfile (jq, Go templates,
 * Jinja): its first instruction starts with `{{` or `{%`, or a FROM names its image with one. Neither
 * can build (`{{` is no instruction, nor part of an image reference), so nothing real is lost.
 */
function templateMarker(ast: DockerfileAst): { span: Span; why: string } | null {
  const first = ast.instructions[0];
  if (first && /^\{[{%]/.test(first.keyword)) return { span: first.keywordSpan, why: `its first instruction starts with \`${first.keyword.slice(0, 2)}\`` };
  for (const inst of ast.instructions) {
    if (inst.keyword === 'FROM' && /\{[{%]/.test(inst.rest.text)) return { span: inst.span, why: 'its FROM names the image with a template expression' };
  }
  return null;
}

/** A Dockerfile without FROM (a fragment): only the instruction-level rules run on it. */
interface Fragment {
  fragment: true;
  ast: DockerfileAst;
  model: ImageModel;
  env: LaunchEnv;
  view: DockerfileView;
  context: ContextFs;
}

/**
 * Reads, parses and models one Dockerfile and follows its entrypoint. Returns the findings that
 * stop the work (empty file, unknown --target) instead when there are any; a file without FROM
 * gets its error and comes back as a fragment.
 */
async function prepare(
  file: SourceFile,
  input: LintInput,
  options: LintOptions,
  findings: Finding[],
  jail: Jail,
  texts: FileTexts = new FileTexts(),
): Promise<Prepared | Fragment | null> {
  const ast = parseDockerfile(file);
  const template = templateMarker(ast);
  if (template) {
    findings.push(spanFinding('input-error', 'info', file.displayPath, template.span, `this is a template, not a Dockerfile (${template.why}): it was not linted; lint the Dockerfile generated from it`));
    return null;
  }
  for (const p of ast.problems) findings.push(spanFinding('syntax-error', 'error', file.displayPath, p.span, p.message));
  if (ast.instructions.length === 0) {
    findings.push(spanFinding('input-error', 'error', file.displayPath, WHOLE_FILE, 'empty Dockerfile: it has no instructions, so `docker build` fails'));
    return null;
  }
  const model = buildImageModel(ast);
  const stage = model.stages.length === 0 ? null : targetStage(model, options.target);
  if (model.stages.length > 0 && !stage) {
    findings.push(spanFinding('input-error', 'error', file.displayPath, WHOLE_FILE, `--target ${options.target}: no stage of that name`));
    return null;
  }

  const composeProblems = options.compose?.problems.length ?? 0;
  const composed = !options.context && input.path !== '-' ? options.compose?.contextFor(input.path, jail) : null;
  for (const p of options.compose?.problems.slice(composeProblems) ?? []) {
    const line = p.line ?? 1;
    findings.push(spanFinding('input-error', 'warning', displayPath(p.file, options.cwd), { line, column: 1, endLine: line, endColumn: 1 }, p.message));
  }
  const contextDir = options.context
    ? path.resolve(options.cwd, options.context)
    : input.path === '-'
      ? options.cwd
      : (composed?.context ?? path.dirname(input.path));
  // Every build context must lie inside the root (real path, after symlinks): a repository must
  // not make dockerlint read the host (`context: /etc`, `../../..`, a symlink to /etc).
  if (!jail.contains(contextDir)) {
    const origin = options.context
      ? (options.contextOrigin ?? null)
      : composed
        ? { file: composed.composeFile, key: composed.key, ...(composed.line ? { line: composed.line } : {}) }
        : null;
    const where = origin?.file ? displayPath(origin.file, options.cwd) : file.displayPath;
    const line = origin?.line ?? 1;
    const named = origin ? `${origin.key || 'context'}` : options.context ? '--context' : 'the build context';
    findings.push(
      spanFinding(
        'input-error',
        'error',
        where,
        { line, column: 1, endLine: line, endColumn: 1 },
        `${named}: the build context ${displayPath(contextDir, options.cwd)} of ${file.displayPath} resolves to ${jail.realpath(contextDir)}, outside the root ${jail.root}: refused, nothing in it is read and ${file.displayPath} was not linted (give --root to lint with a wider root)`,
      ),
    );
    return null;
  }
  const context = new ContextFs(contextDir, input.path === '-' ? null : input.path, jail);
  const shell = options.shell ?? new ShellService();
  const env: LaunchEnv = {
    fs: new ImageFs(context),
    shell,
    dockerfile: file,
    ...(options.baseImageFacts ? { baseImageFacts: options.baseImageFacts } : {}),
    ...(composed?.grants ? { runtime: { service: composed.service, grants: composed.grants.map((g) => `${displayPath(composed.composeFile, options.cwd)}${g.line ? `:${g.line}` : ''} ${g.text}`) } } : {}),
    displayPath: (rel) => displayPath(path.join(contextDir, rel), options.cwd),
    readContext: (rel) => {
      let bytes: Buffer;
      try {
        bytes = context.readBytes(rel);
      } catch (e) {
        throw new Error(`${rel}: ${describeFsError(e, jail.maxFileBytes, (size) => tooLarge(size, jail.maxFileBytes))}`);
      }
      const decoded = decodeText(bytes, options.maxFileBytes);
      if ('problem' in decoded) throw new Error(`${rel}: ${decoded.problem}`);
      const real = context.realPath(rel);
      if (real !== null) {
        options.filesRead?.add(real);
        texts.add(real, displayPath(path.join(contextDir, rel), options.cwd), decoded.text);
      }
      return decoded.text;
    },
  };
  const view = new DockerfileView(ast, model, shell);
  if (!stage) {
    const first = ast.instructions[0];
    findings.push(
      spanFinding('input-error', 'error', file.displayPath, first ? first.keywordSpan : WHOLE_FILE, 'no FROM instruction: this is not a Dockerfile `docker build` can use'),
    );
    return { fragment: true, ast, model, env, view, context };
  }
  // Symlinks made by RUN (`ln -s`) and files it moved or copied (`mv`, `cp`) lead to scripts too;
  // RUNs are parsed only when one mentions ln, mkdir, install -d, mv or cp.
  const inside = chmodsInsideCopies(stage);
  if (hasLinkingRun(stage) || inside) {
    const facts = await collectRunFacts(stage, view);
    env.symlinks = facts.symlinks.map((l) => ({ target: l.target, link: l.link }));
    env.moves = facts.moves.map((m) => ({ from: m.from, to: m.to, into: m.into }));
    // `COPY entrypoint.sh /opt/app` into a folder a RUN made (`mkdir`, the home folder of
    // `useradd -m`): the file lands inside it.
    for (let s: Stage | null = stage; s; s = s.baseStage) for (const op of s.copies) if (facts.dirs.has(op.dest)) op.destMaybeDir = true;
    // `COPY start.sh /home/app` and `RUN chmod +x /home/app/start.sh`: a path inside the
    // destination that a RUN changes shows that it is a folder of the image (the base's, which
    // dockerlint cannot read): below a file, the chmod would fail the build.
    for (let s: Stage | null = stage; s; s = s.baseStage) {
      for (const op of s.copies) if (!op.destIsDir && facts.chmods.some((c) => c.paths.some((p) => p.startsWith(`${op.dest}/`)))) op.destIsDir = true;
    }
  }

  // Files a RUN writes (`printf '...' > /start.sh`, `cat > f <<'EOF'`): RUNs are parsed only when one redirects or tees.
  if (model.stages.some((s) => s.instructions.some(mayWriteFiles))) {
    env.fs.setWrites(await collectRunWrites(model.stages, view, await shell.get()));
  }
  // `RUN sudo ...` on a base image dockerlint does not know, with no USER: the base builds as a
  // user that is not root (a root build needs no sudo), so the start user is not assumed root.
  const root = rootStage(stage);
  if (!stage.config.user && !root.baseChosenAtBuild && !isPlainOs(root) && !knownBaseImage(root, env.baseImageFacts)) stage.sudoBuild = await sudoBuildStep(stage, view);
  const launch = await resolveLaunch(stage, env, model.stages.length);
  return { file, ast, model, stage, env, shell, launch, view, context };
}

/**
 * A COPY to a destination not known to be a folder, and a RUN that chmods a path inside it
 * (lexically: the parse of the RUN decides).
 */
function chmodsInsideCopies(stage: Stage): boolean {
  const open: string[] = [];
  for (let s: Stage | null = stage; s; s = s.baseStage) for (const op of s.copies) if (!op.destIsDir && op.dest !== '/') open.push(`${op.dest}/`);
  if (open.length === 0) return false;
  for (let s: Stage | null = stage; s; s = s.baseStage) {
    if (s.instructions.some((i) => i.keyword === 'RUN' && /\bchmod\b/.test(i.rest.text) && open.some((d) => i.rest.text.includes(d)))) return true;
  }
  return false;
}

function hasLinkingRun(stage: Stage): boolean {
  for (let s: Stage | null = stage; s; s = s.baseStage) {
    if (s.instructions.some((i) => i.keyword === 'RUN' && (/\bln\s+-[a-zA-Z]*s/.test(i.rest.text) || /\b(mkdir|install\s+-[a-zA-Z]*d|mv|cp|useradd|adduser)\b/.test(i.rest.text)))) return true;
  }
  return false;
}

/**
 * Reads a Dockerfile (or stdin text) into a SourceFile, with what is worth saying about how it was
 * read; or the findings that say why it cannot be.
 */
function readInput(input: LintInput, options: LintOptions, jail: Jail): { file: SourceFile; notes: Finding[]; texts: FileTexts } | Finding[] {
  const shown = input.path === '-' ? '-' : displayPath(input.path, options.cwd);
  const inputError = (message: string): Finding[] => [spanFinding('input-error', 'error', shown, WHOLE_FILE, message)];
  const notes: Finding[] = [];
  let text = input.text;
  if (text === undefined) {
    let bytes: Buffer;
    try {
      // Through the jail's reader: regular files only (a FIFO would block), at most the limit.
      bytes = jail.readFile(input.path);
    } catch (e) {
      const err = FsError.from(e);
      if (err.code === 'EISDIR') return inputError('is a folder, not a Dockerfile');
      if (err.code === 'EFBIG') return inputError(`${tooLarge(err.size ?? 0, jail.maxFileBytes)}; not linted`);
      if (err.code === 'ENOTREG') return inputError('not a regular file (a FIFO, device or socket): not read, not linted');
      if (err.code === 'EOUTSIDE') return inputError(`its real path ${jail.realpath(input.path)} is outside the root ${jail.root}: not read, not linted`);
      return inputError(`cannot read the file: ${err.code}`);
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
  const texts = new FileTexts();
  if (input.path !== '-') {
    const real = jail.realpath(input.path);
    options.filesRead?.add(real);
    texts.add(real, shown, text);
  }
  return { file: new SourceFile(shown, text), notes, texts };
}

/**
 * The texts of the files one lint read (after a byte order mark), by real path and by display
 * path: a fix may edit only these, and its edits get their lines and columns from them.
 */
class FileTexts {
  private readonly byPath = new Map<string, SourceFile>();
  private readonly realOf = new Map<string, string>();
  private readonly shownOf = new Map<string, string>();

  add(real: string, shown: string, text: string): void {
    const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    if (!this.byPath.has(real)) this.byPath.set(real, new SourceFile(real, t));
    this.realOf.set(shown, real);
    if (!this.shownOf.has(real)) this.shownOf.set(real, shown);
  }

  /** How a file read by this lint is shown (its display path). */
  shown(real: string): string {
    return this.shownOf.get(real) ?? real;
  }

  /** The text of a file named by its real path or by its display path (its `displayPath` is the real path). */
  lookup(file: string): SourceFile | null {
    return this.byPath.get(file) ?? this.byPath.get(this.realOf.get(file) ?? '') ?? null;
  }
}

/** The launch model of one Dockerfile, for `dockerlint explain`; or the findings that stop it. */
export async function launchOf(input: LintInput, options: LintOptions): Promise<Prepared | Finding[]> {
  const jail = jailOf(input, options);
  const read = readInput(input, options, jail);
  if (Array.isArray(read)) return read;
  const { file, texts } = read;
  const findings: Finding[] = [];
  const prepared = await prepare(file, input, options, findings, jail, texts);
  return prepared && !('fragment' in prepared) ? prepared : findings;
}

async function lintSource(file: SourceFile, input: LintInput, options: LintOptions, jail: Jail, texts: FileTexts, deadline: number): Promise<Finding[]> {
  const findings: Finding[] = [];
  const prepared = await prepare(file, input, options, findings, jail, texts);
  if (!prepared) return findings;
  if ('fragment' in prepared) {
    const { ast, model, env, view, context } = prepared;
    const runFacts = (): Promise<RunFacts> => Promise.resolve({ chmods: [], installs: new Set(), symlinks: [], moves: [], words: new Set(), dirs: new Set(), unknownWrites: new Set() });
    await runRules(RULES.filter((r) => r.scope === 'instructions'), { dockerfile: ast, model, stage: null, launch: null, env, view, runFacts }, options, findings, texts, deadline);
    if (options.shellcheck) findings.push(...(await shellcheckPass(view, [], file, options, jail, deadline)));
    await runBudgets(view, file, findings);
    contextProblems(context, options, findings);
    return finish(findings, file, ast, [], options);
  }
  const { ast, model, stage, env, launch, view, context } = prepared;
  for (const unit of launch.scripts) {
    if (unit.syntaxError) {
      const err = unit.syntaxError;
      const at = unit.source.spanOf(err.p, err.p);
      // Over a budget is not a syntax error: said as information, the rest goes on.
      if (err.budget) findings.push(spanFinding('input-error', 'info', unit.source.file.displayPath, at, `this script is ${err.message}`));
      else {
        findings.push(
          spanFinding(
            'syntax-error',
            'error',
            unit.source.file.displayPath,
            at,
            `shell syntax error (as ${unit.interpreter}): ${err.message}; the entrypoint checks (missing-exec-args, root-process, su-sudo, gosu-without-exec, gosu-needs-root, entrypoint-no-exec) were skipped for this script`,
          ),
        );
      }
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
  const facts = (): Promise<RunFacts> => (runFacts ??= collectRunFacts(stage, view));
  for (const run of Object.values(launch.runs)) {
    for (const chain of run.chains) {
      for (const step of chain.hops) {
        if ((step.kind === 'script' || step.kind === 'shell') && step.run) {
          for (const u of step.run.unknownSources) {
            const at = u.ref.file.spanOf(u.ref.stmt.p, u.ref.stmt.p);
            if (u.activate) info(u.ref.file.path, at, `\`. ${u.path}\` is the activate script of a Python virtual environment (or conda), which the build makes rather than copies from the build context: it was not read, and is taken to set variables (PATH, VIRTUAL_ENV) and define \`deactivate\`, not to run or read the script's arguments; a variable the script has not set is taken as unknown after it`);
            else info(u.ref.file.path, at, `cannot follow \`. ${u.path}\`: the image does not get it from the build context (or its path is computed at runtime), so its commands were not analysed, and a variable the script has not set is taken as unknown after it (it may set it)`);
          }
          const capped = step.run.capped;
          if (capped) {
            // One per file: the first point where the cap was hit, and what it lost that was used.
            const f = capped.at.file;
            if (!said.has(`cap:${f.path}`)) {
              said.add(`cap:${f.path}`);
              info(f.path, f.spanOf(capped.at.stmt.p, capped.at.stmt.p), `the entrypoint analysis hit its state budget here: ${capped.states} different paths met at this point, more than the ${MAX_STATES_PER_POINT} it keeps apart, and were joined, so values that differed became unknown; one of them was used afterwards (${capped.lost}). Not reported for this script, since they could come from the join: ${UNSURE_CHECKS}`);
            }
          } else if (step.run.budget) {
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

  await runRules(RULES, { dockerfile: ast, model, stage, launch, env, view, runFacts: facts }, options, findings, texts, deadline);
  if (options.shellcheck) findings.push(...(await shellcheckPass(view, launch.scripts, file, options, jail, deadline)));
  await runBudgets(view, file, findings);
  contextProblems(context, options, findings);
  return finish(findings, file, ast, launch.scripts, options);
}

/** The checks that read the entrypoint evaluator's run, and so say nothing about a run it is unsure of. */
const UNSURE_CHECKS = 'root-process, missing-exec-args, entrypoint-no-exec, su-sudo, gosu-without-exec, gosu-needs-root.';

/** The `shellcheck` program for a jail (looked up once per root and folder). */
const shellcheckBinaries = new Map<string, string | null>();

/** ShellCheck's findings for one Dockerfile (loaded only when the option is on). */
async function shellcheckPass(view: DockerfileView, scripts: readonly ScriptUnit[], file: SourceFile, options: LintOptions, jail: Jail, deadline: number): Promise<Finding[]> {
  const sc = await import('./shellcheck.js');
  const key = `${jail.root}\0${options.cwd}`;
  if (!shellcheckBinaries.has(key)) shellcheckBinaries.set(key, sc.findShellcheck([jail.root, options.cwd]));
  return sc.shellcheckFindings(view, scripts, file.displayPath, { binary: shellcheckBinaries.get(key) ?? null, severities: options.severities, deadline });
}

/** A rule's severity in a run: as configured, else its default when its preset is on. */
function severityOf(rule: Rule, options: LintOptions): Severity | 'off' {
  return options.severities?.[rule.id] ?? (rule.recommended || options.preset === 'all' ? rule.severity : 'off');
}

/**
 * The rules a run's options turn on, with their severity and options, worked out once per run:
 * every file of a run gets an options object of its own, but the same severities, rule options
 * and preset (the objects of the run's configuration).
 */
type EnabledRule = { rule: Rule; severity: Severity; options: unknown };
const NONE: object = {};
const enabledRules = new WeakMap<readonly Rule[], WeakMap<object, WeakMap<object, Map<string, EnabledRule[]>>>>();

function enabledFor(rules: readonly Rule[], options: LintOptions): EnabledRule[] {
  let bySeverities = enabledRules.get(rules);
  if (!bySeverities) enabledRules.set(rules, (bySeverities = new WeakMap()));
  const severities = options.severities ?? NONE;
  let byRuleOptions = bySeverities.get(severities);
  if (!byRuleOptions) bySeverities.set(severities, (byRuleOptions = new WeakMap()));
  const given = options.ruleOptions ?? NONE;
  let byPreset = byRuleOptions.get(given);
  if (!byPreset) byRuleOptions.set(given, (byPreset = new Map()));
  const preset = options.preset ?? '';
  let out = byPreset.get(preset);
  if (!out) {
    out = [];
    for (const rule of rules) {
      const severity = severityOf(rule, options);
      if (severity !== 'off') out.push({ rule, severity, options: ruleOptions(rule, options.ruleOptions?.[rule.id]) });
    }
    byPreset.set(preset, out);
  }
  return out;
}

async function runRules(rules: readonly Rule[], base: Omit<RuleContext, 'report' | 'options'>, options: LintOptions, findings: Finding[], texts: FileTexts, deadline: number): Promise<void> {
  const enabled = enabledFor(rules, options);
  for (const [i, { rule, severity, options: ruleOpts }] of enabled.entries()) {
    if (Date.now() >= deadline) {
      const skipped = enabled.slice(i).map((r) => r.rule.id);
      findings.push(
        spanFinding('input-error', 'info', base.env.dockerfile.displayPath, WHOLE_FILE, `linting this file took longer than its time budget (${(options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS) / 1000} s): not checked: ${skipped.join(', ')}`),
      );
      return;
    }
    // Spelt out rather than spread: one object shape for every rule and file.
    const ctx: RuleContext<Messages, unknown> = {
      dockerfile: base.dockerfile,
      model: base.model,
      stage: base.stage,
      launch: base.launch,
      env: base.env,
      view: base.view,
      runFacts: base.runFacts,
      options: ruleOpts,
      report: (r) => findings.push(toFinding(rule, severity, r, texts)),
    };
    try {
      // Most rules are synchronous: only a promise is awaited (an await per rule and Dockerfile
      // was a microtask turn each, 87,000 of them on 1,000 Dockerfiles).
      const pending = rule.check(ctx);
      if (pending) await pending;
    } catch (e) {
      findings.push(
        spanFinding('input-error', 'error', base.env.dockerfile.displayPath, WHOLE_FILE, `internal error in rule ${rule.id}: ${e instanceof Error ? e.message : String(e)} (please report it)`),
      );
    }
  }
}

/**
 * Budgets hit (variable expansion, RUN bodies over the parse budget): their checks were skipped,
 * said once each as information; the rest of the file is linted as usual.
 */
async function runBudgets(view: DockerfileView, file: SourceFile, findings: Finding[]): Promise<void> {
  for (const inst of view.model.expansionBudget) {
    findings.push(
      spanFinding('input-error', 'info', file.displayPath, inst.keywordSpan, `expanding the variables of this ${inst.keyword} goes over dockerlint's budget (values of at most 1 MB, 4 million steps, 64 nested \`\${...}\`): the value is taken as unknown`),
    );
  }
  for (const { view: inst, run } of await view.overBudgetRuns()) {
    if (run.syntaxError?.budget) {
      findings.push(spanFinding('input-error', 'info', file.displayPath, inst.inst.keywordSpan, `this RUN is ${run.syntaxError.message}`));
    } else if (run.syntaxError && !run.syntaxError.lenient) {
      // Said, not silent: the rules that read RUN commands had nothing to read here.
      findings.push(spanFinding('input-error', 'info', file.displayPath, run.syntaxError.span, `this RUN does not parse as ${run.dialect === 'bash' ? 'bash' : 'sh'} (${run.syntaxError.message}): the checks of its commands were skipped`));
    }
  }
}

/**
 * What of the context could not be read is said, and a script "missing" from a folder that could
 * not be listed is not called missing: nobody knows.
 */
function contextProblems(context: ContextFs, options: LintOptions, findings: Finding[]): void {
  for (const p of context.problems) {
    findings.push(spanFinding('input-error', 'warning', displayPath(path.join(context.root, p.path), options.cwd), WHOLE_FILE, p.message));
  }
  if (context.problems.some((p) => p.kind === 'folder')) {
    for (let i = findings.length - 1; i >= 0; i--) if (findings[i]?.rule === 'entrypoint-not-found') findings.splice(i, 1);
  }
}

/** Suppression comments of the Dockerfile and of the scripts it starts, then dedupe and order. */
function finish(findings: Finding[], file: SourceFile, ast: DockerfileAst, scripts: readonly ScriptUnit[], options: LintOptions): Finding[] {
  const byFile = new Map<string, FileSuppressions>();
  byFile.set(file.displayPath, dockerfileSuppressions(ast));
  for (const unit of scripts) {
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

function ruleOptions(rule: Rule, given: Record<string, unknown> | undefined): unknown {
  const defaults = rule.options?.defaults;
  if (!given) return defaults;
  return { ...(defaults as Record<string, unknown> | undefined), ...given };
}

function toFinding(rule: Rule, severity: Severity, r: Report, texts: FileTexts): Finding {
  const spec = rule.messages[r.messageId];
  if (!spec) throw new Error(`unknown message id ${r.messageId}`);
  const data = r.data as Record<string, string | number> | undefined;
  const related: Related[] = (r.chain ?? []).map((c) => ({ file: c.file, line: c.span.line, column: c.span.column, message: c.label }));
  related.push({ file: r.at.file, line: r.at.span.line, column: r.at.span.column, message: r.label ?? '' });
  const hint = spec.hint === undefined ? null : fillMessage(spec.hint, data);
  const finding = spanFinding(rule.id, severity, r.at.file, r.at.span, fillMessage(spec.message, data), hint, related);
  finding.messageId = r.messageId;
  const fix = r.fix ? findingFix(r.fix, texts) : null;
  if (fix) finding.fix = fix;
  return finding;
}

/**
 * A rule's fix with real paths and the span of each edit; null when an edit names a file this
 * lint did not read (a fix may only touch what the run read) or lies outside its text.
 */
function findingFix(fix: Fix, texts: FileTexts): FindingFix | null {
  const edits: FindingEdit[] = [];
  for (const e of fix.edits) {
    const source = texts.lookup(e.file);
    if (!source || e.end > source.text.length || e.start < BOM_START || e.start > e.end) return null;
    const span = e.start === BOM_START ? { line: 1, column: 1, endLine: 1, endColumn: 1 } : source.spanOf(e.start, e.end);
    edits.push({ file: source.displayPath, shown: texts.shown(source.displayPath), start: e.start, end: e.end, text: e.text, span });
  }
  return { safety: fix.safety, title: fix.title, edits };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = findingKey(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
