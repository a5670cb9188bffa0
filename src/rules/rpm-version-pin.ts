import { operands } from '../model/packages.js';
import { defineRule } from './rule.js';

const TOOLS = new Set(['yum', 'dnf', 'microdnf']);
const VERSION_CHARS = /^[A-Za-z0-9.~^_:+]+$/;

/** `name-1.2.3`, `name-1.2-3.el9`: some dash-separated part after the first starts with a digit, all of them version characters. */
function versioned(pkg: string): boolean {
  if (pkg.endsWith('.rpm')) return true;
  const parts = pkg.split('-').slice(1);
  return parts.length > 0 && parts.every((p) => VERSION_CHARS.test(p)) && parts.some((p) => /^\d/.test(p));
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
  },
  docs: {
    what: 'A package of `yum install`, `dnf install` or `microdnf install` (modules included: `dnf module install nodejs:20`) without a version (`name-1.2.3`, `name:stream`), that is not an `.rpm` file. Words computed at build time are not judged.',
    why: 'Unpinned packages make builds irreproducible; pinned ones break when the repository drops the version, which is why this rule is off in `recommended`.',
    bad: 'FROM rockylinux:9\nRUN dnf install -y httpd && dnf clean all',
    good: 'FROM rockylinux:9\nRUN dnf install -y httpd-2.4.57 && dnf clean all',
    howToFix: 'Write `name-version` for each package.',
  },
  async check(ctx) {
    await ctx.view.forEachCommand((cmd) => {
      if (cmd.name === null || !TOOLS.has(cmd.name) || !cmd.hasArg('install') || cmd.hasArg('group', 'groupinstall')) return;
      const module = cmd.hasArg('module');
      for (const w of operands(cmd, ['c', 'config', 'installroot', 'releasever', 'setopt', 'x', 'exclude', 'enablerepo', 'disablerepo', 'repo'], ['install', 'module'])) {
        const pkg = w.value;
        if (pkg === null || (module ? pkg.includes(':') : versioned(pkg))) continue;
        ctx.report({ messageId: 'unpinned', data: { tool: cmd.name ?? '', pkg }, at: { file: ctx.env.dockerfile.displayPath, span: w.span } });
      }
    });
  },
});
