// Decode → sniff → clean → parse (the structural XML reader, or JSON Feed) → normalise.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseFeedDocument, type ParseOutcome } from '../../../src/adapters/http-feed/parse.js';
import { cleanXml } from '../../../src/core/feed/parse/xml-clean.js';
import { discoverFeedLinks } from '../../../src/core/feed/parse/discover.js';
import { normaliseItems } from '../../../src/core/feed/parse/normalise.js';
import type { NormalisedItem } from '../../../src/core/types.js';
import { cpuMsSince } from '../../helpers/cpu-time.js';

const URL_ = 'https://feeds.example.org/news/rss.xml';
const now = new Date('2024-05-01T00:00:00Z');

async function parse(text: string | Uint8Array, contentType?: string): Promise<ParseOutcome> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  return parseFeedDocument(bytes, { url: URL_, contentType: contentType ?? null });
}
async function items(text: string): Promise<{ items: NormalisedItem[]; r: ParseOutcome }> {
  const r = await parse(text, undefined);
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return { items: normaliseItems(r.feed, { feedUrl: URL_, outletId: 'ex', now }), r };
}
const rss = (inner: string, attrs = '') => `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"${attrs}><channel><title>Ex</title>${inner}</channel></rss>`;

describe('RSS', () => {
  it('reads CDATA, entities and HTML in titles', async () => {
    const { items: [a, b, c], r } = await items(
      rss(`<item><title><![CDATA[China &amp; <b>Kazakhstan</b>]]></title><link>https://ex.org/1</link></item>
           <item><title>Caf&eacute;&nbsp;talks &#8212; &lt;i&gt;Almaty&lt;/i&gt;</title><link>https://ex.org/2</link></item>
           <item><title>  Q&A:   Tokayev
             on reforms </title><link>https://ex.org/3?a=1&b=2</link></item>`),
    );
    expect(r.ok && r.parser).toBe('xml');
    expect(a!.title).toBe('China & Kazakhstan');
    expect(b!.title).toBe('Café talks — Almaty');
    expect(c!.title).toBe('Q&A: Tokayev on reforms');
    expect(c!.url).toBe('https://ex.org/3?a=1&b=2');
  });

  it('takes the guid as the link when there is no link, unless isPermaLink="false"', async () => {
    const { items: [a, b] } = await items(
      rss(`<item><title>One story about the region</title><guid>https://ex.org/p/1</guid></item>
           <item><title>Another story about the region</title><guid isPermaLink="false">https://ex.org/p/2</guid></item>`),
    );
    expect(a!.url).toBe('https://ex.org/p/1');
    expect(b!.url).toBeNull();
    expect(b!.guid).toBe('https://ex.org/p/2');
  });

  it('reads <source> as the item outlet, dc:date and relative links', async () => {
    const { items: [a] } = await items(
      rss(`<item><title>Aggregated</title><link>/story/9</link><source url="https://www.reuters.com/rss">Reuters</source><dc:date>2022-04-26T08:00:00+06:00</dc:date></item>`, ' xmlns:dc="http://purl.org/dc/elements/1.1/"'),
    );
    expect(a!.sourceOutlet).toBe('Reuters');
    expect(a!.url).toBe('https://feeds.example.org/story/9');
    expect(a!.published).toBe('2022-04-26T02:00:00.000Z');
    expect(a!.publishedEstimated).toBe(false);
  });

  it('marks undated items as estimated and dates them now', async () => {
    const { items: [a] } = await items(rss(`<item><title>No date</title><pubDate>someday</pubDate></item>`));
    expect(a!.publishedEstimated).toBe(true);
    expect(a!.published).toBe(now.toISOString());
  });

  it('reads an <rss> without version, as RSS 2.0', async () => {
    const { items: list } = await items('<rss><channel><item><title>x</title></item></channel></rss>');
    expect(list.map((i) => i.title)).toEqual(['x']);
  });
});

