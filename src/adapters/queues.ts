// BullMQ queues of the pipeline: poll → analyse → deliver (+ digest, the daily digests).
// Payloads are validated with zod where a job enters (added) and where it is processed.
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Keys } from './redis/keys.js';
import type { Article } from '../core/types.js';
import { redisOptionsFromUrl } from './redis/connection.js';

export const QUEUE_NAMES = ['poll', 'analyse', 'deliver', 'digest'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export const pollPayload = z.object({
  feedId: z.string().min(1).max(200),
  /** Why the poll was asked for: the feed's scheduler, a new feed, a command, the benchmark. */
  reason: z.enum(['schedule', 'new', 'manual', 'bench']).default('schedule'),
});
export type PollPayload = z.infer<typeof pollPayload>;

/** An Article (src/core/types.ts) as the poll job hands it to the analyse job. */
export const articleSchema = z.object({
  id: z.string().min(1).max(200),
  feedId: z.string(),
  outletId: z.string(),
  outlet: z.string(),
  affiliation: z.string().regex(/^(state|public):[A-Z]{2}$|^independent$|^unknown$/) as z.ZodType<Article['affiliation']>,
  url: z.string().nullable(),
  title: z.string(),
  text: z.string(),
  published: z.string(),
  publishedEstimated: z.boolean(),
  firstSeen: z.string(),
  languageHint: z.string().optional(),
}) satisfies z.ZodType<Article>;

export const analysePayload = z.object({
  articleId: z.string().min(1).max(200),
  /** Fresh enough to alert (within ALERT_MAX_AGE_HOURS when polled). */
  alert: z.boolean(),
  /** When the fetch of the feed completed, ms since epoch (alert latency). */
  fetchedAt: z.number().int().nonnegative().optional(),
  /** The poll's batch of new items, when it brought several (articles of one story may be among them). */
  batchKey: z.string().max(200).optional(),
  /** The article itself, handed over by the poll (the store keeps it once analysed). */
  article: articleSchema.optional(),
});
export type AnalysePayload = z.infer<typeof analysePayload>;

export const deliverPayload = z.object({
  /** Destination key: `console`, `slack:<channel>`, `discord:<channel>`. */
  destination: z.string().min(1).max(200),
  articleId: z.string().min(1).max(200),
  storyId: z.string().min(1).max(200),
  kind: z.enum(['alert', 'followup', 'notice']),
  /** For notices (a feed paused …): the text to post. */
  notice: z.string().max(2000).optional(),
  fetchedAt: z.number().int().nonnegative().optional(),
  /** An alert from a poll that brought several items waits until they are all analysed. */
  batchKey: z.string().max(200).optional(),
});
export type DeliverPayload = z.infer<typeof deliverPayload>;

export const digestPayload = z.object({
  /** The UTC day the digest covers, YYYY-MM-DD. */
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
});
export type DigestPayload = z.infer<typeof digestPayload>;

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
    removeOnComplete: { count: 5_000, age: 24 * 3600 },
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
};

/** Each queue gets its own hash tag, so its keys share one cluster slot while queues spread. */
export function queuePrefix(keys: Keys, name: QueueName): string {
  return `${keys.bullPrefix}:{${name}}`;
}

export type Queues = Record<QueueName, Queue>;

export function createQueues(connection: Redis, keys: Keys): Queues {
  const make = (name: QueueName) =>
    new Queue(name, { connection, prefix: queuePrefix(keys, name), defaultJobOptions: JOB_DEFAULTS[name] });
  return { poll: make('poll'), analyse: make('analyse'), deliver: make('deliver'), digest: make('digest') };
}

export async function closeQueues(q: Queues): Promise<void> {
  await Promise.all(Object.values(q).map((x) => x.close()));
}

/** Connection options for BullMQ workers (each worker opens and closes its own connections). */
export function workerConnection(redisUrl: string): ConnectionOptions {
  return { ...redisOptionsFromUrl(redisUrl), maxRetriesPerRequest: null, connectionName: 'steppewatch-worker' } as ConnectionOptions;
}

/** Job ids cannot contain ':' in BullMQ; ours are built from keys and ids that may. */
export function jobId(...parts: string[]): string {
  return parts.map((p) => p.replace(/:/g, '_')).join('--');
}
