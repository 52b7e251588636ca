// poll: fetch one feed, keep its new items, hand them to analysis in one job (a few when many),
// and plan the next poll.
// Feed failures are values: recorded in the feed's health, backed off, paused after ten in a row.
import type { Job } from 'bullmq';
import { hash } from 'node:crypto';
import { defaultRuntime, emptyHealth, planNextPoll, recordPollOutcome, shouldPause, type FeedHealth } from '../src/core/feed/policy/schedule.js';
import { slugify } from '../src/core/feed/config/feeds-file.js';
import type { OutletDirectory } from '../src/core/feed/config/outlets.js';
import type { Article, FeedConfig, NormalisedItem } from '../src/core/types.js';
import { errorCodeLabel, type FeedFetcher, type FetchOutcome } from '../src/ports/feed-fetcher.js';
import type { BatchTracker, FeedRuntime, FeedStore, PollGuard, SeenStore } from '../src/ports/stores.js';
import type { FeedScheduler } from '../src/ports/feed-scheduler.js';
import { jobId, MAX_ANALYSE_BATCH, pollPayload, type AnalyseBatchPayload, type AnalysePayload, type PollPayload } from '../src/ports/queue-payloads.js';
import type { Logger } from '../src/ports/logger.js';
import type { Metrics } from '../src/ports/metrics.js';
import { failpoint } from '../src/ports/failpoints.js';
import { quarantineSeconds, setAsideMessage, WORKER_KILLED } from '../src/core/feed/policy/poison.js';

export interface PollDeps {
  feeds: FeedStore;
  seen: SeenStore;
  batches: BatchTracker;
  fetcher: FeedFetcher;
  scheduler: FeedScheduler;
  /** Outlets known by name: an aggregator item credited to one counts as that outlet. */
  outlets?: OutletDirectory;
  /**
   * Queues analyse jobs in one round trip; a job id already queued is a no-op. Returns keys that
   * exist while the jobs do (their hashes in Redis): the items leave the outbox only while they
   * exist (SeenStore.release). Nothing returned: released without that check.
   */
  enqueueAnalyse(jobs: { payload: AnalyseBatchPayload; id: string }[]): Promise<readonly string[] | void>;
  /** Tells the channels that follow a feed that it was paused. */
  notifyPaused(feed: FeedConfig, reason: string): Promise<void>;
  config: { alertMaxAgeHours: number; retentionDays: number; pollMinSeconds: number; pollMaxSeconds: number };
  metrics?: Metrics;
  log: Logger;
  clock: () => Date;
  random?: () => number;
}

/**
 * `intervalMoved`: a poll of a poll-due group whose feed's interval changed (`nextSeconds` is the
 * new one); the group writes it with its next polls (FeedScheduler.reschedule's `every`), in its
 * one round trip, instead of the poll calling the scheduler's `schedule` on its own.
 */
export type PollResult =
  | { status: 'gone' | 'paused' | 'deferred' }
  | { status: 'not-modified'; nextSeconds: number; intervalMoved?: true }
  | { status: 'ok'; items: number; fresh: number; queued: number; nextSeconds: number; intervalMoved?: true }
  | { status: 'error'; code: string; failures: number; paused: boolean; nextSeconds: number; intervalMoved?: true };


/** An article id short and safe as a key part and a BullMQ job id: the item key scoped by outlet. */
export function articleIdFor(outletId: string, itemKey: string): string {
  // crypto.hash (Node ≥ 20.12): one call, no Hash object (as core/feed/parse/keys.ts does).
  return `${outletId}-${hash('sha1', itemKey, 'hex').slice(0, 16)}`;
}

/**
 * The poll queue's per-feed processor. A poll-due job hands each of its feeds' polls its group
 * (`pollGroup` beside the data of the plain object that stands for the job; see openPollGroup),
 * and `setAside` for a feed it sets aside (jobs/poll-due.ts).
 */
export function createPollProcessor(d: PollDeps) {
  // A poll-due job's feed comes with its group, and with data that job built from its own parsed
  // payload: checked once per group there, not once per feed here (a warm cycle's CPU, issue 16).
  return async (job: Pick<Job, 'data'> & { pollGroup?: PollGroup; setAside?: SetAside }): Promise<PollResult> =>
    pollFeed(d, job.pollGroup ? (job.data as PollPayload) : pollPayload.parse(job.data), job.pollGroup, job.setAside);
}

