// The worker role: one BullMQ Worker per queue, each running a thin processor from jobs/.
import { Worker, type Processor, type Queue } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { corkPerTick } from '../adapters/redis/connection.js';
import type { Analyzer } from '../core/analyse.js';
import type { FeedConfig, Platform } from '../core/types.js';
import { JOB_DEFAULTS, queuePrefix, workerConnection } from '../adapters/queues.js';
import { jobId, type AnalyseBatchPayload, type DeliverPayload, type QueueName } from '../ports/queue-payloads.js';
import type { FeedFetcher } from '../ports/feed-fetcher.js';
import type { Notifier } from '../ports/notifier.js';
import type { Container } from './container.js';
import { withReadCache } from '../adapters/redis/subscription-store.js';
import { createPollProcessor } from '../../jobs/poll.js';
import { summarisePollFailures } from './poll-failures.js';
import { pollQueueProcessor, pollScheduler } from './due-feeds.js';
import { DEFAULT_DUE_TICK } from '../../jobs/poll-due.js';
import { PollSlots, type PollSlotsOptions } from '../../jobs/poll-slots.js';
import { createAnalyseProcessor } from '../../jobs/analyse.js';
import { createDeliverProcessor } from '../../jobs/deliver.js';
import { startAnalysisThread } from '../adapters/analysis-thread.js';
import { createDigestProcessor } from '../../jobs/digest.js';
import { createSpikesProcessor } from '../../jobs/spikes.js';

export interface WorkerParts {
  analyzer: Analyzer;
  fetcher: FeedFetcher;
  notifiers: Partial<Record<Platform, Notifier>>;
  /** Per-queue concurrency (defaults below). */
  concurrency?: Partial<Record<QueueName, number>>;
  /** Pacing per destination, ms (default: 1000 for Slack and Discord, 0 for the console). */
  paceMs?: Partial<Record<Platform, number>>;
  /** Job lock and stalled-check timing of every queue (defaults: LOCK_TIMING; tests shorten them). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** The in-flight limit of scheduled polls (jobs/poll-slots.ts; defaults there). */
  pollSlots?: Partial<PollSlotsOptions>;
  /** How long feed failures are gathered before one summary line is logged, ms (default 10 s). */
  failureSummaryMs?: number;
  /**
   * Analysis on a thread of its own (ANALYSIS_THREADS: 0 or 1; default 0 here, the app passes the
   * setting): the thread builds `defaultAnalyzer()`, so `analyzer` must be that one (the app's is).
   */
  analysisThreads?: number;
}

/**
 * Feeds of a poll-due group polled at once at most. Not more than 8: with 50 lanes a group (the
 * bench's loopback farm, per-host 64) the alert latency measured as bad as without the slots
 * (issue 16: 300 feeds, latency in the pipeline's CPU ms, p50 ~700 at 50 lanes vs ~295 at 8).
 */
export const MAX_GROUP_LANES = 8;

/**
 * Of a poll-due group's lanes, those per host of the group: MAX_GROUP_LANES, and never more than
 * the fetcher's per-host limit (more lanes on one host would only wait in the host limiter,
 * holding poll slots the other groups could use). A group of one host gets this many; a group
 * several hosts share (core/feed/policy/due-groups.ts packDueGroups) this many per host, up to
 * MAX_GROUP_LANES.
 */
export function groupLanes(fetcher: Pick<FeedFetcher, 'perHostConcurrency'>): number {
  return Math.max(1, Math.min(MAX_GROUP_LANES, fetcher.perHostConcurrency ?? MAX_GROUP_LANES));
}

/** How stale routing's view of subscriptions and mutes may be, ms. */
export const ROUTING_CACHE_MS = 2_000;

export const DEFAULT_CONCURRENCY: Record<QueueName, number> = {
  // Polls wait on the network (the fetcher's per-host limit keeps them polite).
  poll: 16,
  // Analysis is CPU-bound, but each job also waits on Redis (BullMQ, the stores); 16 at once keep
  // the CPU busy (bench, 500 feeds: cold cycle 47 s at 4, 34 s at 16).
  analyse: 16,
  // Posts wait on the platforms; pacing is per destination.
  deliver: 8,
  digest: 1,
  spikes: 1,
};

