/**
 * `while getopts OPTSTRING NAME; do ... done` over arguments whose leading options are known.
 *
 * The loop is the option parser of many vendor entrypoints (`-p -s share;/data`), and the default
 * run passes it CMD's words. What `getopts` makes of them is fixed by POSIX: it reads the
 * arguments from OPTIND on, one option letter per call (a cluster `-pn` is two calls), takes an
 * option's value from the rest of the word or from the next argument when OPTSTRING puts `:`
 * after the letter, and stops at the first word that is not an option (`-` alone, or no leading
 * `-`) or just after `--`. OPTIND is then the index of the first argument left, which is what
 * `shift $((OPTIND - 1))` drops. So when those words are known, the loop can be run pass by pass
 * and `$#` after the shift is known; when one of them is not, nothing is.
 */
import type { Field } from './values.js';

/** One call of `getopts` that succeeds: the letter (or `?`/`:` for errors), its value, OPTIND after it. */
export interface GetoptsStep {
  name: string;
  /** The option's value; `undefined` when getopts unsets OPTARG. */
  optarg: Field | undefined;
  optind: number;
}

export interface GetoptsParse {
  steps: GetoptsStep[];
  /** OPTIND once getopts returns false: the index (from 1) of the first argument that is not an option. */
  optind: number;
}

/**
 * What `getopts optstring name` returns, call after call, over `params` from OPTIND = 1.
 * Null when a word it must read is not known (an unknown field, or one that stands for any
 * number of fields), or when the loop would take more than `maxSteps` passes.
 */
export function parseGetopts(optstring: string, params: readonly Field[], maxSteps: number): GetoptsParse | null {
  const silent = optstring.startsWith(':');
  const letters = silent ? optstring.slice(1) : optstring;
  const steps: GetoptsStep[] = [];
  let i = 0;
  while (i < params.length) {
    const f = params[i] as Field;
    if (f.multi || f.s === null) return null;
    const word = f.s;
    if (word === '--') return { steps, optind: i + 2 };
    if (!word.startsWith('-') || word === '-') break;
    for (let k = 1; k < word.length; k++) {
      if (steps.length >= maxSteps) return null;
      const ch = word[k] as string;
      const at = ch === ':' ? -1 : letters.indexOf(ch);
      const last = k === word.length - 1;
      if (at < 0) {
        steps.push({ name: '?', optarg: silent ? { s: ch } : undefined, optind: last ? i + 2 : i + 1 });
        continue;
      }
      if (letters[at + 1] !== ':') {
        steps.push({ name: ch, optarg: undefined, optind: last ? i + 2 : i + 1 });
        continue;
      }
      // An option with a value: the rest of this word, or the next argument.
      if (!last) {
        steps.push({ name: ch, optarg: { s: word.slice(k + 1) }, optind: i + 2 });
        break;
      }
      const value = params[i + 1];
      if (value === undefined) {
        steps.push(silent ? { name: ':', optarg: { s: ch }, optind: i + 2 } : { name: '?', optarg: undefined, optind: i + 2 });
        break;
      }
      if (value.multi) return null;
      steps.push({ name: ch, optarg: value, optind: i + 3 });
      i++;
      break;
    }
    i++;
  }
  return { steps, optind: i + 1 };
}
