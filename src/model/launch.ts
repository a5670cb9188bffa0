/**
 * What runs when the container starts: the PID 1 argv from the ENTRYPOINT x CMD table, followed
 * through inits (`tini --`), user switches (`gosu app`), shells (`sh -c "..."`, `bash x.sh`) and
 * PATH lookup into the scripts that the image got from the build context, and through those
 * scripts' `exec "$@"` into what CMD runs next.
 */
import path from 'node:path';
import { isRuntime, type ProgramImage } from './known-programs.js';
import picomatch from 'picomatch';
import type { Dialect, Position, ShellFile, ShellSyntaxError } from '../parsers/shell-ast.js';
import type { ShellParser } from '../parsers/shell.js';
import { readShebang, type Shebang } from '../parsers/shebang.js';
import { firstAshProblem } from '../parsers/ash-features.js';
import { MappedText, SourceFile, type Span } from '../parsers/source.js';
import { imageSh, isPlainOs, isWindowsImage, knownBaseImage, type BaseImageFacts, type ImageProgram, type ShFlavour } from './base-images.js';
import type { Host } from './evaluator/interpreter.js';
import { findInImage, followRun, SHELLS as SHELL_NAMES, type InvocationKind, type LoadedProgram, type Resolver, type Run, type Step } from './evaluator/invocations.js';
import { isPythonInterpreter, pythonHandover } from './python-program.js';
import { userFromSpec, USER_COMMAND, type Field, type UserValue } from './evaluator/values.js';
import type { ImageFs, ResolvedCommand, FileOrigin } from './image-fs.js';
import { chosenAtBuildText, rootStage, stagePath, type Stage } from './image.js';
import { computePid1, type Arg, type Pid1 } from './pid1.js';
import type { ShellService } from './shell-service.js';
import { stripBom } from '../text.js';
import type { Move } from './run-facts.js';
import type { WrittenText } from './run-writes.js';
import { supervisorConfig, type SupervisorConfig, type SupervisorImage } from './supervisord.js';

/** A file a script sources (`. /usr/local/bin/lib.sh`), parsed. */
interface SourcedFile {
  file: ShellFile;
  source: { path: string; text: string; spanOf(p: Position, e: Position): Span };
}

/** Finds a sourced file in the image: parsed, or null when the image does not get it from the build. */
type SourceResolver = (path: string) => SourcedFile | null;

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
  /**
   * The text is not in `file` character for character (what `printf` or `echo` in a RUN wrote):
   * positions map to the command that wrote it, and no fix edits it.
   */
  noEdits?: true;
}

export interface ScriptUnit {
  kind: 'file' | 'inline';
  source: ScriptText;
  /** The shell that runs it (`sh`, `bash`, ...). */
  interpreter: string;
  ast: ShellFile | null;
  syntaxError: ShellSyntaxError | null;
  /** The grammar it was parsed with (the image's /bin/sh for `sh`). */
  dialect: Dialect;
  /**
   * Valid for bash but not for the shell that runs it: the dash of Debian and Ubuntu (a syntax
   * error there), or busybox ash (a bash feature it lacks); where and why. Null when the image's
   * /bin/sh is not known.
   */
  portability: { shell: 'dash' | 'ash'; message: string; p: Position } | null;
  /** The `#!` line, read once; null for inline scripts, scripts run by `sh x.sh`, or none. */
  shebang: Shebang | null;
  /** It is given arguments by CMD (an ENTRYPOINT script with a CMD after it). */
  receivesArgs: boolean;
  /** Where the image starts it. */
  startedAt: Evidence;
  /** For files: the path in the image and where it came from. */
  imagePath: string | null;
  /** The other paths RUN linked, moved or copied it to, through which it was reached (`ResolvedCommand.aliases`). */
  aliases?: string[];
  origin: FileOrigin | null;
  /** CRLF line endings (the kernel then looks for `/bin/sh\r`). */
  crlf: boolean;
  /**
   * The file starts with a UTF-8 byte order mark (the kernel then sees no `#!`). The mark is not
   * part of `source`, so positions are those an editor shows.
   */
  bom: boolean;
}

export type { Step };

