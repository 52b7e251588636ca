import { describe, expect, it } from 'vitest';
import { normaliseItems } from '../../../src/core/feed/parse/normalise.js';
import { isStableGuid, normaliseTitle, titleKey } from '../../../src/core/feed/parse/keys.js';
import type { ParsedFeed, ParsedItem } from '../../../src/core/feed/parse/types.js';
import type { NormalisedItem } from '../../../src/core/types.js';

const now = new Date('2024-05-01T12:00:00Z');
const ctx = { feedUrl: 'https://www.example.kz/rss', outletId: 'example', now };
const feed = (items: ParsedItem[]): ParsedFeed => ({ format: 'rss', title: 'Example', link: 'https://www.example.kz/', items });
const one = (item: ParsedItem): NormalisedItem => normaliseItems(feed([item]), ctx)[0]!;
const allKeys = (i: NormalisedItem) => new Set([i.key, ...i.altKeys]);
const shareAKey = (a: NormalisedItem, b: NormalisedItem) => [...allKeys(a)].some((k) => allKeys(b).has(k));

const base: ParsedItem = {
  title: 'Tokayev meets Chinese defence minister in Astana',
  link: 'https://www.example.kz/news/2024/05/01/tokayev-meets?utm_source=rss',
  guid: 'https://www.example.kz/?p=123456',
  guidIsPermaLink: false,
  published: 'Wed, 01 May 2024 09:00:00 +0500',
};

