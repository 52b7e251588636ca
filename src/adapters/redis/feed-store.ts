// Feeds (from the feeds file and from /feeds add) and their runtime state and health.
import type { Redis } from 'ioredis';
import type { FeedConfig } from '../../core/types.js';
import type { FeedRuntime, FeedStore } from '../../ports/stores.js';
import type { Keys } from './keys.js';

export function createRedisFeedStore(redis: Redis, keys: Keys): FeedStore {
  return {
    async upsert(feed) {
      const created = (await redis.hset(keys.feeds, feed.id, JSON.stringify(feed))) === 1;
      await redis.srem(keys.feedsRemoved, feed.id);
      return { created };
    },
    async get(id) {
      const s = await redis.hget(keys.feeds, id);
      return s ? (JSON.parse(s) as FeedConfig) : null;
    },
    async list() {
      const all = await redis.hvals(keys.feeds);
      return all.map((s) => JSON.parse(s) as FeedConfig).sort((a, b) => a.id.localeCompare(b.id));
    },
    async remove(id) {
      const removed = (await redis.hdel(keys.feeds, id)) === 1;
      if (removed) {
        await redis.sadd(keys.feedsRemoved, id);
        await redis.del(keys.feedState(id));
      }
      return removed;
    },
    async wasRemoved(id) {
      return (await redis.sismember(keys.feedsRemoved, id)) === 1;
    },
    async getRuntime(id) {
      const s = await redis.hget(keys.feedState(id), 'runtime');
      return s ? (JSON.parse(s) as FeedRuntime) : null;
    },
    async setRuntime(id, r) {
      await redis.hset(keys.feedState(id), 'runtime', JSON.stringify(r));
    },
    async getHealth<T>(id: string) {
      const s = await redis.hget(keys.feedState(id), 'health');
      return s ? (JSON.parse(s) as T) : null;
    },
    async setHealth<T>(id: string, h: T) {
      await redis.hset(keys.feedState(id), 'health', JSON.stringify(h));
    },
    async loadForPoll<T>(id: string) {
      const res = (await redis.pipeline().hget(keys.feeds, id).hmget(keys.feedState(id), 'runtime', 'health').exec()) ?? [];
      const [feedErr, feed] = res[0] ?? [];
      const [stateErr, state] = res[1] ?? [];
      if (feedErr) throw feedErr;
      if (stateErr) throw stateErr;
      const [runtime, health] = (state as (string | null)[] | undefined) ?? [null, null];
      return {
        feed: feed ? (JSON.parse(feed as string) as FeedConfig) : null,
        runtime: runtime ? (JSON.parse(runtime) as FeedRuntime) : null,
        health: health ? (JSON.parse(health) as T) : null,
      };
    },
    async saveAfterPoll<T>(id: string, runtime: FeedRuntime, health: T) {
      await redis.hset(keys.feedState(id), { runtime: JSON.stringify(runtime), health: JSON.stringify(health) });
    },
    async loadManyForPoll<T>(ids: readonly string[]) {
      type Loaded = { feed: FeedConfig | null; runtime: FeedRuntime | null; health: T | null };
      const out = new Map<string, Loaded>();
      if (ids.length === 0) return out;
      // One pipeline: the configs in one HMGET, each feed's state in an HMGET of its own hash.
      const p = redis.pipeline().hmget(keys.feeds, ...ids);
      for (const id of ids) p.hmget(keys.feedState(id), 'runtime', 'health');
      const res = (await p.exec()) ?? [];
      for (const [err] of res) if (err) throw err;
      const configs = (res[0]?.[1] ?? []) as (string | null)[];
      ids.forEach((id, i) => {
        const [runtime, health] = (res[i + 1]?.[1] as (string | null)[] | undefined) ?? [null, null];
        const feed = configs[i];
        out.set(id, {
          feed: feed ? (JSON.parse(feed) as FeedConfig) : null,
          runtime: runtime ? (JSON.parse(runtime) as FeedRuntime) : null,
          health: health ? (JSON.parse(health) as T) : null,
        });
      });
      return out;
    },
    async saveManyAfterPoll<T>(saves: readonly { id: string; runtime: FeedRuntime; health: T }[]) {
      if (saves.length === 0) return;
      const p = redis.pipeline();
      for (const s of saves) p.hset(keys.feedState(s.id), { runtime: JSON.stringify(s.runtime), health: JSON.stringify(s.health) });
      for (const [err] of (await p.exec()) ?? []) if (err) throw err;
    },
  };
}
