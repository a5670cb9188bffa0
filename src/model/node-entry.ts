/**
 * JavaScript/TypeScript entrypoints: when PID 1 is `node file.js` (or ts-node, tsx), parse the
 * file and the local modules it imports with @typescript-eslint/typescript-estree (loaded only
 * then: it costs ~0.3 s and ~70 MB) and find whether the program handles SIGTERM/SIGINT.
 */
import path from 'node:path';
import { basename } from './commands.js';
import type { ImageFs } from './image-fs.js';
import type { Stage } from './image.js';

const NODE_RUNNERS = new Set(['node', 'nodejs', 'ts-node', 'tsx', 'ts-node-esm', 'bun']);

/** Libraries that install SIGTERM handling for you. */
const SHUTDOWN_LIBRARIES = new Set([
  '@godaddy/terminus',
  'stoppable',
  'http-terminator',
  'close-with-grace',
  'lightship',
  'death',
  'node-graceful-shutdown',
  '@moebius/http-graceful-shutdown',
  'http-graceful-shutdown',
  'graceful-shutdown-manager',
]);

export interface SignalHandling {
  /** Where a handler was found: `server.js:12 process.on('SIGTERM')`, or null. */
  handler: string | null;
  /** The files that were read (context-relative). */
  files: string[];
  /** Files that could not be parsed, with the parser's message. */
  errors: { file: string; message: string; line: number }[];
  /** The entry file's context path. */
  entry: string;
  /**
   * Local modules it imports that could not be read (a build output such as `./dist/server.js`, a
   * file missing from the checkout, past the cap of files read): a handler may be there.
   */
  unread: string[];
}

/** The script argument of `node [options] file [args]`, or null. */
export function nodeScriptArg(args: string[]): string | null {
  const withValue = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-e', '--eval', '-p', '--print', '--env-file', '--title', '--conditions', '-C']);
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-e' || a === '--eval' || a === '-p' || a === '--print') return null;
    if (withValue.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    return a;
  }
  return null;
}

type EstreeModule = typeof import('@typescript-eslint/typescript-estree');
let estree: Promise<EstreeModule> | null = null;

interface AstNode {
  type: string;
  [key: string]: unknown;
}

