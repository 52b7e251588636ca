import { afterAll, describe, expect, it } from 'vitest';
import { makeKeys } from '../../../src/adapters/redis/keys.js';
import { loadMirror } from '../../../src/adapters/redis/story-mirror.js';
import { createRedisStoryStore } from '../../../src/adapters/redis/story-store.js';
import type { AnalysisResult, Article } from '../../../src/core/types.js';
import { CENTRAL_ASIA_ITEMS, type FixtureItem } from '../../fixtures/story/central-asia.js';
import { fixtureAnalysis, fixtureArticle } from '../../fixtures/story/items.js';
import { seedArticles, warnIfNoShared } from '../../fixtures/story/shared.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const shared = warnIfNoShared('seed story-store test');
const redis = testRedis();
afterAll(() => redis.quit());

function newStore(o: { windowHours?: number; retentionDays?: number } = {}) {
  const keys = makeKeys(uniquePrefix('story'));
  return { keys, store: createRedisStoryStore({ redis, keys, ...o }) };
}

describe.skipIf(!shared)('story store: the seeds (needs ../shared)', () => {
  it('makes one story of the seeds: Global Times first, RT a day later citing the Chinese Ministry of Defense', async () => {
    const { store } = newStore();
    const { gt, rt } = seedArticles(shared!);
    const first = await store.assign(gt.article, gt.analysis, new Date('2022-04-26T08:05:00Z'));
    const second = await store.assign(rt.article, rt.analysis, new Date('2022-04-27T10:20:00Z'));
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.storyId).toBe(first.storyId);
    const s = second.story;
    expect(s.outlets.map((o) => o.outletId)).toEqual(['global-times', 'rt']);
    expect(s.outlets.map((o) => o.affiliation)).toEqual(['state:CN', 'state:RU']);
    expect(s.outlets[1]!.cites).toEqual(['Chinese Ministry of Defense']);
    expect(s.outlets[0]!.cites).toEqual([]);
    expect(s.outlets[1]!.framings.map((f) => f.tag)).toContain('foreign-trained-terrorists');
    expect(s.articleIds).toEqual([gt.article.id, rt.article.id]);
    expect(s.firstSeen).toBe('2022-04-26T08:00:00.000Z');
    expect(s.lastSeen).toBe('2022-04-27T10:12:00.000Z');
    expect(s.headline).toBe(gt.article.title);
    expect(await store.get(first.storyId)).toEqual(s);
    // a retried job changes nothing
    const again = await store.assign(rt.article, rt.analysis, new Date('2022-04-27T10:30:00Z'));
    expect(again.story).toEqual(s);
    expect(again.created).toBe(false);
  });
});

