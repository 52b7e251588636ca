// Dedupe of feed items in Redis: all keys of an item are checked and recorded in one Lua call.
import type { Redis } from 'ioredis';
import type { SeenStore } from '../../ports/stores.js';
import type { Keys } from './keys.js';

// KEYS: the item's seen keys. ARGV: article id, ttl seconds.
// If any key is known, the item is a repeat of the article it names; all keys are (re)written
// to that owner, so a new GUID or a new tracking parameter is learnt as an alias.
const CLAIM = `
local owner = false
for i, k in ipairs(KEYS) do
  local v = redis.call('GET', k)
  if v then owner = v break end
end
local id = owner or ARGV[1]
for i, k in ipairs(KEYS) do redis.call('SET', k, id, 'EX', tonumber(ARGV[2])) end
if owner then return {0, owner} end
return {1, id}
`;

export function createRedisSeenStore(redis: Redis, keys: Keys): SeenStore {
  return {
    async claim(outletId, itemKeys, articleId, ttlSeconds) {
      const uniq = [...new Set(itemKeys)];
      if (uniq.length === 0) throw new Error('seen-store: an item needs at least one key');
      const ks = uniq.map((k) => keys.seen(outletId, k));
      const [isNew, id] = (await redis.eval(CLAIM, ks.length, ...ks, articleId, String(Math.max(1, Math.round(ttlSeconds))))) as [number, string];
      return { isNew: isNew === 1, articleId: id };
    },
  };
}
