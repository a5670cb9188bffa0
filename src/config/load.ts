/**
 * Finding, reading and validating the configuration file.
 *
 * From a start folder upwards, the first folder that has `.dockerlint.yaml`, `.dockerlint.yml`
 * or a `package.json` with a `dockerlint` key wins; the search stops at the filesystem root and
 * after a folder that contains `.git` (the top of the repository). `--config FILE` names the file
 * instead (YAML or JSON; a `package.json` is read for its `dockerlint` key).
 *
 * The file is data only: YAML is parsed with the `yaml` package's core schema (no custom tags,
 * nothing executed) and validated against the JSON Schema of `./schema.ts`. Nothing here throws
 * for bad input: every problem comes back as a `ConfigError` naming the file, the key and, where
 * it can tell, the line.
 */
import { HADOLINT_CONFIG_NAMES, translateHadolint } from './hadolint.js';
import { ruleIdsFor } from './rule-refs.js';
import { RULES } from '../rules/index.js';
import path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { createRequire } from 'node:module';
import picomatch from 'picomatch';
import type { Document, LineCounter } from 'yaml';

// yaml and ajv are loaded only when there is a configuration file to read: most runs have none,
// and together they are a third of dockerlint's start-up code.
const require = createRequire(import.meta.url);
let yamlLib: typeof import('yaml') | null = null;
const yaml = (): typeof import('yaml') => (yamlLib ??= require('yaml') as typeof import('yaml'));
import type { BaseImageFacts } from '../model/base-images.js';
import { FsError } from '../fs/file-system.js';
import { Jail } from '../fs/jail.js';
import { CONFIG_KEYS, configSchema, defaultConfig, parseSize, type Config } from './schema.js';

const CONFIG_FILE_NAMES = ['.dockerlint.yaml', '.dockerlint.yml'] as const;
/** The key of `package.json` that holds the configuration. */
const PACKAGE_KEY = 'dockerlint';
/** Larger configuration files are refused (they are a mistake, or an attack on the parser). */
const MAX_CONFIG_BYTES = 1024 * 1024;

export interface ConfigError {
  /** The file, relative to the start folder (forward slashes). */
  file: string;
  /**
   * Where in the file: a dotted path such as `rules.root-procss` or `context[0].dockerfile`
   * (prefixed with `dockerlint.` in a package.json); empty for the whole file.
   */
  key: string;
  message: string;
  /** 1-based, when known (always for YAML syntax errors). */
  line?: number;
  column?: number;
  /**
   * The other problems of the same file, when it has several: every one is reported at once
   * (the first is this error itself).
   */
  more?: ConfigError[];
}

/**
 * `lines`: where each `context[i].context` of the file is (key `context[i].context` -> line), so
 * that a context refused later can be reported at its line.
 */
export type LoadResult = { config: Config; file: string | null; lines?: Record<string, number>; notes?: string[] } | { error: ConfigError };

export interface LoadOptions {
  /**
   * The run's jail: the upward search stops at its root, and every file is read through it (its
   * file system and size limit). Default: the whole file system (the search stops at `.git`).
   */
  jail?: Jail;
}

type Segment = string | number;

const RULE_IDS = new Set(RULES.map((r) => r.id));

/**
 * Loads the configuration for a run started in `startDir` (the current folder): the file named
 * by `explicit` (relative to `startDir`), else the nearest one found upwards, else the defaults
 * (`file: null`). `file` in the result is an absolute path; relative paths in the configuration
 * are relative to its folder.
 */
export function loadConfig(startDir: string, explicit?: string, options: LoadOptions = {}): LoadResult {
  try {
    return load(startDir, explicit, options.jail ?? null);
  } catch (e) {
    // A bug here must not take the run down with a stack trace; say what failed.
    return { error: { file: explicit ?? '', key: '', message: `internal error while reading the configuration: ${e instanceof Error ? e.message : String(e)} (please report it)` } };
  }
}

