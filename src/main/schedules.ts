// The scheduler role's repeating jobs (BullMQ job schedulers): the due-feeds tick (every scheduled
// poll), spikes, the daily digest and trim, the merge sweep. Upserted when the role starts, and
// looked after while it runs.
//
// Why looked after: BullMQ makes a schedule's next run when a worker takes the current one (the run
// moved to active, then the next iteration added: two writes a round trip apart). A Redis host crash
// under appendfsync everysec may keep the first and lose the second with its last second of writes,
// while the worker goes on and completes the run on the restarted Redis. The schedule then points at
// a finished run and nothing runs it again until the scheduler role restarts: for the tick, no feed
// is polled any more. (It takes a run spanning the crash that was taken more than the lost second
// before it: rare for a tick of a few ms, less so for a large installation's ticks, the digest or the
// trim.) So every SCHEDULES_CHECK_MS the role checks that each schedule's next run is waiting,
// delayed or running, and upserts one whose next run is finished or gone
// (test/integration/pipeline/schedule-lost.test.ts). And the spike job runs once right after a
// Redis (re)start (spikeRunAfterRestart).
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { TICK_SCHEDULER_ID } from '../adapters/feed-scheduler.js';
import type { Logger } from '../ports/logger.js';
import { SPIKE_EVERY_MS } from '../../jobs/spikes.js';
import { MERGE_SWEEP_EVERY_MS } from '../../jobs/merge-notice.js';
import type { Container } from './container.js';

/** How often the scheduler role checks its schedules' next runs: a few reads each. */
export const SCHEDULES_CHECK_MS = 15_000;

export interface KeptSchedule {
  queue: Queue;
  id: string;
  /** Creates the schedule, or makes it as configured again (its next run included): idempotent. */
  upsert(): Promise<unknown>;
}

/** The schedules the scheduler role keeps. */
export function roleSchedules(c: Pick<Container, 'queues' | 'scheduler' | 'config'>): KeptSchedule[] {
  const { digest, spikes, poll } = c.queues;
  const [hh, mm] = c.config.DIGEST_AT.split(':');
  return [
    { queue: poll, id: TICK_SCHEDULER_ID, upsert: () => c.scheduler.ensureTick() },
    { queue: digest, id: 'daily-digest', upsert: () => digest.upsertJobScheduler('daily-digest', { pattern: `${Number(mm)} ${Number(hh)} * * *`, tz: 'UTC' }, { name: 'digest', data: {} }) },
    { queue: spikes, id: 'spikes', upsert: () => spikes.upsertJobScheduler('spikes', { every: SPIKE_EVERY_MS }, { name: 'spikes', data: {} }) },
    { queue: digest, id: 'daily-trim', upsert: () => digest.upsertJobScheduler('daily-trim', { pattern: '17 3 * * *', tz: 'UTC' }, { name: 'trim', data: {} }) },
    // Story merges a crash left untold (jobs/merge-notice.ts sweepMerges): one HGETALL when none are.
    { queue: digest, id: 'merge-sweep', upsert: () => digest.upsertJobScheduler('merge-sweep', { every: MERGE_SWEEP_EVERY_MS }, { name: 'merge-sweep', data: {} }) },
  ];
}

/** Job states of a next run that is still to come (or running: it made its own next run when taken). */
const PENDING = new Set(['waiting', 'delayed', 'prioritized', 'active', 'waiting-children']);

/** Whether the schedule has a next run to come (BullMQ's id of a scheduler's run: `repeat:<id>:<ms>`). */
async function hasNextRun(s: KeptSchedule): Promise<boolean> {
  const a = await s.queue.getJobScheduler(s.id);
  if (a?.next === undefined) return false;
  if (PENDING.has(await s.queue.getJobState(`repeat:${s.id}:${a.next}`))) return true;
  // Taken, its successor made, and done between the two reads: the schedule moved on.
  const b = await s.queue.getJobScheduler(s.id);
  return b?.next !== undefined && b.next !== a.next;
}

/** Upserts the schedules without a next run to come; returns their ids. */
export async function reviveSchedules(schedules: readonly KeptSchedule[], log: Logger): Promise<string[]> {
  const revived: string[] = [];
  for (const s of schedules) {
    if (await hasNextRun(s)) continue;
    await s.upsert();
    revived.push(s.id);
  }
  if (revived.length) log.warn({ schedules: revived }, 'scheduler: schedules without a next run (lost with Redis’s last writes?) made again');
  return revived;
}

/** How soon after the Redis server's start the role still queues the spike run for that start. */
export const RESTART_RUN_WITHIN_MS = 3 * 60_000;

/**
 * One run of the spike job right after Redis (re)started, once per server start (its `run_id`: the
 * job id, whichever scheduler process queues it). A host crash may lose a spike alert's intent and
 * record after its post (jobs/spikes.ts); on Discord, which cannot be asked, only the same post again
 * within its nonce window ("a few minutes") answers with the message made: the next scheduled run,
 * up to SPIKE_EVERY_MS later, came too late and posted a second alert. Returns the run's job id, or
 * null when none was queued.
 */
export async function spikeRunAfterRestart(redis: Redis, spikes: Queue, queued: Set<string>): Promise<string | null> {
  const info = await redis.info('server');
  const runId = /^run_id:(\w+)/m.exec(info)?.[1];
  const up = Number(/^uptime_in_seconds:(\d+)/m.exec(info)?.[1] ?? NaN);
  if (!runId || !(up * 1000 <= RESTART_RUN_WITHIN_MS) || queued.has(runId)) return null;
  const jobId = `spikes-after-restart-${runId}`;
  await spikes.add('spikes', {}, { jobId });
  queued.add(runId);
  return jobId;
}

/**
 * Checks the schedules every `everyMs` while the role runs, and queues the spike run after a Redis
 * restart (`spikes`: the container's Redis and spike queue); returns the stop.
 */
export function keepSchedules(schedules: readonly KeptSchedule[], log: Logger, everyMs = SCHEDULES_CHECK_MS, spikes?: { redis: Redis; queue: Queue }): () => void {
  let busy = false;
  const starts = new Set<string>();
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    (spikes ? spikeRunAfterRestart(spikes.redis, spikes.queue, starts) : Promise.resolve(null))
      .then((id) => id && log.info({ jobId: id }, 'scheduler: Redis (re)started lately; spike alerts run again now'))
      .then(() => reviveSchedules(schedules, log))
      .catch((e: unknown) => log.warn({ err: e }, 'scheduler: could not check the schedules (Redis down?); checked again later'))
      .finally(() => (busy = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
