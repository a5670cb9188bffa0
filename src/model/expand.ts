/**
 * Dockerfile word splitting and variable expansion (`$VAR`, `${VAR}`, `${VAR:-default}`, ...),
 * as Docker applies them to FROM, COPY, ADD, ENV, ARG, USER, WORKDIR and friends.
 *
 * A variable whose value cannot be known statically (a build argument without a default) makes
 * the result `known: false`; callers then stay silent rather than guess.
 */

import { NAME } from '../parsers/variables.js';

/**
 * Variables in scope: `undefined` = not declared, `null` = declared with an unknown value.
 * `unsetArg` tells, of a name whose value is unknown, that it is a build argument declared with no
 * default: unset on a build that does not pass it, so `${UID:-9999}` is `9999` there, as the
 * author wrote it for that build (`$UID` alone stays unknown: it is meant to be passed).
 */
export type VarLookup = ((name: string) => string | null | undefined) & { unsetArg?: (name: string) => boolean };

export interface Expanded {
  value: string;
  known: boolean;
  /** The expansion went over its budget (length, steps or nesting): `value` is unknown. */
  budget?: true;
}

/**
 * The budget of one word's expansion. A Dockerfile can double a value with each ENV
 * (`ENV A1=$A0$A0`, `ENV A2=$A1$A1`, ...), nest defaults (`${a:-${b:-...}}`) or scan a long
 * line over and over; past these limits the value is unknown (`known: false`, `budget: true`)
 * and the caller says so, so the work and memory per word stay bounded.
 */
export const MAX_EXPANSION_LENGTH = 1024 * 1024;
/** Characters read, nested operands and searches for a closing brace included. */
const MAX_EXPANSION_STEPS = 4 * 1024 * 1024;
const MAX_EXPANSION_DEPTH = 64;

class OverBudget extends Error {}

interface Budget {
  steps: number;
  /** Put in place of each reference whose value is not known (expandPattern), instead of giving up on the word. */
  unknownMark?: string;
}

export interface RawWord {
  text: string;
  start: number;
  end: number;
}

/** Splits on blanks outside quotes; quotes and escapes are kept for `expandWord`. */
export function splitWords(text: string, escape = '\\'): RawWord[] {
  const words: RawWord[] = [];
  let start = -1;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (start < 0) {
      if (/\s/.test(c)) continue;
      start = i;
    }
    if (quote) {
      if (c === quote) quote = null;
      else if (c === escape && quote === '"') i++;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === escape) i++;
    else if (/\s/.test(c)) {
      words.push({ text: text.slice(start, i), start, end: i });
      start = -1;
    }
  }
  if (start >= 0) words.push({ text: text.slice(start), start, end: text.length });
  return words;
}

/** Removes quotes, resolves escapes and expands variables in one word, within the budget. */
export function expandWord(word: string, vars: VarLookup, escape = '\\'): Expanded {
  try {
    return expandIn(word, vars, escape, { steps: 0 }, 0);
  } catch (e) {
    if (e instanceof OverBudget) return { value: '', known: false, budget: true };
    throw e;
  }
}

/**
 * The word with each reference whose value is not known (a build argument with no default,
 * whatever its operator) replaced by `mark`, the known parts expanded as `expandWord` does: what
 * COPY may be given, `qemu-<mark>-static*` for `qemu-${QEMU_ARCH}-static*`. Null when the word is
 * over budget. The whole reference is replaced, so `${X:+a}` (empty or `a`) and `${X:-a}` are a
 * mark too.
 */
export function expandPattern(word: string, vars: VarLookup, mark: string, escape = '\\'): { value: string } | null {
  try {
    const e = expandIn(word, vars, escape, { steps: 0, unknownMark: mark }, 0);
    return e.known ? { value: e.value } : null;
  } catch (e) {
    if (e instanceof OverBudget) return null;
    throw e;
  }
}

