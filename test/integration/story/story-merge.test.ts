// Merging stories in Redis under concurrency (adapters/redis/story-merge.ts): two merges of one
// pair at once make one merge; an assign racing a merge ends in the survivor; nothing is lost.
import { afterAll, describe, expect, it } from 'vitest';
import { defaultAnalyzer, storyBackground, storyNames } from '../../../src/adapters/analysis-data.js';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { createStoryAssigner } from '../../../src/adapters/redis/story-assign.js';
import { createStoryMerger } from '../../../src/adapters/redis/story-merge.js';
import { createRedisStoryStore } from '../../../src/adapters/redis/story-store.js';
import type { AnalysisResult, Article } from '../../../src/core/types.js';
import { MERGE_STREAM } from '../../fixtures/story/merge-stream.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = testRedis();
afterAll(() => redis.quit());

const an = defaultAnalyzer();
const items: { article: Article; analysis: AnalysisResult }[] = MERGE_STREAM.map((m) => ({
  analysis: an.analyze({ id: m.id, title: m.title, text: m.text, outlet: m.outlet, published: m.published }, new Date(m.published)),
  article: { id: m.id, feedId: `${m.outletId}-en`, outletId: m.outletId, outlet: m.outlet, affiliation: 'unknown', url: `https://example.org/${m.id}`, title: m.title, text: m.text, published: m.published, publishedEstimated: false, firstSeen: m.published },
}));
const at = (i: number) => new Date(items[i]!.article.published);

function setup() {
  const keys = makeKeys(uniquePrefix('merge'));
  const deps = { redis, keys, windowHours: 72, retentionMs: 90 * 86_400_000, lockWaitMs: 10_000 };
  // the assigner alone does not merge: the merges are made by hand below
  const assigner = createStoryAssigner({ ...deps, known: [], background: storyBackground, names: storyNames });
  const merger = createStoryMerger(deps);
  const store = createRedisStoryStore({ redis, keys });
  return { keys, assigner, merger, store };
}

describe('story merges in Redis', () => {
  it('two merges of one pair at once: one merge, one survivor, every article in it', async () => {
    const { assigner, merger, store } = setup();
    const [a] = await assigner.assignMany([items[0]!], at(0));
    const [b] = await assigner.assignMany([items[1]!], at(1));
    const [x] = await assigner.assignMany([items[2]!], at(2));
    expect(x!.alsoMatched).toEqual([b!.storyId]);
    const made = await Promise.all([merger.tryMerge(a!.storyId, b!.storyId, 'mg-x1', at(2)), merger.tryMerge(b!.storyId, a!.storyId, 'mg-x1', at(2)), merger.tryMerge(x!.storyId, b!.storyId, 'mg-x1', at(2))]);
    expect(made.filter((m) => m !== null)).toHaveLength(1);
    const s = await store.get(b!.storyId);
    expect(s?.id).toBe(a!.storyId);
    expect([...s!.articleIds].sort()).toEqual(['mg-a1', 'mg-b1', 'mg-x1']);
    for (const id of ['mg-a1', 'mg-b1', 'mg-x1']) expect(await store.storyOf(id)).toBe(a!.storyId);
    // asked again: nothing more
    expect(await merger.tryMerge(a!.storyId, b!.storyId, 'mg-x1', at(2))).toBeNull();
  });

  it('an assign racing the merge ends in the survivor, its article kept', async () => {
    const { assigner, merger, store } = setup();
    const [a] = await assigner.assignMany([items[0]!], at(0));
    const [b] = await assigner.assignMany([items[1]!], at(1));
    await assigner.assignMany([items[2]!], at(2));
    // b2 (the merged story's report) assigned while the merge runs, through the store (which merges after its commit too)
    const [merged, r] = await Promise.all([merger.tryMerge(a!.storyId, b!.storyId, 'mg-x1', at(2)), store.assign(items[3]!.article, items[3]!.analysis, at(3))]);
    // one merge, by whichever got there first (the racing assign merges after its commit too)
    expect([merged, ...(r.merges ?? [])].filter((m) => m !== null).map((m) => [m!.survivorId, m!.mergedId])).toEqual([[a!.storyId, b!.storyId]]);
    const s = await store.get(a!.storyId);
    expect([...s!.articleIds].sort()).toEqual(['mg-a1', 'mg-b1', 'mg-b2', 'mg-x1']);
    expect((await store.get(r.storyId))?.id).toBe(a!.storyId);
    expect(await store.storyOf('mg-b2')).toBe(a!.storyId);
    expect((await store.get(b!.storyId))?.id).toBe(a!.storyId);
  });
});
