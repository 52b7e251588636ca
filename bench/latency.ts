// The items published during an alert-latency wave: Central Asia items on feeds spread over the
// outlet slices, chosen so that no channel gets two alerts in one wave (a second one would wait
// for the channel's pacing slot, and the wave would measure pacing rather than the pipeline).
import { COUNTRY_CODES } from '../src/core/types.js';
import { FEEDS_PER_OUTLET, farmFeed, publishedItemMeta, type FarmSpec, type ItemMeta } from './farm/content.js';
import { chooser, hash32, rng } from './farm/rng.js';
import { FARM_TAGS, type FarmTag } from './farm/text.js';
import { ROUTE_FILTERS, destinationOf, type RoutingPlan } from './routing.js';

/** Feeds of the outlets in `slice` that exist in the farm. */
function feedsOfSlice(spec: FarmSpec, plan: RoutingPlan, slice: number): number[] {
  const out: number[] = [];
  for (let o = slice; o < plan.outlets; o += plan.slices) {
    for (let f = o * FEEDS_PER_OUTLET; f < Math.min(spec.feeds, (o + 1) * FEEDS_PER_OUTLET); f++) out.push(f);
  }
  return out;
}

export interface WaveOptions {
  wave: number;
  /** Items wanted (fewer when the slices run out of free channels). */
  count: number;
  publishedMs: number;
  /** Next free item position of a feed (published items continue after the initial ones). */
  nextSeq(feed: number): number;
}

export function latencyWaveItems(spec: FarmSpec, plan: RoutingPlan, o: WaveOptions): ItemMeta[] {
  const r = rng(hash32(`wave:${spec.seed}:${o.wave}`));
  const { pick } = chooser(r);
  const used = new Set<number>();
  const combos: { slice: number; filter: number }[] = [];
  for (let slice = 0; slice < plan.slices; slice++) {
    if (feedsOfSlice(spec, plan, slice).length === 0) continue;
    for (let filter = 0; filter < ROUTE_FILTERS.length; filter++) combos.push({ slice, filter });
  }
  // A seeded shuffle, so waves differ and reruns agree.
  for (let i = combos.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [combos[i], combos[j]] = [combos[j]!, combos[i]!];
  }
  const out: ItemMeta[] = [];
  const taken = new Map<number, number>();
  const seqOf = (feed: number) => {
    const s = o.nextSeq(feed) + (taken.get(feed) ?? 0);
    taken.set(feed, (taken.get(feed) ?? 0) + 1);
    return s;
  };
  for (const { slice, filter } of combos) {
    if (out.length >= o.count) break;
    const dest = destinationOf(plan, slice, filter);
    if (used.has(dest)) continue;
    const f = ROUTE_FILTERS[filter]!;
    const feeds = feedsOfSlice(spec, plan, slice);
    if (f.kind === 'country') {
      used.add(dest);
      const feed = pick(feeds);
      out.push(publishedItemMeta(spec, feed, seqOf(feed), o.publishedMs, f.country, null));
      continue;
    }
    // A framed item also reaches its country's channel: take a country whose channel is free.
    const ci = COUNTRY_CODES.findIndex((_, i) => !used.has(destinationOf(plan, slice, i)));
    const tag = f.tag as FarmTag;
    const able = tag === 'foreign-agent-ngo' ? feeds.filter((x) => ['en', 'ru'].includes(farmFeed(x).language)) : feeds;
    if (ci < 0 || able.length === 0 || !FARM_TAGS.includes(tag)) continue;
    used.add(dest);
    used.add(destinationOf(plan, slice, ci));
    const feed = pick(able);
    out.push(publishedItemMeta(spec, feed, seqOf(feed), o.publishedMs, COUNTRY_CODES[ci]!, tag));
  }
  return out;
}
