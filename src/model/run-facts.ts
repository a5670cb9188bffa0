/**
 * What the RUN instructions of a stage (and the stages it builds on) do to the files that matter
 * here, read from their command views: `chmod` modes and paths, packages installed, symlinks made,
 * and the words they mention (a script a RUN creates is not "missing").
 */
import path from 'node:path';
import type { Instruction } from '../parsers/dockerfile.js';
import { basename } from './commands.js';
import { expandWord } from './expand.js';
import type { Stage } from './image.js';
import type { DockerfileView } from './instructions.js';

export interface ChmodFact {
  instruction: Instruction;
  mode: string;
  /** Absolute image paths (or patterns) as written, resolved against WORKDIR. */
  paths: string[];
  /** Some path is a word only the running shell knows (`chmod +x "$APP_DIR/$SCRIPT"`): it may be any file. */
  unknownPath?: true;
  /** `chmod -R`: a folder given covers what is inside it. */
  recursive?: true;
}

export interface Move {
  from: string;
  to: string;
  into: 'folder' | 'either';
  instruction: Instruction;
}

export interface RunFacts {
  chmods: ChmodFact[];
  /** Packages named by apk add / apt-get install / yum / dnf / microdnf install. */
  installs: Set<string>;
  symlinks: { target: string; link: string; instruction: Instruction }[];
  /**
   * Files and folders that `mv` or `cp` put somewhere else (`RUN mv /tmp/run.sh /usr/bin`), as
   * the path they came from (its last part may be a glob) and where they went: into the folder
   * `to`, or to `to` itself or into it when it cannot be told which (`into: 'either'`).
   */
  moves: Move[];
  /** Folders made by `mkdir -p` / `install -d`, and the folders above them (absolute). */
  dirs: Set<string>;
  /** Every word of every RUN, split on blanks and shell operators (for "does a RUN mention this file"). */
  words: Set<string>;
  /**
   * Folders where a RUN may have written files dockerlint cannot name: the WORKDIR and the
   * absolute paths of each RUN that downloads, unpacks, clones or copies (`/` for anywhere).
   */
  unknownWrites: Set<string>;
}

/** Programs whose output files are not named on their command line (or not all of them). */
const UNKNOWN_WRITERS = /^(tar|bsdtar|unzip|7z|7za|gunzip|unxz|bunzip2|zstd|cpio|curl|wget|git|svn|hg|rsync|cp|mv|jar|unsquashfs|dpkg|rpm)$/;

const INSTALLERS: Record<string, string[]> = {
  apk: ['add'],
  'apt-get': ['install'],
  apt: ['install'],
  yum: ['install'],
  dnf: ['install'],
  microdnf: ['install'],
  zypper: ['install', 'in'],
};

