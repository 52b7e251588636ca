// A host crash (Redis losing its last second of writes, appendfsync everysec) that lands after an
// analyse job stored its batch and before it queued the deliveries: the handoff (raw articles),
// the story assignment and the analysis are lost; the worker goes on after the restart and queues
// deliver jobs for articles no longer stored. The items are then polled again (their seen markers
// lost too) and analysed again, which queues the same deliver job ids. The deliveries must go out
// exactly once: before jobs/deliver.ts GONE_WAIT_MS, the first jobs completed as `gone` and held
// the ids, so the re-analysis queued nothing and the alerts were lost (the window the chaos README
// left open after seed 1868657896). And when the crash took only the analysis (the handoff kept)
// and the analyse job completed after the restart, nothing analyses the item again: the deliver
// jobs, finding it stored raw, queue its analysis again (REANALYSE_AFTER_MS).
// Real Redis, BullMQ, analysis, stories and workers; what the crash loses is deleted (the
// articles) or was written under a prefix dropped with it (the stories).
import { afterEach, describe, expect, it } from 'vitest';
import type { Container } from '../../../src/main/container.js';
import type { Article } from '../../../src/core/types.js';
import { analyseBatch } from '../../../jobs/analyse.js';
import { GONE_WAIT_MS, REANALYSE_AFTER_MS } from '../../../jobs/deliver.js';
import type { AnalysePayload } from '../../../src/ports/queue-payloads.js';
import type { ArticleStore } from '../../../src/ports/stores.js';
import { handOverToAnalysis, queueJobs } from '../../../src/main/workers.js';
import { containerOn, runCleanups, takeOver, until, type Cleanups } from '../../helpers/crash.js';
import { recordingNotifier } from '../../helpers/pipeline.js';
import { uniquePrefix } from '../../helpers/redis.js';
import { sampleArticles } from '../../helpers/sample-articles.js';
import { analyseDepsOn } from '../../helpers/analyse-deps.js';

const cleanups: Cleanups = [];
afterEach(() => runCleanups(cleanups));

const TTL = 86_400;

async function setup() {
  const c = await containerOn(cleanups, uniquePrefix('gone'));
  // Where the crashed run's story assignment went: a prefix nobody reads again (the crash lost it).
  const lost = await containerOn(cleanups, uniquePrefix('gone-lost'));
  await c.stores.subscriptions.add({ id: 'sub-1', destination: 'console', countries: ['KZ'], tags: [], outlets: [], affiliations: [], keywords: [], minRelevance: null, mode: 'alerts', isDefault: false, createdAt: new Date().toISOString(), createdBy: 'test', paused: null });
  return { c, lost };
}

/** The article store as the crashed run saw it: its writes acknowledged, then lost with the handoff's. */
function losingWrites(c: Container): ArticleStore {
  const lose = async (ids: string[]) => {
    if (ids.length) await c.redis.del(...ids.flatMap((id) => [c.keys.article(id), c.keys.articleAnalysis(id)]));
  };
  return {
    ...c.stores.articles,
    putAnalysis: async (as, ttl) => {
      await c.stores.articles.putAnalysis(as, ttl);
      await lose(as.map((a) => a.id));
    },
    putMany: async (as, ttl) => {
      await c.stores.articles.putMany(as, ttl);
      await lose(as.map((a) => a.id));
    },
  };
}

/** The handoff and the analyse job's run up to the crash, then the rest of its run after the restart: its deliveries planned and queued. */
async function crashedRun(c: Container, lost: Container, articles: Article[]): Promise<string[]> {
  await c.stores.articles.putNew(articles, TTL);
  const items: AnalysePayload[] = articles.map((a) => ({ articleId: a.id, alert: true, fetchedAt: Date.now() }));
  const deps = analyseDepsOn(c, { articles: losingWrites(c), stories: lost.stores.stories });
  const r = await analyseBatch(deps, items);
  expect(r.articles.map((a) => a.status)).toEqual(articles.map(() => 'routed'));
  expect(await c.stores.articles.getMany(articles.map((a) => a.id))).toEqual(articles.map(() => null));
  const ids = (await c.queues.deliver.getJobs(['wait'])).map((j) => j.id!);
  expect(ids).toHaveLength(articles.length);
  return ids;
}

/** Every job of `ids` has been run once (found nothing to post) and left the wait list. */
async function ranOnce(c: Container, ids: string[]) {
  return until(
    'the deliver jobs ran',
    async () => {
      const states = await Promise.all(ids.map((id) => c.queues.deliver.getJobState(id)));
      return states.every((s) => s === 'completed' || s === 'delayed') ? states : null;
    },
    30_000,
  );
}

/** The items polled again: the poll's handoff (the real worker analyses them). */
async function repoll(c: Container, articles: Article[]) {
  const items: AnalysePayload[] = articles.map((a) => ({ articleId: a.id, alert: true, fetchedAt: Date.now(), article: a }));
  await handOverToAnalysis(c, [{ payload: { items }, id: `an-repoll-${Date.now()}` }]);
}