describe('story store', () => {
  it('keeps unrelated articles of one window apart and groups reports of one event', async () => {
    const { store } = newStore();
    const ids: string[] = [];
    for (const f of CENTRAL_ASIA_ITEMS) ids.push((await store.assign(fixtureArticle(f), fixtureAnalysis(f), new Date(f.published))).storyId);
    const events = CENTRAL_ASIA_ITEMS.map((f) => f.event);
    for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) expect(ids[i] === ids[j]).toBe(events[i] === events[j]);
    const border = await store.get(ids[0]!);
    expect(border!.outlets.map((o) => o.outletId)).toEqual(['akipress', 'kabar', 'asia-plus']);
    expect(border!.countries).toEqual(['KG', 'TJ']);
  });

  it('answers recent() by country, tag, outlet, entity, text and time', async () => {
    const { store } = newStore();
    const base = CENTRAL_ASIA_ITEMS;
    for (const f of base) {
      const analysis: AnalysisResult = {
        ...fixtureAnalysis(f),
        entities: f.id === 'ca-decree' ? [{ id: 'person:tokayev', name: 'Kassym-Jomart Tokayev', kind: 'person', country: 'KZ' }] : [],
        framings: f.id === 'ca-law' ? [{ tag: 'foreign-agent-ngo', confidence: 0.8, evidence: [{ quote: 'register as "foreign representatives"', attributedTo: null }] }] : [],
      };
      await store.assign(fixtureArticle(f), analysis, new Date(f.published));
    }
    const since = new Date('2024-03-01T00:00:00Z');
    const heads = async (q: Parameters<typeof store.recent>[0]) => (await store.recent(q)).map((s) => s.headline);
    expect((await heads({ countries: ['KZ'], since, limit: 10 })).sort()).toEqual(
      ['National Bank of Kazakhstan cuts base rate to 14.75%', 'Tokayev signs decree on new water resources ministry'].sort(),
    );
    expect(await heads({ countries: ['UZ', 'TJ'], since, limit: 1 })).toHaveLength(1);
    expect(await heads({ tags: ['foreign-agent-ngo'], since, limit: 10 })).toEqual([CENTRAL_ASIA_ITEMS.find((f) => f.id === 'ca-law')!.title]);
    expect(await heads({ outletIds: ['asia-plus'], since, limit: 10 })).toHaveLength(2); // Batken (third report) and Rogun
    expect(await heads({ outletIds: ['asia-plus'], countries: ['KG'], since, limit: 10 })).toEqual([CENTRAL_ASIA_ITEMS[0]!.title]);
    expect(await heads({ entityIds: ['person:tokayev'], since, limit: 10 })).toEqual(['Tokayev signs decree on new water resources ministry']);
    expect(await heads({ text: 'Rogun turbine', since, limit: 10 })).toEqual(['Third turbine of Rogun hydropower plant to start in autumn']);
    expect(await heads({ text: 'Rogun Gazprom', since, limit: 10 })).toEqual([]);
    expect(await heads({ since: new Date('2024-03-10T13:30:00Z'), limit: 10 })).toEqual([CENTRAL_ASIA_ITEMS.find((f) => f.id === 'ca-karakalpak')!.title]);
    // most recently seen first
    const all = await store.recent({ since, limit: 100 });
    expect(all.map((s) => s.lastSeen)).toEqual([...all.map((s) => s.lastSeen)].sort().reverse());
    expect(all).toHaveLength(7); // seven events
  });

  it('trims index entries older than the retention, and story records expire', async () => {
    const { store, keys } = newStore({ retentionDays: 1 });
    const f = CENTRAL_ASIA_ITEMS[3]!;
    const r = await store.assign(fixtureArticle(f), fixtureAnalysis(f), new Date(f.published));
    const ttl = await redis.ttl(keys.story(r.storyId));
    expect(ttl).toBeGreaterThan(86_000);
    expect(ttl).toBeLessThanOrEqual(86_400);
    expect(await redis.zscore(keys.storiesBy('country', 'KZ'), r.storyId)).not.toBeNull();
    const res = await store.trim(new Date(Date.parse(f.published) + 2 * 86_400_000));
    expect(res.entriesRemoved).toBeGreaterThan(3);
    expect(await redis.zscore(keys.storiesBy('country', 'KZ'), r.storyId)).toBeNull();
    expect(await redis.zcard(keys.storiesByTime)).toBe(0);
    expect(await redis.scard(keys.storyIndexKeys)).toBe(0);
    expect(await store.recent({ since: new Date(0), limit: 10 })).toEqual([]);
  });

  it('makes one story when two workers assign two articles of a new story at the same moment', async () => {
    for (let round = 0; round < 5; round++) {
      const { store, keys } = newStore();
      const other = createRedisStoryStore({ redis: testRedis(), keys }); // a second worker, its own connection
      const [a, b] = CENTRAL_ASIA_ITEMS.slice(0, 2);
      const [ra, rb] = await Promise.all([
        store.assign(fixtureArticle(a!), fixtureAnalysis(a!), new Date(a!.published)),
        other.assign(fixtureArticle(b!), fixtureAnalysis(b!), new Date(b!.published)),
      ]);
      expect(ra.storyId).toBe(rb.storyId);
      expect([ra.created, rb.created].sort()).toEqual([false, true]);
      const s = await store.get(ra.storyId);
      expect(s!.articleIds.sort()).toEqual([a!.id, b!.id].sort());
      expect(s!.outlets).toHaveLength(2);
    }
  });

  it('sees what another worker wrote to a story it has read before (its parsed records are checked against Redis)', async () => {
    const { store, keys } = newStore();
    const other = createRedisStoryStore({ redis: testRedis(), keys });
    const src = CENTRAL_ASIA_ITEMS[3]!;
    const copy = (i: number) => ({ ...fixtureArticle(src), id: `turn-${i}`, outletId: `outlet-${i}`, outlet: `Outlet ${i}` });
    const first = await store.assign(fixtureArticle(src), fixtureAnalysis(src), new Date(src.published));
    // the two workers take turns: each has the record cached from its last turn, the other rewrote it since
    for (let i = 0; i < 6; i++) {
      const c = copy(i);
      const r = await (i % 2 ? store : other).assign(c, { ...fixtureAnalysis(src), id: c.id }, new Date(src.published));
      expect(r.storyId).toBe(first.storyId);
      expect(r.story.articleIds).toEqual([src.id, ...Array.from({ length: i + 1 }, (_, j) => `turn-${j}`)]);
    }
    expect((await store.get(first.storyId))!.articleIds).toHaveLength(7);
  });

  it('loses no article when many join one story concurrently', async () => {
    const { store } = newStore();
    const src = CENTRAL_ASIA_ITEMS[3]!;
    await store.assign(fixtureArticle(src), fixtureAnalysis(src), new Date(src.published));
    const copies = Array.from({ length: 12 }, (_, i) => ({ ...fixtureArticle(src), id: `copy-${i}`, outletId: `outlet-${i}`, outlet: `Outlet ${i}` }));
    const res = await Promise.all(copies.map((c) => store.assign(c, { ...fixtureAnalysis(src), id: c.id }, new Date(src.published))));
    const s = await store.get(res[0]!.storyId);
    expect(new Set(res.map((r) => r.storyId)).size).toBe(1);
    expect(s!.articleIds).toHaveLength(13);
    expect(s!.outlets).toHaveLength(13);
  });
});

