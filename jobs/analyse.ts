// analyse: a poll's new articles (one batch, oldest first) → analysis, stories, store; then one
// deliver job per (destination, article) that wants it, all queued in one round trip.
//
// Idempotent steps, so a worker that dies mid-batch loses nothing and a retried (or repeated)
// batch skips what is done: (1) the batch's articles are read from the store first — one that is
// stored analysed is not analysed again; (2) story assignment of an article already in a story
// returns that story (the story store keeps story-of per article); (3) the analysed articles
// are stored together; (4) delivery plans are keyed by (destination, story, article) and return
// the same decision when asked again, and deliver job ids are (destination, article), so a
// re-queued delivery is a no-op while the job exists and a re-posted one is refused by the
// delivery record. Every article of the batch is planned before any delivery is queued, so a
// story's alert from this batch already sees its siblings (first publisher first).
import type { Job } from 'bullmq';
import type { Analyzer } from '../src/core/analyse.js';
import { isCentralAsia, subscriptionMatches, isMuted, RoutingView, type Subscription } from '../src/core/routing/subscription.js';
import type { AnalysedArticle, AnalysisInput, AnalysisResult, Article, Story } from '../src/core/types.js';
import { analyseJobPayload, jobId, type AnalysePayload, type DeliverPayload } from '../src/ports/queue-payloads.js';
import type { Logger } from '../src/ports/logger.js';
import type { ArticleStore, BatchTracker, DeliveryStore, MuteStore, StoryStore, SubscriptionStore } from '../src/ports/stores.js';
import { isAnalysed } from '../src/core/analysed.js';
import type { TrendCounterStore } from '../src/ports/trend-counters.js';
import { tellMerges } from './merge-notice.js';

export interface AnalyseDeps {
  analyzer: Analyzer;
  /**
   * A batch's analyses made elsewhere (the worker role's analysis thread, with the same analyzer's
   * data and code), in order; used for batches of THREAD_MIN_BATCH articles or more. Absent:
   * `analyzer` on this thread, one article at a time.
   */
  analyzeMany?(inputs: AnalysisInput[], now: Date): Promise<AnalysisResult[]>;
  articles: ArticleStore;
  /** Articles still waiting for analysis in a poll's batch (see SETTLE_MAX_MS). */
  batches: BatchTracker;
  stories: StoryStore;
  subscriptions: SubscriptionStore;
  mutes: MuteStore;
  deliveries: DeliveryStore;
  /** Queues deliver jobs, all in one round trip (BullMQ addBulk); a job id already queued is a no-op. */
  enqueueDeliver(jobs: { payload: DeliverPayload; id: string }[]): Promise<void>;
  /** Trend counters (spikes, /trends): each analysed article counted once, by its published hour. */
  trends?: Pick<TrendCounterStore, 'countMany'>;
  config: { alertMinRelevance: number; retentionDays: number };
  log: Logger;
  clock: () => Date;
}

export type ArticleOutcome =
  | { status: 'missing' }
  | { status: 'stored'; storyId: string | null; relevance: number }
  | { status: 'routed'; storyId: string; deliveries: { destination: string; kind: string }[] };

/** What an analyse job returns: one outcome per article of its batch, in the batch's order. */
export interface AnalyseResult {
  status: 'batch';
  articles: (ArticleOutcome & { articleId: string })[];
  /** Articles of the batch found analysed already (a retried or repeated batch). */
  skipped: number;
}

export function createAnalyseProcessor(d: AnalyseDeps) {
  return async (job: Job): Promise<AnalyseResult> => analyseBatch(d, analyseJobPayload.parse(job.data).items);
}

