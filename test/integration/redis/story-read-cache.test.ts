// The search path's story read cache (src/adapters/redis/story-read-cache.ts) over real Redis:
// what it returns is what Redis holds now, and it keeps at most its entries and bytes, least
// recently used dropped first.
import { afterAll, describe, expect, it } from 'vitest';
import { createStoryReadCache } from '../../../src/adapters/redis/story-read-cache.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = testRedis();
afterAll(() => redis.quit());

const record = (id: string, title: string) => JSON.stringify({ id, title, articleIds: [`${id}-a`] });

describe('story read cache', () => {
  it('returns what Redis holds now, parsed once per content, frozen; null where nothing is stored', async () => {
    const prefix = uniquePrefix('readcache');
    const keyOf = (id: string) => `${prefix}:story:${id}`;
    const cache = createStoryReadCache(redis, keyOf);
    await redis.set(keyOf('s1'), record('s1', 'first'));
    const [a] = await cache.getMany(['s1']);
    const [b, none] = await cache.getMany(['s1', 'missing']);
    expect(b).toBe(a); // the same parsed value while the record is unchanged
    expect(none).toBeNull();
    expect(Object.isFrozen(a) && Object.isFrozen(a!.articleIds)).toBe(true);
    await redis.set(keyOf('s1'), record('s1', 'changed'));
    const [c] = await cache.getMany(['s1']);
    expect((c as unknown as { title: string }).title).toBe('changed');
    await redis.del(keyOf('s1'));
    expect(await cache.getMany(['s1'])).toEqual([null]);
    expect(cache.size().entries).toBe(0);
  });

  it('keeps at most its entries and bytes, dropping the least recently used; a record over a quarter of the bytes is not kept', async () => {
    const prefix = uniquePrefix('readcache');
    const keyOf = (id: string) => `${prefix}:story:${id}`;
    const one = Buffer.byteLength(record('s0', 'x'.repeat(60)));
    const cache = createStoryReadCache(redis, keyOf, { maxEntries: 3, maxBytes: one * 4 });
    for (const id of ['s0', 's1', 's2', 's3']) await redis.set(keyOf(id), record(id, 'x'.repeat(60)));
    const [s0] = await cache.getMany(['s0', 's1', 's2']);
    expect(await cache.getMany(['s0'])).toEqual([s0]); // s0 is now the most recently used
    await cache.getMany(['s3']); // a fourth: s1 goes
    expect(cache.size()).toEqual({ entries: 3, bytes: one * 3 });
    const [again] = await cache.getMany(['s0']);
    expect(again).toBe(s0);
    await redis.set(keyOf('big'), record('big', 'x'.repeat(200)));
    await cache.getMany(['big']);
    expect(cache.size()).toEqual({ entries: 3, bytes: one * 3 });
  });
});
