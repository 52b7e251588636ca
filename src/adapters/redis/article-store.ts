// Articles as JSON strings with the retention TTL, and (for export) a time index of the analysed
// ones that have a story: keys.articlesByTime, id → publication ms.
import type { Redis } from 'ioredis';
import { isAnalysed } from '../../core/analysed.js';
import type { AnalysedArticle, Article } from '../../core/types.js';
import type { ArticleStore, ArticleTimeline } from '../../ports/stores.js';
import type { Keys } from './keys.js';

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

export function createRedisArticleStore(redis: Redis, keys: Keys): ArticleStore & ArticleTimeline {
  const parse = (s: string | null) => (s ? (JSON.parse(s) as Article | AnalysedArticle) : null);
  async function getMany(ids: string[]) {
    if (ids.length === 0) return [];
    // One MGET (one command for a batch, not one GET per article): the stores run on one Redis,
    // not a cluster (the story and trend stores' scripts span slots already).
    return (await redis.mget(ids.map((id) => keys.article(id)))).map(parse);
  }
  return {
    async put(article, ttlSeconds) {
      const ex = Math.max(1, Math.round(ttlSeconds));
      if (isAnalysed(article) && article.storyId) {
        // One round trip: the record and its time entry (ZADD is idempotent for a retried job).
        await redis.multi().set(keys.article(article.id), JSON.stringify(article), 'EX', ex).zadd(keys.articlesByTime, publishedMs(article), article.id).exec();
        return;
      }
      await redis.set(keys.article(article.id), JSON.stringify(article), 'EX', ex);
    },
    async putMany(articles, ttlSeconds) {
      if (articles.length === 0) return;
      // A pipeline: one round trip, and article keys may spread over cluster slots.
      const ttl = Math.max(1, Math.round(ttlSeconds));
      const p = redis.pipeline();
      // The time index (export) of the analysed ones with a story, in one ZADD, as put() keeps it
      // (analyse stores through here: without it, export found none of the pipeline's articles).
      const indexed: (number | string)[] = [];
      for (const a of articles) {
        p.set(keys.article(a.id), JSON.stringify(a), 'EX', ttl);
        if (isAnalysed(a) && a.storyId) indexed.push(publishedMs(a), a.id);
      }
      if (indexed.length) p.zadd(keys.articlesByTime, ...indexed);
      for (const [err] of (await p.exec()) ?? []) if (err) throw err;
    },
    async putNew(articles, ttlSeconds) {
      if (articles.length === 0) return;
      // SET … NX: a plain SET, not a hash field or a script argument, because Redis keeps a big
      // argument of SET as it arrives where HSET copies it (measured on the bench machine, 89 KB:
      // SET 5 µs, HSET ~250 µs of Redis time).
      const ttl = Math.max(1, Math.round(ttlSeconds));
      const p = redis.pipeline();
      for (const a of articles) p.set(keys.article(a.id), JSON.stringify(a), 'EX', ttl, 'NX');
      for (const [err] of (await p.exec()) ?? []) if (err) throw err;
    },
    async get(id) {
      return parse(await redis.get(keys.article(id)));
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
