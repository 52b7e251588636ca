// deliver: post one alert, follow-up or notice to one destination, exactly once.
// Pacing, 429s and a follow-up waiting for its story's first post all move the job back to the
// delayed set (DelayedError) instead of blocking a worker or spending an attempt.
//
// Exactly once across crashes. A post is: record an intent, post (the platform carries the post's
// key: Slack metadata, Discord nonce), record the post. A worker that dies between post and record
// (failpoint deliver.after-post), or Redis losing its last writes, leaves a post without a record.
// So a run that may follow such a post — an intent is recorded, an earlier attempt failed or
// stalled, or the job is older than the Redis server's current start — asks the platform for the
// post (Notifier.findPosted) before posting again, and records what it finds. A first run costs
// one extra write (the intent) and no platform read.
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { buildAlert } from '../src/core/alert/build.js';
import type { Reply } from '../src/core/alert/values.js';
import { parseDestinationKey, type AnalysedArticle, type Destination, type Platform, type Story, type TagId } from '../src/core/types.js';
import { deliverPayload, jobId, type AnalyseBatchPayload } from '../src/ports/queue-payloads.js';
import type { Logger } from '../src/ports/logger.js';
import type { Metrics } from '../src/ports/metrics.js';
import { isAnalysed } from '../src/core/analysed.js';
import { DestinationUnavailableError, PlatformAuthError, RateLimitedError, type MessageRef, type Notifier } from '../src/ports/notifier.js';
import { failpoint } from '../src/ports/failpoints.js';
import { UPTIME_MARGIN_MS, type ArticleStore, type BatchTracker, type DeliveryStore, type DeliveryView, type PlatformGate, type StoryStore, type SubscriptionStore } from '../src/ports/stores.js';
import { deliverMergeNotice } from './merge-notice.js';

export interface DeliverDeps {
  notifiers: Partial<Record<Platform, Notifier>>;
  articles: ArticleStore;
  stories: StoryStore;
  deliveries: DeliveryStore;
  subscriptions: SubscriptionStore;
  batches: BatchTracker;
  /** Per-destination pacing, ms between posts (Slack and Discord ~1 msg/s per channel). */
  paceMs: Partial<Record<Platform, number>>;
  /** Queues an analyse job (a no-op when its id is queued already); absent: a lost analysis is only waited for (GONE_WAIT_MS). */
  reanalyse?(job: { payload: AnalyseBatchPayload; id: string }): Promise<void>;
  /** A platform whose credentials were refused: deliveries stop until restart. */
  platforms: PlatformGate;
  metrics?: Metrics;
  log: Logger;
  clock: () => Date;
}

export type DeliverResult =
  | { status: 'posted'; kind: string; messageId: string; /** An earlier attempt's post, found on the platform and recorded. */ recovered?: true }
  | { status: 'already-posted' }
  | { status: 'gone' }
  /** Its article, analysed again after a crash, is planned not to be posted here (jobs/analyse.ts). */
  | { status: 'skipped' }
  | { status: 'destination-unavailable'; reason: string };

/** How long an alert from a poll's batch waits for its siblings' analysis at most, and how often it looks. */
export const SETTLE_MAX_MS = 3_000;
const SETTLE_POLL_MS = 50;

/** How long a follow-up waits for its story's first post before it is posted on its own. */
const ROOT_WAIT_MS = 10 * 60_000;
const ROOT_POLL_MS = 2_000;

/** Re-renders the story's first message in this destination with the story's outlet count now. */
async function updateRoot(d: DeliverDeps, notifier: Notifier, dest: Destination, root: MessageRef, story: Story, firstId: string | null): Promise<void> {
  const first = firstId ? await d.articles.get(firstId) : null;
  if (!isAnalysed(first)) return;
  await notifier.updateAlert!(root, buildAlert({ article: first, story, destination: dest, kind: 'alert' }));
}

/**
 * When articles of one story arrive together (one poll, a backfill), analysis order is a race;
 * the story's alert should still show its first publisher. The earliest-published article of
 * the story, planned for this destination but not posted yet, goes first; null when that is
 * this article or there is none.
 */
