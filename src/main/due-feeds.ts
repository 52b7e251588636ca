// Wiring of the due-feeds schedule (src/adapters/feed-scheduler.ts, jobs/poll-due.ts): the poll
// queue's processor, which tells its three kinds of jobs apart by name, and the scheduler role's
// upkeep at start (the earlier version's per-feed schedulers migrated, the tick upserted).
import type { Job, Processor } from 'bullmq';
import type { Container } from './container.js';
import { DUE_TICK_JOB, POLL_DUE_JOB, type FeedScheduler } from '../ports/feed-scheduler.js';
import { jobId } from '../ports/queue-payloads.js';
import { createDueTickProcessor, createPollDueProcessor, type DueTickConfig } from '../../jobs/poll-due.js';
import { openPollGroup, type PollGroup, type PollResult, type SetAside } from '../../jobs/poll.js';
import type { PollSlots } from '../../jobs/poll-slots.js';

export interface PollQueueOptions {
  /** Feeds of one poll-due group polled at once at most (default 8; the workers pass groupLanes(fetcher)). */
  groupConcurrency?: number;
  /** Of them, per host of the group (the fetcher's per-host limit; default groupConcurrency). */
  perHostLanes?: number;
  /**
   * The process's in-flight limit for scheduled polls, shared by all its poll-due jobs and giving
   * way to its analyse jobs (jobs/poll-slots.ts); without it, groups × groupConcurrency.
   */
  slots?: PollSlots;
  tick?: Partial<DueTickConfig>;
}

/**
 * The poll queue's processor: `poll` jobs (one feed: one-off polls, the benchmark's cycles) go to
 * `pollOne`; the tick claims and queues due feeds; a `poll-due` job polls its group with `pollOne`.
 */
export function pollQueueProcessor(c: Container, pollOne: Processor, o: PollQueueOptions = {}): Processor {
  const tick = createDueTickProcessor({
    scheduler: c.scheduler,
    enqueueGroups: async (groups, claimId) => {
      // Ids from the claim: a claim queued again (jobs/poll-due.ts) adds no second job.
      await c.queues.poll.addBulk(groups.map((data, k) => ({ name: POLL_DUE_JOB, data, opts: { jobId: jobId('pd', claimId, String(k)) } })));
    },
    waitingGroups: () => c.queues.poll.getWaitingCount(),
    ...(o.tick ? { config: o.tick } : {}),
    log: c.log,
    clock: c.clock,
  });
  const group = createPollDueProcessor({
    // The per-feed poll as its scheduled run; a plain object stands for the job (poll reads only
    // its data, and the group its reads and writes go through).
    pollFeed: (feedId, pollGroup?: PollGroup, setAside?: SetAside) => pollOne({ data: { feedId, reason: 'schedule' }, pollGroup, setAside } as unknown as Job) as Promise<PollResult>,
    openGroup: (feedIds) => openPollGroup({ feeds: c.stores.feeds, metrics: c.metrics, log: c.log }, feedIds),
    scheduler: c.scheduler,
    ledger: c.scheduler,
    concurrency: o.groupConcurrency ?? 8,
    ...(o.perHostLanes ? { perHostLanes: o.perHostLanes } : {}),
    ...(o.slots ? { slots: o.slots } : {}),
    log: c.log,
    clock: c.clock,
  });
  return async (job: Job) => {
    if (job.name === DUE_TICK_JOB) return tick();
    if (job.name === POLL_DUE_JOB) return group(job);
    return pollOne(job);
  };
}

/**
 * The scheduler as the per-feed poll (jobs/poll.ts) sees it: its new interval applies to a feed
 * that is still scheduled only, so a poll that finishes after its feed was paused or removed
 * does not schedule it again.
 */
export function pollScheduler(c: Pick<Container, 'scheduler'>): FeedScheduler {
  const s = c.scheduler;
  return { ...s, schedule: async (feedId, every, startAt) => void (await s.update(feedId, every, startAt ?? Date.now() + every * 1000)) };
}

/**
 * At every start of the scheduler role, before the feeds file is applied: the earlier version's
 * per-feed state hashes move into the one state hash and its per-feed job schedulers become
 * entries of the schedule (once each: none are left after), then the tick is upserted.
 */
export async function prepareSchedule(c: Container, tickMs?: number): Promise<{ migrated: number }> {
  // The feeds' state first (the polls the tick queues read it): per-feed hashes into one.
  const states = await c.stores.feeds.migrateState();
  if (states > 0) c.log.info({ feeds: states }, "feed store: moved the earlier version's per-feed state hashes into the one state hash");
  const migrated = await c.scheduler.migrateLegacy();
  if (migrated > 0) c.log.info({ feeds: migrated }, 'scheduler: migrated the per-feed job schedulers of the earlier version to the due-feeds schedule');
  await c.scheduler.ensureTick(tickMs);
  return { migrated };
}
