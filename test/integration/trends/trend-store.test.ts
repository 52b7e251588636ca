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

  it('counts a batch in one call as one-by-one counts would, each article once (a repeat in the batch, a retried batch)', async () => {
    const one = makeKeys(uniquePrefix());
    const many = makeKeys(uniquePrefix());
    const a = createRedisTrendStore(redis, one, 90);
    // Commands sent by the batch's store, counted on a connection of its own.
    const own = redis.duplicate();
    await own.ping();
    const sent: string[] = [];
    const send = own.sendCommand.bind(own);
    own.sendCommand = ((c: { name: string }) => (sent.push(c.name), send(c as never))) as typeof own.sendCommand;
    const b = createRedisTrendStore(own, many, 90);
    const other = { ...article('a3', at(90)), outletId: 'kaztag', outlet: 'Kaztag', affiliation: 'state:KZ' as const };
    const old = article('old', new Date(NOW.getTime() - 91 * 86_400_000).toISOString());
    const batch = [article('a1', at(15)), article('a2', at(45)), other, article('x', at(45), []), article('a1', at(15)), old];
    const oneByOne: boolean[] = [];
    for (const x of batch) oneByOne.push(await a.count(x, NOW));
    expect(await b.countMany(batch, NOW)).toEqual(oneByOne);
    expect(oneByOne).toEqual([true, true, true, false, false, false]);
    // One script call (EVALSHA, or EVAL the first time the connection runs it).
    expect(sent).toEqual([expect.stringMatching(/^eval/)]);
    const hours = [H, H + 3_600_000];
    expect(await b.hours(hours)).toEqual(await a.hours(hours));
    expect(await b.days([DAY])).toEqual(await a.days([DAY]));
    expect((await b.hours([H + 3_600_000])).get(H + 3_600_000)).toEqual({ '*|*': 1, 'KZ|*': 1, '*|color-revolution': 1, 'state:KZ|color-revolution': 1, 'KZ|color-revolution': 1 });
    expect(await b.outlets(['rt', 'kaztag'])).toEqual(await a.outlets(['rt', 'kaztag']));
    // A retried batch counts nothing more.
    expect(await b.countMany(batch, NOW)).toEqual([false, false, false, false, false, false]);
    expect(await b.days([DAY])).toEqual(await a.days([DAY]));
    expect(await b.countMany([], NOW)).toEqual([]);
    own.disconnect();
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
