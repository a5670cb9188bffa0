/**
 * Typed views of a Dockerfile's instructions, for the rules that read the Dockerfile itself:
 * FROM (image, tag, digest, platform, alias), COPY/ADD, USER, WORKDIR, EXPOSE, LABEL/ENV/ARG
 * (key-value pairs), HEALTHCHECK, MAINTAINER, and RUN as its command views. ONBUILD is unwrapped
 * into the instruction it holds, with `onbuild` set. A Dockerfile without FROM still has views
 * (stage index -1), so instruction-level rules lint fragments as hadolint does.
 *
 * Each RUN is parsed once, on first use, in the dialect of the SHELL in force at it.
 */
import { commandForm, HEREDOC_SOURCE, onbuildTrigger, runShellSource, runShellText, type CommandForm, type DockerfileAst, type Flag, type Instruction } from '../parsers/dockerfile.js';
import type { Dialect } from '../parsers/shell-ast.js';
import { overBudget } from '../parsers/shell-budget.js';
import type { MappedText, Span } from '../parsers/source.js';
import { CommandCollector, execFormWords, shellDialect, type CommandView } from './command-view.js';
import { readShebang } from '../parsers/shebang.js';
import { splitWords } from './expand.js';
import { DEFAULT_SHELL, rootStage, type ImageModel, type Stage } from './image.js';
import { imageSh } from './base-images.js';
import type { ShellService } from './shell-service.js';

/** A word of an instruction's arguments. */
export interface InstWord {
  /** As written. */
  text: string;
  /** Without quotes and escapes; null when it holds a `$variable`. */
  value: string | null;
  span: Span;
  /** Offsets in the Dockerfile's text. */
  start: number;
  end: number;
}

export interface InstructionView {
  /** The instruction itself; for ONBUILD, the instruction it holds. */
  inst: Instruction;
  keyword: string;
  /** The ONBUILD that holds it, or null. */
  onbuild: Instruction | null;
  /** Index of its stage in the model, -1 before the first FROM. */
  stageIndex: number;
  stage: Stage | null;
  /** The SHELL argv in force at this instruction. */
  shell: readonly string[];
}

/**
 * Whether what an instruction leaves in its layer ships in the image built from `target`: it is
 * in the target or in a stage the target is built on, through any number of `FROM <stage>`, or
 * it is an ONBUILD trigger (it runs in the images built FROM this one), or it comes before the
 * first FROM. A builder that only other builders are built on (`base` -> `tls` -> `compiler`, each
 * `COPY --from`'d by a final `FROM debian`) does not ship: a package cache it keeps costs nothing.
 */
export function shipsIn(target: Stage | null): (view: Pick<InstructionView, 'onbuild' | 'stageIndex'>) => boolean {
  const chain = new Set<number>();
  for (let s = target; s && !chain.has(s.index); s = s.baseStage) chain.add(s.index);
  return (view) => view.onbuild !== null || view.stageIndex < 0 || chain.has(view.stageIndex);
}

export interface RunCommands {
  form: CommandForm;
  /** The dialect the shell form was parsed in; null for exec form, or a SHELL that is not POSIX-like. */
  dialect: Dialect | null;
  /** Every simple command, `sh -c` scripts included, in source order. */
  commands: readonly CommandView[];
  /**
   * The body did not parse in its dialect (or was over the parse budget): no commands are known,
   * unless `lenient` (it is not POSIX sh but bash reads it, and `commands` are bash's reading).
   */
  syntaxError: { span: Span; message: string; budget?: true; lenient?: true } | null;
  /** The pipes of the RUN's own script (not of `sh -c` strings). */
  pipes: readonly { span: Span; text: string; tested?: true }[];
}

/** The views of a Dockerfile; RUN commands are parsed on the first request and kept. */
export class DockerfileView {
  readonly instructions: readonly InstructionView[];
  private readonly runs = new Map<Instruction, Promise<RunCommands>>();

  constructor(
    readonly ast: DockerfileAst,
    readonly model: ImageModel,
    private readonly shell: ShellService,
  ) {
    this.instructions = viewsOf(ast, model);
  }

