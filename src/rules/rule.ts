/**
 * The contract between a rule and the engine (in the style of typescript-eslint's `createRule`).
 *
 * A rule declares its messages with `{placeholders}`; `ctx.report({ messageId, data, ... })` is
 * typed from them, so an unknown id, a missing placeholder or an unknown one fails to compile:
 *
 *   export default defineRule({
 *     id: 'my-rule', severity: 'warning', category: 'build', recommended: true,
 *     title: '...', peers: { hadolint: ['DL3015'] },
 *     messages: { missing: { message: '`{cmd}` installs recommended packages.', hint: 'Add `--no-install-recommends`.' } },
 *     docs: { what, why, bad, good, howToFix },
 *     check(ctx) { ctx.report({ messageId: 'missing', data: { cmd: 'apt-get install' }, at }) },
 *   });
 *
 * A report keeps the full range of its node (reporters cut it to one line where they must) and
 * may carry a fix: edits in file offsets, marked safe (it cannot change what the image does
 * beyond the rule's point) or unsafe (review it).
 */
import type { Edit, Finding, Fix, Severity } from '../findings.js';
import type { DockerfileAst } from '../parsers/dockerfile.js';
import type { Span } from '../parsers/source.js';
import type { ImageModel, Stage } from '../model/image.js';
import type { Evidence, Launch, LaunchEnv } from '../model/launch.js';
import type { DockerfileView } from '../model/instructions.js';
import type { RunFacts } from '../model/run-facts.js';

/** What a rule is about; `--rule category:<name>` and the config's `categories` select by it. */
export const CATEGORIES = {
  pid1: 'PID 1 and signals: what runs as PID 1 and whether `docker stop` reaches the application',
  privilege: 'Privileges: the user the container runs as and how it steps down from root',
  startup: 'Start-up failures: the container cannot start (missing, non-executable or unrunnable entrypoint)',
  build: 'Build: RUN, COPY/ADD, packages and base images',
  style: 'Style and maintainability of the Dockerfile',
  input: 'Input problems: files dockerlint cannot read, parse, or suppression comments it cannot use',
} as const;
export type Category = keyof typeof CATEGORIES;

/** A check of another tool that flags the same thing (or part of it). */
export interface Peer {
  /** The peer's code: `DL3002`, `JSONArgsRecommended`, `SC1017`. */
  code: string;
  /** How it differs, in a few words (`only an explicit last USER root`). */
  note?: string;
  /**
   * False for a related check that is not an equivalent (it flags something else about the same
   * instructions): dockerlint claims no agreement with it, and the docs say so. Its suppression
   * comment still silences this rule unless `suppresses` is false. Default: true.
   */
  equivalent?: boolean;
  /**
   * Whether the peer's suppression comment (`# hadolint ignore=CODE`, `# check=skip=Name`) also
   * silences this rule. Default: true for hadolint and BuildKit; ShellCheck comments are never
   * read.
   */
  suppresses?: boolean;
}

export interface Peers {
  hadolint?: readonly (string | Peer)[];
  buildkit?: readonly (string | Peer)[];
  shellcheck?: readonly (string | Peer)[];
}

export interface RuleDocs {
  /** What the rule flags. */
  what: string;
  /** Why it breaks at runtime. */
  why: string;
  /** A Dockerfile or script that makes it fire. */
  bad: string;
  /** The same, fixed. */
  good: string;
  /** How to fix it, in one or two sentences. */
  howToFix: string;
  /** A sentence for the equivalents section when `peers` is empty (default: it has none). */
  noPeers?: string;
  /**
   * The fixture cases the doc page shows (a case folder's name, or a cases.txt title); default:
   * the smallest bad and good cases. `bad` and `good` above are the short forms (SARIF's help).
   */
  example?: { bad?: string; good?: string };
  /**
   * The fixes `--fix` makes for this rule, each with its safety and why (shown on the page under
   * "Automatic fixes"). A rule with `fixable: true` lists every kind of fix it reports.
   */
  autofix?: readonly AutofixDoc[];
}

export interface AutofixDoc {
  safety: 'safe' | 'unsafe';
  /** What the fix does (`Writes the command in exec form, split as the shell splits it`). */
  what: string;
  /** Why it is safe, or what it may change. */
  why: string;
}

/** A message, with `{name}` placeholders filled from the report's `data`. */
export interface MessageSpec {
  message: string;
  /** One line: how to fix it. */
  hint?: string;
}
export type Messages = Record<string, MessageSpec>;

/** The names of the `{placeholders}` of a message text. */
export type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;
type SpecPlaceholders<M extends MessageSpec> = Placeholders<M['message']> | (M['hint'] extends string ? Placeholders<M['hint']> : never);

