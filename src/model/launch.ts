/**
 * What runs when the container starts: the PID 1 argv from the ENTRYPOINT x CMD table, followed
 * through inits (`tini --`), user switches (`gosu app`), shells (`sh -c "..."`, `bash x.sh`) and
 * PATH lookup into the scripts that the image got from the build context, and through those
 * scripts' `exec "$@"` into what CMD runs next.
 */
import path from 'node:path';
import type { Instruction } from '../parsers/dockerfile.js';
import type { Position, ShellFile, ShellSyntaxError, Word } from '../parsers/shell-ast.js';
import { MappedText, SourceFile, type Span } from '../parsers/source.js';
import { analyseCommand, basename, EXEC_USER_SWITCHERS, FORKING_USER_SWITCHERS, wordLiteral, type UserSwitch } from './commands.js';
import type { FileOrigin, ImageFs, ResolvedCommand } from './image-fs.js';
import type { Stage } from './image.js';
import type { BaseImageFacts } from './base-images.js';
import { computePid1, type Arg, type Pid1 } from './pid1.js';
import { analyseScript, isErrorExit, type ScriptAnalysis, type SourcedFile, type SourceResolver } from './script.js';
import type { ShellParser } from '../parsers/shell.js';
import type { Dialect } from '../parsers/shell-ast.js';
import type { ShellService } from './shell-service.js';

/** A place in a file, with what happens there: `Dockerfile:14 ENTRYPOINT`. */
export interface Evidence {
  file: string;
  span: Span;
  label: string;
}

/** Shell text with the way back from parser positions to file positions. */
export interface ScriptText {
  file: SourceFile;
  text: string;
  spanOf(p: Position, e: Position): Span;
}

export interface ScriptUnit {
  kind: 'file' | 'inline';
  source: ScriptText;
  /** The shell that runs it (`sh`, `bash`, ...). */
  interpreter: string;
  ast: ShellFile | null;
  syntaxError: ShellSyntaxError | null;
  analysis: ScriptAnalysis | null;
  /** It is given arguments by CMD (an ENTRYPOINT script with a CMD after it). */
  receivesArgs: boolean;
  /** Where the image starts it. */
  startedAt: Evidence;
  /** For files: the path in the image and where it came from. */
  imagePath: string | null;
  origin: FileOrigin | null;
  /** CRLF line endings (the kernel then looks for `/bin/sh\r`). */
  crlf: boolean;
  /**
   * The file starts with a UTF-8 byte order mark (the kernel then sees no `#!`). The mark is not
   * part of `source`, so positions are those an editor shows.
   */
  bom: boolean;
}

export type Step =
  | { kind: 'init'; name: string; at: Evidence }
  | { kind: 'switch'; tool: string; user: string | null; toRoot: boolean; at: Evidence }
  | { kind: 'forking-switch'; tool: string; user: string | null; toRoot: boolean; at: Evidence; arg: Arg }
  | { kind: 'shell'; unit: ScriptUnit; at: Evidence; arg: Arg; shellForm: boolean; shellArgv: string[] }
  | { kind: 'script'; unit: ScriptUnit; at: Evidence; arg: Arg; /** exec'd itself (needs +x and a shebang), not run by `sh script` */ direct: boolean }
  | { kind: 'program'; name: string; args: string[]; at: Evidence; resolved: ResolvedCommand | null; arg: Arg }
  | { kind: 'unknown'; reason: string; at: Evidence; missing?: string };

export interface Launch {
  stage: Stage;
  /** How many stages the Dockerfile has. */
  stageCount: number;
  pid1: Pid1;
  steps: Step[];
  scripts: ScriptUnit[];
}

const INITS = new Set(['tini', 'tini-static', 'dumb-init', 'catatonit', 'docker-init', 'init', 's6-svscan']);
export const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'mksh', 'busybox']);
const MAX_STEPS = 24;

