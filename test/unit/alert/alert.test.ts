// What an analyst reads: follow-up times relative to publication, the framing block (headline's
// tag first, shared quotes on one line, readable names, background marked), clipping at word
// boundaries, /story quotes once.
import { describe, expect, it } from 'vitest';
import { buildAlert } from '../../../src/core/alert/build.js';
import { clip, unquote, followupText, framingLines, publishedRelative, storyQuoteLines, tagName } from '../../../src/core/alert/format.js';
import { alertToText } from '../../../src/core/alert/text.js';
import type { StoryCard } from '../../../src/core/alert/values.js';
import { TAG_IDS, type AnalysedArticle, type Framing, type Story, type StoryOutlet } from '../../../src/core/types.js';

const WEI = 'China firmly opposes external forces deliberately instigating a “color revolution” in Kazakhstan, said Wei Fenghe.';

function article(over: Partial<AnalysedArticle> & { id: string; outletId: string; outlet: string; published: string }): AnalysedArticle {
  return {
    feedId: `${over.outletId}-en`,
    affiliation: 'state:CN',
    url: `https://example.org/${over.id}`,
    title: 'China warns of color revolution in Kazakhstan',
    text: '',
    publishedEstimated: false,
    firstSeen: over.published,
    storyId: 'st-1',
    cites: [],
    analysis: { id: over.id, language: 'en', countries: ['KZ'], relevance: 0.9, framings: [], summary: 'S.', title: 'China warns of color revolution in Kazakhstan', entities: [], regional: false },
    ...over,
  };
}

function outletOf(a: AnalysedArticle): StoryOutlet {
  return { outletId: a.outletId, outlet: a.outlet, affiliation: a.affiliation, articleId: a.id, url: a.url, title: a.title, published: a.published, cites: [], framings: [] };
}

const GT = article({ id: 'gt-1', outletId: 'global-times', outlet: 'Global Times', published: '2022-04-26T08:00:00.000Z' });
const RT = article({ id: 'rt-1', outletId: 'rt', outlet: 'RT', affiliation: 'state:RU', published: '2022-04-27T10:12:00.000Z' });

function story(arrival: AnalysedArticle[]): Story {
  const outlets = arrival.map(outletOf).sort((a, b) => a.published.localeCompare(b.published));
  return {
    id: 'st-1',
    headline: 'China warns of color revolution in Kazakhstan',
    summary: 'S.',
    countries: ['KZ'],
    relevance: 0.9,
    outlets,
    articleIds: arrival.map((a) => a.id),
    entities: [],
    firstSeen: arrival[0]!.firstSeen,
    lastSeen: arrival.at(-1)!.firstSeen,
  };
}

const dest = { platform: 'slack' as const, channel: 'C1' };

describe('follow-up times are relative to publication, not arrival', () => {
  it('the usual order: RT a day after Global Times', () => {
    const a = buildAlert({ article: RT, story: story([GT, RT]), destination: dest, kind: 'followup' });
    expect(a.followup?.firstOutlet.name).toBe('Global Times');
    expect(followupText(a)).toContain('27 Apr 2022, 10:12 UTC (+1 day)');
  });

  it('an earlier article read late (Global Times after RT alerted) says it was published earlier, never "+0 min"', () => {
    // RT alerted first; the Global Times article, published a day before, arrives afterwards and
    // is now the story's first outlet by publication.
    const s = story([RT, GT]);
    expect(s.outlets[0]!.outletId).toBe('global-times');
    const a = buildAlert({ article: GT, story: s, destination: dest, kind: 'followup' });
    const text = followupText(a);
    expect(text).not.toContain('+0 min');
    expect(text).toContain('Also carried by Global Times [state media · CN], 26 Apr 2022, 08:00 UTC (published 1 day before RT)');
    expect(a.followup?.delayMs).toBe(-(26 * 3_600_000 + 12 * 60_000));
  });

  it('the root article given by the caller wins over arrival order', () => {
    const KZ = article({ id: 'kz-1', outletId: 'kazinform', outlet: 'Kazinform', affiliation: 'state:KZ', published: '2022-04-26T20:00:00.000Z' });
    // Kazinform arrived first but RT is what this destination was alerted with (routing differs).
    const a = buildAlert({ article: GT, story: story([KZ, RT, GT]), destination: dest, kind: 'followup', rootArticleId: 'rt-1' });
    expect(followupText(a)).toContain('(published 1 day before RT)');
    const b = buildAlert({ article: GT, story: story([KZ, RT, GT]), destination: dest, kind: 'followup' });
    expect(followupText(b)).toContain('(published 12 h before Kazinform)');
  });

  it('words the span for what it is', () => {
    expect(publishedRelative(3 * 60_000, 'X')).toBe('+3 min');
    expect(publishedRelative(5 * 3_600_000, 'X')).toBe('+5 h');
    expect(publishedRelative(20_000, 'X')).toBe('within a minute of X');
    expect(publishedRelative(-20_000, 'X')).toBe('within a minute of X');
    expect(publishedRelative(-3 * 86_400_000, 'RT')).toBe('published 3 days before RT');
    expect(publishedRelative(-90 * 60_000, 'RT')).toBe('published 2 h before RT');
    expect(publishedRelative(Number.NaN, 'RT')).toBe('');
  });
});

