import { afterAll, describe, expect, it } from 'vitest';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

describe('test redis', () => {
  const r = testRedis();
  afterAll(() => r.quit());
  it('is a real server that keeps what it is given', async () => {
    const key = `${uniquePrefix()}:k`;
    await r.set(key, 'v');
    expect(await r.get(key)).toBe('v');
    expect(await r.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
  });
});
