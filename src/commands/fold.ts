// Matching keys for what people type into commands, and edit distance for "did you mean".
// The same fold is applied to vocabulary aliases and to queries, so it only has to be
// consistent, not linguistically exact: case, accents and apostrophes do not matter.

export { foldKey, foldWords, hasCjk } from '../core/query/fold.js';

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions, each edit 1),
 * stopping early once every path exceeds `max` (then returns max + 1).
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

/**
 * How many edits still count as a typo of a word of this length: none for 1–3 characters
 * (too many short words are one edit apart), 1 up to 5, 2 up to 9, 3 beyond.
 */
export function typoBudget(len: number): number {
  if (len <= 3) return 0;
  if (len <= 5) return 1;
  if (len <= 9) return 2;
  return 3;
}

/** Close candidates of `word` by edit distance within the typo budget, nearest first. */
export function nearest<T>(word: string, candidates: Iterable<{ key: string; value: T }>, limit = 3): { value: T; distance: number }[] {
  const budget = typoBudget(word.length);
  if (budget === 0) return [];
  const found: { value: T; distance: number; key: string }[] = [];
  for (const c of candidates) {
    const d = editDistance(word, c.key, budget);
    if (d <= budget && d > 0) found.push({ value: c.value, distance: d, key: c.key });
  }
  found.sort((x, y) => x.distance - y.distance || x.key.length - y.key.length || (x.key < y.key ? -1 : 1));
  return found.slice(0, limit).map(({ value, distance }) => ({ value, distance }));
}
