// What one analysed article adds to the trend counters, and the UTC hour and day it adds it to.
// Pure: the Redis store (adapters/redis/trend-store.ts) only increments what this returns.
//
// Fields (one counter each, per hour and per day):
//   `<CC>|<tag>`         country × framing tag        — a spike key
//   `<affiliation>|<tag>` outlet affiliation × tag     — a spike key (`state:RU|color-revolution`)
//   `<CC>|*`, `*|<tag>`, `*|*`   country, tag and overall totals (trend series with no query)
//   `o:<outletId>|<tag>` outlet × tag (daily only: share of voice's top outlets)
// An article counts 1 in each field it touches, however many quotes carry the tag.
import type { AnalysisResult, Article } from '../types.js';
import type { DayKey } from './types.js';

export type CountableArticle = Pick<Article, 'id' | 'outletId' | 'affiliation' | 'published'> & {
  analysis: Pick<AnalysisResult, 'countries' | 'framings' | 'regional'>;
};

export const ALL = '*';

/** A spike key is `<CC>|<tag>` or `<affiliation>|<tag>`: no total (`*`) and no outlet field. */
export function isSpikeKey(field: string): boolean {
  return !field.startsWith('o:') && !field.includes(ALL);
}

/** The fields an article adds 1 to (none outside Central Asia): `hourly` (spike keys and totals) and `daily` (those plus outlet × tag). */
export function counterFields(a: CountableArticle): { hourly: string[]; daily: string[] } {
  // Only Central Asia articles are counted: the trends are about how the region is covered.
  if (a.analysis.countries.length === 0 && !a.analysis.regional) return { hourly: [], daily: [] };
  const tags = [...new Set(a.analysis.framings.map((f) => f.tag))].sort();
  const countries = [...new Set(a.analysis.countries)].sort();
  const hourly = [`${ALL}|${ALL}`];
  for (const c of countries) hourly.push(`${c}|${ALL}`);
  for (const t of tags) {
    hourly.push(`${ALL}|${t}`, `${a.affiliation}|${t}`);
    for (const c of countries) hourly.push(`${c}|${t}`);
  }
  // Pushed, not spread: the spread of an empty `tags.map(...)` (another array map than a filled one) deoptimised
  // this function once an isolate in a cold cycle (`node --trace-deopt-verbose`, counters.js:21).
  const daily = hourly.slice();
  daily.push(`o:${a.outletId}|${ALL}`);
  for (const t of tags) daily.push(`o:${a.outletId}|${t}`);
  return { hourly, daily };
}

/** `YYYYMMDDHH` of a time's UTC hour. */
export function hourKey(t: Date | number): string {
  const iso = new Date(t).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}`;
}

/** `YYYY-MM-DD` of a time's UTC day. */
export function dayKey(t: Date | number): DayKey {
  return new Date(t).toISOString().slice(0, 10);
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Start of the UTC hour containing `t`, ms. */
export function floorHour(t: Date | number): number {
  const ms = typeof t === 'number' ? t : t.getTime();
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/** Start of the UTC day containing `t`, ms. */
export function floorDay(t: Date | number): number {
  const ms = typeof t === 'number' ? t : t.getTime();
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/**
 * The hour an article counts in: its `published` hour. A date in the future (clock skew, a
 * feed's time zone mistake) counts now, so it cannot sit ahead of every window; an unparsable
 * one counts now too. Null when it is older than the retention: nothing would keep it.
 */
export function countingTime(published: string, now: Date, retentionDays: number): number | null {
  const p = Date.parse(published);
  const t = Number.isFinite(p) ? Math.min(p, now.getTime()) : now.getTime();
  return now.getTime() - t >= retentionDays * DAY_MS ? null : t;
}
