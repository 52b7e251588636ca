// The XML document's simple path (src/core/feed/parse/xml-simple.ts) must build htmlparser2's DOM
// exactly wherever it answers, and answer for ordinary feeds.
import { parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { simpleXmlDocument } from '../../../src/core/feed/parse/xml-simple.js';
import { parseXmlFeed } from '../../../src/core/feed/parse/xml-feed.js';
import { farmFeed, initialItems, renderItem, renderRss, type FarmSpec } from '../../../bench/farm/content.js';
import { domDifference } from '../../helpers/dom-compare.js';

const full = (xml: string) => parseDocument(xml, { xmlMode: true, decodeEntities: true });

describe('simpleXmlDocument', () => {
  it('reads an ordinary RSS document as htmlparser2 does', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<!-- generator="x" -->
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc='http://purl.org/dc/elements/1.1/'>
  <channel><title>Feed &amp; more</title>
    <item><title>Астана &#8212; &#x41;&quot;b&apos;</title><link>http://x/?a=1&amp;b=2</link>
      <description>&lt;p&gt;Hello &amp;amp; bye&lt;/p&gt;</description>
      <content:encoded><![CDATA[<p>raw & <b>bold</b>]]]></content:encoded>
      <guid isPermaLink="false" isPermaLink="true">g1</guid><enclosure url="http://x/a.mp3" length="1" type="audio/mpeg"/>
    </item>
  </channel>
</rss>
`;
    const fast = simpleXmlDocument(xml);
    expect(fast).not.toBeNull();
    expect(domDifference(fast!, full(xml))).toBeNull();
  });

  it('leaves what is outside the subset to htmlparser2', () => {
    for (const xml of [
      '<a>&nbsp;</a>', // a reference XML does not define (cleanXml rewrites those; attributes too)
      '<a>AT&T</a>',
      '<a>&amp</a>',
      '<a>&#0;</a>',
      '<a>&#xD800;</a>',
      '<a b=c/>', // unquoted value
      '<a b/>', // no value
      '<a b="1"c="2"/>',
      '<a></b>', // not the innermost element
      '<a><b></a>',
      '<a>', // unclosed
      '<a>1 < 2</a>',
      '<a><!-- x -- y --></a>',
      '<a><!-- x ---></a>',
      '<!DOCTYPE a [<!ENTITY e "x">]><a/>',
      '<a><![CDATA[never closed</a>',
      '<a><?pi never closed</a>',
      '<a / >',
      '<Ж>x</Ж>',
    ]) {
      expect(simpleXmlDocument(xml), xml).toBeNull();
    }
  });

  // A small deterministic generator (mulberry32), so a failure names its seed.
  const rng = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const names = ['item', 'title', 'dc:creator', 'a', 'A', 'x-y', 'n.m', '_u', 'rss'];
  const attrs = [
    '', ' href="http://x/?a=1&amp;b=2"', " k='v'", ' a="1" a="2"', ' xmlns:dc="http://purl.org/dc/elements/1.1/"', ' t = "x<y>"',
    '\n\tk="&#65;&lt;"', ' k="&nbsp;"', ' k=v', ' k', ' k="1"k2="2"', ' __proto__="x"', ' k="a\nb"',
  ];
  const texts = [
    'text', ' ', '\n  ', 'Астана', '&amp;', '&lt;p&gt;', '&quot;&apos;', '&#8212;', '&#x1F600;', '&#128;', '&#9;', '&#1;', '&#0;',
    '&#xD800;', '&#1114112;', '&nbsp;', '&amp', 'AT&T', 'a > b', 'a < b', '<![CDATA[x]]>', '<![CDATA[]]>', '<![CDATA[a]]]>',
    '<![CDATA[<p>&amp;</p>]]>', '<!-- c -->', '<!---->', '<!-- a - b -->', '<!-- a -- b -->', '<!-- x --->', '<!-- x --!>',
    '<?pi data?>', '<?xml version="1.0"?>', '<!DOCTYPE rss>', '<!DOCTYPE x [<!ENTITY a "b">]>', '<![CDATA[open', '<!x>', '<>', '</>',
    '< a>', '</ a>', '<a/ >', '<?>', '<!->', '<!-->',
  ];

  it('on 20,000 generated documents: the same DOM wherever the simple path answers (and it answers for many)', () => {
    let simple = 0;
    for (let seed = 1; seed <= 20_000; seed++) {
      const r = rng(seed);
      const pick = <T>(list: T[]) => list[Math.floor(r() * list.length)]!;
      const open: string[] = [];
      let xml = '';
      const n = 1 + Math.floor(r() * 14);
      for (let i = 0; i < n; i++) {
        const x = r();
        if (x < 0.3) {
          const name = pick(names);
          xml += `<${name}${pick(attrs)}${r() < 0.15 ? '/' : ''}>`;
          if (!xml.endsWith('/>')) open.push(name);
        } else if (x < 0.5 && open.length) {
          // usually the innermost, sometimes another or a stray name
          const name = r() < 0.85 ? open.pop()! : pick(names);
          xml += `</${name}${r() < 0.1 ? ' ' : ''}>`;
        } else xml += pick(texts);
      }
      if (r() < 0.9) while (open.length) xml += `</${open.pop()}>`;
      const fast = simpleXmlDocument(xml);
      if (fast === null) continue;
      simple += 1;
      expect(domDifference(fast, full(xml)), `seed ${seed}: ${JSON.stringify(xml)}`).toBeNull();
    }
    expect(simple).toBeGreaterThan(2_000);
  });

  it('reads the bench farm documents (the pipeline feeds) and the feed reader gives the same items', () => {
    const spec: FarmSpec = { feeds: 20, items: 20, start: Date.UTC(2026, 11, 1), seed: 1 };
    for (let i = 0; i < spec.feeds; i++) {
      const xml = renderRss(farmFeed(i), initialItems(spec, i).reverse().map((m) => renderItem(spec, m, 'http://127.0.0.1:8080')), 'http://127.0.0.1:8080', spec.start);
      const fast = simpleXmlDocument(xml);
      expect(fast, `farm feed ${i}`).not.toBeNull();
      expect(domDifference(fast!, full(xml))).toBeNull();
      const r = parseXmlFeed(xml, 'http://127.0.0.1:8080/f.xml');
      expect(r.ok && r.feed.items.length).toBe(20);
    }
  });
});
