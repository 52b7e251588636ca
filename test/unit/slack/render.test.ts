import { describe, expect, it } from 'vitest';
import { TAG_IDS, type Framing } from '../../../src/core/types.js';
import type { Reply } from '../../../src/core/alert/values.js';
import { tagName } from '../../../src/core/alert/format.js';
import {
  ACTION_IDS,
  SLACK_LIMITS,
  alertToSlack,
  decodeButtonValue,
  encodeButtonValue,
  followupToSlack,
  replyToResponse,
  replyToSlack,
  type KnownBlock,
  type SlackMessage,
} from '../../../src/adapters/slack/render.js';
import { FORBIDDEN, HOSTILE, followupAlert, seedAlert, seedCard, storyReply } from './alerts.js';

/** Every string Slack would render: text-object texts of all blocks and the fallback. */
function texts(msg: { text: string; blocks: KnownBlock[] }): string[] {
  const out = [msg.text];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ((o.type === 'plain_text' || o.type === 'mrkdwn') && typeof o.text === 'string') out.push(o.text);
      for (const [k, x] of Object.entries(o)) if (k !== 'text' || typeof x !== 'string') walk(x);
    }
  };
  walk(msg.blocks);
  return out;
}

function byType<T extends KnownBlock['type']>(msg: SlackMessage, type: T): Extract<KnownBlock, { type: T }>[] {
  return msg.blocks.filter((b) => b.type === type) as Extract<KnownBlock, { type: T }>[];
}

function buttons(msg: SlackMessage) {
  return byType(msg, 'actions').flatMap((a) => a.elements) as { action_id: string; text: { text: string }; value?: string; url?: string }[];
}

