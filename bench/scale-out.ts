// The scale-out figure of bench --workers N: cold cycles at pace 0 with one pipeline process and
// with N, each on a fresh session (emptied Redis, new stores and caches), the pair run after the
// main cycles so that every process in it is warm.
//
// Why warm: a process's first cold cycle pays its own start-up — V8 compiling the hot paths, the
// module-level word memos filling — on top of the work: a fresh process's first cycle took ~45%
// more CPU per article than its second (issue 16, 300 × 20, `--workers 1 --cold-repeats 2`, load
// ~15: 4.39 against 3.05 ms). The worker processes were forked afresh for every session while the
// one-process cycle ran in the bench process after the main, warm and latency cycles, so the
// comparison set N cold processes against one warm one. A worker of the product runs for days:
// warm against warm is the question, so the worker processes are kept between sessions
// (pipeline.ts) and the pair runs last. The main cycle (all N processes, the first one fresh) is
// reported beside it (`firstCycle`).
import type { CycleResult } from './pipeline.js';
import type { ProcessCycleStats } from './process-stats.js';
import { round } from './stats.js';

export interface ScaleOutCycles {
  one: CycleResult;
  all: CycleResult;
}

/** Runs the one-process cycle, then the N-process one (`run(workers, label)` opens a session, runs a cold cycle, closes it). */
export async function scaleOutCycles(workers: number, run: (workers: number, label: string) => Promise<CycleResult>): Promise<ScaleOutCycles> {
  const one = await run(1, 'cold@1process');
  const all = await run(workers, `cold@${workers}processes`);
  return { one, all };
}

/** Pipeline CPU per article analysed, ms, summed over the processes (a cycle cut off at its deadline counts what it did). */
function perArticle(ps: readonly ProcessCycleStats[], r: CycleResult) {
  const articles = ps.reduce((n, p) => n + p.articles, 0);
  const per = (s: number) => (articles ? round((s * 1000) / articles, 3) : null);
  return { articles, pipeline: per(r.cpu.pipeline), redis: per(r.cpu.redis), farm: per(r.cpu.farm), redisCommands: articles ? round(r.redisCommands / articles, 1) : null };
}

/** The story write lock's busy share of a cycle: ms held summed over the processes, over the cycle's ms; and ms held per lock run. */
function lockBusy(r: CycleResult) {
  let held = 0;
  let inRedis = 0;
  let runs = 0;
  let redecided = 0;
  let redecidedUnlocked = 0;
  for (const p of r.processes) {
    redecidedUnlocked += p.storyLock?.redecidedUnlocked ?? 0;
    held += p.storyLock?.holdMs ?? 0;
    inRedis += p.storyLock?.redisHoldMs ?? 0;
    runs += p.storyLock?.runs ?? 0;
    redecided += p.storyLock?.redecided ?? 0;
  }
  const ms = r.seconds * 1000;
  // as the clients saw the hold (lock answer to commit answer) and as Redis did (lock taken to released)
  return { busyShare: ms > 0 ? round(held / ms, 3) : null, redisBusyShare: ms > 0 ? round(inRedis / ms, 3) : null, holdMsPerRun: runs ? round(held / runs, 1) : null, redisHoldMsPerRun: runs ? round(inRedis / runs, 1) : null, runs, redecided, redecidedUnlocked };
}

/** The JSON figure: speedup of the warm pair, CPU per article of each, and each process's share. */
export function scaleOutFigure(workers: number, pair: ScaleOutCycles, first: CycleResult | null) {
  const { one, all } = pair;
  return {
    workers,
    oneProcessSeconds: round(one.seconds, 2),
    pace0Seconds: round(all.seconds, 2),
    speedup: round(one.seconds / all.seconds, 2),
    complete: one.complete && all.complete,
    // Where the CPU went, ms per article analysed (and Redis commands per article): one process, and all N.
    cpuMsPerArticleOneProcess: perArticle(one.processes, one),
    cpuMsPerArticle: perArticle(all.processes, all),
    // The story write lock (story-assign.ts): its busy share of the cycle, ms held per lock run.
    storyLockOneProcess: lockBusy(one),
    storyLock: lockBusy(all),
    oneProcessFailed: one.failed,
    failed: all.failed,
    processes: { oneProcess: one.processes, all: all.processes },
    // What Redis ran in each (calls and server ms by command, scripts' inner calls included).
    topRedisCommands: { oneProcess: one.topCommands, all: all.topCommands },
    // The main cold cycle: all N processes, the worker processes fresh (their first cycle).
    firstCycle: first ? { seconds: round(first.seconds, 2), complete: first.complete, cpuMsPerArticle: perArticle(first.processes, first), processes: first.processes } : null,
  };
}
export type ScaleOutFigure = ReturnType<typeof scaleOutFigure>;