/**
 * Job lock and stalled-check timing per queue, ms. A job whose worker died comes back to the wait
 * list at the first stalled check (every `stalledIntervalMs`, run by any live worker) after its
 * lock lapsed; the dead worker renewed the lock every `lockDurationMs / 2`, so the lock lapses at
 * most `lockDurationMs` after the death, and the job is back within lockDurationMs +
 * stalledIntervalMs. A healthy worker loses a lock only when its event loop is blocked for more
 * than about `lockDurationMs / 2`.
 *  - poll: 20 s / 10 s, so a dead worker's poll-due group (up to DueTickConfig.maxGroup feeds) is
 *    polled again within 30 s (issue 16; at 60 s / 30 s it took up to 90 s). A blocked loop of
 *    10 s is far beyond anything a poll does (parsing is bounded by the body cap).
 *  - the others: 60 s / 30 s; an analyse batch or a paced delivery is not worth the risk of a
 *    false stall (a stalled deliver job runs again and asks the platform what it posted).
 */
export const LOCK_TIMING: Record<QueueName, { lockDurationMs: number; stalledIntervalMs: number }> = {
  poll: { lockDurationMs: 20_000, stalledIntervalMs: 10_000 },
  analyse: { lockDurationMs: 60_000, stalledIntervalMs: 30_000 },
  deliver: { lockDurationMs: 60_000, stalledIntervalMs: 30_000 },
  digest: { lockDurationMs: 60_000, stalledIntervalMs: 30_000 },
  spikes: { lockDurationMs: 60_000, stalledIntervalMs: 30_000 },
};

/**
 * How many times a job may stall (its worker died or hung past the lock) before BullMQ fails it:
 * as many as the queue's attempts. A stall is a worker killed mid-job, not a verdict on the job,
 * and every job may run again safely (polls re-queue what they claimed, deliveries look for their
 * own earlier post), so a few unlucky kills must not lose an alert; only a job that kills its
 * worker that many times in a row is failed — loudly (see the 'failed' handler) and kept in the
 * failed set (JOB_DEFAULTS.removeOnFail) to be retried by hand.
 */
export function maxStalledCount(name: QueueName): number {
  // A poll-due group is different: failing it does not stop its feeds, it only leaves the ones not
  // polled yet claimed until their lease lapses (DEFAULT_DUE_TICK.leaseSeconds, 15 min), and its
  // worker dying mid-group is the common case (a group polls up to 100 feeds). So it may stall as
  // often as stalls fit in the lease (the chaos suite, seed 1192079506: a group failed after 3
  // stalls in 70 s, and its feeds' claimed items waited out the lease).
  if (name === 'poll') return Math.max(2, Math.floor((DEFAULT_DUE_TICK.leaseSeconds * 1000) / (LOCK_TIMING.poll.lockDurationMs + LOCK_TIMING.poll.stalledIntervalMs)));
  return Math.max(2, JOB_DEFAULTS[name].attempts ?? 1);
}

/** BullMQ's failedReason of a job failed for stalling (bullmq moveStalledJobsToWait). */
const STALLED_TOO_OFTEN = /stalled more than allowable limit/;

/** The channels that follow a feed: destinations whose subscriptions name its outlet, plus the default ones. */
export async function followersOf(c: Container, feed: FeedConfig): Promise<string[]> {
  const subs = await c.stores.subscriptions.list();
  return [...new Set(subs.filter((s) => !s.paused && (s.isDefault || s.outlets.includes(feed.outletId))).map((s) => s.destination))];
}

export function pausedNotice(feed: FeedConfig, reason: string): string {
  return `Paused ${feed.outlet} (${feed.language.join(', ').toUpperCase()}) after ${reason}. /feeds resume ${feed.id} to try again.`;
}

/**
 * The poll → analyse handoff: the articles go to the article store (one pipeline of SET NX, never
 * over an analysed copy), then the analyse jobs carry their ids only (one addBulk). A job's data is
 * a hash field that BullMQ's scripts copy in and out of Redis several times (added, fetched by the
 * worker, kept among the finished jobs): with the articles' text in it, those scripts were ~20% of
 * Redis's time in the cold cycle. The analyse job reads the articles from the store (it did
 * already, to skip what a crashed run stored). Stored first, queued after: a job never finds its
 * articles missing; a crash between the two leaves the items in the seen store's outbox, and
 * the next poll of the feed stores and queues them again.
 */
export async function handOverToAnalysis(c: Pick<Container, 'stores' | 'queues' | 'config'>, batch: { payload: AnalyseBatchPayload; id: string }[]): Promise<string[]> {
  const articles = batch.flatMap((b) => b.payload.items.flatMap((i) => (i.article ? [i.article] : [])));
  await c.stores.articles.putNew(articles, c.config.RETENTION_DAYS * 86_400);
  await queueJobs(
    c.queues.analyse,
    'analyse',
    batch.map((b) => ({ data: { items: b.payload.items.map(({ article: _stored, ...item }) => item) }, id: b.id })),
  );
  // The jobs' hashes (kept a while after they complete: JOB_DEFAULTS.removeOnComplete): the poll
  // releases its items from the outbox only while they exist (a host crash may have lost them).
  return batch.map((b) => c.queues.analyse.toKey(b.id));
}

