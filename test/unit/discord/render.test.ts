import { describe, expect, it } from 'vitest';
import type { APIEmbed } from 'discord.js';
import {
  AFFILIATION_COLOURS,
  EVIDENCE_PREFIX,
  MUTE_STORY_PREFIX,
  alertToDiscord,
  followupToDiscord,
  outletCountToDiscord,
  replyToDiscord,
  threadName,
} from '../../../src/adapters/discord/render.js';
import { LIMITS, discordMessageSchema, totalEmbedChars, type DiscordMessage } from '../../../src/adapters/discord/limits.js';
import { ZWJ } from '../../../src/adapters/discord/escape.js';
import { TAG_IDS, type Framing } from '../../../src/core/types.js';
import type { Reply } from '../../../src/core/alert/values.js';
import { HOSTILE, rtFollowup, seedAlert, seedCard, storyReply } from './fixtures.js';

/** Every piece of text a person would see in a message. */
function visibleText(m: DiscordMessage): string {
  const parts: string[] = [m.content ?? ''];
  for (const e of m.embeds ?? []) {
    parts.push(e.title ?? '', e.description ?? '', e.author?.name ?? '', e.footer?.text ?? '');
    for (const f of e.fields ?? []) parts.push(f.name, f.value);
  }
  for (const r of m.components ?? []) for (const b of r.components) parts.push('label' in b ? (b.label ?? '') : '');
  return parts.join('\n');
}

/** Markdown as Discord shows it: a backslash before punctuation shows the punctuation. */
const shown = (s: string | undefined) => (s ?? '').replace(/\\([^A-Za-z0-9\s])/g, '$1');

function expectValid(m: DiscordMessage) {
  const r = discordMessageSchema.safeParse(m);
  expect(r.success, r.success ? '' : JSON.stringify(r.error.issues, null, 1)).toBe(true);
  expect(m.allowed_mentions).toEqual({ parse: [] });
}

