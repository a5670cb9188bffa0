import type { Ending, LoopRef } from '../model/evaluator/interpreter.js';
import { SUPERVISORS, type Run, type Step } from '../model/evaluator/invocations.js';
import { argsUse, commandOf, isScriptArg, isUserCommand, type ScriptHop } from '../model/evaluator/questions.js';
import type { CmdRef } from '../model/evaluator/state.js';
import { showArgv, USER_COMMAND, type Field } from '../model/evaluator/values.js';
import { atNode, atRef, lastLine, refText, statementText } from '../evidence.js';
import { basename } from '../model/commands.js';
import { defineRule, type MessageRef, type RuleContext } from './rule.js';
import type { Fix } from '../findings.js';
import type { Assign, FuncDecl, ShellFile, Stmt, Word, WordPart } from '../parsers/shell-ast.js';
import type { Arg } from '../model/pid1.js';
import type { CommandSetting } from '../model/image.js';
import { execFormStrings, insertExecFormWord } from '../fix/builders/dockerfile.js';
import { oneLine } from '../text.js';
import { childStmts } from '../parsers/shell-walk.js';
import { argsFix, execFix } from '../fix/builders/pid1.js';
import { fixOf } from '../fix/builders/report.js';

const messages = {
  starArgs: {
    message: '`{command}` mangles the arguments: "$*" joins them into one word, so an argument that contains a space breaks. {startedBy} on line {startLine} of {startFile} makes this script PID 1.',
    hint: 'Write `"$@"`, with the double quotes.',
  },
  wrapperArgs: {
    message: 'The string of an exec-form `sh -c` wrapper expands `{params}` unquoted: `sh -c \'string\' a b c` makes the first argument `$0` and the rest `$@`, and unquoted they are re-split on spaces and expand globs, so an argument that contains a space breaks. {startedBy} on line {startLine} of {startFile} runs this string.',
    hint: 'Quote them in the string (`\\"$0\\" \\"$@\\"` inside the JSON array), or move the command into a script that ends with `exec "$@"`.',
  },
  firstArgIsDollarZero: {
    message: 'The string of this exec-form `{shell} -c` wrapper reads its arguments as `{params}` and never reads `$0`, but `{shell} -c \'string\' a b c` makes the first word after the string `$0`, and only the rest `$@`: {lost}. {startedBy} on line {startLine} of {startFile} runs this string.',
    hint: 'Put a word for `$0` right after the string in the JSON array (by custom, the shell\'s name): `{fixed}`, so that every argument reaches `$@`.',
  },
  unquotedArgs: {
    message: '`{command}` mangles the arguments: an unquoted $@ or $* re-splits them on spaces and expands globs, so an argument that contains a space breaks. {startedBy} on line {startLine} of {startFile} makes this script PID 1.',
    hint: 'Write `"$@"`, with the double quotes.',
  },
  unquotedArgsEarlier: {
    message: '`{command}` passes on arguments that an unquoted $@ or $* re-split before this line, where they were copied or passed on (`args=($@ --flag)`, or a function called as `run $@`): the quotes here cannot undo it, the words were already split on spaces and globs expanded, so an argument that contains a space breaks. {startedBy} on line {startLine} of {startFile} makes this script PID 1.',
    hint: 'Quote the expansion where the arguments were first copied or passed on unquoted: `args=("$@" --flag)`, not `args=($@ --flag)`; `run "$@"`, not `run $@`.',
  },
  argsNotExeced: {
    message: "`{command}` runs the container's command as a child of the script, not with `exec`: the shell stays PID 1 and does not forward SIGTERM, so `docker stop` kills the application without a clean shutdown. {startedBy} on line {startLine} of {startFile} makes this script PID 1.",
    hint: 'Write `exec {command}`{makeLast}.',
  },
  endsNotExeced: {
    message: "This path of the script ends with `{command}`, not exec'd: the shell stays PID 1 and swallows SIGTERM. {startedBy} on line {startLine} of {startFile} makes this script PID 1.",
    hint: 'Write `exec {command}`.',
  },
  argsNotExecedUnderInit: {
    message: "`{command}` runs the container's command as a child of the script, not with `exec`: {init} is PID 1 and signals only its direct child, the script's shell, which dies on SIGTERM and leaves the application to be killed when `docker stop` times out. {startedBy} on line {startLine} of {startFile} starts this script under {init}.",
    hint: 'Write `exec {command}`{makeLast}, or run {init} with `-g` so that it signals the whole process group.',
  },
  endsIgnoringCmd: {
    message: "This path of the script ends with `{command}`, not exec'd, and the CMD it is given is never run: the shell stays PID 1 and swallows SIGTERM. {startedBy} on line {startLine} of {startFile} makes this script PID 1.",
    hint: 'End the script with `exec "$@"`.',
  },
  endsInLoopIgnoringCmd: {
    message: 'This path of the script ends in the endless loop `{command}`, and the CMD it is given is never run: the shell stays PID 1 in the loop and swallows SIGTERM. {startedBy} on line {startLine} of {startFile} makes this script PID 1.',
    hint: 'End the script with `exec "$@"` instead of the loop, and run what the loop keeps alive as the CMD.',
  },
  endsWithoutCommand: {
    message: 'This path of the script ends without running any command, and the CMD it is given is never run: the shell stays PID 1 and swallows SIGTERM. {startedBy} on line {startLine} of {startFile} makes this script PID 1.',
    hint: 'End the script with `exec "$@"`.',
  },
  flattenedArgs: {
    message: "`{command}` passes on the arguments as `${name}`, one string made by joining them ({where}: `{assign}`), and expands it unquoted: the shell splits it again on blanks and expands globs, not where the arguments were, so an argument that contains a space or a `*` arrives as several. {startedBy} on line {startLine} of {startFile} makes this script PID 1.",
    hint: 'Keep the arguments apart instead of joining them: {fix}.',
  },
  dropsCmdWords: {
    message: "`{command}` is the path the script takes for `{first}`, the first word of CMD, and it drops the rest of CMD (`{dropped}`): the script never reads those words, so what CMD sets there (and what `docker run IMAGE {first} ...` adds) never reaches the program. {startedBy} on line {startLine} of {startFile} makes this script PID 1.",
    hint: 'Pass the rest on: `shift` once `{first}` is read, then end the command with `"$@"`{fixed}.',
  },
  ignoresArgs: {
    message: "`{command}` ignores the script's arguments: the CMD, and anything after `docker run IMAGE`, never runs. {startedBy} on line {startLine} of {startFile} makes this script PID 1.",
    hint: 'Hand over with `exec "$@"` and move this command into CMD.',
  },
  ignoresCmdWords: {
    message: "{what}, and the script never reads its arguments (no `$@`, `$*`, `$1`, `$#`, `shift` or `getopts` in it): the words CMD gives it after its path (`{words}`) are dropped and reach no program. {startedBy} on line {startLine} of {startFile} starts this script.",
    hint: '{fix}, or take them out of CMD.',
  },
  ignoresUserCommand: {
    message: "`{command}` ignores the script's arguments, and the script never reads them: {noCmd}, so they are only what the user types after `docker run IMAGE`, and that is silently dropped: `docker run IMAGE sh` starts {program} instead of a shell, and options given there never reach it. {startedBy} on line {startLine} of {startFile} starts this script.",
    hint: '{fix}.',
  },
  staysIgnoringUserCommand: {
    message: "This path of the script ends in `{command}` ({how}), and the script never reads its arguments: {noCmd}, so they are only what the user types after `docker run IMAGE`, and that is silently dropped: `docker run IMAGE sh` {instead} instead of a shell, and options given there reach nothing. {startedBy} on line {startLine} of {startFile} starts this script.",
    hint: 'Run the command when one is given: put `if [ "$#" -gt 0 ]; then exec "$@"; fi` {where}, so that `docker run IMAGE sh` runs a shell and `docker run IMAGE` still does what it does now.',
  },
} as const;

