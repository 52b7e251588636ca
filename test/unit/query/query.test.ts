// The one query language (src/core/query): a table of queries against documents (precedence,
// implicit AND, phrases, NEAR within one sentence, NOT, scripts, wildcards, field synonyms),
// bad queries with their one-line errors, what compiles to the store's index, and bounded cost.
import { describe, expect, it } from 'vitest';
import { compileStoryQuery, formatQuery, matchQuery, parseQuery, QUERY_LIMITS, QueryError, resolveQuery, storyDocument, type QueryDocument } from '../../../src/core/query/index.js';
import { seedStory } from '../../fixtures/web/seed-story.js';
import { testVocabulary } from '../commands/fakes.js';

const v = testVocabulary();
const resolve = (q: string) => resolveQuery(parseQuery(q), v);

/** An RT article about Kazakhstan: two sentences where "Tokayev" and "terrorists" are 4 words apart across the boundary. */
const KZ_RT: QueryDocument = {
  id: 'st-kz',
  countries: ['KZ'],
  tags: ['color-revolution', 'foreign-trained-terrorists'],
  outletIds: ['rt'],
  affiliations: ['state:RU'],
  entityIds: ['person:tokayev'],
  texts: [
    'Tokayev spoke in Almaty on Monday. Terrorists trained abroad attacked the city, officials said.',
    'Construction of the Rogun dam continues as planned.',
  ],
};

/** Cyrillic, Kazakh, Uzbek Latin and Chinese text. */
const SCRIPTS: QueryDocument = {
  id: 'st-scripts',
  countries: ['KZ', 'UZ'],
  tags: [],
  outletIds: ['kazinform'],
  affiliations: ['state:KZ'],
  entityIds: [],
  texts: [
    'Токаев заявил о террористах, подготовленных за рубежом.',
    'Қазақстан үкіметі жаңа заң қабылдады.',
    'O‘zbekiston hukumati g‘alaba haqida xabar berdi.',
    '托卡耶夫表示，恐怖分子在境外受训。',
  ],
};