async function earlierPlannedArticle(d: DeliverDeps, destination: string, story: Story, articleId: string, view: DeliveryView): Promise<AnalysedArticle | null> {
  const first = [...story.outlets].sort((a, b) => a.published.localeCompare(b.published))[0];
  if (!first || first.articleId === articleId) return null;
  if (view.planned.get(first.articleId) !== 'followup') return null;
  return unpostedAnalysed(d, destination, first.articleId);
}

/** An article analysed and not posted in `destination` (one to put first: the story's earliest, or the one an earlier run put first), else null. */
async function unpostedAnalysed(d: DeliverDeps, destination: string, articleId: string): Promise<AnalysedArticle | null> {
  const [posted, a] = await Promise.all([d.deliveries.posted(destination, articleId), d.articles.get(articleId)]);
  return !posted && isAnalysed(a) ? a : null;
}

/**
 * A deliver job that finds its article (or its story) missing while the article is this young
 * waits for it (delayed, with backoff: no attempt spent) instead of completing. Chosen over
 * re-queueing under a fresh job id: the job id (destination, article) stays the delivery's one
 * identity (design.md), no "gone" record is needed in Redis, and the delivery store's per-post
 * records still refuse a second post. Why it can be missing: a host crash (appendfsync everysec)
 * that lands after an analyse job stored its batch and before it queued the deliveries loses the
 * handoff (raw article, seen marker) and the analysis; the worker, going on after the restart,
 * queues deliver jobs for an article no longer stored. The item is polled again (its seen marker
 * lost) or its analyse job runs again (stalled), is analysed again, and queues the same job ids:
 * a no-op while these jobs exist. Had they completed as gone, its alerts were lost (chaos, the
 * window left open after seed 1868657896); waiting, they find the article back and post it.
 * The bound: a feed is polled at least every POLL_MAX_INTERVAL_SECONDS (default 30 min) and a
 * stalled job is back within minutes; after it the job completes as `gone`, logged and counted.
 */
export const GONE_WAIT_MS = 60 * 60_000;
/** How long a deliver job finds its article stored but not analysed before it queues the analysis again (one a period at most). */
export const REANALYSE_AFTER_MS = 10_000;
/** The wait between looks for a missing article: an eighth of its age, 1 s to 2 min. */
export const goneRetryMs = (ageMs: number): number => Math.min(120_000, Math.max(1_000, Math.round(ageMs / 8)));

/**
 * For this long after the store (re)started every delivery checks the platform first. A host
 * crash under appendfsync everysec loses the last second of writes: a post's deliver job may be
 * lost with its record and made again, from the replayed analysis, after the restart, as a fresh
 * job with nothing to say it ran before. The backlog left by a crash is worked off well within this.
 */
export const RESTART_GRACE_MS = 10 * 60_000;

/** Why an earlier run of a job may have made its post without the record surviving. */
interface MayHavePosted {
  why: string;
  /** This job ran before (an attempt failed or stalled, an intent is recorded), as opposed to: the store restarted. */
  ranBefore: boolean;
}

/**
 * Whether an earlier run of this job may have made the post without its record surviving: an
 * intent recorded and no post, an attempt that failed or stalled (the intent itself may have
 * been lost), or the store restarted lately (writes of its last second may be lost, the job's own
 * progress and existence included). Null: it cannot have.
 */
async function mayHavePosted(d: DeliverDeps, job: Job, destination: string, key: string, intent?: boolean): Promise<MayHavePosted | null> {
  if (job.attemptsMade > 0) return { why: 'an earlier attempt failed', ranBefore: true };
  if ((job.stalledCounter ?? 0) > 0) return { why: 'an earlier run stalled', ranBefore: true };
  if (intent ?? (await d.deliveries.intent(destination, key))) return { why: 'an intent to post is recorded', ranBefore: true };
  const up = await d.deliveries.upSince?.();
  if (up && job.timestamp < up + UPTIME_MARGIN_MS) return { why: 'the store restarted since the job was made', ranBefore: false };
  if (up && d.clock().getTime() - up < RESTART_GRACE_MS) return { why: 'the store restarted lately', ranBefore: false };
  return null;
}

