// Response bytes → ParsedFeed: decompress a gzip file served without Content-Encoding, decode
// the charset, tell feeds from HTML pages and JSON, clean the XML, then parse.
//
// Parser choice. rss-parser's parseString reads every well-formed RSS 0.9x/1.0/2.0 and Atom
// document (through xml2js/sax in strict mode) and is the primary parser. Its gaps, found by
// running the corpus through it, send the document to the structural fallback in
// src/core/feed/xml-feed.ts (htmlparser2, forgiving):
//   - it rejects anything not well-formed (unclosed tags, text after the root, a bare `<`),
//     an Atom entry with an unparseable date (RangeError from new Date(...).toISOString()),
//     an Atom <link> without attributes, and RDF/Atom with prefixed element names;
//   - xml2js drops the text of child elements in mixed content (`<title>a <b>b</b></title>`
//     comes out as "a ") and keeps Atom xhtml titles as objects;
//   - it ignores xml:base, so relative links resolve wrongly;
//   - an item count different from the document's <item>/<entry> elements (items outside the
//     channel, RDF items inside it).
// Pre-cleaning (cleanXml) runs first for both, so bare `&`, HTML entities and control characters
// do not decide between them.
import Parser from 'rss-parser';
import { gunzipSync } from 'node:zlib';
import { decodeFeedBytes } from '../../core/feed/charset.js';
import { discoverFeedLinks } from '../../core/feed/discover.js';
import { parseJsonFeed } from '../../core/feed/json-feed.js';
import { sniffDocument } from '../../core/feed/sniff.js';
import type { FeedFormat, ParsedFeed, ParsedItem } from '../../core/feed/types.js';
import { cleanXml } from '../../core/feed/xml-clean.js';
import { measureNesting } from '../../core/feed/nesting.js';
import { forEachRegion } from '../../core/feed/scan.js';
import { isBase64Type, parseXmlFeed } from '../../core/feed/xml-feed.js';

export type ParserUsed = 'rss-parser' | 'fallback' | 'json';

export type ParseOutcome =
  | { ok: true; feed: ParsedFeed; parser: ParserUsed; encoding: string; fallbackReason?: string; charsetConflict?: string }
  | { ok: false; code: 'not_a_feed' | 'parse_error' | 'too_large'; message: string; discovered?: string[] };

export interface ParseOptions {
  /** Content-Type of the response; null for a file. */
  contentType?: string | null;
  /** URL of the document: base of relative links and of discovered feed links. */
  url: string;
  /** Cap on the size of a gzip file served without Content-Encoding, once inflated. Default 5 MB. */
  maxBytes?: number;
  /** Force one XML parser (tests comparing the two). */
  xmlParser?: 'rss-parser' | 'fallback';
}

// ---- rss-parser output → ParsedFeed ---------------------------------------------------------

/** An xml2js node: a string, or `{_: text, $: attributes, child: [...]}`. */
type XNode = string | { _?: string; $?: Record<string, string>; [child: string]: unknown };
type XList = XNode[] | undefined;

const K = (name: string, as: string) => [name, as, { keepArray: true }] as [string, string, { keepArray: boolean }];
const ITEM_FIELDS = [
  K('title', 'swTitle'),
  K('dc:title', 'swDcTitle'),
  K('media:title', 'swMediaTitle'),
  K('link', 'swLink'),
  K('atom:link', 'swAtomLink'),
  K('feedburner:origLink', 'swOrigLink'),
  K('guid', 'swGuid'),
  K('id', 'swId'),
  K('dc:identifier', 'swDcId'),
  K('pubDate', 'swPubDate'),
  K('dc:date', 'swDcDate'),
  K('dcterms:issued', 'swTermsIssued'),
  K('dcterms:created', 'swTermsCreated'),
  K('dcterms:modified', 'swTermsModified'),
  K('published', 'swPublished'),
  K('issued', 'swIssued'),
  K('created', 'swCreated'),
  K('updated', 'swUpdated'),
  K('atom:published', 'swAtomPublished'),
  K('atom:updated', 'swAtomUpdated'),
  K('modified', 'swModified'),
  K('description', 'swDescription'),
  K('dc:description', 'swDcDescription'),
  K('content:encoded', 'swEncoded'),
  K('content', 'swContent'),
  K('atom:content', 'swAtomContent'),
  K('summary', 'swSummary'),
  K('author', 'swAuthor'),
  K('dc:creator', 'swCreator'),
  K('atom:author', 'swAtomAuthor'),
  K('source', 'swSource'),
];
const FEED_FIELDS = [K('title', 'swTitle'), K('link', 'swLink'), K('author', 'swAuthor')];

