// The real pipeline against the farm: createContainer + startApp (worker role) on a real Redis,
// the real fetcher (per-host limit raised: the farm is one loopback host), analysis, stores and
// routing, delivering to a recording destination. The bench sets up what the scheduler role
// would (feeds, their runtime state and job schedulers, subscriptions) and triggers each cycle by
// adding one poll job per feed itself.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/adapters/log.js';
import { createHttpFeedFetcher } from '../src/adapters/http-feed/fetcher.js';
import { createContainer, type Container } from '../src/main/container.js';
import { startApp, type App } from '../src/main/app.js';
import { DEFAULT_CONCURRENCY } from '../src/main/workers.js';
import type { FeedConfig } from '../src/core/types.js';
import { defaultRuntime } from '../src/core/feed/policy/schedule.js';
import { DUE_TICK_JOB } from '../src/ports/feed-scheduler.js';
import { farmFeed, itemRef, itemRefFromUrl, type FarmSpec, type ItemMeta } from './farm/content.js';
import type { FarmProcess } from './farm/client.js';
import { createRecordingNotifier, postKey, type RecordedPost, type RecordingNotifier } from './recorder.js';
import { forkRpcChild, type RpcChild } from './child.js';
import { benchSubscriptions, expectedDestinations, type RoutingPlan } from './routing.js';
import { cycleTimeline, JobTracker, watchWorkers, type CycleTimeline, type ArticleTiming, type DeliverTiming, type JobEvent } from './tracker.js';
import { byGroup, startCensus, takeCensus, type CensusEntry } from './redis-census.js';
import { machineBusySeconds, redisInfo } from './resources.js';
import { startThreadCpu } from './thread-cpu.js';
import { processStatsOf, statsDelta, type ProcessCycleStats, type ProcessStats } from './process-stats.js';
export { describeProcesses } from './process-stats.js';

/** What a worker (this process's, or a worker process's) needs to start: plain data, sent over IPC. */
export interface WorkerSettings {
  redisUrl: string;
  /** A scratch folder (feeds file, alert records nobody reads). */
  dir: string;
  /** Key prefix of this session (a user's REDIS_URL is shared: each session has its own). */
  prefix: string;
  paceMs: number;
  perHost: number;
  concurrency: Partial<Record<'poll' | 'analyse' | 'deliver', number>>;
  logLevel: string;
}

export interface SessionOptions extends WorkerSettings {
  spec: FarmSpec;
  farm: FarmProcess;
  plan: RoutingPlan;
  /** The bench started this Redis: empty it before the session (a user's Redis is never flushed). */
  exclusiveRedis: boolean;
  /** Count the commands sent, by key group (redis-census.ts). */
  census: boolean;
  /** Pipeline processes: this one, plus `workers − 1` worker processes on the same queues. */
  workers: number;
}

export interface Session {
  c: Container;
  app: App;
  recorder: RecordingNotifier;
  tracker: JobTracker;
  paceMs: number;
  /** The worker processes beside this one. */
  extra: WorkerProcess[];
  /** The worker processes' peak RSS so far, MB, one per process. */
  extraPeakRssMB(): Promise<number[]>;
  /** This process's own figures (process-stats.ts). */
  own: { snapshot(): ProcessStats; stop(): void };
  close(): Promise<void>;
}

export const ALERT_MAX_AGE_HOURS = 48;

function benchConfig(o: WorkerSettings) {
  const feedsFile = join(o.dir, 'feeds.yaml');
  writeFileSync(feedsFile, '[]\n');
  const env: Record<string, string> = {
    REDIS_URL: o.redisUrl,
    FEEDS_FILE: feedsFile,
    ALLOW_PRIVATE_FEED_ADDRESSES: 'true',
    // Scheduled polls must not fire during the run: the bench triggers every cycle itself.
    POLL_MIN_INTERVAL_SECONDS: '86400',
    POLL_MAX_INTERVAL_SECONDS: '86400',
    ALERT_MAX_AGE_HOURS: String(ALERT_MAX_AGE_HOURS),
    HTTP_PORT: '0',
    LOG_LEVEL: o.logLevel,
    STEPPEWATCH_REDIS_PREFIX: o.prefix,
    // The worker's heap growth (src/main/heap.ts): the product's default unless the run sets its own
    // (`HEAP_GROWTH_PERCENT=0 steppewatch bench …` measures V8's own policy).
    ...(process.env.HEAP_GROWTH_PERCENT?.trim() ? { HEAP_GROWTH_PERCENT: process.env.HEAP_GROWTH_PERCENT.trim() } : {}),
    // likewise the analysis thread (`ANALYSIS_THREADS=0 steppewatch bench …`: analysis on the main thread)
    ...(process.env.ANALYSIS_THREADS?.trim() ? { ANALYSIS_THREADS: process.env.ANALYSIS_THREADS.trim() } : {}),
  };
  return { ...loadConfig({ env, dotenv: false }), varDir: o.dir };
}

