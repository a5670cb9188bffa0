/**
 * Files whose whole content a RUN writes from literal text: `printf '#!/bin/sh\nexec app "$@"\n'
 * > /start.sh`, `echo ... > f` then `echo ... >> f`, `{ echo a; echo b; } > f`, and
 * `cat > /docker-entrypoint.sh <<'EOF' ... EOF`. Such a file is an image file like one COPY
 * brings: the launch model reads it as a script.
 *
 * Exact or nothing: a write whose text has an expansion, an escape whose meaning depends on the
 * shell, or that runs only on some paths of the RUN, makes the file's content unknown; so does a
 * later command that may change it (`sed -i`, a write dockerlint cannot read, `rm`, an archive
 * unpacked over it).
 */
import path from 'node:path';
import picomatch from 'picomatch';
import { commandForm, runShellText, type Instruction } from '../parsers/dockerfile.js';
import type { Dialect, Redirect, Stmt, Word } from '../parsers/shell-ast.js';
import type { ShellParser } from '../parsers/shell.js';
import { childStmts } from '../parsers/shell-walk.js';
import { wordLiteral } from './commands.js';
import { MappedText, type Span } from '../parsers/source.js';
import { imageSh, type ShFlavour } from './base-images.js';
import { rootStage, type Stage } from './image.js';
import type { DockerfileView } from './instructions.js';

/** A piece of a written file: the text one command wrote, and where that command is in the Dockerfile. */
export interface WrittenPiece {
  /** Offsets of the piece in the file's text. */
  start: number;
  end: number;
  /** The Dockerfile characters the piece is, one for one (a heredoc body), or null (echo/printf output). */
  mapped: MappedText | null;
  /** The command that wrote it. */
  span: Span;
}

export interface WrittenText {
  text: string;
  pieces: WrittenPiece[];
}

/** What a RUN did to one file: wrote it (content known or not), or changed it in a way dockerlint cannot follow. */
export interface RunWrite {
  instruction: Instruction;
  /** Absolute image path. */
  path: string;
  content: WrittenText | null;
  /** When the content is null: why, as a clause (`its text uses \`$VERSION\``). */
  why: string | null;
  /** How it was written, for chains: `printf`, `echo`, `cat <<'EOF'`. */
  how: string;
  /**
   * The write made the file (mode 0644 under the build's umask): no earlier RUN wrote it and no
   * COPY or ADD before it may have put a file there. The base image may still ship one.
   */
  created?: true;
}

/** Paths no file lands at. */
const NOT_FILES = /^\/(dev|proc|sys)\//;

/** Commands that read or re-mode a file but never change its content. */
const KEEPS_CONTENT = new Set([
  'chmod', 'chown', 'chgrp', 'cat', 'ls', 'stat', 'test', '[', 'echo', 'printf', 'head', 'tail', 'grep', 'egrep', 'fgrep', 'file', 'wc', 'true', ':', 'md5sum',
  'sha256sum', 'sha1sum', 'readlink', 'realpath', 'dirname', 'basename', 'which', 'command', 'type', 'mkdir', 'set', 'export', 'cd', 'touch',
  'sh', 'bash', 'ash', 'dash',
]);

/** Commands that change files in place, or write files their command line names among others. */
const CHANGES_FILES = new Set(['sed', 'perl', 'awk', 'gawk', 'ed', 'ex', 'vi', 'vim', 'patch', 'truncate', 'dos2unix', 'unix2dos', 'rm', 'mv', 'cp', 'install', 'tee', 'dd', 'shred', 'envsubst']);

/** Programs that may write files their command line does not name (unpacked into the current folder, or under a folder given). */
const UNNAMED_WRITERS = new Set(['tar', 'bsdtar', 'unzip', '7z', '7za', 'cpio', 'rsync', 'jar', 'unsquashfs', 'dpkg', 'rpm']);

const SHELL_PROGRAMS = /^(\/usr)?(\/bin\/)?(sh|bash|ash|dash)$/;

type FileState = Map<string, { content: WrittenText | null; why: string | null }>;

/**
 * Replays the RUNs of every stage (each after the stages it builds on) and returns, per stage,
 * what its own RUNs did to files, in order. Stages with no RUN that redirects or tees are not parsed.
 */
