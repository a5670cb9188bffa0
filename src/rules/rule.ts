/**
 * The shape of a rule: metadata and documentation beside the check. A rule is a short function
 * over the image model; it never parses anything itself.
 */
import type { Finding, Fix, Severity } from '../findings.js';
import type { DockerfileAst } from '../parsers/dockerfile.js';
import type { Span } from '../parsers/source.js';
import type { ImageModel, Stage } from '../model/image.js';
import type { Evidence, Launch, LaunchEnv } from '../model/launch.js';
import type { DockerfileView } from '../model/instructions.js';
import type { RunFacts } from '../model/run-facts.js';

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
  fix: string;
  /** Equivalent checks in other tools (hadolint, BuildKit, ShellCheck), if any. */
  equivalents: string[];
}

export interface RuleMeta {
  /** Kebab-case id; also the file name and the fixture folder. */
  id: string;
  severity: Severity;
  title: string;
  docs: RuleDocs;
  /**
   * `instructions`: reads only the Dockerfile's instructions, so it also lints a Dockerfile
   * without FROM (a fragment); default `image`: needs the stage and its launch.
   */
  scope?: 'image' | 'instructions';
}

export interface Report {
  at: { file: string; span: Span };
  message: string;
  hint?: string;
  /** Evidence chain, outermost first; the finding's own place is added at the end. */
  chain?: Evidence[];
  /** Label of the finding's own place in the chain (`gosu redis ...`). */
  label?: string;
  /** The fix, as edits in file offsets (the file: its absolute path, or the path it is shown as). */
  fix?: Fix;
}

export interface RuleContext {
  dockerfile: DockerfileAst;
  model: ImageModel;
  /** The stage being built (the last, or `--target`); null when the file has no FROM. */
  stage: Stage | null;
  /** What runs at container start; null when there is no stage. */
  launch: Launch | null;
  env: LaunchEnv;
  /** Typed views of the instructions (ONBUILD unwrapped) and each RUN's commands, parsed once. */
  view: DockerfileView;
  /** What the RUN instructions of the stage do (chmod, installs, symlinks), parsed on first use. */
  runFacts(): Promise<RunFacts>;
  report(r: Report): void;
}

export interface Rule extends RuleMeta {
  check(ctx: RuleContext): void | Promise<void>;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

export type { Finding };
