// Stories found to be one (issue 15, part 4), on the delivery side.
//
// tellMerges (called by the analyse job after its batch's stories are assigned): for each merge
// the story store made, every destination's delivery state of the merged story becomes the
// survivor's (DeliveryStore.mergeStory: later articles of either story thread under one first
// message, and an outlet posted under either is not posted again); a destination that had
// received BOTH stories' first messages gets one deliver job of kind `merge`, keyed by
// (destination, merged story), so it is queued once however often this runs. The store keeps each
// merge as pending until this is done; a batch that merges also finishes merges a crash left
// untold, and so does sweepMerges (the maintenance queue's `merge-sweep`, every few minutes), so a
// merge is finished even when no other comes (all steps are idempotent: a sweep racing the batch
// that merged queues nothing twice).
//
// deliverMergeNotice (the deliver job's `merge` kind): posts the "merged with …" notice in the
// surviving story's thread there, exactly once, as the deliver job posts alerts: intent, post
// carrying the key, record (kind `merge`); a run that may follow a lost record asks the platform.
import { DelayedError, type Job } from 'bullmq';
import { buildMergeAlert, mergeNoticeKey } from '../src/core/alert/merge.js';
import { isAnalysed } from '../src/core/analysed.js';
import { isMuted } from '../src/core/routing/subscription.js';
import type { Affiliation, Destination } from '../src/core/types.js';
import type { Logger } from '../src/ports/logger.js';
import { DestinationUnavailableError, PlatformAuthError, RateLimitedError, type Notifier } from '../src/ports/notifier.js';
import { jobId, type DeliverPayload } from '../src/ports/queue-payloads.js';
import type { Metrics } from '../src/ports/metrics.js';
import type { ArticleStore, DeliveryStore, MuteStore, StoryMerge, StoryStore, SubscriptionStore } from '../src/ports/stores.js';
import { failpoint } from '../src/ports/failpoints.js';

/**
 * How often the maintenance queue sweeps pending merges (src/main/app.ts). Until a merge is told,
 * a later article of the merged story may open a new thread where the absorbed story had one; a
 * few minutes bounds that after a crash, and a sweep with nothing pending is one read.
 */
export const MERGE_SWEEP_EVERY_MS = 5 * 60_000;

/** What the notice needs of the deliver job's dependencies (jobs/deliver.ts DeliverDeps). */
export interface MergeNoticeDeps {
  articles: Pick<ArticleStore, 'get'>;
  stories: Pick<StoryStore, 'get'>;
  deliveries: DeliveryStore;
  paceMs: Partial<Record<Destination['platform'], number>>;
  metrics?: Metrics;
  log: Logger;
  clock: () => Date;
}

/** The deliver job's own check (jobs/deliver.ts mayHavePosted), passed in: this file is imported by it. */
export type MayHavePosted = (job: Job, destination: string, key: string) => Promise<string | null>;

export type MergeNoticeResult = { status: 'posted'; kind: 'merge'; messageId: string } | { status: 'already-posted' } | { status: 'gone' } | { status: 'destination-unavailable'; reason: string };

export interface TellMergesDeps {
  stories: Pick<StoryStore, 'get' | 'pendingMerges' | 'mergeHandled'>;
  subscriptions: Pick<SubscriptionStore, 'list'>;
  mutes: Pick<MuteStore, 'get'>;
  deliveries: Pick<DeliveryStore, 'mergeStory'>;
  enqueueDeliver(jobs: { payload: DeliverPayload; id: string }[]): Promise<void>;
  log: Logger;
}

/** The merges of a batch (StoryAssignment.merges), told to every destination; see the top of the file. */
export async function tellMerges(d: TellMergesDeps, merges: readonly StoryMerge[]): Promise<void> {
  if (merges.length === 0) return;
  await tell(d, merges);
}

/**
 * Finishes the merges the store still holds as pending (a crash between a merge and its telling,
 * or a telling that failed); the number finished. Run by the maintenance queue's `merge-sweep`.
 */
export async function sweepMerges(d: TellMergesDeps): Promise<number> {
  return tell(d, []);
}