  /** The views with this keyword (ONBUILD triggers included unless `onbuild: false`). */
  byKeyword(keyword: string, opts: { onbuild?: boolean } = {}): InstructionView[] {
    return this.instructions.filter((v) => v.keyword === keyword && (opts.onbuild !== false || !v.onbuild));
  }

  /**
   * The instructions with this keyword (ONBUILD triggers not counted) that a later one of the same
   * stage replaces, as Docker keeps only a stage's last CMD, ENTRYPOINT or HEALTHCHECK: each with
   * the line of the next one, last first.
   */
  replacedInStage(keyword: string): { view: InstructionView; laterLine: number }[] {
    const out: { view: InstructionView; laterLine: number }[] = [];
    const later = new Map<number, number>();
    const views = this.byKeyword(keyword, { onbuild: false });
    for (let i = views.length - 1; i >= 0; i--) {
      const view = views[i] as InstructionView;
      const line = later.get(view.stageIndex);
      if (line !== undefined) out.push({ view, laterLine: line });
      later.set(view.stageIndex, view.inst.keywordSpan.line);
    }
    return out;
  }

  /** The view of an instruction of the file (not of an ONBUILD trigger). */
  viewOf(inst: Instruction): InstructionView | undefined {
    this.byInst ??= new Map(this.instructions.filter((v) => !v.onbuild).map((v) => [v.inst, v]));
    return this.byInst.get(inst);
  }

  private byInst: Map<Instruction, InstructionView> | null = null;

  /** The commands of a RUN, parsed once. */
  run(view: InstructionView): Promise<RunCommands> {
    let p = this.runs.get(view.inst);
    if (!p) {
      p = runCommands(view, this.shell);
      this.runs.set(view.inst, p);
    }
    return p;
  }

  /** Visits every command of every RUN (ONBUILD RUN included), in file order. */
  async forEachCommand(visit: (cmd: CommandView, view: InstructionView, run: RunCommands) => void, mentions?: readonly string[]): Promise<void> {
    for (const { view, run } of await this.allRuns(mentions)) for (const cmd of run.commands) visit(cmd, view, run);
  }

  /**
   * Every RUN with its commands, in file order. With `mentions`, only the RUNs whose text contains
   * one of those strings (a rule about `apt-get` needs no parse of the others): a filter on which
   * RUNs to read, never a finding by itself.
   */
  async allRuns(mentions?: readonly string[]): Promise<{ view: InstructionView; run: RunCommands }[]> {
    // About forty rules ask, for every Dockerfile: the RUNs are listed once, and their parses
    // (started in file order, each kept) awaited together rather than one await per RUN.
    this.runViews ??= this.instructions.filter((v) => v.keyword === 'RUN');
    const views = mentions ? this.runViews.filter((view) => mentions.some((m) => this.rawText(view).includes(m))) : this.runViews;
    const runs = await Promise.all(views.map((view) => this.run(view)));
    return views.map((view, i) => ({ view, run: runs[i] as RunCommands }));
  }

  private runViews: InstructionView[] | null = null;

  /**
   * The RUNs that can be over the parse budget, with their commands (the caller reads
   * `syntaxError.budget`): those parsed already, and those whose text fails the parser's own
   * first test, made here on the same text, so no RUN is parsed only to learn that.
   */
  async overBudgetRuns(): Promise<{ view: InstructionView; run: RunCommands }[]> {
    const out: { view: InstructionView; run: RunCommands }[] = [];
    for (const view of this.instructions) {
      if (view.keyword !== 'RUN') continue;
      // A RUN some rule parsed already says so itself; the others are scanned, not parsed.
      const parsed = this.runs.get(view.inst);
      if (!parsed && !overBudget(runShellSource(view.inst).replace(/\r(?=\n)/g, ' '))) continue;
      out.push({ view, run: await (parsed ?? this.run(view)) });
    }
    return out;
  }

  private readonly raw = new Map<Instruction, string>();

