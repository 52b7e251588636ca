// One BullMQ job scheduler per feed on the poll queue (upsertJobScheduler; the v5 `repeat`
// option is ignored by BullMQ 6). The interval adapts: the poll job re-upserts it when it changes.
import type { Queue } from 'bullmq';
import type { FeedScheduler } from '../ports/feed-scheduler.js';
import { jobId, type PollPayload } from '../ports/queue-payloads.js';

export type { FeedScheduler };

const schedulerId = (feedId: string) => `feed--${feedId}`;

export function createFeedScheduler(poll: Queue, clock: () => number = Date.now): FeedScheduler {
  return {
    async schedule(feedId, everySeconds, startAt) {
      const every = Math.max(1, Math.round(everySeconds)) * 1000;
      // startDate in the future: upserting must not trigger an extra immediate poll.
      await poll.upsertJobScheduler(
        schedulerId(feedId),
        { every, startDate: startAt ?? clock() + every },
        { name: 'poll', data: { feedId, reason: 'schedule' } satisfies PollPayload },
      );
    },
    async unschedule(feedId) {
      await poll.removeJobScheduler(schedulerId(feedId));
    },
    async pollNow(feedId, reason) {
      // One pending one-off poll per feed and reason at a time (the job id dedupes).
      await poll.add('poll', { feedId, reason } satisfies PollPayload, {
        jobId: jobId('now', feedId, reason),
        removeOnComplete: true,
        removeOnFail: { count: 100 },
      });
    },
    async current(feedId) {
      const s = await poll.getJobScheduler(schedulerId(feedId));
      return s?.every ? Math.round(Number(s.every) / 1000) : null;
    },
  };
}
