// Applying the feeds file at start, and the subscriptions every deployment has by default.
import type { Subscription } from '../core/routing/subscription.js';
import type { FeedConfig } from '../core/types.js';
import type { Container } from './container.js';
import { defaultRuntime } from '../../jobs/poll.js';
import { readFeedsFile } from './feeds-file.js';

export { readFeedsFile };

/**
 * Feeds of the file are added or updated by id; a feed removed by command comes back (the file
 * wins at start); a paused feed stays paused; a new feed is polled at once; every active feed
 * has its scheduler.
 */
export async function applyFeeds(c: Container, feeds: FeedConfig[]): Promise<{ added: string[]; updated: number }> {
  const added: string[] = [];
  let updated = 0;
  for (const feed of feeds) {
    const { created } = await c.stores.feeds.upsert(feed);
    const runtime = await c.stores.feeds.getRuntime(feed.id);
    if (runtime?.paused) continue;
    if (created || !runtime) {
      added.push(feed.id);
      await c.stores.feeds.setRuntime(feed.id, defaultRuntime(feed, c.config.POLL_MIN_INTERVAL_SECONDS));
      await c.scheduler.pollNow(feed.id, 'new');
    } else {
      updated += 1;
    }
    if ((await c.scheduler.current(feed.id)) === null) {
      const r = runtime ?? defaultRuntime(feed, c.config.POLL_MIN_INTERVAL_SECONDS);
      await c.scheduler.schedule(feed.id, r.intervalSeconds);
    }
  }
  return { added, updated };
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