function load(startDir: string, explicit: string | undefined, given: Jail | null): LoadResult {
  const start = path.resolve(startDir);
  const shown = (abs: string): string => displayFile(abs, start);
  if (explicit !== undefined && explicit !== '') {
    const abs = path.resolve(start, explicit);
    // A file named by the user is read where it is (through the same reader and limits).
    const own = new Jail(path.dirname(abs), given?.fs, given?.maxFileBytes);
    const text = readText(abs, shown(abs), own);
    if ('error' in text) return text;
    const parsed = path.basename(abs) === 'package.json' ? parsePackageJson(text.text, shown(abs), true) : parseConfigText(text.text, shown(abs));
    if (!parsed) return { error: { file: shown(abs), key: PACKAGE_KEY, message: `package.json has no "${PACKAGE_KEY}" key` } };
    return 'error' in parsed ? parsed : { config: parsed.config, file: abs, ...linesOf(parsed) };
  }

  // Without a jail (the API), the search may go up to the file system's root (and stops at .git).
  const jail = given ?? new Jail(path.parse(start).root);
  for (let dir = start; jail.contains(dir); ) {
    const found: { abs: string; config: Config; lines?: Record<string, number> }[] = [];
    for (const name of CONFIG_FILE_NAMES) {
      const abs = path.join(dir, name);
      if (!present(abs, jail)) continue;
      const text = readText(abs, shown(abs), jail);
      if ('error' in text) return text;
      const parsed = parseConfigText(text.text, shown(abs));
      if ('error' in parsed) return parsed;
      found.push({ abs, config: parsed.config, ...linesOf(parsed) });
    }
    const pkg = path.join(dir, 'package.json');
    if (present(pkg, jail)) {
      const text = readText(pkg, shown(pkg), jail);
      if ('error' in text) return text;
      const parsed = parsePackageJson(text.text, shown(pkg), false);
      if (parsed && 'error' in parsed) return parsed;
      if (parsed) found.push({ abs: pkg, config: parsed.config, ...linesOf(parsed) });
    }
    if (found.length > 1) {
      const names = found.map((f) => path.basename(f.abs) + (path.basename(f.abs) === 'package.json' ? ` (key "${PACKAGE_KEY}")` : ''));
      return {
        error: {
          file: shown(found[1]!.abs),
          key: '',
          message: `several dockerlint configurations in one folder (${names.join(', ')}); keep one`,
        },
      };
    }
    if (found.length === 1) return { config: found[0]!.config, file: found[0]!.abs, ...(found[0]!.lines ? { lines: found[0]!.lines } : {}) };
    const parent = path.dirname(dir);
    if (parent === dir || dir === jail.root || hasGit(dir, jail)) break;
    dir = parent;
  }
  // No dockerlint configuration: a project migrating from hadolint keeps its .hadolint.yaml.
  return findHadolintConfig(start, jail, shown) ?? { config: defaultConfig(), file: null };
}

/** The nearest .hadolint.yaml / .hadolint.yml upwards (same search as for dockerlint's), translated. */
export function findHadolintConfig(start: string, jail: Jail, shown: (abs: string) => string = (a) => a): LoadResult | null {
  for (let dir = start; jail.contains(dir); ) {
    for (const name of HADOLINT_CONFIG_NAMES) {
      const abs = path.join(dir, name);
      if (!present(abs, jail)) continue;
      const text = readText(abs, shown(abs), jail);
      if ('error' in text) return text;
      const doc = yaml().parseDocument(text.text, { prettyErrors: false, uniqueKeys: false, merge: false });
      if (doc.errors[0]) return { error: { file: shown(abs), key: '', message: `YAML syntax error: ${firstLine(doc.errors[0].message)}` } };
      let data: unknown;
      try {
        data = doc.toJS({ maxAliasCount: 100 });
      } catch (e) {
        return { error: { file: shown(abs), key: '', message: `cannot read the YAML: ${firstLine(e instanceof Error ? e.message : String(e))}` } };
      }
      const t = translateHadolint(data);
      return { config: t.config, file: abs, ...(t.notes.length ? { notes: t.notes } : {}) };
    }
    const parent = path.dirname(dir);
    if (parent === dir || dir === jail.root || hasGit(dir, jail)) break;
    dir = parent;
  }
  return null;
}

