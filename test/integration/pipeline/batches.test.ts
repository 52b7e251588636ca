// Analyse batches on real Redis and BullMQ: a poll's new items travel in one analyse job; a batch
// that dies midway (story store failing after some assignments) and is run again, or a batch run
// twice, analyses and stores each article once, keeps each in one story, plans the story's first
// publisher as its alert and queues each delivery once. The worker's handoff puts the articles in
// the store and queues their ids.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultAnalyzer } from '../../../src/adapters/analysis-data.js';
import { silentLogger } from '../../../src/adapters/log.js';
import type { Analyzer } from '../../../src/core/analyse.js';
import type { AnalysedArticle, Article } from '../../../src/core/types.js';
import type { Container } from '../../../src/main/container.js';
import { analyseBatch, type AnalyseDeps } from '../../../jobs/analyse.js';
import { createPollProcessor } from '../../../jobs/poll.js';
import { MAX_ANALYSE_BATCH, analyseJobPayload, type AnalysePayload, type DeliverPayload } from '../../../src/ports/queue-payloads.js';
import type { StoryStore } from '../../../src/ports/stores.js';
import type { FeedFetcher } from '../../../src/ports/feed-fetcher.js';
import { testContainer } from '../../helpers/pipeline.js';
import { handOverToAnalysis } from '../../../src/main/workers.js';
import { sampleArticles } from '../../helpers/sample-articles.js';
import { analyseDepsOn } from '../../helpers/analyse-deps.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

function deps(c: Container, o: { analyzer: Analyzer; stories?: StoryStore; queued: { payload: DeliverPayload; id: string }[] }): AnalyseDeps {
  return analyseDepsOn(c, {
    analyzer: o.analyzer,
    stories: o.stories ?? c.stores.stories,
    enqueueDeliver: async (jobs) => {
      o.queued.push(...jobs);
    },
  });
}

/** The real analyser, counting the articles it analyses. */
function countingAnalyzer() {
  const real = defaultAnalyzer();
  const counts = new Map<string, number>();
  const analyzer: Analyzer = {
    ...real,
    analyze(input, now) {
      counts.set(input.id, (counts.get(input.id) ?? 0) + 1);
      return real.analyze(input, now);
    },
  };
  return { analyzer, counts };
}

async function setup() {
  const c = await testContainer();
  cleanups.push(() => c.close());
  await c.stores.subscriptions.add({ id: 'sub-1', destination: 'console', countries: ['KZ'], tags: [], outlets: [], affiliations: [], keywords: [], minRelevance: null, mode: 'alerts', isDefault: false, createdAt: new Date().toISOString(), createdBy: 'test', paused: null });
  return c;
}