type Loaded = { feed: FeedConfig | null; runtime: FeedRuntime | null; health: FeedHealth | null };

/**
 * A poll-due job's feeds polled as a group: their state read in one round trip before, their
 * writes (validators, health) gathered and written in one round trip after (`commit`), so a group
 * of 304s costs the store two round trips, not two per feed. A crash before the commit loses only
 * those writes: the feeds are polled again when their claims lapse, without validators (a full
 * fetch), and the seen store drops the items already kept.
 */
export interface PollGroup {
  loaded: ReadonlyMap<string, Loaded>;
  save(id: string, runtime: FeedRuntime, health: FeedHealth, guard?: PollGuard): void;
  /**
   * A not-modified poll counted in the polls metric at the commit, with the group's others: one
   * increment a group instead of one a feed (prom-client's labelled `inc` was ~2% of a warm
   * cycle's CPU, issue 16). Absent: counted at once.
   */
  countNotModified?(): void;
  commit(): Promise<void>;
}

export async function openPollGroup(d: Pick<PollDeps, 'feeds' | 'metrics'> & { log?: Logger }, feedIds: readonly string[]): Promise<PollGroup> {
  const loaded = await d.feeds.loadManyForPoll<FeedHealth>(feedIds);
  const saves: { id: string; runtime: FeedRuntime; health: FeedHealth; guard?: PollGuard }[] = [];
  let notModified = 0;
  return {
    loaded,
    save: (id, runtime, health, guard) => void saves.push(guard ? { id, runtime, health, guard } : { id, runtime, health }),
    countNotModified: () => void (notModified += 1),
    commit: async () => {
      if (notModified > 0) d.metrics?.polls.inc({ outcome: 'not_modified' }, notModified);
      notModified = 0;
      const dropped = await d.feeds.saveManyAfterPoll(saves.splice(0));
      if (dropped.length) d.log?.warn({ feeds: dropped }, VALIDATORS_DROPPED);
    },
  };
}

const VALIDATORS_DROPPED = 'poll: validators not kept: the items these polls queued are no longer claimed or queued in Redis (lost writes?); the next poll fetches the feed whole';

/** A feed whose poll killed the worker again and again, set aside by its poll-due group (core/feed/policy/poison.ts). */
export interface SetAside {
  deaths: number;
}

/**
 * One feed's poll: fetch, keep and hand over its new items, record the outcome, plan the next
 * poll. A job that polls many feeds calls this for each. A feed `setAside` is not fetched: its
 * poll records WORKER_KILLED as its error (a failure like any other: ten in a row pause it) and
 * backs off at least an hour.
 */
