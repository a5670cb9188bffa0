/**
 * The fixes of the PID 1 rules, one function per kind of finding. Rules call these with what they
 * found; each returns a fix, or null where no edit is certain to do what the rule asks.
 */
import { SHELLS, type Launch, type ScriptUnit, type Step } from '../../model/launch.js';
import { analyseCommand, basename, wordLiteral } from '../../model/commands.js';
import { childStmts, forEachCall } from '../../parsers/shell-walk.js';
import type { CmdRef } from '../../model/evaluator/state.js';
import type { CommandSetting, Stage } from '../../model/image.js';
import type { FileOrigin } from '../../model/image-fs.js';
import { ContextFs } from '../../model/context-fs.js';
import type { RunFacts } from '../../model/run-facts.js';
import type { Instruction } from '../../parsers/dockerfile.js';
import type { MappedText, SourceFile } from '../../parsers/source.js';
import type { ShellFile, Stmt, Word } from '../../parsers/shell-ast.js';
import { bomEdit, type Edit, type Fix } from '../edits.js';
import { copyChmodEdit, execFormText, installAfterFrom, packageManagerOf, pseudoJsonStrings, replaceCommandText, runChmodAfter, switchToolFor } from './dockerfile.js';
import { gosuReplacement, literalCommand, plainUser, prependExec, quoteArgs, type ScriptTarget } from './shell.js';
import { ROOT_USER } from '../../text.js';

function target(unit: ScriptUnit): ScriptTarget | null {
  return unit.ast ? { source: unit.source, ast: unit.ast } : null;
}

/** The command is written in the unit's own text (not in a sourced file or an `eval` string). */
function inUnit(unit: ScriptUnit, c: Pick<CmdRef, 'file'>): boolean {
  return c.file.path === unit.source.file.displayPath && c.file.text === unit.source.text;
}

/**
 * The commands that end the paths of a script, as written (every branch, whatever the run):
 * the last command of the list, of each branch of an `if` or `case`, the right side of `&&`.
 * Those already exec'd (or exits) are left out; null when a path ends in anything else.
 */
function unexecdEnds(stmts: Stmt[]): Stmt[] | null {
  // Functions and how often they are called: a function called once, at the end, gets exec
  // inside its body (never in front of the call).
  const functions = new Map<string, Stmt>();
  const visit = (list: Stmt[]): void => {
    for (const x of list) {
      if (x.cmd?.type === 'FuncDecl' && !functions.has(x.cmd.name)) functions.set(x.cmd.name, x.cmd.body);
      visit(childStmts(x.cmd));
    }
  };
  visit(stmts);
  const calls = new Map<string, number>();
  forEachCall(stmts, (call) => {
    const name = call.args[0] ? wordLiteral(call.args[0]) : null;
    if (name !== null && functions.has(name)) calls.set(name, (calls.get(name) ?? 0) + 1);
  });
  const out: Stmt[] = [];
  const todo: Stmt[][] = [stmts];
  while (todo.length > 0) {
    const list = todo.pop() as Stmt[];
    const last = list[list.length - 1];
    if (!last || !last.cmd || last.background || last.negated) return null;
    const c = last.cmd;
    if (c.type === 'CallExpr') {
      const first = c.args[0] ? wordLiteral(c.args[0]) : null;
      if (c.args.length === 0) return null;
      if (first === 'exec' || first === 'exit') continue;
      const body = first !== null ? functions.get(first) : undefined;
      if (body && first !== null) {
        if (calls.get(first) !== 1) return null;
        todo.push(body.cmd?.type === 'Block' ? body.cmd.stmts : [body]);
        continue;
      }
      out.push(last);
    } else if (c.type === 'IfClause') {
      for (let cl: typeof c | null = c; cl; cl = cl.else) todo.push(cl.then);
      if (!hasElse(c)) return null;
    } else if (c.type === 'CaseClause') {
      for (const item of c.items) todo.push(item.stmts);
    } else if (c.type === 'BinaryCmd' && c.op === '&&') {
      todo.push([c.y]);
    } else if (c.type === 'Block') {
      todo.push(c.stmts);
    } else return null;
  }
  return out;
}

