import { basename } from '../model/commands.js';
import type { CommandView } from '../model/command-view.js';
import type { Span } from '../parsers/source.js';
import { defineRule } from './rule.js';

const PIPEFAIL_SHELLS = new Set(['bash', 'zsh', 'ash', 'ksh', 'mksh']);

/** Commands whose failure in a pipe means a missing or truncated download. */
const DOWNLOADERS = new Set(['curl', 'wget', 'fetch', 'aria2c']);

/**
 * Commands whose failure before a pipe changes nothing: `echo` and `printf` print a string they
 * were given (they fail only when the reader is gone, which pipefail would turn into a failed
 * build: `echo "$sum *x.tgz" | sha256sum -c -` is checked by sha256sum), and `yes` is always
 * ended by SIGPIPE.
 */
const HARMLESS = new Set(['echo', 'printf', 'yes', 'true', ':']);

const before = (a: Span, b: Span): boolean => a.line < b.line || (a.line === b.line && a.column < b.column);
const within = (x: Span, outer: Span): boolean => !before(x, outer) && !before({ line: outer.endLine, column: outer.endColumn } as Span, { line: x.endLine, column: x.endColumn } as Span);

/**
 * The programs of a pipe's commands (not those of a `$(...)` inside them): the ones before the
 * last, whose failure the pipe's status hides, and the last one.
 */
function pipeCommands(commands: readonly CommandView[], pipe: Span): { before: string[]; last: string | null } {
  const inPipe = commands.filter((c) => c.depth === 0 && within(c.span, pipe));
  const own = inPipe.filter((c) => !inPipe.some((o) => o !== c && within(c.span, o.span)));
  const names = own.map((c) => c.name ?? c.program.text);
  return { before: names.slice(0, -1), last: names[names.length - 1] ?? null };
}

export default defineRule({
  id: 'pipefail',
  severity: 'warning',
  category: 'build',
  recommended: true,
  scope: 'instructions',
  title: 'A pipe in RUN without `pipefail`',
  peers: { hadolint: ['DL4006'] },
  messages: {
    pipe: {
      message: 'A pipe in RUN without `pipefail`: the RUN succeeds when the last command of the pipe, `{last}`, does, so a failure of {before} is ignored{consequence}.',
      hint: 'Put `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before this RUN (on Alpine: `["/bin/ash", "-eo", "pipefail", "-c"]`), or start the RUN with `set -o pipefail &&`.',
    },
  },
  docs: {
    what: 'A shell-form RUN with a pipe (`|`), when no SHELL of the stage (or the stages it builds on) sets `-o pipefail` with a shell that has it, and the RUN does not run `set -o pipefail` before the pipe. Not for PowerShell or cmd SHELLs, and not for a pipe whose commands before the last are only `echo`, `printf`, `yes`, `true` or `:`, which hide no failure that matters (hadolint\'s DL4006 reports those too).',
    why: 'A shell reports the status of the last command of a pipe: `curl ... | tar x` passes when curl fails.',
    bad: 'FROM debian:12\nRUN curl -fsSL https://example.com/app.tgz | tar -xz -C /opt',
    good: 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://example.com/app.tgz | tar -xz -C /opt',
    howToFix: 'Set pipefail with SHELL.',
  },
  async check(ctx) {
    for (const { view, run } of await ctx.view.allRuns(['|'])) {
      if (run.form.kind !== 'shell' || run.dialect === null || run.pipes.length === 0) continue;
      const argv = view.shell;
      const shell = basename(argv[0] ?? '');
      if (PIPEFAIL_SHELLS.has(shell) && argv.some((a, i) => a === 'pipefail' && /^-[a-z]*o$/.test(argv[i - 1] ?? ''))) continue;
      // The first pipe whose status hides a failure that matters.
      let first: { span: Span } | undefined;
      let cmds: ReturnType<typeof pipeCommands> | undefined;
      for (const pipe of run.pipes) {
        const found = pipeCommands(run.commands, pipe.span);
        if (found.before.length > 0 && found.before.every((n) => HARMLESS.has(n))) continue;
        first = pipe;
        cmds = found;
        break;
      }
      if (!first || !cmds) continue;
      const setsBefore = run.commands.some(
        (c) => c.name === 'set' && c.depth === 0 && c.args.some((a, i) => a.value === 'pipefail' && /^-[a-z]*o$/.test(c.args[i - 1]?.value ?? '')) && (c.span.line < first.span.line || (c.span.line === first.span.line && c.span.column < first.span.column)),
      );
      if (setsBefore) continue;
      const { before, last } = cmds;
      const shown = [...new Set(before)];
      const data = {
        last: last ?? 'the last command',
        before: shown.length > 0 ? shown.map((n) => `\`${n}\``).join(shown.length === 2 ? ' or ' : ', ') : 'the commands before it',
        consequence: shown.some((n) => DOWNLOADERS.has(n)) ? ': the image builds from a failed download' : ' and the image still builds',
      };
      ctx.report({ messageId: 'pipe', data, at: { file: ctx.env.dockerfile.displayPath, span: first.span } });
    }
  },
});