export interface Launch {
  /** The Dockerfile's display path. */
  dockerfile: string;
  stage: Stage;
  /** How many stages the Dockerfile has. */
  stageCount: number;
  pid1: Pid1;
  /** The start-up chain of the default run (`docker run IMAGE`), the first of its chains. */
  steps: Step[];
  /** Every script met on any run, each once. */
  scripts: ScriptUnit[];
  /** The runs the PID 1 rules judge: `docker run IMAGE` and `docker run IMAGE <command>`. */
  runs: Record<Exclude<InvocationKind, 'non-root'>, Run>;
  /**
   * `docker run --user 1000 IMAGE`, followed on first ask and kept. No rule judges it, so a lint
   * does not pay for it (it was a fifth of the evaluator's time on the benchmark's corpus).
   */
  nonRoot(): Promise<Run>;
  /** supervisord's configuration from the build, for its arguments (`-c file`), or null when not known. */
  supervisor?(args: (string | null)[]): SupervisorConfig | null;
  /** See LaunchEnv's `runtime`. */
  runtime?: RuntimeGrants;
  /** Where the build puts a word of a command line, run in the final stage: see `FindInImage`. */
  findInImage(word: string): 'named' | 'guessed' | null;
  /** A server's configuration as the build provides it: see `ProgramImage`. */
  programImage: ProgramImage;
  /**
   * The start user is root by assumption only: no stage sets USER and the base image (named here,
   * as the FROM line gives it) is not one dockerlint knows, so a USER of its own would apply
   * instead. The rules assume root, as Docker does for an image with no user; explain says so.
   */
  startAssumed?: string;
  /**
   * No stage sets an ENTRYPOINT and the base image is the build's choice (`FROM $BUILD_FROM`, the
   * argument with no default): the base image's ENTRYPOINT, which may run the CMD as its child
   * (s6-overlay's `/init` in Home Assistant's bases), is not known. Why, for explain.
   */
  entrypointUnknown?: string;
}

/**
 * The compose service built from this Dockerfile is run with settings only root can use
 * (`privileged: true`, `cap_add`, the Docker socket mounted): `compose.yaml:12 \`privileged: true\``.
 */
export interface RuntimeGrants {
  service: string;
  grants: string[];
}

export const SHELLS = SHELL_NAMES;

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
  /** Symlinks that RUN made (`ln -s target link`), for paths reached through them. */
  symlinks?: { target: string; link: string }[];
  /** Files RUN moved or copied (`mv /tmp/run.sh /usr/bin`), for paths reached through them. */
  moves?: Pick<Move, 'from' | 'to' | 'into'>[];
  /** How the compose file that gives the build context runs the service, when it grants root's powers. */
  runtime?: RuntimeGrants;
}


