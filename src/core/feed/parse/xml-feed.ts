// Structural RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 extraction over htmlparser2's forgiving XML DOM.
// The one XML feed reader (src/adapters/http-feed/parse.ts says why there is one): it never throws on broken markup (unclosed tags, text after the root, undeclared
// prefixes), resolves namespaces by URI rather than by prefix, honours xml:base, reads Atom
// text constructs (text/html/xhtml, Atom 0.3 base64) and keeps mixed-content titles whole.
// The DOM comes from xml-simple.ts for the common well-formed subset (the same tree, ~3 × less
// CPU) and from htmlparser2's parseDocument for everything else.
import { DomUtils, parseDocument } from 'htmlparser2';
import type { FeedFormat, ParsedFeed, ParsedItem } from './types.js';
import { simpleXmlDocument } from './xml-simple.js';

type Doc = ReturnType<typeof parseDocument>;
type AnyNode = Doc['children'][number];
type El = Extract<AnyNode, { attribs: Record<string, string> }>;

const NS = {
  atom10: 'http://www.w3.org/2005/Atom',
  atom03: 'http://purl.org/atom/ns#',
  rss10: 'http://purl.org/rss/1.0/',
  rss09: 'http://my.netscape.com/rdf/simple/0.9/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dc: 'http://purl.org/dc/elements/1.1/',
  dcterms: 'http://purl.org/dc/terms/',
  content: 'http://purl.org/rss/1.0/modules/content/',
  feedburner: 'http://rssnamespace.org/feedburner/ext/1.0',
  xhtml: 'http://www.w3.org/1999/xhtml',
  xml: 'http://www.w3.org/XML/1998/namespace',
  media: 'http://search.yahoo.com/mrss/',
} as const;

/** Namespace families this extractor reads; `core` is RSS's own (no namespace, or an RSS one). */
type Family = 'core' | 'atom' | 'rdf' | 'dc' | 'dcterms' | 'content' | 'feedburner' | 'xhtml' | 'media' | 'other';

const URI_FAMILY: Record<string, Family> = {
  [NS.atom10]: 'atom',
  [NS.atom03]: 'atom',
  [NS.rss10]: 'core',
  [NS.rss09]: 'core',
  'http://backend.userland.com/rss2': 'core',
  'http://backend.userland.com/rss': 'core',
  'http://blogs.law.harvard.edu/tech/rss': 'core',
  'http://purl.org/rss/2.0/': 'core',
  [NS.rdf]: 'rdf',
  [NS.dc]: 'dc',
  [NS.dcterms]: 'dcterms',
  [NS.content]: 'content',
  [NS.feedburner]: 'feedburner',
  [NS.xhtml]: 'xhtml',
  [NS.media]: 'media',
  'http://search.yahoo.com/mrss': 'media',
};
/** Conventional prefixes, for documents that use a prefix without declaring it. */
const PREFIX_FAMILY: Record<string, Family> = {
  atom: 'atom', atom10: 'atom', atom03: 'atom', a10: 'atom', rdf: 'rdf', rss: 'core', dc: 'dc',
  dcterms: 'dcterms', content: 'content', feedburner: 'feedburner', xhtml: 'xhtml', html: 'xhtml', media: 'media',
};

/** Atom 1.0 §3.1.1.3/§4.1.3.3: a media type that is neither text nor XML means base64 content. */
function isBase64Type(type: string): boolean {
  return type.includes('/') && !type.startsWith('text/') && !/[+/]xml$/.test(type) && type !== 'application/xhtml+xml';
}

/** Base64 that decodes to UTF-8 text, or null ("test" in an unknown media type stays "test"). */
function fromBase64Text(s: string): string | null {
  const compact = s.replace(/\s+/g, '');
  if (!compact || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return null;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(compact, 'base64'));
    // eslint-disable-next-line no-control-regex
    return /[\u0000-\u0008\u000e-\u001f]/.test(text) ? null : text;
  } catch {
    return null;
  }
}

const isEl = (n: AnyNode | null | undefined): n is El => !!n && (n.type === 'tag' || n.type === 'script' || n.type === 'style');

