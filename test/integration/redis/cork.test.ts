// The connections' writes (src/adapters/redis/connection.ts corkPerTick): the commands of one tick
// leave in one socket write, in order, also after ioredis reconnects on a new socket.
import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { uniquePrefix, testRedis } from '../../helpers/redis.js';

type Writes = { writes: number; writevs: number };

/** Counts the socket's own writes (what reaches the kernel: one `_write` or one `_writev` each). */
function countWrites(redis: Redis): Writes {
  const s = (redis as unknown as { stream: Socket & { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void } }).stream;
  const n: Writes = { writes: 0, writevs: 0 };
  const write = s._write.bind(s);
  const writev = s._writev.bind(s);
  s._write = (...a: unknown[]) => {
    n.writes += 1;
    write(...a);
  };
  s._writev = (...a: unknown[]) => {
    n.writevs += 1;
    writev(...a);
  };
  return n;
}

const open: Redis[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.quit().catch(() => r.disconnect())));
});

describe('a Redis connection (connectRedis)', () => {
  it("sends a tick's commands in one socket write, answered in order", async () => {
    const redis = testRedis();
    open.push(redis);
    const p = uniquePrefix('cork');
    await redis.ping();
    const n = countWrites(redis);
    const keys = Array.from({ length: 10 }, (_, i) => `${p}:${i}`);
    const res = await Promise.all([...keys.map((k, i) => redis.set(k, String(i))), ...keys.map((k) => redis.get(k))]);
    expect(res).toEqual([...keys.map(() => 'OK'), ...keys.map((_, i) => String(i))]);
    expect(n).toEqual({ writes: 0, writevs: 1 });
    // The next tick's commands are a write of their own (nothing waits for a later tick).
    await redis.del(...keys);
    expect(n.writes + n.writevs).toBe(2);
  });

  it('keeps doing so on the socket of a reconnection', async () => {
    const redis = testRedis();
    open.push(redis);
    await redis.ping();
    const first = (redis as unknown as { stream: Socket }).stream;
    redis.disconnect(true);
    await new Promise<void>((r) => redis.once('ready', () => r()));
    expect((redis as unknown as { stream: Socket }).stream).not.toBe(first);
    const n = countWrites(redis);
    expect(await Promise.all([redis.ping(), redis.echo('a'), redis.echo('b')])).toEqual(['PONG', 'a', 'b']);
    expect(n).toEqual({ writes: 0, writevs: 1 });
  });
});
