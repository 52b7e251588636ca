// A least-recently-used cache bounded by bytes (an estimate its caller gives per entry) and by a
// count, neither of which depends on the installation's size. Why bytes: the story assigner's
// caches were bounded by count alone (8,000 vectors, 4,000 stories), and an entry's size varies
// tenfold (a parsed article's vectors ~18 KB in the heap; a story record from 2 KB to hundreds), so
// their memory grew with the run until the count was reached: at 2,000 feeds × 20 items the
// vectors alone held ~70 MB of a 155 MB live heap (heap snapshots, issue 16).
//
// Hand-written on Map order (insertion order; a hit is moved to the end) like story-read-cache.ts:
// a few lines. lru-cache would do (maxSize + sizeCalculation) but is not a direct dependency, and
// the callers need nothing else of it.

export interface ByteLruOptions {
  /** Estimated bytes kept at most (the sum of the entries' `bytes`). */
  maxBytes: number;
  /** Entries kept at most. */
  maxEntries: number;
}

export class ByteLru<V> {
  readonly #map = new Map<string, { v: V; bytes: number }>();
  #bytes = 0;
  readonly options: ByteLruOptions;

  constructor(o: ByteLruOptions) {
    if (!(o.maxBytes > 0) || !(o.maxEntries >= 1)) throw new RangeError('byte LRU: maxBytes and maxEntries must be positive');
    this.options = { ...o };
  }

  /** The value of `k`, made the most recently used; undefined when not kept. */
  get(k: string): V | undefined {
    const e = this.#map.get(k);
    if (e === undefined) return undefined;
    this.#map.delete(k);
    this.#map.set(k, e);
    return e.v;
  }

  /** Keeps `v` under `k` (the most recently used), dropping the least recently used while over a bound. An entry larger than `maxBytes` is not kept. */
  set(k: string, v: V, bytes: number): void {
    this.delete(k);
    if (bytes > this.options.maxBytes) return;
    this.#map.set(k, { v, bytes });
    this.#bytes += bytes;
    while (this.#bytes > this.options.maxBytes || this.#map.size > this.options.maxEntries) {
      const [oldest, e] = this.#map.entries().next().value as [string, { bytes: number }];
      this.#map.delete(oldest);
      this.#bytes -= e.bytes;
    }
  }

  delete(k: string): void {
    const e = this.#map.get(k);
    if (e === undefined) return;
    this.#map.delete(k);
    this.#bytes -= e.bytes;
  }

  /** Entries and estimated bytes kept (tests, diagnostics). */
  size(): { entries: number; bytes: number } {
    return { entries: this.#map.size, bytes: this.#bytes };
  }
}
