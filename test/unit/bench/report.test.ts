import { describe, expect, it } from 'vitest';
import { checkTargets, formatCurve, formatTable, latencyFigure, sweepCurve, type BenchReport } from '../../../bench/report.js';

const sample = (totalMs: number, paced = false) => ({ totalMs, pollRestMs: 1, analyseWaitMs: 2, analyseRunMs: 3, deliverWaitMs: 4, deliverRunMs: 5, paced });

describe('latencyFigure', () => {
  it('reports p50/p99 over all samples and p99 per wave', () => {
    const l = latencyFigure({ samples: [10, 20, 30, 40].map((x) => sample(x)), perWave: [[sample(10), sample(20)], [sample(30), sample(40)]] });
    expect(l).toMatchObject({ p50: 20, p99: 40, max: 40, samples: 4, perWaveP99: { median: 30, min: 20, max: 40 }, paced: 0 });
    expect(l.breakdownP50).toEqual({ pollRestMs: 1, analyseWaitMs: 2, analyseRunMs: 3, deliverWaitMs: 4, deliverRunMs: 5 });
    expect(l.breakdownP99).toEqual(l.breakdownP50);
  });
  it('keeps alerts held by their channel’s pace out of the headline, and reports them beside it', () => {
    const samples = [sample(10), sample(20), sample(1200, true)];
    const l = latencyFigure({ samples, perWave: [samples] });
    expect(l).toMatchObject({ p50: 10, p99: 20, samples: 2, paced: 1, withPacing: { p50: 20, p99: 1200, max: 1200, samples: 3 } });
  });
  it('tells the alerts held in the delayed set from the direct ones', () => {
    const held = { ...sample(1500), deliverWaitMs: 1400 };
    const l = latencyFigure({ samples: [sample(10), sample(20), held], perWave: [] });
    expect(l).toMatchObject({ p99: 1500, heldInDeliver: 1, direct: { p50: 10, p99: 20, samples: 2 } });
  });
});

describe('checkTargets', () => {
  const base = { coldSeconds: 30, coldPace0Seconds: null, limitColdSeconds: 10, warmFeedsPerSecond: 3500, analyzePerSecond: 3500, latencyP99: 400, peakRssMB: 300, feeds: 2000, lost: 0, duplicates: 0 };
  it('meets every goal on good figures', () => {
    const t = checkTargets(base);
    expect(Object.values(t).every((x) => x.met === true)).toBe(true);
    expect(t.coldWithin3xLimit!.value).toBe('3 ×');
  });
  it('misses what is missed, and does not judge what it cannot', () => {
    const t = checkTargets({ ...base, coldSeconds: 31, duplicates: 1, feeds: 100, limitColdSeconds: null });
    expect(t.coldWithin3xLimit!.met).toBeNull();
    expect(t.noLostNoDuplicate!.met).toBe(false);
    expect(t.peakRss!.met).toBeNull();
  });
  it('judges the cold cycle at pace 0 when there is one (the platforms’ pacing is not the pipeline’s)', () => {
    const t = checkTargets({ ...base, coldSeconds: 60, coldPace0Seconds: 25 });
    expect(t.coldWithin3xLimit).toMatchObject({ goal: 'cold cycle at pace 0 ≤ 3 × limit cold', value: '2.5 ×', met: true });
    expect(checkTargets({ ...base, coldPace0Seconds: 31 }).coldWithin3xLimit!.met).toBe(false);
    expect(checkTargets({ ...base, warmFeedsPerSecond: 2999 }).warmFeedsPerSecond!.met).toBe(false);
  });
});

function fakeReport(feeds = 10, coldSeconds = 2): BenchReport {
  return {
      feeds, items: 2, cpus: 2, versions: { node: 'v20', redis: '7.0' }, date: '', machine: { cpuModel: '', totalMemoryMB: 1, platform: '', loadAverageBefore: 0, loadAverageAfter: 0 },
      settings: { perHostConcurrency: 64, concurrency: { poll: 16, analyse: 4, deliver: 8 }, workers: 1, paceMs: 1000, destinations: 8, subscriptions: 8, outletSlices: 1, repeats: 1, coldRepeats: 1, latencyItemsPerWave: 1, analyzeSample: 1, alertMaxAgeHours: 48, redis: 'embedded', farm: '' },
      coldCycle: { seconds: coldSeconds, pace0Seconds: coldSeconds / 2, articlesPerSecond: (feeds * 2) / coldSeconds, articles: feeds * 2 },
      warmCycle: { seconds: { median: 0.1, min: 0.1, max: 0.2, runs: [0.1, 0.1, 0.2] }, feedsPerSecond: 100 },
      analyzeArticlesPerSecond: 1000,
      alertLatencyMs: latencyFigure({ samples: [sample(5)], perWave: [[sample(5)]] }),
      peakRssMB: 100, redisUsedMemoryMB: 5, redisUsedMemoryPeakMB: 6,
      alertsExpected: 3, alertsRouted: 3, alertsDelivered: 3, duplicates: 0, alertsLost: 0, alertsUnplanned: 0,
      groundTruth: { matched: 3, missing: 0, extra: 0, storyMerges: 0 },
      baselines: { limit: { coldSeconds: 1, warmSeconds: 0.1, articlesPerSecond: 20, fastXmlParserColdSeconds: 0.8 }, naive: { coldSeconds: 3 } },
      pacingEffect: { paceMs: 1000, maxPostsPerDestination: 2, floorSeconds: 1, comparedPaceMs: 0, coldSecondsCompared: 1.5 },
      targets: checkTargets({ coldSeconds: 2, coldPace0Seconds: 1, limitColdSeconds: 1, warmFeedsPerSecond: 100, analyzePerSecond: 1000, latencyP99: 5, peakRssMB: 100, feeds: 10, lost: 0, duplicates: 0 }),
      detail: { cold: [{ cpuSeconds: { pipeline: feeds / 10, redis: feeds / 20, otherPrograms: 0 } }] },
  };
}

describe('formatTable', () => {
  it('names every figure of the issue', () => {
    const text = formatTable(fakeReport());
    for (const word of ['cold cycle', 'warm cycle', 'analysis alone', 'alert latency', 'peak RSS', 'alerts', 'baseline limit', 'fast-xml-parser', 'baseline naive', 'pacing']) expect(text).toContain(word);
    expect(text).toContain('0.1 s (0.1–0.2)');
    expect(text).toContain('✗ missed');
  });
});

describe('sweeps', () => {
  it('line up the headline figures of each size, with a chart', () => {
    const points = sweepCurve([fakeReport(10, 2), fakeReport(40, 8)]);
    expect(points.map((p) => [p.feeds, p.articles, p.coldSeconds, p.coldSecondsPer1000Articles, p.coldVsLimit])).toEqual([
      [10, 20, 2, 100, 2],
      [40, 80, 8, 100, 8],
    ]);
    const text = formatCurve(points);
    expect(text).toContain('40×2');
    expect(text.split('\n').filter((l) => l.includes('█'))).toHaveLength(2);
    expect(points[1]).toMatchObject({ pipelineCpuPer1000Articles: 50, redisCpuPer1000Articles: 25, otherProgramsCpuSeconds: 0 });
  });
});
