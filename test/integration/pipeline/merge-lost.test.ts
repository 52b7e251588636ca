// A story merge lost with Redis's last second of writes (a host crash, appendfsync everysec) after
// the merge script replied, while the analyse job goes on and tells the deliveries (tellMerges).
// Before, the job told the merge it had been answered: each destination's delivery state of the
// absorbed story moved to the survivor and a "merged with …" notice was queued, for two stories that
// the restarted Redis holds apart. Now only the merges the store holds as pending are told. Real
// Redis, story store and delivery store; the lost writes put back by hand (test/helpers/lost-writes.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { defaultAnalyzer } from '../../../src/adapters/analysis-data.js';
import { silentLogger } from '../../../src/adapters/log.js';
import type { Article } from '../../../src/core/types.js';
import { tellMerges } from '../../../jobs/merge-notice.js';
import type { DeliverPayload } from '../../../src/ports/queue-payloads.js';
import { MERGE_STREAM } from '../../fixtures/story/merge-stream.js';
import { containerOn, runCleanups, type Cleanups } from '../../helpers/crash.js';
import { markLostFrom } from '../../helpers/lost-writes.js';
import { uniquePrefix } from '../../helpers/redis.js';

const cleanups: Cleanups = [];
afterEach(() => runCleanups(cleanups));

describe('a story merge a host crash lost after the merge script replied', () => {
  it('is not told: no notice queued, each story keeps its own thread', async () => {
    const prefix = uniquePrefix('merge-lost');
    const c = await containerOn(cleanups, prefix);
    await c.stores.subscriptions.add({ id: 's-console', destination: 'console', countries: ['KZ'], tags: [], outlets: [], affiliations: [], keywords: [], minRelevance: null, mode: 'alerts', isDefault: false, createdAt: new Date().toISOString(), createdBy: 'test', paused: null });
    // The stream's reports, hours apart as written, ending an hour ago.
    const now = Date.now();
    const base = Date.parse(MERGE_STREAM[0]!.published);
    const input = (i: number) => {
      const m = MERGE_STREAM[i]!;
      const published = new Date(now - 4 * 3_600_000 + (Date.parse(m.published) - base)).toISOString();
      const article: Article = { id: m.id, feedId: 'desk-en', outletId: m.outletId, outlet: m.outlet, affiliation: 'unknown', url: `https://example.org/${m.id}`, title: m.title, text: m.text, published, publishedEstimated: false, firstSeen: published };
      return { article, analysis: defaultAnalyzer().analyze({ id: m.id, title: m.title, text: m.text, outlet: m.outlet, published, language: 'en' }, new Date()) };
    };
    const [a] = await c.stores.stories.assignMany([input(0)], new Date());
    const [b] = await c.stores.stories.assignMany([input(1)], new Date());
    expect(a!.storyId).not.toBe(b!.storyId);
    // Both stories' first messages posted here.
    const rootA = { channel: 'console', messageId: '1', threadId: '1' };
    const rootB = { channel: 'console', messageId: '2', threadId: '2' };
    await c.stores.deliveries.recordPost('console', MERGE_STREAM[0]!.id, a!.storyId, rootA, 'alert');
    await c.stores.deliveries.recordPost('console', MERGE_STREAM[1]!.id, b!.storyId, rootB, 'alert');

    // The bridging report: assigned and the stories merged, then the crash takes it all.
    const crash = await markLostFrom(c.redis, prefix);
    const [r] = await c.stores.stories.assignMany([input(2)], new Date());
    expect(r!.merges?.map((m) => [m.survivorId, m.mergedId])).toEqual([[a!.storyId, b!.storyId]]);
    await crash.lose();
    expect((await c.stores.stories.get(b!.storyId))?.id).toBe(b!.storyId);

    // The analyse job goes on after the restart and tells the merge it was answered.
    const queued: DeliverPayload[] = [];
    await tellMerges({ stories: c.stores.stories, subscriptions: c.stores.subscriptions, mutes: c.stores.mutes, deliveries: c.stores.deliveries, enqueueDeliver: async (jobs) => void queued.push(...jobs.map((j) => j.payload)), log: silentLogger() }, r!.merges!);
    expect(queued).toEqual([]);
    expect((await c.stores.deliveries.view('console', b!.storyId, MERGE_STREAM[1]!.id)).root).toEqual(rootB);
    expect((await c.stores.deliveries.view('console', a!.storyId, MERGE_STREAM[0]!.id)).root).toEqual(rootA);
  }, 30_000);
});