export interface LaunchEnv {
  fs: ImageFs;
  shell: ShellService;
  dockerfile: SourceFile;
  /** Builds the display path of a build-context file. */
  displayPath(contextPath: string): string;
  /** Reads a build-context file as text; throws with a readable message. */
  readContext(contextPath: string): string;
  /** Base image facts from the configuration, consulted before the built-in table. */
  baseImageFacts?: (ref: string) => BaseImageFacts | null;
}

function evidenceOf(env: LaunchEnv, inst: Instruction): Evidence {
  return { file: env.dockerfile.displayPath, span: inst.keywordSpan, label: inst.keyword };
}

export async function resolveLaunch(stage: Stage, env: LaunchEnv, stageCount = stage.index + 1): Promise<Launch> {
  const pid1 = computePid1(stage);
  const launch: Launch = { stage, stageCount, pid1, steps: [], scripts: [] };
  await walk(pid1.argv, launch, env);
  return launch;
}

async function walk(argv: Arg[], launch: Launch, env: LaunchEnv): Promise<void> {
  let rest = argv;
  while (rest.length > 0 && launch.steps.length < MAX_STEPS) {
    const a0 = rest[0] as Arg;
    const at = evidenceOf(env, a0.setting.instruction);
    const name = basename(a0.value);

    if (INITS.has(name) || a0.value === '/init') {
      launch.steps.push({ kind: 'init', name: a0.value === '/init' ? 's6-overlay /init' : name, at });
      rest = skipInitOptions(name, rest.slice(1));
      if (rest.length === 0 && a0.value === '/init') {
        // s6-overlay supervises the services under /etc/s6-overlay/s6-rc.d and /etc/services.d;
        // each run script drops privileges (or not) on its own.
        launch.steps.push({ kind: 'unknown', reason: 's6-overlay starts the services of /etc/s6-overlay/s6-rc.d and /etc/services.d, whose run scripts dockerlint does not analyse yet', at });
      }
      continue;
    }
    if (name === 'env') {
      let i = 1;
      while (i < rest.length && /^(-|[A-Za-z_][A-Za-z0-9_]*=)/.test(rest[i]?.value ?? '')) i++;
      rest = rest.slice(i);
      continue;
    }
    if (EXEC_USER_SWITCHERS.has(name) || FORKING_USER_SWITCHERS.has(name)) {
      const info = analyseCommand(rest.map((a) => literalWord(a.value)), true);
      const sw: UserSwitch | null = info.switcher ?? info.forking;
      if (!sw) {
        launch.steps.push({ kind: 'program', name: a0.value, args: rest.slice(1).map((a) => a.value), at, resolved: null, arg: a0 });
        return;
      }
      if (info.forking) {
        launch.steps.push({ kind: 'forking-switch', tool: name, user: sw.user, toRoot: sw.toRoot, at, arg: a0 });
        if (sw.commandString !== null) {
          const unit = await inlineUnit(sw.commandString, null, 'sh', at, env);
          launch.scripts.push(unit);
        }
        return;
      }
      launch.steps.push({ kind: 'switch', tool: name, user: sw.user, toRoot: sw.toRoot, at });
      rest = rest.slice(rest.length - sw.command.length);
      continue;
    }
    if (SHELLS.has(name)) {
      let i = 1;
      if (name === 'busybox') {
        if (!SHELLS.has(rest[1]?.value ?? '')) {
          launch.steps.push({ kind: 'program', name: a0.value, args: rest.slice(1).map((a) => a.value), at, resolved: null, arg: a0 });
          return;
        }
        i = 2;
      }
      let inline = false;
      while (i < rest.length && /^[-+]/.test(rest[i]?.value ?? '')) {
        const opt = rest[i]?.value ?? '';
        if (opt === '--') {
          i++;
          break;
        }
        if (/^-[A-Za-z]*c[A-Za-z]*$/.test(opt)) inline = true;
        if (opt === '-o' || opt === '+o' || opt === '-O' || opt === '+O') i++;
        i++;
      }
      const target = rest[i];
      if (!target) {
        launch.steps.push({ kind: 'program', name: a0.value, args: rest.slice(1).map((a) => a.value), at, resolved: null, arg: a0 });
        return;
      }
      const interp = name === 'busybox' ? 'sh' : name;
      if (inline) {
        const unit = await inlineUnit(target.value, target.script ?? jsonStringText(env, target), interp, at, env);
        launch.scripts.push(unit);
        launch.steps.push({ kind: 'shell', unit, at, arg: target, shellForm: a0.fromShell, shellArgv: rest.slice(0, i).map((a) => a.value) });
        // Follow the string's main command when it is plain words (`sh -c "exec gosu app server"`).
        const next = mainCommandOf(unit, target);
        if (!next) return;
        rest = next;
        continue;
      }
      // `bash script.sh args`: the script runs under that shell, whatever its shebang.
      const resolved = resolveScriptPath(launch.stage, target.value, env);
      if (!resolved) {
        launch.steps.push({ kind: 'unknown', reason: `${target.value} is not provided by any COPY or ADD in the build context`, at, missing: target.value });
        return;
      }
      const next = await scriptStep(resolved, interp, rest.slice(i), launch, env, at);
      if (!next) return;
      rest = next;
      continue;
    }

    const resolved = env.fs.resolveCommand(launch.stage, a0.value);
    if (resolved) {
      const next = await scriptStep(resolved, null, rest, launch, env, at);
      if (!next) return;
      rest = next;
      continue;
    }
    if (looksLikeScriptPath(a0.value)) {
      launch.steps.push({ kind: 'unknown', reason: `${a0.value} is not provided by any COPY or ADD in the build context`, at, missing: a0.value });
      return;
    }
    launch.steps.push({ kind: 'program', name: a0.value, args: rest.slice(1).map((a) => a.value), at, resolved: null, arg: a0 });
    return;
  }
}

