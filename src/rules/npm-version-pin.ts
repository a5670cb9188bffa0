import { operands } from '../model/packages.js';
import { defineRule } from './rule.js';

const GIT = /^(git|git\+ssh|git\+http|git\+https):\/\//;

function pinned(pkg: string): boolean {
  if (GIT.test(pkg)) return pkg.includes('#');
  if (/\.(tar|tar\.gz|tgz)$/.test(pkg) || /^(\/|\.\/|\.\.\/|~\/)/.test(pkg)) return true;
  const name = pkg.startsWith('@') ? pkg.slice(pkg.indexOf('/') + 1) : pkg;
  return name.includes('@');
}

export default defineRule({
  id: 'npm-version-pin',
  severity: 'info',
  category: 'build',
  recommended: false,
  scope: 'instructions',
  title: '`npm install` of a package without a version',
  peers: { hadolint: ['DL3016'] },
  messages: {
    unpinned: {
      message: '`npm install {pkg}` without a version: the build installs the newest release of the day.',
      hint: 'Pin it (`{pkg}@<version>`), or install from package.json with `npm ci`.',
    },
  },
  docs: {
    what: 'A package of `npm install` (or `npm i`, `npm add`) without `@version`, that is not a tarball, a folder, or a git URL with `#ref`. `npm install` alone (from package.json) is fine.',
    why: 'Unpinned global tools make builds irreproducible; off in `recommended` because many teams accept it for tools.',
    bad: 'FROM node:22\nRUN npm install -g typescript',
    good: 'FROM node:22\nRUN npm install -g typescript@5.6.3',
    howToFix: 'Write `name@version`, or use package.json and `npm ci`.',
  },
  async check(ctx) {
    await ctx.view.forEachCommand((cmd) => {
      if (cmd.name !== 'npm') return;
      const words = operands(cmd, ['loglevel', 'registry', 'prefix', 'C', 'w', 'workspace']);
      const verb = words[0]?.value;
      if (verb !== 'install' && verb !== 'i' && verb !== 'add') return;
      for (const w of words.slice(1)) {
        const pkg = w.value;
        if (pkg === null || pinned(pkg)) continue;
        ctx.report({ messageId: 'unpinned', data: { pkg }, at: { file: ctx.env.dockerfile.displayPath, span: w.span } });
      }
    });
  },
});
