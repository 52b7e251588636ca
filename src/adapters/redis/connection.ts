// ioredis connections from a URL: `redis://…`, `rediss://…` or `unix:///path/to/redis.sock`.
import { Redis, type RedisOptions } from 'ioredis';

export function redisOptionsFromUrl(url: string): RedisOptions {
  if (url.startsWith('unix://')) {
    const u = new URL(url);
    const db = u.searchParams.get('db');
    return { path: decodeURIComponent(u.pathname), ...(db ? { db: Number(db) } : {}) };
  }
  const u = new URL(url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`REDIS_URL: unsupported scheme ${u.protocol}`);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined;
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db !== undefined && !Number.isNaN(db) ? { db } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/*
 * A few commands of one round trip go out as plain calls together (Promise.all), not as a
 * pipeline, where their order is all that matters (reads, idempotent writes): ioredis's Pipeline
 * constructor copies every script defined on the connection (about twenty on the stores'), which
 * costs the client ~20-40 µs a pipeline (`npx tsx bench/pipeline-cost.ts --scripts 20`, load ~15:
 * two reads 70-130 µs as a pipeline against 41-53 as two calls; one read 58-74 against 28-38).
 * Commands on one connection are written and answered in order either way, and a pipeline is not
 * atomic either.
 */

export interface ConnectOptions {
  /** BullMQ workers need null (block forever); plain clients keep a bound. */
  forWorker?: boolean;
  /** Name shown by CLIENT LIST. */
  name?: string;
  lazyConnect?: boolean;
}

export function connectRedis(url: string, o: ConnectOptions = {}): Redis {
  return new Redis({
    ...redisOptionsFromUrl(url),
    connectionName: o.name ?? 'steppewatch',
    maxRetriesPerRequest: o.forWorker ? null : 20,
    enableReadyCheck: true,
    lazyConnect: o.lazyConnect ?? false,
    // Reconnect with a capped backoff: a Redis restart costs a pause, not the process.
    retryStrategy: (times) => Math.min(200 * times, 5000),
  });
}
