// Which mode:spikes subscriptions get a spike alert (core/trends/spike-routing.ts): a query
// subscription when a story behind the spike matches its whole query (those stories listed
// first), field subscriptions as before, and only spikes found after the subscription was made.
import { describe, expect, it } from 'vitest';
import type { Subscription } from '../../../src/core/routing/subscription.js';
import { spikeStories } from '../../../src/core/trends/spike-alert.js';
import { spikeRouting, storiesShown, subscribedBefore, type SpikeCandidate } from '../../../src/core/trends/spike-routing.js';
import type { Story, StoryOutlet } from '../../../src/core/types.js';

const to = Date.parse('2026-03-31T11:00:00Z');
const from = to - 86_400_000;
const FOUND = '2026-03-31T11:05:00.000Z';
const outlet = (id: string, affiliation: StoryOutlet['affiliation'], published: string, quote: string, who: string | null, tags = ['color-revolution']): StoryOutlet => ({
  outletId: id,
  outlet: id.toUpperCase(),
  affiliation,
  articleId: `${id}-${published}`,
  url: `https://example.org/${id}`,
  title: quote,
  published,
  cites: [],
  framings: tags.map((tag) => ({ tag: tag as never, confidence: 1, evidence: [{ quote, attributedTo: who }] })),
});
const story = (id: string, headline: string, countries: string[], outlets: StoryOutlet[], entities: string[] = []): Story => ({
  id,
  headline,
  summary: '',
  countries: countries as never,
  relevance: 0.9,
  outlets,
  articleIds: outlets.map((o) => o.articleId),
  entities,
  firstSeen: outlets[0]!.published,
  lastSeen: outlets.at(-1)!.published,
});
const stories = [
  story('s1', 'Tokayev warns of a colour revolution plot', ['KZ'], [
    outlet('rt', 'state:RU', '2026-03-31T01:00:00Z', 'They want a colour revolution on our streets, Tokayev said.', 'Tokayev'),
    outlet('tass', 'state:RU', '2026-03-31T02:00:00Z', 'Plotters prepare a colour revolution.', null, ['color-revolution', 'sovereignty']),
  ], ['person:tokayev']),
  story('s2', 'Zakharova: the West stages a colour revolution in Kazakhstan', ['KZ'], [
    outlet('rt', 'state:RU', '2026-03-31T03:00:00Z', 'We see the classic colour revolution script. The West is behind it.', 'Zakharova'),
  ]),
  story('s3', 'Beijing backs Astana against colour revolution attempts', ['KZ'], [
    outlet('global-times', 'state:CN', '2026-03-31T04:00:00Z', 'China supports Kazakhstan against colour revolution attempts.', 'Lin Jian'),
  ]),
];
const behind = spikeStories('KZ|color-revolution', stories, from, to, 30);
const candidates: SpikeCandidate[] = behind.map((b) => ({ behind: b, story: stories.find((s) => s.id === b.storyId)! }));
const group = [{ key: 'KZ|color-revolution', foundAt: FOUND }];
const sub = (over: Partial<Subscription>): Subscription => ({ id: 's', destination: 'console', countries: [], tags: [], outlets: [], affiliations: [], keywords: [], minRelevance: null, mode: 'spikes', isDefault: false, createdBy: null, createdAt: '2026-03-01T00:00:00.000Z', paused: null, ...over });
const q = (query: string) => spikeRouting(sub({ query }), group, candidates);

describe('spike routing of query subscriptions', () => {
  it('the spike goes when a story behind it matches the whole query; the matching stories are named', () => {
    // Most outlets first, then the latest.
    expect(behind.map((b) => b.storyId)).toEqual(['s1', 's3', 's2']);
    const table: [string, string[] | null][] = [
      ['', []],
      ['countries:KZ', ['s1', 's3', 's2']],
      ['countries:UZ', null],
      ['"zakharova"', ['s2']],
      ['"tokayev" OR "beijing"', ['s1', 's3']],
      ['countries:KZ NOT outlets:rt', ['s3']],
      ['"colour revolution" NOT ("zakharova" OR "tokayev")', ['s3']],
      ['"classic colour revolution script"', ['s2']],
      // NEAR stays within one sentence: "script" and "west" are in two.
      ['"script" NEAR/3 "west"', null],
      ['"colour" NEAR/4 "streets"', ['s1']],
      ['"colour" NEAR/2 "streets"', null],
      ['"zakhar*"', ['s2']],
      ['affiliations:state:CN', ['s3']],
      ['affiliations:state "tokayev"', ['s1']],
      ['entities:person:tokayev', ['s1']],
      ['outlets:tass', ['s1']],
      // The spike's tag is what counts, not a story's other framings.
      ['tags:color-revolution "tokayev"', ['s1']],
      ['tags:sovereignty', null],
      ['"mirziyoyev"', null],
    ];
    for (const [query, want] of table) expect([query, q(query)]).toEqual([query, want]);
  });

  it('a story gone from the store matches no query; an unreadable stored query matches nothing', () => {
    expect(spikeRouting(sub({ query: '"zakharova"' }), group, candidates.map((c) => ({ ...c, story: c.behind.storyId === 's2' ? null : c.story })))).toBeNull();
    expect(q('(((')).toBeNull();
  });

  it('the alert lists the stories asked for first, then the others, at most six', () => {
    expect(storiesShown(behind, new Set(['s2'])).map((s) => s.storyId)).toEqual(['s2', 's1', 's3']);
    expect(storiesShown(behind, new Set()).map((s) => s.storyId)).toEqual(['s1', 's3', 's2']);
    expect(storiesShown(behind, new Set(['s2']), 2).map((s) => s.storyId)).toEqual(['s2', 's1']);
  });
});

describe('spike routing of field subscriptions', () => {
  const f = (over: Partial<Subscription>) => spikeRouting(sub(over), group, candidates);
  it('fields against the keys and stories as before; keyword stories named', () => {
    expect(f({})).toEqual([]);
    expect(f({ countries: ['KZ'] })).toEqual([]);
    expect(f({ countries: ['UZ'] })).toBeNull();
    expect(f({ tags: ['sovereignty'] as never })).toBeNull();
    expect(f({ affiliations: ['state:CN'] })).toEqual([]);
    expect(f({ affiliations: ['independent'] })).toBeNull();
    expect(f({ outlets: ['global-times'] })).toEqual([]);
    expect(f({ keywords: ['Zakharova'] })).toEqual(['s2']);
    expect(f({ keywords: ['Mirziyoyev'] })).toBeNull();
    expect(f({ mode: 'alerts' })).toBeNull();
    expect(f({ paused: { reason: 'gone', at: FOUND } })).toBeNull();
  });
});

describe('only spikes found after the subscription', () => {
  it('a subscription made after the spike was found does not get it, though the spike is within its cooldown', () => {
    expect(f2('2026-03-31T11:04:59.000Z')).toEqual([]);
    expect(f2(FOUND)).toEqual([]);
    expect(f2('2026-03-31T11:20:00.000Z')).toBeNull();
    expect(spikeRouting(sub({ createdAt: '2026-03-31T11:20:00.000Z', query: '"zakharova"' }), group, candidates)).toBeNull();
    expect(subscribedBefore({ createdAt: 'not a date' }, FOUND)).toBe(true);
  });
  const f2 = (createdAt: string) => spikeRouting(sub({ createdAt }), group, candidates);
});
