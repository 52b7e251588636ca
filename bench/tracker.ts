// Follows the BullMQ workers of a benchmark session: when the last job of a cycle finished, what
// the poll and analyse jobs returned (statuses, routed deliveries, stories) and the timestamps the
// alert-latency breakdown needs. Workers emit 'completed' in their own process, after the job's
// result is stored; worker processes forward their events over IPC. Nothing here touches Redis.
import type { Job, Worker } from 'bullmq';
import { storyIdFor } from '../src/core/story/decide.js';
import { postKey } from './recorder.js';
import { DUE_TICK_JOB, POLL_DUE_JOB } from '../src/ports/feed-scheduler.js';

export interface ArticleTiming {
  /** When the fetch of the article's feed completed (from the job payload), ms since epoch. */
  fetchedAt: number;
  /** The analyse job: added, started, done. */
  analyseAdded: number;
  analyseStarted: number;
  analyseDone: number;
}

export interface DeliverTiming {
  fetchedAt: number | null;
  added: number;
  /** Start of the attempt that posted (after any pacing delays). */
  started: number;
  done: number;
}

export interface CycleCounts {
  polls: Record<string, number>;
  analyse: Record<string, number>;
  deliver: Record<string, number>;
  failed: Record<string, number>;
}

type ArticleResult = { articleId?: string; status: string; storyId?: string | null; deliveries?: { destination: string; kind: string }[] };
/** An analyse job's result: one per article of its batch (jobs/analyse.ts). */
type AnalyseResult = { status: string; articles?: ArticleResult[] };

/** What a worker reports about one finished job (local, or from a worker process over IPC). */
export interface JobEvent {
  queue: string;
  /** The job's name (the poll queue's jobs: `poll`, the due-feeds tick, `poll-due` groups). */
  name?: string;
  outcome: 'completed' | 'failed';
  /** The processor's return value (completed jobs). */
  result: unknown;
  data: { articleId?: string; fetchedAt?: number; destination?: string; /** An analyse batch's articles. */ items?: { articleId: string; fetchedAt?: number }[] };
  /** BullMQ job timestamps: added, and the start of the attempt that finished. */
  addedAt: number;
  startedAt: number | null;
  doneAt: number;
}

/** Calls `sink` with a JobEvent for every job the workers complete or fail. */
export function watchWorkers(workers: Worker[], sink: (e: JobEvent) => void): void {
  for (const w of workers) {
    const queue = w.name;
    const data = (job: Job | undefined) => {
      const d = (job?.data ?? {}) as JobEvent['data'];
      const items = Array.isArray(d.items) ? d.items.map((x) => ({ articleId: x.articleId, fetchedAt: x.fetchedAt })) : undefined;
      return { articleId: d.articleId, fetchedAt: d.fetchedAt, destination: d.destination, ...(items ? { items } : {}) };
    };
    w.on('completed', (job: Job, result: unknown) =>
      sink({ queue, name: job.name, outcome: 'completed', result, data: data(job), addedAt: job.timestamp, startedAt: job.processedOn ?? null, doneAt: Date.now() }),
    );
    w.on('failed', (job: Job | undefined) =>
      sink({ queue, name: job?.name, outcome: 'failed', result: null, data: data(job), addedAt: job?.timestamp ?? 0, startedAt: job?.processedOn ?? null, doneAt: Date.now() }),
    );
  }
}

const bump = (r: Record<string, number>, k: string) => {
  r[k] = (r[k] ?? 0) + 1;
};

export class JobTracker {
  /** Completion time of the latest job since mark(), ms since epoch. */
  lastDoneAt = 0;
  counts: CycleCounts = { polls: {}, analyse: {}, deliver: {}, failed: {} };
  /** (destination, article) pairs the analyse jobs planned to post (alert or follow-up). */
  routed = new Set<string>();
  routedKinds: Record<string, number> = {};
  /** Central Asia articles analysed, and those that joined a story another article started. */
  clusteredArticles = 0;
  joinedStories = 0;
  articles = new Map<string, ArticleTiming>();
  deliveries = new Map<string, DeliverTiming>();
  /** The poll queue's tick and poll-due jobs since mark(): where a warm cycle's wall time went (cycleTimeline). */
  dueJobs: JobEvent[] = [];

  /** Starts a new cycle: counts and maps are emptied. */
  mark(): void {
    this.lastDoneAt = 0;
    this.dueJobs = [];
    this.counts = { polls: {}, analyse: {}, deliver: {}, failed: {} };
    this.routed = new Set();
    this.routedKinds = {};
    this.clusteredArticles = 0;
    this.joinedStories = 0;
    this.articles = new Map();
    this.deliveries = new Map();
  }

