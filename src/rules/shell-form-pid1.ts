import type { Step } from '../model/launch.js';
import { defineRule } from './rule.js';
import { execFormOf, shellFormFix } from '../fix/builders/pid1.js';
import { fixOf } from '../fix/builders/report.js';
import { shellQuote } from '../text.js';
import { execCannotRun, literalCommand } from '../fix/builders/shell.js';
import { basename, wordLiteral } from '../model/commands.js';
import { packageScriptRun, packageScripts, startScriptHint } from '../model/node-entry.js';

export default defineRule({
  id: 'shell-form-pid1',
  severity: 'warning',
  category: 'pid1',
  recommended: true,
  fixable: true,
  title: 'A shell, not the application, is PID 1',
  peers: {
    hadolint: [{ code: 'DL3025', equivalent: false, note: 'any shell-form CMD/ENTRYPOINT; this rule only when the shell stays PID 1 (json-args is the equivalent)' }],
    buildkit: [{ code: 'JSONArgsRecommended', equivalent: false, note: 'any shell-form CMD/ENTRYPOINT; this rule only when the shell stays PID 1 (json-args is the equivalent)' }],
  },
  messages: {
    shellForm: {
      message: '{keyword} is in shell form, so it runs as {wrapped}{afterScript}: the shell is PID 1 and does not forward SIGTERM to the application, so `docker stop` waits and then kills it without a clean shutdown.',
      hint: 'Use exec form, e.g. `{keyword} {execForm}`, or start the string with `exec`.',
    },
    shellFormPackageManager: {
      message: '{keyword} is in shell form, so it runs as {wrapped}: the shell is PID 1 and does not forward SIGTERM, and under it {manager} runs the `{script}` script of package.json as its own child and does not reliably pass SIGTERM on either, so `docker stop` waits and then kills the application without a clean shutdown. Exec form alone (`{keyword} {execForm}`) would leave {manager} as PID 1 (npm-start-pid1).',
      hint: '{fix}.',
    },
    shellFormUnderInit: {
      message: '{keyword} is in shell form, so {init} (PID 1) starts it as {wrapped}{afterScript}: the shell sits between {init} and the application, and {init} signals only its direct child, the shell, which dies on SIGTERM without passing it on and leaves the application to be killed when `docker stop` times out.',
      hint: 'Use exec form, e.g. `{keyword} {execForm}`, or start the string with `exec`, or run {init} with `-g` so that it signals the whole process group.',
    },
    shellCNoExecUnderInit: {
      message: '{wrapped} does not `exec` its last command: {init} (PID 1) signals only its direct child, the shell, which dies on SIGTERM without passing it on and leaves the application to be killed when `docker stop` times out.',
      hint: 'Put `exec` in front of the last command of the string, or run {init} with `-g` so that it signals the whole process group.',
    },
    shellFormLone: {
      message: '{keyword} is in shell form, so it runs as {wrapped}{afterScript}: the shell is PID 1 unless it replaces itself with the command, as bash and busybox ash do for a lone command like this one (Debian\'s dash does not: 0.5.12, in Debian 12, stays the command\'s parent). That is an optimisation of the shell, not a promise: a trap, or a command added after this one, keeps the shell as PID 1, which does not forward SIGTERM, and `docker stop` then kills the application when it times out. Exec form does not depend on the shell.',
      hint: 'Use exec form, e.g. `{keyword} {execForm}`, or start the string with `exec`.',
    },
    shellCNoExecLone: {
      message: '{wrapped} does not `exec` its command: the shell is PID 1 unless it replaces itself with the command, as bash and busybox ash do for a lone command like this one (Debian\'s dash does not: 0.5.12, in Debian 12, stays the command\'s parent). That is an optimisation of the shell, not a promise: a trap, or a command added after this one, keeps the shell as PID 1, which does not forward SIGTERM, and `docker stop` then kills the application when it times out.',
      hint: 'Put `exec` in front of the command, or drop the `sh -c` and list the command\'s words in the exec form.',
    },
    shellCNoExec: {
      message: '{wrapped} does not `exec` its last command: the shell is PID 1 and does not forward SIGTERM to the application, so `docker stop` waits and then kills it without a clean shutdown.',
      hint: 'Put `exec` in front of the last command of the string.',
    },
  },
  docs: {
    what:
      'A shell-form ENTRYPOINT, a shell-form CMD with no ENTRYPOINT (or after an entrypoint script that execs `"$@"`), or an exec-form `["sh", "-c", "..."]` whose command string does not `exec` its last command. The rule follows SHELL: with `SHELL ["/bin/bash", "-c"]` the wrapper is bash. Under an init (`ENTRYPOINT ["tini", "--"]` with a shell-form CMD) the init is PID 1 and the shell its child: without `tini -g` the init signals only the shell, which dies and leaves the application to be killed, and the message says so; with `tini -g` or dumb-init (which signal the whole process group) the application gets SIGTERM and the rule is silent. It is silent too for a CMD with no ENTRYPOINT on a base image the build passes (`FROM $BUILD_FROM`, the argument with no default): that image\'s ENTRYPOINT, not known, may run the CMD as its child (json-args still asks for exec form).',
    why:
      'Shell form runs `/bin/sh -c "<string>"`, so the shell becomes PID 1 and the application its child. The kernel gives PID 1 no default signal handlers, and the shell does not forward SIGTERM: `docker stop` waits its 10 seconds and then SIGKILLs the application, with no graceful shutdown. bash and busybox ash replace themselves with a lone command (the message says so when the string is one: `shellFormLone`, `shellCNoExecLone`), but Debian\'s dash does not (0.5.12 in Debian 12 stays the parent, whatever upstream dash does since 0.5.11), and a trap or a command after it keeps the shell: exec form does not depend on the shell.',
    bad: 'FROM python:3.12-slim\nCMD python app.py',
    good: 'FROM python:3.12-slim\nCMD ["python", "app.py"]',
    howToFix: 'Use exec form (`CMD ["python", "app.py"]`), or start the string with `exec` so the application replaces the shell (`ENTRYPOINT exec python app.py`).',
    autofix: [
      { safety: 'safe', what: 'A shell-form ENTRYPOINT or CMD that is one simple command of literal words (other than `npm start`, `yarn start`, `pnpm run <script>`, whose exec form would keep the package manager as PID 1) becomes exec form, split as the shell splits it (`CMD python app.py` -> `CMD ["python", "app.py"]`, `ENTRYPOINT "/app/run.sh"` -> `ENTRYPOINT ["/app/run.sh"]`)', why: 'The shell would only have run that one program with those words, so the program is the same; it now gets the signals' },
      { safety: 'unsafe', what: 'The same conversion where the exec form is given arguments the shell form never saw: a shell-form ENTRYPOINT with a CMD (which exec form appends), or a CMD handed to an entrypoint script (which may look at `$1`)', why: 'The container may run something else: review the arguments' },
      { safety: 'unsafe', what: 'A string that uses shell features (expansions, `&&`, redirections, globs), or an exec-form `sh -c` string, gets `exec` in front of the command that ends each path (`cd /app && exec python app.py`); never in front of a shell function or a builtin', why: 'The shell no longer runs anything after that command, and the string keeps its shell' },
    ],
  },
  check(ctx) {
    const launch = ctx.launch;
    if (!launch) return;
    const dockerfile = ctx.env.dockerfile.displayPath;
    for (const [i, step] of launch.steps.entries()) {
      if (step.kind !== 'shell') continue;
      // The base image's ENTRYPOINT is not known (the build chooses the base): it may run the CMD
      // as its child, so the shell is not known to be PID 1 (json-args still says to use exec form).
      if (!launch.steps.slice(0, i + 1).some((s) => s.pid1)) continue;
      const unit = step.unit;
      // Every way the string can end (for this run's arguments) replaces the shell by exec.
      const endings = step.run?.endings;
      const execs = endings ? endings.filter((e) => !e.failed).every((e) => e.kind === 'exec' || e.last.length === 0) : /^\s*exec\s/.test(unit.source.text);
      if (execs) continue;
      const setting = step.arg.setting;
      const inst = setting.instruction;
      // Pseudo-JSON that fell back to shell form is invalid-exec-form's finding.
      if (setting.form.kind === 'shell' && setting.form.invalidJson) continue;
      // Under an init (`tini --`), the shell is its child: with `tini -g` or dumb-init the signal
      // reaches the whole process group, the application included; without, only the shell.
      const init = launch.steps.slice(0, i).find((s: Step) => s.kind === 'init');
      if (init?.kind === 'init' && init.group) continue;
      const underInit = init?.kind === 'init' ? { init: init.name } : null;
      const afterScript = launch.steps.slice(0, i).some((s: Step) => s.kind === 'script');
      const fix = shellFormFix(step, launch, ctx.env.dockerfile);
      const place = { at: { file: dockerfile, span: inst.keywordSpan }, chain: launch.steps.slice(0, i).map((s) => s.at), label: `${inst.keyword}`, ...fixOf(fix) };
      if (step.shellForm) {
        const data = {
          keyword: inst.keyword,
          wrapped: wrapped(step.shellArgv, unit.source.text),
          afterScript: afterScript ? ' after the entrypoint script execs "$@"' : '',
          execForm: execFormOf(unit) ?? '["prog", "arg"]',
        };
        // `CMD npm start`: the exec form of the same words keeps the package manager as PID 1, so
        // the way out is the command of the package.json script, and there is no fix to offer.
        const only = unit.ast?.stmts.length === 1 ? unit.ast.stmts[0] : undefined;
        const stage = ctx.stage;
        const scripts = !underInit && only && stage && !stage.config.workdirUnknown ? packageScripts(stage, ctx.env.fs, ctx.env.readContext, stage.config.workdir) : null;
        const pm = !underInit && only ? packageScriptRun(literalCommand(only) ?? [], scripts) : null;
        if (underInit) ctx.report({ ...place, messageId: 'shellFormUnderInit', data: { ...data, ...underInit } });
        else if (pm) {
          const fix = startScriptHint(ctx.stage, ctx.env.fs, ctx.env.readContext, ctx.stage?.config.workdir ?? '/', inst.keyword, pm);
          ctx.report({ at: place.at, chain: place.chain, label: place.label, messageId: 'shellFormPackageManager', data: { ...data, manager: pm.manager, script: pm.script, fix } });
        } else ctx.report({ ...place, messageId: loneCommand(step) ? 'shellFormLone' : 'shellForm', data });
      } else {
        const data = { wrapped: wrapped(step.shellArgv, step.arg.value) };
        if (underInit) ctx.report({ ...place, messageId: 'shellCNoExecUnderInit', data: { ...data, ...underInit } });
        else ctx.report({ ...place, messageId: loneCommand(step) ? 'shellCNoExecLone' : 'shellCNoExec', data });
      }
    }
  },
});

