/**
 * Source files and positions.
 *
 * Every position dockerlint reports is 1-based: `line` and `column` point at the first character,
 * `endLine` and `endColumn` just past the last one (the SARIF and ESLint convention).
 */

export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export class SourceFile {
  /** Offsets (UTF-16) at which each line starts. */
  private readonly lineStarts: number[];

  constructor(
    /** The path shown to users: relative to the current folder where possible, `-` for stdin. */
    readonly displayPath: string,
    readonly text: string,
  ) {
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
  }

  get lineCount(): number {
    const n = this.lineStarts.length;
    // A final newline does not start a line of its own.
    return n > 1 && this.lineStarts[n - 1] === this.text.length ? n - 1 : n;
  }

  /** The 1-based line `n` without its line terminator. */
  line(n: number): string {
    const start = this.lineStarts[n - 1];
    if (start === undefined) return '';
    const next = this.lineStarts[n];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }

  /** Offset of 1-based (line, column). */
  offsetOf(line: number, column: number): number {
    const start = this.lineStarts[Math.min(Math.max(line, 1), this.lineStarts.length) - 1] ?? 0;
    return start + column - 1;
  }

  /** 1-based line and column of an offset. */
  positionAt(offset: number): { line: number; column: number } {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - (this.lineStarts[lo] ?? 0) + 1 };
  }

  spanOf(start: number, end: number): Span {
    const a = this.positionAt(start);
    const b = this.positionAt(Math.max(start, end));
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  /** The span of a whole line, from its first non-blank character. */
  lineSpan(n: number): Span {
    const text = this.line(n);
    const indent = text.length - text.trimStart().length;
    return { line: n, column: indent + 1, endLine: n, endColumn: text.trimEnd().length + 1 };
  }
}

/**
 * Text assembled from pieces of a source file (e.g. a RUN command whose line continuations were
 * removed), which remembers where each character came from so that a position found in the text
 * can be reported in the file.
 */
export class MappedText {
  private constructor(
    readonly file: SourceFile,
    readonly text: string,
    /** For each character of `text` (and one past the end), its offset in `file.text`. */
    private readonly origins: Int32Array,
  ) {}

  static builder(file: SourceFile): MappedTextBuilder {
    return new MappedTextBuilder(file);
  }

  /** A slice of the file taken as it is. */
  static slice(file: SourceFile, start: number, end: number): MappedText {
    const b = new MappedTextBuilder(file);
    b.appendRange(start, end);
    return b.build(end);
  }

  static fromParts(file: SourceFile, text: string, origins: Int32Array): MappedText {
    return new MappedText(file, text, origins);
  }

  originOf(index: number): number {
    const i = Math.max(0, Math.min(index, this.text.length));
    return this.origins[i] ?? 0;
  }

  spanOf(start: number, end: number): Span {
    const from = this.originOf(start);
    // The end maps through the last character so that a removed continuation is not included.
    const to = end > start ? this.originOf(end - 1) + 1 : from;
    return this.file.spanOf(from, to);
  }

  /** A sub-range of this text, still mapped to the file. */
  sub(start: number, end: number): MappedText {
    return new MappedText(this.file, this.text.slice(start, end), this.origins.slice(start, end + 1));
  }

  trim(): MappedText {
    const lead = this.text.length - this.text.trimStart().length;
    const end = this.text.trimEnd().length;
    return this.sub(lead, Math.max(lead, end));
  }
}

class MappedTextBuilder {
  private text = '';
  private readonly origins: number[] = [];

  constructor(private readonly file: SourceFile) {}

  appendRange(start: number, end: number): void {
    this.text += this.file.text.slice(start, end);
    for (let i = start; i < end; i++) this.origins.push(i);
  }

  appendChar(ch: string, origin: number): void {
    this.text += ch;
    this.origins.push(origin);
  }

  get length(): number {
    return this.text.length;
  }

  build(endOrigin: number): MappedText {
    const origins = Int32Array.from([...this.origins, endOrigin]);
    return MappedText.fromParts(this.file, this.text, origins);
  }
}
