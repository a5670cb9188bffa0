import { imageSh } from '../model/base-images.js';
import { basename } from '../model/commands.js';
import type { ArgWord, CommandView } from '../model/command-view.js';
import { rootStage } from '../model/image.js';
import { operands, tarMode } from '../model/packages.js';
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

/** `a`, `a or b`, `a, b or c`. */
const orList = (items: string[]): string => (items.length > 1 ? `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}` : (items[0] ?? ''));

const before = (a: Span, b: Span): boolean => a.line < b.line || (a.line === b.line && a.column < b.column);
const within = (x: Span, outer: Span): boolean => !before(x, outer) && !before({ line: outer.endLine, column: outer.endColumn } as Span, { line: x.endLine, column: x.endColumn } as Span);

/**
 * The programs of a pipe's commands (not those of a `$(...)` inside them): the ones before the
 * last, whose failure the pipe's status hides, and the last one.
 */
function pipeCommands(commands: readonly CommandView[], pipe: Span): { before: string[]; last: string | null; lastCommand: CommandView | null } {
  const inPipe = commands.filter((c) => c.depth === 0 && within(c.span, pipe));
  const own = inPipe.filter((c) => !inPipe.some((o) => o !== c && within(c.span, o.span)));
  const names = own.map((c) => c.name ?? c.program.text);
  return { before: names.slice(0, -1), last: names[names.length - 1] ?? null, lastCommand: own[own.length - 1] ?? null };
}

/** Decompressors, which fail on empty or cut-short input (each stream ends with its length and checksum). */
const DECOMPRESSORS = new Set(['gunzip', 'zcat', 'bunzip2', 'bzcat', 'unxz', 'xzcat', 'lzcat', 'unlzma', 'unzstd', 'zstdcat']);
/** Compressors that decompress with `-d` (`--decompress`). */
const COMPRESSORS = new Set(['gzip', 'pigz', 'bzip2', 'pbzip2', 'lbzip2', 'xz', 'pixz', 'lzma', 'zstd', 'pzstd']);
const CHECKSUMS = new Set(['md5sum', 'sha1sum', 'sha224sum', 'sha256sum', 'sha384sum', 'sha512sum', 'b2sum', 'shasum']);
/** grep options whose value is the next word. */
const GREP_VALUED = ['e', 'regexp', 'f', 'file', 'm', 'max-count', 'A', 'B', 'C', 'label', 'include', 'exclude', 'exclude-dir'];
/** gpg options whose value is the next word. */
const GPG_VALUED = ['o', 'output', 'homedir', 'keyring', 'primary-keyring', 'trustdb-name', 'keyserver', 'status-fd', 'passphrase-fd', 'options', 'import-options', 'import-filter', 'key-origin', 'keyid-format', 'trust-model'];

/** Only `-` among the operands, or none: the command reads standard input, the pipe. */
const readsStdin = (ops: readonly ArgWord[]): boolean => ops.every((o) => o.value === '-');

/**
 * The last command of the pipe fails by itself when the commands before it fail, so the RUN
 * fails with it: a decompressor or `tar -xz` fed a download that stopped short (or never began)
 * finds the stream cut, `gpg --import`/`--dearmor` and `apt-key add -` find no key, and
 * `sha256sum -c` fed by no download finds no checksum line.
 */
function checksItsInput(cmd: CommandView, before: readonly string[]): boolean {
  const name = cmd.name;
  if (name === null) return false;
  if (DECOMPRESSORS.has(name)) return readsStdin(operands(cmd));
  if (COMPRESSORS.has(name)) return cmd.hasFlag('d', 'decompress', 'uncompress') && readsStdin(operands(cmd));
  if (name === 'tar') {
    // `tar -xz`, `tar xJf -`, `tar --extract --gzip`: a compressed archive extracted from the pipe.
    const tar = tarMode(cmd);
    return cmd.args.every((a) => a.value !== null) && tar.extract && tar.compressed && (tar.file === undefined || tar.file === '-');
  }
  if (name === 'gpg' || name === 'gpg2') return cmd.hasArg('--import', '--dearmor', '--dearmour') && readsStdin(operands(cmd, GPG_VALUED));
  // `... | grep -q 'Kyiv'`: a failed command prints nothing, and the check fails with it.
  if (name === 'grep' || name === 'egrep' || name === 'fgrep') {
    if (!cmd.hasFlag('q', 'quiet', 'silent')) return false;
    const ops = operands(cmd, GREP_VALUED);
    // The first operand is the pattern, unless `-e` or `-f` gave it.
    const patternGiven = cmd.flagValue('e', 'regexp', 'f', 'file') !== undefined;
    return readsStdin(patternGiven ? ops : ops.slice(1));
  }
  if (name === 'apt-key') return cmd.args[0]?.value === 'add' && cmd.args.length === 2 && cmd.args[1]?.value === '-';
  // A checksum list cut short checks fewer files and passes: only when nothing before downloads.
  if (CHECKSUMS.has(name)) return cmd.hasFlag('c', 'check') && readsStdin(operands(cmd)) && !before.some((n) => DOWNLOADERS.has(n));
  return false;
}

