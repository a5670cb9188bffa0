/**
 * The image filesystem as far as the Dockerfile tells: COPY/ADD replayed lazily. Asking for an
 * image path walks the copy operations from the newest back (then into the base stage) and
 * answers which build-context file, heredoc or remote source ended up there.
 */
import path from 'node:path';
import picomatch from 'picomatch';
import type { Heredoc } from '../parsers/dockerfile.js';
import { ContextFs, hasGlob } from './context-fs.js';
import { stagePath, type CopyOp, type Stage, type UnknownName } from './image.js';
import type { RunWrite } from './run-writes.js';

export type FileOrigin = (
  | { kind: 'context'; contextPath: string; op: CopyOp; via: CopyOp[] }
  | { kind: 'heredoc'; heredoc: Heredoc; op: CopyOp; via: CopyOp[] }
  /** From a URL, a build argument with no value, or an image (`image`) dockerlint cannot read. */
  | { kind: 'remote'; why: string; image?: string; op: CopyOp; via: CopyOp[]; unknownName?: UnknownName }
  /** Produced by RUN in an earlier stage and copied with `COPY --from`. */
  | { kind: 'built'; stage: string; op: CopyOp; via: CopyOp[] }
  /**
   * A file whose name the target platform chooses (`COPY app-linux-$TARGETARCH /bin/app`): the
   * binary compiled for that platform, content unknown.
   */
  | { kind: 'platform'; word: string; op: CopyOp; via: CopyOp[] }
  /**
   * Written by a RUN (`printf '...' > /start.sh`, `cat > f <<'EOF'`): its text when it is literal,
   * else null (run-writes.ts). `via` are the `COPY --from` that brought it from the stage of the RUN.
   */
  | { kind: 'written'; write: RunWrite; via: CopyOp[] }
) & {
  /**
   * Where the file was in each earlier stage it came through by `COPY --from`, nearest first (a
   * `RUN chmod +x` there is kept by the copy).
   */
  through?: { stage: Stage; path: string }[];
};

export interface ResolvedCommand {
  /** The absolute path in the image. */
  imagePath: string;
  origin: FileOrigin;
  /**
   * The paths a RUN linked, moved or copied it to on the way from the name that was run (`ln -s`,
   * `mv`, `cp`), nearest the name first: a `chmod +x` there makes it executable too.
   */
  aliases?: string[];
}

/** Names of files an interpreter runs, not a compiled binary. */
const SCRIPT_NAME = /\.(sh|bash|ash|py|rb|pl|js|mjs|cjs|ts|php|lua|jar|war|bat|ps1)$/i;

export class ImageFs {
  private readonly matches = new Map<string, string[]>();
  /**
   * Answers already worked out, per stage: the three runs of an image resolve the same names
   * (each hop's program, on every run) and look up the same paths. The copies of a stage and
   * the build context do not change while one Dockerfile is linted, so an answer stays right;
   * callers share it and do not change it.
   */
  private readonly found = new WeakMap<Stage, Map<string, FileOrigin | null>>();
  private readonly commands = new WeakMap<Stage, Map<string, ResolvedCommand | null>>();
  /** What each stage's own RUNs wrote, in order (see `setWrites`). */
  private writes = new WeakMap<Stage, RunWrite[]>();
  /** Each stage's COPY/ADD operations and RUN writes, newest first. */
  private readonly events = new WeakMap<Stage, ({ op: CopyOp } | { write: RunWrite })[]>();

  constructor(readonly context: ContextFs) {}

  /**
   * The files RUNs write, per stage (run-writes.ts): asked for before any lookup, since answers
   * are kept.
   */
  setWrites(writes: ReadonlyMap<Stage, RunWrite[]>): void {
    this.writes = new WeakMap(writes);
  }

  /** Where the file at `imagePath` of `stage` came from, or null if no COPY/ADD (or RUN writing literal text) provides it. */
  lookup(stage: Stage, imagePath: string, depth = 0, guess = false): FileOrigin | null {
    if (depth > 16) return null;
    const key = `${depth}\u0000${guess ? 1 : 0}\u0000${imagePath}`;
    let known = this.found.get(stage);
    if (!known) this.found.set(stage, (known = new Map()));
    const hit = known.get(key);
    if (hit !== undefined) return hit;
    const origin = this.lookupOnce(stage, imagePath, depth, guess);
    known.set(key, origin);
    return origin;
  }