export function farmFeedConfig(farm: FarmProcess, i: number): FeedConfig {
  const f = farmFeed(i);
  return { id: f.id, url: farm.feedUrl(i), outlet: f.outlet, outletId: f.outletId, language: [f.language], ...(f.country ? { country: f.country } : {}), affiliation: f.affiliation, source: 'file' };
}

async function inChunks<T>(xs: T[], width: number, f: (x: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < xs.length; i += width) await Promise.all(xs.slice(i, i + width).map(f));
}

/** The container and the worker role of one pipeline process, delivering to `notifier`. */
export async function startWorkerApp(o: WorkerSettings, notifier: RecordingNotifier): Promise<{ c: Container; app: App }> {
  const config = benchConfig(o);
  const log = createLogger({ level: o.logLevel, pretty: false });
  const c = await createContainer({ config, log, redisUrl: o.redisUrl });
  const fetcher = createHttpFeedFetcher({ allowPrivateAddresses: true, perHostConcurrency: o.perHost });
  const app = await startApp(c, { roles: ['worker'], notifiers: { slack: notifier }, fetcher, concurrency: o.concurrency, paceMs: { slack: o.paceMs }, noHttp: true });
  return { c, app };
}

/** A fresh session on an emptied Redis: feeds, schedulers and subscriptions set up, workers running. */
export async function openSession(o: SessionOptions): Promise<Session> {
  if (o.census) startCensus(o.prefix);
  const settings: WorkerSettings = { redisUrl: o.redisUrl, dir: o.dir, prefix: o.prefix, paceMs: o.paceMs, perHost: o.perHost, concurrency: o.concurrency, logLevel: o.logLevel };
  const config = benchConfig(settings);
  const setup = await createContainer({ config, log: createLogger({ level: o.logLevel, pretty: false }), redisUrl: o.redisUrl });
  try {
    if (o.exclusiveRedis) await setup.redis.flushall();
    const feeds = Array.from({ length: o.spec.feeds }, (_, i) => farmFeedConfig(o.farm, i));
    await inChunks(feeds, 100, async (f) => {
      await setup.stores.feeds.upsert(f);
      const rt = defaultRuntime(f, config.POLL_MIN_INTERVAL_SECONDS);
      await setup.stores.feeds.setRuntime(f.id, rt);
      await setup.scheduler.schedule(f.id, rt.intervalSeconds);
    });
    for (const s of benchSubscriptions(o.plan, setup.clock())) await setup.stores.subscriptions.add(s);
  } finally {
    await setup.close();
  }
  const recorder = createRecordingNotifier('slack');
  const tracker = new JobTracker();
  const { c, app } = await startWorkerApp(settings, recorder);
  watchWorkers(app.workers, (e) => tracker.record(e));
  const own = processStatsOf(c, app.workers);
  const extra = await Promise.all(
    Array.from({ length: o.workers - 1 }, () =>
      startWorkerProcess(settings, {
        post: (p) => recorder.ingest(p),
        job: (e) => tracker.record(e),
      }),
    ),
  );
  return {
    c,
    app,
    recorder,
    tracker,
    paceMs: o.paceMs,
    extra,
    extraPeakRssMB: async () => (await Promise.all(extra.map((w) => w.stats()))).map((x) => x.peakRssMB),
    own,
    async close() {
      own.stop();
      await Promise.all(extra.map((w) => w.close()));
      await app.stop(10_000);
      if (!o.exclusiveRedis) await deleteByPrefix(c.redis, `${o.prefix}:`);
      await c.close();
    },
  };
}