function hasElse(c: Extract<Stmt['cmd'], { type: 'IfClause' }>): boolean {
  for (let cl: typeof c | null = c; cl; cl = cl.else) if (cl.cond.length === 0) return true;
  return false;
}

/** What the words of a command do (after `exec`): the user switch it makes, its words. */
function infoOf(c: Pick<CmdRef, 'call'>): ReturnType<typeof analyseCommand> {
  const words = c.call.args;
  const exec = words[0] !== undefined && wordLiteral(words[0]) === 'exec';
  return analyseCommand(exec ? words.slice(1) : words, exec);
}

/**
 * shell-form-pid1. A shell-form string that is one simple command of literal words becomes exec
 * form, split as the shell splits it (`ENTRYPOINT "/app/run.sh"` -> `["/app/run.sh"]`): safe,
 * unless the exec form would now be given arguments the shell form never saw (a CMD after a
 * shell-form ENTRYPOINT, or a CMD given to an entrypoint script, which may look at `$1`). A string
 * that uses shell features (expansions, `&&`, redirections), and an exec-form `sh -c` string, get
 * `exec` in front of the command that ends each path instead: unsafe.
 */
export function shellFormFix(step: Extract<Step, { kind: 'shell' }>, launch: Launch, dockerfile: SourceFile): Fix | null {
  const unit = step.unit;
  const t = target(unit);
  if (!t || !SHELLS.has(basename(step.shellArgv[0] ?? ''))) return null;
  const setting = step.arg.setting;
  if (step.shellForm && setting.form.kind === 'shell' && t.ast.stmts.length === 1) {
    const words = literalCommand(t.ast.stmts[0] as Stmt);
    if (words && setting.form.text.text.trim() === unit.source.text.trim()) {
      const edit = replaceCommandText(dockerfile, setting.form.text, execFormText(words));
      const inst = setting.instruction;
      const gainsArgs = (inst.keyword === 'ENTRYPOINT' && launch.pid1.cmdIgnored !== null) || (step.arg.origin === 'cmd' && launch.pid1.entrypoint !== null);
      if (edit) return { safety: gainsArgs ? 'unsafe' : 'safe', title: `Use exec form: ${inst.keyword} ${execFormText(words)}`, edits: [edit] };
    }
  }
  return execEachEnd(t, 'Put exec in front of the last command of the string');
}

function execEachEnd(t: ScriptTarget, title: string): Fix | null {
  const ends = unexecdEnds(t.ast.stmts);
  if (!ends || ends.length === 0) return null;
  const edits: Edit[] = [];
  for (const stmt of ends) {
    const fix = prependExec(t, stmt, title);
    if (!fix) return null;
    edits.push(...fix.edits);
  }
  return { safety: 'unsafe', title, edits };
}

/** The exec-form array that a shell-form string of literal words stands for, for messages. */
export function execFormOf(unit: ScriptUnit): string | null {
  const stmt = unit.ast?.stmts.length === 1 ? unit.ast.stmts[0] : undefined;
  const words = stmt ? literalCommand(stmt) : null;
  return words ? execFormText(words) : null;
}

/** invalid-exec-form: pseudo-JSON (`['app', '-v']`, missing or trailing commas) -> JSON. Safe. */
export function pseudoJsonFix(inst: Instruction, text: MappedText, dockerfile: SourceFile, array: string = text.text): Fix | null {
  const strings = pseudoJsonStrings(array);
  if (!strings) return null;
  const json = execFormText(strings);
  const edit = replaceCommandText(dockerfile, text, json);
  return edit ? { safety: 'safe', title: `Write valid JSON: ${inst.keyword} ${json}`, edits: [edit] } : null;
}

/**
 * `exec` in front of a command that ends its path (gosu-without-exec, missing-exec-args): unsafe,
 * the shell no longer runs anything after it (an EXIT trap included).
 */
