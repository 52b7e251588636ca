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
// match-and-file step runs under short locks on the article's matching keys, taken all-or-nothing
// by one script (no deadlock, no hold-and-wait). Two articles can only find each other through a
// shared matching key, and such articles now contend for that key's lock, so matching behaves as
// if articles were handled one after another. Articles without a shared key do not wait for each
// other. The story record itself is written compare-and-set (a script compares the SHA-1 of the
// JSON that was read), so two articles joining one existing story through different keys cannot
// lose an update. Locks rather than WATCH/MULTI: WATCH is per connection, and one ioredis
// connection serves many concurrent jobs in a worker.
//
// Cost: an assign is five commands in five round trips when nothing contends (it was ~228
// commands in ~12): (1) a script reads the article's story-of key and the document frequencies of
// its terms; (2) a script takes the locks and reads the candidate sets and the story this article
// would start; (3) MGET of the candidate stories and (4) of their members' vectors; (5) one
// script commits everything at once — the story compare-and-set, story-of, vectors, the article's
// candidate keys (ZADD GT + EXPIRE, trimmed past 2 × window), the /story indexes (ZADD GT of the
// keys whose score changes: all of them when lastSeen moved, else only new ones), document
// frequencies — and releases the locks. Index entries past the retention are dropped by the daily
// `trim()`, not on write; EVALSHA throughout (redis.defineCommand), the scripts in scripts/*.lua.
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AnalysisResult, Article, Story } from '../../core/types.js';
import type { StoryQuery, StoryStore } from '../../ports/stores.js';
import { storyBackground as backgroundDocFreq } from '../analysis-data.js';
import { DEFAULT_WINDOW_HOURS, storyIdFor, type Decision } from '../../core/story/decide.js';
import { comparedMembers, placeAsync, publishedOr, storyFeatures, type AsyncCandidateIndex, type Hits, type Lookup } from '../../core/story/engine.js';
import { dfKeys } from '../../core/story/features.js';
import { mergeIntoStory, storyTags, type StoryArticle } from '../../core/story/record.js';
import { combineDocFreq, packVectors, unpackVectors, type ArticleVectors, type DocFreq } from '../../core/story/similarity.js';
import { contentTerms } from '../../core/story/text.js';
import { findCitations, type KnownOutlet } from '../../core/story/trail.js';
import type { Keys } from './keys.js';
import { luaScript } from './scripts.js';

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
  /** How long assign waits for the locks before failing with StoryLockTimeoutError, ms. Default 10 000. */
  lockWaitMs?: number;
}

export interface AssignResult {
  story: Story;
  storyId: string;
  /** True when this article started the story. */
  created: boolean;
  /** Sources the article's text cites (outlet ids or names), as recorded on its outlet entry. */
  cites: string[];
  /** Why it joined (the best-matching article and the similarity parts), null for a new story. */
  matched: Decision['matched'];
}

export type { StoryQuery };