describe('story store: the write path', () => {
  it('assigns in three commands and round trips when nothing contends (story-of + DF + log, stories, commit taking the lock); a process that starts builds its mirror first', async () => {
    const conn = testRedis();
    const storeKeys = makeKeys(uniquePrefix('story'));
    const store = createRedisStoryStore({ redis: conn, keys: storeKeys });
    let commands = 0;
    let roundTrips = 0;
    let open = false;
    const send = conn.sendCommand.bind(conn);
    conn.sendCommand = ((...args: Parameters<typeof send>) => {
      commands += 1;
      if (!open) {
        open = true;
        roundTrips += 1;
        setImmediate(() => (open = false));
      }
      return send(...args);
    }) as typeof conn.sendCommand;
    // the scripts are loaded (EVALSHA falls back to EVAL once) by the first assign
    const [warm, a, b] = [CENTRAL_ASIA_ITEMS[6]!, CENTRAL_ASIA_ITEMS[0]!, CENTRAL_ASIA_ITEMS[1]!];
    await store.assign(fixtureArticle(warm), fixtureAnalysis(warm), new Date(warm.published));
    for (const [f, created, expected] of [[a, true, 3], [b, false, 3]] as const) {
      commands = 0;
      roundTrips = 0;
      const r = await store.assign(fixtureArticle(f), fixtureAnalysis(f), new Date(f.published));
      expect(r.created).toBe(created);
      expect(commands, f.id).toBe(expected);
      expect(roundTrips, f.id).toBe(expected);
    }
    // another process (a store without this one's mirror and caches) builds its mirror from the
    // log (the generation, the entries, the generation again) and reads the vectors back: seven
    const other = createRedisStoryStore({ redis: conn, keys: storeKeys });
    const c = CENTRAL_ASIA_ITEMS[2]!;
    commands = 0;
    roundTrips = 0;
    const r = await other.assign(fixtureArticle(c), fixtureAnalysis(c), new Date(c.published));
    expect(r.created).toBe(false);
    expect(commands).toBe(7);
    // and then three, as the first
    const e = CENTRAL_ASIA_ITEMS[3]!;
    commands = 0;
    await other.assign(fixtureArticle(e), fixtureAnalysis(e), new Date(e.published));
    expect(commands).toBe(3);
    await conn.quit();
  });

  it('indexes a story under what a later-filed, earlier-published article brings, at the story’s lastSeen', async () => {
    const { store, keys } = newStore();
    const [b1, b2, b3] = CENTRAL_ASIA_ITEMS.slice(0, 3) as [FixtureItem, FixtureItem, FixtureItem];
    const first = await store.assign(fixtureArticle(b3), fixtureAnalysis(b3), new Date(b3.published));
    const batken = { id: 'place:batken', name: 'Batken', kind: 'place' as const, country: 'KG' as const };
    for (const f of [b1, b2]) {
      const r = await store.assign(fixtureArticle(f), { ...fixtureAnalysis(f), entities: f === b1 ? [batken] : [] }, new Date(b3.published));
      expect(r.storyId).toBe(first.storyId);
    }
    const s = (await store.get(first.storyId))!;
    expect(s.lastSeen).toBe(b3.published);
    const lastSeen = Date.parse(b3.published);
    // the order's score in one place (by-time: exact lastSeen); the index sets at its day (story-index-keys.ts)
    expect(Number(await redis.zscore(keys.storiesByTime, s.id))).toBe(lastSeen);
    for (const k of [keys.storiesBy('outlet', 'akipress'), keys.storiesBy('outlet', 'kabar'), keys.storiesBy('outlet', 'asia-plus'), keys.storiesBy('entity', 'place:batken'), keys.storiesBy('country', 'KG')]) {
      expect(Number(await redis.zscore(k, s.id)), k).toBe(lastSeen - (lastSeen % 86_400_000));
    }
    const since = new Date('2024-03-01T00:00:00Z');
    for (const q of [{ outletIds: ['akipress'] }, { outletIds: ['kabar'] }, { entityIds: ['place:batken'] }, { text: 'Batken' }]) {
      expect((await store.recent({ ...q, since, limit: 10 })).map((x) => x.id), JSON.stringify(q)).toEqual([s.id]);
    }
    expect(await redis.smembers(keys.storyIndexKeys)).toContain(keys.storiesBy('entity', 'place:batken'));
  });

  it('files an article once: a retried assign writes nothing, counts nothing twice and leaves no lock', async () => {
    const { store, keys } = newStore();
    const f = CENTRAL_ASIA_ITEMS[5]!;
    const now = new Date(f.published);
    const r1 = await store.assign(fixtureArticle(f), fixtureAnalysis(f), now);
    const dfKey = keys.storyDf(Math.floor(now.getTime() / (30 * 86_400_000)));
    const df = await redis.hgetall(dfKey);
    const r2 = await store.assign(fixtureArticle(f), fixtureAnalysis(f), now);
    expect(r2.story).toEqual(r1.story);
    expect(r2.created).toBe(false);
    expect(await store.storyOf(f.id)).toBe(r1.storyId);
    expect(await redis.hgetall(dfKey)).toEqual(df);
    expect(df['#n']).toBe('1');
    expect(await redis.keys(`${keys.storyLock('')}*`)).toEqual([]);
  });

  it('keeps the candidate index in the change log (no candidate sets), vectors for 2 × the window; a filing 2 × window older than now no longer counts, in every process', async () => {
    const { store, keys } = newStore({ windowHours: 1 });
    const f = CENTRAL_ASIA_ITEMS[3]!;
    const r = await store.assign(fixtureArticle(f), fixtureAnalysis(f), new Date(f.published));
    expect(await redis.keys(`${keys.storyCandidates('')}*`)).toEqual([]);
    // the log's start and the batch's entry: the article's story, time and matching keys
    const log = (await redis.xrange(keys.storyLog, '-', '+')) as [string, string[]][];
    expect(log.map(([, fv]) => fv[0])).toEqual(['g', 'b']);
    const filing = log[1]![1][1]!.split('\x1e')[1]!.split('\x1f');
    expect(filing[0]).toBe(r.storyId);
    expect(Number(filing[1])).toBe(Date.parse(f.published));
    expect(filing.length).toBeGreaterThan(7);
    expect(await redis.ttl(keys.storyLog)).toBe(-1);
    const ttl = await redis.ttl(keys.storyVectors(f.id));
    expect(ttl).toBeGreaterThan(7000);
    expect(ttl).toBeLessThanOrEqual(7200);
    expect(await redis.ttl(keys.storiesBy('country', 'KZ'))).toBe(-1);
    // the same report, filed 3 hours later (past 2 × window): the first filing no longer counts,
    // neither in this process nor in one that builds its mirror from the log
    const later = { ...fixtureArticle(f), id: 'ca-rate-1-again', outletId: 'other', published: new Date(Date.parse(f.published) + 3 * 3_600_000).toISOString() };
    const r2 = await store.assign(later, { ...fixtureAnalysis(f), id: later.id }, new Date(later.published));
    expect(r2.storyId).not.toBe(r.storyId);
    const other = createRedisStoryStore({ redis, keys, windowHours: 1 });
    const again = { ...later, id: 'ca-rate-1-third', outletId: 'third' };
    const r3 = await other.assign(again, { ...fixtureAnalysis(f), id: again.id }, new Date(later.published));
    expect(r3.storyId).toBe(r2.storyId);
    const m = await loadMirror(redis, keys, 3_600_000);
    const t = Date.parse(later.published);
    const hits = m.sets.lookup({ keys: filing.slice(2), weights: filing.slice(2).map(() => 1), tMin: t - 10 * 3_600_000, tMax: t, perKey: 50, want: 10 });
    expect([...hits.keys()]).toEqual([r2.storyId]);
  });
});

