/**
 * docker-compose.yml / compose.yaml files next to or above a Dockerfile may name its build
 * `context` (and `dockerfile`): then scripts are looked up there, not in the Dockerfile's
 * folder. Compose files are data: parsed as YAML, nothing in them is run. A context outside the
 * folder being linted is ignored (nothing outside it is read).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// Loaded only when a compose file is found: start-up stays lean for the common case.
const require = createRequire(import.meta.url);
let yaml: typeof import('yaml') | null = null;

const COMPOSE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const MAX_BYTES = 1024 * 1024;

export interface ComposeContext {
  context: string;
  composeFile: string;
  service: string;
}

export class ComposeIndex {
  private readonly byFolder = new Map<string, { file: string; services: { name: string; context: string; dockerfile: string }[] }[]>();

  constructor(private readonly root: string) {}

  /** The compose build context of a Dockerfile, searching its folder and those above it up to the root. */
  contextFor(dockerfile: string): ComposeContext | null {
    const root = path.resolve(this.root);
    for (let dir = path.dirname(path.resolve(dockerfile)); ; dir = path.dirname(dir)) {
      if (!isInside(dir, root)) return null;
      for (const compose of this.composeFiles(dir)) {
        for (const s of compose.services) {
          if (s.dockerfile === path.resolve(dockerfile) && isInside(s.context, root)) {
            return { context: s.context, composeFile: compose.file, service: s.name };
          }
        }
      }
      if (dir === root || path.dirname(dir) === dir) return null;
    }
  }

  private composeFiles(dir: string) {
    const cached = this.byFolder.get(dir);
    if (cached) return cached;
    const found: { file: string; services: { name: string; context: string; dockerfile: string }[] }[] = [];
    for (const name of COMPOSE_NAMES) {
      const file = path.join(dir, name);
      let text: string;
      try {
        const st = fs.statSync(file, { throwIfNoEntry: false });
        if (!st || !st.isFile() || st.size > MAX_BYTES) continue;
        text = fs.readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      let doc: unknown;
      try {
        yaml ??= require('yaml') as typeof import('yaml');
        doc = yaml.parse(text, { maxAliasCount: 100 });
      } catch {
        continue; // a broken compose file only means no context override
      }
      const services = (doc as { services?: Record<string, unknown> } | null)?.services;
      if (!services || typeof services !== 'object') continue;
      const list: { name: string; context: string; dockerfile: string }[] = [];
      for (const [name, svc] of Object.entries(services)) {
        const build = (svc as { build?: unknown } | null)?.build;
        let context: string | null = null;
        let dockerfile = 'Dockerfile';
        if (typeof build === 'string') context = build;
        else if (build && typeof build === 'object') {
          const b = build as { context?: unknown; dockerfile?: unknown };
          context = typeof b.context === 'string' ? b.context : '.';
          if (typeof b.dockerfile === 'string') dockerfile = b.dockerfile;
        }
        if (context === null || /^[a-z]+:\/\//i.test(context) || context.startsWith('git@')) continue;
        const ctx = path.resolve(dir, context);
        list.push({ name, context: ctx, dockerfile: path.resolve(ctx, dockerfile) });
      }
      found.push({ file, services: list });
    }
    this.byFolder.set(dir, found);
    return found;
  }
}

function isInside(p: string, root: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
