// The payloads of the pipeline's queues (poll → analyse → deliver, + digest, + spikes: no payload) and their job ids:
// the contract between the jobs that add and the jobs that process them. Validated with zod
// where a job enters (added) and where it is processed. The queues themselves (BullMQ) are
// src/adapters/queues.ts.
import { z } from 'zod';
import type { Article } from '../core/types.js';

export const QUEUE_NAMES = ['poll', 'analyse', 'deliver', 'digest', 'spikes'] as const;
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
  countryHint: z.string().optional(),
}) satisfies z.ZodType<Article>;

export const analysePayload = z.object({
  articleId: z.string().min(1).max(200),
  /** Fresh enough to alert (within ALERT_MAX_AGE_HOURS when polled). */
  alert: z.boolean(),
  /** When the fetch of the feed completed, ms since epoch (alert latency). */
  fetchedAt: z.number().int().nonnegative().optional(),
  /**
   * The poll's new items, when they span several analyse jobs (articles of one story may be
   * among them): their alerts wait until all are analysed. Items in one job need no key.
   */
  batchKey: z.string().max(200).optional(),
  /**
   * The article itself, as the poll hands it over. The worker's handoff (src/main/workers.ts
   * handOverToAnalysis) puts it in the article store and queues the job without it; jobs of
   * earlier versions carry it, and the analyse job uses it when the store has none.
   */
  article: articleSchema.optional(),
});
export type AnalysePayload = z.infer<typeof analysePayload>;

/** Articles in one analyse job at most: a poll with more new items hands them over in several jobs. */
export const MAX_ANALYSE_BATCH = 50;

/**
 * One analyse job: the new items of one poll (or a slice of them), oldest first. Each item is
 * keyed by its article id, so a retried or repeated batch skips what is done (see jobs/analyse.ts).
 */
export const analyseBatchPayload = z.object({
  items: z.array(analysePayload).min(1).max(MAX_ANALYSE_BATCH),
});
export type AnalyseBatchPayload = z.infer<typeof analyseBatchPayload>;

/** An analyse job's data: a batch, or one item (jobs queued by an earlier version). */
export const analyseJobPayload = z.union([analyseBatchPayload, analysePayload.transform((item) => ({ items: [item] }))]);

export const deliverPayload = z.object({
  /** Destination key: `console`, `slack:<channel>`, `discord:<channel>`. */
  destination: z.string().min(1).max(200),
  articleId: z.string().min(1).max(200),
  storyId: z.string().min(1).max(200),
  kind: z.enum(['alert', 'followup', 'notice', 'merge']),
  /** For notices (a feed paused …): the text to post. */
  notice: z.string().max(2000).optional(),
  /**
   * For `merge` (jobs/merge-notice.ts): the story merged into `storyId`, as it was (its record is
   * gone: its id answers with the survivor now); `articleId` is the report that showed they are one.
   */
  merged: z
    .object({
      id: z.string().min(1).max(200),
      headline: z.string().max(2000),
      outlets: z.array(z.object({ outletId: z.string(), outlet: z.string(), affiliation: z.string() })).max(20),
      at: z.string(),
    })
    .optional(),
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

/** Job ids cannot contain ':' in BullMQ; ours are built from keys and ids that may. */
export function jobId(...parts: string[]): string {
  return parts.map((p) => p.replace(/:/g, '_')).join('--');
}