async function tell(d: TellMergesDeps, merges: readonly StoryMerge[]): Promise<number> {
  if (!d.deliveries.mergeStory) return 0;
  // Only the merges the store holds as pending (the merge script writes them with the merge): one the
  // batch was told of may be lost with Redis's last second of writes (a host crash after the script
  // replied), its stories apart again, and telling it moved one story's deliveries to the other and
  // posted a "merged with …" notice for stories that stayed apart (test merge-lost.test.ts). One told
  // by a sweep meanwhile is no longer pending: told once.
  const pending = d.stories.pendingMerges ? await d.stories.pendingMerges() : merges;
  const all = new Map<string, StoryMerge>();
  for (const m of pending) if (!all.has(m.mergedId)) all.set(m.mergedId, m);
  if (all.size === 0) return 0;
  const destinations = [...new Set((await d.subscriptions.list()).map((s) => s.destination))];
  for (const m of all.values()) {
    const jobs: { payload: DeliverPayload; id: string }[] = [];
    // The survivor as it is now (with the ids merged into it earlier: a mute of any is its mute).
    const survivor = (await d.stories.get(m.survivorId)) ?? { id: m.survivorId };
    for (const dest of destinations) {
      const r = await d.deliveries.mergeStory(dest, m.mergedId, m.survivorId);
      if (r !== 'notice') continue;
      const mutes = await d.mutes.get(dest);
      if (mutes.stories.has(m.mergedId) || isMuted(mutes, survivor)) continue;
      jobs.push({
        payload: {
          destination: dest,
          articleId: m.articleId,
          storyId: m.survivorId,
          kind: 'merge',
          merged: { id: m.mergedId, headline: m.mergedHeadline, outlets: m.mergedOutlets, at: m.at },
        },
        id: jobId('dlv', dest, mergeNoticeKey(m.mergedId)),
      });
    }
    if (jobs.length) await d.enqueueDeliver(jobs);
    await d.stories.mergeHandled?.(m.mergedId);
    d.log.info({ survivor: m.survivorId, merged: m.mergedId, article: m.articleId, notices: jobs.map((j) => j.payload.destination) }, 'stories merged');
  }
  return all.size;
}

/** The deliver job for a `merge` notice (see the top of the file). */
export async function deliverMergeNotice(
  d: MergeNoticeDeps,
  mayHavePosted: MayHavePosted,
  job: Job,
  token: string | undefined,
  p: DeliverPayload,
  dest: Destination,
  notifier: Notifier,
): Promise<MergeNoticeResult> {
  if (!p.merged) throw new Error('deliver: a merge notice without its merged story');
  const key = mergeNoticeKey(p.merged.id);
  if (await d.deliveries.posted(p.destination, key)) return { status: 'already-posted' };
  const later = async (ms: number, why: string): Promise<never> => {
    d.log.debug({ jobId: job.id, destination: p.destination, ms, why }, 'deliver: later');
    await job.moveToDelayed(d.clock().getTime() + Math.max(1, ms), token);
    throw new DelayedError();
  };
  // The survivor as it is now (merged again since? its id answers with the latest survivor).
  const [story, bridge] = await Promise.all([d.stories.get(p.storyId), d.articles.get(p.articleId)]);
  const root = story ? await d.deliveries.root(p.destination, story.id) : null;
  if (!story || !root) {
    d.log.warn({ storyId: p.storyId, destination: p.destination }, 'deliver: merge notice without its story or thread here; dropped');
    return { status: 'gone' };
  }
  const alert = buildMergeAlert({
    destination: dest,
    survivor: story,
    merged: { id: p.merged.id, headline: p.merged.headline, outlets: p.merged.outlets.map((o) => ({ ...o, affiliation: o.affiliation as Affiliation })) },
    bridge: isAnalysed(bridge) ? { id: bridge.id, outletId: bridge.outletId, outlet: bridge.outlet, affiliation: bridge.affiliation, published: bridge.published } : null,
    at: p.merged.at,
  });
  const wait = await d.deliveries.takeSlot(p.destination, d.paceMs[dest.platform] ?? 0);
  if (wait > 0) await later(wait, 'pacing');
  let intended = false;
  try {
    const why = notifier.findPosted ? await mayHavePosted(job, p.destination, key) : null;
    let ref = why ? await notifier.findPosted!({ destination: dest, key, thread: root, since: job.timestamp }) : null;
    if (!ref) {
      await d.deliveries.recordIntent(p.destination, key);
      intended = true;
      ref = await notifier.postAlert(alert, root, { key });
      await failpoint('deliver.after-post');
    }
    await d.deliveries.recordPost(p.destination, key, story.id, ref, 'merge');
    d.metrics?.alertsDelivered.inc({ platform: dest.platform, kind: 'merge' });
    return { status: 'posted', kind: 'merge', messageId: ref.messageId };
  } catch (e) {
    const refused = e instanceof RateLimitedError || e instanceof DestinationUnavailableError || e instanceof PlatformAuthError;
    if (intended && refused) await d.deliveries.clearIntent(p.destination, key);
    if (e instanceof RateLimitedError) return later(e.retryAfterMs, 'rate limited by the platform');
    if (e instanceof DestinationUnavailableError) return { status: 'destination-unavailable', reason: e.reason };
    throw e;
  }
}
