import { describe, expect, it } from 'vitest';
import { editDistance, foldKey } from '../../../src/commands/fold.js';
import { aliasesFromPhrase, outletsFromFeeds, vocabularyFromData } from '../../../src/commands/vocabulary-from-data.js';
import { buildVocabulary, termLabel } from '../../../src/commands/vocabulary.js';
import { loadAnalyzerData } from '../../../src/adapters/analysis-data.js';
import { testVocabulary } from './fakes.js';

const ids = (terms: { kind: string; id: string }[]) => terms.map((t) => `${t.kind}:${t.id}`);

describe('fold and edit distance', () => {
  it('folds case, accents, apostrophes and punctuation', () => {
    expect(foldKey("  Qozog'iston ")).toBe('qozogiston');
    expect(foldKey('Türkmenistan, Nur-Sultan!')).toBe('turkmenistan nur sultan');
    expect(foldKey('coup d’état')).toBe('coup detat');
    expect(foldKey('Казахстан')).toBe('казахстан');
  });
  it('counts edits with transpositions as one', () => {
    expect(editDistance('kazakstan', 'kazakhstan')).toBe(1);
    expect(editDistance('uzbeksitan', 'uzbekistan')).toBe(1);
    expect(editDistance('abc', 'xyz')).toBe(3);
    expect(editDistance('abcdefgh', 'zzzzzzzz', 2)).toBe(3);
  });
});

describe('buildVocabulary', () => {
  const v = testVocabulary();

  it('finds a country by name, code, alias, inflected form, other script and Chinese', () => {
    for (const q of ['kazakhstan', 'Kazakhstan', 'KZ', 'kz', 'Казахстан', 'казахстанский', 'Qazaqstan', '哈萨克斯坦', 'Қазақстан']) {
      expect(ids(v.scan(q).terms), q).toEqual(['country:KZ']);
      expect(v.scan(q).rest, q).toEqual([]);
    }
  });

  it('finds tags by id and label in several spellings and languages', () => {
    for (const q of ['color-revolution', 'color revolution', 'colour revolution', 'Color Revolutions', 'цветной революции', '颜色革命']) {
      expect(ids(v.scan(q).terms), q).toEqual(['tag:color-revolution']);
    }
    expect(ids(v.scan('coup').terms)).toEqual(['tag:attempted-coup']);
    expect(ids(v.scan('coup d’état').terms)).toEqual(['tag:attempted-coup']);
  });

  it('finds outlets by id and name, and people by name or id', () => {
    expect(ids(v.scan('RT').terms)).toEqual(['outlet:rt']);
    expect(ids(v.scan('global times').terms)).toEqual(['outlet:global-times']);
    expect(ids(v.scan('globaltimes').terms)).toEqual(['outlet:global-times']);
    expect(ids(v.scan('Azattyq').terms)).toEqual(['outlet:azattyq']);
    expect(ids(v.scan('Токаев').terms)).toEqual(['entity:person:tokayev']);
    expect(v.resolve('person:tokayev')?.id).toBe('person:tokayev');
  });

  it('prefers the longest alias, then a country over other kinds', () => {
    // "Sputnik Kazakhstan" is an outlet, not the country
    expect(ids(v.scan('sputnik kazakhstan').terms)).toEqual(['outlet:sputnik-kz']);
    const both = buildVocabulary({ countries: { KZ: ['kazakh'] }, entities: [{ id: 'place:x', name: 'X', aliases: ['kazakh'] }], tags: [], outlets: [] });
    expect(ids(both.scan('kazakh').terms)).toEqual(['country:KZ']);
  });

  it('scans mixed text and returns the words it did not know', () => {
    const r = v.scan('Kazakhstan color revolution tokayev rogun dam news');
    expect(ids(r.terms)).toEqual(['country:KZ', 'tag:color-revolution', 'entity:person:tokayev', 'entity:place:rogun']);
    expect(r.rest).toEqual(['dam', 'news']);
    expect(ids(v.scan('吉尔吉斯斯坦 颜色革命').terms)).toEqual(['country:KG', 'tag:color-revolution']);
  });

  it('resolves a whole value only, restricted to kinds', () => {
    expect(v.resolve('uzbekistan', ['country'])?.id).toBe('UZ');
    expect(v.resolve('UZ', ['country'])?.id).toBe('UZ');
    expect(v.resolve('uzbekistan rt')).toBeNull();
    expect(v.resolve('rt', ['country'])).toBeNull();
    expect(v.resolve('color revolution', ['tag'])?.id).toBe('color-revolution');
    expect(v.resolve('Global Times', ['outlet'])?.id).toBe('global-times');
  });

  it('suggests near matches for typos, nearest first', () => {
    expect(ids(v.suggest('kazahstan'))).toEqual(['country:KZ']);
    expect(ids(v.suggest('uzbeksitan'))[0]).toBe('country:UZ');
    expect(ids(v.suggest('colr revolution'))[0]).toBe('tag:color-revolution');
    expect(ids(v.suggest('global tims'))[0]).toBe('outlet:global-times');
    expect(ids(v.suggest('tokayevs'))).toContain('entity:person:tokayev');
    expect(ids(v.suggest('kazahstanskiy'))).toEqual(['country:KZ']);
    expect(v.suggest('xyzzyqq')).toEqual([]);
    expect(v.suggest('ab')).toEqual([]);
    expect(ids(v.suggest('kazahstan', ['tag']))).toEqual([]);
  });

  it('labels suggestions as people read them', () => {
    expect(termLabel(v.get('country', 'KZ')!)).toBe('Kazakhstan (KZ)');
    expect(termLabel(v.get('outlet', 'global-times')!)).toBe('Global Times (global-times)');
    expect(termLabel(v.get('outlet', 'rt')!)).toBe('RT');
    expect(v.queryWords(v.get('tag', 'color-revolution')!)).toBe('color revolution');
    expect(v.queryWords(v.get('entity', 'person:tokayev')!)).toBe('tokayev');
  });
});

