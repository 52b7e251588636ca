// Articles as JSON strings with the retention TTL.
import type { Redis } from 'ioredis';
import type { AnalysedArticle, Article } from '../../core/types.js';
import type { ArticleStore } from '../../ports/stores.js';
import type { Keys } from './keys.js';

export function createRedisArticleStore(redis: Redis, keys: Keys): ArticleStore {
  const parse = (s: string | null) => (s ? (JSON.parse(s) as Article | AnalysedArticle) : null);
  return {
    async put(article, ttlSeconds) {
      await redis.set(keys.article(article.id), JSON.stringify(article), 'EX', Math.max(1, Math.round(ttlSeconds)));
    },
    async putMany(articles, ttlSeconds) {
      if (articles.length === 0) return;
      // A pipeline: one round trip, and article keys may spread over cluster slots.
      const ttl = Math.max(1, Math.round(ttlSeconds));
      const p = redis.pipeline();
      for (const a of articles) p.set(keys.article(a.id), JSON.stringify(a), 'EX', ttl);
      for (const [err] of (await p.exec()) ?? []) if (err) throw err;
    },
    async get(id) {
      return parse(await redis.get(keys.article(id)));
    },
    async getMany(ids) {
      if (ids.length === 0) return [];
      // A pipeline rather than MGET: article keys spread over cluster slots.
      const p = redis.pipeline();
      for (const id of ids) p.get(keys.article(id));
      const res = (await p.exec()) ?? [];
      return res.map(([err, v]) => (err ? null : parse(v as string | null)));
    },
  };
}
