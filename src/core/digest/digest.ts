// Digests (daily, and weekly on Mondays): which subscriptions are due, which stories match them,
// and the message — the day's or the week's stories, most widely carried first, and for a weekly
// digest a chart of its tags over the week. Pure: the digest job (jobs/digest.ts) loads and posts.
import type { Reply, ReplySection } from '../alert/values.js';
import { subscriptionMatches, type Subscription } from '../routing/subscription.js';
import { storyCard } from '../story/record.js';
import type { DayKey, TrendChart, TrendSeries } from '../trends/types.js';
import type { Story } from '../types.js';

export type DigestPeriod = 'day' | 'week';

/** A subscription matched against a whole story (every outlet's framings and affiliation). */
export function storyMatches(sub: Subscription, story: Story, min: number): boolean {
  const first = story.outlets[0];
  if (!first) return false;
  const framings = story.outlets.flatMap((o) => o.framings);
  return subscriptionMatches(
    sub,
    {
      story,
      article: {
        outletId: first.outletId,
        affiliation: first.affiliation,
        title: story.headline,
        text: story.summary,
        analysis: { id: first.articleId, language: 'und', countries: story.countries, relevance: story.relevance, framings, summary: story.summary, title: story.headline, entities: [], regional: story.countries.length === 0 },
      },
    },
    min,
  );
}

/** `2026-11-30` + n days. */
export function addDays(day: DayKey, n: number): DayKey {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The digests a run covers, given the last day it covers (yesterday, UTC): that day's, and when
 * that day is a Sunday (the run is Monday's) also the week Monday–Sunday that ends with it.
 */
export function digestPeriods(day: DayKey): { every: DigestPeriod; from: DayKey; to: DayKey }[] {
  const out: { every: DigestPeriod; from: DayKey; to: DayKey }[] = [{ every: 'day', from: day, to: day }];
  if (new Date(`${day}T00:00:00Z`).getUTCDay() === 0) out.push({ every: 'week', from: addDays(day, -6), to: day });
  return out;
}

/** The period of a digest subscription (made before `every` existed: daily). */
export function periodOf(sub: Pick<Subscription, 'every'>): DigestPeriod {
  return sub.every ?? 'day';
}

/** Most tags a weekly chart shows (the most frequent; a chart with more lines is unreadable). */
const CHART_TAGS = 5;

/**
 * Daily counts per framing tag over `from`..`to` from the digest's own stories: each outlet's
 * article of a story counts once for each of its tags, on its publication day (UTC). Every day is
 * present, zeros included; the most frequent tags first.
 */
export function digestTagSeries(stories: readonly Story[], from: DayKey, to: DayKey): TrendSeries[] {
  const days: DayKey[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  const counts = new Map<string, Map<DayKey, number>>();
  for (const s of stories) {
    for (const o of s.outlets) {
      const day = o.published.slice(0, 10);
      if (day < from || day > to) continue;
      for (const tag of new Set(o.framings.map((f) => f.tag))) {
        const m = counts.get(tag) ?? new Map<DayKey, number>();
        m.set(day, (m.get(day) ?? 0) + 1);
        counts.set(tag, m);
      }
    }
  }
  const total = (m: Map<DayKey, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  return [...counts.entries()]
    .sort((a, b) => total(b[1]) - total(a[1]) || a[0].localeCompare(b[0]))
    .slice(0, CHART_TAGS)
    .map(([tag, m]) => ({ key: tag, points: days.map((day) => ({ day, count: m.get(day) ?? 0 })) }));
}

/** The chart text for screen readers and the console: each tag's total and its busiest day. */
function chartAlt(series: readonly TrendSeries[], from: DayKey, to: DayKey): string {
  const parts = series.map((s) => {
    const total = s.points.reduce((a, p) => a + p.count, 0);
    const peak = s.points.reduce((a, p) => (p.count > a.count ? p : a));
    return `${s.key} ${total} (most on ${peak.day}: ${peak.count})`;
  });
  return `Framing tags by day, ${from} to ${to}, articles per day: ${parts.join('; ')}.`;
}

export interface DigestOptions {
  every?: DigestPeriod;
  /** First day covered (weekly: the Monday); defaults to `day`. */
  from?: DayKey;
}

/**
 * The digest message: `day` is the last day covered. A weekly one adds a chart of its tags over
 * the week (drawn by the notifier) when any of its stories carries a tag.
 */
export function digestReply(day: DayKey, stories: Story[], o: DigestOptions = {}): Reply {
  const every = o.every ?? 'day';
  const from = o.from ?? day;
  const cards = stories.slice(0, 10).map(storyCard);
  const more = stories.length - cards.length;
  const n = `${stories.length} stor${stories.length === 1 ? 'y' : 'ies'}`;
  const weekly = every === 'week';
  const sections: ReplySection[] = [
    { type: 'heading', text: weekly ? `Weekly digest — ${from} to ${day} (UTC): ${n}, most widely carried first` : `Daily digest — ${day} (UTC): ${n}, most widely carried first` },
  ];
  if (weekly) {
    const series = digestTagSeries(stories, from, day);
    if (series.length) {
      const chart: TrendChart = { title: `Framings, ${from} – ${day}`, subtitle: `articles per day (UTC) in this digest's ${n}`, series };
      sections.push({ type: 'chart', chart, alt: chartAlt(series, from, day) });
    }
  }
  sections.push({ type: 'stories', stories: cards });
  if (more > 0) sections.push({ type: 'hint', text: `${more} more — /story ${weekly ? '7d' : '1d'} shows them all.` });
  return {
    visibility: 'in_channel',
    kind: 'ok',
    text: weekly ? `steppewatch weekly digest, ${from} to ${day}: ${n}` : `steppewatch daily digest, ${day}: ${n}`,
    sections,
  };
}
