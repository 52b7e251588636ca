// BullMQ queues of the pipeline: poll → analyse → deliver (+ digest, the daily digests).
// Payloads and job ids: src/ports/queue-payloads.ts.
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Keys } from './redis/keys.js';
import { redisOptionsFromUrl } from './redis/connection.js';
import type { QueueName } from '../ports/queue-payloads.js';

/** Retries with backoff and bounded history, per queue. */
export const JOB_DEFAULTS: Record<QueueName, JobsOptions> = {
  // Feed failures are values handled by the poll job (backoff, pause); retries here cover
  // unexpected errors such as Redis going away mid-job.
  poll: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: { count: 2_000, age: 24 * 3600 },
    removeOnFail: { count: 5_000, age: 7 * 24 * 3600 },
  },
  analyse: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1_000 },
    // A job holds a poll's new articles with their text (up to MAX_ANALYSE_BATCH): keep fewer
    // finished ones than when a job was one article, or Redis holds ~100 MB of finished batches.
    removeOnComplete: { count: 500, age: 24 * 3600 },
    removeOnFail: { count: 10_000, age: 14 * 24 * 3600 },
  },
  deliver: {
    attempts: 10,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: { count: 5_000, age: 24 * 3600 },
    removeOnFail: { count: 10_000, age: 14 * 24 * 3600 },
  },
  digest: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 30_000 },
    removeOnComplete: { count: 100 },
    removeOnFail: { count: 500 },
  },
  // Runs every 15 minutes (jobs/spikes.ts); a failed run is redone by the next one.
  spikes: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 30_000 },
    removeOnComplete: { count: 100 },
    removeOnFail: { count: 500 },
  },
};

/** Each queue gets its own hash tag, so its keys share one cluster slot while queues spread. */
export function queuePrefix(keys: Keys, name: QueueName): string {
  return `${keys.bullPrefix}:{${name}}`;
}

export type Queues = Record<QueueName, Queue>;

export function createQueues(connection: Redis, keys: Keys): Queues {
  const make = (name: QueueName) =>
    new Queue(name, { connection, prefix: queuePrefix(keys, name), defaultJobOptions: JOB_DEFAULTS[name] });
  return { poll: make('poll'), analyse: make('analyse'), deliver: make('deliver'), digest: make('digest'), spikes: make('spikes') };
}

export async function closeQueues(q: Queues): Promise<void> {
  await Promise.all(Object.values(q).map((x) => x.close()));
}

/** Connection options for BullMQ workers (each worker opens and closes its own connections). */
export function workerConnection(redisUrl: string): ConnectionOptions {
  return { ...redisOptionsFromUrl(redisUrl), maxRetriesPerRequest: null, connectionName: 'steppewatch-worker' } as ConnectionOptions;
}
