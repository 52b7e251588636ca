// ioredis's commands flatten their arguments without Array.prototype.flat once the connection
// module is loaded (src/adapters/redis/command-args.ts): the same arguments reach Redis, nested
// arrays (BullMQ's and the stores' script calls pass them) one level deep, holes skipped, and a
// key prefix still applied.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { flatArgs, flatArgsInstalled } from '../../../src/adapters/redis/command-args.js';
import { redisOptionsFromUrl } from '../../../src/adapters/redis/connection.js';
import { testRedis, testRedisUrl, uniquePrefix } from '../../helpers/redis.js';

const open: Redis[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.quit().catch(() => r.disconnect())));
});

/** Elements Array.prototype.flat is given while `fn` runs (the parent constructor's own call gets an empty list). */
async function flattened(fn: () => Promise<unknown>): Promise<number> {
  const native = Array.prototype.flat;
  let n = 0;
  Array.prototype.flat = function (this: unknown[], ...a: [number?]) {
    n += this.length;
    return native.apply(this, a);
  } as typeof native;
  try {
    await fn();
  } finally {
    Array.prototype.flat = native;
  }
  return n;
}

describe('ioredis command arguments (command-args.ts)', () => {
  it('flattens as Array.prototype.flat does (depth 1, holes skipped)', () => {
    // eslint-disable-next-line no-sparse-arrays
    const holey = [1, , 3];
    const cases: unknown[][] = [
      [],
      ['a', 1, Buffer.from('b')],
      ['k', ['x', 'y'], [], [['deep']], 2],
      [holey, undefined, null, 'z'],
      // eslint-disable-next-line no-sparse-arrays
      ['a', , 'c'],
    ];
    for (const c of cases) expect(flatArgs(c)).toEqual(c.flat());
    expect(flatArgs([holey]).length).toBe(2);
  });

  it('sends commands built without Array.prototype.flat, same arguments (a script given nested arrays)', async () => {
    expect(flatArgsInstalled()).toBe(true);
    const redis = testRedis();
    open.push(redis);
    const p = uniquePrefix('flat');
    redis.defineCommand('swFlatEcho', { lua: 'return {KEYS[1], unpack(ARGV)}' });
    const echo = (redis as unknown as { swFlatEcho(...a: unknown[]): Promise<string[]> }).swFlatEcho.bind(redis);
    await redis.ping();
    let got: string[] = [];
    const n = await flattened(async () => {
      got = await echo(1, `${p}:k`, ['a', 'b'], 'c', [1, [2]], Buffer.from('d'));
      await redis.set(`${p}:s`, 'v');
    });
    expect(n).toBe(0);
    expect(got).toEqual([`${p}:k`, 'a', 'b', 'c', '1', '2', 'd']);
    expect(await redis.get(`${p}:s`)).toBe('v');
  });

  it('leaves a key prefix to ioredis (keys rewritten as before)', async () => {
    const p = uniquePrefix('flatpre');
    const prefixed = new Redis({ ...redisOptionsFromUrl(testRedisUrl()), keyPrefix: `${p}:` });
    const redis = testRedis();
    open.push(prefixed, redis);
    await prefixed.mset([['a', '1'], ['b', '2']].flat());
    await prefixed.set('c', '3');
    expect(await redis.mget(`${p}:a`, `${p}:b`, `${p}:c`)).toEqual(['1', '2', '3']);
  });
});
