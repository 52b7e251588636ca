// Single Redis only (like story-store.ts): a count's script spans keys of several slots.
//
// Trend counters: one hash per UTC hour and one per UTC day, field → articles (fields:
// core/trends/counters.ts), each expiring at its hour/day + RETENTION_DAYS, so retention costs
// no sweep. Counting a batch of articles (an analyse job's) is one EVALSHA
// (scripts/trend-count-many.lua) that also sets each article's marker, so a retried job or a
// re-import never counts one twice; the batch's increments are summed per hash and field first.
// Spikes found are kept in one sorted set with a cooldown string per key (scripts/spike-claim.lua).
import type { Redis } from 'ioredis';
import { counterFields, countingTime, dayKey, DAY_MS, floorDay, floorHour, hourKey, HOUR_MS, type CountableArticle } from '../../core/trends/counters.js';
import type { SpikeStore, StoredSpike, TrendCounterStore } from '../../ports/trend-counters.js';
import type { Keys } from './keys.js';
import { luaScript } from './scripts.js';

interface ScriptedRedis {
  swTrendCountMany(...args: (string | number)[]): Promise<number[]>;
  swSpikeClaim(...args: (string | number)[]): Promise<number>;
}

function scripted(redis: Redis): ScriptedRedis {
  const r = redis as Redis & Partial<ScriptedRedis>;
  if (!r.swTrendCountMany) {
    redis.defineCommand('swTrendCountMany', { lua: luaScript('trend-count-many') });
    redis.defineCommand('swSpikeClaim', { numberOfKeys: 2, lua: luaScript('spike-claim') });
  }
  return redis as unknown as ScriptedRedis;
}

const toCounts = (h: Record<string, string>): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(h)) out[k] = Number(v);
  return out;
};

export function createRedisTrendStore(redis: Redis, keys: Keys, retentionDays: number): TrendCounterStore & SpikeStore {
  const s = scripted(redis);
  const retentionMs = retentionDays * DAY_MS;

  async function readHashes<K>(ids: readonly K[], key: (id: K) => string): Promise<Map<K, Record<string, number>>> {
    const out = new Map<K, Record<string, number>>();
    if (ids.length === 0) return out;
    const p = redis.pipeline();
    for (const id of ids) p.hgetall(key(id));
    const res = (await p.exec()) ?? [];
    res.forEach(([err, v], i) => {
      if (err) throw err;
      const h = v as Record<string, string>;
      if (Object.keys(h).length) out.set(ids[i]!, toCounts(h));
    });
    return out;
  }

  async function countMany(articles: readonly (CountableArticle & { outlet: string })[], now: Date): Promise<boolean[]> {
    const out = articles.map(() => false);
    const keyArgs: string[] = [keys.trendOutlets];
    const argv: (string | number)[] = [];
    const sent: number[] = [];
    articles.forEach((a, i) => {
      const t = countingTime(a.published, now, retentionDays);
      if (t === null) return;
      const { hourly, daily } = counterFields(a);
      if (daily.length === 0) return;
      // Daily fields start with the hourly ones (counterFields), so the first n go to the hour too.
      keyArgs.push(keys.trendCounted(a.id), keys.trendHour(hourKey(t)), keys.trendDay(dayKey(t)));
      argv.push(
        Math.ceil((floorHour(t) + HOUR_MS + retentionMs) / 1000),
        Math.ceil((floorDay(t) + DAY_MS + retentionMs) / 1000),
        a.outletId,
        JSON.stringify({ outlet: a.outlet, affiliation: a.affiliation }),
        hourly.length,
        daily.length,
        ...daily,
      );
      sent.push(i);
    });
    if (sent.length === 0) return out;
    const r = await s.swTrendCountMany(keyArgs.length, ...keyArgs, ...argv);
    sent.forEach((i, k) => (out[i] = r[k] === 1));
    return out;
  }

  return {
    async count(a, now) {
      return (await countMany([a], now))[0]!;
    },
    countMany,
    hours(hourStarts) {
      return readHashes(hourStarts, (h) => keys.trendHour(hourKey(h)));
    },
    days(days) {
      return readHashes(days, (d) => keys.trendDay(d));
    },
    async outlets(ids) {
      const out = new Map<string, { outlet: string; affiliation: string }>();
      if (ids.length === 0) return out;
      const vals = await redis.hmget(keys.trendOutlets, ...ids);
      vals.forEach((v, i) => {
        if (v) out.set(ids[i]!, JSON.parse(v) as { outlet: string; affiliation: string });
      });
      return out;
    },
    async claim(spike: StoredSpike, cooldownSeconds, retentionSeconds) {
      const score = Date.parse(spike.at);
      const r = await s.swSpikeClaim(
        keys.spikeCooldown(spike.key),
        keys.spikes,
        spike.id,
        JSON.stringify(spike),
        Math.max(1, Math.round(cooldownSeconds)),
        score,
        score - retentionSeconds * 1000,
      );
      return r === 1;
    },
    async since(since) {
      const raw = await redis.zrevrangebyscore(keys.spikes, '+inf', since.getTime());
      return raw.map((j) => JSON.parse(j) as StoredSpike);
    },
  };
}
