// Routing on the one query language (issue #17): a subscription's stored query against a story and
// the article that changed it — a table of cases (fields singular and plural, precedence, phrases,
// NEAR within one sentence, NOT, prefixes, scripts) and old field-only subscriptions unchanged.
import { describe, expect, it } from 'vitest';
import { parseQuery, readStoredQuery, resolveQuery, storedQueryText, type QueryLexicon } from '../../../src/core/query/index.js';
import { subscriptionMatches, type RoutingSubject, type Subscription } from '../../../src/core/routing/subscription.js';
import type { AnalysisResult, Story, StoryOutlet } from '../../../src/core/types.js';

const analysis = (o: Partial<AnalysisResult> = {}): AnalysisResult => ({
  id: 'a1', language: 'en', countries: ['KZ'], relevance: 0.8, framings: [{ tag: 'color-revolution', confidence: 0.9, evidence: [] }], summary: '', title: 't', entities: [{ id: 'person:tokayev', name: 'Tokayev', kind: 'person', country: 'KZ' }], regional: false, ...o,
});
const outlet = (o: Partial<StoryOutlet>): StoryOutlet => ({ outletId: 'global-times', outlet: 'Global Times', affiliation: 'state:CN', articleId: 'a0', url: null, title: '', published: '2022-04-26T00:00:00Z', cites: [], framings: [], ...o });
const story = (o: Partial<Story> = {}): Story => ({
  id: 'st1', headline: 'China warns of color revolution', summary: '', countries: ['KZ'], relevance: 0.8, outlets: [outlet({})], articleIds: ['a0', 'a1'], entities: [], firstSeen: '2022-04-26T00:00:00Z', lastSeen: '2022-04-26T00:00:00Z', ...o,
});
const subject = (text: string, a: Partial<AnalysisResult> = {}, s: Partial<Story> = {}): RoutingSubject => ({
  story: story(s),
  article: { outletId: 'rt', affiliation: 'state:RU', title: 'China warns Kazakhstan of a color revolution', text, analysis: analysis(a) },
});
const base: Subscription = { id: 's', destination: 'console', countries: [], tags: [], outlets: [], affiliations: [], keywords: [], minRelevance: null, mode: 'alerts', isDefault: false, createdBy: null, createdAt: '', paused: null };

/** A small vocabulary: what /subscribe resolves names with before the query is stored. */
const LEX: QueryLexicon = {
  scan(text) {
    const terms = [];
    const rest = [];
    for (const w of text.split(' ').filter(Boolean)) {
      if (w === 'kazakhstan' || w === 'казахстан') terms.push({ kind: 'country' as const, id: 'KZ', name: 'Kazakhstan' });
      else if (w === 'uzbekistan') terms.push({ kind: 'country' as const, id: 'UZ', name: 'Uzbekistan' });
      else rest.push(w);
    }
    return { terms, rest };
  },
  resolve(value, kinds) {
    const v = value.toLowerCase();
    if ((!kinds || kinds.includes('country')) && (v === 'kz' || v === 'kazakhstan')) return { kind: 'country', id: 'KZ', name: 'Kazakhstan' };
    if ((!kinds || kinds.includes('country')) && (v === 'uz' || v === 'uzbekistan')) return { kind: 'country', id: 'UZ', name: 'Uzbekistan' };
    if ((!kinds || kinds.includes('tag')) && v === 'color-revolution') return { kind: 'tag', id: 'color-revolution', name: 'color revolution' };
    if ((!kinds || kinds.includes('tag')) && v === 'us-biolabs') return { kind: 'tag', id: 'us-biolabs', name: 'US biolabs' };
    if ((!kinds || kinds.includes('outlet')) && (v === 'rt' || v === 'global-times')) return { kind: 'outlet', id: v, name: v };
    if ((!kinds || kinds.includes('entity')) && v === 'tokayev') return { kind: 'entity', id: 'person:tokayev', name: 'Tokayev' };
    return null;
  },
};

/** As /subscribe stores it: resolved with the vocabulary, printed with ids. */
const stored = (q: string) => storedQueryText(resolveQuery(parseQuery(q), LEX).root);
const sub = (q: string): Subscription => ({ ...base, mode: 'alerts', query: stored(q) });

const TEXT = 'Tokayev met Wei Fenghe about the Rogun dam. Officials in Astana spoke of foreign interference. Тоқаев сөз сөйледі. 中国国防部警告颜色革命。';

