// Articles as JSON strings with the retention TTL, and (for export) a time index of the analysed
// ones that have a story: keys.articlesByTime, id → publication ms.
import type { Redis } from 'ioredis';
import { isAnalysed } from '../../core/analysed.js';
import type { AnalysedArticle, Article } from '../../core/types.js';
import type { ArticleStore, ArticleTimeline } from '../../ports/stores.js';
import type { Keys } from './keys.js';
import { luaScript } from './scripts.js';

/** An ioredis pipeline or MULTI (the same chainable commands). */
type Pipeline = ReturnType<Redis['pipeline']>;

/** Publication ms of an article (its first-seen time when `published` does not parse). */
export function publishedMs(a: Pick<Article, 'published' | 'firstSeen'>): number {
  const t = Date.parse(a.published);
  return Number.isFinite(t) ? t : Date.parse(a.firstSeen) || 0;
}

/** The cursor: the last entry returned, `<ms>:<id>` (scores tie; ids order them). */
function readCursor(c: string | null): { ms: number; id: string } | null {
  if (!c) return null;
  const i = c.indexOf(':');
  const ms = Number(c.slice(0, i));
  if (i < 1 || !Number.isFinite(ms)) throw new Error(`article scan: bad cursor ${JSON.stringify(c)}`);
  return { ms, id: c.slice(i + 1) };
}

/** What the analyse job adds to a stored article (keys.articleAnalysis), in the record's field order. */
type AnalysisPart = Pick<AnalysedArticle, 'analysis' | 'storyId' | 'cites'>;

/**
 * A stored article from its two keys: the record at keys.article (raw, or whole when put/putMany
 * wrote it) and, when the analyse job stored one, the analysis beside it. The analysis without
 * the article (the raw copy expired first) is no article.
 */
function fromParts(raw: string | null, part: string | null): Article | AnalysedArticle | null {
  if (!raw) return null;
  const a = JSON.parse(raw) as Article | AnalysedArticle;
  if (!part) return a;
  const p = JSON.parse(part) as AnalysisPart;
  // Same fields, in the same order, as the whole record `{ ...article, analysis, storyId, cites }`.
  return Object.assign(a, { analysis: p.analysis, storyId: p.storyId, cites: p.cites });
}

/** The store's two batch writes as scripts (defineCommand: EVALSHA, the source sent again only after a NOSCRIPT). */
type Scripted = Redis & {
  swArticlePutNew(n: number, ...args: string[]): Promise<number>;
  swArticlePutAnalysis(n: number, ...args: string[]): Promise<number[]>;
};

/**
 * Articles one script call takes at most (more go in several calls, sent together): a script holds
 * Redis while it runs, and a poll may hand over up to MAX_ITEMS_PER_POLL articles (~4 KB each on
 * the farm), so other clients wait at most for ~100 SETs at a time; putAnalysis's script also passes
 * its time index entries to one ZADD through Lua's `unpack` (whose stack holds ~8,000 values). An
 * analyse job's batch (≤ 50) and a usual poll's new items are one call.
 */
const SCRIPT_BATCH = 100;

/** `xs` in slices of SCRIPT_BATCH. */
function slices<T>(xs: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let from = 0; from < xs.length; from += SCRIPT_BATCH) out.push(xs.slice(from, from + SCRIPT_BATCH));
  return out;
}

