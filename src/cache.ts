/**
 * `--cache` / `--cache-location` (ESLint's convention): the findings of each Dockerfile are kept
 * with a record of everything its lint read, and reused while all of it reads the same.
 *
 * - What a result depends on is recorded, not guessed: every call the lint makes on its
 *   `FileSystem` (stat, realpath, readdir, readFile) is logged with a digest of its answer (the
 *   SHA-256 of a file's bytes; a folder's entries; a path's kind, size and mode; the error code of a
 *   failed read). The entry is reused only if every one of those calls answers the same now, so a
 *   changed script re-lints exactly the Dockerfiles that read it, and a script that appears where
 *   one was missing, or loses its executable bit, does too.
 * - A file read is re-checked by its stamp first (device, inode, size, modification and change
 *   times, as git's index does): a stamp that answers the same vouches for the digest taken
 *   with it, and the file is not read again. A stamp is kept only for a file whose times are
 *   some seconds older than the moment it was taken, so a file changed within the same tick of
 *   the file system's clock is never vouched for; a fresh checkout (new times) hashes every file
 *   once and stamps it then.
 * - The whole cache is keyed by dockerlint's version, the rule set and the run's options (the
 *   configuration, severities, target, context, size limit): change any and every entry misses.
 * - The file is data, never trusted: one that does not parse, is not a dockerlint cache of this
 *   format, or holds anything that is not a well-formed finding of a known rule about a file its
 *   lint read is ignored as a whole (and a file that is not a dockerlint cache is never
 *   overwritten).
 * - It is written atomically (a temporary file in the same folder, renamed over), only inside the
 *   repository of the linted paths unless `--cache-location` names another place.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LintInput } from './engine.js';
import { displayPath, uniqueSorted, type Finding } from './findings.js';
import type { Linter } from './linter.js';
import { diskFs, FsError, type DirEntry, type FileSystem } from './fs/file-system.js';
import { DIAGNOSTIC_IDS } from './rules/index.js';
import { listingDigest, observe, sha256, type ReadLog } from './fs/recording.js';

/** The default file name, in the current folder (or the repository root when that is outside it). */
const CACHE_FILE = '.dockerlintcache';
const FORMAT = 'dockerlint-cache';
/**
 * 2: an entry no longer lists the absent paths that a listing of their folder in it implies.
 * 3: a file read may carry its stamp, as a third field of the read table.
 */
const FORMAT_VERSION = 3;
/**
 * How much older than now a file's modification and change times must be for its stamp to be
 * kept: a change made after the stamp was taken moves the change time past it, even on a file
 * system whose clock ticks coarsely.
 */
const STAMP_MARGIN_MS = 2000;
/** A cache file larger than this is not read. */
const MAX_CACHE_BYTES = 512 * 1024 * 1024;

/** The path a recorded call is about (`op\0arg\0path`). */
const pathOf = (call: string): string => call.slice(call.indexOf('\0', 2) + 1);

/** What the cache is keyed by as a whole: a change to any of it makes every entry miss. */
export interface CacheKey {
  version: string;
  /** The ids of every rule and diagnostic, in order. */
  rules: readonly string[];
  /** The run's options (plain data: configuration, severities, target, context, limits). */
  options: unknown;
}

interface Entry {
  /** Indices into the cache's read table. */
  reads: number[];
  findings: Finding[];
}

/** A call and the digest of its answer; for a file read, the stamp the file had when it was hashed. */
type Read = [string, string] | [string, string, string];

interface CacheFile {
  format: typeof FORMAT;
  formatVersion: typeof FORMAT_VERSION;
  key: string;
  /** [call, digest] pairs shared by the entries, with the stamp of a file read as it was hashed. */
  reads: Read[];
  /** By the input's absolute path. */
  entries: Record<string, Entry>;
}

export interface CacheStats {
  hits: number;
  misses: number;
}

/**
 * The cache file of a run: `--cache-location` (a file, or a folder to put `.dockerlintcache` in),
 * else `.dockerlintcache` in the current folder when that is inside `root` (the repository of the
 * linted paths), else in `root`.
 */
function cacheFile(cwd: string, root: string, location: string | undefined): string {
  if (location !== undefined) {
    const abs = path.resolve(cwd, location);
    let isDir = /[\\/]$/.test(location);
    try {
      isDir ||= fs.statSync(abs).isDirectory();
    } catch {
      // absent: a file name
    }
    return isDir ? path.join(abs, CACHE_FILE) : abs;
  }
  const rel = path.relative(root, cwd);
  const inside = rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  return path.join(inside ? cwd : root, CACHE_FILE);
}

