// Dedupe of feed items in Redis: all keys of a poll's items of one outlet are checked and recorded
// in one Lua call (not one call per item: ~20 fewer script calls and ~4 fewer commands per item).
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
export const OUTBOX = '~outbox';

type Claimer = Redis & {
  swSeenClaimMany(n: number, ...args: string[]): Promise<(number | string)[]>;
  swSeenRelease(n: number, ...args: string[]): Promise<number>;
};

export function createRedisSeenStore(redis: Redis, keys: Keys): SeenStore {
  // defineCommand: EVALSHA with the script cached by Redis, instead of its source every call.
  // What the script does, with its KEYS and ARGV: scripts/seen-claim-many.lua.
  if (!('swSeenClaimMany' in redis)) redis.defineCommand('swSeenClaimMany', { lua: luaScript('seen-claim-many') });
  if (!('swSeenRelease' in redis)) redis.defineCommand('swSeenRelease', { lua: luaScript('seen-release') });
  const r = redis as Claimer;

  /**
   * One script call per scope (items of one outlet, in their order): the scope's keys and its
   * outbox share the scope's hash tag, so each call stays single-slot on a cluster, and the
   * calls of several scopes go out in one pipeline. Scopes share no keys, so deciding them
   * apart decides the batch in order.
   */
  async function claimMany(items: { scope: string; keys: string[]; articleId: string; pending?: string }[], ttlSeconds: number) {
    if (items.length === 0) return [];
    const ttl = String(Math.max(1, Math.round(ttlSeconds)));
    const byScope = new Map<string, { keys: string[]; argv: string[]; at: number[] }>();
    items.forEach((it, i) => {
      const uniq = [...new Set(it.keys)].filter((k) => k !== OUTBOX);
      if (uniq.length === 0) throw new Error('seen-store: an item needs at least one key');
      if (it.pending === '') throw new Error('seen-store: an outbox payload cannot be empty');
      let g = byScope.get(it.scope);
      if (!g) byScope.set(it.scope, (g = { keys: [keys.seen(it.scope, OUTBOX)], argv: [ttl], at: [] }));
      for (const k of uniq) g.keys.push(keys.seen(it.scope, k));
      g.argv.push(String(uniq.length), it.articleId, it.pending ?? '');
      g.at.push(i);
    });
    const out: { isNew: boolean; articleId: string }[] = new Array(items.length);
    const groups = [...byScope.values()];
    const decide = (g: (typeof groups)[number], flat: (number | string)[]) => {
      g.at.forEach((i, j) => (out[i] = { isNew: flat[2 * j] === 1, articleId: String(flat[2 * j + 1]) }));
    };
    if (groups.length === 1) {
      const g = groups[0]!;
      decide(g, await r.swSeenClaimMany(g.keys.length, ...g.keys, ...g.argv));
      return out;
    }
    const p = redis.pipeline() as ReturnType<Redis['pipeline']> & { swSeenClaimMany(n: number, ...args: string[]): unknown };
    for (const g of groups) p.swSeenClaimMany(g.keys.length, ...g.keys, ...g.argv);
    const res = (await p.exec()) ?? [];
    res.forEach(([err, v], k) => {
      if (err) throw err;
      decide(groups[k]!, v as (number | string)[]);
    });
    return out;
  }

  return {
    claimMany,
    async pending(scopes) {
      const uniq = [...new Set(scopes)];
      if (uniq.length === 0) return [];
      // One round trip: a call a scope, sent together (not a pipeline: see connection.ts).
      const res = await Promise.all(uniq.map((s) => redis.hgetall(keys.seen(s, OUTBOX))));
      return res.flatMap((v, i) => Object.entries(v).map(([articleId, payload]) => ({ scope: uniq[i]!, articleId, payload })));
    },
    async release(items, whileExist = []) {
      if (items.length === 0) return true;
      // One call per scope (a poll's items are mostly one outlet's), sent together (not a pipeline:
      // see connection.ts); with witnesses, a script that drops nothing unless they all exist.
      const byScope = new Map<string, string[]>();
      for (const it of items) byScope.set(it.scope, [...(byScope.get(it.scope) ?? []), it.articleId]);
      const res = await Promise.all(
        [...byScope].map(([scope, ids]) =>
          whileExist.length === 0 ? redis.hdel(keys.seen(scope, OUTBOX), ...ids) : r.swSeenRelease(1 + whileExist.length, keys.seen(scope, OUTBOX), ...whileExist, ...ids),
        ),
      );
      return res.every((n) => n >= 0);
    },
  };
}
