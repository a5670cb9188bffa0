/**
 * The image model: stages, the config each stage ends with (USER, WORKDIR, ENV, SHELL,
 * ENTRYPOINT, CMD, after inheritance from earlier stages), and the COPY/ADD operations that
 * build its filesystem.
 */
import path from 'node:path';
import { commandForm, HEREDOC_SOURCE, type CommandForm, type DockerfileAst, type Heredoc, type Instruction } from '../parsers/dockerfile.js';
import { varReferences } from '../parsers/variables.js';
import { namesPullableImage } from './base-images.js';
import { expandPattern, expandWord as expandWordIn, parseKeyValues as parseKeyValuesIn, splitWords, type Expanded, type VarLookup } from './expand.js';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
export const DEFAULT_SHELL = ['/bin/sh', '-c'];

export interface CommandSetting {
  instruction: Instruction;
  form: CommandForm;
  /** The stage whose instruction set it (differs from the current one when inherited). */
  stage: Stage;
}

export interface UserSetting {
  instruction: Instruction;
  /** The expanded value, e.g. `app`, `1000:1000`, `root`. */
  value: string;
  known: boolean;
}

export interface StageConfig {
  user: UserSetting | null;
  workdir: string;
  env: Map<string, string | null>;
  shell: { argv: string[]; instruction: Instruction | null };
  entrypoint: CommandSetting | null;
  cmd: CommandSetting | null;
  /** ENTRYPOINT in this stage dropped a CMD inherited from the base (Docker resets it). */
  cmdResetBy: Instruction | null;
  /** The WORKDIR is a path dockerlint cannot know (it uses a build argument with no known value): `workdir` is then not it. */
  workdirUnknown?: UnknownPlace | null;
}

/** A path that uses a build argument with no known value: the instruction, and the known start of the path. */
export interface UnknownPlace {
  instruction: Instruction;
  /** What comes before the first unknown part, resolved (`/home/app/release-`); empty when the path starts unknown. */
  prefix: string;
}

export type CopySource =
  | { kind: 'context'; pattern: string }
  | { kind: 'stage'; stage: Stage; pattern: string }
  | { kind: 'heredoc'; heredoc: Heredoc }
  | {
      kind: 'remote';
      ref: string;
      why: string;
      /**
       * The name is chosen by the target platform (`app-linux-$TARGETARCH`): the build copies the
       * binary compiled for it, whichever platform that is. The word as written.
       */
      platform?: string;
      /** Copied from this image (`COPY --from=eclipse-temurin:21-jre`), which dockerlint cannot read. */
      image?: string;
      /**
       * ADD of a URL: an http(s) one that is not a Git repository downloads one file, named by the
       * URL's path; a Git repository is cloned, a folder.
       */
      fetches?: 'download' | 'clone';
      /** A word with parts that use a build argument with no known value: what it may name. */
      unknownName?: UnknownName;
    };

/**
 * What a COPY or ADD source with unknown parts may name (`qemu-${QEMU_ARCH}-static*`): the word as
 * a glob with `*` for each unknown part (`qemu-*-static*`), and whether it may name a folder,
 * whose files then land under the destination with any names.
 */
export interface UnknownName {
  /** The word as written. */
  written: string;
  pattern: string;
  /**
   * From the word alone: it ends with a slash, its last part is all unknown (`${SCRIPT}`), ADD may
   * unpack it (a local archive, a Git repository), or its last part has neither a dot nor a glob
   * (`rootfs-${ARCH}`). A word like `qemu-*-static*` or `*-${ARCH}.sh` names files (a folder the
   * build context shows for it still counts, in ImageFs).
   */
  maybeFolder: boolean;
  /** It names files of the build context (not of a stage, an image or a URL). */
  context: boolean;
}

export interface CopyOp {
  instruction: Instruction;
  /** Absolute, normalised destination (without a trailing slash, `/` for the root). */
  dest: string;
  /** The destination is certainly a folder (trailing `/`, several sources, a WORKDIR, ...). */
  destIsDir: boolean;
  /** The destination may be an existing folder of the base image (e.g. `/usr/local/bin`). */
  destMaybeDir: boolean;
  sources: CopySource[];
  chmod: string | null;
  chown: string | null;
}

