// The search path's speed-ups keep its answers (issue #18: < 50 ms at 40,000 articles, results
// identical): on real Redis, for a table of queries, searchStories' stories equal what the
// search did before — the store's index read, every record parsed afresh, a query the index
// cannot answer filtered over the whole scan of SCAN_LIMIT stories — and the records read through
// the search path's cache equal fresh reads, also after a story changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { createRedisStoryStore, type RedisStoryStore } from '../../../src/adapters/redis/story-store.js';
import { loadAnalyzerData } from '../../../src/adapters/analysis-data.js';
import { vocabularyFromData } from '../../../src/commands/vocabulary-from-data.js';
import { FETCH_LIMIT, SCAN_LIMIT, searchStories, storyToCard, windowsFor } from '../../../src/commands/story.js';
import { parseStoryQuery } from '../../../src/commands/story-query.js';
import { compileStoryQuery, matchQuery, storyDocument } from '../../../src/core/query/index.js';
import { storyCard } from '../../../src/core/story/record.js';
import type { AnalysisResult, Article, Story } from '../../../src/core/types.js';
import { SYNTHETIC_COUNTRIES, syntheticStoryItem } from '../../../bench/synthetic-stories.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = testRedis();
const NOW = Date.now();
const TOPICS = ['water talks', 'gas pipeline', 'border incident', 'railway deal', 'drought', 'media law'];
const WORDS = 'amber basin cedar delta ember falcon garnet harbor indigo jasper kestrel lagoon meadow nickel orchid pepper quartz raven saffron timber'.split(' ');
const words = (k: number) => `${WORDS[k % WORDS.length]} ${WORDS[(k * 7 + 3) % WORDS.length]} ${k}`;

/** Story k's copy j: another outlet per copy (RT first for every 5th story); every 9th story carried by many outlets (a big record, see beforeAll). */
const item = (k: number, j: number): { article: Article; analysis: AnalysisResult } =>
  syntheticStoryItem(
    {
      idPrefix: 'eq',
      countries: SYNTHETIC_COUNTRIES.filter((c) => c.cc !== 'TM'),
      topics: TOPICS,
      outlet: (k, j) => {
        const id = j === 0 && k % 5 === 0 ? 'rt' : `outlet-${(k * 7 + j * 13) % 40}`;
        return { id, name: id.toUpperCase(), affiliation: id === 'rt' ? 'state:RU' : j % 2 ? 'independent' : 'state:KZ' };
      },
      published: (k, j) => NOW - (k % 40) * 86_400_000 * 0.9 - j * 600_000 - 3_600_000,
      titleWords: words,
      quote: ({ c, topic, k }) => `${c.person} said the ${topic} in ${c.city} was settled. Critics called it a ${words(k)} deal, case ${k}.`,
      summary: (quote) => quote,
      url: ({ id }) => `https://example.org/${id}`,
      countryEntity: false,
    },
    k,
    j,
  );

let store: RedisStoryStore;
const vocabulary = vocabularyFromData({ gazetteer: loadAnalyzerData().gazetteer, feeds: [{ outletId: 'rt', outlet: 'RT' }, ...Array.from({ length: 40 }, (_, i) => ({ outletId: `outlet-${i}`, outlet: `Outlet ${i}` }))] });

beforeAll(async () => {
  store = createRedisStoryStore({ redis, keys: makeKeys(uniquePrefix()), windowHours: 72, retentionDays: 90 });
  const items: { article: Article; analysis: AnalysisResult }[] = [];
  for (let k = 0; k < 160; k++) for (let j = 0; j < (k % 9 === 0 ? 12 : 2); j++) items.push(item(k, j));
  for (let i = 0; i < items.length; i += 100) await store.assignMany(items.slice(i, i + 100), new Date(NOW));
}, 120_000);
afterAll(() => redis.quit());