/** The port's StoryStore (src/ports/stores.ts) and what the Redis one offers besides. */
export interface RedisStoryStore extends StoryStore {
  /** Puts the article into its story (an existing one or a new one). Idempotent per article id. */
  assign(article: Article, analysis: AnalysisResult, now: Date): Promise<AssignResult>;
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

/** The locks could not be had in time: retry the job later. */
export class StoryLockTimeoutError extends Error {
  override name = 'StoryLockTimeoutError';
}

const DF_EPOCH_MS = 30 * 86_400_000;
/** Entries read per index key by `recent`. */
const RECENT_SCAN_LIMIT = 5000;
const LOCK_TTL_MS = 10_000;
const MAX_INDEXED_TERMS = 40;
const VECTOR_CACHE_MAX = 2_000;
const MAX_INDEXED_ENTITIES = 30;

interface ScriptedRedis {
  swStoryRead(...args: (string | number)[]): Promise<(string | number | null)[]>;
  swStoryLockRead(...args: (string | number)[]): Promise<0 | [1, string | null, ...string[]]>;
  swStoryUnlock(...args: (string | number)[]): Promise<number>;
  swStoryCommit(...args: (string | number)[]): Promise<number>;
  swStoryTrim(...args: (string | number)[]): Promise<[number, number]>;
}

/** The locks an assign holds (none when the article has no matching keys) and what it read under them. */
interface Held {
  lockKeys: string[];
  token: string;
  /** JSON of the story the article would start (storyIdFor(article.id)), null when there is none. */
  own: string | null;
  /** Stories filed under the matching keys within the window, with the summed idf of their keys (the heaviest, see scripts/story-lock-read.lua). */
  hits: Map<string, number>;
  /** The commit released the locks. */
  released: boolean;
}

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

export function createRedisStoryStore(o: StoryStoreOptions): RedisStoryStore {
  const { redis, keys } = o;
  const windowHours = o.windowHours ?? DEFAULT_WINDOW_HOURS;
  const windowMs = windowHours * 3_600_000;
  const retentionMs = (o.retentionDays ?? 90) * 86_400_000;
  const retentionSec = Math.ceil(retentionMs / 1000);
  const matchTtlSec = Math.ceil((2 * windowMs) / 1000);
  const dfTtlSec = Math.ceil((2 * DF_EPOCH_MS) / 1000);
  const known = o.knownOutlets ?? [];
  // The vectors this process filed, unpacked, until their Redis key would expire: most candidates
  // of an article are recent articles filed by the same worker, and reading and parsing their
  // JSON back was a sixth of an assign's CPU. Written once per article, so never stale; Map
  // order makes it a FIFO of the latest VECTOR_CACHE_MAX (an entry is ~10–30 KB: bounded memory).
  const vectorCache = new Map<string, { v: ArticleVectors; expiresAt: number }>();
  const lockWaitMs = o.lockWaitMs ?? 10_000;

  // The scripts, with what their KEYS and ARGV are: scripts/story-*.lua.
  redis.defineCommand('swStoryRead', { numberOfKeys: 3, lua: luaScript('story-read') });
  redis.defineCommand('swStoryLockRead', { lua: luaScript('story-lock-read') });
  redis.defineCommand('swStoryUnlock', { lua: luaScript('story-unlock') });
  redis.defineCommand('swStoryCommit', { lua: luaScript('story-commit') });
  redis.defineCommand('swStoryTrim', { lua: luaScript('story-trim') });
  const scripts = redis as unknown as ScriptedRedis;

  /** The story-of entry of the article and the document frequencies of `dfk`, in one command. */
  async function readStart(articleId: string, dfk: readonly string[], nowMs: number): Promise<{ storyOf: string | null; d: DocFreq }> {
    const epoch = Math.floor(nowMs / DF_EPOCH_MS);
    const fields = ['#n', ...dfk];
    const res = await scripts.swStoryRead(keys.storyOf(articleId), keys.storyDf(epoch), keys.storyDf(epoch - 1), ...fields);
    const counts = new Map<string, number>();
    fields.forEach((f, i) => counts.set(f, Number(res[i + 1] ?? 0)));
    const own: DocFreq = { n: counts.get('#n') ?? 0, df: (k) => counts.get(k) ?? 0 };
    return { storyOf: (res[0] as string | null) ?? null, d: combineDocFreq(backgroundDocFreq(), own) };
  }

  /**
   * Takes the locks of the lookup's keys (waiting while others hold any) and reads, in the same
   * step, the stories filed under them as the engine asks (engine.ts `Lookup`; the heaviest
   * `want`, ties kept) and the story this article would start.
   */
  async function lockAndRead(q: Lookup, ownStoryId: string): Promise<Held> {
    const lockKeys = q.keys.map((k) => keys.storyLock(k));
    const k = [...lockKeys, ...q.keys.map((m) => keys.storyCandidates(m)), keys.story(ownStoryId)];
    const token = randomBytes(8).toString('hex');
    const deadline = Date.now() + lockWaitMs;
    for (let attempt = 0; ; attempt++) {
      const got = await scripts.swStoryLockRead(k.length, ...k, token, LOCK_TTL_MS, q.tMax, q.tMin, q.perKey, q.want, ...q.weights);
      if (got !== 0) {
        const hits = new Map<string, number>();
        for (let i = 2; i + 1 < got.length; i += 2) hits.set(got[i] as string, Number(got[i + 1]));
        return { lockKeys, token, own: got[1] ?? null, hits, released: false };
      }
      if (Date.now() > deadline) throw new StoryLockTimeoutError(`story locks busy for ${lockWaitMs} ms`);
      await sleep(Math.min(1 + attempt, 20) + Math.random() * 3);
    }
  }

  /** The compared members' vectors of the stories `ids` (engine.ts `CandidateIndex.members`), and the stories' JSON. */
  async function members(ids: readonly string[]): Promise<{ byStory: Map<string, ArticleVectors[]>; json: Map<string, string> }> {
    const json = new Map<string, string>();
    const byStory = new Map<string, ArticleVectors[]>();
    if (ids.length === 0) return { byStory, json };
    const stories = await redis.mget(ids.map((id) => keys.story(id)));
    const memberIds = new Map<string, string[]>();
    ids.forEach((id, i) => {
      const s = stories[i];
      if (!s) return;
      json.set(id, s);
      memberIds.set(id, comparedMembers((JSON.parse(s) as Story).articleIds));
    });
    const byId = new Map<string, ArticleVectors>();
    const wallMs = Date.now();
    const missing: string[] = [];
    for (const a of [...memberIds.values()].flat()) {
      const c = vectorCache.get(a);
      if (c && c.expiresAt > wallMs) byId.set(a, c.v);
      else missing.push(a);
    }
    const packed = missing.length ? await redis.mget(missing.map((a) => keys.storyVectors(a))) : [];
    missing.forEach((a, i) => {
      const s = packed[i];
      if (s) byId.set(a, unpackVectors(s));
    });
    for (const [id, as] of memberIds) byStory.set(id, as.map((a) => byId.get(a)).filter((x): x is ArticleVectors => x !== undefined));
    return { byStory, json };
  }

  function indexKeysOf(s: Story): string[] {
    const out = new Set<string>();
    for (const c of s.countries) out.add(keys.storiesBy('country', c));
    for (const e of s.entities.slice(0, MAX_INDEXED_ENTITIES)) out.add(keys.storiesBy('entity', e));
    for (const t of storyTags(s)) out.add(keys.storiesBy('tag', t));
    for (const x of s.outlets) out.add(keys.storiesBy('outlet', x.outletId));
    for (const t of storyTerms(s).slice(0, MAX_INDEXED_TERMS)) out.add(keys.storiesBy('term', t));
    return [...out];
  }

  /**
   * The index entries a write must add or raise: every key when the story is new or its lastSeen
   * moved; otherwise only keys it did not have (the others already hold this very score, since
   * every write of the story indexed it in the same step, and ZADD GT would change nothing).
   */
  function indexUpdate(prev: Story | null, next: Story, nowMs: number): { score: number; byTime: boolean; keys: string[] } {
    const score = Date.parse(next.lastSeen) || nowMs;
    if (prev === null || prev.lastSeen !== next.lastSeen) return { score, byTime: true, keys: indexKeysOf(next) };
    if (prev === next) return { score, byTime: false, keys: [] };
    const had = new Set(indexKeysOf(prev));
    return { score, byTime: false, keys: indexKeysOf(next).filter((k) => !had.has(k)) };
  }

  interface Filing {
    packedVectors: string;
    /** The vectors as stored (engine.ts `storedVectors`). */
    stored: ArticleVectors;
    t: number;
    matchKeys: readonly string[];
    dfFields: readonly string[];
    nowMs: number;
  }

  /**
   * Merges the article into story `storyId` (its JSON as read: `readJson`) and commits it with
   * everything else the article files, compare-and-set: re-reads and re-merges when someone else
   * wrote the story first. The commit releases the locks.
   */
  async function commit(storyId: string, readJson: string | null, a: StoryArticle, f: Filing, held: Held): Promise<{ story: Story; created: boolean }> {
    const epoch = Math.floor(f.nowMs / DF_EPOCH_MS);
    const candKeys = f.matchKeys.map((k) => keys.storyCandidates(k));
    let cur = readJson;
    for (let attempt = 0; attempt < 50; attempt++) {
      if (attempt > 0) {
        await sleep(Math.random() * Math.min(attempt, 10));
        cur = await redis.get(keys.story(storyId));
      }
      const prev = cur ? (JSON.parse(cur) as Story) : null;
      const next = mergeIntoStory(prev, a, { storyId });
      const unchanged = prev !== null && next === prev;
      const ix = indexUpdate(prev, next, f.nowMs);
      const k = [
        keys.story(storyId),
        keys.storyOf(a.id),
        keys.storyVectors(a.id),
        keys.storyDf(epoch),
        keys.storiesByTime,
        keys.storyIndexKeys,
        ...candKeys,
        ...ix.keys,
        ...held.lockKeys,
      ];
      const argv = [
        unchanged ? '-' : cur === null ? '' : sha1(cur),
        unchanged ? '' : JSON.stringify(next),
        retentionSec,
        next.id,
        f.packedVectors,
        matchTtlSec,
        f.t,
        `(${f.nowMs - 2 * windowMs}`,
        ix.score,
        ix.byTime ? '1' : '0',
        candKeys.length,
        ix.keys.length,
        held.lockKeys.length,
        held.token,
        dfTtlSec,
        ...f.dfFields,
      ];
      const ok = await scripts.swStoryCommit(k.length, ...k, ...argv);
      if (ok === 1) {
        held.released = true;
        if (vectorCache.size >= VECTOR_CACHE_MAX) vectorCache.delete(vectorCache.keys().next().value!);
        // as read back (normalised, rounded), so that matching is the same with or without it
        vectorCache.set(a.id, { v: f.stored, expiresAt: Date.now() + matchTtlSec * 1000 - 1000 });
        return { story: next, created: prev === null };
      }
    }
    throw new StoryLockTimeoutError(`story ${storyId} kept changing while being written`);
  }

  async function get(id: string): Promise<Story | null> {
    const s = await redis.get(keys.story(id));
    return s ? (JSON.parse(s) as Story) : null;
  }

  /** The stories of `ids`, in order, null where one does not exist (any more). */
  async function getMany(ids: readonly string[]): Promise<(Story | null)[]> {
    if (ids.length === 0) return [];
    const res = await redis.mget(ids.map((id) => keys.story(id)));
    return res.map((s) => (s ? (JSON.parse(s) as Story) : null));
  }

  return {
    get,
    getMany,
    async storyOf(articleId) {
      return redis.get(keys.storyOf(articleId));
    },

    async assign(article, analysis, now) {
      const nowMs = now.getTime();
      const published = publishedOr(article.published, now);
      const f = storyFeatures(article, analysis, now);
      const fk = [...new Set(dfKeys(f))];
      const start = await readStart(article.id, fk, nowMs);
      if (start.storyOf) {
        const story = await get(start.storyOf);
        if (story) {
          const entry = story.outlets.find((x) => x.articleId === article.id);
          return { story, storyId: start.storyOf, created: false, cites: entry?.cites ?? [], matched: null };
        }
      }
      const d = start.d;
      const cites = findCitations(article.text, known, article.outletId);
      const sa: StoryArticle = {
        id: article.id,
        outletId: article.outletId,
        outlet: article.outlet,
        affiliation: article.affiliation,
        url: article.url,
        title: article.title || analysis.title,
        published,
        analysis,
        cites,
      };

      // The engine decides (core/story/engine.ts); this store answers its two questions under
      // the locks of the article's keys, then commits.
      const ownId = storyIdFor(article.id);
      let held: Held | undefined;
      let json = new Map<string, string>();
      const index: AsyncCandidateIndex = {
        async lookup(q: Lookup): Promise<Hits> {
          held = await lockAndRead(q, ownId);
          return held.hits;
        },
        async members(ids) {
          const m = await members(ids);
          json = m.json;
          return m.byStory;
        },
      };
      try {
        const p = await placeAsync(f, d, index, { windowHours });
        // no matching keys: no locks, but the story it starts is still read (a retry may find it)
        held ??= await lockAndRead({ keys: [], weights: [], tMin: 0, tMax: 0, perKey: 0, want: 0 }, ownId);
        const storyId = p.decision.storyId ?? ownId;
        const readJson = p.decision.storyId ? (json.get(storyId) ?? null) : held.own;
        const filing: Filing = { packedVectors: packVectors(p.stored), stored: p.stored, t: p.stored.t, matchKeys: p.keys, dfFields: fk, nowMs };
        const { story, created } = await commit(storyId, readJson, sa, filing, held);
        return { story, storyId: story.id, created, cites, matched: p.decision.matched };
      } finally {
        const h = held as Held | undefined;
        if (h && !h.released && h.lockKeys.length) await scripts.swStoryUnlock(h.lockKeys.length, ...h.lockKeys, h.token);
      }
    },

    async recent(q) {
      const since = q.since.getTime();
      const groups: string[][] = [];
      if (q.countries?.length) groups.push(q.countries.map((c) => keys.storiesBy('country', c)));
      if (q.tags?.length) groups.push(q.tags.map((t) => keys.storiesBy('tag', t)));
      if (q.outletIds?.length) groups.push(q.outletIds.map((x) => keys.storiesBy('outlet', x)));
      if (q.entityIds?.length) groups.push(q.entityIds.map((e) => keys.storiesBy('entity', e)));
      if (q.text) for (const t of new Set(contentTerms(q.text))) groups.push([keys.storiesBy('term', t)]);
      if (groups.length === 0) groups.push([keys.storiesByTime]);

      const p = redis.pipeline();
      for (const g of groups) for (const k of g) p.zrevrangebyscore(k, '+inf', since, 'WITHSCORES', 'LIMIT', 0, RECENT_SCAN_LIMIT);
      const res = (await p.exec()) ?? [];
      let i = 0;
      let acc: Map<string, number> | null = null;
      for (const g of groups) {
        const union = new Map<string, number>();
        for (let j = 0; j < g.length; j++, i++) {
          const flat = (res[i]?.[1] as string[] | null) ?? [];
          for (let x = 0; x + 1 < flat.length; x += 2) union.set(flat[x]!, Number(flat[x + 1]));
        }
        if (acc === null) acc = union;
        else for (const id of [...acc.keys()]) if (!union.has(id)) acc.delete(id);
      }
      const ids = [...(acc ?? new Map<string, number>()).entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, q.limit)
        .map(([id]) => id);
      return (await getMany(ids)).filter((s): s is Story => s !== null);
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

/** Words a text query can find a story by: stems of the headline, entity names, outlet titles, summary (in that priority). */
function storyTerms(s: Story): string[] {
  const out = new Set<string>();
  for (const t of contentTerms(s.headline)) out.add(t);
  for (const e of s.entities) for (const t of contentTerms(e.slice(e.indexOf(':') + 1).replace(/[-_]/gu, ' '))) out.add(t);
  for (const x of s.outlets) for (const t of contentTerms(x.title)) out.add(t);
  for (const t of contentTerms(s.summary)) out.add(t);
  return [...out];
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