export interface Stage {
  index: number;
  name: string | null;
  from: Instruction;
  /** The FROM argument after expansion (`alpine:3.20`, `scratch`, or another stage's name). */
  base: string;
  baseKnown: boolean;
  /** The image word as written in FROM when it uses a build argument (`$root_image`): `base` is then only its default. */
  baseWritten: string | null;
  /**
   * FROM leaves the image itself to the build: its name (not only its tag or registry) comes from
   * build arguments with no default, or with a default that names no image one can pull
   * (`ARG RUNTIME_IMAGE=placeholder`). Every build passes its own image, so which one, and its
   * user, is not known (`baseKnown` is false).
   */
  baseChosenAtBuild: ChosenAtBuild | null;
  /**
   * A RUN of this stage, or of a stage it is built on, that runs `sudo` where no USER is set in
   * any of them: the build runs as the base image's user, and a base that builds as root needs no
   * sudo, so that user is not taken to be root (set by the engine when dockerlint does not know
   * the base image; null or absent otherwise).
   */
  sudoBuild?: Instruction | null;
  /** The earlier stage this one is built on, if it is one. */
  baseStage: Stage | null;
  instructions: Instruction[];
  config: StageConfig;
  copies: CopyOp[];
  /** COPY and ADD whose destination cannot be known (a build argument with no known value, or an unknown WORKDIR). */
  unknownDests: UnknownPlace[];
  /** Folders known to exist (WORKDIRs). */
  dirs: Set<string>;
  /** Build ARGs and ENV in scope at the end of the stage. */
  vars: Map<string, string | null>;
  /** Of `vars`, the build ARGs declared with no default (unset on a build that passes none). */
  unsetArgs: Set<string>;
}

/** The build arguments that name the base image, and their defaults' value (null when they have none). */
export interface ChosenAtBuild {
  args: string[];
  value: string | null;
}

export interface ImageModel {
  ast: DockerfileAst;
  stages: Stage[];
  /** Instructions before the first FROM (global ARGs). */
  preamble: Instruction[];
  /** Instructions whose variable expansion went over its budget (model/expand.ts): values taken as unknown. */
  expansionBudget: Instruction[];
}

/** While buildImageModel runs (synchronously): the instruction being applied, and the budget hits. */
let applying: { inst: Instruction | null; hits: Instruction[] } | null = null;

function noteBudget(e: Expanded | null): void {
  if (e?.budget && applying?.inst && !applying.hits.includes(applying.inst)) applying.hits.push(applying.inst);
}

function expandWord(word: string, vars: VarLookup, escape: string): Expanded {
  const e = expandWordIn(word, vars, escape);
  noteBudget(e);
  return e;
}

function parseKeyValues(text: string, vars: VarLookup, escape: string): ReturnType<typeof parseKeyValuesIn> {
  const kvs = parseKeyValuesIn(text, vars, escape);
  for (const kv of kvs) noteBudget(kv.value);
  return kvs;
}

/** Folders every Linux base image has, so `COPY x.sh /usr/local/bin` lands inside them. */
const STANDARD_DIRS = new Set([
  '/', '/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/usr/local',
  '/etc', '/opt', '/tmp', '/root', '/home', '/var', '/srv', '/usr', '/usr/share', '/usr/lib',
]);

export function buildImageModel(ast: DockerfileAst): ImageModel {
  const outer = applying;
  applying = { inst: null, hits: [] };
  try {
    const model = buildModel(ast);
    return { ...model, expansionBudget: applying.hits };
  } finally {
    applying = outer;
  }
}

