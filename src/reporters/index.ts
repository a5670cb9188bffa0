/**
 * Every output format, each formatter loaded only when it is asked for (as Stylelint does), so
 * a run pays for one reporter only.
 */
import { displayPaths, forDisplay, type Finding } from '../findings.js';

export const FORMATS = ['stylish', 'json', 'sarif', 'github', 'checkstyle', 'gitlab', 'compact'] as const;
export type Format = (typeof FORMATS)[number];

export interface FormatOptions {
  /** Colour the stylish output (the other formats never colour). */
  color: boolean;
  /** dockerlint's version, recorded in SARIF's `tool.driver.version`. */
  version: string;
  /**
   * The folder display paths are relative to: findings from the engine are keyed by absolute
   * path, and every format shows them relative to it (far outside it, absolute).
   */
  cwd?: string;
  /**
   * The folder finding paths are relative to, and the repository root (./source-root.ts): SARIF,
   * GitHub annotations and GitLab reports give paths relative to the root, where code scanning,
   * the pull request and the merge request look for them. Without it, paths stay as they are.
   */
  paths?: { cwd: string; root: string };
}

/** The formats whose paths are relative to the repository root. */
const ROOT_RELATIVE: readonly Format[] = ['sarif', 'github', 'gitlab'];

export function isFormat(name: string): name is Format {
  return (FORMATS as readonly string[]).includes(name);
}

export async function format(name: Format, all: Finding[], { color, version, cwd, paths }: FormatOptions): Promise<string> {
  let findings = all;
  if (cwd !== undefined) {
    const shown = displayPaths(cwd);
    findings = all.map((f) => forDisplay(f, cwd, shown));
  }
  if (paths && ROOT_RELATIVE.includes(name)) findings = (await import('./source-root.js')).rebaseFindings(all, paths.cwd, paths.root);
  switch (name) {
    case 'stylish':
      return (await import('./stylish.js')).formatStylish(findings, color);
    case 'json':
      return (await import('./json.js')).formatJson(findings);
    case 'sarif': {
      const [{ formatSarif }, { RULES }] = await Promise.all([import('./sarif.js'), import('../rules/index.js')]);
      return formatSarif(findings, RULES, version, paths?.root);
    }
    case 'github':
      return (await import('./github.js')).formatGithub(findings);
    case 'checkstyle':
      return (await import('./checkstyle.js')).formatCheckstyle(findings);
    case 'gitlab':
      return (await import('./gitlab.js')).formatGitlab(findings);
    case 'compact':
      return (await import('./compact.js')).formatCompact(findings);
    default: {
      const unknown: never = name;
      throw new Error(`unknown format: ${String(unknown)}`);
    }
  }
}