const CASES: [query: string, doc: QueryDocument, expected: boolean][] = [
  // fields, and their singular/plural synonyms
  ['outlet:rt', KZ_RT, true],
  ['outlets:rt', KZ_RT, true],
  ['source:rt', KZ_RT, true],
  ['outlets:global-times', KZ_RT, false],
  ['outlets:"Global Times",rt', KZ_RT, true],
  ['country:KZ', KZ_RT, true],
  ['countries:kazakhstan', KZ_RT, true],
  ['countries:UZ,TJ', KZ_RT, false],
  ['tag:color-revolution', KZ_RT, true],
  ['tags:"color revolution"', KZ_RT, true],
  ['affiliation:state:RU', KZ_RT, true],
  ['affiliations:state', KZ_RT, true],
  ['affiliations:independent', KZ_RT, false],
  ['story:st-kz', KZ_RT, true],
  ['story:st-other', KZ_RT, false],
  ['keywords:"Rogun dam",nothing', KZ_RT, true],
  ['keyword:Tokay*', KZ_RT, true],
  // bare words: countries in any language, people, tags, outlets; implicit AND between words
  ['kazakhstan', KZ_RT, true],
  ['Казахстан', KZ_RT, true],
  ['哈萨克斯坦', KZ_RT, true],
  ['tokayev', KZ_RT, true],
  ['almaty terrorists', KZ_RT, true],
  ['almaty bishkek', KZ_RT, false],
  ['kazakhstan almaty', KZ_RT, true],
  // two countries side by side mean either (as /story always read them); AND asks for both
  ['kazakhstan uzbekistan', KZ_RT, true],
  ['kazakhstan AND uzbekistan', KZ_RT, false],
  // precedence: NOT > AND > OR
  ['kazakhstan OR uzbekistan AND outlet:global-times', KZ_RT, true], // KZ OR (UZ AND GT)
  ['(kazakhstan OR uzbekistan) AND outlet:global-times', KZ_RT, false],
  ['uzbekistan OR kazakhstan outlet:global-times', KZ_RT, false], // UZ OR (KZ AND GT)
  ['NOT outlet:rt OR kazakhstan', KZ_RT, true], // (NOT RT) OR KZ
  ['NOT (outlet:rt OR kazakhstan)', KZ_RT, false],
  ['kazakhstan NOT outlet:rt', KZ_RT, false],
  ['kazakhstan NOT outlet:global-times', KZ_RT, true],
  ['NOT NOT kazakhstan', KZ_RT, true],
  ['kazakhstan AND NOT tag:us-biolabs', KZ_RT, true],
  // a leading hyphen is NOT, as in search boxes; inside a word it is part of the word
  ['kazakhstan -rt', KZ_RT, false],
  ['kazakhstan -outlet:global-times', KZ_RT, true],
  ['kazakhstan -"Rogun dam"', KZ_RT, false],
  ['-(outlet:rt OR uzbekistan)', KZ_RT, false],
  ['"trained-abroad"', KZ_RT, true], // hyphens separate words, as in the text's tokens
  ['foreign-trained', KZ_RT, false],
  ['"trained abroad"', KZ_RT, true],
  // phrases: words in a row, in order, in one sentence
  ['"Rogun dam"', KZ_RT, true],
  ['"dam Rogun"', KZ_RT, false],
  ['"Monday terrorists"', KZ_RT, false], // across a sentence boundary
  ['"trained abroad attacked"', KZ_RT, true],
  // NEAR/n: within n words, always within one sentence
  ['tokayev NEAR/5 monday', KZ_RT, true],
  ['tokayev NEAR/2 monday', KZ_RT, false],
  ['monday NEAR/5 tokayev', KZ_RT, true],
  ['tokayev NEAR/8 terrorists', KZ_RT, false], // 5 words apart, but in the next sentence
  ['terrorists NEAR/5 city', KZ_RT, true], // "Terrorists trained abroad attacked the city": 5 words on
  ['terrorists NEAR/4 city', KZ_RT, false],
  ['"trained abroad" NEAR/3 city', KZ_RT, true],
  ['"Rogun dam" NEAR/3 construction', KZ_RT, true], // "Construction of the Rogun dam"
  ['"Rogun dam" NEAR/2 construction', KZ_RT, false],
  ['tokay* NEAR/1 spoke', KZ_RT, true],
  // prefix wildcards
  ['Tokay*', KZ_RT, true],
  ['Tokyo*', KZ_RT, false],
  ['terror*', KZ_RT, true],
  // stems: plural and singular
  ['terrorist', KZ_RT, true],
  // scripts: Cyrillic, Kazakh letters, Uzbek Latin, Chinese
  ['террористах', SCRIPTS, true],
  ['Токае*', SCRIPTS, true],
  ['"Токаев заявил"', SCRIPTS, true],
  ['токаев NEAR/3 террористах', SCRIPTS, true],
  ['қазақ*', SCRIPTS, true],
  ['"Қазақстан үкіметі"', SCRIPTS, true],
  ['үкіметі NEAR/2 заң', SCRIPTS, true],
  ['O‘zbekiston', SCRIPTS, true],
  ["O'zbekiston", SCRIPTS, true],
  ['g‘alaba', SCRIPTS, true],
  ['o‘zbek* NEAR/2 hukumati', SCRIPTS, true],
  ['"恐怖分子"', SCRIPTS, true],
  ['托卡耶夫', SCRIPTS, false], // the person (an entity), which this document is not filed under
  ['keywords:托卡耶夫', SCRIPTS, true], // the words
  ['"北京"', SCRIPTS, false],
  // invisible format characters (zero-width space, soft hyphen, direction overrides) do not split or hide a word
  ['Tokay\u200Bev', KZ_RT, true],
  ['"Rogun\u00ADdam"', KZ_RT, false], // one word "rogundam", not the phrase
  ['\u202Etokayev\u202C', KZ_RT, true],
  ['"Rogun dam" 😀', KZ_RT, true], // a symbol beside words is nothing, not an error
  // mixed scripts in one query
  ['Токаев OR 哈萨克斯坦 OR O‘zbekiston', SCRIPTS, true],
  ['Қазақстан AND "恐怖分子" AND hukumati', SCRIPTS, true],
];

describe('query language: matching', () => {
  it.each(CASES.map(([q, d, e]) => [q, d.id, e, d] as const))('%s in %s → %s', (query, _id, expected, doc) => {
    const r = resolve(query);
    expect(matchQuery(r.root, doc)).toBe(expected);
  });

  it('parses NOT > AND > OR, with bare words side by side ANDed', () => {
    const r = resolve('alpha OR beta gamma');
    expect(r.root?.kind).toBe('or');
    if (r.root?.kind !== 'or') return;
    expect(r.root.children.map((c) => c.kind)).toEqual(['text', 'and']);
    const n = resolve('NOT alpha beta');
    expect(n.root?.kind).toBe('and');
    if (n.root?.kind !== 'and') return;
    expect(n.root.children.map((c) => c.kind)).toEqual(['not', 'text']);
    expect(formatQuery(resolve('(alpha OR beta) gamma').root)).toBe('(alpha OR beta) gamma');
    expect(formatQuery(resolve('alpha OR beta gamma').root)).toBe('alpha OR beta gamma');
  });

  it('prints a query back so it parses to the same thing', () => {
    for (const q of ['(kazakhstan OR uzbekistan) NOT outlet:rt', '"Rogun dam" OR tokay*', 'tokayev NEAR/5 terrorists kazakhstan', 'NOT (outlet:rt OR affiliation:state:CN) countries:KZ,UZ']) {
      const once = formatQuery(resolve(q).root);
      expect(formatQuery(resolve(once).root), q).toBe(once);
      for (const doc of [KZ_RT, SCRIPTS]) expect(matchQuery(resolve(once).root, doc), `${q} / ${doc.id}`).toBe(matchQuery(resolve(q).root, doc));
    }
  });

  it('finds the window anywhere at the top level, and the plain queries /story always took', () => {
    expect(resolve('kazakhstan 30d').windowHours).toBe(720);
    expect(resolve('(kz OR uz) 2 weeks').windowHours).toBe(336);
    expect(resolve('outlet:rt days:30').windowHours).toBe(720);
    expect(resolve('kazakhstan 30d').plain).toBe(true);
    expect(resolve('kazakhstan days:30').plain).toBe(true);
    expect(resolve('outlet:rt').plain).toBe(false);
    expect(resolve('news and analysis about kazakhstan').plain).toBe(true); // lower-case "and" is a word
  });
});