function buildModel(ast: DockerfileAst): Omit<ImageModel, 'expansionBudget'> {
  const preamble: Instruction[] = [];
  const stages: Stage[] = [];
  const globalArgs = new Map<string, string | null>();
  const escape = ast.escape;
  const globalUnset = new Set<string>();

  let current: Stage | null = null;
  for (const inst of ast.instructions) {
    if (applying) applying.inst = inst;
    if (inst.keyword === 'FROM') {
      current = startStage(inst, stages, globalArgs, escape, globalUnset);
      stages.push(current);
      continue;
    }
    if (!current) {
      preamble.push(inst);
      if (inst.keyword === 'ARG') {
        const lookup: VarLookup = Object.assign((n: string) => globalArgs.get(n), { unsetArg: (n: string) => globalUnset.has(n) });
        for (const kv of parseKeyValues(inst.rest.text, lookup, escape)) {
          globalArgs.set(kv.key, kv.value ? (kv.value.known ? kv.value.value : null) : null);
          // BuildKit gives its platform ARGs a value of its own: not unset.
          if (kv.value || PLATFORM_ARGS.has(kv.key)) globalUnset.delete(kv.key);
          else globalUnset.add(kv.key);
        }
      }
      continue;
    }
    applyInstruction(current, inst, stages, globalArgs, escape, globalUnset);
  }
  for (const stage of stages) settleFolderDestinations(stage);
  return { ast, stages, preamble };
}

/**
 * A COPY or ADD of one file to a destination with no trailing slash puts the file inside it when
 * the destination is a folder of the image (Docker's rule), and at that path otherwise. Besides
 * the folders known when it runs (a WORKDIR, an earlier COPY into the folder), the destination is
 * a folder when the build places something below it (`COPY app /opt/app/bin/app`, `WORKDIR
 * /home/app/data`, in this stage or one it builds on, before or after: below a file, that COPY
 * would fail), and when it is a folder every Linux base image has (`/usr/local/bin`, `/opt`,
 * `/etc`), unless the stage starts from `scratch`.
 */
function settleFolderDestinations(stage: Stage): void {
  const below = new Set<string>();
  const chain: Stage[] = [];
  for (let s: Stage | null = stage; s; s = s.baseStage) chain.push(s);
  const above = (p: string): void => {
    for (let d = path.posix.dirname(p); !below.has(d); d = path.posix.dirname(d)) {
      below.add(d);
      if (d === '/') break;
    }
  };
  for (const s of chain) {
    for (const op of s.copies) above(op.dest);
    for (const d of s.dirs) above(path.posix.join(d, 'x'));
  }
  const linux = rootStage(stage).base.toLowerCase() !== 'scratch';
  for (const op of stage.copies) {
    if (op.destIsDir) continue;
    if (below.has(op.dest) || (linux && STANDARD_DIRS.has(op.dest))) op.destIsDir = true;
  }
}

function startStage(from: Instruction, stages: Stage[], globalArgs: Map<string, string | null>, escape: string, globalUnset: ReadonlySet<string>): Stage {
  const words = splitWords(from.rest.text, escape);
  const imageWord = words[0]?.text ?? '';
  const image = fromImage(imageWord, stages, globalArgs, escape, globalUnset);
  const asIndex = words.findIndex((w) => w.text.toLowerCase() === 'as');
  const name = asIndex >= 0 ? (words[asIndex + 1]?.text.toLowerCase() ?? null) : null;
  const baseStage = image.known ? findStage(stages, image.value) : null;
  const chosen = baseStage ? null : chosenAtBuild(imageWord, globalArgs, escape);
  const config: StageConfig = baseStage
    ? {
        ...baseStage.config,
        env: new Map(baseStage.config.env),
        cmdResetBy: null,
      }
    : {
        user: null,
        workdir: '/',
        env: new Map(),
        shell: { argv: DEFAULT_SHELL, instruction: null },
        entrypoint: null,
        cmd: null,
        cmdResetBy: null,
      };
  const vars = new Map<string, string | null>(config.env);
  // Base images set PATH in their config; `ENV PATH=/app/bin:$PATH` builds on it.
  if (!vars.has('PATH')) vars.set('PATH', DEFAULT_PATH);
  return {
    index: stages.length,
    name,
    from,
    base: image.value,
    baseKnown: image.known && !chosen,
    baseWritten: imageWord.includes('$') ? imageWord : null,
    baseChosenAtBuild: chosen,
    baseStage,
    instructions: [],
    config,
    copies: [],
    unknownDests: baseStage ? [...baseStage.unknownDests] : [],
    dirs: new Set(baseStage ? baseStage.dirs : []),
    vars,
    unsetArgs: new Set(),
  };
}

