/**
 * docker-compose.yml / compose.yaml files, and docker-bake.hcl / docker-bake.json files (see
 * `bake.ts`), next to or above a Dockerfile may name its build `context` (and `dockerfile`): then
 * scripts are looked up there, not in the Dockerfile's folder. Compose and bake files are data:
 * parsed as YAML, HCL or JSON, nothing in them is run. They are looked for up
 * to the run's root only, read through its jail, and a context whose real path lies outside the
 * root is returned marked `outside` (the engine refuses it with a finding naming the file and key).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { FsError } from './fs/file-system.js';
import { describeFsError, Jail } from './fs/jail.js';
import { readBakeFile } from './bake.js';

// Loaded only when a compose file is found: start-up stays lean for the common case.
const require = createRequire(import.meta.url);
let yaml: typeof import('yaml') | null = null;
/** Alias expansions a compose file may make (the yaml package counts each alias times the aliases in its target). */
const MAX_ALIAS_COUNT = 10_000;

const COMPOSE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
/** The files `docker buildx bake` reads by default, overrides after the files they override. */
const BAKE_NAMES = ['docker-bake.json', 'docker-bake.override.json', 'docker-bake.hcl', 'docker-bake.override.hcl'];
/** The names of the files that can name build contexts and Dockerfiles. */
export const BUILD_FILE_NAMES: ReadonlySet<string> = new Set([...COMPOSE_NAMES, ...BAKE_NAMES]);

export interface ComposeContext {
  /** Absolute, as written (resolved against the compose file's folder). */
  context: string;
  composeFile: string;
  service: string;
  /** Where the context is named: `services.<name>.build.context` (or `.build`), `target.<name>.context`. */
  key: string;
  line?: number;
  /** The context's real path lies outside the root: it must not be read. */
  outside: boolean;
  /** How the compose file runs the service built from it, when it grants root's powers (see `rootGrants`). */
  grants?: ComposeGrant[];
}

/**
 * A setting of a compose service that only a process running as root can use: `privileged: true`,
 * `cap_add` (a non-root process gets no effective capabilities from the bounding set), or the
 * Docker socket mounted in (control of the host's Docker, root on the host in effect).
 */
export interface ComposeGrant {
  /** As written: `privileged: true`, `cap_add: NET_ADMIN`, `/var/run/docker.sock` mounted. */
  text: string;
  line?: number;
}

/** A compose file that could not be used (unreadable, too large, not YAML). */
export interface ComposeProblem {
  file: string;
  message: string;
  line?: number;
}

interface Service {
  name: string;
  context: string;
  dockerfile: string;
  key: string;
  line?: number;
  grants?: ComposeGrant[];
}

export class ComposeIndex {
  private readonly byFolder = new Map<string, { file: string; services: Service[] }[]>();
  /** Problems of the compose files read so far (each file once). */
  readonly problems: ComposeProblem[] = [];

  /**
   * @param root the folder the upward search stops at when `contextFor` is given no jail (the
   *   current folder, as before jails).
   */
  constructor(private readonly root?: string) {}

  /**
   * The compose build context of a Dockerfile, searching its folder and those above it up to the
   * jail's root; with the compose files' problems met on the way.
   */
  contextFor(dockerfile: string, jail: Jail = new Jail(this.root ?? path.dirname(path.resolve(dockerfile)))): ComposeContext | null {
    const abs = path.resolve(dockerfile);
    const root = jail.root;
    const real = jail.realpath(abs);
    for (let dir = path.dirname(real); ; dir = path.dirname(dir)) {
      if (!jail.contains(dir)) return null;
      for (const compose of this.composeFiles(dir, jail)) {
        for (const s of compose.services) {
          if (s.dockerfile === abs || jail.realpath(s.dockerfile) === real) {
            return { context: s.context, composeFile: compose.file, service: s.name, key: s.key, ...(s.line ? { line: s.line } : {}), outside: !jail.contains(s.context), ...(s.grants?.length ? { grants: s.grants } : {}) };
          }
        }
      }
      if (dir === root || path.dirname(dir) === dir) return null;
    }
  }

  /** The Dockerfiles the compose and bake files of a folder name (absolute, as written). */
  dockerfilesIn(dir: string, jail: Jail): string[] {
    return this.composeFiles(dir, jail).flatMap((c) => c.services.map((s) => s.dockerfile));
  }

  private composeFiles(dir: string, jail: Jail): { file: string; services: Service[] }[] {
    const cached = this.byFolder.get(dir);
    if (cached) return cached;
    const found: { file: string; services: Service[] }[] = [];
    for (const name of [...COMPOSE_NAMES, ...BAKE_NAMES]) {
      const file = path.join(dir, name);
      let text: string;
      try {
        if (!jail.stat(file)) continue;
        text = jail.readText(file);
      } catch (e) {
        this.problems.push({ file, message: `${describeFsError(e, jail.maxFileBytes)}; its build contexts were not used` });
        continue;
      }
      const services = COMPOSE_NAMES.includes(name) ? this.parse(file, text, dir) : this.parseBake(file, text, dir);
      if (services) found.push({ file, services });
    }
    this.byFolder.set(dir, found);
    return found;
  }

