/**
 * supervisord's configuration, as far as the build puts it in the image: which programs it starts
 * and as which user. The file format is Python's ConfigParser as supervisor reads it (sections,
 * `key = value` or `key: value`, `;`/`#` comment lines, an inline comment after whitespace,
 * indented continuation lines, `[include] files = ...` globs): a few rules that the general INI
 * readers do not follow (continuations, inline comments only after whitespace), so it is read here.
 */
import path from 'node:path';
import picomatch from 'picomatch';

export interface IniEntry {
  value: string;
  line: number;
}

/** The sections of a file in order, each with its keys (lower-cased, as supervisor reads them). */
export function readIni(text: string): { name: string; line: number; keys: Map<string, IniEntry> }[] {
  const sections: { name: string; line: number; keys: Map<string, IniEntry> }[] = [];
  let current: { name: string; line: number; keys: Map<string, IniEntry> } | null = null;
  let last: IniEntry | null = null;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (/^\s*$/.test(raw) || /^\s*[;#]/.test(raw)) {
      // A blank or comment line ends a continuation only when blank.
      if (/^\s*$/.test(raw)) last = null;
      continue;
    }
    if (/^\s/.test(raw) && last) {
      // An indented line continues the value above it.
      last.value = `${last.value}\n${stripComment(raw.trim())}`;
      continue;
    }
    const section = /^\[([^\]]+)\]/.exec(raw);
    if (section) {
      current = { name: (section[1] as string).trim(), line: i + 1, keys: new Map() };
      sections.push(current);
      last = null;
      continue;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(raw);
    if (!kv || !current) {
      last = null;
      continue;
    }
    last = { value: stripComment(kv[2] as string), line: i + 1 };
    current.keys.set((kv[1] as string).trim().toLowerCase(), last);
  }
  return sections;
}

/** `value ; comment`: supervisor takes `;` (or `#`) after whitespace as the start of a comment. */
function stripComment(v: string): string {
  const m = /\s[;#]/.exec(v);
  return (m ? v.slice(0, m.index) : v).trim();
}

export interface SupervisorProgram {
  /** `[program:web]` -> `web`. */
  name: string;
  command: string;
  /** `user=` as written, or null (the program runs as supervisord's user). */
  user: string | null;
  /** Where `command=` is: `conf/supervisord.conf:12`. */
  at: string;
  /** `autostart=false`: not started with supervisord. */
  autostart: boolean;
}

export interface SupervisorConfig {
  /** The configuration files read, in the order supervisord reads them (display paths). */
  files: string[];
  /** `[supervisord] user=`: the user supervisord switches to when started as root. */
  user: string | null;
  programs: SupervisorProgram[];
  /** How the main file was found: `-c /etc/supervisord.conf`, or the default search. */
  how: string;
  /** An `[include]` pattern whose files are not known (a folder filled at run time or by RUN). */
  unknownIncludes: string[];
  /** An `[include]` pattern that matches no file the build puts in the image. */
  emptyIncludes: string[];
}

/** What reading supervisord's configuration needs from the image. */
export interface SupervisorImage {
  /** The text and display path of an image file the build provides from the context or a heredoc, or null. */
  read(imagePath: string): { text: string; display: string } | null;
  /** The files COPY/ADD put in an image folder, or null when not known. */
  list(dir: string): string[] | null;
  /** The working directory. */
  workdir: string;
  /** The environment supervisord starts with (ENV; null: set, value not known). */
  env: Map<string, string | null>;
}

/** `%(program_name)s`, `%(ENV_NAME)s` (from ENV when known) and `%%` in a value, as supervisord expands them. */
function interpolate(v: string, program: string, env: Map<string, string | null>): string {
  return v.replace(/%\(([A-Za-z_][A-Za-z0-9_]*)\)s|%%/g, (m, key: string | undefined) => {
    if (m === '%%') return '%';
    if (key === 'program_name') return program;
    if (key?.startsWith('ENV_')) {
      const e = env.get(key.slice(4));
      if (e !== undefined && e !== null) return e;
    }
    return m;
  });
}

/** Where supervisord looks for its configuration when no `-c` is given (after paths relative to its own executable). */
const DEFAULT_SEARCH = ['supervisord.conf', 'etc/supervisord.conf', '/etc/supervisord.conf', '/etc/supervisor/supervisord.conf'];

/**
 * The distribution packages' own main files, which the build usually leaves as they are and
 * extends with drop-ins: Debian's includes `/etc/supervisor/conf.d/*.conf`, Alpine's
 * `/etc/supervisor.d/*.ini`.
 */
const PACKAGE_DROP_INS = [
  { main: '/etc/supervisor/supervisord.conf', include: '/etc/supervisor/conf.d/*.conf' },
  { main: '/etc/supervisord.conf', include: '/etc/supervisor.d/*.ini' },
];

/** supervisord's options: `-c FILE`, `--configuration FILE`, `--configuration=FILE`; `-u USER`, `--user`. */
export function supervisordOptions(args: (string | null)[]): { config: string | null; user: string | null; unknown: boolean } {
  let config: string | null = null;
  let user: string | null = null;
  let unknown = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === null || a === undefined) {
      unknown = true;
      continue;
    }
    const next = (): string | null => {
      const v = args[++i];
      if (v === null || v === undefined) unknown = true;
      return v ?? null;
    };
    if (a === '-c' || a === '--configuration') config = next();
    else if (a.startsWith('--configuration=')) config = a.slice('--configuration='.length);
    else if (/^-c./.test(a)) config = a.slice(2);
    else if (a === '-u' || a === '--user') user = next();
    else if (a.startsWith('--user=')) user = a.slice('--user='.length);
  }
  return { config, user, unknown };
}

