import { describe, expect, it } from 'vitest';
import { articleFeatures, dfKeys, MAX_BODY_TERMS, termListsOf } from '../../../src/core/story/features.js';
import { storyNames } from '../../../src/adapters/analysis-data.js';
import { nameSkeleton } from '../../../src/core/story/text.js';
import type { Entity } from '../../../src/core/types.js';

const kg: Entity = { id: 'country:KG', name: 'Kyrgyzstan', kind: 'country' };
const karakol: Entity = { id: 'place:karakol', name: 'Karakol', kind: 'place', country: 'KG' };

function feats(title: string, text: string, entities: Entity[] = []) {
  return articleFeatures({ id: 'a', title, text, published: '2026-11-24T12:00:00Z', analysis: { language: 'ru', entities } }, { names: storyNames() });
}

describe('articleFeatures: names', () => {
  it("leaves a country's own word out of the names, as its id is (two reports from one republic are not one event for it)", () => {
    const f = feats('Кыргызстан: в Караколе открыли школу', 'Власти Кыргызстана открыли школу в Караколе. Глава района Азамат Беков сказал, что школа нужна.', [kg, karakol]);
    expect(f.names.some((n) => n.startsWith('n:кыргызстан'))).toBe(false);
    // other names stay, and the country stays a script-neutral key
    expect(f.names).toContain('e:place:karakol');
    expect(f.names.some((n) => n.startsWith('n:беков'))).toBe(true);
    expect(f.xnames).toContain('e:country:KG');
  });

  it('counts an entity once across scripts: no skeleton beside its id (republic and city are not four shared names)', () => {
    const f = feats('Кыргызстан: в Караколе открыли школу', 'Власти Кыргызстана открыли школу в Караколе. Глава района Азамат Беков сказал, что школа нужна.', [kg, karakol]);
    expect(f.xnames).toContain('e:country:KG');
    expect(f.xnames).not.toContain(`x:${nameSkeleton('кыргызстан')}`); // e:country:KG already
    expect(f.xnames).not.toContain(`x:${nameSkeleton('каракол')}`); // e:place:karakol already
    expect(f.xnames).toContain(`x:${nameSkeleton('беков')}`); // a name no entity stands for stays
    // the names table's entities too: Wei Fenghe is e:person:wei-fenghe, not also x:fnh
    const w = feats('', 'Министр обороны Китая Вэй Фэнхэ встретился с Токаевым.');
    expect(w.names).toContain('e:person:wei-fenghe');
    expect(w.xnames.filter((k) => k.startsWith('x:')).map((k) => k.slice(2))).not.toContain('fnh');
  });

  it('keeps a country word as a name when the analysis did not find that country', () => {
    const f = feats('', 'Делегация посетила Кыргызстан. Министр Азамат Беков встретил гостей.');
    expect(f.names.some((n) => n.startsWith('n:кыргызстан'))).toBe(true);
  });
});

describe('articleFeatures: numbers', () => {
  it('counts "620 million" once, as its scaled value (a coincidental figure is not two shared figures)', () => {
    const f = feats('Project approved', 'The project costs 620 million dollars and employs 45 people.');
    expect(f.nums).toContain('#:620000000');
    expect(f.nums).not.toContain('#:620');
    expect(f.nums).toContain('#:45');
  });

  it('keeps a plain number that is not the same mention as a scaled one', () => {
    const f = feats('Budget', 'The budget is 1.5 billion; 150 schools get money.');
    expect(f.nums).toContain('#:1500000000');
    expect(f.nums).toContain('#:150');
  });
});

describe('articleFeatures: title and body terms', () => {
  // 300 more words once each (distinct stems): more terms than a body keeps
  const C = 'бвгдзклмнпрст';
  const text = 'Власти Кыргызстана открыли школу в Караколе. Школа в Караколе нужна: школа большая, Каракол рад школе. '.repeat(3) + Array.from({ length: 300 }, (_, i) => `${C[i % 13]}а${C[Math.floor(i / 13) % 13]}о${C[Math.floor(i / 169)]}к`).join(' ');

  it('are plain records in their place (JSON, spread, keys) and the lists the engine reads say the same', () => {
    const f = feats('Кыргызстан: в Караколе открыли школу', text, [kg, karakol]);
    expect(Object.keys(f)).toEqual(['id', 't', 'lang', 'title', 'body', 'names', 'xnames', 'nums']);
    const plain = JSON.parse(JSON.stringify(f)) as typeof f;
    expect({ ...f }).toEqual(plain);
    expect(Object.keys(f.body)).toHaveLength(MAX_BODY_TERMS);
    // the body's most frequent terms, ties in first-seen order; the title counted twice into it
    expect(Object.entries(f.body).slice(0, 2)).toEqual([
      ['школ', 14],
      ['карако', 11],
    ]);
    const lists = termListsOf(f);
    expect(lists.titleKeys).toEqual(Object.keys(plain.title));
    expect(lists.titleCounts).toEqual(Object.values(plain.title));
    expect(lists.bodyKeys).toEqual(Object.keys(plain.body));
    expect(lists.bodyCounts).toEqual(Object.values(plain.body));
    // features from JSON (no lists of their own) read the same lists from their records
    expect(termListsOf(plain)).toEqual(lists);
    expect(dfKeys(plain)).toEqual(dfKeys(f));
  });

  it('can be assigned, and then the lists follow the records assigned', () => {
    const f = feats('Кыргызстан: в Караколе открыли школу', text, [kg, karakol]);
    f.body = { школ: 3, мост: 1 };
    f.title = { мост: 1 };
    expect(f.body).toEqual({ школ: 3, мост: 1 });
    expect(termListsOf(f)).toEqual({ titleKeys: ['мост'], titleCounts: [1], bodyKeys: ['школ', 'мост'], bodyCounts: [3, 1] });
    expect(Object.keys(f)).toEqual(['id', 't', 'lang', 'title', 'body', 'names', 'xnames', 'nums']);
    expect(JSON.parse(JSON.stringify(f)).title).toEqual({ мост: 1 });
  });

  it('keeps the record not assigned, and each object its own records (the accessors are shared)', () => {
    const f = feats('Кыргызстан: в Караколе открыли школу', text, [kg, karakol]);
    const g = feats('Мост в Караколе', 'Мост открыли. Мост большой.', [kg, karakol]);
    const body = JSON.parse(JSON.stringify(f.body)) as Record<string, number>;
    f.title = { мост: 1 };
    expect(f.body).toEqual(body);
    expect(f.body).toBe(f.body);
    expect(termListsOf(f).bodyKeys).toEqual(Object.keys(body));
    expect(g.title).toEqual({ мост: 1, карако: 1 });
    expect(Object.keys(g.body)).toEqual(['мост', 'открыл', 'больш', 'карако']);
    expect(termListsOf(g).titleKeys).toEqual(['мост', 'карако']);
  });
});