describe('query language: frozen documents (the search path\'s shared stories)', () => {
  it('match as fresh ones, query after query, with the document and its text index built once', () => {
    const frozen = Object.freeze({ ...KZ_RT, texts: Object.freeze([...KZ_RT.texts]) }) as QueryDocument;
    for (const [q, d, expected] of [...CASES, ...CASES]) {
      if (d !== KZ_RT) continue;
      expect(matchQuery(resolve(q).root, frozen), q).toBe(expected);
    }
  });

  it('storyDocument of a frozen story is the same frozen document every time, equal to a fresh one', () => {
    const story = seedStory();
    const deepFreeze = <T,>(x: T): T => {
      if (x && typeof x === 'object') for (const w of Object.values(Object.freeze(x))) deepFreeze(w);
      return x;
    };
    const shared = deepFreeze(seedStory());
    const d = storyDocument(shared);
    expect(storyDocument(shared)).toBe(d);
    expect(Object.isFrozen(d) && Object.isFrozen(d.texts) && Object.isFrozen(d.tags)).toBe(true);
    expect(d).toEqual(storyDocument(story));
    expect(storyDocument(story)).not.toBe(storyDocument(story)); // not frozen: built per call
    for (const q of ['color revolution', 'tokayev NEAR/5 revolution', 'NOT outlet:rt', 'kazakhstan "color revolution"']) {
      expect(matchQuery(resolve(q).root, d), q).toBe(matchQuery(resolve(q).root, storyDocument(story)));
    }
  });
});

describe('query language: the store index query', () => {
  const compiled = (q: string) => compileStoryQuery(resolve(q).root);
  it('compiles what the index can answer exactly', () => {
    expect(compiled('outlet:rt')).toEqual({ query: { outletIds: ['rt'] }, exact: true, storyIds: null });
    expect(compiled('kazakhstan color revolution rt')).toEqual({ query: { countries: ['KZ'], tags: ['color-revolution'], outletIds: ['rt'] }, exact: true, storyIds: null });
    expect(compiled('countries:KZ OR countries:UZ')).toEqual({ query: { countries: ['KZ', 'UZ'] }, exact: true, storyIds: null });
  });
  it('compiles a superset for the rest, to be filtered by matchQuery', () => {
    expect(compiled('kazakhstan NOT outlet:rt')).toEqual({ query: { countries: ['KZ'] }, exact: false, storyIds: null });
    expect(compiled('(kazakhstan OR uzbekistan) tokayev OR uzbekistan')).toMatchObject({ query: { countries: ['KZ', 'UZ'] }, exact: false });
    expect(compiled('"Rogun dam"')).toEqual({ query: { text: 'rogun dam' }, exact: false, storyIds: null });
    expect(compiled('Tokay*')).toEqual({ query: {}, exact: false, storyIds: null });
    expect(compiled('kazakhstan AND uzbekistan').exact).toBe(false);
    expect(compiled('story:st-1 kazakhstan')).toMatchObject({ exact: false, storyIds: ['st-1'] });
  });
});