/** Invented words, a distinct one for each n (distinct in their first letters, which stems keep). */
function word(n: number): string {
  let x = (n * 2_654_435_761) % 456_976; // a bijection on 26^4
  let w = '';
  for (let k = 0; k < 4; k++) {
    w += String.fromCharCode(97 + (x % 26));
    x = Math.floor(x / 26);
  }
  return `${w}an`;
}

/** A synthetic article about topic `i` (variant 1 is another outlet's rewrite of variant 0). */
function synthetic(i: number, variant: number, published: string): { article: Article; analysis: AnalysisResult } {
  const words = Array.from({ length: 24 }, (_, k) => word((i * 24 + k) * 7 + 1));
  const Name = (k: number) => words[k]![0]!.toUpperCase() + words[k]!.slice(1);
  const title = variant === 0 ? `${Name(0)} and ${Name(1)} ${words.slice(2, 6).join(' ')}` : `${words.slice(3, 7).join(' ')} for ${Name(0)} ${Name(1)}`;
  const sentences = [0, 1, 2, 3].map((s) => `Officials said ${Name(0)} ${words.slice(6 + s * 4, 10 + s * 4).join(' ')} with ${Name(1)} on ${1000 + i + s} items.`);
  const text = (variant === 0 ? sentences : [...sentences].reverse()).join(' ');
  const id = `syn-${i}-${variant}`;
  return {
    article: {
      id, feedId: 'syn', outletId: `syn-outlet-${variant}`, outlet: `Syn ${variant}`, affiliation: 'unknown', url: null,
      title, text, published, publishedEstimated: false, firstSeen: published,
    },
    analysis: { id, language: 'en', countries: ['KZ'], relevance: 0.5, framings: [], summary: title, title, entities: [], regional: false },
  };
}