describe('where strict XML parsers fall short (rss-parser, xml2js), the reader', () => {
  it('keeps mixed-content titles whole', async () => {
    const { items: [a], r } = await items(rss('<item><title>foo <b>bar</b> baz</title></item>'));
    expect(r.ok && r.parser).toBe('xml');
    expect(a!.title).toBe('foo bar baz');
  });

  it('reads documents that are not well-formed', async () => {
    const { items: list, r } = await items(rss('<item><title>One</title><link>https://ex.org/1</link></item><item><title>Two <br> lines</title><description><p>unclosed</description></item>') + 'trailing junk');
    expect(r.ok && r.parser).toBe('xml');
    expect(list.map((i) => i.title)).toEqual(['One', 'Two lines']);
  });

  it('reads Atom text constructs: xhtml, html, base64', async () => {
    const { items: list } = await items(`<feed xmlns="http://www.w3.org/2005/Atom">
      <entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Hello <b>World</b></div></title><id>urn:1</id></entry>
      <entry><title type="html">&lt;p&gt;Escaped &amp;amp; markup&lt;/p&gt;</title><id>urn:2</id></entry>
      <entry><title type="text">5 &lt; 6 &amp; &lt;b&gt; stays</title><id>urn:3</id></entry>
      <entry><title type="application/octet-stream">RXhhbXBsZSA8Yj5BdG9tPC9iPg==</title><id>urn:4</id></entry>
      <entry><title type="application/x-custom">test</title><id>urn:5</id></entry>
    </feed>`);
    expect(list.map((i) => i.title)).toEqual(['Hello World', 'Escaped & markup', '5 < 6 & <b> stays', 'Example Atom', 'test']);
  });

  it('resolves links through nested xml:base', async () => {
    const { items: [a, b] } = await items(`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.org/root/">
      <entry xml:base="sub/"><title>A</title><link href="a.html"/><link rel="self" href="self.xml"/></entry>
      <entry><title>B</title><link rel="alternate" type="text/html" href="/abs/b" xml:base="http://other.example/x/"/></entry>
    </feed>`);
    expect(a!.url).toBe('http://example.org/root/sub/a.html');
    expect(b!.url).toBe('http://other.example/abs/b');
  });

  it('reads RDF with prefixed RSS 1.0 elements', async () => {
    const { items: list, r } = await items(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rss="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <rss:channel rdf:about="http://ex.org/"><rss:title>Chan</rss:title></rss:channel>
      <rss:item rdf:about="http://ex.org/1"><rss:title>First</rss:title><rss:link>http://ex.org/1</rss:link><dc:date>2004-01-01T19:48:21Z</dc:date></rss:item>
      <rss:item rdf:about="http://ex.org/2"><rss:title>Second</rss:title></rss:item>
    </rdf:RDF>`);
    expect(r.ok && r.feed.format).toBe('rdf');
    expect(r.ok && r.feed.title).toBe('Chan');
    expect(list.map((i) => [i.title, i.url, i.publishedEstimated])).toEqual([
      ['First', 'http://ex.org/1', false],
      ['Second', 'http://ex.org/2', true],
    ]);
  });

  it('reads an Atom entry with a date rss-parser throws on', async () => {
    const { items: [a] } = await items('<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>T</title><published>not a date</published><updated>2022-04-26T08:00:00Z</updated></entry></feed>');
    expect(a!.published).toBe('2022-04-26T08:00:00.000Z');
  });
});

describe('pre-cleaning', () => {
  it('escapes bare ampersands and unknown entities, maps HTML entities, strips forbidden characters', () => {
    expect(cleanXml('<t>Q&A &nbsp; &copy; &bogus; &#150; &#0; \u0001ok</t>')).toBe('<t>Q&amp;A &#160; &#169; &amp;bogus; &#8211;  ok</t>');
  });

  it('leaves CDATA and comments untouched', () => {
    expect(cleanXml('<t><![CDATA[a & b &nbsp;]]><!-- & --></t>')).toBe('<t><![CDATA[a & b &nbsp;]]><!-- & --></t>');
  });

  it('drops junk before the document', () => {
    expect(cleanXml('\n\n  <?xml version="1.0"?><rss/>')).toBe('<?xml version="1.0"?><rss/>');
    expect(cleanXml('Warning: something in /var/www/feed.php on line 3\n<?xml version="1.0"?><rss/>')).toBe('<?xml version="1.0"?><rss/>');
  });

  it('expands internal DOCTYPE entities once and never recursively', async () => {
    const { items: [a] } = await items('<!DOCTYPE rss [<!ENTITY id "tag:example.com,">]><rss version="2.0"><channel><item><title>t</title><guid isPermaLink="false">&id;2006-05-04:/blog/</guid></item></channel></rss>');
    expect(a!.guid).toBe('tag:example.com,2006-05-04:/blog/');
    const lol = `<!DOCTYPE r [<!ENTITY a "${'x'.repeat(1000)}"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><r>${'&b;'.repeat(50)}</r>`;
    const cleaned = cleanXml(lol);
    expect(cleaned.length).toBeLessThan(10_000);
  });
});

describe('documents that are not feeds', () => {
  it('reports an HTML page as not_a_feed with the feeds it links', async () => {
    const r = await parse(
      `<!DOCTYPE html><html><head><base href="/site/"><link rel="alternate" type="application/rss+xml" href="rss.xml"><link rel="alternate" type="application/json" href="/wp-json/"><link rel="alternate feed" type="application/atom+xml" href="https://ex.org/atom"></head><body>…</body></html>`,
      'text/html',
    );
    expect(r).toMatchObject({ ok: false, code: 'not_a_feed', discovered: ['https://feeds.example.org/site/rss.xml', 'https://ex.org/atom'] });
  });

  it('names other XML, JSON and empty bodies', async () => {
    expect(await parse('<opml version="2.0"><body/></opml>')).toMatchObject({ ok: false, code: 'not_a_feed' });
    expect(await parse('{"hello": "world"}')).toMatchObject({ ok: false, code: 'not_a_feed' });
    expect(await parse('{"items": [')).toMatchObject({ ok: false, code: 'parse_error' });
    expect(await parse('')).toMatchObject({ ok: false, code: 'parse_error' });
    expect(await parse('<!-- nothing -->')).toMatchObject({ ok: false, code: 'parse_error' });
  });

  it('inflates a gzip file served without Content-Encoding', async () => {
    const r = await parse(gzipSync(rss('<item><title>zipped</title></item>')));
    expect(r.ok && r.feed.items[0]?.title).toBe('zipped');
  });
});

describe('JSON Feed', () => {
  it('reads 1.1 and 1.0', async () => {
    const feed = {
      version: 'https://jsonfeed.org/version/1.1',
      title: 'JF',
      home_page_url: 'https://ex.org/',
      items: [
        { id: '1', url: 'https://ex.org/1?utm_source=x', title: 'First & foremost', content_html: '<p>Hi <b>there</b></p>', date_published: '2022-04-26T08:00:00+05:00', authors: [{ name: 'A' }] },
        { id: '2', external_url: 'https://other.org/2', content_text: 'no title', date_modified: '2022-04-27T08:00:00Z' },
      ],
    };
    const { items: [a, b], r } = await items(JSON.stringify(feed));
    expect(r.ok && r.parser).toBe('json');
    expect(r.ok && r.feed.title).toBe('JF');
    expect(a).toMatchObject({ title: 'First & foremost', url: 'https://ex.org/1', text: 'Hi there', published: '2022-04-26T03:00:00.000Z', author: 'A' });
    expect(b).toMatchObject({ title: '', url: 'https://other.org/2', text: 'no title', published: '2022-04-27T08:00:00.000Z' });
    const v1 = await items(JSON.stringify({ ...feed, version: 'https://jsonfeed.org/version/1' }));
    expect(v1.items).toHaveLength(2);
  });
});

describe('discoverFeedLinks', () => {
  it('keeps document order, drops duplicates and non-http links', () => {
    const html = `<link rel="alternate" type="application/atom+xml" href="/atom.xml"><LINK REL="Alternate" TYPE="application/rss+xml; charset=utf-8" HREF="/rss.xml">
      <link rel="alternate" type="application/rss+xml" href="/atom.xml"><link rel="alternate" type="application/rss+xml" href="javascript:x">
      <link rel="stylesheet" href="/s.css"><link rel="alternate" type="application/feed+json" href="feed.json">`;
    expect(discoverFeedLinks(html, 'https://ex.org/blog/')).toEqual(['https://ex.org/atom.xml', 'https://ex.org/rss.xml', 'https://ex.org/blog/feed.json']);
  });
});

describe('hostile documents', () => {
  it('refuses absurd nesting quickly instead of spending minutes in the DOM builder', async () => {
    const started = process.cpuUsage();
    const deep = rss(`<item><title>${'<a>'.repeat(200_000)}x${'</a>'.repeat(200_000)}</title></item>`);
    expect(await parse(deep)).toMatchObject({ ok: false, code: 'parse_error', message: expect.stringContaining('nested too deeply') });
    const unclosed = rss(`<item><title>t</title><description>${'<div>'.repeat(300_000)}</description></item>`);
    expect(await parse(unclosed)).toMatchObject({ ok: false, code: 'parse_error' });
    expect(cpuMsSince(started)).toBeLessThan(3_000);
  });

  it('reads deeply nested escaped HTML in a description in linear time', async () => {
    const started = process.cpuUsage();
    const { items: [a] } = await items(rss(`<item><title>t</title><description>${'&lt;b&gt;'.repeat(300_000)}text&lt;script&gt;alert(1)</description></item>`));
    expect(a!.text).toBe('text');
    expect(cpuMsSince(started)).toBeLessThan(5_000);
  });

  it('keeps ordinary unclosed tags inside an item', async () => {
    const { items: list } = await items(rss(`${'<item><title>x</title><description><p>one<br>two<br>three</description></item>'.repeat(300)}`));
    expect(list).toHaveLength(300);
  });
});
