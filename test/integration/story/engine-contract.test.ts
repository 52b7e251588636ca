// One story engine in every path (issue 15): the same stream of articles through the in-memory
// index (what `analyze --cluster` and `eval` run on) and through the Redis store (what the pipeline
// runs on) gives the same story ids with the same members, article for article — one at a time
// (assign) and in batches (assignMany).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAnalyzer, storyBackground, storyNames } from '../../../src/adapters/analysis-data.js';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { createRedisStoryStore } from '../../../src/adapters/redis/story-store.js';
import { storyFeatures } from '../../../src/core/story/engine.js';
import { MemoryStoryIndex } from '../../../src/core/story/memory-index.js';
import type { AnalysisResult, Article } from '../../../src/core/types.js';
import { loadLabelledSet, STORIES_FIXTURE_DIR } from '../../../tools/eval/labelled-set.js';
import { farmCountryItems, farmFeed, type FarmSpec } from '../../../bench/farm/content.js';
import { CENTRAL_ASIA_ITEMS } from '../../fixtures/story/central-asia.js';
import { fixtureAnalysis, fixtureArticle } from '../../fixtures/story/items.js';
import { MERGE_STREAM } from '../../fixtures/story/merge-stream.js';
import { sharedDir } from '../../fixtures/story/shared.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = testRedis();
afterAll(() => redis.quit());

interface Item {
  article: Article;
  analysis: AnalysisResult;
}

const T0 = Date.parse('2026-03-02T06:00:00Z');

/**
 * The hand-labelled set (with the seeds when ../shared is there), the story fixtures and a slice of
 * the bench farm's Central Asia items, in publication order, then laid 20 minutes apart from T0 (the
 * set spans two years; Redis counts document frequencies per 30 days of "now", which a test of
 * sameness keeps out of the way; the order and the window still decide what is near what).
 */
function stream(): Item[] {
  const an = defaultAnalyzer();
  const items: Item[] = [];
  const shared = sharedDir();
  if (!shared) console.warn('engine contract: ../shared not found, the two seed articles are left out of the stream');
  for (const a of loadLabelledSet(STORIES_FIXTURE_DIR, shared).articles) {
    const analysis = an.analyze({ id: a.id, title: a.title, text: a.text, published: a.published }, new Date(a.published));
    const outletId = a.outlet.toLowerCase().replace(/\W+/gu, '-');
    items.push({ analysis, article: { id: a.id, feedId: 'f', outletId, outlet: a.outlet, affiliation: 'unknown', url: `https://example.org/${a.id}`, title: a.title, text: a.text, published: a.published, publishedEstimated: false, firstSeen: a.published } });
  }
  for (const f of CENTRAL_ASIA_ITEMS) items.push({ article: fixtureArticle(f), analysis: fixtureAnalysis(f) });
  const spec: FarmSpec = { feeds: 400, items: 6, start: T0, seed: 11 };
  for (const { feed, meta: m, item: it, title, text, published } of farmCountryItems(spec)) {
    const fd = farmFeed(feed);
    const analysis = an.analyze({ id: it.guid, title, text, url: it.link, outlet: fd.outlet, published, language: m.lang }, new Date(T0));
    items.push({ analysis, article: { id: it.guid, feedId: fd.id, outletId: fd.outletId, outlet: fd.outlet, affiliation: fd.affiliation, url: it.link, title, text, published, publishedEstimated: false, firstSeen: published } });
  }
  items.sort((x, y) => Date.parse(x.article.published) - Date.parse(y.article.published));
  return items.map((x, i) => {
    const published = new Date(T0 + i * 20 * 60_000).toISOString();
    return { ...x, article: { ...x.article, published, firstSeen: published } };
  });
}

function viaMemory(items: readonly Item[]): { ids: string[]; members: Map<string, readonly string[]>; resolve: (id: string) => string } {
  const index = new MemoryStoryIndex({ docFreq: 'stream', background: storyBackground() });
  const ids = items.map((x) => {
    const now = new Date(x.article.published);
    return index.assign(storyFeatures(x.article, x.analysis, now, { names: storyNames() }), now.getTime()).storyId;
  });
  return { ids, members: new Map(index.stories()), resolve: (id) => index.resolve(id) };
}

