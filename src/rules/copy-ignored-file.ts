import { ContextFs } from '../model/context-fs.js';
import { copyView } from '../model/instructions.js';
import { defineRule } from './rule.js';

export default defineRule({
  id: 'copy-ignored-file',
  severity: 'warning',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: 'COPY or ADD of a path that .dockerignore excludes',
  peers: { buildkit: ['CopyIgnoredFile'] },
  messages: {
    ignored: {
      message: '`{keyword} {src}`: `{dockerignore}` excludes `{src}` from the build context, so the build does not see it (the COPY fails, or copies nothing from it).',
      hint: 'Remove `{src}` from `{dockerignore}` (or add a `!{src}` line), or stop copying it.',
    },
    root: {
      message: '`{keyword} {src}` copies the context root, but `{dockerignore}` excludes every entry of it (`{pattern}`): the build sees an empty context, so nothing is copied.',
      hint: 'Narrow the `{pattern}` line of `{dockerignore}` (or add `!` lines for what the image needs), or copy named paths.',
    },
  },
  docs: {
    what: 'A COPY or ADD from the build context (no `--from`) whose source path, or a folder above it, a `.dockerignore` pattern excludes. As BuildKit does, nothing is judged when the .dockerignore has exclusions (`!pattern`); `.` (the context root) counts only when a pattern excludes every entry of it (`*`, `**`, `**/*`); glob sources (`*.md`, whose matches the context listing decides) are not judged.',
    why: 'Ignored files never reach the builder: the instruction fails with "not found", or silently copies a folder without the files it was meant to bring.',
    bad: 'FROM alpine:3.20\nCOPY secrets.env /app/',
    good: 'FROM alpine:3.20\nCOPY app.conf /app/',
    howToFix: 'Keep the path out of .dockerignore, or do not copy it.',
  },
  check(ctx) {
    const context = ctx.env.fs.context;
    const name = context.dockerignore;
    if (!name) return;
    let text: string;
    try {
      text = ctx.env.readContext(name);
    } catch {
      return; // the file in force cannot be read here: its exclusions are unknown
    }
    const lines = text.split(/\r?\n/).map((l) => l.trim());
    if (lines.some((l) => l.startsWith('!'))) return;
    // `.` (or `/`) is the context root, not a path a pattern excludes, unless a pattern excludes
    // every entry of the root.
    const rootPattern = lines.find((l) => ['*', '**', '**/*'].includes(l.replace(/^(\.?\/)+/, '')));
    for (const view of ctx.view.instructions) {
      if ((view.keyword !== 'COPY' && view.keyword !== 'ADD') || view.onbuild) continue;
      const copy = copyView(view.inst, ctx.dockerfile.escape);
      if (copy.from) continue;
      for (const s of copy.sources) {
        const v = s.value;
        if (v === null || copy.heredocSources.has(s.text) || /^(https?:\/\/|git@|git:\/\/)/.test(v)) continue;
        const rel = ContextFs.normalize(v);
        if (rel === null || /[*?[]/.test(rel)) continue;
        if (rel === '') {
          if (rootPattern) ctx.report({ messageId: 'root', data: { keyword: view.keyword, src: v, dockerignore: name, pattern: rootPattern }, at: { file: ctx.env.dockerfile.displayPath, span: s.span } });
          continue;
        }
        const parts = rel.split('/');
        // A pattern with a trailing slash (`docs/`) matches the folder only.
        const hit = parts.some((_, i) => context.isIgnored(parts.slice(0, i + 1).join('/')) || (i < parts.length - 1 || !/\.[^/]+$/.test(rel) ? context.isIgnored(`${parts.slice(0, i + 1).join('/')}/`) : false));
        if (hit) ctx.report({ messageId: 'ignored', data: { keyword: view.keyword, src: v, dockerignore: name }, at: { file: ctx.env.dockerfile.displayPath, span: s.span } });
      }
    }
  },
});