/** One batch: read, analyse what is not, assign stories, store, plan and queue deliveries. */
export async function analyseBatch(d: AnalyseDeps, items: AnalysePayload[]): Promise<AnalyseResult> {
  const now = d.clock();
  // One round trip: what a crashed earlier run of this batch (or another batch holding one of
  // these articles) already stored. The payload's copy serves when the store has none.
  const stored = await d.articles.getMany(items.map((p) => p.articleId));
  // `raw`: its raw record is in the store (the handoff's putNew), so only the analysis is written.
  const todo: { i: number; article: Article; analysis: AnalysisResult; raw: boolean }[] = [];
  const analysed: (AnalysedArticle | null)[] = items.map(() => null);
  const stories: (Story | null)[] = items.map(() => null);
  let skipped = 0;
  const fresh: { i: number; article: Article; raw: boolean }[] = [];
  for (const [i, p] of items.entries()) {
    const a = stored[i] ?? p.article ?? null;
    if (!a) continue;
    if (isAnalysed(a)) {
      analysed[i] = a;
      skipped += 1;
      continue;
    }
    fresh.push({ i, article: a, raw: stored[i] != null });
  }
  // Found analysed, their story gone (a host crash lost the story commit, not the analysis stored
  // after the restart): assigned a story again with the analysis they have (test
  // integration/pipeline/story-lost.test.ts). Only skipped articles' stories are read for this.
  for (const i of await storiesLost(d, analysed, stories)) {
    const a = analysed[i]!;
    d.log.warn({ articleId: a.id, storyId: a.storyId }, 'analyse: analysed article’s story is gone (lost in a crash?); assigned again');
    todo.push({ i, article: a, analysis: a.analysis, raw: stored[i] != null });
    analysed[i] = null;
    skipped -= 1;
  }
  if (d.analyzeMany && fresh.length >= THREAD_MIN_BATCH) {
    // A batch big enough goes to the analysis thread in one message (a cold start, a backfill).
    const results = await d.analyzeMany(fresh.map((t) => analysisInput(t.article)), now);
    fresh.forEach((t, k) => todo.push({ i: t.i, article: t.article, analysis: results[k]!, raw: t.raw }));
  } else {
    for (const t of fresh) {
      // One article's analysis at a time, then the event loop: another job holding story locks
      // (released only when its commit's reply is handled) must not wait for a whole batch.
      if (todo.length) await yieldToEventLoop();
      todo.push({ i: t.i, article: t.article, analysis: d.analyzer.analyze(analysisInput(t.article), now), raw: t.raw });
    }
  }
  todo.sort((x, y) => x.i - y.i); // batch order (oldest first) for the story assignment
  const assigned: (Assigned | undefined)[] = [];
  const finish = (k: number): AnalysedArticle | null => {
    const t = todo[k]!;
    const r = assigned[k] ?? (isCentralAsia(t.analysis) ? null : NO_STORY);
    if (!r) return null;
    stories[t.i] = r.story;
    const a: AnalysedArticle = { ...t.article, analysis: t.analysis, storyId: r.storyId, cites: r.cites };
    analysed[t.i] = a;
    return a;
  };
  try {
    await assignStories(d, todo, now, assigned);
  } catch (e) {
    // Keep what is done (analysed, and in its story when it needs one): the retry skips it.
    await storeAnalysed(d, todo.flatMap((t, k) => (finish(k) ? [{ a: analysed[t.i]!, raw: t.raw }] : [])));
    throw e;
  }
  await storeAnalysed(d, todo.map((t, k) => ({ a: finish(k)!, raw: t.raw })));

  // Every analysed article of the batch, a retried batch's skipped ones included, in one call sent
  // beside the planning (counting is order-free): the counter store counts an article once (it keeps
  // a marker), so a batch that died after storing counts on its retry.
  const counting = d.trends?.countMany(analysed.filter((a): a is AnalysedArticle => a !== null), now);
  counting?.catch(() => {}); // handled: awaited below (this only keeps it from counting as unhandled meanwhile)
  const outcomes: AnalyseResult['articles'] = [];
  const deliveries: { payload: DeliverPayload; id: string }[] = [];
  // In batch order (oldest first): plans decide alert vs follow-up by who asks first. Every plan
  // of the batch goes in one call (planMany, decided in this order), not one round trip each.
  const targets: (Routing | null)[] = [];
  const seen: RouteCache = { subs: null, mutes: new Map() };
  for (const [i, p] of items.entries()) {
    const a = analysed[i];
    if (!a) {
      d.log.warn({ articleId: p.articleId }, 'analyse: article no longer stored (expired?)');
      targets.push(null);
      continue;
    }
    targets.push(await routeTargets(d, p, a, stories[i] ?? null, seen));
  }
  const plans = targets.flatMap((t) => (t && 'destinations' in t ? t.destinations.map((destination) => ({ destination, storyId: t.story.id, outletId: t.article.outletId, articleId: t.article.id })) : []));
  const kinds = await d.deliveries.planMany(plans);
  let next = 0;
  for (const [i, p] of items.entries()) {
    const t = targets[i];
    if (!t) {
      outcomes.push({ articleId: p.articleId, status: 'missing' });
      continue;
    }
    if (!('destinations' in t)) {
      outcomes.push({ articleId: p.articleId, ...t });
      continue;
    }
    const planned: { destination: string; kind: string }[] = [];
    for (const dest of t.destinations) {
      const kind = kinds[next++]!;
      planned.push({ destination: dest, kind });
      if (kind === 'skip') continue;
      deliveries.push({
        payload: {
          destination: dest,
          articleId: t.article.id,
          storyId: t.story.id,
          kind,
          ...(p.fetchedAt ? { fetchedAt: p.fetchedAt } : {}),
          ...(p.batchKey && kind === 'alert' ? { batchKey: p.batchKey } : {}),
        },
        id: jobId('dlv', dest, t.article.id),
      });
    }
    outcomes.push({ articleId: p.articleId, status: 'routed', storyId: t.story.id, deliveries: planned });
  }
  await counting;
  if (deliveries.length) await d.enqueueDeliver(deliveries);
  // Only now (deliveries planned) may the alerts of the other jobs of this poll go: one of them
  // may have to put an article of this batch first.
  const byBatch = new Map<string, string[]>();
  for (const p of items) if (p.batchKey) byBatch.set(p.batchKey, [...(byBatch.get(p.batchKey) ?? []), p.articleId]);
  for (const [key, ids] of byBatch) await d.batches.done(key, ids);
  return { status: 'batch', articles: outcomes, skipped };
}

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