/**
 * The values BuildKit gives its automatic platform ARGs in FROM on a build that names no platform,
 * on the usual CI runner (linux/amd64). They are in the global scope without an `ARG` line.
 */
const FROM_PLATFORM: ReadonlyMap<string, string> = new Map([
  ['TARGETPLATFORM', 'linux/amd64'], ['TARGETOS', 'linux'], ['TARGETARCH', 'amd64'], ['TARGETVARIANT', ''],
  ['BUILDPLATFORM', 'linux/amd64'], ['BUILDOS', 'linux'], ['BUILDARCH', 'amd64'], ['BUILDVARIANT', ''],
]);

/**
 * The image of a FROM line. A stage per platform chosen by BuildKit's automatic platform ARGs
 * (`FROM build-${TARGETARCH}` after `FROM ubuntu AS build-amd64` and `AS build-arm64`) is read as
 * the stage a linux/amd64 build picks; a platform ARG that names no stage of the file stays as the
 * build arguments leave it.
 */
function fromImage(word: string, stages: Stage[], globalArgs: Map<string, string | null>, escape: string, globalUnset: ReadonlySet<string>): Expanded {
  const unsetArg = (n: string): boolean => globalUnset.has(n);
  const plain = expandWord(word, Object.assign((n: string) => globalArgs.get(n), { unsetArg }), escape);
  if (!word.includes('$')) return plain;
  const onPlatform = expandWord(word, Object.assign((n: string) => {
    const v = globalArgs.get(n);
    return (v === undefined || v === null) && FROM_PLATFORM.has(n) ? FROM_PLATFORM.get(n) : v;
  }, { unsetArg: (n: string) => unsetArg(n) && !FROM_PLATFORM.has(n) }), escape);
  return onPlatform.known && onPlatform.value !== plain.value && findStage(stages, onPlatform.value) ? onPlatform : plain;
}

/**
 * Whether the FROM word leaves the image to the build (Stage.baseChosenAtBuild): the image name,
 * after the last `/` and before the tag or digest, uses a build argument, and the defaults make no
 * name one can pull. A registry, a namespace or a tag from a build argument
 * (`${REGISTRY}/app:${TAG}`, `ubuntu:$RELEASE`) leaves the image named.
 */
function chosenAtBuild(word: string, globalArgs: Map<string, string | null>, escape: string): ChosenAtBuild | null {
  const refs = varReferences(word, { escape });
  const outside = (i: number): boolean => !refs.some((r) => i >= r.start && i < r.end);
  const at = [...word].findIndex((c, i) => c === '@' && outside(i));
  const named = at < 0 ? word : word.slice(0, at);
  let slash = -1;
  let colon = -1;
  for (let i = 0; i < named.length; i++) {
    if (!outside(i)) continue;
    if (named[i] === '/') {
      slash = i;
      colon = -1;
    } else if (named[i] === ':') colon = i;
  }
  const end = colon < 0 ? named.length : colon;
  const args = refs.filter((r) => r.start >= slash + 1 && r.start < end).map((r) => r.name);
  if (args.length === 0) return null;
  const name = expandWord(word.slice(0, end), (n) => globalArgs.get(n), escape);
  if (name.known && name.value !== '' && namesPullableImage(name.value)) return null;
  return { args: [...new Set(args)], value: name.known && name.value !== '' ? name.value : null };
}

/**
 * Why a stage's base image is not known (Stage.baseChosenAtBuild), for messages: "`FROM
 * ${RUNTIME_IMAGE}` takes the image from the build argument RUNTIME_IMAGE, whose default
 * `placeholder` names no image one can pull".
 */
export function chosenAtBuildText(stage: Pick<Stage, 'baseChosenAtBuild' | 'baseWritten'>): string | null {
  const chosen = stage.baseChosenAtBuild;
  if (!chosen) return null;
  const names = chosen.args.join(', ');
  const args = chosen.args.length > 1 ? `build arguments ${names}` : `build argument ${names}`;
  const value = chosen.value === null ? (chosen.args.length > 1 ? 'which have no default' : 'which has no default') : `whose default \`${chosen.value}\` names no image one can pull`;
  return `\`FROM ${stage.baseWritten ?? ''}\` takes the image from the ${args}, ${value}`;
}