  /** A RUN's text and heredoc bodies, as written. */
  private rawText(view: InstructionView): string {
    let t = this.raw.get(view.inst);
    if (t === undefined) {
      t = view.inst.rest.text + view.inst.heredocs.map((h) => `\n${h.body.text}`).join('');
      this.raw.set(view.inst, t);
    }
    return t;
  }
}

function viewsOf(ast: DockerfileAst, model: ImageModel): InstructionView[] {
  const out: InstructionView[] = [];
  let stageIndex = -1;
  let shell: readonly string[] = DEFAULT_SHELL;
  for (const inst of ast.instructions) {
    if (inst.keyword === 'FROM') {
      stageIndex++;
      const base = model.stages[stageIndex]?.baseStage;
      shell = base ? shellAtEnd(base) : DEFAULT_SHELL;
    }
    const stage = model.stages[stageIndex] ?? null;
    if (inst.keyword === 'SHELL') {
      const form = commandForm(inst.rest);
      if (form.kind === 'exec' && form.argv.length > 0) shell = form.argv;
    }
    out.push({ inst, keyword: inst.keyword, onbuild: null, stageIndex, stage, shell });
    if (inst.keyword === 'ONBUILD') {
      const trigger = onbuildTrigger(inst);
      if (trigger) out.push({ inst: trigger, keyword: trigger.keyword, onbuild: inst, stageIndex, stage, shell });
    }
  }
  return out;
}

function shellAtEnd(stage: Stage): readonly string[] {
  return stage.config.shell.argv;
}

async function runCommands(view: InstructionView, service: ShellService): Promise<RunCommands> {
  const form = commandForm(view.inst.rest);
  const parser = await service.get();
  const collector = new CommandCollector(parser);
  if (form.kind === 'exec') {
    const { words, scripts } = execFormWords(form.text, form.argv);
    collector.argv(words, 0, form.text.spanOf(0, form.text.text.length), (i) => scripts[i] ?? null);
    return { form, dialect: null, commands: collector.commands, syntaxError: null, pipes: [] };
  }
  const text = runShellText(view.inst);
  const program = view.shell[0] ?? '/bin/sh';
  let dialect = shellDialect(program);
  // The image's /bin/sh: busybox ash (Alpine) and bash (UBI) accept `${v:0:1}`, `${v//a/b}`.
  if (dialect === 'posix' && /^(\/bin\/)?sh$/.test(program) && view.stage && imageSh(rootStage(view.stage)).flavour !== 'dash') dialect = 'bash';
  // `RUN <<EOF` with a `#!` line: the body runs with that interpreter.
  const shebang = view.inst.heredocs.length > 0 && text === view.inst.heredocs[0]?.body ? readShebang(text.text) : null;
  if (shebang) dialect = shebang.interpreter === null ? null : shellDialect(shebang.interpreter);
  if (dialect === null) return { form, dialect: null, commands: [], syntaxError: null, pipes: [] };
  const ok = collector.script(text, dialect, 0);
  const err = ok ? null : (collector.syntaxErrors[0] ?? null);
  if (!ok && dialect === 'posix' && err && !err.budget) {
    // Not POSIX, but bash reads it: its commands are still checked as bash reads them, so a
    // syntax error does not turn the RUN rules off.
    const lenient = new CommandCollector(parser);
    if (lenient.script(text, 'bash', 0)) return { form, dialect, commands: lenient.commands, syntaxError: { ...err, lenient: true }, pipes: lenient.pipes };
  }
  return { form, dialect, commands: collector.commands, syntaxError: err, pipes: collector.pipes };
}

// ---------------------------------------------------------------------------------------------
// Typed views

function unquote(text: string, escape: string): string | null {
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote === "'") {
      if (c === "'") quote = null;
      else out += c;
      continue;
    }
    if (c === escape && i + 1 < text.length) {
      out += text[++i];
      continue;
    }
    if (c === '$' && /[A-Za-z_{]/.test(text[i + 1] ?? '')) return null;
    if (c === '"' && quote === '"') quote = null;
    else if ((c === '"' || c === "'") && quote === null) quote = c;
    else out += c;
  }
  return out;
}

/**
 * A view of an instruction worked out once per instruction and escape character: a dozen rules
 * ask for the same FROM, COPY or ENV view of every Dockerfile. The view is shared between them,
 * so it is read-only.
 */
