// Pre-cleaning of feed XML before any parser sees it. Chosen over a parser's "recover" mode
// because each fix here is one that every strict XML parser needs and that loses nothing:
//   - junk before the document (blank lines before <?xml, PHP warnings) is dropped;
//   - characters XML forbids (C0 controls, U+FFFE/FFFF, lone surrogates) are removed;
//   - a bare `&` ("Q&A", "?a=1&b=2") becomes `&amp;`;
//   - HTML named entities (&nbsp; &eacute; &mdash; …, undefined in XML) become numeric references,
//     unknown names are escaped so they show as written;
//   - numeric references to forbidden code points are dropped, and &#128;–&#159; are read as
//     windows-1252 (as HTML5 does: &#146; is ’);
//   - general entities declared in the DOCTYPE's internal subset are expanded once (no nesting, size
//     capped: no billion-laughs), external entities never.
// CDATA sections, comments and processing instructions are left untouched.
import { Parser } from 'htmlparser2';
import { forEachRegion } from './scan.js';
import { pureMemo } from '../../memo.js';

const XML_PREDEFINED = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** Any character FORBIDDEN_CHARS could remove (a surrogate may be half of a good pair): a plain class, much cheaper to scan for than FORBIDDEN_CHARS with its lookarounds, so clean text (nearly every feed) is scanned once. */
// eslint-disable-next-line no-control-regex
const MAYBE_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]/;
/** References other than XML's five predefined ones (those need no work, and feeds are full of &amp;). */
const REFERENCE = /&(?!(?:amp|lt|gt|quot|apos);)(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([A-Za-z_][\w.-]{0,40}));/g;
/** A bare "&": escaped by a plain string replace (no callback per match: feeds full of "&" stay fast). */
const BARE_AMP = /&(?!#\d{1,8};|#[xX][0-9a-fA-F]{1,7};|[A-Za-z_][\w.-]{0,40};)/g;

/** HTML5's reading of &#128;–&#159; (windows-1252). */
const C1_REMAP: Record<number, number> = {
  0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x0192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
  0x88: 0x02c6, 0x89: 0x2030, 0x8a: 0x0160, 0x8b: 0x2039, 0x8c: 0x0152, 0x8e: 0x017d, 0x91: 0x2018,
  0x92: 0x2019, 0x93: 0x201c, 0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02dc,
  0x99: 0x2122, 0x9a: 0x0161, 0x9b: 0x203a, 0x9c: 0x0153, 0x9e: 0x017e, 0x9f: 0x0178,
};

/** The character(s) of an HTML named entity, via htmlparser2's entity tables; null when unknown (memoised: src/core/memo.ts). */
const htmlEntity = pureMemo(htmlEntityUncached, 5000);
function htmlEntityUncached(name: string): string | null {
  let out = '';
  const p = new Parser({ ontext: (t) => (out += t) }, { decodeEntities: true });
  p.write(`&${name};`);
  p.end();
  // A legacy prefix match (&ampx; → "&x;") is not this entity.
  return out && !out.includes('&') && !out.endsWith(';') && [...out].length <= 2 ? out : null;
}

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

function charRef(s: string): string {
  return [...s].map((c) => `&#${c.codePointAt(0)};`).join('');
}

const MAX_ENTITY_VALUE = 2_000;
const MAX_EXPANSION = 200_000;

/** General internal entities of the DOCTYPE: `<!ENTITY name "value">` (parameter and external ones ignored). */
function internalEntities(doctype: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>/g;
  for (let m = re.exec(doctype); m; m = re.exec(doctype)) {
    const value = m[2] ?? m[3] ?? '';
    if (value.length <= MAX_ENTITY_VALUE && !out.has(m[1]!)) out.set(m[1]!, value.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
  }
  return out;
}

/** An "&" that is not one of XML's five predefined references: only then has fixEntities work to do. */
const NOT_PREDEFINED = /&(?!(?:amp|lt|gt|quot|apos);)/;

function fixEntities(segment: string, declared: Map<string, string>, budget: { left: number }): string {
  // Feeds escape their HTML with &lt; &gt; &amp; &quot;: such text is left as it is after one scan.
  if (!NOT_PREDEFINED.test(segment)) return segment;
  return segment.replace(BARE_AMP, '&amp;').replace(REFERENCE, (whole, dec?: string, hex?: string, name?: string) => {
    if (dec !== undefined || hex !== undefined) {
      let cp = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex!, 16);
      cp = C1_REMAP[cp] ?? cp;
      return isXmlChar(cp) ? `&#${cp};` : '';
    }
    if (name !== undefined) {
      if (XML_PREDEFINED.has(name)) return whole;
      const d = declared.get(name);
      if (d !== undefined && budget.left >= d.length) {
        budget.left -= d.length;
        return d;
      }
      const ch = htmlEntity(name);
      return ch ? charRef(ch) : `&amp;${name};`;
    }
    return whole;
  });
}

const ROOT_START = /<\?xml|<(?:[A-Za-z_][\w.-]*:)?(?:rss|feed|RDF|channel)[\s>/]/;

/** Cleans decoded feed text so that a strict XML parser can read what a lenient one would. */
export function cleanXml(input: string): string {
  let text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (MAYBE_FORBIDDEN.test(text)) text = text.replace(FORBIDDEN_CHARS, '');
  const first = text.search(/\S/);
  if (first > 0) text = text.slice(first);
  if (!text.startsWith('<')) {
    const at = text.search(ROOT_START);
    if (at > 0) text = text.slice(at);
  } else if (!text.startsWith('<?xml')) {
    // "<br />\n<b>Warning</b>: … on line 12<br />\n<?xml …": junk markup before the prolog
    const decl = text.indexOf('<?xml');
    if (decl > 0 && !/<(?:[A-Za-z_][\w.-]*:)?(?:rss|feed|RDF)[\s>]/.test(text.slice(0, decl))) text = text.slice(decl);
  }

  let declared = new Map<string, string>();
  const budget = { left: MAX_EXPANSION };
  const out: string[] = [];
  let changed = false;
  forEachRegion(text, (kind, start, end) => {
    const region = text.slice(start, end);
    if (kind === 'text') {
      const fixed = fixEntities(region, declared, budget);
      changed ||= fixed !== region;
      out.push(fixed);
    }
    else if (kind === 'doctype' && /^<!DOCTYPE/i.test(region)) {
      declared = internalEntities(region);
      // Keep the DOCTYPE's name only: the internal subset is expanded here, and strict parsers
      // would still choke on its parameter entities.
      const name = /^<!DOCTYPE\s+([^\s[>]+)/i.exec(region)?.[1];
      out.push(name ? `<!DOCTYPE ${name}>` : '');
      changed = true;
    } else out.push(region);
  });
  // Nothing rewritten (nearly every feed): no copy of the document.
  return changed ? out.join('') : text;
}