export async function resolveLaunch(stage: Stage, env: LaunchEnv, stageCount = stage.index + 1): Promise<Launch> {
  const pid1 = computePid1(stage);
  const units = new Map<string, ScriptUnit>();
  const scripts: ScriptUnit[] = [];
  const remember = (u: ScriptUnit): ScriptUnit => {
    if (!scripts.includes(u)) scripts.push(u);
    return u;
  };
  const hosts = new Map<ScriptUnit, Host | null>();
  let defaultArgs = true;
  // Windows images: no Linux PID 1, shells or users; their commands are not followed into files.
  const windows = isWindowsImage(stage, rootStage(stage));
  const base = windows ? null : knownBaseImage(rootStage(stage), env.baseImageFacts);
  const from = rootStage(stage).from;
  const entrypointUnknown = !windows && !stage.config.entrypoint && rootStage(stage).baseChosenAtBuild ? chosenAtBuildText(rootStage(stage)) : null;
  const resolver: Resolver = {
    stage,
    env: stage.config.env,
    dockerfilePath: env.dockerfile.displayPath,
    // A relative path in a WORKDIR that is not known names no file dockerlint can find.
    resolveCommand: (name) => (windows || (stage.config.workdirUnknown && name.includes('/') && !name.startsWith('/')) ? null : resolveInImage(stage, name, env)),
    knownCommand: (name) => (windows || (stage.config.workdirUnknown && name.includes('/') && !name.startsWith('/')) ? null : resolveInImage(stage, name, env, false)),
    missingScript: (p) => !windows && looksLikeScriptPath(p),
    unknownPlace: (p) => (windows ? null : unknownPlaceOf(stage, p)),
    entrypointUnknown,
    serviceScripts: (dir, longrunsOnly) => (windows ? [] : env.fs.services(stage, dir, longrunsOnly)),
    supervisorConfig: (args) => (windows ? null : supervisorConfig(args, supervisorImage(stage, env))),
    // No stage sets an ENTRYPOINT: the base image's runs, given the CMD.
    inheritedEntrypoint: base?.entrypoint && !stage.config.entrypoint ? { program: base.entrypoint, at: { file: env.dockerfile.displayPath, span: from.keywordSpan, label: from.keyword } } : null,
    imageProgram: (name) => imageProgramNamed(stage, base, name),
    loadFile: async (resolved, forced, at, argv) => {
      const key = `${resolved.imagePath}|${forced ?? ''}`;
      const hit = units.get(key);
      if (hit) return remember(hit);
      const loaded = await loadFile(resolved, forced, at, argv, stage, env, defaultArgs);
      if ('source' in loaded) {
        units.set(key, loaded);
        remember(loaded);
      }
      return loaded;
    },
    loadInline: async (text, arg, interp, at) => {
      const key = `inline|${interp}|${text}|${arg.setting.instruction.keywordSpan.line}`;
      const hit = units.get(key);
      if (hit) return remember(hit);
      const unit = await inlineUnit(text, arg.script ?? jsonStringText(env, arg), interp, at, env, stage);
      units.set(key, unit);
      return remember(unit);
    },
    host: async (unit) => {
      if (!hosts.has(unit)) hosts.set(unit, unitHost(unit, stage, env, await env.shell.get(), (p) => !windows && p.startsWith('/') && imageProgramNamed(stage, base, p) !== null));
      return hosts.get(unit) ?? null;
    },
  };
  const start: UserValue = windows && !stage.config.user ? { name: 'ContainerAdministrator', uid: null, root: null, why: 'the default user of Windows images' } : startUser(stage, env.baseImageFacts);
  const argv = pid1.argv.map((a, i): Field => ({ s: a.value, arg: i }));
  const runs = {} as Launch['runs'];
  runs.default = await followRun('default', argv, pid1.argv, start, resolver);
  defaultArgs = false;
  // `docker run IMAGE <command>`: the command replaces CMD (a shell-form ENTRYPOINT ignores it).
  const entry = pid1.entrypoint;
  const userArgs: Arg[] = [];
  if (entry && entry.form.kind === 'exec') userArgs.push(...pid1.argv.filter((a) => a.origin === 'entrypoint'));
  else if (entry) userArgs.push(...pid1.argv);
  const cmdSetting = entry ?? pid1.cmd;
  if (cmdSetting && !(entry && entry.form.kind === 'shell')) {
    userArgs.push({ value: USER_COMMAND, origin: 'cmd', setting: cmdSetting, fromShell: false, script: null });
  }
  runs['user-command'] = await followRun('user-command', userArgs.map((a, i) => ({ s: a.value, arg: i })), userArgs, start, resolver);
  let nonRoot: Promise<Run> | null = null;
  const first = runs.default.chains[0];
  const root = rootStage(stage);
  const assumed = !windows && !stage.config.user && !base && !isPlainOs(root) && !root.baseChosenAtBuild && !stage.sudoBuild;
  return { dockerfile: env.dockerfile.displayPath, stage, stageCount, pid1, steps: first ? first.hops : [], scripts, runs, nonRoot: () => (nonRoot ??= followRun('non-root', argv, pid1.argv, userFromSpec('1000', '--user 1000'), resolver)), supervisor: (args) => resolver.supervisorConfig?.(args) ?? null, findInImage: (word) => findInImage(resolver, word), programImage: programImage(stage, env, windows), ...(env.runtime ? { runtime: env.runtime } : {}), ...(assumed ? { startAssumed: root.baseKnown ? `\`${root.base}\`` : 'the base image' } : {}), ...(entrypointUnknown ? { entrypointUnknown } : {}) };
}

