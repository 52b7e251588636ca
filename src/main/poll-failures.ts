// Wiring of the feed-failure summary (src/core/feed/policy/failure-summary.ts) around the poll
// processor: every poll's outcome is counted, and a timer logs the summary lines. The poll job
// itself logs each feed's failure at debug only.
import type { Job, Processor } from 'bullmq';
import type { Logger } from '../adapters/log.js';
import { createFailureTracker, type FailureSummaryOptions, type FeedOutcome } from '../core/feed/policy/failure-summary.js';
import type { PollResult } from '../../jobs/poll.js';

export interface PollFailureSummary {
  processor: Processor;
  /** Stops the timer (the last unreported change is dropped: the process is stopping). */
  stop(): void;
}

function outcomeOf(r: PollResult): FeedOutcome | null {
  if (r.status === 'error') return { failing: r.code };
  if (r.status === 'ok' || r.status === 'not-modified') return { failing: null };
  if (r.status === 'gone') return 'gone';
  return null; // paused or deferred: nothing was fetched
}

export function summarisePollFailures(
  poll: (job: Job) => Promise<PollResult>,
  o: { log: Logger; clock: () => Date } & FailureSummaryOptions,
): PollFailureSummary {
  const tracker = createFailureTracker(o);
  const windowMs = o.windowMs ?? 10_000;
  const timer = setInterval(
    () => {
      for (const r of tracker.due(o.clock().getTime())) o.log[r.level](r.fields, `poll: ${r.message}`);
    },
    Math.max(50, Math.min(1000, windowMs / 4)),
  );
  timer.unref();
  return {
    processor: async (job: Job) => {
      const r = await poll(job);
      const outcome = outcomeOf(r);
      const feedId = (job.data as { feedId?: unknown }).feedId;
      if (outcome && typeof feedId === 'string') tracker.record(feedId, outcome, o.clock().getTime());
      return r;
    },
    stop: () => clearInterval(timer),
  };
}
