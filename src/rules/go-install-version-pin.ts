import { operands } from '../model/packages.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'go-install-version-pin',
  severity: 'info',
  category: 'build',
  recommended: false,
  scope: 'instructions',
  title: '`go install` of a module without a version',
  peers: { hadolint: ['DL3062'] },
  messages: {
    unpinned: {
      message: '`go {verb} {pkg}` without a version (or with `@latest`): the build fetches whatever the module\'s newest release is that day.',
      hint: 'Pin it: `{bare}@v1.2.3`.',
    },
  },
  docs: {
    what: 'A package of `go install` / `go get`, or the package of `go run`, without `@version` or with `@latest`/`@none`; local paths (`.`, `./cmd/x`) are fine.',
    why: 'Unpinned tools make builds irreproducible; off in `recommended`.',
    bad: 'FROM golang:1.23\nRUN go install golang.org/x/tools/gopls@latest',
    good: 'FROM golang:1.23\nRUN go install golang.org/x/tools/gopls@v0.16.2',
    howToFix: 'Name the version after `@`.',
  },
  async check(ctx) {
    await ctx.view.forEachCommand((cmd) => {
      if (cmd.name !== 'go') return;
      const words = operands(cmd, ['C', 'o', 'p', 'tags', 'ldflags', 'gcflags', 'mod', 'modfile', 'overlay', 'pkgdir', 'toolexec']);
      const verb = words[0]?.value;
      if (verb !== 'install' && verb !== 'get' && verb !== 'run') return;
      const pkgs = verb === 'run' ? words.slice(1, 2) : words.slice(1).filter((w) => w.value !== 'tool');
      for (const w of pkgs) {
        const pkg = w.value;
        if (pkg === null || pkg === '.' || pkg.startsWith('/') || pkg.startsWith('.')) continue;
        if (pkg.includes('@') && !/@(latest|none)$/.test(pkg)) continue;
        ctx.report({ messageId: 'unpinned', data: { verb, pkg, bare: pkg.replace(/@.*$/, '') }, at: { file: ctx.env.dockerfile.displayPath, span: w.span } });
      }
    });
  },
});