type DataFor<M extends MessageSpec> = [SpecPlaceholders<M>] extends [never]
  ? { data?: undefined }
  : { data: { [K in SpecPlaceholders<M>]: string | number } };

/** A place in a file: the span shown to users and, when known, its offsets in the file's text. */
export interface Location {
  file: string;
  span: Span;
}

interface ReportBase {
  at: Location;
  /** Evidence chain, outermost first; the finding's own place is added at the end. */
  chain?: Evidence[];
  /** Label of the finding's own place in the chain (`gosu redis ...`). */
  label?: string;
  fix?: Fix;
}

/** A message of a rule with messages `M` and the data its placeholders need. */
export type MessageRef<M extends Messages> = {
  [K in keyof M & string]: { messageId: K } & DataFor<M[K]>;
}[keyof M & string];

/** What `ctx.report` takes for a rule with messages `M`. */
export type Report<M extends Messages = Messages> = ReportBase & MessageRef<M>;

/** Where a report points (the part of a report that is not its message). */
export type Place = Omit<ReportBase, 'fix'>;

export interface RuleContext<M extends Messages = Messages, O = undefined> {
  dockerfile: DockerfileAst;
  model: ImageModel;
  /** The stage being built (the last, or `--target`); null when the file has no FROM. */
  stage: Stage | null;
  /** What runs at container start; null when there is no stage. */
  launch: Launch | null;
  env: LaunchEnv;
  /** The rule's options from the configuration, merged over its defaults. */
  options: O;
  /** Typed views of the instructions (ONBUILD unwrapped) and each RUN's commands, parsed once. */
  view: DockerfileView;
  /** What the RUN instructions of the stage do (chmod, installs, symlinks), parsed on first use. */
  runFacts(): Promise<RunFacts>;
  report(r: Report<M>): void;
}

/** The options a rule takes: a JSON Schema (merged into the configuration's) and the defaults. */
export interface RuleOptions<O> {
  /** JSON Schema of the options object (`{ type: 'object', properties: ... }`). */
  schema: Record<string, unknown>;
  defaults: O;
}

export interface RuleMeta {
  /** Kebab-case id; also the file name, the doc page and the fixture folder. */
  id: string;
  severity: Severity;
  category: Category;
  /** On in the `recommended` preset (the default); every rule is on in `all`. */
  recommended: boolean;
  title: string;
  peers: Peers;
  /** Some reports carry a fix. */
  fixable: boolean;
  messages: Messages;
  docs: RuleDocs;
  options?: RuleOptions<unknown>;
  /**
   * `instructions`: reads only the Dockerfile's instructions, so it also lints a Dockerfile
   * without FROM (a fragment); default `image`: needs the stage and its launch.
   */
  scope?: 'image' | 'instructions';
}

/** A message built with `+` or a variable has type `string`: its placeholders cannot be checked. */
type LiteralMessages<M extends Messages> = {
  [K in keyof M]: string extends M[K]['message'] ? { message: 'write each message as one string literal, so its {placeholders} are checked' } : unknown;
};

export interface RuleDefinition<M extends Messages, O> extends Omit<RuleMeta, 'messages' | 'options' | 'fixable'> {
  messages: M & LiteralMessages<M>;
  /** Default false. */
  fixable?: boolean;
  options?: RuleOptions<O>;
  check(ctx: RuleContext<M, O>): void | Promise<void>;
}

/** A rule as the engine sees it: messages and options erased. */
export interface Rule extends RuleMeta {
  check(ctx: RuleContext<Messages, unknown>): void | Promise<void>;
}

/**
 * A pseudo-rule: findings the engine makes itself (the input cannot be read or parsed, a
 * suppression comment is wrong). It has metadata and a doc page, no check and no messages.
 */
export type DiagnosticMeta = Omit<RuleMeta, 'messages' | 'options'>;

export function defineDiagnostic(meta: Omit<DiagnosticMeta, 'fixable' | 'recommended'>): DiagnosticMeta {
  return { ...meta, fixable: false, recommended: true };
}

export function defineRule<const M extends Messages, O = undefined>(rule: RuleDefinition<M, O>): Rule {
  return { ...rule, fixable: rule.fixable ?? false } as unknown as Rule;
}

/** Fills a message's `{placeholders}` from data (an unknown placeholder is kept as written). */
export function fillMessage(text: string, data: Record<string, string | number> | undefined): string {
  if (!data) return text;
  return text.replace(/\{([A-Za-z0-9_]+)\}/g, (all, name: string) => (Object.hasOwn(data, name) ? String(data[name]) : all));
}

/** The peers of one tool, normalised. */
export function peersOf(rule: Pick<RuleMeta, 'peers'>, tool: keyof Peers): Peer[] {
  return (rule.peers[tool] ?? []).map((p) => (typeof p === 'string' ? { code: p } : p));
}

export type { Edit, Finding, Fix };
