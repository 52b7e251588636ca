// The worker role's analysis thread (src/adapters/analysis-thread.ts) against the analyzer on this
// thread: the same analyses, field for field, over the bench farm's items (every language, Central
// Asia items with framings and speakers) and the seed articles; batches answered in order when many
// are sent at once; a closed thread refuses work instead of hanging. And the analyse job over it on
// real Redis: a batch of THREAD_MIN_BATCH or more goes to the thread in one call, a smaller one stays
// on this thread, and the stored articles and planned deliveries are those of the job without it.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { analyseBatch, THREAD_MIN_BATCH } from '../../../jobs/analyse.js';
import type { Article } from '../../../src/core/types.js';
import type { Container } from '../../../src/main/container.js';
import type { AnalysePayload, DeliverPayload } from '../../../src/ports/queue-payloads.js';
import { testContainer } from '../../helpers/pipeline.js';
import { analyseDepsOn } from '../../helpers/analyse-deps.js';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultAnalyzer } from '../../../src/adapters/analysis-data.js';
import { startAnalysisThread, type AnalysisThread } from '../../../src/adapters/analysis-thread.js';
import { sharedDir } from '../../../src/main/paths.js';
import type { AnalysisInput } from '../../../src/core/types.js';
import { farmFeed, itemPlainText, renderItem, type FarmSpec } from '../../../bench/farm/content.js';
import { sampleMetas } from '../../../bench/analysis.js';

const spec: FarmSpec = { feeds: 200, items: 20, start: Date.UTC(2026, 11, 1), seed: 7 };

function farmInputs(n: number): AnalysisInput[] {
  return sampleMetas(spec, n).map((m) => {
    const it = renderItem(spec, m, 'http://127.0.0.1');
    const { title, text } = itemPlainText(it);
    const f = farmFeed(m.feed);
    return { id: it.guid, title, text, url: it.link, outlet: f.outlet, published: new Date(m.publishedMs).toISOString(), language: m.lang, ...(f.country ? { country: f.country } : {}) };
  });
}

function seedInputs(): AnalysisInput[] {
  const dir = sharedDir() ? join(sharedDir()!, 'seeds') : null;
  if (!dir || !existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .map((f) => ({ id: f, text: readFileSync(join(dir, f), 'utf8'), published: '2022-04-27T00:00:00Z' }));
}

describe('analysis thread', () => {
  const thread = startAnalysisThread();
  afterAll(async () => thread?.close());

  it('gives the analyses the analyzer gives on this thread, in order', { timeout: 60_000 }, async () => {
    expect(thread).not.toBeNull();
    const t = thread as AnalysisThread;
    const inputs = [...farmInputs(600), ...seedInputs()];
    const now = new Date(Date.UTC(2026, 11, 2));
    const local = defaultAnalyzer();
    const here = inputs.map((i) => local.analyze(i, now));
    // Sent as several batches at once, as the analyse jobs of a worker do.
    const batches: AnalysisInput[][] = [];
    for (let k = 0; k < inputs.length; k += 50) batches.push(inputs.slice(k, k + 50));
    const there = (await Promise.all(batches.map((b) => t.analyzeMany(b, now)))).flat();
    expect(there.length).toBe(here.length);
    expect(there).toEqual(here);
    // The sample is worth comparing: it holds Central Asia articles with framings and speakers.
    expect(here.filter((r) => r.countries.length > 0).length).toBeGreaterThan(20);
    expect(here.some((r) => r.framings.some((f) => f.evidence.some((e) => e.attributedTo !== null)))).toBe(true);
  });

  it('refuses work once closed', { timeout: 30_000 }, async () => {
    const t = startAnalysisThread();
    expect(t).not.toBeNull();
    const pending = expect(t!.analyzeMany(farmInputs(5), new Date())).rejects.toThrow(/closed/);
    await t!.close();
    await pending;
    await expect(t!.analyzeMany(farmInputs(1), new Date())).rejects.toThrow(/closed/);
  });
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** Farm items as handed-over articles (Central Asia ones among them), oldest first. */
function farmArticles(n: number, now: number): Article[] {
  return farmInputs(n).map((i, k) => ({
    id: `farm-${k}`,
    feedId: 'farm',
    outletId: `outlet-${k % 5}`,
    outlet: i.outlet ?? 'Farm',
    affiliation: 'independent' as const,
    url: i.url ?? null,
    title: i.title ?? '',
    text: i.text ?? '',
    published: new Date(now - (n - k) * 60_000).toISOString(),
    publishedEstimated: false,
    firstSeen: new Date(now).toISOString(),
    ...(i.language ? { languageHint: i.language } : {}),
  }));
}

async function runBatch(articles: Article[], thread: AnalysisThread | null): Promise<{ stored: unknown[]; queued: string[]; calls: number }> {
  const c: Container = await testContainer();
  cleanups.push(() => c.close());
  await c.stores.subscriptions.add({ id: 's', destination: 'console', countries: [], tags: [], outlets: [], affiliations: [], keywords: [], minRelevance: null, mode: 'alerts', isDefault: true, createdAt: new Date().toISOString(), createdBy: 'test', paused: null });
  const queued: { payload: DeliverPayload; id: string }[] = [];
  let calls = 0;
  const now = new Date();
  const d = analyseDepsOn(c, {
    ...(thread ? { analyzeMany: (inputs, at) => (calls++, thread.analyzeMany(inputs, at)) } : {}),
    enqueueDeliver: async (jobs) => void queued.push(...jobs),
    clock: () => now,
  });

  const items: AnalysePayload[] = articles.map((a) => ({ articleId: a.id, alert: true, article: a }));
  await analyseBatch(d, items);
  const stored = (await c.stores.articles.getMany(articles.map((a) => a.id))).map((a) => {
    const { storyId: _s, ...rest } = a as Article & { storyId?: string };
    return rest;
  });
  return { stored, queued: queued.map((q) => `${q.payload.destination} ${q.payload.articleId} ${q.payload.kind}`), calls };
}

describe('the analyse job with the analysis thread', () => {
  const thread = startAnalysisThread();
  afterAll(async () => thread?.close());

  it('sends a batch of THREAD_MIN_BATCH or more in one call, keeps a smaller one here, and stores and plans what the job without it does', { timeout: 120_000 }, async () => {
    const articles = farmArticles(60, Date.now()).filter((_, k) => k % 3 === 0 || k < 12);
    expect(articles.length).toBeGreaterThanOrEqual(THREAD_MIN_BATCH);
    const without = await runBatch(articles, null);
    const withThread = await runBatch(articles, thread);
    expect(withThread.calls).toBe(1);
    expect(withThread.stored).toEqual(without.stored);
    expect(withThread.queued).toEqual(without.queued);
    expect(without.queued.length).toBeGreaterThan(0);
    const small = await runBatch(articles.slice(0, THREAD_MIN_BATCH - 1), thread);
    expect(small.calls).toBe(0);
  });
});
