// The one place that wires everything: config in, the parts each role needs out.
// Dependencies are passed as options objects; nothing here is global.
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Logger } from '../adapters/log.js';
import { createMetrics, type Metrics } from '../adapters/metrics.js';
import { acquireRedis, type RedisHandle } from '../adapters/redis/embedded.js';
import { connectRedis } from '../adapters/redis/connection.js';
import { waitForRedis } from '../adapters/redis/spawn.js';
import { makeKeys, type Keys } from '../adapters/redis/keys.js';
import { createQueues, closeQueues, type Queues } from '../adapters/queues.js';
import { createRedisSeenStore } from '../adapters/redis/seen-store.js';
import { createRedisArticleStore } from '../adapters/redis/article-store.js';
import { createRedisFeedStore, FeedParses, type RedisFeedStore } from '../adapters/redis/feed-store.js';
import { createRedisMuteStore, createRedisSubscriptionStore } from '../adapters/redis/subscription-store.js';
import { createRedisDeliveryStore } from '../adapters/redis/delivery-store.js';
import { createRedisBatchTracker } from '../adapters/redis/batch-tracker.js';
import { createRedisDigestLedger, createRedisPlatformGate } from '../adapters/redis/platform-state.js';
import { createRedisStoryStore } from '../adapters/redis/story-store.js';
import { createRedisTrendStore } from '../adapters/redis/trend-store.js';
import type { SpikeStore, TrendCounterStore } from '../ports/trend-counters.js';
import { createFeedScheduler, type RedisFeedScheduler } from '../adapters/feed-scheduler.js';
import type { KnownOutlet } from '../core/story/trail.js';
import { readFeedsFile } from './feeds-file.js';
import { loadOutletDirectory } from './outlets.js';
import type { OutletDirectory } from '../core/feed/config/outlets.js';
import type { FeedConfig } from '../core/types.js';
import type { ArticleStore, ArticleTimeline, BatchTracker, DeliveryStore, DigestLedger, FeedStore, PlatformGate, MuteStore, SeenStore, StoryStore, SubscriptionStore } from '../ports/stores.js';

export interface Stores {
  seen: SeenStore;
  articles: ArticleStore & ArticleTimeline;
  /** With its upkeep at start (migrateState: the earlier version's per-feed state moved in). */
  feeds: FeedStore & Pick<RedisFeedStore, 'migrateState'>;
  stories: StoryStore;
  subscriptions: SubscriptionStore;
  mutes: MuteStore;
  deliveries: DeliveryStore;
  batches: BatchTracker;
  platforms: PlatformGate;
  digests: DigestLedger;
  /** Trend counters and the spikes found (issue #17). */
  trends: TrendCounterStore & SpikeStore;
}

export interface Container {
  config: Readonly<Config>;
  log: Logger;
  clock: () => Date;
  redisUrl: string;
  redis: Redis;
  keys: Keys;
  queues: Queues;
  metrics: Metrics;
  stores: Stores;
  scheduler: RedisFeedScheduler;
  /** Outlets known by name (aggregator items, citations). */
  outlets: OutletDirectory;
  /** Path of the console destination's alert records. */
  alertsFile: string;
  close(): Promise<void>;
}

/** Outlets known by name: the built-in list and the feeds file's (an unreadable file is the scheduler's to report). */
export function deploymentOutlets(feedsFile: string): OutletDirectory {
  let feeds: FeedConfig[] = [];
  try {
    feeds = readFeedsFile(feedsFile);
  } catch {
    feeds = [];
  }
  return loadOutletDirectory(feeds);
}

/** Outlets an article may credit ("according to the Global Times"): the directory
 * (data/outlets.yaml, the one list of known outlets, and the feeds file's outlets). */
export function knownOutlets(outlets: OutletDirectory): KnownOutlet[] {
  return outlets.all().map((o) => ({ id: o.id, names: [...o.names] }));
}

