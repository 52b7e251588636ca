// `steppewatch bench --warm-only`: a big installation's schedule, warm. N feeds that answer 304
// (their validators are set before the run, so nothing is analysed), scheduled as the product
// schedules them, polled cycle after cycle by the due-feeds tick and poll-due jobs
// (jobs/poll-due.ts). It measures Redis's memory and keys per feed in the earlier version's shape
// (one BullMQ job scheduler a feed) and in today's (one sorted set), the time the scheduler role
// takes to start (migration included), and whether the warm cycles keep up, with the process's
// memory. One process: the scheduler and worker roles of `steppewatch start`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnRedis, type SpawnedRedis } from '../src/adapters/redis/spawn.js';
import { startFarmProcess } from './farm/client.js';
import type { BenchOptions } from './args.js';
import type { Job } from 'bullmq';
import YAML from 'yaml';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/adapters/log.js';
import { createHttpFeedFetcher } from '../src/adapters/http-feed/fetcher.js';
import { LEGACY_SCHEDULER_PREFIX } from '../src/adapters/feed-scheduler.js';
import { createContainer, type Container } from '../src/main/container.js';
import { startApp } from '../src/main/app.js';
import { applyHeapGrowth } from '../src/main/heap.js';
import { readFeedsFile } from '../src/main/feeds-file.js';
import { POLL_DUE_JOB } from '../src/ports/feed-scheduler.js';
import { defaultRuntime } from '../src/core/feed/policy/schedule.js';
import type { PollDueResult } from '../jobs/poll-due.js';
import type { FarmProcess } from './farm/client.js';
import type { FarmSpec } from './farm/content.js';
import { farmFeedConfig } from './pipeline.js';
import { liveHeapMB, redisInfo, RssSampler } from './resources.js';
import { createRecordingNotifier } from './recorder.js';
import { keyGroup } from './redis-census.js';
import { round } from './stats.js';

export interface WarmOnlyOptions {
  spec: FarmSpec;
  farm: FarmProcess;
  redisUrl: string;
  exclusiveRedis: boolean;
  dir: string;
  /** Poll interval of every feed, s (the cycles' period). */
  intervalSeconds: number;
  cycles: number;
  perHost: number;
  /** Host names the feeds are spread over (h<k>.farm.test, resolved to the farm); 0: the farm's one host. */
  hosts?: number;
  say(s: string): void;
}

/** Redis's memory and its keys by group (redis-census.ts) under the session prefix. */
async function footprint(c: Container, feeds: number) {
  const info = await redisInfo(c.redis);
  const groups: Record<string, number> = {};
  let keys = 0;
  let cursor = '0';
  do {
    const [next, batch] = await c.redis.scan(cursor, 'MATCH', `${c.keys.prefix}:*`, 'COUNT', 5000);
    cursor = next;
    for (const k of batch) {
      keys += 1;
      const g = keyGroup(k, c.keys.prefix);
      groups[g] = (groups[g] ?? 0) + 1;
    }
  } while (cursor !== '0');
  return { usedMemoryMB: round(info.usedMemoryMB, 1), bytesPerFeed: Math.round((info.usedMemoryMB * 1048576) / feeds), keys, keysPerFeed: round(keys / feeds, 2), keysByGroup: groups };
}

/**
 * From now until the returned function is called: this process's CPU, Redis's CPU and the commands
 * Redis ran (the wall-clock time of a start is inflated on a shared machine; these are not).
 */
async function costMeter(c: Container): Promise<() => Promise<{ cpuSeconds: number; redisCpuSeconds: number; redisCommands: number }>> {
  const r0 = await redisInfo(c.redis);
  const cpu0 = process.cpuUsage();
  return async () => {
    const cpu = process.cpuUsage(cpu0);
    const r1 = await redisInfo(c.redis);
    return { cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2), redisCpuSeconds: round(r1.cpuSeconds - r0.cpuSeconds, 2), redisCommands: r1.commands - r0.commands - 1 };
  };
}

