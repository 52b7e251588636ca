// A feed as a parser read it, before normalisation: strings as the document had them
// (titles may hold HTML, links may be relative, dates are unparsed). RSS 0.9x/1.0/2.0, Atom
// 0.3/1.0 and JSON Feed all map onto this shape.

export type FeedFormat = 'rss' | 'rdf' | 'atom' | 'json';

export interface ParsedItem {
  /** Title as found; may contain markup when the feed escaped HTML into it. */
  title?: string | null;
  /** Whether `title` is HTML (RSS titles, Atom type="html"/"xhtml") or plain text (Atom type="text", JSON Feed). */
  titleIsHtml?: boolean;
  /** Link to the article as found (may be relative). */
  link?: string | null;
  /** Base URL in effect for the item (xml:base), already resolved. */
  base?: string | null;
  guid?: string | null;
  /** RSS guid isPermaLink; null when absent (which RSS reads as true). */
  guidIsPermaLink?: boolean | null;
  /** Publication date string as found (pubDate, dc:date, published, issued …). */
  published?: string | null;
  /** Last-update date string (Atom updated, dcterms:modified). */
  updated?: string | null;
  /** Body as HTML (content:encoded, Atom content) when present. */
  content?: string | null;
  /** Summary/description, HTML or text. */
  summary?: string | null;
  author?: string | null;
  /** RSS <source> / Atom <source>: the outlet an aggregator took the item from. */
  source?: { title?: string | null; url?: string | null } | null;
}

export interface ParsedFeed {
  format: FeedFormat;
  title?: string | null;
  /** The site's home page (channel link / Atom alternate link). */
  link?: string | null;
  /** Base URL of the document (xml:base on the root), resolved against the feed URL. */
  base?: string | null;
  items: ParsedItem[];
}
