/**
 * `docker buildx bake` files (`docker-bake.hcl`, `docker-bake.json` and their `.override`
 * twins): the build context and Dockerfile of each target, as compose files give them for
 * services. Bake files are data: nothing in them is run, no function is called, no variable is
 * taken from the environment. What can be read without evaluating is read: a target's
 * `context`, `dockerfile` and `inherits` when they are string literals, templates of variables
 * whose defaults are literals (`"${BASE_DIR}/app"`), or lists of such; anything else (a function
 * call, a matrix value, a conditional) leaves that attribute unknown, and a target whose context
 * is unknown gives none (the Dockerfile's folder stays the context: never a guess).
 *
 * The HCL reader is a small tokenizer and block parser for the subset bake files use (blocks,
 * attributes, strings with `${}` templates, heredocs, comments, nested brackets), written here
 * rather than taken from a library: the HCL parsers published for JavaScript are the Go parser
 * compiled to JavaScript or WebAssembly (megabytes, for three attributes) or unmaintained.
 * Expressions are skipped by balancing brackets, so any valid HCL reads; text that is not HCL
 * is one problem with its line, never a throw.
 */

/** A bake target as written, before `inherits` is applied. */
interface RawTarget {
  name: string;
  line: number;
  /** Attribute -> its value when it is a known string (or list of strings), null when unknown. */
  attrs: Map<string, { value: string | string[] | null; line: number }>;
}

/** A bake target's build, with `inherits` applied. */
export interface BakeBuild {
  target: string;
  /** As written (relative to the bake file's folder), `.` by default. */
  context: string;
  /** Relative to the context, `Dockerfile` by default. */
  dockerfile: string;
  /** The line of the `context` attribute (or of the target when it has none). */
  line: number;
  /** Where the context is named: `target.<name>.context`. */
  key: string;
  /** The target (or a parent) names its Dockerfile; false when it is the default `Dockerfile`. */
  namesDockerfile: boolean;
}

export interface BakeProblem {
  message: string;
  line?: number;
}

/** The builds a bake file declares, or the problem that kept it from being read. */
export function readBakeFile(name: string, text: string): { builds: BakeBuild[] } | { problem: BakeProblem } {
  const raw = name.endsWith('.json') ? readJson(text) : readHcl(text);
  if ('problem' in raw) return raw;
  return { builds: resolveTargets(raw.targets) };
}

function resolveTargets(targets: Map<string, RawTarget>): BakeBuild[] {
  const builds: BakeBuild[] = [];
  const attr = (t: RawTarget, key: string, seen: Set<string>): { value: string | string[] | null; line: number } | undefined => {
    const own = t.attrs.get(key);
    if (own) return own;
    // Later parents win over earlier ones, as bake merges them in order.
    const parents = t.attrs.get('inherits')?.value;
    const list = Array.isArray(parents) ? [...parents].reverse() : typeof parents === 'string' ? [parents] : [];
    for (const p of list) {
      const parent = targets.get(p);
      if (!parent || seen.has(p)) continue;
      const hit = attr(parent, key, new Set([...seen, p]));
      if (hit) return hit;
    }
    return undefined;
  };
  for (const t of targets.values()) {
    // `inherits` that cannot be read: what the target gets from its parents is unknown.
    if (t.attrs.has('inherits') && t.attrs.get('inherits')?.value === null) continue;
    const seen = new Set([t.name]);
    const context = attr(t, 'context', seen);
    const dockerfile = attr(t, 'dockerfile', seen);
    if (attr(t, 'dockerfile-inline', seen)) continue;
    const ctx = context ? context.value : '.';
    const df = dockerfile ? dockerfile.value : 'Dockerfile';
    if (typeof ctx !== 'string' || typeof df !== 'string') continue;
    // Another target's output, a remote repository or tarball: not a folder of the checkout.
    if (/^[a-z][a-z0-9+.-]*:/i.test(ctx) || ctx.startsWith('git@')) continue;
    builds.push({ target: t.name, context: ctx, dockerfile: df, line: context?.line ?? t.line, key: `target.${t.name}.context`, namesDockerfile: dockerfile !== undefined });
  }
  // A target that names its Dockerfile before one that builds `Dockerfile` by default (a parent
  // such as `_common`, which only sets args).
  return [...builds.filter((b) => b.namesDockerfile), ...builds.filter((b) => !b.namesDockerfile)];
}