export async function collectRunFacts(stage: Stage, dockerfile: DockerfileView): Promise<RunFacts> {
  const facts: RunFacts = { chmods: [], installs: new Set(), symlinks: [], moves: [], words: new Set(), dirs: new Set(), unknownWrites: new Set() };
  const chain: Stage[] = [];
  for (let s: Stage | null = stage; s; s = s.baseStage) chain.unshift(s);
  for (const s of chain) {
    let workdir = '/';
    for (const inst of [s.from, ...s.instructions]) {
      if (inst.keyword === 'WORKDIR') workdir = path.posix.resolve(workdir, inst.rest.text.trim());
      if (inst.keyword !== 'RUN') continue;
      const raw = inst.rest.text + inst.heredocs.map((h) => `\n${h.body.text}`).join('');
      const words = raw.split(/[\s;&|()<>"'=]+/).filter((w) => w !== '');
      for (const w of words) facts.words.add(w);
      if (words.some((w) => UNKNOWN_WRITERS.test(basename(w)))) {
        facts.unknownWrites.add(workdir);
        for (const w of words) if (w.startsWith('/')) facts.unknownWrites.add(path.posix.resolve(w));
      }
      // Only RUNs that can change a fact here are read: chmod, ln, mkdir, `install -d` (not the
      // `install` verb of a package manager: record() reads only the one with a folder flag), or a
      // package manager installing bash (the parse is shared with the rules that read RUNs).
      if (!mayChangeFacts(raw)) continue;
      const view = dockerfile.viewOf(inst);
      if (!view) continue;
      const run = await dockerfile.run(view);
      const env = s.config.env;
      for (const c of run.commands) record(facts, [c.program, ...c.args].map((w) => w.value ?? envValue(w.text, env) ?? '\u0000'), inst, workdir);
    }
  }
  return facts;
}

/**
 * The first RUN of the stage or the stages it is built on that runs `sudo` (as the command or in
 * front of it: `sudo apt-get ...`, `env X=1 sudo ...`, inside `sh -c`), when none of them sets a
 * USER; else null. Only RUNs whose text mentions sudo are parsed.
 */
export async function sudoBuildStep(stage: Stage, dockerfile: DockerfileView): Promise<Instruction | null> {
  const chain: Stage[] = [];
  for (let s: Stage | null = stage; s; s = s.baseStage) chain.unshift(s);
  if (chain.some((s) => s.instructions.some((i) => i.keyword === 'USER'))) return null;
  for (const s of chain) {
    for (const inst of s.instructions) {
      if (inst.keyword !== 'RUN' || (!inst.rest.text.includes('sudo') && !inst.heredocs.some((h) => h.body.text.includes('sudo')))) continue;
      const view = dockerfile.viewOf(inst);
      if (!view) continue;
      const run = await dockerfile.run(view);
      if (run.commands.some((c) => c.name === 'sudo' || c.prefixes.includes('sudo'))) return inst;
    }
  }
  return null;
}

/**
 * A RUN word that expands only variables the stage's ENV gives known values (`$APP_HOME/run.sh`,
 * `"${APP_HOME}/bin"`), expanded as the shell would; null for anything else (quotes inside,
 * a glob, a variable with no known value), which stays a word only the running shell knows.
 */
function envValue(text: string, env: ReadonlyMap<string, string | null>): string | null {
  const inner = text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
  if (!inner.includes('$') || /["'`\\*?[]|\$\(/.test(inner)) return null;
  const e = expandWord(inner, (n) => env.get(n) ?? null);
  return e.known && e.value !== '' ? e.value : null;
}

/**
 * Whether a RUN's text can hold a command record() reads: a lexical filter that errs on the side
 * of parsing (a word in a comment or a string passes it too), never the finding itself.
 */
export function mayChangeFacts(raw: string): boolean {
  if (/\b(chmod|ln|mkdir|mv|cp|useradd|adduser)\b/.test(raw)) return true;
  // `install` and its folder flag in one command (no `;`, `&` or `|` between them).
  if (/\binstall\b[^;&|]*?\s(?:-[A-Za-z]*d|--directory)/.test(raw)) return true;
  return /\bbash\b/.test(raw) && /\b(apk|apt-get|apt|yum|dnf|microdnf|zypper)\b/.test(raw);
}

function record(facts: RunFacts, words: string[], inst: Instruction, workdir: string): void {
  const name = words[0] ? basename(words[0]) : '';
  const rest = words.slice(1);
  if (name === 'chmod') {
    const args = rest.filter((w) => !/^-[A-Za-z]+$/.test(w) && !w.startsWith('--'));
    const [mode, ...paths] = args;
    if (mode && paths.length > 0) {
      const known = paths.filter((p) => p !== '\u0000');
      const recursive = rest.some((w) => /^-[A-Za-z]*R/.test(w) || w === '--recursive');
      facts.chmods.push({ instruction: inst, mode, paths: known.map((p) => path.posix.resolve(workdir, p)), ...(known.length < paths.length ? { unknownPath: true as const } : {}), ...(recursive ? { recursive: true as const } : {}) });
    }
  } else if (name === 'mkdir' || (name === 'install' && rest.some((w) => /^-[A-Za-z]*d/.test(w) || w === '--directory'))) {
    // `install -d -m 0755 -o app /opt/app`: the option values are not folders.
    for (let i = 0; i < rest.length; i++) {
      const w = rest[i] as string;
      if (name === 'install' && /^-[mogt]$/.test(w)) i++;
      else if (name === 'mkdir' && w === '-m') i++;
      else if (!w.startsWith('-') && w !== '\u0000') {
        // The folders above are folders too (made by `-p`, or there already).
        for (let d = path.posix.resolve(workdir, w); d !== '/'; d = path.posix.dirname(d)) facts.dirs.add(d);
      }
    }
  } else if (name === 'useradd' || name === 'adduser') {
    const home = homeMade(name, rest);
    if (home !== null) for (let d = path.posix.resolve(workdir, home); d !== '/'; d = path.posix.dirname(d)) facts.dirs.add(d);
  } else if (name === 'ln' && rest.some((w) => /^-[A-Za-z]*s/.test(w))) {
    const args = rest.filter((w) => !w.startsWith('-'));
    if (args.length === 2 && args[0] && args[1] && !args.includes('\u0000')) {
      const link = path.posix.resolve(workdir, args[1]);
      const target = path.posix.resolve(path.posix.dirname(link), args[0]);
      facts.symlinks.push({ target, link, instruction: inst });
    }
  } else if (name === 'mv' || name === 'cp') {
    recordMove(facts, rest, inst, workdir);
  } else if (INSTALLERS[name]?.includes(rest.find((w) => !w.startsWith('-')) ?? '')) {
    const verbIndex = rest.findIndex((w) => !w.startsWith('-'));
    for (const pkg of rest.slice(verbIndex + 1)) {
      if (!pkg.startsWith('-') && pkg !== '\u0000') facts.installs.add(pkg.replace(/[=<>~].*$/, ''));
    }
  }
}

/**
 * The home folder `useradd -m` (`--create-home`) or `adduser` makes: the one given by `-d` /
 * `--home-dir` (useradd), `-h` / `--home` (adduser), else `/home/NAME`. Null when it makes none
 * (useradd without `-m`, adduser with `-H`, `--no-create-home` or as a system user, whose home
 * depends on the distribution) or when a word is not known.
 */
function homeMade(name: string, rest: string[]): string | null {
  const valued = name === 'useradd' ? /^-[cdegGkKpsuUbf]$|^--(comment|home-dir|expiredate|gid|groups|skel|key|password|shell|uid|base-dir|inactive|root|prefix|selinux-user)$/ : /^-[hgsGuk]$|^--(home|gecos|gid|ingroup|shell|uid|firstuid|lastuid|conf|comment|add-extra-groups)$/;
  let home: string | null = null;
  let create = name === 'adduser';
  let user: string | null = null;
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i] as string;
    if (w === '\u0000') return null;
    if (name === 'useradd' && (w === '-m' || w === '--create-home')) create = true;
    else if (name === 'useradd' && (w === '-M' || w === '--no-create-home')) create = false;
    else if (name === 'adduser' && (w === '-H' || w === '--no-create-home' || w === '-S' || w === '--system')) create = false;
    else if (valued.test(w)) {
      const v = rest[++i];
      if (v === undefined || v === '\u0000') return null;
      if ((name === 'useradd' && (w === '-d' || w === '--home-dir')) || (name === 'adduser' && (w === '-h' || w === '--home'))) home = v;
    } else if (w.startsWith('--home-dir=') || w.startsWith('--home=')) home = w.slice(w.indexOf('=') + 1);
    else if (w.startsWith('-')) {
      // A cluster of flags (`-mU`, `-DH`) or an option dockerlint does not know.
      if (name === 'useradd' && /^-[a-zA-Z]+$/.test(w) && w.includes('m')) create = true;
      if (name === 'adduser' && /^-[a-zA-Z]+$/.test(w) && (w.includes('H') || w.includes('S'))) create = false;
      if (w.startsWith('--') && w.includes('=')) continue;
      if (!/^-[a-zA-Z]+$/.test(w) && !w.startsWith('--')) return null;
    } else if (user === null) user = w;
  }
  if (!create || user === null) return null;
  return home ?? `/home/${user}`;
}

/** Folders where a file moved without a new name lands: the usual program folders, and `/`. */
const KNOWN_DIRS = /^\/((usr\/)?(local\/)?s?bin|opt|srv|etc|root|home|tmp)?$/;

/**
 * `mv SRC... DEST`, `cp -r SRC... DEST`, `mv -t DEST SRC...`: each source goes into DEST when
 * DEST is a folder (several sources, `-t`, a trailing slash, a folder RUN made or a program
 * folder); a single source to any other path may land at that name or inside it.
 */
function recordMove(facts: RunFacts, rest: string[], inst: Instruction, workdir: string): void {
  let target: string | null = null;
  const args: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i] as string;
    if (w === '-t' || w === '--target-directory') target = rest[++i] ?? null;
    else if (w.startsWith('--target-directory=')) target = w.slice('--target-directory='.length);
    else if (w === '-S' || w === '--suffix') i++;
    else if (w === '--') args.push(...rest.slice(i + 1)), (i = rest.length);
    else if (!w.startsWith('-')) args.push(w);
  }
  const sources = target === null ? args.slice(0, -1) : args;
  const dest = target ?? args[args.length - 1];
  if (!dest || sources.length === 0 || dest === '\u0000' || sources.includes('\u0000')) return;
  const to = path.posix.resolve(workdir, dest);
  const into = target !== null || sources.length > 1 || dest.endsWith('/') || facts.dirs.has(to) || KNOWN_DIRS.test(to) ? 'folder' : 'either';
  for (const src of sources) facts.moves.push({ from: path.posix.resolve(workdir, src), to, into, instruction: inst });
}

