// How the bench spreads alerts over many recording channels, and what each item should produce.
//
// Outlets are cut into `slices`; each slice has eight channels, one per filter: the five
// republics and three framing tags. A channel's subscription is "its filter AND the outlets of
// its slice". A Central Asia item then reaches the country channel of its outlet's slice, and
// the tag channel too when it carries a framing — one or two channels out of many, so per-channel
// pacing (about a message a second) is spread thin. Expected deliveries come from the farm's
// ground truth through this plan, independently of the pipeline's own routing.
import { COUNTRY_CODES, type CountryCode, type TagId } from '../src/core/types.js';
import type { Subscription } from '../src/core/routing/subscription.js';
import { FEEDS_PER_OUTLET, farmFeed, outletIndex, type ItemMeta } from './farm/content.js';
import { FARM_TAGS } from './farm/text.js';

export type RouteFilter = { kind: 'country'; country: CountryCode } | { kind: 'tag'; tag: TagId };

export const ROUTE_FILTERS: readonly RouteFilter[] = [
  ...COUNTRY_CODES.map((country) => ({ kind: 'country' as const, country })),
  ...FARM_TAGS.map((tag) => ({ kind: 'tag' as const, tag })),
];

export interface RoutingPlan {
  destinations: number;
  slices: number;
  outlets: number;
}

export function routingPlan(destinations: number, feeds: number): RoutingPlan {
  if (destinations % ROUTE_FILTERS.length !== 0) throw new RangeError(`destinations must be a multiple of ${ROUTE_FILTERS.length}`);
  return { destinations, slices: destinations / ROUTE_FILTERS.length, outlets: Math.ceil(feeds / FEEDS_PER_OUTLET) };
}

export function destinationKeyOf(d: number): string {
  return `slack:CBENCH${String(d).padStart(5, '0')}`;
}

/** Channel d: slice d % slices, filter ⌊d / slices⌋. */
export function destinationOf(plan: RoutingPlan, slice: number, filterIndex: number): number {
  return filterIndex * plan.slices + slice;
}

export function sliceOfFeed(plan: RoutingPlan, feed: number): number {
  return outletIndex(feed) % plan.slices;
}

export function outletsOfSlice(plan: RoutingPlan, slice: number): string[] {
  const out: string[] = [];
  for (let o = slice; o < plan.outlets; o += plan.slices) out.push(farmFeed(o * FEEDS_PER_OUTLET).outletId);
  return out;
}

/**
 * One alert subscription per channel whose slice has outlets (an empty outlet list would mean
 * "every outlet", so such channels get none).
 */
export function benchSubscriptions(plan: RoutingPlan, now: Date): Subscription[] {
  const subs: Subscription[] = [];
  for (let d = 0; d < plan.destinations; d++) {
    const slice = d % plan.slices;
    const outlets = outletsOfSlice(plan, slice);
    if (outlets.length === 0) continue;
    const f = ROUTE_FILTERS[Math.floor(d / plan.slices)]!;
    subs.push({
      id: `bench-${d}`,
      destination: destinationKeyOf(d),
      countries: f.kind === 'country' ? [f.country] : [],
      tags: f.kind === 'tag' ? [f.tag] : [],
      outlets,
      affiliations: [],
      keywords: [],
      minRelevance: null,
      mode: 'alerts',
      isDefault: false,
      createdBy: 'bench',
      createdAt: now.toISOString(),
      paused: null,
    });
  }
  return subs;
}

/** The channels an item should reach (none for an unrelated item). */
export function expectedDestinations(plan: RoutingPlan, m: Pick<ItemMeta, 'feed' | 'country' | 'tag'>): string[] {
  if (!m.country) return [];
  const slice = sliceOfFeed(plan, m.feed);
  const out = [destinationKeyOf(destinationOf(plan, slice, COUNTRY_CODES.indexOf(m.country)))];
  if (m.tag) out.push(destinationKeyOf(destinationOf(plan, slice, COUNTRY_CODES.length + FARM_TAGS.indexOf(m.tag))));
  return out;
}

/** The largest number of posts any one channel should get from `items` (the pacing floor's factor). */
export function maxPostsPerDestination(plan: RoutingPlan, items: Iterable<Pick<ItemMeta, 'feed' | 'country' | 'tag'>>): number {
  const n = new Map<string, number>();
  for (const m of items) for (const d of expectedDestinations(plan, m)) n.set(d, (n.get(d) ?? 0) + 1);
  return Math.max(0, ...n.values());
}
