import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import {
  farmFeed,
  initialItemMeta,
  initialItems,
  isFresh,
  itemPlainText,
  itemRef,
  itemRefFromUrl,
  publishedItemMeta,
  renderItem,
  renderRss,
  type FarmSpec,
} from '../../../bench/farm/content.js';
import { FarmTruth } from '../../../bench/farm/truth.js';
import { notModified } from '../../../bench/farm/server.js';

const spec: FarmSpec = { feeds: 200, items: 20, start: Date.UTC(2024, 4, 1, 12), seed: 7 };
const all = () => Array.from({ length: spec.feeds }, (_, f) => initialItems(spec, f)).flat();

describe('farm items', () => {
  it('are the same for the same (seed, feed, item) and differ across seeds', () => {
    expect(initialItemMeta(spec, 3, 5)).toEqual(initialItemMeta(spec, 3, 5));
    expect(renderItem(spec, initialItemMeta(spec, 3, 5), 'http://x')).toEqual(renderItem(spec, initialItemMeta(spec, 3, 5), 'http://x'));
    const other = { ...spec, seed: 8 };
    const a = all().map((m) => m.country);
    const b = Array.from({ length: spec.feeds }, (_, f) => initialItems(other, f)).flat().map((m) => m.country);
    expect(a).not.toEqual(b);
  });

  it('are about 10% Central Asia, a third of those framed, in five languages', () => {
    const items = all();
    const ca = items.filter((m) => m.country);
    expect(ca.length / items.length).toBeGreaterThan(0.08);
    expect(ca.length / items.length).toBeLessThan(0.12);
    const framed = ca.filter((m) => m.tag).length / ca.length;
    expect(framed).toBeGreaterThan(0.25);
    expect(framed).toBeLessThan(0.45);
    expect(new Set(items.map((m) => m.lang))).toEqual(new Set(['en', 'ru', 'zh', 'kk', 'uz']));
    // foreign-agent-ngo is written in English and Russian only; Kazakh and Uzbek outlets cover their own country.
    for (const m of ca) {
      if (m.tag === 'foreign-agent-ngo') expect(['en', 'ru']).toContain(m.lang);
      if (m.lang === 'kk') expect(m.country).toBe('KZ');
      if (m.lang === 'uz') expect(m.country).toBe('UZ');
    }
  });

  it('have 1–5 KB bodies, some with content:encoded', () => {
    const metas = all().slice(0, 400);
    for (const m of metas) {
      const bytes = Buffer.byteLength(itemPlainText(renderItem(spec, m, 'http://x')).text);
      expect(bytes).toBeGreaterThanOrEqual(1000);
      expect(bytes).toBeLessThan(5000 + 1200);
    }
    const share = metas.filter((m) => m.contentEncoded).length / metas.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
  });

  it('of a feed are spaced three hours apart, so with 20 items the oldest four are past 48 h', () => {
    const items = initialItems(spec, 0);
    expect(items.filter((m) => isFresh(m, spec.start, 48)).length).toBe(16);
    expect(items.every((m) => m.publishedMs < spec.start)).toBe(true);
  });

  it('name their feed and position in their link', () => {
    const m = initialItemMeta(spec, 12, 7);
    expect(itemRefFromUrl(renderItem(spec, m, 'http://127.0.0.1:9').link)).toBe(itemRef(m));
    expect(itemRefFromUrl('https://example.com/a')).toBeNull();
    expect(itemRefFromUrl(null)).toBeNull();
  });

  it('render as an RSS document rss-parser reads, newest first', async () => {
    const items = initialItems(spec, 17).slice().reverse().map((m) => renderItem(spec, m, 'http://h'));
    const xml = renderRss(farmFeed(17), items, 'http://h', spec.start);
    const parsed = await new Parser().parseString(xml);
    expect(parsed.items).toHaveLength(20);
    expect(parsed.items[0]!.guid).toBe('farm-17-19');
    expect(parsed.items[0]!.title).toBe(items[0]!.title);
  });
});

describe('farm feeds', () => {
  it('group ten feeds per outlet, with the outlet’s affiliation', () => {
    expect(farmFeed(0).outletId).toBe(farmFeed(9).outletId);
    expect(farmFeed(10).outletId).not.toBe(farmFeed(9).outletId);
    expect(farmFeed(42)).toMatchObject({ id: 'farm-0042', outletId: 'farm-outlet-004' });
  });
});

describe('FarmTruth', () => {
  it('keeps the newest items of each feed after publishing', () => {
    const t = new FarmTruth({ ...spec, feeds: 2, items: 3 });
    expect(t.nextSeq(1)).toBe(3);
    const m = publishedItemMeta(spec, 1, 3, spec.start, 'TJ', 'foreign-agent-ngo');
    t.publish([m]);
    expect(t.nextSeq(1)).toBe(4);
    const feed1 = [...t.current()].filter((x) => x.feed === 1);
    expect(feed1.map((x) => x.seq)).toEqual([1, 2, 3]);
    // foreign-agent-ngo stays only where the feed's language has the sentence.
    expect(m.tag === null || ['en', 'ru'].includes(m.lang)).toBe(true);
  });
});

describe('conditional requests', () => {
  const lm = Date.UTC(2024, 4, 1, 12, 0, 0, 500);
  it('If-None-Match wins; a matching tag (weak or in a list) is not modified', () => {
    expect(notModified({ 'if-none-match': '"a", W/"f1-v2"' }, '"f1-v2"', lm)).toBe(true);
    expect(notModified({ 'if-none-match': '"f1-v1"', 'if-modified-since': new Date(lm).toUTCString() }, '"f1-v2"', lm)).toBe(false);
  });
  it('If-Modified-Since compares whole seconds', () => {
    expect(notModified({ 'if-modified-since': new Date(lm).toUTCString() }, '"x"', lm)).toBe(true);
    expect(notModified({ 'if-modified-since': new Date(lm - 1000).toUTCString() }, '"x"', lm)).toBe(false);
    expect(notModified({ 'if-modified-since': 'yesterday' }, '"x"', lm)).toBe(false);
    expect(notModified({}, '"x"', lm)).toBe(false);
  });
});

describe('farm items against the analysis (the expected alerts assume it)', () => {
  it('every Central Asia item passes ALERT_MIN_RELEVANCE 0.3 (local feeds with their country hint)', async () => {
    const { measureAnalysis } = await import('../../../bench/analysis.js');
    const fig = measureAnalysis({ ...spec, feeds: 100 }, { sample: 300, repeats: 0, minRelevance: 0.3 });
    expect(fig.agreement.centralAsia).toBeGreaterThan(20);
    expect(fig.agreement.belowRelevanceFloor).toBe(0);
    expect(fig.agreement.countryExact).toBe(fig.agreement.centralAsia);
    expect(farmFeed(18).country).toBe('KZ');
    expect(farmFeed(19).country).toBe('UZ');
    expect(farmFeed(0).country).toBeUndefined();
  });
});
