// Feed discovery in an HTML page: <link rel="alternate" type="application/rss+xml" href="…">.
// Only <link> and <base> tags matter, so they are picked out with the linear tag scanner
// (comments skipped) and only they go through htmlparser2, for its attribute and entity
// handling: a page of deeply nested junk costs no more than its length.
import { Parser } from 'htmlparser2';
import { forEachRegion, forEachTag } from './scan.js';

/** Feed media types, best first when a page links several kinds for the same content. */
const FEED_TYPES = ['application/rss+xml', 'application/atom+xml', 'application/feed+json', 'application/rdf+xml'];
// application/json is left out: WordPress links its REST API with rel="alternate" type="application/json".

const MAX_PAGE = 2_000_000;

/**
 * Feeds a page links to, as absolute http(s) URLs in document order, resolved against the
 * page's <base href> (itself resolved against the page URL). Duplicates removed.
 */
export function discoverFeedLinks(html: string, pageUrl: string): string[] {
  const page = html.length > MAX_PAGE ? html.slice(0, MAX_PAGE) : html;
  const tags: string[] = [];
  forEachRegion(page, (kind, start, end) => {
    if (kind !== 'text') return;
    forEachTag(page, start, end, (t) => {
      const name = t.name.toLowerCase();
      if (!t.close && (name === 'link' || name === 'base')) tags.push(page.slice(t.start, t.end));
    });
  });

  const found: string[] = [];
  let base = pageUrl;
  let baseSeen = false;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'base' && !baseSeen && attrs.href) {
          baseSeen = true;
          try {
            base = new URL(attrs.href, pageUrl).href;
          } catch {
            // keep the page URL
          }
          return;
        }
        if (name !== 'link') return;
        const rel = (attrs.rel ?? '').toLowerCase().split(/\s+/);
        const type = (attrs.type ?? '').toLowerCase().split(';')[0]!.trim();
        if (rel.includes('alternate') && FEED_TYPES.includes(type) && attrs.href) found.push(attrs.href);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  // <link> and <base> are void elements: no stack builds up.
  for (const tag of tags) parser.write(tag);
  parser.end();

  const out: string[] = [];
  for (const href of found) {
    try {
      const u = new URL(href.trim(), base);
      if ((u.protocol === 'http:' || u.protocol === 'https:') && !out.includes(u.href)) out.push(u.href);
    } catch {
      // unusable href
    }
  }
  return out;
}
