// A least-recently-used cache bounded by bytes (an estimate its caller gives per entry) and by a
// count, neither of which depends on the installation's size. Why bytes: the story assigner's
// caches were bounded by count alone (8,000 vectors, 4,000 stories), and an entry's size varies
// tenfold (a parsed article's vectors ~18 KB in the heap; a story record from 2 KB to hundreds), so
// their memory grew with the run until the count was reached: at 2,000 feeds × 20 items the
// vectors alone held ~70 MB of a 155 MB live heap (heap snapshots, issue 16).
//
// Over lru-cache (its maxSize bound, the size given per `set`): this class only keeps the small
// API the story assigner and the search path's read cache use, and the contract below.
import LRUCache from 'lru-cache';

export interface ByteLruOptions {
  /** Estimated bytes kept at most (the sum of the entries' `bytes`). */
  maxBytes: number;
  /** Entries kept at most. */
  maxEntries: number;
}

/** lru-cache counts sizes and bounds in positive whole numbers: a size is rounded up, 1 at least. */
const wholeBytes = (bytes: number): number => Math.max(1, Math.ceil(bytes));

export class ByteLru<V> {
  readonly #lru: LRUCache<string, V>;
  readonly options: ByteLruOptions;

  constructor(o: ByteLruOptions) {
    if (!(Math.floor(o.maxBytes) >= 1) || !(Math.floor(o.maxEntries) >= 1)) throw new RangeError('byte LRU: maxBytes and maxEntries must be positive');
    this.options = { ...o };
    this.#lru = new LRUCache<string, V>({ max: Math.floor(o.maxEntries), maxSize: Math.floor(o.maxBytes) });
  }

  /** The value of `k`, made the most recently used; undefined when not kept. */
  get(k: string): V | undefined {
    return this.#lru.get(k);
  }

  /** Keeps `v` under `k` (the most recently used), dropping the least recently used while over a bound. An entry larger than `maxBytes` is not kept (and `k`'s earlier value is dropped). */
  set(k: string, v: V, bytes: number): void {
    // Deleted first: lru-cache keeps an entry's old size when it is set again to the same value.
    this.#lru.delete(k);
    this.#lru.set(k, v, { size: wholeBytes(bytes) });
  }

  delete(k: string): void {
    this.#lru.delete(k);
  }

  /** Entries and estimated bytes kept (tests, diagnostics). */
  size(): { entries: number; bytes: number } {
    return { entries: this.#lru.size, bytes: this.#lru.calculatedSize };
  }
}
