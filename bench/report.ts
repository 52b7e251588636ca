// The bench's result: one JSON object (the issue's shape, plus settings and detail) and a
// readable table of it. Pure: measurements in, report out.
import type { StoryRate } from './story-rate.js';
import type { LatencySample } from './pipeline.js';
import { central, median, percentile, reportSpread, round, spread, type Spread } from './stats.js';
import type { WebStoryFigure } from './web.js';
import type { ScaleOutFigure } from './scale-out.js';

type Figure = number | { median: number; min: number; max: number; runs: number[] };

/** The cold cycle at pace 0 with one pipeline process against N (bench --workers N; scale-out.ts). */
export type ScaleOut = ScaleOutFigure;

export interface BenchReport {
  feeds: number;
  items: number;
  cpus: number;
  versions: Record<string, string>;
  date: string;
  machine: { cpuModel: string; totalMemoryMB: number; platform: string; loadAverageBefore: number; loadAverageAfter: number };
  settings: {
    perHostConcurrency: number;
    /** Per pipeline process. */
    concurrency: { poll: number; analyse: number; deliver: number };
    /** Pipeline processes (the bench's own and worker processes). */
    workers: number;
    /** V8 heap growth of the pipeline processes, percent (or the operator's own node flag); null in results saved before it was reported. */
    heapGrowthPercent?: number | string | null;
    paceMs: number;
    destinations: number;
    subscriptions: number;
    outletSlices: number;
    repeats: number;
    coldRepeats: number;
    latencyItemsPerWave: number;
    analyzeSample: number;
    alertMaxAgeHours: number;
    redis: string;
    farm: string;
  };
  /**
   * `seconds` at the run's pace (`settings.paceMs`); `pace0Seconds` with channel pacing off (the
   * pipeline's own pace: Slack and Discord allow ~1 message/s per channel, which the paced figure
   * includes), null when no cycle ran at pace 0. `scaleOut` (with --workers N > 1): the pace-0
   * cold cycle of this process alone against that of all N, and the CPU per article of each.
   */
  coldCycle: { seconds: Figure; pace0Seconds: number | null; scaleOut?: ScaleOut | null; articlesPerSecond: Figure; articles: number };
  /** `firstSeconds`: the first warm cycle of the run (also in the median); `cpuMsPerFeed`: pipeline process CPU per 304. */
  warmCycle: { seconds: Figure; feedsPerSecond: Figure; firstSeconds?: number | null; cpuMsPerFeed?: Figure };
  analyzeArticlesPerSecond: Figure;
  /** Story assignment (assignMany) over 40,000 stored articles, articles/s of one core (bench/story-rate.ts); null when not measured. */
  storyAssignmentsPerSecond?: number | null;
  storyAssignment?: StoryRate | null;
  /** The web view's server time at size (bench/web.ts); null when skipped (--web-articles 0). */
  webStoryMs?: WebStoryFigure | null;
  alertLatencyMs: {
    /** Over the alerts of the waves, except those their channel's pacing held back (see `paced`). */
    p50: number;
    p99: number;
    max: number;
    samples: number;
    perWaveP99: Figure;
    /** Every alert of the waves, those that waited for their channel's pacing slot included. */
    withPacing: { p50: number; p99: number; max: number; samples: number };
    /** Alerts posted while, or just after, another post went to the same channel. */
    paced: number;
    /**
     * Alerts whose deliver job sat in the delayed set (waited ≥ 500 ms before its posting attempt):
     * the settle delay of an alert from a poll with several new items (SETTLE_MS in
     * jobs/analyse.ts), pacing, or a follow-up waiting for its story's first post. `direct` is the
     * latency of the others: the pipeline's own path.
     */
    heldInDeliver: number;
    direct: { p50: number; p99: number; samples: number };
    /** Where the time goes, per part (each part's own percentile; they do not add up at p99). */
    breakdownP50: Record<string, number | null>;
    breakdownP99: Record<string, number | null>;
  };
  peakRssMB: number;
  redisUsedMemoryMB: number;
  redisUsedMemoryPeakMB: number;
  /** (channel, item) pairs the farm's ground truth and the subscriptions call for. */
  alertsExpected: number;
  /** (channel, article) pairs the analyse jobs planned to post. */
  alertsRouted: number;
  /** Distinct (channel, article) pairs posted. */
  alertsDelivered: number;
  duplicates: number;
  /** Routed and never posted. */
  alertsLost: number;
  /** Posted without an analyse job planning it. */
  alertsUnplanned: number;
  /** Ground truth vs posts; mismatches come from story merges (a merged story routes as one) or analysis misses. */
  groundTruth: { matched: number; missing: number; extra: number; storyMerges: number };
  baselines: {
    limit: { coldSeconds: Figure; warmSeconds: Figure; articlesPerSecond: Figure; fastXmlParserColdSeconds: Figure } | null;
    naive: { coldSeconds: Figure } | null;
  };
  pacingEffect: {
    paceMs: number;
    maxPostsPerDestination: number;
    /** The last alert of the busiest channel cannot leave before (posts − 1) × pace. */
    floorSeconds: number;
    comparedPaceMs: number | null;
    coldSecondsCompared: number | null;
  };
  targets: Record<string, { goal: string; value: string; met: boolean | null }>;
  detail: Record<string, unknown>;
}