describe('alertToDiscord', () => {
  it('renders the seed alert as one embed with framing fields and the three buttons', () => {
    const m = alertToDiscord(seedAlert());
    expectValid(m);
    const e = m.embeds![0]!;
    expect(e.title).toBe('China warns of "color revolution" in Kazakhstan');
    expect(e.url).toBe('https://www.globaltimes.cn/page/202204/1260214.shtml');
    expect(e.color).toBe(AFFILIATION_COLOURS.state);
    expect(e.author?.name).toBe('🇰🇿 Kazakhstan');
    expect(e.description).toContain('Wei Fenghe told President Tokayev');
    const byName = new Map(e.fields!.map((f) => [f.name, f.value]));
    expect(byName.get('Outlet')).toBe('Global Times\nstate media · CN');
    expect(byName.get('Countries')).toBe('🇰🇿 Kazakhstan');
    expect(byName.get('Published')).toBe('26 Apr 2022, 08:00 UTC');
    // Tags that share one quote are one field, named in words (ids stay in JSON and records).
    expect(byName.get('color revolution · external interference')).toMatch(/^“China firmly opposes external forces.*” — Wei Fenghe$/);
    expect(byName.has('external interference')).toBe(false);
    expect(byName.get('major-power hegemony')).toContain('major powers interfering');
    expect(e.footer?.text).toContain('Story s-7f3a9c');
    expect(e.footer?.text).toContain('relevance 0.92');

    const buttons = m.components![0]!.components;
    expect(buttons.map((b) => ('label' in b ? b.label : ''))).toEqual(['Open article', 'All evidence', 'Mute this story']);
    expect(buttons[0]).toMatchObject({ style: 5, url: 'https://www.globaltimes.cn/page/202204/1260214.shtml' });
    expect(buttons[1]).toMatchObject({ custom_id: `${EVIDENCE_PREFIX}s-7f3a9c` });
    expect(buttons[2]).toMatchObject({ custom_id: `${MUTE_STORY_PREFIX}s-7f3a9c` });
  });

  it('colours by affiliation: state, public, independent, unknown', () => {
    const colour = (affiliation: string) => alertToDiscord(seedAlert({ outlet: { id: 'x', name: 'X', affiliation: affiliation as 'unknown' } })).embeds![0]!.color;
    expect(colour('state:RU')).toBe(AFFILIATION_COLOURS.state);
    expect(colour('public:US')).toBe(AFFILIATION_COLOURS.public);
    expect(colour('independent')).toBe(AFFILIATION_COLOURS.independent);
    expect(colour('unknown')).toBe(AFFILIATION_COLOURS.unknown);
    expect(new Set(Object.values(AFFILIATION_COLOURS)).size).toBe(4);
  });

  it('stays within every limit with oversized input: 256 title, 4096 description, 25 fields, 6000 in all', () => {
    const long = (n: number, word = 'word') => Array.from({ length: n }, (_, i) => `${word}${i}`).join(' ');
    const framings: Framing[] = Array.from({ length: 40 }, (_, i) => ({
      tag: TAG_IDS[i % TAG_IDS.length]!,
      confidence: 0.5,
      evidence: [{ quote: `${i} ${long(80, 'quote')}`, attributedTo: long(30, 'speaker') }],
    }));
    const m = alertToDiscord(
      seedAlert({ headline: long(200, 'headline'), summary: long(2000, 'summary'), framings, outlet: { id: 'o', name: long(100, 'outlet'), affiliation: 'state:RU' } }),
    );
    expectValid(m);
    const e = m.embeds![0]!;
    expect(e.title!.length).toBeLessThanOrEqual(LIMITS.title);
    expect(e.description!.length).toBeLessThanOrEqual(LIMITS.description);
    expect(e.fields!.length).toBeLessThanOrEqual(LIMITS.fields);
    for (const f of e.fields!) {
      expect(f.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    }
    expect(totalEmbedChars(m.embeds)).toBeLessThanOrEqual(LIMITS.totalEmbedChars);
    // The essentials survive the squeeze.
    expect(e.fields!.map((f) => f.name).slice(0, 3)).toEqual(['Outlet', 'Countries', 'Published']);
    expect(e.footer?.text).toContain('Story s-7f3a9c');
  });

  it('keeps a long description when the total allows, and shortens it first when it does not', () => {
    const summary = 'x'.repeat(3900);
    const m = alertToDiscord(seedAlert({ summary }));
    expect(m.embeds![0]!.description!.length).toBe(3900);
    const many: Framing[] = TAG_IDS.map((tag, i) => ({ tag, confidence: 0.5, evidence: [{ quote: `${i} ${'q'.repeat(295)}`, attributedTo: 'Someone' }] }));
    const squeezed = alertToDiscord(seedAlert({ summary, framings: many }));
    expect(totalEmbedChars(squeezed.embeds)).toBeLessThanOrEqual(LIMITS.totalEmbedChars);
    expect(squeezed.embeds![0]!.description!.length).toBeLessThan(3900);
    expect(squeezed.embeds![0]!.fields!.length).toBe(3 + TAG_IDS.length);
  });

  it('neutralises hostile feed text: no mention syntax, no markdown, no masked links', () => {
    const m = alertToDiscord(seedAlert({ headline: HOSTILE, summary: HOSTILE, outlet: { id: 'evil', name: HOSTILE, affiliation: 'unknown' }, framings: [{ tag: 'color-revolution', confidence: 1, evidence: [{ quote: HOSTILE, attributedTo: HOSTILE }] }] }));
    expectValid(m);
    const text = visibleText(m);
    expect(text).not.toMatch(/@everyone|@here/);
    expect(text).not.toMatch(/<@|<#/);
    expect(text).toContain(`@${ZWJ}everyone`);
    expect(text).toContain(`<${ZWJ}@123456789012345678>`);
    const d = m.embeds![0]!.description!;
    expect(d).not.toMatch(/(?<!\\)\*\*bold/);
    expect(d).toContain('\\*\\*bold\\*\\*');
    expect(d).toContain('\\|\\|spoiler\\|\\|');
    expect(d).toContain('\\[click me](https://evil.example/x)');
    expect(d).toContain('\\`code\\`');
    expect(d).toMatch(/^\\# Heading$/m);
    expect(d).toMatch(/^\\-# small$/m);
    // Titles are one line.
    expect(m.embeds![0]!.title).not.toContain('\n');
  });

  it('links only http(s) URLs, and encodes parentheses', () => {
    for (const url of ['javascript:alert(1)', 'ftp://example.org/x', 'not a url', 'https://user:pw@example.org/']) {
      const m = alertToDiscord(seedAlert({ url }));
      expect(m.embeds![0]!.url).toBeUndefined();
      expect(m.components![0]!.components.some((b) => 'url' in b)).toBe(false);
      expectValid(m);
    }
    const m = alertToDiscord(seedAlert({ url: 'https://example.org/a_(b)' }));
    expect(m.embeds![0]!.url).toBe('https://example.org/a_%28b%29');
  });

  it('drops a button whose custom id would be too long rather than break the message', () => {
    const m = alertToDiscord(seedAlert({ storyId: 's'.repeat(120) }));
    expectValid(m);
    expect(m.components![0]!.components.map((b) => ('label' in b ? b.label : ''))).toEqual(['Open article']);
  });
});

describe('follow-ups and updates', () => {
  it('a follow-up carries what Slack’s does: the sentence, the linked headline, the new framings with quotes', () => {
    const m = followupToDiscord(rtFollowup());
    expectValid(m);
    expect(m.embeds).toBeUndefined();
    const [sentence, headline, ...framing] = shown(m.content).split('\n');
    expect(sentence).toBe(
      '↳ Also carried by RT [state media · RU], 27 Apr 2022, 10:12 UTC (+1 day), quoting China\'s Defense Ministry. New framing here: foreign-trained terrorists (Tokayev), disinformation debunked (RT’s own voice). Now 2 outlets.',
    );
    // The headline links to the article without unfurling a preview.
    expect(headline).toBe('[China warns of "color revolution" in Kazakhstan](<https://www.rt.com/news/554545-china-color-revolution-kazakhstan/>)');
    expect(framing).toEqual([
      'New framing here',
      '• foreign-trained terrorists — “Tokayev blamed foreign-trained terrorists for the unrest.” — Tokayev',
      '• disinformation debunked — “He did not provide any evidence.” — (outlet’s own voice)',
    ].map((l, i) => (i === 0 ? `**${l}**` : l.replace(/^• ([^—]+) —/, '• **$1** —'))));
    // Only the framings this article adds.
    expect(m.content).not.toContain('**color revolution');
    expect(m.components![0]!.components[0]).toMatchObject({ style: 5, label: 'Open article' });
    // alertToDiscord routes follow-ups the same way.
    expect(alertToDiscord(rtFollowup())).toEqual(m);
  });

  it('a follow-up posted on its own leads with the headline; hostile outlet names are escaped', () => {
    const m = followupToDiscord(rtFollowup({ outlet: { id: 'x', name: '@everyone **X**', affiliation: 'unknown' } }), { standalone: true });
    expectValid(m);
    expect(m.content).toMatch(/^\*\*\[China warns of "color revolution" in Kazakhstan\]\(<https:\/\/www\.rt\.com\/[^>]+>\)\*\*\n↳ Also carried by/);
    expect(m.content).not.toContain('@everyone');
    expect(m.content).toContain('\\*\\*X\\*\\*');
  });

  it('a hostile headline cannot close the follow-up’s link label or smuggle a link of its own', () => {
    const m = followupToDiscord(rtFollowup({ headline: 'Click](https://evil.example/x) [here' }));
    expectValid(m);
    const headline = m.content!.split('\n')[1]!;
    expect(headline).toMatch(/^\[.*\]\(<https:\/\/www\.rt\.com\/[^>]+>\)$/);
    expect(headline).not.toContain('](https://evil');
    expect(headline).not.toContain('https://evil');
  });

  it('a long follow-up stays under 2000 characters', () => {
    const m = followupToDiscord(rtFollowup({ outlet: { id: 'x', name: 'n'.repeat(3000), affiliation: 'unknown' } }), { standalone: true });
    expectValid(m);
    expect(m.content!.length).toBeLessThanOrEqual(LIMITS.content);
  });

  it('the update of the first message carries the outlet count in its content only', () => {
    const m = outletCountToDiscord(rtFollowup());
    expectValid(m);
    expect(Object.keys(m).sort()).toEqual(['allowed_mentions', 'content']);
    expect(shown(m.content)).toBe('Carried by 2 outlets so far; latest: RT [state media · RU]. Follow-ups in the thread.');
  });

  it('thread names are one plain line of at most 100 characters', () => {
    expect(threadName('China warns of\n"color revolution"', 's1')).toBe('China warns of "color revolution"');
    expect(threadName('x '.repeat(200), 's1').length).toBeLessThanOrEqual(LIMITS.threadName);
    expect(threadName('   ', 's1')).toBe('Story s1');
    expect(threadName('@everyone look', 's1')).toBe(`@${ZWJ}everyone look`);
  });
});

describe('replyToDiscord', () => {
  it('short text replies are plain content', () => {
    const r: Reply = {
      visibility: 'ephemeral',
      kind: 'usage',
      text: 'That is not a web address.',
      sections: [
        { type: 'paragraph', text: 'That is not a web address.' },
        { type: 'hint', text: 'Try /feeds add https://example.org/feed.xml' },
      ],
    };
    const m = replyToDiscord(r);
    expectValid(m);
    expect(m.embeds).toBeUndefined();
    expect(m.content).toBe('That is not a web address.\n-# Try /feeds add https://example.org/feed.xml');
    expect('flags' in m).toBe(false);
  });

  it('a reply without sections falls back to its text', () => {
    const m = replyToDiscord({ visibility: 'in_channel', kind: 'ok', text: 'Paused Kazinform (EN) after 10 failed polls.', sections: [] });
    expectValid(m);
    expect(m.content).toBe('Paused Kazinform (EN) after 10 failed polls.');
  });

  it('/story answers: a heading embed, one embed per story with links, the hint last', () => {
    const m = replyToDiscord(storyReply());
    expectValid(m);
    const [head, story, hint] = m.embeds as [APIEmbed, APIEmbed, APIEmbed];
    expect(head.title).toBe('Kazakhstan — 1 stories in the last 7 days (recent and widely carried first)');
    expect(story.title).toBe('1. China warns of "color revolution" in Kazakhstan');
    expect(story.url).toBe('https://www.globaltimes.cn/page/202204/1260214.shtml');
    expect(story.color).toBe(AFFILIATION_COLOURS.state);
    expect(story.description).toContain('2 outlets (state: CN, RU) · 26–27 Apr');
    expect(story.description).toContain('color revolution · external interference');
    // The one quote both tags share is shown once, with both tags.
    expect(story.description!.match(/China firmly opposes/g)).toHaveLength(1);
    expect(story.description).toContain('• **color revolution · external interference**: “China firmly opposes');
    expect(story.description).toContain('Global Times first, then RT.');
    expect(story.description).toContain('— Wei Fenghe');
    expect(story.description).toContain('[Global Times](https://www.globaltimes.cn/page/202204/1260214.shtml) · [RT](https://www.rt.com/news/554545/)');
    expect(story.footer?.text).toBe('Story s-7f3a9c');
    expect(hint.description).toBe('*Narrow it: /story kazakhstan 30d · /story color revolution · /story tokayev*');
  });

  it('many or long stories: at most 10 embeds and 6000 characters, the rest named in a closing note', () => {
    const cards = Array.from({ length: 15 }, (_, i) => seedCard({ id: `s${i}`, headline: `Story number ${i} ${'h'.repeat(200)}`, summary: 's'.repeat(1000) }));
    const m = replyToDiscord(storyReply(cards));
    expectValid(m);
    expect(m.embeds!.length).toBeLessThanOrEqual(LIMITS.embeds);
    expect(totalEmbedChars(m.embeds)).toBeLessThanOrEqual(LIMITS.totalEmbedChars);
    const note = m.embeds!.find((e) => e.description?.startsWith('…and '));
    expect(note).toBeDefined();
    expect(note!.description).toMatch(/^…and \d+ more: /);
    expect(m.embeds![0]!.title).toContain('Kazakhstan');
    expect(m.embeds!.some((e) => e.title?.startsWith('1. Story number 0'))).toBe(true);
  });

  it('fields become embed fields; hostile reply text is escaped', () => {
    const r: Reply = {
      visibility: 'in_channel',
      kind: 'ok',
      text: 'Subscriptions',
      sections: [
        { type: 'heading', text: 'Subscriptions here' },
        { type: 'fields', fields: [{ label: 'sub-1', value: HOSTILE }, { label: 'mode', value: 'alerts' }] },
        { type: 'list', items: [HOSTILE] },
      ],
    };
    const m = replyToDiscord(r);
    expectValid(m);
    const text = visibleText(m);
    expect(text).not.toMatch(/@everyone|@here|<@|<#/);
    expect(m.embeds![0]!.fields!.map((f) => f.name)).toEqual(['sub-1', 'mode']);
    expect(m.embeds![0]!.fields![1]!.inline).toBe(true);
  });

  it('long text-only replies move into an embed description', () => {
    const r: Reply = { visibility: 'in_channel', kind: 'ok', text: 'Help', sections: [{ type: 'heading', text: 'Help' }, { type: 'paragraph', text: 'p '.repeat(1500) }] };
    const m = replyToDiscord(r);
    expectValid(m);
    expect(m.content).toBeUndefined();
    expect(m.embeds![0]!.title).toBe('Help');
    expect(m.embeds![0]!.description!.length).toBeGreaterThan(2000);
  });
});
