import { analyseCommand, wordLiteral } from '../model/commands.js';
import { parseSwitch } from '../model/evaluator/invocations.js';
import { commandOf, commandsRun, isScriptArg, isUserCommand } from '../model/evaluator/questions.js';
import type { CmdRef } from '../model/evaluator/state.js';
import { USER_COMMAND } from '../model/evaluator/values.js';
import type { Stmt, Word } from '../parsers/shell-ast.js';
import type { Field } from '../model/evaluator/values.js';
import { atRef, refText } from '../evidence.js';
import { defineRule } from './rule.js';
import { execFormSwitch, execFormSwitchFix, gosuFix } from '../fix/builders/pid1.js';
import { execFormText } from '../fix/builders/dockerfile.js';
import { fixOf } from '../fix/builders/report.js';
import { shellParse } from '../model/shell-service.js';

export default defineRule({
  id: 'su-sudo',
  severity: 'error',
  category: 'privilege',
  recommended: true,
  fixable: true,
  title: 'su, sudo or runuser starts the main process',
  peers: { hadolint: [{ code: 'DL3004', equivalent: false, note: 'sudo in RUN only (sudo-in-run is the equivalent)', suppresses: false }] },
  messages: {
    commandForks: {
      message: '{command} starts the container with `{tool}`, which forks and stays PID 1 as the parent of the application: `docker stop` signals {tool}, which has to relay it (sudo does; util-linux su then exits 143, not with the application\'s status), the application never becomes PID 1, and {tool} opens the PAM session of an interactive login.',
      hint: 'Use gosu, which execs: `{command} {array}`.',
    },
    scriptForks: {
      message: '`{tool}` runs the main process as {user}, but {tool} forks and stays alive as its parent: {tool}, not the application, holds PID 1 (or sits between PID 1 and the application), so SIGTERM from `docker stop` reaches the application only as {tool} relays it, and its exit status only as {tool} reports it (util-linux su exits 143 on SIGTERM).',
      hint: 'Replace it with `{replacement}`.',
    },
    backgroundForks: {
      message: '`{tool}` starts the main process as {user} in the background, and the script then waits for it (`{wait}`, line {waitLine}): {tool} forks and stays alive as the parent of the application, so the process the script waits for, and that `$!` names for a trap to signal, is {tool}, not the application, and {tool} opens a login session meant for interactive use.',
      hint: 'Start it with gosu, which execs: `{replacement} &` keeps the background job and the wait (and any trap), and `$!` is then the application itself.',
    },
    sudoForSetup: {
      message: '`{command}` uses sudo in the entrypoint: for it to work, the image must let its user run sudo, which leaves a way back to root for anything that runs in the container.',
      hint: 'Do the set-up as root before the step-down (start as root and end with `exec gosu <user> "$@"`), or at build time in a RUN; then remove sudo from the image.',
    },
  },
  docs: {
    what:
      '`su`, `sudo` or `runuser` used to run the main process as another user: in the entrypoint script (as its hand-over, or around `"$@"`), in ENTRYPOINT or in CMD. Also su, sudo or runuser starting the main process in the background for the script to wait for (`su app -c server &`, then `wait`, often under a trap that saves state on SIGTERM): the job the script waits for, the last one it started, is its main process (jobs started before it are side services, and one not waited for is left alone). Also `sudo` for a set-up step of the entrypoint (`sudo chown app /data`) on `docker run IMAGE`: not the hand-over, but it needs a sudo that any process of the container can use. A set-up step that the script runs with sudo while it is still root (`sudo -u app cmd`, `sudo -HEu "$USR" cmd`) needs no sudoers rule and is left alone. A su, sudo or runuser without exec that the script runs only after sourcing files known only at run time (`for f in /docker-entrypoint.d/*; do . "$f"; done` over a folder the build does not fill) is not reported: one of those files may have handed over already, and then the line never runs; one run before them still is.',
    why:
      'su, sudo and runuser fork: they stay alive as the parent of the application, so they (not the application) hold PID 1 or sit between PID 1 and the application. `docker stop` signals them, and the application gets SIGTERM only as they relay it (sudo relays it; util-linux su does, then exits 143 instead of with the application\'s status; a shell between them and the application does not), they open PAM sessions and TTY handling meant for interactive logins, and a sudo left in an image is a privilege-escalation path.',
    bad: '#!/bin/sh\nchown -R app /data\nexec su app -c "$*"',
    good: '#!/bin/sh\nchown -R app /data\nexec gosu app "$@"',
    howToFix: 'Install gosu (or su-exec on Alpine) and hand over with `exec gosu <user> "$@"`: it switches user and then execs, so the application keeps PID 1.',
    autofix: [
      { safety: 'unsafe', what: '`su user -c "cmd"`, `sudo -u user cmd` and `runuser -u user -- cmd` as the hand-over become `exec gosu user cmd` (`exec su-exec user cmd` on Alpine); a `su -c` string of literal words becomes those words, `"$*"` becomes `"$@"`, anything else runs through `sh -c` as before; an exec-form ENTRYPOINT or CMD that starts su or sudo becomes the same array with gosu (`["gosu", "app", "/usr/local/bin/server"]`). Where no RUN installs the tool and the base image\'s package manager is known, a second edit adds the install line after FROM', why: 'gosu must be in the image, and sudo\'s environment reset and su\'s login session are gone' },
    ],
  },
  async check(ctx) {
    const launch = ctx.launch;
    if (!launch) return;
    const dockerfile = ctx.env.dockerfile.displayPath;
    const done = new Set<string>();
    const once = (key: string): boolean => {
      if (done.has(key)) return false;
      done.add(key);
      return true;
    };
    for (const chain of launch.runs.default.chains) {
      for (const [i, step] of chain.hops.entries()) {
        if (step.kind !== 'forking-switch') continue;
        // Only where a Dockerfile word starts it; in a script it is reported at the script's line.
        const prev = chain.hops[i - 1];
        if (prev && (prev.kind === 'script' || prev.kind === 'shell')) continue;
        const inst = step.arg.setting.instruction;
        if (!once(`df:${inst.keywordSpan.line}`)) continue;
        const parse = await shellParse(ctx.env.shell, 'sh');
        const user = step.user && step.user !== 'root' ? step.user : 'app';
        // The same array with gosu, from the instruction's words; else the shape of one.
        const array = (ctx.stage ? execFormSwitch(step.arg.setting, ctx.stage, parse)?.array : null) ?? execFormText(['gosu', user, '<command>', '<args>']);
        ctx.report({
          at: { file: dockerfile, span: inst.keywordSpan },
          messageId: 'commandForks',
          data: { command: step.at.label, tool: step.tool, array },
          label: `${step.at.label} ${step.tool}`,
          ...fixOf(ctx.stage ? execFormSwitchFix(step.arg.setting, ctx.stage, await ctx.runFacts(), ctx.env.dockerfile, parse) : null),
        });
      }
    }
    const mainRefs = new Set<Stmt>();
    for (const run of [launch.runs['user-command'], launch.runs.default]) {
      if (run.truncated) continue;
      const lastOfStaying = new Set(run.chains.flatMap((c) => (c.end ? c.end.ending.last.map((l) => l.stmt) : [])));
      for (const { hop, cmd } of commandsRun(run)) {
        if (cmd.child || cmd.background) continue;
        // Not exec'd, and run only after files sourced from a folder known at run time, one of
        // which may have handed over already: not known to run at all.
        if (cmd.opaque && !cmd.exec) continue;
        for (const argv of cmd.argvs) {
          const t = commandOf(argv);
          if (!t.forking) continue;
          const sw = parseSwitch(t.forking, argv.slice(argv.indexOf(t.name as never) + 1));
          const runsArgs = argv.some((f) => isScriptArg(f, run) || isUserCommand(f)) || (sw?.commandString ?? '').includes(USER_COMMAND);
          if (!(cmd.exec || runsArgs || lastOfStaying.has(cmd.ref.stmt))) continue;
          mainRefs.add(cmd.ref.stmt);
          if (!once(`${cmd.ref.file.path}:${cmd.ref.stmt.p[2]}`)) continue;
          const edit = ctx.stage ? gosuFix(hop.unit, cmd.ref, ctx.stage, await ctx.runFacts(), ctx.env.dockerfile, await shellParse(ctx.env.shell, hop.unit.interpreter)) : null;
          ctx.report({
            ...atRef(hop.unit, cmd.ref, dockerfile),
            messageId: 'scriptForks',
            data: { tool: t.forking, user: sw?.userText ?? 'another user', replacement: gosuEquivalent(cmd.ref, sw) },
            ...fixOf(edit),
          });
          break;
        }
      }
    }
    // `su app -c server &` then `wait`: the job the script waits for is its main process, the
    // last one it started (earlier ones are side services).
    for (const run of [launch.runs.default, launch.runs['user-command']]) {
      if (run.truncated) continue;
      for (const chain of run.chains) {
        const end = chain.end;
        const w = end?.ending.waited;
        const job = w?.jobs[w.jobs.length - 1];
        const last = job?.cmds[job.cmds.length - 1];
        if (!end || !w || !job || !last) continue;
        const t = commandOf(last.argv);
        if (!t.forking) continue;
        mainRefs.add(last.ref.stmt);
        if (!once(`${last.ref.file.path}:${last.ref.stmt.p[2]}`)) continue;
        const sw = parseSwitch(t.forking, last.argv.slice(last.argv.indexOf(t.name as never) + 1));
        const replacement = gosuEquivalent(last.ref, sw).replace(/^exec /, '');
        const waitLine = String(w.at.file.spanOf(w.at.stmt.p, w.at.stmt.e).line);
        ctx.report({
          ...atRef(end.hop.unit, last.ref, dockerfile),
          messageId: 'backgroundForks',
          data: { tool: t.forking, user: sw?.userText ?? 'another user', wait: refText(w.at), waitLine, replacement },
        });
      }
    }
    // sudo for a set-up step in the entrypoint: not the hand-over, but a privilege-escalation path.
    const run = launch.runs.default;
    if (run.truncated) return;
    for (const { hop, cmd } of commandsRun(run)) {
      if (mainRefs.has(cmd.ref.stmt) || cmd.background) continue;
      const argv = cmd.argvs[0] ?? [];
      const t = commandOf(argv);
      if (t.forking !== 'sudo') continue;
      // Run by root (`sudo -u app cmd`, `sudo -HEu "$USR" cmd` while the script is still root),
      // sudo needs no sudoers rule: no way back to root is left for this step.
      if (cmd.users.length > 0 && cmd.users.every((u) => u.root === true)) continue;
      if (!once(`${cmd.ref.file.path}:${cmd.ref.stmt.p[2]}`)) continue;
      ctx.report({ ...atRef(hop.unit, cmd.ref, dockerfile), messageId: 'sudoForSetup', data: { command: refText(cmd.ref) } });
    }
  },
});