class LintCache {
  private readonly key: string;
  private readonly entries = new Map<string, Entry>();
  /** The read table of the loaded file. */
  private readonly loadedReads: Read[] = [];
  /** Whether a valid cache file was loaded. */
  private loaded = false;
  /** The loaded read table: each call's index in it. */
  private readonly loadedIndex = new Map<string, number>();
  /** Digests observed now, per call (each call is run once per run). */
  private readonly current = new Map<string, string>();
  /** Stamps of the files hashed in this run, taken before each was read (by call). */
  private readonly stamped = new Map<string, string>();
  /** Whether this run stamped a file the loaded table holds no stamp for (the file is written again). */
  private restamped = false;
  /**
   * Whether each call of the loaded read table answers the same now (1) or not (2), once known
   * (0): entries share most of their calls (a base image's files, a shared script, the folders
   * above), so each is judged once, not once per entry.
   */
  private verdicts = new Uint8Array(0);
  /** Entries of this run, to write: the reads of a lint, or the read table indices of a hit. */
  private readonly fresh = new Map<string, { reads: ReadLog | readonly number[]; findings: Finding[] }>();
  /** Inputs this run asked for. */
  private readonly looked = new Set<string>();
  readonly stats: CacheStats = { hits: 0, misses: 0 };
  /** Why the file on disk was not used, if it was not (for DOCKERLINT_CACHE=report). */
  ignored: string | null = null;
  /** False when the file at the location is not a dockerlint cache: it is then left alone. */
  private writable = true;

  constructor(
    readonly file: string,
    key: CacheKey,
    private readonly fsys: FileSystem,
    private readonly knownRules: ReadonlySet<string>,
    private readonly clock: () => number = Date.now,
    private readonly listings: ReadonlyMap<string, readonly DirEntry[]> = new Map(),
  ) {
    this.key = sha256(JSON.stringify([FORMAT_VERSION, key.version, key.rules, key.options]));
    this.load();
  }

  private load(): void {
    let text: string;
    try {
      const st = fs.lstatSync(this.file, { throwIfNoEntry: false });
      if (!st) return;
      if (!st.isFile()) {
        this.ignored = 'not a regular file';
        this.writable = false;
        return;
      }
      if (st.size > MAX_CACHE_BYTES) {
        this.ignored = 'too large';
        return;
      }
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      this.ignored = `cannot read it (${FsError.from(e).code})`;
      this.writable = false;
      return;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      // A cache cut short (a killed run) or garbage: overwrite it only if it looks like ours.
      this.ignored = 'not valid JSON';
      this.writable = text.length === 0 || text.includes(`"format":"${FORMAT}"`);
      return;
    }
    const file = data as Partial<CacheFile> | null;
    if (!file || typeof file !== 'object' || file.format !== FORMAT) {
      this.ignored = 'not a dockerlint cache';
      this.writable = false;
      return;
    }
    if (file.formatVersion !== FORMAT_VERSION || file.key !== this.key) {
      this.ignored = 'another version, rule set or configuration';
      return;
    }
    const reads = file.reads;
    const entries = file.entries;
    if (!Array.isArray(reads) || !reads.every(validRead) || !entries || typeof entries !== 'object') {
      this.ignored = 'malformed';
      return;
    }
    const loaded = new Map<string, Entry>();
    for (const [input, entry] of Object.entries(entries)) {
      // The files the entry's lint read, worked out only for a finding about another file.
      let files: Set<string> | undefined;
      const read = (file: string): boolean => (files ??= filesOf(entry as Entry, reads)).has(file);
      if (!validEntry(entry, reads.length) || !entry.findings.every((f) => this.validFinding(f, input, read))) {
        this.ignored = `malformed entry for ${input}`;
        return;
      }
      loaded.set(input, entry);
    }
    this.loaded = true;
    this.loadedReads.push(...reads);
    this.verdicts = new Uint8Array(reads.length);
    reads.forEach(([call], i) => this.loadedIndex.set(call, i));
    for (const [k, v] of loaded) this.entries.set(k, v);
  }

