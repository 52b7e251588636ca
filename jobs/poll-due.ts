// The due-feeds tick and the poll-due job. The tick (a repeating job on the poll queue, about once
// a second) claims the feeds whose next poll has come (FeedScheduler.claimDue: atomic, with a
// lease) and queues them in groups per host; a poll-due job polls its group's feeds with the
// per-feed poll (jobs/poll.ts) and sets each one's next poll from the outcome, in one write.
// A group run again after its worker died (a poison feed: one whose poll kills the process) is
// run with care: see runAgain below and core/feed/policy/poison.ts.
import type { Job } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { groupDueFeeds, packDueGroups, type DueFeed } from '../src/core/feed/policy/due-groups.js';
import type { FeedScheduler, PollRunLedger } from '../src/ports/feed-scheduler.js';
import { planRerun, POISON_AFTER_DEATHS } from '../src/core/feed/policy/poison.js';
import { pollDuePayload, type PollDuePayload } from '../src/ports/feed-scheduler.js';
import type { Logger } from '../src/ports/logger.js';
import { failpoint } from '../src/ports/failpoints.js';
import type { PollGroup, PollResult, SetAside } from './poll.js';
import type { PollSlots } from './poll-slots.js';

export interface DueTickConfig {
  /**
   * Feeds a poll-due job at most (one host's feeds beyond it spread over several jobs). 100: a
   * BullMQ job costs its worker ~1 ms of CPU (fetch, lock, finish, events), ~10% of a warm cycle's
   * CPU in groups of 50 (issue 16); 100 halves it and still fills a process's 64 poll slots with
   * 8 lanes a group.
   */
  maxGroup: number;
  /**
   * Hosts with fewer due feeds than `maxGroup` share a job (packDueGroups), each host's feeds
   * still in one job; false: one job per host (the earlier shape; tests and comparisons).
   */
  packHosts: boolean;
  /** Feeds claimed per claim call; a tick claims again while the calls come back full. */
  claimBatch: number;
  /** Claim calls per tick at most. */
  maxClaims: number;
  /** How long a claim holds, s: a feed whose poll never reports back is due again after it. */
  leaseSeconds: number;
  /** No claim while this many poll-due jobs wait (the workers are behind; claims would only lapse). */
  maxWaitingGroups: number;
  /**
   * A claim still recorded as not queued this long after it was made is queued by the next tick
   * (its tick died, or a Redis host crash lost the queueing), s. Queueing takes a round trip or
   * two; a claim queued twice is harmless (the same job ids).
   */
  requeueAfterSeconds: number;
}

export const DEFAULT_DUE_TICK: DueTickConfig = { maxGroup: 100, packHosts: true, claimBatch: 1000, maxClaims: 20, leaseSeconds: 900, maxWaitingGroups: 400, requeueAfterSeconds: 5 };

export interface DueTickDeps {
  scheduler: Pick<FeedScheduler, 'claimDue' | 'unqueuedClaims' | 'claimQueued'>;
  /**
   * Queues the groups (one poll-due job each) of one claim, with job ids derived from `claimId`
   * and the group's index, so a claim queued again adds no second job while the first is kept.
   */
  enqueueGroups(groups: PollDuePayload[], claimId: string): Promise<void>;
  /** Poll-due jobs waiting to run. */
  waitingGroups(): Promise<number>;
  config?: Partial<DueTickConfig>;
  log: Logger;
  clock: () => Date;
}

export interface DueTickResult {
  claimed: number;
  groups: number;
  /** True when the tick claimed nothing because the workers are behind. */
  heldBack: boolean;
}

/** One tick: claim what is due, queue it in groups. Safe to run in several places at once. */
export function createDueTickProcessor(d: DueTickDeps) {
  const cfg = { ...DEFAULT_DUE_TICK, ...d.config };
  return async (): Promise<DueTickResult> => {
    // Both reads at once: one round trip less before a cycle's first group is queued (issue 16).
    const [waiting, stale] = await Promise.all([d.waitingGroups(), d.scheduler.unqueuedClaims(d.clock().getTime() - cfg.requeueAfterSeconds * 1000)]);
    if (waiting >= cfg.maxWaitingGroups) return { claimed: 0, groups: 0, heldBack: true };
    let claimed = 0;
    let groups = 0;
    const queue = async (claimId: string, due: DueFeed[]) => {
      const perHost = groupDueFeeds(due, cfg.maxGroup);
      const batch = cfg.packHosts ? packDueGroups(perHost, cfg.maxGroup) : perHost;
      await d.enqueueGroups(
        // `hosts` only when several: a one-host group's payload is what an earlier version queued.
        batch.map((g) => ({ host: g.host, feedIds: g.feedIds, dueAt: Math.round(g.dueAt), ...(g.hosts > 1 ? { hosts: g.hosts } : {}) })),
        claimId,
      );
      await d.scheduler.claimQueued([claimId]);
      groups += batch.length;
    };
    // Claims an earlier tick made and never queued (it died, or a host crash kept the claim and
    // lost the jobs): queued now, not left to wait out their 15-min lease unpolled (chaos run
    // 893265012 lost an alert so). Their feeds were claimed, so nothing else polls them meanwhile.
    for (const s of stale) {
      if (s.feeds.length) await queue(s.claimId, s.feeds);
      else await d.scheduler.claimQueued([s.claimId]);
    }
    const requeued = stale.reduce((n, s) => n + s.feeds.length, 0);
    if (requeued > 0) d.log.info({ feeds: requeued, claims: stale.length }, 'due feeds: queued the polls of feeds an interrupted tick had claimed but not queued');
    for (let round = 0; round < cfg.maxClaims; round++) {
      const now = d.clock().getTime();
      // The claim and its record are one write; a crash after it loses nothing (above).
      const claimId = `${now}-${randomBytes(6).toString('hex')}`;
      const due = await d.scheduler.claimDue(now, cfg.claimBatch, now + cfg.leaseSeconds * 1000, claimId);
      if (due.length === 0) break;
      await failpoint('due-tick.after-claim');
      await queue(claimId, due);
      claimed += due.length;
      if (due.length < cfg.claimBatch) break;
    }
    if (claimed > 0) d.log.debug({ claimed, groups }, 'due feeds queued');
    return { claimed, groups, heldBack: false };
  };
}