/** A pipeline worker in a process of its own (bench/worker-child.ts), forwarding posts and job events. */
export interface WorkerProcess {
  pid: number;
  /** CPU used since it started, seconds; RSS now and its peak, MB. */
  stats(): Promise<{ cpuSeconds: number; rssMB: number; peakRssMB: number; process: ProcessStats | null }>;
  close(): Promise<void>;
}

/**
 * Worker processes between sessions: a session's close stops its workers' apps and keeps the
 * processes here for the next session, as warm as a long-running worker (scale-out.ts says why);
 * `closeWorkerProcesses` ends them.
 */
const idleWorkers: { child: RpcChild; sink: { current: WorkerSink } }[] = [];
type WorkerSink = { post(p: RecordedPost): void; job(e: JobEvent): void };

export async function startWorkerProcess(settings: WorkerSettings, sink: WorkerSink): Promise<WorkerProcess> {
  let w = idleWorkers.shift();
  if (!w) {
    const child = forkRpcChild(new URL('./worker-child.js', import.meta.url));
    const to: { current: WorkerSink } = { current: sink };
    child.onEvent((e) => {
      if (e.event === 'post') to.current.post(e.post as RecordedPost);
      else if (e.event === 'job') to.current.job(e.job as JobEvent);
    });
    w = { child, sink: to };
  }
  w.sink.current = sink;
  const { child } = w;
  await child.call('start', { settings });
  return {
    pid: child.pid,
    stats: () => child.call('stats'),
    async close() {
      await child.call('stop');
      idleWorkers.push(w);
    },
  };
}

/** Ends the worker processes kept between sessions. */
export async function closeWorkerProcesses(): Promise<void> {
  await Promise.all(idleWorkers.splice(0).map((w) => w.child.close()));
}

/** Deletes this session's keys from a Redis the bench shares with others. */
async function deleteByPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== '0');
}

export function effectiveConcurrency(o: Partial<Record<'poll' | 'analyse' | 'deliver', number>>) {
  return { poll: o.poll ?? DEFAULT_CONCURRENCY.poll, analyse: o.analyse ?? DEFAULT_CONCURRENCY.analyse, deliver: o.deliver ?? DEFAULT_CONCURRENCY.deliver };
}

// ---- Cycles ---------------------------------------------------------------------------------------

export interface CycleResult {
  seconds: number;
  polls: Record<string, number>;
  analyse: Record<string, number>;
  deliver: Record<string, number>;
  failed: Record<string, number>;
  /**
   * CPU seconds over the cycle: the pipeline's processes, Redis, the farm, and the whole
   * machine; `other` is the rest (other programs on a shared machine take cores from the run).
   */
  cpu: { pipeline: number; redis: number; farm: number; machine: number; other: number; byProcess: number[] };
  /** Each pipeline process's share of the cycle (this one first): CPU, switches, GC, articles, story locks. */
  processes: ProcessCycleStats[];
  redisCommands: number;
  /** Redis's socket reads and writes over the cycle, and its network KB in and out (every client: the bench's INFO calls and idle checks too). */
  redisIo: { reads: number; writes: number; inKB: number; outKB: number };
  /** Commands this process sent, by key group (see redis-census.ts; empty unless asked): scripts count once. */
  clientCommands: Record<string, CensusEntry>;
  /** The same by "group command", the most frequent first. */
  topClientCommands: { command: string; calls: number; argKB: number; replyKB: number; sendMs: number }[];
  /** The commands the cycle ran most (calls, server ms), scripts' inner calls included. */
  topCommands: { command: string; calls: number; serverMs: number }[];
  /** False when the queues were still busy at the deadline. */
  complete: boolean;
  /**
   * A due-feeds cycle's (warm, latency) tick and groups in time (tracker.ts cycleTimeline), and
   * this process's CPU seconds by thread over it (thread-cpu.ts: V8's helpers beside the main
   * thread); null for a cycle of poll jobs.
   */
  timeline: (CycleTimeline & { cpuByThread: Record<string, number> }) | null;
}

