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
    // The value: the claiming run's token (earlier versions wrote '1'; only `holder` reads it).
    claim: async (destination, day, token = '1') => (await redis.set(keys.digestSent(destination, day), token, 'EX', DIGEST_MARK_SECONDS, 'NX')) === 'OK',
    holder: (destination, day) => redis.get(keys.digestSent(destination, day)),
  };
}