function linesOf(parsed: { lines?: Record<string, number> }): { lines?: Record<string, number> } {
  return parsed.lines && Object.keys(parsed.lines).length > 0 ? { lines: parsed.lines } : {};
}

/** Parses and validates the text of a YAML (or JSON) configuration file. */
export function parseConfigText(text: string, file: string): { config: Config; lines?: Record<string, number> } | { error: ConfigError } {
  const lineCounter = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: false });
  const syntax = doc.errors[0];
  if (syntax) {
    const pos = lineCounter.linePos(syntax.pos[0]);
    return { error: { file, key: '', message: `YAML syntax error: ${firstLine(syntax.message)}`, line: pos.line, column: pos.col } };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { error: { file, key: '', message: `cannot read the YAML: ${firstLine(e instanceof Error ? e.message : String(e))}` } };
  }
  if (data === null || data === undefined) return { config: defaultConfig() };
  return validateConfig(data, file, [], locator(doc, lineCounter));
}

/**
 * The `dockerlint` key of a package.json: null when it has none (and `required` is false), the
 * validated configuration, or an error.
 */
function parsePackageJson(text: string, file: string, required: boolean): { config: Config; lines?: Record<string, number> } | { error: ConfigError } | null {
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch (e) {
    return { error: { file, key: '', message: `not valid JSON: ${firstLine(e instanceof Error ? e.message : String(e))}` } };
  }
  if (typeof pkg !== 'object' || pkg === null || Array.isArray(pkg) || !Object.prototype.hasOwnProperty.call(pkg, PACKAGE_KEY)) {
    return required ? { error: { file, key: PACKAGE_KEY, message: `package.json has no "${PACKAGE_KEY}" key` } } : null;
  }
  // JSON is YAML: parse it again as a YAML document only to find the line of a bad key.
  const lineCounter = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const locate = doc.errors.length === 0 ? locator(doc, lineCounter) : () => undefined;
  return validateConfig((pkg as Record<string, unknown>)[PACKAGE_KEY], file, [PACKAGE_KEY], locate);
}

let validator: ValidateFunction | null = null;

/** Every schema violation, so that a file with three mistakes is fixed in one go. */
function validate(data: unknown): ErrorObject[] {
  if (!validator) {
    // ajv is CommonJS: under NodeNext its class is the default export's `default`.
    const Ajv = (require('ajv') as typeof import('ajv')).default;
    validator = new Ajv({ allErrors: true, strict: true }).compile(configSchema());
  }
  return validator(data) ? [] : (validator.errors ?? []);
}

/** `warn` for `warning`, as ESLint and hadolint spell it, in `rules` and `categories`. */
function warnAlias(data: Record<string, unknown>): Record<string, unknown> {
  const out = { ...data };
  for (const key of ['rules', 'categories']) {
    const table = out[key];
    if (typeof table !== 'object' || table === null || Array.isArray(table)) continue;
    out[key] = Object.fromEntries(Object.entries(table).map(([k, v]) => [k, v === 'warn' ? 'warning' : v]));
  }
  return out;
}

