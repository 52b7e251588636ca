import { describe, expect, it } from 'vitest';
import { baselineBand, dayRange, spikeDay, trendsSummary } from '../../../src/core/trends/chart-data.js';
import { parseTrendsArgs, trendsChart } from '../../../src/commands/trends.js';
import { testVocabulary } from '../commands/fakes.js';

describe('trend chart data', () => {
  it('days: the window ends with now’s UTC day, oldest first', () => {
    expect(dayRange(new Date('2026-03-01T23:59:00Z'), 3)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });

  it('band: mean and population sd of the 14 days before each day, none with fewer than 7 before', () => {
    const days = dayRange(new Date('2026-01-20T00:00:00Z'), 20);
    const band = baselineBand({ key: 'k', points: days.map((day, i) => ({ day, count: i < 14 ? (i % 2) * 2 : 10 })) });
    expect(band.points[0]!.day).toBe(days[7]);
    const at14 = band.points.find((p) => p.day === days[14])!;
    expect(at14.mean).toBe(1);
    expect(at14.sd).toBe(1);
  });

  it('a spike’s day is the day its 24 hours end in (midnight: the day before)', () => {
    expect(spikeDay({ at: '2026-12-05T00:00:00.000Z' })).toBe('2026-12-04');
    expect(spikeDay({ at: '2026-12-05T13:00:00.000Z' })).toBe('2026-12-05');
  });

  it('summary: totals, peaks and spikes in a few sentences', () => {
    const days = dayRange(new Date('2026-12-05T10:00:00Z'), 3);
    const text = trendsSummary({
      subject: 'Kazakhstan',
      days: 3,
      series: [{ key: 'color-revolution', points: days.map((day, i) => ({ day, count: [1, 9, 2][i]! })) }],
      spikes: [{ key: 'KZ|color-revolution', at: '2026-12-05T00:00:00Z', count: 9, baseline: 1.2, z: 4.6 }],
      shown: 1,
    });
    expect(text).toBe('Kazakhstan, last 3 days: 12 articles counted by one line (UTC days). color-revolution 12 (peak 9 on 4 Dec). Spike: KZ|color-revolution on 4 Dec, 9 against a usual 1.2 (z 4.6).');
  });
});

describe('/trends arguments and chart', () => {
  const v = testVocabulary();
  it('reads the query, days (option or window word) and by', () => {
    const a = parseTrendsArgs({ options: { days: ['14'], by: ['country'] }, bare: ['kazakhstan'] }, v);
    expect(a.ok && a.args.days).toBe(14);
    expect(a.ok && a.args.by).toBe('country');
    const w = parseTrendsArgs({ options: {}, bare: ['kazakhstan', '60d'] }, v);
    expect(w.ok && w.args.days).toBe(60);
    const none = parseTrendsArgs({ options: {}, bare: [] }, v);
    expect(none.ok && none.args).toMatchObject({ query: null, days: 30, subject: 'Central Asia' });
  });

  it('refuses bad days, by and queries with a usage reply', () => {
    const cases: { options: Record<string, string[]>; bare: string[] }[] = [{ options: { days: ['0'] }, bare: [] }, { options: { by: ['outlet'] }, bare: [] }, { options: {}, bare: ['(kazakhstan'] }];
    for (const bad of cases) {
      const r = parseTrendsArgs(bad, v);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reply.kind).toBe('usage');
    }
  });

  it('keeps the six largest lines and says so', () => {
    const days = dayRange(new Date('2026-12-05T10:00:00Z'), 10);
    const series = Array.from({ length: 8 }, (_, k) => ({ key: `tag-${k}`, points: days.map((day) => ({ day, count: k })) }));
    const chart = trendsChart({ series, spikes: [] }, { subject: 'X', days: 10, by: 'tag' });
    expect(chart.series.map((s) => s.key)).toEqual(['tag-7', 'tag-6', 'tag-5', 'tag-4', 'tag-3', 'tag-2']);
    expect(chart.subtitle).toContain('top 6 of 8 lines');
    expect(chart.bands).toHaveLength(1);
  });
});