/** The base image's modelled program that `name` runs: its path, or its file name found on the PATH. */
function imageProgramNamed(stage: Stage, base: BaseImageFacts | null, name: string): ImageProgram | null {
  for (const p of base?.programs ?? []) {
    if (name === p.path) return p;
    if (!name.includes('/') && path.posix.basename(p.path) === name && stagePath(stage).includes(path.posix.dirname(p.path))) return p;
  }
  return null;
}

/** The image files supervisord's configuration reader may read: those the build provides from the context or a heredoc. */
function supervisorImage(stage: Stage, env: LaunchEnv): SupervisorImage {
  return {
    workdir: stage.config.workdir,
    env: stage.config.env,
    list: (dir) => env.fs.list(stage, dir),
    read: (imagePath) => {
      const origin = env.fs.lookup(stage, imagePath);
      if (origin?.kind === 'context') {
        try {
          return { text: env.readContext(origin.contextPath), display: env.displayPath(origin.contextPath) };
        } catch {
          return null;
        }
      }
      if (origin?.kind === 'heredoc') return { text: origin.heredoc.body.text, display: env.dockerfile.displayPath };
      if (origin?.kind === 'written' && origin.write.content) return { text: origin.write.content.text, display: env.dockerfile.displayPath };
      return null;
    },
  };
}

/** A configuration file of the image as the build provides it (relative to WORKDIR), and its ENV. */
function programImage(stage: Stage, env: LaunchEnv, windows: boolean): ProgramImage {
  const files = supervisorImage(stage, env);
  return {
    env: stage.config.env,
    read: (file) => (windows || (stage.config.workdirUnknown && !file.startsWith('/')) ? null : (files.read(path.posix.resolve(stage.config.workdir, file))?.text ?? null)),
  };
}

/** The user the container starts as: USER, else the base image's (configuration first), else root. */
function startUser(stage: Stage, trusted?: (ref: string) => BaseImageFacts | null): UserValue {
  const u = stage.config.user;
  if (u) return u.known ? userFromSpec(u.value, `USER ${u.value}`) : userFromSpec(null, `USER ${u.value}`);
  // The build passes the image: its user is that image's.
  const chosen = chosenAtBuildText(rootStage(stage));
  if (chosen) return userFromSpec(null, chosen);
  const root = rootStage(stage);
  const base = knownBaseImage(root, trusted);
  if (base?.user) return userFromSpec(base.user, `${root.base} runs as ${base.user}`);
  if (!base && stage.sudoBuild) return userFromSpec(null, `\`${root.base}\` builds as a user that is not root: line ${stage.sudoBuild.keywordSpan.line} runs \`sudo\` with no USER set`);
  return userFromSpec('root', 'no USER');
}

/** How the evaluator parses `eval` strings and finds sourced files for one unit. */
function unitHost(unit: ScriptUnit, stage: Stage, env: LaunchEnv, p: ShellParser, baseImageProgram: (path: string) => boolean): Host | null {
  const dialect = unit.dialect;
  const resolve = unit.kind === 'file' ? sourceResolver(stage, env, p, dialect) : null;
  return {
    bash: dialect === 'bash',
    parse: (text) => {
      const r = p.parse(text, dialect);
      return r.ok ? r.file : null;
    },
    source: (target, searchPath) => {
      // `. lib.sh` reads the first lib.sh on PATH that the image has, before the working
      // directory (bash; dash and ash would fail there, which is not modelled).
      const onPath = searchPath?.map((d) => path.posix.join(d, target)).find((c) => env.fs.lookup(stage, c) !== null);
      const found = resolve?.(onPath ?? target);
      return found ? { ast: found.file, file: { path: found.source.path, text: found.source.text, spanOf: found.source.spanOf } } : null;
    },
    glob: (pattern) => globInImage(stage, env, pattern),
    baseImageProgram,
  };
}

/** Folders a plain OS image ships files in: their content is not known from the Dockerfile. */
const SYSTEM_DIRS = /^\/(etc|usr|lib|lib32|lib64|libx32|bin|sbin|var|proc|sys|dev|run|boot|root|home|tmp)(\/|$)/;