class Gap extends Error {}

function first(list: unknown): XNode | undefined {
  return Array.isArray(list) ? (list[0] as XNode) : undefined;
}
function isComplex(n: unknown): boolean {
  return !!n && typeof n === 'object' && Object.keys(n).some((k) => k !== '_' && k !== '$');
}
/** Text of a simple node; a node with child elements is a gap (xml2js lost their order). */
function txt(list: XList, what: string): string | null {
  const n = Array.isArray(list) ? list[0] : undefined;
  if (n === undefined || n === null) return null;
  if (isComplex(n)) throw new Gap(`mixed content in <${what}>`);
  if (typeof n === 'string') return n;
  return typeof n._ === 'string' ? n._ : '';
}
function attrs(n: XNode | undefined): Record<string, string> {
  return n && typeof n === 'object' && n.$ ? n.$ : {};
}
function firstTxt(item: Record<string, unknown>, fields: string[]): string | null {
  for (const f of fields) {
    const t = txt(item[f] as XList, f)?.trim();
    if (t) return t;
  }
  return null;
}

function atomTextOf(list: XList, what: string): { value: string | null; isHtml: boolean } {
  const n = Array.isArray(list) ? list[0] : undefined;
  if (n === undefined) return { value: null, isHtml: false };
  const a = attrs(n);
  const type = (a.type ?? '').toLowerCase();
  const mode = (a.mode ?? '').toLowerCase();
  if (type === 'xhtml' || type === 'application/xhtml+xml' || mode === 'xml' || mode === 'base64' || isBase64Type(type)) {
    throw new Gap(`Atom ${type || mode} text in <${what}>`);
  }
  return { value: txt(list, what), isHtml: type === 'html' || type === 'text/html' || mode === 'escaped' };
}

function linkOf(list: XList, atom: boolean): string | null {
  if (!Array.isArray(list)) return null;
  if (!atom) {
    for (const n of list) {
      if (isComplex(n)) throw new Gap('mixed content in <link>');
      const v = (typeof n === 'string' ? n : n._ ?? attrs(n).href ?? '').trim();
      if (v) return v;
    }
    return null;
  }
  const rel = (n: XNode) => (attrs(n).rel ?? 'alternate').trim().toLowerCase();
  const href = (n: XNode) => attrs(n).href ?? attrs(n).url ?? (typeof n === 'string' ? n.trim() : n._?.trim()) ?? '';
  const alternates = list.filter((n) => rel(n) === 'alternate' && href(n));
  const pick =
    alternates.find((n) => /html/i.test(attrs(n).type ?? '')) ??
    alternates[0] ??
    list.find((n) => !['self', 'edit', 'edit-media', 'enclosure', 'replies', 'license', 'hub', 'next', 'previous', 'first', 'last'].includes(rel(n)) && href(n));
  return pick ? href(pick) : null;
}

/** Same rules as the fallback's authorOf: a name, never an e-mail address or URI alone. */
function authorOf(item: Record<string, unknown>, atom: boolean): string | null {
  const a = first(item.swAuthor);
  if (a !== undefined) {
    if (a && typeof a === 'object' && isComplex(a)) {
      const name = (a as Record<string, unknown>).name;
      if (Array.isArray(name)) return txt(name as XList, 'name')?.trim() || null;
      if (atom) return null;
      throw new Gap('mixed content in <author>');
    }
    if (atom) return null;
    return txt(item.swAuthor as XList, 'author')?.trim() || null;
  }
  const atomAuthor = first(item.swAtomAuthor) as Record<string, unknown> | undefined;
  if (atomAuthor !== undefined) return Array.isArray(atomAuthor?.['atom:name']) ? txt(atomAuthor['atom:name'] as XList, 'atom:name')?.trim() || null : null;
  return txt(item.swCreator as XList, 'dc:creator')?.trim() || null;
}

