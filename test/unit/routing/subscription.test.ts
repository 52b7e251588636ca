import { describe, expect, it } from 'vitest';
import { isMuted, keywordRegex, RoutingView, subscriptionMatches, type RoutingSubject, type Subscription } from '../../../src/core/routing/subscription.js';
import type { AnalysisResult, Story } from '../../../src/core/types.js';

const analysis = (o: Partial<AnalysisResult> = {}): AnalysisResult => ({
  id: 'a1', language: 'en', countries: ['KZ'], relevance: 0.8, framings: [], summary: '', title: 't', entities: [], regional: false, ...o,
});
const story = (o: Partial<Story> = {}): Story => ({
  id: 's1', headline: 'China warns of color revolution', summary: '', countries: ['KZ'], relevance: 0.8, outlets: [], articleIds: ['a1'], entities: [], firstSeen: '2022-04-26T00:00:00Z', lastSeen: '2022-04-26T00:00:00Z', ...o,
});
const subject = (a: Partial<AnalysisResult> = {}, s: Partial<Story> = {}, extra: Partial<RoutingSubject['article']> = {}): RoutingSubject => ({
  story: story(s),
  article: { outletId: 'rt', affiliation: 'state:RU', title: 'China warns Kazakhstan', text: 'Tokayev met Wei Fenghe about the Rogun dam.', analysis: analysis(a), ...extra },
});
const sub = (o: Partial<Subscription> = {}): Subscription => ({
  id: 's', destination: 'console', countries: [], tags: [], outlets: [], affiliations: [], keywords: [], minRelevance: null, mode: 'alerts', isDefault: false, createdBy: null, createdAt: '', paused: null, ...o,
});