/** An earlier stage by name or by index (`COPY --from=0`). */
/** The stage `ref` names (`COPY --from=build`, `FROM build`): by name, case-insensitive, or by index. */
export function findStage(stages: Stage[], ref: string): Stage | null {
  const lower = ref.toLowerCase();
  const byName = stages.find((s) => s.name === lower);
  if (byName) return byName;
  if (/^\d+$/.test(ref)) return stages[Number(ref)] ?? null;
  return null;
}

function applyInstruction(
  stage: Stage,
  inst: Instruction,
  stages: Stage[],
  globalArgs: Map<string, string | null>,
  escape: string,
  globalUnset: ReadonlySet<string>,
): void {
  stage.instructions.push(inst);
  const cfg = stage.config;
  const lookup: VarLookup = Object.assign((n: string) => (stage.vars.has(n) ? stage.vars.get(n) : undefined), { unsetArg: (n: string) => stage.unsetArgs.has(n) });
  const expand = (word: string): Expanded => expandWord(word, lookup, escape);
  switch (inst.keyword) {
    case 'ARG':
      for (const kv of parseKeyValues(inst.rest.text, lookup, escape)) {
        if (kv.value) {
          stage.vars.set(kv.key, kv.value.known ? kv.value.value : null);
          stage.unsetArgs.delete(kv.key);
        } else if (globalArgs.has(kv.key)) {
          stage.vars.set(kv.key, globalArgs.get(kv.key) ?? null);
          if (globalUnset.has(kv.key)) stage.unsetArgs.add(kv.key);
        } else if (!stage.vars.has(kv.key)) {
          stage.vars.set(kv.key, null);
          if (!PLATFORM_ARGS.has(kv.key)) stage.unsetArgs.add(kv.key);
        }
      }
      break;
    case 'ENV':
      for (const kv of parseKeyValues(inst.rest.text, lookup, escape)) {
        const v = kv.value ? (kv.value.known ? kv.value.value : null) : null;
        cfg.env.set(kv.key, v);
        stage.vars.set(kv.key, v);
        stage.unsetArgs.delete(kv.key);
      }
      break;
    case 'USER': {
      const e = expand(inst.rest.text.trim());
      cfg.user = { instruction: inst, value: e.value, known: e.known };
      break;
    }
    case 'WORKDIR': {
      const text = inst.rest.text.trim();
      const e = expand(text);
      if (e.known && (text.startsWith('/') || !cfg.workdirUnknown)) {
        cfg.workdir = path.posix.resolve(cfg.workdir, e.value);
        cfg.workdirUnknown = null;
        stage.dirs.add(cfg.workdir);
      } else if (e.known) {
        // Relative to a WORKDIR that is not known: still not known.
        cfg.workdirUnknown = { instruction: inst, prefix: (cfg.workdirUnknown as UnknownPlace).prefix };
      } else cfg.workdirUnknown = { instruction: inst, prefix: knownStart(text, lookup, escape, cfg) };
      break;
    }
    case 'SHELL': {
      const form = commandForm(inst.rest);
      if (form.kind === 'exec' && form.argv.length > 0) cfg.shell = { argv: form.argv, instruction: inst };
      break;
    }
    case 'ENTRYPOINT':
      cfg.entrypoint = { instruction: inst, form: commandForm(inst.rest), stage };
      // Docker: setting ENTRYPOINT drops a CMD that the stage did not set itself.
      if (cfg.cmd && cfg.cmd.stage !== stage) {
        cfg.cmdResetBy = inst;
        cfg.cmd = null;
      }
      break;
    case 'CMD':
      cfg.cmd = { instruction: inst, form: commandForm(inst.rest), stage };
      break;
    case 'COPY':
    case 'ADD': {
      const op = copyOp(stage, inst, stages, lookup, escape);
      const place = op ? null : unknownDest(inst, lookup, escape, cfg);
      if (place) stage.unknownDests.push(place);
      if (op) {
        stage.copies.push(op);
        if (op.destIsDir) stage.dirs.add(op.dest);
      }
      break;
    }
    default:
      break;
  }
}