/**
 * Jobs queued in one round trip, each id queued once (a job id already there is a no-op): one
 * `add` a job, all sent together. Not `addBulk`: it builds an ioredis pipeline, which copies every
 * script BullMQ defined on the connection into it, so it costs more client CPU a job than the adds
 * for the batches the pipeline queues, an analyse job's few deliver jobs (`npx tsx
 * bench/queue-add-cost.ts`, load ~15, rounds after the first: 2 jobs a batch 120-141 against
 * 82-85 µs a job; 20 jobs the same, 42 against 43). Neither is atomic (addBulk's pipeline is no
 * MULTI); each job's add is.
 */
export async function queueJobs(queue: Queue, name: string, jobs: readonly { data: unknown; id: string }[]): Promise<void> {
  await Promise.all(jobs.map((j) => queue.add(name, j.data, { jobId: j.id })));
}

export function startWorkers(c: Container, parts: WorkerParts): Worker[] {
  const connection = workerConnection(c.redisUrl) as RedisOptions;
  const conc = { ...DEFAULT_CONCURRENCY, ...parts.concurrency };
  const log = c.log;
  const cfg = c.config;

  const poll = createPollProcessor({
    feeds: c.stores.feeds,
    seen: c.stores.seen,
    batches: c.stores.batches,
    fetcher: parts.fetcher,
    scheduler: pollScheduler(c),
    outlets: c.outlets,
    enqueueAnalyse: (batch) => handOverToAnalysis(c, batch),
    notifyPaused: async (feed, reason) => {
      const day = c.clock().toISOString().slice(0, 10);
      for (const dest of await followersOf(c, feed)) {
        await c.queues.deliver.add(
          'deliver',
          { destination: dest, articleId: `feed-${feed.id}`, storyId: `feed-${feed.id}`, kind: 'notice', notice: pausedNotice(feed, reason) },
          { jobId: jobId('notice', dest, feed.id, day) },
        );
      }
    },
    config: {
      alertMaxAgeHours: cfg.ALERT_MAX_AGE_HOURS,
      retentionDays: cfg.RETENTION_DAYS,
      pollMinSeconds: cfg.POLL_MIN_INTERVAL_SECONDS,
      pollMaxSeconds: cfg.POLL_MAX_INTERVAL_SECONDS,
    },
    metrics: c.metrics,
    log,
    clock: c.clock,
  });
  // One summary warning for many failing feeds, one line when they recover (issue 13 #8).
  const pollSummary = summarisePollFailures(poll, { log, clock: c.clock, ...(parts.failureSummaryMs ? { windowMs: parts.failureSummaryMs } : {}) });
  const routingReads = withReadCache(c.stores.subscriptions, c.stores.mutes, ROUTING_CACHE_MS);
  const enqueueDeliver = async (jobs: { payload: DeliverPayload; id: string }[]) => {
    await queueJobs(c.queues.deliver, 'deliver', jobs.map((j) => ({ data: j.payload, id: j.id })));
  };
  // Analysis beside the main thread's work (src/adapters/analysis-thread.ts); none: on this thread.
  const thread = (parts.analysisThreads ?? 0) > 0 ? startAnalysisThread((err) => log.warn({ err: err.message }, 'analysis thread stopped; the next batch starts a new one')) : null;
  const analyse = createAnalyseProcessor({
    analyzer: parts.analyzer,
    ...(thread ? { analyzeMany: (inputs, now) => thread.analyzeMany(inputs, now) } : {}),
    articles: c.stores.articles,
    batches: c.stores.batches,
    stories: c.stores.stories,
    subscriptions: routingReads.subscriptions,
    mutes: routingReads.mutes,
    deliveries: c.stores.deliveries,
    enqueueDeliver,
    trends: c.stores.trends,
    config: { alertMinRelevance: cfg.ALERT_MIN_RELEVANCE, retentionDays: cfg.RETENTION_DAYS },
    log,
    clock: c.clock,
  });
  const deliver = createDeliverProcessor({
    notifiers: parts.notifiers,
    reanalyse: (j) => queueJobs(c.queues.analyse, 'analyse', [{ data: j.payload, id: j.id }]),
    articles: c.stores.articles,
    stories: c.stores.stories,
    deliveries: c.stores.deliveries,
    subscriptions: c.stores.subscriptions,
    batches: c.stores.batches,
    paceMs: { slack: 1000, discord: 1000, console: 0, ...parts.paceMs },
    platforms: c.stores.platforms,
    metrics: c.metrics,
    log,
    clock: c.clock,
  });
  const digest = createDigestProcessor({
    stories: c.stores.stories,
    subscriptions: c.stores.subscriptions,
    mutes: c.stores.mutes,
    notifiers: parts.notifiers,
    digests: c.stores.digests,
    articles: c.stores.articles,
    config: { alertMinRelevance: cfg.ALERT_MIN_RELEVANCE, retentionDays: cfg.RETENTION_DAYS },
    merges: { deliveries: c.stores.deliveries, enqueueDeliver },
    log,
    clock: c.clock,
  });

  const spikes = createSpikesProcessor({
    counters: c.stores.trends,
    spikes: c.stores.trends,
    stories: c.stores.stories,
    subscriptions: c.stores.subscriptions,
    deliveries: c.stores.deliveries,
    notifiers: parts.notifiers,
    config: {
      spikeZ: cfg.SPIKE_Z,
      spikeMinCount: cfg.SPIKE_MIN_COUNT,
      spikeCooldownHours: cfg.SPIKE_COOLDOWN_HOURS,
      spikesDefaultChannel: cfg.SPIKES_DEFAULT_CHANNEL,
      retentionDays: cfg.RETENTION_DAYS,
    },
    log,
    clock: c.clock,
  });

  // Scheduled polls share one in-flight limit per process and give way to analysis (alert latency, issue 16).
  const slots = new PollSlots(parts.pollSlots);
  const processors: Record<QueueName, Processor> = { poll: pollQueueProcessor(c, pollSummary.processor, { slots, groupConcurrency: MAX_GROUP_LANES, perHostLanes: groupLanes(parts.fetcher) }), analyse: slots.analysis(analyse), deliver, digest, spikes };
  return (Object.keys(processors) as QueueName[]).map((name) => {
    // A connection of the worker's own, as BullMQ would make from the options, but writing a tick's
    // commands at once (corkPerTick: jobs finishing together). BullMQ leaves a connection it was
    // given open (its blocking one, a duplicate, it closes): closed here when the worker is.
    const own = corkPerTick(new Redis(connection));
    const w = new Worker(name, processors[name], {
      connection: own,
      prefix: queuePrefix(c.keys, name),
      concurrency: conc[name],
      // Long jobs must not look stalled; a crashed worker's jobs come back after this (LOCK_TIMING).
      lockDuration: parts.lockDurationMs ?? LOCK_TIMING[name].lockDurationMs,
      stalledInterval: parts.stalledIntervalMs ?? LOCK_TIMING[name].stalledIntervalMs,
      maxStalledCount: maxStalledCount(name),
    });
    w.on('completed', () => c.metrics.jobsCompleted.inc({ queue: name }));
    w.on('stalled', (id) => log.warn({ queue: name, jobId: id }, 'job stalled (its worker died or hung); it runs again'));
    w.on('failed', (job, err) => {
      c.metrics.jobsFailed.inc({ queue: name });
      if (STALLED_TOO_OFTEN.test(err.message)) {
        log.error(
          { queue: name, jobId: job?.id, stalls: job?.stalledCounter, data: job?.data },
          `job failed after stalling ${maxStalledCount(name)} times (each stall a worker that died holding it); kept in the failed set — retry it from /admin/queues once the cause is fixed`,
        );
        return;
      }
      log.warn({ queue: name, jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'job failed');
    });
    w.on('error', (err) => log.error({ queue: name, err: err.message }, 'worker error'));
    w.on('closed', () => own.disconnect());
    if (name === 'poll') w.on('closed', () => pollSummary.stop());
    if (name === 'analyse' && thread) w.on('closed', () => void thread.close());
    return w;
  });
}

/**
 * Graceful stop: stop taking work at once, let active jobs finish for up to `timeoutMs`, then
 * close. Jobs still running at the deadline are handed back: the forced close leaves them
 * locked, and when the lock lapses a worker's stalled check puts them back in the wait list.
 */
export async function stopWorkers(workers: Worker[], timeoutMs: number, log: Container['log']): Promise<{ finished: boolean }> {
  // pause() without doNotWaitActive resolves once the worker's current jobs are done.
  const drained = Promise.all(workers.map((w) => w.pause()));
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([
    drained.then(() => true),
    new Promise<boolean>((r) => {
      timer = setTimeout(() => r(false), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (!finished) log.warn({ timeoutMs }, 'workers: active jobs did not finish in time; handing them back');
  await Promise.all(workers.map((w) => w.close(!finished)));
  return { finished };
}