/** The known name closest to a misspelt one (at most a third of its letters off), if any. */
function didYouMean(name: string, known: readonly string[]): string | null {
  const distance = (a: string, b: string): number => {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      for (let j = 1; j <= b.length; j++) row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row;
    }
    return prev[b.length] ?? Infinity;
  };
  let best: string | null = null;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const k of known) {
    const d = distance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

type Locate = (segments: Segment[], keyOf?: string) => { line: number; column: number } | undefined;

/** Validates parsed data; `prefix` is the path of the configuration inside the file. */
function validateConfig(
  data: unknown,
  file: string,
  prefix: Segment[] = [],
  locate: Locate = () => undefined,
): { config: Config; lines?: Record<string, number> } | { error: ConfigError } {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { error: { file, key: keyText(prefix), message: `expected a mapping of settings (${CONFIG_KEYS.join(', ')})`, ...locate(prefix) } };
  }
  const aliased = warnAlias(data as Record<string, unknown>);
  const errs = validate(aliased);
  if (errs.length > 0) {
    // One problem per place: ajv can say the same thing twice (through anyOf branches, say).
    const seen = new Set<string>();
    const all = errs
      .map((e) => describe(e, file, prefix, locate))
      .filter((e) => !seen.has(`${e.key}|${e.message}`) && !!seen.add(`${e.key}|${e.message}`))
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const [first, ...more] = all as [ConfigError, ...ConfigError[]];
    return { error: more.length > 0 ? { ...first, more } : first };
  }
  const raw = aliased as Partial<Config> & { $schema?: string };
  const config = defaultConfig();
  if (raw.preset) config.preset = raw.preset;
  if (raw.categories) config.categories = { ...raw.categories };
  if (raw.rules) {
    // Peer codes stand for the rules they map to; a rule id named as well wins over a code.
    for (const [name, sev] of Object.entries(raw.rules)) if (!RULE_IDS.has(name)) for (const id of ruleIdsFor(name) ?? []) config.rules[id] = sev;
    // ShellCheck's ids keep their names (`shellcheck/SC2086: off`).
    for (const [name, sev] of Object.entries(raw.rules)) if (RULE_IDS.has(name)) config.rules[name] = sev;
  }
  if (raw.ruleOptions) config.ruleOptions = structuredClone(raw.ruleOptions);
  if (raw.shellcheck !== undefined) config.shellcheck = raw.shellcheck;
  if (raw.ignore) config.ignore = [...raw.ignore];
  if (raw.failureThreshold) config.failureThreshold = raw.failureThreshold;
  if (raw.format) config.format = raw.format;
  if (raw.maxFileSize !== undefined) {
    if (parseSize(raw.maxFileSize) === null) {
      return { error: { file, key: keyText([...prefix, 'maxFileSize']), message: 'expected a positive size: bytes, or a number with KB, MB or GB', ...locate([...prefix, 'maxFileSize']) } };
    }
    config.maxFileSize = raw.maxFileSize;
  }
  const lines: Record<string, number> = {};
  if (raw.context) {
    config.context = raw.context.map((c) => ({ dockerfile: c.dockerfile, context: c.context }));
    raw.context.forEach((_c, i) => {
      const at = locate([...prefix, 'context', i, 'context']);
      if (at) lines[keyText([...prefix, 'context', i, 'context'])] = at.line;
    });
  }
  if (raw.trustedBaseImages) {
    config.trustedBaseImages = raw.trustedBaseImages.map((t) => ({
      image: t.image,
      ...(t.user !== undefined ? { user: t.user } : {}),
      ...(t.dropsPrivileges !== undefined ? { dropsPrivileges: t.dropsPrivileges } : {}),
    }));
  }
  return Object.keys(lines).length > 0 ? { config, lines } : { config };
}

