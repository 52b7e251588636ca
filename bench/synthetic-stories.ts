// Made-up analysed articles of many stories, for measuring and testing the story store and the
// search over it without running the analysis: bench/web.ts (the web and /story bench at 40,000
// articles) and test/integration/web/search-equivalence.test.ts. Each story k is about one of the
// five countries (its leader, its capital) and a topic; copy j of it comes from another outlet.
// What differs between the users (which outlets, how old, the words that make stories distinct,
// the quote) is passed in; the shape — the article, its analysis with two framings quoting the
// leader, the entities — is this one.
import type { Affiliation, AnalysisResult, Article, CountryCode, Entity, TagId } from '../src/core/types.js';
import { TAG_IDS } from '../src/core/types.js';

export interface SyntheticCountry {
  cc: CountryCode;
  name: string;
  person: string;
  personId: string;
  city: string;
}

export const SYNTHETIC_COUNTRIES: readonly SyntheticCountry[] = [
  { cc: 'KZ', name: 'Kazakhstan', person: 'Tokayev', personId: 'person:tokayev', city: 'Almaty' },
  { cc: 'KG', name: 'Kyrgyzstan', person: 'Japarov', personId: 'person:japarov', city: 'Bishkek' },
  { cc: 'TJ', name: 'Tajikistan', person: 'Rahmon', personId: 'person:rahmon', city: 'Dushanbe' },
  { cc: 'TM', name: 'Turkmenistan', person: 'Berdimuhamedov', personId: 'person:serdar-berdimuhamedov', city: 'Ashgabat' },
  { cc: 'UZ', name: 'Uzbekistan', person: 'Mirziyoyev', personId: 'person:mirziyoyev', city: 'Tashkent' },
];

export interface SyntheticStories {
  /** Article ids: `<idPrefix>-<k>-<j>`. */
  idPrefix: string;
  countries: readonly SyntheticCountry[];
  topics: readonly string[];
  /** The outlet of copy j of story k. */
  outlet(k: number, j: number): { id: string; name: string; affiliation: Affiliation };
  /** Publication time of copy j of story k, ms since the epoch. */
  published(k: number, j: number): number;
  /** What follows "<leader> on the <topic> in <city>: " in the title: words of the story's own. */
  titleWords(k: number): string;
  /** The sentence the framings quote. */
  quote(s: { c: SyntheticCountry; topic: string; k: number }): string;
  summary(quote: string, topic: string): string;
  url(s: { id: string; outletId: string; k: number; j: number }): string;
  /** The country is an entity as well as its leader. */
  countryEntity: boolean;
}

/** Copy j of story k. */
export function syntheticStoryItem(o: SyntheticStories, k: number, j: number): { article: Article; analysis: AnalysisResult } {
  const c = o.countries[k % o.countries.length]!;
  const topic = o.topics[Math.floor(k / o.countries.length) % o.topics.length]!;
  const outlet = o.outlet(k, j);
  const tags = [TAG_IDS[k % TAG_IDS.length]!, TAG_IDS[(k * 3 + 1) % TAG_IDS.length]!] as TagId[];
  const published = new Date(o.published(k, j)).toISOString();
  const title = `${c.person} on the ${topic} in ${c.city}: ${o.titleWords(k)}`;
  const quote = o.quote({ c, topic, k });
  const id = `${o.idPrefix}-${k}-${j}`;
  const person: Entity = { id: c.personId, name: c.person, kind: 'person', country: c.cc };
  return {
    article: {
      id,
      feedId: `${outlet.id}-en`,
      outletId: outlet.id,
      outlet: outlet.name,
      affiliation: outlet.affiliation,
      url: o.url({ id, outletId: outlet.id, k, j }),
      title,
      text: `${title}. ${quote}`,
      published,
      publishedEstimated: false,
      firstSeen: published,
    },
    analysis: {
      id,
      language: 'en',
      countries: [c.cc],
      relevance: 0.5 + (k % 50) / 100,
      framings: tags.map((tag, i) => ({ tag, confidence: 0.6 + i / 10, evidence: [{ quote, attributedTo: i ? null : c.person }] })),
      summary: o.summary(quote, topic),
      title,
      entities: o.countryEntity ? [{ id: `country:${c.cc}`, name: c.name, kind: 'country', country: c.cc }, person] : [person],
      regional: false,
    },
  };
}
