// Pure helpers that turn trend answers into what a chart and its text show: the UTC days of a
// window (series.ts), the baseline band, and a short summary for screen readers.
import type { DayKey, Spike, TrendBand, TrendSeries } from './types.js';

export { dayRange } from './series.js';

/** A series' articles over its window. */
export function total(s: TrendSeries): number {
  return s.points.reduce((n, p) => n + p.count, 0);
}

/**
 * The usual range of a series per day, as the spike rule sees it: mean and standard deviation of
 * the `window` days before that day (population sd). Days with fewer than `minDays` days before
 * them in the series get none.
 */
export function baselineBand(series: TrendSeries, window = 14, minDays = 7): TrendBand {
  const points: TrendBand['points'] = [];
  series.points.forEach((p, i) => {
    const before = series.points.slice(Math.max(0, i - window), i).map((x) => x.count);
    if (before.length < minDays) return;
    const mean = before.reduce((a, b) => a + b, 0) / before.length;
    const sd = Math.sqrt(before.reduce((a, b) => a + (b - mean) ** 2, 0) / before.length);
    points.push({ day: p.day, mean, sd });
  });
  return { key: series.key, points };
}

/** `2026-12-04` → `4 Dec`. */
export function shortDay(day: DayKey): string {
  const m = /^\d{4}-(\d{2})-(\d{2})$/.exec(day);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return m ? `${Number(m[2])} ${months[Number(m[1]) - 1]}` : day;
}

/** The UTC day a spike's 24-hour window mostly covers (the day its end falls on, or the day before at midnight). */
export function spikeDay(s: Pick<Spike, 'at'>): DayKey {
  return new Date(Date.parse(s.at) - 1).toISOString().slice(0, 10);
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/**
 * What the chart shows, in a few sentences (the alt text, and the console's answer):
 * totals, the largest series with their peak day, and the spikes.
 */
export function trendsSummary(o: { subject: string; days: number; series: readonly (TrendSeries & { label?: string })[]; spikes: readonly Omit<Spike, 'sd' | 'stories'>[]; shown: number }): string {
  const all = o.series.reduce((n, s) => n + total(s), 0);
  const parts = [`${o.subject}, last ${o.days} days: ${all} article${all === 1 ? '' : 's'} counted by ${o.series.length === 1 ? 'one line' : `${o.series.length} lines`} (UTC days).`];
  const top = o.series.slice(0, Math.min(o.shown, 4)).filter((s) => total(s) > 0);
  if (top.length) {
    parts.push(
      `${top
        .map((s) => {
          const peak = s.points.reduce((a, b) => (b.count > a.count ? b : a));
          return `${s.label ?? s.key} ${total(s)} (peak ${peak.count} on ${shortDay(peak.day)})`;
        })
        .join('; ')}.`,
    );
  }
  if (o.spikes.length) {
    parts.push(
      `Spike${o.spikes.length === 1 ? '' : 's'}: ${o.spikes
        .slice(0, 3)
        .map((s) => `${s.key} on ${shortDay(spikeDay(s))}, ${s.count} against a usual ${fmt(s.baseline)} (z ${s.z.toFixed(1)})`)
        .join('; ')}${o.spikes.length > 3 ? `; and ${o.spikes.length - 3} more` : ''}.`,
    );
  } else {
    parts.push('No spikes.');
  }
  return parts.join(' ');
}