function checkLimits(msg: SlackMessage) {
  expect(msg.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const b of msg.blocks) {
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (b.type === 'section') {
      if (b.text) {
        expect(b.text.text.length).toBeGreaterThan(0);
        expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      }
      for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
      expect((b.fields ?? []).length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
    }
    if (b.type === 'context') expect(b.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
  }
  for (const btn of buttons(msg)) {
    expect(btn.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
    if (btn.value !== undefined) expect(btn.value.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonValue);
    if (btn.url !== undefined) expect(btn.url.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonUrl);
  }
  // Slack refuses lone surrogates; a clipped flag emoji must not leave one.
  for (const t of texts(msg)) expect(t).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
}

describe('alertToSlack', () => {
  it('lays out the seed alert: header, outlet with badge, time, relevance, summary, framing, buttons', () => {
    const msg = alertToSlack(seedAlert());
    expect(msg.unfurl_links).toBe(false);
    expect(msg.unfurl_media).toBe(false);
    expect(msg.text).toContain('China warns of');
    expect(msg.text).toContain('Global Times');

    const [header] = byType(msg, 'header');
    expect(header!.text.text).toBe('🇰🇿 Kazakhstan · China warns of "color revolution" in Kazakhstan');

    const ctx = byType(msg, 'context')[0]!.elements.map((e) => ('text' in e ? e.text : ''));
    expect(ctx).toContain('Global Times  [state media · CN]');
    expect(ctx).toContain('26 Apr 2022, 08:00 UTC');
    expect(ctx).toContain('relevance 0.92');

    const sections = byType(msg, 'section').map((s) => s.text!.text);
    expect(sections[0]).toContain('Wei Fenghe told President Tokayev');
    const framing = sections.find((s) => s.startsWith('*Framing*'))!;
    // Tags that share one quote are one line, with readable names (ids stay in JSON and records).
    expect(framing).toContain('• *color revolution · external interference* — “China firmly opposes external forces');
    expect(framing).toContain('— Wei Fenghe');
    expect(framing).not.toContain('color-revolution');
    expect(framing.match(/China firmly opposes/g)).toHaveLength(1);
    // A null speaker is the outlet's own voice.
    expect(framing).toContain('• *disinformation debunked* — “He did not provide any evidence.” — (outlet’s own voice)');

    const btns = buttons(msg);
    expect(btns.map((b) => b.action_id)).toEqual([ACTION_IDS.openArticle, ACTION_IDS.evidence, ACTION_IDS.muteStory]);
    expect(btns[0]!.url).toBe('https://www.globaltimes.cn/page/202204/1260000.shtml');
    expect(btns.map((b) => b.text.text)).toEqual(['Open article', 'All evidence', 'Mute this story']);
    expect(decodeButtonValue(btns[1]!.value)).toEqual({ storyId: 'st-7f3a', articleId: 'guid:0123456789abcdef0123456789abcdef01234567' });
    expect(decodeButtonValue(btns[2]!.value)).toEqual({ storyId: 'st-7f3a' });
    checkLimits(msg);
  });

  it('marks mrkdwn objects verbatim so Slack does not auto-link names or mentions', () => {
    const msg = alertToSlack(seedAlert());
    const mrkdwnObjs = JSON.stringify(msg.blocks).match(/"type":"mrkdwn","text":"[^"]*(?:\\"[^"]*)*","verbatim":true/g) ?? [];
    const all = JSON.stringify(msg.blocks).match(/"type":"mrkdwn"/g) ?? [];
    expect(all.length).toBeGreaterThan(0);
    expect(mrkdwnObjs.length).toBe(all.length);
  });

  it('shows the outlet count once the story is carried by several outlets', () => {
    const msg = alertToSlack(seedAlert({ outletCount: 3 }));
    const ctx = byType(msg, 'context')[0]!.elements.map((e) => ('text' in e ? e.text : ''));
    expect(ctx).toContain('Carried by 3 outlets');
    expect(JSON.stringify(alertToSlack(seedAlert()).blocks)).not.toContain('Carried by');
  });

  it('says "Central Asia" for a regional story and shortens many countries in the header', () => {
    expect(byType(alertToSlack(seedAlert({ countries: [] })), 'header')[0]!.text.text).toMatch(/^Central Asia · /);
    const many = alertToSlack(seedAlert({ countries: ['KZ', 'KG', 'UZ'] }));
    expect(byType(many, 'header')[0]!.text.text).toMatch(/^🇰🇿 Kazakhstan \+2 · /);
    const ctx = byType(many, 'context')[0]!.elements.map((e) => ('text' in e ? e.text : ''));
    expect(ctx).toContain('🇰🇿 Kazakhstan, 🇰🇬 Kyrgyzstan, 🇺🇿 Uzbekistan');
  });

  it('escapes hostile text everywhere: nothing can ping or spoof a link', () => {
    const msg = alertToSlack(
      seedAlert({
        headline: `Breaking ${HOSTILE}`,
        summary: `Summary ${HOSTILE} & more`,
        outlet: { id: 'evil', name: `Evil ${HOSTILE}`, affiliation: 'unknown' },
        framings: [{ tag: 'color-revolution', confidence: 1, evidence: [{ quote: `Quote ${HOSTILE}`, attributedTo: `Speaker <@U999> <!channel>` }] }],
      }),
    );
    for (const t of texts(msg)) {
      for (const bad of FORBIDDEN) expect(t).not.toContain(bad);
      // An alert has no links of its own: no `<` may reach Slack at all.
      expect(t).not.toContain('<');
      expect(t).not.toContain('>');
    }
    const all = texts(msg).join('\n');
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).toContain('&lt;@U123&gt;');
    expect(all).toContain('&lt;https://evil.example|https://trusted.example&gt;');
    expect(all).toContain('&amp; more');
    // Broadcast words are broken by a zero-width space.
    expect(all).toContain('@\u200Bhere');
  });

  it('neutralises mrkdwn formatting injected through quotes and speakers', () => {
    const msg = alertToSlack(
      seedAlert({
        framings: [{ tag: 'color-revolution', confidence: 1, evidence: [{ quote: '```\n> *bold* _it_ ~strike~ `code`', attributedTo: '*Wei*' }] }],
      }),
    );
    const framing = byType(msg, 'section').map((s) => s.text!.text).find((t) => t.startsWith('*Framing*'))!;
    const hostilePart = framing.split('*color revolution*')[1]!;
    expect(hostilePart).not.toMatch(/[*_~`]/);
    expect(hostilePart).toContain('∗bold∗');
    expect(hostilePart).not.toMatch(/(^|\n)&gt;/);
  });

  it('keeps within Slack limits whatever the input size', () => {
    const long = 'Kazakhstan & <Tokayev> '.repeat(400);
    const framings: Framing[] = TAG_IDS.map((tag) => ({
      tag,
      confidence: 0.5,
      evidence: [0, 1, 2].map((i) => ({ quote: `${tag} ${i} ${'very long quote & <x> '.repeat(20)}`, attributedTo: `Speaker ${'x'.repeat(200)}` })),
    }));
    const msg = alertToSlack(
      seedAlert({
        headline: `🇰🇿${'🇰🇿 flag & <b> '.repeat(40)}`,
        summary: long,
        outlet: { id: 'x', name: 'Outlet '.repeat(300), affiliation: 'state:RU' },
        framings,
        storyId: 's'.repeat(3000),
        articleId: 'a'.repeat(3000),
        url: `https://example.org/${'p'.repeat(4000)}`,
      }),
    );
    checkLimits(msg);
    const header = byType(msg, 'header')[0]!.text.text;
    expect(header.endsWith('…')).toBe(true);
    // Clipping never cuts an entity in half.
    for (const t of texts(msg)) expect(t).not.toMatch(/&(a|am|l|g|lt|gt)?(?![a-z;])$/);
    // A URL too long for a button gets no button.
    expect(buttons(msg).some((b) => b.action_id === ACTION_IDS.openArticle)).toBe(false);
    // Every framing is still there.
    const framingText = byType(msg, 'section').map((s) => s.text!.text).join('\n');
    for (const tag of TAG_IDS) expect(framingText).toContain(`*${tagName(tag)}*`);
  });

  it('links only http(s) URLs without credentials', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,x', 'ftp://example.org/x', 'https://trusted.example@evil.example/', 'not a url']) {
      const msg = alertToSlack(seedAlert({ url }));
      expect(buttons(msg).map((b) => b.action_id)).toEqual([ACTION_IDS.evidence, ACTION_IDS.muteStory]);
    }
    const odd = buttons(alertToSlack(seedAlert({ url: 'https://example.org/a|b<c>?q="x"' })))[0]!;
    expect(odd.url).toBe('https://example.org/a%7Cb%3Cc%3E?q=%22x%22');
  });
});