export function createRedisArticleStore(redis: Redis, keys: Keys): ArticleStore & ArticleTimeline {
  // The handoff's and the analyse job's writes are one script call a batch, not a pipeline of one
  // SET (and one EXISTS) an article: in the cold cycle these were ~15,000 of the ~25,000 commands
  // the pipeline process sent a 300-feed cycle, each an ioredis Command with its Promise, its
  // argument list and its reply. Same keys and values as before (old and new workers can share a
  // Redis during a rolling upgrade). The scripts span keys of several slots, like the MGET below:
  // the stores run on one Redis, not a cluster.
  if (!('swArticlePutNew' in redis)) {
    redis.defineCommand('swArticlePutNew', { lua: luaScript('article-put-new') });
    redis.defineCommand('swArticlePutAnalysis', { lua: luaScript('article-put-analysis') });
  }
  const r = redis as Scripted;
  async function getMany(ids: string[]) {
    if (ids.length === 0) return [];
    // One MGET of both keys of every article (one command for a batch, not one GET per article):
    // the stores run on one Redis, not a cluster (the story and trend stores' scripts span slots already).
    const vals = await redis.mget([...ids.map((id) => keys.article(id)), ...ids.map((id) => keys.articleAnalysis(id))]);
    return ids.map((_, i) => fromParts(vals[i] ?? null, vals[ids.length + i] ?? null));
  }
  /** The whole record at keys.article; an analysis part left from the analyse job goes (it would cover this one). */
  function setWhole(p: Pipeline, a: Article | AnalysedArticle, ex: number): void {
    p.set(keys.article(a.id), JSON.stringify(a), 'EX', ex).del(keys.articleAnalysis(a.id));
  }
  /**
   * Articles written in one pipeline (one round trip; article keys may spread over cluster slots),
   * each by `write`, with the time index (export) of the analysed ones with a story in one ZADD, as
   * put() keeps it (ZADD is idempotent for a retried job).
   */
  async function pipelined<A extends Article | AnalysedArticle>(articles: readonly A[], ttlSeconds: number, write: (p: Pipeline, a: A, ttl: number) => void): Promise<[Error | null, unknown][]> {
    if (articles.length === 0) return [];
    const ttl = Math.max(1, Math.round(ttlSeconds));
    const p = redis.pipeline();
    const indexed: (number | string)[] = [];
    for (const a of articles) {
      write(p, a, ttl);
      if (isAnalysed(a) && a.storyId) indexed.push(publishedMs(a), a.id);
    }
    if (indexed.length) p.zadd(keys.articlesByTime, ...indexed);
    const res = (await p.exec()) ?? [];
    for (const [err] of res) if (err) throw err;
    return res;
  }
  return {
    async put(article, ttlSeconds) {
      const ex = Math.max(1, Math.round(ttlSeconds));
      const p = redis.multi();
      setWhole(p, article, ex);
      // One round trip: the record and its time entry (ZADD is idempotent for a retried job).
      if (isAnalysed(article) && article.storyId) p.zadd(keys.articlesByTime, publishedMs(article), article.id);
      await p.exec();
    },
    async putMany(articles, ttlSeconds) {
      await pipelined(articles, ttlSeconds, setWhole);
    },
    async putAnalysis(articles, ttlSeconds) {
      // Only what analysis added (a few hundred bytes): the article's title and text are in the
      // store already (putNew at the handoff), and writing them again cost a JSON.stringify and a
      // UTF-8 encoding of the whole text per article (~2.4% of the cold cycle's CPU, issue 16).
      // Only beside a raw record still there (scripts/article-put-analysis.lua): a host crash
      // (Redis losing its last second of writes) may have taken it after the job read it, and an
      // analysis beside nothing is no article: its deliveries found it gone, and the re-polled
      // item's, under the same job ids, were never queued (chaos seed 1868657896: an alert and its
      // follow-up lost). Such an article is written whole.
      const ttl = String(Math.max(1, Math.round(ttlSeconds)));
      const batches = slices(articles);
      const gone = await Promise.all(
        batches.map((batch) => {
          const ks: string[] = [keys.articlesByTime];
          const argv: string[] = [ttl];
          for (const a of batch) {
            const part: AnalysisPart = { analysis: a.analysis, storyId: a.storyId, cites: a.cites };
            ks.push(keys.articleAnalysis(a.id), keys.article(a.id));
            argv.push(JSON.stringify(part), a.storyId ? String(publishedMs(a)) : '', a.id);
          }
          return r.swArticlePutAnalysis(ks.length, ...ks, ...argv);
        }),
      );
      const lost = gone.flatMap((positions, b) => positions.map((i) => batches[b]![i - 1]!));
      if (lost.length) await pipelined(lost, ttlSeconds, setWhole);
    },
    async putNew(articles, ttlSeconds) {
      // SET … NX in a script (scripts/article-put-new.lua), not a hash field (measured on the bench
      // machine, 89 KB: SET 5 µs, HSET ~250 µs of Redis time). The script costs Redis ~5 µs an
      // article more than plain SETs (its Lua strings, its calls) and saves the client ~15
      // (bench/article-writes.ts).
      const ttl = String(Math.max(1, Math.round(ttlSeconds)));
      await Promise.all(
        slices(articles).map((batch) => {
          const ks: string[] = [];
          const argv: string[] = [ttl];
          for (const a of batch) {
            ks.push(keys.article(a.id));
            argv.push(JSON.stringify(a));
          }
          return r.swArticlePutNew(ks.length, ...ks, ...argv);
        }),
      );
    },
    async get(id) {
      return (await getMany([id]))[0] ?? null;
    },
    getMany,
    async scan({ since, until, cursor, limit }) {
      const from = readCursor(cursor);
      const max = until ? `(${until.getTime()}` : '+inf';
      // From the cursor's score, inclusive; entries at that score up to its id were returned
      // already. Many entries can share one score, so the page grows until it gets past them.
      let want = limit;
      for (;;) {
        const min = from ? String(from.ms) : String(since.getTime());
        const flat = await redis.zrangebyscore(keys.articlesByTime, min, max, 'WITHSCORES', 'LIMIT', 0, want);
        const entries: { id: string; ms: number }[] = [];
        for (let i = 0; i + 1 < flat.length; i += 2) entries.push({ id: flat[i]!, ms: Number(flat[i + 1]) });
        const fresh = from ? entries.filter((e) => e.ms > from.ms || e.id > from.id) : entries;
        const exhausted = entries.length < want;
        if (fresh.length === 0 && !exhausted) {
          want *= 2;
          continue;
        }
        const page = fresh.slice(0, limit);
        const stored = await getMany(page.map((e) => e.id));
        const articles = stored.filter((a): a is AnalysedArticle => isAnalysed(a) && a.storyId !== null);
        const last = page[page.length - 1];
        const more = !exhausted || fresh.length > page.length;
        return { articles, next: more && last ? `${last.ms}:${last.id}` : null };
      }
    },
    async trimBefore(before) {
      return redis.zremrangebyscore(keys.articlesByTime, '-inf', `(${before.getTime()}`);
    },
  };
}

/**
 * Upgrade (design.md "Upgrades"): articles stored before the time index existed are indexed once,
 * at start, so export finds them. SCAN walks the article keys with a cursor (never KEYS); the step
 * is recorded in keys.migrations and does not run again. Returns how many were indexed, or null
 * when it had run before.
 */
export async function migrateArticleTimeIndex(redis: Redis, keys: Keys): Promise<number | null> {
  const step = 'articles-by-time';
  if (await redis.hexists(keys.migrations, step)) return null;
  let indexed = 0;
  let cursor = '0';
  const match = `${keys.article('')}*`;
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
    cursor = next;
    if (batch.length === 0) continue;
    const vals = await redis.mget(batch);
    const m = redis.multi();
    let n = 0;
    for (const v of vals) {
      const a = v ? (JSON.parse(v) as Article | AnalysedArticle) : null;
      if (!isAnalysed(a) || !a.storyId) continue;
      m.zadd(keys.articlesByTime, publishedMs(a), a.id);
      n++;
    }
    if (n) await m.exec();
    indexed += n;
  } while (cursor !== '0');
  await redis.hset(keys.migrations, step, new Date().toISOString());
  return indexed;
}
