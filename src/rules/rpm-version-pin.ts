import { keyValues, type InstructionView } from '../model/instructions.js';
import { operands } from '../model/packages.js';
import { NAME } from '../parsers/variables.js';
import { defineRule } from './rule.js';

const TOOLS = new Set(['yum', 'dnf', 'microdnf']);
const VERSION_CHARS = /^[A-Za-z0-9.~^_:+]+$/;

/** `name-1.2.3`, `name-1.2-3.el9`: some dash-separated part after the first starts with a digit, all of them version characters. */
function versioned(pkg: string): boolean {
  if (pkg.endsWith('.rpm')) return true;
  const parts = pkg.split('-').slice(1);
  return parts.length > 0 && parts.every((p) => VERSION_CHARS.test(p)) && parts.some((p) => /^\d/.test(p));
}

/** The stages whose ENV sets each name (ONBUILD triggers left out). */
function envStages(views: readonly InstructionView[], escape: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const v of views) {
    if (v.keyword !== 'ENV' || v.onbuild || v.stageIndex < 0) continue;
    for (const kv of keyValues(v.inst, escape)) out.set(kv.key, [...(out.get(kv.key) ?? []), v.stageIndex]);
  }
  return out;
}

/** `${NAME}` or `$NAME`, the name in group 1 or 2. */
const REFERENCE = new RegExp(`\\$\\{(${NAME})\\}|\\$(${NAME})`, 'g');

/**
 * A package word whose variables are all set by ENV in other stages only (not in this stage, not
 * in one it is built on, not as an ARG): its value here, with them empty; null otherwise.
 */
function withForeignEnvEmpty(text: string, view: InstructionView, envs: Map<string, number[]>): { value: string; name: string; stage: number } | null {
  if (!/^[A-Za-z0-9.~^_:+\-${}]+$/.test(text) || !view.stage) return null;
  const names = [...text.matchAll(REFERENCE)].map((m) => m[1] ?? m[2] ?? '');
  const value = text.replace(REFERENCE, '');
  if (names.length === 0 || value.includes('$')) return null;
  for (const name of names) if (view.stage.vars.has(name) || !envs.has(name)) return null;
  const name = names[0] as string;
  return { value, name, stage: envs.get(name)?.[0] ?? 0 };
}

function stageLabel(name: string | null, index: number): string {
  return name ? `\`${name}\`` : `${index}`;
}

export default defineRule({
  id: 'rpm-version-pin',
  severity: 'info',
  category: 'build',
  recommended: false,
  scope: 'instructions',
  title: '`yum`/`dnf install` of a package without a version',
  peers: { hadolint: ['DL3033', 'DL3041'] },
  messages: {
    unpinned: {
      message: '`{tool} install {pkg}` without a version: the build installs whatever the repository has that day, so two builds of the same Dockerfile can differ.',
      hint: 'Pin it as `{pkg}-<version>` (see `{tool} list {pkg}`), or leave this rule off if you accept the drift.',
    },
    foreignEnv: {
      message: '`{tool} install {pkg}`: `${name}` is set only by an ENV of stage {stage}, which this stage is not built on, so here it is empty and the package has no version.',
      hint: 'Set `{name}` in this stage too (`ARG {name}=...` or `ENV {name}=...`), or build this stage on that one.',
    },
  },
  docs: {
    what: 'A package of `yum install`, `dnf install` or `microdnf install` (modules included: `dnf module install nodejs:20`) without a version (`name-1.2.3`, `name:stream`), that is not an `.rpm` file. Words computed at build time are not judged, except a version held in a variable that only an ENV of another stage sets (one this stage is not built on): it is empty here, as hadolint also reports.',
    why: 'Unpinned packages make builds irreproducible; pinned ones break when the repository drops the version, which is why this rule is off in `recommended`.',
    bad: 'FROM rockylinux:9\nRUN dnf install -y httpd && dnf clean all',
    good: 'FROM rockylinux:9\nRUN dnf install -y httpd-2.4.57 && dnf clean all',
    howToFix: 'Write `name-version` for each package.',
  },
  async check(ctx) {
    let envs: Map<string, number[]> | null = null;
    await ctx.view.forEachCommand((cmd, view) => {
      if (cmd.name === null || !TOOLS.has(cmd.name) || !cmd.hasArg('install') || cmd.hasArg('group', 'groupinstall')) return;
      const module = cmd.hasArg('module');
      for (const w of operands(cmd, ['c', 'config', 'installroot', 'releasever', 'setopt', 'x', 'exclude', 'enablerepo', 'disablerepo', 'repo'], ['install', 'module'])) {
        const pkg = w.value;
        if (pkg === null) {
          if (module || !w.text.includes('$')) continue;
          envs ??= envStages(ctx.view.instructions, ctx.dockerfile.escape);
          const foreign = withForeignEnvEmpty(w.text, view, envs);
          if (foreign && !versioned(foreign.value)) ctx.report({ messageId: 'foreignEnv', data: { tool: cmd.name ?? '', pkg: w.text, name: foreign.name, stage: stageLabel(ctx.model.stages[foreign.stage]?.name ?? null, foreign.stage) }, at: { file: ctx.env.dockerfile.displayPath, span: w.span } });
          continue;
        }
        if (module ? pkg.includes(':') : versioned(pkg)) continue;
        ctx.report({ messageId: 'unpinned', data: { tool: cmd.name ?? '', pkg }, at: { file: ctx.env.dockerfile.displayPath, span: w.span } });
      }
    }, ['yum', 'dnf']);
  },
});
