// Poison feeds, pure: a feed whose poll kills the worker process every time (a parser crash, out
// of memory) must not hold up the other feeds of its poll-due group. The group's job runs again
// after each death (BullMQ's stalled check), and without care it dies again on the same feed,
// every other feed of the group waiting (jobs/poll-due.ts). A re-run therefore knows which feeds
// the earlier runs finished (skipped) and which were in flight when the worker died: suspects. It
// polls the others first, the suspects one at a time after them, so that a death names its feed,
// which is charged one death. A feed charged POISON_AFTER_DEATHS deaths in a row (a good poll
// clears them) is set aside: not fetched, its health records the error `worker_killed`, and its
// next poll backs off (quarantineSeconds). Only deaths of a feed polled alone count: a feed that
// merely shared a dying worker with a poison one, or with a random crash, is not set aside.

/** Deaths charged to a feed (each while it was polled alone, in a row) before it is set aside. */
export const POISON_AFTER_DEATHS = 3;
/** Deaths older than this are forgotten (a feed charged once, months apart, is not poison). */
export const DEATH_MEMORY_MS = 24 * 3_600_000;
/** The error code of a feed set aside (FeedHealth.lastError.code; /feeds and the feeds page show it). */
export const WORKER_KILLED = 'worker_killed';
/** The backoff of a feed set aside: at least an hour, doubling with its failures in a row, at most a day. */
export const QUARANTINE_MIN_SECONDS = 3_600;
export const QUARANTINE_MAX_SECONDS = 24 * 3_600;

export interface RerunPlan {
  /** Feeds set aside: not fetched, recorded as failed with WORKER_KILLED. */
  setAside: { feedId: string; deaths: number }[];
  /** Feeds with no deaths, polled first (as many at once as the group's lanes). */
  first: string[];
  /** Suspects and feeds with deaths below the threshold, polled last, one at a time, fewest deaths first. */
  last: string[];
}

/** The order of a re-run of a group: `finished` feeds are left out (their writes were made). */
export function planRerun(
  feedIds: readonly string[],
  finished: ReadonlySet<string>,
  deaths: ReadonlyMap<string, number>,
  threshold = POISON_AFTER_DEATHS,
  suspects: ReadonlySet<string> = new Set(),
): RerunPlan {
  const plan: RerunPlan = { setAside: [], first: [], last: [] };
  for (const feedId of feedIds) {
    if (finished.has(feedId)) continue;
    const n = deaths.get(feedId) ?? 0;
    if (n >= threshold) plan.setAside.push({ feedId, deaths: n });
    else if (n > 0 || suspects.has(feedId)) plan.last.push(feedId);
    else plan.first.push(feedId);
  }
  // Stable: equal counts keep the group's order (most overdue first).
  plan.last.sort((a, b) => (deaths.get(a) ?? 0) - (deaths.get(b) ?? 0));
  return plan;
}

/** A feed's recorded deaths (`<count> <ms>`), 0 when none or older than DEATH_MEMORY_MS. */
export function parseDeaths(v: string | null | undefined, now: number): number {
  if (!v) return 0;
  const [count, at] = v.split(' ').map(Number);
  if (!Number.isFinite(count) || !Number.isFinite(at) || now - at! > DEATH_MEMORY_MS) return 0;
  return Math.max(0, Math.floor(count!));
}

export function formatDeaths(count: number, now: number): string {
  return `${count} ${Math.round(now)}`;
}

/** The health message of a feed set aside (shown beside WORKER_KILLED in /feeds and the feeds page). */
export function setAsideMessage(deaths: number): string {
  return `polling this feed stopped the worker ${deaths} times (a crash or out of memory while fetching or parsing it); set aside so the other feeds are polled on time, tried again later`;
}

/** Seconds until a set-aside feed is tried again, given its failures in a row (this one included): 1 h, 2 h, 4 h … 24 h. */
export function quarantineSeconds(consecutiveFailures: number): number {
  const n = Math.max(1, Math.floor(consecutiveFailures));
  return Math.min(QUARANTINE_MAX_SECONDS, QUARANTINE_MIN_SECONDS * 2 ** Math.min(n - 1, 10));
}
