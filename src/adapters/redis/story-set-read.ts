// The story assigner's stream document frequencies: a pure helper split from story-assign.ts for
// size. (The candidate-set read helpers that lived here went with the candidate sets: story-mirror.ts.)
import type { DocFreq } from '../../core/story/similarity.js';

/**
 * The stream's document frequencies as an article sees them: counts of its own DF keys only (the
 * ones read for it), as they are now (the map goes on counting the batch's later articles).
 */
export function streamDocFreq(n: number, counts: ReadonlyMap<string, number>, fields: Iterable<string>): DocFreq {
  const m = new Map<string, number>();
  for (const f of fields) m.set(f, counts.get(f) ?? 0);
  return { n, df: (k) => m.get(k) ?? 0 };
}

/**
 * A batch's document frequencies, as `streamDocFreq` gives each article of it, without a map per
 * article: an article sees, for each of its own keys, the count read plus one per earlier counted
 * article of the batch with that key (0 for any other key), and `n` likewise. Each key keeps the
 * batch's articles that have it, in order, so an article's count is the read count plus its place
 * in that list. (A map of ~150 keys per article was ~9 KB allocated an article, the assigner's
 * largest allocation besides the Redis arguments; bench/README.md.)
 */
export class BatchDocFreq {
  /** Per key, the counted articles (their batch index) with it, ascending. */
  readonly #with = new Map<string, number[]>();
  #n: number;

  /** `read`: the counts read (each key of every counted article has one), `n`: the documents read. */
  constructor(
    private readonly read: ReadonlyMap<string, number>,
    n: number,
  ) {
    this.#n = n;
  }

  /** Counts article `i` (batch indexes ascending) with its keys `fk` (no key twice): its frequencies as it sees them, before its own. */
  count(i: number, fk: readonly string[]): DocFreq {
    const withKey = this.#with;
    for (const k of fk) {
      const l = withKey.get(k);
      if (l) l.push(i);
      else withKey.set(k, [i]);
    }
    const read = this.read;
    const n = this.#n;
    this.#n += 1;
    return {
      n,
      df: (k) => {
        const l = withKey.get(k);
        if (!l) return 0;
        const at = indexOf(l, i);
        return at < 0 ? 0 : (read.get(k) ?? 0) + at;
      },
    };
  }
}

/** Where `x` is in the ascending `l` (-1: not there); the last place first (an article's frequencies are mostly read at its turn). */
function indexOf(l: readonly number[], x: number): number {
  let hi = l.length - 1;
  if (l[hi] === x) return hi;
  let lo = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = l[mid]!;
    if (v === x) return mid;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