function splitName(name: string): [prefix: string, local: string] {
  const i = name.indexOf(':');
  return i < 0 ? ['', name] : [name.slice(0, i), name.slice(i + 1)];
}
/** splitName(name)[0] and [1] apart, for the look-ups made for every element (no pair built). */
function prefixOf(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? '' : name.slice(0, i);
}
function localOf(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

const NO_ELS: readonly El[] = Object.freeze([]);

class Reader {
  private readonly nsCache = new Map<El, Family>();
  /** Per element: its child elements, and those by family and by lower-cased local name, in document order. */
  private readonly kidsCache = new Map<El, El[]>();
  private readonly indexCache = new Map<El, Map<Family, Map<string, El[]>>>();
  constructor(
    /** Family of unprefixed elements with no declared namespace: RSS core, or Atom in an Atom document without xmlns. */
    private readonly bareFamily: Family,
    private readonly docUrl: string | null,
  ) {}

  uriOf(el: El, prefix: string): string | null {
    const key = prefix ? `xmlns:${prefix}` : 'xmlns';
    for (let n: AnyNode | null = el; isEl(n); n = n.parent as AnyNode | null) {
      const v = n.attribs[key];
      if (v !== undefined) return v.trim();
    }
    return null;
  }

  family(el: El): Family {
    const cached = this.nsCache.get(el);
    if (cached) return cached;
    const prefix = prefixOf(el.name);
    const uri = this.uriOf(el, prefix);
    let fam: Family;
    if (uri) fam = URI_FAMILY[uri] ?? URI_FAMILY[uri.replace(/\/?$/, '/')] ?? (prefix ? 'other' : this.bareFamily);
    else fam = prefix ? PREFIX_FAMILY[prefix.toLowerCase()] ?? 'other' : this.bareFamily;
    this.nsCache.set(el, fam);
    return fam;
  }

  kids(el: El): readonly El[] {
    let kids = this.kidsCache.get(el);
    if (!kids) this.kidsCache.set(el, (kids = el.children.filter(isEl) as El[]));
    return kids;
  }

  /**
   * The children of `el` by family and local name, built once per element: an item is asked for
   * ~30 names (titles, links, eight date fields …), and a scan of its children with a namespace
   * lookup per name and child was most of this reader's time.
   */
  private index(el: El): Map<Family, Map<string, El[]>> {
    let index = this.indexCache.get(el);
    if (!index) {
      // By family, then by local name: a look-up (~30 an item) builds no key string.
      index = new Map();
      for (const c of this.kids(el)) {
        const fam = this.family(c);
        const local = localOf(c.name).toLowerCase();
        let byName = index.get(fam);
        if (!byName) index.set(fam, (byName = new Map()));
        const list = byName.get(local);
        if (list) list.push(c);
        else byName.set(local, [c]);
      }
      this.indexCache.set(el, index);
    }
    return index;
  }

  child(el: El, fam: Family | Family[], local: string): El | undefined {
    return this.all(el, fam, local)[0];
  }

  /** Children of `el` named `local` (any case) in family `fam` (or any of several), in document order. */
  all(el: El, fam: Family | Family[], local: string): readonly El[] {
    const index = this.index(el);
    const l = local.toLowerCase();
    if (!Array.isArray(fam)) return index.get(fam)?.get(l) ?? NO_ELS;
    const lists = fam.map((f) => index.get(f)?.get(l)).filter((x): x is El[] => x !== undefined);
    if (lists.length <= 1) return lists[0] ?? NO_ELS;
    return this.kids(el).filter((c) => lists.some((list) => list.includes(c)));
  }

  /** An attribute by local name in the given family (`rdf:about` however it is prefixed), or unprefixed. */
  attr(el: El, local: string, fam?: Family): string | undefined {
    for (const [k, v] of Object.entries(el.attribs)) {
      const [p, l] = splitName(k);
      if (l !== local) continue;
      if (!fam && !p) return v;
      if (fam && p && (PREFIX_FAMILY[p.toLowerCase()] === fam || URI_FAMILY[this.uriOf(el, p) ?? ''] === fam)) return v;
    }
    return undefined;
  }

  /** xml:base in effect at `el`, resolved through its ancestors against the document URL. */
  base(el: El): string | null {
    const chain: string[] = [];
    for (let n: AnyNode | null = el; isEl(n); n = n.parent as AnyNode | null) {
      const b = n.attribs['xml:base'];
      if (b !== undefined) chain.push(b.trim());
    }
    let base = this.docUrl;
    for (let i = chain.length - 1; i >= 0; i--) {
      try {
        base = new URL(chain[i]!, base ?? undefined).href;
      } catch {
        // a relative base with nothing to resolve it against, or junk: keep the outer one
      }
    }
    return base;
  }

  hasBase(el: El): boolean {
    for (let n: AnyNode | null = el; isEl(n); n = n.parent as AnyNode | null) {
      if (n.attribs['xml:base'] !== undefined) return true;
    }
    return false;
  }

  text(el: El | undefined): string | null {
    return el ? DomUtils.textContent(el) : null;
  }

  /** Atom text construct (also Atom 0.3 `mode`): the value and whether it is HTML. */
  atomText(el: El | undefined): { value: string | null; isHtml: boolean } {
    if (!el) return { value: null, isHtml: false };
    const type = (el.attribs.type ?? '').toLowerCase().trim();
    const mode = (el.attribs.mode ?? '').toLowerCase().trim();
    if (type === 'xhtml' || type === 'application/xhtml+xml' || mode === 'xml') {
      const kids = this.kids(el);
      const div = kids.length === 1 && localOf(kids[0]!.name) === 'div' ? kids[0]! : el;
      return { value: DomUtils.getInnerHTML(div, { xmlMode: false, decodeEntities: true }), isHtml: true };
    }
    let value = DomUtils.textContent(el);
    let decoded: string | null = null;
    if (mode === 'base64' || isBase64Type(type)) decoded = fromBase64Text(value);
    if (decoded !== null) value = decoded;
    const isHtml = type === 'html' || type === 'text/html' || mode === 'escaped' || (decoded !== null && type !== 'text' && type !== 'text/plain');
    return { value, isHtml };
  }

  resolve(href: string | null | undefined, el: El): string | null {
    if (!href) return null;
    const h = href.trim();
    if (!h || !this.hasBase(el)) return h || null;
    const base = this.base(el);
    try {
      return base ? new URL(h, base).href : h;
    } catch {
      return h;
    }
  }
}

const DATE_FIELDS_RSS: [Family | Family[], string][] = [
  [['core', 'other'], 'pubDate'],
  ['dc', 'date'],
  ['dcterms', 'issued'],
  ['dcterms', 'created'],
  ['dcterms', 'date'],
  ['atom', 'published'],
  ['atom', 'issued'],
  ['core', 'date'],
];

function firstText(r: Reader, el: El, fields: [Family | Family[], string][]): string | null {
  for (const [fam, local] of fields) {
    const t = r.text(r.child(el, fam, local))?.trim();
    if (t) return t;
  }
  return null;
}

/** Atom <link> elements: the article link (rel alternate, or no rel), resolved against xml:base. */
function atomLink(r: Reader, el: El): string | null {
  const links = r.all(el, 'atom', 'link');
  const relOf = (l: El) => (l.attribs.rel ?? 'alternate').trim().toLowerCase();
  const hrefOf = (l: El) => l.attribs.href ?? l.attribs.url ?? (r.text(l)?.trim() || undefined);
  const alternates = links.filter((l) => relOf(l) === 'alternate' && hrefOf(l));
  const html = alternates.find((l) => /html/i.test(l.attribs.type ?? '')) ?? alternates[0];
  const pick =
    html ?? links.find((l) => !['self', 'edit', 'edit-media', 'enclosure', 'replies', 'license', 'hub', 'next', 'previous', 'first', 'last'].includes(relOf(l)) && hrefOf(l));
  return pick ? r.resolve(hrefOf(pick), pick) : null;
}

/** Atom author name (no name: no author; an e-mail address or URI is not a byline), else RSS author / dc:creator. */
function authorOf(r: Reader, el: El): string | null {
  const a = r.child(el, 'atom', 'author');
  if (a) return r.text(r.child(a, 'atom', 'name'))?.trim() || null;
  const core = r.child(el, 'core', 'author');
  if (core) {
    const name = r.child(core, ['core', 'atom'], 'name');
    return (name ? r.text(name) : r.text(core))?.trim() || null;
  }
  return r.text(r.child(el, 'dc', 'creator'))?.trim() || null;
}

function rssItem(r: Reader, el: El): ParsedItem {
  const titleEl = r.child(el, 'core', 'title');
  const atomTitle = titleEl ? undefined : r.child(el, 'atom', 'title');
  const title = titleEl
    ? r.text(titleEl)
    : atomTitle
      ? r.atomText(atomTitle).value
      : (r.text(r.child(el, 'dc', 'title')) ?? r.text(r.child(el, 'media', 'title')));

  const links = r.all(el, 'core', 'link');
  let link: string | null = null;
  for (const l of links) {
    const v = r.text(l)?.trim() || l.attribs.href?.trim();
    if (v) {
      link = r.resolve(v, l);
      break;
    }
  }
  const orig = r.text(r.child(el, 'feedburner', 'origLink'))?.trim();
  if (orig) link = r.resolve(orig, el);
  if (!link) link = atomLink(r, el);

  const guidEl = r.child(el, 'core', 'guid');
  let guid = r.text(guidEl)?.trim() || null;
  let guidIsPermaLink: boolean | null = null;
  if (guidEl && guid) {
    const p = guidEl.attribs.isPermaLink ?? guidEl.attribs.ispermalink;
    if (p !== undefined) guidIsPermaLink = p.trim().toLowerCase() !== 'false';
    if (guidIsPermaLink !== false) guid = r.resolve(guid, guidEl);
  }
  if (!guid) {
    const about = r.attr(el, 'about', 'rdf');
    guid = r.text(r.child(el, 'dc', 'identifier'))?.trim() || r.text(r.child(el, 'atom', 'id'))?.trim() || about?.trim() || null;
    if (guid && guid === about?.trim()) guidIsPermaLink = true;
    else if (guid) guidIsPermaLink = false;
  }

  const contentEl = r.child(el, 'content', 'encoded') ?? r.child(el, 'xhtml', 'body');
  const atomContent = r.child(el, 'atom', 'content');
  const sourceEl = r.child(el, 'core', 'source');
  return {
    title,
    titleIsHtml: atomTitle ? r.atomText(atomTitle).isHtml : true,
    link,
    base: r.hasBase(el) ? r.base(el) : null,
    guid,
    guidIsPermaLink,
    published: firstText(r, el, DATE_FIELDS_RSS),
    updated: firstText(r, el, [['dcterms', 'modified'], ['atom', 'updated'], ['core', 'updated']]),
    content: contentEl
      ? r.family(contentEl) === 'xhtml'
        ? DomUtils.getInnerHTML(contentEl, { xmlMode: false })
        : r.text(contentEl)
      : r.atomText(atomContent).value,
    summary:
      r.text(r.child(el, 'core', 'description')) ??
      r.text(r.child(el, 'dc', 'description')) ??
      r.atomText(r.child(el, 'atom', 'summary')).value ??
      r.text(r.child(el, 'core', 'summary')),
    author: authorOf(r, el),
    source: sourceEl ? { title: r.text(sourceEl)?.trim() ?? null, url: sourceEl.attribs.url ?? null } : null,
  };
}

function atomEntry(r: Reader, el: El, feedAuthor: string | null): ParsedItem {
  const t = r.atomText(r.child(el, 'atom', 'title'));
  const title = t.value ?? r.text(r.child(el, 'dc', 'title'));
  const orig = r.text(r.child(el, 'feedburner', 'origLink'))?.trim();
  const contentEl = r.child(el, 'atom', 'content');
  const sourceEl = r.child(el, 'atom', 'source');
  return {
    title,
    titleIsHtml: t.value !== null ? t.isHtml : true,
    link: orig ? r.resolve(orig, el) : atomLink(r, el),
    base: r.hasBase(el) ? r.base(el) : null,
    guid: r.text(r.child(el, 'atom', 'id'))?.trim() || null,
    guidIsPermaLink: false,
    published: firstText(r, el, [
      ['atom', 'published'],
      ['atom', 'issued'],
      ['atom', 'created'],
      ['dc', 'date'],
      ['dcterms', 'issued'],
      ['dcterms', 'created'],
      [['core', 'other'], 'pubDate'],
    ]),
    updated: firstText(r, el, [['atom', 'updated'], ['atom', 'modified'], ['dcterms', 'modified']]),
    content: contentEl && !contentEl.attribs.src ? r.atomText(contentEl).value : null,
    summary: r.atomText(r.child(el, 'atom', 'summary')).value ?? r.text(r.child(el, 'dc', 'description')),
    author: authorOf(r, el) ?? feedAuthor,
    source: sourceEl ? { title: r.atomText(r.child(sourceEl, 'atom', 'title')).value, url: atomLink(r, sourceEl) } : null,
  };
}

export type XmlFeedResult =
  | { ok: true; feed: ParsedFeed }
  | { ok: false; code: 'not_a_feed' | 'parse_error'; message: string };

/**
 * Reads an RSS/RDF/Atom document (already decoded and cleaned with cleanXml) leniently.
 * `docUrl` is the feed's URL: the base of xml:base chains.
 */
export function parseXmlFeed(text: string, docUrl: string | null = null): XmlFeedResult {
  // The common well-formed subset is read by the simple path (the same DOM, built with less CPU); the rest by htmlparser2.
  const doc = simpleXmlDocument(text) ?? parseDocument(text, { xmlMode: true, decodeEntities: true });
  const root = doc.children.find(isEl);
  if (!root) return { ok: false, code: 'parse_error', message: 'no XML element in the document' };
  const [, rootLocal] = splitName(root.name);
  const rootName = rootLocal.toLowerCase();

  if (rootName === 'feed') {
    // Atom without a namespace, or with a foreign default one, is still read as Atom: the structure decides.
    const r = new Reader('atom', docUrl);
    const feedAuthor = authorOf(r, root);
    const t = r.atomText(r.child(root, ['atom', 'core', 'other'], 'title'));
    const items = r.kids(root).filter((k) => localOf(k.name) === 'entry' && r.family(k) !== 'other');
    return {
      ok: true,
      feed: {
        format: 'atom',
        title: t.value,
        link: atomLink(r, root),
        base: r.hasBase(root) ? r.base(root) : null,
        items: items.map((e) => atomEntry(r, e, feedAuthor)),
      },
    };
  }

  if (rootName === 'entry') {
    // An Atom entry document (RFC 4287 §4.1.2): a feed of one.
    const r = new Reader('atom', docUrl);
    return { ok: true, feed: { format: 'atom', title: null, link: null, base: null, items: [atomEntry(r, root, null)] } };
  }

  if (rootName === 'rss' || rootName === 'rdf' || rootName === 'channel') {
    const r = new Reader('core', docUrl);
    const format: FeedFormat = rootName === 'rdf' ? 'rdf' : 'rss';
    const channels = rootName === 'channel' ? [root] : r.all(root, 'core', 'channel');
    const channel = channels[0];
    const itemEls: El[] = [];
    // RSS: items in the channel. RDF: items beside it (and, in broken feeds, inside it).
    for (const c of channels) itemEls.push(...r.all(c, 'core', 'item'));
    if (rootName !== 'channel') itemEls.push(...r.all(root, 'core', 'item'));
    const feedTitleEl = channel ? r.child(channel, 'core', 'title') : undefined;
    const feedLink = channel ? r.text(r.child(channel, 'core', 'link'))?.trim() || atomLink(r, channel) : null;
    return {
      ok: true,
      feed: {
        format,
        title: feedTitleEl ? r.text(feedTitleEl) : channel ? r.text(r.child(channel, 'dc', 'title')) : null,
        link: feedLink,
        base: r.hasBase(channel ?? root) ? r.base(channel ?? root) : null,
        items: itemEls.map((e) => rssItem(r, e)),
      },
    };
  }
  if (rootName === 'html') return { ok: false, code: 'not_a_feed', message: 'an HTML page, not a feed' };
  return { ok: false, code: 'not_a_feed', message: `not RSS, Atom or JSON Feed (root element <${root.name}>)` };
}