export async function pollFeed(d: PollDeps, p: PollPayload, group?: PollGroup, setAside?: SetAside): Promise<PollResult> {
  const random = d.random ?? Math.random;
  const loaded = group?.loaded.get(p.feedId) ?? (await d.feeds.loadForPoll<FeedHealth>(p.feedId));
  const feed = loaded.feed;
  if (!feed) {
    await d.scheduler.unschedule(p.feedId);
    return { status: 'gone' };
  }
  const now = d.clock();
  const runtime = loaded.runtime ?? defaultRuntime(feed, d.config.pollMinSeconds);
  if (runtime.paused) {
    await d.scheduler.unschedule(feed.id);
    d.metrics?.polls.inc({ outcome: 'paused' });
    return { status: 'paused' };
  }
  const health = loaded.health ?? emptyHealth();
  // A scheduled poll before the server's Retry-After / max-age waits; a requested one goes.
  if (p.reason === 'schedule' && health.notBefore && Date.parse(health.notBefore) > now.getTime() + 1000) {
    d.metrics?.polls.inc({ outcome: 'deferred' });
    return { status: 'deferred' };
  }

  let outcome: FetchOutcome | { kind: 'error'; code: typeof WORKER_KILLED; message: string; notBefore: null };
  if (setAside) outcome = { kind: 'error', code: WORKER_KILLED, message: setAsideMessage(setAside.deaths), notBefore: null };
  else {
    await failpoint('poll.fetch', feed.id);
    outcome = await d.fetcher.fetch({ url: feed.url, etag: runtime.etag, lastModified: runtime.lastModified, outletId: feed.outletId, now });
  }
  const after = d.clock();
  const nextHealth = recordPollOutcome(health, outcome, after);
  const nextRuntime: FeedRuntime = { ...runtime, polls: runtime.polls + 1 };
  let result: PollResult;
  /** Set when the poll queued new items: its validators are kept only while that work survives. */
  let guard: PollGuard | undefined;

  if (outcome.kind === 'error') {
    const code = outcome.code === WORKER_KILLED ? WORKER_KILLED : errorCodeLabel(outcome);
    d.metrics?.polls.inc({ outcome: code });
    const paused = shouldPause(nextHealth);
    if (paused) {
      const since = nextHealth.lastError?.since ?? after.toISOString();
      const reason = `${nextHealth.consecutiveFailures} failed polls: ${code} since ${since.slice(0, 10)}`;
      nextRuntime.paused = { reason, at: after.toISOString(), by: 'failures' };
      d.log.warn({ feed: feed.id, code, failures: nextHealth.consecutiveFailures }, 'poll: feed paused after repeated failures');
    } else if (setAside) {
      d.log.warn({ feed: feed.id, code, deaths: setAside.deaths }, 'poll: feed set aside: polling it stopped the worker again and again; the other feeds of its group go on');
    } else {
      // Per feed at debug: the worker logs one summary of all failing feeds (src/main/poll-failures.ts).
      d.log.debug({ feed: feed.id, code, message: outcome.message, failures: nextHealth.consecutiveFailures }, 'poll: feed failed');
    }
    result = { status: 'error', code, failures: nextHealth.consecutiveFailures, paused, nextSeconds: 0 };
  } else {
    if (outcome.validators.etag !== undefined) nextRuntime.etag = outcome.validators.etag ?? null;
    if (outcome.validators.lastModified !== undefined) nextRuntime.lastModified = outcome.validators.lastModified ?? null;
    if (outcome.kind === 'not-modified') {
      if (group?.countNotModified) group.countNotModified();
      else d.metrics?.polls.inc({ outcome: 'not_modified' });
      result = { status: 'not-modified', nextSeconds: 0 };
    } else {
      d.metrics?.polls.inc({ outcome: 'ok' });
      const { guard: g, ...r } = await keepNewItems(d, feed, outcome, runtime.polls === 0, after);
      guard = g;
      result = { status: 'ok', items: outcome.items.length, ...r, nextSeconds: 0 };
    }
  }

  if (nextRuntime.paused) {
    await d.feeds.saveAfterPoll(feed.id, nextRuntime, nextHealth, guard);
    await d.scheduler.unschedule(feed.id);
    await d.notifyPaused(feed, nextRuntime.paused.reason).catch((e: unknown) => d.log.warn({ err: e, feed: feed.id }, 'poll: could not tell channels the feed was paused'));
    return result;
  }
  const planned = planNextPoll(nextHealth, {
    minSeconds: d.config.pollMinSeconds,
    maxSeconds: d.config.pollMaxSeconds,
    feedIntervalSeconds: feed.interval,
    now: after,
    random,
  });
  const next = setAside ? Math.max(planned, quarantineSeconds(nextHealth.consecutiveFailures)) : planned;
  // Re-upsert the scheduler only when the interval moves by more than a fifth (each upsert
  // restarts its clock), or when the server's notBefore is later than the next run. The
  // runtime state records the interval in force (whoever schedules the feed keeps it so).
  const current = runtime.intervalSeconds;
  const notBefore = nextHealth.notBefore ? Date.parse(nextHealth.notBefore) : 0;
  let moved = false;
  if (!loaded.runtime || Math.abs(next - current) > current * 0.2 || notBefore > after.getTime() + current * 1000) {
    // In a poll-due group the group writes it with its next polls (PollResult.intervalMoved):
    // one round trip a group, not one a feed whose interval moved.
    if (group) moved = true;
    else await d.scheduler.schedule(feed.id, next, after.getTime() + next * 1000);
    nextRuntime.intervalSeconds = next;
  }
  if (group) group.save(feed.id, nextRuntime, nextHealth, guard);
  else if (!(await d.feeds.saveAfterPoll(feed.id, nextRuntime, nextHealth, guard))) d.log.warn({ feeds: [feed.id] }, VALIDATORS_DROPPED);
  result.nextSeconds = nextRuntime.intervalSeconds;
  if (moved) result.intervalMoved = true;
  return result;
}

