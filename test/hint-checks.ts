/**
 * Mechanical checks that a finding's message and hint are valid code where they show code:
 * balanced backticks, shell snippets that parse, JSON arrays that parse, no doubled quotes, no
 * `exec` in front of a shell function or of a variable that already holds `exec`, and an exec
 * form suggested for a shell-form instruction that splits its words as the shell does.
 */
import type { ShellParser } from '../src/parsers/shell.js';
import type { Assign, Stmt, Word } from '../src/parsers/shell-ast.js';
import { childStmts, forEachCall } from '../src/parsers/shell-walk.js';
import { wordLiteral } from '../src/model/commands.js';

export interface ShownFinding {
  /** Where the finding was collected (a fixture case, a real image), for failure messages. */
  where: string;
  file: string;
  line: number;
  rule: string;
  message: string;
  hint: string | null;
  /** The text of a file the case holds, by its display path; null when not there. */
  read(file: string): string | null;
}

const KEYWORDS = /^(RUN|CMD|ENTRYPOINT|SHELL|USER|COPY|ADD|ENV|ARG|LABEL|WORKDIR|HEALTHCHECK|FROM|EXPOSE|VOLUME|STOPSIGNAL|ONBUILD|MAINTAINER)\b/;

/** The code spans of a text: what is between each pair of backticks. */
export function codeSpans(text: string): string[] {
  const out: string[] = [];
  const re = /`([^`]*)`/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] as string);
  return out;
}

/**
 * The JSON arrays a text shows, from each `[` directly followed by a double quote to its
 * matching `]` (strings skipped), whether or not they parse.
 */
export function jsonArrays(text: string): string[] {
  const out: string[] = [];
  for (let i = text.indexOf('["'); i >= 0; i = text.indexOf('["', i + 1)) {
    let depth = 0;
    let inString = false;
    for (let j = i; j < text.length; j++) {
      const c = text[j];
      if (inString) {
        if (c === '\\') j++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '[') depth++;
      else if (c === ']' && --depth === 0) {
        out.push(text.slice(i, j + 1));
        break;
      }
    }
  }
  return out;
}

/** Placeholders a hint may show in code (`<user>`, `{user}` left unfilled is an error of its own). */
function withoutPlaceholders(code: string): string {
  return code.replace(/<[a-z][a-z0-9 _./-]*>/gi, 'PLACEHOLDER').replace(/(^|\s)\.\.\.(?=\s|$|;)/g, '$1PLACEHOLDER');
}

/** Not shell: JavaScript (`process.on(...)`), compose YAML (`init: true`), a path glob. */
function notShell(code: string): boolean {
  return /process\.|=>|require\(|^\w[\w-]*: /.test(code);
}

/** Shell code, or a piece to append or prepend to a command list (`&& rm -rf /var/lib/apt/lists/*`, `set -o pipefail &&`). */
function parseFragment(parser: ShellParser, code: string): ReturnType<ShellParser['parse']> {
  const r = parser.parse(code, 'bash');
  if (r.ok) return r;
  const joined = `${/^(&&|\|\||\|)/.test(code) ? 'true ' : ''}${code}${/(&&|\|\||\|)$/.test(code) ? ' true' : ''}`;
  return joined === code ? r : parser.parse(joined, 'bash');
}

