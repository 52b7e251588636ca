import { describe, expect, it } from 'vitest';
import { counterFields, countingTime, hourKey, HOUR_MS, floorHour } from '../../../src/core/trends/counters.js';
import { detectSpikes, groupSpikes, spikeHours, spikeZ } from '../../../src/core/trends/spikes.js';
import { dayRange, seriesFromCounters, shareOfVoice, trendsJson } from '../../../src/core/trends/series.js';

const NOW = new Date('2026-03-31T10:20:00Z');
const rule = { z: 3, minCount: 5 };

/** Hourly counts from a list of [hoursAgo, field, n]. */
function hourly(entries: [number, string, number][]) {
  const m = new Map<number, Record<string, number>>();
  for (const [ago, field, n] of entries) {
    const h = floorHour(NOW) - ago * HOUR_MS;
    const r = m.get(h) ?? {};
    r[field] = (r[field] ?? 0) + n;
    m.set(h, r);
  }
  return (h: number) => m.get(h);
}

describe('counter fields', () => {
  const a = {
    id: 'a1',
    outletId: 'rt',
    affiliation: 'state:RU' as const,
    published: '2026-03-31T09:00:00Z',
    analysis: { countries: ['KZ', 'UZ'] as ('KZ' | 'UZ')[], regional: false, framings: [{ tag: 'color-revolution' as const, confidence: 1, evidence: [] }] },
  };
  it('gives country × tag and affiliation × tag keys, totals, and outlet × tag daily only', () => {
    const f = counterFields(a);
    expect(f.hourly).toEqual(['*|*', 'KZ|*', 'UZ|*', '*|color-revolution', 'state:RU|color-revolution', 'KZ|color-revolution', 'UZ|color-revolution']);
    expect(f.daily).toEqual([...f.hourly, 'o:rt|*', 'o:rt|color-revolution']);
  });
  it('counts nothing outside Central Asia', () => {
    expect(counterFields({ ...a, analysis: { ...a.analysis, countries: [], regional: false } }).daily).toEqual([]);
  });
  it('counts by the published hour; a future date counts now; past the retention not at all', () => {
    expect(hourKey(countingTime('2026-03-31T09:59:59Z', NOW, 90)!)).toBe('2026033109');
    expect(countingTime('2027-01-01T00:00:00Z', NOW, 90)).toBe(NOW.getTime());
    expect(countingTime('2025-01-01T00:00:00Z', NOW, 90)).toBeNull();
  });
});

describe('spike detection', () => {
  it('reads 15 × 24 hours ending with now’s hour', () => {
    const h = spikeHours(NOW);
    expect(h).toHaveLength(360);
    expect(h[359]).toBe(floorHour(NOW));
  });
  it('z = (count − mean) / max(sd, √mean, 1)', () => {
    expect(spikeZ(10, new Array(14).fill(0)).z).toBe(10);
    expect(spikeZ(10, new Array(14).fill(4)).z).toBe(3); // √4 = 2 floors sd 0
    const { mean, sd } = spikeZ(0, [0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2]);
    expect([mean, sd]).toEqual([1, 1]);
  });
  it('a burst over a quiet baseline spikes; the same articles spread over two weeks do not', () => {
    const quiet: [number, string, number][] = Array.from({ length: 14 }, (_, d) => [24 + d * 24 + 5, 'KZ|color-revolution', 1]);
    const burst = detectSpikes(hourly([...quiet, [1, 'KZ|color-revolution', 6], [3, 'KZ|color-revolution', 4], [2, '*|color-revolution', 10]]), NOW, rule);
    expect(burst.map((s) => [s.key, s.count, s.baseline, s.z])).toEqual([['KZ|color-revolution', 10, 1, 9]]);
    expect(burst[0]!.at).toBe('2026-03-31T11:00:00.000Z');
    const spread: [number, string, number][] = Array.from({ length: 10 }, (_, i) => [i * 33, 'KZ|color-revolution', 1]);
    expect(detectSpikes(hourly([...quiet, ...spread]), NOW, rule)).toEqual([]);
  });
  it('needs SPIKE_MIN_COUNT articles and SPIKE_Z', () => {
    expect(detectSpikes(hourly([[0, 'KZ|sovereignty', 4]]), NOW, rule)).toEqual([]);
    expect(detectSpikes(hourly([[0, 'KZ|sovereignty', 5]]), NOW, rule)).toHaveLength(1);
    const busy: [number, string, number][] = Array.from({ length: 14 }, (_, d) => [24 + d * 24, 'KZ|sovereignty', 9]);
    expect(detectSpikes(hourly([...busy, [0, 'KZ|sovereignty', 14]]), NOW, rule)).toEqual([]); // z = 5/3
    expect(detectSpikes(hourly([...busy, [0, 'KZ|sovereignty', 18]]), NOW, rule)).toHaveLength(1); // z = 3
  });
  it('hours outside the 15 days are not read; a window hour 24 h ago belongs to the baseline', () => {
    expect(detectSpikes(hourly([[24, 'KZ|sovereignty', 50]]), NOW, rule)).toEqual([]);
    expect(detectSpikes(hourly([[23, 'KZ|sovereignty', 50]]), NOW, rule)).toHaveLength(1);
  });
  it('groups spikes sharing their stories into one alert, strongest first', () => {
    const g = groupSpikes([
      { key: 'KZ|color-revolution', z: 5, storyIds: ['s1', 's2', 's3'] },
      { key: 'KZ|external-forces', z: 6, storyIds: ['s2', 's3'] },
      { key: 'UZ|sovereignty', z: 4, storyIds: ['s9'] },
    ]);
    expect(g.map((x) => x.map((s) => s.key))).toEqual([['KZ|external-forces', 'KZ|color-revolution'], ['UZ|sovereignty']]);
  });
  it('without stories, groups the keys of one tag', () => {
    const g = groupSpikes([
      { key: 'KZ|color-revolution', z: 5 },
      { key: 'UZ|sovereignty', z: 4 },
      { key: 'state:RU|color-revolution', z: 7 },
    ]);
    expect(g.map((x) => x.map((s) => s.key))).toEqual([['state:RU|color-revolution', 'KZ|color-revolution'], ['UZ|sovereignty']]);
  });
});

