// Story records for the search path (`recent`: /story, the web view's search, /framing, digests,
// spikes, trends), parsed once per version. A search reads up to 50 records (a query the index
// cannot answer exactly, up to SCAN_LIMIT = 500), some of them tens to hundreds of kilobytes:
// reading, decoding and parsing them was most of a search's CPU and allocation (bench/web.ts at
// 40,000 articles).
//
// Checked by version, not by bytes: a record's version (keys.storyVersion) is set from one counter
// by every write of it, in the same script (story-commit-many.lua, story-merge.lua), and a
// version never comes back, so an equal version is an equal record. One MGET of the version keys
// says which records the cache holds as they are; only the others are read, each with its version
// in one MGET (so the two belong together): a search of unchanged stories moves a few bytes a
// story, not the records. (Plain MGETs rather than the assigner's story-read-versioned.lua: the
// same answer, and a fraction of the script's Redis CPU when nothing changed.) What is returned is
// always what Redis held when it was read; a record of the old format (no version key) is read and
// parsed every time.
//
// The values are shared between callers, so they are frozen (deep): a caller that would modify
// one fails loudly instead of changing what the next search sees.
//
// Bounded: at most MAX_BYTES of records (their JSON length, a stand-in for the parsed size) and
// MAX_ENTRIES kept, least recently used dropped first (ByteLru over lru-cache, like the assigner's
// caches); a record over a quarter of MAX_BYTES is parsed but not kept.
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

/** A story's record key and its version key (keys.story, keys.storyVersion). */
export interface StoryReadKeys {
  story(id: string): string;
  version(id: string): string;
}

export function createStoryReadCache(redis: Redis, keys: StoryReadKeys, o: { maxEntries?: number; maxBytes?: number } = {}): StoryReadCache {
  const maxEntries = o.maxEntries ?? MAX_ENTRIES;
  const maxBytes = o.maxBytes ?? MAX_BYTES;
  const cache = new ByteLru<{ ver: string; story: Story }>({ maxBytes, maxEntries });
  return {
    async getMany(ids) {
      if (ids.length === 0) return [];
      const vers = await redis.mget(ids.map((id) => keys.version(id)));
      const out: (Story | null)[] = new Array<Story | null>(ids.length).fill(null);
      const read: number[] = [];
      ids.forEach((id, i) => {
        const held = cache.get(id); // a hit is now the most recently used
        if (held && vers[i] != null && held.ver === vers[i]) out[i] = held.story;
        else read.push(i);
      });
      if (read.length === 0) return out;
      // each record with its version, in one command: the version stands for these bytes
      const got = await redis.mget(read.flatMap((i) => [keys.story(ids[i]!), keys.version(ids[i]!)]));
      read.forEach((i, j) => {
        const id = ids[i]!;
        const json = got[2 * j];
        const ver = got[2 * j + 1];
        if (json == null) {
          cache.delete(id);
          return;
        }
        const story = deepFreeze(JSON.parse(json) as Story);
        if (ver != null && json.length <= maxBytes / 4) cache.set(id, { ver, story }, json.length);
        else cache.delete(id);
        out[i] = story;
      });
      return out;
    },
    size: () => cache.size(),
  };
}