function mapRssParserItem(item: Record<string, unknown>, format: FeedFormat, feedAuthor: string | null): ParsedItem {
  const atom = format === 'atom';
  let title: string | null;
  let titleIsHtml = true;
  if (atom) {
    const t = atomTextOf(item.swTitle as XList, 'title');
    title = t.value;
    titleIsHtml = t.value !== null ? t.isHtml : true;
  } else {
    title = txt(item.swTitle as XList, 'title') ?? txt(item.swDcTitle as XList, 'dc:title') ?? txt(item.swMediaTitle as XList, 'media:title');
  }
  let link = linkOf(item.swLink as XList, atom);
  const orig = txt(item.swOrigLink as XList, 'feedburner:origLink')?.trim();
  if (orig) link = orig;
  if (!link && !atom) link = linkOf(item.swAtomLink as XList, true);

  let guid: string | null;
  let guidIsPermaLink: boolean | null = null;
  if (atom) {
    guid = txt(item.swId as XList, 'id')?.trim() || null;
    guidIsPermaLink = false;
  } else {
    const g = first(item.swGuid);
    guid = txt(item.swGuid as XList, 'guid')?.trim() || null;
    const p = attrs(g).isPermaLink ?? attrs(g).ispermalink;
    if (guid && p !== undefined) guidIsPermaLink = p.trim().toLowerCase() !== 'false';
    if (!guid) {
      const about = typeof item['rdf:about'] === 'string' ? (item['rdf:about'] as string).trim() : '';
      guid = txt(item.swDcId as XList, 'dc:identifier')?.trim() || about || null;
      guidIsPermaLink = guid ? guid === about : null;
    }
  }

  const published = atom
    ? firstTxt(item, ['swPublished', 'swIssued', 'swCreated', 'swDcDate', 'swTermsIssued', 'swTermsCreated', 'swPubDate'])
    : firstTxt(item, ['swPubDate', 'swDcDate', 'swTermsIssued', 'swTermsCreated', 'swAtomPublished', 'swPublished', 'swIssued']);
  const updated = firstTxt(item, atom ? ['swUpdated', 'swModified', 'swTermsModified'] : ['swTermsModified', 'swAtomUpdated', 'swUpdated']);

  let content: string | null = txt(item.swEncoded as XList, 'content:encoded');
  let summary: string | null;
  if (atom) {
    const c = first(item.swContent);
    if (!content && c !== undefined && !attrs(c).src) content = atomTextOf(item.swContent as XList, 'content').value;
    summary = atomTextOf(item.swSummary as XList, 'summary').value ?? txt(item.swDcDescription as XList, 'dc:description');
  } else {
    summary = txt(item.swDescription as XList, 'description') ?? txt(item.swDcDescription as XList, 'dc:description');
    if (!content && first(item.swAtomContent) !== undefined) content = atomTextOf(item.swAtomContent as XList, 'atom:content').value;
    if (summary === null && first(item.swSummary) !== undefined) summary = txt(item.swSummary as XList, 'summary');
  }

  const src = first(item.swSource);
  let source: ParsedItem['source'] = null;
  if (src !== undefined) {
    if (atom) {
      const s = src as Record<string, unknown>;
      source = { title: atomTextOf(s.title as XList, 'source/title').value, url: linkOf(s.link as XList, true) };
    } else {
      source = { title: txt(item.swSource as XList, 'source')?.trim() ?? null, url: attrs(src).url ?? null };
    }
  }
  return { title, titleIsHtml, link, base: null, guid, guidIsPermaLink, published, updated, content, summary, author: authorOf(item, atom) ?? (atom ? feedAuthor : null), source };
}

/** <item>/<entry> start tags outside CDATA and comments: the count a plain XML reader sees. */
function countItemTags(xml: string, format: FeedFormat): number {
  const re = format === 'atom' ? /<entry[\s>/]/g : /<item[\s>/]/g;
  let n = 0;
  forEachRegion(xml, (kind, start, end) => {
    if (kind === 'text') n += (xml.slice(start, end).match(re) ?? []).length;
  });
  return n;
}

