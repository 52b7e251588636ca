// The Redis stores the jobs rely on for "never a repost" and "exactly once".
import { afterAll, describe, expect, it, vi } from 'vitest';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { createRedisSeenStore } from '../../../src/adapters/redis/seen-store.js';
import { createRedisFeedStore, FeedParses } from '../../../src/adapters/redis/feed-store.js';
import { createRedisArticleStore } from '../../../src/adapters/redis/article-store.js';
import type { FeedConfig } from '../../../src/core/types.js';
import type { DeliveryStore, FeedRuntime, SeenStore } from '../../../src/ports/stores.js';
import { createRedisDeliveryStore } from '../../../src/adapters/redis/delivery-store.js';
import { createRedisMuteStore, createRedisSubscriptionStore } from '../../../src/adapters/redis/subscription-store.js';
import { defaultSubscription } from '../../../src/main/feeds-sync.js';
import { emptyHealth, recordPollOutcome, type FeedHealth } from '../../../src/core/feed/policy/schedule.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = testRedis();
afterAll(() => redis.quit());

/** One claim, through the batch call production uses. */
const claim = async (seen: SeenStore, scope: string, keys: string[], articleId: string, ttl: number) => (await seen.claimMany([{ scope, keys, articleId }], ttl))[0]!;
/** One plan, through the batch call production uses. */
const plan = async (d: DeliveryStore, destination: string, storyId: string, outletId: string, articleId: string) => (await d.planMany([{ destination, storyId, outletId, articleId }]))[0]!;

describe('seen store', () => {
  it('claims an item once, by any of its keys, and learns new aliases', async () => {
    const seen = createRedisSeenStore(redis, makeKeys(uniquePrefix()));
    expect(await claim(seen, 'rt', ['guid:1', 'link:a', 'title:x'], 'rt-1', 60)).toEqual({ isNew: true, articleId: 'rt-1' });
    // Same item, the publisher changed its GUID: the link still matches.
    expect(await claim(seen, 'rt', ['guid:2', 'link:a', 'title:x'], 'rt-2', 60)).toEqual({ isNew: false, articleId: 'rt-1' });
    // The new GUID was learnt as an alias of the first article.
    expect(await claim(seen, 'rt', ['guid:2'], 'rt-3', 60)).toEqual({ isNew: false, articleId: 'rt-1' });
    // Scoped by outlet: another outlet's identical title is its own article.
    expect((await claim(seen, 'tass', ['title:x'], 'tass-1', 60)).isNew).toBe(true);
  });

  it('forgets after the TTL', async () => {
    const keys = makeKeys(uniquePrefix());
    const seen = createRedisSeenStore(redis, keys);
    await claim(seen, 'rt', ['guid:1'], 'rt-1', 60);
    expect(await redis.ttl(keys.seen('rt', 'guid:1'))).toBeGreaterThan(50);
  });

  it('decides concurrent claims of one item once', async () => {
    const seen = createRedisSeenStore(redis, makeKeys(uniquePrefix()));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => claim(seen, 'rt', ['guid:same', `link:${i}`], `id-${i}`, 60)));
    expect(results.filter((r) => r.isNew)).toHaveLength(1);
    expect(new Set(results.map((r) => r.articleId)).size).toBe(1);
  });
});

