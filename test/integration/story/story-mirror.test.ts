// The change log and the assigners' mirrors (story-mirror.ts) under failures: a process that dies
// after its commit (the job is retried elsewhere), one that dies holding the write lock, two
// processes assigning at the same moment, a mirror whose last entry is gone from the log.
import { afterAll, describe, expect, it } from 'vitest';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { createRedisStoryStore } from '../../../src/adapters/redis/story-store.js';
import { CENTRAL_ASIA_ITEMS } from '../../fixtures/story/central-asia.js';
import { fixtureAnalysis, fixtureArticle } from '../../fixtures/story/items.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = testRedis();
afterAll(() => redis.quit());

const items = CENTRAL_ASIA_ITEMS.map((f) => ({ article: fixtureArticle(f), analysis: fixtureAnalysis(f) }));
const now = new Date(CENTRAL_ASIA_ITEMS.at(-1)!.published);
type Entries = [string, string[]][];

describe('story change log and mirrors', () => {
  it('a process that dies after its commit, before the ack: the retried batch in another process files nothing again and answers the same stories', async () => {
    const keys = makeKeys(uniquePrefix('mirror-kill'));
    const first = createRedisStoryStore({ redis, keys });
    const done = await first.assignMany(items, now);
    // the process is gone (its store and mirror with it); the job runs again in another one
    const log = (await redis.xrange(keys.storyLog, '-', '+')) as Entries;
    const df = await redis.hgetall(keys.storyDf(Math.floor(now.getTime() / (30 * 86_400_000))));
    const other = createRedisStoryStore({ redis, keys });
    const again = await other.assignMany(items, now);
    expect(again.map((r) => r.storyId)).toEqual(done.map((r) => r.storyId));
    expect(again.every((r) => !r.created)).toBe(true);
    expect((await redis.xrange(keys.storyLog, '-', '+')) as Entries).toEqual(log);
    expect(await redis.hgetall(keys.storyDf(Math.floor(now.getTime() / (30 * 86_400_000))))).toEqual(df);
    expect(new Set(done.map((r) => r.storyId)).size).toBeLessThan(items.length);
  });

  it('a process that died holding the write lock: the others wait for it to lapse, then go on', async () => {
    const keys = makeKeys(uniquePrefix('mirror-dead-lock'));
    const store = createRedisStoryStore({ redis, keys, lockWaitMs: 5_000 });
    await store.assignMany(items.slice(0, 2), now);
    await redis.set(keys.storyWriteLock, 'a-dead-process', 'PX', 400);
    const t0 = Date.now();
    const res = await store.assignMany(items.slice(2, 4), now);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(res).toHaveLength(2);
    expect(store.lockStats().busy).toBeGreaterThan(0);
    expect(await redis.get(keys.storyWriteLock)).toBeNull();
    // a lock never released fails the batch after the wait (the job is retried), writing nothing
    await redis.set(keys.storyWriteLock, 'a-dead-process', 'PX', 10_000);
    const short = createRedisStoryStore({ redis, keys, lockWaitMs: 200 });
    await expect(short.assignMany(items.slice(4, 5), now)).rejects.toThrow(/busy/u);
    expect(await redis.get(keys.storyOf(items[4]!.article.id))).toBeNull();
  });

  it('two processes assigning at the same moment: every article in exactly one story, the same stories as one after another', async () => {
    const keys = makeKeys(uniquePrefix('mirror-race'));
    const conns = [testRedis(), testRedis()];
    const [a, b] = conns.map((c) => createRedisStoryStore({ redis: c, keys }));
    const odd = items.filter((_, i) => i % 2 === 1);
    const even = items.filter((_, i) => i % 2 === 0);
    await Promise.all([(async () => { for (const x of even) await a!.assignMany([x], now); })(), (async () => { for (const x of odd) await b!.assignMany([x], now); })()]);
    const stories = new Map<string, string[]>();
    for (const x of items) {
      const id = (await redis.get(keys.storyOf(x.article.id)))!;
      expect(id, x.article.id).toBeTruthy();
      stories.set(id, [...(stories.get(id) ?? []), x.article.id]);
    }
    for (const [id, members] of stories) expect([...((await a!.get(id))?.articleIds ?? [])].sort(), id).toEqual(members.sort());
    // the log holds each article once
    const filed = ((await redis.xrange(keys.storyLog, '-', '+')) as Entries).flatMap(([, fv]) => (fv[0] === 'b' ? fv[1]!.split('\x1e').slice(1) : []));
    expect(filed).toHaveLength(items.length);
    await Promise.all(conns.map((c) => c.quit()));
  });

  it('a mirror whose last entry is gone from the log (trimmed, or lost in a restart from an older snapshot) is built again from the log', async () => {
    const keys = makeKeys(uniquePrefix('mirror-basis'));
    const a = createRedisStoryStore({ redis, keys });
    const b = createRedisStoryStore({ redis, keys });
    const r1 = await a.assignMany(items.slice(0, 3), now);
    const log = (await redis.xrange(keys.storyLog, '-', '+')) as Entries;
    // a's last entry goes; b files the same report again meanwhile under another id
    await redis.xdel(keys.storyLog, log.at(-1)![0]);
    await b.assignMany(items.slice(0, 3).map((x) => ({ ...x, article: { ...x.article, id: `${x.article.id}-b` } })), now);
    // a rebuilds: it no longer knows its own lost filings, but knows b's (the same stories as b sees them)
    const again = { ...items[0]!, article: { ...items[0]!.article, id: `${items[0]!.article.id}-c` } };
    const viaA = await a.assignMany([again], now);
    const viaFresh = await createRedisStoryStore({ redis, keys }).assignMany([{ ...again, article: { ...again.article, id: `${again.article.id}-d` } }], now);
    expect(viaA[0]!.storyId).toBe(viaFresh[0]!.storyId);
    expect(viaA[0]!.storyId).not.toBe(r1[0]!.storyId);
  });
});
