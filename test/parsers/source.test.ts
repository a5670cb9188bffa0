/**
 * MappedText keeps where its characters came from as runs, not one offset per character. These
 * tests hold it to the per-character model it replaced: every index, every sub-range (also of a
 * sub-range) and `trim` map to the offsets a plain list of one origin per character gives.
 */
import { MappedText, SourceFile } from '../../src/parsers/source.js';

/** The per-character model: one origin per character, and one for the position past the end. */
interface Reference {
  text: string;
  origins: number[];
}

function refSub(r: Reference, start: number, end: number): Reference {
  return { text: r.text.slice(start, end), origins: r.origins.slice(start, end + 1) };
}

function expectSame(m: MappedText, r: Reference): void {
  expect(m.text).toBe(r.text);
  const got = Array.from({ length: r.text.length + 1 }, (_, i) => m.originOf(i));
  expect(got).toEqual(r.origins);
  // Out-of-range indexes clamp to the ends, as before.
  expect(m.originOf(-5)).toBe(r.origins[0]);
  expect(m.originOf(r.text.length + 7)).toBe(r.origins[r.text.length]);
}

/** A seeded generator, so a failure names its case. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const FILE_TEXT = 'RUN apt-get update \\\n    && apt-get install -y curl \\\n    # a comment\n    && rm -rf /var/lib/apt/lists/*\nCMD ["app"]\n';

describe('MappedText', () => {
  const file = new SourceFile('Dockerfile', FILE_TEXT);

  test('a slice of the file is the file\'s own offsets, and its spans are the file\'s', () => {
    const m = MappedText.slice(file, 4, 19);
    expectSame(m, { text: FILE_TEXT.slice(4, 19), origins: Array.from({ length: 16 }, (_, i) => 4 + i) });
    expect(m.spanOf(0, 7)).toEqual(file.spanOf(4, 11));
    const empty = MappedText.slice(file, 9, 9);
    expectSame(empty, { text: '', origins: [9] });
  });

  test('a line joined from continuations maps each piece to its own line', () => {
    const b = MappedText.builder(file);
    const second = FILE_TEXT.indexOf('&& apt-get');
    b.appendRange(4, 18);
    b.appendChar(' ', 19);
    b.appendRange(second, second + 26);
    const m = b.build(second + 26);
    expect(m.text).toBe('apt-get update && apt-get install -y curl');
    expect(m.spanOf(m.text.indexOf('install'), m.text.indexOf('install') + 7)).toEqual(file.spanOf(second + 11, second + 18));
    expect(file.spanOf(m.originOf(m.text.indexOf('install')), m.originOf(m.text.indexOf('install'))).line).toBe(2);
    expect(m.sub(15, 17).text).toBe('&&');
    expect(file.spanOf(m.sub(15, 17).originOf(0), m.sub(15, 17).originOf(0)).line).toBe(2);
  });

  test('a character of more than one code unit maps each unit to its origin', () => {
    const b = MappedText.builder(file);
    b.appendChar('\u{1F600}', 3);
    b.appendRange(4, 7);
    expectSame(b.build(7), { text: '\u{1F600}apt', origins: [3, 3, 4, 5, 6, 7] });
  });

  test.each(Array.from({ length: 40 }, (_, i) => i))('random pieces, sub-ranges and trims agree with the per-character model (seed %i)', (seed) => {
    const rnd = prng(seed + 1);
    const b = MappedText.builder(file);
    const ref: Reference = { text: '', origins: [] };
    // Another mapped text to copy pieces of: continuations joined, as a RUN line is.
    const other = MappedText.builder(file);
    const otherRef: Reference = { text: '', origins: [] };
    for (const [a, z] of [[4, 18], [23, 50], [60, 61], [75, 100]] as const) {
      other.appendRange(a, z);
      otherRef.text += FILE_TEXT.slice(a, z);
      for (let i = a; i < z; i++) otherRef.origins.push(i);
    }
    const source = other.build(100);
    otherRef.origins.push(100);
    expectSame(source, otherRef);
    const pieces = 1 + Math.floor(rnd() * 12);
    for (let p = 0; p < pieces; p++) {
      if (rnd() < 0.25) {
        const a = Math.floor(rnd() * (source.text.length + 1));
        const z = a + Math.floor(rnd() * (source.text.length - a + 1));
        b.appendMapped(source, a, z);
        ref.text += otherRef.text.slice(a, z);
        ref.origins.push(...otherRef.origins.slice(a, z));
      } else if (rnd() < 0.5) {
        // A range, sometimes continuing the last one exactly, sometimes empty.
        const last = ref.origins[ref.origins.length - 1];
        const start = last !== undefined && rnd() < 0.3 ? Math.min(last + 1, FILE_TEXT.length) : Math.floor(rnd() * FILE_TEXT.length);
        const end = Math.min(FILE_TEXT.length, start + Math.floor(rnd() * 20));
        b.appendRange(start, end);
        ref.text += FILE_TEXT.slice(start, end);
        for (let i = start; i < end; i++) ref.origins.push(i);
      } else {
        const origin = Math.floor(rnd() * FILE_TEXT.length);
        const ch = rnd() < 0.5 ? ' ' : (FILE_TEXT[origin] ?? 'x');
        b.appendChar(ch, origin);
        ref.text += ch;
        ref.origins.push(origin);
      }
    }
    const endOrigin = Math.floor(rnd() * FILE_TEXT.length);
    const m = b.build(endOrigin);
    const full: Reference = { text: ref.text, origins: [...ref.origins, endOrigin] };
    expectSame(m, full);
    for (let t = 0; t < 25; t++) {
      const a = Math.floor(rnd() * (full.text.length + 1));
      const z = a + Math.floor(rnd() * (full.text.length - a + 1));
      const s = m.sub(a, z);
      const sr = refSub(full, a, z);
      expectSame(s, sr);
      const a2 = Math.floor(rnd() * (sr.text.length + 1));
      const z2 = a2 + Math.floor(rnd() * (sr.text.length - a2 + 1));
      expectSame(s.sub(a2, z2), refSub(sr, a2, z2));
      const lead = sr.text.length - sr.text.trimStart().length;
      expectSame(s.trim(), refSub(sr, lead, Math.max(lead, sr.text.trimEnd().length)));
      if (z > a) expect(s.spanOf(0, s.text.length)).toEqual(file.spanOf(sr.origins[0] as number, (sr.origins[sr.text.length - 1] as number) + 1));
    }
  });
});
