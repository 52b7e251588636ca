// The article store's batch writes on real Redis: the handoff's putNew (never over a stored copy)
// and the analyse job's putAnalysis (the analysis beside the raw record, or the whole record when
// the raw one is gone), each one script call a batch; what they leave in Redis is the layout the
// previous version wrote with SET commands (workers of both versions share a Redis in an upgrade).
import { afterAll, describe, expect, it } from 'vitest';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { createRedisArticleStore, publishedMs } from '../../../src/adapters/redis/article-store.js';
import type { AnalysedArticle, AnalysisResult, Article } from '../../../src/core/types.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = testRedis();
afterAll(() => redis.quit());

const TTL = 3_600;

function article(i: number): Article {
  const published = new Date(Date.UTC(2026, 11, 1, 0, i)).toISOString();
  return { id: `x-${i}`, feedId: 'f', outletId: 'x', outlet: 'X', affiliation: 'independent', url: `https://x.test/${i}`, title: `Заголовок ${i}`, text: `Текст ${i} — Астана`, published, publishedEstimated: false, firstSeen: '2026-12-01T12:00:00.000Z', languageHint: 'ru' };
}

function analysed(a: Article, storyId: string | null): AnalysedArticle {
  const analysis = { relevance: 0.5, language: 'ru', countries: ['KZ'] } as unknown as AnalysisResult;
  return { ...a, analysis, storyId, cites: storyId ? ['rt'] : [] };
}

function setup() {
  const keys = makeKeys(uniquePrefix());
  return { keys, store: createRedisArticleStore(redis, keys) };
}

describe('article store batch writes', () => {
  it('putNew stores each raw article once, with the TTL, never over a copy already there', async () => {
    const { keys, store } = setup();
    const [a, b, c] = [article(1), article(2), article(3)];
    await store.put(analysed(b, 's1'), TTL);
    await store.putNew([a, b, c], TTL);
    const got = await store.getMany([a.id, b.id, c.id]);
    expect(got[0]).toEqual(a);
    expect(got[1]).toEqual(analysed(b, 's1'));
    expect(got[2]).toEqual(c);
    expect(await redis.get(keys.article(a.id))).toBe(JSON.stringify(a));
    const ttl = await redis.ttl(keys.article(c.id));
    expect(ttl).toBeGreaterThan(TTL - 5);
    expect(ttl).toBeLessThanOrEqual(TTL);
    await store.putNew([], TTL);
  });

  it('putAnalysis writes only the analysis beside the raw record; reads give the whole record, field for field', async () => {
    const { keys, store } = setup();
    const raw = [article(1), article(2), article(3)];
    await store.putNew(raw, TTL);
    const done = [analysed(raw[0]!, 's1'), analysed(raw[1]!, null), analysed(raw[2]!, 's2')];
    await store.putAnalysis(done, TTL);
    const got = await store.getMany(raw.map((a) => a.id));
    // Same fields in the same order as the whole record put() writes.
    expect(got.map((a) => JSON.stringify(a))).toEqual(done.map((a) => JSON.stringify(a)));
    // The keys hold what the previous version's SETs wrote: the raw JSON, and the part beside it.
    expect(await redis.get(keys.article(raw[0]!.id))).toBe(JSON.stringify(raw[0]));
    expect(await redis.get(keys.articleAnalysis(raw[0]!.id))).toBe(JSON.stringify({ analysis: done[0]!.analysis, storyId: 's1', cites: ['rt'] }));
    expect(await redis.ttl(keys.articleAnalysis(raw[2]!.id))).toBeGreaterThan(TTL - 5);
    // The time index: those with a story, at their publication ms.
    expect(await redis.zrange(keys.articlesByTime, '0', '-1', 'WITHSCORES')).toEqual([raw[0]!.id, String(publishedMs(raw[0]!)), raw[2]!.id, String(publishedMs(raw[2]!))]);
    await store.putAnalysis([], TTL);
  });

  it('putAnalysis writes an article whose raw record is gone whole, and only that one', async () => {
    const { keys, store } = setup();
    const raw = [article(1), article(2), article(3)];
    await store.putNew(raw, TTL);
    await redis.del(keys.article(raw[1]!.id));
    const done = raw.map((a, i) => analysed(a, `s${i}`));
    await store.putAnalysis(done, TTL);
    expect((await store.getMany(raw.map((a) => a.id))).map((a) => JSON.stringify(a))).toEqual(done.map((a) => JSON.stringify(a)));
    expect(await redis.get(keys.article(raw[1]!.id))).toBe(JSON.stringify(done[1]));
    expect(await redis.exists(keys.articleAnalysis(raw[1]!.id))).toBe(0);
    expect(await redis.exists(keys.articleAnalysis(raw[0]!.id), keys.articleAnalysis(raw[2]!.id))).toBe(2);
    expect(await redis.zcard(keys.articlesByTime)).toBe(3);
  });

  it('a batch bigger than one script call takes is written whole, in several calls', async () => {
    const { keys, store } = setup();
    const raw = Array.from({ length: 2_100 }, (_, i) => article(i));
    await store.putNew(raw, TTL);
    await redis.del(keys.article(raw[1_500]!.id));
    const done = raw.map((a) => analysed(a, 's'));
    await store.putAnalysis(done, TTL);
    const got = await store.getMany(raw.map((a) => a.id));
    expect(got.every((a, i) => JSON.stringify(a) === JSON.stringify(done[i]))).toBe(true);
    expect(await redis.zcard(keys.articlesByTime)).toBe(2_100);
  });
});
