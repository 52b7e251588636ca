import { describe, expect, it } from 'vitest';
import { findStories, FETCH_LIMIT, rankStories, SCAN_LIMIT, storyScore, storyToCard, windowsFor } from '../../../src/commands/story.js';
import { canonicalQuery, parseStoryQuery, searchDescription } from '../../../src/commands/story-query.js';
import { replyToText } from '../../../src/core/alert/text.js';
import { FakeStoryStore, framing, outlet, seedStory, story, testVocabulary } from './fakes.js';

const v = testVocabulary();
const NOW = new Date('2022-04-28T12:00:00.000Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

describe('storyToCard', () => {
  it('gives the seed story as the contract shows it: outlets in order, framings with the top quote and speaker', () => {
    const card = storyToCard(seedStory());
    expect(card.id).toBe('st-seed');
    expect(card.outlets).toEqual([
      { outletId: 'global-times', outlet: 'Global Times', affiliation: 'state:CN', url: 'https://example.org/global-times/2022-04-26', published: '2022-04-26T08:00:00.000Z' },
      { outletId: 'rt', outlet: 'RT', affiliation: 'state:RU', url: 'https://example.org/rt/2022-04-27', published: '2022-04-27T10:12:00.000Z' },
    ]);
    expect(card.framings.map((f) => [f.tag, f.outlets, f.attributedTo])).toEqual([
      ['color-revolution', ['global-times', 'rt'], 'Wei Fenghe'],
      ['external-interference', ['global-times'], 'Wei Fenghe'],
      ['foreign-trained-terrorists', ['rt'], 'Tokayev'],
      ['disinfo-debunk', ['rt'], null],
    ]);
    // the earliest outlet's quote
    expect(card.framings[0]!.quote).toContain('deliberately instigating');
    expect(card.framings[3]!.quote).toBe('However, he did not provide any evidence to support this claim.');
    expect(Object.keys(card).sort()).toEqual(['countries', 'firstSeen', 'framings', 'headline', 'id', 'lastSeen', 'outlets', 'summary']);
    expect(card.firstSeen).toBe('2022-04-26T08:00:00.000Z');
    expect(card.lastSeen).toBe('2022-04-27T10:12:00.000Z');
  });

  it('prefers an attributed quote, from the earliest outlet that has one', () => {
    const s = story({
      id: 'a',
      outlets: [
        outlet({ outletId: 'late', published: '2022-04-27T00:00:00Z', framings: [framing('attempted-coup', 'A minister called it a coup.', 'the minister')] }),
        outlet({ outletId: 'early', published: '2022-04-26T00:00:00Z', framings: [framing('attempted-coup', 'It was a coup, the outlet says.', null)] }),
        outlet({ outletId: 'later', published: '2022-04-28T00:00:00Z', framings: [framing('attempted-coup', 'Another speaker said coup.', 'someone')] }),
      ],
    });
    const card = storyToCard(s);
    expect(card.outlets.map((o) => o.outletId)).toEqual(['early', 'late', 'later']);
    expect(card.framings).toEqual([{ tag: 'attempted-coup', outlets: ['early', 'late', 'later'], quote: 'A minister called it a coup.', attributedTo: 'the minister' }]);
  });

  it('clips long quotes and leaves a framing without evidence quoteless', () => {
    const long = `${'word '.repeat(100)}end.`;
    const s = story({ id: 'b', outlets: [outlet({ outletId: 'x', published: '2022-04-26T00:00:00Z', framings: [framing('us-biolabs', long, null), framing('russophobia-compatriots', null)] })] });
    const [a, b] = storyToCard(s).framings;
    expect(a!.quote!.length).toBeLessThanOrEqual(300);
    expect(a!.quote!.endsWith('…')).toBe(true);
    expect(b).toEqual({ tag: 'russophobia-compatriots', outlets: ['x'], quote: null, attributedTo: null });
  });
});

describe('ranking', () => {
  const one = (id: string, ageH: number, outlets: number, relevance = 0.5) =>
    story({ id, relevance, outlets: Array.from({ length: outlets }, (_, i) => outlet({ outletId: `o${i}`, published: hoursAgo(ageH + i * 0.01) })) });

  it('puts recent stories first, then widely carried ones, then relevant ones', () => {
    expect(storyScore(one('new', 1, 1), NOW, 168)).toBeGreaterThan(storyScore(one('old', 150, 1), NOW, 168));
    expect(storyScore(one('wide', 10, 4), NOW, 168)).toBeGreaterThan(storyScore(one('narrow', 10, 1), NOW, 168));
    expect(storyScore(one('rel', 10, 1, 0.9), NOW, 168)).toBeGreaterThan(storyScore(one('irrel', 10, 1, 0.2), NOW, 168));
    // breadth can outweigh a few hours of age, not days
    expect(storyScore(one('wide-older', 12, 4), NOW, 168)).toBeGreaterThan(storyScore(one('narrow-newer', 2, 1), NOW, 168));
    expect(storyScore(one('wide-week-old', 160, 4), NOW, 168)).toBeLessThan(storyScore(one('narrow-today', 2, 1), NOW, 168));
    const s = storyScore(one('x', 0, 8, 1), NOW, 168);
    expect(s).toBeCloseTo(1, 5);
  });

  it('orders ties by last seen, then id', () => {
    const a = one('a', 5, 2);
    const b = one('b', 5, 2);
    expect(rankStories([b, a], NOW, 168).map((s) => s.id)).toEqual(['a', 'b']);
  });
});

describe('parseStoryQuery', () => {
  it('finds the window in several spellings, 7 days by default', () => {
    const h = (q: string) => parseStoryQuery(q, v).windowHours;
    expect(h('kazakhstan')).toBe(168);
    expect(h('kazakhstan 30d')).toBe(720);
    expect(h('24h tokayev')).toBe(24);
    expect(h('kazakhstan 2 weeks')).toBe(336);
    expect(h('kazakhstan last week')).toBe(168);
    expect(h('kazakhstan days:30')).toBe(720);
    expect(h('kazakhstan 30')).toBe(720);
    expect(h('казахстан 30 дней')).toBe(720);
  });

  it('caps the window at 90 days and says so', () => {
    const s = parseStoryQuery('kazakhstan 365d', v);
    expect(s.windowHours).toBe(2160);
    expect(s.windowClamped).toBe(true);
  });

  it('splits the query into criteria and leftover words, without filler', () => {
    const s = parseStoryQuery('latest news about Kazakhstan color revolution from RT tokayev rogun dam', v);
    expect(s.countries).toEqual(['KZ']);
    expect(s.tags).toEqual(['color-revolution']);
    expect(s.outletIds).toEqual(['rt']);
    expect(s.entityIds).toEqual(['person:tokayev', 'place:rogun']);
    expect(s.words).toEqual(['dam']);
    expect(s.windowGiven).toBe(false);
    expect(canonicalQuery(s, v)).toBe('kazakhstan color revolution rt tokayev rogun dam');
    expect(searchDescription(s, 2160)).toBe('Kazakhstan, mentioning Kassym-Jomart Tokayev or Rogun, framed as color-revolution, carried by RT, headlines with “dam”, last 90 days');
  });

  it('widens 7 days to 30 and 90, a 24-hour window too, and 90 days not at all', () => {
    expect(windowsFor(parseStoryQuery('kz', v))).toEqual([168, 720, 2160]);
    expect(windowsFor(parseStoryQuery('kz 24h', v))).toEqual([24, 720, 2160]);
    expect(windowsFor(parseStoryQuery('kz 60d', v))).toEqual([1440, 2160]);
    expect(windowsFor(parseStoryQuery('kz 90d', v))).toEqual([2160]);
  });
});

describe('findStories', () => {
  it('answers /story kazakhstan with the seed story: heading, card, narrowing hint', async () => {
    const store = new FakeStoryStore([seedStory(), story({ id: 'uz', countries: ['UZ'], outlets: [outlet({ outletId: 'kun', published: hoursAgo(2) })] })]);
    const { cards, reply } = await findStories('kazakhstan', { stories: store, vocabulary: v }, NOW);
    expect(cards.map((c) => c.id)).toEqual(['st-seed']);
    expect(cards[0]).toEqual(storyToCard(seedStory()));
    expect(store.queries).toHaveLength(1);
    expect(store.queries[0]).toEqual({ countries: ['KZ'], since: new Date(NOW.getTime() - 7 * 86_400_000), limit: FETCH_LIMIT });
    expect(reply.kind).toBe('ok');
    expect(reply.visibility).toBe('in_channel');
    expect(reply.sections[0]).toEqual({ type: 'heading', text: 'Kazakhstan — 1 story in the last 7 days' });
    const text = replyToText(reply);
    expect(text).toContain('China opposes external forces');
    expect(text).toContain('Global Times first, then RT.');
    expect(text).toContain('Narrow it: /story kazakhstan 30d · /story kazakhstan color revolution · /story kazakhstan tokayev');
  });

  it('ranks several stories and shows at most five', async () => {
    const stories = Array.from({ length: 7 }, (_, i) =>
      story({ id: `s${i}`, outlets: Array.from({ length: (i % 3) + 1 }, (_, j) => outlet({ outletId: `o${j}`, published: hoursAgo(10 * i + j) })) }),
    );
    const store = new FakeStoryStore(stories);
    const { cards, reply } = await findStories('KZ', { stories: store, vocabulary: v }, NOW);
    expect(cards).toHaveLength(5);
    expect(cards.map((c) => c.id)).toEqual(rankStories(stories, NOW, 168).slice(0, 5).map((s) => s.id));
    expect(reply.text).toBe('Kazakhstan — 7 stories in the last 7 days, top 5 (recent and widely carried first)');
  });

  it('widens to 30 days and says so', async () => {
    const store = new FakeStoryStore([story({ id: 'old', outlets: [outlet({ outletId: 'x', published: hoursAgo(20 * 24) })] })]);
    const { cards, reply } = await findStories('kazakhstan', { stories: store, vocabulary: v }, NOW);
    expect(cards.map((c) => c.id)).toEqual(['old']);
    expect(store.queries.map((q) => (NOW.getTime() - q.since.getTime()) / 86_400_000)).toEqual([7, 30]);
    expect(replyToText(reply)).toContain('Nothing in the last 7 days; widened to 30 days.');
    expect(reply.sections[0]).toEqual({ type: 'heading', text: 'Kazakhstan — 1 story in the last 30 days' });
  });

  it('says what was searched when nothing is found, and suggests countries with news', async () => {
    const store = new FakeStoryStore([story({ id: 'uz', countries: ['UZ'], outlets: [outlet({ outletId: 'kun', published: hoursAgo(5) })] })]);
    const { cards, reply } = await findStories('kazakhstan', { stories: store, vocabulary: v }, NOW);
    expect(cards).toEqual([]);
    expect(reply.kind).toBe('empty');
    expect(reply.visibility).toBe('ephemeral');
    expect(reply.text).toBe('Nothing found for Kazakhstan, any framing, last 90 days.');
    const text = replyToText(reply);
    expect(text).toContain('Nothing in the last 7 days, nor when widened to 30 days and then 90 days.');
    expect(text).toContain('/story uzbekistan (1 story in the last 7 days)');
  });

  it('suggests the country a misspelt word stands for', async () => {
    const store = new FakeStoryStore([seedStory()]);
    const { cards, reply } = await findStories('kazahstan', { stories: store, vocabulary: v }, NOW);
    expect(cards).toEqual([]);
    expect(store.queries[0]!.text).toBe('kazahstan');
    expect(replyToText(reply)).toContain('Try: /story kazakhstan (did you mean Kazakhstan (KZ)?)');
  });

  it('suggests each criterion alone when several find nothing together', async () => {
    const store = new FakeStoryStore([seedStory()]);
    const { reply } = await findStories('kazakhstan us biolabs', { stories: store, vocabulary: v }, NOW);
    expect(reply.text).toBe('Nothing found for Kazakhstan, framed as us-biolabs, last 90 days.');
    expect(replyToText(reply)).toContain('/story kazakhstan 90d (1 story)');
  });

  it('says when there are no stories at all', async () => {
    const { reply } = await findStories('kazakhstan', { stories: new FakeStoryStore([]), vocabulary: v }, NOW);
    expect(replyToText(reply)).toContain('There are no stories at all from the last 90 days yet: /feeds list');
  });

  it('answers an empty query with the top stories of the region', async () => {
    const store = new FakeStoryStore([seedStory()]);
    const { cards, reply } = await findStories('', { stories: store, vocabulary: v }, NOW);
    expect(cards).toHaveLength(1);
    expect(store.queries[0]).toEqual({ since: new Date(NOW.getTime() - 7 * 86_400_000), limit: FETCH_LIMIT });
    expect(reply.text).toBe('Central Asia — 1 story in the last 7 days');
  });

  it('looks for a name in headlines when no story was filed under it', async () => {
    const rogun = story({ id: 'r', headline: 'Rogun turbine starts', countries: ['TJ'], entities: [], outlets: [outlet({ outletId: 'asia-plus', published: hoursAgo(3) })] });
    const store = new FakeStoryStore([rogun]);
    const { cards } = await findStories('rogun', { stories: store, vocabulary: v }, NOW);
    expect(cards.map((c) => c.id)).toEqual(['r']);
    expect(store.queries.map((q) => [q.entityIds, q.text])).toEqual([
      [['place:rogun'], undefined],
      [['place:rogun'], undefined],
      [['place:rogun'], undefined],
      [undefined, 'rogun'],
    ]);
  });

  it('passes people, tags, outlets and leftover words to the store', async () => {
    const store = new FakeStoryStore([seedStory()]);
    await findStories('tokayev color revolution rt warns 30d', { stories: store, vocabulary: v }, NOW);
    expect(store.queries[0]).toMatchObject({ tags: ['color-revolution'], outletIds: ['rt'], entityIds: ['person:tokayev'], text: 'warns' });
    expect(store.queries[0]!.countries).toBeUndefined();
  });
});

describe('findStories with the query language', () => {
  it('answers outlet:rt from the outlet index, with hints that are queries too', async () => {
    const store = new FakeStoryStore([seedStory(), story({ id: 'other', outlets: [outlet({ outletId: 'kazinform', published: hoursAgo(2) })] })]);
    const { cards, reply } = await findStories('outlet:rt', { stories: store, vocabulary: v }, NOW);
    expect(cards.map((c) => c.id)).toEqual(['st-seed']);
    expect(store.queries[0]).toEqual({ outletIds: ['rt'], since: new Date(NOW.getTime() - 7 * 86_400_000), limit: FETCH_LIMIT });
    expect(reply.sections[0]).toEqual({ type: 'heading', text: 'from RT — 1 story in the last 7 days' });
    expect(replyToText(reply)).toContain('Narrow it: /story outlets:rt 30d · /story outlets:rt tags:color-revolution · /story outlets:rt entities:person:tokayev');
  });

  it('asks the index for a superset and filters it by the whole expression', async () => {
    const uz = story({ id: 'uz', countries: ['UZ'], outlets: [outlet({ outletId: 'kun', published: hoursAgo(2) })] });
    const store = new FakeStoryStore([seedStory(), uz]);
    const { cards, reply } = await findStories('(kazakhstan OR uzbekistan) NOT outlet:rt', { stories: store, vocabulary: v }, NOW);
    expect(cards.map((c) => c.id)).toEqual(['uz']);
    // The most recent page first (a few more than the answer holds); too few kept, the whole scan.
    const since = new Date(NOW.getTime() - 7 * 86_400_000);
    expect(store.queries.slice(0, 2)).toEqual([{ countries: ['KZ', 'UZ'], since, limit: FETCH_LIMIT + 14 }, { countries: ['KZ', 'UZ'], since, limit: SCAN_LIMIT }]);
    expect(reply.sections[0]).toEqual({ type: 'heading', text: '(countries:KZ OR countries:UZ) NOT outlets:rt — 1 story in the last 7 days' });
    // the window goes after parentheses, so the hint parses as the same query
    expect(replyToText(reply)).toContain('/story (countries:KZ OR countries:UZ) NOT outlets:rt 30d');
  });

  it('answers a bad query with its one-line error, without asking the store', async () => {
    const store = new FakeStoryStore([seedStory()]);
    const { cards, reply } = await findStories('kazakhstan NEAR/3', { stories: store, vocabulary: v }, NOW);
    expect(cards).toEqual([]);
    expect(reply.kind).toBe('usage');
    expect(reply.text).toBe('query: nothing after "NEAR/3" at 12');
    expect(store.queries).toEqual([]);
  });
});
