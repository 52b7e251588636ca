// One pipeline process's own figures for the scale-out comparison (bench --workers N): its CPU
// (user and system), context switches, GC time, the analyse jobs and articles it ran, and its
// story store's lock figures. Cumulative since the process started counting; a cycle's share is
// the difference of two snapshots (`statsDelta`). Taken in the process itself (the bench's, or a
// worker process's over IPC), so the figures say how the work and its cost were split.
import { PerformanceObserver } from 'node:perf_hooks';
import type { Job, Worker } from 'bullmq';
import type { Container } from '../src/main/container.js';

export interface ProcessStats {
  pid: number;
  userSeconds: number;
  systemSeconds: number;
  /** Context switches: the process gave up the CPU (waiting), or was made to (time slice over). */
  voluntarySwitches: number;
  involuntarySwitches: number;
  /** Main-thread GC pauses, ms (the GC's helper threads' CPU is in the CPU figures only). */
  gcMs: number;
  analyseJobs: number;
  analyseArticles: number;
  /** Of those, the ones filed in a story (analyse jobs' outcomes with a storyId). */
  storyArticles: number;
  /** The story store's lock figures (`lockStats`: lock runs, busy calls, ms waited, timeouts); null when not a Redis store. */
  storyLock: { batches: number; busy: number; waitMs: number; timeouts: number; holdMs?: number; redisHoldMs?: number; rechecks?: number; redecided?: number; unlockedRechecks?: number; redecidedUnlocked?: number } | null;
}

/** Starts counting this process's analyse jobs and GC time; `snapshot()` reads everything. */
export function processStatsOf(c: Container, workers: Worker[]): { snapshot(): ProcessStats; stop(): void } {
  let analyseJobs = 0;
  let analyseArticles = 0;
  let storyArticles = 0;
  let gcMs = 0;
  for (const w of workers) {
    if (w.name !== 'analyse') continue;
    w.on('completed', (job: Job, result: unknown) => {
      analyseJobs += 1;
      const items = (job.data as { items?: unknown[] } | undefined)?.items;
      analyseArticles += Array.isArray(items) ? items.length : 0;
      // Articles given a story (the Central Asia ones: the only ones that take story locks).
      const outcomes = (result as { articles?: { storyId?: string | null }[] } | undefined)?.articles ?? [];
      storyArticles += outcomes.filter((o) => o.storyId).length;
    });
  }
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  gc.observe({ entryTypes: ['gc'] });
  const stories = c.stores.stories as { lockStats?: () => ProcessStats['storyLock'] };
  return {
    snapshot() {
      const r = process.resourceUsage();
      return {
        pid: process.pid,
        userSeconds: r.userCPUTime / 1e6,
        systemSeconds: r.systemCPUTime / 1e6,
        voluntarySwitches: r.voluntaryContextSwitches,
        involuntarySwitches: r.involuntaryContextSwitches,
        gcMs,
        analyseJobs,
        analyseArticles,
        storyArticles,
        storyLock: stories.lockStats ? stories.lockStats() : null,
      };
    },
    stop: () => gc.disconnect(),
  };
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** A cycle's share of one process's figures (b − a), with its CPU per article analysed in it. */
export function statsDelta(a: ProcessStats, b: ProcessStats) {
  const cpu = b.userSeconds - a.userSeconds + b.systemSeconds - a.systemSeconds;
  const articles = b.analyseArticles - a.analyseArticles;
  const la = a.storyLock;
  const lb = b.storyLock;
  const diff = (k: 'holdMs' | 'redisHoldMs' | 'rechecks' | 'redecided' | 'unlockedRechecks' | 'redecidedUnlocked') => Math.round((lb?.[k] ?? 0) - (la?.[k] ?? 0));
  const lock = la && lb
    ? {
        runs: lb.batches - la.batches, busy: lb.busy - la.busy, waitMs: Math.round(lb.waitMs - la.waitMs), timeouts: lb.timeouts - la.timeouts,
        holdMs: diff('holdMs'), redisHoldMs: diff('redisHoldMs'), rechecks: diff('rechecks'), redecided: diff('redecided'), unlockedRechecks: diff('unlockedRechecks'), redecidedUnlocked: diff('redecidedUnlocked'),
      }
    : null;
  return {
    pid: b.pid,
    cpuSeconds: r3(cpu),
    userSeconds: r3(b.userSeconds - a.userSeconds),
    systemSeconds: r3(b.systemSeconds - a.systemSeconds),
    voluntarySwitches: b.voluntarySwitches - a.voluntarySwitches,
    involuntarySwitches: b.involuntarySwitches - a.involuntarySwitches,
    gcMs: Math.round(b.gcMs - a.gcMs),
    analyseJobs: b.analyseJobs - a.analyseJobs,
    articles,
    /** Pipeline CPU of this process per article it analysed, ms (polls and deliveries included). */
    cpuMsPerArticle: articles ? r3((cpu * 1000) / articles) : null,
    storyArticles: b.storyArticles - a.storyArticles,
    /** Story articles per lock run (joined batches: bigger is fewer round trips and locks per article). */
    storyArticlesPerLockRun: lock && lock.runs ? r1((b.storyArticles - a.storyArticles) / lock.runs) : null,
    storyLock: lock,
    /** ms the story write lock was held per lock run (a load-robust figure of the serial section). */
    storyLockHoldMsPerRun: lock && lock.runs ? r1(lock.holdMs / lock.runs) : null,
  };
}
export type ProcessCycleStats = ReturnType<typeof statsDelta>;

/** One line's worth: articles and CPU per article of each process, with its lock runs. */
export function describeProcesses(ps: readonly ProcessCycleStats[]): string {
  const one = (p: ProcessCycleStats) => `${p.cpuSeconds.toFixed(1)} CPU-s, ${p.articles} articles ${p.cpuMsPerArticle ?? '-'} ms each, ${p.storyLock?.runs ?? '-'} lock runs, ${p.involuntarySwitches} forced switches`;
  return ps.length ? `; per process: ${ps.map(one).join(' | ')}` : '';
}
