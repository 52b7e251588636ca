// The batch's candidate-set reads (story-lock-read-many.lua): one read per set, each article's
// read cut from it (story-assign.ts cutRead), must give exactly what the article's own
// ZREVRANGEBYSCORE set max min WITHSCORES LIMIT 0 perKey gives — entries, order and ties.
import { afterAll, describe, expect, it } from 'vitest';
import { luaScript } from '../../../src/adapters/redis/scripts.js';
import { cutRead, splitRead } from '../../../src/adapters/redis/story-assign.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = testRedis();
afterAll(() => redis.quit());
redis.defineCommand('swTestLockRead', { lua: luaScript('story-lock-read-many') });
const run = (...a: (string | number)[]) => (redis as unknown as { swTestLockRead(...a: (string | number)[]): Promise<0 | [1, ...string[]]> }).swTestLockRead(...a);

/** A small deterministic generator (no seed drift between runs). */
function rng(seed: number) {
  let x = seed;
  return () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

describe('story candidate-set reads: one per set, cut per article', () => {
  it('cuts what each article’s own read gives, with ties, windows above and below the entries, and short sets', async () => {
    const rand = rng(42);
    const prefix = uniquePrefix('setread');
    for (let round = 0; round < 20; round++) {
      const set = `${prefix}:c${round}`;
      const lock = `${prefix}:l${round}`;
      const size = [0, 3, 40, 400][round % 4]!;
      const args: (string | number)[] = [];
      // times on a coarse grid so that many entries tie (ties go to the greater id)
      for (let i = 0; i < size; i++) args.push(1_000_000 + Math.floor(rand() * 50) * 1000, `s-${Math.floor(rand() * 1e6).toString(16).padStart(6, '0')}`);
      if (args.length) await redis.zadd(set, ...args);
      const perKey = [1, 5, 50][round % 3]!;
      const windows = Array.from({ length: 1 + (round % 7) }, () => {
        const mid = 1_000_000 + Math.floor(rand() * 70 - 10) * 1000;
        const half = Math.floor(rand() * 30) * 1000;
        return { tMax: mid + half, tMin: mid - half };
      });
      const maxB = Math.max(...windows.map((w) => w.tMax));
      const minB = Math.min(...windows.map((w) => w.tMax));
      const minA = Math.min(...windows.map((w) => w.tMin));
      const got = await run(2, lock, set, 'tok', 10_000, 1, 1, maxB, minA, minB, perKey);
      expect(got).not.toBe(0);
      const read = splitRead((got as [1, string])[1]);
      for (const w of windows) {
        const own = await redis.zrevrangebyscore(set, w.tMax, w.tMin, 'WITHSCORES', 'LIMIT', 0, perKey);
        const want: [string, number][] = [];
        for (let i = 0; i < own.length; i += 2) want.push([own[i]!, Number(own[i + 1])]);
        expect([...cutRead(read, w.tMax, w.tMin, perKey)]).toEqual(want);
      }
      await redis.del(lock);
    }
  });
});
