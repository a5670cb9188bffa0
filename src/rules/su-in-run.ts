import { buildUserAt, type BuildUser } from '../model/build-user.js';
import type { ArgWord, CommandView } from '../model/command-view.js';
import { wordLiteral } from '../model/commands.js';
import { parseSwitch } from '../model/evaluator/invocations.js';
import type { InstructionView, RunCommands } from '../model/instructions.js';
import { forEachCall } from '../parsers/shell-walk.js';
import { shellParse } from '../model/shell-service.js';
import type { Fix } from '../findings.js';
import type { SourceFile } from '../parsers/source.js';
import type { ShellFile, Stmt } from '../parsers/shell-ast.js';
import { ROOT_USER } from '../text.js';
import { defineRule } from './rule.js';

/** Commands that only check that the user exists or can start a shell (`su nobody -s /bin/sh -c true`). */
const CHECKS = new Set(['true', ':', 'false', 'exit', 'id', 'whoami', 'echo', 'printf', 'test', '[', 'groups', 'pwd', 'env', 'printenv']);

export default defineRule({
  id: 'su-in-run',
  severity: 'warning',
  category: 'privilege',
  recommended: true,
  fixable: true,
  scope: 'instructions',
  title: 'su, runuser or sudo -u switches user inside a RUN where USER belongs',
  peers: {},
  messages: {
    commandString: {
      message:
        '`{tool}` runs `{command}` as {user} inside a RUN that runs as {builder}: it opens a PAM session for one command and resets part of the environment (with `-`, all of it and the working directory too), the command is a quoted string whose words no other check reads, and the files it writes are owned by {user} while the rest of the build\'s are not.',
      hint: 'Switch the build user instead: {steps}.',
    },
    runAs: {
      message:
        '`{tool}` runs `{command}` as {user} inside a RUN that runs as {builder}: it opens a PAM session for one command, and the files it writes are owned by {user} while the rest of the build\'s are not; USER makes the same switch without a session and shows the step for what it is.',
      hint: 'Switch the build user instead: {steps}.',
    },
    sameUser: {
      message: '`{tool}` switches to {user}, but this RUN already runs as {builder}: the switch only adds a PAM session and hides `{command}` in a quoted string that no other check reads.',
      hint: 'Run the command directly: `RUN {command}`.',
    },
  },
  docs: {
    what:
      '`su USER -c CMD` (also `su - USER -c`, `su -s /bin/sh USER -c`, `su -c CMD USER`), `runuser -u USER -- CMD`, `runuser -l USER -c CMD`, and `sudo -u USER CMD` in a RUN that runs as root, wherever the RUN runs them: shell form, exec form, heredoc, inside `sh -c "..."`, after `&&`, behind `env X=1` or `nice`, and in ONBUILD RUN. Left alone: a switch whose command only checks the user (`su nobody -s /bin/sh -c true`, `su app -c id`), a user only the running shell knows (`su "$APP_USER" -c ...`), gosu and su-exec (their `gosu nobody true` install check), a `su` in a script the RUN starts or in a heredoc that writes a file, and `sudo` from a build user that is not root, which sudo-in-run reports (it needs a sudoers rule).',
    why:
      'The build already has a way to run steps as another user: USER. A `su -c` in a RUN opens a PAM login session for one command, resets HOME, PATH and other variables (a login `su -` also starts in the user\'s home directory, not WORKDIR), hides the command in a quoted string that hadolint, ShellCheck and dockerlint\'s own RUN checks never read, and leaves files in the layer owned by two users depending on which part of the RUN wrote them.',
    bad: 'FROM node:20\nWORKDIR /home/node/app\nCOPY --chown=node:node . .\nRUN su node -c "npm ci"',
    good: 'FROM node:20\nWORKDIR /home/node/app\nCOPY --chown=node:node . .\nUSER node\nRUN npm ci',
    howToFix: 'Put `USER <user>` before a RUN of the command itself, and `USER root` after it if a later instruction needs root. Where the RUN does more around the switch, the hint shows it split there: what runs before stays a RUN of the build user, then `USER <user>` and the switched command, then `USER root` and what follows; a `cd` alone before the switch becomes WORKDIR (a RUN of its own would not keep the directory). The fix does this for a RUN that is only the switch.',
    noPeers: 'None that we found: hadolint\'s DL3004, checkov\'s CKV2_DOCKER_1 and KICS\'s "Run Using Sudo" flag sudo in RUN, checkov\'s CKV_DOCKER_8 and trivy\'s DS002 the last USER, and BuildKit\'s checks nothing about users; none flags `su` or `runuser` in RUN. Within dockerlint, sudo-in-run (DL3004) covers sudo that escalates, and this rule the `sudo -u` that steps down from root, which sudo-in-run leaves alone.',
    autofix: [
      {
        safety: 'unsafe',
        what: 'A RUN that is only `su USER -c "CMD"` (`runuser -u USER -- CMD`, `sudo -u USER CMD`) becomes `USER USER`, `RUN CMD` and `USER <the build user before>`, flags such as `--mount` kept; only when the command string has no expansion, quote or backslash inside, and never for exec form, heredocs or ONBUILD',
        why: 'the command now runs with the image\'s ENV and in WORKDIR, not in the environment su or sudo reset (a login `su -` ran it in the user\'s home directory), and with the shell of the build, not the user\'s login shell',
      },
    ],
  },
  async check(ctx) {
    let parse: ((text: string) => ShellFile | null) | null = null;
    for (const view of ctx.view.byKeyword('RUN')) {
      const text = view.inst.rest.text + view.inst.heredocs.map((h) => h.body.text).join('\n');
      // Most RUNs never mention these tools: they need no parse for this rule.
      if (!/\b(su|runuser|sudo)\b/.test(text)) continue;
      const run = await ctx.view.run(view);
      const switches = run.commands.map((cmd) => ({ cmd, sw: switchOf(cmd) }));
      for (const { cmd, sw } of switches) {
        if (!sw) continue;
        // Root work after the switch in the same RUN (install what was built, clean up): the
        // one-layer idiom of building as an unprivileged user, which USER lines would split.
        const end = endOf(cmd);
        const sameUser = switches.filter((o) => o.sw?.user === sw.user).map((o) => [startOf(o.cmd), endOf(o.cmd)] as const);
        const rootAfter = switches.some((o) => startOf(o.cmd) >= end && !sameUser.some(([a, b]) => startOf(o.cmd) >= a && startOf(o.cmd) < b));
        if (rootAfter) continue;
        const builder = view.stage && !view.onbuild ? buildUserAt(view.stage, view.inst, ctx.env.baseImageFacts) : null;
        // sudo from a user that is not root escalates: sudo-in-run reports it.
        if (sw.tool === 'sudo' && builder?.root !== true) continue;
        parse ??= await shellParse(ctx.env.shell, 'sh');
        if (sw.commandText === null || onlyChecks(sw.commandValue, parse)) continue;
        const builderText = describe(builder);
        const restore = builder?.spec && builder.root !== true ? builder.spec : 'root';
        const same = builder !== null && builder.root !== null && (builder.root ? ROOT_USER.test(sw.user) : builder.spec === sw.user);
        const label = cmd.depth > 0 ? 'RUN (sh -c)' : view.onbuild ? 'ONBUILD RUN' : 'RUN';
        const at = { file: ctx.env.dockerfile.displayPath, span: sw.word.span };
        // The base image the build passes decides the user to go back to: no fix.
        const fix = same || (builder?.root === null && !builder.spec) ? null : wholeRunFix(ctx.env.dockerfile, view, run, cmd, sw, restore, ctx.env.dockerfile.displayPath);
        const data = { tool: sw.tool, command: sw.commandText, user: sw.user, builder: builderText, restore, steps: stepsOf(ctx.env.dockerfile, view, run, cmd, sw.user, sw.commandText, restore, parse) };
        if (same) ctx.report({ at, label, messageId: 'sameUser', data: { tool: sw.tool, command: sw.commandText, user: sw.user, builder: builderText } });
        else if (sw.fromString) ctx.report({ at, label, messageId: 'commandString', data, ...(fix ? { fix } : {}) });
        else ctx.report({ at, label, messageId: 'runAs', data, ...(fix ? { fix } : {}) });
      }
    }
  },
});

