import { describe, expect, it } from 'vitest';
import { fit, mrkdwn, mrkdwnLink, plainText, safeUrl, sanitize } from '../../../src/adapters/slack/escape.js';

describe('plainText', () => {
  it('escapes Slack control characters so nothing becomes a mention or link', () => {
    expect(plainText('<!channel> <@U1> <#C1|x> <https://a|b> a & b')).toBe('&lt;!channel&gt; &lt;@U1&gt; &lt;#C1|x&gt; &lt;https://a|b&gt; a &amp; b');
    // Already-escaped text is escaped again: a feed cannot smuggle an entity that decodes to `<`.
    expect(plainText('&lt;!here&gt;')).toBe('&amp;lt;!here&amp;gt;');
  });
  it('breaks bare broadcast words and keeps ordinary @ text', () => {
    expect(plainText('@here @Channel @everyone x@heretic me@example.org')).toBe('@\u200Bhere @\u200BChannel @\u200Beveryone x@heretic me@example.org');
  });
  it('drops controls, bidi overrides and lone surrogates, keeps newlines and emoji', () => {
    expect(sanitize('a\u0000b\u202Ec\u2066d\nx\tz 🇰🇿 \uD83C')).toBe('abcd\nx\tz 🇰🇿 ');
  });
});

describe('mrkdwn', () => {
  it('neutralises formatting characters and block quotes', () => {
    expect(mrkdwn('*b* _i_ ~s~ `c` ```x```')).toBe('∗b∗ ˍiˍ ∼s∼ ˋcˋ ˋˋˋxˋˋˋ');
    expect(mrkdwn('> quoted\nline\n> again')).toBe('\u200B&gt; quoted\nline\n\u200B&gt; again');
    expect(mrkdwn('a > b')).toBe('a &gt; b');
  });
});

describe('safeUrl and mrkdwnLink', () => {
  it('accepts http(s) only, without credentials', () => {
    expect(safeUrl('https://example.org/a b')).toBe('https://example.org/a%20b');
    expect(safeUrl('HTTP://Example.org')).toBe('http://example.org/');
    for (const bad of ['javascript:alert(1)', 'mailto:x@y.z', 'file:///etc/passwd', 'https://user:pw@x.org', 'https://x@evil.org', '//x.org', '', null, undefined]) {
      expect(safeUrl(bad)).toBeNull();
    }
  });
  it('makes a link that cannot be closed early or relabelled', () => {
    expect(mrkdwnLink('https://x.org/?a=1&b=<2>|3', 'label > <!here>')).toBe('<https://x.org/?a=1&amp;b=%3C2%3E%7C3|label &gt; &lt;!here&gt;>');
    expect(mrkdwnLink('javascript:x', '*t*')).toBe('∗t∗');
  });
});

describe('fit', () => {
  it('returns short text unchanged (escaped)', () => {
    expect(fit('a & b', 10)).toBe('a &amp; b');
  });
  it('clips so the escaped text fits, never cutting an entity or a surrogate pair', () => {
    for (let max = 5; max < 60; max += 1) {
      const out = fit('&&&& <<<< >>>> 🇰🇿🇰🇿🇰🇿 words and more words', max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
      expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    }
  });
});
