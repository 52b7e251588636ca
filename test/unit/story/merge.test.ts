// The merge decision and the merged story (core/story/merge.ts): each rule on its own.
import { describe, expect, it } from 'vitest';
import { BRIDGE_MARGIN, decideMerge, earlierFirst, filingKeysOf, MAX_ABSORBED_ARTICLES, MAX_MERGES_PER_STORY, mergeStoryValues, type MergeSide } from '../../../src/core/story/merge.js';
import { margin, similarity, weighted, type ArticleVectors } from '../../../src/core/story/similarity.js';
import type { Story, StoryOutlet } from '../../../src/core/types.js';
import { matchQuery, storyDocument } from '../../../src/core/query/match.js';
import { readStoredQuery } from '../../../src/core/query/stored.js';

const H = 3_600_000;
const T0 = Date.parse('2026-03-03T08:00:00Z');
const wv = (terms: string[]) => weighted(terms, terms.map(() => 1), Math.sqrt(terms.length));
/** An article whose title, text and names are these terms (so every part's cosine is the same). */
const art = (id: string, hours: number, terms: string[]): ArticleVectors => ({ id, t: T0 + hours * H, lang: 'en', body: wv(terms), title: wv(terms), names: wv(terms), nums: wv([]), xnames: wv([]) });
const side = (id: string, members: ArticleVectors[], o: Partial<MergeSide> = {}): MergeSide => ({
  id,
  firstSeen: Math.min(...members.map((m) => m.t)),
  lastSeen: Math.max(...members.map((m) => m.t)),
  size: members.length,
  merges: 0,
  members,
  ...o,
});

// Two reports of one event worded apart (they share x, y only: below the threshold, not far below).
const A = side('s-a', [art('a1', 0, ['x', 'y', 'a1', 'a2', 'a3'])]);
const B = side('s-b', [art('b1', 2, ['x', 'y', 'b1', 'b2', 'b3'])]);
const bridge = art('x1', 4, ['x', 'y', 'a1', 'a2', 'a3', 'b1', 'b2', 'b3']);

describe('decideMerge', () => {
  it('the fixture: A and B do not join on their own but are not unrelated', () => {
    const m = margin(similarity(A.members[0]!, B.members[0]!));
    expect(m).toBeLessThan(0);
    expect(m).toBeGreaterThan(-0.15);
  });

  it('merges when the article joins both clearly; the earlier story survives, whichever way round', () => {
    expect(decideMerge(bridge, A, B)).toMatchObject({ merge: true, survivor: 's-a', absorbed: 's-b' });
    expect(decideMerge(bridge, B, A)).toMatchObject({ merge: true, survivor: 's-a', absorbed: 's-b' });
  });

  it('ties of first publication go to the smaller id', () => {
    const [s] = earlierFirst({ id: 's-z', firstSeen: 5 }, { id: 's-b', firstSeen: 5 });
    expect(s.id).toBe('s-b');
  });

  it('not for a round-up naming two unrelated events (their own members share nothing)', () => {
    const a = side('s-a', [art('a1', 0, ['a1', 'a2', 'a3'])]);
    const b = side('s-b', [art('b1', 2, ['b1', 'b2', 'b3'])]);
    const roundup = art('r1', 4, ['a1', 'a2', 'a3', 'b1', 'b2', 'b3']);
    expect(margin(similarity(roundup, a.members[0]!))).toBeGreaterThan(BRIDGE_MARGIN); // joins both clearly…
    expect(decideMerge(roundup, a, b)).toEqual({ merge: false, reason: 'unrelated' }); // …but that is no merge
  });

  it('not when the article joins one story only by a hair (below BRIDGE_MARGIN)', () => {
    const weak = art('w1', 4, ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'x', 'y', 'b1']);
    const m = margin(similarity(weak, B.members[0]!));
    expect(m).toBeGreaterThanOrEqual(0);
    expect(m).toBeLessThan(BRIDGE_MARGIN);
    expect(decideMerge(weak, A, B)).toEqual({ merge: false, reason: 'bridge' });
  });

  it('not when a story is closed or the two began more than a window apart', () => {
    const late = side('s-b', [art('b1', 80, ['x', 'y', 'b1', 'b2', 'b3'])]);
    expect(decideMerge(art('x1', 81, [...bridge.body.keys]), A, late)).toEqual({ merge: false, reason: 'window' });
    expect(decideMerge(bridge, A, B, { windowHours: 1 })).toEqual({ merge: false, reason: 'window' });
  });

  it('not beyond the caps: merges per story and the absorbed story’s size', () => {
    expect(decideMerge(bridge, side('s-a', A.members as ArticleVectors[], { merges: MAX_MERGES_PER_STORY }), B)).toEqual({ merge: false, reason: 'cap' });
    expect(decideMerge(bridge, A, side('s-b', B.members as ArticleVectors[], { merges: MAX_MERGES_PER_STORY }))).toEqual({ merge: false, reason: 'cap' });
    expect(decideMerge(bridge, side('s-a', A.members as ArticleVectors[], { merges: MAX_MERGES_PER_STORY - 1 }), B)).toMatchObject({ merge: true });
    expect(decideMerge(bridge, A, side('s-b', B.members as ArticleVectors[], { size: MAX_ABSORBED_ARTICLES + 1 }))).toEqual({ merge: false, reason: 'cap' });
    expect(decideMerge(bridge, A, side('s-b', B.members as ArticleVectors[], { size: MAX_ABSORBED_ARTICLES }))).toMatchObject({ merge: true });
  });

  it('never a story with itself', () => {
    expect(decideMerge(bridge, A, A)).toEqual({ merge: false, reason: 'same' });
  });
});