function perInstruction<T>(compute: (inst: Instruction, escape: string) => T): (inst: Instruction, escape?: string) => T {
  const cache = new WeakMap<Instruction, { escape: string; value: T }>();
  return (inst, escape = '\\') => {
    const hit = cache.get(inst);
    if (hit && hit.escape === escape) return hit.value;
    const value = compute(inst, escape);
    cache.set(inst, { escape, value });
    return value;
  };
}

/** The blank-separated words of an instruction's text (quotes respected). */
function wordsOf(text: MappedText, escape = '\\'): InstWord[] {
  return splitWords(text.text, escape).map((w) => ({
    text: w.text,
    value: unquote(w.text, escape),
    span: text.spanOf(w.start, w.end),
    start: text.originOf(w.start),
    end: text.originOf(w.end - 1) + 1,
  }));
}

export interface ImageRef {
  /** As written (`${REG}/app:1.2`). */
  text: string;
  /** `docker.io`, `ghcr.io`, `localhost:5000`, or null when none is written. */
  registry: string | null;
  /** The repository path without registry, tag or digest (`library/debian`, `debian`). */
  repository: string;
  tag: string | null;
  digest: string | null;
  /** It holds a `$variable`: the reference is only known at build time. */
  variable: boolean;
}

export function parseImageRef(text: string): ImageRef {
  let rest = text;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let registry: string | null = null;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | null = null;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { text, registry, repository: rest, tag, digest, variable: text.includes('$') };
}

export interface FromView {
  image: InstWord | null;
  ref: ImageRef | null;
  platform: Flag | null;
  /** `AS` keyword and the stage name, as written. */
  asWord: InstWord | null;
  alias: InstWord | null;
  /** `scratch`, the empty image. */
  scratch: boolean;
}

/** The FROM view (shared: read-only). */
export const fromView: (inst: Instruction, escape?: string) => FromView = perInstruction(fromViewOf);

function fromViewOf(inst: Instruction, escape: string): FromView {
  const words = wordsOf(inst.rest, escape);
  const image = words[0] ?? null;
  const asWord = words[1] && words[1].text.toLowerCase() === 'as' ? words[1] : null;
  return {
    image,
    ref: image ? parseImageRef(image.text) : null,
    platform: inst.flags.find((f) => f.name === 'platform') ?? null,
    asWord,
    alias: asWord ? (words[2] ?? null) : null,
    scratch: image?.text.toLowerCase() === 'scratch',
  };
}

export interface CopyView {
  /** Exec form `COPY ["a", "b"]`. */
  json: boolean;
  sources: InstWord[];
  dest: InstWord | null;
  /** `--from` value, `--chown`, `--chmod`, `--link`, `--exclude` flags when given. */
  from: Flag | null;
  chown: Flag | null;
  chmod: Flag | null;
  /** Heredoc names used as sources (`COPY <<EOF /x`). */
  heredocSources: Set<string>;
}

/** The COPY or ADD view (shared: read-only). */
export const copyView: (inst: Instruction, escape?: string) => CopyView = perInstruction(copyViewOf);

function copyViewOf(inst: Instruction, escape: string): CopyView {
  const form = commandForm(inst.rest);
  let words: InstWord[];
  if (form.kind === 'exec') {
    words = execFormWords(form.text, form.argv).words.map((w) => ({ ...w, value: w.value }));
  } else words = wordsOf(inst.rest, escape);
  const flag = (n: string): Flag | null => inst.flags.find((f) => f.name === n) ?? null;
  const heredocSources = new Set<string>();
  for (const w of words) {
    const m = HEREDOC_SOURCE.exec(w.text);
    if (m && inst.heredocs.some((h) => h.name === m[1])) heredocSources.add(w.text);
  }
  return {
    json: form.kind === 'exec',
    sources: words.slice(0, -1),
    dest: words.length >= 2 ? (words[words.length - 1] ?? null) : null,
    from: flag('from'),
    chown: flag('chown'),
    chmod: flag('chmod'),
    heredocSources,
  };
}

