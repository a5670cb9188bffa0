/**
 * Loops that poll the shell's own background jobs:
 *
 *     server &
 *     pid=$!
 *     while kill -0 "$pid" 2>/dev/null; do sleep 5; done
 *
 * and `until ! kill -0 "$pid"`, `while [ -e /proc/$pid ]`, `while ps -p "$pid"`, `while pgrep -x
 * server >/dev/null`, `while pidof server`. The condition holds while the job runs and the body
 * only passes time, so the shell goes round the loop for as long as the job runs, as it would stay
 * in a `wait`, and goes on only once the job has exited.
 *
 * Not a poll: a readiness loop (`until nc -z localhost 5432`, true once something is up, not
 * while it runs), a condition that also tests something else (`while kill -0 "$pid" && [ -f
 * /run/app.ok ]`), and a body that can leave the loop or stop the job (`break`, `return`, `exit`,
 * `exec`, a `kill` that sends a signal, a function of the script, whose body is not read here).
 */
import type { CallExpr, Stmt, WhileClause, Word, WordPart } from '../../parsers/shell-ast.js';
import { forEachCall } from '../../parsers/shell-walk.js';
import { basename, execSwitcherAt } from '../commands.js';
import type { Job } from './state.js';
import type { Field } from './values.js';

/** What a state of the loop's entry says about its condition. */
export interface PollProbe {
  /** The jobs the shell started and has not stopped on this path. */
  jobs: readonly Job[];
  /** The fields of the condition's words on this path. */
  fields(words: Word[]): Field[];
  /** The script defines a function of this name on this path. */
  isFunction(name: string): boolean;
}

/** The loop's condition and the jobs it polls, when it is a poll on every path that reaches it. */
export interface PollMatch {
  /** The condition's statement, its first test, and where its tests start and end in the file. */
  stmt: Stmt;
  call: CallExpr;
  from: number;
  to: number;
  jobs: Job[];
}

/** Commands a poll's body may run: they only pass time or print. Anything else may end the loop or stop the job. */
const BREAKS_OUT = new Set(['break', 'return', 'exit', 'exec', 'wait', 'trap', 'eval', '.', 'source', 'set', 'shift']);

/** `/proc/<pid>` and the files in it that exist as long as the process does. */
const PROC_ENTRIES = new Set(['', '/', '/status', '/stat', '/cmdline', '/comm']);

/** The longest name `pgrep -x` and `pidof` match: the kernel keeps 15 characters of a process name. */
const COMM_LENGTH = 15;

/**
 * The condition of `c` and the jobs it polls, when on every one of `paths` (the states that enter
 * the loop) it tests that some of the shell's running jobs are alive, and the body cannot leave
 * the loop but by that test failing. Null otherwise. `while A && B` with both liveness tests goes
 * round while every job they name runs (the loop that stops when one of two servers dies).
 */
export function pollOf(c: WhileClause, paths: readonly PollProbe[]): PollMatch | null {
  const [stmt, ...more] = c.cond;
  if (!stmt || more.length > 0 || stmt.background) return null;
  // `while TEST` and `until ! TEST` go round while the job runs; `until TEST` waits for it to start.
  const calls = c.until ? (stmt.negated && stmt.cmd?.type === 'CallExpr' ? [stmt.cmd] : null) : stmt.negated ? null : tests(stmt);
  if (!calls || calls.length === 0) return null;
  if (calls.some((call) => call.assigns.length > 0 || call.args.length === 0 || !call.args.every(plainWord))) return null;
  if (paths.length === 0 || !passesTime(c.do, paths)) return null;
  const jobs: Job[] = [];
  for (const p of paths) {
    for (const call of calls) {
      const polled = polledJobs(p.fields(call.args), p.jobs);
      if (!polled) return null;
      for (const j of polled) if (!jobs.includes(j)) jobs.push(j);
    }
  }
  const first = calls[0] as CallExpr;
  const last = calls[calls.length - 1] as CallExpr;
  return { stmt, call: first, from: first.p[2], to: last.e[2], jobs };
}

/** The simple commands of `A && B && C` in order (each not negated, not in the background), or null for another shape. */
function tests(s: Stmt): CallExpr[] | null {
  if (s.negated || s.background) return null;
  const c = s.cmd;
  if (c?.type === 'CallExpr') return [c];
  if (c?.type !== 'BinaryCmd' || c.op !== '&&') return null;
  const x = tests(c.x);
  const y = tests(c.y);
  return x && y ? [...x, ...y] : null;
}

/** A word with no command in it and no expansion but a plain `$name` (expanding it runs nothing). */
function plainWord(w: Word): boolean {
  const part = (p: WordPart): boolean => {
    if (p.type === 'Lit' || p.type === 'SglQuoted') return true;
    if (p.type === 'DblQuoted') return p.parts.every(part);
    if (p.type === 'ParamExp') return p.op === null && p.index === null && !p.excl && !p.length && p.word === null;
    return false;
  };
  return w.parts.every(part);
}

