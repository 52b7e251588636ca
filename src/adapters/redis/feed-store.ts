// Feeds (from the feeds file and from /feeds add) and their runtime state and health.
//
// Every feed's state is two fields of one hash (keys.feedsState: `r:<id>` its runtime, `h:<id>`
// its health), not a hash per feed: a poll-due group of 50 feeds reads its state with one HMGET
// and writes it with one HSET (a warm cycle at 1,000 feeds sent ~2,000 commands for it, one HMGET
// and one HSET per feed; issue 16). The earlier version's per-feed hashes are moved in once, at
// start (`migrateState`).
import type { Redis } from 'ioredis';
import type { FeedConfig } from '../../core/types.js';
import type { FeedRuntime, FeedStore } from '../../ports/stores.js';
import type { Keys } from './keys.js';

const runtimeField = (id: string) => `r:${id}`;
const healthField = (id: string) => `h:${id}`;
const parsed = <T>(s: string | null | undefined): T | null => (s ? (JSON.parse(s) as T) : null);

export interface RedisFeedStore extends FeedStore {
  /**
   * Moves the earlier version's per-feed state hashes (`<prefix>:feed:<id>:state`, fields
   * `runtime` and `health`) into the one state hash, and deletes them. A value already in the
   * state hash (written by this version) is kept. Returns how many feeds' hashes it moved: 0 once
   * done, so it is safe at every start.
   *
   * It walks the whole keyspace (SCAN: ~1 s of Redis CPU and 1,000 round trips at a million keys),
   * so once a walk finds nothing to move it is recorded (keys.migrations, step `feed-state-hash`)
   * and later starts skip it. A walk that moved something is not recorded: in a rolling upgrade
   * the earlier version's workers may still write per-feed hashes after it, and the next start
   * moves those; the step is recorded once no earlier worker writes any more.
   */
  migrateState(): Promise<number>;
}

/** migrateState's step in keys.migrations (recorded once a walk finds no per-feed hash). */
const MIGRATION_STEP = 'feed-state-hash';

/** `*`, `?`, `[` and `\` of a key prefix escaped for SCAN's MATCH. */
const globEscape = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&');

export function createRedisFeedStore(redis: Redis, keys: Keys): RedisFeedStore {
  const stateKey = keys.feedsState;
  return {
    async upsert(feed) {
      const created = (await redis.hset(keys.feeds, feed.id, JSON.stringify(feed))) === 1;
      await redis.srem(keys.feedsRemoved, feed.id);
      return { created };
    },
    async get(id) {
      return parsed<FeedConfig>(await redis.hget(keys.feeds, id));
    },
    async list() {
      const all = await redis.hvals(keys.feeds);
      return all.map((s) => JSON.parse(s) as FeedConfig).sort((a, b) => a.id.localeCompare(b.id));
    },
    async remove(id) {
      const removed = (await redis.hdel(keys.feeds, id)) === 1;
      if (removed) {
        await redis.sadd(keys.feedsRemoved, id);
        await redis.hdel(stateKey, runtimeField(id), healthField(id));
      }
      return removed;
    },
    async wasRemoved(id) {
      return (await redis.sismember(keys.feedsRemoved, id)) === 1;
    },
    async getRuntime(id) {
      return parsed<FeedRuntime>(await redis.hget(stateKey, runtimeField(id)));
    },
    async setRuntime(id, r) {
      await redis.hset(stateKey, runtimeField(id), JSON.stringify(r));
    },
    async getHealth<T>(id: string) {
      return parsed<T>(await redis.hget(stateKey, healthField(id)));
    },
    async setHealth<T>(id: string, h: T) {
      await redis.hset(stateKey, healthField(id), JSON.stringify(h));
    },
    async loadForPoll<T>(id: string) {
      const res = (await redis.pipeline().hget(keys.feeds, id).hmget(stateKey, runtimeField(id), healthField(id)).exec()) ?? [];
      const [feedErr, feed] = res[0] ?? [];
      const [stateErr, state] = res[1] ?? [];
      if (feedErr) throw feedErr;
      if (stateErr) throw stateErr;
      const [runtime, health] = (state as (string | null)[] | undefined) ?? [null, null];
      return { feed: parsed<FeedConfig>(feed as string | null), runtime: parsed<FeedRuntime>(runtime), health: parsed<T>(health) };
    },
    async saveAfterPoll<T>(id: string, runtime: FeedRuntime, health: T) {
      await redis.hset(stateKey, runtimeField(id), JSON.stringify(runtime), healthField(id), JSON.stringify(health));
    },
    async loadManyForPoll<T>(ids: readonly string[]) {
      type Loaded = { feed: FeedConfig | null; runtime: FeedRuntime | null; health: T | null };
      const out = new Map<string, Loaded>();
      if (ids.length === 0) return out;
      // One round trip, two commands: the configs, then every feed's runtime and health.
      const fields: string[] = [];
      for (const id of ids) fields.push(runtimeField(id), healthField(id));
      const res = (await redis.pipeline().hmget(keys.feeds, ...ids).hmget(stateKey, ...fields).exec()) ?? [];
      for (const [err] of res) if (err) throw err;
      const configs = (res[0]?.[1] ?? []) as (string | null)[];
      const state = (res[1]?.[1] ?? []) as (string | null)[];
      ids.forEach((id, i) => {
        out.set(id, { feed: parsed<FeedConfig>(configs[i]), runtime: parsed<FeedRuntime>(state[2 * i]), health: parsed<T>(state[2 * i + 1]) });
      });
      return out;
    },
    async saveManyAfterPoll<T>(saves: readonly { id: string; runtime: FeedRuntime; health: T }[]) {
      if (saves.length === 0) return;
      const args: string[] = [];
      for (const s of saves) args.push(runtimeField(s.id), JSON.stringify(s.runtime), healthField(s.id), JSON.stringify(s.health));
      await redis.hset(stateKey, ...args);
    },
    async migrateState() {
      if (await redis.hexists(keys.migrations, MIGRATION_STEP)) return 0;
      // `<prefix>:feed:<id>:state`: the feed id is what lies between `start` and `end`.
      const end = ':state';
      const start = keys.legacyFeedState('').slice(0, -end.length);
      let moved = 0;
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${globEscape(start)}*${end}`, 'COUNT', 1000);
        cursor = next;
        const legacy = batch.filter((k) => k.startsWith(start) && k.endsWith(end) && k.length > start.length + end.length);
        if (legacy.length === 0) continue;
        const read = redis.pipeline();
        for (const k of legacy) read.hmget(k, 'runtime', 'health');
        const res = (await read.exec()) ?? [];
        const write = redis.pipeline();
        legacy.forEach((k, i) => {
          const [err, v] = res[i] ?? [];
          if (err) throw err;
          const [runtime, health] = (v as (string | null)[] | undefined) ?? [null, null];
          const id = k.slice(start.length, k.length - end.length);
          // HSETNX: a value this version already wrote is newer than the earlier version's.
          if (runtime) write.hsetnx(stateKey, runtimeField(id), runtime);
          if (health) write.hsetnx(stateKey, healthField(id), health);
          write.del(k);
        });
        for (const [err] of (await write.exec()) ?? []) if (err) throw err;
        moved += legacy.length;
      } while (cursor !== '0');
      if (moved === 0) await redis.hset(keys.migrations, MIGRATION_STEP, new Date().toISOString());
      return moved;
    },
  };
}
