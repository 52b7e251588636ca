// The feed-failure summary (issue 13 #8): many failing feeds are one warning, retries add
// nothing, recovery is one line.
import { describe, expect, it } from 'vitest';
import { createFailureTracker } from '../../../src/core/feed/policy/failure-summary.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `feed-${String(i).padStart(2, '0')}`);

describe('failure summary', () => {
  it('48 feeds failing within the window are one warning, grouped by code', () => {
    const t = createFailureTracker({ windowMs: 10_000 });
    ids(48).forEach((id, i) => t.record(id, { failing: i < 40 ? 'dns' : 'timeout' }, i * 120));
    expect(t.due(6_000)).toEqual([]);
    // Reported once the burst has been quiet for the window (the last failure came at 5.64 s).
    expect(t.due(15_000)).toEqual([]);
    const r = t.due(15_700);
    expect(r).toHaveLength(1);
    expect(r[0]!.level).toBe('warn');
    expect(r[0]!.message).toMatch(/^48 of 48 feeds failing: dns \(40\), timeout \(8\) — e\.g\. feed-00, feed-01, feed-02, feed-03, feed-04, …/);
    expect(r[0]!.fields.codes).toEqual({ dns: 40, timeout: 8 });
  });

  it('retries with the same errors say nothing until the reminder; recovery is one info line', () => {
    const t = createFailureTracker({ windowMs: 1_000, repeatMs: 60_000 });
    for (const id of ids(48)) t.record(id, { failing: 'dns' }, 0);
    expect(t.due(1_000)).toHaveLength(1);
    for (let round = 1; round <= 5; round++) {
      for (const id of ids(48)) t.record(id, { failing: 'dns' }, round * 5_000);
      expect(t.due(round * 5_000 + 1_000)).toEqual([]);
    }
    const reminder = t.due(61_000);
    expect(reminder.map((r) => r.message)).toEqual([expect.stringMatching(/^still: 48 of 48 feeds failing: dns \(48\)/)]);
    for (const id of ids(48)) t.record(id, { failing: null }, 62_000);
    const back = t.due(63_000);
    expect(back).toHaveLength(1);
    expect(back[0]!.level).toBe('info');
    expect(back[0]!.message).toMatch(/^48 feeds polling again: feed-00, .*; no feed is failing now$/);
    // Healthy polls afterwards, and no reminder while nothing fails.
    for (const id of ids(48)) t.record(id, { failing: null }, 70_000);
    expect(t.due(200_000)).toEqual([]);
  });

  it('a steady trickle of changes is reported after maxWaitMs at the latest', () => {
    const t = createFailureTracker({ windowMs: 1_000, maxWaitMs: 5_000 });
    let reports = 0;
    for (let ms = 0; ms < 5_000; ms += 500) {
      t.record(`feed-${ms}`, { failing: 'dns' }, ms);
      reports += t.due(ms).length;
    }
    expect(reports).toBe(0);
    expect(t.due(5_000).map((r) => r.message)).toEqual([expect.stringMatching(/^10 of 10 feeds failing: dns \(10\)/)]);
  });

  it('reports feeds that start failing later, and partial recovery with what still fails', () => {
    const t = createFailureTracker({ windowMs: 1_000 });
    for (const id of ids(10)) t.record(id, { failing: null }, 0);
    t.record('feed-00', { failing: 'http_404' }, 0);
    expect(t.due(1_000).map((r) => r.message)).toEqual([expect.stringMatching(/^1 of 10 feeds failing: http_404 \(1\) — e\.g\. feed-00 /)]);
    t.record('feed-01', { failing: 'timeout' }, 2_000);
    expect(t.due(3_000).map((r) => r.message)).toEqual([expect.stringMatching(/^2 of 10 feeds failing: http_404 \(1\), timeout \(1\)/)]);
    t.record('feed-00', { failing: null }, 4_000);
    expect(t.due(5_000).map((r) => [r.level, r.message])).toEqual([['info', '1 feed polling again: feed-00; 1 of 10 still failing: timeout (1)']]);
    // A removed feed is forgotten, not "recovered".
    t.record('feed-01', 'gone', 6_000);
    expect(t.due(60_000)).toEqual([]);
  });
});