/** The platform ARGs BuildKit sets in every stage that declares them (`ARG TARGETARCH`). */
const PLATFORM_ARGS = new Set(['TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT']);
const PLATFORM_MARK = '\u0001';

function flagValue(inst: Instruction, name: string): string | null {
  const f = inst.flags.find((x) => x.name === name);
  return f ? (f.value ?? '') : null;
}

/**
 * A flag's value with its build arguments and ENV expanded (`--chmod=${MODE}`), as BuildKit does;
 * `\u0000unknown` when it uses one with no known value.
 */
function expandedFlag(value: string | null, lookup: VarLookup, escape: string): string | null {
  if (value === null || !value.includes('$')) return value;
  const e = expandWord(value, lookup, escape);
  return e.known ? e.value : '\u0000unknown';
}

function copyOp(stage: Stage, inst: Instruction, stages: Stage[], lookup: VarLookup, escape: string): CopyOp | null {
  const form = commandForm(inst.rest);
  let words: string[];
  /** Source words whose only unknown parts are BuildKit's automatic platform ARGs, as written. */
  const platformWords = new Map<number, string>();
  /** Source words with unknown parts: what they may name. */
  const unknownNames = new Map<number, UnknownName>();
  if (form.kind === 'exec') words = form.argv;
  else {
    // BuildKit sets the platform ARGs a stage declares without a value: unknown here, but set.
    const platform: VarLookup = (n) => {
      const v = lookup(n);
      return v === null && PLATFORM_ARGS.has(n) ? PLATFORM_MARK : v;
    };
    words = splitWords(inst.rest.text, escape).map((w, i) => {
      const e = expandWord(w.text, lookup, escape);
      if (e.known) return e.value;
      if (expandWord(w.text, platform, escape).known) platformWords.set(i, w.text);
      const named = unknownName(w.text, lookup, escape, inst.keyword === 'ADD', flagValue(inst, 'from') === null);
      if (named) unknownNames.set(i, named);
      return '\u0000unknown';
    });
  }
  if (words.length < 2) return null;
  const rawDest = words[words.length - 1] ?? '';
  if (rawDest.includes('\u0000')) return null;
  // Relative to a WORKDIR that is not known: where it lands is not known either.
  if (stage.config.workdirUnknown && !rawDest.startsWith('/')) return null;
  const srcWords = words.slice(0, -1);
  const from = flagValue(inst, 'from');
  const heredocNames = new Map(inst.heredocs.map((h) => [h.name, h]));
  const sources: CopySource[] = [];
  const fromStage = from !== null ? findStage(stages.slice(0, stage.index), from) : null;
  for (const [i, w] of srcWords.entries()) {
    const hd = HEREDOC_SOURCE.exec(w);
    const heredoc = hd ? heredocNames.get(hd[1] ?? '') : undefined;
    const platform = platformWords.get(i);
    if (heredoc) sources.push({ kind: 'heredoc', heredoc });
    else if (w.includes('\u0000')) {
      const named = unknownNames.get(i);
      sources.push({ kind: 'remote', ref: w, why: 'a build argument with no known value', ...(platform !== undefined ? { platform } : {}), ...(named ? { unknownName: named } : {}) });
    }
    else if (from !== null) {
      if (fromStage) sources.push({ kind: 'stage', stage: fromStage, pattern: w });
      else sources.push({ kind: 'remote', ref: w, why: `image ${from}`, image: from });
    } else if (inst.keyword === 'ADD' && /^(https?:\/\/|git@)/.test(w)) {
      sources.push({ kind: 'remote', ref: w, why: 'a URL', fetches: isGitSource(w) ? 'clone' : 'download' });
    } else sources.push({ kind: 'context', pattern: w });
  }
  const cfg = stage.config;
  const dest = path.posix.resolve(cfg.workdir, rawDest);
  const trailing = rawDest.endsWith('/') || rawDest === '.' || rawDest.endsWith('/.');
  // A glob that matches several files also makes the destination a folder; that is known only
  // when the context is listed (ImageFs), so here only several source words count.
  const multi = srcWords.length > 1;
  return {
    instruction: inst,
    dest,
    destIsDir: trailing || multi || stage.dirs.has(dest),
    destMaybeDir: STANDARD_DIRS.has(dest),
    sources,
    chmod: expandedFlag(flagValue(inst, 'chmod'), lookup, escape),
    chown: flagValue(inst, 'chown'),
  };
}