  private recordArticle(r: ArticleResult, fetchedAt: number | undefined, e: JobEvent): void {
    bump(this.counts.analyse, r.status);
    const articleId = r.articleId ?? '';
    if (r.storyId) {
      this.clusteredArticles += 1;
      // A story's id is derived from its first article's id.
      if (r.storyId !== storyIdFor(articleId)) this.joinedStories += 1;
    }
    for (const d of r.deliveries ?? []) {
      bump(this.routedKinds, d.kind);
      if (d.kind !== 'skip') this.routed.add(postKey(d.destination, articleId));
    }
    if (r.status === 'routed' && fetchedAt) {
      this.articles.set(articleId, { fetchedAt, analyseAdded: e.addedAt, analyseStarted: e.startedAt ?? e.doneAt, analyseDone: e.doneAt });
    }
  }

  pollsDone(): number {
    return Object.values(this.counts.polls).reduce((a, b) => a + b, 0) + (this.counts.failed.poll ?? 0);
  }

  record(e: JobEvent): void {
    this.lastDoneAt = Math.max(this.lastDoneAt, e.doneAt);
    if (e.outcome === 'failed') {
      bump(this.counts.failed, e.queue);
      return;
    }
    const status = (e.result as { status?: string } | null)?.status ?? 'unknown';
    if (e.queue === 'poll' && (e.name === POLL_DUE_JOB || e.name === DUE_TICK_JOB)) this.dueJobs.push(e);
    if (e.queue === 'poll' && e.name === POLL_DUE_JOB) {
      // A group: its feeds' outcomes; a feed whose poll threw counts as a failed poll.
      const r = e.result as { errors?: number; outcomes?: Record<string, number> } | null;
      for (const [k, n] of Object.entries(r?.outcomes ?? {})) this.counts.polls[k] = (this.counts.polls[k] ?? 0) + n;
      if (r?.errors) this.counts.failed.poll = (this.counts.failed.poll ?? 0) + r.errors;
    } else if (e.queue === 'poll' && e.name === DUE_TICK_JOB) {
      // The tick polls nothing itself.
    } else if (e.queue === 'poll') bump(this.counts.polls, status);
    else if (e.queue === 'analyse') {
      const fetchedAt = new Map((e.data.items ?? []).map((x) => [x.articleId, x.fetchedAt]));
      const r = e.result as AnalyseResult;
      // A job of an earlier version: one article, its outcome the result itself.
      const articles = r.articles ?? [{ ...(r as ArticleResult), articleId: e.data.articleId ?? '' }];
      for (const a of articles) this.recordArticle(a, fetchedAt.get(a.articleId ?? '') ?? e.data.fetchedAt, e);
    } else if (e.queue === 'deliver') {
      bump(this.counts.deliver, status);
      this.deliveries.set(postKey(e.data.destination ?? '', e.data.articleId ?? ''), {
        fetchedAt: e.data.fetchedAt ?? null,
        added: e.addedAt,
        started: e.startedAt ?? e.doneAt,
        done: e.doneAt,
      });
    }
  }
}

/**
 * Where a due-feeds cycle's wall time went, ms from the cycle's start `t0`: the tick's wait for a
 * worker and its run, the poll-due groups' first start and last end, and each group's run
 * (median, max). The gaps between them are waits (a worker picking up a job), not work.
 */
export interface CycleTimeline {
  tickStartMs: number | null;
  tickDoneMs: number | null;
  groups: number;
  firstGroupStartMs: number | null;
  lastGroupStartMs: number | null;
  lastGroupDoneMs: number | null;
  groupRunMsP50: number | null;
  groupRunMsMax: number | null;
}

export function cycleTimeline(events: readonly JobEvent[], t0: number): CycleTimeline {
  const tick = events.find((e) => e.name === DUE_TICK_JOB);
  const groups = events.filter((e) => e.name === POLL_DUE_JOB);
  const rel = (t: number | null | undefined) => (t === null || t === undefined ? null : t - t0);
  const starts = groups.map((g) => g.startedAt ?? g.doneAt);
  const runs = groups.map((g) => g.doneAt - (g.startedAt ?? g.doneAt)).sort((a, b) => a - b);
  return {
    tickStartMs: rel(tick?.startedAt),
    tickDoneMs: rel(tick?.doneAt),
    groups: groups.length,
    firstGroupStartMs: groups.length ? rel(Math.min(...starts)) : null,
    lastGroupStartMs: groups.length ? rel(Math.max(...starts)) : null,
    lastGroupDoneMs: groups.length ? rel(Math.max(...groups.map((g) => g.doneAt))) : null,
    groupRunMsP50: runs.length ? runs[Math.floor((runs.length - 1) / 2)]! : null,
    groupRunMsMax: runs.length ? runs[runs.length - 1]! : null,
  };
}