/**
 * `exec gosu <user> <the same command>`, from the words as written: the program and its
 * arguments after the tool's options (gosu takes no `--`). Where the tool and its options come
 * from a variable (`exec $RUNAS server --flag "$@"`), the command is the written words from the
 * one the switch's first evaluated argument comes from.
 */
function gosuEquivalent(ref: CmdRef, sw: ReturnType<typeof parseSwitch>): string {
  const user = sw?.user && sw.user !== 'root' ? sw.user : 'app';
  const text = (ws: readonly Word[]): string => ref.file.text.slice((ws[0] as Word).p[2], (ws[ws.length - 1] as Word).e[2]);
  let command = '"$@"';
  const words = ref.call.args[0] && wordLiteral(ref.call.args[0]) === 'exec' ? ref.call.args.slice(1) : ref.call.args;
  const written = analyseCommand(words, false).forking;
  if (written?.commandString != null) {
    // The -c string as written: one that passes the arguments on becomes "$@".
    command = /\$[@*]|\$\{[@*]/.test(written.commandString) ? '"$@"' : written.commandString;
  } else if (written && written.command.length > 0) {
    command = text(written.command);
  } else if (!written && sw && sw.rest.length > 0) {
    const first = sw.rest[0] as Field;
    const at = words.findIndex((w, i) => i > 0 && (first.s !== null && !first.multi ? wordLiteral(w) === first.s : first.arg === 0 && isAllArgs(w)));
    if (at > 0) command = text(words.slice(at));
  }
  return `exec gosu ${user} ${command}`;
}

/** `"$@"` as a whole word. */
function isAllArgs(w: Word): boolean {
  const p = w.parts.length === 1 && w.parts[0]?.type === 'DblQuoted' ? w.parts[0].parts : null;
  return p !== null && p.length === 1 && p[0]?.type === 'ParamExp' && p[0].param === '@' && p[0].op === null;
}