describe('the framing block', () => {
  const framings: Framing[] = [
    { tag: 'external-interference', confidence: 0.95, evidence: [{ quote: WEI, attributedTo: 'Wei Fenghe' }] },
    { tag: 'attempted-coup', confidence: 0.9, evidence: [{ quote: 'The Kazakh President claimed the violent demonstrations were an attempted coup.', attributedTo: 'Tokayev', background: true }] },
    { tag: 'color-revolution', confidence: 0.8, inTitle: true, evidence: [{ quote: WEI, attributedTo: 'Wei Fenghe' }] },
    { tag: 'disinfo-debunk', confidence: 0.5, evidence: [{ quote: 'He did not provide any evidence.', attributedTo: null }] },
  ];

  it('puts the headline’s own tag first and tags sharing one quote on one line, with readable names', () => {
    const lines = framingLines(framings, 200, 'China warns of color revolution in Kazakhstan');
    expect(lines[0]).toBe(`color revolution · external interference — “${WEI}” — Wei Fenghe`);
    expect(lines).toHaveLength(3);
    expect(lines.join('\n').match(/firmly opposes/g)).toHaveLength(1);
    expect(lines.join('\n')).not.toMatch(/color-revolution|external-interference|disinfo-debunk/);
  });

  it('finds the headline’s tag in records made before the flag: a quote that is the headline', () => {
    const old: Framing[] = [
      { tag: 'external-interference', confidence: 0.9, evidence: [{ quote: 'Foreign forces meddle, Wei said.', attributedTo: 'Wei' }] },
      { tag: 'color-revolution', confidence: 0.7, evidence: [{ quote: 'Body sentence.', attributedTo: null }, { quote: 'China warns of color revolution in Kazakhstan', attributedTo: null }] },
    ];
    expect(framingLines(old, 200, 'China warns of “color revolution” in Kazakhstan')[0]).toMatch(/^color revolution — /);
    expect(framingLines(old, 200, 'Unrelated headline about something else')[0]).toMatch(/^external interference — /);
  });

  it('marks background quotes (history, context) as such', () => {
    const lines = framingLines(framings, 200, 'China warns of color revolution in Kazakhstan');
    expect(lines[1]).toBe('attempted coup — “The Kazakh President claimed the violent demonstrations were an attempted coup.” — Tokayev · background');
    expect(lines[0]).not.toContain('background');
    // The follow-up sentence says so too.
    const f = buildAlert({ article: { ...RT, analysis: { ...RT.analysis, framings } }, story: story([GT, RT]), destination: dest, kind: 'followup', newTags: ['attempted-coup', 'disinfo-debunk'] });
    expect(followupText(f)).toContain('New framing here: attempted coup (Tokayev, background), disinformation debunked (RT’s own voice).');
  });

  it('gives every tag a readable name', () => {
    for (const t of TAG_IDS) {
      expect(tagName(t)).not.toBe(t);
      expect(tagName(t)).not.toContain('-'.repeat(2));
    }
    expect(new Set(TAG_IDS.map(tagName)).size).toBe(TAG_IDS.length);
  });

  it('the console alert reads the same way', () => {
    const a = buildAlert({ article: { ...GT, analysis: { ...GT.analysis, framings } }, story: story([GT]), destination: dest, kind: 'alert' });
    const text = alertToText(a);
    expect(text).toContain(`• color revolution · external interference — “${WEI}” — Wei Fenghe`);
    // JSON keeps the ids.
    expect(a.framings.map((f) => f.tag)).toContain('color-revolution');
  });
});

