import { describe, expect, it } from 'vitest';
import { statsDelta, type ProcessStats } from '../../../bench/process-stats.js';
import { scaleOutFigure } from '../../../bench/scale-out.js';
import type { CycleResult } from '../../../bench/pipeline.js';

const stats = (o: Partial<ProcessStats>): ProcessStats => ({
  pid: 1, userSeconds: 0, systemSeconds: 0, voluntarySwitches: 0, involuntarySwitches: 0, gcMs: 0,
  analyseJobs: 0, analyseArticles: 0, storyArticles: 0, storyLock: { batches: 0, busy: 0, waitMs: 0, timeouts: 0 }, ...o,
});

const cycle = (seconds: number, pipeline: number, processes: ReturnType<typeof statsDelta>[]): CycleResult => ({
  seconds, polls: {}, analyse: {}, deliver: {}, failed: {},
  cpu: { pipeline, redis: pipeline / 4, farm: 0, machine: 0, other: 0, byProcess: [] },
  processes, redisCommands: 50 * processes.reduce((n, p) => n + p.articles, 0), redisIo: { reads: 0, writes: 0, inKB: 0, outKB: 0 }, clientCommands: {}, topClientCommands: [], topCommands: [], complete: true, timeline: null,
});

describe('statsDelta', () => {
  it('gives a cycle its share of a process: CPU per article it analysed, story articles per lock run', () => {
    const a = stats({ userSeconds: 1, systemSeconds: 0.5, analyseArticles: 100, storyArticles: 10, storyLock: { batches: 2, busy: 1, waitMs: 10, timeouts: 0, holdMs: 5, redisHoldMs: 4, rechecks: 1 } });
    const b = stats({ userSeconds: 3.5, systemSeconds: 1, analyseArticles: 1100, storyArticles: 130, involuntarySwitches: 7, storyLock: { batches: 12, busy: 4, waitMs: 50, timeouts: 1, holdMs: 35, redisHoldMs: 30, rechecks: 3, redecided: 7 } });
    const d = statsDelta(a, b);
    expect(d).toMatchObject({ cpuSeconds: 3, articles: 1000, cpuMsPerArticle: 3, storyArticles: 120, storyArticlesPerLockRun: 12, involuntarySwitches: 7 });
    expect(d.storyLock).toEqual({ runs: 10, busy: 3, waitMs: 40, timeouts: 1, holdMs: 30, redisHoldMs: 26, rechecks: 2, redecided: 7, unlockedRechecks: 0, redecidedUnlocked: 0 });
    expect(d.storyLockHoldMsPerRun).toBe(3);
  });
  it('has no CPU per article when the process analysed none', () => {
    expect(statsDelta(stats({}), stats({ userSeconds: 1 })).cpuMsPerArticle).toBeNull();
  });
});

describe('scaleOutFigure', () => {
  it('compares the warm pair by seconds and by CPU per article analysed (a cut-off cycle counts what it did)', () => {
    const zero = stats({});
    const one = cycle(40, 10, [statsDelta(zero, stats({ userSeconds: 10, analyseArticles: 2500 }))]);
    const half = (s: number) => statsDelta(zero, stats({ userSeconds: s, analyseArticles: 1000 }));
    const all = { ...cycle(25, 8, [half(4), half(4)]), complete: false };
    const f = scaleOutFigure(2, { one, all }, null);
    expect(f).toMatchObject({ workers: 2, speedup: 1.6, complete: false, firstCycle: null });
    expect(f.cpuMsPerArticleOneProcess).toMatchObject({ articles: 2500, pipeline: 4, redis: 1, redisCommands: 50 });
    expect(f.cpuMsPerArticle).toMatchObject({ articles: 2000, pipeline: 4 });
  });
});