describe('seen store outbox', () => {
  it('keeps claimed items in their scope outbox until released (several scopes, one call)', async () => {
    const seen = createRedisSeenStore(redis, makeKeys(uniquePrefix()));
    const claims = await seen.claimMany(
      [
        { scope: 'rt', keys: ['guid:1'], articleId: 'rt-1', pending: 'feed-a' },
        { scope: 'rt', keys: ['guid:2'], articleId: 'rt-2', pending: 'feed-a' },
        { scope: 'tass', keys: ['guid:1'], articleId: 'tass-1', pending: 'feed-a' },
      ],
      60,
    );
    expect(claims.map((c) => c.isNew)).toEqual([true, true, true]);
    expect((await seen.pending(['rt', 'tass'])).map((e) => e.articleId).sort()).toEqual(['rt-1', 'rt-2', 'tass-1']);
    await seen.release([
      { scope: 'rt', articleId: 'rt-1' },
      { scope: 'tass', articleId: 'tass-1' },
      { scope: 'rt', articleId: 'rt-2' },
    ]);
    expect(await seen.pending(['rt', 'tass'])).toEqual([]);
  });

  it('decides a batch in order, scopes interleaved: a repeat within the batch names the earlier item; only new items enter the outbox', async () => {
    const keys = makeKeys(uniquePrefix());
    const seen = createRedisSeenStore(redis, keys);
    await claim(seen, 'rt', ['guid:old'], 'rt-old', 60);
    const claims = await seen.claimMany(
      [
        { scope: 'rt', keys: ['guid:1', 'link:a'], articleId: 'rt-1', pending: 'feed-a' },
        { scope: 'tass', keys: ['link:a'], articleId: 'tass-1', pending: 'feed-a' },
        { scope: 'rt', keys: ['guid:2', 'link:a'], articleId: 'rt-2', pending: 'feed-a' },
        { scope: 'rt', keys: ['guid:old', 'title:t'], articleId: 'rt-3', pending: 'feed-a' },
        { scope: 'rt', keys: ['guid:4'], articleId: 'rt-4' },
      ],
      60,
    );
    expect(claims).toEqual([
      { isNew: true, articleId: 'rt-1' },
      { isNew: true, articleId: 'tass-1' },
      { isNew: false, articleId: 'rt-1' },
      { isNew: false, articleId: 'rt-old' },
      { isNew: true, articleId: 'rt-4' },
    ]);
    // Aliases learnt, with the TTL: guid:2 → rt-1, title:t → rt-old.
    expect(await claim(seen, 'rt', ['guid:2'], 'x', 60)).toEqual({ isNew: false, articleId: 'rt-1' });
    expect(await claim(seen, 'rt', ['title:t'], 'x', 60)).toEqual({ isNew: false, articleId: 'rt-old' });
    expect(await redis.ttl(keys.seen('rt', 'title:t'))).toBeGreaterThan(50);
    expect((await seen.pending(['rt', 'tass'])).map((e) => `${e.scope}/${e.articleId}/${e.payload}`).sort()).toEqual(['rt/rt-1/feed-a', 'tass/tass-1/feed-a']);
  });

  it('decides a batch of more keys than one MGET chunk of the script (1,000) in order', async () => {
    const seen = createRedisSeenStore(redis, makeKeys(uniquePrefix()));
    await claim(seen, 'rt', ['link:old'], 'rt-old', 60);
    // 700 items of 2 keys: the script reads the keys in chunks; item 600's second key is item 10's
    // first (known from this batch, across the chunk boundary), item 650's the one stored before.
    const items = Array.from({ length: 700 }, (_, i) => ({ scope: 'rt', keys: [`guid:${i}`, i === 600 ? 'guid:10' : i === 650 ? 'link:old' : `link:${i}`], articleId: `rt-${i}` }));
    const claims = await seen.claimMany(items, 60);
    expect(claims.filter((c) => !c.isNew)).toEqual([
      { isNew: false, articleId: 'rt-10' },
      { isNew: false, articleId: 'rt-old' },
    ]);
    expect(claims[600]).toEqual({ isNew: false, articleId: 'rt-10' });
    expect(claims[699]).toEqual({ isNew: true, articleId: 'rt-699' });
    expect(await claim(seen, 'rt', ['guid:650'], 'x', 60)).toEqual({ isNew: false, articleId: 'rt-old' });
  });
});

describe('feed store: a poll group', () => {
  it("reads several feeds' state at once and writes them at once; an unknown feed reads as null", async () => {
    const feeds = createRedisFeedStore(redis, makeKeys(uniquePrefix()));
    const feed = (id: string): FeedConfig => ({ id, url: `https://x.org/${id}`, outlet: id, outletId: id, language: ['en'], affiliation: 'independent', source: 'file' });
    const rt = (etag: string): FeedRuntime => ({ intervalSeconds: 600, paused: null, etag, lastModified: null, polls: 1 }) as unknown as FeedRuntime;
    await feeds.upsert(feed('a'));
    await feeds.upsert(feed('b'));
    await feeds.setRuntime('a', rt('"a1"'));
    const loaded = await feeds.loadManyForPoll<{ n: number }>(['a', 'b', 'gone']);
    expect(loaded.get('a')).toEqual({ feed: feed('a'), runtime: rt('"a1"'), health: null });
    expect(loaded.get('b')).toEqual({ feed: feed('b'), runtime: null, health: null });
    expect(loaded.get('gone')).toEqual({ feed: null, runtime: null, health: null });
    await feeds.saveManyAfterPoll([
      { id: 'a', runtime: rt('"a2"'), health: { n: 1 } },
      { id: 'b', runtime: rt('"b1"'), health: { n: 2 } },
    ]);
    expect(await feeds.loadForPoll('a')).toEqual({ feed: feed('a'), runtime: rt('"a2"'), health: { n: 1 } });
    expect(await feeds.loadForPoll('b')).toEqual({ feed: feed('b'), runtime: rt('"b1"'), health: { n: 2 } });
  });
});

