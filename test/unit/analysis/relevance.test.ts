// Relevance separates: an article about a Central Asian country, one that names it in passing,
// and one about elsewhere — with ALERT_MIN_RELEVANCE (0.3) between the first two.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { analyze } from './analyzer.js';

const MIN = 0.3; // ALERT_MIN_RELEVANCE's default (src/config.ts)

const filler = (n: number, about = 'European gas markets') =>
  Array.from({ length: n }, (_, i) => `Analysts said prices in ${about} moved again in week ${i + 1}, with traders citing demand and the weather.`).join(' ');

const cases = {
  central: analyze(
    [
      'Tokayev spoke to the Senate in Astana about reforms, and said elections would follow in the autumn.',
      'Opposition groups in Almaty called the plan too slow.',
      'Kazakhstan has been under pressure since the January unrest.',
      'In Shymkent and Aktobe, local officials said turnout would be high.',
      'The reform package also changes how akims are appointed in Kazakhstan.',
      'Analysts in Astana expect the law to pass by summer.',
      'Tokayev has promised a "New Kazakhstan" since 2022.',
      'Critics say little has changed.',
    ].join(' '),
    { title: 'Kazakhstan’s president announces political reforms' },
  ),
  titleOnly: analyze(filler(10), { title: 'Kazakhstan raises fuel prices' }),
  titlePlusOne: analyze(`${filler(8)} Kazakhstan’s ministry of energy confirmed the change.`, { title: 'Kazakhstan raises fuel prices' }),
  bodyCentral: analyze(
    [
      'Officials in Bishkek said the new rules take effect in March.',
      'Kyrgyzstan’s parliament approved the bill last week.',
      'President Japarov signed it on Friday.',
      'Traders at the Dordoi bazaar in Bishkek said prices would rise.',
      'In Osh, shop owners were less worried.',
      'The law follows a similar one in Kazakhstan.',
      'Critics said it was rushed.',
    ].join(' '),
    { title: 'New market rules take effect' },
  ),
  passingLead: analyze(`Russia and Kazakhstan signed a grain deal, Moscow said. ${filler(10, 'Russian grain exports')}`, { title: 'Russian grain exports hit a record' }),
  passingBody: analyze(`${filler(12, 'Russian grain exports')} Some of the grain goes to Uzbekistan.`, { title: 'Russian grain exports hit a record' }),
  unrelated: analyze(filler(6), { title: 'Gas prices fall in Europe' }),
};

describe('relevance', () => {
  it('orders central > a title about the region > a passing mention > elsewhere', () => {
    const r = Object.fromEntries(Object.entries(cases).map(([k, v]) => [k, v.relevance])) as Record<keyof typeof cases, number>;
    expect(r.central).toBeGreaterThan(0.85);
    expect(r.central).toBeGreaterThan(r.titlePlusOne);
    expect(r.titlePlusOne).toBeGreaterThan(r.titleOnly);
    expect(r.titleOnly).toBeGreaterThan(0.6);
    expect(r.bodyCentral).toBeGreaterThan(0.6);
    expect(r.titleOnly).toBeGreaterThan(r.passingLead);
    expect(r.passingLead).toBeGreaterThan(r.passingBody);
    expect(r.passingBody).toBeGreaterThan(0);
    expect(r.unrelated).toBe(0);
  });

  it('ALERT_MIN_RELEVANCE (0.3) lets articles about the region through and holds back passing mentions', () => {
    for (const k of ['central', 'titleOnly', 'titlePlusOne', 'bodyCentral'] as const) expect(cases[k].relevance, k).toBeGreaterThanOrEqual(MIN);
    for (const k of ['passingLead', 'passingBody', 'unrelated'] as const) expect(cases[k].relevance, k).toBeLessThan(MIN);
    // Countries are still found in passing mentions: relevance gates alerts, not analysis.
    expect(cases.passingLead.countries).toEqual(['KZ']);
    expect(cases.passingBody.countries).toEqual(['UZ']);
  });

  it('a body that repeats its title counts the title as the title', () => {
    const title = 'Новым председателем сената парламента Казахстана стал Маулен Ашимбаев';
    const body = `${title}. Об этом написал пресс-секретарь президента. Депутаты проголосовали единогласно. Затем президент назначил его депутатом сената.`;
    expect(analyze(body, { title }).relevance).toBeGreaterThan(0.6);
  });

  it('the demo’s three unrelated Central Asian stories no longer all score the same, and its other items score 0', () => {
    const demo = parse(readFileSync('data/demo/sample-feeds.yaml', 'utf8')) as { feeds: { id: string; items: { title: string; text: string; link: string }[] }[] };
    const scores = new Map<string, number>();
    for (const f of demo.feeds) for (const it of f.items) scores.set(it.link, analyze(it.text, { title: it.title }).relevance);
    const three = ['/steppe-ledger/rogun-reservoir', '/steppe-ledger/border-protocol', '/vestnik/poezd-tashkent-samarkand'].map((l) => scores.get(l)!);
    for (const s of three) expect(s).toBeGreaterThan(0.8);
    expect(new Set(three).size).toBe(3);
    for (const l of ['/global-times/shanghai-port-record', '/rt/moscow-metro-stations', '/steppe-ledger/football-broadcast', '/vestnik/pogoda-evropa']) expect(scores.get(l), l).toBe(0);
  });
});

describe("a local outlet's feed country (the feeds file's `country`) as a relevance hint", () => {
  // A local outlet names its country once, then only villages and districts no gazetteer knows.
  const local = [
    'The Gafwalsai district council closed the old bus depot near the village of Semsharsai last week, a local newspaper in Tajikistan reported.',
    'Residents of Semsharsai said the depot had served the district for forty years.',
    '"Nobody asked the people who live here," said Bakyt Abiljibev, a local councillor.',
    'The Gafwalsai district council also sold a brick factory, the newspaper said.',
    'The work on the depot was estimated at 12 million dollars.',
    'Another council member said the sale would be reviewed in the spring.',
  ].join(' ');

  it('lifts an article of its home country named in the lead over the threshold', () => {
    const without = analyze(local, { title: 'District council closes the old bus depot' });
    const withHome = analyze(local, { title: 'District council closes the old bus depot', country: 'TJ' });
    expect(without.relevance).toBeLessThan(MIN);
    expect(withHome.relevance).toBeGreaterThanOrEqual(MIN);
    expect(withHome.countries).toEqual(['TJ']);
  });

  it('does nothing for another country, or for a hint that is not one of the five', () => {
    const base = analyze(local, { title: 'District council closes the old bus depot' }).relevance;
    expect(analyze(local, { title: 'District council closes the old bus depot', country: 'KZ' }).relevance).toBe(base);
    expect(analyze(local, { title: 'District council closes the old bus depot', country: 'RU' }).relevance).toBe(base);
  });

  it('does nothing for a passing mention deep in the body', () => {
    const passing = `${filler(12, 'the Baltic ports')} A shipment from Tajikistan was also delayed.`;
    expect(analyze(passing, { title: 'Baltic ports see record traffic', country: 'TJ' }).relevance).toBeLessThan(MIN);
  });
});
