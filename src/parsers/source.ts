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
 *
 * Where the characters came from is kept as runs: run k starts at index `starts[k]` of the text,
 * whose character came from offset `bases[k]` of the file, and each later character of the run
 * from the next offset. A slice of the file is one run and a line joined from continuations a
 * few, so building, slicing (`sub`) and looking up a text cost its runs, not its characters.
 */
export class MappedText {
  private constructor(
    readonly file: SourceFile,
    readonly text: string,
    private readonly starts: Int32Array,
    private readonly bases: Int32Array,
    /** The offset the position one past the end maps to. */
    private readonly endOrigin: number,
  ) {}

  static builder(file: SourceFile): MappedTextBuilder {
    return new MappedTextBuilder(file);
  }

  /** A slice of the file taken as it is. */
  static slice(file: SourceFile, start: number, end: number): MappedText {
    return end > start ? new MappedText(file, file.text.slice(start, end), Int32Array.of(0), Int32Array.of(start), end) : new MappedText(file, '', NO_RUNS, NO_RUNS, end);
  }

  /** Built from runs (see the class); internal to this file's builder. */
  static fromRuns(file: SourceFile, text: string, starts: Int32Array, bases: Int32Array, endOrigin: number): MappedText {
    return new MappedText(file, text, starts, bases, endOrigin);
  }

  originOf(index: number): number {
    const i = Math.max(0, Math.min(index, this.text.length));
    if (i === this.text.length) return this.endOrigin;
    const k = this.runAt(i);
    return (this.bases[k] as number) + i - (this.starts[k] as number);
  }

  /** The run that holds index `i` (0 <= i < text.length): the last run starting at or before it. */
  private runAt(i: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  spanOf(start: number, end: number): Span {
    const from = this.originOf(start);
    // The end maps through the last character so that a removed continuation is not included.
    const to = end > start ? this.originOf(end - 1) + 1 : from;
    return this.file.spanOf(from, to);
  }

  /** A sub-range of this text, still mapped to the file. */
  sub(start: number, end: number): MappedText {
    const len = this.text.length;
    const a = Math.max(0, Math.min(start, len));
    const b = Math.max(a, Math.min(end, len));
    const starts: number[] = [];
    const bases: number[] = [];
    this.eachRun(a, b, (at, origin) => {
      starts.push(at - a);
      bases.push(origin);
    });
    return new MappedText(this.file, this.text.slice(a, b), starts.length ? Int32Array.from(starts) : NO_RUNS, bases.length ? Int32Array.from(bases) : NO_RUNS, this.originOf(b));
  }

  /** Calls `f` with each run of `[start, end)`, clipped to it: its index, origin and length. */
  eachRun(start: number, end: number, f: (at: number, origin: number, length: number) => void): void {
    const a = Math.max(0, Math.min(start, this.text.length));
    const b = Math.min(end, this.text.length);
    if (b <= a) return;
    const last = this.runAt(b - 1);
    for (let k = this.runAt(a); k <= last; k++) {
      const runStart = this.starts[k] as number;
      const from = Math.max(runStart, a);
      const to = k < last ? (this.starts[k + 1] as number) : b;
      f(from, (this.bases[k] as number) + from - runStart, to - from);
    }
  }

  trim(): MappedText {
    const lead = this.text.length - this.text.trimStart().length;
    const end = this.text.trimEnd().length;
    return this.sub(lead, Math.max(lead, end));
  }
}

const NO_RUNS = new Int32Array(0);

class MappedTextBuilder {
  private text = '';
  private readonly starts: number[] = [];
  private readonly bases: number[] = [];
  /** The file offset the next character would have if it continued the last run (-1: no run). */
  private next = -1;

  constructor(private readonly file: SourceFile) {}

  appendRange(start: number, end: number): void {
    if (end <= start) return;
    this.run(this.text.length, start, end - start);
    this.text += this.file.text.slice(start, end);
  }

  /** The characters `[start, end)` of another mapped text of the same file, with their origins. */
  appendMapped(m: MappedText, start = 0, end = m.text.length): void {
    m.eachRun(start, end, (at, origin, length) => this.run(this.text.length + at - start, origin, length));
    this.text += m.text.slice(start, end);
  }

  /** One character (one UTF-16 code unit, as each index of the text maps on its own). */
  appendChar(ch: string, origin: number): void {
    for (let k = 0; k < ch.length; k++) this.run(this.text.length + k, origin, 1);
    this.text += ch;
  }

  private run(at: number, origin: number, length: number): void {
    if (origin !== this.next) {
      this.starts.push(at);
      this.bases.push(origin);
    }
    this.next = origin + length;
  }

  get length(): number {
    return this.text.length;
  }

  build(endOrigin: number): MappedText {
    return MappedText.fromRuns(this.file, this.text, Int32Array.from(this.starts), Int32Array.from(this.bases), endOrigin);
  }
}