/** The body can leave the loop only by coming back to its test: it runs no command that jumps, ends or signals. */
function passesTime(body: Stmt[], paths: readonly PollProbe[]): boolean {
  let ok = body.length > 0;
  forEachCall(body, (call, s) => {
    // A job started in the body (`sleep 5 & wait $!`) is the shell's too: not followed here.
    if (s.background) ok = false;
    const head = call.args[0];
    const name = head && head.parts.length === 1 && head.parts[0]?.type === 'Lit' ? head.parts[0].value : null;
    if (name === null || BREAKS_OUT.has(name) || paths.some((p) => p.isFunction(name))) ok = false;
    // `kill -0` only asks; any other kill may stop the job.
    else if (name === 'kill') {
      const opt = call.args[1]?.parts.length === 1 && call.args[1].parts[0]?.type === 'Lit' ? call.args[1].parts[0].value : null;
      if (opt !== '-0') ok = false;
    }
  });
  return ok;
}

/** The running jobs a liveness test asks about, or null when the test is not one. */
function polledJobs(argv: readonly Field[], jobs: readonly Job[]): Job[] | null {
  if (argv.some((f) => f.multi)) return null;
  const words = argv.map((f) => f.s);
  const head = words[0];
  const byPid = (fs: readonly Field[], before: string, after: ReadonlySet<string>): Job[] | null => {
    if (fs.length === 0) return null;
    const out: Job[] = [];
    for (const f of fs) {
      const p = f.pid;
      if (!p || p.before !== before || !after.has(p.after) || !jobs.includes(p.job)) return null;
      if (!out.includes(p.job)) out.push(p.job);
    }
    return out;
  };
  const bare = new Set(['']);
  switch (head) {
    case 'kill': {
      // `kill -0 PID...`, `kill -s 0 PID`: signal 0 only tests that the process exists.
      let i = words[1] === '-0' ? 2 : words[1] === '-s' && words[2] === '0' ? 3 : -1;
      if (i < 0) return null;
      if (words[i] === '--') i++;
      return byPid(argv.slice(i), '', bare);
    }
    case '[':
    case 'test': {
      // `[ -e /proc/$pid ]`, `test -d "/proc/$pid"`.
      const operands = head === '[' ? (words[words.length - 1] === ']' ? argv.slice(1, -1) : null) : argv.slice(1);
      if (!operands || operands.length !== 2 || !['-e', '-d', '-f', '-r'].includes(operands[0]?.s ?? '')) return null;
      return byPid(operands.slice(1), '/proc/', PROC_ENTRIES);
    }
    case 'ps': {
      // `ps -p PID`, `ps -p PID -o pid=`.
      const rest = words.slice(1);
      if ((rest[0] !== '-p' && rest[0] !== '--pid') || !(rest.length === 2 || (rest.length === 4 && rest[2] === '-o' && rest[3] !== null))) return null;
      return byPid(argv.slice(2, 3), '', bare);
    }
    case 'pgrep':
    case 'pidof':
      return byName(head, words.slice(1), jobs);
    default:
      return null;
  }
}

/** `pgrep [-x] NAME`, `pgrep -f PATTERN`, `pidof NAME`: the jobs whose program has that name. */
function byName(tool: 'pgrep' | 'pidof', args: readonly (string | null)[], jobs: readonly Job[]): Job[] | null {
  const known = tool === 'pgrep' ? ['-x', '-f', '-o', '-n', '-l', '-a'] : ['-x', '-s'];
  const opts = args.filter((a) => a !== null && a.startsWith('-'));
  const names = args.filter((a) => a === null || !a.startsWith('-'));
  const name = names[0];
  if (names.length !== 1 || name === null || name === undefined || !opts.every((o) => known.includes(o as string))) return null;
  const full = tool === 'pgrep' && opts.includes('-f');
  // A pattern with regular-expression characters matches what it matches: not followed.
  if (!/^[\w./+-]+$/.test(name) || (!full && name.length > COMM_LENGTH)) return null;
  const out = jobs.filter((j) =>
    j.cmds.some((c) => {
      const words = c.argv.map((f) => (f.multi ? null : f.s));
      if (full) return words.every((w) => w !== null) && words.join(' ').includes(name);
      const program = programOf(words);
      return program !== null && basename(program) === name;
    }),
  );
  return out.length > 0 ? out : null;
}

/** The program a job's command line runs: after `exec`, `nohup`, `command`, and a user switch that execs (`gosu app server`). */
function programOf(words: readonly (string | null)[]): string | null {
  let i = 0;
  while (words[i] === 'exec' || words[i] === 'nohup' || words[i] === 'command') i++;
  const sw = execSwitcherAt(words, i);
  if (sw && (sw.tool === 'gosu' || sw.tool === 'su-exec')) i = sw.args + 1;
  return words[i] ?? null;
}
