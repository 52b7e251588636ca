// What kind of document a response body is, judged by its content (servers label feeds
// text/html and pages text/xml often enough that the Content-Type cannot decide).

export type DocumentKind =
  | { kind: 'feed'; root: string }
  | { kind: 'json' }
  | { kind: 'html' }
  | { kind: 'other'; root: string | null };

const FEED_ROOTS = new Set(['rss', 'feed', 'rdf', 'channel', 'entry']);
const HTML_ROOTS = new Set(['html', 'head', 'body', 'div', 'p', 'script', 'meta', 'link', 'title', 'table', 'center', 'a', 'br', 'b', 'h1', 'pre', 'iframe', 'style']);

/** Local name, lower-cased, of the first element of a decoded document (prolog, comments and DOCTYPE skipped). */
export function sniffDocument(text: string): DocumentKind {
  let i = 0;
  const n = Math.min(text.length, 64 * 1024);
  const skipWs = () => {
    while (i < n && /\s|\ufeff/.test(text[i]!)) i++;
  };
  skipWs();
  if (text[i] === '{' || text[i] === '[') return { kind: 'json' };
  let doctypeHtml = false;
  while (i < n) {
    skipWs();
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) break;
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) break;
      i = end + 3;
    } else if (/^<!doctype/i.test(text.slice(i, i + 9))) {
      const m = /^<!doctype\s+([^\s[>]+)(?:[^[>]|\[[\s\S]*?\])*>/i.exec(text.slice(i, i + 8192));
      if (!m) break;
      if (m[1]!.toLowerCase() === 'html') doctypeHtml = true;
      i += m[0].length;
    } else if (text[i] === '<') {
      const m = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(i, i + 200));
      if (!m) break;
      const local = m[1]!.toLowerCase().replace(/^.*:/, '');
      if (FEED_ROOTS.has(local)) return { kind: 'feed', root: local };
      if (doctypeHtml || HTML_ROOTS.has(local)) return { kind: 'html' };
      return { kind: 'other', root: local };
    } else {
      break;
    }
  }
  if (doctypeHtml) return { kind: 'html' };
  // Text before any markup: an HTML page that starts with text, or junk. Look for a feed root
  // further in (a PHP warning printed before the feed), then for HTML.
  const head = text.slice(0, n);
  const feed = /<(?:[A-Za-z_][\w.-]*:)?(rss|feed|RDF)[\s>]/.exec(head);
  if (feed) return { kind: 'feed', root: feed[1]!.toLowerCase() };
  if (/<(html|body|head)[\s>]/i.test(head)) return { kind: 'html' };
  return { kind: 'other', root: null };
}
