import { describe, expect, it } from 'vitest';
import { mergeIntoStory, storyCard, type StoryArticle } from '../../../src/core/story/record.js';
import { storyIdFor } from '../../../src/core/story/decide.js';
import type { Framing } from '../../../src/core/types.js';

const fr = (tag: Framing['tag'], quote: string, by: string | null, confidence = 0.8): Framing => ({ tag, confidence, evidence: [{ quote, attributedTo: by }] });

function art(id: string, outletId: string, published: string, o: Partial<StoryArticle['analysis']> & { cites?: string[] } = {}): StoryArticle {
  return {
    id, outletId, outlet: outletId.toUpperCase(), affiliation: outletId === 'rt' ? 'state:RU' : 'state:CN', url: `https://example.org/${id}`,
    title: `Title ${id}`, published, cites: o.cites ?? [],
    analysis: { countries: o.countries ?? ['KZ'], relevance: o.relevance ?? 0.5, framings: o.framings ?? [], summary: o.summary ?? `Summary ${id}`, entities: o.entities ?? [] },
  };
}

describe('mergeIntoStory', () => {
  const gt = art('gt1', 'global-times', '2022-04-26T08:00:00.000Z', { framings: [fr('color-revolution', 'q1', 'Wei Fenghe')], relevance: 0.9 });
  const rt = art('rt1', 'rt', '2022-04-27T10:12:00.000Z', {
    framings: [fr('color-revolution', 'q2', 'Wei Fenghe'), fr('foreign-trained-terrorists', 'q3', 'Tokayev')],
    cites: ['Chinese Ministry of Defense'], countries: ['KZ', 'KG'], entities: [{ id: 'person:tokayev', name: 'Tokayev', kind: 'person' }],
  });

  it('starts a story named after its first article and adds outlets in order of publication', () => {
    const s1 = mergeIntoStory(null, gt);
    expect(s1.id).toBe(storyIdFor('gt1'));
    expect(s1.headline).toBe('Title gt1');
    const s2 = mergeIntoStory(s1, rt);
    expect(s2.outlets.map((o) => o.outletId)).toEqual(['global-times', 'rt']);
    expect(s2.outlets[1]!.cites).toEqual(['Chinese Ministry of Defense']);
    expect(s2.countries).toEqual(['KG', 'KZ']);
    expect(s2.relevance).toBe(0.9);
    expect(s2.entities).toEqual(['person:tokayev']);
    expect([s2.firstSeen, s2.lastSeen]).toEqual([gt.published, rt.published]);
    expect(s2.articleIds).toEqual(['gt1', 'rt1']);
  });

  it('is idempotent per article', () => {
    const s = mergeIntoStory(mergeIntoStory(null, gt), rt);
    expect(mergeIntoStory(s, rt)).toBe(s);
  });

  it('orders by publication even when articles arrive out of order, and the earliest gives the headline', () => {
    const s = mergeIntoStory(mergeIntoStory(null, rt), gt);
    expect(s.id).toBe(storyIdFor('rt1')); // the id stays the first arrival's
    expect(s.outlets.map((o) => o.outletId)).toEqual(['global-times', 'rt']);
    expect(s.headline).toBe('Title gt1');
    expect(s.summary).toBe('Summary gt1');
    expect(s.firstSeen).toBe(gt.published);
  });

  it('keeps one entry per outlet (its earliest article) with the framings of all its articles', () => {
    const later = art('gt2', 'global-times', '2022-04-28T08:00:00.000Z', { framings: [fr('major-power-hegemony', 'q4', null), fr('color-revolution', 'q5', null)] });
    const s = mergeIntoStory(mergeIntoStory(mergeIntoStory(null, gt), rt), later);
    expect(s.outlets).toHaveLength(2);
    const g = s.outlets[0]!;
    expect(g.articleId).toBe('gt1');
    expect(g.framings.map((f) => f.tag)).toEqual(['color-revolution', 'major-power-hegemony']);
    expect(g.framings[0]!.evidence.map((e) => e.quote)).toEqual(['q1', 'q5']);
    expect(s.lastSeen).toBe(later.published);
  });

  it('presents the story card: framings with the outlets carrying them and the first outlet’s top quote', () => {
    const card = storyCard(mergeIntoStory(mergeIntoStory(null, gt), rt));
    expect(card.framings).toEqual([
      { tag: 'color-revolution', outlets: ['global-times', 'rt'], quote: 'q1', attributedTo: 'Wei Fenghe' },
      { tag: 'foreign-trained-terrorists', outlets: ['rt'], quote: 'q3', attributedTo: 'Tokayev' },
    ]);
    expect(card.outlets.map((o) => [o.outletId, o.affiliation])).toEqual([
      ['global-times', 'state:CN'],
      ['rt', 'state:RU'],
    ]);
  });
});
