// The small delivery records that used to be raw Redis writes in the worker's wiring: a platform
// that refused our credentials, the digests already sent; and the article store's batch write.
import { afterAll, describe, expect, it } from 'vitest';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { createRedisDigestLedger, createRedisPlatformGate } from '../../../src/adapters/redis/platform-state.js';
import { createRedisArticleStore } from '../../../src/adapters/redis/article-store.js';
import { createRedisBatchTracker } from '../../../src/adapters/redis/batch-tracker.js';
import type { AnalysedArticle, Article } from '../../../src/core/types.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = testRedis();
afterAll(() => redis.quit());

describe('platform gate', () => {
  it('remembers a refused platform with its reason, per platform', async () => {
    const gate = createRedisPlatformGate(redis, makeKeys(uniquePrefix()));
    expect(await gate.refused('slack')).toBeNull();
    await gate.refuse('slack', 'invalid_auth');
    expect(await gate.refused('slack')).toBe('invalid_auth');
    expect(await gate.refused('discord')).toBeNull();
  });
});

describe('digest ledger', () => {
  it('lets the first claim of (destination, day) through, not the second, with a TTL', async () => {
    const keys = makeKeys(uniquePrefix());
    const ledger = createRedisDigestLedger(redis, keys);
    expect(await ledger.claim('console', '2026-12-06')).toBe(true);
    expect(await ledger.claim('console', '2026-12-06')).toBe(false);
    expect(await ledger.claim('console', '2026-12-07')).toBe(true);
    expect(await redis.ttl(keys.digestSent('console', '2026-12-06'))).toBeGreaterThan(6 * 86_400);
  });

  it('keeps the claiming run’s token: holder answers it, null where nothing is claimed', async () => {
    const ledger = createRedisDigestLedger(redis, makeKeys(uniquePrefix()));
    expect(await ledger.holder!('console', '2026-12-06')).toBeNull();
    expect(await ledger.claim('console', '2026-12-06', 'run-a')).toBe(true);
    expect(await ledger.claim('console', '2026-12-06', 'run-b')).toBe(false);
    expect(await ledger.holder!('console', '2026-12-06')).toBe('run-a');
  });
});

describe('article store and batch tracker, batch writes', () => {
  it('putMany stores every article with the TTL; done() takes several ids at once', async () => {
    const keys = makeKeys(uniquePrefix());
    const articles = createRedisArticleStore(redis, keys);
    const a = (id: string): Article => ({ id, feedId: 'f', outletId: 'o', outlet: 'O', affiliation: 'unknown', url: null, title: id, text: 't', published: '2026-12-06T00:00:00.000Z', publishedEstimated: false, firstSeen: '2026-12-06T00:00:00.000Z' });
    await articles.putMany([a('a1'), a('a2')], 3600);
    expect((await articles.getMany(['a1', 'a2', 'a3'])).map((x) => x?.id ?? null)).toEqual(['a1', 'a2', null]);
    expect(await redis.ttl(keys.article('a2'))).toBeGreaterThan(3500);
    const batches = createRedisBatchTracker(redis, keys);
    await batches.start('b', ['a1', 'a2', 'a3']);
    await batches.done('b', ['a1', 'a3']);
    expect(await batches.pending('b')).toBe(1);
  });

  it('putMany indexes the analysed articles with a story by time, as put does (export finds what analyse stored)', async () => {
    const keys = makeKeys(uniquePrefix());
    const articles = createRedisArticleStore(redis, keys);
    const raw = (id: string, published: string): Article => ({ id, feedId: 'f', outletId: 'o', outlet: 'O', affiliation: 'unknown', url: null, title: id, text: 't', published, publishedEstimated: false, firstSeen: published });
    const analysed = (id: string, published: string, storyId: string | null): AnalysedArticle => ({
      ...raw(id, published),
      analysis: { id, language: 'en', countries: ['KZ'], relevance: 0.9, framings: [], summary: '', title: id, entities: [], regional: false } as unknown as AnalysedArticle['analysis'],
      storyId,
      cites: [],
    });
    await articles.putMany([analysed('b2', '2026-12-02T00:00:00Z', 's1'), raw('b0', '2026-12-01T00:00:00Z'), analysed('b1', '2026-12-01T00:00:00Z', 's1'), analysed('b3', '2026-12-03T00:00:00Z', null)], 3600);
    expect((await articles.scan({ since: new Date(0), cursor: null, limit: 10 })).articles.map((a) => a.id)).toEqual(['b1', 'b2']);
  });
});