describe('story engine contract: memory index and Redis store', () => {
  let items: Item[];
  let memory: ReturnType<typeof viaMemory>;
  beforeAll(() => {
    items = stream();
    memory = viaMemory(items);
  }, 120_000);

  it('the stream has joins and splits to compare (the test would pass trivially otherwise)', () => {
    const stories = new Set(memory.ids);
    expect(items.length).toBeGreaterThan(150);
    expect(stories.size).toBeLessThan(items.length - 20);
    expect(stories.size).toBeGreaterThan(20);
  });

  it('assign, one article at a time: the same story ids and members', async () => {
    const store = createRedisStoryStore({ redis, keys: makeKeys(uniquePrefix('contract')) });
    const ids: string[] = [];
    for (const x of items) ids.push((await store.assign(x.article, x.analysis, new Date(x.article.published))).storyId);
    expect(ids).toEqual(memory.ids);
    // a story merged later in the stream answers with its survivor (store.get), as in memory
    for (const id of new Set(ids)) expect((await store.get(id))?.articleIds, id).toEqual(memory.members.get(memory.resolve(id)));
  }, 120_000);

  it('assignMany, in batches of 1 to 40: the same story ids and members', async () => {
    const store = createRedisStoryStore({ redis, keys: makeKeys(uniquePrefix('contract-many')) });
    const ids: string[] = [];
    const sizes = [1, 7, 40, 3, 25];
    for (let i = 0, b = 0; i < items.length; b++) {
      const batch = items.slice(i, i + sizes[b % sizes.length]!);
      i += batch.length;
      // one "now" per batch: its last article's time (the candidate sets' trim bound; the window is far wider than a batch)
      const res = await store.assignMany(batch, new Date(batch.at(-1)!.article.published));
      ids.push(...res.map((r) => r.storyId));
    }
    // A batch's results answer with the story as it is after the batch's merges (story-store.ts
    // mergeAfter), memory's with the story at the article's turn: the same once both are resolved
    // to the survivors at the end of the stream.
    expect(ids.map(memory.resolve)).toEqual(memory.ids.map(memory.resolve));
    for (const id of new Set(ids)) expect((await store.get(id))?.articleIds, id).toEqual(memory.members.get(memory.resolve(id)));
    // a batch filed again changes nothing and answers the same stories
    const again = await store.assignMany(items.slice(0, 30), new Date(items.at(-1)!.article.published));
    expect(again.map((r) => memory.resolve(r.storyId))).toEqual(memory.ids.slice(0, 30).map(memory.resolve));
    expect(again.every((r) => !r.created)).toBe(true);
  }, 120_000);
});

/** The batches of the assignMany test, as slices of the stream. */
function batches(items: readonly Item[], sizes = [1, 7, 40, 3, 25]): Item[][] {
  const out: Item[][] = [];
  for (let i = 0, b = 0; i < items.length; b++) {
    out.push(items.slice(i, i + sizes[b % sizes.length]!));
    i += out.at(-1)!.length;
  }
  return out;
}

/**
 * What the previous layout kept for the change log's filings and merges: a sorted set per matching
 * key (story → latest filing time, ZADD GT; trimmed 2 × window behind each batch's now), written
 * here by hand from the log, independently of story-mirror.ts.
 */
async function toOldLayout(keys: ReturnType<typeof makeKeys>): Promise<number> {
  const log = (await redis.xrange(keys.storyLog, '-', '+')) as [string, string[]][];
  const p = redis.pipeline();
  const touched = new Set<string>();
  for (const [, [field, value]] of log) {
    if (field === 'b') {
      const [now, ...recs] = value!.split('\x1e');
      const written = new Set<string>();
      for (const rec of recs) {
        const [story, t, ...ks] = rec.split('\x1f');
        for (const k of ks) {
          p.zadd(keys.storyCandidates(k), 'GT', t!, story!);
          written.add(k);
        }
      }
      for (const k of written) p.zremrangebyscore(keys.storyCandidates(k), '-inf', `(${Number(now) - 2 * 72 * 3_600_000}`);
      for (const k of written) touched.add(k);
    } else if (field === 'm') {
      const [survivor, absorbed, ...ks] = value!.split('\x1f');
      // a merge moves the entry (the later time wins), as story-merge.lua did
      await p.exec();
      for (const k of ks) {
        const t = await redis.zscore(keys.storyCandidates(k), absorbed!);
        if (t === null) continue;
        await redis.zrem(keys.storyCandidates(k), absorbed!);
        await redis.zadd(keys.storyCandidates(k), 'GT', t, survivor!);
      }
    }
  }
  await p.exec();
  await redis.del(keys.storyLog, keys.storyLogGen, keys.storyProtocol);
  return touched.size;
}