const outlet = (outletId: string, articleId: string, published: string, o: Partial<StoryOutlet> = {}): StoryOutlet => ({
  outletId,
  outlet: outletId.toUpperCase(),
  affiliation: 'unknown',
  articleId,
  url: `https://example.org/${articleId}`,
  title: articleId,
  published,
  cites: [],
  framings: [],
  ...o,
});
const story = (id: string, outlets: StoryOutlet[], o: Partial<Story> = {}): Story => ({
  id,
  headline: `${id} headline`,
  summary: `${id} summary`,
  countries: ['KZ'],
  relevance: 0.5,
  outlets,
  articleIds: outlets.map((x) => x.articleId),
  entities: [],
  firstSeen: outlets[0]!.published,
  lastSeen: outlets.at(-1)!.published,
  ...o,
});

describe('mergeStoryValues', () => {
  const survivor = story('s-a', [
    outlet('kazinform', 'a1', '2026-03-03T08:00:00Z', { framings: [{ tag: 'color-revolution', confidence: 0.5, evidence: [{ quote: 'q1', attributedTo: null }] }] }),
    outlet('rt', 'a2', '2026-03-03T12:00:00Z'),
  ]);
  const absorbed = story(
    's-b',
    [
      outlet('tengri', 'b1', '2026-03-03T09:30:00Z', { cites: ['kazinform'] }),
      outlet('rt', 'b2', '2026-03-03T10:00:00Z', { framings: [{ tag: 'color-revolution', confidence: 0.9, evidence: [{ quote: 'q2', attributedTo: 'Wei Fenghe' }] }], cites: ['tass'] }),
    ],
    { countries: ['KZ', 'UZ'], relevance: 0.9, mergedIds: ['s-c'] },
  );
  const m = mergeStoryValues(survivor, absorbed);

  it('keeps the survivor’s id, headline and summary; members the survivor’s then the absorbed story’s', () => {
    expect(m).toMatchObject({ id: 's-a', headline: 's-a headline', summary: 's-a summary' });
    expect(m.articleIds).toEqual(['a1', 'a2', 'b1', 'b2']);
    expect(m.mergedIds).toEqual(['s-b', 's-c']);
    expect(m.countries).toEqual(['KZ', 'UZ']);
    expect(m.relevance).toBe(0.9);
    expect([m.firstSeen, m.lastSeen]).toEqual(['2026-03-03T08:00:00Z', '2026-03-03T12:00:00Z']);
  });

  it('`story:<old id>` finds the merged story (the query language knows its merged ids)', () => {
    expect(matchQuery(readStoredQuery('story:s-b').root, storyDocument(m))).toBe(true);
    expect(matchQuery(readStoredQuery('story:s-c').root, storyDocument(m))).toBe(true);
    expect(matchQuery(readStoredQuery('story:s-z').root, storyDocument(m))).toBe(false);
  });

  it('one outlet entry per outlet, the earlier article, both entries’ framings and citations; in order of publication', () => {
    expect(m.outlets.map((o) => [o.outletId, o.articleId])).toEqual([
      ['kazinform', 'a1'],
      ['tengri', 'b1'],
      ['rt', 'b2'],
    ]);
    const rt = m.outlets.find((o) => o.outletId === 'rt')!;
    expect(rt.cites).toEqual(['tass']);
    expect(m.outlets.find((o) => o.outletId === 'tengri')!.cites).toEqual(['kazinform']);
    expect(rt.framings[0]).toMatchObject({ tag: 'color-revolution', confidence: 0.9 });
    // the inputs are not changed
    expect(survivor.outlets.map((o) => o.outletId)).toEqual(['kazinform', 'rt']);
  });
});

describe('filingKeysOf', () => {
  it('every key of every part, sorted, once', () => {
    const v = art('a', 0, ['b', 'a']);
    v.nums = wv(['#:293']);
    v.xnames = wv(['x:tkv']);
    expect(filingKeysOf([v, art('c', 0, ['a', 'c'])])).toEqual(['#:293', 'a', 'b', 'c', 'x:tkv']);
  });
});