interface Options {
  userCommand: boolean;
}

type Ctx = RuleContext<typeof messages, Options>;
type ShellHop = Step & { kind: 'shell' };
/** A message without the place: the data of ` {startedBy} on line {startLine} of {startFile} makes this script PID 1.` (who makes the script PID 1) is added by `report`. */
type Msg = DistributiveOmit<MessageRef<typeof messages>, 'data'> & { data: Record<string, string> };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export default defineRule({
  id: 'missing-exec-args',
  severity: 'error',
  category: 'pid1',
  recommended: true,
  fixable: true,
  title: 'The entrypoint script does not hand over to its arguments with exec "$@"',
  peers: { shellcheck: [{ code: 'SC2068', note: 'unquoted $@ only', suppresses: false }] },
  options: {
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        userCommand: {
          type: 'boolean',
          description:
            'Also report an image with no CMD whose entrypoint script never reads its arguments, so that `docker run IMAGE sh` cannot give a shell (`ignoresUserCommand`, `staysIgnoringUserCommand`). Off by default: for a single-purpose image that is often the design, and `docker run --entrypoint sh IMAGE` gives the shell.',
        },
      },
    },
    defaults: { userCommand: false } as Options,
  },
  messages,
  docs: {
    what:
      'An entrypoint script that is given arguments (CMD, or the command after `docker run IMAGE`) and does not hand over to them with `exec "$@"` (or `exec gosu user "$@"`): it ignores them, runs `"$@"` as a child without `exec`, or mangles them (`exec $@`, `exec "$*"`, or unquoted `$0 $@` in the string of an exec-form `sh -c` wrapper such as `ENTRYPOINT ["sh", "-c", "exec app $0 $@"]`, where the first argument is `$0`). Such a wrapper whose string reads its arguments (`"$@"`, `${@}`, `"$*"`, `$1`) but never `$0` loses the first of them, which the shell makes `$0` (`firstArgIsDollarZero`): CMD\'s first word on `docker run IMAGE` (`ENTRYPOINT ["sh", "-c", "exec app \\"$@\\""]` with `CMD ["serve", "--port", "80"]` runs `app --port 80`), the user\'s first word on `docker run IMAGE a b`; judged where the string is the last word of an exec-form ENTRYPOINT (a word after it there is the author\'s placeholder for `$0`), and silent for a shell-form CMD (it hands the string `/bin/sh -c \'...\'`, another mistake), for a CMD whose first word is a placeholder itself (`sh`, `--`, `_`, the program\'s name), and for a string that may read `$0` (`${@:0}`, `eval`). A script that only the default run starts (`CMD ["/start.sh", "--port", "80"]`, alone or after an init such as `ENTRYPOINT ["tini", "--"]`: `docker run IMAGE ...` replaces it) and that never reads its arguments (as below: no `$@`, `$*`, `$1`, `$#`, `shift` or `getopts`) drops the words CMD gives it after its path (`ignoresCmdWords`), where its first path that starts a program ends; a script that reads them (a subcommand of its own, `case "$1" in web)`) is left alone. dockerlint runs the script for `docker run IMAGE <command>` and checks what it does with that command; branches the script takes only for its own subcommands (`help`, `version`) are its interface, not a lost command. So is a command line that names a variable the script sets to its arguments on some path (`if [ "${1:0:1}" = \'-\' ]; then CMDARG="$@"; fi; exec mysqld $CMDARG`: options reach the program, a command is not taken). On `docker run IMAGE` it also checks what a branch taken for CMD\'s first word does with the rest of CMD: a branch that execs a command line of its own (`server) exec app serve ;;` for `CMD ["server", "--port", "80"]`) and never reads the words after that first one (in no test, assignment, loop or command) drops them; one that passes them on (`shift; exec app serve "$@"`), reads them (`while [ $# -gt 0 ]; do case "$1" in ...`), or re-runs the whole command line (`exec gosu postgres "$@"`) is silent, and so is a command line with a word dockerlint cannot know (it may hold them). Arguments joined into a string (`ARGS="$@"`, `OPTS="$*"`, `EXTRA="${@:2}"`) and expanded unquoted in the exec (`exec app $ARGS`) are split again on blanks, as ShellCheck\'s SC2124 and SC2086 warn; dockerlint judges it with what the image passes: reported when what was joined could hold a blank or a glob character (the user\'s command, a value it cannot know, a CMD word with one), silent when it was only known CMD words without (split again, they are the same words). An unquoted `$@` copied into an array (`run=($@ --flag)`) and run later is reported at the line that runs it, as re-split before it. Where the script sets IFS to a known value with no space (`IFS=$\'\\n\\t\'`), an unquoted `$@` splits only at the characters IFS holds: it is reported only when a known word (from CMD) holds one of them or a glob character, and an unknown argument is taken to hold neither. With the `userCommand` option (off by default: for a single-purpose image that is often the design, and `docker run --entrypoint sh IMAGE` gives a shell), an image with no CMD (or an empty `CMD []`) is checked too: its arguments are only what the user types after `docker run IMAGE`, and a script that never reads its arguments (no `$@`, `$*`, `$1`, `$#`, `shift` or `getopts` anywhere in its syntax tree or at the top of the files it sources, comments aside; a function given them whole, `main "$@"`, reads them only if its body does; and no file sourced from a path not known, `eval` or command of unknown name that could; a Python virtual environment\'s `bin/activate`, which the build makes, is the exception: it sets variables and defines functions, and does not run or read the arguments) drops that command on every path that starts a program: one that execs its own program (`ignoresUserCommand`), or stays with it, running it as a child, waiting for the background jobs it started (a supervisor with its own SIGTERM trap too: the command is lost whatever happens to signals) or going round an endless loop (`staysIgnoringUserCommand`); one finding per script. A path that only prints a message and ends (a one-shot job) starts nothing and is not reported. The fix runs the command when one is given, at the top level of the script: `if [ "$#" -gt 0 ]; then exec "$@"; fi`. A script that reads its arguments has a command interface of its own and is left alone. A path that sources files only known at run time (`for f in /docker-entrypoint.d/*; do . "$f"; done` over a folder the build does not fill, on an image that is not a plain OS, or from a volume) may hand over in one of them (`exec "$@"`): how it ends after them is not judged (its last `echo`, a keep-alive loop, `"$@"` run as a child there), and an `input-error` on the ENTRYPOINT line says the entrypoint checks were skipped; `"$@"` run as a child before the first such file is still reported. A start script of the base image that dockerlint models and the build does not replace, sourced (`source /usr/local/bin/docker-php-entrypoint` on `php:*-apache`), ends with `exec "$@"` in the script\'s own shell: that is the hand-over, and what comes after it never runs. (A script given no arguments that runs its server without exec is `entrypoint-no-exec`\'s.) The script may be one a RUN writes: `printf \'#!/bin/sh\\nexec "$@"\\n\' > /start.sh` (`%s` filled in, the escapes `\\n`, `\\t`, `\\\\`), `echo` (whose backslashes dash reads and bash and busybox read only with `-e`: where the image\'s /bin/sh is not known they leave the text unknown), `echo ... >> f` appends, `{ echo ...; echo ...; } > f`, and `cat > f <<\'EOF\'` in a RUN (a quoted delimiter; an unquoted one only with no `$`, backquote or backslash in the body). It is read only when its whole text is literal and written on every path through the RUN; a later RUN that may change it (`sed -i`, `rm`, an archive unpacked over it, a write to a path that is not known) makes it unknown again, and a COPY after it replaces it. A heredoc\'s lines are reported at their Dockerfile lines; what echo or printf wrote is reported at that command, the chain naming the line of the file (`Dockerfile:5 RUN writes /start.sh -> Dockerfile:5 /start.sh:2 ...`), and gets no fix.',
    why:
      'The arguments of an ENTRYPOINT script are CMD, or what the user typed after `docker run IMAGE`: a script that ignores them makes `docker run image bash` start the server instead of a shell. Without `exec`, the script\'s shell stays PID 1 and swallows SIGTERM, so the application never shuts down cleanly. `$@` unquoted and `"$*"` re-split or join the arguments, breaking any argument that contains a space.',
    example: { bad: 'bad-eval-known-string' },
    bad: '#!/bin/sh\nset -e\nchown -R app /data\n"$@"',
    good: '#!/bin/sh\nset -e\nchown -R app /data\nexec "$@"',
    howToFix: 'End the script with `exec "$@"` (quoted), or `exec gosu <user> "$@"` to drop root at the same time.',
    autofix: [
      { safety: 'safe', what: '`exec $@`, `exec $*` and `exec "$*"` become `exec "$@"` (only where the whole word is the expansion)', why: 'The arguments reach the program as they were given, one word each' },
      { safety: 'safe', what: 'A word for `$0` (the shell\'s name) put into the exec-form array right after the `sh -c` string, the rest of the array as written', why: 'Every argument then reaches `$@`, CMD\'s first word and the user\'s included' },
      { safety: 'unsafe', what: '`exec` in front of the command that ends the path (`"$@"`, `/app/server "$@"`), when nothing runs after it in the script, or when it re-runs the script itself; never in front of a shell function, a builtin or a variable that holds `exec ...`', why: 'The shell no longer waits for the command: an EXIT trap or a cleanup after it does not run' },
    ],
  },
  check(ctx) {
    const launch = ctx.launch;
    if (!launch) return;
    checkFirstArgLost(ctx, [launch.runs.default, launch.runs['user-command']]);
    const done = new Set<string>();
    // Some path of `docker run IMAGE <command>` runs the command: other paths (errors, the
    // image's own subcommands) that do not are not a lost command.
    const forwards = handsOver(launch.runs['user-command']);
    // The user-command run is the one `exec "$@"` exists for; the default run adds CMD's words.
    for (const run of [launch.runs['user-command'], launch.runs.default]) {
      if (run.truncated) continue;
      for (const chain of run.chains) {
        for (const hop of chain.hops) {
          if ((hop.kind !== 'script' && hop.kind !== 'shell') || !hop.ending || !hop.run || hop.run.budget) continue;
          // An error path (`exit 1` after a failed step, kept for explain when it came after a
          // wait) is not a hand-over that went wrong.
          if (hop.ending.failed) continue;
          if (!receivesArgs(hop, run)) continue;
          // The user's command dropped is a fact about the command, whatever the script does with signals.
          // Reported only with the `userCommand` option; either way the script is judged no further on this run.
          if (run.kind === 'user-command' && hop.unit.kind === 'file' && checkDroppedUserCommand(ctx, hop, hop.ending, run, done, forwards, chain.hops)) continue;
          // A script that only the default run starts (`CMD ["/start.sh", "--port", "80"]`) and that never reads CMD's words.
          if (run.kind === 'default' && hop.kind === 'script' && hop.unit.kind === 'file' && !startedOn(launch.runs['user-command'], hop) && checkIgnoredCmdWords(ctx, hop, hop.ending, run, done)) continue;
          if (isSupervisor(hop)) continue;
          // An exec-form `sh -c '...' name` wrapper: only how it passes its arguments on is judged
          // (`${*}`, `$@` unquoted); what its string runs is shell-form-pid1's and cmd-ignored's.
          if (hop.unit.kind !== 'file') {
            if (hop.kind === 'shell') checkMangled(ctx, hop, hop.ending, run, done);
            // `ENTRYPOINT ["sh", "-c", "exec app $0 $@"]`: the first argument is $0, unquoted too.
            if (hop.kind === 'shell' && hop.unit.kind === 'inline' && !hop.shellForm) checkWrapper(ctx, hop, hop.ending, run, done);
            continue;
          }
          checkFlattened(ctx, hop, hop.ending, run, done);
          checkEnding(ctx, hop, hop.ending, run, done, forwards);
          if (run.kind === 'default') checkDroppedCmdWords(ctx, hop, hop.ending, run, done);
        }
      }
    }
  },
});

