// One story engine in every path (issue 15): the same stream of articles through the in-memory
// index (what `analyze --cluster` and `eval` run on) and through the Redis store (what the pipeline
// runs on) gives the same story ids with the same members, article for article — one at a time
// (assign) and in batches (assignMany).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAnalyzer, storyBackground } from '../../../src/adapters/analysis-data.js';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { createRedisStoryStore } from '../../../src/adapters/redis/story-store.js';
import { storyFeatures } from '../../../src/core/story/engine.js';
import { MemoryStoryIndex } from '../../../src/core/story/memory-index.js';
import type { AnalysisResult, Article } from '../../../src/core/types.js';
import { loadLabelledSet, STORIES_FIXTURE_DIR } from '../../../tools/eval/labelled-set.js';
import { farmFeed, initialItemMeta, itemPlainText, renderItem, type FarmSpec } from '../../../bench/farm/content.js';
import { CENTRAL_ASIA_ITEMS } from '../../fixtures/story/central-asia.js';
import { fixtureAnalysis, fixtureArticle } from '../../fixtures/story/items.js';
import { sharedDir } from '../../fixtures/story/shared.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = testRedis();
afterAll(() => redis.quit());

interface Item {
  article: Article;
  analysis: AnalysisResult;
}

const T0 = Date.parse('2026-03-02T06:00:00Z');

/**
 * The hand-labelled set (with the seeds when ../shared is there), the story fixtures and a slice of
 * the bench farm's Central Asia items, in publication order, then laid 20 minutes apart from T0 (the
 * set spans two years; Redis counts document frequencies per 30 days of "now", which a test of
 * sameness keeps out of the way; the order and the window still decide what is near what).
 */
function stream(): Item[] {
  const an = defaultAnalyzer();
  const items: Item[] = [];
  const shared = sharedDir();
  if (!shared) console.warn('engine contract: ../shared not found, the two seed articles are left out of the stream');
  for (const a of loadLabelledSet(STORIES_FIXTURE_DIR, shared).articles) {
    const analysis = an.analyze({ id: a.id, title: a.title, text: a.text, published: a.published }, new Date(a.published));
    items.push({ analysis, article: { id: a.id, feedId: 'f', outletId: a.outlet.toLowerCase().replace(/\W+/gu, '-'), outlet: a.outlet, affiliation: 'unknown', url: `https://example.org/${a.id}`, title: a.title, text: a.text, published: a.published, publishedEstimated: false, firstSeen: a.published } });
  }
  for (const f of CENTRAL_ASIA_ITEMS) items.push({ article: fixtureArticle(f), analysis: fixtureAnalysis(f) });
  const spec: FarmSpec = { feeds: 400, items: 6, start: T0, seed: 11 };
  for (let feed = 0; feed < spec.feeds; feed++) {
    for (let seq = spec.items - 1; seq >= 0; seq--) {
      const m = initialItemMeta(spec, feed, seq);
      if (!m.country) continue;
      const it = renderItem(spec, m, 'http://127.0.0.1');
      const { title, text } = itemPlainText(it);
      const fd = farmFeed(feed);
      const published = new Date(m.publishedMs).toISOString();
      const analysis = an.analyze({ id: it.guid, title, text, url: it.link, outlet: fd.outlet, published, language: m.lang }, new Date(T0));
      items.push({ analysis, article: { id: it.guid, feedId: fd.id, outletId: fd.outletId, outlet: fd.outlet, affiliation: fd.affiliation, url: it.link, title, text, published, publishedEstimated: false, firstSeen: published } });
    }
  }
  items.sort((x, y) => Date.parse(x.article.published) - Date.parse(y.article.published));
  return items.map((x, i) => {
    const published = new Date(T0 + i * 20 * 60_000).toISOString();
    return { ...x, article: { ...x.article, published, firstSeen: published } };
  });
}

function viaMemory(items: readonly Item[]): { ids: string[]; members: Map<string, readonly string[]> } {
  const index = new MemoryStoryIndex({ docFreq: 'stream', background: storyBackground() });
  const ids = items.map((x) => {
    const now = new Date(x.article.published);
    return index.assign(storyFeatures(x.article, x.analysis, now), now.getTime()).storyId;
  });
  return { ids, members: new Map(index.stories()) };
}

describe('story engine contract: memory index and Redis store', () => {
  let items: Item[];
  let memory: ReturnType<typeof viaMemory>;
  beforeAll(() => {
    items = stream();
    memory = viaMemory(items);
  }, 120_000);

  it('the stream has joins and splits to compare (the test would pass trivially otherwise)', () => {
    const stories = new Set(memory.ids);
    expect(items.length).toBeGreaterThan(150);
    expect(stories.size).toBeLessThan(items.length - 20);
    expect(stories.size).toBeGreaterThan(20);
  });

  it('assign, one article at a time: the same story ids and members', async () => {
    const store = createRedisStoryStore({ redis, keys: makeKeys(uniquePrefix('contract')) });
    const ids: string[] = [];
    for (const x of items) ids.push((await store.assign(x.article, x.analysis, new Date(x.article.published))).storyId);
    expect(ids).toEqual(memory.ids);
    for (const id of new Set(ids)) expect((await store.get(id))?.articleIds, id).toEqual(memory.members.get(id));
  }, 120_000);

  it('assignMany, in batches of 1 to 40: the same story ids and members', async () => {
    const store = createRedisStoryStore({ redis, keys: makeKeys(uniquePrefix('contract-many')) });
    const ids: string[] = [];
    const sizes = [1, 7, 40, 3, 25];
    for (let i = 0, b = 0; i < items.length; b++) {
      const batch = items.slice(i, i + sizes[b % sizes.length]!);
      i += batch.length;
      // one "now" per batch: its last article's time (the candidate sets' trim bound; the window is far wider than a batch)
      const res = await store.assignMany(batch, new Date(batch.at(-1)!.article.published));
      ids.push(...res.map((r) => r.storyId));
    }
    expect(ids).toEqual(memory.ids);
    for (const id of new Set(ids)) expect((await store.get(id))?.articleIds, id).toEqual(memory.members.get(id));
    // a batch filed again changes nothing and answers the same stories
    const again = await store.assignMany(items.slice(0, 30), new Date(items.at(-1)!.article.published));
    expect(again.map((r) => r.storyId)).toEqual(memory.ids.slice(0, 30));
    expect(again.every((r) => !r.created)).toBe(true);
  }, 120_000);
});
