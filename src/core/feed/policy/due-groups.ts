// Grouping the feeds that are due together into poll jobs, pure. The scheduler's tick claims the
// due feeds (src/adapters/feed-scheduler.ts) and hands each group to one job (jobs/poll-due.ts):
// one job per host keeps a host's feeds together, so the job can poll them within the per-host
// politeness limit, and different hosts' groups run side by side on the workers.

export interface DueFeed {
  feedId: string;
  /** The host name of the feed's URL, lower case ('' when the URL cannot be parsed). */
  host: string;
  /** When the feed was due, ms since the epoch. */
  dueAt: number;
}

export interface DueGroup {
  host: string;
  feedIds: string[];
  /** The earliest due time in the group, ms. */
  dueAt: number;
}

/**
 * Groups due feeds per host, at most `maxGroup` feeds a group (a big host's feeds spread over
 * several groups, which its per-host limit still paces). Groups come in order of their earliest
 * due time, and feeds within a group in order of due time, so the most overdue go first. Each
 * feed id appears once (a repeated id keeps its earliest due time).
 */
export function groupDueFeeds(due: readonly DueFeed[], maxGroup: number): DueGroup[] {
  if (!(maxGroup >= 1)) throw new RangeError('maxGroup must be at least 1');
  const earliest = new Map<string, DueFeed>();
  for (const f of due) {
    const prior = earliest.get(f.feedId);
    if (!prior || f.dueAt < prior.dueAt) earliest.set(f.feedId, f);
  }
  const sorted = [...earliest.values()].sort((a, b) => a.dueAt - b.dueAt || a.feedId.localeCompare(b.feedId));
  const open = new Map<string, DueGroup>();
  const groups: DueGroup[] = [];
  for (const f of sorted) {
    let g = open.get(f.host);
    if (!g || g.feedIds.length >= maxGroup) {
      g = { host: f.host, feedIds: [], dueAt: f.dueAt };
      open.set(f.host, g);
      groups.push(g);
    }
    g.feedIds.push(f.feedId);
  }
  return groups;
}

/** The host a feed is grouped under: its URL's host name, lower case; '' for a URL that does not parse. */
export function feedHost(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}
