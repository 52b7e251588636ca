import { describe, expect, it } from 'vitest';
import { subscriptionQueryText } from '../../../src/commands/subscribe.js';
import { fromOptions, parseCommandText, unescapeSlackText, validateCommand } from '../../../src/commands/grammar.js';
import type { ParsedCommand } from '../../../src/commands/types.js';
import { replyToText } from '../../../src/core/alert/text.js';

function ok(name: Parameters<typeof parseCommandText>[0], text: string): ParsedCommand {
  const r = parseCommandText(name, text);
  if (!r.ok) throw new Error(`expected ok, got: ${replyToText(r.reply)}`);
  return r.cmd;
}
function fail(name: Parameters<typeof parseCommandText>[0], text: string) {
  const r = parseCommandText(name, text);
  if (r.ok) throw new Error(`expected a usage reply, got ${JSON.stringify(r.cmd)}`);
  return r.reply;
}

describe('parseCommandText', () => {
  it('reads name:value pairs, comma lists and quoted values with spaces', () => {
    const cmd = ok('feeds', 'add https://x.org/f.xml outlet:"Example News" language:en');
    expect(cmd).toEqual({ name: 'feeds', sub: 'add', options: { outlet: ['Example News'], language: ['en'] }, bare: ['https://x.org/f.xml'] });
    // /subscribe's query fields stay in its query text, where they were typed (quotes kept)
    expect(ok('subscribe', 'countries:KZ,UZ tags:color-revolution keywords:"Rogun dam",Tokayev min_relevance:0.5 mode:digest')).toEqual({
      name: 'subscribe',
      options: { min_relevance: ['0.5'], mode: ['digest'] },
      bare: ['countries:KZ,UZ', 'tags:color-revolution', 'keywords:"Rogun dam",Tokayev'],
    });
  });

  it('takes single quotes and Slack’s curly quotes', () => {
    expect(ok('subscribe', "keywords:'Rogun dam','Aral Sea'").bare).toEqual(['keywords:"Rogun dam","Aral Sea"']);
    expect(ok('subscribe', 'keywords:“Rogun dam”,Tokayev').bare).toEqual(['keywords:"Rogun dam",Tokayev']);
    expect(ok('feeds', "add x outlet:‘Example News’").options.outlet).toEqual(['Example News']);
    expect(ok('feeds', 'add x outlet:“Example News”').options.outlet).toEqual(['Example News']);
  });

  it('keeps apostrophes inside words', () => {
    expect(ok('subscribe', "keywords:Qozog'iston,China’s").bare).toEqual(["keywords:Qozog'iston,China’s"]);
    expect(ok('story', "China's warning").bare).toEqual(["China's", 'warning']);
  });

  it('refuses an unclosed double quote', () => {
    const r = fail('subscribe', 'keywords:"Rogun dam');
    expect(r.kind).toBe('usage');
    expect(r.visibility).toBe('ephemeral');
    expect(r.text).toMatch(/quote is not closed/);
  });

  it('treats bare words as the main option, comma-split', () => {
    expect(ok('mute', 'rt').bare).toEqual(['rt']);
    expect(ok('unsubscribe', 's1a2b3c')).toEqual({ name: 'unsubscribe', options: {}, bare: ['s1a2b3c'] });
  });

  it('keeps /story free text whole, with or without query:', () => {
    expect(ok('story', 'kazakhstan, tokayev 30d').bare).toEqual(['kazakhstan,', 'tokayev', '30d']);
    expect(ok('story', 'query:"color revolution" 30d')).toEqual({ name: 'story', options: { query: ['color revolution'] }, bare: ['30d'] });
    // a colon in free text is not an unknown option
    expect(ok('story', 'Tokayev: terrorists').bare).toEqual(['Tokayev:', 'terrorists']);
  });

  it('keeps the quotes of /story words, which the query language reads as phrases', () => {
    expect(ok('story', 'outlet:"Global Times" OR “Rogun dam” NOT \'color revolution\'').bare).toEqual(['outlet:"Global Times"', 'OR', '"Rogun dam"', 'NOT', '"color revolution"']);
    expect(ok('story', '(kazakhstan OR uzbekistan) NOT outlet:rt').bare).toEqual(['(kazakhstan', 'OR', 'uzbekistan)', 'NOT', 'outlet:rt']);
  });

  it('answers an unknown option with the valid ones and a did-you-mean', () => {
    const r = fail('framing', 'contry:KZ');
    expect(r.kind).toBe('usage');
    expect(r.visibility).toBe('ephemeral');
    expect(r.text).toContain('has no option “contry”');
    expect(r.text).toContain('Did you mean country:?');
    expect(replyToText(r)).toContain('Usage: /framing [tag:<id>]');
    const far = fail('framing', 'zzz:1');
    expect(far.text).not.toContain('Did you mean');
    expect(far.text).toContain('Options: tag, country, days');
  });

  it('accepts singular, plural and dashed spellings of option names', () => {
    expect(ok('subscribe', 'country:KZ tag:coup min-relevance:0.4')).toMatchObject({ options: { min_relevance: ['0.4'] }, bare: ['country:KZ', 'tag:coup'] });
    expect(ok('framing', 'countries:KZ day:3').options).toEqual({ country: ['KZ'], days: ['3'] });
  });

  it('takes a value after a space following the colon, and asks for a missing one', () => {
    expect(ok('subscribe', 'countries: KZ,UZ mode: digest')).toMatchObject({ options: { mode: ['digest'] }, bare: ['countries:KZ,UZ'] });
    expect(ok('subscribe', 'keywords: "Rogun dam"').bare).toEqual(['keywords:"Rogun dam"']);
    expect(fail('subscribe', 'countries:KZ mode:').text).toBe('mode: needs a value.');
    expect(fail('subscribe', 'mode: countries:KZ').text).toBe('mode: needs a value.');
  });

  it('refuses a single option given twice with different values', () => {
    expect(fail('subscribe', 'mode:alerts mode:digest').text).toMatch(/mode: is given twice/);
    expect(ok('subscribe', 'countries:KZ countries:UZ').bare).toEqual(['countries:KZ', 'countries:UZ']);
  });

  it('reads /feeds subcommands, with URLs as bare values', () => {
    expect(ok('feeds', 'add https://example.org/feed.xml outlet:"Example News" affiliation:independent')).toEqual({
      name: 'feeds',
      sub: 'add',
      options: { outlet: ['Example News'], affiliation: ['independent'] },
      bare: ['https://example.org/feed.xml'],
    });
    expect(ok('feeds', 'add url:https://example.org/a?b=1,2').options.url).toEqual(['https://example.org/a?b=1,2']);
    expect(ok('feeds', 'remove id:rt-en')).toEqual({ name: 'feeds', sub: 'remove', options: { id: ['rt-en'] }, bare: [] });
    expect(ok('feeds', '')).toEqual({ name: 'feeds', sub: 'list', options: {}, bare: [] });
    expect(ok('feeds', 'LIST').sub).toBe('list');
  });

  it('unwraps Slack link markup and entities', () => {
    expect(ok('feeds', 'add <https://example.org/feed.xml>').bare).toEqual(['https://example.org/feed.xml']);
    expect(ok('feeds', 'check url:<https://example.org/rss?a=1&amp;b=2|example.org/rss>').options.url).toEqual(['https://example.org/rss?a=1&b=2']);
    expect(unescapeSlackText('a &lt;b&gt; &amp; c')).toBe('a <b> & c');
  });

  it('answers an unknown subcommand with the valid ones', () => {
    const r = fail('feeds', 'ad https://x.org');
    expect(r.text).toContain('Did you mean /feeds add?');
    expect(replyToText(r)).toContain('/feeds add · /feeds remove · /feeds list');
    expect(fail('feeds', 'https://example.org/rss').text).toContain('/feeds add https://example.org/rss');
    expect(fail('feeds', 'url:https://x.org').text).toMatch(/Say what \/feeds should do/);
  });

  it('reads /steppewatch help, and help by default', () => {
    expect(ok('steppewatch', 'help')).toEqual({ name: 'steppewatch', sub: 'help', options: {}, bare: [] });
    expect(ok('steppewatch', '').sub).toBe('help');
    expect(fail('steppewatch', 'halp').text).toContain('Did you mean /steppewatch help?');
  });

  it('says a command without options takes none', () => {
    expect(fail('subscriptions', 'x:1').text).toContain('/subscriptions takes no options');
  });
});