/** The script was started with the script's arguments (CMD words, or the user's command). */
function receivesArgs(hop: ScriptHop, run: Run): boolean {
  return hop.argv.slice(1).some((f) => (isScriptArg(f, run) || isUserCommand(f)) && !f.mangled);
}

/** `trap ... TERM` and `wait`: a deliberate supervisor that forwards signals itself. */
function isSupervisor(hop: ScriptHop): boolean {
  const cmds = hop.run?.commands ?? [];
  const trap = cmds.some((c) => c.argvs.some((a) => a[0]?.s === 'trap' && a.slice(2).some((f) => /^(SIG)?(TERM|INT|15|2)$/.test(f.s ?? '')) && a[1]?.s !== '-' && a[1]?.s !== ''));
  return trap && cmds.some((c) => c.argvs.some((a) => a[0]?.s === 'wait'));
}

/** A chain of the run ends in the user's command (intact or not) or runs it as a child. */
function handsOver(run: Run): boolean {
  return run.chains.some((c) => c.hops.some((h) => (h.kind === 'program' && h.userCommand) || ((h.kind === 'script' || h.kind === 'shell') && !!h.run?.commands.some((x) => !x.exec && x.argvs.some((a) => runsArgs(a, run))))));
}

/** `exec app ${*}` in an inline `sh -c` string: the arguments given after the string, mangled. */
function checkMangled(ctx: Ctx, hop: ScriptHop, e: Ending, run: Run, done: Set<string>): void {
  if (e.kind !== 'exec' || !e.cmd || commandOf(e.argv).forking || e.argv.some((f) => f.s === null || f.multi)) return;
  if (argsUse(e.argv, run) !== 'mangled') return;
  checkEnding(ctx, hop, e, run, done, true);
}

/** Reports `msg` at `ref` (at the script's end when null), once per place, with who started the script. */
function reportOnce(ctx: Ctx, hop: ScriptHop, done: Set<string>, ref: CmdRef | LoopRef | null, msg: Msg, fix: Fix | null = null): void {
  const unit = hop.unit;
  const key = ref ? `${ref.file.path}:${ref.stmt.p[2]}` : `${unit.source.file.displayPath}:end`;
  if (done.has(key)) return;
  done.add(key);
  const dockerfile = ctx.env.dockerfile.displayPath;
  const place = ref ? atRef(unit, ref, dockerfile, 'call' in ref ? undefined : statementText(ref)) : atNode(unit, lastLine(unit), dockerfile);
  const started = { startedBy: unit.startedAt.label, startLine: String(unit.startedAt.span.line), startFile: unit.startedAt.file };
  ctx.report({ ...place, ...msg, data: { ...started, ...msg.data }, ...fixOf(fix) } as Parameters<Ctx['report']>[0]);
}