/** One message; the hint depends on what `/bin/sh` is (`pipe`, `pipeAsh`, `pipeDash`). */
const PIPE_MESSAGE = 'A pipe in RUN without `pipefail`: the RUN succeeds when the last command of the pipe, `{last}`, does, so a failure of {before} is ignored{consequence}.';

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
      message: PIPE_MESSAGE,
      hint: 'Put `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before this RUN (on Alpine: `["/bin/ash", "-eo", "pipefail", "-c"]`); `set -o pipefail &&` at the start of the RUN works in bash and busybox ash, not in dash (the /bin/sh of Debian and Ubuntu).',
    },
    pipeAsh: {
      message: PIPE_MESSAGE,
      hint: 'Start the RUN with `set -o pipefail &&` (busybox ash, `/bin/sh` here, has it), or put `SHELL ["/bin/ash", "-eo", "pipefail", "-c"]` before it.',
    },
    pipeDash: {
      message: PIPE_MESSAGE,
      hint: 'Put `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before this RUN: `/bin/sh` here is dash (Debian, Ubuntu), which has no pipefail, so `set -o pipefail` in the RUN would fail the build.',
    },
  },
  docs: {
    what: 'A shell-form RUN with a pipe (`|`), when no SHELL of the stage (or the stages it builds on) sets `-o pipefail` with a shell that has it, and the RUN does not run `set -o pipefail` before the pipe. Not for PowerShell or cmd SHELLs, and not for a pipe whose failure cannot go unnoticed: its commands before the last are only `echo`, `printf`, `yes`, `true` or `:`, or its last command fails by itself on the input a failed command leaves it (a decompressor, `tar -xz`/`-xJ`/`-xj` reading the pipe, `gpg --import` or `--dearmor`, `apt-key add -`, `grep -q` reading the pipe, and `sha256sum -c` fed by no download), or the script tests the pipe\'s status (an `if` or `while` condition, `! a | b`, `a | b || true`). hadolint\'s DL4006 reports those too. On Debian and Ubuntu, whose /bin/sh is dash (no pipefail), the hint offers SHELL only.',
    why: 'A shell reports the status of the last command of a pipe: `curl ... | sh` passes when curl fails, after running whatever part of the script it got (and `curl ... | tar -x` extracts a cut-short archive without a word when it stops at a member\'s end).',
    bad: 'FROM debian:12\nRUN curl -fsSL https://example.com/install.sh | sh',
    good: 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://example.com/install.sh | sh',
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
        // `if a | grep -q x`, `a | b || true`: the script tests the status, it does not let it stand.
        if (pipe.tested) continue;
        const found = pipeCommands(run.commands, pipe.span);
        if (found.before.length > 0 && found.before.every((n) => HARMLESS.has(n))) continue;
        if (found.lastCommand && checksItsInput(found.lastCommand, found.before)) continue;
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
        // `find | xargs grep | xargs sed`: the first xargs is another command than the last one.
        before: shown.length > 0 ? orList(shown.map((n) => (n === last ? `an earlier \`${n}\`` : `\`${n}\``))) : 'the commands before it',
        consequence: shown.some((n) => DOWNLOADERS.has(n)) ? ': the image builds from a failed download' : ' and the image still builds',
      };
      // Under dash (Debian's and Ubuntu's /bin/sh) `set -o pipefail` is an error: only SHELL helps.
      const sh = shell === 'sh' && view.stage ? imageSh(rootStage(view.stage)) : null;
      const flavour = shell === 'dash' ? 'dash' : sh?.known ? sh.flavour : null;
      ctx.report({ messageId: flavour === 'dash' ? 'pipeDash' : flavour === 'ash' ? 'pipeAsh' : 'pipe', data, at: { file: ctx.env.dockerfile.displayPath, span: first.span } });
    }
  },
});
