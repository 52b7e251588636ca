// Applying the feeds file at start, and the subscriptions every deployment has by default.
import type { Subscription } from '../core/routing/subscription.js';
import type { FeedConfig } from '../core/types.js';
import type { FeedRuntime } from '../ports/stores.js';
import type { Container } from './container.js';
import { defaultRuntime, emptyHealth } from '../core/feed/policy/schedule.js';
import { readFeedsFile } from './feeds-file.js';
import { prepareSchedule } from './due-feeds.js';

export { readFeedsFile };

/** What applying the feeds file changes, decided from the stored feeds and the file's. */
export interface FeedsPlan {
  /** In the file, not stored: polled at once. */
  added: FeedConfig[];
  /** In both, with a different configuration; `urlChanged` when the address moved. */
  changed: { feed: FeedConfig; before: FeedConfig; urlChanged: boolean }[];
  unchanged: FeedConfig[];
  /** File feeds stored by an earlier start but gone from the file now (command feeds never are). */
  removed: FeedConfig[];
}

/** Field-by-field equality of two feed configurations (JSON of sorted keys). */
function sameFeed(a: FeedConfig, b: FeedConfig): boolean {
  const canon = (f: FeedConfig) => JSON.stringify(Object.keys(f).sort().map((k) => [k, f[k as keyof FeedConfig]]));
  return canon(a) === canon(b);
}

/**
 * The file is the truth for file feeds: feeds gone from it stop, changed ones take the file's
 * configuration. Feeds added by command stay; a command feed whose id the file now names becomes
 * a file feed.
 */
export function planFeeds(stored: readonly FeedConfig[], file: readonly FeedConfig[]): FeedsPlan {
  const byId = new Map(stored.map((f) => [f.id, f]));
  const inFile = new Set(file.map((f) => f.id));
  const plan: FeedsPlan = { added: [], changed: [], unchanged: [], removed: [] };
  for (const feed of file) {
    const before = byId.get(feed.id);
    if (!before) plan.added.push(feed);
    else if (sameFeed(before, feed)) plan.unchanged.push(feed);
    else plan.changed.push({ feed, before, urlChanged: before.url !== feed.url });
  }
  for (const f of stored) if (f.source !== 'command' && !inFile.has(f.id)) plan.removed.push(f);
  return plan;
}

/** Feeds applied at once at start (their runtimes read in one round trip). */
const APPLY_WIDTH = 500;

export interface ApplyFeedsResult {
  added: string[];
  updated: number;
  /** Feeds whose configuration changed (polled at once unless paused). */
  changed: string[];
  /** File feeds no longer in the file: removed, their schedulers with them. */
  removed: string[];
}

/**
 * Applies the feeds file (at every start of the scheduler role). Feeds of the file are added or
 * updated by id; a feed removed by command comes back (the file wins at start); file feeds gone
 * from the file are removed with their schedules (command feeds stay); a new feed, and one whose
 * configuration changed, is polled at once; a paused feed stays paused (with the file's new
 * URL); every active feed has its schedule, and the tick that polls the due ones runs. A feed
 * whose URL changed starts afresh: the old address's validators, failures and server back-off
 * do not apply to the new one.
 */