function readJson(text: string): { targets: Map<string, RawTarget> } | { problem: BakeProblem } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { problem: { message: `not valid JSON (${e instanceof Error ? e.message.split('\n', 1)[0] : String(e)})` } };
  }
  const targets = new Map<string, RawTarget>();
  const block = (data as { target?: unknown } | null)?.target;
  if (!block || typeof block !== 'object') return { targets };
  for (const [name, body] of Object.entries(block as Record<string, unknown>)) {
    if (!body || typeof body !== 'object') continue;
    const attrs = new Map<string, { value: string | string[] | null; line: number }>();
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      const value = typeof v === 'string' ? v : Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
      attrs.set(k, { value, line: lineOfKey(text, ['target', name, k]) });
    }
    targets.set(name, { name, line: lineOfKey(text, ['target', name]), attrs });
  }
  return { targets };
}

/** The line of the last key of `keys` in a JSON text, each key looked for after the one before; 1 when not found. */
function lineOfKey(text: string, keys: string[]): number {
  let at = 0;
  for (const k of keys) {
    const next = text.indexOf(`${JSON.stringify(k)}`, at);
    if (next < 0) return 1;
    at = next;
  }
  return text.slice(0, at).split('\n').length;
}

// ---- HCL ---------------------------------------------------------------------------------------

type Token =
  | { kind: 'ident'; text: string; line: number }
  | { kind: 'string'; parts: (string | { expr: string })[]; line: number }
  | { kind: 'punct'; text: string; line: number }
  | { kind: 'newline'; line: number }
  | { kind: 'other'; text: string; line: number };

class HclError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const TWO_CHAR = new Set(['==', '!=', '<=', '>=', '&&', '||', '=>', '...']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    if (c === '\n') {
      tokens.push({ kind: 'newline', line });
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new HclError('unterminated /* comment', line);
      line += countLines(text, i, end);
      i = end + 2;
    } else if (c === '"') {
      const start = line;
      const r = readTemplate(text, i + 1, '"', line);
      tokens.push({ kind: 'string', parts: r.parts, line: start });
      line = r.line;
      i = r.end;
    } else if (c === '<' && text[i + 1] === '<' && /[-A-Za-z_]/.test(text[i + 2] ?? '')) {
      const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(text.slice(i, i + 200));
      if (!m) throw new HclError('a heredoc (<<NAME) must end its line', line);
      const body = i + m[0].length;
      const close = new RegExp(`^[ \\t]*${m[2]}[ \\t]*\\r?$`, 'm');
      const rest = text.slice(body);
      const found = close.exec(rest);
      if (!found) throw new HclError(`unterminated heredoc <<${m[2]}`, line);
      const start = line;
      line += countLines(text, i, body + found.index + found[0].length);
      // The body is a template too; only whether it is literal matters here.
      tokens.push({ kind: 'string', parts: rest.slice(0, found.index).includes('${') ? [{ expr: '' }] : [rest.slice(0, found.index)], line: start });
      i = body + found.index + found[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_-]/.test(text[j] as string)) j++;
      tokens.push({ kind: 'ident', text: text.slice(i, j), line });
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[0-9.eE+-]/.test(text[j] as string) && !(text[j] === '-' && !/[eE]/.test(text[j - 1] as string))) j++;
      tokens.push({ kind: 'other', text: text.slice(i, j), line });
      i = j;
    } else {
      const three = text.slice(i, i + 3);
      const two = text.slice(i, i + 2);
      const p = TWO_CHAR.has(three) ? three : TWO_CHAR.has(two) ? two : c;
      tokens.push({ kind: 'punct', text: p, line });
      i += p.length;
    }
  }
  return tokens;
}