describe('series and trends --json', () => {
  it('every day present with zeros, busiest series first', () => {
    const days = dayRange(NOW, 3);
    expect(days).toEqual(['2026-03-29', '2026-03-30', '2026-03-31']);
    const daily = new Map<string, Record<string, number>>([
      ['2026-03-30', { '*|color-revolution': 2, '*|sovereignty': 5, 'KZ|*': 7, 'o:rt|sovereignty': 5 }],
      ['2026-03-31', { '*|color-revolution': 1 }],
    ]);
    expect(seriesFromCounters(daily, days, 'tag')).toEqual([
      { key: 'sovereignty', points: [{ day: '2026-03-29', count: 0 }, { day: '2026-03-30', count: 5 }, { day: '2026-03-31', count: 0 }] },
      { key: 'color-revolution', points: [{ day: '2026-03-29', count: 0 }, { day: '2026-03-30', count: 2 }, { day: '2026-03-31', count: 1 }] },
    ]);
    expect(seriesFromCounters(daily, days, 'country').map((s) => s.key)).toEqual(['KZ']);
  });
  it('trends --json has exactly the contract’s fields', () => {
    const j = trendsJson({
      series: [{ key: 'KZ', label: 'Kazakhstan', points: [{ day: '2026-03-31', count: 1 }] }],
      spikes: [{ key: 'KZ|sovereignty', at: '2026-03-31T11:00:00.000Z', count: 6, baseline: 0.5, sd: 0.3, z: 5.5, stories: [] } as never],
    });
    expect(JSON.parse(JSON.stringify(j))).toEqual({
      series: [{ key: 'KZ', points: [{ day: '2026-03-31', count: 1 }] }],
      spikes: [{ key: 'KZ|sovereignty', at: '2026-03-31T11:00:00.000Z', count: 6, baseline: 0.5, z: 5.5, stories: [] }],
    });
  });
  it('share of voice: percentages by affiliation and the top outlets', () => {
    const daily = new Map([['2026-03-31', { '*|sovereignty': 4, 'state:RU|sovereignty': 3, 'independent|sovereignty': 1, 'KZ|sovereignty': 4, 'o:rt|sovereignty': 2, 'o:tass|sovereignty': 1, 'o:vlast|sovereignty': 1 }]]);
    const sov = shareOfVoice('sovereignty', daily, ['2026-03-31'], (id) => (id === 'rt' ? { outlet: 'RT', affiliation: 'state:RU' } : undefined), 2);
    expect(sov).toEqual({
      tag: 'sovereignty',
      total: 4,
      byAffiliation: [{ affiliation: 'state:RU', count: 3, percent: 75 }, { affiliation: 'independent', count: 1, percent: 25 }],
      topOutlets: [{ outletId: 'rt', outlet: 'RT', affiliation: 'state:RU', count: 2 }, { outletId: 'tass', outlet: 'tass', affiliation: 'unknown', count: 1 }],
    });
  });
});