export interface LatencyInput {
  samples: (Omit<LatencySample, 'paced'> & { paced?: boolean })[];
  /** Samples of each wave. */
  perWave: LatencyInput['samples'][];
}

/** A deliver job that waited this long before its posting attempt was moved to the delayed set. */
const HELD_MS = 500;

export function latencyFigure(l: LatencyInput): BenchReport['alertLatencyMs'] {
  const free = l.samples.filter((s) => !s.paced);
  const direct = free.filter((s) => (s.deliverWaitMs ?? 0) < HELD_MS);
  const totals = free.map((s) => s.totalMs);
  const all = l.samples.map((s) => s.totalMs);
  const part = (k: 'pollRestMs' | 'analyseWaitMs' | 'analyseRunMs' | 'deliverWaitMs' | 'deliverRunMs', p: number) => {
    const xs = free.map((s) => s[k]).filter((x): x is number => x !== null);
    return xs.length ? round(percentile(xs, p), 1) : null;
  };
  const breakdown = (p: number) => ({
    pollRestMs: part('pollRestMs', p),
    analyseWaitMs: part('analyseWaitMs', p),
    analyseRunMs: part('analyseRunMs', p),
    deliverWaitMs: part('deliverWaitMs', p),
    deliverRunMs: part('deliverRunMs', p),
  });
  return {
    p50: round(percentile(totals, 50), 1),
    p99: round(percentile(totals, 99), 1),
    max: round(totals.length ? Math.max(...totals) : Number.NaN, 1),
    samples: totals.length,
    perWaveP99: reportSpread(
      spread(
        l.perWave
          .map((w) => w.filter((s) => !s.paced).map((s) => s.totalMs))
          .filter((w) => w.length)
          .map((w) => percentile(w, 99)),
      ),
      1,
    ),
    withPacing: { p50: round(percentile(all, 50), 1), p99: round(percentile(all, 99), 1), max: round(all.length ? Math.max(...all) : Number.NaN, 1), samples: all.length },
    paced: l.samples.length - free.length,
    heldInDeliver: free.length - direct.length,
    direct: { p50: round(percentile(direct.map((s) => s.totalMs), 50), 1), p99: round(percentile(direct.map((s) => s.totalMs), 99), 1), samples: direct.length },
    breakdownP50: breakdown(50),
    breakdownP99: breakdown(99),
  };
}

export interface TargetInputs {
  coldSeconds: number;
  /** The cold cycle with pacing off: what the 3 × limit goal judges (null: judge `coldSeconds`). */
  coldPace0Seconds: number | null;
  limitColdSeconds: number | null;
  warmFeedsPerSecond: number;
  analyzePerSecond: number;
  latencyP99: number;
  peakRssMB: number;
  feeds: number;
  lost: number;
  duplicates: number;
}