function countLines(text: string, from: number, to: number): number {
  let k = 0;
  for (let j = from; j < to; j++) if (text[j] === '\n') k++;
  return k;
}

/** A quoted template from `i` (after the quote) to its closing quote: literal parts and `${...}`. */
function readTemplate(text: string, i: number, quote: string, line: number): { parts: (string | { expr: string })[]; end: number; line: number } {
  const parts: (string | { expr: string })[] = [];
  let lit = '';
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    if (c === quote) {
      if (lit) parts.push(lit);
      return { parts, end: i + 1, line };
    }
    if (c === '\n') throw new HclError('unterminated string', line);
    if (c === '\\') {
      const e = text[i + 1] ?? '';
      lit += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
      i += 2;
      continue;
    }
    if ((c === '$' || c === '%') && text[i + 1] === '{') {
      if (text[i - 1] === c && text[i - 2] !== c) {
        // `$${` and `%%{` are literal.
        lit = lit.slice(0, -1) + c + '{';
        i += 2;
        continue;
      }
      // Balanced to the matching brace, strings inside included.
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        const d = text[j] as string;
        if (d === '"') {
          const inner = readTemplate(text, j + 1, '"', line);
          j = inner.end;
          continue;
        }
        if (d === '\n') line++;
        if (d === '{') depth++;
        else if (d === '}') depth--;
        j++;
      }
      if (depth > 0) throw new HclError('unterminated ${ in a string', line);
      if (lit) parts.push(lit);
      lit = '';
      parts.push({ expr: c === '%' ? '%' : text.slice(i + 2, j - 1).trim() });
      i = j;
      continue;
    }
    lit += c;
    i++;
  }
  throw new HclError('unterminated string', line);
}

const OPEN: Record<string, string> = { '{': '}', '[': ']', '(': ')' };

