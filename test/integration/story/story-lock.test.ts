// The story store's locks (story-lock.ts, story-lock-read-many.lua): taken in one order, a waiter
// keeping what it has, bounded, and nothing left held when the wait runs out.
import { afterAll, describe, expect, it } from 'vitest';
import { luaScript } from '../../../src/adapters/redis/scripts.js';
import { takeStoryLocks, type LockWait } from '../../../src/adapters/redis/story-lock.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = testRedis();
redis.defineCommand('swStoryLockReadMany', { lua: luaScript('story-lock-read-many') });
redis.defineCommand('swStoryUnlock', { lua: luaScript('story-unlock') });
afterAll(() => redis.quit());

const lockKeys = () => {
  const p = uniquePrefix('story-lock');
  return ['a', 'b', 'c', 'd'].map((x) => `${p}:{story-lock}:${x}`);
};

describe('story locks', () => {
  it('keeps the locks before a busy one while it waits, and takes the rest once it is free', async () => {
    const ks = lockKeys();
    await redis.set(ks[2]!, 'other', 'PX', 10_000);
    const wait: LockWait = { busy: 0, ms: 0 };
    const taking = takeStoryLocks(redis, ks, 'mine', 5_000, wait);
    await new Promise((r) => setTimeout(r, 150));
    // held so far: the two before the busy one; nothing after it
    expect(await redis.mget(...ks)).toEqual(['mine', 'mine', 'other', null]);
    // another taker wanting b and d waits behind us, holding nothing (b is ours)
    const second = takeStoryLocks(redis, [ks[1]!, ks[3]!], 'third', 5_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(await redis.get(ks[3]!)).toBeNull();
    await redis.del(ks[2]!);
    expect(await taking).toBe(true);
    expect(wait.busy).toBeGreaterThan(0);
    expect(await redis.mget(...ks)).toEqual(['mine', 'mine', 'mine', 'mine']);
    expect(await redis.pttl(ks[0]!)).toBeGreaterThan(9_000);
    await redis.eval(luaScript('story-unlock'), ks.length, ...ks, 'mine');
    expect(await second).toBe(true);
    expect(await redis.mget(ks[1]!, ks[3]!)).toEqual(['third', 'third']);
  });

  it('gives up after its wait and releases what it held, not what others hold', async () => {
    const ks = lockKeys();
    await redis.set(ks[1]!, 'other', 'PX', 10_000);
    const t0 = Date.now();
    expect(await takeStoryLocks(redis, ks, 'mine', 200)).toBe(false);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
    expect(await redis.mget(...ks)).toEqual([null, 'other', null, null]);
  });
});

describe('story assigner: one batch at a time per process', () => {
  it('queues batches of one process (joining those that waited) instead of meeting its own locks in Redis, with the decisions of the batches one after another', async () => {
    const { makeKeys } = await import('../../../src/adapters/redis/keys.js');
    const { createRedisStoryStore } = await import('../../../src/adapters/redis/story-store.js');
    const { CENTRAL_ASIA_ITEMS } = await import('../../fixtures/story/central-asia.js');
    const { fixtureAnalysis, fixtureArticle } = await import('../../fixtures/story/items.js');
    const items = CENTRAL_ASIA_ITEMS.map((f) => ({ article: fixtureArticle(f), analysis: fixtureAnalysis(f) }));
    // batches of one item each: reports of one event share matching keys
    const now = new Date(CENTRAL_ASIA_ITEMS.at(-1)!.published);
    const side = createRedisStoryStore({ redis, keys: makeKeys(uniquePrefix('story-turn')) });
    const together = await Promise.all(items.map((x) => side.assignMany([x], now)));
    expect(side.lockStats().busy).toBe(0);
    // the first runs alone, the ones that queued meanwhile go as one
    expect(side.lockStats().batches).toBe(2);
    const seq = createRedisStoryStore({ redis, keys: makeKeys(uniquePrefix('story-turn')) });
    const oneByOne: string[] = [];
    for (const x of items) oneByOne.push((await seq.assignMany([x], now))[0]!.storyId);
    expect(together.map((r) => r[0]!.storyId)).toEqual(oneByOne);
    // the fixtures do make stories of several reports
    expect(new Set(oneByOne).size).toBeLessThan(oneByOne.length);
  });
});