export async function analyseNodeEntry(
  stage: Stage,
  fs: ImageFs,
  scriptArg: string,
  read: (contextPath: string) => string,
): Promise<SignalHandling | null> {
  const imagePath = path.posix.resolve(stage.config.workdir, scriptArg);
  const origin = resolveModule(stage, fs, imagePath);
  if (!origin) return null;
  estree ??= import('@typescript-eslint/typescript-estree');
  const { parse } = await estree;
  const result: SignalHandling = { handler: null, files: [], errors: [], entry: origin.contextPath, unread: [] };
  const queue: { imagePath: string; contextPath: string }[] = [origin];
  const seen = new Set<string>();
  while (queue.length > 0 && result.files.length < 40 && !result.handler) {
    const next = queue.shift() as { imagePath: string; contextPath: string };
    if (seen.has(next.contextPath)) continue;
    seen.add(next.contextPath);
    let text: string;
    try {
      text = read(next.contextPath);
    } catch {
      result.unread.push(next.contextPath);
      continue;
    }
    result.files.push(next.contextPath);
    let ast: AstNode;
    try {
      ast = parse(text.replace(/^#!.*/, ''), { jsx: /\.[jt]sx$/.test(next.contextPath), loc: true, range: false, comment: false }) as unknown as AstNode;
    } catch (e) {
      const err = e as { message?: string; lineNumber?: number };
      result.errors.push({ file: next.contextPath, message: err.message ?? String(e), line: err.lineNumber ?? 1 });
      continue;
    }
    walk(ast, (node) => {
      if (result.handler) return;
      const found = handlerIn(node);
      if (found) {
        const line = (node.loc as { start: { line: number } } | undefined)?.start.line ?? 1;
        result.handler = `${next.contextPath}:${line} ${found}`;
        return;
      }
      const spec = importedModule(node);
      if (spec === null) return;
      if (spec === COMPUTED) result.unread.push(`${next.contextPath}:${(node.loc as { start: { line: number } } | undefined)?.start.line ?? 1} a module named by an expression`);
      else if (SHUTDOWN_LIBRARIES.has(spec)) {
        const line = (node.loc as { start: { line: number } } | undefined)?.start.line ?? 1;
        result.handler = `${next.contextPath}:${line} uses ${spec}`;
      } else if (spec.startsWith('.')) {
        const target = resolveModule(stage, fs, path.posix.resolve(path.posix.dirname(next.imagePath), spec));
        if (target) queue.push(target);
        else result.unread.push(spec);
      }
    });
  }
  if (!result.handler) result.unread.push(...queue.map((q) => q.contextPath).filter((c) => !seen.has(c)));
  return result;
}

function resolveModule(stage: Stage, fs: ImageFs, imagePath: string): { imagePath: string; contextPath: string } | null {
  const candidates = [imagePath, ...['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.tsx', '.jsx'].map((e) => imagePath + e), ...['index.js', 'index.ts', 'index.mjs'].map((i) => `${imagePath}/${i}`)];
  for (const c of candidates) {
    const origin = fs.lookup(stage, c);
    if (origin?.kind === 'context') return { imagePath: c, contextPath: origin.contextPath };
  }
  return null;
}

function walk(node: unknown, visit: (n: AstNode) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const n = node as AstNode;
  if (typeof n.type === 'string') visit(n);
  for (const key of Object.keys(n)) {
    if (key === 'parent' || key === 'loc' || key === 'range') continue;
    const v = n[key];
    if (v && typeof v === 'object') walk(v, visit);
  }
}

/** `process.on('SIGTERM', ...)` and friends; `app.enableShutdownHooks()` (NestJS). */
function handlerIn(node: AstNode): string | null {
  if (node.type !== 'CallExpression') return null;
  const callee = node.callee as AstNode;
  if (callee.type !== 'MemberExpression') return null;
  const prop = callee.property as AstNode;
  const method = prop.type === 'Identifier' ? (prop.name as string) : null;
  if (method === 'enableShutdownHooks') return 'enableShutdownHooks()';
  if (!method || !['on', 'once', 'addListener', 'prependListener', 'prependOnceListener'].includes(method)) return null;
  const obj = callee.object as AstNode;
  const isProcess = (obj.type === 'Identifier' && obj.name === 'process') || (obj.type === 'MemberExpression' && (obj.property as AstNode).name === 'process');
  if (!isProcess) return null;
  const first = (node.arguments as AstNode[])[0];
  const signal = first?.type === 'Literal' ? String(first.value) : null;
  if (signal === 'SIGTERM' || signal === 'SIGINT') return `process.${method}('${signal}')`;
  return null;
}

/** The module name of `import ... from 'x'`, `require('x')`, `import('x')`. */
function importedModule(node: AstNode): string | null {
  if (node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'ExportNamedDeclaration') {
    const src = node.source as AstNode | null;
    return src && typeof src.value === 'string' ? src.value : null;
  }
  if (node.type === 'ImportExpression') {
    const src = node.source as AstNode;
    return src?.type === 'Literal' && typeof src.value === 'string' ? src.value : COMPUTED;
  }
  if (node.type === 'CallExpression') {
    const callee = node.callee as AstNode;
    const first = (node.arguments as AstNode[])[0];
    if (callee.type === 'Identifier' && callee.name === 'require' && first) return first.type === 'Literal' && typeof first.value === 'string' ? first.value : COMPUTED;
  }
  return null;
}

/** A module named by an expression (`require(path.resolve(__dirname, '../dist/server.js'))`): not known. */
const COMPUTED = '\u0000computed';

export function isNodeRunner(name: string): boolean {
  return NODE_RUNNERS.has(basename(name));
}

const PACKAGE_MANAGERS = new Set(['npm', 'yarn', 'pnpm']);
const RUN_VERBS = new Set(['start', 'run', 'run-script', 'dev', 'serve']);

/**
 * pnpm's own commands (and the npm commands it passes on to npm): any other first word runs the
 * package.json script of that name, `pnpm start-docker` as `pnpm run start-docker`.
 */
const PNPM_COMMANDS = new Set([
  'add', 'approve-builds', 'audit', 'bin', 'c', 'cache', 'cat-file', 'cat-index', 'completion', 'config', 'create', 'dedupe', 'deploy', 'dlx', 'doctor', 'env',
  'exec', 'fetch', 'find-hash', 'get', 'help', 'i', 'ignored-builds', 'import', 'init', 'install', 'install-test', 'it', 'la', 'licenses', 'link', 'list', 'll',
  'ln', 'ls', 'm', 'multi', 'node', 'outdated', 'pack', 'patch', 'patch-commit', 'patch-remove', 'pm', 'prune', 'publish', 'rb', 'rebuild', 'recursive', 'remove',
  'restart', 'rm', 'root', 'sbom', 'self-update', 'server', 'set', 'setup', 'store', 't', 'test', 'tst', 'un', 'uninstall', 'unlink', 'up', 'update', 'upgrade',
  'why', 'x', 'access', 'adduser', 'bugs', 'deprecate', 'dist-tag', 'docs', 'edit', 'info', 'login', 'logout', 'owner', 'ping', 'prefix', 'profile', 'pkg',
  'repo', 's', 'se', 'search', 'set-script', 'show', 'star', 'stars', 'team', 'token', 'unpublish', 'unstar', 'v', 'version', 'view', 'whoami', 'xmas',
]);

/** Yarn's own commands (classic and berry): any other first word runs the package.json script of that name (or a package's binary). */
const YARN_COMMANDS = new Set([
  'access', 'add', 'audit', 'autoclean', 'bin', 'cache', 'check', 'config', 'constraints', 'create', 'dedupe', 'dlx', 'exec', 'explain', 'generate-lock-entry',
  'global', 'help', 'import', 'info', 'init', 'install', 'licenses', 'link', 'list', 'login', 'logout', 'node', 'npm', 'outdated', 'owner', 'pack', 'patch',
  'patch-commit', 'plugin', 'policies', 'publish', 'rebuild', 'remove', 'search', 'set', 'stage', 'tag', 'team', 'test', 'unlink', 'unplug', 'up', 'upgrade',
  'upgrade-interactive', 'version', 'versions', 'why', 'workspace', 'workspaces',
]);

/** Hadoop's `yarn` (`yarn resourcemanager`, `yarn jar app.jar`): not the package manager. */
const HADOOP_YARN = new Set([
  'application', 'applicationattempt', 'classpath', 'cluster', 'container', 'daemonlog', 'envvars', 'fs2cs', 'globalpolicygenerator', 'jar', 'logs', 'node',
  'nodeattributes', 'nodemanager', 'proxyserver', 'queue', 'registrydns', 'resourcemanager', 'rmadmin', 'router', 'schedulerconf', 'scmadmin',
  'sharedcachemanager', 'timelinereader', 'timelineserver', 'top', 'version',
]);

/**
 * `npm start`, `npm run serve`, `yarn dev`, `pnpm run start`, and pnpm's and yarn's short form
 * `pnpm start-docker` (a word that is not one of their own commands runs the script of that
 * name): the package manager and the package.json script it runs (as its own child, through a
 * shell), or null. `scripts` are the scripts of the package.json the manager reads, or null when
 * it is not known; when known, a short form must name one of them (`yarn eslint` may run a
 * package's binary; Hadoop's `yarn resourcemanager` is no package manager at all).
 */
export function packageScriptRun(words: readonly (string | null)[], scripts: Readonly<Record<string, string>> | null = null): { manager: string; script: string } | null {
  const manager = basename(words[0] ?? '');
  if (!PACKAGE_MANAGERS.has(manager)) return null;
  const rest = words.slice(1);
  if (rest.some((w) => w === null)) return null;
  const plain = (rest as string[]).filter((w) => !w.startsWith('-'));
  const verb = plain[0];
  if (!verb) return null;
  if (RUN_VERBS.has(verb)) {
    const script = verb === 'run' || verb === 'run-script' ? plain[1] : verb;
    return script ? { manager, script } : null;
  }
  // Options before the word may take a value (`pnpm --filter web start`): only the word right
  // after the manager, or after flags that take none, is read as the script.
  const given = rest as string[];
  if (given[0] !== verb && !given.slice(0, given.indexOf(verb)).every((w) => /^--?[a-z][a-z-]*$/.test(w) && BOOLEAN_FLAGS.has(w))) return null;
  const own = manager === 'pnpm' ? PNPM_COMMANDS : manager === 'yarn' ? YARN_COMMANDS : null;
  if (!own || own.has(verb)) return null;
  if (scripts) return Object.prototype.hasOwnProperty.call(scripts, verb) ? { manager, script: verb } : null;
  if (manager === 'yarn' && HADOOP_YARN.has(verb)) return null;
  return { manager, script: verb };
}

/** Flags of pnpm and yarn that take no value. */
const BOOLEAN_FLAGS = new Set(['-s', '--silent', '--reporter-silent', '-r', '--recursive', '--if-present', '--parallel', '--stream', '--aggregate-output', '--shell-emulator', '--use-stderr', '--color', '--no-color']);

/**
 * The scripts of the package.json the build copies from the build context to `dir` in the image,
 * or null when there is none, it is made by the build or another stage, or it does not parse.
 */
export function packageScripts(stage: Stage, fs: ImageFs, read: (contextPath: string) => string, dir: string): Record<string, string> | null {
  const origin = fs.lookup(stage, path.posix.join(dir, 'package.json'));
  if (origin?.kind !== 'context') return null;
  let scripts: unknown;
  try {
    scripts = (JSON.parse(read(origin.contextPath)) as { scripts?: unknown }).scripts;
  } catch {
    return null;
  }
  if (!scripts || typeof scripts !== 'object' || Array.isArray(scripts)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(scripts as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * The command a package.json script runs, from the package.json the build copies to `dir` in the
 * image: only a plain command line (words without shell syntax), which `exec` can start as it is.
 */
export function packageScriptCommand(stage: Stage, fs: ImageFs, read: (contextPath: string) => string, dir: string, script: string): string | null {
  const scripts = packageScripts(stage, fs, read, dir);
  const command = scripts && Object.prototype.hasOwnProperty.call(scripts, script) ? scripts[script] : undefined;
  if (typeof command !== 'string') return null;
  const line = command.trim();
  return /^[\w@%+=:,./-]+( +[\w@%+=:,./-]+)*$/.test(line) ? line : null;
}

/**
 * What to write instead of `CMD npm start`: the exec form of the command the package.json script
 * runs (`CMD ["node", "server.js"]`) when the build copies package.json to `dir` and the command is
 * a runner on PATH; otherwise an example, and the warning that the manager's exec form keeps it PID 1.
 */
export function startScriptHint(stage: Stage | null, fs: ImageFs, read: (contextPath: string) => string, dir: string, keyword: string, pm: { manager: string; script: string }): string {
  const command = stage ? packageScriptCommand(stage, fs, read, dir, pm.script) : null;
  if (command && onPath(command)) return `Run the command of the \`${pm.script}\` script of package.json directly, in exec form: \`${keyword} [${command.split(' ').map((w) => JSON.stringify(w)).join(', ')}]\``;
  return `Run the program the \`${pm.script}\` script of package.json runs directly, in exec form (for example \`${keyword} ["node", "server.js"]\`)`;
}

/** Runners found on every PATH of a Node image; another first word may be a package's local bin (`node_modules/.bin`, which npm adds to PATH). */
export function onPath(command: string): boolean {
  const first = command.split(' ')[0] ?? '';
  return first.startsWith('/') || ['node', 'nodejs', 'bun', 'deno'].includes(first);
}