async function keepNewItems(
  d: PollDeps,
  feed: FeedConfig,
  outcome: Extract<FetchOutcome, { kind: 'ok' }>,
  firstPoll: boolean,
  now: Date,
): Promise<{ fresh: number; queued: number; guard?: PollGuard }> {
  const maxAgeMs = d.config.alertMaxAgeHours * 3_600_000;
  const ttl = d.config.retentionDays * 86_400;
  const batch: Queued[] = [];
  let fresh = 0;
  // Oldest first, so a story's first publisher is usually analysed first; a huge feed's
  // newest items only (a hostile or broken feed must not flood the queue).
  // `published` is always toISOString()'s format (normaliseItems), so code-unit order is time
  // order: no localeCompare (an ICU collation per comparison). Array.prototype.sort is stable.
  const items = [...outcome.items].sort((a, b) => (a.published < b.published ? -1 : a.published > b.published ? 1 : 0)).slice(-MAX_ITEMS_PER_POLL);
  if (outcome.items.length > MAX_ITEMS_PER_POLL) {
    d.log.warn({ feed: feed.id, items: outcome.items.length, kept: MAX_ITEMS_PER_POLL }, 'poll: feed has too many items; kept the newest');
  }
  // Claim and "still to be queued" are one atomic write per item (the seen store's outbox keeps
  // the article id and this feed's id): a crash after it and before the jobs are queued leaves
  // them there, and the next run of this feed's poll queues them (below). That run fetches the
  // same items again — the crashed run saved no validators — so the payload is rebuilt from the
  // feed rather than stored: an item outbox costs a few bytes, not the article's text. An item
  // queued twice (a crash between queueing and release) is harmless: the analyse job skips an
  // article stored analysed, story assignment and plans are keyed by article, posts recorded.
  const candidates = items.map((item) => {
    const article = toArticle(feed, item, now, d.outlets);
    // Old items (a new feed's back catalogue) are stored and analysed, not alerted. An undated
    // item counts as new only after the feed's first poll: on the first, it is back catalogue.
    const alert = item.publishedEstimated ? !firstPoll : now.getTime() - Date.parse(item.published) <= maxAgeMs;
    const payload: AnalysePayload = { articleId: article.id, alert, fetchedAt: outcome.fetchedAt, article };
    return { item, article, payload };
  });
  // The claims and the read of the outboxes (for recoverPending) go out together: one round trip
  // on the one connection, whose order puts the read after the claims.
  const [claims, outboxes] = await Promise.all([
    d.seen.claimMany(
      candidates.map(({ item, article }) => ({ scope: article.outletId, keys: [item.key, ...item.altKeys], articleId: article.id, pending: feed.id })),
      ttl,
    ),
    d.seen.pending([feed.outletId, ...candidates.map((c) => c.article.outletId)]),
  ]);
  await failpoint('poll.after-claim');
  // Claims (and releases, below) are one atomic write per scope (seen-store.ts): one new item's
  // claim key per scope witnesses the whole poll's claims (PollGuard).
  const claimedKeys = new Map<string, string>();
  candidates.forEach(({ item, article, payload }, i) => {
    if (!claims[i]!.isNew) return;
    if (payload.alert) fresh += 1;
    batch.push({ payload, id: article.id, scope: article.outletId });
    if (!claimedKeys.has(article.outletId)) claimedKeys.set(article.outletId, item.key);
  });
  // Counted once per poll (with the count), not once per item.
  if (batch.length) d.metrics?.articles.inc({ fate: 'new' }, batch.length);
  if (candidates.length > batch.length) d.metrics?.articles.inc({ fate: 'seen' }, candidates.length - batch.length);
  // Claimed by an earlier run of this feed's poll that stopped before queueing them.
  const inBatch = new Set(batch.map((b) => b.id));
  const leftovers = await recoverPending(d, feed, candidates, inBatch, outboxes);
  // One analyse job per poll (a few when it brought more than MAX_ANALYSE_BATCH new items), each
  // job's id derived from the fetch. Items split over several jobs may hold several outlets'
  // articles of one story: their alerts wait until all are analysed, so the story's alert shows
  // its first publisher (within one job the analyse step sees to it).
  const queue = [...batch, ...leftovers];
  const chunks: Queued[][] = [];
  for (let i = 0; i < queue.length; i += MAX_ANALYSE_BATCH) chunks.push(queue.slice(i, i + MAX_ANALYSE_BATCH));
  if (chunks.length > 1) {
    const batchKey = `${feed.id}:${outcome.fetchedAt}`;
    await d.batches.start(batchKey, queue.map((b) => b.id));
    for (const b of queue) b.payload.batchKey = batchKey;
  }
  if (!queue.length) return { fresh, queued: batch.length };
  const witnesses = await d.enqueueAnalyse(chunks.map((c, k) => ({ payload: { items: c.map((b) => b.payload) }, id: jobId('an', feed.id, String(outcome.fetchedAt), String(k)) })));
  if (!(await d.seen.release(queue.map(({ scope, id }) => ({ scope, articleId: id })), witnesses ?? []))) {
    d.log.warn({ feed: feed.id, items: queue.length }, 'poll: the analyse jobs just queued are gone (Redis lost its last writes?); the items stay in the outbox, queued again by the next poll');
  }
  // One queued article id per scope witnesses its release (one HDEL per scope).
  const released = new Map<string, string>();
  for (const q of queue) if (!released.has(q.scope)) released.set(q.scope, q.id);
  const guard: PollGuard = {
    claims: [...claimedKeys].map(([scope, key]) => ({ scope, key })),
    queued: [...released].map(([scope, articleId]) => ({ scope, articleId })),
  };
  return { fresh, queued: batch.length, guard };
}

