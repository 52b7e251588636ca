// Single Redis only: scripts and MGET here span keys of many cluster slots (no Redis Cluster).
//
// Stories in Redis: assigning each analysed article to a story, the story records, and the indexes
// `/story` reads. Key names: keys.ts, "stories" section. The decision — keys, candidates, scoring,
// join or new — is the story engine's (core/story/engine.ts), the same that `analyze --cluster` and
// `eval` run over memory; this store answers the engine's two questions (which stories are filed
// under these keys; their members' vectors) and does the locking, compare-and-set and persistence.
//
// Matching an article: its matching keys (rare title terms, names, numbers, strong text terms)
// each have a sorted set of the stories filed under them, scored by publication time; the union of
// those sets within the window, ranked by the rarity of the shared keys, gives at most
// MAX_CANDIDATES stories to score. No step reads more than a bounded number of keys, however many
// stories there are.
//
// Concurrency: two workers may match two articles of one new story at the same moment. The
// match-and-file step runs under short locks on the article's matching keys, taken in one global
// order, a waiter keeping what it has (story-lock.ts: no deadlock, and a batch of many keys is not
// starved by smaller ones). Two articles can only find each other through a
// shared matching key, and such articles now contend for that key's lock, so matching behaves as
// if articles were handled one after another. Articles without a shared key do not wait for each
// other. The story record itself is written compare-and-set (a script compares the record's
// version, keys.storyVersion, with the one read), so two articles joining one existing story
// through different keys cannot lose an update. Locks rather than WATCH/MULTI: WATCH is per connection, and one ioredis
// connection serves many concurrent jobs in a worker.
//
// Cost: an assign, or a batch of them (assignMany), is five commands in five round trips when
// nothing contends (story-assign.ts says which). Index entries past the retention are dropped by
// the daily `trim()`, not on write; EVALSHA throughout (redis.defineCommand), the scripts in
// scripts/*.lua.
import type { Redis } from 'ioredis';
import type { AnalysisResult, Article, Story } from '../../core/types.js';
import type { StoryQuery, StoryStore } from '../../ports/stores.js';
import { storyBackground as backgroundDocFreq, storyNames } from '../analysis-data.js';
import { DEFAULT_WINDOW_HOURS } from '../../core/story/decide.js';
import { contentTerms } from '../../core/story/text.js';
import type { KnownOutlet } from '../../core/story/trail.js';
import type { Keys } from './keys.js';
import { indexScore } from './story-index-keys.js';
import { luaScript } from './scripts.js';
import { createStoryAssigner, type AssignInput, type AssignResult } from './story-assign.js';
import { createStoryMerger } from './story-merge.js';
import { createStoryReadCache } from './story-read-cache.js';

export { StoryLockTimeoutError, type AssignInput, type AssignResult } from './story-assign.js';

export interface StoryStoreOptions {
  redis: Redis;
  keys: Keys;
  /** STORY_WINDOW_HOURS: articles further apart are never one story. Default 72. */
  windowHours?: number;
  /** RETENTION_DAYS: stories and index entries older than this go. Default 90. */
  retentionDays?: number;
  /** Outlets a citation can name (the wiring passes data/outlets.yaml and the feeds' outlets);
   * default none: every citation is kept as the name the text uses. */
  knownOutlets?: readonly KnownOutlet[];
  /**
   * How long assign waits for the locks before failing with StoryLockTimeoutError, ms. Default
   * 20 000: an analyse job's lease (60 s, renewed while its process runs) outlasts it, a dead
   * holder's locks lapse in 10 s, and a retried job costs more than the wait.
   */
  lockWaitMs?: number;
}

export type { StoryQuery };

/** The port's StoryStore (src/ports/stores.ts) and what the Redis one offers besides. */
export interface RedisStoryStore extends StoryStore {
  /** Puts the article into its story (an existing one or a new one). Idempotent per article id. */
  assign(article: Article, analysis: AnalysisResult, now: Date): Promise<AssignResult>;
  /**
   * Assigns a batch in five round trips, with the decisions one-by-one assigns in this order would
   * make (each article sees the ones before it); results in input order. Idempotent per article.
   */
  assignMany(items: readonly AssignInput[], now: Date): Promise<AssignResult[]>;
  /** What the assigner's locks cost in this process so far (bench figures; story-assign.ts). */
  lockStats(): { batches: number; busy: number; waitMs: number; timeouts: number; holdMs: number; redisHoldMs: number; rechecks: number; redecided: number; unlockedRechecks: number; redecidedUnlocked: number };
  /** The story an article was assigned to. */
  storyOf(articleId: string): Promise<string | null>;
  /**
   * Stories matching every given filter (values of one kind: any of them), most recently seen
   * first. `text`: every content word must occur in the headline, summary, an outlet's title or an
   * entity name.
   */
  recent(q: StoryQuery): Promise<Story[]>;
  /** Drops index entries older than the retention (story records expire by themselves). */
  trim(now: Date): Promise<{ entriesRemoved: number; keysRemoved: number }>;
}