export async function applyFeeds(c: Container, feeds: FeedConfig[]): Promise<ApplyFeedsResult> {
  // The schedule first: the earlier version's per-feed schedulers migrated, the tick running.
  await prepareSchedule(c);
  const plan = planFeeds(await c.stores.feeds.list(), feeds);
  const minSeconds = c.config.POLL_MIN_INTERVAL_SECONDS;
  const out: ApplyFeedsResult = { added: [], updated: 0, changed: [], removed: [] };

  for (const gone of plan.removed) {
    await c.scheduler.unschedule(gone.id);
    await c.stores.feeds.remove(gone.id);
    out.removed.push(gone.id);
  }
  const changed = new Map(plan.changed.map((x) => [x.feed.id, x]));
  const stored = new Set([...plan.changed.map((x) => x.feed.id), ...plan.unchanged.map((f) => f.id)]);
  // The intervals in force, read once (one read, not one a feed: 20,000 feeds start in seconds).
  const scheduled = await c.scheduler.currentAll();
  // A feed of the file already stored with the same configuration is not written again, and the
  // runtimes are read APPLY_WIDTH at a time in one round trip: a restart with 20,000 unchanged,
  // scheduled feeds sent 60,000 commands (an upsert's HSET and SREM and an HGET a feed), now ~110
  // in all (issue 16). The feeds-removed mark an upsert clears is kept by a removed feed only,
  // and a removed feed is not stored: it is applied as an added one.
  const applyOne = async (feed: FeedConfig, stateNow: FeedRuntime | null) => {
    if (!stored.has(feed.id) || changed.has(feed.id)) await c.stores.feeds.upsert(feed);
    let runtime = stateNow;
    const change = changed.get(feed.id);
    if (change?.urlChanged && runtime) {
      runtime = { ...defaultRuntime(feed, minSeconds), paused: runtime.paused };
      await c.stores.feeds.setRuntime(feed.id, runtime);
      await c.stores.feeds.setHealth(feed.id, emptyHealth());
    }
    if (change) out.changed.push(feed.id);
    if (runtime?.paused) {
      if (change) c.log.info({ feed: feed.id, paused: runtime.paused.reason }, 'feeds file: a paused feed changed; it stays paused (feeds resume to poll it)');
      return;
    }
    if (!runtime) {
      out.added.push(feed.id);
      runtime = defaultRuntime(feed, minSeconds);
      await c.stores.feeds.setRuntime(feed.id, runtime);
      await c.scheduler.pollNow(feed.id, 'new');
    } else {
      out.updated += 1;
      if (change) await c.scheduler.pollNow(feed.id, 'manual');
    }
    const every = scheduled.get(feed.id) ?? null;
    // A changed `interval` (the feed's lower bound) takes effect now, not after the next poll.
    if (every === null || (feed.interval !== undefined && every < feed.interval)) {
      const seconds = Math.max(runtime.intervalSeconds, feed.interval ?? 0);
      if (seconds !== runtime.intervalSeconds) await c.stores.feeds.setRuntime(feed.id, { ...runtime, intervalSeconds: seconds });
      await c.scheduler.schedule(feed.id, seconds);
    }
  };
  // APPLY_WIDTH feeds at a time: each feed's steps are in order, feeds are independent.
  for (let i = 0; i < feeds.length; i += APPLY_WIDTH) {
    const chunk = feeds.slice(i, i + APPLY_WIDTH);
    const state = await c.stores.feeds.loadManyForPoll(chunk.map((f) => f.id));
    await Promise.all(chunk.map((f) => applyOne(f, state.get(f.id)?.runtime ?? null)));
  }
  // In the file's order, as when they were applied one by one.
  const pos = new Map(feeds.map((f, i) => [f.id, i]));
  for (const list of [out.added, out.changed]) list.sort((a, b) => pos.get(a)! - pos.get(b)!);
  // Schedulers of feeds that no longer exist (removed while no scheduler role ran) are swept.
  const known = new Set((await c.stores.feeds.list()).map((f) => f.id));
  const strays = (await c.scheduler.scheduledFeedIds()).filter((id) => !known.has(id));
  await Promise.all(strays.map((id) => c.scheduler.unschedule(id)));
  if (out.removed.length) c.log.info({ feeds: out.removed }, 'feeds file: stopped feeds no longer in it');
  if (out.changed.length) c.log.info({ feeds: out.changed }, 'feeds file: feeds changed; polling them now');
  return out;
}

/** The subscription a `*_DEFAULT_CHANNEL` (or the console) gets: every Central Asia story. */
export function defaultSubscription(destination: string, now: Date): Subscription {
  return {
    id: `default-${destination.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}`.slice(0, 60),
    destination,
    countries: [],
    tags: [],
    outlets: [],
    affiliations: [],
    keywords: [],
    minRelevance: null,
    mode: 'alerts',
    isDefault: true,
    createdBy: null,
    createdAt: now.toISOString(),
    paused: null,
  };
}

/** Destinations that get every story without asking: the default channels, else the console. */
export function defaultDestinations(c: Pick<Container, 'config'>): string[] {
  const d: string[] = [];
  if (c.config.slackEnabled && c.config.SLACK_DEFAULT_CHANNEL) d.push(`slack:${c.config.SLACK_DEFAULT_CHANNEL}`);
  if (c.config.discordEnabled && c.config.DISCORD_DEFAULT_CHANNEL) d.push(`discord:${c.config.DISCORD_DEFAULT_CHANNEL}`);
  if (!c.config.slackEnabled && !c.config.discordEnabled) d.push('console');
  return d;
}

export async function ensureDefaultSubscriptions(c: Container): Promise<string[]> {
  const wanted = defaultDestinations(c);
  const existing = (await c.stores.subscriptions.list()).filter((s) => s.isDefault);
  for (const s of existing) {
    if (!wanted.includes(s.destination)) await c.stores.subscriptions.remove(s.destination, s.id);
  }
  for (const dest of wanted) {
    const sub = defaultSubscription(dest, c.clock());
    const prior = existing.find((s) => s.id === sub.id);
    // Configuration is applied at every start: a default channel paused because the platform
    // refused it (bot not invited …) is tried again after the admin fixed it and restarted.
    if (prior?.paused) c.log.info({ destination: dest, reason: prior.paused.reason }, 'default channel was paused; trying it again');
    await c.stores.subscriptions.add(prior ? { ...sub, createdAt: prior.createdAt } : sub);
  }
  return wanted;
}