export interface UserView {
  word: InstWord | null;
  /** The user part (`app` of `app:staff`), as written. */
  user: string;
  group: string | null;
}

export function userView(inst: Instruction, escape = '\\'): UserView {
  const word = wordsOf(inst.rest, escape)[0] ?? null;
  const text = word?.value ?? word?.text ?? '';
  const colon = text.indexOf(':');
  return { word, user: colon >= 0 ? text.slice(0, colon) : text, group: colon >= 0 ? text.slice(colon + 1) : null };
}

export interface WorkdirView {
  word: InstWord | null;
}

export function workdirView(inst: Instruction, escape = '\\'): WorkdirView {
  const form = commandForm(inst.rest);
  if (form.kind === 'exec') return { word: execFormWords(form.text, form.argv).words[0] ?? null };
  // WORKDIR takes the whole rest as one path (spaces allowed).
  const all = wordsOf(inst.rest, escape);
  if (all.length <= 1) return { word: all[0] ?? null };
  const first = all[0] as InstWord;
  const last = all[all.length - 1] as InstWord;
  const text = inst.rest.text.trim();
  return { word: { text, value: unquote(text, escape), span: inst.rest.trim().spanOf(0, text.length), start: first.start, end: last.end } };
}

export interface ExposeView {
  ports: InstWord[];
}

export function exposeView(inst: Instruction, escape = '\\'): ExposeView {
  return { ports: wordsOf(inst.rest, escape) };
}

export interface KeyValue {
  key: string;
  keySpan: Span;
  /** The value as written (quotes kept); null for a bare `ARG NAME`. */
  valueText: string | null;
  /** Without quotes; null when it holds a variable or is absent. */
  value: string | null;
  span: Span;
  /** The legacy `ENV KEY value` form (no `=`). */
  legacy: boolean;
}

/** ENV, ARG and LABEL pairs (shared: read-only). */
export const keyValues: (inst: Instruction, escape?: string) => readonly KeyValue[] = perInstruction(keyValuesOf);

function keyValuesOf(inst: Instruction, escape: string): KeyValue[] {
  const words = wordsOf(inst.rest, escape);
  const first = words[0];
  if (!first) return [];
  if (!first.text.includes('=')) {
    const rest = inst.rest.text.slice(inst.rest.text.indexOf(first.text) + first.text.length).trim();
    const key = first.value ?? first.text;
    if (rest === '') return [{ key, keySpan: first.span, valueText: null, value: null, span: first.span, legacy: false }];
    return [{ key, keySpan: first.span, valueText: rest, value: unquote(rest, escape), span: inst.rest.trim().spanOf(0, inst.rest.text.trim().length), legacy: true }];
  }
  return words.map((w) => {
    const eq = w.text.indexOf('=');
    if (eq < 0) return { key: w.value ?? w.text, keySpan: w.span, valueText: null, value: null, span: w.span, legacy: false };
    const rawKey = w.text.slice(0, eq);
    const valueText = w.text.slice(eq + 1);
    return { key: unquote(rawKey, escape) ?? rawKey, keySpan: w.span, valueText, value: unquote(valueText, escape), span: w.span, legacy: false };
  });
}

export interface HealthcheckView {
  /** `HEALTHCHECK NONE`. */
  none: boolean;
  flags: Flag[];
  /** The command after `CMD`, or null. */
  cmd: CommandForm | null;
}

export function healthcheckView(inst: Instruction): HealthcheckView {
  const text = inst.rest.text.trim();
  if (/^none$/i.test(text)) return { none: true, flags: inst.flags, cmd: null };
  const m = /^cmd\b\s*/i.exec(inst.rest.text.trimStart());
  if (!m) return { none: false, flags: inst.flags, cmd: null };
  const lead = inst.rest.text.length - inst.rest.text.trimStart().length;
  return { none: false, flags: inst.flags, cmd: commandForm(inst.rest.sub(lead + m[0].length, inst.rest.text.length)) };
}


export interface MaintainerView {
  text: string;
}

export function maintainerView(inst: Instruction): MaintainerView {
  return { text: inst.rest.text.trim() };
}
