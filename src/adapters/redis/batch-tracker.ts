// Which articles of a poll's batch are still waiting for analysis (a set per batch, short TTL).
import type { Redis } from 'ioredis';
import type { BatchTracker } from '../../ports/stores.js';
import type { Keys } from './keys.js';

/** A batch is forgotten after this long whatever happens (a lost job must not hold alerts). */
const TTL_SECONDS = 300;

export function createRedisBatchTracker(redis: Redis, keys: Keys): BatchTracker {
  return {
    async start(batchKey, ids) {
      if (ids.length === 0) return;
      await redis.multi().sadd(keys.pollBatch(batchKey), ...ids).expire(keys.pollBatch(batchKey), TTL_SECONDS).exec();
    },
    async done(batchKey, ids) {
      if (ids.length === 0) return;
      await redis.srem(keys.pollBatch(batchKey), ...ids);
    },
    pending: (batchKey) => redis.scard(keys.pollBatch(batchKey)),
  };
}
