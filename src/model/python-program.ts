/**
 * What dockerlint can tell of a Python program on the launch chain without following it: whether
 * its code can hand the process over to another program or change its user. Python start
 * scripts (`ENTRYPOINT ["/start.py"]`) often end like a shell entrypoint does, with
 * `os.execve("/usr/sbin/gosu", ["gosu", user, ...])`; dockerlint reads no Python, so when the
 * code names such a call the user of the process that runs in the end is unknown.
 */
import { pythonTokens, type PyToken } from '../parsers/python-tokens.js';
import { isUserSwitcherName } from './commands.js';

/** os/posix functions that replace the process with another program. */
const EXEC_CALLS = new Set(['execv', 'execve', 'execvp', 'execvpe', 'execl', 'execle', 'execlp', 'execlpe', 'fexecve']);
/**
 * A library's function whose name says it drops privileges (`system.drop_privs_to('mailu')`,
 * `demote(uid)`), called, not defined, in the program: what it does is not read.
 */
const DROP_NAMED = /^(drop_?priv(ilege)?s?(_to)?|drop_?root|demote|switch_?user|become_?user|change_?user|run_?as_?user)$/i;
/** os/posix functions that change the process's user or groups. */
const USER_CALLS = new Set(['setuid', 'seteuid', 'setreuid', 'setresuid', 'setgid', 'setegid', 'setregid', 'setresgid', 'setgroups', 'initgroups']);

export interface PythonHandover {
  /** As the code names it: `os.execve`, `setuid`, `"gosu"`. */
  what: string;
  kind: 'exec' | 'user' | 'switcher' | 'named';
  /** 1-based line in the program. */
  line: number;
}

/** Whether a file's interpreter is Python (`python3`, `python3.12`, `pypy3`). */
export function isPythonInterpreter(interpreter: string): boolean {
  return /^(python|pypy)[0-9.]*$/.test(interpreter);
}

/**
 * Where the program's code (not a comment, not a string's text) replaces the process
 * (`os.execve`, `os.execvp`), changes its user (`os.setuid`, `os.setgid`, also imported bare:
 * `from os import setuid`), or names a user switch as the program to run in a string literal
 * (`"gosu"`, `"/sbin/su-exec"`), or calls a function whose name says it drops privileges
 * (`drop_privs_to("app")`): the first exec call, else the first user change, else the first such
 * literal, else the first such call; null when it names none.
 */
export function pythonHandover(text: string): PythonHandover | null {
  const tokens = pythonTokens(text);
  const found: Partial<Record<PythonHandover['kind'], PythonHandover>> = {};
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as PyToken;
    if (t.kind === 'name') {
      const call = tokens[i + 1]?.kind === 'op' && tokens[i + 1]?.value === '(';
      const kind = EXEC_CALLS.has(t.value) ? 'exec' : USER_CALLS.has(t.value) ? 'user' : call && DROP_NAMED.test(t.value) ? 'named' : null;
      if (!kind || found[kind]) continue;
      const prev = tokens[i - 1];
      // `def setuid(...)`: the program's own function of that name, not the call.
      if (prev?.kind === 'name' && (prev.value === 'def' || prev.value === 'class')) continue;
      const owner = prev?.kind === 'op' && prev.value === '.' ? tokens[i - 2] : undefined;
      found[kind] = { what: owner?.kind === 'name' ? `${owner.value}.${t.value}` : t.value, kind, line: t.line };
    } else if (t.kind === 'string' && !found.switcher) {
      // The whole literal is the program (`["gosu", user, ...]`, `"/sbin/su-exec"`): a message
      // that starts with the word is not.
      if (/^[\w./-]+$/.test(t.value) && isUserSwitcherName(t.value)) found.switcher = { what: `"${t.value}"`, kind: 'switcher', line: t.line };
    }
  }
  return found.exec ?? found.user ?? found.switcher ?? found.named ?? null;
}
