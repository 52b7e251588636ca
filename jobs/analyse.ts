// analyse: one article → analysis, story, store; then one deliver job per destination that wants it.
import type { Job } from 'bullmq';
import type { Analyzer } from '../src/core/analyse.js';
import { isCentralAsia, subscriptionMatches, isMuted } from '../src/core/routing/subscription.js';
import type { AnalysedArticle, Article } from '../src/core/types.js';
import { analysePayload, jobId, type DeliverPayload } from '../src/adapters/queues.js';
import type { Logger } from '../src/adapters/log.js';
import type { ArticleStore, DeliveryStore, MuteStore, StoryStore, SubscriptionStore } from '../src/ports/stores.js';
import { isAnalysed } from '../src/adapters/redis/article-store.js';

export interface AnalyseDeps {
  analyzer: Analyzer;
  articles: ArticleStore;
  stories: StoryStore;
  subscriptions: SubscriptionStore;
  mutes: MuteStore;
  deliveries: DeliveryStore;
  enqueueDeliver(payload: DeliverPayload, id: string, delayMs: number): Promise<void>;
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
    const stored = await d.articles.get(p.articleId);
    if (!stored) {
      d.log.warn({ articleId: p.articleId }, 'analyse: article no longer stored (expired?)');
      return { status: 'missing' };
    }
    const now = d.clock();
    // A retried job reuses the first analysis, so the story assignment is not repeated.
    const analysed: AnalysedArticle = isAnalysed(stored) ? stored : await analyseAndStore(d, stored, now);
    if (!p.alert || !analysed.storyId || !isCentralAsia(analysed.analysis)) {
      return { status: 'stored', storyId: analysed.storyId, relevance: analysed.analysis.relevance };
    }
    const story = await d.stories.get(analysed.storyId);
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
        { destination: dest, articleId: analysed.id, storyId: story.id, kind, ...(p.fetchedAt ? { fetchedAt: p.fetchedAt } : {}) },
        jobId('dlv', dest, analysed.id),
        kind === 'alert' ? settleDelay(p, d.clock()) : 0,
      );
    }
    return { status: 'routed', storyId: story.id, deliveries };
  };
}

/**
 * Articles that arrived in one poll are analysed in parallel, so which of a story's articles
 * plans the alert is a race. An alert from a multi-item poll waits until SETTLE_MS after the
 * fetch, so that its siblings are in the story and the deliver job can put the first publisher
 * first. A single new item goes at once.
 */
export const SETTLE_MS = 1500;
function settleDelay(p: { batch?: number; fetchedAt?: number }, now: Date): number {
  if (!p.batch || p.batch < 2 || !p.fetchedAt) return 0;
  return Math.max(0, p.fetchedAt + SETTLE_MS - now.getTime());
}

async function analyseAndStore(d: AnalyseDeps, a: Article, now: Date): Promise<AnalysedArticle> {
  const analysis = d.analyzer.analyze(
    { id: a.id, title: a.title, text: a.text, url: a.url ?? undefined, outlet: a.outlet, published: a.published, language: a.languageHint },
    now,
  );
  let storyId: string | null = null;
  let cites: string[] = [];
  // Only articles that could alert are clustered: stories are what /story and alerts are about,
  // and clustering every unrelated article would cost most of the pipeline's time.
  if (isCentralAsia(analysis)) {
    const r = await d.stories.assign(a, analysis, now);
    storyId = r.storyId;
    cites = r.cites;
  }
  const analysed: AnalysedArticle = { ...a, analysis, storyId, cites };
  await d.articles.put(analysed, d.config.retentionDays * 86_400);
  return analysed;
}