describe('fromOptions (Discord)', () => {
  it('gives the same ParsedCommand as the Slack text', () => {
    expect(fromOptions('feeds', 'remove', { id: 'rt-en' })).toEqual({ ok: true, cmd: ok('feeds', 'remove id:rt-en') });
    // /subscribe: Discord's typed fields give the query text the Slack words give
    const s = ok('subscribe', 'countries:KZ,UZ keywords:"Rogun dam",Tokayev min_relevance:0.5');
    const d = fromOptions('subscribe', undefined, { countries: 'KZ,UZ', keywords: '"Rogun dam",Tokayev', min_relevance: 0.5 });
    expect(d.ok && subscriptionQueryText(d.cmd)).toBe(subscriptionQueryText(s));
  });

  it('splits list values with spaces after commas and keeps spaces inside items', () => {
    const r = fromOptions('subscribe', undefined, { keywords: 'Rogun dam, Tokayev' });
    expect(r.ok && r.cmd.options.keywords).toEqual(['Rogun dam', 'Tokayev']);
  });

  it('reads subcommands and refuses unknown options', () => {
    expect(fromOptions('feeds', 'remove', { id: 'rt-en' })).toEqual({ ok: true, cmd: { name: 'feeds', sub: 'remove', options: { id: ['rt-en'] }, bare: [] } });
    const bad = fromOptions('feeds', 'add', { adress: 'x' });
    expect(bad.ok).toBe(false);
    const bogus = fromOptions('feeds', 'explode', {});
    expect(bogus.ok).toBe(false);
    expect(fromOptions('story', undefined, { query: 'kazakhstan 30d' })).toEqual({ ok: true, cmd: { name: 'story', options: { query: ['kazakhstan 30d'] }, bare: [] } });
  });
});

describe('validateCommand', () => {
  it('refuses an unknown command name', () => {
    const r = validateCommand({ name: 'nope' as never, options: {}, bare: [] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reply.text).toContain('no /nope command');
  });
});