export function execFix(unit: ScriptUnit, c: Pick<CmdRef, 'stmt' | 'call' | 'file'>): Fix | null {
  const t = target(unit);
  if (!t || !inUnit(unit, c)) return null;
  // prependExec refuses a shell function and a variable that already holds exec.
  return prependExec(t, c.stmt, 'Put exec in front of the command', infoOf(c).reexec);
}

/** missing-exec-args: `$@`, `$*` or `"$*"` handed over -> `"$@"`. Safe. */
export function argsFix(unit: ScriptUnit, c: Pick<CmdRef, 'stmt' | 'call' | 'file'>): Fix | null {
  const t = target(unit);
  if (!t || !inUnit(unit, c)) return null;
  const info = infoOf(c);
  const edits: Edit[] = [];
  for (const w of info.words) {
    const fix = isPositionalWord(w) ? quoteArgs(t, w) : null;
    if (isPositionalWord(w) && !fix) return null;
    if (fix) edits.push(...fix.edits);
  }
  const sourceText = (w: Word): string => unit.source.text.slice(w.p[2], w.e[2]);
  if (edits.length === 0 || info.words.some((w) => !isPositionalWord(w) && /\$[@*]|\$\{[@*]/.test(sourceText(w)))) return null;
  return { safety: 'safe', title: 'Pass the arguments on intact: "$@"', edits };
}

function isPositionalWord(w: Word): boolean {
  const only = w.parts.length === 1 ? w.parts[0] : null;
  const inner = only?.type === 'DblQuoted' && only.parts.length === 1 ? only.parts[0] : only;
  if (inner?.type !== 'ParamExp' || !['@', '*'].includes(inner.param)) return false;
  // `"$@"` itself is already right.
  return !(only?.type === 'DblQuoted' && inner.param === '@');
}

/**
 * su-sudo: `su user -c "cmd"` / `sudo -u user cmd` -> `exec gosu user cmd` (`su-exec` on Alpine).
 * Unsafe: gosu must be in the image (and sudo's environment reset is gone). Where no RUN installs
 * the tool and the base image's package manager is known, a second edit adds the install line
 * after FROM.
 */
export function gosuFix(
  unit: ScriptUnit,
  c: Pick<CmdRef, 'stmt' | 'call' | 'file'>,
  stage: Stage,
  facts: RunFacts,
  dockerfile: SourceFile,
  parse: (text: string) => ShellFile | null,
): Fix | null {
  const t = target(unit);
  const sw = infoOf(c).forking;
  if (!t || !sw || !inUnit(unit, c)) return null;
  let root = stage;
  while (root.baseStage) root = root.baseStage;
  const pm = root.baseKnown ? packageManagerOf(root.base) : null;
  const tool = switchToolFor(pm);
  const built = gosuReplacement(t, c.stmt, sw, parse);
  if (!built) return null;
  const text = tool === 'gosu' ? built.text : built.text.replace(/^exec gosu /, 'exec su-exec ');
  const edits: Edit[] = [{ ...built.edit, text }];
  // A RUN that mentions the tool (installs or downloads it), or a COPY that brings it.
  const installed = ['gosu', 'su-exec'].some((t) => facts.installs.has(t) || facts.words.has(t)) || stage.copies.some((op) => /(^|\/)(gosu|su-exec)$/.test(op.dest));
  if (!installed && pm && rootAtFrom(stage)) edits.push(installAfterFrom(dockerfile, stage, pm, tool));
  const note = installed ? '' : pm ? ` and install ${tool}` : ` (${tool} must be installed in the image)`;
  return { safety: 'unsafe', title: `Hand over with ${text}${note}`, edits };
}

/**
 * entrypoint-shebang: `#!/bin/bash` on an image without bash gets bash installed after FROM, where
 * the base image's package manager is known. Unsafe: it adds a package to the image.
 */
export function installBashFix(stage: Stage, dockerfile: SourceFile): Fix | null {
  let root = stage;
  while (root.baseStage) root = root.baseStage;
  const pm = root.baseKnown ? packageManagerOf(root.base) : null;
  return pm && rootAtFrom(stage) ? { safety: 'unsafe', title: 'Install bash in the image', edits: [installAfterFrom(dockerfile, stage, pm, 'bash')] } : null;
}

/** The stage starts as root (no earlier stage it builds on ended with another USER). */
function rootAtFrom(stage: Stage): boolean {
  const user = stage.baseStage?.config.user;
  return !user || ROOT_USER.test(user.value);
}

/** entrypoint-crlf: every CR before a LF (and a last lone CR) removed. Safe. */
export function crlfFix(unit: ScriptUnit): Fix | null {
  if (unit.kind !== 'file') return null;
  const file = unit.source.file;
  const edits: Edit[] = [];
  const text = file.text;
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) {
    if (text[i + 1] === '\n' || i === text.length - 1) edits.push({ file: file.displayPath, start: i, end: i + 1, text: '' });
  }
  return edits.length > 0 ? { safety: 'safe', title: 'Convert the line endings to LF', edits } : null;
}