export interface PollDueDeps {
  /** The per-feed poll (jobs/poll.ts), as a scheduled poll, within its group when there is one. */
  pollFeed(feedId: string, group?: PollGroup, setAside?: SetAside): Promise<PollResult>;
  /** Reads the group's feeds at once and gathers their writes (jobs/poll.ts openPollGroup). */
  openGroup?(feedIds: readonly string[]): Promise<PollGroup>;
  scheduler: Pick<FeedScheduler, 'reschedule'>;
  /** The record a re-run of a group keeps (without it a re-run is run as the first run). */
  ledger?: PollRunLedger;
  /** Deaths charged to a feed before a re-run sets it aside (default POISON_AFTER_DEATHS). */
  poisonAfterDeaths?: number;
  /**
   * Feeds of a group polled at once at most (the fetcher's per-host limit paces them further). A
   * group of one host gets at most `perHostLanes` of them (more would only wait in the fetcher's
   * host limiter, holding poll slots other groups could use), a group of several hosts that many
   * per host.
   */
  concurrency: number;
  /** Lanes per host of a group (the fetcher's per-host limit); default `concurrency`. */
  perHostLanes?: number;
  /** The process's in-flight limit for scheduled polls, shared by its poll-due jobs (jobs/poll-slots.ts). */
  slots?: Pick<PollSlots, 'run'>;
  log: Logger;
  clock: () => Date;
}

export interface PollDueResult {
  polled: number;
  /** Polls that threw (an unexpected error): they keep their claim and run again when it lapses. */
  errors: number;
  /** Outcomes by status. */
  outcomes: Record<string, number>;
}

/** The group's reschedule entry of a feed polled with result `r` (`at` from nextPollAfter, not null). */
function nextEntry(feedId: string, r: PollResult, at: number | undefined): { feedId: string; at?: number; every?: number } {
  const every = 'intervalMoved' in r && r.intervalMoved ? r.nextSeconds : undefined;
  return { feedId, ...(at === undefined ? {} : { at }), ...(every === undefined ? {} : { every }) };
}

/**
 * When a feed is polled next after this outcome, ms since the epoch; `undefined` for "one of its
 * intervals from now" (the interval the scheduler holds); null when it is no longer scheduled
 * (gone, paused: the poll unscheduled it).
 */
export function nextPollAfter(r: PollResult, now: number): number | undefined | null {
  switch (r.status) {
    case 'gone':
    case 'paused':
      return null;
    case 'deferred':
      return undefined;
    case 'error':
      return r.paused ? null : now + r.nextSeconds * 1000;
    default:
      return r.nextSeconds > 0 ? now + r.nextSeconds * 1000 : undefined;
  }
}

/** What a poll-due job's processor reads of its job: a re-run is told by the counters. */
export type PollDueJob = Pick<Job, 'data'> & Partial<Pick<Job, 'id' | 'stalledCounter' | 'attemptsStarted'>>;