function checkEnding(ctx: Ctx, hop: ScriptHop, e: Ending, run: Run, done: Set<string>, forwards: boolean): void {
  const unit = hop.unit;
  const report = (ref: CmdRef | LoopRef | null, msg: Msg, fix: Fix | null = null): void => reportOnce(ctx, hop, done, ref, msg, fix);
  if (e.kind === 'exec' && e.cmd) {
    if (commandOf(e.argv).forking) return; // su-sudo's finding, with the gosu equivalent
    const use = argsUse(e.argv, run);
    // A command line with unknown words may hold the arguments: unknown, never a finding; but
    // arguments that an unquoted $@ re-split are mangled whatever the other words hold
    // (`exec /opt/server/bin/run.sh $JAVA_OPTS $@`), once the program is known.
    const program = e.argv[0];
    if (e.argv.some((f) => f.s === null || f.multi) && !(use === 'mangled' && program && program.s !== null && !program.multi && !program.mangled)) return;
    if (use === 'mangled') {
      const star = e.argv.some((f) => f.mangled === 'star');
      // The exec's own words may be quoted: the arguments were re-split where they were copied.
      if (!star && !e.cmd.call.args.some(unquotedListExp)) report(e.cmd, { messageId: 'unquotedArgsEarlier', data: { command: refText(e.cmd) } });
      else report(e.cmd, { messageId: star ? 'starArgs' : 'unquotedArgs', data: { command: refText(e.cmd) } }, unit.kind === 'file' ? argsFix(unit, e.cmd) : null); // inside a JSON string, quotes need escaping
      return;
    }
    if (use === 'none' && run.kind === 'user-command' && unit.receivesArgs && !forwards && !reexecs(e, hop) && !passesArgsElsewhere(hop, e.cmd)) {
      report(e.cmd, { messageId: 'ignoresArgs', data: { command: refText(e.cmd) } });
    }
    return;
  }
  // The script stays: did it run its arguments as a child, or drop them? On a path that sourced
  // files known only at run time (`e.opaque`), only a command it ran before them is known to run.
  const child = (hop.run?.commands ?? []).find((c) => !c.exec && !c.child && !c.background && !(e.opaque && c.opaque) && c.argvs.some((a) => runsArgs(a, run)));
  if (child) {
    const a = child.argvs.find((x) => runsArgs(x, run)) ?? [];
    const t = commandOf(a);
    if (t.switcher || t.forking) return; // gosu-without-exec / su-sudo say how to hand over
    const last = e.last.some((l) => l.stmt === child.ref.stmt);
    const makeLast = last ? '' : ' and make it the last command';
    const init = run.chains.flatMap((c) => c.hops).find((h) => h.kind === 'init');
    if (!hop.pid1 && init && init.kind === 'init' && !init.group) {
      report(child.ref, { messageId: 'argsNotExecedUnderInit', data: { command: refText(child.ref), makeLast, init: init.name } }, execFix(unit, child.ref));
    } else if (hop.pid1) {
      report(child.ref, { messageId: 'argsNotExeced', data: { command: refText(child.ref), makeLast } }, execFix(unit, child.ref));
    }
    return;
  }
  // One of those files may have handed over (`exec "$@"` in `/docker-entrypoint.d/50-start.sh`):
  // how the path ends after them is not known, so neither is what it did with the arguments.
  if (e.opaque) return;
  const last = e.last[0] ?? null;
  // A user switch as the last command is gosu-without-exec's or su-sudo's finding.
  const lastArgv = last ? hop.run?.commands.find((c) => c.ref.stmt === last.stmt && !c.exec)?.argvs[0] : undefined;
  if (lastArgv && (commandOf(lastArgv).switcher || commandOf(lastArgv).forking)) return;
  // `/app/server "$@"` at the end: the arguments are passed on, to a child that is not exec'd.
  if (last && lastArgv && e.last.length === 1 && argsUse(lastArgv, run) === 'intact' && hop.pid1) {
    report(last, { messageId: 'endsNotExeced', data: { command: refText(last) } }, execFix(unit, last));
    return;
  }
  if (run.kind !== 'user-command' || !unit.receivesArgs || forwards) return;
  if (e.kind === 'loop' && e.loop) {
    // A keep-alive (`while true; do sleep 1000; done`): the script never gets to its arguments.
    report(e.loop, { messageId: 'endsInLoopIgnoringCmd', data: { command: statementText(e.loop) } });
    return;
  }
  const at = e.kind === 'exit' ? e.cmd : last;
  report(at, last ? { messageId: 'endsIgnoringCmd', data: { command: refText(last) } } : { messageId: 'endsWithoutCommand', data: {} });
}

/** The run starts the script of this hop (the same file), on some chain. */
function startedOn(run: Run, hop: ScriptHop): boolean {
  const path = hop.unit.source.file.displayPath;
  return run.truncated !== null || run.chains.some((c) => c.hops.some((h) => h.kind === 'script' && h.unit.source.file.displayPath === path));
}

/**
 * `CMD ["/start.sh", "--port", "80"]` for a script that never reads its arguments
 * (`neverReadsArgs`): CMD's words after the script are dropped on every path that starts a
 * program. Only for a script the user-command run does not start (there, `docker run IMAGE ...`
 * replaces CMD, script and all): an ENTRYPOINT script is judged on that run. One finding per
 * script, where its first such path ends; true when it reported.
 */