  /** A finding as dockerlint makes them: known rule, well-typed fields, about a file its lint read. */
  private validFinding(f: unknown, input: string, read: (file: string) => boolean): f is Finding {
    if (!f || typeof f !== 'object') return false;
    const x = f as Record<string, unknown>;
    const int = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0;
    const str = (v: unknown): boolean => typeof v === 'string';
    if (!str(x.rule) || !this.knownRules.has(x.rule as string)) return false;
    if (x.severity !== 'error' && x.severity !== 'warning' && x.severity !== 'info') return false;
    if (!str(x.message) || !(x.hint === null || str(x.hint)) || !str(x.file)) return false;
    if (x.messageId !== undefined && !str(x.messageId)) return false;
    if (![x.line, x.column, x.endLine, x.endColumn].every(int)) return false;
    const known = (file: unknown): boolean => file === input || file === '-' || (typeof file === 'string' && read(file));
    if (!known(x.file)) return false;
    if (!Array.isArray(x.related) || !x.related.every((r: unknown) => r && typeof r === 'object' && str((r as Related).file) && int((r as Related).line) && int((r as Related).column) && str((r as Related).message))) return false;
    if (x.fix !== undefined) {
      const fix = x.fix as Record<string, unknown> | null;
      if (!fix || typeof fix !== 'object' || (fix.safety !== 'safe' && fix.safety !== 'unsafe') || !str(fix.title) || !Array.isArray(fix.edits)) return false;
      for (const e of fix.edits as unknown[]) {
        const edit = e as Record<string, unknown> | null;
        if (!edit || typeof edit !== 'object' || !str(edit.file) || !str(edit.shown) || !str(edit.text) || !Number.isInteger(edit.start) || !Number.isInteger(edit.end)) return false;
        const span = edit.span as Record<string, unknown> | null;
        if (!span || typeof span !== 'object' || ![span.line, span.column, span.endLine, span.endColumn].every(int)) return false;
      }
    }
    return true;
  }

  /**
   * Whether a path that was absent is still absent because its folder lists the same entries as
   * then (most calls are such probes: compose files, ignore files, candidates of a search). Saves
   * one system call per probe; a folder that changed sends the probe itself to the disk.
   */
  private impliedAbsent(call: string, digest: string): boolean {
    if (digest !== '-' && digest !== 'r:-') return false;
    const p = pathOf(call);
    const listing = `d\0\0${path.dirname(p)}`;
    const at = this.loadedIndex.get(listing);
    const then = at === undefined ? undefined : this.loadedReads[at]![1];
    // Only a listing that succeeded: a folder that can be searched but not read lists nothing.
    return then !== undefined && then.startsWith('d:') && this.now(listing) === then;
  }

  private now(call: string): string {
    let d = this.current.get(call);
    if (d === undefined) {
      d = this.observe(call);
      this.current.set(call, d);
    }
    return d;
  }

  /**
   * Runs a call again; a file read is stamped first, so the stamp never vouches for a later
   * change. A folder the discovery of this run listed answers from that listing, and so do the
   * real path of the folder and of what is in it (an entry that is no symlink, in a folder listed
   * by its real path, is its own real path), and a real path or stat of a name it does not hold
   * (absent).
   */
  private observe(call: string): string {
    const op = call[0];
    if (op === 'd' || op === 'r' || op === 's') {
      const p = pathOf(call);
      if (op === 'd') {
        const listed = this.listings.get(p);
        if (listed) return listingDigest(listed);
      } else if (op === 'r' && this.listings.has(p)) return `r:${p}`;
      else {
        const listed = this.listings.get(path.dirname(p));
        const kind = listed ? entryKind(listed, path.basename(p)) : undefined;
        if (kind === null) return op === 'r' ? 'r:-' : '-';
        if (op === 'r' && kind !== undefined && kind !== 'symlink') return `r:${p}`;
      }
    }
    const stamp = call.startsWith('f\0') ? stampOf(pathOf(call), this.clock()) : null;
    const digest = observe(call, this.fsys);
    if (stamp !== null && digest.startsWith('f:')) {
      this.stamped.set(call, stamp);
      if (this.loadedRead(call)?.[2] !== stamp) this.restamped = true;
    }
    return digest;
  }

  private loadedRead(call: string): Read | undefined {
    const at = this.loadedIndex.get(call);
    return at === undefined ? undefined : this.loadedReads[at];
  }

  /** Whether the call at `i` of the loaded table answers the same now. */
  private same(i: number): boolean {
    const [call, digest, stamp] = this.loadedReads[i]!;
    if (stamp !== undefined && !this.current.has(call) && stampOf(pathOf(call), this.clock()) === stamp) {
      this.current.set(call, digest);
      return true;
    }
    return this.impliedAbsent(call, digest) || this.now(call) === digest;
  }