export function createPollDueProcessor(d: PollDueDeps) {
  const again = runAgain(d);
  return async (job: PollDueJob): Promise<PollDueResult> => {
    const p = pollDuePayload.parse(job.data);
    // Run before and stopped (its worker died, or it threw): with care.
    if (d.ledger && job.id && ((job.stalledCounter ?? 0) > 0 || (job.attemptsStarted ?? 0) > 1)) return again(job.id, p.feedIds, d.ledger, p.hosts);
    const next: { feedId: string; at?: number; every?: number }[] = [];
    const out: PollDueResult = { polled: 0, errors: 0, outcomes: {} };
    const group = d.openGroup ? await d.openGroup(p.feedIds) : undefined;
    await inLanes(p.feedIds, lanes(d, p), async (feedId) => {
      try {
        const r = await (d.slots ? d.slots.run(() => d.pollFeed(feedId, group)) : d.pollFeed(feedId, group));
        tally(out, r);
        const at = nextPollAfter(r, d.clock().getTime());
        if (at !== null) next.push(nextEntry(feedId, r, at));
        await failpoint('poll-due.after-poll');
      } catch (e) {
        // Not the whole group again (its other feeds were polled): this feed's claim lapses
        // and the tick queues it again (DueTickConfig.leaseSeconds).
        pollFailed(d, out, feedId, e);
      }
    });
    // The group's writes and next polls sent together: one round trip (the same connection).
    await Promise.all([group?.commit(), d.scheduler.reschedule(next, d.clock().getTime())]);
    return out;
  };
}

/**
 * A group's re-run, after a run that stopped. The first run keeps no record (a warm cycle's 304s
 * cost one round trip a group), so the second run knows only that something killed the worker;
 * it records each feed before its poll and makes each feed's writes right after it (a few
 * commands a feed, on re-runs only). From then on each re-run skips the feeds finished, polls the
 * others first and the suspects (in flight when the worker died) one at a time after them,
 * charges a death to a feed polled alone when the worker died, and sets aside a feed charged
 * POISON_AFTER_DEATHS deaths in a row (jobs/poll.ts records the error `worker_killed` and backs
 * it off). So a poison feed delays the rest of its group by a few deaths, not for good; a feed
 * that only shared a dying worker with it (or with a random crash) is not charged.
 */
function runAgain(d: PollDueDeps) {
  return async (runId: string, feedIds: readonly string[], ledger: PollRunLedger, hosts?: number): Promise<PollDueResult> => {
    const out: PollDueResult = { polled: 0, errors: 0, outcomes: {} };
    const { finished, suspects: inFlight, deaths } = await ledger.reopenRun(runId, feedIds, d.clock().getTime());
    const plan = planRerun(feedIds, finished, deaths, d.poisonAfterDeaths ?? POISON_AFTER_DEATHS, inFlight);
    const suspects = [...plan.last, ...plan.setAside.map((s) => s.feedId)];
    d.log.warn(
      { feeds: feedIds.length, finished: finished.size, suspects, setAside: plan.setAside.map((s) => s.feedId) },
      'poll-due: a group runs again after its worker stopped; the feeds in flight then are polled last, one at a time',
    );
    const group = d.openGroup ? await d.openGroup([...plan.setAside.map((s) => s.feedId), ...plan.first, ...plan.last]) : undefined;
    const one = async (feedId: string, setAside?: SetAside, alone = false) => {
      if (!setAside) await ledger.pollStarting(runId, feedId, alone);
      try {
        const poll = () => d.pollFeed(feedId, group, setAside);
        const r = await (d.slots && !setAside ? d.slots.run(poll) : poll());
        tally(out, r);
        const now = d.clock().getTime();
        const at = nextPollAfter(r, now);
        await failpoint('poll-due.after-poll');
        // This feed's writes, next poll and record together (one round trip on the one connection).
        await Promise.all([group?.commit(), at === null ? undefined : d.scheduler.reschedule([nextEntry(feedId, r, at)], now), ledger.pollFinished(runId, feedId, setAside !== undefined)]);
      } catch (e) {
        // As in a first run: its claim lapses and it runs again then (not a death: not charged).
        pollFailed(d, out, feedId, e);
        await ledger.pollFinished(runId, feedId, true).catch(() => undefined);
      }
    };
    for (const s of plan.setAside) await one(s.feedId, s);
    await inLanes(plan.first, lanes(d, { hosts }), (feedId) => one(feedId));
    for (const feedId of plan.last) await one(feedId, undefined, true);
    await ledger.closeRun(runId);
    return out;
  };
}

/** Lanes for a group of `hosts` hosts (PollDueDeps.concurrency). */
function lanes(d: Pick<PollDueDeps, 'concurrency' | 'perHostLanes'>, p: { hosts?: number | undefined }): number {
  return Math.min(d.concurrency, (d.perHostLanes ?? d.concurrency) * (p.hosts ?? 1));
}

/** Runs `f` over `items` in `concurrency` lanes (at least one), each taking the next item. */
async function inLanes(items: readonly string[], concurrency: number, f: (item: string) => Promise<void>): Promise<void> {
  let i = 0;
  const lane = async () => {
    while (i < items.length) await f(items[i++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
}

function tally(out: PollDueResult, r: PollResult): void {
  out.polled += 1;
  out.outcomes[r.status] = (out.outcomes[r.status] ?? 0) + 1;
}

function pollFailed(d: PollDueDeps, out: PollDueResult, feedId: string, e: unknown): void {
  out.errors += 1;
  d.log.warn({ feed: feedId, err: (e as Error).message }, 'poll-due: a poll failed unexpectedly; it runs again when its claim lapses');
}