/** The issue's goals for a 2-core machine, checked against the medians. */
export function checkTargets(t: TargetInputs): BenchReport['targets'] {
  const pace0 = t.coldPace0Seconds !== null;
  const ratio = t.limitColdSeconds ? (t.coldPace0Seconds ?? t.coldSeconds) / t.limitColdSeconds : null;
  return {
    coldWithin3xLimit: {
      goal: `cold cycle${pace0 ? ' at pace 0' : ''} ≤ 3 × limit cold`,
      value: ratio === null ? 'no baseline' : `${round(ratio, 2)} ×`,
      met: ratio === null ? null : ratio <= 3,
    },
    warmFeedsPerSecond: { goal: '≥ 3000 feeds/s', value: `${Math.round(t.warmFeedsPerSecond)} feeds/s`, met: t.warmFeedsPerSecond >= 3000 },
    analyzeArticlesPerSecond: { goal: '≥ 3000 articles/s on one core', value: `${Math.round(t.analyzePerSecond)} articles/s`, met: t.analyzePerSecond >= 3000 },
    alertLatencyP99: { goal: '< 500 ms', value: `${round(t.latencyP99, 0)} ms`, met: Number.isFinite(t.latencyP99) ? t.latencyP99 < 500 : null },
    peakRss: { goal: '≤ 400 MB at 2000 feeds', value: `${Math.round(t.peakRssMB)} MB`, met: t.feeds >= 2000 ? t.peakRssMB <= 400 : null },
    noLostNoDuplicate: { goal: '0 lost, 0 duplicate alerts', value: `${t.lost} lost, ${t.duplicates} duplicate`, met: t.lost === 0 && t.duplicates === 0 },
  };
}

export const figureOf = (s: Spread, digits = 2): Figure => reportSpread(s, digits);
export { central };

const fmt = (x: Figure, unit: string, digits = 2): string => {
  if (typeof x === 'number') return `${round(x, digits)} ${unit}`.trim();
  return `${round(x.median, digits)} ${unit} (${round(x.min, digits)}–${round(x.max, digits)})`.trim();
};