  private parseBake(file: string, text: string, dir: string): Service[] | null {
    const read = readBakeFile(path.basename(file), text);
    if ('problem' in read) {
      this.problems.push({ file, message: `${read.problem.message}; its build contexts were not used`, ...(read.problem.line ? { line: read.problem.line } : {}) });
      return null;
    }
    return read.builds.map((b) => {
      const ctx = path.resolve(dir, b.context);
      return { name: b.target, context: ctx, dockerfile: path.resolve(ctx, b.dockerfile), key: b.key, line: b.line };
    });
  }

  private parse(file: string, text: string, dir: string): Service[] | null {
    yaml ??= require('yaml') as typeof import('yaml');
    const y = yaml;
    const lineCounter = new y.LineCounter();
    let doc: import('yaml').Document;
    let data: unknown;
    try {
      doc = y.parseDocument(text, { lineCounter, prettyErrors: false });
      const syntax = doc.errors[0];
      if (syntax) {
        this.problems.push({ file, message: `YAML syntax error: ${syntax.message.split('\n', 1)[0]}; its build contexts were not used`, line: lineCounter.linePos(syntax.pos[0]).line });
        return null;
      }
      // The limit counts each alias times the aliases in what it names: a compose file that
      // merges one anchor into every service (sentry's: about 140 `*aliases`) stays well under
      // it, and an alias bomb (ten levels of ten) passes it at the fourth level.
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      const message = e instanceof FsError || e instanceof Error ? e.message.split('\n', 1)[0] : String(e);
      this.problems.push({ file, message: `cannot read the YAML (${message}); its build contexts were not used` });
      return null;
    }
    const services = (data as { services?: Record<string, unknown> } | null)?.services;
    if (!services || typeof services !== 'object') return [];
    const lineOf = (keys: (string | number)[]): number | undefined => {
      const node = doc.getIn(keys, true) as { range?: [number, number, number] } | undefined;
      const at = node && typeof node === 'object' && node.range ? node.range[0] : undefined;
      return at === undefined ? undefined : lineCounter.linePos(at).line;
    };
    const list: Service[] = [];
    for (const [name, svc] of Object.entries(services)) {
      const build = (svc as { build?: unknown } | null)?.build;
      let context: string | null = null;
      let dockerfile = 'Dockerfile';
      let keys = ['services', name, 'build'];
      if (typeof build === 'string') context = build;
      else if (build && typeof build === 'object') {
        const b = build as { context?: unknown; dockerfile?: unknown };
        if (typeof b.context === 'string') {
          context = b.context;
          keys = [...keys, 'context'];
        } else context = '.';
        if (typeof b.dockerfile === 'string') dockerfile = b.dockerfile;
      }
      if (context === null || /^[a-z]+:\/\//i.test(context) || context.startsWith('git@')) continue;
      const ctx = path.resolve(dir, context);
      const line = lineOf(keys);
      const grants = rootGrants(svc, (k) => lineOf(['services', name, ...k]));
      list.push({ name, context: ctx, dockerfile: path.resolve(ctx, dockerfile), key: keys.join('.'), ...(line ? { line } : {}), ...(grants.length ? { grants } : {}) });
    }
    return list;
  }
}

const DOCKER_SOCKET = /^(\/var)?\/run\/docker\.sock$/;

/** The settings of a compose service that grant what only root can use (see `ComposeGrant`). */
function rootGrants(svc: unknown, lineOf: (keys: (string | number)[]) => number | undefined): ComposeGrant[] {
  if (!svc || typeof svc !== 'object') return [];
  const s = svc as { privileged?: unknown; cap_add?: unknown; volumes?: unknown };
  const out: ComposeGrant[] = [];
  const push = (text: string, keys: (string | number)[]): void => {
    const line = lineOf(keys);
    out.push({ text, ...(line ? { line } : {}) });
  };
  if (s.privileged === true) push('`privileged: true`', ['privileged']);
  if (Array.isArray(s.cap_add)) {
    const caps = s.cap_add.filter((c): c is string => typeof c === 'string' && c.trim() !== '');
    if (caps.length > 0) push(`\`cap_add: ${caps.join(', ')}\``, ['cap_add']);
  }
  if (Array.isArray(s.volumes)) {
    s.volumes.forEach((v, i) => {
      // `/var/run/docker.sock:/var/run/docker.sock[:ro]`, or the long form's source.
      const source = typeof v === 'string' ? v.split(':', 1)[0] : v && typeof v === 'object' ? (v as { source?: unknown }).source : undefined;
      if (typeof source === 'string' && DOCKER_SOCKET.test(source)) push(`the Docker socket mounted (\`${source}\`)`, ['volumes', i]);
    });
  }
  return out;
}
