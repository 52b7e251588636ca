// Redis losing its last writes, as a host crash under appendfsync everysec makes it: the server
// comes back with a prefix of the write stream, i.e. its data as it was at some earlier moment.
// `markLostFrom` takes that moment (every key of a prefix, dumped with its TTL); `lose()` puts the
// prefix's keys back as they were then (keys made since deleted), while the test's processes go on
// as a worker does after ioredis reconnects. Deterministic: no real crash, no timing.
import type { Redis } from 'ioredis';

export interface LostWrites {
  /** The keys of the prefix as they were when marked: everything written since is gone. */
  lose(): Promise<void>;
}

async function keysOf(redis: Redis, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/gu, '\\$&')}:*`, 'COUNT', 1000);
    cursor = next;
    out.push(...found);
  } while (cursor !== '0');
  return out;
}

export async function markLostFrom(redis: Redis, prefix: string): Promise<LostWrites> {
  const kept: { key: string; dump: Buffer; ttl: number }[] = [];
  for (const key of await keysOf(redis, prefix)) {
    const [dump, ttl] = await Promise.all([redis.dumpBuffer(key), redis.pttl(key)]);
    if (dump) kept.push({ key, dump, ttl });
  }
  return {
    async lose() {
      const now = await keysOf(redis, prefix);
      for (let i = 0; i < now.length; i += 500) await redis.del(...now.slice(i, i + 500));
      for (const k of kept) await redis.restore(k.key, k.ttl > 0 ? k.ttl : 0, k.dump, 'REPLACE');
    },
  };
}