/**
 * Batches with fewer articles to analyse stay on this thread: a poll's usual one or two new items
 * would only add the hop to the thread and back to their alert's latency (and on a loaded machine a
 * wait for the thread to be scheduled), for a few hundred µs of analysis.
 */
export const THREAD_MIN_BATCH = 4;

/** What the analyzer is given of a stored article. */
function analysisInput(a: Article): AnalysisInput {
  return { id: a.id, title: a.title, text: a.text, url: a.url ?? undefined, outlet: a.outlet, published: a.published, language: a.languageHint, ...(a.countryHint ? { country: a.countryHint } : {}) };
}

type Assigned = { storyId: string | null; story: Story | null; cites: string[] };
const NO_STORY: Assigned = { storyId: null, story: null, cites: [] };

/**
 * Story assignment for a batch, in order (oldest first, so a story's first publisher starts it),
 * into `out` (index by index, so a failure leaves what was assigned). Only articles that could
 * alert are clustered: stories are what /story and alerts are about, and clustering every
 * unrelated article would cost most of the pipeline's time. The one place a batch meets the story
 * store: a batch entry there (one round trip per batch) replaces the loop.
 */
async function assignStories(d: AnalyseDeps, todo: { article: Article; analysis: AnalysisResult }[], now: Date, out: (Assigned | undefined)[]): Promise<void> {
  const ca: number[] = [];
  for (const [k, t] of todo.entries()) {
    if (isCentralAsia(t.analysis)) ca.push(k);
    else out[k] = NO_STORY;
  }
  if (!ca.length) return;
  // One call for the batch (the story store's assignMany: a few round trips, decisions as if
  // assigned one by one in this order). It commits all or nothing: a failure leaves the
  // Central Asia articles to the retry, the others are kept.
  const assigned = await d.stories.assignMany(
    ca.map((k) => todo[k]!),
    now,
  );
  // Hook (issue 15.4): stories this batch showed to be one were merged by the store; tell the
  // deliveries (jobs/merge-notice.ts). Left untold on failure: the store keeps it pending.
  const merges = assigned.flatMap((r) => r.merges ?? []);
  if (merges.length) await tellMerges(d, merges).catch((e: unknown) => d.log.warn({ err: e }, 'analyse: merged stories not told to the deliveries yet'));
  ca.forEach((k, j) => {
    const r = assigned[j]!;
    out[k] = { storyId: r.storyId, story: r.story, cites: r.cites };
  });
}

