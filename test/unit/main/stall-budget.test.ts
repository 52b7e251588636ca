// How often a job may stall before BullMQ fails it (src/main/workers.ts maxStalledCount): a
// poll-due group must not be failed while the lease on its feeds still holds, or its unpolled
// feeds (and the items their polls claimed) wait out the lease (chaos seed 1192079506).
import { describe, expect, it } from 'vitest';
import { DEFAULT_DUE_TICK } from '../../../jobs/poll-due.js';
import { LOCK_TIMING, maxStalledCount } from '../../../src/main/workers.js';
import { JOB_DEFAULTS } from '../../../src/adapters/queues.js';

describe('stall budget', () => {
  it('lets a poll-due group stall for as long as its feeds stay claimed', () => {
    const stallMs = LOCK_TIMING.poll.lockDurationMs + LOCK_TIMING.poll.stalledIntervalMs;
    expect(maxStalledCount('poll') * stallMs).toBeGreaterThan(DEFAULT_DUE_TICK.leaseSeconds * 1000 - stallMs);
    expect(maxStalledCount('poll')).toBeGreaterThan(3);
  });

  it('keeps the other queues at their attempts', () => {
    expect(maxStalledCount('deliver')).toBe(Math.max(2, JOB_DEFAULTS.deliver.attempts ?? 1));
    expect(maxStalledCount('analyse')).toBe(Math.max(2, JOB_DEFAULTS.analyse.attempts ?? 1));
  });
});
