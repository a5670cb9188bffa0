import { isPipInstall, operands } from '../model/packages.js';
import { defineRule } from './rule.js';

/** pip options that take a value (their value is not a package). */
const VALUED = ['abi', 'b', 'build', 'e', 'editable', 'extra-index-url', 'f', 'find-links', 'i', 'index-url', 'implementation', 'no-binary', 'only-binary', 'platform', 'prefix', 'progress-bar', 'proxy', 'python', 'python-version', 'root', 'root-user-action', 'src', 't', 'target', 'trusted-host', 'upgrade-strategy', 'm'];
const VCS = /^(git|hg|svn|bzr)(\+[a-z-]+)?:/;

export default defineRule({
  id: 'pip-version-pin',
  severity: 'info',
  category: 'build',
  recommended: false,
  scope: 'instructions',
  title: '`pip install` of a package without a version',
  peers: { hadolint: ['DL3013'] },
  messages: {
    unpinned: {
      message: '`pip install {pkg}` without a version: the build installs the newest release of the day, so two builds of the same Dockerfile can differ (or break on a new major version).',
      hint: 'Pin it (`{pkg}==<version>`), or install from a requirements or constraints file (`-r requirements.txt`, `-c constraints.txt`).',
    },
  },
  docs: {
    what: 'A package of `pip install` (pip, pip3, `python -m pip`, pipx) without a version specifier (`==`, `>=`, `~=`, ...), that is not a wheel, an archive, a path or a VCS URL with `@ref`; not when the install reads a requirements file (`-r`), a constraints file (`-c`) or the current folder (`.`).',
    why: 'Unpinned packages make builds irreproducible. Many teams pin in requirements files instead, which is why this rule is off in `recommended`.',
    bad: 'FROM python:3.12\nRUN pip install --no-cache-dir requests',
    good: 'FROM python:3.12\nRUN pip install --no-cache-dir requests==2.32.3',
    howToFix: 'Pin each package, or move them to a requirements file and install that.',
  },
  async check(ctx) {
    await ctx.view.forEachCommand((cmd) => {
      if (!isPipInstall(cmd, { pipx: true })) return;
      if (cmd.hasFlag('r', 'requirement', 'c', 'constraint') || cmd.hasArg('.')) return;
      const words = operands(cmd, VALUED);
      const start = words.findIndex((w) => w.value === 'install');
      for (const pkg of words.slice(start + 1)) {
        const v = pkg.value;
        if (v === null || v === 'pip' || /(==|>=|<=|!=|~=|>|<)/.test(v) || v.endsWith('.whl') || v.endsWith('.tar.gz')) continue;
        if (VCS.test(v) ? v.includes('@') : v.includes('/')) continue;
        ctx.report({ messageId: 'unpinned', data: { pkg: v }, at: { file: ctx.env.dockerfile.displayPath, span: pkg.span } });
      }
    });
  },
});
