import { describe, expect, it } from 'vitest';
import { analyze } from './analyzer.js';

describe('countries: names in each language', () => {
  const cases: [string, string[]][] = [
    ['Talks in Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan.', ['KG', 'KZ', 'TJ', 'TM', 'UZ']],
    ['Переговоры в Казахстане, Киргизии, Таджикистане, Туркмении и Узбекистане.', ['KG', 'KZ', 'TJ', 'TM', 'UZ']],
    ['Граждане Кыргызстана и делегация Республики Казахстан прибыли в Душанбе.', ['KG', 'KZ', 'TJ']],
    ['哈萨克斯坦、吉尔吉斯斯坦、塔吉克斯坦、土库曼斯坦和乌兹别克斯坦的代表出席。', ['KG', 'KZ', 'TJ', 'TM', 'UZ']],
    ['Қазақстанның Алматы облысында жаңа мектеп ашылды.', ['KZ']],
    ['Oʻzbekiston va O‘zbekiston, O’zbekiston, O`zbekiston.', ['UZ']],
    ['Тоҷикистон ва Ўзбекистон.', ['TJ', 'UZ']],
    ['Türkmenistanyň paýtagty Aşgabat.', ['TM']],
    ['Kazakh President Tokayev met Mirziyoyev in Samarkand.', ['KZ', 'UZ']],
    ['Заседание прошло в Нур-Султане и Алма-Ате.', ['KZ']],
  ];
  for (const [text, expected] of cases) it(text.slice(0, 40), () => expect(analyze(text).countries).toEqual(expected));

  it('returns only the five, sorted, and entities with stable ids', () => {
    const r = analyze('Tokayev and Putin met in Almaty; Xi joined by video from Beijing.');
    expect(r.countries).toEqual(['KZ']);
    const ids = r.entities.map((e) => e.id);
    expect(ids).toContain('person:tokayev');
    expect(ids).toContain('place:almaty');
    expect(r.entities.find((e) => e.id === 'person:tokayev')?.country).toBe('KZ');
  });
});

describe('countries: ambiguity decisions', () => {
  it('Georgia and Tbilisi are not ours', () => expect(analyze('Storms hit Atlanta, Georgia, and Tbilisi.').countries).toEqual([]));
  it('Mary the name is not Mary the city', () => expect(analyze('Mary Robinson spoke in Geneva.').countries).toEqual([]));
  it('Mary the city counts with Turkmen context', () => expect(analyze('The harvest began in Mary, Turkmenistan.').countries).toEqual(['TM']));
  it('Mary region counts on its own', () => expect(analyze('Floods hit Mary region this week.').countries).toEqual(['TM']));
  it('Turkmen of Iraq are not Turkmenistan', () => expect(analyze('Iraqi Turkmen in Kirkuk protested. Turkmens of Iraq voted.').countries).toEqual([]));
  it('Afghan Tajiks are not Tajikistan', () => expect(analyze('Afghan Tajiks resisted; Tajiks of Afghanistan fled north.').countries).toEqual([]));
  it('a bare Tajik demonym counts', () => expect(analyze('A Tajik delegation arrived.').countries).toEqual(['TJ']));
  it('FC Astana is a Kazakh club: KZ, low relevance', () => {
    const r = analyze('Signing the striker was a real coup for FC Astana, fans said at length in a long discussion of the transfer market and of the other clubs in Europe that were interested.');
    expect(r.countries).toEqual(['KZ']);
    expect(r.entities.map((e) => e.id)).toContain('org:fc-astana');
  });
  it('the Astana format took place in Kazakhstan: KZ', () => expect(analyze('Russia, Turkey and Iran met in the Astana format on Syria.').countries).toEqual(['KZ']));
  it('ethnic Kazakhs in Xinjiang: KZ (weak), the Ili prefecture itself is China', () => {
    expect(analyze('Ethnic Kazakhs detained in Xinjiang camps were released.').countries).toEqual(['KZ']);
    expect(analyze('伊犁哈萨克自治州的棉花丰收。').countries).toEqual([]);
  });
  it('East Turkestan is not Turkistan city', () => {
    expect(analyze('East Turkestan forces were blamed.').countries).toEqual([]);
    expect(analyze('Turkistan hosts a tourism forum.').countries).toEqual(['KZ']);
  });
  it('Chinese 哈 alone (Harvard, Harbin, Hamas) is not Kazakhstan; 土/乌 abbreviations are not used', () => {
    expect(analyze('哈佛大学和哈尔滨的学者讨论了哈马斯。乌方和土方举行会谈。').countries).toEqual([]);
  });
  it('Russian семей (families) is not Semey; Baikonur alone is not Kazakhstan news', () => {
    expect(analyze('Помощь получили десятки семей.').countries).toEqual([]);
    expect(analyze('Корабль стартовал с космодрома Байконур.').countries).toEqual([]);
    expect(analyze('Корабль стартовал с космодрома Байконур в Казахстане.').countries).toEqual(['KZ']);
  });
  it('Kazakh "X ауданы" (district) is a local place; a Russian oblast is not', () => {
    expect(analyze('Жаушықұм ауылында жаңа мектеп ашылды.').countries).toEqual(['KZ']);
    expect(analyze('Омбы облысында жаңа зауыт ашылды.').countries).toEqual([]);
  });
});

describe('relevance and regional articles', () => {
  it('a title mention weighs more than a passing mention in a long body', () => {
    const body = Array.from({ length: 30 }, (_, i) => `Sentence ${i} about European markets and prices in general terms.`).join(' ');
    const inTitle = analyze(body, { title: 'Kazakhstan raises fuel prices' });
    const passing = analyze(`${body} Kazakhstan was also mentioned.`, { title: 'European markets' });
    expect(inTitle.relevance).toBeGreaterThan(0.6);
    expect(passing.relevance).toBeLessThan(0.3);
    expect(passing.countries).toEqual(['KZ']);
  });
  it('a region-only article is relevant with no country and is flagged regional', () => {
    const r = analyze('Water shortages are expected across Central Asia, the SCO secretariat warned.', { title: 'Central Asia braces for drought' });
    expect(r.countries).toEqual([]);
    expect(r.regional).toBe(true);
    expect(r.relevance).toBeGreaterThan(0.5);
  });
  it('an article about elsewhere is not relevant', () => {
    const r = analyze('The French parliament debated pensions on Tuesday.', { title: 'Pensions debate' });
    expect(r.relevance).toBe(0);
    expect(r.regional).toBe(false);
  });
});