describe('clip', () => {
  it('cuts at a word boundary, never inside a name, with an ellipsis', () => {
    const s = 'after meeting Kazakh President Kassym-Jomart Tokayev on Monday in Nur-Sultan, the minister said';
    for (let max = 30; max < s.length; max++) {
      const c = clip(s, max);
      expect(c.length).toBeLessThanOrEqual(max);
      expect(c.endsWith('…')).toBe(true);
      const kept = c.slice(0, -1);
      // Every word kept is whole.
      expect(s.startsWith(kept)).toBe(true);
      expect(s[kept.length] === ' ' || s[kept.length] === ',').toBe(true);
      // A name is never split: "Kassym-Jomart" is not kept without "Tokayev", nor "Kazakh President" without the name.
      expect(kept).not.toMatch(/(Kazakh|President|Kassym-Jomart)$/);
    }
    expect(clip('Talks with Wei Fenghe went well', 17)).toBe('Talks with…');
    // A small joining word inside a name belongs to it.
    expect(clip('said Chinese State Councilor and Minister of National Defense Wei Fenghe during his visit', 50)).toBe('said Chinese State Councilor and…');
    expect(clip('the minister of National Defense spoke at length about the visit', 28)).toBe('the minister of…');
    expect(clip('short', 10)).toBe('short');
  });

  it('keeps a sentence-final capitalised word, and cuts a text without spaces where it must', () => {
    expect(clip('He met Tokayev. Then They left the building quickly', 22)).toBe('He met Tokayev.…');
    const zh = '中国坚决反对外部势力蓄意在哈萨克斯坦策动颜色革命'.repeat(3);
    expect(clip(zh, 20)).toBe(`${zh.slice(0, 19)}…`);
    // No lone surrogate at the cut.
    const flags = '🇰🇿'.repeat(20);
    expect(clip(flags, 10)).not.toMatch(/[\uD800-\uDBFF]…$/);
  });
});

describe('unquote', () => {
  it('drops the marks of a sentence that is one quotation, keeps those inside a sentence', () => {
    expect(unquote('“We must be vigilant when some major powers interfere.”')).toBe('We must be vigilant when some major powers interfere.');
    expect(unquote('"We must be vigilant".')).toBe('We must be vigilant.');
    expect(unquote('“A,” he said, “B.”')).toBe('“A,” he said, “B.”');
    expect(unquote('He warned of a “color revolution”.')).toBe('He warned of a “color revolution”.');
    const l = framingLines([{ tag: 'major-power-hegemony', confidence: 0.7, evidence: [{ quote: '“We must be vigilant.”', attributedTo: 'Wei Fenghe' }] }]);
    expect(l[0]).toBe('major-power hegemony — “We must be vigilant.” — Wei Fenghe');
  });
});

describe('/story quotes', () => {
  it('shows a quote shared by three tags once, with all three', () => {
    const card: StoryCard = {
      id: 's',
      headline: 'h',
      summary: '',
      countries: ['KZ'],
      framings: [
        { tag: 'color-revolution', outlets: ['global-times', 'rt'], quote: WEI, attributedTo: 'Wei Fenghe' },
        { tag: 'external-interference', outlets: ['global-times'], quote: WEI, attributedTo: 'Wei Fenghe' },
        { tag: 'major-power-hegemony', outlets: ['global-times'], quote: WEI, attributedTo: 'Wei Fenghe' },
        { tag: 'disinfo-debunk', outlets: ['rt'], quote: 'He did not provide any evidence.', attributedTo: null },
      ],
      outlets: [
        { outletId: 'global-times', outlet: 'Global Times', affiliation: 'state:CN', url: null, published: '2022-04-26T08:00:00.000Z' },
        { outletId: 'rt', outlet: 'RT', affiliation: 'state:RU', url: null, published: '2022-04-27T10:12:00.000Z' },
      ],
      firstSeen: '2022-04-26T08:00:00.000Z',
      lastSeen: '2022-04-27T10:12:00.000Z',
    };
    const lines = storyQuoteLines(card, 300);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({ names: 'color revolution · external interference · major-power hegemony', rest: `“${WEI}” — Wei Fenghe (Global Times, RT)` });
    expect(lines[1]!.rest).toBe('“He did not provide any evidence.” — (outlet’s own voice) (RT)');
  });
});
