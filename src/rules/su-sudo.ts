import { wordText, type CommandInfo } from '../model/commands.js';
import type { CommandAt } from '../model/script.js';
import { atCommand } from '../evidence.js';
import { defineRule } from './rule.js';
import { gosuFix } from '../fix/builders/pid1.js';
import { fixOf, shellParse } from '../fix/builders/report.js';

export default defineRule({
  id: 'su-sudo',
  severity: 'error',
  category: 'privilege',
  recommended: true,
  fixable: true,
  title: 'su, sudo or runuser starts the main process',
  peers: { hadolint: [{ code: 'DL3004', note: 'sudo in RUN only', suppresses: false }] },
  messages: {
    commandForks: {
      message: '{command} starts the container with `{tool}`, which forks and stays PID 1 as the parent of the application: signals are not passed on and a login session is opened.',
      hint: 'Use gosu, which execs: {command} ["gosu", "{user}", ...].',
    },
    scriptForks: {
      message: '`{tool}` runs the main process as {user}, but {tool} forks and stays alive as its parent: {tool}, not the application, holds PID 1 (or sits between PID 1 and the application), so SIGTERM from `docker stop` does not reach it cleanly.',
      hint: 'Replace it with `{replacement}`.',
    },
  },
  docs: {
    what:
      '`su`, `sudo` or `runuser` used to run the main process as another user: in the entrypoint script (as its hand-over, or around `"$@"`), in ENTRYPOINT or in CMD.',
    why:
      'su, sudo and runuser fork: they stay alive as the parent of the application, so they (not the application) hold PID 1 or sit between PID 1 and the application. They do not pass SIGTERM on reliably, they open PAM sessions and TTY handling meant for interactive logins, and a sudo left in an image is a privilege-escalation path.',
    bad: '#!/bin/sh\nchown -R app /data\nexec su app -c "$*"',
    good: '#!/bin/sh\nchown -R app /data\nexec gosu app "$@"',
    howToFix: 'Install gosu (or su-exec on Alpine) and hand over with `exec gosu <user> "$@"`: it switches user and then execs, so the application keeps PID 1.',
    autofix: [
      { safety: 'unsafe', what: '`su user -c "cmd"`, `sudo -u user cmd` and `runuser -u user -- cmd` as the hand-over become `exec gosu user cmd` (`exec su-exec user cmd` on Alpine); a `su -c` string of literal words becomes those words, `"$*"` becomes `"$@"`, anything else runs through `sh -c` as before. Where no RUN installs the tool and the base image\'s package manager is known, a second edit adds the install line after FROM', why: 'gosu must be in the image, and sudo\'s environment reset and su\'s login session are gone' },
    ],
  },
  async check(ctx) {
    const launch = ctx.launch;
    if (!launch) return;
    const dockerfile = ctx.env.dockerfile.displayPath;
    for (const step of launch.steps) {
      if (step.kind !== 'forking-switch') continue;
      ctx.report({
        at: { file: dockerfile, span: step.arg.setting.instruction.keywordSpan },
        messageId: 'commandForks',
        data: { command: step.at.label, tool: step.tool, user: step.user ?? 'app' },
        label: `${step.at.label} ${step.tool}`,
      });
    }
    for (const unit of launch.scripts) {
      const analysis = unit.analysis;
      if (!analysis) continue;
      const main = new Set<CommandAt>();
      for (const e of analysis.endings) if (e.last?.info.forking) main.add(e.last);
      for (const c of analysis.commands) if (c.info.forking && (c.info.args !== 'none' || c.info.exec)) main.add(c);
      for (const c of main) {
        const sw = c.info.forking;
        if (!sw) continue;
        const fix = gosuEquivalent(c.info, c.source?.text ?? unit.source.text);
        const edit = ctx.stage ? gosuFix(unit, c, ctx.stage, await ctx.runFacts(), ctx.env.dockerfile, await shellParse(ctx.env.shell, unit.interpreter)) : null;
        ctx.report({ ...atCommand(unit, c, dockerfile), messageId: 'scriptForks', data: { tool: sw.tool, user: sw.user ?? 'another user', replacement: fix }, ...fixOf(edit) });
      }
    }
  },
});

function gosuEquivalent(info: CommandInfo, source: string): string {
  const sw = info.forking;
  const user = sw?.user && sw.user !== 'root' ? sw.user : 'app';
  let command = '"$@"';
  if (sw?.commandString) command = /\$[@*]/.test(sw.commandString) ? '"$@"' : sw.commandString;
  else if (sw && sw.command.length > 0) command = sw.command.map((w) => wordText(w, source)).join(' ');
  return `exec gosu ${user} ${command}`;
}
