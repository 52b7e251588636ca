// Dedupe of feed items in Redis: all keys of an item are checked and recorded in one Lua call.
// A new item can be put in its scope's outbox in that same call (the payload of its analysis job);
// the poll queues the job and then releases it. A crash between claim and queueing leaves the
// payload in the outbox, and the next poll of the feed (the retried job, or the next scheduled
// one) queues it: claimed-but-never-queued items are not lost for good. The outbox of a scope is
// a hash under the scope's hash tag, so the claim stays one single-slot script on a cluster.
import type { Redis } from 'ioredis';
import type { SeenStore } from '../../ports/stores.js';
import type { Keys } from './keys.js';
import { luaScript } from './scripts.js';

/** The outbox's key part under the scope (item keys are `guid:`, `url:`, `title:` … never this). */
const OUTBOX = '~outbox';

type Claimer = Redis & { swSeenClaim(n: number, ...args: string[]): Promise<[number, string]> };

export function createRedisSeenStore(redis: Redis, keys: Keys): SeenStore {
  // defineCommand: EVALSHA with the script cached by Redis, instead of its source every call.
  // What the script does, with its KEYS and ARGV: scripts/seen-claim.lua.
  if (!('swSeenClaim' in redis)) redis.defineCommand('swSeenClaim', { lua: luaScript('seen-claim') });
  const r = redis as Claimer;
  const args = (scope: string, itemKeys: string[], articleId: string, ttlSeconds: number, pending?: string): [number, ...string[]] => {
    const uniq = [...new Set(itemKeys)].filter((k) => k !== OUTBOX);
    if (uniq.length === 0) throw new Error('seen-store: an item needs at least one key');
    const ks = uniq.map((k) => keys.seen(scope, k));
    const ttl = String(Math.max(1, Math.round(ttlSeconds)));
    if (pending === undefined) return [ks.length, ...ks, articleId, ttl];
    return [ks.length + 1, ...ks, keys.seen(scope, OUTBOX), articleId, ttl, pending];
  };
  return {
    async claim(outletId, itemKeys, articleId, ttlSeconds) {
      const [n, ...rest] = args(outletId, itemKeys, articleId, ttlSeconds);
      const [isNew, id] = await r.swSeenClaim(n, ...rest);
      return { isNew: isNew === 1, articleId: id };
    },
    async claimMany(items, ttlSeconds) {
      if (items.length === 0) return [];
      const p = redis.pipeline() as ReturnType<Redis['pipeline']> & { swSeenClaim(n: number, ...args: string[]): unknown };
      for (const it of items) {
        const [n, ...rest] = args(it.scope, it.keys, it.articleId, ttlSeconds, it.pending);
        p.swSeenClaim(n, ...rest);
      }
      const res = (await p.exec()) ?? [];
      return res.map(([err, v]) => {
        if (err) throw err;
        const [isNew, id] = v as [number, string];
        return { isNew: isNew === 1, articleId: id };
      });
    },
    async pending(scopes) {
      const uniq = [...new Set(scopes)];
      if (uniq.length === 0) return [];
      const p = redis.pipeline();
      for (const s of uniq) p.hgetall(keys.seen(s, OUTBOX));
      const res = (await p.exec()) ?? [];
      return res.flatMap(([err, v], i) => {
        if (err) throw err;
        return Object.entries((v ?? {}) as Record<string, string>).map(([articleId, payload]) => ({ scope: uniq[i]!, articleId, payload }));
      });
    },
    async release(items) {
      if (items.length === 0) return;
      // One HDEL per scope (a poll's items are mostly one outlet's), all in one pipeline.
      const byScope = new Map<string, string[]>();
      for (const it of items) byScope.set(it.scope, [...(byScope.get(it.scope) ?? []), it.articleId]);
      const p = redis.pipeline();
      for (const [scope, ids] of byScope) p.hdel(keys.seen(scope, OUTBOX), ...ids);
      for (const [err] of (await p.exec()) ?? []) if (err) throw err;
    },
  };
}
