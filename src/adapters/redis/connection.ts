// ioredis connections from a URL: `redis://…`, `rediss://…` or `unix:///path/to/redis.sock`.
import type { Socket } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
// Side effect: ioredis's commands flatten their arguments without Array.prototype.flat (command-args.ts).
import './command-args.js';

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
  const redis = new Redis({
    ...redisOptionsFromUrl(url),
    connectionName: o.name ?? 'steppewatch',
    maxRetriesPerRequest: o.forWorker ? null : 20,
    enableReadyCheck: true,
    lazyConnect: o.lazyConnect ?? false,
    // Reconnect with a capped backoff: a Redis restart costs a pause, not the process.
    retryStrategy: (times) => Math.min(200 * times, 5000),
  });
  return corkPerTick(redis);
}

/**
 * Commands sent in one tick leave in one socket write. ioredis writes each command as it is
 * called, one write system call each (and one read and wake-up of Redis each), also for calls
 * sent together with Promise.all; ioredis's own `enableAutoPipelining` batches through a Pipeline
 * a tick, whose constructor copies every script defined on the connection (above). Here the
 * socket is corked at a tick's first write and uncorked on process.nextTick, which runs once the
 * current callback and its promise reactions are done: the writes of the tick go out as one
 * writev, nothing waits for a timer, and the order on the connection is unchanged. Installed on
 * each new socket (ioredis makes one a reconnection).
 */
export function corkPerTick<R extends Redis>(redis: R): R {
  const install = () => {
    const s = (redis as unknown as { stream?: Socket & { swCorked?: true } }).stream;
    if (!s || s.swCorked) return;
    s.swCorked = true;
    let corked = false;
    const uncork = () => {
      corked = false;
      s.uncork();
    };
    const write = s.write;
    s.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
      if (!corked) {
        corked = true;
        s.cork();
        process.nextTick(uncork);
      }
      return write.apply(this, args);
    } as Socket['write'];
  };
  redis.on('connect', install);
  install();
  return redis;
}
