import { describe, expect, it } from 'vitest';
import {
  emptyHealth,
  failureBackoff,
  nextPollDelay,
  planNextPoll,
  recordPollOutcome,
  rhythmOf,
  shouldPause,
  type FeedHealth,
} from '../../../src/core/feed/policy/schedule.js';

const now = new Date('2024-05-01T12:00:00Z');
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();
const opts = { minSeconds: 60, maxSeconds: 1800, now };

describe('nextPollDelay', () => {
  it('polls at half the median gap between items', () => {
    // an item every 20 minutes → every 10 minutes
    expect(nextPollDelay({ recentItemDates: [ago(0), ago(20), ago(40), ago(60), ago(80)] }, opts)).toBe(600);
  });

  it('is clamped to the global and the feed bounds', () => {
    const busy = { recentItemDates: [ago(0), ago(1), ago(2), ago(3)] };
    expect(nextPollDelay(busy, opts)).toBe(60);
    expect(nextPollDelay(busy, { ...opts, feedIntervalSeconds: 300 })).toBe(300);
    const daily = { recentItemDates: [ago(0), ago(1440), ago(2880)] };
    expect(nextPollDelay(daily, opts)).toBe(1800);
  });

  it('slows down for a feed that has gone quiet', () => {
    // four items a minute apart, the last 200 minutes ago: an eighth of that, 25 minutes
    const burstThenQuiet = { recentItemDates: [ago(200), ago(201), ago(202), ago(203)] };
    expect(nextPollDelay(burstThenQuiet, opts)).toBe(1500);
  });

  it('uses 15 minutes for an unknown rhythm and ignores future dates', () => {
    expect(nextPollDelay({ recentItemDates: [] }, opts)).toBe(900);
    expect(nextPollDelay({ recentItemDates: [ago(0), ago(-600)] }, opts)).toBe(900);
  });

  it('never polls before the server allows', () => {
    const state = { recentItemDates: [ago(0), ago(1), ago(2)], notBefore: now.getTime() + 3_600_000 };
    expect(nextPollDelay(state, opts)).toBe(3600);
    expect(nextPollDelay({ ...state, notBefore: ago(5) }, opts)).toBe(60);
  });
});

describe('failureBackoff', () => {
  it('doubles from the minimum up to the maximum, jittered between half and all', () => {
    expect(failureBackoff(1, 60, 21_600, () => 1)).toBe(60);
    expect(failureBackoff(3, 60, 21_600, () => 1)).toBe(240);
    expect(failureBackoff(3, 60, 21_600, () => 0)).toBe(120);
    expect(failureBackoff(30, 60, 21_600, () => 1)).toBe(21_600);
    expect(failureBackoff(30, 60, 21_600, () => 0)).toBe(10_800);
    const seen = new Set(Array.from({ length: 20 }, (_, i) => failureBackoff(5, 60, 21_600, () => i / 20)));
    expect(seen.size).toBeGreaterThan(10);
  });

  it('never goes below the minimum', () => {
    expect(failureBackoff(0, 60, 21_600, () => 0)).toBe(60);
  });
});

