// A host crash (Redis losing its last second of writes, appendfsync everysec) that takes an analyse
// job's story commit, its story records, story-of entries and index entries, while the job goes
// on after the restart: it stores the analysis (pointing at the lost story) and plans and queues
// the deliveries. Before the fix the deliver jobs found no story, waited GONE_WAIT_MS and gave up
// (alerts lost); a re-poll (the seen claims lost too) skipped the articles as analysed. Now an
// analyse job that meets an analysed article whose story is gone assigns it a story again, and the
// deliver jobs ask for that (REANALYSE_AFTER_MS) when no re-poll comes. Real Redis, BullMQ,
// analysis, stories and workers; the lost writes put back by hand (test/helpers/lost-writes.ts).
import { afterEach, describe, expect, it } from 'vitest';
import type { Container } from '../../../src/main/container.js';
import type { Article } from '../../../src/core/types.js';
import { analyseBatch } from '../../../jobs/analyse.js';
import { REANALYSE_AFTER_MS } from '../../../jobs/deliver.js';
import type { AnalysePayload } from '../../../src/ports/queue-payloads.js';
import { handOverToAnalysis } from '../../../src/main/workers.js';
import { containerOn, runCleanups, takeOver, until, type Cleanups } from '../../helpers/crash.js';
import { markLostFrom } from '../../helpers/lost-writes.js';
import { recordingNotifier } from '../../helpers/pipeline.js';
import { uniquePrefix } from '../../helpers/redis.js';
import { sampleArticles } from '../../helpers/sample-articles.js';
import { analyseDepsOn } from '../../helpers/analyse-deps.js';

const cleanups: Cleanups = [];
afterEach(() => runCleanups(cleanups));

async function setup() {
  const prefix = uniquePrefix('story-lost');
  const c = await containerOn(cleanups, prefix);
  await c.stores.subscriptions.add({ id: 'sub-1', destination: 'console', countries: ['KZ'], tags: [], outlets: [], affiliations: [], keywords: [], minRelevance: null, mode: 'alerts', isDefault: false, createdAt: new Date().toISOString(), createdBy: 'test', paused: null });
  return { c, prefix };
}

/** The handoff, then the analyse job: the crash lands right after its story commit, the rest of its run comes after the restart. */
async function crashedRun(c: Container, prefix: string, articles: Article[]): Promise<string[]> {
  await c.stores.articles.putNew(articles, 86_400);
  const stories = c.stores.stories;
  const deps = analyseDepsOn(c, {
    stories: {
      ...stories,
      assignMany: async (items, now) => {
        const crash = await markLostFrom(c.redis, prefix);
        const r = await stories.assignMany(items, now);
        await crash.lose();
        return r;
      },
    },
  });
  const r = await analyseBatch(deps, articles.map((a): AnalysePayload => ({ articleId: a.id, alert: true, fetchedAt: Date.now() })));
  expect(r.articles.map((a) => a.status)).toEqual(articles.map(() => 'routed'));
  // Analysed, in a story that no longer exists.
  const stored = await c.stores.articles.getMany(articles.map((a) => a.id));
  const storyId = (stored[0] as { storyId: string }).storyId;
  expect(stored.map((a) => (a as { storyId?: string }).storyId)).toEqual(articles.map(() => storyId));
  expect(await c.stores.stories.get(storyId)).toBeNull();
  const ids = (await c.queues.deliver.getJobs(['wait'])).map((j) => j.id!);
  expect(ids).toHaveLength(articles.length);
  return ids;
}

async function postedOnceEach(c: Container, rec: ReturnType<typeof recordingNotifier>, gt: Article, rt: Article, ids: string[], timeoutMs: number) {
  await until('both posted', () => rec.posts.length >= 2, timeoutMs);
  await new Promise((r) => setTimeout(r, 2_500)); // room for a duplicate to show
  expect(rec.posts.map((p) => [p.alert.articleId, p.alert.kind])).toEqual([
    [gt.id, 'alert'],
    [rt.id, 'followup'],
  ]);
  expect(rec.posts[0]!.thread).toBeNull();
  expect(rec.posts[1]!.thread?.messageId).toBe('1');
  // Both articles in one story that exists again, their analyses pointing at it.
  const stored = (await c.stores.articles.getMany([gt.id, rt.id])) as { storyId: string }[];
  expect(stored[1]!.storyId).toBe(stored[0]!.storyId);
  expect((await c.stores.stories.get(stored[0]!.storyId))?.articleIds.sort()).toEqual([gt.id, rt.id].sort());
  // The first jobs did it (a re-analysis's are no-ops on their ids).
  const jobs = await Promise.all(ids.map((id) => c.queues.deliver.getJob(id)));
  expect(jobs.map((j) => (j?.returnvalue as { status?: string } | undefined)?.status)).toEqual(['posted', 'posted']);
}

/** The crashed run of the story pair, then workers (the console recorded) taking over. */
async function crashedThenWorkers() {
  const { c, prefix } = await setup();
  const [gt, rt] = sampleArticles(Date.now());
  const ids = await crashedRun(c, prefix, [gt!, rt!]);
  const rec = recordingNotifier();
  await takeOver(cleanups, c, { console: rec.notifier });
  return { c, gt: gt!, rt: rt!, ids, rec };
}

describe('an analyse job whose story commit a host crash lost, its analysis and deliveries kept', () => {
  it('the items polled again (their seen claims lost too) get their story again: the alert, then its follow-up in its thread', async () => {
    const { c, gt, rt, ids, rec } = await crashedThenWorkers();
    await until('the deliver jobs waiting', async () => (await c.queues.deliver.getJobCounts('delayed')).delayed === 2);
    expect(rec.posts).toHaveLength(0);

    const items: AnalysePayload[] = [gt, rt].map((a) => ({ articleId: a.id, alert: true, fetchedAt: Date.now(), article: a }));
    await handOverToAnalysis(c, [{ payload: { items }, id: `an-repoll-${Date.now()}` }]);
    // Well within REANALYSE_AFTER_MS: the re-poll's analysis did it, not the deliver jobs' request.
    await postedOnceEach(c, rec, gt, rt, ids, REANALYSE_AFTER_MS - 1_000);
    expect((await c.queues.analyse.getJobs(['completed', 'wait', 'delayed', 'active'])).map((j) => j.id)).toEqual([expect.stringMatching(/^an-repoll-/)]);
  }, 90_000);

  it('no re-poll (the seen claims kept): the deliver jobs ask for the story again and post once each', async () => {
    const { c, gt, rt, ids, rec } = await crashedThenWorkers();
    await postedOnceEach(c, rec, gt, rt, ids, REANALYSE_AFTER_MS + 30_000);
    const again = (await c.queues.analyse.getJobs(['completed'])).map((j) => j.id!);
    expect(again.length).toBeGreaterThan(0);
    expect(again.every((id) => id.startsWith('an--again--'))).toBe(true);
  }, 90_000);
});