describe('feed store: the parses it keeps (FeedParses)', () => {
  const feed = (id: string, url = `https://x.org/${id}`): FeedConfig => ({ id, url, outlet: id, outletId: id, language: ['en'], affiliation: 'independent', source: 'file' });
  const rt = { intervalSeconds: 600, paused: null, etag: '"e1"', lastModified: null, polls: 1 } as unknown as FeedRuntime;

  it('hands out copies (a change to one is not seen by the next load) and reads a text another writer changed', async () => {
    const keys = makeKeys(uniquePrefix());
    const feeds = createRedisFeedStore(redis, keys);
    const health = { lastPollAt: null, lastSuccessAt: null, recentOutcomes: [], notModifiedRatio: null, n: 1 };
    await feeds.upsert(feed('a'));
    await feeds.setRuntime('a', rt);
    await feeds.setHealth('a', health);
    const first = (await feeds.loadManyForPoll<typeof health>(['a'])).get('a')!;
    first.feed!.url = 'changed';
    first.runtime!.etag = 'changed';
    first.health!.n = 99;
    const second = (await feeds.loadManyForPoll<typeof health>(['a'])).get('a')!;
    expect(second).toEqual({ feed: feed('a'), runtime: rt, health });
    expect(await feeds.loadForPoll('a')).toEqual({ feed: feed('a'), runtime: rt, health });
    // Another process (here: the bare connection) writes new texts: they are read, not the kept ones.
    await redis.hset(keys.feeds, 'a', JSON.stringify(feed('a', 'https://x.org/moved')));
    await redis.hset(keys.feedsState, 'r:a', JSON.stringify({ ...rt, etag: '"e2"' }), 'h:a', JSON.stringify({ ...health, n: 2 }));
    expect((await feeds.loadManyForPoll<typeof health>(['a'])).get('a')).toEqual({ feed: feed('a', 'https://x.org/moved'), runtime: { ...rt, etag: '"e2"' }, health: { ...health, n: 2 } });
  });

  it('keeps at most its bound of feeds; the others are parsed at every load, the same', async () => {
    const keys = makeKeys(uniquePrefix());
    const feeds = createRedisFeedStore(redis, keys, 1);
    for (const id of ['a', 'b']) {
      await feeds.upsert(feed(id));
      await feeds.setRuntime(id, rt);
    }
    for (let k = 0; k < 2; k++) {
      const loaded = await feeds.loadManyForPoll(['a', 'b']);
      expect([loaded.get('a'), loaded.get('b')]).toEqual([
        { feed: feed('a'), runtime: rt, health: null },
        { feed: feed('b'), runtime: rt, health: null },
      ]);
      loaded.get('b')!.runtime!.polls = 7;
    }
  });
});

