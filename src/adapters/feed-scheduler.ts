// One BullMQ job scheduler per feed on the poll queue (upsertJobScheduler; the v5 `repeat`
// option is ignored by BullMQ 6). The interval adapts: the poll job re-upserts it when it changes.
import type { Queue } from 'bullmq';
import type { FeedScheduler } from '../ports/feed-scheduler.js';
import { jobId, type PollPayload } from '../ports/queue-payloads.js';

export type { FeedScheduler };

const SCHEDULER_PREFIX = 'feed--';
const schedulerId = (feedId: string) => `${SCHEDULER_PREFIX}${feedId}`;
const ONE_OFF_REASONS: PollPayload['reason'][] = ['new', 'manual'];

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
    async nextPoll(feedId) {
      const times: number[] = [];
      for (const reason of ONE_OFF_REASONS) {
        const job = await poll.getJob(jobId('now', feedId, reason));
        // A finished one-off (failed jobs are kept a while) is not a pending poll.
        if (job && !job.finishedOn) times.push(job.timestamp + (job.delay ?? 0));
      }
      const s = await poll.getJobScheduler(schedulerId(feedId));
      if (s?.next) times.push(Number(s.next));
      return times.length ? Math.min(...times) : null;
    },
    async scheduledFeedIds() {
      const all = await poll.getJobSchedulers(0, -1);
      return all.map((s) => s.key).filter((k) => k.startsWith(SCHEDULER_PREFIX)).map((k) => k.slice(SCHEDULER_PREFIX.length));
    },
  };
}