function checkIgnoredCmdWords(ctx: Ctx, hop: ScriptHop, e: Ending, run: Run, done: Set<string>): boolean {
  // The words after the script's path (`sh /start.sh a b` gives it `a b`).
  const path = hop.kind === 'script' && hop.direct ? 0 : hop.argv.findIndex((f) => f.arg !== undefined && !f.mangled && run.args[f.arg] === hop.arg);
  if (path < 0) return false;
  const words = hop.argv.slice(path + 1).filter((f) => f.arg !== undefined && !f.mangled && run.args[f.arg]?.origin === 'cmd');
  if (words.length === 0 || reexecs(e, hop) || !neverReadsArgs(hop)) return false;
  const once = `${hop.unit.source.file.displayPath}:cmd-words`;
  if (done.has(once)) return true;
  const report = (ref: CmdRef | LoopRef, what: string, fix: string): true => {
    done.add(once);
    reportOnce(ctx, hop, done, ref, { messageId: 'ignoresCmdWords', data: { what, words: showArgv(words), fix } });
    return true;
  };
  const passOn = (ref: CmdRef): string => {
    const call = ref.file.text.slice(ref.call.p[2], ref.call.e[2]);
    const top = ref.via.length === 0 && ref.sourcedVia.length === 0;
    return top && !/[\n;&|<>#]/.test(call.replace(/'[^']*'|"[^"]*"/g, '')) && call.length <= 100 ? `Pass them on: \`${call} "$@"\`` : 'Pass them on to the program with `"$@"`';
  };
  if (e.kind === 'exec' && e.cmd) {
    const program = commandOf(e.argv).name?.s;
    if (program && SUPERVISORS.has(basename(program))) return false;
    return report(e.cmd, `\`${refText(e.cmd)}\` starts the program`, passOn(e.cmd));
  }
  if (e.kind === 'loop' && e.loop) return report(e.loop, `This path of the script ends in the endless loop \`${statementText(e.loop)}\``, 'Pass them on to the program the loop keeps alive with `"$@"`');
  if (e.waited) return report(e.waited.at, `This path of the script waits for the background jobs it started (\`${refText(e.waited.at)}\`)`, 'Pass them on to the program it starts with `"$@"`');
  const last = e.last[0];
  const argv = last ? hop.run?.commands.find((c) => c.ref.stmt === last.stmt && !c.exec)?.argvs[0] : undefined;
  const name = argv ? commandOf(argv).name?.s : undefined;
  if (!last || !argv || !name || commandOf(argv).forking || STAYS_NOT.has(basename(name))) return false;
  return report(last, `This path of the script ends in \`${refText(last)}\`, run as its child`, passOn(last));
}

/**
 * No CMD: the arguments are the user's command alone. A script that never reads its arguments
 * (`neverReadsArgs`) cannot run that command, whatever its unknown words hold: each path that
 * starts a program drops it, one finding per script, where the first such path ends: an exec of
 * its own program (`ignoresUserCommand`), or the script staying with a foreground program, the
 * background jobs it waits for, or an endless loop (`staysIgnoringUserCommand`). True when the
 * script drops the command (nothing else is then said about how it handles its arguments).
 */
function checkDroppedUserCommand(ctx: Ctx, hop: ScriptHop, e: Ending, run: Run, done: Set<string>, forwards: boolean, hops: readonly Step[], rerun: CmdRef | null = null): boolean {
  const unit = hop.unit;
  const cmd = ctx.launch?.pid1.cmd ?? null;
  // `CMD []` passes no word either (it resets a CMD the base image has).
  const emptyCmd = cmd?.form.kind === 'exec' && cmd.form.argv.length === 0;
  if (unit.receivesArgs || (cmd && !emptyCmd) || forwards || !neverReadsArgs(hop)) return false;
  // After files sourced from a folder known only at run time, one of them may have run the
  // command: how the path ends says nothing about it.
  if (e.kind !== 'exec' && e.opaque) return false;
  const once = `${unit.source.file.displayPath}:user-command`;
  const noCmd = emptyCmd ? 'the CMD of the image is empty (`CMD []`)' : 'the image has no CMD';
  const report = (ref: CmdRef | LoopRef, msg: Msg): true => {
    if (!done.has(once) && ctx.options.userCommand) reportOnce(ctx, hop, done, ref, { ...msg, data: { noCmd, ...msg.data } } as Msg);
    done.add(once);
    return true;
  };
  if (e.kind === 'exec' && e.cmd && reexecs(e, hop) && !rerun) {
    // `exec gosu app "$0"` inside a function called without `"$@"`: the script runs again as
    // that user with none of its arguments, and what that run execs is where the command is lost.
    if (commandOf(e.argv).forking || argsUse(e.argv, run) !== 'none') return false;
    const again = hops.slice(hops.indexOf(hop) + 1).find((h): h is ScriptHop => h.kind === 'script' && h.unit.source.file.displayPath === unit.source.file.displayPath && !!h.ending && !!h.run);
    return again?.ending ? checkDroppedUserCommand(ctx, again, again.ending, run, done, forwards, hops, e.cmd) : false;
  }
  if (rerun && (e.kind !== 'exec' || !e.cmd)) return false;
  if (e.kind === 'exec' && e.cmd) {
    if (commandOf(e.argv).forking || reexecs(e, hop) || argsUse(e.argv, run) !== 'none') return false;
    const program = commandOf(e.argv).name?.s;
    const whole = e.cmd.file.text.slice(e.cmd.stmt.p[2], e.cmd.stmt.e[2]).trimEnd();
    // `exec java -jar app.jar "$@"`: options reach the program, a user's command does not.
    // Inside a function or a sourced file with arguments of its own, `"$@"` there is not the script's.
    const top = e.cmd.via.length === 0 && e.cmd.sourcedVia.length === 0;
    // A supervisor runs the services of its folder, never a command it is given.
    const supervisor = program !== null && program !== undefined && SUPERVISORS.has(basename(program));
    const pass = top && !supervisor && !/[\n;&|<>#]/.test(whole.replace(/'[^']*'|"[^"]*"/g, '')) ? `Pass the arguments on: \`${whole} "$@"\` (options after \`docker run IMAGE\` then reach the program), or ` : '';
    const line = (r: CmdRef): number => r.file.spanOf(r.stmt.p, r.stmt.e).line;
    const fix = rerun
      ? `The script runs itself again without its arguments on line ${line(rerun)} (\`${refText(rerun)}\`), so they are gone before this line: run the command when one is given, with \`if [ "$#" -gt 0 ]; then exec "$@"; fi\` ${placeBefore(rerun, 'the script runs itself again')}, so that \`docker run IMAGE sh\` runs a shell`
      : top
      ? `${pass}${pass ? 'm' : 'M'}ove this command into CMD and end the script with \`exec "$@"\`, so that \`docker run IMAGE sh\` runs a shell`
      : `Run the command when one is given: put \`if [ "$#" -gt 0 ]; then exec "$@"; fi\` ${placeBefore(e.cmd, program ? `\`${basename(program)}\` starts` : 'the program starts')}, so that \`docker run IMAGE sh\` runs a shell`;
    return report(e.cmd, { messageId: 'ignoresUserCommand', data: { command: refText(e.cmd), program: program ? `\`${basename(program)}\`` : 'the program', fix } });
  }
  if (e.kind === 'loop' && e.loop) {
    return report(e.loop, { messageId: 'staysIgnoringUserCommand', data: { command: statementText(e.loop), how: 'an endless loop', instead: 'goes round this loop', where: placeBefore(e.loop, 'the loop starts') } });
  }
  if (e.waited) {
    // In the order the script started them; the check goes before the first starts.
    const started = [...e.waited.jobs].sort((a, b) => (a.file.path === b.file.path ? a.stmt.p[2] - b.stmt.p[2] : 0));
    const first = started[0];
    const programs = [...new Set(started.flatMap((j) => j.cmds.slice(0, 1).map((c) => commandOf(c.argv).name?.s)).filter((p): p is string => !!p).map((p) => `\`${basename(p)}\``))];
    const jobs = started.map((j) => `\`${refText(j, 40)}\``).join(', ');
    const starts = programs.length > 0 ? `starts ${programs.join(' and ')}` : 'starts its background jobs';
    const where = first && first.file.path === e.waited.at.file.path && e.waited.at.via.length === 0 && e.waited.at.sourcedVia.length === 0 && !inFunction(hop, first.stmt)
      ? placeBefore({ stmt: first.stmt, file: first.file, via: [], sourcedVia: [] }, 'the first background job starts')
      : placeBefore(e.waited.at, 'the script waits');
    const how = e.waited.poll ? `the script goes round this loop for as long as the background jobs it started run: ${jobs}` : `the script waits there for the background jobs it started: ${jobs}`;
    return report(e.waited.at, { messageId: 'staysIgnoringUserCommand', data: { command: e.waited.poll ? statementText(e.waited.at) : refText(e.waited.at), how, instead: starts, where } });
  }
  // The script stays with its last foreground command, run as its child: a program, not a
  // message or a builtin (a path that only prints and ends is not one that starts anything).
  const last = e.last[0];
  const argv = last ? hop.run?.commands.find((c) => c.ref.stmt === last.stmt && !c.exec)?.argvs[0] : undefined;
  if (!last || !argv) return false;
  const t = commandOf(argv);
  const name = t.name?.s;
  if (!name || t.forking || STAYS_NOT.has(basename(name))) return false;
  return report(last, { messageId: 'staysIgnoringUserCommand', data: { command: refText(last), how: 'run as a child of the script, which then ends', instead: `starts \`${basename(name)}\``, where: placeBefore(last, `\`${basename(name)}\` starts`) } });
}