describe('followupToSlack', () => {
  it('is a compact thread message: the follow-up sentence, the article link, only the new framings', () => {
    const msg = alertToSlack(followupAlert());
    expect(msg).toEqual(followupToSlack(followupAlert()));
    expect(byType(msg, 'header')).toHaveLength(0);
    const first = byType(msg, 'section')[0]!.text!.text;
    expect(first).toContain("Also carried by RT [state media · RU], 27 Apr 2022, 10:12 UTC (+1 day), quoting China's Defense Ministry.");
    expect(first).toContain('New framing here: foreign-trained terrorists (Tokayev).');
    expect(first).toContain('Now 2 outlets.');
    expect(first).toContain('<https://www.rt.com/news/554466-china-kazakhstan-color-revolution/|China warns against color revolution in Kazakhstan>');
    const framing = byType(msg, 'section')[1]!.text!.text;
    expect(framing).toMatch(/^\*New framing here\*/);
    expect(framing).toContain('*foreign-trained terrorists* — “Tokayev blamed foreign-trained terrorists for the unrest.” — Tokayev');
    expect(framing).not.toContain('color revolution*');
    expect(buttons(msg).map((b) => b.action_id)).toEqual([ACTION_IDS.openArticle, ACTION_IDS.evidence]);
    expect(msg.text).toContain('Also carried by RT');
    checkLimits(msg);
  });

  it('escapes a hostile headline inside its link label and drops an unsafe link', () => {
    const msg = followupToSlack(followupAlert({ headline: `Title ${HOSTILE}`, url: 'javascript:alert(1)' }));
    for (const t of texts(msg)) for (const bad of FORBIDDEN) expect(t).not.toContain(bad);
    expect(texts(msg).join('\n')).not.toContain('javascript:');
    const withLink = followupToSlack(followupAlert({ headline: `a|b > c <!here>` }));
    const first = byType(withLink, 'section')[0]!.text!.text;
    expect(first).toContain('|a|b &gt; c &lt;!here&gt;>');
  });
});