/** A plain-text table of the report, for stderr. */
export function formatTable(r: BenchReport): string {
  const rows: [string, string, string][] = [];
  const t = r.targets;
  const mark = (k: string) => {
    const x = t[k];
    return x ? `${x.goal}${x.met === null ? '' : x.met ? '  ✓' : '  ✗ missed'}` : '';
  };
  const pace0 = r.coldCycle.pace0Seconds !== null && r.settings.paceMs !== 0 ? `; at pace 0 ${round(r.coldCycle.pace0Seconds, 2)} s` : '';
  rows.push(['cold cycle', `${fmt(r.coldCycle.seconds, 's')}, ${fmt(r.coldCycle.articlesPerSecond, 'articles/s', 0)}${pace0}`, mark('coldWithin3xLimit')]);
  const so = r.coldCycle.scaleOut;
  if (so) rows.push([`scale-out (${so.workers} processes)`, `${so.speedup} × (pace 0: ${so.oneProcessSeconds} s with one process, ${so.pace0Seconds} s with ${so.workers})`, '≥ 1.4 × on 2 cores']);
  rows.push(['warm cycle (all 304)', `${fmt(r.warmCycle.seconds, 's')}, ${fmt(r.warmCycle.feedsPerSecond, 'feeds/s', 0)}`, mark('warmFeedsPerSecond')]);
  if (r.webStoryMs) rows.push(['web view: story page / search', `p99 ${r.webStoryMs.story.p99} / ${r.webStoryMs.search.p99} ms at ${r.webStoryMs.articles} articles`, `< 50 ms server time${r.webStoryMs.p99 < 50 ? '  ✓' : '  ✗ missed'}`]);
  rows.push(['analysis alone, 1 core', fmt(r.analyzeArticlesPerSecond, 'articles/s', 0), mark('analyzeArticlesPerSecond')]);
  const sa = r.storyAssignment;
  if (sa) rows.push(['story assignment, 1 core', `${sa.storyAssignmentsPerSecond} articles/s (client ${sa.clientCpuUsPerArticle} µs + Redis ${sa.redisCpuUsPerArticle} µs CPU; ${sa.warmArticles} stored, batches of ${sa.batch}; wall ${sa.wallPerSecond}/s)`, '≥ 3000 articles/s']);
  const lat = r.alertLatencyMs;
  rows.push(['alert latency', `p50 ${lat.p50} ms, p99 ${lat.p99} ms (n=${lat.samples})`, mark('alertLatencyP99')]);
  if (lat.heldInDeliver > 0) rows.push(['  not held in delivery', `p50 ${lat.direct.p50} ms, p99 ${lat.direct.p99} ms (n=${lat.direct.samples}; ${lat.heldInDeliver} waited in the delayed set)`, '']);
  if (lat.paced > 0) rows.push(['  with channel pacing', `p50 ${lat.withPacing.p50} ms, p99 ${lat.withPacing.p99} ms (n=${lat.withPacing.samples}; ${lat.paced} held by their channel's pace)`, '']);
  rows.push([r.settings.workers > 1 ? 'peak RSS (pipeline processes)' : 'peak RSS (pipeline process)', `${r.peakRssMB} MB; Redis used_memory ${r.redisUsedMemoryMB} MB (peak ${r.redisUsedMemoryPeakMB})`, mark('peakRss')]);
  rows.push(['alerts', `${r.alertsDelivered} posted of ${r.alertsRouted} routed: ${r.alertsLost} lost, ${r.duplicates} duplicate`, mark('noLostNoDuplicate')]);
  const g = r.groundTruth;
  rows.push(['  against the farm\'s ground truth', `${g.matched}/${r.alertsExpected} expected posted, ${g.missing} missing, ${g.extra} extra (${g.storyMerges} story merges)`, '']);
  const lim = r.baselines.limit;
  if (lim) {
    rows.push(['baseline limit: fetch + rss-parser', `cold ${fmt(lim.coldSeconds, 's')} (${fmt(lim.articlesPerSecond, 'articles/s', 0)}), warm ${fmt(lim.warmSeconds, 's')}`, '']);
    rows.push(['  same with fast-xml-parser', `cold ${fmt(lim.fastXmlParserColdSeconds, 's')}`, '']);
  }
  if (r.baselines.naive) rows.push(['baseline naive: parseURL loop', `cold ${fmt(r.baselines.naive.coldSeconds, 's')}`, '']);
  const p = r.pacingEffect;
  rows.push([
    `pacing (${p.paceMs} ms/channel)`,
    `busiest channel ${p.maxPostsPerDestination} posts → floor ${p.floorSeconds} s` + (p.coldSecondsCompared !== null ? `; cold at ${p.comparedPaceMs} ms pace: ${p.coldSecondsCompared} s` : ''),
    '',
  ]);
  const w = [0, 1].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: [string, string, string]) => `${row[0].padEnd(w[0]!)}  ${row[1].padEnd(w[1]!)}  ${row[2]}`.trimEnd();
  const s = r.settings;
  return [
    `steppewatch bench — ${r.feeds} feeds × ${r.items} items, ${r.cpus} cpus, node ${r.versions.node}, redis ${r.versions.redis}`,
    `machine: ${r.machine.cpuModel}, ${r.machine.totalMemoryMB} MB; load average ${r.machine.loadAverageBefore} before, ${r.machine.loadAverageAfter} after`,
    `settings: ${s.workers} pipeline process(es), per-host limit ${s.perHostConcurrency} (one loopback host), concurrency poll=${s.concurrency.poll} analyse=${s.concurrency.analyse} deliver=${s.concurrency.deliver}, pace ${s.paceMs} ms/channel, ${s.subscriptions} channels, ${s.redis}`,
    '',
    ...rows.map(line),
  ].join('\n');
}

/** One line of a sweep: the headline figures of one size (medians). */
export interface CurvePoint {
  feeds: number;
  items: number;
  articles: number;
  coldSeconds: number;
  articlesPerSecond: number;
  /** Cold seconds per thousand articles: flat when cost grows linearly. */
  coldSecondsPer1000Articles: number;
  warmSeconds: number;
  warmFeedsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  peakRssMB: number;
  redisUsedMemoryMB: number;
  limitColdSeconds: number | null;
  coldVsLimit: number | null;
  /**
   * CPU-seconds the pipeline's process(es) and Redis spent per 1000 articles in the cold cycle:
   * the cost itself, which other programs on a shared machine do not inflate as they do the
   * wall clock (`otherProgramsCpuSeconds` says how much they took).
   */
  pipelineCpuPer1000Articles: number | null;
  redisCpuPer1000Articles: number | null;
  otherProgramsCpuSeconds: number | null;
}

