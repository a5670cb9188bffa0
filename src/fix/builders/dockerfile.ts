/**
 * Fixes of Dockerfile instructions, built from dockerfile-ast's instructions and the image model:
 * exec form for a command, real JSON for a pseudo-JSON array, `--chmod` on a COPY, a RUN line that
 * installs gosu.
 */
import type { Instruction } from '../../parsers/dockerfile.js';
import type { MappedText, SourceFile } from '../../parsers/source.js';
import type { CopyOp, Stage } from '../../model/image.js';
import type { Edit } from '../edits.js';
import type { Fix } from '../../findings.js';
import { writtenAsIs, type ArgWord } from '../../model/command-view.js';
import { mappedRange } from './place.js';

/** A JSON array as Docker's exec form is written: `["prog", "arg"]`. */
export function execFormText(argv: readonly string[]): string {
  return `[${argv.map((a) => JSON.stringify(a)).join(', ')}]`;
}

/**
 * An edit replacing an instruction's command text (shell form or pseudo-JSON) by `text`. Null
 * when the text runs over continuation lines that hold comments (they would be lost).
 */
export function replaceCommandText(file: SourceFile, command: MappedText, text: string): Edit | null {
  const { start, end } = mappedRange(command);
  const slice = file.text.slice(start, end);
  if (slice.split('\n').slice(1).some((l) => l.trim().startsWith('#'))) return null;
  return { file: file.displayPath, start, end, text };
}

const CLOSING: Record<string, string> = { '"': '"', "'": "'", '\u201c': '\u201d', '\u2018': '\u2019', '\u201d': '\u201d', '\u2019': '\u2019' };

/**
 * The strings of a text that was meant as an exec-form array but is not JSON: single or
 * typographic quotes, missing or trailing commas. Null when it holds anything else (a number, an
 * unclosed string, a backslash inside single quotes, whose meaning would be a guess).
 */
export function pseudoJsonStrings(text: string): string[] | null {
  const t = text.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) return null;
  const out: string[] = [];
  let i = 1;
  const end = t.length - 1;
  const ws = (): void => {
    while (i < end && /\s/.test(t[i] ?? '')) i++;
  };
  ws();
  while (i < end) {
    const open = t[i] ?? '';
    const close = CLOSING[open];
    if (!close) return null;
    let j = i + 1;
    let raw = '';
    for (; j < end; j++) {
      const c = t[j] ?? '';
      if (open === '"' && c === '\\') {
        raw += c + (t[j + 1] ?? '');
        j++;
        continue;
      }
      if (c === close) break;
      raw += c;
    }
    if (j >= end) return null;
    if (open === '"') {
      try {
        out.push(JSON.parse(`"${raw}"`) as string);
      } catch {
        return null;
      }
    } else {
      if (raw.includes('\\')) return null;
      out.push(raw);
    }
    i = j + 1;
    ws();
    if (t[i] === ',') {
      i++;
      ws();
    }
  }
  return out.length > 0 ? out : null;
}