describe('replyToSlack', () => {
  it('renders a /story answer: header, one linked section per story, hint in a context', () => {
    const msg = replyToSlack(storyReply());
    expect(msg.text).toBe('Kazakhstan — 1 stories in the last 7 days');
    expect(byType(msg, 'header')[0]!.text.text).toContain('Kazakhstan — 1 stories');
    const story = byType(msg, 'section')[0]!.text!.text;
    expect(story).toContain('*1. <https://www.globaltimes.cn/page/202204/1260000.shtml|China warns of "color revolution" in Kazakhstan>*');
    expect(story).toContain('2 outlets (state: CN, RU), 26–27 Apr');
    expect(story).toContain('`color revolution` · `disinformation debunked`');
    expect(story).toContain('Global Times first, then RT.');
    expect(story).toContain('“He did not provide any evidence.” — (outlet’s own voice)');
    expect(story).toContain('<https://www.globaltimes.cn/page/202204/1260000.shtml|Global Times> · <https://www.rt.com/news/554466/|RT>');
    expect(byType(msg, 'context').at(-1)!.elements[0]).toMatchObject({ text: 'Narrow it: /story kazakhstan 30d · /story color revolution · /story tokayev' });
    checkLimits(msg);
  });

  it('escapes hostile story fields and links only safe URLs', () => {
    const card = seedCard({
      headline: `H ${HOSTILE}`,
      summary: `S ${HOSTILE}`,
      framings: [{ tag: 'color-revolution', outlets: ['x'], quote: `Q ${HOSTILE} \`\`\``, attributedTo: '<@U1>' }],
      outlets: [
        { outletId: 'x', outlet: `O ${HOSTILE}`, affiliation: 'unknown', url: 'javascript:alert(1)', published: '2022-04-26T08:00:00.000Z' },
        { outletId: 'y', outlet: 'Y', affiliation: 'independent', url: 'https://y.example/a?b=1&c=2', published: '2022-04-26T09:00:00.000Z' },
      ],
    });
    const msg = replyToSlack(storyReply([card]));
    const all = texts(msg);
    for (const t of all) for (const bad of FORBIDDEN) expect(t).not.toContain(bad);
    const joined = all.join('\n');
    expect(joined).not.toContain('javascript:');
    // The only `<` left are our own links to safe URLs, with `&` escaped inside.
    const links = joined.match(/<[^>]*>/g) ?? [];
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(l).toMatch(/^<https:\/\/y\.example\/a\?b=1&amp;c=2\|/);
  });

  it('shows at most 20 stories, says how many more, and keeps the hint', () => {
    const cards = Array.from({ length: 40 }, (_, i) => seedCard({ id: `s${i}`, headline: `Story ${i}` }));
    const msg = replyToSlack(storyReply(cards));
    checkLimits(msg);
    expect(byType(msg, 'section')).toHaveLength(20);
    const all = JSON.stringify(msg.blocks);
    expect(all).toContain('Story 19');
    expect(all).not.toContain('Story 20');
    expect(all).toContain('… and 20 more stories not shown here.');
    expect(JSON.stringify(msg.blocks.at(-1))).toContain('Narrow it');
  });

  it('stays within 50 blocks whatever the sections, saying what was left out', () => {
    const r: Reply = { visibility: 'ephemeral', kind: 'ok', text: 'Many', sections: Array.from({ length: 80 }, (_, i) => ({ type: 'paragraph' as const, text: `Paragraph ${i}` })) };
    const msg = replyToSlack(r);
    checkLimits(msg);
    expect(msg.blocks).toHaveLength(SLACK_LIMITS.blocks);
    expect(JSON.stringify(msg.blocks.at(-1))).toContain('31 more parts not shown');
  });

  it('renders lists, fields (10 per section) and paragraphs', () => {
    const r: Reply = {
      visibility: 'ephemeral',
      kind: 'ok',
      text: 'Feeds',
      sections: [
        { type: 'paragraph', text: 'Feeds <!here> & co' },
        { type: 'list', items: ['rt-en *paused*', 'global-times-en'] },
        { type: 'fields', fields: Array.from({ length: 12 }, (_, i) => ({ label: `L${i}`, value: `v${i} <@U1>` })) },
      ],
    };
    const msg = replyToSlack(r);
    const sections = byType(msg, 'section');
    expect(sections[0]!.text).toEqual({ type: 'plain_text', text: 'Feeds &lt;!here&gt; &amp; co', emoji: true });
    expect(sections[1]!.text!.text).toBe('• rt-en ∗paused∗\n• global-times-en');
    expect(sections[2]!.fields).toHaveLength(10);
    expect(sections[3]!.fields).toHaveLength(2);
    expect(sections[2]!.fields![0]!.text).toBe('*L0*\nv0 &lt;@U1&gt;');
    checkLimits(msg);
  });

  it('falls back to the one-line text when there are no sections', () => {
    const msg = replyToSlack({ visibility: 'ephemeral', kind: 'ok', text: 'Done <!channel>', sections: [] });
    expect(msg.blocks).toEqual([{ type: 'section', text: { type: 'plain_text', text: 'Done &lt;!channel&gt;', emoji: true } }]);
    expect(msg.text).toBe('Done &lt;!channel&gt;');
  });
});

describe('replyToResponse', () => {
  it('keeps the visibility of answers but makes errors and usage ephemeral', () => {
    expect(replyToResponse(storyReply()).response_type).toBe('in_channel');
    expect(replyToResponse({ ...storyReply(), kind: 'error' }).response_type).toBe('ephemeral');
    expect(replyToResponse({ ...storyReply(), kind: 'usage' }).response_type).toBe('ephemeral');
    expect(replyToResponse({ ...storyReply(), visibility: 'ephemeral' }).response_type).toBe('ephemeral');
  });
});

describe('button values', () => {
  it('round-trip and reject what is not ours', () => {
    expect(decodeButtonValue(encodeButtonValue({ storyId: 's1', articleId: 'a1' }))).toEqual({ storyId: 's1', articleId: 'a1' });
    expect(decodeButtonValue(encodeButtonValue({ storyId: 's1' }))).toEqual({ storyId: 's1' });
    expect(decodeButtonValue('not json')).toBeNull();
    expect(decodeButtonValue('{"s":5}')).toBeNull();
    expect(decodeButtonValue(undefined)).toBeNull();
    expect(encodeButtonValue({ storyId: 's'.repeat(5000), articleId: 'a' }).length).toBeLessThanOrEqual(SLACK_LIMITS.buttonValue);
  });
});