async function inChunks<T>(xs: readonly T[], width: number, f: (x: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < xs.length; i += width) await Promise.all(xs.slice(i, i + width).map(f));
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : null;
};

export async function runWarmOnly(o: WarmOnlyOptions) {
  const { spec, farm, say } = o;
  const n = spec.feeds;
  const feedsFile = join(o.dir, 'feeds.yaml');
  // With --hosts, feed i on host h<i mod hosts>.farm.test: the fetcher's resolver sends every such
  // name to the farm, and hosts are told apart by name (the tick's groups, the per-host limit).
  const hosts = o.hosts ?? 0;
  const onHost = (url: string, i: number) => {
    if (!hosts) return url;
    const u = new URL(url);
    u.hostname = `h${i % hosts}.farm.test`;
    return u.href;
  };
  const fileFeeds = Array.from({ length: n }, (_, i) => {
    const f = farmFeedConfig(farm, i);
    return { ...f, url: onHost(f.url, i) };
  });
  writeFileSync(feedsFile, YAML.stringify(fileFeeds.map((f) => ({ id: f.id, url: f.url, outlet: f.outlet, language: f.language[0], affiliation: f.affiliation }))));
  const interval = String(o.intervalSeconds);
  const env = {
    REDIS_URL: o.redisUrl,
    FEEDS_FILE: feedsFile,
    ALLOW_PRIVATE_FEED_ADDRESSES: 'true',
    POLL_MIN_INTERVAL_SECONDS: interval,
    POLL_MAX_INTERVAL_SECONDS: interval,
    HTTP_PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL?.trim() || 'warn',
    STEPPEWATCH_REDIS_PREFIX: `bench-${process.pid}-big`,
  };
  const config = { ...loadConfig({ env, dotenv: false }), varDir: o.dir };
  // The product's heap growth from here on, as a process of the product has it from its start
  // (startApp sets it; the set-up below comes first here). Without it, writing 20,000 feeds and
  // their schedulers under V8's own policy left the heap limit high, and the start's garbage
  // piled up to a 521 MB peak (heap in use 410 MB; the same start alone peaks at ~140 MB in use).
  applyHeapGrowth(config.HEAP_GROWTH_PERCENT);
  const c = await createContainer({ config, log: createLogger({ level: env.LOG_LEVEL, pretty: false }), redisUrl: o.redisUrl });
  const sampler = new RssSampler();
  try {
    if (o.exclusiveRedis) await c.redis.flushall();
    // The feeds as an earlier start left them, every one polled before: its validators match
    // the farm's documents, so every poll of the run is a 304.
    const lastModified = new Date(Math.floor(spec.start / 1000) * 1000).toUTCString();
    const asFile = readFeedsFile(feedsFile);
    await inChunks(asFile, 200, async (f) => {
      await c.stores.feeds.upsert(f);
      const i = Number(/(\d+)$/.exec(f.url.replace(/\.xml$/, ''))![1]);
      await c.stores.feeds.setRuntime(f.id, { ...defaultRuntime(f, o.intervalSeconds), etag: `"f${i}-v1"`, lastModified, polls: 1 });
    });
    const feedsOnly = await footprint(c, n);
    say(`  ${n} feeds stored: Redis ${feedsOnly.usedMemoryMB} MB, ${feedsOnly.keys} keys`);

    // The earlier version's shape: one BullMQ job scheduler a feed (its first run after the start).
    let t = Date.now();
    await inChunks(asFile, 100, (f) =>
      c.queues.poll.upsertJobScheduler(`${LEGACY_SCHEDULER_PREFIX}${f.id}`, { every: o.intervalSeconds * 1000, startDate: Date.now() + 10 * o.intervalSeconds * 1000 }, { name: 'poll', data: { feedId: f.id, reason: 'schedule' } }),
    );
    const legacySeconds = (Date.now() - t) / 1000;
    const legacy = await footprint(c, n);
    say(`  earlier shape (a job scheduler a feed), written in ${legacySeconds.toFixed(1)} s: Redis ${legacy.usedMemoryMB} MB, ${legacy.keysPerFeed} keys a feed`);

    // Start: the scheduler role (feeds file read, per-feed schedulers migrated, feeds applied) and the worker role.
    sampler.phase = 'start';
    sampler.start();
    const fetcher = createHttpFeedFetcher({
      allowPrivateAddresses: true,
      perHostConcurrency: o.perHost,
      ...(hosts ? { lookup: async () => [{ address: new URL(farm.url).hostname, family: 4 }] } : {}),
    });
    const startCost = await costMeter(c);
    t = Date.now();
    const app = await startApp(c, { roles: ['scheduler', 'worker'], notifiers: { slack: createRecordingNotifier('slack') }, fetcher, noHttp: true });
    const startSeconds = (Date.now() - t) / 1000;
    const start = await startCost();
    const migrated = await footprint(c, n);
    say(`  start with ${n} feeds (migration included): ${startSeconds.toFixed(1)} s; Redis ${migrated.usedMemoryMB} MB, ${migrated.keysPerFeed} keys a feed`);
    const scheduleBytes = Number(await c.redis.call('MEMORY', 'USAGE', c.keys.feedsDue)) + Number(await c.redis.call('MEMORY', 'USAGE', c.keys.feedsEvery));

    // Warm cycles: every feed due now, then every interval after its poll.
    const groups: { dueAt: number; started: number; finished: number; polled: number; errors: number }[] = [];
    const poll = app.workers.find((w) => w.name === 'poll')!;
    poll.on('completed', (job: Job, r: PollDueResult) => {
      if (job.name !== POLL_DUE_JOB) return;
      groups.push({ dueAt: (job.data as { dueAt: number }).dueAt, started: job.processedOn ?? 0, finished: job.finishedOn ?? Date.now(), polled: r.polled, errors: r.errors });
    });
    const now = Date.now();
    // The first groups run while the schedule is still being written: they belong to cycle 1 (they
    // were left out of it before, e.g. 17,700 of 20,000 feeds counted, 2026-12-06).
    const firstFrom = groups.length;
    const firstCpu0 = process.cpuUsage();
    const firstRedisCpu0 = (await redisInfo(c.redis)).cpuSeconds;
    sampler.phase = 'schedule';
    await inChunks(asFile, 200, (f) => c.scheduler.update(f.id, o.intervalSeconds, now));
    const cycles: Record<string, number | null | Record<string, number>>[] = [];
    // From when every feed is due; a slow (shared) machine gets 20 ms a feed and cycle on top.
    const deadline = Date.now() + (o.cycles + 1) * (o.intervalSeconds * 1000 + Math.max(60_000, n * 20));
    const polledSoFar = () => groups.reduce((s, g) => s + g.polled + g.errors, 0);
    for (let k = 1; k <= o.cycles && Date.now() < deadline; k++) {
      sampler.phase = `warm#${k}`;
      const from = k === 1 ? firstFrom : groups.length;
      const cpu0 = k === 1 ? firstCpu0 : process.cpuUsage();
      const redisCpu0 = k === 1 ? firstRedisCpu0 : (await redisInfo(c.redis)).cpuSeconds;
      while (polledSoFar() < k * n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      const mine = groups.slice(from);
      const first = Math.min(...mine.map((g) => g.dueAt));
      const last = Math.max(...mine.map((g) => g.finished));
      const lags = mine.map((g) => g.started - g.dueAt);
      const polled = mine.reduce((s, g) => s + g.polled, 0);
      // CPU per poll: what the shared machine's load does not inflate (wall-clock figures it does).
      const cpu = process.cpuUsage(cpu0);
      const redisCpu = (await redisInfo(c.redis)).cpuSeconds - redisCpu0;
      const cpuMsPerFeed = { process: round((cpu.user + cpu.system) / 1000 / Math.max(1, polled), 3), redis: round((redisCpu * 1000) / Math.max(1, polled), 3) };
      cycles.push({
        complete: polledSoFar() >= k * n ? 1 : 0,
        seconds: round((last - first) / 1000, 2),
        feedsPerSecond: Math.round(polled / ((last - first) / 1000)),
        polled,
        errors: mine.reduce((s, g) => s + g.errors, 0),
        groups: mine.length,
        lagP50Ms: pct(lags, 50),
        lagP99Ms: pct(lags, 99),
        lagMaxMs: pct(lags, 100),
        cpuMsPerFeed,
      });
      say(`  warm#${k}: ${JSON.stringify(cycles[cycles.length - 1])}`);
    }
    const counts = await c.queues.poll.getJobCounts('wait', 'active', 'delayed', 'failed');
    sampler.stop();
    const heap = liveHeapMB();
    const after = await footprint(c, n);
    await app.stop(10_000);
    // A restart of the scheduler role with the same feeds file: the start a big installation
    // makes at every upgrade or crash, once the earlier version's data is migrated.
    sampler.phase = 'restart';
    sampler.start();
    const restartCost = await costMeter(c);
    t = Date.now();
    const again = await startApp(c, { roles: ['scheduler'], notifiers: { slack: createRecordingNotifier('slack') }, fetcher, noHttp: true });
    const restartSeconds = (Date.now() - t) / 1000;
    const restart = await restartCost();
    await again.stop(10_000);
    sampler.stop();
    say(`  restart of the scheduler role with ${n} feeds: ${restartSeconds.toFixed(1)} s; ${JSON.stringify(restart)}`);
    await fetcher.close().catch(() => {});
    return {
      mode: 'warm-only',
      feeds: n,
      items: spec.items,
      intervalSeconds: o.intervalSeconds,
      perHostConcurrency: o.perHost,
      hosts: hosts || 1,
      startSeconds: round(startSeconds, 2),
      start,
      restartSeconds: round(restartSeconds, 2),
      restart,
      legacySchedulersWriteSeconds: round(legacySeconds, 1),
      redis: { feedsOnly, legacyShape: legacy, afterMigration: migrated, afterCycles: after, scheduleKeysBytes: scheduleBytes, scheduleBytesPerFeed: Math.round(scheduleBytes / n) },
      cycles,
      pollQueueAfter: counts,
      process: { peakRssMB: round(sampler.peakMB, 1), atPeak: sampler.atPeak, liveHeapAfterMB: heap === null ? null : round(heap, 1) },
    };
  } finally {
    sampler.stop();
    await c.close();
  }
}

/** The whole `--warm-only` run: its own farm and (unless REDIS_URL is set) its own throwaway Redis. */
export async function warmOnlyBench(opts: BenchOptions, io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  const say = (s: string) => void (opts.json ? undefined : io.stderr.write(`${s}\n`));
  const dir = mkdtempSync(join(tmpdir(), 'sw-bench-big-'));
  const spec: FarmSpec = { feeds: opts.feeds, items: opts.items, start: Date.now(), seed: 20_220_106 };
  let redis: SpawnedRedis | null = null;
  let farm: FarmProcess | null = null;
  try {
    say(`steppewatch bench --warm-only: ${opts.feeds} feeds × ${opts.items} items, every ${opts.interval} s, ${opts.repeats} cycles; farm and Redis starting…`);
    farm = await startFarmProcess(spec);
    say(`  farm ${farm.url}: ${(farm.heldBytes / 1048576).toFixed(1)} MB of documents rendered in ${(farm.renderMs / 1000).toFixed(1)} s`);
    let redisUrl = process.env.REDIS_URL?.trim() || '';
    if (!redisUrl) {
      redis = await spawnRedis({ dir: join(dir, 'redis'), socket: join(dir, 'redis.sock') });
      redisUrl = redis.url;
    }
    const report = await runWarmOnly({ spec, farm, redisUrl, exclusiveRedis: redis !== null, dir, intervalSeconds: opts.interval, cycles: opts.repeats, perHost: opts.perHost, hosts: opts.hosts, say });
    io.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), ...report })}\n`);
    return report.cycles.length === opts.repeats && report.cycles.every((c) => c.polled === opts.feeds) ? 0 : 1;
  } finally {
    await farm?.close().catch(() => {});
    await redis?.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