async function viaRssParser(xml: string, format: FeedFormat): Promise<{ feed: ParsedFeed } | { gap: string }> {
  if (/\sxml:base\s*=/.test(xml)) return { gap: 'xml:base (rss-parser ignores it)' };
  if (/<[A-Za-z_][\w.-]*:(?:feed|entry|channel|item)[\s>/]/.test(xml)) return { gap: 'prefixed feed elements' };
  if (/<xhtml:body[\s>]|<body\s+xmlns=/.test(xml)) return { gap: 'xhtml:body content' };
  const parser = new Parser<Record<string, unknown>, Record<string, unknown>>({
    defaultRSS: 2,
    customFields: { item: ITEM_FIELDS as never, feed: FEED_FIELDS as never },
  });
  let out: Awaited<ReturnType<typeof parser.parseString>>;
  try {
    out = await parser.parseString(xml);
  } catch (e) {
    return { gap: `rss-parser: ${String((e as Error).message ?? e).split('\n')[0]}` };
  }
  const items = out.items as unknown as Record<string, unknown>[];
  if (items.length !== countItemTags(xml, format)) return { gap: 'item count differs from the document' };
  try {
    const f = out as unknown as Record<string, unknown>;
    const atom = format === 'atom';
    const title = atom ? atomTextOf(f.swTitle as XList, 'title').value : txt(f.swTitle as XList, 'title');
    return {
      feed: {
        format,
        title: title ?? (typeof out.title === 'string' ? out.title : null),
        link: linkOf(f.swLink as XList, atom) ?? (typeof out.link === 'string' ? out.link : null),
        base: null,
        items: items.map((it) => mapRssParserItem(it, format, atom ? authorOf(f, true) : null)),
      },
    };
  } catch (e) {
    if (e instanceof Gap) return { gap: e.message };
    throw e;
  }
}

// ---- the pipeline ---------------------------------------------------------------------------

const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

export async function parseFeedDocument(input: Uint8Array, opts: ParseOptions): Promise<ParseOutcome> {
  let bytes = input;
  // A .gz file served as-is (no Content-Encoding): inflate it, within the same size cap.
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: opts.maxBytes ?? DEFAULT_MAX_BYTES, finishFlush: 2 /* Z_SYNC_FLUSH: accept truncated files */ });
    } catch (e) {
      const tooLarge = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || /larger than/i.test((e as Error).message);
      return tooLarge
        ? { ok: false, code: 'too_large', message: 'gzip file inflates beyond the size limit' }
        : { ok: false, code: 'parse_error', message: `broken gzip file: ${(e as Error).message}` };
    }
  }
  if (bytes.length === 0) return { ok: false, code: 'parse_error', message: 'empty document' };

  const decoded = decodeFeedBytes(bytes, opts.contentType ?? null);
  const text = decoded.text;
  if (!text.trim()) return { ok: false, code: 'parse_error', message: 'empty document' };
  const extra = decoded.conflict ? { charsetConflict: decoded.conflict } : {};

  const kind = sniffDocument(text);
  if (kind.kind === 'json') {
    const r = parseJsonFeed(text);
    return r.ok ? { ok: true, feed: r.feed, parser: 'json', encoding: decoded.encoding, ...extra } : r;
  }
  if (kind.kind === 'html') {
    const discovered = discoverFeedLinks(text, opts.url);
    return {
      ok: false,
      code: 'not_a_feed',
      message: discovered.length
        ? `an HTML page, not a feed; it links ${discovered.length === 1 ? 'a feed' : `${discovered.length} feeds`}: ${discovered.join(' ')}`
        : 'an HTML page, not a feed, and it links no feed',
      discovered,
    };
  }
  if (kind.kind === 'other') {
    if (kind.root === null && text.trimStart().startsWith('<')) {
      return { ok: false, code: 'parse_error', message: 'no document element (only comments or declarations)' };
    }
    return {
      ok: false,
      code: 'not_a_feed',
      message: kind.root ? `not RSS, Atom or JSON Feed (root element <${kind.root}>)` : 'not XML, JSON or HTML',
    };
  }

  const xml = cleanXml(text);
  // Real feeds nest a few levels deep; hundreds of thousands of unclosed tags are an attack on
  // the DOM builder (see nesting.ts), refused before any parser sees them.
  const nesting = measureNesting(xml, 'xml');
  if (nesting.exceeded) return { ok: false, code: 'parse_error', message: `elements nested too deeply (more than ${nesting.maxDepth} levels)` };
  const format: FeedFormat = kind.root === 'feed' || kind.root === 'entry' ? 'atom' : kind.root === 'rdf' ? 'rdf' : 'rss';
  let fallbackReason: string | undefined;
  if (opts.xmlParser !== 'fallback') {
    const r = await viaRssParser(xml, format);
    if ('feed' in r) return { ok: true, feed: r.feed, parser: 'rss-parser', encoding: decoded.encoding, ...extra };
    fallbackReason = r.gap;
    if (opts.xmlParser === 'rss-parser') return { ok: false, code: 'parse_error', message: r.gap };
  }
  const r = parseXmlFeed(xml, opts.url);
  if (!r.ok) return r;
  return {
    ok: true,
    feed: r.feed,
    parser: 'fallback',
    encoding: decoded.encoding,
    ...(fallbackReason ? { fallbackReason } : {}),
    ...extra,
  };
}
