// Exactly-once delivery bookkeeping: what each article is for each destination (alert,
// follow-up or nothing), the posts made, the story's root message, pacing slots, and the intent
// recorded before each post (the deliver job's crash window between posting and recording).
import type { Redis } from 'ioredis';
import type { TagId } from '../../core/types.js';
import type { MessageRef } from '../../ports/notifier.js';
import type { DeliveryKind, DeliveryStore } from '../../ports/stores.js';
import type { Keys } from './keys.js';
import { luaScript } from './scripts.js';

/** Moves what a destination knows of a merged story to its survivor: scripts/delivery-merge.lua. */
const MERGE = luaScript('delivery-merge');

/** How long the server's uptime is reused before INFO is asked again. */
const UPTIME_CACHE_MS = 5_000;

type Planner = Redis & { swDeliveryPlanMany(n: number, ...args: string[]): Promise<(DeliveryKind | 'skip')[]> };

export function createRedisDeliveryStore(redis: Redis, keys: Keys, retentionSeconds: number): DeliveryStore {
  const ttl = Math.max(1, Math.round(retentionSeconds));
  // EVALSHA of a script Redis caches (defineCommand), not the script's source with every call.
  // Plans (destination, story, article) in order: scripts/delivery-plan-many.lua.
  if (!('swDeliveryPlanMany' in redis)) redis.defineCommand('swDeliveryPlanMany', { lua: luaScript('delivery-plan-many') });
  const planner = redis as Planner;
  let upCache: { at: number; since: number | null } | null = null;
  async function planMany(plans: readonly { destination: string; storyId: string; outletId: string; articleId: string }[]) {
    if (plans.length === 0) return [];
    const ks = plans.map((p) => keys.deliveryStory(p.destination, p.storyId));
    const argv = [String(ttl), ...plans.flatMap((p) => [p.outletId, p.articleId])];
    return planner.swDeliveryPlanMany(ks.length, ...ks, ...argv);
  }
  return {
    async plan(destination, storyId, outletId, articleId) {
      return (await planMany([{ destination, storyId, outletId, articleId }]))[0]!;
    },
    planMany,
    async planned(destination, storyId, articleId) {
      return (await redis.hget(keys.deliveryStory(destination, storyId), `art:${articleId}`)) as 'alert' | 'followup' | 'skip' | null;
    },
    async posted(destination, articleId) {
      const s = await redis.hget(keys.deliveryArticle(destination, articleId), 'ref');
      return s ? (JSON.parse(s) as MessageRef) : null;
    },
    async recordPost(destination, articleId, storyId, ref, kind) {
      const m = redis.multi();
      const ak = keys.deliveryArticle(destination, articleId);
      m.hset(ak, { ref: JSON.stringify(ref), storyId, kind, at: new Date().toISOString() });
      m.expire(ak, ttl);
      if (kind === 'alert') {
        const sk = keys.deliveryStory(destination, storyId);
        // The root's article is the one posted, which may not be the one planned first (the
        // deliver job posts a story's earlier-published article first when it can).
        m.hset(sk, { root: JSON.stringify(ref), first: articleId });
        m.expire(sk, ttl);
      }
      await m.exec();
    },
    async mergeStory(destination, from, into) {
      return (await redis.eval(MERGE, 2, keys.deliveryStory(destination, from), keys.deliveryStory(destination, into), into, String(ttl))) as 'notice' | 'moved' | 'none';
    },
    async recordIntent(destination, key) {
      const ak = keys.deliveryArticle(destination, key);
      await redis.multi().hset(ak, 'intent', new Date().toISOString()).expire(ak, ttl).exec();
    },
    async intent(destination, key) {
      return (await redis.hexists(keys.deliveryArticle(destination, key), 'intent')) === 1;
    },
    async clearIntent(destination, key) {
      await redis.hdel(keys.deliveryArticle(destination, key), 'intent');
    },
    async upSince() {
      // INFO is cheap but not free: asked at most every UPTIME_CACHE_MS per process.
      const now = Date.now();
      if (upCache && now - upCache.at < UPTIME_CACHE_MS) return upCache.since;
      const info = await redis.info('server');
      const m = /^uptime_in_seconds:(\d+)/m.exec(info);
      const since = m ? now - Number(m[1]) * 1000 : null;
      upCache = { at: now, since };
      return since;
    },
    async root(destination, storyId) {
      const s = await redis.hget(keys.deliveryStory(destination, storyId), 'root');
      return s ? (JSON.parse(s) as MessageRef) : null;
    },
    async rootArticle(destination, storyId) {
      return redis.hget(keys.deliveryStory(destination, storyId), 'first');
    },
    async shownTags(destination, storyId) {
      const fields = await redis.hkeys(keys.deliveryStory(destination, storyId));
      return new Set(fields.filter((f) => f.startsWith('tag:')).map((f) => f.slice(4) as TagId));
    },
    async addShownTags(destination, storyId, tags) {
      if (tags.length === 0) return [];
      const k = keys.deliveryStory(destination, storyId);
      const p = redis.pipeline();
      for (const t of tags) p.hsetnx(k, `tag:${t}`, '1');
      p.expire(k, ttl);
      const res = (await p.exec()) ?? [];
      return tags.filter((_t, i) => res[i]?.[1] === 1) as TagId[];
    },
    async takeSlot(destination, intervalMs) {
      if (intervalMs <= 0) return 0;
      const k = keys.pace(destination);
      const ok = await redis.set(k, '1', 'PX', intervalMs, 'NX');
      if (ok === 'OK') return 0;
      const left = await redis.pttl(k);
      return left > 0 ? left : 1;
    },
  };
}
