// Dedupe of feed items in Redis: all keys of an item are checked and recorded in one Lua call.
import type { Redis } from 'ioredis';
import type { SeenStore } from '../../ports/stores.js';
import type { Keys } from './keys.js';
import { luaScript } from './scripts.js';

type Claimer = Redis & { swSeenClaim(n: number, ...args: string[]): Promise<[number, string]> };

export function createRedisSeenStore(redis: Redis, keys: Keys): SeenStore {
  // defineCommand: EVALSHA with the script cached by Redis, instead of its source every call.
  // What the script does, with its KEYS and ARGV: scripts/seen-claim.lua.
  if (!('swSeenClaim' in redis)) redis.defineCommand('swSeenClaim', { lua: luaScript('seen-claim') });
  const r = redis as Claimer;
  const args = (scope: string, itemKeys: string[], articleId: string, ttlSeconds: number): [number, ...string[]] => {
    const uniq = [...new Set(itemKeys)];
    if (uniq.length === 0) throw new Error('seen-store: an item needs at least one key');
    return [uniq.length, ...uniq.map((k) => keys.seen(scope, k)), articleId, String(Math.max(1, Math.round(ttlSeconds)))];
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
        const [n, ...rest] = args(it.scope, it.keys, it.articleId, ttlSeconds);
        p.swSeenClaim(n, ...rest);
      }
      const res = (await p.exec()) ?? [];
      return res.map(([err, v]) => {
        if (err) throw err;
        const [isNew, id] = v as [number, string];
        return { isNew: isNew === 1, articleId: id };
      });
    },
  };
}