describe('query language: bad queries', () => {
  const BAD: [string, string][] = [
    ['kazakhstan)', 'query: unexpected ")" at 11'],
    ['(kazakhstan OR uzbekistan', 'query: the "(" at 1 is not closed'],
    ['kazakhstan OR', 'query: nothing after "OR" at 12'],
    ['OR kazakhstan', 'query: unexpected "OR" at 1'],
    ['kazakhstan AND AND rt', 'query: unexpected "AND" at 16'],
    ['NOT', 'query: nothing after "NOT" at 1'],
    ['()', 'query: empty parentheses at 1'],
    ['"Rogun dam', 'query: the quote at 1 is not closed'],
    ['""', 'query: nothing to search between the quotes at 1'],
    ['tokayev NEAR terrorists', 'query: NEAR needs a distance in words, like NEAR/5: "NEAR" at 9'],
    ['tokayev NEAR/0 terrorists', 'query: NEAR/n takes n from 1 to 20: "NEAR/0" at 9'],
    ['tokayev NEAR/500 terrorists', 'query: NEAR/n takes n from 1 to 20: "NEAR/500" at 9'],
    ['tokayev NEAR/99999999999999999999 terrorists', 'query: NEAR/n takes n from 1 to 20: "NEAR/99999999999999999999" at 9'],
    ['tags:', 'query: "tags:" at 1 needs a value, like tags:color-revolution'],
    ['story:', 'query: "story:" at 1 needs a value, like story:s-821d3e02872c'],
    // symbols only would otherwise mean "everything"
    ['😀', 'query: nothing to search in "😀" at 1: words need letters or digits'],
    ['NOT 🇰🇿', 'query: nothing to search in "🇰🇿" at 5: words need letters or digits'],
    ['\u200B', 'query: nothing to search in "\u200B" at 1: words need letters or digits'],
    ['tokayev NEAR/3 outlet:rt', 'query: NEAR joins words or phrases, not "outlet:rt" at 16'],
    ['a NEAR/3 b NEAR/3 c', 'query: one NEAR at a time; group with AND: "NEAR/3" at 12'],
    ['t*', 'query: a wildcard needs at least 2 letters before *: "t*" at 1'],
    ['to*kay', 'query: * may only end a word: "to*kay" at 1'],
    ['contries:KZ', 'query: no field "contries:" at 1; did you mean countries:?'],
    ['countries:XX', 'query: no Central Asian country "XX" (countries:XX at 1)'],
    ['tags:colour-revolutoin', 'query: no framing tag "colour-revolutoin" (tags:colour-revolutoin at 1); did you mean color-revolution?'],
    ['affiliations:state-RU', 'query: affiliations: takes state:<CC>, public:<CC>, independent or unknown, not "state-RU" (at 1)'],
    ['outlet:', 'query: "outlet:" at 1 needs a value, like outlet:rt'],
    ['days:soon', 'query: days: takes a number of days or a window like 30d: "days:soon" at 1'],
    ['kazakhstan OR (uzbekistan 30d)', 'query: a window such as 30d is for the whole query, not inside OR, NOT or NEAR: "30d" at 27'],
  ];
  it.each(BAD)('%s → %s', (query, message) => {
    let err: unknown;
    try {
      resolve(query);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QueryError);
    expect((err as Error).message).toBe(message);
    expect((err as Error).message).not.toContain('\n');
  });
});

describe('query language: bounded cost', () => {
  const refusedQuickly = (query: string, message: RegExp) => {
    const t0 = performance.now();
    expect(() => resolve(query)).toThrow(message);
    return performance.now() - t0;
  };

  it('refuses too many terms, too deep nesting and too long queries at once', () => {
    const ms = [
      refusedQuickly(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' OR '), /^query: too many terms \(at most 32\): "w32" at \d+$/),
      refusedQuickly(`${'('.repeat(9)}kazakhstan${')'.repeat(9)}`, /^query: nested too deep \(at most 8 levels\): "\(" at 9$/),
      refusedQuickly(`${'NOT '.repeat(9)}kazakhstan`, /^query: nested too deep/),
      refusedQuickly('('.repeat(100_000), /^query: too long \(100000 characters; at most 500\)$/),
      refusedQuickly(`keywords:${Array.from({ length: 40 }, (_, i) => `k${i}`).join(',')}`, /^query: too many terms/),
    ];
    for (const t of ms) expect(t).toBeLessThan(50);
    // the limits themselves are fine
    expect(() => resolve(Array.from({ length: QUERY_LIMITS.maxTerms }, (_, i) => `w${i}`).join(' OR '))).not.toThrow();
    expect(() => resolve(`${'('.repeat(8)}kazakhstan${')'.repeat(8)}`)).not.toThrow();
  });

  it('matches a query at the limits against a long text in linear time', () => {
    // 32 terms, wildcards and NEARs, over ~40,000 words: each term is one pass over the words.
    const words = 'aaaa aaab aaba abaa baaa'.split(' ');
    const text = Array.from({ length: 8000 }, (_, i) => `${words[i % 5]} ${words[(i * 3) % 5]} ${words[(i * 7) % 5]} ${words[(i * 11) % 5]} ${words[(i * 13) % 5]}.`).join(' ');
    const doc: QueryDocument = { ...KZ_RT, texts: [text] };
    const q = Array.from({ length: 8 }, (_, i) => `(aa* NEAR/20 "aaab aaba" OR NOT ab* zzz${i})`).join(' ');
    const r = resolve(q);
    const t0 = performance.now();
    matchQuery(r.root, doc);
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});