export function createDeliverProcessor(d: DeliverDeps) {
  return async (job: Job, token?: string): Promise<DeliverResult> => {
    const p = deliverPayload.parse(job.data);
    const dest = parseDestinationKey(p.destination);
    if (!dest) throw new UnrecoverableError(`deliver: bad destination ${p.destination}`);
    const notifier = d.notifiers[dest.platform];
    if (!notifier) throw new UnrecoverableError(`deliver: no ${dest.platform} notifier in this process`);
    const postKey = p.kind === 'notice' ? `notice:${job.id}` : p.articleId;
    // An alert's or follow-up's reads go out together (one round trip where there were about
    // ten in a row): the platform gate, what the store knows of this post and of the story here
    // (DeliveryStore.view), the article and the story. Read before the gate's answer is known:
    // a refused platform is rare and wastes only these reads.
    const reads =
      p.kind === 'alert' || p.kind === 'followup'
        ? Promise.all([d.deliveries.view(p.destination, p.storyId, postKey), d.articles.get(p.articleId), d.stories.get(p.storyId)])
        : null;
    reads?.catch(() => {}); // handled: awaited below (this only keeps it from counting as unhandled meanwhile)
    const refused = await d.platforms.refused(dest.platform);
    if (refused) throw new UnrecoverableError(`deliver: ${dest.platform} delivery stopped: ${refused}`);
    // Hook (issue 15.4): a "merged with …" notice has its own flow (jobs/merge-notice.ts).
    if (p.kind === 'merge') return deliverMergeNotice(d, async (j, dst, k) => (await mayHavePosted(d, j, dst, k))?.why ?? null, job, token, p, dest, notifier);

    const [firstView, article, found] = reads ? await reads : [null, null, null];
    if (firstView ? firstView.posted : await d.deliveries.posted(p.destination, postKey)) return { status: 'already-posted' };

    const later = async (ms: number, why: string): Promise<never> => {
      d.log.debug({ jobId: job.id, destination: p.destination, ms, why }, 'deliver: later');
      await job.moveToDelayed(d.clock().getTime() + Math.max(1, ms), token);
      throw new DelayedError();
    };

    /** Whether an earlier run may have made this job's own post without its record; asked once (below; undefined: not asked). */
    let may: MayHavePosted | null | undefined;
    /** The platform's answer for a key already asked about in this run. */
    let looked: { key: string; ref: MessageRef | null } | null = null;
    const lookFor = async (key: string, thread: MessageRef | null, reason: string): Promise<MessageRef | null> => {
      // No post of the article can precede the fetch that found it (nor the job, for a notice).
      const since = Math.min(job.timestamp, p.fetchedAt ?? Infinity);
      const ref = await notifier.findPosted!({ destination: dest, key, thread, since });
      d.log.info({ jobId: job.id, destination: p.destination, key, why: reason, found: ref?.messageId ?? null }, 'deliver: looked for an earlier attempt’s post');
      return ref;
    };

    let kind: 'alert' | 'followup' | 'notice' = p.kind;
    let root: MessageRef | null = null;
    let alert = null;
    let story: Story | null = null;
    /** Set when this job posts the story's earlier article first, and itself later. */
    let swappedFrom: string | null = null;
    /** The article of the story's first message here (follow-ups: their time reference, and the root re-rendered). */
    let rootArticleId: string | null = null;
    if (kind !== 'notice') {
      story = found;
      // An article analysed again after a crash (its analysis and story lost, the item polled
      // again) may be in another story than the job's: the stored analysis is the one to follow.
      const moved = isAnalysed(article) && article.storyId !== null && article.storyId !== p.storyId && (!story || !story.articleIds.includes(article.id));
      if (moved) story = await d.stories.get(article.storyId!);
      if (!isAnalysed(article) || !story || !firstView) {
        // Not done while the article is young (see GONE_WAIT_MS): a crash may have lost it, and
        // the job holds this delivery's id, so completing would keep its re-analysis's job out.
        const age = d.clock().getTime() - (p.fetchedAt ?? job.timestamp);
        if (age < GONE_WAIT_MS) {
          // Stored raw, its analysis lost: the crash came after the store, its analyse job completed
          // after the restart all the same, and no poll brings the item again (its seen marker kept).
          // So its analysis is asked for again (REANALYSE_AFTER_MS; one that is under way, a stalled
          // job run again or a re-poll, usually comes first; a second is a no-op: it finds it analysed).
          // Likewise stored analysed, its story gone (the crash took the story commit, the analysis
          // was stored after the restart): the analyse job assigns it a story again (story-lost.test.ts).
          const made = d.clock().getTime() - job.timestamp;
          if (article && d.reanalyse && made >= REANALYSE_AFTER_MS) {
            const item = { articleId: p.articleId, alert: true, ...(p.fetchedAt ? { fetchedAt: p.fetchedAt } : {}) };
            await d.reanalyse({ payload: { items: [item] }, id: jobId('an', 'again', p.articleId, String(Math.floor(made / REANALYSE_AFTER_MS))) });
            d.log.warn({ jobId: job.id, articleId: p.articleId, storyId: isAnalysed(article) ? article.storyId : null }, `deliver: article stored without its ${isAnalysed(article) ? 'story' : 'analysis'} (lost in a crash?); analysis queued again`);
          }
          await later(goneRetryMs(age), 'article or story not stored (yet)');
        }
        d.log.warn({ jobId: job.id, articleId: p.articleId, storyId: p.storyId, waitedMs: age }, 'deliver: article or story no longer stored; nothing posted');
        d.metrics?.deliveriesGone?.inc({ platform: dest.platform });
        return { status: 'gone' };
      }
      let view = firstView;
      // Hook (issue 15.4): a story merged since the job was queued answers with its survivor; its thread is the survivor's.
      if (story.id !== p.storyId) {
        p.storyId = story.id;
        view = await d.deliveries.view(p.destination, p.storyId, postKey);
      }
      if (moved) {
        // The re-analysis plans its whole batch before it queues (a no-op for this job's id): until
        // this article is planned there, its siblings may not be, and the plan may be to skip it.
        // Never planned (not routed here this time): nothing to post.
        const plan = view.planned.get(article.id);
        if (plan === undefined && d.clock().getTime() - (p.fetchedAt ?? job.timestamp) < GONE_WAIT_MS) await later(SETTLE_POLL_MS * 10, 'its new analysis not planned yet');
        if (plan === undefined || plan === 'skip') {
          d.log.info({ jobId: job.id, articleId: article.id, storyId: story.id, plan: plan ?? null }, 'deliver: the article, analysed again, is not to be posted here');
          return { status: 'skipped' };
        }
        kind = plan;
      }
      root = view.root;
      // The article of the story's first message here, as read with the root (a root found on
      // the platform below brings its own).
      let rootArticle = view.rootArticle;
      if (root) kind = 'followup';
      else if (kind === 'followup') {
        if (d.clock().getTime() - job.timestamp < ROOT_WAIT_MS) await later(ROOT_POLL_MS, 'story not posted here yet');
        kind = 'alert'; // the first post never came: stand on its own
      }
      if (!root && notifier.findStoryRoot) {
        // About to give the story a top-level message: if the store may have lost the record of
        // one (a crash, a retry), ask the platform first (found by the chaos suite: a host crash
        // lost a root's record and the story got a second root, its follow-ups under that one).
        may = await mayHavePosted(d, job, p.destination, postKey, view.intent);
        if (may) {
          let found: Awaited<ReturnType<NonNullable<Notifier['findStoryRoot']>>> = null;
          try {
            const since = Math.min(Date.parse(story.firstSeen) || Infinity, job.timestamp, p.fetchedAt ?? Infinity);
            found = await notifier.findStoryRoot({ destination: dest, keys: story.articleIds, since });
          } catch (e) {
            if (e instanceof RateLimitedError) await later(e.retryAfterMs, 'rate limited by the platform');
            throw e;
          }
          d.log.info({ jobId: job.id, destination: p.destination, storyId: p.storyId, why: may.why, found: found?.ref.messageId ?? null }, 'deliver: looked for the story’s first message');
          if (found) {
            await d.deliveries.recordPost(p.destination, found.key, p.storyId, found.ref, 'alert');
            // This job's own post is the story's first message: an earlier run made it.
            if (found.key === postKey) return { status: 'posted', kind: 'alert', messageId: found.ref.messageId, recovered: true };
            root = found.ref;
            rootArticle = found.key;
            kind = 'followup';
          }
        }
      }
      let subject = article;
      if (kind === 'alert' && p.batchKey && d.clock().getTime() - (p.fetchedAt ?? job.timestamp) < SETTLE_MAX_MS) {
        if ((await d.batches.pending(p.batchKey)) > 0) await later(SETTLE_POLL_MS, 'siblings from the same poll still in analysis');
      }
      // Asked once per run (when it matters): whether an earlier run may have made this job's
      // own post without the record surviving.
      // An earlier run of this job that put an article first marked which (view.swappedIn). On a
      // platform that cannot be asked, only that same post again (its nonce) is safe, even when an
      // article published still earlier has joined the story since (chaos seed 1587748853: the
      // retry took the new earliest article for the one swapped in, found no intent for it and
      // posted its own top-level, a second root; test/integration/pipeline/swap-killed.test.ts).
      const again = kind === 'alert' && !notifier.findPosted && view.swappedIn && view.swappedIn !== article.id ? await unpostedAnalysed(d, p.destination, view.swappedIn) : null;
      const earlier = again ?? (kind === 'alert' ? await earlierPlannedArticle(d, p.destination, story, article.id, view) : null);
      if (may === undefined && (earlier || notifier.findPosted)) may = await mayHavePosted(d, job, p.destination, postKey, view.intent);
      if (earlier) {
        // Putting the earlier article first is safe only if this job's own alert is not on the
        // platform already: a run killed between that post and its record would otherwise give
        // the story a second top-level message (found by the chaos suite). So a run that may have
        // posted asks the platform first, and swaps only when the post is not there (a store
        // restart alone no longer stops the swap). A platform that cannot be asked (Discord)
        // de-duplicates a repeated post of the same key (its nonce): a retry there posts its own
        // article again, and the earlier one follows in the thread.
        let ownPost: MessageRef | null = null;
        let unsure = false;
        if (may && notifier.findPosted) {
          try {
            ownPost = await lookFor(p.articleId, null, may.why);
            looked = { key: p.articleId, ref: ownPost };
          } catch (e) {
            if (e instanceof RateLimitedError) await later(e.retryAfterMs, 'rate limited by the platform');
            // Not swapped; the post below asks again and meets (and handles) the same error.
            unsure = true;
          }
        }
        // Unless the earlier run swapped (the intent of the earlier article is its mark): it may
        // have posted that article top-level, and only the same post again (its nonce) answers
        // with that message instead of a second root (chaos seed 180517108: the retry posted its
        // own article top-level, then the earlier one's follow-up job posted it again in that
        // thread; test/integration/pipeline/swap-killed.test.ts).
        const swappedBefore = !notifier.findPosted && may?.ranBefore === true && (earlier === again || (await d.deliveries.intent(p.destination, earlier.id)));
        if (!ownPost && !unsure && (notifier.findPosted || !may?.ranBefore || swappedBefore)) {
          subject = earlier;
          swappedFrom = article.id;
        }
      }
      const shown: ReadonlySet<TagId> = kind === 'followup' ? view.shownTags : new Set<TagId>();
      const newTags = subject.analysis.framings.map((f) => f.tag).filter((t) => !shown.has(t));
      // A follow-up's time is told against the article of the story's first message here.
      if (kind === 'followup') rootArticleId = rootArticle;
      alert = buildAlert({ article: subject, story, destination: dest, kind, newTags, rootArticleId });
    }

    if (kind === 'notice' && notifier.findPosted) may = await mayHavePosted(d, job, p.destination, postKey);

    const wait = await d.deliveries.takeSlot(p.destination, d.paceMs[dest.platform] ?? 0);
    if (wait > 0) await later(wait, 'pacing');

    /** The post's identity on the platform and in the store (the swapped-in article's, when one goes first). */
    const key = alert ? alert.articleId : postKey;
    let intended = false;
    try {
      let ref: MessageRef | null = null;
      if (looked?.key === key) ref = looked.ref; // asked before the swap; not swapped
      else {
        // The swapped-in article: whatever says this job may have posted says it may have posted
        // that one (an earlier run swapped too); otherwise only an intent recorded for it does.
        const whyKey = key === postKey || !notifier.findPosted ? may?.why : (may?.why ?? ((await d.deliveries.intent(p.destination, key)) ? 'an intent to post is recorded' : null));
        if (whyKey && notifier.findPosted) ref = await lookFor(key, alert?.kind === 'followup' ? root : null, whyKey);
      }
      const recovered = ref !== null;
      if (alert) {
        if (!ref) {
          await d.deliveries.recordIntent(p.destination, key, swappedFrom ? postKey : undefined);
          intended = true;
          ref = await notifier.postAlert(alert, root, { key });
          await failpoint('deliver.after-post');
        }
        await d.deliveries.recordPost(p.destination, alert.articleId, p.storyId, ref, alert.kind, alert.framings.map((f) => f.tag));
        if (swappedFrom) {
          d.metrics?.alertsDelivered.inc({ platform: dest.platform, kind: 'alert' });
          d.log.debug({ destination: p.destination, posted: alert.articleId, next: swappedFrom }, 'deliver: posted the story’s earlier article first');
          // This job's own article follows in the thread on its next run.
          return await later(d.paceMs[dest.platform] ?? 0, 'the story’s earlier article went first');
        }
        if (alert.kind === 'followup' && root && story && notifier.updateAlert) {
          await updateRoot(d, notifier, dest, root, story, rootArticleId).catch((e: unknown) =>
            d.log.warn({ err: e, destination: p.destination }, 'deliver: could not update the story’s first message'),
          );
        }
      } else {
        if (!ref) {
          const reply: Reply = { visibility: 'in_channel', kind: 'ok', text: p.notice ?? '', sections: [{ type: 'paragraph', text: p.notice ?? '' }] };
          await d.deliveries.recordIntent(p.destination, key);
          intended = true;
          ref = await notifier.postReply(dest, reply, { key });
          await failpoint('deliver.after-post');
        }
        await d.deliveries.recordPost(p.destination, postKey, p.storyId, ref, 'followup');
      }
      // A recovered post was delivered once, by the attempt that died before counting it.
      d.metrics?.alertsDelivered.inc({ platform: dest.platform, kind });
      if (p.fetchedAt && kind === 'alert' && !recovered) d.metrics?.alertLatency.observe((d.clock().getTime() - p.fetchedAt) / 1000);
      return { status: 'posted', kind, messageId: ref.messageId, ...(recovered ? { recovered: true as const } : {}) };
    } catch (e) {
      // The platform said no: nothing was posted, so the next run need not look for it.
      const refused = e instanceof RateLimitedError || e instanceof DestinationUnavailableError || e instanceof PlatformAuthError;
      if (intended && refused) await d.deliveries.clearIntent(p.destination, key);
      if (e instanceof RateLimitedError) return later(e.retryAfterMs, 'rate limited by the platform');
      if (e instanceof DestinationUnavailableError) {
        const n = await d.subscriptions.setPaused(p.destination, { reason: e.reason, at: d.clock().toISOString() });
        d.log.warn({ destination: p.destination, reason: e.reason, subscriptionsPaused: n }, 'deliver: destination unavailable; its subscriptions are paused');
        return { status: 'destination-unavailable', reason: e.reason };
      }
      if (e instanceof PlatformAuthError) {
        await d.platforms.refuse(dest.platform, e.reason);
        d.log.error({ platform: dest.platform, reason: e.reason }, `deliver: ${dest.platform} refused our credentials; delivery to it is stopped until the token is fixed and the bot restarted`);
        throw new UnrecoverableError(e.message);
      }
      throw e;
    }
  };
}
