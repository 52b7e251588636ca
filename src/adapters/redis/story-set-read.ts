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

/** One DF key of a batch (`BatchDocFreq`): its frequency before the batch, and the batch's counted articles with it. */
export class BatchKey {
  /** The background's count plus the count read (set by `BatchDocFreq.read`). */
  base = 0;
  /** The counted articles (batch indexes) with the key, ascending. */
  readonly with: number[] = [];
  /** The last article whose keys listed it (`keysOf`: an article lists a key once). */
  last = -1;
  /** Its place in `BatchDocFreq.fields()`. */
  field = 0;
  /** story-commit.ts's tally of the placed articles with it (`n`, valid while `stamp` is the tally's). */
  stamp = 0;
  n = 0;
  constructor(readonly key: string) {}
}

/**
 * A batch's document frequencies, as `combineDocFreq(background, streamDocFreq(…))` gives each
 * article of it, with one entry a key for the whole batch: an article sees, for each of its own
 * keys, the background's count plus the count read plus one per earlier counted article of the
 * batch with that key (the background's alone for any other key), and `n` likewise. Each key's
 * entry (`BatchKey`) keeps the batch's articles with it in order, so an article's count is the
 * entry's base plus its place in that list; the base is summed once a batch. (A map of ~150 keys
 * per article was ~9 KB allocated an article; then a key's read was three map look-ups, the
 * background's, the batch list's and the count read's, two or three times an article, and its
 * listing two more: ~5% of story-rate's client CPU, bench/README.md.) Counts are integers: the
 * sums are the same doubles in either order.
 */
export class BatchDocFreq {
  readonly #keys = new Map<string, BatchKey>();
  #n = 0;

  constructor(private readonly background: DocFreq) {}

  /** Article `i`'s entries (batch indexes ascending, each article once), one a distinct key of `lists`, in order. */
  keysOf(i: number, lists: readonly (readonly string[])[]): BatchKey[] {
    const all = this.#keys;
    const out: BatchKey[] = [];
    for (const l of lists) {
      for (let j = 0; j < l.length; j++) {
        const k = l[j]!;
        let e = all.get(k);
        if (e === undefined) all.set(k, (e = new BatchKey(k)));
        else if (e.last === i) continue;
        e.last = i;
        out.push(e);
      }
    }
    return out;
  }

  /** The keys listed so far, in order of first use. */
  keys(): IterableIterator<BatchKey> {
    return this.#keys.values();
  }

  /** The fields to read: '#n' (the documents counted), then the keys listed, in order of first use. */
  fields(): string[] {
    const out = ['#n'];
    for (const e of this.#keys.values()) e.field = e.key === '#n' ? 0 : out.push(e.key) - 1;
    return out;
  }

  /** The counts read of `fields()` (same order; none: 0). */
  read(counts: readonly (number | string | null | undefined)[]): void {
    this.#n = Number(counts[0] ?? 0);
    const bg = this.background;
    for (const e of this.#keys.values()) e.base = bg.df(e.key) + Number(counts[e.field] ?? 0);
  }

  /** Counts article `i` (batch indexes ascending) with its entries `fk` (`keysOf`): its frequencies as it sees them, before its own. */
  count(i: number, fk: readonly BatchKey[]): DocFreq {
    for (let j = 0; j < fk.length; j++) fk[j]!.with.push(i);
    const all = this.#keys;
    const bg = this.background;
    const n = bg.n + this.#n;
    this.#n += 1;
    return {
      n,
      df: (k) => {
        const e = all.get(k);
        if (e !== undefined) {
          const at = indexOf(e.with, i);
          if (at >= 0) return e.base + at;
        }
        return bg.df(k);
      },
    };
  }
}

/** Where `x` is in the ascending `l` (-1: not there); the last place first (an article's frequencies are mostly read at its turn). */
export function indexOf(l: readonly number[], x: number): number {
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
