/**
 * What package-manager commands do, read from command views: installs and their package words,
 * the non-interactive switches, the cache clean-ups. The semantics follow the package managers'
 * own option parsing where a rule depends on it (`apt-get -t RELEASE`, `apk add --virtual NAME`).
 */
import type { ArgWord, CommandView } from './command-view.js';
import type { Flag } from '../parsers/dockerfile.js';

/**
 * The operands of a command: its non-option words, without the values of the options named in
 * `valued` (`-t bookworm`, `--virtual .deps`) and without the subcommand words in `verbs`.
 */
export function operands(cmd: CommandView, valued: readonly string[] = [], verbs: readonly string[] = []): ArgWord[] {
  const out: ArgWord[] = [];
  let skipNext = false;
  let afterDashes = false;
  for (const a of cmd.args) {
    if (skipNext) {
      skipNext = false;
      continue;
    }
    const v = a.value;
    if (!afterDashes && v !== null && v.startsWith('-') && v !== '-') {
      if (v === '--') {
        afterDashes = true;
        continue;
      }
      if (v.startsWith('--')) {
        if (!v.includes('=') && valued.includes(v.slice(2))) skipNext = true;
      } else {
        const last = v[v.length - 1] as string;
        if (valued.includes(last)) skipNext = true;
      }
      continue;
    }
    if (v !== null && verbs.includes(v)) continue;
    out.push(a);
  }
  return out;
}

/**
 * What a `tar` command line asks for: extraction (`-x`, the old style `xzf`, `--extract`,
 * `--get`), a compression filter (`z`, `J`, `j`, `Z`, `--gzip`, `--xz`, ...), and the archive
 * `-f` names (undefined without one: standard input; null when its value is not known).
 */
export function tarMode(cmd: CommandView): { extract: boolean; compressed: boolean; file: string | null | undefined } {
  let extract = false;
  let compressed = false;
  let file: string | null | undefined;
  const words = cmd.args.map((a) => a.value);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === null || w === undefined) continue;
    if (w.startsWith('--')) {
      if (w === '--extract' || w === '--get') extract = true;
      else if (TAR_FILTERS.includes(w)) compressed = true;
      else if (w.startsWith('--file=')) file = w.slice('--file='.length);
      else if (w === '--file') file = words[++i] ?? null;
      continue;
    }
    // Options in a cluster (`-xzf`), or the first word in the old style (`xzf`).
    const cluster = w.startsWith('-') && w !== '-' ? w.slice(1) : i === 0 ? w : null;
    if (cluster === null) continue;
    for (let k = 0; k < cluster.length; k++) {
      const c = cluster[k];
      if (c === 'x') extract = true;
      else if (c === 'z' || c === 'J' || c === 'j' || c === 'Z') compressed = true;
      else if (c === 'f' || c === 'C' || c === 'T' || c === 'X' || c === 'I') {
        // The option's value: the rest of a `-` cluster, else the next word.
        const rest = w.startsWith('-') ? cluster.slice(k + 1) : '';
        const value = rest !== '' ? rest : (words[++i] ?? null);
        if (c === 'f') file = value;
        break;
      }
    }
  }
  return { extract, compressed, file };
}

const TAR_FILTERS = ['--gzip', '--gunzip', '--xz', '--bzip2', '--zstd', '--lzma', '--lzip'];

/** `apt-get install` (also `apt-get -y install`, `apt-get install -y`). */
/** `apt-get install`, not a simulation (`-s`, `--dry-run`, ...: it installs and asks nothing). */
export function isAptGetInstall(cmd: CommandView): boolean {
  return cmd.name === 'apt-get' && cmd.hasArg('install') && !cmd.hasFlag('s', 'simulate', 'just-print', 'dry-run', 'recon', 'no-act');
}

/** The package words of an `apt-get install`. */
export function aptGetPackages(cmd: CommandView): ArgWord[] {
  return operands(cmd, ['t', 'target-release', 'o', 'c', 'config-file'], ['install']);
}

export function isApkAdd(cmd: CommandView): boolean {
  return cmd.name === 'apk' && cmd.hasArg('add');
}

export function apkPackages(cmd: CommandView): ArgWord[] {
  return operands(cmd, ['t', 'virtual', 'repository', 'X', 'p', 'root', 'keys-dir', 'repositories-file', 'cache-dir', 'arch'], ['add']);
}

/** `pip install`, `pip3 install`, `python -m pip install`, `python3.12 -m pip install` (and `pipx install` with `pipx`). */
export function isPipInstall(cmd: CommandView, opts: { pipx?: boolean } = {}): boolean {
  const name = cmd.name ?? '';
  const args = cmd.args.map((a) => a.value);
  if (/^pip[0-9.]*$/.test(name) || (opts.pipx === true && name === 'pipx')) return args.includes('install');
  if (/^python[0-9.]*$/.test(name)) {
    const m = args.indexOf('-m');
    return m >= 0 && args[m + 1] === 'pip' && args.indexOf('install', m + 2) >= 0;
  }
  return false;
}

/** A RUN `--mount=type=cache` or `type=tmpfs` whose target contains `path`. */
export function cacheMountCovers(flags: readonly Flag[], path: string): boolean {
  return flags.some((f) => {
    if (f.name !== 'mount' || f.value === null) return false;
    const opts = new Map(
      f.value.split(',').map((kv) => {
        const eq = kv.indexOf('=');
        return [eq >= 0 ? kv.slice(0, eq) : kv, eq >= 0 ? kv.slice(eq + 1) : ''] as const;
      }),
    );
    const type = opts.get('type');
    const target = opts.get('target') ?? opts.get('dst') ?? opts.get('destination') ?? '';
    return (type === 'cache' || type === 'tmpfs') && target.includes(path);
  });
}

/** `rm -rf PATH...` (any spelling of -r and -f) removing `prefix`, what is in it, or a folder above it. */
export function removesTree(cmd: CommandView, prefix: string): boolean {
  if (cmd.name !== 'rm') return false;
  if (!(cmd.hasFlag('r', 'R', 'recursive') && cmd.hasFlag('f', 'force'))) return false;
  return operands(cmd).some((a) => {
    const v = a.value?.replace(/\/+$/, '');
    if (!v) return false;
    // The tree itself or what is in it (`/var/lib/apt/lists/*`), or a folder above it and
    // everything in that (`rm -rf /var/cache`, `rm -rf /var/cache/*`).
    const above = v.endsWith('/*') ? v.slice(0, -2) : v;
    return v.startsWith(prefix) || (above.startsWith('/') && above.length > 1 && prefix.startsWith(`${above}/`));
  });
}

/**
 * The verb of a package-manager command that asks before it acts (`dnf install`, `zypper rm`)
 * when none of the flags that answer for it is given; null when it does not ask.
 */
export function askingVerb(cmd: CommandView, tools: ReadonlySet<string>, verbs: readonly string[], answers: readonly string[]): string | null {
  if (cmd.name === null || !tools.has(cmd.name) || cmd.hasFlag(...answers)) return null;
  return cmd.args.find((a) => a.value !== null && verbs.includes(a.value))?.value ?? null;
}