export function checkFinding(f: ShownFinding, parser: ShellParser): string[] {
  const problems: string[] = [];
  const say = (what: string): void => {
    problems.push(`${f.where}: ${f.file}:${f.line} ${f.rule}: ${what}`);
  };
  for (const [field, text] of [['message', f.message], ['hint', f.hint]] as const) {
    if (text === null) continue;
    if ((text.match(/`/g) ?? []).length % 2 !== 0) say(`${field} has an odd number of backticks: ${text}`);
    for (const span of codeSpans(text)) {
      if (span.includes('…')) say(`${field} cuts a code span short: \`${span}\``);
      if (span.trim() === '') say(`${field} has an empty code span: ${text}`);
    }
    // `""x""`: a quoted value quoted again (an empty `""` and the `'\''` idiom are fine).
    if (/(^|[\s(=`])(""[^"\s,\])`]|''[^'\s,\])`])/.test(text.replace(/'\\''/g, ''))) say(`${field} doubles its quotes: ${text}`);
    if (/\{[a-zA-Z]+\}/.test(text.replace(/`[^`]*`/g, '').replace(/\$\{[^}]*\}/g, ''))) say(`${field} has an unfilled placeholder: ${text}`);
    // A message may quote the input it finds wrong (`["echo" "hello"]`); a hint's arrays are advice.
    if (field === 'hint') for (const arr of jsonArrays(text)) {
      let ok = false;
      try {
        const v: unknown = JSON.parse(arr);
        ok = Array.isArray(v) && v.every((x) => typeof x === 'string');
      } catch {
        ok = false;
      }
      if (!ok) say(`${field} shows a JSON array that does not parse: ${arr}`);
    }
  }
  if (f.hint === null) return problems;
  const script = scriptOf(f, parser);
  for (const span of codeSpans(f.hint)) {
    const code = span.trim();
    if (code === '' || code.startsWith('#') || notShell(code)) continue;
    const kw = KEYWORDS.exec(code);
    if (kw) {
      // A Dockerfile line: the command of RUN, CMD, ENTRYPOINT, HEALTHCHECK CMD is shell or JSON.
      const rest = code.slice((kw[1] as string).length).replace(/^\s+CMD\b/, '').replace(/^(\s+--[a-z-]+=\S+)+/, '').trim();
      if (!['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(kw[1] as string) || rest === '' || rest.startsWith('[')) continue;
      const r = parser.parse(withoutPlaceholders(rest), 'bash');
      if (!r.ok) say(`hint shows a ${kw[1]} whose command does not parse (${r.error.message}): ${code}`);
      continue;
    }
    // An operator alone (`&&`, `!` of an ignore file, `<`) is named, not shown as code.
    if (/^[!&|<>=;]+$/.test(code)) continue;
    const r = parseFragment(parser, withoutPlaceholders(code));
    if (!r.ok) {
      say(`hint shows shell code that does not parse (${r.error.message}): ${code}`);
      continue;
    }
    forEachCall(r.file.stmts, (call) => {
      const first = call.args[0] ? wordLiteral(call.args[0]) : null;
      // gosu and su-exec take no `--`: `gosu app -- cmd` runs a program named `--`.
      const i = first === 'exec' ? 1 : 0;
      const tool = call.args[i] ? wordLiteral(call.args[i] as Word) : null;
      if ((tool === 'gosu' || tool === 'su-exec') && call.args[i + 2] && wordLiteral(call.args[i + 2] as Word) === '--') say(`hint passes -- to ${tool}, which takes none: ${code}`);
      if (!script || first !== 'exec' || !call.args[1]) return;
      const target = call.args[1];
      const name = wordLiteral(target);
      if (name !== null && script.functions.has(name)) say(`hint puts exec in front of the shell function ${name}: ${code}`);
      const v = variableOf(target);
      if (v !== null && script.holdsExec.has(v)) say(`hint puts exec in front of $${v}, which already holds exec: ${code}`);
    });
  }
  checkExecForm(f, parser, say);
  return problems;
}

/** The functions a script defines and the variables it sets to a command that starts with exec. */
function scriptOf(f: ShownFinding, parser: ShellParser): { functions: Set<string>; holdsExec: Set<string> } | null {
  if (/(^|\/)Dockerfile[^/]*$/.test(f.file)) return null;
  const text = f.read(f.file);
  if (text === null) return null;
  const r = parser.parse(text, 'bash');
  if (!r.ok) return null;
  const functions = new Set<string>();
  const holdsExec = new Set<string>();
  const assigned = (as: readonly Assign[]): void => {
    for (const a of as) {
      const v = a.value ? wordLiteral(a.value) : null;
      if (a.name && v !== null && /^\s*exec\s/.test(v)) holdsExec.add(a.name);
    }
  };
  const todo: Stmt[] = [...r.file.stmts];
  for (let s = todo.pop(); s; s = todo.pop()) {
    const c = s.cmd;
    if (c?.type === 'FuncDecl') functions.add(c.name);
    if (c?.type === 'CallExpr') assigned(c.assigns);
    if (c?.type === 'DeclClause') assigned(c.args);
    todo.push(...childStmts(c));
  }
  return { functions, holdsExec };
}

/** `$cmd`, `"$cmd"`, `${cmd}`: the variable a word is, or null. */
function variableOf(w: Word): string | null {
  const parts = w.parts.length === 1 && w.parts[0]?.type === 'DblQuoted' ? w.parts[0].parts : w.parts;
  const p = parts.length === 1 ? parts[0] : undefined;
  return p?.type === 'ParamExp' && /^[A-Za-z_]\w*$/.test(p.param) ? p.param : null;
}

/**
 * A hint that shows `ENTRYPOINT [...]` or `CMD [...]` for a shell-form instruction of that
 * keyword at the finding's line: where the array is that instruction's words, it has them as the
 * shell splits them.
 */
function checkExecForm(f: ShownFinding, parser: ShellParser, say: (what: string) => void): void {
  if (f.hint === null || !/(^|\/)Dockerfile[^/]*$/.test(f.file)) return;
  const text = f.read(f.file);
  if (text === null) return;
  const line = text.split('\n')[f.line - 1] ?? '';
  const m = /^\s*(ENTRYPOINT|CMD)\s+(.*)$/i.exec(line);
  if (!m || (m[2] as string).trim().startsWith('[') || /\\\s*$/.test(line)) return;
  const keyword = (m[1] as string).toUpperCase();
  const r = parser.parse(m[2] as string, 'posix');
  if (!r.ok || r.file.stmts.length !== 1) return;
  const stmt = r.file.stmts[0] as Stmt;
  if (stmt.cmd?.type !== 'CallExpr' || stmt.redirs.length > 0 || (stmt.cmd.assigns ?? []).length > 0) return;
  let words = stmt.cmd.args.map((w) => wordLiteral(w));
  if (words.some((w) => w === null)) return;
  if (words[0] === 'exec') words = words.slice(1);
  for (const arr of jsonArrays(f.hint)) {
    const at = f.hint.indexOf(arr);
    if (!new RegExp(`${keyword}\\s*$`).test(f.hint.slice(0, at))) continue;
    let shown: string[];
    try {
      shown = JSON.parse(arr) as string[];
    } catch {
      continue; // said already
    }
    // Built from this instruction: it names the same program. Then it must be the same words.
    const program = words[0] as string;
    const i = shown.findIndex((x) => x.replace(/^["']+|["']+$/g, '') === program);
    if (i < 0) continue;
    const tail = shown.slice(i);
    if (JSON.stringify(tail) !== JSON.stringify(words)) say(`hint's exec form ${arr} does not split \`${(m[2] as string).trim()}\` as the shell does (${JSON.stringify(words)})`);
  }
}
