// The process's in-flight limit for scheduled polls (jobs/poll-slots.ts): shared by all poll-due
// jobs of the process, and narrowed while an analyse job runs there (issue 16, alert latency).
import { describe, expect, it } from 'vitest';
import { PollSlots } from '../../../jobs/poll-slots.js';
import { createPollDueProcessor } from '../../../jobs/poll-due.js';
import type { PollResult } from '../../../jobs/poll.js';
import { silentLogger } from '../../../src/adapters/log.js';
import { createHttpFeedFetcher } from '../../../src/adapters/http-feed/fetcher.js';
import { groupLanes } from '../../../src/main/workers.js';

const tick = () => new Promise((r) => setTimeout(r, 2));

/** A fake poll that counts what is in flight and finishes when told to. */
function fakePolls() {
  const pending: (() => void)[] = [];
  const started: string[] = [];
  let inFlight = 0;
  let max = 0;
  const poll = async (id: string): Promise<PollResult> => {
    started.push(id);
    inFlight += 1;
    max = Math.max(max, inFlight);
    await new Promise<void>((r) => pending.push(r));
    inFlight -= 1;
    if (id.startsWith('bad')) throw new Error('redis went away');
    return { status: 'not-modified', nextSeconds: 60 };
  };
  return {
    poll,
    started,
    get inFlight() {
      return inFlight;
    },
    get max() {
      return max;
    },
    /** Finishes the oldest `n` polls in flight. */
    async finish(n = pending.length) {
      for (const r of pending.splice(0, n)) r();
      await tick();
    },
  };
}

const group = (slots: PollSlots, poll: (id: string) => Promise<PollResult>) =>
  createPollDueProcessor({
    pollFeed: poll,
    scheduler: { reschedule: async () => undefined },
    concurrency: 8,
    slots,
    log: silentLogger(),
    clock: () => new Date(1000),
  });

describe('poll slots', () => {
  it('limit the polls in flight over all poll-due jobs of the process, not per job', async () => {
    const slots = new PollSlots({ limit: 3, whileAnalysing: 1 });
    const p = fakePolls();
    const job = group(slots, p.poll);
    const a = job({ data: { host: 'a.org', feedIds: ['a1', 'a2', 'a3', 'a4', 'a5'], dueAt: 0 } });
    const b = job({ data: { host: 'b.org', feedIds: ['b1', 'b2', 'b3', 'b4', 'b5'], dueAt: 0 } });
    await tick();
    // Each job would run 8 at once on its own; together they get 3.
    expect(p.inFlight).toBe(3);
    while (p.started.length < 10) await p.finish(1);
    await p.finish();
    expect(await a).toMatchObject({ polled: 5, errors: 0 });
    expect(await b).toMatchObject({ polled: 5, errors: 0 });
    expect(p.max).toBe(3);
    expect(slots.inFlight).toBe(0);
  });

  it('let only a few polls start while an analysis runs, and all of them again after it', async () => {
    const slots = new PollSlots({ limit: 4, whileAnalysing: 1 });
    const p = fakePolls();
    let endAnalysis!: () => void;
    const analyse = slots.analysis(() => new Promise<string>((r) => (endAnalysis = () => r('done'))));
    const analysing = analyse();
    const job = group(slots, p.poll)({ data: { host: 'a.org', feedIds: ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'], dueAt: 0 } });
    await tick();
    expect(p.started).toEqual(['a1']);
    await p.finish(1);
    expect(p.started).toEqual(['a1', 'a2']);
    expect(p.inFlight).toBe(1);
    endAnalysis();
    expect(await analysing).toBe('done');
    await tick();
    // The analysis over, the full limit at once (FIFO: the next feeds in order).
    expect(p.started).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(p.inFlight).toBe(4);
    await p.finish();
    await p.finish();
    expect(await job).toMatchObject({ polled: 6 });
  });

  it('polls already in flight when an analysis starts finish; new ones wait until fewer than the narrow limit are in flight', async () => {
    const slots = new PollSlots({ limit: 3, whileAnalysing: 2 });
    const p = fakePolls();
    const job = group(slots, p.poll)({ data: { host: 'a.org', feedIds: ['a1', 'a2', 'a3', 'a4', 'a5'], dueAt: 0 } });
    await tick();
    expect(p.inFlight).toBe(3);
    let endAnalysis!: () => void;
    const analysing = slots.analysis(() => new Promise<void>((r) => (endAnalysis = r)))();
    await p.finish(1); // 2 in flight: not fewer than 2, so nothing new
    expect(p.started).toHaveLength(3);
    await p.finish(1); // 1 in flight: one more may go
    expect(p.started).toHaveLength(4);
    expect(p.inFlight).toBe(2);
    endAnalysis();
    await analysing;
    await tick();
    expect(p.started).toHaveLength(5);
    await p.finish();
    expect(await job).toMatchObject({ polled: 5 });
  });

  it('free the slot of a poll that throws and of an analysis that throws', async () => {
    const slots = new PollSlots({ limit: 1, whileAnalysing: 1 });
    const p = fakePolls();
    const job = group(slots, p.poll)({ data: { host: 'a.org', feedIds: ['bad1', 'a2'], dueAt: 0 } });
    await tick();
    await p.finish(1);
    await p.finish(1);
    expect(await job).toMatchObject({ polled: 1, errors: 1 });
    expect(slots.inFlight).toBe(0);
    await expect(slots.analysis(async () => Promise.reject(new Error('bad batch')))()).rejects.toThrow('bad batch');
    expect(slots.limit).toBe(1);
    const wide = new PollSlots({ limit: 5, whileAnalysing: 1 });
    await expect(wide.analysis(async () => Promise.reject(new Error('bad batch')))()).rejects.toThrow('bad batch');
    expect(wide.limit).toBe(5); // the analysis is over: the full limit again
  });

  it("the fetcher tells its per-host limit, which bounds a group's lanes (more would hold slots waiting for the host)", async () => {
    const f = createHttpFeedFetcher({ perHostConcurrency: 3 });
    const d = createHttpFeedFetcher();
    const wide = createHttpFeedFetcher({ perHostConcurrency: 64 });
    expect([f.perHostConcurrency, d.perHostConcurrency]).toEqual([3, 2]);
    expect([groupLanes(f), groupLanes(d), groupLanes(wide), groupLanes({})]).toEqual([3, 2, 8, 8]);
    await Promise.all([f.close(), d.close(), wide.close()]);
  });

  it('refuse a limit below one', () => {
    expect(() => new PollSlots({ limit: 0 })).toThrow(RangeError);
    expect(() => new PollSlots({ whileAnalysing: 0 })).toThrow(RangeError);
  });
});