describe('story engine contract: processes sharing one Redis (the change log and the mirrors)', () => {
  let items: Item[];
  let memory: ReturnType<typeof viaMemory>;
  beforeAll(() => {
    items = stream();
    memory = viaMemory(items);
  }, 120_000);

  it('two assigners, each with its own connection and mirror, taking turns: the same story ids and members', async () => {
    const keys = makeKeys(uniquePrefix('contract-two'));
    const conns = [testRedis(), testRedis()];
    const stores = conns.map((c) => createRedisStoryStore({ redis: c, keys }));
    const ids: string[] = [];
    for (const [b, batch] of batches(items).entries()) {
      const res = await stores[b % 2]!.assignMany(batch, new Date(batch.at(-1)!.article.published));
      ids.push(...res.map((r) => r.storyId));
    }
    expect(ids.map(memory.resolve)).toEqual(memory.ids.map(memory.resolve));
    for (const id of new Set(ids)) expect((await stores[0]!.get(id))?.articleIds, id).toEqual(memory.members.get(memory.resolve(id)));
    // a third process, started now, builds its mirror from the log and files a batch again: nothing changes
    const third = createRedisStoryStore({ redis, keys });
    const again = await third.assignMany(items.slice(-20), new Date(items.at(-1)!.article.published));
    expect(again.map((r) => memory.resolve(r.storyId))).toEqual(memory.ids.slice(-20).map(memory.resolve));
    expect(again.every((r) => !r.created)).toBe(true);
    await Promise.all(conns.map((c) => c.quit()));
  }, 120_000);

  it('data of the previous layout (candidate sets, no log) is migrated by the first new process: the same decisions', async () => {
    const keys = makeKeys(uniquePrefix('contract-migrate'));
    const half = batches(items);
    const cut = Math.floor(half.length / 2);
    const before = createRedisStoryStore({ redis, keys });
    const ids: string[] = [];
    for (const batch of half.slice(0, cut)) ids.push(...(await before.assignMany(batch, new Date(batch.at(-1)!.article.published))).map((r) => r.storyId));
    expect(await toOldLayout(keys)).toBeGreaterThan(50);
    const after = createRedisStoryStore({ redis, keys });
    for (const batch of half.slice(cut)) ids.push(...(await after.assignMany(batch, new Date(batch.at(-1)!.article.published))).map((r) => r.storyId));
    expect(ids.map(memory.resolve)).toEqual(memory.ids.map(memory.resolve));
    // the old sets went into the log, then away
    expect(await redis.keys(`${keys.storyCandidates('')}*`)).toEqual([]);
    expect(((await redis.xrange(keys.storyLog, '-', '+', 'COUNT', 1)) as [string, string[]][])[0]![1][0]).toBe('s');
    // the process from before, its mirror built on a log that is gone, rebuilds and decides alike
    const more = await before.assignMany(items.slice(0, 10), new Date(items.at(-1)!.article.published));
    expect(more.map((r) => memory.resolve(r.storyId))).toEqual(memory.ids.slice(0, 10).map(memory.resolve));
  }, 120_000);

  it('a Redis that lost everything (a restart without persistence): the running process rebuilds its mirror and decides as a new installation', async () => {
    const keys = makeKeys(uniquePrefix('contract-flush'));
    const store = createRedisStoryStore({ redis, keys });
    const cut = Math.floor(items.length / 2);
    for (const batch of batches(items.slice(0, cut))) await store.assignMany(batch, new Date(batch.at(-1)!.article.published));
    const all = await redis.keys(`${keys.storyLog.split(':story:')[0]}:*`);
    expect(all.length).toBeGreaterThan(100);
    await redis.del(...all);
    const ids: string[] = [];
    for (const batch of batches(items.slice(cut))) ids.push(...(await store.assignMany(batch, new Date(batch.at(-1)!.article.published))).map((r) => r.storyId));
    const fresh = viaMemory(items.slice(cut));
    expect(ids.map(fresh.resolve)).toEqual(fresh.ids.map(fresh.resolve));
  }, 120_000);
});