  /**
   * The stamp to keep with a file read of the table being written: the one taken as this run
   * hashed the file to the same digest, else the loaded one of the same digest, else (for a
   * read of a lint of this run, `fresh`) one taken now, before the file is hashed again to check
   * that it still holds what the lint read.
   */
  private stampFor(call: string, digest: string, fresh: boolean): string | undefined {
    if (!call.startsWith('f\0') || !digest.startsWith('f:')) return undefined;
    const now = this.stamped.get(call);
    if (now !== undefined && this.current.get(call) === digest) return now;
    const then = this.loadedRead(call);
    if (then?.[1] === digest && then[2] !== undefined) return then[2];
    if (!fresh) return undefined;
    const stamp = stampOf(pathOf(call), this.clock());
    return stamp !== null && observe(call, this.fsys) === digest ? stamp : undefined;
  }

  /** The cached findings of an input, if everything its lint read answers the same now. */
  get(input: LintInput): Finding[] | null {
    if (input.path === '-' || input.text !== undefined) return null;
    this.looked.add(input.path);
    const entry = this.entries.get(input.path);
    if (entry) {
      let same = true;
      for (const i of entry.reads) {
        let verdict = this.verdicts[i]!;
        if (verdict === 0) {
          verdict = this.same(i) ? 1 : 2;
          this.verdicts[i] = verdict;
        }
        if (verdict !== 1) {
          same = false;
          break;
        }
      }
      if (same) {
        this.stats.hits++;
        this.fresh.set(input.path, { reads: entry.reads, findings: entry.findings });
        return entry.findings;
      }
    }
    this.stats.misses++;
    return null;
  }

  /** Keeps the findings of an input linted in this run and what its lint read. */
  set(input: LintInput, findings: Finding[], reads: ReadLog): void {
    if (input.path === '-' || input.text !== undefined) return;
    this.fresh.set(input.path, { reads, findings });
  }

  /**
   * Writes the entries of this run (hits and fresh lints) and those of the inputs it did not look
   * at. Never throws: a cache that cannot be written is a note, not a failure.
   */
  save(): string | null {
    if (!this.writable) return `${this.file} is not a dockerlint cache: not overwritten`;
    // Every input a hit, and the file was valid: it holds exactly this already.
    if (this.stats.misses === 0 && this.ignored === null && this.loaded && !this.restamped) return null;
    const table: Read[] = [];
    const index = new Map<string, number>();
    const entries: Record<string, Entry> = {};
    // Entries of inputs this run did not look at (another path, another shard) are kept as read.
    const all = new Map(this.fresh);
    for (const [input, entry] of this.entries) {
      if (!all.has(input) && !this.looked.has(input)) all.set(input, { reads: entry.reads, findings: entry.findings });
    }
    for (const [input, entry] of [...all].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const fresh = entry.reads instanceof Map;
      const reads: ReadLog = entry.reads instanceof Map ? entry.reads : new Map(entry.reads.map((i) => this.loadedReads[i]!.slice(0, 2) as [string, string]));
      const ids: number[] = [];
      let consistent = true;
      for (const [call, digest] of reads) {
        if (listedAbsent(call, digest, reads)) continue;
        const id = index.get(call);
        if (id === undefined) {
          index.set(call, table.length);
          ids.push(table.length);
          const stamp = this.stampFor(call, digest, fresh);
          table.push(stamp === undefined ? [call, digest] : [call, digest, stamp]);
        } else if (table[id]![1] !== digest) {
          consistent = false; // the file changed during the run: do not keep this entry
          break;
        } else ids.push(id);
      }
      if (consistent) entries[input] = { reads: ids, findings: entry.findings };
    }
    const data: CacheFile = { format: FORMAT, formatVersion: FORMAT_VERSION, key: this.key, reads: table, entries };
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, JSON.stringify(data), { mode: 0o644, flag: 'wx' });
      fs.renameSync(tmp, this.file);
    } catch (e) {
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        // nothing to clean
      }
      return `cannot write the cache ${this.file} (${FsError.from(e).code})`;
    }
    return null;
  }
}

interface Related {
  file: string;
  line: number;
  column: number;
  message: string;
}

/**
 * Whether a call found its path absent and the same lint listed the path's folder: a listing that
 * answers the same implies the path is still absent, so the entry need not keep the probe (most
 * of a lint's calls are such probes: compose and ignore files, the candidates of a search).
 */
function listedAbsent(call: string, digest: string, reads: ReadLog): boolean {
  if (digest !== '-' && digest !== 'r:-') return false;
  const p = pathOf(call);
  // Only a listing that succeeded: a folder that can be searched but not read lists nothing.
  return reads.get(`d\0\0${path.dirname(p)}`)?.startsWith('d:') === true;
}