/**
 * The programs supervisord starts, from the files the build puts in the image; null when its
 * main configuration is not known (not in the build context, or named by a value not known).
 */
export function supervisorConfig(args: (string | null)[], image: SupervisorImage): SupervisorConfig | null {
  const opts = supervisordOptions(args);
  if (opts.unknown && opts.config === null) return null;
  let main: { path: string; text: string; display: string } | null = null;
  let how: string;
  let packageInclude: string | null = null;
  if (opts.config !== null) {
    const p = path.posix.resolve(image.workdir, opts.config);
    const r = image.read(p);
    if (!r) return null;
    main = { path: p, ...r };
    how = `-c ${opts.config}`;
  } else {
    for (const c of DEFAULT_SEARCH) {
      const p = path.posix.resolve(image.workdir, c);
      const r = image.read(p);
      if (r) {
        main = { path: p, ...r };
        break;
      }
    }
    how = main ? `found at ${main.path} (no -c)` : '';
    if (!main) {
      // No main file from the build: the package's, with drop-ins the build adds.
      for (const d of PACKAGE_DROP_INS) {
        const files = includeFiles(d.include, image);
        if (files && files.length > 0) {
          packageInclude = d.include;
          how = `the package's ${d.main}, which includes ${d.include}`;
          break;
        }
      }
      if (!packageInclude) return null;
    }
  }
  const out: SupervisorConfig = { files: [], user: opts.user, programs: [], how, unknownIncludes: [], emptyIncludes: [] };
  const read = (text: string, display: string, dir: string, depth: number): void => {
    out.files.push(display);
    for (const s of readIni(text)) {
      if (s.name === 'supervisord') {
        const u = s.keys.get('user');
        if (u && opts.user === null) out.user = u.value;
      } else if (s.name.startsWith('program:')) {
        const command = s.keys.get('command');
        if (!command) continue;
        const name = s.name.slice('program:'.length);
        const user = s.keys.get('user')?.value ?? null;
        const autostart = !/^(false|no|off|0)$/i.test(s.keys.get('autostart')?.value ?? 'true');
        const prog = { name, command: interpolate(command.value.replace(/\n/g, ' '), name, image.env), user, at: `${display}:${command.line}`, autostart };
        const same = out.programs.findIndex((p) => p.name === name);
        // A later section of the same name replaces the earlier one.
        if (same >= 0) out.programs[same] = prog;
        else out.programs.push(prog);
      } else if (s.name === 'include' && depth === 0) {
        for (const pattern of (s.keys.get('files')?.value ?? '').split(/\s+/).filter((x) => x !== '')) {
          const abs = path.posix.resolve(dir, pattern);
          const files = includeFiles(abs, image);
          if (!files) {
            out.unknownIncludes.push(abs);
            continue;
          }
          if (files.length === 0) out.emptyIncludes.push(abs);
          for (const f of files) {
            const r = image.read(f);
            if (r) read(r.text, r.display, path.posix.dirname(f), depth + 1);
          }
        }
      }
    }
  };
  if (main) read(main.text, main.display, path.posix.dirname(main.path), 0);
  else if (packageInclude) {
    for (const f of includeFiles(packageInclude, image) ?? []) {
      const r = image.read(f);
      if (r) read(r.text, r.display, path.posix.dirname(f), 1);
    }
  }
  return out;
}

/** The image files an include pattern matches (sorted, as supervisord reads them), or null when the folder is not known. */
function includeFiles(pattern: string, image: SupervisorImage): string[] | null {
  const dir = path.posix.dirname(pattern);
  if (/[*?[]/.test(dir)) return null;
  const listed = image.list(dir);
  if (!listed) return null;
  const match = picomatch(path.posix.basename(pattern), { dot: false });
  return listed.filter((f) => match(path.posix.basename(f))).sort();
}