function describe(err: ErrorObject, file: string, prefix: Segment[], locate: Locate): ConfigError {
  const at: Segment[] = [
    ...prefix,
    ...err.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
  ];
  const inner = at.slice(prefix.length);
  const params = err.params as Record<string, unknown>;
  const known = (schemaPath: Segment[]): string[] => {
    let node: unknown = configSchema();
    for (const s of schemaPath) node = typeof s === 'number' ? (node as { items: unknown }).items : (node as { properties: Record<string, unknown> }).properties[s];
    return Object.keys((node as { properties?: Record<string, unknown> } | undefined)?.properties ?? {}).filter((k) => k !== '$schema');
  };
  switch (err.keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const isRules = inner.length === 1 && inner[0] === 'rules';
      // Peer codes are accepted in rules, but the list shows the rule ids.
      const names = known(inner).filter((k) => !isRules || RULE_IDS.has(k));
      const guess = didYouMean(name, names);
      return {
        file,
        key: keyText([...at, name]),
        message: `${isRules ? 'unknown rule id' : 'unknown key'}; ${guess ? `did you mean ${guess}?` : `known: ${names.join(', ')}`}`,
        ...locate(at, name),
      };
    }
    case 'required':
      return { file, key: keyText([...at, String(params.missingProperty)]), message: 'missing: this key is required', ...locate(at) };
    case 'enum':
      return { file, key: keyText(at), message: `expected one of ${(params.allowedValues as unknown[]).map(String).join(', ')}`, ...locate(at) };
    case 'type': {
      const t = String(params.type);
      const what = t === 'array' ? 'a list' : t === 'object' ? 'a mapping' : t === 'boolean' ? 'true or false' : `a ${t}`;
      return { file, key: keyText(at), message: `expected ${what}`, ...locate(at) };
    }
    case 'minLength':
      return { file, key: keyText(at), message: 'must not be empty', ...locate(at) };
    default:
      return { file, key: keyText(at), message: err.message ?? 'invalid value', ...locate(at) };
  }
}

/** Finds the line of a value (or of the key `keyOf` inside a mapping) in a YAML document. */
function locator(doc: Document, lineCounter: LineCounter): Locate {
  return (segments, keyOf) => {
    const node = segments.length === 0 ? doc.contents : doc.getIn(segments, true);
    let offset: number | undefined;
    if (keyOf !== undefined && yaml().isMap(node)) {
      const pair = node.items.find((p) => yaml().isPair(p) && yaml().isScalar(p.key) && String(p.key.value) === keyOf);
      if (pair && yaml().isScalar(pair.key)) offset = pair.key.range?.[0];
    }
    if (offset === undefined && node && typeof node === 'object' && 'range' in node) {
      offset = (node as { range?: [number, number, number] | null }).range?.[0];
    }
    if (offset === undefined) return undefined;
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
}

function keyText(segments: Segment[]): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out === '' ? s : `.${s}`;
  return out;
}

/** Reads a configuration file (or package.json) through the jail's reader. */
function readText(abs: string, file: string, jail: Jail): { text: string } | { error: ConfigError } {
  const limit = Math.min(MAX_CONFIG_BYTES, jail.maxFileBytes);
  try {
    return { text: jail.readText(abs, limit) };
  } catch (e) {
    const err = FsError.from(e);
    if (err.code === 'EISDIR' || err.code === 'ENOTREG') return { error: { file, key: '', message: err.code === 'ENOTREG' ? 'not a regular file (a FIFO, device or socket): not read' : 'not a file' } };
    if (err.code === 'EFBIG') return { error: { file, key: '', message: `larger than ${limit >= 1024 * 1024 ? `${limit / 1024 / 1024} MB` : `${limit} bytes`}; not a dockerlint configuration: not read` } };
    if (err.code === 'EOUTSIDE') return { error: { file, key: '', message: `its real path is outside the root ${jail.root}: not read` } };
    return { error: { file, key: '', message: `cannot read the file: ${err.code}` } };
  }
}

function hasGit(dir: string, jail: Jail): boolean {
  try {
    return jail.stat(path.join(dir, '.git')) !== null;
  } catch {
    return false;
  }
}

/** Whether a file is there (even a FIFO: reading it then says what it is); folders are not. */
function present(abs: string, jail: Jail): boolean {
  try {
    // A symlink to a file outside the root is there, and refused when read (said, not skipped).
    if (!jail.contains(abs)) return jail.fs.realpath(abs) !== null && jail.fs.stat(abs)?.kind !== 'dir';
    const st = jail.stat(abs);
    return st !== null && st.kind !== 'dir';
  } catch {
    return true;
  }
}