/** ` --chmod=755` on a COPY that copies only the script, or its existing `--chmod` made executable. */
export function copyChmodEdit(file: SourceFile, op: CopyOp): Edit | null {
  const inst = op.instruction;
  if (op.sources.length !== 1) return null;
  const source = op.sources[0];
  if (!source || source.kind === 'remote' || (source.kind !== 'heredoc' && /[*?[]/.test(source.pattern))) return null;
  const existing = inst.flags.find((f) => f.name === 'chmod');
  if (existing) {
    if (existing.value === null || !/^[0-7]{3,4}$/.test(existing.value)) return null;
    const mode = parseInt(existing.value, 8);
    // Execute for whoever may read it.
    const withX = mode | ((mode & 0o444) >> 2);
    const start = file.offsetOf(existing.span.line, existing.span.column);
    const end = file.offsetOf(existing.span.endLine, existing.span.endColumn);
    if (!/^--chmod=/.test(file.text.slice(start, end))) return null;
    return { file: file.displayPath, start, end, text: `--chmod=${withX.toString(8).padStart(existing.value.length, '0')}` };
  }
  const at = file.offsetOf(inst.keywordSpan.endLine, inst.keywordSpan.endColumn);
  return { file: file.displayPath, start: at, end: at, text: ' --chmod=755' };
}

/** `RUN chmod +x PATH` on a line of its own after an instruction. */
export function runChmodAfter(file: SourceFile, inst: Instruction, imagePath: string): Edit {
  const at = endOfInstruction(file, inst);
  return { file: file.displayPath, start: at, end: at, text: `\nRUN ["chmod", "+x", ${JSON.stringify(imagePath)}]` };
}

/** The offset just past an instruction's last line (before its newline). */
function endOfInstruction(file: SourceFile, inst: Instruction): number {
  const lastLine = inst.span.endLine;
  return file.offsetOf(lastLine, file.line(lastLine).length + 1);
}

export type PackageManager = 'apt' | 'apk';

/** The package manager of a base image, when its name says it. */
export function packageManagerOf(base: string): PackageManager | null {
  const b = base.toLowerCase();
  if (/(^|\/)alpine(:|@|$)|-alpine|:alpine/.test(b)) return 'apk';
  if (/(^|\/)(debian|ubuntu)(:|@|$)|-(slim|bookworm|bullseye|buster|trixie|jammy|noble|focal)(-|$)|:(bookworm|bullseye|buster|trixie|jammy|noble|focal)(-|$)/.test(b)) return 'apt';
  return null;
}

/** The tool that replaces su/sudo on a base image: su-exec on Alpine (in main), gosu elsewhere. */
export function switchToolFor(pm: PackageManager | null): 'gosu' | 'su-exec' {
  return pm === 'apk' ? 'su-exec' : 'gosu';
}

/** A RUN line after the stage's FROM that installs a package (the stage still runs as root there). */
export function installAfterFrom(file: SourceFile, stage: Stage, pm: PackageManager, pkg: string): Edit {
  const at = endOfInstruction(file, stage.from);
  const line = pm === 'apk' ? `RUN apk add --no-cache ${pkg}` : `RUN apt-get update && apt-get install -y --no-install-recommends ${pkg} && rm -rf /var/lib/apt/lists/*`;
  return { file: file.displayPath, start: at, end: at, text: `\n${line}` };
}

/**
 * `{ fix }` inserting `text` right after a word of a RUN (` -y` after `dnf`, ` --no-cache` after
 * `add`), or nothing where the word is not in the file as the parser read it (a JSON string with
 * escapes, whose offsets would not be exact).
 */
export function insertAfterWord(dockerfile: SourceFile, word: ArgWord | undefined, text: string, title: string, safety: Fix['safety'] = 'safe'): { fix?: Fix } {
  if (!word || !writtenAsIs(dockerfile.text, word)) return {};
  return { fix: { safety, title, edits: [{ file: dockerfile.displayPath, start: word.end, end: word.end, text }] } };
}

/**
 * Where each string of an exec-form array is in its text: `[start, end)` of the JSON string,
 * quotes included. Null when the text is not such an array.
 */
export function execFormStrings(text: string): { start: number; end: number }[] | null {
  const out: { start: number; end: number }[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      const start = i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      if (i >= text.length) return null;
      out.push({ start, end: ++i });
      continue;
    }
    i++;
  }
  return out;
}

/**
 * An edit that puts a word into an exec-form array right after its `index`th string
 * (`["sh", "-c", "exec app \"$@\""]` -> `["sh", "-c", "exec app \"$@\"", "sh"]`), leaving the rest
 * as written; null unless the array, so edited, is valid JSON holding exactly the words wanted.
 */
export function insertExecFormWord(file: SourceFile, form: { argv: readonly string[]; text: MappedText }, index: number, word: string): Edit | null {
  const text = form.text.text;
  const strings = execFormStrings(text);
  const at = strings?.[index];
  if (!strings || strings.length !== form.argv.length || !at) return null;
  const insert = `, ${JSON.stringify(word)}`;
  const want = [...form.argv.slice(0, index + 1), word, ...form.argv.slice(index + 1)];
  try {
    const got: unknown = JSON.parse(text.slice(0, at.end) + insert + text.slice(at.end));
    if (!Array.isArray(got) || got.length !== want.length || got.some((v, k) => v !== want[k])) return null;
  } catch {
    return null;
  }
  const offset = form.text.originOf(at.end - 1) + 1;
  if (file.text[offset - 1] !== '"') return null;
  return { file: file.displayPath, start: offset, end: offset, text: insert };
}