describe('analyse batches', () => {
  it('a batch that dies during story assignment commits none of it; run again (and repeated) it analyses and stores each article once, in one story, first publisher as the alert', async () => {
    const c = await setup();
    const articles = sampleArticles(Date.now());
    const items: AnalysePayload[] = articles.map((a) => ({ articleId: a.id, alert: true, fetchedAt: Date.now(), article: a }));
    const queued: { payload: DeliverPayload; id: string }[] = [];
    // The first run: the batch's story assignment (one assignMany, committed all or nothing) fails,
    // as a worker dying there would.
    const dying: StoryStore = {
      ...c.stores.stories,
      assignMany: async () => {
        throw new Error('worker died mid-batch');
      },
    };
    const first = countingAnalyzer();
    await expect(analyseBatch(deps(c, { analyzer: first.analyzer, stories: dying, queued }), items)).rejects.toThrow('worker died');
    expect(queued).toHaveLength(0);
    // The retry, then a repeat of the whole batch (as a re-queued duplicate would be).
    const retry = countingAnalyzer();
    const r1 = await analyseBatch(deps(c, { analyzer: retry.analyzer, queued }), items);
    const r2 = await analyseBatch(deps(c, { analyzer: retry.analyzer, queued }), items);
    // The dying run committed no story, so it stored neither article; the retry analysed each once.
    expect([...retry.counts.keys()]).toEqual([articles[0]!.id, articles[1]!.id]);
    expect([...retry.counts.values()]).toEqual([1, 1]);
    expect(r1.skipped).toBe(0);
    expect(r2.skipped).toBe(2);
    const stored = await c.stores.articles.getMany(articles.map((a) => a.id));
    const storyIds = stored.map((a) => (a as { storyId?: string }).storyId);
    expect(storyIds[0]).toBeTruthy();
    expect(storyIds[1]).toBe(storyIds[0]);
    const story = await c.stores.stories.get(storyIds[0]!);
    expect(story?.outlets.map((o) => o.outletId)).toEqual(['global-times', 'rt']);
    // Planned once each, in publication order; the repeat queues the same job ids again (a no-op in BullMQ).
    expect(r1.articles.map((a) => (a.status === 'routed' ? a.deliveries.map((x) => x.kind) : a.status))).toEqual([['alert'], ['followup']]);
    expect(new Set(queued.map((q) => q.id)).size).toBe(2);
    expect(queued.map((q) => q.payload.kind)).toEqual(['alert', 'followup', 'alert', 'followup']);
  }, 60_000);

  it('a poll hands its new items to one analyse job, or several of at most MAX_ANALYSE_BATCH sharing a batch key', async () => {
    const c = await setup();
    const feed = { id: 'many-en', url: 'http://feeds.test/many.xml', outlet: 'Many', outletId: 'many', language: ['en'], affiliation: 'independent' as const, source: 'file' as const };
    await c.stores.feeds.upsert(feed);
    let n = 3;
    const fetcher: FeedFetcher = {
      async fetch() {
        const now = Date.now();
        const items = Array.from({ length: n }, (_, i) => ({
          key: `guid:item-${n}-${i}`,
          altKeys: [],
          url: `http://feeds.test/many/${n}/${i}`,
          title: `Item ${i} of ${n}`,
          text: `Football results, round ${i}.`,
          published: new Date(now - (n - i) * 1000).toISOString(),
          publishedEstimated: false,
        }));
        return { kind: 'ok', items, fetchedAt: now, validators: {} } as never;
      },
    };
    const jobs: { payload: unknown; id: string }[][] = [];
    const poll = createPollProcessor({
      feeds: c.stores.feeds,
      seen: c.stores.seen,
      batches: c.stores.batches,
      fetcher,
      scheduler: c.scheduler,
      enqueueAnalyse: async (js) => {
        jobs.push(js);
      },
      notifyPaused: async () => undefined,
      config: { alertMaxAgeHours: 48, retentionDays: 90, pollMinSeconds: 60, pollMaxSeconds: 1800 },
      log: silentLogger(),
      clock: () => new Date(),
    });
    await poll({ data: { feedId: feed.id, reason: 'manual' } } as never);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toHaveLength(1);
    const one = analyseJobPayload.parse(jobs[0]![0]!.payload);
    expect(one.items).toHaveLength(3);
    expect(one.items.every((i) => i.batchKey === undefined)).toBe(true);

    n = MAX_ANALYSE_BATCH * 2 + 1;
    await poll({ data: { feedId: feed.id, reason: 'manual' } } as never);
    const many = jobs[1]!.map((j) => analyseJobPayload.parse(j.payload));
    expect(many.map((m) => m.items.length)).toEqual([MAX_ANALYSE_BATCH, MAX_ANALYSE_BATCH, 1]);
    const keys = new Set(many.flatMap((m) => m.items.map((i) => i.batchKey)));
    expect(keys.size).toBe(1);
    const key = [...keys][0]!;
    expect(await c.stores.batches.pending(key)).toBe(n);
    // Each job's run marks its own articles done.
    const queued: { payload: DeliverPayload; id: string }[] = [];
    await analyseBatch(deps(c, { analyzer: defaultAnalyzer(), queued }), many[0]!.items);
    expect(await c.stores.batches.pending(key)).toBe(n - MAX_ANALYSE_BATCH);
    expect(new Set(jobs[1]!.map((j) => j.id)).size).toBe(3);
  }, 60_000);

  it('the handoff stores the articles and queues their ids; analysis reads them from the store; a re-queued item keeps its analysed copy', async () => {
    const c = await setup();
    const articles = sampleArticles(Date.now());
    const items: AnalysePayload[] = articles.map((a) => ({ articleId: a.id, alert: true, fetchedAt: Date.now(), article: a }));
    await handOverToAnalysis(c, [{ payload: { items }, id: 'an-handoff-1' }]);
    const job = await c.queues.analyse.getJob('an-handoff-1');
    const data = analyseJobPayload.parse(job!.data);
    expect(data.items.map((i) => [i.articleId, i.alert, 'article' in i])).toEqual(articles.map((a) => [a.id, true, false]));
    expect(await c.stores.articles.getMany(articles.map((a) => a.id))).toEqual(articles);
    const queued: { payload: DeliverPayload; id: string }[] = [];
    const r = await analyseBatch(deps(c, { analyzer: defaultAnalyzer(), queued }), data.items);
    expect(r.articles.map((a) => (a.status === 'routed' ? a.deliveries.map((x) => x.kind) : a.status))).toEqual([['alert'], ['followup']]);
    // Handed over again (a poll re-queueing what an interrupted run had queued): the analysed copy stays.
    await handOverToAnalysis(c, [{ payload: { items }, id: 'an-handoff-2' }]);
    const again = await c.stores.articles.getMany(articles.map((a) => a.id));
    expect(again.every((a) => a !== null && 'analysis' in a)).toBe(true);
    const counted = countingAnalyzer();
    expect((await analyseBatch(deps(c, { analyzer: counted.analyzer, queued }), data.items)).skipped).toBe(2);
    expect(counted.counts.size).toBe(0);
    // One job is queued with add, several with addBulk: either way an id already queued is a no-op.
    await handOverToAnalysis(c, [{ payload: { items }, id: 'an-handoff-1' }]);
    await handOverToAnalysis(c, [
      { payload: { items: items.slice(0, 1) }, id: 'an-handoff-2' },
      { payload: { items: items.slice(1) }, id: 'an-handoff-3' },
    ]);
    expect((await c.queues.analyse.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed'])).map((j) => j.id).sort()).toEqual(['an-handoff-1', 'an-handoff-2', 'an-handoff-3']);
    expect(analyseJobPayload.parse((await c.queues.analyse.getJob('an-handoff-2'))!.data).items).toHaveLength(2);
  }, 60_000);

  it('handed over, a batch whose worker dies mid-batch (after some analyses are stored, or half-way through storing them) loses none: the retry analyses each article once more at most, and reads give whole records', async () => {
    const c = await setup();
    const now = Date.now();
    const ca = sampleArticles(now);
    const other = (k: number): Article => ({ ...ca[0]!, id: `other-${k}`, url: `http://feeds.test/other/${k}`, title: `Football: round ${k} results`, text: `The home side won ${k} to nil on Saturday. Fans celebrated in the rain.` });
    const articles = [other(1), ca[0]!, other(2), ca[1]!, other(3)];
    const items: AnalysePayload[] = articles.map((a) => ({ articleId: a.id, alert: true, fetchedAt: now, article: a }));
    await handOverToAnalysis(c, [{ payload: { items }, id: 'an-death-1' }]);
    const data = analyseJobPayload.parse((await c.queues.analyse.getJob('an-death-1'))!.data);
    const queued: { payload: DeliverPayload; id: string }[] = [];
    // Death 1: during story assignment. What needs no story is stored (its analysis beside the raw copy).
    const dying: StoryStore = {
      ...c.stores.stories,
      assignMany: async () => {
        throw new Error('worker died in assignment');
      },
    };
    const first = countingAnalyzer();
    await expect(analyseBatch(deps(c, { analyzer: first.analyzer, stories: dying, queued }), data.items)).rejects.toThrow('worker died');
    expect(first.counts.size).toBe(5);
    const afterFirst = await c.stores.articles.getMany(articles.map((a) => a.id));
    expect(afterFirst.map((a) => a !== null && 'analysis' in a)).toEqual([true, false, true, false, true]);
    // Death 2: the retry dies half-way through its analysed writes (one article's analysis reaches the store).
    const half = {
      ...c.stores.articles,
      putAnalysis: async (xs: Parameters<typeof c.stores.articles.putAnalysis>[0], ttl: number) => {
        await c.stores.articles.putAnalysis(xs.slice(0, 1), ttl);
        throw new Error('worker died while storing');
      },
    };
    const second = countingAnalyzer();
    await expect(analyseBatch({ ...deps(c, { analyzer: second.analyzer, queued }), articles: half }, data.items)).rejects.toThrow('worker died');
    expect([...second.counts.keys()]).toEqual([ca[0]!.id, ca[1]!.id]);
    expect(queued).toHaveLength(0);
    // The last retry: only the article whose analysis never reached the store is analysed again.
    const last = countingAnalyzer();
    const r = await analyseBatch(deps(c, { analyzer: last.analyzer, queued }), data.items);
    expect([...last.counts.keys()]).toEqual([ca[1]!.id]);
    expect(r.skipped).toBe(4);
    expect(r.articles.filter((a) => a.status === 'routed').map((a) => (a.status === 'routed' ? a.deliveries.map((x) => x.kind) : null))).toEqual([['alert'], ['followup']]);
    expect(queued.map((q) => q.payload.kind)).toEqual(['alert', 'followup']);
    // Whole records, field for field and in the order the analysed record had when written whole.
    const stored = await c.stores.articles.getMany(articles.map((a) => a.id));
    stored.forEach((s, i) => {
      const a = s as AnalysedArticle;
      expect(JSON.stringify(a)).toBe(JSON.stringify({ ...articles[i]!, analysis: a.analysis, storyId: a.storyId, cites: a.cites }));
      expect(a.analysis.id).toBe(articles[i]!.id);
    });
    expect(stored.map((a) => (a as AnalysedArticle).storyId !== null)).toEqual([false, true, false, true, false]);
    expect(await c.stores.articles.get(ca[1]!.id)).toEqual(stored[3]);
    // A whole record written later (put) is what reads give; the raw copy alone stays raw after the analysis part expires.
    const rewritten = { ...(stored[0] as AnalysedArticle), cites: ['rt'] };
    await c.stores.articles.put(rewritten, 60);
    expect(await c.stores.articles.get(rewritten.id)).toEqual(rewritten);
    await c.redis.del(c.keys.articleAnalysis(ca[0]!.id));
    expect(await c.stores.articles.get(ca[0]!.id)).toEqual(ca[0]);
  }, 60_000);

  it('a host crash takes the raw records after the job read them (Redis losing its last second): the analysed articles are stored whole, so their deliveries find them', async () => {
    const c = await setup();
    const articles = sampleArticles(Date.now());
    const items: AnalysePayload[] = articles.map((a) => ({ articleId: a.id, alert: true, fetchedAt: Date.now(), article: a }));
    await handOverToAnalysis(c, [{ payload: { items }, id: 'an-crash-1' }]);
    const data = analyseJobPayload.parse((await c.queues.analyse.getJob('an-crash-1'))!.data);
    const queued: { payload: DeliverPayload; id: string }[] = [];
    // The worker read the batch; then Redis came back without the handoff's records (chaos seed 1868657896).
    const crashed = {
      ...c.stores.articles,
      getMany: async (ids: string[]) => {
        const got = await c.stores.articles.getMany(ids);
        await c.redis.del(...ids.map((id) => c.keys.article(id)));
        return got;
      },
    };
    const r = await analyseBatch({ ...deps(c, { analyzer: defaultAnalyzer(), queued }), articles: crashed }, data.items);
    expect(r.articles.map((a) => a.status)).toEqual(['routed', 'routed']);
    expect(queued.map((q) => q.payload.kind)).toEqual(['alert', 'followup']);
    const stored = await c.stores.articles.getMany(articles.map((a) => a.id));
    stored.forEach((s, i) => {
      const a = s as AnalysedArticle;
      expect(a?.analysis.id).toBe(articles[i]!.id);
      expect(JSON.stringify(a)).toBe(JSON.stringify({ ...articles[i]!, analysis: a.analysis, storyId: a.storyId, cites: a.cites }));
    });
  }, 60_000);

  it('an analyse job of an earlier version (one article) is still processed', () => {
    const p = analyseJobPayload.parse({ articleId: 'a-1', alert: false });
    expect(p.items).toEqual([{ articleId: 'a-1', alert: false }]);
  });
});
