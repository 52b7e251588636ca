// A feed's `country` (a local outlet's home) travels with its articles to the analysis as a hint;
// an item credited to another outlet (an aggregator's <source>) does not carry it.
import { describe, expect, it } from 'vitest';
import { toArticle } from '../../../jobs/poll.js';
import { articleSchema } from '../../../src/ports/queue-payloads.js';
import type { FeedConfig, NormalisedItem } from '../../../src/core/types.js';

const feed: FeedConfig = { id: 'asia-plus-ru', url: 'https://x.test/rss', outlet: 'Asia-Plus', outletId: 'asia-plus', language: ['ru'], country: 'TJ', affiliation: 'independent', source: 'file' };
const item: NormalisedItem = { key: 'k1', altKeys: [], title: 'T', url: null, text: 'x', published: '2024-05-01T00:00:00.000Z', publishedEstimated: false };
const now = new Date('2024-05-01T01:00:00Z');

describe("a feed's country as the articles' country hint", () => {
  it("is carried by the feed's own items and survives the queue payload", () => {
    const a = toArticle(feed, item, now);
    expect(a.countryHint).toBe('TJ');
    expect(articleSchema.parse(a).countryHint).toBe('TJ');
  });

  it('is not carried by an item credited to another outlet, nor by a feed without a country', () => {
    expect(toArticle(feed, { ...item, sourceOutlet: 'Reuters' }, now).countryHint).toBeUndefined();
    const { country: _c, ...noCountry } = feed;
    expect(toArticle(noCountry, item, now).countryHint).toBeUndefined();
  });
});
