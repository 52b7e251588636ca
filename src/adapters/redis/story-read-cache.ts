// Story records for the search path (`recent`: /story, the web view's search, /framing, digests,
// spikes, trends), parsed once per version. A search reads up to 50 records (a query the index
// cannot answer exactly, up to SCAN_LIMIT = 500), some of them tens to hundreds of kilobytes:
// reading, decoding and parsing them was most of a search's CPU and allocation (bench/web.ts at
// 40,000 articles).
//
// Checked by version, not by bytes: a record's version (keys.storyVersion) is set from one counter
// by every write of it, in the same script (story-commit-many.lua, story-merge.lua), and a
// version never comes back, so an equal version is an equal record. One script call
// (story-read-versioned.lua, the one the assigner reads with) answers, per story, its version and
// the record's JSON only where the version is not the one held: a search of unchanged stories
// moves a few bytes a story, not the records. What is returned is always what Redis holds now; a
// record of the old format (no version key, read as '0') is read and parsed every time.
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
import { luaScript } from './scripts.js';

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

interface VersionedRedis {
  swSearchReadVersioned(...args: string[]): Promise<(string | null)[]>;
}

export function createStoryReadCache(redis: Redis, keys: StoryReadKeys, o: { maxEntries?: number; maxBytes?: number } = {}): StoryReadCache {
  const maxEntries = o.maxEntries ?? MAX_ENTRIES;
  const maxBytes = o.maxBytes ?? MAX_BYTES;
  const cache = new ByteLru<{ ver: string; story: Story }>({ maxBytes, maxEntries });
  redis.defineCommand('swSearchReadVersioned', { lua: luaScript('story-read-versioned') });
  const scripts = redis as unknown as VersionedRedis;
  return {
    async getMany(ids) {
      if (ids.length === 0) return [];
      // the entries as they are when asked (another search may replace or drop them meanwhile)
      const held = ids.map((id) => cache.get(id));
      const got = await scripts.swSearchReadVersioned(
        String(ids.length * 2),
        ...ids.map((id) => keys.story(id)),
        ...ids.map((id) => keys.version(id)),
        ...held.map((h) => h?.ver ?? ''),
      );
      return ids.map((id, i) => {
        const ver = got[2 * i];
        const json = got[2 * i + 1];
        if (ver == null || json == null) {
          cache.delete(id);
          return null;
        }
        // the version held is the current one ('' is only answered then, never for '0'); the
        // entry was made the most recently used when it was looked up above
        if (json === '') return held[i]!.story;
        const story = deepFreeze(JSON.parse(json) as Story);
        if (ver === '0') cache.delete(id);
        else if (json.length <= maxBytes / 4) cache.set(id, { ver, story }, json.length);
        else cache.delete(id);
        return story;
      });
    },
    size: () => cache.size(),
  };
}