/** An ADD source BuildKit clones as a Git repository (a folder), not one it downloads. */
function isGitSource(word: string): boolean {
  return /^git@|^git:\/\/|^ssh:\/\/|\.git([#/?]|$)/i.test(word);
}

/** What a source word with unknown parts may name (see UnknownName); null when that is not known either. */
function unknownName(text: string, lookup: VarLookup, escape: string, add: boolean, context: boolean): UnknownName | null {
  const MARK = '\u0001';
  const e = expandPattern(text, lookup, MARK, escape);
  if (!e) return null;
  const url = add && /^https?:\/\//i.test(e.value);
  const git = add && isGitSource(e.value);
  // A download is named by the URL's path, without its query or fragment.
  const word = url ? e.value.replace(/[?#].*$/, '') : e.value;
  const last = word.replace(/\/+\.?$/, '').split('/').pop() ?? '';
  const knownOfLast = last.split(MARK).join('');
  // ADD unpacks a local archive and clones a Git repository: anything may land under the
  // destination. Any other download is one file.
  const maybeFolder = add ? !url || git : /\/\.?$/.test(word) || knownOfLast.replace(/[*?]/g, '') === '' || !/[.*?[]/.test(knownOfLast);
  return { written: text, pattern: word.split(MARK).join('*'), maybeFolder, context: context && !url };
}

/**
 * The destination of a COPY or ADD that copyOp could not place: it uses a build argument with no
 * known value, or is relative to a WORKDIR that is not known. Null for one it did not place for
 * another reason (fewer than two words).
 */
function unknownDest(inst: Instruction, lookup: VarLookup, escape: string, cfg: StageConfig): UnknownPlace | null {
  if (commandForm(inst.rest).kind === 'exec') return null;
  const words = splitWords(inst.rest.text, escape);
  const last = words[words.length - 1];
  if (words.length < 2 || !last) return null;
  const e = expandWord(last.text, lookup, escape);
  if (e.known) return cfg.workdirUnknown && !e.value.startsWith('/') ? { instruction: inst, prefix: cfg.workdirUnknown.prefix } : null;
  return { instruction: inst, prefix: knownStart(last.text, lookup, escape, cfg) };
}

/** The known start of a path word that uses a build argument with no known value, resolved against WORKDIR. */
function knownStart(text: string, lookup: VarLookup, escape: string, cfg: StageConfig): string {
  const UNKNOWN_MARK = '\u0001';
  const e = expandWord(text, (n) => {
    const v = lookup(n);
    return v === null ? UNKNOWN_MARK : v;
  }, escape);
  const head = e.value.split(UNKNOWN_MARK)[0] ?? '';
  if (!head.startsWith('/')) return cfg.workdirUnknown ? cfg.workdirUnknown.prefix : head === '' ? '' : path.posix.join(cfg.workdir, head);
  return head;
}

/** The stage a build produces: the named `--target`, else the last one. */
export function targetStage(model: ImageModel, target?: string): Stage | null {
  if (target) return findStage(model.stages, target);
  return model.stages[model.stages.length - 1] ?? null;
}

/** PATH of a stage's config. */
export function stagePath(stage: Stage): string[] {
  const p = stage.config.env.get('PATH');
  return (p ?? DEFAULT_PATH).split(':').filter((d) => d.startsWith('/'));
}

/** The first stage of a chain of `FROM <stage>`: the one built on an image. */
export function rootStage(stage: Stage): Stage {
  let s = stage;
  while (s.baseStage) s = s.baseStage;
  return s;
}