  private lookupOnce(stage: Stage, imagePath: string, depth: number, guess: boolean): FileOrigin | null {
    const p = path.posix.resolve('/', imagePath);
    for (let s: Stage | null = stage; s; s = s.baseStage) {
      for (const event of this.eventsOf(s)) {
        if ('write' in event) {
          if (event.write.path === p) return { kind: 'written', write: event.write, via: [] };
          continue;
        }
        const hit = this.lookupInOp(event.op, p, depth, guess);
        if (hit) return hit;
      }
    }
    return null;
  }

  private eventsOf(stage: Stage): ({ op: CopyOp } | { write: RunWrite })[] {
    let out = this.events.get(stage);
    if (out) return out;
    const writes = this.writes.get(stage) ?? [];
    const at = (x: { instruction: CopyOp['instruction'] }): number => stage.instructions.indexOf(x.instruction);
    const all = [...stage.copies.map((op, k) => ({ e: { op }, i: at(op), k })), ...writes.map((write, k) => ({ e: { write }, i: at(write), k: stage.copies.length + k }))];
    all.sort((a, b) => a.i - b.i || a.k - b.k);
    out = all.reverse().map((x) => x.e);
    this.events.set(stage, out);
    return out;
  }

  /**
   * `argv[0]` resolved as the shell would: relative to WORKDIR when it has a slash, else PATH.
   * With `guess` false, only a file that a COPY or ADD names (or that the checkout shows inside a
   * copied folder): never one that a folder copied from a stage, an image or a URL may hold.
   */
  resolveCommand(stage: Stage, name: string, guess = true): ResolvedCommand | null {
    const key = `${guess ? 1 : 0}\u0000${name}`;
    let known = this.commands.get(stage);
    if (!known) this.commands.set(stage, (known = new Map()));
    const hit = known.get(key);
    if (hit !== undefined) return hit;
    const resolved = this.resolveCommandOnce(stage, name, guess);
    known.set(key, resolved);
    return resolved;
  }

  private resolveCommandOnce(stage: Stage, name: string, guess: boolean): ResolvedCommand | null {
    const candidates = name.includes('/') ? [path.posix.resolve(stage.config.workdir, name)] : stagePath(stage).map((dir) => path.posix.join(dir, name));
    // First what is known to be there; only then a guess that a folder copied from a build
    // stage (`COPY --from=build /out/ /app/`) holds it.
    // A folder copied from an image (`COPY --from=eclipse-temurin $JAVA_HOME $JAVA_HOME`) is not
    // known to hold the name: it is the answer only when no other PATH entry has it, and, unless
    // the COPY names the file, only when it is the first PATH entry: the shell searches an earlier
    // folder first, and a RUN (or the base image) may have put the name there, unseen.
    let remote: ResolvedCommand | null = null;
    for (const guessing of guess ? [false, true] : [false]) {
      for (const [k, imagePath] of candidates.entries()) {
        const origin = this.lookup(stage, imagePath, 0, guessing);
        if (origin?.kind === 'remote' && !guess && !this.names(origin.op, imagePath)) continue;
        if (origin?.kind === 'remote' && !name.includes('/') && candidates.length > 1) {
          if (k === 0 || this.names(origin.op, imagePath)) remote ??= { imagePath, origin };
          continue;
        }
        if (origin) return { imagePath, origin };
      }
    }
    return remote;
  }