interface RunSwitch {
  tool: 'su' | 'runuser' | 'sudo';
  /** The tool's word (for sudo, the prefix word). */
  word: ArgWord;
  /** The target user, literal. */
  user: string;
  /** The command, as it reads in a RUN (`npm ci`); null when there is none. */
  commandText: string | null;
  /** The command's shell text when it is known exactly (a literal string, or literal words). */
  commandValue: string | null;
  /** The command was a `-c` string. */
  fromString: boolean;
  /** The words the command was written in (the `-c` word, or the argv after the options). */
  commandWords: readonly ArgWord[];
}

/** `su USER -c CMD`, `runuser -u USER -- CMD`, `sudo -u USER CMD`: the switch a command makes, or null. */
function switchOf(cmd: CommandView): RunSwitch | null {
  const sudoAt = cmd.prefixes.indexOf('sudo');
  if (sudoAt >= 0) {
    const word = cmd.prefixWords[sudoAt] as ArgWord;
    // The options between sudo and the command it runs (a later prefix, or the program).
    const from = cmd.words.indexOf(word) + 1;
    const to = sudoAt + 1 < cmd.prefixWords.length ? cmd.words.indexOf(cmd.prefixWords[sudoAt + 1] as ArgWord) : cmd.words.indexOf(cmd.program);
    const options = cmd.words.slice(from, to);
    const sw = parseSwitch('sudo', options.map((w) => ({ s: w.value })));
    const words = cmd.words.slice(to);
    // `sudo -u app cmd` steps down; plain `sudo su app -c ...` is read as the su it runs.
    if (sw && sw.user !== null && sw.userText && !ROOT_USER.test(sw.user) && !sw.user.startsWith('#')) {
      return { tool: 'sudo', word, user: sw.user, ...argvCommand(words), fromString: false, commandWords: words };
    }
  }
  if (cmd.name !== 'su' && cmd.name !== 'runuser') return null;
  const tool = cmd.name;
  const sw = parseSwitch(tool, cmd.args.map((w) => ({ s: w.value })));
  if (!sw || sw.user === null) return null;
  // The -c string: the word after the last `-c`/`--command` (a user word that holds an expansion was not literal).
  let cWord: ArgWord | null = null;
  for (let i = 0; i < cmd.args.length - 1; i++) {
    const v = cmd.args[i]?.value;
    if (v === '-c' || v === '--command') cWord = cmd.args[i + 1] as ArgWord;
    else if (v?.startsWith('--command=')) cWord = cmd.args[i] as ArgWord;
  }
  if (cWord) {
    const value = cWord.value?.startsWith('--command=') ? cWord.value.slice('--command='.length) : cWord.value;
    const shown = value ?? unquote(cWord.text);
    return { tool, word: cmd.program, user: sw.user, commandText: shown.trim(), commandValue: value, fromString: true, commandWords: [cWord] };
  }
  // runuser -u USER [--] CMD: the command's own words.
  if (tool === 'runuser' && cmd.args.some((w) => w.value === '-u' || w.value === '--user') && sw.rest.length > 0) {
    const words = cmd.args.slice(cmd.args.length - sw.rest.length);
    return { tool, word: cmd.program, user: sw.user, ...argvCommand(words), fromString: false, commandWords: words };
  }
  return null;
}

