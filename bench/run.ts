// `steppewatch bench`: the pipeline against a loopback feed farm, with its baselines, measured in
// one run. See bench/README.md for what each figure means.
//
// Order: the farm starts in its own process; a throwaway Redis starts (or REDIS_URL is used);
// pipeline sessions run (cold cycles, warm cycles, alert-latency waves, the pacing comparison)
// while this process's RSS is sampled; then the baselines and the analysis-only figure run in a
// fresh process of their own (they neither inherit the pipeline's heap nor add to its peak).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { appendfsyncMode, spawnRedis, type SpawnedRedis } from '../src/adapters/redis/spawn.js';
import type { AnalysisFigure } from './analysis.js';
import { forkRpcChild } from './child.js';
import { startCpuProfile, startHeapSampling } from './cpu-profile.js';
import { startSlowlog } from './redis-slowlog.js';
import { startThreadCpu } from './thread-cpu.js';
import { BENCH_USAGE, BenchUsageError, parseBenchArgs, type BenchOptions } from './args.js';
import type { BaselineRun, LimitOptions, LimitRun } from './baselines.js';
import { startFarmProcess, type FarmProcess } from './farm/client.js';
import { isFresh, type FarmSpec, type ItemMeta } from './farm/content.js';
import { FarmTruth } from './farm/truth.js';
import { latencyWaveItems } from './latency.js';
import {
  ALERT_MAX_AGE_HOURS, checkDeliveries, closeWorkerProcesses, describeProcesses,
  effectiveConcurrency, expectedPosts, latencySamples, openSession, runCycle,
  type CycleResult,
  type DeliveryCheck,
  type LatencySample,
  type Session,
  type SessionOptions,
} from './pipeline.js';
import { liveHeapMB, Released, redisInfo, RssSampler } from './resources.js';
import { checkTargets, central, figureOf, formatCurve, formatTable, latencyFigure, sweepCurve, type BenchReport } from './report.js';
import { benchSubscriptions, maxPostsPerDestination, routingPlan, type RoutingPlan } from './routing.js';
import { round, spread } from './stats.js';
import { scaleOutCycles, scaleOutFigure } from './scale-out.js';
import { stopCensus } from './redis-census.js';
import { measureStoryAssignments, type StoryRate } from './story-rate.js';
import { measureWebStory, type WebStoryFigure } from './web.js';
import { readVersions, redisVersion, saveReport } from './versions.js';
import { ownHeapGrowthFlag } from '../src/main/heap.js';

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Fixed, so that two runs of one size serve the same farm. */
const FARM_SEED = 20_220_106;

export async function runBench(argv: string[], io: Io): Promise<number> {
  let opts: BenchOptions;
  try {
    opts = parseBenchArgs(argv);
  } catch (e) {
    if (!(e instanceof BenchUsageError)) throw e;
    io.stderr.write(`steppewatch bench: ${e.message}\n\n${BENCH_USAGE}\n`);
    return 64;
  }
  const say = (s: string) => {
    if (!opts.json) io.stderr.write(`${s}\n`);
  };
  if (opts.warmOnly) return (await import('./big.js')).warmOnlyBench(opts, io);
  if (opts.sweep) {
    const reports: BenchReport[] = [];
    for (const size of opts.sweep) {
      reports.push(await runOne({ ...opts, feeds: size.feeds, items: size.items ?? opts.items }, say));
      say(`\n${formatTable(reports[reports.length - 1]!)}\n`);
    }
    const result = { sweep: sweepCurve(reports), reports };
    if (opts.save) say(`saved ${saveReport(result, reports[0]!.date)}`);
    if (!opts.json) io.stderr.write(`\n${formatCurve(result.sweep)}\n`);
    io.stdout.write(`${JSON.stringify(result)}\n`);
    return reports.some((r) => (r.detail.incompleteCycles as number) > 0) ? 1 : 0;
  }
  const report = await runOne(opts, say);
  if (opts.save) say(`saved ${saveReport(report, report.date)}`);
  if (!opts.json) io.stderr.write(`\n${formatTable(report)}\n`);
  io.stdout.write(`${JSON.stringify(report)}\n`);
  return (report.detail.incompleteCycles as number) > 0 ? 1 : 0;
}