/** The search as it was: the index's stories parsed afresh; an inexact query filtered over the whole scan. */
async function before(query: string, now: Date): Promise<string[]> {
  const s = parseStoryQuery(query, vocabulary);
  const fresh = async (xs: Story[]) => (await store.getMany(xs.map((x) => x.id))).filter((x): x is Story => x !== null);
  for (const hours of windowsFor(s)) {
    const since = new Date(now.getTime() - hours * 3_600_000);
    let found: Story[];
    if (s.plain || !s.expr) {
      const q = {
        since,
        limit: FETCH_LIMIT,
        ...(s.countries.length ? { countries: s.countries } : {}),
        ...(s.tags.length ? { tags: s.tags } : {}),
        ...(s.outletIds.length ? { outletIds: s.outletIds } : {}),
        ...(s.entityIds.length ? { entityIds: s.entityIds } : {}),
        ...(s.words.length ? { text: s.words.join(' ') } : {}),
      };
      found = await fresh(await store.recent(q));
    } else {
      const c = compileStoryQuery(s.expr);
      const all = await fresh(await store.recent({ ...c.query, since, limit: c.exact ? FETCH_LIMIT : SCAN_LIMIT }));
      found = c.exact ? all : all.filter((x) => matchQuery(s.expr, storyDocument(x))).slice(0, FETCH_LIMIT);
    }
    if (found.length) return found.map((x) => x.id);
  }
  return [];
}

const QUERIES = [
  'tokayev',
  'kazakhstan 30d',
  'drought 90d',
  'outlet:rt',
  'outlet:rt 90d',
  'Токаев',
  'railway deal',
  'NOT outlet:rt',
  'NOT outlet:outlet-3 90d',
  '(kyrgyzstan OR tajikistan) NOT outlet:outlet-3',
  'kazakhstan NOT (drought OR "water talks")',
  'Tokay* 90d',
  'mirziy*',
  '"gas pipeline" 30d',
  'japarov NEAR/3 pipeline',
  'settled NEAR/2 critics',
  'affiliation:independent 90d',
  'countries:KZ OR countries:UZ',
  'tags:color-revolution 90d',
  'nothing-like-this',
];

describe('search results before and after the speed-ups', () => {
  it('the same stories, in the same order, for every query of the table; the records equal fresh reads', async () => {
    const now = new Date(NOW);
    let nonEmpty = 0;
    let bigRecords = 0;
    for (const q of QUERIES) {
      const r = await searchStories(q, { stories: store, vocabulary }, now);
      if ('error' in r) throw new Error(`${q}: ${r.error.text}`);
      expect([q, r.found.map((s) => s.id)]).toEqual([q, await before(q, now)]);
      const fresh = await store.getMany(r.found.map((s) => s.id));
      expect(r.found).toEqual(fresh);
      // Cards of the shared records equal cards of fresh ones.
      expect(r.found.map(storyToCard)).toEqual(fresh.map((s) => storyCard(s!)));
      if (r.found.length) nonEmpty += 1;
      bigRecords += r.found.filter((s) => s.outlets.length >= 10).length;
    }
    // The table exercises something: most queries find stories, some of them big ones.
    expect(nonEmpty).toBeGreaterThanOrEqual(QUERIES.length - 3);
    expect(bigRecords).toBeGreaterThan(0);
  }, 120_000);

  it('a story that changed is read anew, not served from the cache; the shared records cannot be modified', async () => {
    const now = new Date(NOW);
    const r1 = await searchStories('outlet:rt 90d', { stories: store, vocabulary }, now);
    if ('error' in r1) throw new Error('query');
    const target = r1.found[0]!;
    expect(Object.isFrozen(target)).toBe(true);
    expect(() => (target.outlets as unknown[]).push(1)).toThrow(TypeError);
    // One more outlet joins the story (a copy of its first article from another outlet).
    const k = Number(/^eq-(\d+)-/.exec(target.articleIds[0]!)![1]);
    const joined = item(k, 20);
    await store.assign({ ...joined.article, published: target.lastSeen }, joined.analysis, now);
    const after = (await store.getMany([target.id]))[0]!;
    expect(after.outlets.length).toBe(target.outlets.length + 1);
    const r2 = await searchStories('outlet:rt 90d', { stories: store, vocabulary }, now);
    if ('error' in r2) throw new Error('query');
    expect(r2.found.find((s) => s.id === target.id)).toEqual(after);
    expect(storyToCard(r2.found.find((s) => s.id === target.id)!)).toEqual(storyCard(after));
  }, 60_000);
});
