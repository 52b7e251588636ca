// Daily series, share of voice and the `trends --json` answer, from counts or from stories. Pure.
import type { Story } from '../types.js';
import { ALL, DAY_MS, dayKey, floorDay } from './counters.js';
import type { DayKey, ShareOfVoice, Spike, TrendSeries, TrendsAnswer } from './types.js';

/** Lines in one chart at most: the busiest keys (a chart of 25 lines tells nothing). */
export const MAX_SERIES = 8;

/** The `days` UTC days ending with now's day, oldest first. */
export function dayRange(now: Date, days: number): DayKey[] {
  const last = floorDay(now);
  const n = Math.max(1, Math.floor(days));
  return Array.from({ length: n }, (_, i) => dayKey(last - (n - 1 - i) * DAY_MS));
}

function toSeries(counts: Map<string, Map<DayKey, number>>, days: readonly DayKey[], max: number): TrendSeries[] {
  const total = (m: Map<DayKey, number>) => [...m.values()].reduce((s, x) => s + x, 0);
  return [...counts.entries()]
    .filter(([, m]) => total(m) > 0)
    .sort((a, b) => total(b[1]) - total(a[1]) || a[0].localeCompare(b[0]))
    .slice(0, max)
    .map(([key, m]) => ({ key, points: days.map((day) => ({ day, count: m.get(day) ?? 0 })) }));
}

function bump(counts: Map<string, Map<DayKey, number>>, key: string, day: DayKey, n: number): void {
  let m = counts.get(key);
  if (!m) counts.set(key, (m = new Map()));
  m.set(day, (m.get(day) ?? 0) + n);
}

/**
 * Series from the daily counters (no query): one line per tag (`*|<tag>` fields) or per
 * country (`<CC>|*`), every day of `days` present.
 */
export function seriesFromCounters(daily: ReadonlyMap<DayKey, Readonly<Record<string, number>>>, days: readonly DayKey[], by: 'tag' | 'country', max = MAX_SERIES): TrendSeries[] {
  const counts = new Map<string, Map<DayKey, number>>();
  for (const day of days) {
    for (const [field, n] of Object.entries(daily.get(day) ?? {})) {
      if (field.startsWith('o:')) continue;
      const [scope, tag] = field.split('|') as [string, string];
      if (by === 'tag' && scope === ALL && tag !== ALL) bump(counts, tag, day, n);
      if (by === 'country' && tag === ALL && /^[A-Z]{2}$/.test(scope)) bump(counts, scope, day, n);
    }
  }
  return toSeries(counts, days, max);
}

/**
 * Series from stories (a query): each outlet's article in a story counts on its published day,
 * once per tag it carries (by tag) or once per country of the story (by country). Stories keep
 * each outlet's first article, so a query's series counts outlets per story, not every repeat.
 */
export function seriesFromStories(stories: readonly Story[], days: readonly DayKey[], by: 'tag' | 'country', max = MAX_SERIES): TrendSeries[] {
  const inRange = new Set(days);
  const counts = new Map<string, Map<DayKey, number>>();
  for (const s of stories) {
    for (const o of s.outlets) {
      const day = dayKey(Date.parse(o.published) || Date.parse(s.firstSeen));
      if (!inRange.has(day)) continue;
      if (by === 'tag') for (const t of new Set(o.framings.map((f) => f.tag))) bump(counts, t, day, 1);
      else for (const c of s.countries) bump(counts, c, day, 1);
    }
  }
  return toSeries(counts, days, max);
}

/** Share of voice of `tag` from daily counters summed over `days`; `outlets` names outlet ids. */
export function shareOfVoice(
  tag: string,
  daily: ReadonlyMap<DayKey, Readonly<Record<string, number>>>,
  days: readonly DayKey[],
  outlets: (id: string) => { outlet: string; affiliation: string } | undefined,
  topN = 5,
): ShareOfVoice {
  let total = 0;
  const byAff = new Map<string, number>();
  const byOutlet = new Map<string, number>();
  for (const day of days) {
    for (const [field, n] of Object.entries(daily.get(day) ?? {})) {
      const [scope, t] = field.split('|') as [string, string];
      if (t !== tag) continue;
      if (scope === ALL) total += n;
      else if (scope.startsWith('o:')) byOutlet.set(scope.slice(2), (byOutlet.get(scope.slice(2)) ?? 0) + n);
      else if (!/^[A-Z]{2}$/.test(scope)) byAff.set(scope, (byAff.get(scope) ?? 0) + n);
    }
  }
  const pct = (n: number) => (total ? Math.round((1000 * n) / total) / 10 : 0);
  return {
    tag,
    total,
    byAffiliation: [...byAff.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([affiliation, count]) => ({ affiliation, count, percent: pct(count) })),
    topOutlets: [...byOutlet.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, topN)
      .map(([outletId, count]) => {
        const o = outlets(outletId);
        return { outletId, outlet: o?.outlet ?? outletId, affiliation: o?.affiliation ?? 'unknown', count };
      }),
  };
}

/**
 * The `trends --json` answer (design.md): `{series: [{key, points: [{day, count}]}], spikes:
 * [{key, at, count, baseline, z, stories}]}` — exactly these fields, in this order, whatever else
 * the values carry (labels, sd).
 */
export function trendsJson(a: { series: readonly TrendSeries[]; spikes: readonly Pick<Spike, 'key' | 'at' | 'count' | 'baseline' | 'z' | 'stories'>[] }): TrendsAnswer {
  return {
    series: a.series.map((s) => ({ key: s.key, points: s.points.map((p) => ({ day: p.day, count: p.count })) })),
    spikes: a.spikes.map((s) => ({ key: s.key, at: s.at, count: s.count, baseline: s.baseline, z: s.z, stories: s.stories })),
  };
}