/** No work waiting, running or retrying; `scheduled` delayed polls are the feeds' day-ahead schedulers. */
async function queuesIdle(c: Container, scheduled: number): Promise<boolean> {
  const [p, a, d] = await Promise.all([
    c.queues.poll.getJobCounts('wait', 'active', 'prioritized', 'delayed'),
    c.queues.analyse.getJobCounts('wait', 'active', 'delayed', 'prioritized'),
    c.queues.deliver.getJobCounts('wait', 'active', 'delayed', 'prioritized'),
  ]);
  // A poll retried after an unexpected error waits in the delayed set beside the schedulers.
  const pollBusy = (p.wait ?? 0) + (p.active ?? 0) + (p.prioritized ?? 0) > 0 || (p.delayed ?? 0) > scheduled;
  return !pollBusy && ![a, d].some((x) => Object.values(x).some((n) => n > 0));
}

/**
 * Starts a cycle's polls and waits until every poll has finished and the queues are empty.
 * `via: 'due'` (warm and latency cycles) goes the product's way: the feeds' next polls are set to
 * now in the due-feeds schedule and one tick job is added, which claims them and queues them in
 * poll-due groups per host (jobs/poll-due.ts); `via: 'jobs'` adds one poll job per feed (the cold
 * cycle: a new feed's first poll is a job of its own in the product too). The cycle's time runs
 * from the first add to the completion of its last job (poll, analyse or deliver), so the idle
 * check's own polling interval does not count.
 */
