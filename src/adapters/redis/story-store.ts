// Stories in Redis: assigning each analysed article to a story (the decision is core/story's),
// the story records, and the indexes `/story` reads. Key names: keys.ts, "stories" section.
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
// other. The story record itself is written compare-and-set (a script compares the JSON that was
// read), so two articles joining one existing story through different keys cannot lose an update.
// Locks rather than WATCH/MULTI: WATCH is per connection, and one ioredis connection serves many
// concurrent jobs in a worker.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AnalysisResult, Article, Story } from '../../core/types.js';
import type { StoryQuery, StoryStore } from '../../ports/stores.js';
import { backgroundDocFreq, comparedMembers } from '../../core/story/cluster.js';
import {
  candidateKeys,
  chooseStory,
  DEFAULT_WINDOW_HOURS,
  MAX_CANDIDATES,
  storyIdFor,
  type CandidateStory,
  type Decision,
} from '../../core/story/decide.js';
import { articleFeatures, dfKeys } from '../../core/story/features.js';
import { mergeIntoStory, storyTags, type StoryArticle } from '../../core/story/record.js';
import { combineDocFreq, idf, packVectors, unpackVectors, vectors, type ArticleVectors, type DocFreq } from '../../core/story/similarity.js';
import { contentTerms } from '../../core/story/text.js';
import { DEFAULT_KNOWN_OUTLETS, findCitations, type KnownOutlet } from '../../core/story/trail.js';
import type { Keys } from './keys.js';