/** Two stories of one event, then an article that joins both clearly (merge.ts), then one more. */
function mergeStream(): Item[] {
  const an = defaultAnalyzer();
  return MERGE_STREAM.map((m) => ({
    analysis: an.analyze({ id: m.id, title: m.title, text: m.text, outlet: m.outlet, published: m.published }, new Date(m.published)),
    article: { id: m.id, feedId: `${m.outletId}-en`, outletId: m.outletId, outlet: m.outlet, affiliation: 'unknown', url: `https://example.org/${m.id}`, title: m.title, text: m.text, published: m.published, publishedEstimated: false, firstSeen: m.published },
  }));
}

describe('story engine contract: stories found to be one are merged alike', () => {
  const items = mergeStream();
  const index = new MemoryStoryIndex({ docFreq: 'stream', background: storyBackground() });
  const placed = items.map((x) => {
    const now = new Date(x.article.published);
    return index.assign(storyFeatures(x.article, x.analysis, now, { names: storyNames() }), now.getTime());
  });
  const [a1, b1, x1, b2] = placed;

  it('memory: the bridging article merges the later story into the earlier; later articles join the survivor', () => {
    expect(b1!.storyId).not.toBe(a1!.storyId); // two stories at first
    expect(x1!.merged).toEqual([b1!.storyId]);
    expect(x1!.storyId).toBe(a1!.storyId); // the earlier story survives
    expect(index.resolve(b1!.storyId)).toBe(a1!.storyId);
    expect(index.storyOf('mg-b1')).toBe(a1!.storyId);
    expect(b2!.storyId).toBe(a1!.storyId);
    expect(index.story(b1!.storyId)).toBeNull();
    expect(index.story(a1!.storyId)).toEqual(['mg-a1', 'mg-x1', 'mg-b1', 'mg-b2']);
  });

  it('Redis, one article at a time: the same merge, ids and members; the old id answers with the survivor', async () => {
    const store = createRedisStoryStore({ redis, keys: makeKeys(uniquePrefix('contract-merge')) });
    const res = [];
    for (const x of items) res.push(await store.assign(x.article, x.analysis, new Date(x.article.published)));
    expect(res.map((r) => r.storyId)).toEqual(placed.map((p) => p.storyId));
    expect(res[2]!.merges?.map((m) => [m.survivorId, m.mergedId, m.articleId])).toEqual([[a1!.storyId, b1!.storyId, 'mg-x1']]);
    const survivor = await store.get(a1!.storyId);
    expect(survivor?.articleIds).toEqual(index.story(a1!.storyId));
    expect(survivor?.mergedIds).toEqual([b1!.storyId]);
    expect(survivor?.outlets.map((o) => o.outletId)).toEqual(['kazinform', 'tengri', 'astana-times', 'kapital']); // publication order
    expect((await store.get(b1!.storyId))?.id).toBe(a1!.storyId);
    expect((await store.getMany([b1!.storyId, 'nope', a1!.storyId])).map((s) => s?.id ?? null)).toEqual([a1!.storyId, null, a1!.storyId]);
    expect(await store.storyOf('mg-b1')).toBe(a1!.storyId);
    // the /story index lists the survivor once, never the merged story
    const listed = await store.recent({ since: new Date('2026-03-01T00:00:00Z'), limit: 10 });
    expect(listed.map((s) => s.id)).toEqual([a1!.storyId]);
    expect(await store.pendingMerges!()).toEqual([res[2]!.merges![0]]);
    // filing the bridge again changes nothing
    const again = await store.assign(items[2]!.article, items[2]!.analysis, new Date(items[2]!.article.published));
    expect(again.storyId).toBe(a1!.storyId);
    expect(again.merges).toBeUndefined();
    expect((await store.get(a1!.storyId))?.articleIds).toEqual(survivor?.articleIds);
  });

  it('Redis, in one batch: the same stories in the end', async () => {
    const store = createRedisStoryStore({ redis, keys: makeKeys(uniquePrefix('contract-merge-many')) });
    const res = await store.assignMany(items, new Date(items.at(-1)!.article.published));
    expect(res.map((r) => r.storyId)).toEqual(res.map(() => a1!.storyId));
    expect([...((await store.get(a1!.storyId))?.articleIds ?? [])].sort()).toEqual([...index.story(a1!.storyId)!].sort());
  });
});