describe('subscription queries (routing table)', () => {
  const cases: [string, boolean][] = [
    // fields, singular and plural, values OR-ed; the story's outlets and tags count
    ['countries:KZ', true],
    ['country:KZ', true],
    ['country:UZ', false],
    ['countries:UZ,KZ', true],
    ['outlet:rt', true],
    ['outlets:global-times', true],
    ['affiliation:state:CN', true],
    ['affiliations:state', true],
    ['affiliation:independent', false],
    ['tag:color-revolution', true],
    ['tags:us-biolabs', false],
    ['entity:tokayev', true],
    ['story:st1', true],
    // bare names and words side by side: AND
    ['kazakhstan rogun', true],
    ['kazakhstan nurek', false],
    // precedence: NOT > AND > OR
    ['uzbekistan OR kazakhstan AND tag:us-biolabs', false],
    ['(uzbekistan OR kazakhstan) AND tag:color-revolution', true],
    ['tag:us-biolabs OR rogun', true],
    ['NOT outlet:rt', false],
    ['kazakhstan NOT tag:us-biolabs', true],
    ['kazakhstan -rogun', false],
    // phrases: words in a row, in one sentence
    ['"Rogun dam"', true],
    ['"dam Rogun"', false],
    ['"dam officials"', false],
    ['keywords:"Rogun dam",nurek', true],
    // NEAR/n: within n words, never across a sentence boundary
    ['tokayev NEAR/3 fenghe', true],
    ['tokayev NEAR/1 fenghe', false],
    ['rogun NEAR/5 astana', false],
    ['"Wei Fenghe" NEAR/4 "Rogun dam"', true],
    // prefixes, scripts
    ['Tokay*', true],
    ['Roguntown*', false],
    ['Тоқаев', true],
    ['Тоқ*', true],
    ['颜色革命', true],
    ['kazakhstan AND 颜色革命', true],
  ];
  it.each(cases)('%s → %s', (q, want) => {
    expect(subscriptionMatches(sub(q), subject(TEXT), 0.3)).toBe(want);
  });

  it('stores the query with ids and quoted words, so it reads back without the vocabulary', () => {
    expect(stored('kazakhstan rogun OR keywords:30')).toBe('countries:KZ "rogun" OR "30"');
    expect(readStoredQuery('"30"').windowHours).toBeNull();
    expect(stored('(uzbekistan OR kazakhstan) NOT outlet:rt')).toBe('(countries:UZ OR countries:KZ) NOT outlets:rt');
    expect(readStoredQuery(stored('entity:tokayev Tokay*')).root).toMatchObject({ kind: 'and', children: [{ kind: 'field', field: 'entities', values: ['person:tokayev'] }, { kind: 'text' }] });
  });

  it('relevance, Central Asia and pauses still gate a query', () => {
    expect(subscriptionMatches(sub('rogun'), subject(TEXT, { relevance: 0.1 }, { relevance: 0.1 }), 0.3)).toBe(false);
    expect(subscriptionMatches({ ...sub('rogun'), minRelevance: 0.05 }, subject(TEXT, { relevance: 0.1 }, { relevance: 0.1 }), 0.3)).toBe(true);
    expect(subscriptionMatches(sub('rogun'), subject(TEXT, { countries: [] }, { countries: [] }), 0.3)).toBe(false);
    expect(subscriptionMatches({ ...sub('rogun'), paused: { reason: 'x', at: '' } }, subject(TEXT), 0.3)).toBe(false);
  });

  it('a subscription made before the query language (fields, no query) matches as it did', () => {
    const old: Subscription = { ...base, mode: 'alerts', countries: ['KZ'], keywords: ['Rogun dam'] };
    expect(subscriptionMatches(old, subject(TEXT), 0.3)).toBe(true);
    expect(subscriptionMatches({ ...old, keywords: ['Rogu'] }, subject(TEXT), 0.3)).toBe(false);
    expect(subscriptionMatches({ ...old, countries: ['UZ'] }, subject(TEXT), 0.3)).toBe(false);
  });

  it('a stored query that does not read matches nothing', () => {
    expect(subscriptionMatches({ ...base, mode: 'alerts', query: 'tag:(' }, subject(TEXT), 0.3)).toBe(false);
  });
});
