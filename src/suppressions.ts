/**
 * Suppression comments, in Dockerfiles and in the shell scripts they start.
 *
 *   # dockerlint ignore=rule-a,rule-b -- reason     the next non-comment line (and, when it starts
 *                                                  an instruction or a command that goes on over
 *                                                  several lines, all of it)
 *   # dockerlint ignore-file=rule-a -- reason       the whole file
 *
 * Migration from other tools (Dockerfiles only; see docs/suppressions.md for the table):
 *
 *   # hadolint ignore=DL3002,DL3025                 the next line, for the codes that have an
 *   # hadolint global ignore=DL3002                 equivalent rule here (HADOLINT_EQUIVALENTS)
 *   # check=skip=JSONArgsRecommended                BuildKit's parser directive: the whole file
 *                                                  (below the directives, right above an
 *                                                  instruction: that instruction only)
 *
 * In a Dockerfile, a suppression also covers the findings whose evidence chain passes through the
 * line it targets (or, file-wide, through the file): the Dockerfile is where every chain starts,
 * so `# dockerlint ignore=su-sudo` above ENTRYPOINT silences a finding in an entrypoint script
 * you do not own. In a script, a suppression covers only findings located in it.
 *
 * Callers pass only real comments: a Dockerfile's `#` lines outside heredoc bodies
 * (`dockerfileComments`), a script's comments from its syntax tree (so `#` inside a string or a
 * heredoc never counts). `dockerfileSuppressions` and `scriptSuppressions` do all of it.
 */
import { compareFindings, type Finding } from './findings.js';
import { parseDockerfile, type DockerfileAst } from './parsers/dockerfile.js';
import type { Command, ShellFile, Stmt } from './parsers/shell-ast.js';
import { childStmts } from './parsers/shell-walk.js';
import { SourceFile } from './parsers/source.js';
import { RULES } from './rules/index.js';
import { peersOf, type Peers, type Rule } from './rules/rule.js';

/** The rule id of the findings this module adds. */
const SUPPRESSION_RULE = 'suppression';

export interface CommentLine {
  /** 1-based line of the comment. */
  line: number;
  /** The comment's text, with or without its leading `#`. */
  text: string;
  /** 1-based column of the `#` (default 1). */
  column?: number;
  /** The comment follows code on its line (`exec "$@"  # ...`): it applies to its own line. */
  trailing?: boolean;
}

/** Lines `line..endLine` (1-based, inclusive). */
export interface LineRange {
  line: number;
  endLine: number;
}

export type SuppressionKind = 'dockerfile' | 'shell';
export type SuppressionSource = 'dockerlint' | 'hadolint' | 'buildkit';

export interface Suppression {
  source: SuppressionSource;
  scope: 'next-line' | 'file';
  /** The comment's own place. */
  line: number;
  column: number;
  endColumn: number;
  /** The ids as written (`root-process`, or `DL3002` for hadolint, `JSONArgsRecommended` for BuildKit). */
  written: string[];
  /** The dockerlint rule ids it suppresses. */
  rules: string[];
  /** For `next-line`: the lines it covers; null when nothing follows the comment. */
  target: LineRange | null;
  reason: string | null;
}

/** A comment that looks like a dockerlint suppression but cannot be read. */
export interface SuppressionProblem {
  line: number;
  column: number;
  endColumn: number;
  message: string;
}

export interface FileSuppressions {
  /** The file's display path, as in `Finding.file`. */
  file: string;
  kind: SuppressionKind;
  suppressions: Suppression[];
  problems: SuppressionProblem[];
  /**
   * BuildKit's `# check=error=true` among the parser directives: the findings of the rules with a
   * BuildKit equivalent are errors in this file (the build fails on them).
   */
  checkErrors?: boolean;
}

/**
 * Codes of a peer tool whose suppression comments also silence rules here (`# hadolint
 * ignore=DL3002`, `# check=skip=JSONArgsRecommended`): from each rule's `peers`.
 */
export function peerSuppressions(tool: Exclude<keyof Peers, 'shellcheck'>, rules: readonly Rule[] = RULES): Record<string, string[]> {
  const table: Record<string, string[]> = {};
  for (const rule of rules) {
    // `rule#messageId` when the code stands for some of the rule's messages only.
    for (const p of peersOf(rule, tool)) if (p.suppresses !== false) (table[p.code] ??= []).push(...(p.messages ? p.messages.map((m) => `${rule.id}#${m}`) : [rule.id]));
  }
  return table;
}

