// The search path's story read cache (src/adapters/redis/story-read-cache.ts) over real Redis:
// what it returns is what Redis holds now (checked by the record's version, which every writer
// sets), and it keeps at most its entries and bytes, least recently used dropped first.
import { afterAll, describe, expect, it } from 'vitest';
import { createStoryReadCache } from '../../../src/adapters/redis/story-read-cache.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = testRedis();
afterAll(() => redis.quit());

const record = (id: string, title: string) => JSON.stringify({ id, title, articleIds: [`${id}-a`] });
const keysOf = (prefix: string) => ({ story: (id: string) => `${prefix}:story:${id}`, version: (id: string) => `${prefix}:story:ver:${id}` });
let seq = 0;
/** A write as the store's scripts make it: the record and a new version. */
const write = (k: ReturnType<typeof keysOf>, id: string, json: string) => redis.mset(k.story(id), json, k.version(id), String(++seq));

describe('story read cache', () => {
  it('returns what Redis holds now, parsed once per content, frozen; null where nothing is stored', async () => {
    const prefix = uniquePrefix('readcache');
    const k = keysOf(prefix);
    const cache = createStoryReadCache(redis, k);
    await write(k, 's1', record('s1', 'first'));
    const [a] = await cache.getMany(['s1']);
    const [b, none] = await cache.getMany(['s1', 'missing']);
    expect(b).toBe(a); // the same parsed value while the record is unchanged
    expect(none).toBeNull();
    expect(Object.isFrozen(a) && Object.isFrozen(a!.articleIds)).toBe(true);
    await write(k, 's1', record('s1', 'changed'));
    const [c] = await cache.getMany(['s1']);
    expect((c as unknown as { title: string }).title).toBe('changed');
    await redis.del(k.story('s1'), k.version('s1'));
    expect(await cache.getMany(['s1'])).toEqual([null]);
    expect(cache.size().entries).toBe(0);
  });

  it('keeps at most its entries and bytes, dropping the least recently used; a record over a quarter of the bytes is not kept', async () => {
    const prefix = uniquePrefix('readcache');
    const k = keysOf(prefix);
    const one = Buffer.byteLength(record('s0', 'x'.repeat(60)));
    const cache = createStoryReadCache(redis, k, { maxEntries: 3, maxBytes: one * 4 });
    for (const id of ['s0', 's1', 's2', 's3']) await write(k, id, record(id, 'x'.repeat(60)));
    const [s0] = await cache.getMany(['s0', 's1', 's2']);
    expect(await cache.getMany(['s0'])).toEqual([s0]); // s0 is now the most recently used
    await cache.getMany(['s3']); // a fourth: s1 goes
    expect(cache.size()).toEqual({ entries: 3, bytes: one * 3 });
    const [again] = await cache.getMany(['s0']);
    expect(again).toBe(s0);
    await write(k, 'big', record('big', 'x'.repeat(200)));
    await cache.getMany(['big']);
    expect(cache.size()).toEqual({ entries: 3, bytes: one * 3 });
  });

  it('reads an unchanged version without its record: the version, set by every writer, stands for the bytes', async () => {
    const k = keysOf(uniquePrefix('readcache'));
    const cache = createStoryReadCache(redis, k);
    await write(k, 's1', record('s1', 'first'));
    const [a] = await cache.getMany(['s1']);
    // rewritten without a new version (no writer of the store does that): not read again
    await redis.set(k.story('s1'), record('s1', 'not read'));
    expect(await cache.getMany(['s1'])).toEqual([a]);
    await redis.set(k.version('s1'), String(++seq));
    expect(((await cache.getMany(['s1']))[0] as unknown as { title: string }).title).toBe('not read');
  });

  it('reads and parses a record of the old format (no version key) every time', async () => {
    const k = keysOf(uniquePrefix('readcache'));
    const cache = createStoryReadCache(redis, k);
    await redis.set(k.story('old'), record('old', 'first'));
    const [a] = await cache.getMany(['old']);
    const [b] = await cache.getMany(['old']);
    expect(b).toEqual(a);
    expect(b).not.toBe(a);
    await redis.set(k.story('old'), record('old', 'changed'));
    expect(((await cache.getMany(['old']))[0] as unknown as { title: string }).title).toBe('changed');
    expect(cache.size().entries).toBe(0);
  });
});