describe('feed store: what a poll wrote, kept as its parse', () => {
  const feed = (id: string): FeedConfig => ({ id, url: `https://X.org/${id}`, outlet: id, outletId: id, language: ['en'], affiliation: 'independent', source: 'file' });
  const rt = { intervalSeconds: 600, paused: null, etag: '"e1"', lastModified: null, polls: 1 } as unknown as FeedRuntime;
  const ok = { kind: 'ok' as const, items: [{ published: '2026-12-01T10:00:00.000Z', publishedEstimated: false }, { published: '2026-12-01T08:00:00.000Z', publishedEstimated: false }], notBefore: null };

  it("a cold poll's save leaves the next load nothing to parse, and that load reads what a fresh store reads", async () => {
    const keys = makeKeys(uniquePrefix());
    const parses = new FeedParses();
    const feeds = createRedisFeedStore(redis, keys, parses);
    await feeds.upsert(feed('a'));
    // The cold poll: a one-off load (config parsed), then its save.
    expect(await feeds.loadForPoll('a')).toEqual({ feed: feed('a'), runtime: null, health: null });
    const health = recordPollOutcome(emptyHealth(), ok as never, new Date('2026-12-01T11:00:00Z'));
    await feeds.saveAfterPoll('a', rt, health);
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const loaded = (await feeds.loadManyForPoll<FeedHealth>(['a'])).get('a');
      expect(parse).not.toHaveBeenCalled();
      expect(loaded).toEqual((await createRedisFeedStore(redis, keys).loadManyForPoll<FeedHealth>(['a'])).get('a'));
      expect(loaded).toEqual({ feed: feed('a'), runtime: rt, health });
      // The tick's host of the feed comes from the same kept config.
      parse.mockClear();
      expect(parses.host('a', (await redis.hget(keys.feeds, 'a'))!)).toBe('x.org');
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it('keeps no value that its JSON would not give back: the next load parses the text', async () => {
    const keys = makeKeys(uniquePrefix());
    const feeds = createRedisFeedStore(redis, keys);
    await feeds.upsert(feed('a'));
    const odd = { n: Number.NaN, gone: undefined, at: new Date('2026-12-01T00:00:00Z'), list: [1, 'x', null] };
    await feeds.saveAfterPoll('a', rt, odd);
    const loaded = await feeds.loadManyForPoll(['a']);
    expect(loaded.get('a')!.health).toEqual({ n: null, at: '2026-12-01T00:00:00.000Z', list: [1, 'x', null] });
    expect(loaded.get('a')!.health).toEqual(JSON.parse(JSON.stringify(odd)));
  });

  it('fits its bound to the feeds of the installation; past it a feed is parsed at every load, the same', async () => {
    const p = new FeedParses(2);
    for (const id of ['a', 'b', 'c']) expect(p.parsed(id, 'runtime', `{"id":"${id}"}`)).toEqual({ id });
    expect(p.size).toBe(2);
    expect(p.parsed('c', 'runtime', '{"id":"c"}')).toEqual({ id: 'c' });
    expect(p.size).toBe(2);
    p.fit(3);
    p.keep('c', 'runtime', '{"id":"c"}', { id: 'c' });
    expect(p.size).toBe(3);
    p.fit(0);
    p.keep('d', 'runtime', '{"id":"d"}', { id: 'd' });
    expect(p.size).toBe(3);
    // A config that does not parse, or names no URL, has the host ''.
    expect([p.host('c', '{'), p.host('e', '{"id":"e"}'), p.host('f', '{"url":"https://A.b.org:8080/x"}')]).toEqual(['', '', 'a.b.org']);

    // The store reads the feed count beside its first group's configs: 5 feeds, a floor of 1, all kept.
    const keys = makeKeys(uniquePrefix());
    const parses = new FeedParses(1);
    const feeds = createRedisFeedStore(redis, keys, parses);
    const ids = ['a', 'b', 'c', 'd', 'e'];
    for (const id of ids) {
      await feeds.upsert(feed(id));
      await feeds.setRuntime(id, rt);
    }
    await feeds.loadManyForPoll(ids);
    expect(parses.size).toBe(5);
  });
});

describe("feed store: a poll's bookkeeping apart from the health", () => {
  const feed: FeedConfig = { id: 'a', url: 'https://x.org/a', outlet: 'a', outletId: 'a', language: ['en'], affiliation: 'independent', source: 'file' };
  const rt = { intervalSeconds: 600, paused: null, etag: '"e1"', lastModified: null, polls: 1 } as unknown as FeedRuntime;
  const ok = { kind: 'ok' as const, items: [{ published: '2026-12-01T10:00:00.000Z', publishedEstimated: false }, { published: '2026-12-01T08:00:00.000Z', publishedEstimated: false }], notBefore: null };
  const notModified = { kind: 'not-modified' as const, notBefore: null };

  it('a 304 writes only the small fields; every read sees the poll as it was saved, and a change writes the health again', async () => {
    const keys = makeKeys(uniquePrefix());
    const feeds = createRedisFeedStore(redis, keys);
    await feeds.upsert(feed);
    const h0 = recordPollOutcome(emptyHealth(), ok as never, new Date('2026-12-01T11:00:00Z'));
    await feeds.saveAfterPoll('a', rt, h0);
    const healthJson = await redis.hget(keys.feedsState, 'h:a');
    const runtimeJson = await redis.hget(keys.feedsState, 'r:a');
    // Three 304s through a group's load and save, as jobs/poll.ts makes them.
    let expected = { runtime: rt, health: h0 };
    for (let k = 1; k <= 3; k++) {
      const loaded = (await feeds.loadManyForPoll<FeedHealth>(['a'])).get('a')!;
      expect(loaded.runtime).toEqual(expected.runtime);
      expect(loaded.health).toEqual(expected.health);
      const health = recordPollOutcome(loaded.health!, notModified as never, new Date(Date.UTC(2026, 11, 1, 11, k)));
      const runtime = { ...loaded.runtime!, polls: loaded.runtime!.polls + 1 };
      await feeds.saveManyAfterPoll([{ id: 'a', runtime, health }]);
      expected = { runtime, health };
    }
    // The health's and runtime's JSON were not written again; what reads them sees the last poll.
    expect(await redis.hget(keys.feedsState, 'h:a')).toBe(healthJson);
    expect(await redis.hget(keys.feedsState, 'r:a')).toBe(runtimeJson);
    expect(expected.health.recentOutcomes).toEqual(['ok', '304', '304', '304']);
    expect(expected.health.notModifiedRatio).toBe(0.75);
    expect(await feeds.loadForPoll('a')).toEqual({ feed, ...expected });
    expect(await feeds.getHealth('a')).toEqual(expected.health);
    expect(await feeds.getRuntime('a')).toEqual(expected.runtime);
    expect((await feeds.loadManyForPoll(['a'])).get('a')).toEqual({ feed, ...expected });

    // A 304 that changes more than the bookkeeping (a new validator, the server's notBefore) writes it all.
    const loaded = (await feeds.loadManyForPoll<FeedHealth>(['a'])).get('a')!;
    const health = recordPollOutcome(loaded.health!, { ...notModified, notBefore: Date.UTC(2026, 11, 2) } as never, new Date(Date.UTC(2026, 11, 1, 12)));
    const runtime = { ...loaded.runtime!, etag: '"e2"', polls: loaded.runtime!.polls + 1 };
    await feeds.saveManyAfterPoll([{ id: 'a', runtime, health }]);
    expect(await redis.hget(keys.feedsState, 'h:a')).not.toBe(healthJson);
    expect(await feeds.loadForPoll('a')).toEqual({ feed, runtime, health });

    // The other writers keep the small fields current (an admin's resume, the feeds file's sync).
    const resumed = { ...health, consecutiveFailures: 0, notBefore: null, lastPollAt: '2026-12-03T00:00:00.000Z' };
    await feeds.setHealth('a', resumed);
    await feeds.setRuntime('a', { ...runtime, polls: 0 });
    expect(await feeds.loadForPoll('a')).toEqual({ feed, runtime: { ...runtime, polls: 0 }, health: resumed });
    expect(await feeds.remove('a')).toBe(true);
    expect(await redis.hlen(keys.feedsState)).toBe(0);
  });
});

describe('feed store: the state of the earlier version', () => {
  it("moves per-feed state hashes into the one state hash at start, keeps what this version wrote, and finds nothing the second time", async () => {
    const keys = makeKeys(uniquePrefix());
    const feeds = createRedisFeedStore(redis, keys);
    const rt = (etag: string): FeedRuntime => ({ intervalSeconds: 600, paused: null, etag, lastModified: null, polls: 3 }) as unknown as FeedRuntime;
    // As the earlier version left them: a hash per feed, fields runtime and health.
    await redis.hset(keys.legacyFeedState('kz-en'), { runtime: JSON.stringify(rt('"k1"')), health: JSON.stringify({ n: 1 }) });
    await redis.hset(keys.legacyFeedState('uz:ru'), { runtime: JSON.stringify(rt('"u1"')) });
    await redis.hset(keys.legacyFeedState('tj-en'), { runtime: JSON.stringify(rt('"old"')), health: JSON.stringify({ n: 7 }) });
    // Written by this version already (newer): kept.
    await feeds.setRuntime('tj-en', rt('"new"'));
    // Another deployment's keys under a longer prefix are not this store's.
    await redis.hset(`${keys.prefix}x:feed:other:state`, { runtime: '{}' });
    expect(await feeds.migrateState()).toBe(3);
    expect(await feeds.getRuntime('kz-en')).toEqual(rt('"k1"'));
    expect(await feeds.getHealth('kz-en')).toEqual({ n: 1 });
    expect((await feeds.loadManyForPoll(['uz:ru', 'tj-en'])).get('uz:ru')).toEqual({ feed: null, runtime: rt('"u1"'), health: null });
    expect(await feeds.getRuntime('tj-en')).toEqual(rt('"new"'));
    expect(await feeds.getHealth('tj-en')).toEqual({ n: 7 });
    expect(await redis.exists(keys.legacyFeedState('kz-en'), keys.legacyFeedState('uz:ru'), keys.legacyFeedState('tj-en'))).toBe(0);
    expect(await redis.exists(`${keys.prefix}x:feed:other:state`)).toBe(1);
    expect(await feeds.migrateState()).toBe(0);
    await redis.del(`${keys.prefix}x:feed:other:state`);
  });

  it('walks the keyspace again after a start that moved hashes (a rolling upgrade), and no more once a walk found none', async () => {
    const keys = makeKeys(uniquePrefix());
    const feeds = createRedisFeedStore(redis, keys);
    const rt = (etag: string): FeedRuntime => ({ intervalSeconds: 600, paused: null, etag, lastModified: null, polls: 3 }) as unknown as FeedRuntime;
    await redis.hset(keys.legacyFeedState('a'), { runtime: JSON.stringify(rt('"a1"')) });
    expect(await feeds.migrateState()).toBe(1);
    expect(await redis.hexists(keys.migrations, 'feed-state-hash')).toBe(0);
    // An earlier version's worker, still running during the upgrade, writes another feed's hash.
    await redis.hset(keys.legacyFeedState('b'), { runtime: JSON.stringify(rt('"b1"')) });
    expect(await feeds.migrateState()).toBe(1);
    expect(await feeds.getRuntime('b')).toEqual(rt('"b1"'));
    // A start that finds none records the step ...
    expect(await feeds.migrateState()).toBe(0);
    expect(await redis.hexists(keys.migrations, 'feed-state-hash')).toBe(1);
    // ... and the starts after it do not walk the keyspace (a hash written now is not looked for).
    await redis.hset(keys.legacyFeedState('c'), { runtime: JSON.stringify(rt('"c1"')) });
    expect(await feeds.migrateState()).toBe(0);
    expect(await redis.exists(keys.legacyFeedState('c'))).toBe(1);
    await redis.del(keys.legacyFeedState('c'));
  });

  it('records the step at the first start of a new installation (nothing to move)', async () => {
    const keys = makeKeys(uniquePrefix());
    const feeds = createRedisFeedStore(redis, keys);
    expect(await feeds.migrateState()).toBe(0);
    expect(await redis.hexists(keys.migrations, 'feed-state-hash')).toBe(1);
  });

  it('removes a feed with its state', async () => {
    const keys = makeKeys(uniquePrefix());
    const feeds = createRedisFeedStore(redis, keys);
    const feed: FeedConfig = { id: 'a', url: 'https://x.org/a', outlet: 'a', outletId: 'a', language: ['en'], affiliation: 'independent', source: 'file' };
    await feeds.upsert(feed);
    await feeds.saveAfterPoll('a', { intervalSeconds: 600, paused: null, etag: '"e"', lastModified: null, polls: 1 } as unknown as FeedRuntime, { n: 1 });
    expect(await feeds.remove('a')).toBe(true);
    expect(await feeds.loadForPoll('a')).toEqual({ feed: null, runtime: null, health: null });
    expect(await redis.hlen(keys.feedsState)).toBe(0);
  });
});

describe('article store', () => {
  it('reads a batch in order, missing ones as null', async () => {
    const articles = createRedisArticleStore(redis, makeKeys(uniquePrefix()));
    const a = { id: 'x-1', feedId: 'f', outletId: 'x', outlet: 'X', affiliation: 'independent', url: null, title: 'T', text: 'B', published: '2026-12-01T00:00:00Z', publishedEstimated: false, firstSeen: '2026-12-01T00:00:00Z' } as const;
    await articles.put({ ...a }, 60);
    await articles.put({ ...a, id: 'x-3' }, 60);
    expect((await articles.getMany(['x-3', 'x-2', 'x-1'])).map((r) => r?.id ?? null)).toEqual(['x-3', null, 'x-1']);
    expect(await articles.getMany([])).toEqual([]);
  });
});

describe('delivery store', () => {
  it('plans alert, then one follow-up per outlet, idempotently', async () => {
    const d = createRedisDeliveryStore(redis, makeKeys(uniquePrefix()), 3600);
    expect(await plan(d, 'slack:C1', 's1', 'global-times', 'a1')).toBe('alert');
    expect(await plan(d, 'slack:C1', 's1', 'rt', 'a2')).toBe('followup');
    expect(await plan(d, 'slack:C1', 's1', 'rt', 'a3')).toBe('skip');
    // A retried analyse job gets its first answer again.
    expect(await plan(d, 'slack:C1', 's1', 'rt', 'a2')).toBe('followup');
    expect(await plan(d, 'slack:C1', 's1', 'global-times', 'a1')).toBe('alert');
    // Another destination starts over.
    expect(await plan(d, 'discord:9', 's1', 'rt', 'a2')).toBe('alert');
  });

  it('plans a batch in one call, in its order, as one by one would; a re-planned batch gets its first answers', async () => {
    const keys = makeKeys(uniquePrefix());
    const d = createRedisDeliveryStore(redis, keys, 3600);
    const batch = [
      { destination: 'slack:C1', storyId: 's1', outletId: 'global-times', articleId: 'a1' },
      { destination: 'slack:C2', storyId: 's1', outletId: 'global-times', articleId: 'a1' },
      { destination: 'slack:C1', storyId: 's1', outletId: 'rt', articleId: 'a2' },
      { destination: 'slack:C1', storyId: 's1', outletId: 'rt', articleId: 'a3' },
      { destination: 'slack:C1', storyId: 's2', outletId: 'rt', articleId: 'a4' },
    ];
    expect(await d.planMany(batch)).toEqual(['alert', 'alert', 'followup', 'skip', 'alert']);
    expect(await d.planMany([...batch].reverse())).toEqual(['alert', 'skip', 'followup', 'alert', 'alert']);
    expect((await d.view('slack:C1', 's1', 'a3')).planned.get('a3')).toBe('skip');
    expect(await redis.ttl(keys.deliveryStory('slack:C1', 's1'))).toBeGreaterThan(3500);
    expect(await d.planMany([])).toEqual([]);
  });

  it('makes exactly one alert of concurrent first articles', async () => {
    const d = createRedisDeliveryStore(redis, makeKeys(uniquePrefix()), 3600);
    const kinds = await Promise.all(['a', 'b', 'c', 'd'].map((o, i) => plan(d, 'console', 's', o, `x${i}`)));
    expect(kinds.filter((k) => k === 'alert')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'followup')).toHaveLength(3);
  });

  it('records posts, the story root and the tags shown; a view reads them in one go; paces per destination', async () => {
    const keys = makeKeys(uniquePrefix());
    const d = createRedisDeliveryStore(redis, keys, 3600);
    expect(await d.posted('slack:C1', 'a1')).toBeNull();
    expect(await d.view('slack:C1', 's1', 'a1')).toEqual({ posted: null, intent: false, swappedIn: null, root: null, rootArticle: null, planned: new Map(), shownTags: new Set() });
    expect(await plan(d, 'slack:C1', 's1', 'rt', 'a1')).toBe('alert');
    await d.recordIntent('slack:C1', 'a1');
    expect((await d.view('slack:C1', 's1', 'a1')).intent).toBe(true);
    // An intent recorded for an article another job puts first marks that job's post key with it.
    await d.recordIntent('slack:C1', 'a0', 'a1');
    expect(await d.view('slack:C1', 's1', 'a1')).toMatchObject({ intent: true, swappedIn: 'a0' });
    expect((await d.view('slack:C1', 's1', 'a0')).intent).toBe(true);
    expect(await redis.ttl(keys.deliveryArticle('slack:C1', 'a0'))).toBeGreaterThan(3500);
    expect(await redis.ttl(keys.deliveryArticle('slack:C1', 'a1'))).toBeGreaterThan(3500);
    await d.recordPost('slack:C1', 'a1', 's1', { channel: 'C1', messageId: '1.1', threadId: '1.1' }, 'alert', ['color-revolution', 'external-interference']);
    expect(await d.posted('slack:C1', 'a1')).toEqual({ channel: 'C1', messageId: '1.1', threadId: '1.1' });
    expect(await d.root('slack:C1', 's1')).toEqual({ channel: 'C1', messageId: '1.1', threadId: '1.1' });
    await d.recordPost('slack:C1', 'a2', 's1', { channel: 'C1', messageId: '1.2' }, 'followup', ['color-revolution', 'three-evil-forces']);
    expect((await d.root('slack:C1', 's1'))?.messageId).toBe('1.1');
    const v = await d.view('slack:C1', 's1', 'a2');
    expect(v.posted).toEqual({ channel: 'C1', messageId: '1.2' });
    expect(v.root?.messageId).toBe('1.1');
    expect(v.rootArticle).toBe('a1');
    expect(v.planned).toEqual(new Map([['a1', 'alert']]));
    expect([...v.shownTags].sort()).toEqual(['color-revolution', 'external-interference', 'three-evil-forces']);
    expect(await redis.ttl(keys.deliveryStory('slack:C1', 's1'))).toBeGreaterThan(3500);
    // a post without tags or story (a spike's notice, a merge notice) leaves the story's hash alone
    await d.recordPost('slack:C1', 'n1', 'n1', { channel: 'C1', messageId: '1.3' }, 'followup');
    expect(await redis.exists(keys.deliveryStory('slack:C1', 'n1'))).toBe(0);
    expect(await d.takeSlot('slack:C1', 1000)).toBe(0);
    const wait = await d.takeSlot('slack:C1', 1000);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(1000);
    expect(await d.takeSlot('slack:C2', 1000)).toBe(0);
  });
});

describe('delivery store: the root article', () => {
  // Found by the chaos suite (calm run, seed 7): the deliver job posted a story's earlier-published
  // article as the root in place of the article planned first; the follow-up's chat.update then
  // re-rendered the root as the planned article, so that one showed twice and the root's vanished.
  it('is the article of the story\'s first message, also when another than the one planned first was posted', async () => {
    const d = createRedisDeliveryStore(redis, makeKeys(uniquePrefix()), 3600);
    expect(await plan(d, 'slack:C1', 's1', 'rt', 'later')).toBe('alert');
    expect(await plan(d, 'slack:C1', 's1', 'global-times', 'earlier')).toBe('followup');
    await d.recordPost('slack:C1', 'earlier', 's1', { channel: 'C1', messageId: '1.1', threadId: '1.1' }, 'alert');
    expect((await d.view('slack:C1', 's1', 'later')).rootArticle).toBe('earlier');
    await d.recordPost('slack:C1', 'later', 's1', { channel: 'C1', messageId: '1.2', threadId: '1.1' }, 'followup');
    expect((await d.view('slack:C1', 's1', 'later')).rootArticle).toBe('earlier');
  });
});

describe('subscriptions and mutes', () => {
  it('keeps subscriptions per destination, pauses and removes them', async () => {
    const s = createRedisSubscriptionStore(redis, makeKeys(uniquePrefix()));
    const now = new Date('2026-01-01T00:00:00Z');
    await s.add(defaultSubscription('slack:C1', now));
    await s.add({ ...defaultSubscription('slack:C1', now), id: 'sabc123', isDefault: false, countries: ['KZ'] });
    await s.add({ ...defaultSubscription('discord:9', now), id: 'sdef456', isDefault: false });
    expect((await s.list('slack:C1')).map((x) => x.id).sort()).toEqual(['default-slack-c1', 'sabc123']);
    expect(await s.list()).toHaveLength(3);
    expect(await s.remove('discord:9', 'sabc123')).toBe(false); // not that destination's
    expect(await s.setPaused('slack:C1', { reason: 'not_in_channel', at: now.toISOString() })).toBe(2);
    expect((await s.get('sabc123'))?.paused?.reason).toBe('not_in_channel');
    expect((await s.get('sdef456'))?.paused).toBeNull();
    expect(await s.removeAll('slack:C1')).toBe(2);
    expect(await s.list('slack:C1')).toEqual([]);
  });

  it('mutes stories and outlets per destination', async () => {
    const m = createRedisMuteStore(redis, makeKeys(uniquePrefix()));
    expect(await m.mute('slack:C1', 'story', 's1')).toBe(true);
    expect(await m.mute('slack:C1', 'story', 's1')).toBe(false);
    await m.mute('slack:C1', 'outlet', 'rt');
    const got = await m.get('slack:C1');
    expect([...got.stories]).toEqual(['s1']);
    expect([...got.outlets]).toEqual(['rt']);
    expect((await m.get('slack:C2')).stories.size).toBe(0);
    expect(await m.unmute('slack:C1', 'outlet', 'rt')).toBe(true);
  });
});
