// Grouping the feeds that are due together into poll jobs, pure. The scheduler's tick claims the
// due feeds (src/adapters/feed-scheduler.ts) and hands each group to one job (jobs/poll-due.ts):
// a host's feeds stay together in one job (up to maxGroup), so the job polls them within the
// per-host politeness limit (the fetcher's host limiter), and different hosts' groups run side by
// side on the workers. Hosts with fewer due feeds than a job holds share a job (packDueGroups): a
// real installation's feeds are spread over many hosts with a few feeds each, and one job per host
// made a warm cycle over 1,000 hosts 1,000 BullMQ jobs (~1 ms of a worker's CPU each, issue 16).

export interface DueFeed {
  feedId: string;
  /** The host name of the feed's URL, lower case ('' when the URL cannot be parsed). */
  host: string;
  /** When the feed was due, ms since the epoch. */
  dueAt: number;
}

export interface DueGroup {
  /** The group's host; for a group of several hosts, the first one's name and how many others. */
  host: string;
  feedIds: string[];
  /** The earliest due time in the group, ms. */
  dueAt: number;
  /** Distinct hosts in the group (1 for a group of one host's feeds). */
  hosts: number;
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
      g = { host: f.host, feedIds: [], dueAt: f.dueAt, hosts: 1 };
      open.set(f.host, g);
      groups.push(g);
    }
    g.feedIds.push(f.feedId);
  }
  return groups;
}

/**
 * Packs the groups of `groupDueFeeds` that are not full into shared groups of at most `maxGroup`
 * feeds: each group whole, into the first shared group with room for it (first fit, in the order
 * given, so the shared groups too come in order of their earliest due time). A host's feeds are
 * never split further than groupDueFeeds split them, so a host with up to `maxGroup` due feeds is
 * still polled by one job, and per-host politeness is what it was: the fetcher's host limiter
 * paces each host in the process, whatever else the job polls. A full group stays alone.
 *
 * A shared group's feeds are interleaved host by host (each host's feeds in their order): the job
 * polls its feeds in a few lanes in list order, and a host's feeds one after the other would put
 * every lane in that host's queue (its politeness limit), idle, while other hosts wait behind.
 */
export function packDueGroups(groups: readonly DueGroup[], maxGroup: number): DueGroup[] {
  if (!(maxGroup >= 1)) throw new RangeError('maxGroup must be at least 1');
  type Shared = { parts: DueGroup[]; size: number };
  const out: (DueGroup | Shared)[] = [];
  const open: Shared[] = [];
  for (const g of groups) {
    if (g.feedIds.length >= maxGroup) {
      out.push(g);
      continue;
    }
    let s = open.find((x) => x.size + g.feedIds.length <= maxGroup);
    if (!s) {
      s = { parts: [], size: 0 };
      open.push(s);
      out.push(s);
    }
    s.parts.push(g);
    s.size += g.feedIds.length;
  }
  return out.map((x) => ('parts' in x ? shared(x.parts) : x));
}

/** One group of the parts' feeds, interleaved host by host (packDueGroups). */
function shared(parts: DueGroup[]): DueGroup {
  if (parts.length === 1) return parts[0]!;
  const feedIds: string[] = [];
  const longest = Math.max(...parts.map((p) => p.feedIds.length));
  for (let i = 0; i < longest; i++) for (const p of parts) if (i < p.feedIds.length) feedIds.push(p.feedIds[i]!);
  const hosts = parts.reduce((n, p) => n + p.hosts, 0);
  // The first host's name (cut to fit a job's 300 characters) and how many others: for logs and the board.
  return { host: `${parts[0]!.host.slice(0, 200)} +${hosts - parts[0]!.hosts} hosts`, feedIds, dueAt: Math.min(...parts.map((p) => p.dueAt)), hosts };
}

/** The host a feed is grouped under: its URL's host name, lower case; '' for a URL that does not parse. */
export function feedHost(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}
