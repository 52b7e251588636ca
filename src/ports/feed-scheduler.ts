// When feeds are polled: one schedule per feed, and one-off polls. src/adapters/feed-scheduler.ts
// implements it with BullMQ job schedulers on the poll queue.
import type { PollPayload } from './queue-payloads.js';

export interface FeedScheduler {
  /** Polls the feed every `everySeconds`, the next time at `startAt` (default now + interval). */
  schedule(feedId: string, everySeconds: number, startAt?: number): Promise<void>;
  unschedule(feedId: string): Promise<void>;
  /** A one-off poll as soon as a worker is free (a new or resumed feed, a manual check). */
  pollNow(feedId: string, reason: PollPayload['reason']): Promise<void>;
  /** The interval in force, seconds, or null when the feed has no scheduler. */
  current(feedId: string): Promise<number | null>;
  /**
   * When the feed is polled next, ms since the epoch: a pending one-off poll's time, else the
   * scheduler's next run; null when neither exists (a paused or removed feed).
   */
  nextPoll(feedId: string): Promise<number | null>;
  /** Ids of the feeds that have a scheduler. */
  scheduledFeedIds(): Promise<string[]>;
}