/** Whether a chmod mode adds the execute bit (`+x`, `u+x`, `755`, `a+rx`). */
export function addsExecute(mode: string): boolean {
  if (/^[0-7]{3,4}$/.test(mode)) return (parseInt(mode.slice(-3, -2), 8) & 1) === 1;
  return /^[ugoa]*[+=][rwXxst]*x/.test(mode) || mode.split(',').some((m) => /^[ugoa]*[+=][rwXst]*x/.test(m));
}

/** Whether a chmod mode sets the setuid bit (`u+s`, `+s`, `4755`). */
export function addsSetuid(mode: string): boolean {
  if (/^[0-7]{4}$/.test(mode)) return (parseInt(mode.charAt(0), 8) & 4) === 4;
  return mode.split(',').some((m) => /^[ua]*\+[rwxXt]*s/.test(m));
}

/** Whether a chmod path (possibly a glob) covers an image path. */
export function chmodCovers(pattern: string, imagePath: string, recursive: boolean): boolean {
  if (pattern === imagePath) return true;
  if (/[*?[]/.test(pattern)) {
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
    return re.test(imagePath);
  }
  // `chmod -R +x /usr/local/bin`: covers what is inside (without -R, only the folder itself).
  return recursive && imagePath.startsWith(pattern.endsWith('/') ? pattern : `${pattern}/`);
}