/** The statement is in the body of a function of the script. */
function inFunction(hop: ScriptHop, stmt: { p: readonly number[] }): boolean {
  let inside = false;
  forEachNode(hop.unit.ast?.stmts ?? [], (n) => {
    const f = n as { type?: string; p?: number[]; e?: number[] };
    if (f.type === 'FuncDecl' && f.p && f.e && (f.p[2] ?? 0) <= (stmt.p[2] ?? 0) && (stmt.p[2] ?? 0) < (f.e[2] ?? 0)) inside = true;
    return !inside;
  });
  return inside;
}

/** Builtins and printing commands: a path that ends with one of them started no program. */
const STAYS_NOT = new Set(['echo', 'printf', 'true', 'false', ':', 'exit', 'return', 'set', 'export', 'unset', 'cd', 'test', '[', 'cat', 'sleep', 'wait', 'trap', 'read', 'local', 'shift', 'eval', '.', 'source', 'logger', 'tee', 'kill']);

/**
 * Where the `exec "$@"` check goes for a command: on the line before it when it is at the top of
 * the script; else before the top-level line that leads to it (a function's `$#` is its own).
 */
function placeBefore(ref: Pick<CmdRef, 'stmt' | 'file' | 'via' | 'sourcedVia'>, what: string): string {
  const line = (r: { stmt: { p: readonly number[]; e: readonly number[] }; file: { spanOf: CmdRef['file']['spanOf'] } }): number => r.file.spanOf(r.stmt.p as never, r.stmt.e as never).line;
  const outer = ref.sourcedVia[0];
  if (outer) return `at the top level of the script, before line ${line(outer)}, which sources the file that ${what}`;
  if (ref.via.length > 0) return `at the top level of the script, before it calls \`${ref.via[0]}\` (inside a function, \`$#\` and \`"$@"\` are the function's own)`;
  return `on the line before line ${line(ref)}, where ${what}`;
}

/**
 * `EXTRA_ARGS="$@"` ... `exec squid -N $EXTRA_ARGS`: the arguments joined into a string and split
 * again, as ShellCheck's SC2124 and SC2086 say, judged with what the image passes: reported when
 * what was joined could hold a blank or a glob (the user's command, a value not known, a CMD word
 * with one), not when it was only known CMD words without. The program may be unknown
 * (`exec $(which squid) ...`): the arguments are re-split whatever it is.
 */
function checkFlattened(ctx: Ctx, hop: ScriptHop, e: Ending, run: Run, done: Set<string>): void {
  const flat = e.flattened;
  if (e.kind !== 'exec' || !e.cmd || !flat || !flat.risky || commandOf(e.argv).forking) return;
  const where = flat.file === e.cmd.file.path ? `line ${flat.line}` : `${flat.file}:${flat.line}`;
  const bash = hop.unit.interpreter === 'bash' || hop.unit.interpreter === 'zsh';
  const fix = bash
    ? `${arrayAssignments(hop, flat)}, and \`"\${${flat.name}[@]}"\` where they are passed on (or \`"$@"\` itself)`
    : `pass \`"$@"\` itself where they are used (sh has no arrays; \`set -- ...\` can put words in front of them first)`;
  reportOnce(ctx, hop, done, e.cmd, { messageId: 'flattenedArgs', data: { command: refText(e.cmd), name: flat.name, where, assign: flat.text, fix } });
  void run;
}

/**
 * Every assignment to the variable in the script, each as the array it becomes (`EXTRA_ARGS=("$@")`
 * (line 28) and `EXTRA_ARGS=("${@:2}")` (line 31)): an array made on one branch only and a string
 * left on another would make `"${X[@]}"` one word there. An assignment whose value is not the
 * arguments is named for the reader to make an array of too.
 */
function arrayAssignments(hop: ScriptHop, flat: NonNullable<Ending['flattened']>): string {
  const unit = hop.unit;
  const single = `\`${flat.name}=(${asArrayItems(flat.text)})\``;
  if (!unit.ast || flat.file !== unit.source.file.displayPath) return single;
  const found: Assign[] = [];
  const todo: Stmt[] = [...unit.ast.stmts];
  while (todo.length > 0) {
    const st = todo.shift() as Stmt;
    const c = st.cmd;
    if (c?.type === 'CallExpr' && c.args.length === 0) found.push(...c.assigns.filter((a) => a.name === flat.name && !a.naked));
    if (c?.type === 'DeclClause') found.push(...c.args.filter((a) => a.name === flat.name && !a.naked));
    todo.push(...childStmts(c));
  }
  if (found.length <= 1) return single;
  found.sort((a, b) => a.p[2] - b.p[2]);
  const text = unit.source.text;
  const shown: string[] = [];
  const others: string[] = [];
  for (const a of found) {
    const line = unit.source.spanOf(a.p, a.e).line;
    const written = text.slice(a.p[2], a.e[2]);
    if (a.array) continue; // already an array
    if (joinsArgs(a)) shown.push(`\`${flat.name}=(${asArrayItems(written)})\` (line ${line})`);
    else if (!a.value || text.slice(a.value.p[2], a.value.e[2]).replace(/^(""|'')$/, '') === '') shown.push(`\`${flat.name}=()\` (line ${line})`);
    else others.push(`line ${line}`);
  }
  const list = shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : (shown[0] ?? single);
  return others.length > 0 ? `${list} (and the assignment${others.length > 1 ? 's' : ''} on ${others.join(', ')} as arrays too)` : list;
}

/** The assignment's value is only the script's arguments, whole or a slice: `"$@"`, `$*`, `"${@:2}"`. */
function joinsArgs(a: Assign): boolean {
  const parts = a.value?.parts ?? [];
  const only = parts.length === 1 ? parts[0] : null;
  const inner = only?.type === 'DblQuoted' && only.parts.length === 1 ? only.parts[0] : only;
  return inner?.type === 'ParamExp' && (inner.param === '@' || inner.param === '*');
}

/** The items of the array that keeps what `ARGS="${@:2}"` joined: `"${@:2}"` (`"$@"` when it joined more). */
function asArrayItems(assignment: string): string {
  const value = assignment.slice(assignment.indexOf('=') + 1).replace(/^"(.*)"$/, '$1');
  const m = /^\$(?:([@*])|\{([@*])(:\d+(?::\d+)?)?\})$/.exec(value);
  if (!m) return '"$@"';
  return m[1] ? '"$@"' : `"\${@${m[3] ?? ''}}"`;
}

/**
 * `server) exec app serve ;;` for `CMD ["server", "--port", "80"]`: the script reads the CMD's
 * first word (a subcommand of its own) and execs a command line it wrote, and never reads the
 * words after it at all (not in a test, an assignment, a loop or a command), so they are lost.
 * Only a command line that is known word by word is judged (an unknown word may hold them).
 */
function checkDroppedCmdWords(ctx: Ctx, hop: ScriptHop, e: Ending, run: Run, done: Set<string>): void {
  if (e.kind !== 'exec' || !e.cmd || !hop.run || commandOf(e.argv).forking || reexecs(e, hop)) return;
  if (e.argv.some((f) => f.s === null || f.multi)) return;
  const given = hop.argv.slice(1).filter((f) => f.arg !== undefined && !f.mangled && run.args[f.arg]?.origin === 'cmd');
  const first = given[0];
  if (!first || given.length < 2 || first.arg === undefined || !hop.run.argsRead.has(first.arg)) return;
  const dropped = given.slice(1).filter((f) => f.arg !== undefined && !hop.run?.argsRead.has(f.arg));
  if (dropped.length === 0) return;
  const call = e.cmd.file.text.slice(e.cmd.call.p[2], e.cmd.call.e[2]);
  const fixed = !call.includes('\n') && call.length <= 100 ? `: \`${call} "$@"\`` : '';
  reportOnce(ctx, hop, done, e.cmd, { messageId: 'dropsCmdWords', data: { command: refText(e.cmd), first: first.s ?? '', dropped: showArgv(dropped), fixed } });
}

