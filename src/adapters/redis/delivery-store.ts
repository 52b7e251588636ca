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

type Planner = Redis & {
  swDeliveryPlanMany(n: number, ...args: string[]): Promise<(DeliveryKind | 'skip')[]>;
  swDeliveryRecord(n: number, ...args: string[]): Promise<number>;
};

export function createRedisDeliveryStore(redis: Redis, keys: Keys, retentionSeconds: number): DeliveryStore {
  const ttl = Math.max(1, Math.round(retentionSeconds));
  // EVALSHA of a script Redis caches (defineCommand), not the script's source with every call.
  // Plans (destination, story, article) in order: scripts/delivery-plan-many.lua.
  if (!('swDeliveryPlanMany' in redis)) redis.defineCommand('swDeliveryPlanMany', { lua: luaScript('delivery-plan-many') });
  // A delivery's writes, one call each: scripts/delivery-record.lua.
  if (!('swDeliveryRecord' in redis)) redis.defineCommand('swDeliveryRecord', { lua: luaScript('delivery-record') });
  const planner = redis as Planner;
  let upCache: { at: number; since: number | null } | null = null;
  // A connection that closes may come back to a restarted server (a host crash): its start is asked
  // again, not taken from before. Kept, a deliver job run again just after the restart (the crash
  // took its intent, record and start) took the old start for the current one, did not ask the
  // platform and posted again (test/integration/pipeline/restart-uptime.test.ts).
  redis.on('close', () => (upCache = null));
  async function planMany(plans: readonly { destination: string; storyId: string; outletId: string; articleId: string }[]) {
    if (plans.length === 0) return [];
    const ks = plans.map((p) => keys.deliveryStory(p.destination, p.storyId));
    const argv = [String(ttl), ...plans.flatMap((p) => [p.outletId, p.articleId])];
    return planner.swDeliveryPlanMany(ks.length, ...ks, ...argv);
  }
  return {
    planMany,
    async posted(destination, articleId) {
      const s = await redis.hget(keys.deliveryArticle(destination, articleId), 'ref');
      return s ? (JSON.parse(s) as MessageRef) : null;
    },
    async recordPost(destination, articleId, storyId, ref, kind, shownTags = []) {
      const ak = keys.deliveryArticle(destination, articleId);
      const sk = keys.deliveryStory(destination, storyId);
      await planner.swDeliveryRecord(2, ak, sk, String(ttl), 'post', new Date().toISOString(), JSON.stringify(ref), storyId, kind, articleId, ...shownTags);
    },
    async mergeStory(destination, from, into) {
      return (await redis.eval(MERGE, 2, keys.deliveryStory(destination, from), keys.deliveryStory(destination, into), into, String(ttl))) as 'notice' | 'moved' | 'none';
    },
    async recordIntent(destination, key, swappedFor) {
      const at = new Date().toISOString();
      if (swappedFor === undefined) await planner.swDeliveryRecord(1, keys.deliveryArticle(destination, key), String(ttl), 'intent', at);
      else await planner.swDeliveryRecord(2, keys.deliveryArticle(destination, key), keys.deliveryArticle(destination, swappedFor), String(ttl), 'intent', at, key);
    },
    async view(destination, storyId, key) {
      // One round trip (two reads sent together; not a pipeline: see connection.ts) for what deliver used to ask in five or more.
      const [art, story] = await Promise.all([redis.hmget(keys.deliveryArticle(destination, key), 'ref', 'intent', 'swap'), redis.hgetall(keys.deliveryStory(destination, storyId))]);
      const planned = new Map<string, DeliveryKind | 'skip'>();
      const shownTags = new Set<TagId>();
      for (const [f, v] of Object.entries(story)) {
        if (f.startsWith('art:')) planned.set(f.slice(4), v as DeliveryKind | 'skip');
        else if (f.startsWith('tag:')) shownTags.add(f.slice(4) as TagId);
      }
      return {
        posted: art[0] ? (JSON.parse(art[0]) as MessageRef) : null,
        intent: art[1] !== null,
        swappedIn: art[2] ?? null,
        root: story.root ? (JSON.parse(story.root) as MessageRef) : null,
        rootArticle: story.first ?? null,
        planned,
        shownTags,
      };
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