describe('deliver jobs queued for articles a host crash lost', () => {
  it('the items polled again are posted once each: the story’s alert, then its follow-up in its thread', async () => {
    const { c, lost } = await setup();
    const [gt, rt] = sampleArticles(Date.now());
    const ids = await crashedRun(c, lost, [gt!, rt!]);
    const rec = recordingNotifier();
    await takeOver(cleanups, c, { console: rec.notifier });
    await ranOnce(c, ids);
    expect(rec.posts).toHaveLength(0);

    await repoll(c, [gt!, rt!]);
    await until('both posted', () => rec.posts.length >= 2, 30_000);
    await new Promise((r) => setTimeout(r, 2_500)); // room for a duplicate to show
    expect(rec.posts.map((p) => [p.alert.articleId, p.alert.kind])).toEqual([
      [gt!.id, 'alert'],
      [rt!.id, 'followup'],
    ]);
    expect(rec.posts[0]!.thread).toBeNull();
    expect(rec.posts[1]!.thread?.messageId).toBe('1');
    // The first jobs did it (the re-analysis's were no-ops on their ids).
    const jobs = await Promise.all(ids.map((id) => c.queues.deliver.getJob(id)));
    expect(jobs.map((j) => (j?.returnvalue as { status?: string } | undefined)?.status)).toEqual(['posted', 'posted']);
    expect(await c.queues.deliver.getJobCounts('wait', 'delayed', 'active', 'completed')).toEqual({ wait: 0, delayed: 0, active: 0, completed: 2 });
  }, 90_000);

  it('an article analysed again into another story follows its new analysis: the crash lost RT’s story of its own, and with Global Times it joins that one’s', async () => {
    const { c, lost } = await setup();
    const [gt, rt] = sampleArticles(Date.now());
    // RT's item alone was lost after its analysis (its own story, alerting); then both items come.
    const [rtJob] = await crashedRun(c, lost, [rt!]);
    const rec = recordingNotifier();
    await takeOver(cleanups, c, { console: rec.notifier });
    await ranOnce(c, [rtJob!]);

    await repoll(c, [gt!, rt!]);
    await until('both posted', () => rec.posts.length >= 2, 30_000);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(rec.posts.map((p) => [p.alert.articleId, p.alert.kind])).toEqual([
      [gt!.id, 'alert'],
      [rt!.id, 'followup'],
    ]);
    expect(rec.posts[1]!.thread?.messageId).toBe('1');
    const story = (await c.stores.articles.get(rt!.id)) as { storyId: string };
    expect(story.storyId).not.toBe((await c.queues.deliver.getJob(rtJob!))!.data.storyId);
  }, 90_000);

  it('the analysis alone lost (the handoff kept, its analyse job completed after the restart): the deliver jobs ask for it again and post once each', async () => {
    const { c } = await setup();
    const [gt, rt] = sampleArticles(Date.now());
    await c.stores.articles.putNew([gt!, rt!], TTL);
    const lose = async (ids: string[]) => {
      if (ids.length) await c.redis.del(...ids.map((id) => c.keys.articleAnalysis(id)));
    };
    const deps = analyseDepsOn(c, {
      articles: { ...c.stores.articles, putAnalysis: async (as, ttl) => (await c.stores.articles.putAnalysis(as, ttl), lose(as.map((a) => a.id))) },
    });
    await analyseBatch(deps, [gt!, rt!].map((a) => ({ articleId: a.id, alert: true, fetchedAt: Date.now() })));
    const stored = await c.stores.articles.getMany([gt!.id, rt!.id]);
    expect(stored.map((a) => a && 'analysis' in a)).toEqual([false, false]);
    const rec = recordingNotifier();
    await takeOver(cleanups, c, { console: rec.notifier });
    await until('both posted', () => rec.posts.length >= 2, REANALYSE_AFTER_MS + 30_000);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(rec.posts.map((p) => [p.alert.articleId, p.alert.kind])).toEqual([
      [gt!.id, 'alert'],
      [rt!.id, 'followup'],
    ]);
    expect(rec.posts[1]!.thread?.messageId).toBe('1');
    // The analysis asked for again: once for both (the same period), or once each.
    const again = (await c.queues.analyse.getJobs(['completed'])).map((j) => j.id!);
    expect(again.length).toBeGreaterThan(0);
    expect(again.every((id) => id.startsWith('an--again--'))).toBe(true);
  }, 90_000);

  it('a young article not stored is waited for (the job delayed, not completed); an old one completes as gone, counted', async () => {
    const { c } = await setup();
    const rec = recordingNotifier();
    const now = Date.now();
    const job = (id: string, fetchedAt: number) => ({ id, data: { destination: 'console', articleId: `never-${id}`, storyId: `story-${id}`, kind: 'alert', fetchedAt } });
    await queueJobs(c.queues.deliver, 'deliver', [job('young', now), job('old', now - GONE_WAIT_MS - 60_000)]);
    await takeOver(cleanups, c, { console: rec.notifier });
    const states = await ranOnce(c, ['young', 'old']);
    expect(states).toEqual(['delayed', 'completed']);
    expect((await c.queues.deliver.getJob('old'))!.returnvalue).toEqual({ status: 'gone' });
    expect(await c.metrics.registry.getSingleMetricAsString('steppewatch_deliveries_gone_total')).toMatch(/platform="console"} 1$/m);
    expect(rec.posts).toHaveLength(0);
  }, 60_000);
});
