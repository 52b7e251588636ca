// The /story index sets (story-index-keys.ts): a story's entries carry its lastSeen's day and are
// rewritten only when that day moves; `recent` filters and orders by the exact lastSeen of the
// by-time index.
import { afterAll, describe, expect, it } from 'vitest';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { createRedisStoryStore } from '../../../src/adapters/redis/story-store.js';
import { CENTRAL_ASIA_ITEMS } from '../../fixtures/story/central-asia.js';
import { fixtureAnalysis, fixtureArticle } from '../../fixtures/story/items.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = testRedis();
afterAll(() => redis.quit());

describe('story index sets', () => {
  it('filters and orders by the exact lastSeen, not by the day an index entry was written', async () => {
    const keys = makeKeys(uniquePrefix('story-index'));
    const store = createRedisStoryStore({ redis, keys });
    const src = CENTRAL_ASIA_ITEMS[3]!;
    const t0 = Date.parse('2024-06-10T09:00:00Z');
    const at = (ms: number) => new Date(ms).toISOString();
    const a = { ...fixtureArticle(src), published: at(t0) };
    const first = await store.assign(a, fixtureAnalysis(src), new Date(t0));
    // an hour later, another outlet joins: the same day, so only its new keys are written
    const b = { ...fixtureArticle(src), id: 'idx-join', outletId: 'idx-outlet', outlet: 'Idx Outlet', published: at(t0 + 3_600_000) };
    const r = await store.assign(b, { ...fixtureAnalysis(src), id: b.id }, new Date(t0 + 3_600_000));
    expect(r.storyId).toBe(first.storyId);
    const day = t0 - (t0 % 86_400_000);
    expect(Number(await redis.zscore(keys.storiesBy('outlet', 'idx-outlet'), r.storyId))).toBe(day);
    expect(Number(await redis.zscore(keys.storiesByTime, r.storyId))).toBe(t0 + 3_600_000);
    // seen after 09:30: found; not seen after 11:00, though its index entries carry the day
    expect((await store.recent({ outletIds: ['idx-outlet'], since: new Date(t0 + 1_800_000), limit: 10 })).map((s) => s.id)).toEqual([r.storyId]);
    expect(await store.recent({ outletIds: ['idx-outlet'], since: new Date(t0 + 2 * 3_600_000), limit: 10 })).toEqual([]);
    expect(await store.recent({ countries: src.countries, since: new Date(t0 + 2 * 3_600_000), limit: 10 })).toEqual([]);

    // a second story, seen later the same day, comes first; the order is lastSeen's, whatever the index scores
    const other = CENTRAL_ASIA_ITEMS.find((x) => x.event !== src.event && x.countries.some((c) => src.countries.includes(c)))!;
    const c = { ...fixtureArticle(other), published: at(t0 + 30 * 60_000) };
    const rc = await store.assign(c, fixtureAnalysis(other), new Date(t0 + 30 * 60_000));
    expect(rc.storyId).not.toBe(r.storyId);
    const shared = src.countries.find((x) => other.countries.includes(x))!;
    expect((await store.recent({ countries: [shared], since: new Date(t0 - 3_600_000), limit: 10 })).map((s) => s.id)).toEqual([r.storyId, rc.storyId]);
    // a day later the story's entries move to the new day
    const d = { ...fixtureArticle(src), id: 'idx-next-day', outletId: 'idx-outlet-2', outlet: 'Idx Outlet 2', published: at(t0 + 20 * 3_600_000) };
    const rd = await store.assign(d, { ...fixtureAnalysis(src), id: d.id }, new Date(t0 + 20 * 3_600_000));
    expect(rd.storyId).toBe(r.storyId);
    expect(Number(await redis.zscore(keys.storiesBy('outlet', 'idx-outlet'), r.storyId))).toBe(day + 86_400_000);
    expect((await store.recent({ countries: [shared], since: new Date(t0 + 10 * 3_600_000), limit: 10 })).map((s) => s.id)).toEqual([r.storyId]);
  });
});