export interface ContainerOptions {
  config: Readonly<Config>;
  log: Logger;
  clock?: () => Date;
  /** Use this Redis instead of REDIS_URL / the embedded one (demo, tests). */
  redisUrl?: string;
  /** How long to wait for Redis to answer at start (default 15 s), then RedisUnreachableError. */
  redisTimeoutMs?: number;
}

export async function createContainer(o: ContainerOptions): Promise<Container> {
  const { config, log } = o;
  const clock = o.clock ?? (() => new Date());
  let handle: RedisHandle | null = null;
  let redisUrl = o.redisUrl;
  if (!redisUrl) {
    handle = await acquireRedis({ redisUrl: config.REDIS_URL, varDir: config.varDir, onEvent: (m) => log.info(m) });
    redisUrl = handle.url;
  }
  const redis = connectRedis(redisUrl, { name: 'steppewatch' });
  // A Redis that does not answer ends the command (exit 3), instead of queueing commands for minutes.
  try {
    await waitForRedis(redis, redisUrl, o.redisTimeoutMs);
  } catch (e) {
    redis.disconnect();
    await handle?.release();
    throw e;
  }
  redis.on('error', (e) => log.warn({ err: e.message }, 'redis connection error'));
  // The stores get a connection of their own: BullMQ defines its ~45 Lua scripts on the one it
  // is given, and ioredis copies every script defined on a connection into each pipeline made
  // from it (~80 µs a pipeline with BullMQ's; a poll makes one) — the stores' pipelines should
  // carry only the stores' scripts.
  const storeRedis = connectRedis(redisUrl, { name: 'steppewatch:stores' });
  storeRedis.on('error', (e) => log.warn({ err: e.message }, 'redis connection error (stores)'));
  const keys = makeKeys(config.redisPrefix);
  const queues = createQueues(redis, keys);
  // Connection errors (a Redis restart) are retried by ioredis; say so once per error, quietly.
  for (const [name, q] of Object.entries(queues)) q.on('error', (e) => log.warn({ queue: name, err: e.message }, 'queue: redis error'));
  const metrics = createMetrics();
  metrics.watchQueues(queues);
  const retentionSeconds = config.RETENTION_DAYS * 86_400;
  const outlets = deploymentOutlets(config.FEEDS_FILE);
  // The feed store's kept texts and parses, shared with the scheduler's tick (the hosts of due feeds).
  const feedParses = new FeedParses();
  const stores: Stores = {
    seen: createRedisSeenStore(storeRedis, keys),
    articles: createRedisArticleStore(storeRedis, keys),
    feeds: createRedisFeedStore(storeRedis, keys, feedParses),
    stories: createRedisStoryStore({
      redis: storeRedis,
      keys,
      windowHours: config.STORY_WINDOW_HOURS,
      retentionDays: config.RETENTION_DAYS,
      knownOutlets: knownOutlets(outlets),
    }),
    subscriptions: createRedisSubscriptionStore(storeRedis, keys),
    mutes: createRedisMuteStore(storeRedis, keys),
    deliveries: createRedisDeliveryStore(storeRedis, keys, retentionSeconds),
    batches: createRedisBatchTracker(storeRedis, keys),
    platforms: createRedisPlatformGate(storeRedis, keys),
    digests: createRedisDigestLedger(storeRedis, keys),
    trends: createRedisTrendStore(storeRedis, keys, config.RETENTION_DAYS),
  };
  const scheduler = createFeedScheduler({ poll: queues.poll, redis: storeRedis, keys, clock: () => clock().getTime(), parses: feedParses });
  let closed = false;
  return {
    config,
    log,
    clock,
    redisUrl,
    redis,
    keys,
    queues,
    metrics,
    stores,
    scheduler,
    outlets,
    alertsFile: join(config.varDir, 'alerts.jsonl'),
    async close() {
      if (closed) return;
      closed = true;
      await closeQueues(queues).catch((e: unknown) => log.warn({ err: e }, 'closing queues'));
      await storeRedis.quit().catch(() => storeRedis.disconnect());
      await redis.quit().catch(() => redis.disconnect());
      await handle?.release();
    },
  };
}