/**
 * The articles found analysed whose story is gone or no longer holds them (positions in the
 * batch); the others' stories go into `stories` (routing reads them no more). One read for the
 * batch, made only when articles are skipped (a retried batch, a re-poll, a deliver job's request).
 */
async function storiesLost(d: AnalyseDeps, analysed: readonly (AnalysedArticle | null)[], stories: (Story | null)[]): Promise<number[]> {
  const at = analysed.flatMap((a, i) => (a?.storyId && isCentralAsia(a.analysis) ? [i] : []));
  if (!at.length) return [];
  const got = await d.stories.getMany(at.map((i) => analysed[i]!.storyId!));
  return at.filter((i, k) => {
    const s = got[k];
    if (s?.articleIds.includes(analysed[i]!.id)) stories[i] = s;
    return !stories[i];
  });
}

/**
 * The one place analysed articles are stored (pipelined: one round trip each way). An article
 * read from the store gets its analysis written beside it (putAnalysis: not its text again); one
 * that came in the job's data (an earlier version's job) is written whole.
 */
async function storeAnalysed(d: AnalyseDeps, analysed: { a: AnalysedArticle; raw: boolean }[]): Promise<void> {
  const ttl = d.config.retentionDays * 86_400;
  const beside = analysed.filter((x) => x.raw).map((x) => x.a);
  const whole = analysed.filter((x) => !x.raw).map((x) => x.a);
  await Promise.all([d.articles.putAnalysis(beside, ttl), d.articles.putMany(whole, ttl)]);
}

/** Read once per batch: the subscriptions, and each destination's mutes. */
type RouteCache = { subs: Promise<Subscription[]> | null; mutes: Map<string, ReturnType<MuteStore['get']>> };

/** An article stored, not routed; or its story and the destinations to plan it for (in order). */
type Routing = Extract<ArticleOutcome, { status: 'stored' }> | { story: Story; article: AnalysedArticle; destinations: string[] };

/** Where an analysed article could go: the destinations whose alert subscriptions match, muted ones left out. */
async function routeTargets(d: AnalyseDeps, p: AnalysePayload, analysed: AnalysedArticle, known: Story | null, cache: RouteCache): Promise<Routing> {
  if (!p.alert || !analysed.storyId || !isCentralAsia(analysed.analysis)) {
    return { status: 'stored', storyId: analysed.storyId, relevance: analysed.analysis.relevance };
  }
  const story = known ?? (await d.stories.get(analysed.storyId));
  if (!story) return { status: 'stored', storyId: analysed.storyId, relevance: analysed.analysis.relevance };

  // One view for all the subscriptions tried: its sets and texts are built once.
  const subject = new RoutingView({ story, article: { outletId: analysed.outletId, affiliation: analysed.affiliation, title: analysed.title, text: analysed.text, analysis: analysed.analysis } });
  const destinations = new Set<string>();
  for (const sub of await (cache.subs ??= d.subscriptions.list())) {
    if (sub.mode !== 'alerts' || destinations.has(sub.destination)) continue;
    if (subscriptionMatches(sub, subject, d.config.alertMinRelevance)) destinations.add(sub.destination);
  }
  const out: string[] = [];
  for (const dest of destinations) {
    let mutes = cache.mutes.get(dest);
    if (!mutes) cache.mutes.set(dest, (mutes = d.mutes.get(dest)));
    if (!isMuted(await mutes, story, analysed.outletId)) out.push(dest);
  }
  return { story, article: analysed, destinations: out };
}