function startOf(cmd: CommandView): number {
  return (cmd.words[0] as ArgWord).start;
}

function endOf(cmd: CommandView): number {
  return (cmd.words[cmd.words.length - 1] as ArgWord).end;
}

function argvCommand(words: readonly ArgWord[]): { commandText: string | null; commandValue: string | null } {
  if (words.length === 0) return { commandText: null, commandValue: null };
  const text = words.map((w) => w.text).join(' ');
  return { commandText: text, commandValue: words.every((w) => w.value !== null) ? text : null };
}

/** `"npm ci"` as written, without its outer quotes, for a string with an expansion. */
function unquote(text: string): string {
  const m = /^(["'])([\s\S]*)\1$/.exec(text);
  return m ? (m[2] as string) : text;
}

/** The command only checks that the user can run something (`true`, `id`, `exit 0`). */
function onlyChecks(script: string | null, parse: (text: string) => { stmts: Stmt[] } | null): boolean {
  if (script === null) return false;
  const file = parse(script);
  if (!file) return false;
  let calls = 0;
  let checks = true;
  forEachCall(file.stmts, (call) => {
    calls++;
    const name = call.args[0] ? wordLiteral(call.args[0]) : null;
    if (name === null || !CHECKS.has(name.replace(/^.*\//, ''))) checks = false;
  });
  return calls > 0 && checks;
}

function describe(builder: BuildUser | null): string {
  if (!builder) return 'the build user of the image that triggers it';
  if (builder.root === true) return builder.spec ? `root (\`USER ${builder.spec}\`)` : 'root (no USER before it)';
  return builder.spec ? `\`USER ${builder.spec}\`` : 'the user of the base image the build passes (FROM takes it from a build argument)';
}

/**
 * A RUN that is only the switch (`RUN su node -c "npm ci"`): `USER node`, `RUN npm ci`, `USER root`.
 * Null when the RUN does anything else, or the command is not known exactly as written.
 */
function wholeRunFix(src: SourceFile, view: InstructionView, run: RunCommands, cmd: CommandView, sw: RunSwitch, restore: string, file: string): Fix | null {
  const fileText = src.text;
  if (view.onbuild || run.form.kind !== 'shell' || view.inst.heredocs.length > 0 || cmd.depth !== 0 || run.commands.length !== 1) return null;
  if (sw.commandValue === null || !/^[A-Za-z0-9_.:@%+=,/-]+$/.test(sw.user)) return null;
  const first = cmd.words[0] as ArgWord;
  const last = cmd.words[cmd.words.length - 1] as ArgWord;
  // The switch is the RUN's whole text: no redirection, no other command around it.
  if (view.inst.rest.text.trim() !== fileText.slice(first.start, last.end)) return null;
  let body: string;
  if (sw.fromString) {
    const w = sw.commandWords[0] as ArgWord;
    const inner = unquote(w.text);
    // Only a string whose text is its value: no expansion, escape or nested quote to re-read.
    if (/["'\\$`]/.test(inner) || inner.trim() !== sw.commandValue.trim() || inner.includes('\n')) return null;
    body = inner.trim();
  } else {
    const a = sw.commandWords[0] as ArgWord;
    const b = sw.commandWords[sw.commandWords.length - 1] as ArgWord;
    body = fileText.slice(a.start, b.end);
    if (body.includes('\n') || body.includes('\\')) return null;
  }
  if (body === '') return null;
  const instStart = src.offsetOf(view.inst.span.line, view.inst.span.column);
  const lineStart = fileText.lastIndexOf('\n', instStart - 1) + 1;
  const indent = /^[ \t]*/.exec(fileText.slice(lineStart, instStart))?.[0] ?? '';
  return {
    safety: 'unsafe',
    title: `Run it with \`USER ${sw.user}\``,
    edits: [
      { file, start: instStart, end: instStart, text: `USER ${sw.user}\n${indent}` },
      { file, start: first.start, end: last.end, text: body },
      { file, start: last.end, end: last.end, text: `\n${indent}USER ${restore}` },
    ],
  };
}

/**
 * The steps that replace the RUN, as the hint shows them: `USER app`, `RUN cmd`, `USER root`; for
 * a RUN that does more, split around the switch (`a && su app -c b`: `RUN a`, `USER app`,
 * `RUN b`, `USER root`; root work after the switch is the one-layer idiom the rule leaves alone),
 * a `cd DIR` first kept as `WORKDIR DIR`. Where the
 * switch is not one step of a `&&` or `;` list at the RUN's top level, the hint says that the
 * rest of the RUN stays as it was, in RUNs of its own.
 */
function stepsOf(src: SourceFile, view: InstructionView, run: RunCommands, cmd: CommandView, user: string, command: string, restore: string, parse: (text: string) => { stmts: Stmt[] } | null): string {
  const plain = `\`USER ${user}\`, then \`RUN ${command}\`, then \`USER ${restore}\` again only if a later instruction needs it`;
  const text = src.text;
  const restStart = view.inst.rest.originOf(0);
  const restEnd = view.inst.rest.originOf(view.inst.rest.text.length);
  const one = (t: string): string => t.replace(/\\\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
  const before = one(text.slice(restStart, (cmd.words[0] as ArgWord).start));
  const after = one(text.slice((cmd.words[cmd.words.length - 1] as ArgWord).end, restEnd));
  if (before === '' && after === '') return plain;
  const rest = ' (and keep the rest of this RUN, as root, in RUNs of its own before and after)';
  if (view.onbuild || run.form.kind !== 'shell' || view.inst.heredocs.length > 0 || cmd.depth !== 0) return plain + rest;
  const head = before === '' ? '' : /^(.*?)\s*(&&|;)$/.exec(before)?.[1];
  const tail = after === '' ? '' : /^(&&|;)\s*(.*)$/.exec(after)?.[2];
  // Each side must be whole commands of its own (not the inside of a subshell, an if or a pipeline).
  if (head === undefined || tail === undefined || [head, tail].some((t) => t !== '' && (/^[|&;]|[|&;]$/.test(t) || !parse(t)))) return plain + rest;
  // `cd DIR && ...` first: the directory the switched command ran in, kept as WORKDIR.
  const cd = /^cd\s+([A-Za-z0-9_.:@%+=,/-]+)(?:\s*(?:&&|;)\s*(.*))?$/.exec(head);
  const first = cd ? (cd[2] ?? '') : head;
  // Another `cd` before the switch: the directory it ran in is not shown as a WORKDIR.
  if (/(^|&&|;|\|\|)\s*cd\s/.test(first)) return plain + rest;
  // Other switches to this user around it (root work after one is left alone): each is a step of its own.
  if (/(^|&&|;)\s*(su|runuser|sudo)\s/.test(`${first}\n${tail}`.replace(/\n/, ' && '))) {
    return `${cd ? `\`WORKDIR ${cd[1]}\` for the \`cd\` (a RUN of its own would not keep the directory), then ` : ''}${plain} (this RUN switches to ${user} more than once: each switched command becomes a plain command of that RUN)`;
  }
  const steps: string[] = [];
  if (cd) steps.push(`\`WORKDIR ${cd[1]}\` for the \`cd\` (a RUN of its own would not keep the directory)`);
  if (first !== '') steps.push(`${cd ? 'then ' : ''}\`RUN ${first}\` as the build user first`);
  steps.push(`then \`USER ${user}\``, `\`RUN ${command}\``);
  steps.push(`then \`USER ${restore}\` again only if a later instruction needs it`);
  return steps.join(', ').replace(/^then /, '');
}