  /**
   * The files COPY/ADD put directly in folder `dir` of the image (absolute paths, sorted), or null
   * when a copy from an image, a stage or a URL may put something there too. Files the base image
   * ships are not included: the caller knows whether it has any.
   */
  list(stage: Stage, dir: string): string[] | null {
    const d = path.posix.resolve('/', dir);
    const out = new Set<string>();
    for (let s: Stage | null = stage; s; s = s.baseStage) {
      for (const op of s.copies) {
        const under = op.dest === d ? '' : d.startsWith(op.dest === '/' ? '/' : op.dest + '/') ? d.slice(op.dest === '/' ? 1 : op.dest.length + 1) : null;
        for (const src of op.sources) {
          if (src.kind === 'heredoc') {
            const t = this.targets(op, src.heredoc.name);
            for (const x of t) if (path.posix.dirname(x) === d) out.add(x);
            continue;
          }
          if (src.kind !== 'context') {
            // From a stage, an image or a URL: what lands there is not known from here.
            if (under !== null || op.dest.startsWith(d + '/') || path.posix.dirname(op.dest) === d) return null;
            continue;
          }
          const matches = this.contextMatches(src.pattern);
          const asDir = hasGlob(src.pattern) && matches.length > 1;
          for (const m of matches) {
            const entry = this.context.stat(m);
            if (entry?.kind === 'file') {
              for (const x of this.targets(op, path.posix.basename(m), asDir)) if (path.posix.dirname(x) === d) out.add(x);
            } else if (entry?.kind === 'dir' && under !== null) {
              const folder = [m, under].filter((x) => x !== '').join('/');
              for (const name of this.context.list(folder)) {
                const rel = folder ? `${folder}/${name}` : name;
                if (this.context.stat(rel)?.kind === 'file' && !this.context.isIgnored(rel)) out.add(path.posix.join(d, name));
              }
            }
          }
          if (matches.length === 0 && !hasGlob(src.pattern) && (under !== null || path.posix.dirname(op.dest) === d)) return null;
        }
      }
    }
    return [...out].sort();
  }

  /**
   * `runsvdir /etc/service`: the `run` scripts of the service folders COPY/ADD put in `dir`
   * (`COPY run /etc/service/app/run`, a context folder of services copied there, or a folder
   * copied onto one above it: `COPY rootfs /`), but for those
   * with a `down` file (not started until told to), or null
   * when a copy from a stage, an image or a URL may put services there too. With
   * `longrunsOnly` (s6-rc's source folders), only those whose `type` file says `longrun`.
   */
  services(stage: Stage, dir: string, longrunsOnly = false): string[] | null {
    const d = path.posix.resolve('/', dir);
    const names = new Set<string>();
    for (let s: Stage | null = stage; s; s = s.baseStage) {
      for (const op of s.copies) {
        const inside = op.dest.startsWith(d + '/') ? op.dest.slice(d.length + 1).split('/')[0] : null;
        const onto = op.dest === d;
        // A folder copied onto one above it (`COPY rootfs /` with rootfs/etc/service/app/run).
        const top = op.dest.replace(/\/+$/, '');
        const below = !inside && !onto && d.startsWith(top + '/') ? d.slice(top.length + 1) : null;
        if (!inside && !onto && below === null) continue;
        for (const src of op.sources) {
          if (below !== null) {
            if (src.kind === 'heredoc') continue;
            if (src.kind !== 'context') return null;
            for (const m of this.contextMatches(src.pattern)) {
              const sub = m ? `${m}/${below}` : below;
              if (this.context.stat(m)?.kind !== 'dir' || this.context.stat(sub)?.kind !== 'dir') continue;
              for (const n of this.context.list(sub)) if (this.context.stat(`${sub}/${n}`)?.kind === 'dir') names.add(n);
            }
            continue;
          }
          if (src.kind !== 'context' && src.kind !== 'heredoc') return null;
          if (inside) names.add(inside);
          else if (src.kind === 'context') {
            for (const m of this.contextMatches(src.pattern)) {
              if (this.context.stat(m)?.kind !== 'dir') continue;
              for (const n of this.context.list(m)) if (this.context.stat(m ? `${m}/${n}` : n)?.kind === 'dir') names.add(n);
            }
          }
        }
      }
    }
    const out: string[] = [];
    for (const n of [...names].sort()) {
      const run = path.posix.join(d, n, 'run');
      // A `down` file beside it: runsv and s6-supervise do not start the service until told to.
      if (this.lookup(stage, path.posix.join(d, n, 'down'))) continue;
      const origin = this.lookup(stage, run);
      if (longrunsOnly && origin) {
        // A folder without a `type` is no service (s6-rc-compile refuses it), and a logger
        // (`consumer-for`: it reads another service's output) is no main process.
        const type = this.s6Type(stage, path.posix.join(d, n));
        if (type === '' || this.lookup(stage, path.posix.join(d, n, 'consumer-for'))) continue;
        if (type === null) return null;
        if (type !== 'longrun') continue;
      }
      if (origin?.kind === 'context' || origin?.kind === 'heredoc') out.push(run);
    }
    return out;
  }

