// The article store's batch writes alone, as the cold cycle makes them: the handoff's putNew (a
// poll's raw articles) and the analyse job's getMany + putAnalysis, in batches of `--batch` farm
// articles (analysed by the real analyzer, so the analysis parts have their real sizes), over a
// private redis-server's Unix socket. Per article: the client's CPU (process.cpuUsage), Redis's
// CPU (INFO cpu) and the commands Redis ran (INFO commandstats, a script's inner calls included)
// and the commands the client sent (the script calls counted once).
//
//   npx tsx bench/article-writes.ts [--articles 2000] [--batch 20] [--rounds 5]
//     [--base <an article-store.js, e.g. a copy of main's dist/src/adapters/redis/article-store.js>]
//
// With --base, the two stores run alternately round by round (same articles, fresh key prefixes),
// and a digest of what each left in Redis (every article read back whole) shows they store the same.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { defaultAnalyzer } from '../src/adapters/analysis-data.js';
import { createRedisArticleStore } from '../src/adapters/redis/article-store.js';
import { makeKeys } from '../src/adapters/redis/keys.js';
import { spawnRedis } from '../src/adapters/redis/spawn.js';
import type { AnalysedArticle, Article } from '../src/core/types.js';
import type { ArticleStore } from '../src/ports/stores.js';
import { farmFeed, initialItemMeta, itemPlainText, renderItem, type FarmSpec } from './farm/content.js';
import { redisCpuSeconds } from './story-rate.js';

type MakeStore = typeof createRedisArticleStore;

/** Farm articles (every item of the first feeds, newest first) and their analysed copies. */
function farmArticles(n: number): { raw: Article[]; analysed: AnalysedArticle[] } {
  const spec: FarmSpec = { feeds: Math.ceil(n / 20), items: 20, start: Date.UTC(2026, 11, 1), seed: 7 };
  const analyzer = defaultAnalyzer();
  const now = new Date(spec.start);
  const raw: Article[] = [];
  const analysed: AnalysedArticle[] = [];
  for (let feed = 0; raw.length < n; feed++) {
    const f = farmFeed(feed);
    for (let seq = spec.items - 1; seq >= 0 && raw.length < n; seq--) {
      const m = initialItemMeta(spec, feed, seq);
      const it = renderItem(spec, m, 'http://127.0.0.1');
      const { title, text } = itemPlainText(it);
      const a: Article = { id: `${f.outletId}-${it.guid}`, feedId: f.id, outletId: f.outletId, outlet: f.outlet, affiliation: f.affiliation, url: it.link, title, text, published: new Date(m.publishedMs).toISOString(), publishedEstimated: false, firstSeen: now.toISOString(), languageHint: m.lang };
      const analysis = analyzer.analyze({ id: a.id, title, text, url: it.link, outlet: f.outlet, published: a.published, language: m.lang }, now);
      raw.push(a);
      // Every third one in a story (the time index's ZADD), as Central Asia articles are.
      analysed.push({ ...a, analysis, storyId: raw.length % 3 === 0 ? `s-${raw.length}` : null, cites: [] });
    }
  }
  return { raw, analysed };
}

async function commandCalls(redis: Redis): Promise<number> {
  let n = 0;
  for (const line of (await redis.info('commandstats')).split('\r\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (m && m[1] !== 'info') n += Number(m[2]);
  }
  return n;
}

/** Client CPU, Redis CPU and commands of `fn`, per article. */
async function measured(redis: Redis, n: number, fn: () => Promise<void>): Promise<{ clientUs: number; redisUs: number; redisCommands: number }> {
  const [calls0, r0] = [await commandCalls(redis), await redisCpuSeconds(redis)];
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  const [calls1, r1] = [await commandCalls(redis), await redisCpuSeconds(redis)];
  return { clientUs: (c.user + c.system) / n, redisUs: ((r1 - r0) * 1e6) / n, redisCommands: (calls1 - calls0 - 2) / n };
}

/** Counts the commands this store's connection sends (one a script call). */
function counted(redis: Redis): { sent: () => number } {
  let sent = 0;
  const orig = redis.sendCommand.bind(redis);
  (redis as unknown as { sendCommand: (...a: unknown[]) => unknown }).sendCommand = (...a: unknown[]) => {
    sent += 1;
    return (orig as (...x: unknown[]) => unknown)(...a);
  };
  return { sent: () => sent };
}

async function round(url: string, make: MakeStore, data: ReturnType<typeof farmArticles>, batch: number) {
  const redis = new Redis(url);
  const admin = new Redis(url);
  const store: ArticleStore = make(redis, makeKeys(`aw-${Math.random().toString(36).slice(2, 8)}`));
  const counter = counted(redis);
  const n = data.raw.length;
  const chunks = <T>(xs: T[]) => Array.from({ length: Math.ceil(xs.length / batch) }, (_, i) => xs.slice(i * batch, (i + 1) * batch));
  const ttl = 30 * 86_400;
  // Warm-up of the scripts (a NOSCRIPT's EVAL) and the JIT on other ids: not timed.
  await store.putNew(data.raw.slice(0, batch).map((a) => ({ ...a, id: `${a.id}~w` })), ttl);
  await store.putAnalysis(data.analysed.slice(0, batch).map((a) => ({ ...a, id: `${a.id}~w` })), ttl);
  const s0 = counter.sent();
  const putNew = await measured(admin, n, async () => {
    for (const c of chunks(data.raw)) await store.putNew(c, ttl);
  });
  const s1 = counter.sent();
  const getMany = await measured(admin, n, async () => {
    for (const c of chunks(data.raw)) await store.getMany(c.map((a) => a.id));
  });
  const s2 = counter.sent();
  const putAnalysis = await measured(admin, n, async () => {
    for (const c of chunks(data.analysed)) await store.putAnalysis(c, ttl);
  });
  const s3 = counter.sent();
  const h = createHash('sha256');
  for (const c of chunks(data.raw)) for (const a of await store.getMany(c.map((x) => x.id))) h.update(JSON.stringify(a));
  await admin.flushall();
  redis.disconnect();
  admin.disconnect();
  return { putNew: { ...putNew, sent: (s1 - s0) / n }, getMany: { ...getMany, sent: (s2 - s1) / n }, putAnalysis: { ...putAnalysis, sent: (s3 - s2) / n }, digest: h.digest('hex').slice(0, 16) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { articles: { type: 'string', default: '2000' }, batch: { type: 'string', default: '20' }, rounds: { type: 'string', default: '5' }, base: { type: 'string' } } });
  const data = farmArticles(Number(values.articles));
  const dir = mkdtempSync(join(tmpdir(), 'sw-article-writes-'));
  const server = await spawnRedis({ dir, socket: join(dir, 'redis.sock') });
  const stores: [string, MakeStore][] = [['this', createRedisArticleStore]];
  if (values.base) stores.unshift(['base', ((await import(pathToFileURL(resolve(values.base)).href)) as { createRedisArticleStore: MakeStore }).createRedisArticleStore]);
  const f = (x: number) => x.toFixed(1);
  try {
    for (let r = 0; r < Number(values.rounds); r++) {
      for (const [name, make] of stores) {
        const m = await round(server.url, make, data, Number(values.batch));
        const line = (['putNew', 'getMany', 'putAnalysis'] as const).map((k) => `${k} client ${f(m[k].clientUs)} redis ${f(m[k].redisUs)} µs, sent ${m[k].sent.toFixed(2)}, run ${m[k].redisCommands.toFixed(2)}`).join(' | ');
        process.stdout.write(`${name} r${r}: ${line} | digest ${m.digest}\n`);
      }
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