/** One size: its own farm process and (unless REDIS_URL is set) its own throwaway Redis. */
async function runOne(opts: BenchOptions, say: (s: string) => void): Promise<BenchReport> {
  const dir = mkdtempSync(join(tmpdir(), 'sw-bench-'));
  const spec: FarmSpec = { feeds: opts.feeds, items: opts.items, start: Date.now(), seed: FARM_SEED };
  const plan = routingPlan(opts.destinations, opts.feeds);
  let redis: SpawnedRedis | null = null;
  let farm: FarmProcess | null = null;
  const userRedis = process.env.REDIS_URL?.trim() || '';
  try {
    say(`steppewatch bench: ${opts.feeds} feeds × ${opts.items} items; farm and Redis starting…`);
    farm = await startFarmProcess(spec);
    say(`  farm ${farm.url} (pid ${farm.pid}): ${(farm.heldBytes / 1048576).toFixed(1)} MB of documents rendered in ${(farm.renderMs / 1000).toFixed(1)} s`);
    let redisUrl = userRedis;
    if (!redisUrl) {
      redis = await spawnRedis({ dir: join(dir, 'redis'), socket: join(dir, 'redis.sock') });
      redisUrl = redis.url;
    }
    return await measure(opts, { spec, plan, farm, redisUrl, exclusiveRedis: redis !== null, dir, say });
  } finally {
    await closeWorkerProcesses().catch(() => {});
    await farm?.close().catch(() => {});
    await redis?.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Ctx {
  spec: FarmSpec;
  plan: RoutingPlan;
  farm: FarmProcess;
  redisUrl: string;
  exclusiveRedis: boolean;
  dir: string;
  say(s: string): void;
}

const allFeeds = (n: number) => Array.from({ length: n }, (_, i) => i);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function describeCheck(c: DeliveryCheck): string {
  return `alerts: ${c.delivered} posted of ${c.routed} routed (${c.lost} lost, ${c.duplicates} dup), ground truth ${c.groundTruth.matched}/${c.expected}, ${c.storyMerges} story merges`;
}

function describeCycle(label: string, r: CycleResult, extra = ''): string {
  const cpu = `cpu: pipeline ${r.cpu.pipeline.toFixed(1)} s, redis ${r.cpu.redis.toFixed(1)} s, farm ${r.cpu.farm.toFixed(1)} s, other programs ${r.cpu.other.toFixed(1)} s${describeProcesses(r.processes)}`;
  const failed = Object.keys(r.failed).length ? `, failed ${JSON.stringify(r.failed)}` : '';
  const sent = Object.values(r.clientCommands).reduce((n, e) => n + e.commands, 0);
  const cmds = sent ? `${sent} sent by the pipeline, ${r.redisCommands} run by the server` : `${r.redisCommands} run by the server`;
  return `  ${label}: ${r.seconds.toFixed(2)} s${extra} — polls ${JSON.stringify(r.polls)}; ${cpu}; redis commands: ${cmds}${failed}${r.complete ? '' : ' — INCOMPLETE (timed out)'}`;
}

async function measure(opts: BenchOptions, x: Ctx): Promise<BenchReport> {
  const { spec, plan, farm, say } = x;
  const truth = new FarmTruth(spec);
  const feeds = allFeeds(spec.feeds);
  const conc = effectiveConcurrency(opts.concurrency);
  const subscriptions = benchSubscriptions(plan, new Date()).length;
  let sessionNo = 0;
  const sessionOptions = (paceMs: number, workers = opts.workers): SessionOptions => ({
    redisUrl: x.redisUrl,
    dir: x.dir,
    spec,
    farm,
    plan,
    paceMs,
    perHost: opts.perHost,
    concurrency: opts.concurrency,
    logLevel: process.env.LOG_LEVEL?.trim() || 'warn',
    prefix: `bench-${process.pid}-${sessionNo++}`,
    exclusiveRedis: x.exclusiveRedis,
    census: opts.redisCensus,
    workers,
  });
  const coldTimeout = (paceMs: number) => 120_000 + spec.feeds * spec.items * 10 + maxPostsPerDestination(plan, truth.current()) * paceMs * 2;
  const progress = opts.json ? undefined : say;
  const sampler = new RssSampler();
  let workersPeakMB = 0; // the worker processes' peak RSS (sum over processes), MB, over every session
  let heapGrowth: number | string | null = null; // the worker role's heap growth in the pipeline process (src/main/heap.ts): percent, or the operator's own node flag
  const closedSessions = new Released();
  const closeSession = async (s: Session) => {
    heapGrowth ??= ownHeapGrowthFlag() ?? s.c.config.HEAP_GROWTH_PERCENT;
    workersPeakMB = Math.max(workersPeakMB, (await s.extraPeakRssMB().catch(() => [] as number[])).reduce((a, b) => a + b, 0));
    await s.close();
    closedSessions.add(s.c);
  };
  const checks: { phase: string; check: DeliveryCheck }[] = [];
  const cold: CycleResult[] = [];
  const warm: CycleResult[] = [];
  const waves: { items: number; cycle: CycleResult; check: DeliveryCheck; samples: LatencySample[]; missing: number }[] = [];
  let redisAfterCold = { usedMemoryMB: Number.NaN, usedMemoryPeakMB: Number.NaN };
  let redisMemoryPeakMB = 0;
  let incompleteCycles = 0;
  const liveHeapAfterCold: (number | null)[] = [];

  /** A cold cycle on a fresh session: every feed new. */
  const coldCycle = async (s: Session, label: string) => {
    sampler.phase = label;
    const t0 = Date.now();
    const expected = expectedPosts(plan, truth.current(), (m: ItemMeta) => isFresh(m, t0, ALERT_MAX_AGE_HOURS));
    const r = await runCycle(s, farm, feeds, label, { timeoutMs: coldTimeout(s.paceMs), progress });
    if (!r.complete) incompleteCycles += 1;
    const check = checkDeliveries(s, expected);
    checks.push({ phase: label, check });
    say(describeCycle(label, r, `, ${Math.round((spec.feeds * spec.items) / r.seconds)} articles/s, ${describeCheck(check)}`));
    return { r, check };
  };

  const rssBeforeMB = process.memoryUsage.rss() / 1048576;
  const loadBefore = loadavg();
  sampler.start();
  say(`pipeline: ${opts.workers} process(es), ${subscriptions} channels over ${plan.slices} outlet slices, pace ${opts.paceMs} ms, per-host ${opts.perHost}, concurrency ${JSON.stringify(conc)} per process`);
  // Each session in a function of its own: a session held in a variable of this (async) function stays reachable from its suspended frame after it closed, so the next session ran beside the last one's pipeline (its caches, mirror, stores: +70 MB live at 2,000 feeds in the pacing run).
  for (let rep = 0; rep < opts.coldRepeats; rep++) await (async () => {
    const s = await openSession(sessionOptions(opts.paceMs));
    try {
      // STEPPEWATCH_BENCH_COLD_PROFILE=<dir>: a CPU profile of this process over each cold cycle alone.
      const coldProfDir = process.env.STEPPEWATCH_BENCH_COLD_PROFILE?.trim();
      const stopColdProfile = coldProfDir ? await startCpuProfile() : null;
      const allocDir = process.env.STEPPEWATCH_BENCH_COLD_ALLOC?.trim(); // <dir>: what this process allocates (cpu-profile.ts)
      const stopAlloc = allocDir ? await startHeapSampling() : null;
      // STEPPEWATCH_BENCH_COLD_SLOWLOG=<file>: Redis's time by script over each cold cycle (redis-slowlog.ts), as JSON.
      const slowlogFile = process.env.STEPPEWATCH_BENCH_COLD_SLOWLOG?.trim();
      const stopSlowlog = slowlogFile ? await startSlowlog(s.c.redis) : null;
      // STEPPEWATCH_BENCH_COLD_THREADS=<file>: this process's CPU by thread over each cold cycle (thread-cpu.ts), as JSON.
      const threadsFile = process.env.STEPPEWATCH_BENCH_COLD_THREADS?.trim();
      const stopThreads = threadsFile ? startThreadCpu() : null;
      const { r } = await coldCycle(s, `cold#${rep + 1}`);
      await stopColdProfile?.(join(coldProfDir!, `cold-${spec.feeds}x${spec.items}-${rep + 1}.cpuprofile`));
      await stopAlloc?.(join(allocDir!, `cold-${spec.feeds}x${spec.items}-${rep + 1}.heapprofile`));
      if (stopThreads) writeFileSync(`${threadsFile!}.${rep + 1}.json`, JSON.stringify(stopThreads(), null, 1));
      if (stopSlowlog) writeFileSync(`${slowlogFile!}.${rep + 1}.json`, JSON.stringify(await stopSlowlog(), null, 1));
      cold.push(r);
      liveHeapAfterCold.push(liveHeapMB());
      // STEPPEWATCH_BENCH_HEAP_SNAPSHOT=<dir>: a heap snapshot of the pipeline process after each cold
      // cycle (what it holds; compare two sizes to see what grows). It pauses the pipeline and raises RSS.
      const snapDir = process.env.STEPPEWATCH_BENCH_HEAP_SNAPSHOT?.trim();
      if (snapDir) say(`  heap snapshot: ${writeHeapSnapshot(join(snapDir, `cold-${spec.feeds}x${spec.items}-${rep + 1}.heapsnapshot`))}`);
      const info = await redisInfo(s.c.redis);
      redisAfterCold = info;
      if (rep < opts.coldRepeats - 1) {
        redisMemoryPeakMB = Math.max(redisMemoryPeakMB, info.usedMemoryPeakMB);
        return;
      }
      // Warm cycles: nothing changed since the cold cycle, every feed answers 304.
      // STEPPEWATCH_BENCH_WARM_PROFILE=<dir>: a CPU profile of this process over each warm cycle alone.
      const profDir = process.env.STEPPEWATCH_BENCH_WARM_PROFILE?.trim();
      for (let w = 0; w < opts.repeats; w++) {
        sampler.phase = `warm#${w + 1}`;
        const stopProfile = profDir ? await startCpuProfile() : null;
        const r2 = await runCycle(s, farm, feeds, `warm${rep}-${w}`, { timeoutMs: 120_000 + spec.feeds * 20, progress, via: 'due' });
        await stopProfile?.(join(profDir!, `warm-${spec.feeds}-${w + 1}.cpuprofile`));
        if (!r2.complete) incompleteCycles += 1;
        warm.push(r2);
        say(describeCycle(`warm#${w + 1}`, r2, `, ${Math.round(spec.feeds / r2.seconds)} feeds/s`));
      }
      // Alert-latency waves: new Central Asia items on some feeds, then a cycle over all feeds.
      for (let w = 0; w < opts.repeats; w++) {
        // Let every channel's pacing slot lapse, so a wave measures the pipeline, not the pace.
        await sleep(opts.paceMs + 200);
        const items = latencyWaveItems(spec, plan, { wave: w, count: opts.latencyItems, publishedMs: Date.now(), nextSeq: (f) => truth.nextSeq(f) });
        await farm.publish(items);
        truth.publish(items);
        const since = Date.now();
        const expected = expectedPosts(plan, items, () => true);
        sampler.phase = `latency#${w + 1}`;
        const r3 = await runCycle(s, farm, feeds, `latency${w}`, { timeoutMs: 120_000 + spec.feeds * 20, progress, via: 'due' });
        if (!r3.complete) incompleteCycles += 1;
        const check = checkDeliveries(s, expected, since);
        checks.push({ phase: `latency#${w + 1}`, check });
        const { samples, missing } = latencySamples(s, since);
        waves.push({ items: items.length, cycle: r3, check, samples, missing });
        const lat = samples.map((q) => q.totalMs).sort((a, b) => a - b);
        say(describeCycle(`latency#${w + 1}`, r3, `, ${items.length} new items, ${describeCheck(check)}, latency ${lat[0] ?? '-'}–${lat[lat.length - 1] ?? '-'} ms`));
      }
      redisMemoryPeakMB = Math.max(redisMemoryPeakMB, (await redisInfo(s.c.redis)).usedMemoryPeakMB);
    } finally {
      await closeSession(s);
    }
  })();
  // Pacing's own effect: one more cold cycle at the other pace.
  const maxPosts = maxPostsPerDestination(plan, [...truth.current()].filter((m) => isFresh(m, Date.now(), ALERT_MAX_AGE_HOURS)));
  const compared: { paceMs: number; seconds: number; cycle: CycleResult } | null = !opts.pacingRun ? null : await (async () => {
    const otherPace = opts.paceMs === 0 ? 1000 : 0;
    const s = await openSession(sessionOptions(otherPace));
    try {
      const { r } = await coldCycle(s, `cold@pace${otherPace}`);
      redisMemoryPeakMB = Math.max(redisMemoryPeakMB, (await redisInfo(s.c.redis)).usedMemoryPeakMB);
      return { paceMs: otherPace, seconds: r.seconds, cycle: r };
    } finally {
      await closeSession(s);
    }
  })();
  // Scale-out's own effect (scale-out.ts): one process, then all N, both warm, each on a fresh session.
  const runAt = async (n: number, label: string) => {
    const s = await openSession(sessionOptions(0, n));
    try {
      return (await coldCycle(s, label)).r;
    } finally {
      await closeSession(s);
    }
  };
  const pair = opts.workers > 1 ? await scaleOutCycles(opts.workers, runAt) : null;
  sampler.stop();
  stopCensus();
  // With worker processes: each process's peak added up (an upper bound: peaks need not coincide).
  const peakRssMB = sampler.peakMB + workersPeakMB;
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  if (opts.workers > 1) say(`  peak RSS of the ${opts.workers - 1} worker process(es): ${workersPeakMB.toFixed(0)} MB together`);
  say(`  live heap after each cold cycle (full GC): ${liveHeapAfterCold.map((x) => (x === null ? '?' : `${x.toFixed(0)} MB`)).join(', ')}`);
  say(`  peak RSS of this process over the pipeline sessions: ${sampler.peakMB.toFixed(0)} MB (sampled; ${rssBeforeMB.toFixed(0)} MB before the first session; at the peak ${JSON.stringify(sampler.atPeak)}), ${maxRssMB.toFixed(0)} MB (getrusage max)`);

  // Baselines on the same farm, and the analysis alone, in a fresh process of their own.
  const urls = feeds.map((i) => farm.feedUrl(i));
  const limitCold: BaselineRun[] = [];
  const limitWarm: BaselineRun[] = [];
  const fxpCold: BaselineRun[] = [];
  const naive: BaselineRun[] = [];
  let analysis: AnalysisFigure;
  let storyRate: StoryRate | null = null;
  const side = forkRpcChild(new URL('./baseline-child.js', import.meta.url));
  try {
    const runLimit = (o: LimitOptions) => side.call<LimitRun>('limit', { options: o });
    if (!opts.skipBaselines) {
      for (let r = 0; r < opts.repeats; r++) {
        const c1 = await runLimit({ urls, concurrency: opts.perHost, parser: 'rss-parser' });
        limitCold.push(c1);
        const w1 = await runLimit({ urls, concurrency: opts.perHost, parser: 'rss-parser', validators: c1.validators });
        limitWarm.push(w1);
        const f1 = await runLimit({ urls, concurrency: opts.perHost, parser: 'fast-xml-parser' });
        fxpCold.push(f1);
        say(`  limit#${r + 1}: cold ${c1.seconds.toFixed(2)} s (${c1.items} items, ${c1.errors} errors), warm ${w1.seconds.toFixed(2)} s (${w1.feeds} × 304), fast-xml-parser cold ${f1.seconds.toFixed(2)} s`);
      }
      for (let r = 0; r < opts.repeats; r++) {
        const n1 = await side.call<BaselineRun>('naive', { urls });
        naive.push(n1);
        say(`  naive#${r + 1}: ${n1.seconds.toFixed(2)} s (${n1.items} items, ${n1.errors} errors)`);
      }
    }
    say(`analysis alone: ${opts.analyzeSample} articles × ${opts.repeats} passes…`);
    analysis = await side.call<AnalysisFigure>('analysis', { spec, options: { sample: opts.analyzeSample, repeats: opts.repeats, minRelevance: 0.3 } });
    say(`  ${analysis.runs.map((r) => Math.round(r)).join(', ')} articles/s; ground truth: ${JSON.stringify(analysis.agreement)}`);
    // --skip-baselines measures the pipeline only: the story store's own figure is skipped too.
    if (!opts.skipBaselines && !opts.skipStoryRate) say('story assignment: assignMany over a warm index of 40,000 stored articles…');
    if (!opts.skipBaselines && !opts.skipStoryRate) storyRate = await measureStoryAssignments({ redisUrl: x.redisUrl });
    if (storyRate) say(`  ${storyRate.storyAssignmentsPerSecond} articles/s on one core (client ${storyRate.clientCpuUsPerArticle} µs + Redis ${storyRate.redisCpuUsPerArticle} µs CPU each; wall ${storyRate.wallPerSecond}/s)`);
  } finally {
    await side.close();
  }

  let webStoryMs: WebStoryFigure | null = null;
  if (opts.webArticles > 0) {
    say(`web view: ${opts.webArticles} stored articles, then story pages and searches…`);
    webStoryMs = await measureWebStory({ redisUrl: x.redisUrl, articles: opts.webArticles, say });
    say(`  story page p50 ${webStoryMs.story.p50} ms, p99 ${webStoryMs.story.p99} ms; search p50 ${webStoryMs.search.p50} ms, p99 ${webStoryMs.search.p99} ms`);
  }
  const articles = spec.feeds * spec.items;
  const coldSeconds = spread(cold.map((r) => r.seconds));
  const warmSeconds = spread(warm.map((r) => r.seconds));
  const latency = latencyFigure({ samples: waves.flatMap((w) => w.samples), perWave: waves.map((w) => w.samples) });
  const limitColdSpread = spread(limitCold.map((r) => r.seconds));
  const total = (f: (c: DeliveryCheck) => number) => sum(checks.map((c) => f(c.check)));
  const totals = {
    expected: total((c) => c.expected),
    routed: total((c) => c.routed),
    delivered: total((c) => c.delivered),
    lost: total((c) => c.lost),
    unplanned: total((c) => c.unplanned),
    duplicates: total((c) => c.duplicates),
    groundTruth: { matched: total((c) => c.groundTruth.matched), missing: total((c) => c.groundTruth.missing), extra: total((c) => c.groundTruth.extra) },
    storyMerges: total((c) => c.storyMerges),
  };
  const analyzeSpread = spread(analysis.runs);
  const versions = readVersions();
  versions.redis = await redisVersion(x.redisUrl);
  const floorSeconds = (Math.max(0, maxPosts - 1) * opts.paceMs) / 1000;
  const pace0Seconds = opts.paceMs === 0 ? coldSeconds.median : compared?.paceMs === 0 ? compared.seconds : null;
  const scaleOut = pair ? scaleOutFigure(opts.workers, pair, opts.paceMs === 0 ? cold[cold.length - 1]! : (compared?.cycle ?? null)) : null;

  return {
    feeds: spec.feeds,
    items: spec.items,
    cpus: cpus().length,
    versions,
    date: new Date().toISOString(),
    machine: {
      cpuModel: cpus()[0]?.model ?? 'unknown',
      totalMemoryMB: Math.round(totalmem() / 1048576),
      platform: `${process.platform}-${process.arch}`,
      // 1-minute load averages: above ~0.5 before the run, something else was using the machine.
      loadAverageBefore: round(loadBefore[0]!, 2),
      loadAverageAfter: round(loadavg()[0]!, 2),
    },
    settings: {
      perHostConcurrency: opts.perHost,
      concurrency: conc,
      workers: opts.workers,
      /** V8's heap growth past the live data in the pipeline processes, percent (HEAP_GROWTH_PERCENT; 0 = V8's own policy). */
      heapGrowthPercent: heapGrowth,
      paceMs: opts.paceMs,
      destinations: opts.destinations,
      subscriptions,
      outletSlices: plan.slices,
      repeats: opts.repeats,
      coldRepeats: opts.coldRepeats,
      latencyItemsPerWave: opts.latencyItems,
      analyzeSample: analysis.articles,
      alertMaxAgeHours: ALERT_MAX_AGE_HOURS,
      redis: x.exclusiveRedis ? `embedded redis-server (AOF ${appendfsyncMode()}, noeviction), Unix socket` : 'REDIS_URL (shared; used_memory includes other data)',
      farm: 'separate process on 127.0.0.1, documents pre-rendered, no compression',
    },
    coldCycle: {
      seconds: figureOf(coldSeconds),
      pace0Seconds: pace0Seconds === null ? null : round(pace0Seconds, 2),
      /** With --workers N > 1: the pace-0 cold cycle of one process against all N (null otherwise). */
      scaleOut,
      articlesPerSecond: figureOf(spread(cold.map((r) => articles / r.seconds)), 0), articles },
    warmCycle: {
      seconds: figureOf(warmSeconds, 3),
      feedsPerSecond: figureOf(spread(warm.map((r) => spec.feeds / r.seconds)), 0),
      // Beside the median, not taken out of it: the first warm cycle after a cold one pays JIT warm-up and GC.
      firstSeconds: warm[0] ? round(warm[0].seconds, 3) : null,
      // Process CPU per 304 of the pipeline's processes (what a shared machine's load inflates least).
      cpuMsPerFeed: figureOf(spread(warm.map((r) => (r.cpu.pipeline * 1000) / spec.feeds)), 3),
    },
    analyzeArticlesPerSecond: figureOf(analyzeSpread, 0),
    storyAssignmentsPerSecond: storyRate?.storyAssignmentsPerSecond ?? null,
    storyAssignment: storyRate,
    webStoryMs,
    trends: await (await import('./counters.js')).measureCounters({ redisUrl: x.redisUrl, cold, coldArticles: articles }),
    alertLatencyMs: latency,
    peakRssMB: round(peakRssMB, 1),
    redisUsedMemoryMB: round(redisAfterCold.usedMemoryMB, 1),
    redisUsedMemoryPeakMB: round(Math.max(redisMemoryPeakMB, redisAfterCold.usedMemoryPeakMB), 1),
    alertsExpected: totals.expected,
    alertsRouted: totals.routed,
    alertsDelivered: totals.delivered,
    duplicates: totals.duplicates,
    alertsLost: totals.lost,
    alertsUnplanned: totals.unplanned,
    groundTruth: { ...totals.groundTruth, storyMerges: totals.storyMerges },
    baselines: {
      limit: limitCold.length
        ? {
            coldSeconds: figureOf(limitColdSpread),
            warmSeconds: figureOf(spread(limitWarm.map((r) => r.seconds)), 3),
            articlesPerSecond: figureOf(spread(limitCold.map((r) => r.items / r.seconds)), 0),
            fastXmlParserColdSeconds: figureOf(spread(fxpCold.map((r) => r.seconds))),
          }
        : null,
      naive: naive.length ? { coldSeconds: figureOf(spread(naive.map((r) => r.seconds))) } : null,
    },
    pacingEffect: {
      paceMs: opts.paceMs,
      maxPostsPerDestination: maxPosts,
      floorSeconds,
      comparedPaceMs: compared?.paceMs ?? null,
      coldSecondsCompared: compared ? round(compared.seconds, 2) : null,
    },
    targets: checkTargets({
      coldSeconds: coldSeconds.median,
      coldPace0Seconds: pace0Seconds,
      limitColdSeconds: limitCold.length ? limitColdSpread.median : null,
      warmFeedsPerSecond: central(figureOf(spread(warm.map((r) => spec.feeds / r.seconds)))),
      analyzePerSecond: analyzeSpread.median,
      latencyP99: latency.p99,
      peakRssMB,
      feeds: spec.feeds,
      lost: totals.lost + totals.unplanned,
      duplicates: totals.duplicates,
    }),
    detail: {
      incompleteCycles,
      maxRssMB: round(maxRssMB, 1),
      rssBeforePipelineMB: round(rssBeforeMB, 1),
      benchProcessPeakRssMB: round(sampler.peakMB, 1),
      // After a forced full GC at the end of each cold cycle: what the process really holds.
      liveHeapAfterColdMB: liveHeapAfterCold.map((x) => (x === null ? null : round(x, 1))),
      closedSessionsHeld: closedSessions.stillHeld(), // closed sessions still reachable after a full GC: 0
      workerProcessesPeakRssMB: round(workersPeakMB, 1),
      memoryAtPeakMB: sampler.atPeak,
      farm: { renderSeconds: round(farm.renderMs / 1000, 2), documentsMB: round(farm.heldBytes / 1048576, 1), meanDocumentKB: round(farm.heldBytes / spec.feeds / 1024, 1) },
      analysis: { meanTextBytes: Math.round(analysis.meanTextBytes), agreement: analysis.agreement },
      deliveries: checks,
      cold: cold.map(cycleDetail),
      warm: warm.map(cycleDetail),
      latencyWaves: waves.map((w) => ({ items: w.items, missingTimings: w.missing, ...cycleDetail(w.cycle) })),
      baselines: { limitCold: limitCold.map(baselineDetail), limitWarm: limitWarm.map(baselineDetail), fastXmlParserCold: fxpCold.map(baselineDetail), naive: naive.map(baselineDetail) },
    },
  };
}

function cycleDetail(r: CycleResult) {
  return {
    seconds: round(r.seconds, 3),
    polls: r.polls,
    analyse: r.analyse,
    deliver: r.deliver,
    failed: r.failed,
    cpuSeconds: { pipeline: round(r.cpu.pipeline, 2), redis: round(r.cpu.redis, 2), farm: round(r.cpu.farm, 2), otherPrograms: round(r.cpu.other, 2) },
    redisCommands: r.redisCommands, redisIo: r.redisIo,
    clientCommands: r.clientCommands,
    topClientCommands: r.topClientCommands,
    topRedisCommands: r.topCommands,
    complete: r.complete,
    ...(r.timeline ? { timeline: r.timeline } : {}),
    processes: r.processes,
  };
}

function baselineDetail(r: BaselineRun) {
  return { seconds: round(r.seconds, 3), feeds: r.feeds, items: r.items, errors: r.errors };
}