export function sweepCurve(reports: BenchReport[]): CurvePoint[] {
  return reports.map((r) => {
    const cold = central(r.coldCycle.seconds);
    const limit = r.baselines.limit ? central(r.baselines.limit.coldSeconds) : null;
    const cpu = ((r.detail.cold as { cpuSeconds?: { pipeline: number; redis: number; otherPrograms: number } }[] | undefined) ?? [])
      .map((c) => c.cpuSeconds)
      .filter((c): c is { pipeline: number; redis: number; otherPrograms: number } => c !== undefined);
    const per1000 = (f: (c: { pipeline: number; redis: number }) => number) => (cpu.length ? round((median(cpu.map(f)) / r.coldCycle.articles) * 1000, 2) : null);
    return {
      feeds: r.feeds,
      items: r.items,
      articles: r.coldCycle.articles,
      coldSeconds: round(cold, 2),
      articlesPerSecond: Math.round(central(r.coldCycle.articlesPerSecond)),
      coldSecondsPer1000Articles: round((cold / r.coldCycle.articles) * 1000, 2),
      warmSeconds: round(central(r.warmCycle.seconds), 3),
      warmFeedsPerSecond: Math.round(central(r.warmCycle.feedsPerSecond)),
      latencyP50Ms: r.alertLatencyMs.p50,
      latencyP99Ms: r.alertLatencyMs.p99,
      peakRssMB: r.peakRssMB,
      redisUsedMemoryMB: r.redisUsedMemoryMB,
      limitColdSeconds: limit === null ? null : round(limit, 2),
      coldVsLimit: limit ? round(cold / limit, 1) : null,
      pipelineCpuPer1000Articles: per1000((c) => c.pipeline),
      redisCpuPer1000Articles: per1000((c) => c.redis),
      otherProgramsCpuSeconds: cpu.length ? round(median(cpu.map((c) => c.otherPrograms)), 1) : null,
    };
  });
}

/** The sweep as a table and a bar chart of the cold cycle's seconds. */
export function formatCurve(points: CurvePoint[]): string {
  const head = ['feeds×items', 'cold s', 'articles/s', 's/1000 art.', 'CPU s/1000 (node+redis)', 'others CPU s', 'warm s', 'feeds/s', 'p50/p99 ms', 'RSS MB', 'Redis MB', 'limit s', '× limit'];
  const rows = points.map((p) => [
    `${p.feeds}×${p.items}`,
    String(p.coldSeconds),
    String(p.articlesPerSecond),
    String(p.coldSecondsPer1000Articles),
    p.pipelineCpuPer1000Articles === null ? '-' : `${p.pipelineCpuPer1000Articles}+${p.redisCpuPer1000Articles}`,
    p.otherProgramsCpuSeconds === null ? '-' : String(p.otherProgramsCpuSeconds),
    String(p.warmSeconds),
    String(p.warmFeedsPerSecond),
    `${p.latencyP50Ms}/${p.latencyP99Ms}`,
    String(Math.round(p.peakRssMB)),
    String(Math.round(p.redisUsedMemoryMB)),
    p.limitColdSeconds === null ? '-' : String(p.limitColdSeconds),
    p.coldVsLimit === null ? '-' : String(p.coldVsLimit),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(w[i]!)).join('  ');
  const max = Math.max(...points.map((p) => p.coldSeconds));
  const bars = points.map((p) => `${`${p.feeds}×${p.items}`.padStart(w[0]!)}  ${'█'.repeat(Math.max(1, Math.round((p.coldSeconds / max) * 50)))} ${p.coldSeconds} s`);
  return [line(head), ...rows.map(line), '', 'cold cycle, seconds:', ...bars].join('\n');
}
