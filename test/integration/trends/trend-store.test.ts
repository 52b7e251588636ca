// The trend counters and spike records on real Redis: counted once per article, by published
// hour, expiring with the retention; a spike's key claimed once per cooldown.
import { afterAll, describe, expect, it } from 'vitest';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { createRedisTrendStore } from '../../../src/adapters/redis/trend-store.js';
import { floorHour } from '../../../src/core/trends/counters.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = testRedis();
afterAll(() => redis.quit());

// Expiry is absolute (EXPIREAT): the dates must be near the real clock.
const NOW = new Date();
const H = floorHour(NOW) - 26 * 3_600_000; // an hour yesterday or the day before
const at = (minutes: number) => new Date(H + minutes * 60_000).toISOString();
const DAY = at(0).slice(0, 10);
const HOUR = at(0).slice(0, 13).replace(/[-T]/g, '');
const article = (id: string, published: string, countries: 'KZ'[] = ['KZ']) => ({
  id,
  outletId: 'rt',
  outlet: 'RT',
  affiliation: 'state:RU' as const,
  published,
  analysis: { countries, regional: false, framings: [{ tag: 'color-revolution' as const, confidence: 1, evidence: [] }] },
});

describe('redis trend store', () => {
  it('counts an article once however often it is offered, in its published hour and day', async () => {
    const keys = makeKeys(uniquePrefix());
    const s = createRedisTrendStore(redis, keys, 90);
    expect(await s.count(article('a1', at(15)), NOW)).toBe(true);
    expect(await s.count(article('a1', at(15)), NOW)).toBe(false);
    expect(await s.count(article('a2', at(45)), NOW)).toBe(true);
    expect(await s.count(article('x', at(45), []), NOW)).toBe(false);
    const h = H;
    const hours = await s.hours([h, h + 3_600_000]);
    expect(hours.get(h)).toEqual({ '*|*': 2, 'KZ|*': 2, '*|color-revolution': 2, 'state:RU|color-revolution': 2, 'KZ|color-revolution': 2 });
    expect(hours.has(h + 3_600_000)).toBe(false);
    const days = await s.days([DAY]);
    expect(days.get(DAY)?.['o:rt|color-revolution']).toBe(2);
    expect(await s.outlets(['rt', 'nope'])).toEqual(new Map([['rt', { outlet: 'RT', affiliation: 'state:RU' }]]));
    // Expiry: the hour + the retention (90 days) from now's point of view.
    const ttl = await redis.ttl(keys.trendHour(HOUR));
    const expected = (h + 3_600_000 + 90 * 86_400_000 - Date.now()) / 1000;
    expect(Math.abs(ttl - expected)).toBeLessThan(5);
  });

  it('claims a spike key once per cooldown and lists spikes newest first', async () => {
    const keys = makeKeys(uniquePrefix());
    const s = createRedisTrendStore(redis, keys, 90);
    const spike = (key: string, at: string) => ({ id: `${key}@${at}`, key, at, count: 9, baseline: 1, sd: 0, z: 8, from: Date.parse(at) - 86_400_000, to: Date.parse(at), alertId: `${key}@${at}`, storyIds: [], foundAt: at });
    expect(await s.claim(spike('KZ|color-revolution', '2026-03-31T11:00:00.000Z'), 86_400, 90 * 86_400)).toBe(true);
    expect(await s.claim(spike('KZ|color-revolution', '2026-03-31T12:00:00.000Z'), 86_400, 90 * 86_400)).toBe(false);
    expect(await s.claim(spike('UZ|sovereignty', '2026-03-31T12:00:00.000Z'), 86_400, 90 * 86_400)).toBe(true);
    const all = await s.since(new Date('2026-03-31T00:00:00Z'));
    expect(all.map((x) => x.key)).toEqual(['UZ|sovereignty', 'KZ|color-revolution']);
    expect(await s.since(new Date('2026-03-31T11:30:00Z'))).toHaveLength(1);
  });
});
