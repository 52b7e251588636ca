// Per-test Redis access on the shared test server: a connection and a unique key prefix.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { connectRedis } from '../../src/adapters/redis/connection.js';

export function testRedisUrl(): string {
  return inject('redisUrl');
}

/** A prefix no other test uses, e.g. `t-3f9a1c2b`. */
export function uniquePrefix(label = 't'): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

export function testRedis() {
  return connectRedis(testRedisUrl(), { name: 'steppewatch-test' });
}
