// Subscriptions per destination, and mutes.
import type { Redis } from 'ioredis';
import type { Subscription } from '../../core/routing/subscription.js';
import type { MuteStore, SubscriptionStore } from '../../ports/stores.js';
import type { Keys } from './keys.js';

export function createRedisSubscriptionStore(redis: Redis, keys: Keys): SubscriptionStore {
  const parse = (s: string | null | undefined) => (s ? (JSON.parse(s) as Subscription) : null);
  return {
    async add(sub) {
      await redis.multi().hset(keys.subscriptions, sub.id, JSON.stringify(sub)).sadd(keys.destinationSubs(sub.destination), sub.id).exec();
    },
    async remove(destination, id) {
      const sub = parse(await redis.hget(keys.subscriptions, id));
      if (!sub || sub.destination !== destination) return false;
      await redis.multi().hdel(keys.subscriptions, id).srem(keys.destinationSubs(destination), id).exec();
      return true;
    },
    async removeAll(destination) {
      const ids = await redis.smembers(keys.destinationSubs(destination));
      if (ids.length === 0) return 0;
      await redis.multi().hdel(keys.subscriptions, ...ids).del(keys.destinationSubs(destination)).exec();
      return ids.length;
    },
    async list(destination) {
      let subs: Subscription[];
      if (destination) {
        const ids = await redis.smembers(keys.destinationSubs(destination));
        const vals = ids.length ? await redis.hmget(keys.subscriptions, ...ids) : [];
        subs = vals.map(parse).filter((s): s is Subscription => s !== null);
      } else {
        subs = (await redis.hvals(keys.subscriptions)).map((s) => JSON.parse(s) as Subscription);
      }
      return subs.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    },
    async get(id) {
      return parse(await redis.hget(keys.subscriptions, id));
    },
    async setPaused(destination, paused) {
      const subs = await this.list(destination);
      if (subs.length === 0) return 0;
      const m = redis.multi();
      for (const s of subs) m.hset(keys.subscriptions, s.id, JSON.stringify({ ...s, paused }));
      await m.exec();
      return subs.length;
    },
  };
}

export function createRedisMuteStore(redis: Redis, keys: Keys): MuteStore {
  return {
    async mute(destination, kind, id) {
      return (await redis.sadd(keys.mutes(destination), `${kind}:${id}`)) === 1;
    },
    async unmute(destination, kind, id) {
      return (await redis.srem(keys.mutes(destination), `${kind}:${id}`)) === 1;
    },
    async get(destination) {
      const stories = new Set<string>();
      const outlets = new Set<string>();
      for (const m of await redis.smembers(keys.mutes(destination))) {
        if (m.startsWith('story:')) stories.add(m.slice(6));
        else if (m.startsWith('outlet:')) outlets.add(m.slice(7));
      }
      return { stories, outlets };
    },
  };
}

/**
 * Routing reads every subscription and the destination's mutes for every article; within a
 * worker they are read at most every `ttlMs` (a change made by a command applies within it).
 */
export function withReadCache(subs: SubscriptionStore, mutes: MuteStore, ttlMs: number, clock: () => number = Date.now): { subscriptions: SubscriptionStore; mutes: MuteStore } {
  let all: { at: number; value: Promise<Subscription[]> } | null = null;
  const byDest = new Map<string, { at: number; value: Promise<{ stories: Set<string>; outlets: Set<string> }> }>();
  return {
    subscriptions: {
      ...subs,
      list(destination?: string) {
        if (destination !== undefined) return subs.list(destination);
        const now = clock();
        if (!all || now - all.at > ttlMs) {
          const value = subs.list();
          all = { at: now, value };
          value.catch(() => (all = null));
        }
        return all.value;
      },
      setPaused: async (destination, paused) => {
        all = null;
        return subs.setPaused(destination, paused);
      },
    },
    mutes: {
      ...mutes,
      get(destination) {
        const now = clock();
        let hit = byDest.get(destination);
        if (!hit || now - hit.at > ttlMs) {
          if (byDest.size > 10_000) byDest.clear();
          hit = { at: now, value: mutes.get(destination) };
          byDest.set(destination, hit);
          hit.value.catch(() => byDest.delete(destination));
        }
        return hit.value;
      },
    },
  };
}