type Queued = { payload: AnalysePayload; id: string; scope: string };

/**
 * Items of this feed that an earlier run claimed and did not queue (still in their scopes'
 * outboxes), queued now with the payload built from this fetch. One that left the feed since is
 * dropped with a warning: its text is gone with it.
 */
async function recoverPending(
  d: PollDeps,
  feed: FeedConfig,
  candidates: { article: Article; payload: AnalysePayload }[],
  inBatch: Set<string>,
  outboxes: { scope: string; articleId: string; payload: string }[],
): Promise<Queued[]> {
  const byId = new Map(candidates.map((c) => [c.article.id, c]));
  const out: Queued[] = [];
  const gone: { scope: string; articleId: string }[] = [];
  for (const e of outboxes) {
    if (e.payload !== feed.id || inBatch.has(e.articleId)) continue; // another feed of the outlet queues its own
    const c = byId.get(e.articleId);
    if (c) out.push({ payload: c.payload, id: e.articleId, scope: e.scope });
    else gone.push({ scope: e.scope, articleId: e.articleId });
  }
  if (gone.length) {
    d.log.warn({ feed: feed.id, items: gone.length }, 'poll: items claimed by an interrupted poll left the feed before they were queued; not analysed');
    await d.seen.release(gone);
  }
  if (out.length) d.log.info({ feed: feed.id, items: out.length }, 'poll: queued items an interrupted poll had claimed but not queued');
  return out;
}

/** Items taken from one poll at most (the newest). */
export const MAX_ITEMS_PER_POLL = 1000;

export function toArticle(feed: FeedConfig, item: NormalisedItem, now: Date, outlets?: OutletDirectory): Article {
  // An aggregator's item names its own outlet (<source>); it then counts as that outlet, with
  // that outlet's affiliation when steppewatch knows it.
  const source = item.sourceOutlet?.trim();
  const known = source ? outlets?.byName(source) : null;
  const credited = source && slugify(source) !== feed.outletId && known?.id !== feed.outletId;
  const outlet = credited ? (known?.names[0] ?? source) : feed.outlet;
  const outletId = credited ? (known?.id ?? (slugify(source) || feed.outletId)) : feed.outletId;
  return {
    id: articleIdFor(outletId, item.key),
    feedId: feed.id,
    outletId,
    outlet,
    affiliation: credited ? (known?.affiliation ?? 'unknown') : feed.affiliation,
    url: item.url,
    title: item.title,
    text: item.text,
    published: item.published,
    publishedEstimated: item.publishedEstimated,
    firstSeen: now.toISOString(),
    ...(feed.language[0] ? { languageHint: feed.language[0] } : {}),
    // An item credited to another outlet (an aggregator's <source>) is not the local outlet's.
    ...(feed.country && !credited ? { countryHint: feed.country } : {}),
  };
}
