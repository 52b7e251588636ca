// Story records for the search path (`recent`: /story, the web view's search, /framing, digests,
// spikes, trends), parsed once per content. A busy story's record is tens to hundreds of
// kilobytes, and a search reads up to 50 of them: decoding and parsing them was most of a
// search's CPU (bench/web.ts at 40,000 articles). The records are still read (MGET, as Buffers),
// so what is returned is always what Redis holds now: a record whose bytes equal the cached
// bytes is the cached value, any other is parsed and replaces it. Results are identical to
// parsing every time.
//
// The values are shared between callers, so they are frozen (deep): a caller that would modify
// one fails loudly instead of changing what the next search sees.
//
// Bounded: at most MAX_BYTES of records (and MAX_ENTRIES) kept, least recently used dropped
// first (ByteLru over lru-cache, like the assigner's caches); a record over a quarter of
// MAX_BYTES is parsed but not kept.
import type { Redis } from 'ioredis';
import type { Story } from '../../core/types.js';
import { ByteLru } from '../byte-lru.js';

const MAX_ENTRIES = 4_000;
const MAX_BYTES = 64 * 1024 * 1024;

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x as object)) deepFreeze(v);
  }
  return x;
}

export interface StoryReadCache {
  /** The records of `ids`, in order, null where none is stored; frozen, shared values. */
  getMany(ids: readonly string[]): Promise<(Story | null)[]>;
  /** Entries and bytes kept (tests, diagnostics). */
  size(): { entries: number; bytes: number };
}

export function createStoryReadCache(redis: Redis, keyOf: (id: string) => string, o: { maxEntries?: number; maxBytes?: number } = {}): StoryReadCache {
  const maxEntries = o.maxEntries ?? MAX_ENTRIES;
  const maxBytes = o.maxBytes ?? MAX_BYTES;
  const cache = new ByteLru<{ buf: Buffer; story: Story }>({ maxBytes, maxEntries });
  return {
    async getMany(ids) {
      if (ids.length === 0) return [];
      const bufs = await redis.mgetBuffer(ids.map(keyOf));
      return bufs.map((buf, i) => {
        const id = ids[i]!;
        if (!buf) {
          cache.delete(id);
          return null;
        }
        const hit = cache.get(id); // a hit is now the most recently used
        if (hit && hit.buf.equals(buf)) return hit.story;
        cache.delete(id);
        const story = deepFreeze(JSON.parse(buf.toString('utf8')) as Story);
        if (buf.length <= maxBytes / 4) cache.set(id, { buf, story }, buf.length);
        return story;
      });
    },
    size: () => cache.size(),
  };
}