/**
 * `/bin/sh -c 'server --port 80'`, as a code span the shell reads back; for a long or
 * multi-line string, the wrapper alone (a string cut short would not be code).
 */
function wrapped(shellArgv: readonly string[], text: string): string {
  const shell = shellArgv.map(shellQuote).join(' ');
  const t = text.trim();
  return t.length <= 60 && !t.includes('\n') ? `\`${shell} ${shellQuote(t)}\`` : `\`${shell}\` with the whole string as its script`;
}

/** Shells that may replace themselves with the last simple command of `-c` (bash, busybox ash; upstream dash from 0.5.11, not Debian's). */
const EXECS_LONE = new Set(['sh', 'bash', 'dash', 'ash']);
/** Builtins that are programs too (`/bin/echo`), which the shell runs itself: never exec'd. */
const RUN_BY_THE_SHELL = new Set(['echo', 'printf', 'true', 'false', 'test', '[']);

/**
 * The string is one plain command (`./sync.sh`, `java -jar app.jar ${OPTS}`: a program named
 * literally, no redirection, assignment, pipe or second command) run by a shell that execs such a
 * command itself: whether the shell stays PID 1 depends on the shell's version, and the message
 * says so.
 */
function loneCommand(step: Step & { kind: 'shell' }): boolean {
  if (!EXECS_LONE.has(basename(step.shellArgv[0] ?? ''))) return false;
  const stmts = step.unit.ast?.stmts;
  if (!stmts || stmts.length !== 1) return false;
  const stmt = stmts[0] as NonNullable<typeof stmts>[number];
  if (stmt.cmd?.type !== 'CallExpr' || stmt.background || stmt.negated || stmt.redirs.length > 0 || stmt.cmd.assigns.length > 0) return false;
  // Expansions in the arguments do not matter; the program's name must be known.
  const first = stmt.cmd.args[0];
  const name = first ? wordLiteral(first) : null;
  return name !== null && name !== '' && !execCannotRun(name) && !RUN_BY_THE_SHELL.has(name);
}
