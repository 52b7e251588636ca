// analyse: one article → analysis, story, store; then one deliver job per destination that wants it.
import type { Job } from 'bullmq';
import type { Analyzer } from '../src/core/analyse.js';
import { isCentralAsia, subscriptionMatches, isMuted } from '../src/core/routing/subscription.js';
import type { AnalysedArticle, Article, Story } from '../src/core/types.js';
import { analysePayload, jobId, type AnalysePayload, type DeliverPayload } from '../src/ports/queue-payloads.js';
import type { Logger } from '../src/ports/logger.js';
import type { ArticleStore, BatchTracker, DeliveryStore, MuteStore, StoryStore, SubscriptionStore } from '../src/ports/stores.js';
import { isAnalysed } from '../src/core/analysed.js';

export interface AnalyseDeps {
  analyzer: Analyzer;
  articles: ArticleStore;
  /** Articles still waiting for analysis in a poll's batch (see SETTLE_MAX_MS). */
  batches: BatchTracker;
  stories: StoryStore;
  subscriptions: SubscriptionStore;
  mutes: MuteStore;
  deliveries: DeliveryStore;
  enqueueDeliver(payload: DeliverPayload, id: string): Promise<void>;
  config: { alertMinRelevance: number; retentionDays: number };
  log: Logger;
  clock: () => Date;
}

export type AnalyseResult =
  | { status: 'missing' }
  | { status: 'stored'; storyId: string | null; relevance: number }
  | { status: 'routed'; storyId: string; deliveries: { destination: string; kind: string }[] };

export function createAnalyseProcessor(d: AnalyseDeps) {
  return async (job: Job): Promise<AnalyseResult> => {
    const p = analysePayload.parse(job.data);
    const r = await analyseAndRoute(d, p, job.attemptsMade);
    // Only now (deliveries planned) may the alerts of this article's poll siblings go: one of
    // them may have to put this article first.
    if (p.batchKey) await d.batches.done(p.batchKey, p.articleId);
    return r;
  };
}

async function analyseAndRoute(d: AnalyseDeps, p: AnalysePayload, attemptsMade: number): Promise<AnalyseResult> {
  const now = d.clock();
  // The poll hands the article over in the job. A retried job reads the store instead, so
  // that an analysis already stored is reused and the story assignment is not repeated.
  const stored = attemptsMade === 0 && p.article ? p.article : await d.articles.get(p.articleId);
  if (!stored) {
    d.log.warn({ articleId: p.articleId }, 'analyse: article no longer stored (expired?)');
    return { status: 'missing' };
  }
  let story: Story | null = null;
  let analysed: AnalysedArticle;
  if (isAnalysed(stored)) {
    analysed = stored;
  } else {
    const r = await analyseAndStore(d, stored, now);
    analysed = r.analysed;
    story = r.story;
  }
  if (!p.alert || !analysed.storyId || !isCentralAsia(analysed.analysis)) {
    return { status: 'stored', storyId: analysed.storyId, relevance: analysed.analysis.relevance };
  }
  story ??= await d.stories.get(analysed.storyId);
  if (!story) return { status: 'stored', storyId: analysed.storyId, relevance: analysed.analysis.relevance };

  const subject = { story, article: { outletId: analysed.outletId, affiliation: analysed.affiliation, title: analysed.title, text: analysed.text, analysis: analysed.analysis } };
  const destinations = new Set<string>();
  for (const sub of await d.subscriptions.list()) {
    if (sub.mode !== 'alerts' || destinations.has(sub.destination)) continue;
    if (subscriptionMatches(sub, subject, d.config.alertMinRelevance)) destinations.add(sub.destination);
  }
  const deliveries: { destination: string; kind: string }[] = [];
  for (const dest of destinations) {
    if (isMuted(await d.mutes.get(dest), story.id, analysed.outletId)) continue;
    const kind = await d.deliveries.plan(dest, story.id, analysed.outletId, analysed.id);
    deliveries.push({ destination: dest, kind });
    if (kind === 'skip') continue;
    await d.enqueueDeliver(
      {
        destination: dest,
        articleId: analysed.id,
        storyId: story.id,
        kind,
        ...(p.fetchedAt ? { fetchedAt: p.fetchedAt } : {}),
        ...(p.batchKey && kind === 'alert' ? { batchKey: p.batchKey } : {}),
      },
      jobId('dlv', dest, analysed.id),
    );
  }
  return { status: 'routed', storyId: story.id, deliveries };
}

async function analyseAndStore(d: AnalyseDeps, a: Article, now: Date): Promise<{ analysed: AnalysedArticle; story: Story | null }> {
  const analysis = d.analyzer.analyze(
    { id: a.id, title: a.title, text: a.text, url: a.url ?? undefined, outlet: a.outlet, published: a.published, language: a.languageHint, ...(a.countryHint ? { country: a.countryHint } : {}) },
    now,
  );
  let storyId: string | null = null;
  let story: Story | null = null;
  let cites: string[] = [];
  // Only articles that could alert are clustered: stories are what /story and alerts are about,
  // and clustering every unrelated article would cost most of the pipeline's time.
  if (isCentralAsia(analysis)) {
    const r = await d.stories.assign(a, analysis, now);
    storyId = r.storyId;
    story = r.story;
    cites = r.cites;
  }
  const analysed: AnalysedArticle = { ...a, analysis, storyId, cites };
  await d.articles.put(analysed, d.config.retentionDays * 86_400);
  return { analysed, story };
}
