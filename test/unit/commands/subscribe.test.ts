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
  it('resolves countries, tags and outlets by any alias, and keeps keywords as typed', () => {
    const r = parseSubscription(cmd('countries:Казахстан,uz tags:"color revolution",coup outlets:"Global Times" affiliations:state:ru,public keywords:"Rogun dam",Tokayev min_relevance:0.5 mode:digest'), v);
    expect(r).toEqual({
      ok: true,
      draft: {
        countries: ['KZ', 'UZ'],
        tags: ['color-revolution', 'attempted-coup'],
        outlets: ['global-times'],
        affiliations: ['state:RU', 'public'],
        keywords: ['Rogun dam', 'Tokayev'],
        minRelevance: 0.5,
        mode: 'digest',
      },
    });
  });

  it('reads bare words as countries, tags or outlets', () => {
    const r = parseSubscription(cmd('kazakhstan color revolution rt'), v);
    expect(r.ok && r.draft).toMatchObject({ countries: ['KZ'], tags: ['color-revolution'], outlets: ['rt'], minRelevance: null, mode: 'alerts' });
  });

  it('says which values are wrong, all at once, with did-you-mean', () => {
    const r = parseSubscription(cmd('countries:kazahstan tags:colr-revolution outlets:global-tims affiliations:russian min_relevance:1.5 mode:weekly'), v);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reply.visibility).toBe('ephemeral');
    expect(r.reply.kind).toBe('usage');
    const t = r.reply.text;
    expect(t).toContain('Unknown country “kazahstan” — did you mean Kazakhstan (KZ)?');
    expect(t).toContain('Unknown framing tag “colr-revolution” — did you mean color-revolution?');
    expect(t).toContain('Unknown outlet “global-tims” — did you mean Global Times (global-times)?');
    expect(t).toContain('Unknown affiliation “russian”');
    expect(t).toContain('min_relevance must be a number from 0 to 1 (got “1.5”)');
    expect(t).toContain('mode is alerts (every story as it comes) or digest (one message a day), not “weekly”');
    expect(replyToText(r.reply)).toContain('Usage: /subscribe');
  });

  it('points an unknown bare word to keywords:', () => {
    const r = parseSubscription(cmd('rogun'), v);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reply.text).toContain('“rogun” is not a country, framing tag or outlet. For a watchlist word use keywords:"rogun".');
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