function readHcl(text: string): { targets: Map<string, RawTarget> } | { problem: BakeProblem } {
  let tokens: Token[];
  try {
    tokens = tokenize(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { problem: e instanceof HclError ? { message: `HCL syntax error: ${e.message}`, line: e.line } : { message: String(e) } };
  }
  let pos = 0;
  const variables = new Map<string, Token[]>();
  const targets = new Map<string, RawTarget>();
  const fail = (message: string, t: Token | undefined): never => {
    throw new HclError(message, t?.line ?? (tokens[tokens.length - 1]?.line ?? 1));
  };
  /** The tokens of an attribute's expression: to the end of its line, brackets balanced. */
  const expression = (): Token[] => {
    const out: Token[] = [];
    const stack: string[] = [];
    while (pos < tokens.length) {
      const t = tokens[pos] as Token;
      if (stack.length === 0 && (t.kind === 'newline' || (t.kind === 'punct' && t.text === '}'))) break;
      pos++;
      if (t.kind === 'newline') continue;
      if (t.kind === 'punct') {
        const close = OPEN[t.text];
        if (close) stack.push(close);
        else if (t.text === '}' || t.text === ']' || t.text === ')') {
          if (stack.pop() !== t.text) fail(`unexpected \`${t.text}\``, t);
        }
      }
      out.push(t);
    }
    if (stack.length > 0) fail(`\`${stack[stack.length - 1]}\` expected before the end of the file`, tokens[tokens.length - 1]);
    if (out.length === 0) fail('an attribute needs a value', tokens[pos]);
    return out;
  };
  /** A block's body up to its `}`: attributes, and nested blocks (read and skipped). */
  const body = (depth: number): Map<string, { expr: Token[]; line: number }> => {
    const attrs = new Map<string, { expr: Token[]; line: number }>();
    if (depth > 64) fail('blocks nested too deeply', tokens[pos]);
    for (;;) {
      while (tokens[pos]?.kind === 'newline') pos++;
      const t = tokens[pos];
      if (!t) {
        if (depth === 0) return attrs;
        fail('`}` expected before the end of the file', tokens[tokens.length - 1]);
      }
      const tok = t as Token;
      if (tok.kind === 'punct' && tok.text === '}') {
        if (depth === 0) fail('unexpected `}`', tok);
        pos++;
        return attrs;
      }
      if (tok.kind !== 'ident') fail('an attribute or block name expected', tok);
      const name = (tok as { text: string }).text;
      pos++;
      const next = tokens[pos];
      if (next?.kind === 'punct' && (next.text === '=' || next.text === ':')) {
        pos++;
        attrs.set(name, { expr: expression(), line: tok.line });
        continue;
      }
      const labels: string[] = [];
      while (tokens[pos]?.kind === 'string' || tokens[pos]?.kind === 'ident') {
        const l = tokens[pos] as Token;
        labels.push(l.kind === 'ident' ? l.text : l.kind === 'string' ? l.parts.map((p) => (typeof p === 'string' ? p : '')).join('') : '');
        pos++;
      }
      const open = tokens[pos];
      if (!(open?.kind === 'punct' && open.text === '{')) fail(`\`=\` or \`{\` expected after \`${name}\``, open ?? tok);
      pos++;
      const inner = body(depth + 1);
      if (depth === 0 && name === 'variable' && labels[0] !== undefined) {
        const d = inner.get('default');
        if (d) variables.set(labels[0], d.expr);
      }
      if (depth === 0 && name === 'target' && labels[0] !== undefined) {
        targets.set(labels[0], { name: labels[0], line: tok.line, attrs: new Map([...inner].map(([k, v]) => [k, { value: evaluate(v.expr, variables), line: v.line }])) });
      }
    }
  };
  try {
    body(0);
  } catch (e) {
    if (e instanceof HclError) return { problem: { message: `HCL syntax error: ${e.message}`, line: e.line } };
    throw e;
  }
  return { targets };
}

/**
 * The value of an expression when it is a string literal, a template of variables with literal
 * defaults, a variable, or a list of those; null otherwise.
 */
function evaluate(expr: Token[], variables: Map<string, Token[]>, depth = 0): string | string[] | null {
  if (depth > 8) return null;
  const scalar = (t: Token | undefined): string | null => {
    if (!t) return null;
    if (t.kind === 'string') {
      let s = '';
      for (const p of t.parts) {
        if (typeof p === 'string') s += p;
        else {
          if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(p.expr)) return null;
          const v = variable(p.expr);
          if (v === null) return null;
          s += v;
        }
      }
      return s;
    }
    if (t.kind === 'ident') return variable(t.text);
    if (t.kind === 'other' && /^[0-9.]+$/.test(t.text)) return t.text;
    return null;
  };
  const variable = (name: string): string | null => {
    const d = variables.get(name);
    if (!d) return null;
    const v = evaluate(d, variables, depth + 1);
    return typeof v === 'string' ? v : null;
  };
  if (expr.length === 1) return scalar(expr[0]);
  const first = expr[0];
  const last = expr[expr.length - 1];
  if (first?.kind === 'punct' && first.text === '[' && last?.kind === 'punct' && last.text === ']') {
    const items: string[] = [];
    // One token per item, items separated by commas (a trailing comma allowed).
    for (let i = 1; i < expr.length - 1; i += 2) {
      const sep = expr[i + 1];
      if (i + 1 < expr.length - 1 && !(sep?.kind === 'punct' && sep.text === ',')) return null;
      const v = scalar(expr[i]);
      if (v === null) return null;
      items.push(v);
    }
    return items;
  }
  return null;
}
