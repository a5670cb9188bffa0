/**
 * `$((...))` over abstract values: the value of an arithmetic expansion when every operand is
 * known (`$((OPTIND - 1))` after a getopts loop, `$(($# - 1))`), else null. Integers as the shell
 * has them (truncating division, C comparisons giving 1 or 0); a name reads the variable (an
 * unset one is 0). An expression that assigns (`i++`, `n += 1`) or whose operand is not a number
 * is not evaluated: its value and its effect are unknown.
 */
import type { ArithmExpr, Word } from '../../parsers/shell-ast.js';
import { isName } from '../../parsers/variables.js';
import type { State } from './state.js';

/** What an operand word means: its value, or null when it is not known. */
export type OperandValue = (w: Word, st: State, asName: string | null) => string | null;

export function evalArithm(x: ArithmExpr | null, st: State, operand: OperandValue): number | null {
  const v = evaluate(x, st, operand, 0);
  return v !== null && Number.isSafeInteger(v) ? v : null;
}

const MAX_DEPTH = 64;

function number(text: string | null): number | null {
  if (text === null) return null;
  const t = text.trim();
  if (t === '') return 0;
  if (/^[+-]?\d+$/.test(t)) return /^[+-]?0\d/.test(t) ? null : Number(t);
  return null;
}

function evaluate(x: ArithmExpr | null, st: State, operand: OperandValue, depth: number): number | null {
  if (!x || depth > MAX_DEPTH) return null;
  switch (x.type) {
    case 'ParenArithm':
      return evaluate(x.x, st, operand, depth + 1);
    case 'ArithmWord': {
      const only = x.word.parts.length === 1 ? x.word.parts[0] : undefined;
      const name = only?.type === 'Lit' && isName(only.value) ? only.value : null;
      const text = operand(x.word, st, name);
      return number(text);
    }
    case 'UnaryArithm': {
      if (x.op === '++' || x.op === '--') return null;
      const a = evaluate(x.x, st, operand, depth + 1);
      if (a === null) return null;
      if (x.op === '-') return -a;
      if (x.op === '+') return a;
      if (x.op === '!') return a === 0 ? 1 : 0;
      if (x.op === '~') return ~a;
      return null;
    }
    case 'BinaryArithm': {
      if (x.op === '?') {
        const c = evaluate(x.x, st, operand, depth + 1);
        const alt = x.y?.type === 'BinaryArithm' && x.y.op === ':' ? x.y : null;
        if (c === null || !alt) return null;
        return evaluate(c !== 0 ? alt.x : alt.y, st, operand, depth + 1);
      }
      const a = evaluate(x.x, st, operand, depth + 1);
      const b = evaluate(x.y, st, operand, depth + 1);
      if (a === null || b === null) return null;
      switch (x.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return b === 0 ? null : Math.trunc(a / b);
        case '%': return b === 0 ? null : a % b;
        case '**': return b < 0 ? null : a ** b;
        case '<': return a < b ? 1 : 0;
        case '<=': return a <= b ? 1 : 0;
        case '>': return a > b ? 1 : 0;
        case '>=': return a >= b ? 1 : 0;
        case '==': return a === b ? 1 : 0;
        case '!=': return a !== b ? 1 : 0;
        case '&&': return a !== 0 && b !== 0 ? 1 : 0;
        case '||': return a !== 0 || b !== 0 ? 1 : 0;
        case ',': return b;
        default:
          // Bitwise operators, shifts and assignments: not evaluated.
          return null;
      }
    }
  }
}
