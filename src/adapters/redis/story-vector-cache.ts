// The story assigner's cache of articles' vectors as stored, parsed (story-assign.ts): those this
// process filed (until their Redis key would expire) and those it read (for a while: their key's
// remaining life is unknown). The compared members of the stories in the window are read again and
// again (a story's first article for every later one), and reading and parsing them back was most
// of an assignment's client CPU when they did not fit. An article's vectors are written once, so
// never stale; a least-recently-used cache of at most VECTOR_CACHE estimated bytes
// (`vectorsHeapBytes`: compact vectors, ~3.7 KB an article), so its memory is bounded whatever the
// installation's size.
import type { ArticleVectors } from '../../core/story/similarity.js';
import { vectorsHeapBytes } from '../../core/story/vector-pack.js';
import { ByteLru, type ByteLruOptions } from '../byte-lru.js';

/**
 * 32 MB of estimated heap, ~8,600 articles of the bench farm (the Map-based vectors before held
 * ~1,600 in the same bytes); the count bound only matters for articles of very few terms.
 */
export const VECTOR_CACHE: ByteLruOptions = { maxBytes: 32 * 1024 * 1024, maxEntries: 20_000 };

export class VectorCache {
  readonly #lru: ByteLru<{ v: ArticleVectors; expiresAt: number }>;

  constructor(o: ByteLruOptions = VECTOR_CACHE) {
    this.#lru = new ByteLru(o);
  }

  /** The vectors of `id` if kept and not expired at `nowMs` (wall clock), made the most recently used. */
  get(id: string, nowMs: number): ArticleVectors | undefined {
    const c = this.#lru.get(id);
    return c && c.expiresAt > nowMs ? c.v : undefined;
  }

  set(id: string, v: ArticleVectors, expiresAt: number): void {
    this.#lru.set(id, { v, expiresAt }, vectorsHeapBytes(v));
  }

  /** Entries and estimated bytes kept (tests, diagnostics). */
  size(): { entries: number; bytes: number } {
    return this.#lru.size();
  }
}
