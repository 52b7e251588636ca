import { describe, expect, it } from 'vitest';
import { replyToText } from '../../../src/core/alert/text.js';
import type { Subscription } from '../../../src/core/routing/subscription.js';
import { spikeAlertReply, spikeKeyLabel, spikeStories } from '../../../src/core/trends/spike-alert.js';
import type { SpikeFinding } from '../../../src/core/trends/spikes.js';
import type { Story, StoryOutlet } from '../../../src/core/types.js';
import { spikeRouting } from '../../../src/core/trends/spike-routing.js';
import type { StoredSpike } from '../../../src/ports/trend-counters.js';

/** Whether a spikes subscription wants the alert of `group`, judged on the stories alone (no records). */
function spikeSubscriptionMatches(sub: Subscription, group: readonly (Pick<StoredSpike, 'key'> & Partial<Pick<StoredSpike, 'foundAt'>>)[], stories: Parameters<typeof spikeAlertReply>[0]['stories']): boolean {
  const g = group.map((x) => ({ key: x.key, foundAt: x.foundAt ?? '' }));
  return spikeRouting(sub, g, stories.map((behind) => ({ behind, story: null }))) !== null;
}

const to = Date.parse('2026-03-31T11:00:00Z');
const from = to - 86_400_000;
const outlet = (id: string, affiliation: StoryOutlet['affiliation'], published: string, quote: string, who: string | null, tag = 'color-revolution'): StoryOutlet => ({
  outletId: id,
  outlet: id.toUpperCase(),
  affiliation,
  articleId: `${id}-1`,
  url: `https://example.org/${id}`,
  title: 't',
  published,
  cites: [],
  framings: [{ tag: tag as never, confidence: 1, evidence: [{ quote, attributedTo: who }] }],
});
const story = (id: string, countries: string[], outlets: StoryOutlet[]): Story => ({
  id,
  headline: `Headline ${id}`,
  summary: '',
  countries: countries as never,
  relevance: 0.9,
  outlets,
  articleIds: outlets.map((o) => o.articleId),
  entities: [],
  firstSeen: outlets[0]!.published,
  lastSeen: outlets.at(-1)!.published,
});
const stories = [
  story('s1', ['KZ'], [outlet('rt', 'state:RU', '2026-03-31T01:00:00Z', 'A colour revolution is coming, Tokayev said.', 'Tokayev'), outlet('tass', 'state:RU', '2026-03-31T02:00:00Z', 'Plot.', null)]),
  story('s2', ['KZ'], [outlet('vlast', 'independent', '2026-03-31T03:00:00Z', 'No colour revolution here.', null)]),
  story('s3', ['UZ'], [outlet('rt', 'state:RU', '2026-03-31T04:00:00Z', 'Elsewhere.', null)]),
  story('old', ['KZ'], [outlet('rt', 'state:RU', '2026-03-20T04:00:00Z', 'Old.', null)]),
  story('other-tag', ['KZ'], [outlet('rt', 'state:RU', '2026-03-31T04:00:00Z', 'Sovereign.', null, 'sovereignty')]),
];

describe('spike alert', () => {
  it('the stories behind a key: in the window, carrying the tag, of its country or affiliation; most outlets first', () => {
    expect(spikeStories('KZ|color-revolution', stories, from, to).map((s) => s.storyId)).toEqual(['s1', 's2']);
    expect(spikeStories('state:RU|color-revolution', stories, from, to).map((s) => [s.storyId, s.outlets.length])).toEqual([['s1', 2], ['s3', 1]]);
    const s1 = spikeStories('KZ|color-revolution', stories, from, to)[0]!;
    expect([s1.quote, s1.attributedTo]).toEqual(['A colour revolution is coming, Tokayev said.', 'Tokayev']);
  });
  it('says the count against the baseline, the stories with outlet, affiliation, quote and speaker, and carries a chart', () => {
    const lead: SpikeFinding = { key: 'KZ|color-revolution', at: new Date(to).toISOString(), count: 9, baseline: 0.2, sd: 0.4, z: 8.8, from, to };
    const reply = spikeAlertReply({
      group: [lead, { ...lead, key: 'state:RU|color-revolution', count: 5, z: 4.1 }],
      stories: spikeStories(lead.key, stories, from, to),
      share: { tag: 'color-revolution', total: 9, byAffiliation: [{ affiliation: 'state:RU', count: 6, percent: 66.7 }], topOutlets: [{ outletId: 'rt', outlet: 'RT', affiliation: 'state:RU', count: 4 }] },
      series: { key: lead.key, points: [{ day: '2026-03-30', count: 0 }, { day: '2026-03-31', count: 9 }] },
    });
    expect(reply.text).toBe('Spike: Kazakhstan · color revolution — 9 articles in 24 h against a usual 0.2 a day (z 8.8)');
    const text = replyToText(reply);
    expect(text).toContain('RT (state media · RU), TASS (state media · RU) — “A colour revolution is coming, Tokayev said.” — Tokayev');
    expect(text).toContain('Rising with it: state media · RU · color revolution 5 (z 4.1)');
    expect(text).toContain('state media · RU 66.7%');
    const chart = reply.sections.find((s) => s.type === 'chart');
    expect(chart).toMatchObject({ type: 'chart', chart: { series: [{ key: 'KZ|color-revolution' }], marks: [{ day: '2026-03-31' }] } });
    expect(spikeKeyLabel('independent|sovereignty')).toBe('independent · sovereignty');
  });
});

describe('spike subscriptions', () => {
  const sub = (over: Partial<Subscription>): Subscription => ({ id: 's', destination: 'console', countries: [], tags: [], outlets: [], affiliations: [], keywords: [], minRelevance: null, mode: 'spikes', isDefault: false, createdBy: null, createdAt: '', paused: null, ...over });
  const group = [{ key: 'KZ|color-revolution' }, { key: 'state:RU|color-revolution' }] as never;
  const behind = spikeStories('KZ|color-revolution', stories, from, to);
  it('match on country, tag, affiliation, outlet and keywords of the spike and its stories', () => {
    expect(spikeSubscriptionMatches(sub({}), group, behind)).toBe(true);
    expect(spikeSubscriptionMatches(sub({ countries: ['KZ'] }), group, behind)).toBe(true);
    expect(spikeSubscriptionMatches(sub({ countries: ['UZ'] }), group, behind)).toBe(false);
    expect(spikeSubscriptionMatches(sub({ tags: ['sovereignty'] as never }), group, behind)).toBe(false);
    expect(spikeSubscriptionMatches(sub({ affiliations: ['state'] }), group, behind)).toBe(true);
    expect(spikeSubscriptionMatches(sub({ affiliations: ['state:CN'] }), group, behind)).toBe(false);
    expect(spikeSubscriptionMatches(sub({ outlets: ['vlast'] }), group, behind)).toBe(true);
    expect(spikeSubscriptionMatches(sub({ keywords: ['Tokayev'] }), group, behind)).toBe(true);
    expect(spikeSubscriptionMatches(sub({ paused: { reason: 'x', at: '' } }), group, behind)).toBe(false);
  });
});