/**
 * `ENTRYPOINT ["sh", "-c", "exec app \"$@\""]` with `CMD ["serve", "--name", "x"]`: the shell makes
 * the first word after the string `$0`, so a string that reads `$@` (or `$1`) and never `$0` loses
 * it: CMD's first word on `docker run IMAGE`, the user's first word on `docker run IMAGE a b`. One
 * finding per wrapper, at the string, with what each run loses. Judged only where the string is
 * the last word of an exec-form ENTRYPOINT (a word after it there is the author's placeholder) and
 * the word lost is one the image or the user gives: a CMD in shell form hands the string
 * `/bin/sh -c '...'`, which is not this mistake, and a CMD whose first word looks like a
 * placeholder (`sh`, `--`, the program's own name) is taken as one.
 */
function checkFirstArgLost(ctx: Ctx, runs: readonly Run[]): void {
  interface Lost {
    hop: ShellHop;
    setting: CommandSetting;
    form: Extract<CommandSetting['form'], { kind: 'exec' }>;
    index: number;
    params: string[];
    cmd: { word: Arg; runs: string | null } | null;
    user: boolean;
  }
  const found = new Map<CommandSetting, Lost>();
  const placeholder = new Set<CommandSetting>();
  for (const run of runs) {
    if (run.truncated) continue;
    for (const hop of run.chains.flatMap((c) => c.hops)) {
      if (hop.kind !== 'shell' || hop.unit.kind !== 'inline' || hop.shellForm || !hop.zero || !hop.unit.ast) continue;
      const str = hop.argv[hop.shellArgv.length];
      const written = str && str.arg !== undefined && !str.mangled ? run.args[str.arg] : undefined;
      const form = written?.setting.form;
      if (!str || str.arg === undefined || !written || written.origin !== 'entrypoint' || form?.kind !== 'exec' || form.argv[str.arg] !== str.s || str.arg !== form.argv.length - 1) continue;
      const zero = hop.zero;
      const given = zero.arg !== undefined && !zero.mangled ? run.args[zero.arg] : undefined;
      const cmd = given && given.origin === 'cmd' && given.value !== USER_COMMAND && given.value === zero.s ? given : undefined;
      // A CMD in shell form hands the string `/bin/sh -c '...'`: a mistake of another kind.
      if (cmd?.fromShell) placeholder.add(written.setting);
      if (!cmd && zero.s !== USER_COMMAND) continue;
      const params = argsReadWithoutZero(hop.unit.ast, hop.unit.source.text);
      if (!params) continue;
      const program = hop.ending?.kind === 'exec' ? commandOf(hop.ending.argv).name?.s : undefined;
      if (cmd && (['-', '--', '_', hop.unit.interpreter, basename(hop.argv[0]?.s ?? '')].includes(cmd.value) || (program && basename(program) === basename(cmd.value)))) {
        placeholder.add(written.setting);
        continue;
      }
      const lost = found.get(written.setting) ?? { hop, setting: written.setting, form, index: str.arg, params, cmd: null, user: false };
      found.set(written.setting, lost);
      if (cmd) {
        const e = hop.ending;
        const known = e?.kind === 'exec' && !e.argv.some((f) => f.s === null || f.multi || f.s.includes(USER_COMMAND));
        lost.cmd = { word: cmd, runs: known && e ? showArgv(e.argv) : null };
      } else lost.user = true;
    }
  }
  const dockerfile = ctx.env.dockerfile;
  for (const lost of found.values()) {
    if (placeholder.has(lost.setting) || (!lost.cmd && !lost.user)) continue;
    const { hop, form, index } = lost;
    const shell = hop.unit.interpreter;
    const user = '`docker run IMAGE a b` loses `a`';
    const parts: string[] = [];
    if (lost.cmd) {
      const ran = lost.cmd.runs !== null ? ` (\`${lost.cmd.runs}\` runs)` : '';
      parts.push(`on \`docker run IMAGE\`, \`${lost.cmd.word.value}\`, the first word of CMD, becomes \`$0\` and is lost${ran}`);
      if (lost.user) parts.push(`and ${user} the same way`);
    } else parts.push(`${user}, which becomes \`$0\`, and passes on only \`b\``);
    const want = [...form.argv.slice(0, index + 1), shell, ...form.argv.slice(index + 1)].map((w) => JSON.stringify(w));
    if (want.join(', ').length > 100) want[index] = '"..."';
    const tokens = execFormStrings(form.text.text);
    const token = tokens?.length === form.argv.length ? tokens[index] : undefined;
    const span = token ? form.text.spanOf(token.start, token.end) : lost.setting.instruction.keywordSpan;
    const cmdSetting = lost.cmd?.word.setting;
    const edit = insertExecFormWord(dockerfile, form, index, shell);
    ctx.report({
      at: { file: dockerfile.displayPath, span },
      label: `${lost.setting.instruction.keyword} ${oneLine(JSON.stringify(form.argv[index] ?? ''), 40)}`,
      chain: cmdSetting ? [{ file: dockerfile.displayPath, span: cmdSetting.instruction.keywordSpan, label: cmdSetting.instruction.keyword }] : [],
      messageId: 'firstArgIsDollarZero',
      data: {
        shell,
        params: lost.params.join(' '),
        lost: parts.join(', '),
        fixed: `${lost.setting.instruction.keyword} [${want.join(', ')}]`,
        startedBy: hop.unit.startedAt.label,
        startLine: String(hop.unit.startedAt.span.line),
        startFile: hop.unit.startedAt.file,
      },
      ...(edit ? { fix: { safety: 'safe' as const, title: `Put "${shell}" after the string, for $0`, edits: [edit] } } : {}),
    });
  }
}

/**
 * How a `sh -c` string reads its arguments: the `$@`, `$*`, `$1`... it expands, as written, outside
 * function bodies (whose are their own); null when it reads none, or reads `$0` or may (`${0}`,
 * `${@:0}`, `BASH_ARGV0`, `BASH_SOURCE`, an `eval`).
 */
function argsReadWithoutZero(ast: ShellFile, text: string): string[] | null {
  let zero = false;
  forEachNode(ast.stmts, (n) => {
    const node = n as { type?: string; param?: string; op?: string | null; word?: Word | null; args?: Word[] };
    if (node.type === 'ParamExp') {
      const slice = (node.param === '@' || node.param === '*') && node.op === ':' && node.word && /^\s*0/.test(literalWord(node.word) ?? '0');
      if (node.param === '0' || node.param === 'BASH_ARGV0' || node.param === 'BASH_SOURCE' || slice) zero = true;
    }
    const name = node.type === 'CallExpr' && node.args?.[0] ? literalWord(node.args[0]) : null;
    // `eval` may make `"$0"` of a string; a sourced file that reads `$0` (a virtual environment's
    // `activate`, for its own place) does not pass it on.
    if (name === 'eval') zero = true;
    return !zero;
  });
  if (zero) return null;
  const params: string[] = [];
  forEachNode(ast.stmts, (n) => {
    const node = n as { type?: string; param?: string; index?: string | null; p?: readonly number[]; e?: readonly number[] };
    if (node.type === 'FuncDecl') return false;
    if (node.type === 'ParamExp' && node.index === null && /^(@|\*|[1-9][0-9]*)$/.test(node.param ?? '') && node.p && node.e) {
      const written = text.slice(node.p[2], node.e[2]);
      if (!params.includes(written)) params.push(written);
    }
    return true;
  });
  return params.length > 0 ? params : null;
}

