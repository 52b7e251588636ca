// Feed administration for /feeds: over the feed store, the scheduler and the fetcher.
import { slugify } from '../core/feed/config/feeds-file.js';
import { checkUrl } from '../core/feed/policy/ssrf.js';
import { defaultRuntime, type FeedHealth } from '../core/feed/policy/schedule.js';
import type { Affiliation, FeedConfig } from '../core/types.js';
import type { FeedAdmin, FeedCheckResult, FeedStatus } from '../ports/feed-admin.js';
import type { FeedFetcher } from '../ports/feed-fetcher.js';
import type { FeedRuntime, FeedStore } from '../ports/stores.js';
import type { FeedScheduler } from '../ports/feed-scheduler.js';
import { checkFeed } from './feed-check.js';

export interface FeedAdminDeps {
  feeds: FeedStore;
  scheduler: FeedScheduler;
  fetcher: FeedFetcher;
  /** Ids of the feeds in FEEDS_FILE (a removed one returns at the next start). */
  fileFeedIds: () => Set<string>;
  allowPrivate: boolean;
  pollMinSeconds: number;
  clock: () => Date;
}

/** Feeds whose state `list` reads in one round trip. */
const LIST_WIDTH = 500;

export function createFeedAdmin(d: FeedAdminDeps): FeedAdmin {
  return {
    async list() {
      const feeds = await d.feeds.list();
      // The feeds' runtime and health 500 to a round trip: an HGET of each a feed was 40,000
      // commands at 20,000 feeds for one `/feeds list` or web feeds page (issue 16).
      const state = new Map<string, { runtime: FeedRuntime | null; health: FeedHealth | null }>();
      for (let i = 0; i < feeds.length; i += LIST_WIDTH) {
        const got = await d.feeds.loadManyForPoll<FeedHealth>(feeds.slice(i, i + LIST_WIDTH).map((f) => f.id));
        for (const [id, v] of got) state.set(id, v);
      }
      return feeds.map((feed): FeedStatus => {
        const rt = state.get(feed.id)?.runtime ?? null;
        const h = state.get(feed.id)?.health ?? null;
        return {
          feed,
          paused: rt?.paused ?? null,
          health: {
            lastSuccess: h?.lastSuccessAt ?? null,
            lastError: h?.lastError ? { code: h.lastError.code, message: h.lastError.message, since: h.lastError.since } : null,
            consecutiveFailures: h?.consecutiveFailures ?? 0,
            notModifiedRatio: h?.notModifiedRatio ?? null,
            itemsPerDay: h?.itemsPerDay ?? null,
          },
        };
      });
    },

    async add(input, by) {
      const url = checkUrl(input.url, { allowPrivate: d.allowPrivate });
      if (!url.ok) return { ok: false, code: url.code, message: url.message };
      const check = await checkFeed(d.fetcher, url.url.href, d.clock());
      if (!check.ok) return { ok: false, code: 'fetch_failed', message: check.error ?? 'the feed could not be read', check };
      const feedUrl = check.feedUrl ?? url.url.href;
      const outlet = input.outlet?.trim() || check.title?.trim() || new URL(feedUrl).hostname.replace(/^www\./, '');
      const language = (input.language?.trim().toLowerCase() || 'und').split(/[,\s]+/).filter(Boolean);
      const outletId = slugify(outlet) || slugify(new URL(feedUrl).hostname);
      const existing = (await d.feeds.list()).find((f) => f.url === feedUrl);
      if (existing) return { ok: false, code: 'exists', message: `That feed is already followed as ${existing.id}.`, check };
      let id = `${outletId}-${language[0]}`;
      for (let n = 2; await d.feeds.get(id); n++) id = `${outletId}-${language[0]}-${n}`;
      const feed: FeedConfig = {
        id,
        url: feedUrl,
        outlet,
        outletId,
        language,
        affiliation: (input.affiliation ?? 'unknown') as Affiliation,
        verified: `added by ${by} on ${d.clock().toISOString().slice(0, 10)}; checked: ${check.items} items`,
        source: 'command',
      };
      const { created } = await d.feeds.upsert(feed);
      await d.feeds.setRuntime(id, defaultRuntime(feed, d.pollMinSeconds));
      await d.scheduler.schedule(id, defaultRuntime(feed, d.pollMinSeconds).intervalSeconds);
      await d.scheduler.pollNow(id, 'new');
      return { ok: true, feed, created, check };
    },

    async remove(id) {
      const removed = await d.feeds.remove(id);
      if (removed) await d.scheduler.unschedule(id);
      return { removed, inFile: d.fileFeedIds().has(id) };
    },

    async pause(id, by) {
      const feed = await d.feeds.get(id);
      if (!feed) return false;
      const rt = (await d.feeds.getRuntime(id)) ?? defaultRuntime(feed, d.pollMinSeconds);
      await d.feeds.setRuntime(id, { ...rt, paused: { reason: `paused by ${by}`, at: d.clock().toISOString(), by: 'admin' } });
      await d.scheduler.unschedule(id);
      return true;
    },

    async resume(id) {
      const feed = await d.feeds.get(id);
      if (!feed) return false;
      const rt = (await d.feeds.getRuntime(id)) ?? defaultRuntime(feed, d.pollMinSeconds);
      await d.feeds.setRuntime(id, { ...rt, paused: null });
      // A feed paused after failures starts again with a clean failure count.
      const h = await d.feeds.getHealth<FeedHealth>(id);
      if (h) await d.feeds.setHealth(id, { ...h, consecutiveFailures: 0, notBefore: null });
      await d.scheduler.schedule(id, rt.intervalSeconds);
      await d.scheduler.pollNow(id, 'manual');
      return true;
    },

    check: (url: string): Promise<FeedCheckResult> => checkFeed(d.fetcher, url, d.clock()),
  };
}