export interface StoryStoreOptions {
  redis: Redis;
  keys: Keys;
  /** STORY_WINDOW_HOURS: articles further apart are never one story. Default 72. */
  windowHours?: number;
  /** RETENTION_DAYS: stories and index entries older than this go. Default 90. */
  retentionDays?: number;
  /** Outlets a citation can name; default DEFAULT_KNOWN_OUTLETS. */
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
/** Stories read per matching key (the most recent ones in the window). */
const PER_KEY_LIMIT = 50;
/** Entries read per index key by `recent`. */
const RECENT_SCAN_LIMIT = 5000;
const LOCK_TTL_MS = 10_000;
const MAX_INDEXED_TERMS = 40;
const MAX_INDEXED_ENTITIES = 30;

const LOCK_SCRIPT = `
for i = 1, #KEYS do if redis.call('EXISTS', KEYS[i]) == 1 then return 0 end end
for i = 1, #KEYS do redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2]) end
return 1`;
const UNLOCK_SCRIPT = `
for i = 1, #KEYS do if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end end
return 1`;
// ARGV[1]: the JSON that was read ('' = must not exist), ARGV[2]: new JSON, ARGV[3]: TTL seconds.
const CAS_SCRIPT = `
local cur = redis.call('GET', KEYS[1])
if (cur == false and ARGV[1] == '') or cur == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) return 1 end
return 0`;
// ARGV[1]: TTL seconds, then the keys to count once each.
const DF_SCRIPT = `
for i = 2, #ARGV do redis.call('HINCRBY', KEYS[1], ARGV[i], 1) end
redis.call('HINCRBY', KEYS[1], '#n', 1)
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1`;

interface ScriptedRedis {
  swStoryLock(...args: (string | number)[]): Promise<number>;
  swStoryUnlock(...args: (string | number)[]): Promise<number>;
  swStoryCas(...args: (string | number)[]): Promise<number>;
  swStoryDf(...args: (string | number)[]): Promise<number>;
}

export function createRedisStoryStore(o: StoryStoreOptions): RedisStoryStore {
  const { redis, keys } = o;
  const windowHours = o.windowHours ?? DEFAULT_WINDOW_HOURS;
  const windowMs = windowHours * 3_600_000;
  const retentionMs = (o.retentionDays ?? 90) * 86_400_000;
  const retentionSec = Math.ceil(retentionMs / 1000);
  const matchTtlSec = Math.ceil((2 * windowMs) / 1000);
  const known = o.knownOutlets ?? DEFAULT_KNOWN_OUTLETS;
  const lockWaitMs = o.lockWaitMs ?? 10_000;

  redis.defineCommand('swStoryLock', { lua: LOCK_SCRIPT });
  redis.defineCommand('swStoryUnlock', { lua: UNLOCK_SCRIPT });
  redis.defineCommand('swStoryCas', { numberOfKeys: 1, lua: CAS_SCRIPT });
  redis.defineCommand('swStoryDf', { numberOfKeys: 1, lua: DF_SCRIPT });
  const scripts = redis as unknown as ScriptedRedis;

  async function docFreq(dfk: readonly string[], nowMs: number): Promise<DocFreq> {
    const epoch = Math.floor(nowMs / DF_EPOCH_MS);
    const fields = ['#n', ...dfk];
    const res = await redis
      .pipeline()
      .hmget(keys.storyDf(epoch), ...fields)
      .hmget(keys.storyDf(epoch - 1), ...fields)
      .exec();
    const cur = (res?.[0]?.[1] ?? []) as (string | null)[];
    const prev = (res?.[1]?.[1] ?? []) as (string | null)[];
    const counts = new Map<string, number>();
    fields.forEach((f, i) => counts.set(f, Number(cur[i] ?? 0) + Number(prev[i] ?? 0)));
    const own: DocFreq = { n: counts.get('#n') ?? 0, df: (k) => counts.get(k) ?? 0 };
    return combineDocFreq(backgroundDocFreq(), own);
  }

  async function withLocks<T>(matchKeys: readonly string[], fn: () => Promise<T>): Promise<T> {
    if (matchKeys.length === 0) return fn();
    const lockKeys = matchKeys.map((k) => keys.storyLock(k));
    const token = randomBytes(8).toString('hex');
    const deadline = Date.now() + lockWaitMs;
    for (let attempt = 0; ; attempt++) {
      const got = await scripts.swStoryLock(lockKeys.length, ...lockKeys, token, LOCK_TTL_MS);
      if (got === 1) break;
      if (Date.now() > deadline) throw new StoryLockTimeoutError(`story locks busy for ${lockWaitMs} ms`);
      await sleep(Math.min(1 + attempt, 20) + Math.random() * 3);
    }
    try {
      return await fn();
    } finally {
      await scripts.swStoryUnlock(lockKeys.length, ...lockKeys, token);
    }
  }

  async function candidates(v: ArticleVectors, matchKeys: readonly string[], d: DocFreq): Promise<{ list: CandidateStory[]; json: Map<string, string> }> {
    const json = new Map<string, string>();
    if (matchKeys.length === 0) return { list: [], json };
    const p = redis.pipeline();
    for (const k of matchKeys) p.zrevrangebyscore(keys.storyCandidates(k), v.t + windowMs, v.t - windowMs, 'LIMIT', 0, PER_KEY_LIMIT);
    const res = (await p.exec()) ?? [];
    const hits = new Map<string, number>();
    res.forEach(([, ids], i) => {
      const w = idf(d, matchKeys[i]!);
      for (const id of (ids as string[] | null) ?? []) hits.set(id, (hits.get(id) ?? 0) + w);
    });
    const ranked = [...hits.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, MAX_CANDIDATES)
      .map(([id]) => id);
    if (ranked.length === 0) return { list: [], json };
    const stories = await redis.mget(ranked.map((id) => keys.story(id)));
    const members = new Map<string, string[]>();
    ranked.forEach((id, i) => {
      const s = stories[i];
      if (!s) return;
      json.set(id, s);
      members.set(id, comparedMembers((JSON.parse(s) as Story).articleIds));
    });
    const memberIds = [...members.values()].flat();
    const packed = memberIds.length ? await redis.mget(memberIds.map((a) => keys.storyVectors(a))) : [];
    const byId = new Map<string, ArticleVectors>();
    memberIds.forEach((a, i) => {
      const s = packed[i];
      if (s) byId.set(a, unpackVectors(s));
    });
    const list: CandidateStory[] = [];
    for (const [id, ids] of members) {
      const ms = ids.map((a) => byId.get(a)).filter((x): x is ArticleVectors => x !== undefined);
      if (ms.length) list.push({ storyId: id, members: ms });
    }
    return { list, json };
  }

  /** Writes the merged story compare-and-set; re-reads and re-merges when someone else wrote first. */
  async function writeStory(storyId: string, readJson: string | null, a: StoryArticle): Promise<{ story: Story; created: boolean }> {
    let cur = readJson;
    for (let attempt = 0; attempt < 50; attempt++) {
      if (attempt > 0) await sleep(Math.random() * Math.min(attempt, 10));
      const prev = cur ? (JSON.parse(cur) as Story) : null;
      const next = mergeIntoStory(prev, a, { storyId });
      if (prev && next === prev) return { story: prev, created: false };
      const ok = await scripts.swStoryCas(keys.story(storyId), cur ?? '', JSON.stringify(next), retentionSec);
      if (ok === 1) return { story: next, created: prev === null };
      cur = await redis.get(keys.story(storyId));
    }
    throw new StoryLockTimeoutError(`story ${storyId} kept changing while being written`);
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

  async function index(s: Story, nowMs: number): Promise<void> {
    const score = Date.parse(s.lastSeen) || nowMs;
    const ix = indexKeysOf(s);
    const p = redis.pipeline();
    for (const k of [keys.storiesByTime, ...ix]) {
      p.zadd(k, 'GT', score, s.id);
      p.zremrangebyscore(k, '-inf', `(${nowMs - retentionMs}`);
      p.expire(k, retentionSec);
    }
    if (ix.length) p.sadd(keys.storyIndexKeys, ...ix);
    await p.exec();
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
      const existing = await redis.get(keys.storyOf(article.id));
      if (existing) {
        const story = await get(existing);
        if (story) {
          const entry = story.outlets.find((x) => x.articleId === article.id);
          return { story, storyId: existing, created: false, cites: entry?.cites ?? [], matched: null };
        }
      }
      const published = Number.isFinite(Date.parse(article.published)) ? article.published : now.toISOString();
      const f = articleFeatures({ id: article.id, title: article.title || analysis.title, text: article.text, published, analysis });
      const fk = [...new Set(dfKeys(f))];
      const d = await docFreq(fk, nowMs);
      const v = vectors(f, d);
      const matchKeys = candidateKeys(f, d);
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

      const { story, created, decision } = await withLocks(matchKeys, async () => {
        const c = await candidates(v, matchKeys, d);
        const decision = chooseStory(v, c.list, { windowHours });
        const storyId = decision.storyId ?? storyIdFor(article.id);
        const { story, created } = await writeStory(storyId, decision.storyId ? (c.json.get(storyId) ?? null) : await redis.get(keys.story(storyId)), sa);
        const p = redis.pipeline();
        p.set(keys.storyOf(article.id), story.id, 'EX', retentionSec);
        p.set(keys.storyVectors(article.id), packVectors(v), 'EX', matchTtlSec);
        for (const k of matchKeys) {
          const ck = keys.storyCandidates(k);
          p.zadd(ck, 'GT', v.t, story.id);
          p.zremrangebyscore(ck, '-inf', `(${nowMs - 2 * windowMs}`);
          p.expire(ck, matchTtlSec);
        }
        await p.exec();
        return { story, created, decision };
      });

      await index(story, nowMs);
      const epoch = Math.floor(nowMs / DF_EPOCH_MS);
      await scripts.swStoryDf(keys.storyDf(epoch), Math.ceil((2 * DF_EPOCH_MS) / 1000), ...fk);
      return { story, storyId: story.id, created, cites, matched: decision.matched };
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
        const p = redis.pipeline();
        for (const k of batch) {
          p.zremrangebyscore(k, '-inf', cutoff);
          p.zcard(k);
        }
        const res = (await p.exec()) ?? [];
        const empty: string[] = [];
        batch.forEach((k, j) => {
          entriesRemoved += Number(res[2 * j]?.[1] ?? 0);
          if (Number(res[2 * j + 1]?.[1] ?? 0) === 0) empty.push(k);
        });
        if (empty.length) {
          keysRemoved += empty.length;
          await redis.srem(keys.storyIndexKeys, ...empty);
        }
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