function expandIn(word: string, vars: VarLookup, escape: string, budget: Budget, depth: number): Expanded {
  if (depth > MAX_EXPANSION_DEPTH) throw new OverBudget();
  budget.steps += word.length;
  if (budget.steps > MAX_EXPANSION_STEPS) throw new OverBudget();
  let value = '';
  let known = true;
  let quote: string | null = null;
  for (let i = 0; i < word.length; i++) {
    const c = word[i] ?? '';
    if (quote === "'") {
      if (c === "'") quote = null;
      else value += c;
      continue;
    }
    if (c === escape && i + 1 < word.length) {
      const next = word[i + 1] ?? '';
      // Inside double quotes only a few characters are escapable; elsewhere any.
      if (quote === '"' && !['"', '$', escape].includes(next)) value += c;
      else {
        value += next;
        i++;
        continue;
      }
      continue;
    }
    if (quote === null && (c === '"' || c === "'")) {
      quote = c;
      continue;
    }
    if (quote === '"' && c === '"') {
      quote = null;
      continue;
    }
    if (c === '$') {
      const ref = readReference(word, i, budget);
      if (ref) {
        const r = resolveReference(ref, vars, escape, budget, depth);
        value += r.known || budget.unknownMark === undefined ? r.value : budget.unknownMark;
        if (value.length > MAX_EXPANSION_LENGTH) throw new OverBudget();
        known &&= r.known || budget.unknownMark !== undefined;
        i = ref.end - 1;
        continue;
      }
    }
    value += c;
  }
  return { value, known };
}

interface Reference {
  name: string;
  op: string | null;
  operand: string;
  end: number;
}

/** `$name` at the start of a text. */
const SHORT_REFERENCE = new RegExp(`^\\$(${NAME})`);
/** What `${...}` holds: a name, then an operator Docker supports and its operand. */
const BRACED_REFERENCE = new RegExp(`^(${NAME})(?:(:?[-+?=])(.*))?$`, 's');

function readReference(word: string, at: number, budget: Budget): Reference | null {
  const short = SHORT_REFERENCE.exec(word.slice(at));
  if (short) return { name: short[1] ?? '', op: null, operand: '', end: at + short[0].length };
  if (word[at + 1] !== '{') return null;
  let depth = 0;
  for (let j = at + 1; j < word.length; j++) {
    if (++budget.steps > MAX_EXPANSION_STEPS) throw new OverBudget();
    if (word[j] === '{') depth++;
    else if (word[j] === '}' && --depth === 0) {
      const inner = word.slice(at + 2, j);
      const m = BRACED_REFERENCE.exec(inner);
      if (!m) return { name: inner, op: '?unsupported', operand: '', end: j + 1 };
      return { name: m[1] ?? '', op: m[2] ?? null, operand: m[3] ?? '', end: j + 1 };
    }
  }
  return null;
}

function resolveReference(ref: Reference, vars: VarLookup, escape: string, budget: Budget, depth: number): Expanded {
  const expandWord = (w: string, v: VarLookup, e: string): Expanded => expandIn(w, v, e, budget, depth + 1);
  const v = vars(ref.name);
  if (ref.op === '?unsupported') return { value: '', known: false };
  if (v === null) {
    if (!vars.unsetArg?.(ref.name)) return { value: '', known: false };
    // A build argument with no default, on a build that does not pass it: unset.
    if (ref.op === ':-' || ref.op === '-') return expandWord(ref.operand, vars, escape);
    if (ref.op === ':+' || ref.op === '+') return { value: '', known: true };
    return { value: '', known: false };
  }
  const set = v !== undefined;
  const nonEmpty = set && v !== '';
  switch (ref.op) {
    case null:
      return { value: v ?? '', known: true };
    case ':-':
      return nonEmpty ? { value: v ?? '', known: true } : expandWord(ref.operand, vars, escape);
    case '-':
      return set ? { value: v ?? '', known: true } : expandWord(ref.operand, vars, escape);
    case ':+':
      return nonEmpty ? expandWord(ref.operand, vars, escape) : { value: '', known: true };
    case '+':
      return set ? expandWord(ref.operand, vars, escape) : { value: '', known: true };
    default:
      // `${x:?msg}` fails the build when unset; `=` is not allowed in Dockerfiles.
      return { value: v ?? '', known: set };
  }
}

/** `KEY=value KEY2="x y"` (or the legacy `KEY value`) as used by ENV, ARG and LABEL. */
export function parseKeyValues(text: string, vars: VarLookup, escape = '\\'): { key: string; value: Expanded | null }[] {
  const words = splitWords(text, escape);
  const first = words[0];
  if (first && !first.text.includes('=')) {
    // Legacy `ENV KEY value with spaces` form (or a bare `ARG NAME`).
    const rest = text.slice(first.end).trim();
    return [{ key: first.text, value: rest === '' ? null : expandWord(rest, vars, escape) }];
  }
  return words.map((w) => {
    const eq = w.text.indexOf('=');
    if (eq < 0) return { key: w.text, value: null };
    return { key: w.text.slice(0, eq), value: expandWord(w.text.slice(eq + 1), vars, escape) };
  });
}