describe('subscriptionMatches', () => {
  it('an empty subscription takes every Central Asia story above the relevance floor', () => {
    expect(subscriptionMatches(sub(), subject(), 0.3)).toBe(true);
    expect(subscriptionMatches(sub(), subject({ relevance: 0.1 }, { relevance: 0.1 }), 0.3)).toBe(false);
    expect(subscriptionMatches(sub({ minRelevance: 0.05 }), subject({ relevance: 0.1 }, { relevance: 0.1 }), 0.3)).toBe(true);
    expect(subscriptionMatches(sub(), subject({ countries: [] }, { countries: [] }), 0.3)).toBe(false);
    expect(subscriptionMatches(sub(), subject({ countries: [], regional: true }, { countries: [] }), 0.3)).toBe(true);
  });

  it('ANDs fields and ORs values', () => {
    expect(subscriptionMatches(sub({ countries: ['UZ', 'KZ'] }), subject(), 0.3)).toBe(true);
    expect(subscriptionMatches(sub({ countries: ['UZ'] }), subject(), 0.3)).toBe(false);
    expect(subscriptionMatches(sub({ countries: ['KZ'], outlets: ['tass'] }), subject(), 0.3)).toBe(false);
    expect(subscriptionMatches(sub({ countries: ['KZ'], outlets: ['tass', 'rt'] }), subject(), 0.3)).toBe(true);
  });

  it('matches tags of the article or the story so far', () => {
    const withTag = subject({ framings: [{ tag: 'color-revolution', confidence: 0.9, evidence: [] }] });
    expect(subscriptionMatches(sub({ tags: ['color-revolution'] }), withTag, 0.3)).toBe(true);
    expect(subscriptionMatches(sub({ tags: ['us-biolabs'] }), withTag, 0.3)).toBe(false);
  });

  it('takes `state` as any state media, `state:RU` as Russia’s only', () => {
    expect(subscriptionMatches(sub({ affiliations: ['state'] }), subject(), 0.3)).toBe(true);
    expect(subscriptionMatches(sub({ affiliations: ['state:CN'] }), subject(), 0.3)).toBe(false);
    expect(subscriptionMatches(sub({ affiliations: ['state:RU'] }), subject(), 0.3)).toBe(true);
  });

  it('matches keywords on whole words, case-insensitively', () => {
    expect(subscriptionMatches(sub({ keywords: ['rogun dam'] }), subject(), 0.3)).toBe(true);
    expect(subscriptionMatches(sub({ keywords: ['Rogu'] }), subject(), 0.3)).toBe(false);
    expect(keywordRegex('Tokayev').test('Токаев')).toBe(false);
    expect(keywordRegex('Токаев').test('заявил Токаев.')).toBe(true);
  });

  it('never routes to a paused subscription', () => {
    expect(subscriptionMatches(sub({ paused: { reason: 'x', at: '' } }), subject(), 0.3)).toBe(false);
  });

  it('one RoutingView of a subject, tried on many subscriptions in turn, answers each as the subject itself does', () => {
    const framed = { framings: [{ tag: 'color-revolution' as const, confidence: 0.9, evidence: [] }] };
    const outlets: Story['outlets'] = [{ outletId: 'xinhua', outlet: 'Xinhua', affiliation: 'state:CN', articleId: 'x1', url: null, title: 'Wei warns', published: '', cites: [], framings: [{ tag: 'external-interference', confidence: 0.8, evidence: [] }] }];
    const subjects = [subject(), subject(framed, { countries: ['UZ'], outlets }), subject({ countries: [], regional: true }, { countries: [], headline: 'Rogun' }), subject({ relevance: 0.1 }, { relevance: 0.1 })];
    const subs = [
      sub(), sub({ countries: ['UZ'] }), sub({ countries: ['KZ', 'TJ'] }), sub({ tags: ['external-interference'] }), sub({ tags: ['color-revolution'] }),
      sub({ outlets: ['xinhua'] }), sub({ outlets: ['tass'] }), sub({ affiliations: ['state:CN'] }), sub({ affiliations: ['state'] }), sub({ keywords: ['rogun'] }),
      sub({ keywords: ['Wei Fenghe'], countries: ['KZ'] }), sub({ query: 'rogun AND NOT tass' }), sub({ query: 'Tokayev' }), sub({ minRelevance: 0.05 }), sub({ paused: { reason: 'x', at: '' } }),
    ];
    // What the story adds (its outlets, their tags and affiliations, its countries), seen through a view.
    const storyView = new RoutingView(subjects[1]!);
    for (const u of [sub({ outlets: ['xinhua'] }), sub({ tags: ['external-interference'] }), sub({ affiliations: ['state:CN'] }), sub({ countries: ['UZ'] })]) expect(subscriptionMatches(u, storyView, 0.3)).toBe(true);
    expect(subscriptionMatches(sub({ keywords: ['rogun'] }), new RoutingView(subjects[2]!), 0.3)).toBe(true);
    let yes = 0;
    for (const s of subjects) {
      const view = new RoutingView(s);
      for (const u of subs) {
        const want = subscriptionMatches(u, s, 0.3);
        expect(subscriptionMatches(u, view, 0.3), JSON.stringify(u)).toBe(want);
        if (want) yes += 1;
      }
    }
    // Both answers occur (the comparison is not of all-false).
    expect(yes).toBeGreaterThan(10);
    expect(yes).toBeLessThan(subjects.length * subs.length - 10);
  });
});

describe('isMuted', () => {
  const mutes = (stories: string[], outlets: string[] = []) => ({ stories: new Set(stories), outlets: new Set(outlets) });
  it('a merged story is muted where either of the stories it was made of is (the survivor inherits the mute)', () => {
    const merged = story({ id: 's-surv', mergedIds: ['s-old', 's-older'] });
    expect(isMuted(mutes(['s-old']), merged)).toBe(true);
    expect(isMuted(mutes(['s-older']), merged)).toBe(true);
    expect(isMuted(mutes(['s-surv']), merged)).toBe(true);
    expect(isMuted(mutes(['s-other']), merged)).toBe(false);
    expect(isMuted(mutes(['s-old']), story({ id: 's-surv' }))).toBe(false);
  });
  it('an outlet mute, by id; a story given by id alone', () => {
    expect(isMuted(mutes([], ['rt']), 's1', 'rt')).toBe(true);
    expect(isMuted(mutes([], ['rt']), 's1', 'tass')).toBe(false);
    expect(isMuted(mutes(['s1']), 's1', 'tass')).toBe(true);
  });
});