/** StoryStoreOptions.lockWaitMs's default. */
const DEFAULT_LOCK_WAIT_MS = 20_000;

/** Entries read per index key by `recent`. */
const RECENT_SCAN_LIMIT = 5000;

interface ScriptedRedis {
  swStoryTrim(...args: (string | number)[]): Promise<[number, number]>;
}

export function createRedisStoryStore(o: StoryStoreOptions): RedisStoryStore {
  const { redis, keys } = o;
  const windowHours = o.windowHours ?? DEFAULT_WINDOW_HOURS;
  const retentionMs = (o.retentionDays ?? 90) * 86_400_000;
  const assigner = createStoryAssigner({
    redis,
    keys,
    windowHours,
    retentionMs,
    known: o.knownOutlets ?? [],
    lockWaitMs: o.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS,
    background: backgroundDocFreq,
    names: storyNames,
  });
  // Stories found to be one are merged after each committed batch (story-merge.ts); results answer with the survivor.
  const merger = createStoryMerger({ redis, keys, windowHours, retentionMs, lockWaitMs: o.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS });
  const assignMany = async (items: readonly AssignInput[], now: Date): Promise<AssignResult[]> =>
    merger.mergeAfter(await assigner.assignMany(items, now), items.map((x) => x.article.id), now);
  redis.defineCommand('swStoryTrim', { lua: luaScript('story-trim') });
  const scripts = redis as unknown as ScriptedRedis;
  // The search path's reads (`recent`), parsed once per record version: story-read-cache.ts.
  const searchReads = createStoryReadCache(redis, { story: (id) => keys.story(id), version: (id) => keys.storyVersion(id) });

  /** A story by id; a merged story's id answers with the story it was merged into. */
  async function get(id: string): Promise<Story | null> {
    return (await getMany([id]))[0]!;
  }

  /** The stories of `ids`, in order (merged ones as their survivor), null where one does not exist (any more). */
  async function getMany(ids: readonly string[]): Promise<(Story | null)[]> {
    if (ids.length === 0) return [];
    const res = await redis.mget(ids.map((id) => keys.story(id)));
    const missing = ids.filter((_, i) => !res[i]);
    if (missing.length) {
      // the extra round trips only for ids with no record: merged (an alias) or gone
      const to = await merger.resolve(missing);
      const moved = [...new Set(to.filter((t, i) => t !== missing[i]))];
      const got = moved.length ? await redis.mget(moved.map((id) => keys.story(id))) : [];
      const byId = new Map(moved.map((id, i) => [id, got[i] ?? null]));
      let j = 0;
      ids.forEach((_, i) => {
        if (!res[i]) res[i] = byId.get(to[j++]!) ?? null;
      });
    }
    return res.map((s) => (s ? (JSON.parse(s) as Story) : null));
  }

  /** Ids and exact lastSeen (≥ since) of stories, from the by-time index; stories not there are left out. */
  async function exactTimes(found: readonly string[], since: number): Promise<Map<string, number>> {
    const seen = found.length ? await redis.zmscore(keys.storiesByTime, ...found) : [];
    const m = new Map<string, number>();
    found.forEach((id, j) => {
      const t = seen[j] == null ? NaN : Number(seen[j]);
      if (t >= since) m.set(id, t);
    });
    return m;
  }

  /**
   * `recent` for a query of one index key, reading about `limit` entries instead of up to
   * RECENT_SCAN_LIMIT (the search's largest cost at 40,000 articles). An entry's score is its
   * story's lastSeen day (story-index-keys.ts; old exact scores lie within that day), so once
   * `limit` entries are read, every entry of the last day they reach is read too: a story not read
   * then has an earlier day, so an earlier lastSeen, than every story read. When fewer than `limit`
   * read stories are seen on or after that day (stories gone from the by-time index, an entry
   * whose story moved back), null: the caller reads as before. Same ids, same order.
   */
  async function recentOfOneKey(key: string, sinceMs: number, limit: number): Promise<string[] | null> {
    const floor = indexScore(sinceMs);
    const head = await redis.zrevrangebyscore(key, '+inf', floor, 'WITHSCORES', 'LIMIT', 0, limit);
    let found: string[];
    let day = floor;
    if (head.length / 2 < limit) found = head.filter((_, x) => x % 2 === 0);
    else {
      day = Math.max(indexScore(Number(head[head.length - 1])), floor);
      found = await redis.zrevrangebyscore(key, '+inf', day, 'LIMIT', 0, RECENT_SCAN_LIMIT);
      if (found.length >= RECENT_SCAN_LIMIT) return null;
    }
    const m = await exactTimes(found, sinceMs);
    if (head.length / 2 >= limit) {
      let from = 0;
      for (const t of m.values()) if (t >= day) from += 1;
      if (from < limit) return null;
    }
    return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit).map(([id]) => id);
  }

  return {
    get,
    getMany,
    async storyOf(articleId) {
      return redis.get(keys.storyOf(articleId));
    },

    async assign(article, analysis, now) {
      return (await assignMany([{ article, analysis }], now))[0]!;
    },

    assignMany,
    lockStats: assigner.lockStats,
    pendingMerges: merger.pendingMerges,
    mergeHandled: merger.mergeHandled,

    async recent(q) {
      const since = q.since.getTime();
      const groups: string[][] = [];
      if (q.countries?.length) groups.push(q.countries.map((c) => keys.storiesBy('country', c)));
      if (q.tags?.length) groups.push(q.tags.map((t) => keys.storiesBy('tag', t)));
      if (q.outletIds?.length) groups.push(q.outletIds.map((x) => keys.storiesBy('outlet', x)));
      if (q.entityIds?.length) groups.push(q.entityIds.map((e) => keys.storiesBy('entity', e)));
      if (q.text) for (const t of new Set(contentTerms(q.text))) groups.push([keys.storiesBy('term', t)]);
      const order = (m: Iterable<[string, number]>) =>
        [...m]
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(0, q.limit)
          .map(([id]) => id);
      let ids: string[];
      let one: string[] | null = null;
      if (groups.length === 0) {
        const flat = await redis.zrevrangebyscore(keys.storiesByTime, '+inf', since, 'WITHSCORES', 'LIMIT', 0, RECENT_SCAN_LIMIT);
        const m = new Map<string, number>();
        for (let x = 0; x + 1 < flat.length; x += 2) m.set(flat[x]!, Number(flat[x + 1]));
        ids = order(m);
      } else if (groups.length === 1 && groups[0]!.length === 1 && (one = await recentOfOneKey(groups[0]![0]!, since, q.limit)) !== null) {
        // one index key (`outlet:rt`, `kazakhstan`): about `limit` entries read, not up to RECENT_SCAN_LIMIT
        ids = one;
      } else {
        // the index sets say which stories are filed under each value, seen no earlier than the
        // day of their score (story-index-keys.ts); the time filter and the order are the
        // stories' exact lastSeen, from the by-time index
        const p = redis.pipeline();
        for (const g of groups) for (const k of g) p.zrevrangebyscore(k, '+inf', indexScore(since), 'LIMIT', 0, RECENT_SCAN_LIMIT);
        const res = (await p.exec()) ?? [];
        let i = 0;
        let acc: Set<string> | null = null;
        for (const g of groups) {
          const union = new Set<string>();
          for (let j = 0; j < g.length; j++, i++) for (const id of (res[i]?.[1] as string[] | null) ?? []) union.add(id);
          if (acc === null) acc = union;
          else for (const id of acc) if (!union.has(id)) acc.delete(id);
        }
        const found = [...(acc ?? [])];
        const seen = found.length ? await redis.zmscore(keys.storiesByTime, ...found) : [];
        const m = new Map<string, number>();
        found.forEach((id, j) => {
          const t = seen[j] == null ? NaN : Number(seen[j]);
          if (t >= since) m.set(id, t);
        });
        ids = order(m);
      }
      return (await searchReads.getMany(ids)).filter((s): s is Story => s !== null);
    },

    async trim(now) {
      const cutoff = `(${now.getTime() - retentionMs}`;
      let entriesRemoved = 0;
      let keysRemoved = 0;
      entriesRemoved += await redis.zremrangebyscore(keys.storiesByTime, '-inf', cutoff);
      let cursor = '0';
      do {
        const [next, batch] = await redis.sscan(keys.storyIndexKeys, cursor, 'COUNT', 500);
        cursor = next;
        if (batch.length === 0) continue;
        const [removed, dropped] = await scripts.swStoryTrim(batch.length + 1, keys.storyIndexKeys, ...batch, cutoff);
        entriesRemoved += removed;
        keysRemoved += dropped;
      } while (cursor !== '0');
      return { entriesRemoved, keysRemoved };
    },
  };
}

