import { describe, expect, it } from 'vitest';
import { parseCommandText } from '../../../src/commands/grammar.js';
import { describeSubscription, normaliseAffiliation, parseSubscription } from '../../../src/commands/subscribe.js';
import type { ParsedCommand } from '../../../src/commands/types.js';
import { replyToText } from '../../../src/core/alert/text.js';
import { testVocabulary } from './fakes.js';

const v = testVocabulary();
function cmd(text: string): ParsedCommand {
  const r = parseCommandText('subscribe', text);
  if (!r.ok) throw new Error(r.reply.text);
  return r.cmd;
}

describe('parseSubscription', () => {
  it('resolves countries, tags and outlets by any alias, and stores the query with their ids', () => {
    const r = parseSubscription(cmd('countries:Казахстан,uz tags:"color revolution",coup outlets:"Global Times" affiliations:state:ru,public keywords:"Rogun dam",Tokayev min_relevance:0.5 mode:digest'), v);
    expect(r).toEqual({
      ok: true,
      draft: {
        countries: ['KZ', 'UZ'],
        tags: ['color-revolution', 'attempted-coup'],
        outlets: ['global-times'],
        affiliations: ['state:RU', 'public'],
        keywords: ['rogun dam', 'tokayev'],
        minRelevance: 0.5,
        mode: 'digest',
        every: 'day',
        query: 'countries:KZ,UZ tags:color-revolution,attempted-coup outlets:global-times affiliations:state:RU,public ("rogun dam" OR "tokayev")',
      },
    });
  });

  it('reads Boolean queries, mode:spikes and every:week', () => {
    const r = parseSubscription(cmd('(kazakhstan OR uzbekistan) NOT outlet:rt "Rogun dam" mode:digest every:week'), v);
    expect(r.ok && r.draft).toMatchObject({ query: '(countries:KZ OR countries:UZ) NOT outlets:rt "rogun dam"', mode: 'digest', every: 'week', outlets: [] });
    const s = parseSubscription(cmd('tag:color-revolution mode:spikes'), v);
    expect(s.ok && s.draft).toMatchObject({ mode: 'spikes', query: 'tags:color-revolution' });
    expect(parseSubscription(cmd('kazakhstan every:week'), v)).toMatchObject({ ok: true, draft: { mode: 'digest', every: 'week' } });
    expect(parseSubscription(cmd('kazakhstan mode:alerts every:week'), v).ok).toBe(false);
  });

  it('answers a bad query with one line pointing at the bad token, before anything is stored', () => {
    for (const [q, want] of [
      ['kazakhstan AND (uzbekistan', /the "\(" at 16 is not closed/],
      ['tokayev NEAR/99 terrorists', /NEAR\/n takes n from 1 to 20: "NEAR\/99" at 9/],
      ['countries:kazahstan', /no Central Asian country "kazahstan" .*at 1.*did you mean KZ/],
      ['contries:KZ', /no field "contries:" at 1; did you mean countries:/],
      ['kazakhstan 30d', /window such as 30d is for \/story/],
    ] as const) {
      const r = parseSubscription(cmd(q), v);
      expect(r.ok, q).toBe(false);
      if (r.ok) continue;
      expect(r.reply.visibility).toBe('ephemeral');
      expect(r.reply.text).toMatch(want);
      expect(r.reply.text.split('\n')).toHaveLength(1);
    }
  });

  it('reads bare words as countries, tags or outlets', () => {
    const r = parseSubscription(cmd('kazakhstan color revolution rt'), v);
    expect(r.ok && r.draft).toMatchObject({ countries: ['KZ'], tags: ['color-revolution'], outlets: ['rt'], minRelevance: null, mode: 'alerts' });
  });

  it('says which values are wrong, all at once, with did-you-mean', () => {
    const r = parseSubscription(cmd('kazakhstan min_relevance:1.5 mode:hourly'), v);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reply.visibility).toBe('ephemeral');
    expect(r.reply.kind).toBe('usage');
    const t = r.reply.text;
    expect(t).toContain('min_relevance must be a number from 0 to 1 (got “1.5”)');
    expect(t).toContain('mode is alerts (every story as it comes), digest (one message a day or a week) or spikes (when a framing surges), not “hourly”');
    expect(parseSubscription(cmd('affiliations:russian'), v)).toMatchObject({ ok: false, reply: { text: expect.stringMatching(/affiliations: takes state:<CC>/) } });
    expect(replyToText(r.reply)).toContain('Usage: /subscribe');
  });

  it('points an unknown bare word to keywords:', () => {
    const r = parseSubscription(cmd('qwertyuiop'), v);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reply.text).toContain('“qwertyuiop” is not a country, framing tag or outlet. For a watchlist word use keywords:"qwertyuiop" or "qwertyuiop".');
    // quoted, it is a keyword
    expect(parseSubscription(cmd('"qwertyuiop"'), v)).toMatchObject({ ok: true, draft: { query: '"qwertyuiop"' } });
  });

  it('takes a percentage for min_relevance and rejects an empty one', () => {
    const r = parseSubscription(cmd('min_relevance:40%'), v);
    expect(r.ok && r.draft.minRelevance).toBe(0.4);
    expect(parseSubscription({ name: 'subscribe', options: { min_relevance: [' '] }, bare: [] }, v).ok).toBe(false);
  });
});

describe('normaliseAffiliation', () => {
  it('accepts the contract forms only', () => {
    expect(normaliseAffiliation('STATE:ru')).toBe('state:RU');
    expect(normaliseAffiliation('state')).toBe('state');
    expect(normaliseAffiliation('Independent')).toBe('independent');
    expect(normaliseAffiliation('state:russia')).toBeNull();
    expect(normaliseAffiliation('private')).toBeNull();
  });
});

describe('describeSubscription', () => {
  const base = { countries: [], tags: [], outlets: [], affiliations: [], keywords: [], minRelevance: null, mode: 'alerts' as const };
  it('says what a subscription receives in one line', () => {
    expect(describeSubscription(base, 0.3)).toBe('Alerts for every Central Asia story, relevance ≥ 0.3 (the default).');
    expect(
      describeSubscription(
        { ...base, countries: ['KZ', 'UZ'], tags: ['color-revolution'], outlets: ['rt'], affiliations: ['state:RU', 'state'], keywords: ['Rogun dam'], minRelevance: 0.5, mode: 'digest' },
        0.3,
        v,
      ),
    ).toBe(
      'A daily digest of stories about Kazakhstan or Uzbekistan, framed as color-revolution, carried by RT, from state media (RU) or any state media, mentioning “Rogun dam”, relevance ≥ 0.5.',
    );
    expect(describeSubscription({ ...base, isDefault: true }, 0.3)).toContain('every Central Asia story (this is the platform');
  });
});