export async function collectRunWrites(stages: readonly Stage[], view: DockerfileView, parser: ShellParser): Promise<Map<Stage, RunWrite[]>> {
  const out = new Map<Stage, RunWrite[]>();
  const ends = new Map<Stage, FileState>();
  const copiedAtEnd = new Map<Stage, string[]>();
  const endOf = (s: Stage): FileState => {
    const hit = ends.get(s);
    if (hit) return hit;
    const state: FileState = s.baseStage ? new Map(endOf(s.baseStage)) : new Map();
    const copied = s.baseStage ? [...(copiedAtEnd.get(s.baseStage) ?? [])] : [];
    const writes: RunWrite[] = [];
    replayStage(s, state, copied, writes, view, parser);
    ends.set(s, state);
    copiedAtEnd.set(s, copied);
    if (writes.length > 0) out.set(s, writes);
    return state;
  };
  for (const s of stages) endOf(s);
  return out;
}

/** Whether a RUN's text may write a file (a lexical filter: the parse decides). */
export function mayWriteFiles(inst: Instruction): boolean {
  return inst.keyword === 'RUN' && (/>|\btee\b/.test(inst.rest.text) || inst.heredocs.some((h) => />|\btee\b/.test(h.body.text)));
}

function replayStage(stage: Stage, state: FileState, copied: string[], writes: RunWrite[], view: DockerfileView, parser: ShellParser): void {
  let workdir: string | null = '/';
  for (const inst of stage.instructions) {
    if (inst.keyword === 'WORKDIR') {
      const w = inst.rest.text.trim();
      workdir = workdir === null || w.includes('$') ? (w.startsWith('/') && !w.includes('$') ? w : null) : path.posix.resolve(workdir, w);
      continue;
    }
    if (inst.keyword === 'COPY' || inst.keyword === 'ADD') {
      // What a COPY puts at a path is the COPY's (ImageFs finds it first): no RUN content to append to.
      for (const op of stage.copies) {
        if (op.instruction !== inst) continue;
        copied.push(op.dest);
        for (const p of [...state.keys()]) if (p === op.dest || p.startsWith(op.dest === '/' ? '/' : `${op.dest}/`)) state.delete(p);
      }
      continue;
    }
    if (inst.keyword !== 'RUN') continue;
    const iv = view.viewOf(inst);
    const raw = inst.rest.text + inst.heredocs.map((h) => `\n${h.body.text}`).join('');
    const program = iv?.shell[0] ?? '/bin/sh';
    const exec = commandForm(inst.rest).kind === 'exec';
    if (exec || !SHELL_PROGRAMS.test(program)) {
      // Exec form, or a shell dockerlint does not read: a file it names may have changed.
      for (const p of [...state.keys()]) if (raw.includes(path.posix.basename(p))) forget(state, writes, inst, p, 'a RUN dockerlint does not read names it');
      continue;
    }
    // Once a file is written, every later RUN is read: it may change it.
    if (!mayWriteFiles(inst) && state.size === 0) continue;
    const flavour = shellFlavour(program, stage);
    const dialect: Dialect = flavour.sh === 'dash' ? 'posix' : 'bash';
    const text = runShellText(inst);
    const source = text.text.replace(/\r(?=\n)/g, ' ');
    let parsed = parser.parse(source, dialect);
    if (!parsed.ok && dialect === 'posix') parsed = parser.parse(source, 'bash');
    const only = inst.heredocs.length === 1 && text.text === inst.heredocs[0]?.body.text;
    if (only && /^#!/.test(text.text) && !/^#!\s*(\S*\/)?(env\s+)?(sh|bash|ash|dash)\b/.test(text.text)) continue;
    if (!parsed.ok) {
      for (const p of [...state.keys()]) if (raw.includes(path.posix.basename(p))) forget(state, writes, inst, p, 'a RUN that does not parse names it');
      continue;
    }
    new RunReplay(inst, text, state, copied, writes, workdir, flavour).list(parsed.file.stmts, true);
  }
}

/** The shell that runs a RUN, and how sure that is. */
function shellFlavour(program: string, stage: Stage): { sh: ShFlavour; known: boolean } {
  const name = path.posix.basename(program);
  if (name === 'bash') return { sh: 'bash', known: true };
  if (name === 'dash') return { sh: 'dash', known: true };
  if (name === 'ash') return { sh: 'ash', known: true };
  const image = imageSh(rootStage(stage));
  return { sh: image.flavour, known: image.known };
}

function forget(state: FileState, writes: RunWrite[], inst: Instruction, p: string, why: string): void {
  if (state.get(p)?.content === null) return;
  state.set(p, { content: null, why });
  writes.push({ instruction: inst, path: p, content: null, why, how: 'RUN' });
}

class RunReplay {
  constructor(
    private readonly inst: Instruction,
    private readonly text: MappedText,
    private readonly state: FileState,
    private readonly copied: readonly string[],
    private readonly writes: RunWrite[],
    private cwd: string | null,
    private readonly flavour: { sh: ShFlavour; known: boolean },
  ) {}

  /** `sure`: the statements run on every path through the RUN (not in a branch, a loop or a pipeline). */
  list(stmts: readonly Stmt[], sure: boolean): void {
    for (const s of stmts) this.stmt(s, sure);
  }

  private stmt(s: Stmt, sureIn: boolean): void {
    const sure = sureIn && !s.background && !s.negated;
    const cmd = s.cmd;
    if (cmd?.type === 'BinaryCmd') {
      if (cmd.op === '&&') {
        this.stmt(cmd.x, sure);
        this.stmt(cmd.y, sure);
      } else if (cmd.op === '||') {
        this.stmt(cmd.x, sure);
        this.stmt(cmd.y, false);
      } else {
        this.stmt(cmd.x, false);
        this.stmt(cmd.y, false);
      }
      this.redirects(s, null, false);
      return;
    }
    if (cmd?.type === 'Block' || cmd?.type === 'Subshell') {
      const grouped = this.groupOutput(cmd.stmts);
      if (grouped && this.redirects(s, grouped, sure)) return;
      const cwd = this.cwd;
      this.list(cmd.stmts, sure);
      if (cmd.type === 'Subshell') this.cwd = cwd;
      this.redirects(s, null, false);
      return;
    }
    if (cmd?.type === 'CallExpr' && cmd.args.length > 0) {
      const name = wordLiteral(cmd.args[0] as Word);
      const args = cmd.args.slice(1).map(wordLiteral);
      if (name === 'cd') {
        const to = args[0];
        this.cwd = to === undefined ? null : to === null || this.cwd === null ? null : path.posix.resolve(this.cwd, to);
        return;
      }
      const output = name === null ? null : this.commandOutput(name, cmd.args.slice(1), s);
      if (name === 'tee') {
        this.tee(args, s, sure);
        this.redirects(s, null, false);
        return;
      }
      if (name === 'mv' || name === 'cp') this.move(name, args, sure);
      else this.touches(name, args);
      this.redirects(s, output, sure);
      return;
    }
    // if, case, loops, functions: what they write is written on some paths only.
    for (const inner of childStmts(s.cmd)) this.stmt(inner, false);
    this.redirects(s, null, false);
  }

  /**
   * The redirections of a statement that write files. `output` is the statement's standard output
   * when it is known. True when it wrote its output to a file.
   */
  private redirects(s: Stmt, output: Output | null, sure: boolean): boolean {
    let wrote = false;
    for (const r of s.redirs) {
      if (!/>/.test(r.op) || r.op === '>&' || r.op === '<>') {
        if (r.op === '>&' && r.word && wordLiteral(r.word) !== null && !/^\d+$|^-$/.test(wordLiteral(r.word) ?? '')) this.unknownTarget(r);
        continue;
      }
      const target = r.word ? this.resolve(r.word) : null;
      if (target === null) {
        this.unknownTarget(r);
        continue;
      }
      if (NOT_FILES.test(target) || target === '/dev/null') continue;
      const stdout = (r.n === null || r.n === '1') && (r.op === '>' || r.op === '>|' || r.op === '>>');
      if (!stdout || !sure || output === null || 'why' in output) {
        const why = !stdout ? 'a RUN sends other output there' : !sure ? 'a RUN writes it on some paths only' : output && 'why' in output ? output.why : 'a RUN writes the output of a command there';
        this.set(target, null, why, 'RUN');
        continue;
      }
      if (r.op === '>>') {
        const before = this.state.get(target);
        if (!before || before.content === null) {
          this.set(target, null, before ? (before.why ?? 'a RUN appends to it') : 'a RUN appends to a file whose earlier content is not known', output.how);
          continue;
        }
        this.set(target, concat(before.content, output.text), null, output.how);
      } else {
        this.set(target, output.text, null, output.how, this.creates(target));
      }
      wrote = true;
    }
    return wrote;
  }

  private unknownTarget(r: Redirect): void {
    // A write to a path dockerlint cannot name: any file written so far may be it.
    void r;
    for (const p of [...this.state.keys()]) this.set(p, null, 'a RUN writes to a path that is not known', 'RUN');
  }

  /** Writing `p` makes a new file: nothing the Dockerfile shows put one there before. */
  private creates(p: string): boolean {
    return !this.state.has(p) && !this.copied.some((d) => d === p || p.startsWith(d === '/' ? '/' : `${d}/`));
  }

  private set(p: string, content: WrittenText | null, why: string | null, how: string, created = false): void {
    // Unknown already: nothing changes.
    if (content === null && this.state.has(p) && this.state.get(p)?.content === null) return;
    this.state.set(p, { content, why });
    this.writes.push({ instruction: this.inst, path: p, content, why, how, ...(created ? { created: true as const } : {}) });
  }

  /** `tee [-a] FILE... <<EOF`: each file gets the heredoc. */
  private tee(args: (string | null)[], s: Stmt, sure: boolean): void {
    const append = args.some((a) => a !== null && /^-[a-z]*a/.test(a));
    const files = args.filter((a) => a === null || !a.startsWith('-'));
    if (files.includes(null) && files.length > 0) {
      for (const p of [...this.state.keys()]) this.set(p, null, 'a RUN tees to a path that is not known', 'tee');
    }
    const body = heredocOf(s);
    const text = body ? this.heredocText(body.r, body.hdoc, 'tee') : null;
    for (const f of files) {
      if (f === null) continue;
      const p = this.absolute(f);
      if (p === null) continue;
      if (!sure || text === null || 'why' in text) {
        this.set(p, null, text && 'why' in text ? text.why : !sure ? 'a RUN writes it on some paths only' : 'a RUN tees the output of a command there', 'tee');
        continue;
      }
      if (append) {
        const before = this.state.get(p);
        this.set(p, before?.content ? concat(before.content, text.text) : null, before?.content ? null : 'a RUN appends to a file whose earlier content is not known', 'tee');
      } else this.set(p, text.text, null, 'tee', this.creates(p));
    }
  }

  /** `mv A B`, `cp A B`: the content follows the file; anything else written over is unknown. */
  private move(name: string, args: (string | null)[], sure: boolean): void {
    const plain = args.filter((a) => a === null || !a.startsWith('-'));
    const flags = args.filter((a) => a !== null && a.startsWith('-'));
    if (plain.length === 2 && !plain.includes(null) && flags.every((f) => /^-[fpav]+$|^--$/.test(f ?? ''))) {
      const from = this.absolute(plain[0] as string);
      const dest = this.absolute(plain[1] as string);
      if (from !== null && dest !== null) {
        const known = this.state.get(from);
        const intoDir = (plain[1] as string).endsWith('/') || /^\/((usr\/)?(local\/)?s?bin|opt|srv|etc|root|home|tmp)?$/.test(dest);
        const to = intoDir ? path.posix.join(dest, path.posix.basename(from)) : dest;
        if (known?.content && sure) {
          this.set(to, known.content, null, name);
        } else {
          this.touches(name, [plain[1] as string]);
          if (intoDir && this.state.has(to)) this.set(to, null, `\`${name}\` puts a file there that dockerlint cannot read`, name);
        }
        if (name === 'mv' && this.state.has(from)) this.set(from, null, 'a RUN moves it away', 'mv');
        return;
      }
    }
    this.touches(name, args);
  }

  /** A command that may change the files it names (or, for archive tools and downloaders, the folders). */
  private touches(name: string | null, args: (string | null)[]): void {
    if (this.state.size === 0) return;
    const base = name === null ? null : path.posix.basename(name);
    if (base !== null && KEEPS_CONTENT.has(base)) return;
    if (base === 'ln') {
      // Only the link is made (or replaced); its target stays as it is.
      const plain = args.filter((a) => a === null || !a.startsWith('-'));
      const link = plain[plain.length - 1];
      if (plain.length >= 2 && link !== undefined) {
        const q = link === null ? null : this.absolute(link);
        for (const p of [...this.state.keys()]) if (q === null || q === p) this.set(p, null, 'a RUN makes a link there', 'ln');
      }
      return;
    }
    if (args.includes(null) && base !== null && (CHANGES_FILES.has(base) || UNNAMED_WRITERS.has(base))) {
      for (const p of [...this.state.keys()]) this.set(p, null, `\`${base}\` in a RUN is given a path that is not known`, base);
      return;
    }
    const named = args.filter((a): a is string => a !== null && !a.startsWith('-')).map((a) => ({ a, p: this.absolute(a) }));
    for (const p of [...this.state.keys()]) {
      const hit = named.some(({ a, p: q }) => q !== null && (q === p || p.startsWith(q === '/' ? '/' : `${q}/`) || (/[*?[]/.test(a) && picomatch(q, { dot: true })(p))));
      const unpacked = base !== null && UNNAMED_WRITERS.has(base) && this.cwd !== null && (this.cwd === '/' || p.startsWith(`${this.cwd}/`));
      if (hit || unpacked) this.set(p, null, `\`${base ?? 'a command'}\` in a RUN may change it`, base ?? 'RUN');
    }
  }

  private absolute(p: string): string | null {
    if (p.startsWith('/')) return path.posix.resolve(p);
    return this.cwd === null ? null : path.posix.resolve(this.cwd, p);
  }

  private resolve(w: Word): string | null {
    const v = wordLiteral(w);
    return v === null || v === '' ? null : this.absolute(v);
  }

  /** `{ echo a; printf 'b\n'; }`: the output of a group of writers, in order, or null when it has anything else. */
  private groupOutput(stmts: readonly Stmt[]): Output | null {
    let text: WrittenText = { text: '', pieces: [] };
    for (const s of stmts) {
      if (s.background || s.negated || s.redirs.some((r) => r.op !== '<<' && r.op !== '<<-')) return null;
      const cmd = s.cmd;
      if (cmd?.type !== 'CallExpr' || cmd.args.length === 0 || cmd.assigns.length > 0) return null;
      const name = wordLiteral(cmd.args[0] as Word);
      const out = name === null ? null : this.commandOutput(name, cmd.args.slice(1), s);
      if (out === null) return null;
      if ('why' in out) return out;
      text = concat(text, out.text);
    }
    return { text, how: 'echo' };
  }

  /** What `echo`, `printf` or `cat <<EOF` prints, when it is only literal text; null for other commands. */
  private commandOutput(name: string, args: Word[], s: Stmt): Output | null {
    const span = this.text.spanOf(s.p[2], s.e[2]);
    if (name === 'cat' && args.length === 0) {
      const body = heredocOf(s);
      return body ? this.heredocText(body.r, body.hdoc, 'cat') : null;
    }
    if (name !== 'echo' && name !== 'printf') return null;
    const values = args.map(wordLiteral);
    const unknown = args.find((_, i) => values[i] === null);
    if (unknown) return { why: `its text uses \`${this.text.text.slice(unknown.p[2], unknown.e[2])}\``, how: name };
    const words = values as string[];
    const printed = name === 'echo' ? this.echo(words) : printf(words);
    if (typeof printed !== 'string') return { why: printed.why, how: name };
    return { text: { text: printed, pieces: printed === '' ? [] : [{ start: 0, end: printed.length, mapped: null, span }] }, how: name };
  }

  private echo(words: string[]): string | { why: string } {
    let i = 0;
    let newline = true;
    let escapes = this.flavour.sh === 'dash';
    // dash's echo takes only -n; bash's and busybox's take -n, -e and -E (in any combination).
    while (i < words.length && /^-[neE]+$/.test(words[i] as string) && (this.flavour.sh !== 'dash' || words[i] === '-n')) {
      for (const c of (words[i] as string).slice(1)) {
        if (c === 'n') newline = false;
        else if (c === 'e') escapes = true;
        else escapes = false;
      }
      i++;
    }
    const body = words.slice(i).join(' ');
    if (!body.includes('\\')) return body + (newline ? '\n' : '');
    if (!this.flavour.known && !(this.flavour.sh === 'bash')) return { why: "its backslashes mean different things to the echo of dash and of busybox, and the image's /bin/sh is not known" };
    if (!escapes) {
      // `echo '#!/bin/sh\nexec app'` where echo reads no escapes: one line, whose `#!` names no
      // program. Not what the author meant, and not a script to judge.
      if (body.startsWith('#!') && /\\n/.test(body.split('\n')[0] ?? '')) return { why: "its `\\n` stays as written (this shell's echo reads escapes only with -e), so its `#!` line names no program" };
      return body + (newline ? '\n' : '');
    }
    const out = unescape(body, false);
    if (out === null) return { why: 'its text has an escape that dockerlint does not read' };
    return out.text + (out.stopped || !newline ? '' : '\n');
  }

  /** A heredoc's body as written, when it is literal text: a quoted delimiter, or no expansion nor backslash in it. */
  private heredocText(r: Redirect, hdoc: Word | null, how: string): Output {
    const delim = r.word ? this.text.text.slice(r.word.p[2], r.word.e[2]) : 'EOF';
    const label = `${how} <<${r.op === '<<-' ? '-' : ''}${delim}`;
    if (hdoc === null) return { text: { text: '', pieces: [] }, how: label };
    const quoted = r.word?.parts.some((p) => p.type !== 'Lit' || p.value.includes('\\')) ?? false;
    const lit = hdoc.parts.every((p) => p.type === 'Lit');
    const raw = this.text.sub(hdoc.p[2], hdoc.e[2]);
    if (!quoted && (!lit || raw.text.includes('\\') || raw.text.includes('`'))) {
      const first = hdoc.parts.find((p) => p.type !== 'Lit');
      const what = first ? this.text.text.slice(first.p[2], first.e[2]) : '\\';
      return { why: `the heredoc's delimiter is not quoted and its body uses \`${what.split('\n')[0]}\``, how: label };
    }
    let body = raw;
    if (r.op === '<<-') {
      // Leading tabs are removed from each line.
      const b = MappedText.builder(raw.file);
      let lineStart = true;
      for (let i = 0; i < raw.text.length; i++) {
        const c = raw.text[i] as string;
        if (lineStart && c === '\t') continue;
        lineStart = c === '\n';
        b.appendChar(c, raw.originOf(i));
      }
      body = b.build(raw.originOf(raw.text.length));
    }
    const span = this.text.spanOf(r.p[2], r.e[2]);
    return { text: { text: body.text, pieces: body.text === '' ? [] : [{ start: 0, end: body.text.length, mapped: body, span }] }, how: label };
  }
}

type Output = { text: WrittenText; how: string } | { why: string; how: string };

function heredocOf(s: Stmt): { r: Redirect; hdoc: Word | null } | null {
  const docs = s.redirs.filter((r) => r.op === '<<' || r.op === '<<-');
  const other = s.redirs.some((r) => r.op === '<' || r.op === '<<<');
  if (docs.length !== 1 || other) return null;
  const r = docs[0] as Redirect;
  return { r, hdoc: r.hdoc };
}

function concat(a: WrittenText, b: WrittenText): WrittenText {
  return { text: a.text + b.text, pieces: [...a.pieces, ...b.pieces.map((p) => ({ ...p, start: p.start + a.text.length, end: p.end + a.text.length }))] };
}

/**
 * The backslash escapes of echo (dash, or `echo -e`) and of printf's format, the ones every shell
 * reads the same: `\n`, `\t`, `\\`, and (echo) `\c`, which ends the output. Null for any other.
 */
function unescape(s: string, format: boolean): { text: string; stopped: boolean } | null {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = s[i + 1];
    if (n === 'n') out += '\n';
    else if (n === 't') out += '\t';
    else if (n === '\\') out += '\\';
    else if (n === 'c' && !format) return { text: out, stopped: true };
    else if (n === '"' && format) out += '"';
    else return null;
    i++;
  }
  return { text: out, stopped: false };
}

/** What `printf FORMAT ARGS...` prints when the format has only `%s`, `%%` and the plain escapes. */
function printf(words: string[]): string | { why: string } {
  let i = 0;
  if (words[0] === '--') i++;
  const format = words[i];
  if (format === undefined) return { why: 'it has no format' };
  if (format.startsWith('-')) return { why: 'it has options' };
  const args = words.slice(i + 1);
  const parts: ({ lit: string } | { arg: true })[] = [];
  let lit = '';
  for (let k = 0; k < format.length; k++) {
    const c = format[k] as string;
    if (c === '%') {
      const n = format[k + 1];
      if (n === '%') {
        lit += '%';
        k++;
        continue;
      }
      if (n !== 's') return { why: `its format has \`%${n ?? ''}\`, which dockerlint does not read` };
      parts.push({ lit }, { arg: true });
      lit = '';
      k++;
      continue;
    }
    lit += c;
  }
  parts.push({ lit });
  const texts: string[] = [];
  for (const p of parts) {
    if ('lit' in p) {
      const u = unescape(p.lit, true);
      if (u === null) return { why: 'its format has an escape that dockerlint does not read' };
      texts.push(u.text);
    }
  }
  const conversions = parts.filter((p) => 'arg' in p).length;
  let out = '';
  let next = 0;
  // The format is used again while arguments are left; missing ones are empty.
  do {
    let t = 0;
    for (const p of parts) {
      if ('lit' in p) out += texts[t++] ?? '';
      else out += args[next++] ?? '';
    }
  } while (conversions > 0 && next < args.length);
  return out;
}