describe('FeedHealth', () => {
  const ok = (dates: string[], notBefore: number | null = null) => ({ kind: 'ok' as const, items: dates.map((d) => ({ published: d, publishedEstimated: false })), notBefore });
  const err = { kind: 'error' as const, code: 'http_status', status: 404, message: 'HTTP 404 Not Found', notBefore: null };

  it('records successes, 304s and failures', () => {
    let h: FeedHealth = emptyHealth();
    h = recordPollOutcome(h, ok([ago(60), ago(30), ago(0)]), now);
    expect(h).toMatchObject({ lastSuccessAt: now.toISOString(), consecutiveFailures: 0, notModifiedRatio: 0, itemsPerDay: 48 });
    h = recordPollOutcome(h, { kind: 'not-modified', notBefore: null }, now);
    expect(h.notModifiedRatio).toBe(0.5);
    const later = new Date(now.getTime() + 60_000);
    h = recordPollOutcome(h, err, later);
    h = recordPollOutcome(h, err, new Date(now.getTime() + 120_000));
    expect(h.consecutiveFailures).toBe(2);
    expect(h.lastError).toEqual({ code: 'http_404', message: 'HTTP 404 Not Found', since: later.toISOString(), at: new Date(now.getTime() + 120_000).toISOString() });
    expect(h.notModifiedRatio).toBe(0.5);
    h = recordPollOutcome(h, { kind: 'not-modified', notBefore: null }, now);
    expect(h.consecutiveFailures).toBe(0);
    expect(h.lastError?.code).toBe('http_404');
  });

  it('starts a new streak when the error changes', () => {
    let h = recordPollOutcome(emptyHealth(), err, now);
    const t2 = new Date(now.getTime() + 1000);
    h = recordPollOutcome(h, { kind: 'error', code: 'timeout', message: 'slow', notBefore: null }, t2);
    expect(h.lastError?.since).toBe(t2.toISOString());
    expect(h.consecutiveFailures).toBe(2);
  });

  it('a 304 keeps the rate of the dates it did not change; a missing rate is counted, a new item recounts it', () => {
    const dated = recordPollOutcome(emptyHealth(), ok([ago(60), ago(30), ago(0)]), now);
    expect(dated.itemsPerDay).toBe(48);
    // The rate stored is kept as it is on a 304 (not recounted from the dates)…
    const kept = recordPollOutcome({ ...dated, itemsPerDay: 7 }, { kind: 'not-modified', notBefore: null }, now);
    expect(kept.itemsPerDay).toBe(7);
    expect(kept.recentItemDates).toBe(dated.recentItemDates);
    // …counted when missing (health stored without it), and recounted when an item comes.
    expect(recordPollOutcome({ ...dated, itemsPerDay: null }, { kind: 'not-modified', notBefore: null }, now).itemsPerDay).toBe(48);
    expect(recordPollOutcome({ ...dated, itemsPerDay: 7 }, ok([ago(15)]), now).itemsPerDay).toBe(72);
  });

  it('keeps the newest item dates, without estimated ones', () => {
    const h = recordPollOutcome(emptyHealth(), { kind: 'ok', items: [{ published: ago(0), publishedEstimated: true }, { published: ago(10), publishedEstimated: false }], notBefore: null }, now);
    expect(h.recentItemDates).toEqual([ago(10)]);
    expect(h.itemsPerDay).toBeNull();
  });

  it('pauses after ten failures in a row', () => {
    let h = emptyHealth();
    for (let i = 0; i < 9; i++) h = recordPollOutcome(h, err, now);
    expect(shouldPause(h)).toBe(false);
    h = recordPollOutcome(h, err, now);
    expect(shouldPause(h)).toBe(true);
  });

  it('plans: backoff while failing, adaptive otherwise, notBefore always', () => {
    const healthy = recordPollOutcome(emptyHealth(), ok([ago(0), ago(20), ago(40)]), now);
    expect(planNextPoll(healthy, { ...opts, random: () => 1 })).toBe(600);
    const failing = recordPollOutcome(recordPollOutcome(healthy, err, now), err, now);
    expect(planNextPoll(failing, { ...opts, random: () => 1 })).toBe(120);
    const limited = recordPollOutcome(healthy, { ...err, status: 429, notBefore: now.getTime() + 7_200_000 }, now);
    expect(planNextPoll(limited, { ...opts, random: () => 1 })).toBe(7200);
  });
});

describe('the rhythm kept with the dates (issue 16: no date parsing at every 304)', () => {
  it('plans the same next poll as the dates themselves, and is recomputed when items come', () => {
    const t0 = Date.parse('2026-12-01T12:00:00Z');
    const items = [0, 1, 3, 4, 7].map((h) => ({ published: new Date(t0 - h * 3_600_000).toISOString(), publishedEstimated: false }));
    let h = recordPollOutcome(emptyHealth(), { kind: 'ok', items, notBefore: null }, new Date(t0 + 60_000));
    expect(h.rhythm).toEqual(rhythmOf(h.recentItemDates));
    h = recordPollOutcome(h, { kind: 'not-modified', notBefore: null }, new Date(t0 + 120_000));
    for (const later of [5 * 60_000, 3 * 3_600_000, 4 * 86_400_000]) {
      const opts = { minSeconds: 60, maxSeconds: 86_400, now: new Date(t0 + later), random: () => 0.5 };
      expect(planNextPoll(h, opts)).toBe(planNextPoll({ ...h, rhythm: undefined }, opts));
    }
    const newer = recordPollOutcome(h, { kind: 'ok', items: [{ published: new Date(t0 + 3_600_000).toISOString(), publishedEstimated: false }], notBefore: null }, new Date(t0 + 3_700_000));
    expect(newer.rhythm!.newestMs).toBe(t0 + 3_600_000);
  });

  it('is not used while a date is in the future (it is left out until it is not)', () => {
    const t0 = Date.parse('2026-12-01T12:00:00Z');
    const dates = [t0 + 86_400_000, t0, t0 - 3_600_000, t0 - 7_200_000].map((t) => new Date(t).toISOString());
    const h = { ...emptyHealth(), recentItemDates: dates, rhythm: rhythmOf(dates) };
    const opts = { minSeconds: 60, maxSeconds: 86_400, now: new Date(t0), random: () => 0.5 };
    expect(planNextPoll(h, opts)).toBe(planNextPoll({ ...h, rhythm: undefined }, opts));
  });
});
