// A poll whose own writes Redis lost while the worker went on (a host crash under appendfsync
// everysec loses the last second; the worker reconnects and finishes the poll on the restarted
// Redis). Found by the chaos suite (seed 1587748853): the poll claimed an item, stored it and
// queued its analyse job; the crash lost all three; the worker then saved the feed's new ETag
// after the restart, so every later poll got a 304 and the item was never analysed: its alert
// was lost on both platforms. Now the validators are kept only while the poll's claims and
// release survive, and the release only while its analyse jobs exist. Real Redis and BullMQ; the
// lost writes are deleted by hand at the point where the crash lost them.
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/adapters/log.js';
import type { Container } from '../../../src/main/container.js';
import { createPollProcessor, openPollGroup, pollFeed, type PollDeps } from '../../../jobs/poll.js';
import { analyseJobPayload, type AnalyseBatchPayload } from '../../../src/ports/queue-payloads.js';
import type { FeedFetcher } from '../../../src/ports/feed-fetcher.js';
import { handOverToAnalysis } from '../../../src/main/workers.js';
import { testContainer } from '../../helpers/pipeline.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

const FEED = { id: 'lost-en', url: 'http://feeds.test/lost.xml', outlet: 'Lost', outletId: 'lost', language: ['en'], affiliation: 'independent' as const, source: 'file' as const };

/** A feed of three items that answers 304 to its ETag; the ETags it was asked with. */
function feedWithEtag() {
  const asked: (string | null | undefined)[] = [];
  const now = Date.now();
  const items = Array.from({ length: 3 }, (_, i) => ({
    key: `guid:lost-${i}`,
    altKeys: [],
    url: `http://feeds.test/lost/${i}`,
    title: `Kazakhstan item ${i}`,
    text: `Astana news, item ${i}.`,
    published: new Date(now - (3 - i) * 60_000).toISOString(),
    publishedEstimated: false,
  }));
  const fetcher: FeedFetcher = {
    async fetch(r) {
      asked.push(r.etag);
      if (r.etag === '"v1"') return { kind: 'not-modified', validators: { etag: '"v1"' }, notBefore: null, fetchedAt: Date.now() } as never;
      return { kind: 'ok', items, fetchedAt: Date.now(), validators: { etag: '"v1"' } } as never;
    },
  };
  return { fetcher, asked };
}

async function setup(): Promise<Container> {
  const c = await testContainer();
  cleanups.push(() => c.close());
  await c.stores.feeds.upsert(FEED);
  return c;
}

function deps(c: Container, fetcher: FeedFetcher, enqueueAnalyse: PollDeps['enqueueAnalyse']): PollDeps {
  return {
    feeds: c.stores.feeds,
    seen: c.stores.seen,
    batches: c.stores.batches,
    fetcher,
    scheduler: c.scheduler,
    enqueueAnalyse,
    notifyPaused: async () => undefined,
    config: { alertMaxAgeHours: 48, retentionDays: 90, pollMinSeconds: 60, pollMaxSeconds: 1800 },
    log: silentLogger(),
    clock: () => new Date(),
  };
}

/** The article ids in the analyse queue's jobs. */
async function queuedIds(c: Container): Promise<string[]> {
  const jobs = await c.queues.analyse.getJobs(['waiting', 'delayed', 'active', 'prioritized']);
  return jobs.flatMap((j) => analyseJobPayload.parse(j.data).items.map((i) => i.articleId)).sort();
}

type Batch = { payload: AnalyseBatchPayload; id: string }[];
const handOver = (c: Container) => (batch: Batch) => handOverToAnalysis(c, batch);
/** The worker's handoff, then the crash: `lose` deletes what Redis lost (the analyse jobs always). */
const handOverThenLose = (c: Container, lose: (batch: Batch) => Promise<unknown> = async () => undefined) => async (batch: Batch) => {
  const witnesses = await handOverToAnalysis(c, batch);
  await lose(batch);
  await c.queues.analyse.obliterate({ force: true });
  return witnesses;
};

