// When feeds are polled. Every scheduled feed has a next-poll time (one sorted set in Redis); a
// repeating tick claims the feeds that are due and hands them, grouped per host, to poll-due
// jobs (jobs/poll-due.ts); one-off polls (a new or resumed feed, a manual check) are jobs of
// their own. src/adapters/feed-scheduler.ts implements it over Redis and BullMQ.
import { z } from 'zod';
import type { DueFeed } from '../core/feed/policy/due-groups.js';
import type { PollPayload } from './queue-payloads.js';

export type { DueFeed };

export interface FeedScheduler {
  /** Polls the feed every `everySeconds`, the next time at `startAt` (default now + interval). */
  schedule(feedId: string, everySeconds: number, startAt?: number): Promise<void>;
  unschedule(feedId: string): Promise<void>;
  /**
   * As `schedule`, for a feed that is still scheduled only (a poll that finishes after the feed
   * was paused or removed must not schedule it again). True when it was.
   */
  update(feedId: string, everySeconds: number, startAt: number): Promise<boolean>;
  /** A one-off poll as soon as a worker is free (a new or resumed feed, a manual check). */
  pollNow(feedId: string, reason: PollPayload['reason']): Promise<void>;
  /** The interval in force, seconds, or null when the feed has no schedule. */
  current(feedId: string): Promise<number | null>;
  /** The intervals in force of every scheduled feed, seconds (one read for many feeds). */
  currentAll(): Promise<Map<string, number>>;
  /**
   * When the feed is polled next, ms since the epoch: a pending one-off poll's time, else its
   * scheduled time (while a poll of it is under way, the time its claim lapses); null when
   * neither exists (a paused or removed feed).
   */
  nextPoll(feedId: string): Promise<number | null>;
  /** `nextPoll` of many feeds, read in one round trip (the feeds page, `feeds list`). */
  nextPolls(feedIds: readonly string[]): Promise<Map<string, number | null>>;
  /** Ids of the feeds that have a schedule. */
  scheduledFeedIds(): Promise<string[]>;
  /**
   * Claims up to `limit` feeds due at `now` (the most overdue first), atomically: each claimed
   * feed's next time moves to `leaseUntil`, so a second tick does not claim it again, and a
   * feed whose poll never reports back (a tick or a worker that died) is due again then.
   * With `claimId`, the claim is also recorded under that id in the same atomic write, until
   * `claimQueued(claimId)`: see `unqueuedClaims`. The id starts with the claim time, ms, and a `-`.
   */
  claimDue(now: number, limit: number, leaseUntil: number, claimId?: string): Promise<DueFeed[]>;
  /**
   * Claims recorded before `claimedBefore` (ms) whose polls were never reported queued: their tick
   * died between claim and queueing, or a Redis host crash lost the queueing but kept the claim.
   */
  unqueuedClaims(claimedBefore: number): Promise<{ claimId: string; feeds: DueFeed[] }[]>;
  /** The claims' polls are queued: their records go. */
  claimQueued(claimIds: readonly string[]): Promise<void>;
  /**
   * Sets the next poll of feeds that are still scheduled (a feed unscheduled meanwhile — paused,
   * removed — stays so): at `at`, or without it one interval from `now` (the new interval when
   * `every` is given). With `every` (s), the feed's interval is set too, as `update` does: a
   * poll-due group's polls whose intervals moved are written with the group's next polls, one
   * round trip for the group instead of one a feed.
   */
  reschedule(entries: readonly { feedId: string; at?: number; every?: number }[], now: number): Promise<void>;
}

/**
 * A poll-due group's record of its own runs, for the run after a worker died holding the group
 * (a poison feed: its poll kills the worker; see core/feed/policy/poison.ts): the feeds an earlier
 * run finished, and those it had started and not finished when it died. Only re-runs write it: a
 * group's first run costs nothing more (the warm cycle).
 */
export interface PollRunLedger {
  /**
   * Opens a re-run of group run `runId`. A feed an earlier run started alone and did not finish
   * is charged one death; one it started beside others is a suspect (polled alone next time).
   * Returns the feeds finished, the suspects, and the recent deaths of the group's feeds.
   */
  reopenRun(runId: string, feedIds: readonly string[], now: number): Promise<{ finished: Set<string>; suspects: Set<string>; deaths: Map<string, number> }>;
  /** Before a feed's poll in a re-run: in flight, `alone` or beside others. */
  pollStarting(runId: string, feedId: string, alone: boolean): Promise<void>;
  /** After it (its writes made): finished; its deaths are forgotten unless `keepDeaths` (a feed set aside, a poll that threw). */
  pollFinished(runId: string, feedId: string, keepDeaths: boolean): Promise<void>;
  /** The group is done: its record goes. */
  closeRun(runId: string): Promise<void>;
}

/** Job names on the poll queue besides `poll` (one feed). */
export const DUE_TICK_JOB = 'due-feeds';
export const POLL_DUE_JOB = 'poll-due';

/** A group of due feeds, polled by one job: one host's, or a few hosts' with few due feeds each (core/feed/policy/due-groups.ts). */
export const pollDuePayload = z.object({
  host: z.string().max(300),
  feedIds: z.array(z.string().min(1).max(200)).min(1).max(1000),
  /** The earliest due time in the group, ms (how late the poll runs). */
  dueAt: z.number().int().nonnegative(),
  /**
   * Distinct hosts among the feeds (jobs/poll-due.ts polls a group of several hosts in more lanes).
   * Absent: one (a group queued by an earlier version, always of one host); an earlier version's
   * worker ignores it and polls a shared group in one host's lanes, slower but as politely.
   */
  hosts: z.number().int().min(1).max(1000).optional(),
});
export type PollDuePayload = z.infer<typeof pollDuePayload>;