/** The string of an exec-form `sh -c` wrapper execs the arguments it is given re-split (unquoted `$0`, `$@`). */
function checkWrapper(ctx: Ctx, hop: ScriptHop, e: Ending, run: Run, done: Set<string>): void {
  if (e.kind !== 'exec' || !e.cmd || commandOf(e.argv).forking) return;
  const program = e.argv[0];
  if (!program || program.s === null || program.multi || program.mangled) return;
  // It is given arguments, and expands a positional parameter unquoted (`$0`, `$1`, `$@`, `$*`).
  const given = e.argv.some((f) => isScriptArg(f, run) || isUserCommand(f));
  const unquoted = e.cmd.call.args.filter((w) => w.parts.some((p) => p.type === 'ParamExp' && /^([0-9]|@|\*)$/.test(p.param)));
  if (!given || unquoted.length === 0) return;
  const params = unquoted.map((w) => e.cmd?.file.text.slice(w.p[2], w.e[2]) ?? '').join(' ');
  reportOnce(ctx, hop, done, e.cmd, { messageId: 'wrapperArgs', data: { params } });
}

/**
 * The script never reads its positional parameters: no `$@`, `$*`, `$1`..., `$#`, `shift` or
 * `getopts` anywhere in its syntax tree outside function bodies (substitutions, heredocs and tests
 * included), nor at the top level of a file it sources (which shares them). Inside a function
 * they are the function's own arguments: a call that passes the script's on whole (`main "$@"`)
 * reads them only if that function does, and so on down the calls. A file sourced from a path
 * not known (but a virtual environment's activate script), an `eval` or a command whose name is
 * not known could read them. Comments are not read.
 */
function neverReadsArgs(hop: ScriptHop): boolean {
  const ast = hop.unit.ast;
  if (!ast || !hop.run) return false;
  // A file it could not read may run or re-read them itself (`if [ "$#" -gt 0 ]; then exec "$@";
  // fi` in a library: a bare `exec "$@"` is a no-op without arguments), except a virtual
  // environment's activate script, which only sets variables and defines functions.
  if (hop.run.unknownSources.some((u) => !u.activate)) return false;
  const opaque = (a: readonly Field[]): boolean => {
    const name = a[0]?.s;
    if (name === null || name === undefined || name === 'eval' || name === 'getopts') return true;
    // `. "$f"` over files found at run time.
    return (name === '.' || name === 'source') && (a[1]?.s === null || a[1]?.s === undefined || !!a[1]?.multi);
  };
  if (hop.run.commands.some((c) => c.argvs.some(opaque))) return false;
  const trees = [ast, ...hop.run.sourcedFiles.values()];
  const functions = new Map<string, FuncDecl>();
  for (const t of trees) {
    forEachNode(t.stmts, (n) => {
      if ((n as { type?: string }).type === 'FuncDecl') functions.set((n as FuncDecl).name, n as FuncDecl);
      return true;
    });
  }
  const followed = new Set<string>();
  const reads = (root: unknown): boolean => {
    let read = false;
    forEachNode(root, (n) => {
      if (read) return false;
      const node = n as { type?: string; param?: string; args?: Word[] };
      if (node.type === 'FuncDecl') return false;
      if (node.type === 'ParamExp' && node.param !== undefined && POSITIONAL.test(node.param)) {
        read = true;
        return false;
      }
      if (node.type !== 'CallExpr' || !node.args?.[0]) return true;
      const name = literalWord(node.args[0]);
      if (name !== null && /^(getopts|shift)$/.test(name)) {
        read = true;
        return false;
      }
      const fn = name !== null ? functions.get(name) : undefined;
      if (!fn) return true;
      // `main "$@"`: the function's own arguments are the script's, read only if it reads them.
      const rest = node.args.slice(1);
      const passed = rest.filter(isWholeArgs);
      if (passed.length > 0 && !followed.has(fn.name)) {
        followed.add(fn.name);
        if (reads(fn.body)) read = true;
      }
      for (const w of rest) if (!isWholeArgs(w) && reads(w)) read = true;
      if (reads((node as { assigns?: unknown }).assigns)) read = true;
      return false;
    });
    return read;
  };
  return !trees.some((t) => reads(t.stmts));
}

const POSITIONAL = /^([1-9][0-9]*|@|\*|#|BASH_ARGV|BASH_ARGC)$/;

/** Visits every node under `root` (objects and arrays), depth first, without recursion; `visit` returning false skips the node's children. */
function forEachNode(root: unknown, visit: (node: object) => boolean): void {
  const todo: unknown[] = [root];
  while (todo.length > 0) {
    const node = todo.pop();
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) todo.push(node[i]);
      continue;
    }
    if (!node || typeof node !== 'object') continue;
    if (!visit(node)) continue;
    for (const v of Object.values(node)) if (v && typeof v === 'object') todo.push(v);
  }
}

/** The text of a word that is one literal (`main`), else null. */
function literalWord(w: Word): string | null {
  const p = w.parts[0];
  return w.parts.length === 1 && p?.type === 'Lit' ? (p as { value: string }).value : null;
}

/** `"$@"`, `$@` or `"${@}"` alone: the script's arguments passed on whole. */
function isWholeArgs(w: Word): boolean {
  const only = (parts: readonly WordPart[]): boolean => {
    if (parts.length !== 1) return false;
    const p = parts[0];
    if (p?.type === 'DblQuoted') return only(p.parts);
    return p?.type === 'ParamExp' && p.param === '@' && !p.length && !p.excl && p.op === null && p.index === null;
  };
  return only(w.parts);
}


/**
 * The command names a variable that the script sets to its arguments somewhere (`CMDARG="$@"` in
 * `if [ "${1:0:1}" = '-' ]; then CMDARG="$@"; fi`, then `exec mysqld $CMDARG`): on the path that
 * sets it they reach the program. A script that takes only options that way has an interface of
 * its own; the command it does not take is not lost by mistake.
 */
function passesArgsElsewhere(hop: ScriptHop, cmd: CmdRef): boolean {
  const joined = new Set<string>();
  forEachNode(hop.unit.ast, (node) => {
    const a = node as Partial<Assign>;
    if (a.type === 'Assign' && a.name && joinsArgs(a as Assign)) joined.add(a.name);
    return true;
  });
  if (joined.size === 0) return false;
  let named = false;
  forEachNode(cmd.call.args, (node) => {
    const p = node as { type?: string; param?: string };
    if (p.type === 'ParamExp' && p.param !== undefined && joined.has(p.param)) named = true;
    return !named;
  });
  return named;
}

/** `exec gosu app "$0" "$@"`: re-runs the script itself (the arguments go with it). */
function reexecs(e: Ending, hop: ScriptHop): boolean {
  return e.argv.some((f) => f.s !== null && hop.argv[0]?.s !== null && f.s === hop.argv[0]?.s);
}

/** The command line runs the script's arguments as its program (`"$@"`, `gosu app "$@"`). */
function runsArgs(argv: readonly Field[], run: Run): boolean {
  const t = commandOf(argv);
  const name = t.name;
  if (!name) return false;
  if (t.forking) return argv.some((f) => isScriptArg(f, run) || isUserCommand(f));
  return isScriptArg(name, run) || isUserCommand(name);
}

/** A word with an unquoted `$@`, `$*`, `${a[@]}` or `${a[*]}` of its own (not inside double quotes). */
function unquotedListExp(w: Word): boolean {
  return w.parts.some((p) => p.type === 'ParamExp' && (p.param === '@' || p.param === '*' || p.index === '@' || p.index === '*'));
}
