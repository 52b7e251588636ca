// Spike detection (issue #17), pure: hourly counts in, spikes out; `now` is a parameter.
//
// A key spikes when the last 24 hours (the 24 UTC hours ending with now's hour, that hour
// included) hold `count` articles and the 14 blocks of 24 hours before them hold daily counts
// with mean m and standard deviation sd (population), and
//     z = (count − m) / max(sd, √m, 1) ≥ SPIKE_Z   and   count ≥ SPIKE_MIN_COUNT.
// The floor √m is the Poisson noise of a count with mean m (a flat baseline has sd 0, which
// would make any wobble infinite), and 1 keeps a silent key from spiking on two articles.
// Once per key per SPIKE_COOLDOWN_HOURS is the store's to enforce (SpikeStore.claim).
import { ALL, HOUR_MS, floorHour, isSpikeKey } from './counters.js';
import type { Spike } from './types.js';

export interface SpikeRule {
  /** SPIKE_Z: the z-score a key must reach. */
  z: number;
  /** SPIKE_MIN_COUNT: the articles the last 24 h must hold. */
  minCount: number;
}

export const BASELINE_DAYS = 14;
export const WINDOW_HOURS = 24;

/** A spike as detection finds it: the shared shape (types.ts) before its stories are looked up, and its window. */
export interface SpikeFinding extends Omit<Spike, 'stories'> {
  /** The window: [from, to) in ms. */
  from: number;
  to: number;
}

/** The hours (start ms, oldest first) spike detection reads for `now`: 15 × 24 of them. */
export function spikeHours(now: Date): number[] {
  const last = floorHour(now);
  const n = WINDOW_HOURS * (BASELINE_DAYS + 1);
  return Array.from({ length: n }, (_, i) => last - (n - 1 - i) * HOUR_MS);
}

/** z as defined above (exported for the README's worked example and the tests). */
export function spikeZ(count: number, daily: readonly number[]): { mean: number; sd: number; z: number } {
  const n = daily.length || 1;
  const mean = daily.reduce((s, x) => s + x, 0) / n;
  const sd = Math.sqrt(daily.reduce((s, x) => s + (x - mean) ** 2, 0) / n);
  const z = (count - mean) / Math.max(sd, Math.sqrt(mean), 1);
  return { mean, sd, z };
}

/**
 * Spikes at `now`, strongest first. `hourly(ms)` gives the counts of the UTC hour starting at
 * `ms` (field → count; missing = none). Only spike keys (`<CC>|<tag>`, `<affiliation>|<tag>`)
 * are judged.
 */
export function detectSpikes(hourly: (hourMs: number) => Readonly<Record<string, number>> | undefined, now: Date, rule: SpikeRule): SpikeFinding[] {
  const hours = spikeHours(now);
  // blocks[0..13]: the baseline days, oldest first; blocks[14]: the window.
  const blocks = new Map<string, number[]>();
  hours.forEach((h, i) => {
    const b = Math.floor(i / WINDOW_HOURS);
    for (const [field, n] of Object.entries(hourly(h) ?? {})) {
      if (!isSpikeKey(field) || !n) continue;
      let arr = blocks.get(field);
      if (!arr) blocks.set(field, (arr = new Array<number>(BASELINE_DAYS + 1).fill(0)));
      arr[b]! += n;
    }
  });
  const to = hours[hours.length - 1]! + HOUR_MS;
  const from = to - WINDOW_HOURS * HOUR_MS;
  const out: SpikeFinding[] = [];
  for (const [key, arr] of blocks) {
    const count = arr[BASELINE_DAYS]!;
    if (count < rule.minCount) continue;
    const { mean, sd, z } = spikeZ(count, arr.slice(0, BASELINE_DAYS));
    if (z < rule.z) continue;
    out.push({ key, at: new Date(to).toISOString(), count, baseline: round(mean), sd: round(sd), z: round(z), from, to });
  }
  return out.sort((a, b) => b.z - a.z || b.count - a.count || a.key.localeCompare(b.key));
}

const round = (x: number) => Math.round(x * 100) / 100;

/** The two halves of a spike key: `KZ|color-revolution` → {scope: 'KZ', tag: 'color-revolution'}. */
export function splitKey(key: string): { scope: string; tag: string; isCountry: boolean } {
  const i = key.lastIndexOf('|');
  const scope = key.slice(0, i);
  return { scope, tag: key.slice(i + 1), isCountry: /^[A-Z]{2}$/.test(scope) && scope !== ALL };
}

/**
 * Spikes found together that one burst explains, as one group: a burst of one narrative lifts
 * its country key, the affiliation keys of the outlets carrying it and often a companion tag at
 * once, and a desk wants one alert for it, led by the strongest key, the others named in it. Two
 * spikes are one burst when they share at least half of the smaller one's stories, or (no
 * stories known) the same tag. Greedy, strongest first: a spike joins the first group it fits.
 */
export function groupSpikes<T extends { key: string; z: number; storyIds?: readonly string[] }>(spikes: readonly T[]): T[][] {
  const groups: { members: T[]; stories: Set<string>; tags: Set<string> }[] = [];
  for (const s of [...spikes].sort((a, b) => b.z - a.z)) {
    const ids = s.storyIds ?? [];
    const tag = splitKey(s.key).tag;
    const g = groups.find((x) => {
      if (ids.length === 0 || x.stories.size === 0) return x.tags.has(tag);
      const shared = ids.filter((id) => x.stories.has(id)).length;
      return shared > 0 && shared * 2 >= Math.min(ids.length, x.stories.size);
    });
    if (g) {
      g.members.push(s);
      ids.forEach((id) => g.stories.add(id));
      g.tags.add(tag);
    } else groups.push({ members: [s], stories: new Set(ids), tags: new Set([tag]) });
  }
  return groups.map((g) => g.members);
}