export async function runCycle(
  s: Session,
  farm: FarmProcess,
  feeds: number[],
  label: string,
  o: { timeoutMs: number; progress?: (msg: string) => void; via?: 'jobs' | 'due' },
): Promise<CycleResult> {
  const c = s.c;
  const scheduledFeeds = (await c.queues.poll.getJobCounts('delayed')).delayed ?? 0;
  s.tracker.mark();
  const redis0 = await redisInfo(c.redis);
  const farm0 = await farm.stats();
  const cpu0 = process.cpuUsage();
  const extra0 = await Promise.all(s.extra.map((w) => w.stats()));
  const own0 = s.own.snapshot();
  const machine0 = machineBusySeconds();
  takeCensus();
  const threads = o.via === 'due' ? startThreadCpu() : null;
  const t0 = Date.now();
  if (o.via === 'due') {
    // XX: the feeds the session scheduled (all of them); the tick claims them as due now.
    const ids = feeds.map((i) => farmFeed(i).id);
    for (let i = 0; i < ids.length; i += 1000) await c.redis.zadd(c.keys.feedsDue, 'XX', ...ids.slice(i, i + 1000).flatMap((id) => [t0, id]));
    await c.queues.poll.add(DUE_TICK_JOB, {}, { jobId: `bench--${label}--tick`, removeOnComplete: true });
  } else {
    const jobs = feeds.map((i) => {
      const id = farmFeed(i).id;
      return { name: 'poll', data: { feedId: id, reason: 'bench' as const }, opts: { jobId: `bench--${label}--${id}` } };
    });
    for (let i = 0; i < jobs.length; i += 1000) await c.queues.poll.addBulk(jobs.slice(i, i + 1000));
  }
  const deadline = t0 + o.timeoutMs;
  let calm = 0;
  let lastNote = t0;
  let complete = false;
  while (Date.now() < deadline) {
    const ready = s.tracker.pollsDone() >= feeds.length && (await queuesIdle(c, scheduledFeeds));
    calm = ready ? calm + 1 : 0;
    if (calm >= 2) {
      complete = true;
      break;
    }
    if (o.progress && Date.now() - lastNote > 10_000) {
      lastNote = Date.now();
      const [a, d] = await Promise.all([c.queues.analyse.getJobCounts('wait', 'active'), c.queues.deliver.getJobCounts('wait', 'active', 'delayed')]);
      const backlog = (x: Record<string, number>) => Object.values(x).reduce((m, n) => m + n, 0);
      o.progress(`  … ${label}: ${s.tracker.pollsDone()}/${feeds.length} polls, ${s.recorder.posts.length} posts, ${((Date.now() - t0) / 1000).toFixed(0)} s; queued: analyse ${backlog(a)}, deliver ${backlog(d)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuByThread = threads?.();
  const own1 = s.own.snapshot();
  const machine = machineBusySeconds() - machine0;
  const census = takeCensus();
  const [redis1, farm1, extra1] = await Promise.all([redisInfo(c.redis), farm.stats(), Promise.all(s.extra.map((w) => w.stats()))]);
  const extraCpu = extra1.reduce((n, x, i) => n + x.cpuSeconds - extra0[i]!.cpuSeconds, 0);
  // Each pipeline process's CPU (this one first): how the work was shared with --workers N.
  const byProcess = [(cpu.user + cpu.system) / 1e6, ...extra1.map((x, i) => x.cpuSeconds - extra0[i]!.cpuSeconds)];
  const own = { pipeline: (cpu.user + cpu.system) / 1e6 + extraCpu, redis: redis1.cpuSeconds - redis0.cpuSeconds, farm: farm1.cpuSeconds - farm0.cpuSeconds };
  const end = s.tracker.lastDoneAt || Date.now();
  return {
    seconds: (end - t0) / 1000,
    polls: { ...s.tracker.counts.polls },
    analyse: { ...s.tracker.counts.analyse },
    deliver: { ...s.tracker.counts.deliver },
    failed: { ...s.tracker.counts.failed },
    cpu: { ...own, machine, other: Math.max(0, machine - own.pipeline - own.redis - own.farm), byProcess: byProcess.map((x) => Math.round(x * 10) / 10) },
    processes: [statsDelta(own0, own1), ...extra1.flatMap((x, i) => (x.process && extra0[i]!.process ? [statsDelta(extra0[i]!.process!, x.process)] : []))],
    // The INFO calls and the idle checks are in this count too (a few per 100 ms).
    redisCommands: redis1.commands - redis0.commands,
    redisIo: { reads: redis1.io.reads - redis0.io.reads, writes: redis1.io.writes - redis0.io.writes, inKB: Math.round((redis1.io.inBytes - redis0.io.inBytes) / 1024), outKB: Math.round((redis1.io.outBytes - redis0.io.outBytes) / 1024) },
    clientCommands: byGroup(census),
    topClientCommands: [...census.entries()]
      .map(([command, v]) => ({ command, calls: v.commands, argKB: Math.round(v.argBytes / 1024), replyKB: Math.round(v.replyBytes / 1024), sendMs: Math.round(v.sendMs) }))
      .sort((a, b) => b.calls - a.calls)
      .slice(0, 40),
    topCommands: Object.entries(redis1.commandStats)
      .map(([command, v]) => ({ command, calls: v.calls - (redis0.commandStats[command]?.calls ?? 0), serverMs: Math.round((v.usec - (redis0.commandStats[command]?.usec ?? 0)) / 1000) }))
      .filter((x) => x.calls > 0)
      .sort((a, b) => b.calls - a.calls)
      .slice(0, 12),
    complete,
    timeline: o.via === 'due' ? { ...cycleTimeline(s.tracker.dueJobs, t0), cpuByThread: cpuByThread ?? {} } : null,
  };
}

// ---- Expected vs delivered ------------------------------------------------------------------------

export interface DeliveryCheck {
  /** (channel, item) pairs the farm's ground truth and the subscriptions call for. */
  expected: number;
  /** What the analyse jobs planned to post (alert or follow-up), as (channel, article) pairs. */
  routed: number;
  /** Distinct (channel, article) pairs posted. */
  delivered: number;
  /** Planned by the analyse jobs and never posted: lost in delivery. */
  lost: number;
  /** Posted though no analyse job of the cycle planned it. */
  unplanned: number;
  /** Posts of a (channel, article) beyond the first. */
  duplicates: number;
  followups: number;
  /** Ground truth against what was posted: expected pairs posted, expected pairs not posted, posts not expected. */
  groundTruth: { matched: number; missing: number; extra: number };
  /** Central Asia articles that joined a story another article started (the story then routes as one). */
  storyMerges: number;
}

/** The (channel, item) pairs the farm's ground truth calls for. */
export function expectedPosts(plan: RoutingPlan, items: Iterable<ItemMeta>, fresh: (m: ItemMeta) => boolean): Set<string> {
  const out = new Set<string>();
  for (const m of items) {
    if (!m.country || !fresh(m)) continue;
    for (const d of expectedDestinations(plan, m)) out.add(`${d}|${itemRef(m)}`);
  }
  return out;
}

export function checkDeliveries(s: Session, expected: Set<string>, since = 0): DeliveryCheck {
  // Notices and "merged with …" replies (issue 15.4) are not articles' alerts: kept out of the article counts.
  const posts = s.recorder.posts.filter((p) => p.kind !== 'notice' && p.kind !== 'merge' && p.at >= since);
  const byItem = new Set<string>();
  const byArticle = new Map<string, number>();
  for (const p of posts) {
    byItem.add(`${p.destination}|${itemRefFromUrl(p.url) ?? `?${p.articleId}`}`);
    const k = postKey(p.destination, p.articleId);
    byArticle.set(k, (byArticle.get(k) ?? 0) + 1);
  }
  let matched = 0;
  for (const k of expected) if (byItem.has(k)) matched += 1;
  let lost = 0;
  for (const k of s.tracker.routed) if (!byArticle.has(k)) lost += 1;
  let unplanned = 0;
  let duplicates = 0;
  for (const [k, n] of byArticle) {
    if (!s.tracker.routed.has(k)) unplanned += 1;
    duplicates += n - 1;
  }
  return {
    expected: expected.size,
    routed: s.tracker.routed.size,
    delivered: byArticle.size,
    lost,
    unplanned,
    duplicates,
    followups: posts.filter((p) => p.kind === 'followup').length,
    groundTruth: { matched, missing: expected.size - matched, extra: byItem.size - matched },
    storyMerges: s.tracker.joinedStories,
  };
}

// ---- Alert latency ------------------------------------------------------------------------------

export interface LatencySample {
  /** fetch completed → the recording destination called. */
  totalMs: number;
  /** fetch completed → analyse job added (the rest of the poll job: dedupe and store of every item). */
  pollRestMs: number | null;
  /** analyse job added → started. */
  analyseWaitMs: number | null;
  /** analyse job run. */
  analyseRunMs: number | null;
  /** deliver job added (by the analyse job) → the posting attempt started. */
  deliverWaitMs: number | null;
  /** posting attempt started → notifier called. */
  deliverRunMs: number | null;
  /**
   * The channel had another post while this one waited, or less than one pacing interval before:
   * the pacing slot (about a message a second per channel, by design) may have held it back.
   */
  paced: boolean;
}

export function latencySamples(s: Session, since: number): { samples: LatencySample[]; missing: number } {
  const samples: LatencySample[] = [];
  let missing = 0;
  // Posts per channel in time order, to tell whether an alert waited for its channel's slot.
  const byChannel = new Map<string, number[]>();
  for (const p of s.recorder.posts) {
    if (p.at < since - 60_000) continue;
    const xs = byChannel.get(p.destination) ?? [];
    xs.push(p.at);
    byChannel.set(p.destination, xs);
  }
  for (const xs of byChannel.values()) xs.sort((a, b) => a - b);
  /** Another post to the channel while this one waited to be posted, or one interval before: pacing may have held it. */
  const heldByPace = (destination: string, at: number, waitedMs: number) =>
    s.paceMs > 0 && (byChannel.get(destination) ?? []).some((t) => t < at && t >= at - waitedMs - s.paceMs);
  for (const p of s.recorder.posts) {
    if (p.kind !== 'alert' || p.at < since) continue;
    const d: DeliverTiming | undefined = s.tracker.deliveries.get(postKey(p.destination, p.articleId));
    const a: ArticleTiming | undefined = s.tracker.articles.get(p.articleId);
    const fetchedAt = d?.fetchedAt ?? a?.fetchedAt ?? null;
    if (fetchedAt === null) {
      missing += 1;
      continue;
    }
    samples.push({
      totalMs: p.at - fetchedAt,
      pollRestMs: a ? a.analyseAdded - fetchedAt : null,
      analyseWaitMs: a ? a.analyseStarted - a.analyseAdded : null,
      analyseRunMs: a ? a.analyseDone - a.analyseStarted : null,
      deliverWaitMs: d ? d.started - d.added : null,
      deliverRunMs: d ? p.at - d.started : null,
      paced: heldByPace(p.destination, p.at, d ? d.started - d.added : 0),
    });
  }
  return { samples, missing };
}