describe('article keys', () => {
  it('are short, prefixed and safe as Redis key parts', () => {
    const i = one(base);
    for (const k of allKeys(i)) expect(k).toMatch(/^[ghutc]:[0-9a-f]{40}$/);
    expect(i.key.startsWith('g:')).toBe(true);
    expect(i.altKeys).toHaveLength(2);
  });

  it('survive a publisher that changes GUIDs', () => {
    expect(shareAKey(one(base), one({ ...base, guid: 'urn:uuid:5f0c4b9e-0a4e-4a53-9e53-1c5b1b1f0c0d' }))).toBe(true);
  });

  it('survive changed dates and tracking parameters', () => {
    const a = one(base);
    const b = one({ ...base, published: 'Thu, 02 May 2024 10:00:00 +0500', link: 'https://example.kz/news/2024/05/01/tokayev-meets?utm_medium=telegram&fbclid=abc#top' });
    expect(shareAKey(a, b)).toBe(true);
  });

  it('survive a changed link (same title, same outlet)', () => {
    const a = one(base);
    const b = one({ ...base, guid: 'other-id-999', link: 'https://www.example.kz/ru/news/tokayev-meets-2' });
    expect(shareAKey(a, b)).toBe(true);
  });

  it('survive all three changing at once through the title key', () => {
    const a = one(base);
    const b = one({ title: '  Tokayev meets Chinese defence minister in Astana! ', link: 'http://example.kz/n/1?utm_campaign=x', guid: 'new-guid-0001', published: 'Fri, 03 May 2024 10:00:00 GMT' });
    expect(shareAKey(a, b)).toBe(true);
  });

  it('differ for different articles', () => {
    const a = one(base);
    const b = one({ title: 'Kyrgyzstan opens a new border crossing with China', link: 'https://www.example.kz/news/2', guid: 'https://www.example.kz/?p=123457', published: base.published });
    expect(shareAKey(a, b)).toBe(false);
  });

  it('scope guids and titles by outlet, not links', () => {
    const a = one(base);
    const b = normaliseItems(feed([base]), { ...ctx, outletId: 'other' })[0]!;
    expect(a.key).not.toBe(b.key);
    expect(a.altKeys[0]).toBe(b.altKeys[0]); // the link key
  });

  it('fall back to the link when the guid is unstable', () => {
    for (const guid of ['', '7', 'https://www.example.kz/rss', 'https://www.example.kz/']) {
      expect(one({ ...base, guid }).key.startsWith('u:')).toBe(true);
    }
    const dup = normaliseItems(feed([{ ...base, guid: 'same-guid' }, { ...base, title: 'Another story entirely', link: 'https://www.example.kz/b', guid: 'same-guid' }]), ctx);
    expect(dup.map((i) => i.key[0])).toEqual(['u', 'u']);
    expect(dup[0]!.key).not.toBe(dup[1]!.key);
  });

  it('fall back to title and date, leaving the first-seen time out', () => {
    const undated = { title: 'A story without link or guid at all', published: null };
    const k1 = normaliseItems(feed([undated]), ctx)[0]!;
    const k2 = normaliseItems(feed([undated]), { ...ctx, now: new Date('2024-05-02T00:00:00Z') })[0]!;
    expect(k1.key.startsWith('h:')).toBe(true);
    expect(k1.key).toBe(k2.key);
    const dated = normaliseItems(feed([{ ...undated, published: '2024-05-01T08:00:00Z' }]), ctx)[0]!;
    expect(dated.key).not.toBe(k1.key);
  });

  it('leave short, recurring titles out of the title key', () => {
    expect(titleKey('o', 'News')).toBeNull();
    expect(titleKey('o', 'Погода на завтра')).toBeNull();
    expect(titleKey('o', 'Токаев провёл встречу с министром обороны Китая')).not.toBeNull();
    expect(titleKey('o', '中国国防部长会见哈萨克斯坦总统')).not.toBeNull();
    expect(normaliseTitle('«Color Revolution» — China’s WARNING!')).toBe('color revolution china s warning');
  });

  it('normalise ASCII titles (a fast path) as NFKC and Unicode letters and digits do', () => {
    const reference = (t: string) => t.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    const chars = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
    let seed = 11;
    for (let i = 0; i < 3_000; i++) {
      const t = Array.from({ length: 1 + (i % 40) }, () => chars[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % chars.length]).join('');
      expect(normaliseTitle(t), JSON.stringify(t)).toBe(reference(t));
    }
    expect(normaliseTitle('  Kazakhstan: Tokayev meets  China\'s Minister  ')).toBe('kazakhstan tokayev meets china s minister');
    expect(titleKey('o', 'ABCDEFGHIJKLMNOP')).not.toBeNull(); // 16 characters, one word
    expect(titleKey('o', 'ABCDEFGHIJKLMNO')).toBeNull();
    expect(titleKey('o', ' a  b -- c d ')).not.toBeNull(); // four words however they are separated
    expect(titleKey('o', ' a  b -- c ')).toBeNull();
    expect(titleKey('o', '— ABCDEFGH IJKLMNOP —')).not.toBeNull(); // 16 letters, two words
    expect(titleKey('o', '— ABCDEFGH IJKLMNO —')).toBeNull();
    expect(titleKey('o', '')).toBeNull();
    expect(titleKey('o', ' -- ')).toBeNull();
  });

  it('judge guid stability', () => {
    const c = { feedUrl: 'https://x/rss', feedLink: 'https://x/', guidCounts: new Map([['dup', 2]]) };
    expect(isStableGuid('https://x/item/1', c)).toBe(true);
    expect(isStableGuid('123456', c)).toBe(true);
    expect(isStableGuid('12', c)).toBe(false);
    expect(isStableGuid('dup', c)).toBe(false);
    expect(isStableGuid('https://x/', c)).toBe(false);
    expect(isStableGuid(null, c)).toBe(false);
  });
});

describe('normaliseItems limits', () => {
  it('caps what a hostile item can carry', () => {
    const i = one({ title: 'x'.repeat(50_000), summary: 'y '.repeat(200_000), link: `https://ex.org/${'a'.repeat(10_000)}`, author: 'z'.repeat(5_000) });
    expect(i.title.length).toBeLessThanOrEqual(1_000);
    expect(i.title.endsWith('…')).toBe(true);
    expect(i.text.length).toBeLessThanOrEqual(100_000);
    expect(i.url).toBeNull();
    expect(i.author!.length).toBeLessThanOrEqual(200);
  });
});