/** Paths that name a file the image must have got from somewhere, not a system program. */
function looksLikeScriptPath(p: string): boolean {
  return /\.(sh|bash)$/.test(p) || p.startsWith('./') || (p.startsWith('/') && !/^\/(usr\/)?(local\/)?s?bin\//.test(p));
}

function resolveScriptPath(stage: Stage, value: string, env: LaunchEnv): ResolvedCommand | null {
  if (value.includes('/')) return env.fs.resolveCommand(stage, value);
  const inWorkdir = path.posix.join(stage.config.workdir, value);
  const origin = env.fs.lookup(stage, inWorkdir);
  return origin ? { imagePath: inWorkdir, origin } : env.fs.resolveCommand(stage, value);
}

function skipInitOptions(name: string, args: Arg[]): Arg[] {
  let i = 0;
  const withValue = name === 'tini' || name === 'tini-static' ? ['-p', '-e', '-l'] : ['-r', '--rewrite'];
  while (i < args.length) {
    const v = args[i]?.value ?? '';
    if (v === '--') return args.slice(i + 1);
    if (!v.startsWith('-')) break;
    i += withValue.includes(v) ? 2 : 1;
  }
  return args.slice(i);
}

/**
 * A file from the build context run as PID 1 (or by a shell). Returns the argv that runs after
 * it when the script hands over with `exec "$@"`, or null when the walk stops here.
 */
async function scriptStep(
  resolved: ResolvedCommand,
  forcedInterpreter: string | null,
  argv: Arg[],
  launch: Launch,
  env: LaunchEnv,
  at: Evidence,
): Promise<Arg[] | null> {
  const a0 = argv[0] as Arg;
  const origin = resolved.origin;
  if (origin.kind === 'built') {
    // A build artifact (usually a compiled binary): the main process, content unknown.
    launch.steps.push({ kind: 'program', name: a0.value, args: argv.slice(1).map((a) => a.value), at, resolved, arg: a0 });
    return null;
  }
  if (origin.kind === 'remote') {
    launch.steps.push({ kind: 'unknown', reason: `${resolved.imagePath} comes from ${origin.why}, which dockerlint cannot read`, at });
    return null;
  }
  let text: string;
  let file: SourceFile;
  let source: ScriptText;
  let bom = false;
  if (origin.kind === 'context') {
    try {
      text = env.readContext(origin.contextPath);
      if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1);
        bom = true;
      }
    } catch (e) {
      launch.steps.push({ kind: 'unknown', reason: e instanceof Error ? e.message : String(e), at });
      return null;
    }
    file = new SourceFile(env.displayPath(origin.contextPath), text);
    // CRLF (reported by entrypoint-crlf) is parsed as LF: lines and columns are the same, and
    // `text` (what offsets index) is the LF version.
    source = /\r\n/.test(text) ? { ...fileScriptText(file), text: text.replace(/\r\n/g, '\n') } : fileScriptText(file);
  } else {
    // An unquoted heredoc delimiter lets the Dockerfile expand the body: `\$` is a literal `$`.
    const body = origin.heredoc.quoted ? origin.heredoc.body : unescapeDollars(origin.heredoc.body);
    file = env.dockerfile;
    text = body.text;
    source = mappedScriptText(body);
  }
  const firstLine = text.split('\n', 1)[0] ?? '';
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(firstLine);
  let interp = forcedInterpreter;
  if (!interp && shebang) {
    const prog = basename(shebang[1] ?? '');
    interp = prog === 'env' ? basename(shebang[2] ?? '') : prog;
  }
  const isShell = interp !== null ? SHELLS.has(interp) : /\.(sh|bash)$/.test(resolved.imagePath) || looksLikeShell(text);
  if (!isShell) {
    launch.steps.push({ kind: 'program', name: a0.value, args: argv.slice(1).map((a) => a.value), at, resolved, arg: a0 });
    return null;
  }
  const cmdArgs = argv.slice(1);
  const unit = await parseUnit(
    {
      kind: 'file',
      source,
      interpreter: interp ?? 'sh',
      receivesArgs: cmdArgs.some((a) => a.origin === 'cmd'),
      startedAt: at,
      imagePath: resolved.imagePath,
      origin,
      crlf: /\r\n/.test(text),
      bom,
    },
    env,
    launch.stage,
  );
  launch.scripts.push(unit);
  launch.steps.push({ kind: 'script', unit, at, arg: a0, direct: forcedInterpreter === null });
  const forwards = unit.analysis?.endings.some(
    (e) => e.kind === 'exec' && e.last?.info.runsArgs === 'quoted' && e.positional === 'script',
  );
  return forwards && cmdArgs.length > 0 ? cmdArgs : null;
}

