// Country words for attribution come from data/gazetteer.yaml, their one source
// (src/core/geo/country-words.ts). The cases below are the classes of words whose reading
// changed when the hand-written patterns of data/speakers.yaml gave way to the gazetteer's
// (tools/house/country-words-diff.ts over the development corpus), each decided here.
import { describe, expect, it } from 'vitest';
import { loadAnalyzerData } from '../../../src/adapters/analysis-data.js';
import { createAnalyzer } from '../../../src/core/analyse.js';
import { compileSpeakers, natOf, roleKeys, zhRoleKeys } from '../../../src/core/framing/attribution/roles.js';
import { compileCountryWords, countryOf } from '../../../src/core/geo/country-words.js';
import { NOW } from './analyzer.js';

const data = loadAnalyzerData();
const words = compileCountryWords(data.gazetteer);
const roles = compileSpeakers(data.speakers, words);

describe('country words (from the gazetteer)', () => {
  it.each([
    ['Kazakh', 'KZ'],
    ['казахстанский', 'KZ'],
    ['Қазақстанның', 'KZ'],
    ["O‘zbekiston", 'UZ'],
    ['Chinese', 'CN'],
    ['китайский', 'CN'],
    ['российский', 'RU'],
    ['РФ', 'RU'],
    ['РФ,', 'RU'],
    ["Kremlin's", 'RU'],
    ['Москвы', 'RU'],
    ['American', 'US'],
    ['U.S.', 'US'],
    ['Washington’s', 'US'],
  ])('%s names %s (as before)', (w, cc) => {
    expect(countryOf(words, w)).toBe(cc);
  });

  it('"US" is the United States only in capitals: the pronoun "us" names nobody (it did: "told us")', () => {
    expect(countryOf(words, 'US')).toBe('US');
    expect(countryOf(words, "US's")).toBe('US');
    expect(countryOf(words, 'us')).toBeNull();
    expect(countryOf(words, 'Us')).toBeNull();
  });

  it('Kazakh "АҚШ" (USA) is an abbreviation in capitals: ақша ("money") and the surname Ақшабаев are not the US', () => {
    expect(countryOf(words, 'АҚШ')).toBe('US');
    expect(countryOf(words, 'АҚШ-тың')).toBe('US');
    for (const w of ['ақша', 'ақшасын', 'Ақша', 'Ақшабаев']) expect(countryOf(words, w)).toBeNull();
  });

  it('a hyphenated word is read by its first part, as geo splits it: "US-led", "Қазақ-қырғыз"', () => {
    expect(countryOf(words, 'US-led')).toBe('US');
    expect(countryOf(words, 'Қазақ-қырғыз')).toBe('KZ');
    expect(countryOf(words, 'российско-американский')).toBe('RU');
    expect(countryOf(words, 'pro-Russian')).toBeNull();
  });

  it('ҚР (Қазақстан Республикасы) is Kazakhstan in capitals, for geo as for attribution', () => {
    expect(countryOf(words, 'ҚР')).toBe('KZ');
    expect(countryOf(words, 'ҚР-ның')).toBe('KZ');
    expect(createAnalyzer(data).analyze({ id: 'k', text: 'ҚР Президенті бүгін сөз сөйледі.' }, NOW).countries).toEqual(['KZ']);
  });

  it('the Kazakh spelling Түрікменстан is Turkmenistan (the old patterns missed it)', () => {
    expect(countryOf(words, 'Түрікменстан')).toBe('TM');
    expect(countryOf(words, 'Түрікменстанмен')).toBe('TM');
  });

  it('company names and the adverb "қазақша" (in Kazakh) are not a nationality, as in geo', () => {
    for (const w of ['Қазақтелеком', 'Қазақмыс', 'Қазақконцерт', 'қазақша']) expect(countryOf(words, w)).toBeNull();
    expect(countryOf(words, 'қазақтың')).toBe('KZ');
  });

  it('a word that only starts like a country is not one (the old "chin", "kazak" prefixes took them)', () => {
    for (const w of ['Chinara', 'Chinggis', 'Chinatown', 'Kazakov']) expect(countryOf(words, w)).toBeNull();
  });

  it('a role phrase takes its country and office: "Chinese Foreign Ministry spokesman"', () => {
    const { nat, heads } = roleKeys(roles, ['Chinese', 'Foreign', 'Ministry', 'spokesman']);
    expect(nat).toBe('CN');
    expect([...heads].sort()).toEqual(['foreign', 'ministry', 'spokes']);
    expect(natOf(roles, 'российский')).toBe('RU');
  });

  it('a Chinese demonym before an office is read whole: 塔吉克总统拉赫蒙 is Tajikistan and the name 拉赫蒙 (not 塔 and "吉克拉赫蒙")', () => {
    expect(zhRoleKeys(roles, '塔吉克总统拉赫蒙')).toEqual({ nat: 'TJ', heads: new Set(['head']), rest: '拉赫蒙' });
    expect(zhRoleKeys(roles, '哈萨克总统托卡耶夫').nat).toBe('KZ');
    expect(zhRoleKeys(roles, '俄外长拉夫罗夫')).toEqual({ nat: 'RU', heads: new Set(['minister', 'foreign']), rest: '拉夫罗夫' });
  });
});

describe('one source: attribution reads the gazetteer', () => {
  const text = 'Tokayev met Xi Jinping, the Chinese president, in Astana on Monday. The Chinese leader called the unrest in Kazakhstan an attempted coup.';
  const speaker = (d: typeof data) => createAnalyzer(d).analyze({ id: 'a', text }, NOW).framings.find((f) => f.tag === 'attempted-coup')?.evidence[0]?.attributedTo;

  it('"the Chinese leader" is the Chinese president the article named', () => {
    expect(speaker(data)).toBe('Xi Jinping');
  });

  it('without China in the gazetteer (others.CN) the role is not resolved', () => {
    const edited = structuredClone(data);
    delete edited.gazetteer.others!.CN;
    expect(speaker(edited)).not.toBe('Xi Jinping');
  });

  it('countries outside the region are not counted by geo', () => {
    const r = createAnalyzer(data).analyze({ id: 'b', text: 'Chinese and Russian officials met in Beijing and Moscow; the Kremlin and Washington commented.' }, NOW);
    expect(r.countries).toEqual([]);
  });
});
