// Small records of delivery state outside any one post: a platform that refused our credentials,
// and the digests already sent. Key names: keys.ts.
import type { Redis } from 'ioredis';
import type { DigestLedger, PlatformGate } from '../../ports/stores.js';
import type { Keys } from './keys.js';

/** How long a digest's "sent" mark is kept: longer than any retry of its job. */
const DIGEST_MARK_SECONDS = 7 * 86_400;

export function createRedisPlatformGate(redis: Redis, keys: Keys): PlatformGate {
  return {
    refused: (platform) => redis.get(keys.platformAuthFailed(platform)),
    async refuse(platform, reason) {
      await redis.set(keys.platformAuthFailed(platform), reason);
    },
  };
}

export function createRedisDigestLedger(redis: Redis, keys: Keys): DigestLedger {
  return {
    claim: async (destination, day) => (await redis.set(keys.digestSent(destination, day), '1', 'EX', DIGEST_MARK_SECONDS, 'NX')) === 'OK',
  };
}