/**
 * hadolint codes with an equivalent here, from the rules' `peers` (docs/migrating-from-hadolint.md
 * has the table). DL3025 ("use arguments JSON notation for CMD and ENTRYPOINT") stands for
 * json-args, shell-form-pid1 and invalid-exec-form; codes not listed are hadolint's alone and are
 * left to it.
 */
const HADOLINT_EQUIVALENTS: Readonly<Record<string, readonly string[]>> = peerSuppressions('hadolint');

/**
 * BuildKit build checks with an equivalent here, from the rules' `peers`. JSONArgsRecommended fires on shell-form CMD and
 * ENTRYPOINT, and BuildKit parses pseudo-JSON (`CMD ['a']`) as shell form, so it covers both
 * shell-form-pid1 and invalid-exec-form. `skip=all` skips these too.
 */
const BUILDKIT_EQUIVALENTS: Readonly<Record<string, readonly string[]>> = peerSuppressions('buildkit');

/** Parser directives BuildKit knows: only these keep the directive block at the top open. */
const BUILDKIT_DIRECTIVES = new Set(['syntax', 'escape', 'check']);

const DOCKERLINT = /^dockerlint\s+(ignore|ignore-file)\s*=\s*(.*)$/;
/** Something meant as a dockerlint suppression (`dockerlint-ignore x`, `dockerlint disable=x`). */
const DOCKERLINT_LIKE = /^dockerlint[\s:_-]*(ignore|disable|skip)(?![a-z])/i;
const HADOLINT = /^hadolint\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9\s,]+?)\s*(#.*)?$/;
/** A rule id, or a ShellCheck finding's (`shellcheck/SC2086`). */
const RULE_ID = /^([A-Za-z0-9][A-Za-z0-9_-]*|shellcheck\/SC\d{4})$/;
const SHELLCHECK_ID = /^shellcheck\/SC\d{4}$/;

function body(text: string): string {
  return text.replace(/^[\s#]+/, '').trimEnd();
}

/**
 * Reads the suppressions out of a file's comments. `extentsGiven` (optional; or a function that
 * computes them, called only when a comment needs them) are the line ranges of the file's
 * instructions or commands: a next-line suppression covers the whole of one that starts on its
 * target line.
 */
export function parseSuppressions(fileName: string, comments: CommentLine[], kind: SuppressionKind, extentsGiven: LineRange[] | (() => LineRange[]) = []): FileSuppressions {
  const out: FileSuppressions = { file: fileName, kind, suppressions: [], problems: [] };
  const sorted = [...comments].sort((a, b) => a.line - b.line);
  const commentLines = new Set(sorted.filter((c) => !c.trailing).map((c) => c.line));
  // The extents and the last line are worked out on the first comment that needs a target: most
  // files hold no suppression comment at all.
  let known: { extents: LineRange[]; lastLine: number } | null = null;
  const extentsInfo = (): { extents: LineRange[]; lastLine: number } => {
    if (known) return known;
    const extents = typeof extentsGiven === 'function' ? extentsGiven() : extentsGiven;
    // A loop, not Math.max(...): a file may hold more comments than a call takes arguments.
    let lastLine = 0;
    for (const c of sorted) lastLine = Math.max(lastLine, c.line);
    for (const e of extents) lastLine = Math.max(lastLine, e.endLine);
    known = { extents, lastLine };
    return known;
  };

  const targetOf = (c: CommentLine): LineRange | null => {
    if (c.trailing) return covering(c.line);
    let t = c.line + 1;
    while (commentLines.has(t)) t++;
    const { extents, lastLine } = extentsInfo();
    // Past every known line there may still be one (the caller gave no extents): keep the next.
    if (extents.length > 0 && t > lastLine) return null;
    return covering(t);
  };
  const covering = (t: number): LineRange => {
    let end = t;
    for (const e of extentsInfo().extents) if (e.line === t && e.endLine > end) end = e.endLine;
    return { line: t, endLine: end };
  };

  for (const c of sorted) {
    const text = body(c.text);
    const column = c.column ?? 1;
    const endColumn = column + c.text.replace(/\s+$/, '').length + (c.text.startsWith('#') ? 0 : 1);
    const place = { line: c.line, column, endColumn };
    const m = DOCKERLINT.exec(text);
    if (m) {
      const [, verb, rest] = m as unknown as [string, string, string];
      const dash = rest.search(/(^|\s)--(\s|$)/);
      const idsText = (dash === -1 ? rest : rest.slice(0, dash)).trim();
      const reason = dash === -1 ? null : rest.slice(dash).replace(/^\s*--\s*/, '').trim() || null;
      const ids = idsText.split(',').map((s) => s.trim());
      const bad = ids.filter((id) => !RULE_ID.test(id));
      if (idsText === '' || bad.length > 0) {
        out.problems.push({
          ...place,
          message: idsText === '' ? `\`# dockerlint ${verb}=\` names no rule` : `cannot read \`${bad[0] || '(empty)'}\` as a rule id in \`# dockerlint ${verb}=\`: separate ids with commas, and put a reason after \` -- \``,
        });
        continue;
      }
      const scope = verb === 'ignore-file' ? 'file' : 'next-line';
      out.suppressions.push({
        source: 'dockerlint',
        scope,
        ...place,
        written: [...new Set(ids)],
        rules: [...new Set(ids)],
        target: scope === 'file' ? null : targetOf(c),
        reason,
      });
      continue;
    }
    if (DOCKERLINT_LIKE.test(text)) {
      out.problems.push({
        ...place,
        message: 'this looks like a dockerlint suppression but is not one: write `# dockerlint ignore=rule-a,rule-b -- reason` (next line) or `# dockerlint ignore-file=rule` (whole file)',
      });
      continue;
    }
    if (kind !== 'dockerfile') continue;
    const h = HADOLINT.exec(text);
    if (h) {
      const codes = (h[2] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      // hadolint's SCxxxx codes are ShellCheck's findings on RUN (`shellcheck: true`).
      const rules = [...new Set(codes.flatMap((code) => (/^SC\d{4}$/.test(code) ? [`shellcheck/${code}`] : (HADOLINT_EQUIVALENTS[code] ?? []))))];
      if (rules.length === 0) continue;
      const scope = h[1] ? 'file' : 'next-line';
      out.suppressions.push({ source: 'hadolint', scope, ...place, written: codes, rules, target: scope === 'file' ? null : targetOf(c), reason: null });
    }
  }

  if (kind === 'dockerfile') {
    const directives = buildkitDirectives(sorted);
    out.suppressions.push(...directives.suppressions);
    if (directives.errors) out.checkErrors = true;
    // Below the parser directives, `# check=skip=...` among the comments BuildKit gives an
    // instruction skips those checks for that instruction only. Those comments are the ones since
    // the previous instruction: blank lines do not end them, an empty `#` line drops the ones
    // before it, and the first `check` comment among them counts (what follows a space is a remark).
    const starts = extentsInfo().extents.map((e) => e.line).sort((a, b) => a - b);
    const empty = sorted.filter((c) => !c.trailing && body(c.text) === '').map((c) => c.line);
    const claimed = new Set<number>();
    for (const c of sorted) {
      if (c.trailing || c.line <= directives.endLine || claimed.has(c.line)) continue;
      const m = /^\s*check\s*=\s*(\S*)/i.exec(c.text.replace(/^#/, ''));
      if (!m) continue;
      const next = starts.length > 0 ? starts.find((l) => l > c.line) : targetOf(c)?.line;
      if (next === undefined || empty.some((l) => l > c.line && l < next)) continue;
      for (const d of sorted) if (d.line > c.line && d.line < next) claimed.add(d.line);
      const names = skipNames(m[1] ?? '');
      const rules = buildkitRules(names);
      if (rules.length === 0) continue;
      const column = c.column ?? 1;
      out.suppressions.push({ source: 'buildkit', scope: 'next-line', line: c.line, column, endColumn: column + c.text.replace(/\s+$/, '').length, written: names, rules, target: covering(next), reason: null });
    }
  }
  return out;
}

/** The check names of a `check=` value's `skip=` part (`skip=A,B;error=true`). */
function skipNames(value: string): string[] {
  for (const part of value.split(';')) {
    const kv = /^\s*skip\s*=\s*(.*?)\s*$/.exec(part);
    if (kv) return (kv[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  }
  return [];
}

/** The dockerlint rules that BuildKit check names stand for (`all`: every one with a BuildKit peer). */
function buildkitRules(names: readonly string[]): string[] {
  // Check names are case-sensitive (PascalCase), as BuildKit reads them.
  return names.includes('all') ? [...new Set(Object.values(BUILDKIT_EQUIVALENTS).flat())] : [...new Set(names.flatMap((n) => BUILDKIT_EQUIVALENTS[n] ?? []))];
}

/**
 * `# check=skip=...` among the parser directives at the very top of a Dockerfile (the whole file),
 * and the last line of that directive block (0 when there is none).
 */
function buildkitDirectives(comments: CommentLine[]): { suppressions: Suppression[]; endLine: number; errors: boolean } {
  const out: Suppression[] = [];
  let errors = false;
  let expected = 1;
  for (const c of comments) {
    // Directives are the unbroken run of `# key=value` lines from line 1; a blank line, an
    // instruction, or any other comment ends it.
    if (c.line !== expected || c.trailing || (c.column ?? 1) !== 1) break;
    const d = /^\s*([A-Za-z][A-Za-z0-9]*)\s*=\s*(.*?)\s*$/.exec(c.text.replace(/^#/, ''));
    if (!d || !BUILDKIT_DIRECTIVES.has((d[1] ?? '').toLowerCase())) break;
    expected++;
    if ((d[1] ?? '').toLowerCase() !== 'check') continue;
    if ((d[2] ?? '').split(';').some((part) => /^\s*error\s*=\s*true\s*$/i.test(part))) errors = true;
    const names = skipNames(d[2] ?? '');
    const rules = buildkitRules(names);
    if (rules.length === 0) continue;
    out.push({
      source: 'buildkit',
      scope: 'file',
      line: c.line,
      column: 1,
      endColumn: 1 + c.text.length + (c.text.startsWith('#') ? 0 : 1),
      written: names,
      rules,
      target: null,
      reason: null,
    });
  }
  return { suppressions: out, endLine: expected - 1, errors };
}

export interface ApplyOptions {
  /** Report dockerlint suppressions that suppressed nothing. */
  reportUnused: boolean;
  /** Every id a suppression may name (the rule ids, and the diagnostics if they may be suppressed). */
  knownIds: Set<string>;
  /** Rules turned off for this run: their suppressions are never reported as unused. */
  offIds?: Set<string>;
}

/**
 * Drops the suppressed findings and adds `suppression` findings (warnings): for a suppression
 * comment that cannot be read, for an unknown rule id in a dockerlint suppression (always), and
 * for a dockerlint suppression that suppressed nothing (with `reportUnused`). hadolint and
 * BuildKit comments are never reported: they are there for those tools too.
 */
/** A finding of a rule (and message) that a BuildKit check stands for. */
function isBuildkitCheck(f: Finding): boolean {
  const all = (BUILDKIT_RULES ??= new Set(Object.values(BUILDKIT_EQUIVALENTS).flat()));
  return all.has(f.rule) || (f.messageId !== undefined && all.has(`${f.rule}#${f.messageId}`));
}
let BUILDKIT_RULES: Set<string> | null = null;

export function applySuppressions(findings: Finding[], byFile: Map<string, FileSuppressions>, options: ApplyOptions): Finding[] {
  const used = new Map<Suppression, Set<string>>();
  const kept: Finding[] = [];
  for (const f of findings) {
    if (f.rule !== SUPPRESSION_RULE && matchAll(f, byFile, used)) continue;
    // `# check=error=true`: what BuildKit would warn about fails its build, so it is an error here.
    const inFile = byFile.get(f.file);
    if (inFile?.checkErrors && f.severity !== 'error' && isBuildkitCheck(f)) kept.push({ ...f, severity: 'error' });
    else kept.push(f);
  }

  const known = [...options.knownIds].sort();
  for (const fs of byFile.values()) {
    for (const p of fs.problems) {
      kept.push(problem(fs.file, p, p.message, 'Fix the comment, or remove it.'));
    }
    for (const s of fs.suppressions) {
      if (s.source !== 'dockerlint') continue;
      const verb = s.scope === 'file' ? 'ignore-file' : 'ignore';
      for (const id of s.written) {
        if (!options.knownIds.has(id) && !SHELLCHECK_ID.test(id)) {
          kept.push(problem(fs.file, s, `unknown rule id \`${id}\` in \`# dockerlint ${verb}=\`; known: ${known.join(', ')}`, 'Correct the rule id (see dockerlint --list-rules), or remove it.'));
        } else if (options.reportUnused && !options.offIds?.has(id) && !used.get(s)?.has(id)) {
          const where =
            s.scope === 'file'
              ? 'in this file'
              : s.target === null
                ? 'after it (nothing follows the comment)'
                : s.target.endLine > s.target.line
                  ? `on lines ${s.target.line}-${s.target.endLine}`
                  : `on line ${s.target.line}`;
          kept.push(problem(fs.file, s, `unused suppression: no \`${id}\` finding ${where}`, `Remove \`${id}\` from the comment (or the whole comment if it names nothing else).`));
        }
      }
    }
  }
  return kept.sort(compareFindings);
}

/** Whether some suppression covers the finding; marks every one that does as used. */
function matchAll(f: Finding, byFile: Map<string, FileSuppressions>, used: Map<Suppression, Set<string>>): boolean {
  let suppressed = false;
  const places = [{ file: f.file, line: f.line, own: true }, ...f.related.map((r) => ({ file: r.file, line: r.line, own: false }))];
  for (const p of places) {
    const fs = byFile.get(p.file);
    if (!fs || (!p.own && fs.kind !== 'dockerfile')) continue;
    for (const s of fs.suppressions) {
      if (!s.rules.includes(f.rule) && !(f.messageId !== undefined && s.rules.includes(`${f.rule}#${f.messageId}`))) continue;
      const hit = s.scope === 'file' || (s.target !== null && p.line >= s.target.line && p.line <= s.target.endLine);
      if (!hit) continue;
      suppressed = true;
      let ids = used.get(s);
      if (!ids) used.set(s, (ids = new Set()));
      ids.add(f.rule);
    }
  }
  return suppressed;
}

function problem(file: string, at: { line: number; column: number; endColumn: number }, message: string, hint: string): Finding {
  return {
    rule: SUPPRESSION_RULE,
    severity: 'warning',
    message,
    hint,
    file,
    line: at.line,
    column: at.column,
    endLine: at.line,
    endColumn: Math.max(at.column, at.endColumn),
    related: [{ file, line: at.line, column: at.column, message: '' }],
  };
}

/**
 * The real comments of a Dockerfile: lines whose first non-blank character is `#`, outside
 * heredoc bodies (a `#` line in `RUN <<EOF ... EOF` is part of the script, not a comment).
 * `heredocs` are the bodies' line ranges; when not given, the Dockerfile is parsed to find them.
 * A `#` line inside a continued instruction is a comment too: Docker drops it.
 */
export function dockerfileComments(text: string, heredocs?: LineRange[]): CommentLine[] {
  const ranges = heredocs ?? heredocRanges(parseDockerfile(new SourceFile('Dockerfile', text)));
  const out: CommentLine[] = [];
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const n = i + 1;
    if (ranges.some((r) => n >= r.line && n <= r.endLine)) continue;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const m = /^[ \t]*#/.exec(line);
    if (!m) continue;
    const hash = m[0].length - 1;
    out.push({ line: n, column: hash + 1, text: line.slice(hash + 1) });
  }
  return out;
}

function heredocRanges(ast: DockerfileAst): LineRange[] {
  // A heredoc's span runs from its first body line to its delimiter line.
  return ast.instructions.flatMap((i) => i.heredocs.map((h) => ({ line: h.span.line, endLine: h.span.endLine })));
}

/** A Dockerfile's suppressions: its real comments, with each instruction as an extent. */
export function dockerfileSuppressions(ast: DockerfileAst): FileSuppressions {
  const comments = dockerfileComments(ast.file.text, heredocRanges(ast));
  const extents = ast.instructions.map((i) => ({ line: i.span.line, endLine: i.span.endLine }));
  return parseSuppressions(ast.file.displayPath, comments, 'dockerfile', extents);
}

/**
 * A shell script's suppressions, from the comments of its syntax tree (`source` is the text that
 * was parsed): each simple command, list or pipeline is an extent, so a suppression above a
 * command continued with `\` covers all of it; an if/case/loop is not (only its first line).
 */
export function scriptSuppressions(displayPath: string, source: string, file: ShellFile): FileSuppressions {
  const lines = source.split('\n');
  const comments: CommentLine[] = file.comments.map((c) => {
    const [line, column] = c.p;
    const before = (lines[line - 1] ?? '').slice(0, Math.max(0, column - 1));
    return { line, column, text: c.text, trailing: before.trim() !== '' };
  });
  return parseSuppressions(displayPath, comments, 'shell', () => shellExtents(file.stmts));
}

const COMPOUND = new Set(['IfClause', 'WhileClause', 'ForClause', 'CaseClause', 'Block', 'Subshell', 'FuncDecl']);

function isSimple(cmd: Command | null): boolean {
  if (!cmd) return true;
  if (COMPOUND.has(cmd.type)) return false;
  if (cmd.type === 'BinaryCmd') return isSimple(cmd.x.cmd) && isSimple(cmd.y.cmd);
  if (cmd.type === 'TimeClause') return isSimple(cmd.stmt?.cmd ?? null);
  if (cmd.type === 'CoprocClause') return isSimple(cmd.stmt.cmd);
  return true;
}

function shellExtents(stmts: Stmt[]): LineRange[] {
  const out: LineRange[] = [];
  const visit = (s: Stmt): void => {
    if (isSimple(s.cmd)) out.push({ line: s.p[0], endLine: s.e[0] });
    else childStmts(s.cmd).forEach(visit);
  };
  stmts.forEach(visit);
  return out;
}
