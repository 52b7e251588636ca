// Upgrade (design.md): articles stored before the export's time index existed are indexed once at
// start (SCAN, never KEYS); the step is recorded and does not run again.
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisArticleStore, migrateArticleTimeIndex } from '../../../src/adapters/redis/article-store.js';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = testRedis();
afterAll(() => redis.quit());

describe('article time index migration', () => {
  it('indexes the analysed articles with a story an earlier version stored, once', async () => {
    const keys = makeKeys(uniquePrefix('mig'));
    const old = (id: string, storyId: string | null, published: string) => ({
      id, feedId: 'rt-en', outletId: 'rt', outlet: 'RT', affiliation: 'state:RU', url: null, title: id, text: '', published, publishedEstimated: false, firstSeen: published,
      analysis: { id, language: 'en', countries: ['KZ'], relevance: 0.9, framings: [], summary: '', title: id, entities: [], regional: false }, storyId, cites: [],
    });
    // as the earlier version wrote them: the record only
    await redis.set(keys.article('o2'), JSON.stringify(old('o2', 'st1', '2026-11-02T00:00:00Z')));
    await redis.set(keys.article('o1'), JSON.stringify(old('o1', 'st1', '2026-11-01T00:00:00Z')));
    await redis.set(keys.article('o3'), JSON.stringify(old('o3', null, '2026-11-03T00:00:00Z')));
    const store = createRedisArticleStore(redis, keys);
    expect((await store.scan({ since: new Date(0), cursor: null, limit: 10 })).articles).toEqual([]);
    expect(await migrateArticleTimeIndex(redis, keys)).toBe(2);
    expect((await store.scan({ since: new Date(0), cursor: null, limit: 10 })).articles.map((a) => a.id)).toEqual(['o1', 'o2']);
    expect(await migrateArticleTimeIndex(redis, keys)).toBeNull();
  });
});