describe('vocabularyFromData', () => {
  it('loosens gazetteer phrases into query aliases', () => {
    expect(aliasesFromPhrase('kazakhstan*')).toEqual(['kazakhstan*']);
    expect(aliasesFromPhrase('^osh')).toEqual(['osh']);
    expect(aliasesFromPhrase('=sco')).toEqual(['sco']);
    expect(aliasesFromPhrase('fc|fk astana')).toEqual(['fc astana', 'fk astana']);
    expect(aliasesFromPhrase('астана@kk')).toEqual(['астана*']);
    expect(aliasesFromPhrase('ош@ru')).toEqual(['ош']);
    expect(aliasesFromPhrase('kassym ?jomart tokayev')).toEqual(['kassym tokayev', 'kassym jomart tokayev']);
    expect(aliasesFromPhrase('ethnic kazakh* ..6 xinjiang')).toEqual([]);
    expect(aliasesFromPhrase('^_ ауданы@kk')).toEqual([]);
  });

  it('merges outlets of several feeds', () => {
    expect(outletsFromFeeds([{ outletId: 'rt', outlet: 'RT' }, { outletId: 'rt', outlet: 'RT на русском' }, { outletId: 'kabar', outlet: 'Kabar' }])).toEqual([
      { id: 'rt', name: 'RT' },
      { id: 'kabar', name: 'Kabar' },
    ]);
  });

  it('resolves countries in every language the packaged gazetteer knows', () => {
    // as the lead wires it: the analysis core's loader, and the configured feeds
    const v = vocabularyFromData({ gazetteer: loadAnalyzerData().gazetteer, feeds: [{ outletId: 'rt', outlet: 'RT' }] });
    for (const q of ['kazakhstan', 'Казахстан', 'KZ', 'казахстанский', '哈萨克斯坦', 'Qazaqstan', "Qozog'iston"]) expect(ids(v.scan(q).terms), q).toEqual(['country:KZ']);
    expect(ids(v.scan('Kyrgyzstan').terms)).toEqual(['country:KG']);
    expect(ids(v.scan('tokayev').terms)).toEqual(['entity:person:tokayev']);
    expect(ids(v.scan('color revolution').terms)).toEqual(['tag:color-revolution']);
    expect(ids(v.scan('rt').terms)).toEqual(['outlet:rt']);
    expect(ids(v.suggest('kazahstan'))[0]).toBe('country:KZ');
  });
});