  /**
   * s6-rc's `type` of a service folder: `longrun`, `oneshot` (whose `up` may run a script kept
   * beside it under the name `run`) or `bundle`; '' when the folder has none, null when its file
   * is not one the build context holds (dockerlint cannot read it).
   */
  private s6Type(stage: Stage, folder: string): string | null {
    const type = this.lookup(stage, path.posix.join(folder, 'type'));
    if (!type) return '';
    if (type.kind !== 'context') return null;
    try {
      return this.context.readText(type.contextPath).trim();
    } catch {
      return null;
    }
  }

  /** `op` copies a source to `p` under that source's own name (not a file inside a copied folder). */
  private names(op: CopyOp, p: string): boolean {
    return op.sources.some((src) => {
      if (src.kind === 'heredoc') return this.targets(op, src.heredoc.name).includes(p);
      const from = src.kind === 'remote' ? src.ref.replace(/[?#].*$/, '') : src.pattern.replace(/\/+$/, '');
      return this.targets(op, path.posix.basename(from)).includes(p);
    });
  }

  /**
   * A source word with unknown parts (`qemu-${QEMU_ARCH}-static*`) may put a file at `p`: `p` is
   * the destination it is copied to, or inside the destination and either the word may name a
   * folder (then any file may land there) or `p`'s name matches the word's last part, the
   * unknown parts as wildcards. A value is taken to be part of a name: `qemu-*-static*` is never
   * `entrypoint.sh`.
   */
  private mayName(op: CopyOp, name: UnknownName, p: string, under: string | null): boolean {
    if (p === op.dest && !op.destIsDir) return true;
    if (under === null || under === '') return false;
    if (name.maybeFolder || (name.context && this.contextFolderHolds(name.pattern, under))) return true;
    if (under.includes('/')) return false;
    const last = path.posix.basename(name.pattern.replace(/\/+$/, ''));
    return picomatch(last, { dot: true })(under);
  }

  /** A folder of the build context that `pattern` matches holds the file `under`. */
  private contextFolderHolds(pattern: string, under: string): boolean {
    return this.contextMatches(pattern.replace(/\/+$/, '')).some((m) => this.context.stat(m)?.kind === 'dir' && this.context.stat(m ? `${m}/${under}` : under)?.kind === 'file');
  }

  private targets(op: CopyOp, name: string, asDir = false): string[] {
    const inside = path.posix.join(op.dest, name);
    if (op.destIsDir || asDir) return [inside];
    if (op.destMaybeDir) return [inside, op.dest];
    return [op.dest];
  }

  private contextMatches(pattern: string): string[] {
    let m = this.matches.get(pattern);
    if (!m) {
      m = this.context.glob(pattern);
      this.matches.set(pattern, m);
    }
    return m;
  }

  private lookupInOp(op: CopyOp, p: string, depth: number, guess: boolean): FileOrigin | null {
    const under = op.dest === '/' ? p.slice(1) : p.startsWith(op.dest + '/') ? p.slice(op.dest.length + 1) : null;
    for (let i = op.sources.length - 1; i >= 0; i--) {
      const src = op.sources[i];
      if (!src) continue;
      switch (src.kind) {
        case 'context': {
          const matches = this.contextMatches(src.pattern);
          // `COPY run-*.sh /usr/local/bin/run.sh`: one match is copied to that name, several
          // need a folder.
          const asDir = hasGlob(src.pattern) && matches.length > 1;
          for (const m of matches) {
            const entry = this.context.stat(m);
            if (entry?.kind === 'file') {
              if (this.targets(op, path.posix.basename(m), asDir).includes(p)) {
                return { kind: 'context', contextPath: m, op, via: [] };
              }
            } else if (entry?.kind === 'dir' && under !== null && under !== '') {
              const candidate = m ? `${m}/${under}` : under;
              if (this.context.stat(candidate)?.kind === 'file') {
                return { kind: 'context', contextPath: candidate, op, via: [] };
              }
            }
          }
          // `COPY dist/app /app` with no dist/ in the checkout (and not excluded by
          // .dockerignore): a build output made before `docker build`. What lands there is
          // unknown, not absent.
          if (matches.length === 0 && !hasGlob(src.pattern) && !this.context.present(src.pattern.replace(/\/+$/, '')) && !this.context.isIgnored(src.pattern.replace(/^\.?\/+/, '').replace(/\/+$/, ''))) {
            const name = path.posix.basename(src.pattern.replace(/\/+$/, ''));
            if (name && name !== '.' && (this.targets(op, name).includes(p) || (under !== null && under !== '' && src.pattern.endsWith('/')))) {
              const above = this.context.holderAbove(src.pattern.replace(/\/+$/, ''));
              const why = above
                ? `${src.pattern}, not in the build context (the folder \`${above}\` from it holds one: if the build runs from there, say so with \`--context\` or \`context:\` in .dockerlint.yaml)`
                : `${src.pattern}, a build output that is not in the build context (made before \`docker build\`?)`;
              return { kind: 'remote', why, op, via: [] };
            }
          }
          break;
        }
        case 'heredoc':
          if (this.targets(op, src.heredoc.name).includes(p)) return { kind: 'heredoc', heredoc: src.heredoc, op, via: [] };
          break;
        case 'stage': {
          const sp = path.posix.resolve('/', src.pattern);
          const candidates: string[] = [];
          let named = false;
          if (hasGlob(sp)) {
            const base = path.posix.basename(p);
            if (picomatch(path.posix.basename(sp), { dot: true })(base) && path.posix.dirname(p) === op.dest) {
              candidates.push(path.posix.join(path.posix.dirname(sp), base));
              named = true;
            }
          } else {
            if (this.targets(op, path.posix.basename(sp)).includes(p)) {
              candidates.push(sp);
              named = true;
            }
            if (under !== null && under !== '') candidates.push(path.posix.join(sp, under));
          }
          for (const c of candidates) {
            const inner = this.lookup(src.stage, c, depth + 1, guess);
            // Written there by a RUN with text that is not known: a build output like any other.
            if (inner?.kind === 'written' && inner.write.content === null) continue;
            if (inner) return { ...inner, via: [op, ...inner.via], through: [{ stage: src.stage, path: c }, ...(inner.through ?? [])] };
          }
          // Not copied into that stage from the context: made there by a RUN (a compiled binary,
          // a generated script). A file this COPY names is in the image; one that would only be
          // inside a copied folder is a guess, made last.
          if (named || (guess && candidates.length > 0)) {
            return { kind: 'built', stage: src.stage.name ?? String(src.stage.index), op, via: [] };
          }
          break;
        }
        case 'remote': {
          // Copied to exactly this name (not into a folder), chosen by platform, and not named
          // like a script: a compiled binary.
          if (src.platform !== undefined && !op.destIsDir && op.dest === p && !SCRIPT_NAME.test(src.platform)) {
            return { kind: 'platform', word: src.platform, op, via: [] };
          }
          const name = path.posix.basename(src.ref.replace(/[?#].*$/, ''));
          const reaches = src.unknownName ? this.mayName(op, src.unknownName, p, under) : this.targets(op, name).includes(p) || (under !== null && under !== '' && (src.fetches === 'clone' || (!name.includes('.') && src.fetches !== 'download')));
          if (reaches) {
            return { kind: 'remote', why: src.why, ...(src.image !== undefined ? { image: src.image } : {}), ...(src.unknownName ? { unknownName: src.unknownName } : {}), op, via: [] };
          }
          break;
        }
      }
    }
    return null;
  }
}
