import { describe, expect, it } from 'vitest';
import { MAX_SERVER_DELAY_MS, notBeforeFromCacheControl, parseMaxAge, parseRetryAfter } from '../../../src/core/feed/policy/http-hints.js';

const now = Date.parse('2024-05-01T12:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(now + 120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(now);
    expect(parseRetryAfter('Wed, 01 May 2024 13:00:00 GMT', now)).toBe(now + 3_600_000);
  });

  it('never points to the past, nor further than a day', () => {
    expect(parseRetryAfter('Wed, 01 May 2024 11:00:00 GMT', now)).toBe(now);
    expect(parseRetryAfter('99999999', now)).toBe(now + MAX_SERVER_DELAY_MS);
    expect(parseRetryAfter('Fri, 01 May 2099 11:00:00 GMT', now)).toBe(now + MAX_SERVER_DELAY_MS);
  });

  it('ignores junk', () => {
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe('Cache-Control', () => {
  it('reads max-age unless the response must not be reused', () => {
    expect(parseMaxAge('public, max-age=600')).toBe(600);
    expect(parseMaxAge('max-age="300", must-revalidate')).toBe(300);
    expect(parseMaxAge('s-maxage=900')).toBeNull();
    expect(parseMaxAge('no-cache, max-age=600')).toBeNull();
    expect(parseMaxAge('no-store')).toBeNull();
    expect(parseMaxAge(undefined)).toBeNull();
    expect(notBeforeFromCacheControl('max-age=60', now)).toBe(now + 60_000);
    expect(notBeforeFromCacheControl('max-age=0', now)).toBeNull();
  });
});