function displayFile(abs: string, start: string): string {
  const rel = path.relative(start, abs);
  return (rel === '' || path.isAbsolute(rel) ? abs : rel).split(path.sep).join('/');
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0]?.trim() ?? s;
}

/** What the configuration says about paths and images, resolved against the config's folder. */
export interface ConfigMatchers {
  /** The config file's folder (the current folder when there is no file). */
  dir: string;
  /** True for a path (absolute) that an `ignore` glob matches, or that lies in a folder one matches. */
  isIgnored(abs: string): boolean;
  /**
   * The absolute build context of a Dockerfile (absolute path) from `context`, with where it is
   * written (`context[i].context` of the file, and its line when known); or null.
   */
  contextFor(dockerfileAbs: string): ConfigContext | null;
  /** Facts about a base image reference from `trustedBaseImages`, or null. */
  trustedBaseImage(ref: string): BaseImageFacts | null;
}

export interface ConfigContext {
  /** Absolute: `context` resolved against the configuration file's folder. */
  dir: string;
  /** The configuration file (absolute; null for a configuration without a file). */
  file: string | null;
  key: string;
  line?: number;
}

export function configMatchers(config: Config, file: string | null, cwd: string, lines: Record<string, number> = {}): ConfigMatchers {
  const dir = file ? path.dirname(file) : path.resolve(cwd);
  const opts = { dot: true };
  const ignores = config.ignore.map((g) => picomatch(stripSlashes(g), opts));
  const keyPrefix = file && path.basename(file) === 'package.json' ? `${PACKAGE_KEY}.` : '';
  const contexts = config.context.map((c, i) => {
    const key = `${keyPrefix}context[${i}].context`;
    const line = lines[key];
    return { match: picomatch(stripSlashes(c.dockerfile), opts), context: { dir: path.resolve(dir, c.context), file, key, ...(line ? { line } : {}) } };
  });
  const rel = (abs: string): string | null => {
    const r = path.relative(dir, path.resolve(cwd, abs));
    if (r === '' || r.startsWith('..') || path.isAbsolute(r)) return null;
    return r.split(path.sep).join('/');
  };
  const images = config.trustedBaseImages.map((t) => {
    const pattern = normalizeImage(t.image);
    const glob = /[*?[\]{}!]/.test(pattern);
    const match = glob
      ? picomatch(pattern)
      : (ref: string) => ref === pattern || (ref.startsWith(pattern) && (/[/:@]$/.test(pattern) || /^[/:@]/.test(ref.slice(pattern.length))));
    return { match, entry: t };
  });
  return {
    dir,
    isIgnored(abs) {
      const r = rel(abs);
      if (r === null) return false;
      const parts = r.split('/');
      for (let n = parts.length; n > 0; n--) {
        const prefix = parts.slice(0, n).join('/');
        if (ignores.some((m) => m(prefix))) return true;
      }
      return false;
    },
    contextFor(dockerfileAbs) {
      const r = rel(dockerfileAbs);
      if (r === null) return null;
      return contexts.find((c) => c.match(r))?.context ?? null;
    },
    trustedBaseImage(ref) {
      const norm = normalizeImage(ref);
      const hit = images.find((i) => i.match(norm));
      if (!hit) return null;
      return {
        user: hit.entry.user ?? null,
        dropsPrivileges: hit.entry.dropsPrivileges ?? false,
        note: `listed in trustedBaseImages (${hit.entry.image})${file ? ` of ${path.basename(file)}` : ''}`,
      };
    },
  };
}

function stripSlashes(glob: string): string {
  return glob.replace(/^\.\//, '').replace(/\/+$/, '');
}

/** `docker.io/library/node:20` and `node:20` are the same image; case does not matter. */
function normalizeImage(ref: string): string {
  return ref
    .trim()
    .toLowerCase()
    .replace(/^(index\.)?docker\.io\//, '')
    .replace(/^library\//, '');
}
