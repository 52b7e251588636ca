import { describe, expect, it } from 'vitest';
import { subscriptionMatches, type RoutingSubject } from '../../../src/core/routing/subscription.js';
import type { AnalysisResult, CountryCode, Story } from '../../../src/core/types.js';
import { farmFeed, initialItemMeta, type FarmSpec, type ItemMeta } from '../../../bench/farm/content.js';
import { latencyWaveItems } from '../../../bench/latency.js';
import { benchSubscriptions, destinationKeyOf, expectedDestinations, maxPostsPerDestination, routingPlan } from '../../../bench/routing.js';

const spec: FarmSpec = { feeds: 500, items: 20, start: Date.UTC(2024, 4, 1), seed: 3 };
const plan = routingPlan(200, spec.feeds);

/** What the pipeline's routing sees for an item whose analysis found exactly the farm's truth. */
function subject(m: ItemMeta): RoutingSubject {
  const f = farmFeed(m.feed);
  const analysis: AnalysisResult = {
    id: 'a', language: m.lang, countries: [m.country as CountryCode], relevance: 0.9, framings: m.tag ? [{ tag: m.tag, confidence: 0.9, evidence: [] }] : [],
    summary: '', title: 't', entities: [], regional: false,
  };
  const story: Story = {
    id: 's', headline: 't', summary: '', countries: analysis.countries, relevance: 0.9,
    outlets: [{ outletId: f.outletId, outlet: f.outlet, affiliation: f.affiliation, articleId: 'a', url: null, title: 't', published: '', cites: [], framings: analysis.framings }],
    articleIds: ['a'], entities: [], firstSeen: '', lastSeen: '',
  };
  return { story, article: { outletId: f.outletId, affiliation: f.affiliation, title: 't', text: '', analysis } };
}

describe('the routing plan', () => {
  it('cuts outlets into slices with eight channels each', () => {
    expect(plan).toEqual({ destinations: 200, slices: 25, outlets: 50 });
    expect(() => routingPlan(100, 10)).toThrow(RangeError);
    const subs = benchSubscriptions(plan, new Date(0));
    expect(subs).toHaveLength(200);
    expect(new Set(subs.map((s) => s.destination)).size).toBe(200);
    for (const s of subs) expect(s.countries.length + s.tags.length).toBe(1);
  });

  it('gives no subscription to a channel whose slice has no outlet (an empty list would mean every outlet)', () => {
    const small = routingPlan(80, 30); // 3 outlets, 10 slices
    const subs = benchSubscriptions(small, new Date(0));
    expect(subs.every((s) => s.outlets.length > 0)).toBe(true);
    expect(subs).toHaveLength(3 * 8);
  });

  it('expects exactly the channels whose subscriptions match the item (checked with the product’s matcher)', () => {
    const subs = benchSubscriptions(plan, new Date(0));
    let checked = 0;
    for (let f = 0; f < spec.feeds; f += 7) {
      for (let i = 0; i < spec.items; i++) {
        const m = initialItemMeta(spec, f, i);
        if (!m.country) {
          expect(expectedDestinations(plan, m)).toEqual([]);
          continue;
        }
        const want = subs.filter((s) => subscriptionMatches(s, subject(m), 0.3)).map((s) => s.destination).sort();
        expect(expectedDestinations(plan, m).sort()).toEqual(want);
        expect(want.length).toBe(m.tag ? 2 : 1);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('counts the busiest channel', () => {
    const m = initialItemMeta(spec, 0, 0);
    const item = { ...m, country: 'KZ' as const, tag: null };
    expect(maxPostsPerDestination(plan, [item, item, { ...item, feed: 11 }])).toBe(2);
    expect(maxPostsPerDestination(plan, [])).toBe(0);
    expect(destinationKeyOf(7)).toBe('slack:CBENCH00007');
  });
});

describe('latency waves', () => {
  it('publish fresh Central Asia items that reach each channel at most once per wave', () => {
    const seq = new Map<number, number>();
    const items = latencyWaveItems(spec, plan, { wave: 0, count: 40, publishedMs: spec.start, nextSeq: (f) => seq.get(f) ?? spec.items });
    expect(items).toHaveLength(40);
    const dests = items.flatMap((m) => expectedDestinations(plan, m));
    expect(new Set(dests).size).toBe(dests.length);
    expect(items.some((m) => m.tag)).toBe(true);
    // Two items on one feed get consecutive positions.
    const keys = items.map((m) => `${m.feed}:${m.seq}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const m of items) expect(m.seq).toBeGreaterThanOrEqual(spec.items);
  });
});
