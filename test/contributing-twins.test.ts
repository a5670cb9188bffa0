/** CONTRIBUTING's table of evaluator patterns and twins names only fixtures and tests that exist. */
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES } from './fixture-format.js';

const ROOT = path.resolve(FIXTURES, '..');
const text = fs.readFileSync(path.join(ROOT, 'CONTRIBUTING.md'), 'utf8');
const section = text.slice(text.indexOf("## The entrypoint evaluator's patterns and their twins"));
const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| pattern') && !l.startsWith('|---'));
const spans = (s: string): string[] => [...s.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');

test('the table has a firing case and a silent twin in every row', () => {
  expect(rows.length).toBeGreaterThan(30);
  for (const row of rows) {
    const [, fires, silent] = row.split(' | ');
    expect({ row, fires: spans(fires ?? '').length > 0, silent: spans(silent ?? '').length > 0 }).toEqual({ row, fires: true, silent: true });
  }
});

test('every fixture path in the table exists, and fires or stays silent as its column says', () => {
  for (const row of rows) {
    const cells = row.split(' | ');
    for (const [col, want] of [
      [cells[1] ?? '', 'bad'],
      [cells[2] ?? '', 'good'],
    ] as const) {
      for (const p of spans(col).filter((s) => /^[a-z0-9-]+\/[a-z0-9.-]+$/.test(s))) {
        expect({ p, exists: fs.existsSync(path.join(FIXTURES, p)) }).toEqual({ p, exists: true });
        if (!p.endsWith('cases.txt')) expect({ p, side: path.basename(p).split('-')[0] }).toEqual({ p, side: want });
      }
    }
  }
});

test('every test file the section names exists', () => {
  for (const p of spans(section).filter((s) => s.startsWith('test/'))) expect({ p, exists: fs.existsSync(path.join(ROOT, p)) }).toEqual({ p, exists: true });
});