describe('a poll whose writes Redis lost while the worker went on', () => {
  it('claims, articles and job lost: the feed keeps no ETag (poll-due group), and the next poll fetches it whole and queues the items', async () => {
    const c = await setup();
    await c.queues.analyse.pause();
    const { fetcher, asked } = feedWithEtag();
    // The crash: everything the poll wrote so far is gone (claims and outbox, articles, the job).
    const crashing = handOverThenLose(c, async (batch) => {
      const lost = [...(await c.redis.keys(`${c.keys.seen('lost', '')}*`)), ...batch.flatMap((b) => b.payload.items.map((i) => c.keys.article(i.articleId)))];
      await c.redis.del(...lost);
    });
    const group = await openPollGroup({ feeds: c.stores.feeds }, [FEED.id]);
    const first = await pollFeed(deps(c, fetcher, crashing), { feedId: FEED.id, reason: 'schedule' }, group);
    expect(first).toMatchObject({ status: 'ok', queued: 3 });
    await group.commit();
    expect(await queuedIds(c)).toEqual([]);
    expect((await c.stores.feeds.getRuntime(FEED.id))?.etag ?? null).toBeNull();

    const again = await createPollProcessor(deps(c, fetcher, handOver(c)))({ data: { feedId: FEED.id, reason: 'manual' } } as never);
    expect(asked).toEqual([null, null]);
    expect(again).toMatchObject({ status: 'ok', queued: 3 });
    expect(await queuedIds(c)).toHaveLength(3);
    // Nothing lost this time: the ETag is kept, and the poll after it is a 304.
    expect((await c.stores.feeds.getRuntime(FEED.id))?.etag).toBe('"v1"');
    expect(await c.stores.seen.pending(['lost'])).toEqual([]);
  });

  it('only the analyse job lost: its items stay in the outbox, the feed keeps no ETag, and the next poll queues them again', async () => {
    const c = await setup();
    await c.queues.analyse.pause();
    const { fetcher, asked } = feedWithEtag();
    const jobLost = handOverThenLose(c);
    const poll = (enqueue: PollDeps['enqueueAnalyse']) => createPollProcessor(deps(c, fetcher, enqueue))({ data: { feedId: FEED.id, reason: 'manual' } } as never);
    expect(await poll(jobLost)).toMatchObject({ status: 'ok', queued: 3 });
    expect(await queuedIds(c)).toEqual([]);
    expect(await c.stores.seen.pending(['lost'])).toHaveLength(3);
    expect((await c.stores.feeds.getRuntime(FEED.id))?.etag ?? null).toBeNull();

    // Fetched whole: the items are claimed already (not new), and the outbox's are queued again.
    expect(await poll(handOver(c))).toMatchObject({ status: 'ok', queued: 0 });
    expect(asked).toEqual([null, null]);
    expect(await queuedIds(c)).toHaveLength(3);
    expect(await c.stores.seen.pending(['lost'])).toEqual([]);
    expect((await c.stores.feeds.getRuntime(FEED.id))?.etag).toBe('"v1"');
    expect(await poll(handOver(c))).toMatchObject({ status: 'not-modified' });
    expect(asked).toEqual([null, null, '"v1"']);
  });

  it('nothing lost: the release and the ETag are kept, as before', async () => {
    const c = await setup();
    await c.queues.analyse.pause();
    const { fetcher } = feedWithEtag();
    const group = await openPollGroup({ feeds: c.stores.feeds }, [FEED.id]);
    expect(await pollFeed(deps(c, fetcher, handOver(c)), { feedId: FEED.id, reason: 'schedule' }, group)).toMatchObject({ status: 'ok', queued: 3 });
    await group.commit();
    expect(await queuedIds(c)).toHaveLength(3);
    expect(await c.stores.seen.pending(['lost'])).toEqual([]);
    expect((await c.stores.feeds.getRuntime(FEED.id))?.etag).toBe('"v1"');
  });
});