/**
 * `for f in /startup.d/*`: the files of the folder when the Dockerfile tells them all (COPY'd from
 * the build context onto a plain OS image, which ships nothing there), else null. On `docker run
 * IMAGE` nothing is mounted, so a folder the build leaves empty matches nothing.
 */
function globInImage(stage: Stage, env: LaunchEnv, pattern: string): string[] | null {
  const dir = path.posix.dirname(pattern);
  const base = path.posix.basename(pattern);
  if (!pattern.startsWith('/') || /[*?[\\]/.test(dir) || SYSTEM_DIRS.test(dir) || dir === '/' || !isPlainOs(rootStage(stage))) return null;
  const files = env.fs.list(stage, dir);
  if (files === null) return null;
  const match = picomatch(base, { dot: false });
  return files.filter((f) => match(path.posix.basename(f)));
}

/** Why `p`, which no COPY or ADD provides, may still be in the image (Resolver.unknownPlace). */
function unknownPlaceOf(stage: Stage, p: string): string | null {
  const wd = stage.config.workdirUnknown;
  if (wd && !p.startsWith('/') && p.includes('/')) {
    return `${p} is looked up in the WORKDIR of line ${wd.instruction.keywordSpan.line} (\`${wd.instruction.rest.text.trim()}\`), whose path uses a build argument with no known value`;
  }
  const candidates = p.startsWith('/') ? [p] : p.includes('/') ? [path.posix.resolve(stage.config.workdir, p)] : stagePath(stage).map((d) => path.posix.join(d, p));
  const copy = stage.unknownDests.find((c) => candidates.some((x) => x.startsWith(c.prefix)));
  if (!copy) return null;
  return `${p} may be the file that ${copy.instruction.keyword} on line ${copy.instruction.keywordSpan.line} puts in a folder whose path uses a build argument with no known value (\`${copy.instruction.rest.text.trim()}\`)`;
}

/**
 * A path in the image, through the symlinks RUN made (`ln -s /usr/local/bin/x.sh /x.sh`) and the
 * files it moved or copied (`mv /tmp/run.sh /usr/bin`): replayed back to where a COPY or ADD put
 * the file.
 */
function resolveInImage(stage: Stage, name: string, env: LaunchEnv, guess = true): ResolvedCommand | null {
  const direct = env.fs.resolveCommand(stage, name, guess);
  if (direct || (!env.symlinks?.length && !env.moves?.length)) return direct;
  const candidates = name.includes('/') ? [path.posix.resolve(stage.config.workdir, name)] : stagePath(stage).map((d) => path.posix.join(d, name));
  for (const c of candidates) {
    // Each path a link or a move leads back to, breadth first, a few steps deep.
    let paths = [c];
    // Each path reached, with the one it was reached from.
    const from = new Map<string, string | null>([[c, null]]);
    const aliasesOf = (p: string): string[] => {
      const out: string[] = [];
      for (let x = from.get(p) ?? null; x !== null; x = from.get(x) ?? null) out.unshift(x);
      return out;
    };
    for (let i = 0; i < 8 && paths.length > 0; i++) {
      const next: string[] = [];
      for (const p of paths) {
        for (const q of cameFrom(p, env)) {
          if (from.has(q)) continue;
          from.set(q, p);
          const origin = env.fs.lookup(stage, q);
          if (origin) return { imagePath: q, origin, aliases: aliasesOf(q) };
          next.push(q);
        }
      }
      paths = next.slice(0, 16);
    }
  }
  return null;
}

/** The paths a file at `p` was linked, moved or copied from by RUN. */
function cameFrom(p: string, env: LaunchEnv): string[] {
  const out: string[] = [];
  for (const l of env.symlinks ?? []) {
    if (l.link !== p && !(p.startsWith(`${l.link}/`) && l.link !== '/')) continue;
    const target = path.posix.resolve(path.posix.dirname(l.link), l.target);
    out.push(l.link === p ? target : target + p.slice(l.link.length));
  }
  for (const m of env.moves ?? []) {
    const base = path.posix.basename(m.from);
    // `mv SRC DEST` with DEST a name: the file (or the folder, and what is inside it).
    if (m.into === 'either' && !hasGlobChar(base)) {
      if (p === m.to) out.push(m.from);
      else if (p.startsWith(`${m.to}/`) && m.to !== '/') out.push(m.from + p.slice(m.to.length));
    }
    // Into the folder DEST: DEST/<name>[/rest], where the source's last part is (or matches) name.
    const under = m.to === '/' ? p.slice(1) : p.startsWith(`${m.to}/`) ? p.slice(m.to.length + 1) : null;
    if (under === null || under === '') continue;
    const [first, ...rest] = under.split('/') as [string, ...string[]];
    if (first === base || (hasGlobChar(base) && picomatch(base, { dot: false })(first))) {
      out.push(path.posix.join(path.posix.dirname(m.from), first, ...rest));
    }
  }
  return out;
}

function hasGlobChar(s: string): boolean {
  return /[*?[]/.test(s);
}

/** Paths that name a file the image must have got from somewhere, not a system program. */
function looksLikeScriptPath(p: string): boolean {
  return /\.(sh|bash)$/.test(p) || p.startsWith('./') || (p.startsWith('/') && !/^\/(usr\/)?(local\/)?s?bin\//.test(p));
}

/** A file from the image that a hop runs: a script unit, or a program, or why it is unknown. */
async function loadFile(
  resolved: ResolvedCommand,
  forcedInterpreter: string | null,
  at: Evidence,
  argv: Arg[],
  stage: Stage,
  env: LaunchEnv,
  defaultRun: boolean,
): Promise<ScriptUnit | LoadedProgram | { unknown: string }> {
  const origin = resolved.origin;
  // A shell script made by RUN in another stage (or copied from one): it could hand over or change
  // user, but it cannot be read, so the user of what runs in the end is not known.
  if (origin.kind === 'built' && /\.(sh|bash)$/.test(resolved.imagePath)) {
    return { program: true, handover: `${resolved.imagePath} is a script made in stage ${origin.stage} of the build, which dockerlint cannot read, so what it does (whether it hands over to another program or changes user) is not known` };
  }
  // A build artifact (usually a compiled binary): the main process, content unknown.
  if (origin.kind === 'built' || origin.kind === 'platform') return { program: true };
  // A language runtime copied from an image (`COPY --from=eclipse-temurin:21-jre /opt/java/openjdk
  // /opt/java/openjdk`, then `java -jar app.jar`) is that runtime: the main process.
  if (origin.kind === 'remote' && origin.image !== undefined && isRuntime(resolved.imagePath)) return { program: true };
  if (origin.kind === 'remote' && origin.unknownName) {
    const inst = origin.op.instruction;
    return { unknown: `${resolved.imagePath} may be the file that ${inst.keyword} on line ${inst.keywordSpan.line} copies from \`${origin.unknownName.written}\`, a source that uses a build argument with no known value` };
  }
  if (origin.kind === 'remote') return { unknown: `${resolved.imagePath} comes from ${origin.why}, which dockerlint cannot read` };
  if (origin.kind === 'written' && origin.write.content === null) {
    return { unknown: `${resolved.imagePath} is written by the RUN on line ${origin.write.instruction.keywordSpan.line} of ${env.dockerfile.displayPath}, and its text is not known (${origin.write.why ?? 'it is not literal'})` };
  }
  let text: string;
  let file: SourceFile;
  let source: ScriptText;
  let bom = false;
  if (origin.kind === 'context') {
    try {
      ({ text, bom } = stripBom(env.readContext(origin.contextPath)));
    } catch (e) {
      return { unknown: e instanceof Error ? e.message : String(e) };
    }
    file = new SourceFile(env.displayPath(origin.contextPath), text);
    // CRLF (reported by entrypoint-crlf) is parsed as LF: lines and columns are the same, and
    // `text` (what offsets index) is the LF version.
    source = /\r\n/.test(text) ? { ...fileScriptText(file), text: text.replace(/\r\n/g, '\n') } : fileScriptText(file);
  } else if (origin.kind === 'written') {
    file = env.dockerfile;
    source = writtenScriptText(env.dockerfile, origin.write.content as WrittenText, origin.write.instruction.keywordSpan);
    text = source.text;
  } else {
    // An unquoted heredoc delimiter lets the Dockerfile expand the body: `\$` is a literal `$`.
    const body = origin.heredoc.quoted ? origin.heredoc.body : unescapeDollars(origin.heredoc.body);
    file = env.dockerfile;
    text = body.text;
    source = mappedScriptText(body);
  }
  const shebang = readShebang(text);
  const interp = forcedInterpreter ?? shebang?.interpreter ?? null;
  const isShell = interp !== null ? SHELL_NAMES.has(interp) : /\.(sh|bash)$/.test(resolved.imagePath) || looksLikeShell(text);
  if (!isShell) {
    // A Python program that can replace itself or change its user: what runs next, as whom, is not known.
    const handover = interp !== null && isPythonInterpreter(interp) ? pythonHandover(text) : null;
    if (!handover) return interp !== null && isPythonInterpreter(interp) ? { program: true, read: { language: 'python', file: file.displayPath } } : { program: true };
    const how = handover.kind === 'exec' ? `uses \`${handover.what}\`, which replaces it with another program` : handover.kind === 'user' ? `uses \`${handover.what}\`, which changes its user` : handover.kind === 'named' ? `calls \`${handover.what}\`, whose name says it drops privileges` : `names ${handover.what.replace(/^"(.*)"$/, '`$1`')} as a program to run`;
    return { program: true, handover: `${resolved.imagePath} is a Python program that ${how} (${file.displayPath}:${handover.line}); dockerlint does not follow Python, so the user of what it runs is not known` };
  }
  const cmdArgs = argv.slice(1);
  return parseUnit(
    {
      kind: 'file',
      source,
      interpreter: interp ?? 'sh',
      shebang: forcedInterpreter ? null : shebang,
      receivesArgs: defaultRun && cmdArgs.some((a) => a.origin === 'cmd'),
      startedAt: at,
      imagePath: resolved.imagePath,
      ...(resolved.aliases?.length ? { aliases: resolved.aliases } : {}),
      origin,
      crlf: /\r\n/.test(text),
      bom,
    },
    env,
    stage,
  );
}

function looksLikeShell(text: string): boolean {
  return /^\s*(set -e|exec |if \[|#!)/m.test(text.slice(0, 400));
}

async function inlineUnit(script: string, mapped: MappedText | null, interp: string, at: Evidence, env: LaunchEnv, stage: Stage | null = null): Promise<ScriptUnit> {
  const source: ScriptText = mapped
    ? mappedScriptText(mapped)
    : { file: env.dockerfile, text: script, spanOf: () => at.span };
  return parseUnit(
    { kind: 'inline', source, interpreter: interp, shebang: null, receivesArgs: false, startedAt: at, imagePath: null, origin: null, crlf: false, bom: false },
    env,
    stage,
  );
}

/** The dialect a shell accepts; `sh` is the image's /bin/sh. */
function shellOf(interpreter: string, stage: Stage | null): { dialect: Dialect; sh: ShFlavour | null; known: boolean } {
  if (interpreter === 'bash' || interpreter === 'zsh') return { dialect: 'bash', sh: null, known: true };
  if (interpreter === 'mksh' || interpreter === 'ksh') return { dialect: 'mksh', sh: null, known: true };
  if (interpreter === 'ash') return { dialect: 'bash', sh: 'ash', known: true };
  if (interpreter === 'dash' || interpreter === 'posh') return { dialect: 'posix', sh: 'dash', known: true };
  const image = stage ? imageSh(rootStage(stage)) : { flavour: 'dash' as const, known: false };
  // busybox ash accepts `${v:0:1}`, `${v//a/b}` and `[[ ]]`: parsed with bash's grammar.
  return { dialect: image.flavour === 'dash' ? 'posix' : 'bash', sh: image.flavour, known: image.known };
}

async function parseUnit(
  unit: Omit<ScriptUnit, 'ast' | 'syntaxError' | 'dialect' | 'portability'>,
  env: LaunchEnv,
  stage: Stage | null = null,
): Promise<ScriptUnit> {
  const parser = await env.shell.get();
  const shell = shellOf(unit.interpreter, stage);
  // CRLF: parse as LF (same offsets), the CRLF itself is reported by its own rule.
  const text = unit.source.text.replace(/\r(?=\n)/g, ' ');
  const result = parser.parse(text, shell.dialect);
  const base = stage ? rootStage(stage).base : 'the base image';
  if (result.ok) {
    // busybox ash is parsed with bash's grammar: what bash has and ash lacks is said on its own.
    const ash = shell.sh === 'ash' && shell.known ? firstAshProblem(result.file, text) : null;
    const where = unit.interpreter === 'ash' ? 'busybox ash' : `on \`${base}\`, /bin/sh is busybox ash`;
    const portability = ash ? { shell: 'ash' as const, message: `${where}, which has no ${ash.what}`, p: ash.p } : null;
    return { ...unit, ast: result.file, syntaxError: null, dialect: shell.dialect, portability };
  }
  if (shell.dialect === 'posix' && !result.error.message.startsWith('internal error')) {
    // Valid for bash (and busybox ash), not for dash: a portability problem of its own where the
    // image's /bin/sh is known to be dash (said for no other image); the script is still
    // analysed as the more permissive shells read it.
    const loose = parser.parse(text, 'bash');
    if (loose.ok) {
      const where = unit.interpreter === 'dash' || unit.interpreter === 'posh' ? unit.interpreter : `on \`${base}\`, /bin/sh is dash`;
      const known = shell.known || unit.interpreter !== 'sh';
      return {
        ...unit,
        ast: loose.file,
        syntaxError: null,
        dialect: 'bash',
        portability: known ? { shell: 'dash', message: `${where}, which rejects this: ${result.error.message}`, p: result.error.p } : null,
      };
    }
  }
  return { ...unit, ast: null, syntaxError: result.error, dialect: shell.dialect, portability: null };
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
        const { text } = stripBom(env.readContext(origin.contextPath));
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
      } else if (origin?.kind === 'written' && origin.write.content) {
        const st = writtenScriptText(env.dockerfile, origin.write.content, origin.write.instruction.keywordSpan);
        const result = parser.parse(st.text, dialect);
        if (result.ok) found = { file: result.file, source: { path: env.dockerfile.displayPath, text: st.text, spanOf: st.spanOf } };
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

/**
 * A file a RUN wrote: a heredoc body maps to the Dockerfile character for character; what echo
 * or printf printed maps to that command (every position in it to the whole command).
 */
function writtenScriptText(file: SourceFile, content: WrittenText, fallback: Span): ScriptText {
  const only = content.pieces.length === 1 ? content.pieces[0] : undefined;
  if (only?.mapped && only.start === 0 && only.end === content.text.length) return mappedScriptText(only.mapped);
  const pieceAt = (offset: number) => content.pieces.find((x) => offset >= x.start && offset < x.end) ?? content.pieces[content.pieces.length - 1];
  return {
    file,
    text: content.text,
    noEdits: true,
    spanOf: (p, e) => {
      const a = pieceAt(p[2]);
      const b = pieceAt(Math.max(p[2], e[2] - 1));
      if (!a || !b) return fallback;
      if (a === b && a.mapped) return a.mapped.spanOf(p[2] - a.start, e[2] - a.start);
      return { line: a.span.line, column: a.span.column, endLine: b.span.endLine, endColumn: b.span.endColumn };
    },
  };
}

function mappedScriptText(m: MappedText): ScriptText {
  return { file: m.file, text: m.text, spanOf: (p, e) => m.spanOf(p[2], e[2]) };
}

function unescapeDollars(m: MappedText): MappedText {
  if (!m.text.includes('\\$')) return m;
  const b = MappedText.builder(m.file);
  let from = 0;
  for (let i = m.text.indexOf('\\$'); i !== -1; i = m.text.indexOf('\\$', i + 2)) {
    b.appendMapped(m, from, i);
    from = i + 1;
  }
  b.appendMapped(m, from);
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


