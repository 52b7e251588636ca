// `trends` of the bench JSON (issue 17: the trend counters maintained by the pipeline at ≤ 5% of
// its cold-cycle cost). The pipeline counts each analyse batch with one countMany
// (jobs/analyse.ts); this times that call alone over the farm's Central Asia items (every one of
// them counted: an upper bound, since the cold cycle's other articles cost no Redis call), in
// batches of the analyse job's size, and the old way (one script call per article) beside it.
// Cost = CPU of this process + CPU of Redis (INFO cpu), per article, as story-rate.ts does: on a
// shared machine the wall clock says more about the neighbours. The share is that cost against
// the cold cycle's CPU per article (pipeline processes + Redis; the median cold cycle).
import { Redis } from 'ioredis';
import { makeKeys } from '../src/adapters/redis/keys.js';
import { createRedisTrendStore } from '../src/adapters/redis/trend-store.js';
import { MAX_ANALYSE_BATCH } from '../src/ports/queue-payloads.js';
import { centralAsiaItems } from './story-rate.js';

export interface CountersFigure {
  /** Client + Redis CPU per article counted with countMany, ms. */
  countersMsPerArticle: number;
  clientCpuUsPerArticle: number;
  redisCpuUsPerArticle: number;
  /** The same articles with one count() (one script call) each, ms of CPU per article. */
  perArticleCallMsPerArticle: number;
  /** The cold cycle's CPU (pipeline + Redis) per article, ms; null without a cold cycle. */
  coldCycleCpuMsPerArticle: number | null;
  /** countersMsPerArticle as a percentage of coldCycleCpuMsPerArticle (target ≤ 5). */
  shareOfColdCyclePercent: number | null;
  articles: number;
  batch: number;
}

// The figure rides in the bench report under `trends` (one line in run.ts sets it).
declare module './report.js' {
  interface BenchReport {
    trends?: CountersFigure | null;
  }
}

async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const v = (k: string) => Number(new RegExp(`${k}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return v('used_cpu_user') + v('used_cpu_sys');
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : NaN;
};

export async function measureCounters(o: {
  redisUrl: string;
  /** The cold cycles' CPU seconds (pipeline processes, Redis), for the share. */
  cold?: readonly { cpu: { pipeline: number; redis: number } }[];
  /** Articles of one cold cycle. */
  coldArticles?: number;
  articles?: number;
  batch?: number;
}): Promise<CountersFigure> {
  const n = o.articles ?? 2_000;
  const batch = o.batch ?? MAX_ANALYSE_BATCH;
  const items = centralAsiaItems(n).map((x) => ({ ...x.article, analysis: x.analysis }));
  const redis = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
  const keys = makeKeys(`bench-counters-${process.pid}-${Date.now()}`);
  const store = createRedisTrendStore(redis, keys, 90);
  // Counting time: the items' own clock (the farm's), so none is past the retention.
  const now = new Date(Math.max(...items.map((a) => Date.parse(a.published))) + 3_600_000);
  const timed = async (f: () => Promise<void>) => {
    const r0 = await redisCpuSeconds(redis);
    const c0 = process.cpuUsage();
    await f();
    const c = process.cpuUsage(c0);
    return { client: (c.user + c.system) / 1e6, redis: (await redisCpuSeconds(redis)) - r0 };
  };
  try {
    await store.countMany(items.slice(0, 1).map((a) => ({ ...a, id: `${a.id}~warm` })), now); // loads the script
    const many = await timed(async () => {
      for (let i = 0; i < items.length; i += batch) await store.countMany(items.slice(i, i + batch), now);
    });
    const one = await timed(async () => {
      for (const a of items) await store.count({ ...a, id: `${a.id}~one` }, now);
    });
    const perArticleMs = (t: { client: number; redis: number }) => ((t.client + t.redis) * 1000) / items.length;
    const cold = (o.cold ?? []).map((c) => c.cpu.pipeline + c.cpu.redis);
    const coldMs = cold.length && o.coldArticles ? (median(cold) * 1000) / o.coldArticles : null;
    const countersMs = perArticleMs(many);
    return {
      countersMsPerArticle: Math.round(countersMs * 1000) / 1000,
      clientCpuUsPerArticle: Math.round((many.client * 1e6) / items.length),
      redisCpuUsPerArticle: Math.round((many.redis * 1e6) / items.length),
      perArticleCallMsPerArticle: Math.round(perArticleMs(one) * 1000) / 1000,
      coldCycleCpuMsPerArticle: coldMs === null ? null : Math.round(coldMs * 1000) / 1000,
      shareOfColdCyclePercent: coldMs ? Math.round((countersMs / coldMs) * 1000) / 10 : null,
      articles: items.length,
      batch,
    };
  } finally {
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${keys.prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (found.length) await redis.unlink(...found);
    } while (cursor !== '0');
    await redis.quit();
  }
}

// Alone: `npx tsx bench/counters.ts [--cold-ms-per-article X]` (a private redis-server), JSON on stdout.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { spawnRedis } = await import('../src/adapters/redis/spawn.js');
  const i = process.argv.indexOf('--cold-ms-per-article');
  const coldMs = i > 0 ? Number(process.argv[i + 1]) : NaN;
  const dir = mkdtempSync(join(tmpdir(), 'sw-bench-counters-'));
  const server = await spawnRedis({ dir: join(dir, 'redis'), socket: join(dir, 'redis.sock') });
  try {
    const cold = Number.isFinite(coldMs) ? [{ cpu: { pipeline: coldMs / 1000, redis: 0 } }] : undefined;
    const fig = await measureCounters({ redisUrl: server.url, cold, coldArticles: cold ? 1 : undefined });
    process.stdout.write(`${JSON.stringify({ trends: fig })}\n`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
