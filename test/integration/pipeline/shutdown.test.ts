// Graceful shutdown with a job in flight: the job finishes within the timeout; past the
// timeout it is handed back and another worker delivers it — once.
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../../src/main/app.js';
import { jobId } from '../../../src/ports/queue-payloads.js';
import type { AnalysedArticle } from '../../../src/core/types.js';
import { recordingNotifier, testContainer } from '../../helpers/pipeline.js';
import type { Container } from '../../../src/main/container.js';

const now = new Date();

/** Stores one analysed article and its story so that a deliver job has something to post. */
async function seedArticle(c: Container): Promise<{ articleId: string; storyId: string }> {
  const article = {
    id: 'gt-1', feedId: 'gt', outletId: 'global-times', outlet: 'Global Times', affiliation: 'state:CN' as const,
    url: 'https://example.org/a', title: 'China warns of color revolution in Kazakhstan', text: 'China firmly opposes external forces instigating a color revolution in Kazakhstan, Wei Fenghe said.',
    published: now.toISOString(), publishedEstimated: false, firstSeen: now.toISOString(),
  };
  const analysis = { id: 'gt-1', language: 'en', countries: ['KZ' as const], relevance: 0.9, framings: [], summary: article.text, title: article.title, entities: [], regional: false };
  const { storyId } = await c.stores.stories.assign(article, analysis, now);
  const analysed: AnalysedArticle = { ...article, analysis, storyId, cites: [] };
  await c.stores.articles.put(analysed, 3600);
  return { articleId: article.id, storyId };
}

async function activeOnce(c: Container): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await c.queues.deliver.getActiveCount()) > 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the deliver job never became active');
}

describe('graceful shutdown', () => {
  const open: { app?: App; c?: Container }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.app?.stop(1000);
      await o.c?.close();
    }
  });

  it('lets an active job finish before closing', async () => {
    const c = await testContainer();
    const rec = recordingNotifier({ delayMs: 800 });
    const app = await startApp(c, { roles: ['worker'], notifiers: { console: rec.notifier }, noHttp: true });
    open.push({ c });
    const { articleId, storyId } = await seedArticle(c);
    await c.queues.deliver.add('deliver', { destination: 'console', articleId, storyId, kind: 'alert' }, { jobId: jobId('dlv', 'console', articleId) });
    await activeOnce(c);
    const t0 = Date.now();
    await app.stop(10_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(rec.posts).toHaveLength(1);
    expect(await c.stores.deliveries.posted('console', articleId)).not.toBeNull();
    expect(await c.queues.deliver.getCompletedCount()).toBe(1);
  });

  it('hands a job that outlives the timeout back, and another worker delivers it once', async () => {
    const c1 = await testContainer();
    const slow = recordingNotifier({ delayMs: 60_000 });
    const app1 = await startApp(c1, { roles: ['worker'], notifiers: { console: slow.notifier }, noHttp: true, lockDurationMs: 1000, stalledIntervalMs: 500 });
    const { articleId, storyId } = await seedArticle(c1);
    await c1.queues.deliver.add('deliver', { destination: 'console', articleId, storyId, kind: 'alert' }, { jobId: jobId('dlv', 'console', articleId) });
    await activeOnce(c1);
    const t0 = Date.now();
    await app1.stop(200);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(slow.posts).toHaveLength(0);

    // A second worker on the same Redis and prefix picks the job up once its lock lapses.
    const fast = recordingNotifier();
    const app2 = await startApp(c1, { roles: ['worker'], notifiers: { console: fast.notifier }, noHttp: true, lockDurationMs: 1000, stalledIntervalMs: 500 });
    open.push({ app: app2, c: c1 });
    for (let i = 0; i < 100 && fast.posts.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(fast.posts).toHaveLength(1);
    expect(fast.posts[0]!.alert.articleId).toBe(articleId);
  }, 30_000);
});