/** entrypoint-shebang: the byte order mark before `#!` removed. Safe. */
export function bomFix(unit: ScriptUnit): Fix | null {
  if (unit.kind !== 'file' || !unit.bom) return null;
  return { safety: 'safe', title: 'Remove the byte order mark', edits: [bomEdit(unit.source.file.displayPath)] };
}

/**
 * entrypoint-shebang: `#!/bin/sh` as the first line of a script that parses as POSIX sh. Unsafe:
 * the interpreter is a guess (a script written for bash may still parse as sh).
 */
export function shebangFix(unit: ScriptUnit): Fix | null {
  if (unit.kind !== 'file' || !unit.ast || unit.interpreter !== 'sh' || unit.bom) return null;
  // A file a RUN writes starts inside the Dockerfile, not at its first byte.
  if (unit.origin?.kind === 'written') return null;
  const file = unit.source.file;
  const eol = /\r\n/.test(file.text) ? '\r\n' : '\n';
  return { safety: 'unsafe', title: 'Add #!/bin/sh as the first line', edits: [{ file: file.displayPath, start: 0, end: 0, text: `#!/bin/sh${eol}` }] };
}

/**
 * entrypoint-not-executable: `COPY --chmod=755` when the COPY brings only the script (or its
 * `--chmod` made executable); else `RUN ["chmod", "+x", PATH]` after it. Unsafe: `--chmod`
 * needs BuildKit, and `chmod` must exist in the image.
 */
export function chmodFix(origin: FileOrigin, imagePath: string, stage: Stage, dockerfile: SourceFile): Fix | null {
  if (origin.kind === 'written') return null;
  const op = origin.op;
  const src = op.sources.length === 1 ? op.sources[0] : undefined;
  // --chmod changes every file the COPY brings: only when it brings the script alone.
  const alone = src?.kind === 'heredoc' || (src?.kind === 'context' && origin.kind === 'context' && ContextFs.normalize(src.pattern) === origin.contextPath);
  const copy = alone ? copyChmodEdit(dockerfile, op) : null;
  if (copy) return { safety: 'unsafe', title: `Copy it executable: ${copy.text.trim()} (needs BuildKit)`, edits: [copy] };
  if (op.instruction.heredocs.length > 0 || !stage.instructions.includes(op.instruction)) return null;
  // A RUN after a USER that is not root could not chmod a file COPY made root's.
  const before = stage.instructions.slice(0, stage.instructions.indexOf(op.instruction));
  if (before.some((i) => i.keyword === 'USER' && !/^(root|0)(:.*)?$/.test(i.rest.text.trim()))) return null;
  return { safety: 'unsafe', title: `Make it executable: RUN chmod +x ${imagePath}`, edits: [runChmodAfter(dockerfile, op.instruction, imagePath)] };
}