/**
 * The words of the command an inline script ends with, when every non-error path ends with the
 * same simple command whose words are all literal.
 */
function mainCommandOf(unit: ScriptUnit, origin: Arg): Arg[] | null {
  const endings = unit.analysis?.endings.filter((e) => !isErrorExit(e));
  if (!endings || endings.length === 0) return null;
  const last = endings[0]?.last;
  if (!last || endings.some((e) => e.last !== last)) return null;
  const values = last.info.words.map((w) => wordLiteral(w));
  if (values.length === 0 || values.some((v) => v === null)) return null;
  return (values as string[]).map((value) => ({ value, origin: origin.origin, setting: origin.setting, fromShell: false, script: null }));
}

function looksLikeShell(text: string): boolean {
  return /^\s*(set -e|exec |if \[|#!)/m.test(text.slice(0, 400));
}

async function inlineUnit(script: string, mapped: MappedText | null, interp: string, at: Evidence, env: LaunchEnv): Promise<ScriptUnit> {
  const source: ScriptText = mapped
    ? mappedScriptText(mapped)
    : { file: env.dockerfile, text: script, spanOf: () => at.span };
  return parseUnit(
    { kind: 'inline', source, interpreter: interp, receivesArgs: false, startedAt: at, imagePath: null, origin: null, crlf: false, bom: false },
    env,
  );
}

async function parseUnit(
  unit: Omit<ScriptUnit, 'ast' | 'syntaxError' | 'analysis'>,
  env: LaunchEnv,
  stage: Stage | null = null,
): Promise<ScriptUnit> {
  const parser = await env.shell.get();
  const dialect: Dialect = unit.interpreter === 'bash' || unit.interpreter === 'zsh' ? 'bash' : unit.interpreter === 'mksh' || unit.interpreter === 'ksh' ? 'mksh' : 'posix';
  // CRLF: parse as LF (same offsets), the CRLF itself is reported by its own rule.
  const result = parser.parse(unit.source.text.replace(/\r(?=\n)/g, ' '), dialect);
  if (!result.ok) return { ...unit, ast: null, syntaxError: result.error, analysis: null };
  const resolve = stage ? sourceResolver(stage, env, parser, dialect) : null;
  return { ...unit, ast: result.file, syntaxError: null, analysis: analyseScript(result.file, unit.source.text, resolve) };
}

/** `. /usr/local/bin/lib.sh`: the file the image got from the build context, parsed. */
function sourceResolver(stage: Stage, env: LaunchEnv, parser: ShellParser, dialect: Dialect): SourceResolver {
  const cache = new Map<string, SourcedFile | null>();
  return (p) => {
    const imagePath = path.posix.resolve(stage.config.workdir, p);
    if (cache.has(imagePath)) return cache.get(imagePath) ?? null;
    let found: SourcedFile | null = null;
    const origin = env.fs.lookup(stage, imagePath);
    try {
      if (origin?.kind === 'context') {
        const text = env.readContext(origin.contextPath).replace(/^\uFEFF/, '');
        const lf = text.replace(/\r\n/g, '\n');
        const result = parser.parse(lf, dialect);
        if (result.ok) {
          const file = new SourceFile(env.displayPath(origin.contextPath), text);
          const st = fileScriptText(file);
          found = { file: result.file, source: { path: file.displayPath, text: lf, spanOf: st.spanOf } };
        }
      } else if (origin?.kind === 'heredoc') {
        const body = origin.heredoc.body;
        const result = parser.parse(body.text, dialect);
        if (result.ok) found = { file: result.file, source: { path: env.dockerfile.displayPath, text: body.text, spanOf: (a, b) => body.spanOf(a[2], b[2]) } };
      }
    } catch {
      found = null;
    }
    cache.set(imagePath, found);
    return found;
  };
}

function fileScriptText(file: SourceFile): ScriptText {
  return {
    file,
    text: file.text,
    spanOf: (p, e) => ({ line: p[0], column: p[1], endLine: e[0], endColumn: e[1] }),
  };
}

function mappedScriptText(m: MappedText): ScriptText {
  return { file: m.file, text: m.text, spanOf: (p, e) => m.spanOf(p[2], e[2]) };
}

function unescapeDollars(m: MappedText): MappedText {
  if (!m.text.includes('\\$')) return m;
  const b = MappedText.builder(m.file);
  for (let i = 0; i < m.text.length; i++) {
    if (m.text[i] === '\\' && m.text[i + 1] === '$') continue;
    b.appendChar(m.text[i] ?? '', m.originOf(i));
  }
  return b.build(m.originOf(m.text.length));
}

/** An exec-form string's text in the Dockerfile, when it can be found there unescaped. */
function jsonStringText(env: LaunchEnv, arg: Arg): MappedText | null {
  const text = arg.setting.form.text;
  const needle = JSON.stringify(arg.value);
  const at = text.text.indexOf(needle);
  if (at < 0 || needle.slice(1, -1) !== arg.value) return null;
  void env;
  return text.sub(at + 1, at + needle.length - 1);
}

function literalWord(value: string): Word {
  const p: Position = [0, 0, 0];
  return { type: 'Word', p, e: p, parts: [{ type: 'SglQuoted', p, e: p, value, dollar: false }] };
}