/**
 * A file's stamp (`dev:ino:size:mtime:ctime`, in nanoseconds), or null when it is no regular file
 * or was modified or changed less than STAMP_MARGIN_MS before `nowMs`: too recently to vouch that
 * a change in the same clock tick would show.
 */
function stampOf(p: string, nowMs: number): string | null {
  let st: fs.BigIntStats | undefined;
  try {
    st = fs.statSync(p, { bigint: true, throwIfNoEntry: false });
  } catch {
    return null;
  }
  if (!st?.isFile()) return null;
  const limit = BigInt(Math.floor(nowMs) - STAMP_MARGIN_MS) * 1_000_000n;
  if (st.mtimeNs > limit || st.ctimeNs > limit) return null;
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

/** The kind of the entry `name` of a listing (sorted by name, as `FileSystem.readdir` gives it). */
function entryKind(entries: readonly DirEntry[], name: string): DirEntry['kind'] | null {
  let lo = 0;
  let hi = entries.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const e = entries[mid]!;
    if (e.name === name) return e.kind;
    if (e.name < name) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}

function validRead(r: unknown): r is Read {
  return Array.isArray(r) && (r.length === 2 || r.length === 3) && r.every((x) => typeof x === 'string');
}

/** The files an entry's lint read (its `readFile` calls). */
function filesOf(entry: Entry, reads: Read[]): Set<string> {
  const out = new Set<string>();
  for (const i of entry.reads) {
    const call = reads[i]![0];
    if (call.startsWith('f\0')) out.add(pathOf(call));
  }
  return out;
}

function validEntry(entry: unknown, tableSize: number): entry is Entry {
  if (!entry || typeof entry !== 'object') return false;
  const e = entry as Partial<Entry>;
  return Array.isArray(e.reads) && e.reads.every((i) => Number.isInteger(i) && i >= 0 && i < tableSize) && Array.isArray(e.findings);
}

export interface CachedRunOptions {
  cwd: string;
  /** The repository root of the linted paths (the default cache is never written above it). */
  root: string;
  /** `--cache-location`. */
  location: string | undefined;
  key: CacheKey;
  env: Record<string, string | undefined>;
  onDone?: (input: LintInput) => void;
  /** Notes for stderr (a cache that could not be written; with DOCKERLINT_CACHE=report, the counts). */
  note: (text: string) => void;
  /** The file system the recorded calls are run again on (the disk; tests count the calls). */
  fs?: FileSystem;
  /** The time in milliseconds, to judge whether a file is old enough to stamp (tests move it on). */
  clock?: () => number;
  /** The folders the discovery of this run listed, by real path (`DiscoverOptions.listings`). */
  listings?: ReadonlyMap<string, readonly DirEntry[]>;
}

/**
 * Lints `inputs` through the cache: the inputs whose recorded reads all answer the same get their
 * cached findings, the others are linted (recording what they read) and stored.
 */
export async function lintCached(linter: Linter, inputs: readonly LintInput[], o: CachedRunOptions): Promise<{ findings: Finding[] }> {
  const known = new Set<string>([...o.key.rules, ...DIAGNOSTIC_IDS]);
  const cache = new LintCache(cacheFile(o.cwd, o.root, o.location), o.key, o.fs ?? diskFs, known, o.clock, o.listings);
  const findings: Finding[] = [];
  const todo: LintInput[] = [];
  for (const input of inputs) {
    const hit = cache.get(input);
    if (hit) {
      for (const f of hit) findings.push(f);
      o.onDone?.(input);
    } else todo.push(input);
  }
  if (todo.length > 0) {
    // Each input's own findings (a script's copies per Dockerfile, not yet merged), merged with
    // the cached ones below as one run merges them.
    await linter.lint(todo, {
      env: o.env,
      ...(o.onDone ? { onDone: o.onDone } : {}),
      onResult: (input, found, reads) => {
        cache.set(input, found, reads);
        for (const f of found) findings.push(f);
      },
    });
  }
  const problem = cache.save();
  if (problem) o.note(`dockerlint: ${problem}\n`);
  if (o.env.DOCKERLINT_CACHE === 'report') {
    o.note(`dockerlint: cache ${cache.file}: ${cache.stats.hits} hits, ${cache.stats.misses} misses${cache.ignored ? ` (the file was ignored: ${cache.ignored})` : ''}\n`);
  }
  return { findings: uniqueSorted(findings, (f) => displayPath(f, o.cwd)) };
}
