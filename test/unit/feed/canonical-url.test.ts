import { describe, expect, it } from 'vitest';
import { canonicalLink, canonicalLinkParts, linkKeyMaterial, resolveLink } from '../../../src/core/feed/parse/canonical-url.js';

describe('canonicalLink', () => {
  it('drops tracking parameters and the fragment, keeps the rest in order', () => {
    expect(
      canonicalLink('https://Example.com:443/news/1?id=7&utm_source=rss&utm_medium=feed&fbclid=x&page=2&gclid=1&yclid=2&mc_cid=3&_ga=4#comments'),
    ).toBe('https://example.com/news/1?id=7&page=2');
  });

  it('removes an empty query entirely', () => {
    expect(canonicalLink('http://example.com/a?utm_campaign=x')).toBe('http://example.com/a');
    expect(canonicalLink('http://example.com/a?')).toBe('http://example.com/a');
  });

  it('lower-cases the host and drops default ports but keeps the path case', () => {
    expect(canonicalLink('HTTP://WWW.RT.COM:80/News/Story')).toBe('http://www.rt.com/News/Story');
    expect(canonicalLink('https://tass.com:8443/x')).toBe('https://tass.com:8443/x');
  });

  it('resolves relative links against the first usable base', () => {
    expect(canonicalLink('/news/1', 'http://feeds.example.org/rss.xml')).toBe('http://feeds.example.org/news/1');
    expect(canonicalLink('item/2', null, 'http://a.example/dir/', 'http://b.example/')).toBe('http://a.example/dir/item/2');
    expect(canonicalLink('//cdn.example/x', 'https://example.org/')).toBe('https://cdn.example/x');
  });

  it('refuses what is not an http(s) link', () => {
    expect(canonicalLink('javascript:alert(1)', 'http://x/')).toBeNull();
    expect(canonicalLink('mailto:a@b.c')).toBeNull();
    expect(canonicalLink('tag:example.com,2006:1')).toBeNull();
    expect(canonicalLink('/relative/without/base')).toBeNull();
    expect(canonicalLink('')).toBeNull();
    expect(canonicalLink(null)).toBeNull();
    expect(resolveLink('   ')).toBeNull();
  });
});

describe('linkKeyMaterial', () => {
  it('is the same across http/https, www and a trailing slash', () => {
    const a = linkKeyMaterial('http://www.example.com/a/b/');
    expect(linkKeyMaterial('https://example.com/a/b')).toBe(a);
    expect(linkKeyMaterial('https://example.com/a/c')).not.toBe(a);
    expect(linkKeyMaterial('https://example.com/a/b?id=1')).not.toBe(a);
  });
});

describe('canonicalLinkParts', () => {
  it('gives canonicalLink and the linkKeyMaterial of it, from one parse', () => {
    const links = [
      'https://www.Example.com/a/b/?utm_source=x&id=1#top', 'http://example.com', 'http://example.com/?', 'https://example.com:443/a//',
      'https://user:pw@example.com:8080/a%2Fb/./c/../d?q=a+b&fbclid=1', 'https://пример.рф/путь?к=з', 'https://xn--e1afmkfd.xn--p1ai/',
      'https://example.com./a', 'http://[::1]:80/x', 'http://192.168.0.1.', 'https://example.com/a b?c d#e f', 'relative/path', '//cdn.example.com/x',
      'javascript:alert(1)', 'https://example.com/%7Efoo/%2e%2e/bar', 'https://EXAMPLE.com/a?b=%zz&utm_medium=x', 'http://example.com\\a\\b', '', null,
    ];
    for (const link of links) {
      const canonical = canonicalLink(link, 'https://feed.example.org/rss/');
      const parts = canonicalLinkParts(link, 'https://feed.example.org/rss/');
      expect(parts?.href ?? null, String(link)).toBe(canonical);
      if (canonical) expect(parts!.keyMaterial, String(link)).toBe(linkKeyMaterial(canonical));
    }
  });
});
