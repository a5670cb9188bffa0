import { copyView } from '../model/instructions.js';
import { operands, tarMode } from '../model/packages.js';
import { defineRule } from './rule.js';

const ARCHIVE = /\.(tar|tar\.(gz|bz2|xz|zst|lz|lzma|Z)|tgz|tbz2?|txz|tzst|tlz|gz|bz2|xz|zst|Z|lz|lzma|zip)$/i;
const DECOMPRESSORS = new Set(['unzip', 'gunzip', 'bunzip2', 'unlzma', 'unxz', 'zgz', 'uncompress', 'zcat', 'gzcat']);

const base = (p: string): string => p.replace(/^["']|["']$/g, '').replace(/[/\\]+$/, '').split(/[/\\]/).pop() ?? p;

export default defineRule({
  id: 'copy-then-extract',
  severity: 'info',
  category: 'build',
  recommended: false,
  scope: 'instructions',
  title: 'COPY of an archive that a later RUN unpacks',
  peers: { hadolint: [{ code: 'DL3010', equivalent: false, note: 'paths are read as the builder reads them: with the default escape character a backslash escapes the next character, so `COPY build\\foo\\app.tar.gz` copies `buildfooapp.tar.gz`; hadolint reads backslashes as separators either way, and agrees on 6 of its 8 cases (the two others are such Windows paths), under the 97% an equivalent needs' }] },
  messages: {
    extract: {
      message: '`{file}` is copied here and unpacked by a RUN on line {line}: the archive stays in this COPY\'s layer, so the image holds it twice (packed and unpacked).',
      hint: 'Let ADD unpack a local tar archive (`ADD {file} /dest/`), or fetch and unpack it in one RUN.',
    },
  },
  docs: {
    what: 'A COPY (from the context) of an archive (`.tar`, `.tar.gz`, `.zip`, ...) whose file name a later RUN of the same stage passes to `tar -x`/`--extract` or a decompressor (`unzip`, `gunzip`, ...). Paths are read as the builder reads them: with the default escape character a backslash escapes the next character (`COPY build\\app.tar.gz` copies `buildapp.tar.gz`), so Windows paths count only under `# escape=\``; hadolint reads backslashes as separators either way.',
    why: 'A file removed in a later layer still takes its space in the earlier one. Often the archive is needed as is, which is why this rule is off in `recommended`.',
    bad: 'FROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz',
    good: 'FROM debian:12\nADD app.tar.gz /opt/',
    howToFix: 'Use ADD for local tar archives.',
  },
  async check(ctx) {
    const copies: { stage: number; names: Set<string>; span: { line: number; column: number; endLine: number; endColumn: number }; reported: boolean }[] = [];
    for (const view of ctx.view.instructions) {
      if (view.onbuild) continue;
      if (view.keyword === 'COPY') {
        const copy = copyView(view.inst, ctx.dockerfile.escape);
        if (copy.from || !copy.dest) continue;
        const dest = copy.dest.value ?? copy.dest.text;
        const names = new Set<string>();
        if (ARCHIVE.test(dest)) names.add(base(dest));
        else for (const s of copy.sources) if (ARCHIVE.test(s.value ?? s.text)) names.add(base(s.value ?? s.text));
        if (names.size > 0) copies.push({ stage: view.stageIndex, names, span: view.inst.keywordSpan, reported: false });
        continue;
      }
      if (view.keyword !== 'RUN') continue;
      const pending = copies.filter((c) => c.stage === view.stageIndex && !c.reported);
      if (pending.length === 0) continue;
      const run = await ctx.view.run(view);
      for (const cmd of run.commands) {
        const extracts =
          cmd.name === 'tar' ? tarMode(cmd).extract : cmd.name !== null && DECOMPRESSORS.has(cmd.name);
        if (!extracts) continue;
        const args = new Set(operands(cmd).map((w) => base(w.value ?? w.text)).concat(cmd.args.map((w) => base((w.value ?? '').replace(/^-[A-Za-z]*f/, '')))));
        for (const c of pending) {
          const file = [...c.names].find((n) => args.has(n));
          if (!file || c.reported) continue;
          c.reported = true;
          ctx.report({ messageId: 'extract', data: { file, line: cmd.span.line }, at: { file: ctx.env.dockerfile.displayPath, span: c.span } });
        }
      }
    }
  },
});
