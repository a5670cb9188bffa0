import { copyView } from '../model/instructions.js';
import { defineRule } from './rule.js';

const ARCHIVE = /\.(tar|tar\.(gz|bz2|xz|zst|lz|lzma|Z)|tgz|tbz2?|txz|tzst|tlz|gz|bz2|xz|zst|lz|lzma|Z)$/i;
const REMOTE = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/)/;

export default defineRule({
  id: 'add-instead-of-copy',
  severity: 'warning',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  fixable: true,
  title: 'ADD for plain files and folders',
  peers: { hadolint: ['DL3020'] },
  messages: {
    add: {
      message: '`ADD {src}` copies a plain file or folder: ADD also unpacks archives and fetches URLs, so a reader (and a renamed file) cannot tell which it does; COPY does only the copy.',
      hint: 'Use `COPY`; keep ADD for a local archive it should unpack or a URL it should fetch.',
    },
  },
  docs: {
    what: 'ADD with a source that is neither a URL (http, https, git) nor a local tar archive ADD unpacks (`.tar`, `.tar.gz`, `.tgz`, `.tar.xz`, ...; a `.zip` is not unpacked).',
    why: 'ADD\'s extra behaviour is implicit: the same line starts unpacking when someone renames a file to `.tar.gz`.',
    bad: 'FROM alpine:3.20\nADD app.py /app/',
    good: 'FROM alpine:3.20\nCOPY app.py /app/',
    howToFix: 'Replace ADD with COPY (the fix does it when ADD has no ADD-only option such as `--checksum`).',
    autofix: [
      { safety: 'unsafe', what: 'Replaces the ADD keyword with COPY, when ADD has no ADD-only option (`--checksum`, `--keep-git-dir`, `--unpack`)', why: 'the rule fires only for sources that are not URLs or tar archives by name, but a tar archive under another name would no longer be unpacked' },
    ],
  },
  check(ctx) {
    for (const view of ctx.view.byKeyword('ADD')) {
      const copy = copyView(view.inst, ctx.dockerfile.escape);
      const plain = copy.sources.find((s) => {
        const v = (s.value ?? s.text).replace(/^["']|["']$/g, '');
        return !copy.heredocSources.has(s.text) && !REMOTE.test(v) && !ARCHIVE.test(v) && !/\.git(#.*)?$/.test(v);
      });
      if (!plain) continue;
      const file = ctx.env.dockerfile.displayPath;
      const kw = view.inst.keywordSpan;
      const start = ctx.env.dockerfile.offsetOf(kw.line, kw.column);
      const addOnly = view.inst.flags.some((f) => ['checksum', 'keep-git-dir', 'unpack'].includes(f.name));
      ctx.report({
        messageId: 'add',
        data: { src: plain.text },
        at: { file, span: kw },
        ...(addOnly || view.onbuild ? {} : { fix: { safety: 'unsafe' as const, title: 'Replace ADD with COPY', edits: [{ file, start, end: start + 3, text: 'COPY' }] } }),
      });
    }
  },
});