/**
 * su-sudo, where ENTRYPOINT or CMD starts su/sudo/runuser in exec form: the same array with gosu
 * (`["su", "app", "-c", "server --port 80"]` -> `["gosu", "app", "server", "--port", "80"]`; su-exec
 * on Alpine), and the install line where nothing installs it. Unsafe, as in scripts.
 */
export function execFormSwitchFix(
  setting: CommandSetting,
  stage: Stage,
  facts: RunFacts,
  dockerfile: SourceFile,
  parse: (text: string) => ShellFile | null,
): Fix | null {
  const sw = execFormSwitch(setting, stage, parse);
  if (!sw || setting.form.kind !== 'exec') return null;
  const { switcher, pm, array } = sw;
  const edit = replaceCommandText(dockerfile, setting.form.text, array);
  if (!edit) return null;
  const edits: Edit[] = [edit];
  const installed = ['gosu', 'su-exec'].some((t) => facts.installs.has(t) || facts.words.has(t)) || stage.copies.some((op) => /(^|\/)(gosu|su-exec)$/.test(op.dest));
  if (!installed && pm && rootAtFrom(stage) && setting.stage === stage) edits.push(installAfterFrom(dockerfile, stage, pm, switcher));
  const note = installed ? '' : edits.length > 1 ? ` and install ${switcher}` : ` (${switcher} must be installed in the image)`;
  return { safety: 'unsafe', title: `Start it with ${switcher}: ${setting.instruction.keyword} ${array}${note}`, edits };
}

/**
 * An exec-form ENTRYPOINT or CMD that starts su, runuser or sudo, as the same array with gosu
 * (su-exec on Alpine): `["gosu", "app", "/usr/local/bin/server"]`; null when its words do not say
 * the user and the command plainly.
 */
export function execFormSwitch(
  setting: CommandSetting,
  stage: Stage,
  parse: (text: string) => ShellFile | null,
): { switcher: string; pm: ReturnType<typeof packageManagerOf> | null; array: string } | null {
  if (setting.form.kind !== 'exec') return null;
  const argv = setting.form.argv;
  const tool = basename(argv[0] ?? '');
  let user: string | undefined;
  let command: string[] | null = null;
  if (tool === 'su' || tool === 'runuser') {
    let i = 1;
    while (i < argv.length) {
      const a = argv[i] ?? '';
      if (a === '-s' || a === '--shell') i += 2;
      else if (a === '-m' || a === '-p' || a === '--preserve-environment') i++;
      else if (a === '-u' && tool === 'runuser') {
        user = argv[i + 1];
        i += 2;
      } else if (a === '--' && tool === 'runuser' && user) {
        command = argv.slice(i + 1);
        break;
      } else if (a === '-c' || a === '--command') {
        if (i + 2 !== argv.length) return null;
        const parsed = parse(argv[i + 1] ?? '');
        const words = parsed && parsed.stmts.length === 1 ? literalCommand(parsed.stmts[0] as Stmt) : null;
        command = words ?? ['sh', '-c', argv[i + 1] ?? ''];
        break;
      } else if (a.startsWith('-')) return null;
      else if (user === undefined) {
        user = a;
        i++;
      } else return null;
    }
  } else if (tool === 'sudo') {
    let i = 1;
    while (i < argv.length) {
      const a = argv[i] ?? '';
      if (a === '-u' || a === '--user') {
        user = argv[i + 1];
        i += 2;
      } else if (a === '-E' || a === '-H' || a === '-n' || a === '--preserve-env' || a === '--non-interactive') i++;
      else if (a === '--') {
        i++;
        break;
      } else if (a.startsWith('-')) return null;
      else break;
    }
    command = argv.slice(i);
  }
  if (!plainUser(user) || !command || command.length === 0) return null;
  let root = stage;
  while (root.baseStage) root = root.baseStage;
  const pm = root.baseKnown ? packageManagerOf(root.base) : null;
  const switcher = switchToolFor(pm);
  return { switcher, pm, array: execFormText([switcher, user, ...command]) };
}
