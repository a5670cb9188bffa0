/** "Did you mean": the closest known name to a misspelt one. */

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0] as number;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j] as number;
      d[j] = Math.min(cur + 1, (d[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length] as number;
}

/** The known name closest to `name` (case-insensitive), if it is close enough to be a typo; else ''. */
export function suggestion(name: string, known: Iterable<string>): string {
  let best = '';
  let bestD = Infinity;
  for (const k of known) {
    const dd = distance(name.toLowerCase(), k.toLowerCase());
    if (dd < bestD && dd <= Math.max(1, Math.floor(name.length / 3))) {
      best = k;
      bestD = dd;
    }
  }
  return best;
}