describe('story store at scale', () => {
  it('finds the right story among 5,000 by its index, without scanning', async () => {
    const { store, keys } = newStore();
    const N = 5000;
    const t0 = Date.parse('2024-05-01T00:00:00Z');
    const started = performance.now();
    for (let start = 0; start < N; start += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, N - start) }, (_, j) => {
          const i = start + j;
          const { article, analysis } = synthetic(i, 0, new Date(t0 + i * 30_000).toISOString());
          return store.assign(article, analysis, new Date(t0 + i * 30_000));
        }),
      );
    }
    const seconds = (performance.now() - started) / 1000;
    console.info(`story store: ${N} assigns in ${seconds.toFixed(1)} s (${Math.round(N / seconds)}/s)`);
    expect(await redis.zcard(keys.storiesByTime)).toBe(N);

    const probes = [17, 1234, 2500, 4999];
    for (const i of probes) {
      const orig = synthetic(i, 0, new Date(t0 + i * 30_000).toISOString());
      const { article, analysis } = synthetic(i, 1, new Date(t0 + i * 30_000 + 3_600_000).toISOString());
      const r = await store.assign(article, analysis, new Date(t0 + N * 30_000));
      expect(r.created).toBe(false);
      expect(r.story.articleIds).toEqual([orig.article.id, article.id]);
    }
  }, 300_000);
});
