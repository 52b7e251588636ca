// HTML → plain text for titles and article bodies, with htmlparser2's forgiving tokenizer
// (it decodes every HTML entity and never throws on broken markup).
import { Parser } from 'htmlparser2';
import { nestsTooDeeply } from './nesting.js';
import { NextIndex } from './scan.js';

// String methods through String.prototype's own functions in the simple path's loops, module-local
// (why: scan.ts's header).
const unitAt: (this: string, i: number) => number = String.prototype.charCodeAt;
const indexFrom: (this: string, search: string, position?: number) => number = String.prototype.indexOf;
const sliceOf: (this: string, start?: number, end?: number) => string = String.prototype.slice;
const lowerCase: (this: string) => string = String.prototype.toLowerCase;
const trimOf: (this: string) => string = String.prototype.trim;

/** Elements whose content is never text a reader sees. */
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'iframe', 'svg', 'math', 'select', 'button']);
/** Elements that end a line (a sentence break for Intl.Segmenter). */
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'caption', 'dd', 'details', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header',
  'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot',
  'th', 'thead', 'tr', 'ul', 'body', 'html', 'title',
]);
/** Table cells and list items are separated, but a cell is not a sentence. */
const CELL = new Set(['td', 'th']);

const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
/** Something an HTML reader would treat as markup: a tag, a comment, a declaration or an entity. */
const MARKUP = /<\/?[a-zA-Z][^<>]*>|<!|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);?/;

/**
 * Plain text of an HTML fragment: no script/style, entities decoded, one line per block element,
 * spaces collapsed within lines, blank lines dropped. Plain text without markup comes back with
 * only its whitespace collapsed (and entities decoded, which for plain text is a no-op).
 */
export function htmlToText(html: string | null | undefined): string {
  if (!html) return '';
  // "5 < 6", "a<b" or "Q&A" is text: only run the HTML reader on what looks like markup.
  // Plain text with nothing NEEDS_CLEANING finds (most titles, names) holds no whitespace but
  // single spaces and nothing INVISIBLE: collapseLines would only trim it.
  if (!MARKUP.test(html)) return NEEDS_CLEANING.test(html) ? collapseLines(html) : html.trim();
  if (nestsTooDeeply(html, 'html')) return crudeText(html);
  return simpleHtmlText(html) ?? collapseLines(readHtml(html));
}

/** Decodes entities of text that holds no tags (htmlparser2's tables; no element stack involved). */
function decodeEntities(text: string): string {
  let out = '';
  const p = new Parser({ ontext: (t) => (out += t) }, { decodeEntities: true });
  p.write(text.replace(/</g, '&lt;'));
  p.end();
  return out;
}

/**
 * Text of pathologically nested markup (see nesting.ts), in linear time: regular expressions
 * instead of a parser. Only reached by hostile or absurd input.
 */
function crudeText(html: string): string {
  const s = withoutRawText(html.replace(/[\r\n]+/g, ' '))
    .replace(/<\/?(?:p|div|br|li|h[1-6]|tr|blockquote|section|article|ul|ol|table|pre|hr)\b[^<>]*>/gi, '\n')
    .replace(/<[^<>]*>/g, '');
  return collapseLines(decodeEntities(s));
}

/** Drops script/style/noscript/template elements with indexOf, linear even when they are never closed. */
function withoutRawText(html: string): string {
  const lower = html.toLowerCase();
  const open = /<(script|style|noscript|template)\b/g;
  let out = '';
  let pos = 0;
  for (let m = open.exec(lower); m; m = open.exec(lower)) {
    if (m.index < pos) continue;
    out += html.slice(pos, m.index);
    const end = lower.indexOf(`</${m[1]}`, m.index);
    if (end < 0) return `${out} `;
    pos = lower.indexOf('>', end);
    pos = pos < 0 ? html.length : pos + 1;
    out += ' ';
    open.lastIndex = pos;
  }
  return out + html.slice(pos);
}

function readHtml(html: string): string {
  const out: string[] = [];
  let skipDepth = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIP.has(name)) skipDepth++;
        else if (skipDepth === 0 && BLOCK.has(name)) out.push(CELL.has(name) ? ' ' : '\n');
        else if (skipDepth === 0 && name === 'img') out.push(' ');
      },
      onclosetag(name, isImplied) {
        if (SKIP.has(name)) {
          if (skipDepth > 0) skipDepth--;
        } else if (skipDepth === 0 && BLOCK.has(name) && !isImplied) out.push(CELL.has(name) ? ' ' : '\n');
      },
      ontext(text) {
        // A newline in HTML source is just a space; lines come from block elements.
        if (skipDepth === 0) out.push(text.replace(/[\r\n\u2028\u2029]+/g, ' '));
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  return out.join('');
}

// ---- the simple path ---------------------------------------------------------------------------
//
// Most feed HTML is a few paragraphs with inline markup: `<p>…</p>`, `<a href>`, `<b>`, `<br>`,
// `<img/>`, `&amp;` and numeric entities. For that subset readHtml's result is computed here
// with a sticky regular expression per tag and indexOf for text, about 4 × less CPU than
// htmlparser2's char-by-char tokenizer (which also ran once per item for the XML document). Hand-
// written because htmlparser2 has no cheaper mode; it is not a second HTML reader: anything outside
// the subset — another tag name, a comment, `<!`, `<` that is not a well-formed tag, an entity
// not listed below, an unquoted attribute value ending in `/` — returns null and readHtml reads
// the whole fragment. Within the subset it follows htmlparser2 12's tree rules (the elements a
// start tag closes implicitly, `</p>` and `</br>` without an open element, an end tag closing the
// elements above its own, `<x/>` closed at once); the corpus test and a generated comparison
// (test/unit/feed/html-text.test.ts) check that both paths give the same text.

/** Inline elements: no line break, closed by nothing but their end tag (htmlparser2 closes an open `a` at a new `<a>`). */
const SIMPLE_INLINE = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'big', 'cite', 'code', 'del', 'dfn', 'em', 'font', 'i', 'ins', 'kbd', 'mark', 'q', 's',
  'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var',
]);
/** Block elements of the subset (all in BLOCK, none in CELL or SKIP; no raw text, no foreign content). */
const SIMPLE_BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'dd', 'details', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer', 'h1', 'h2',
  'h3', 'h4', 'h5', 'h6', 'header', 'li', 'main', 'nav', 'ol', 'p', 'section', 'summary', 'ul',
]);
const P_ONLY = new Set(['p']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p']);
/** Open elements a start tag closes while they are the innermost (htmlparser2's rule, for this subset's names). */
const OPEN_CLOSES = new Map<string, Set<string>>([
  ['a', new Set(['a'])],
  ['li', new Set(['li'])],
  ['dd', new Set(['dd', 'dt'])],
  ['dt', new Set(['dd', 'dt'])],
  ['p', P_ONLY],
  ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((h): [string, Set<string>] => [h, HEADINGS]),
  ...['address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'figcaption', 'figure', 'footer', 'header', 'hr', 'main', 'nav', 'ol', 'section', 'ul'].map(
    (b): [string, Set<string>] => [b, P_ONLY],
  ),
]);
/**
 * A start or end tag the subset accepts: an ASCII name, attributes with double-, single- or
 * unquoted values (an unquoted one must end at a space or `>`: `<br class=x/>` is not
 * self-closing in HTML), `/>` or `>`. HTML's whitespace only (not \v or Unicode spaces).
 */
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:[ \t\n\f\r]+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:[ \t\n\f\r]*=[ \t\n\f\r]*(?:"[^"]*"|'[^']*'|[^ \t\n\f\r"'=<>`]+(?=[ \t\n\f\r>])))?)*)[ \t\n\f\r]*(\/?)>/y;
/** The entities of the subset, each with its semicolon. */
const ENTITY = /&(?:(amp|lt|gt|quot|apos|nbsp)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));/y;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Text with the subset's entities decoded, or null for any other `&` (or a code point HTML would replace). */
function simpleText(html: string, from: number, to: number, next: NextIndex): string | null {
  let amp = next.from(from);
  if (amp < 0 || amp >= to) return sliceOf.call(html, from, to);
  let out = '';
  let pos = from;
  while (amp >= 0 && amp < to) {
    ENTITY.lastIndex = amp;
    const m = ENTITY.exec(html);
    if (!m || ENTITY.lastIndex > to) return null;
    out += sliceOf.call(html, pos, amp);
    if (m[1]) out += NAMED[m[1]]!;
    else {
      const cp = m[2] ? Number(m[2]) : parseInt(m[3]!, 16);
      // Controls, C1 (windows-1252 remapped by HTML), surrogates and beyond Unicode: htmlparser2's rules.
      if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return null;
      out += String.fromCodePoint(cp);
    }
    pos = ENTITY.lastIndex;
    amp = next.from(pos);
  }
  return out + sliceOf.call(html, pos, to);
}

const SPACE_RUN = /\s+/g;
/** U+FEFF is both INVISIBLE and whitespace to trim(): a run of it alone leaves nothing. */
const BOM_ONLY = /^\ufeff+$/;
/**
 * An INVISIBLE character, or whitespace other than a lone ASCII space (after INVISIBLE is removed,
 * JavaScript's \s is collapseLines' whitespace): \s's characters other than the space, listed,
 * and two spaces. Most text has none. One native scan: on Node 20 ~2.5 × (ASCII) to ~3 × (Cyrillic)
 * less CPU than a loop over char codes (which this replaced; it was most of the simple path's CPU).
 */
const NEEDS_CLEANING = / {2}|[\x00-\x1f\u00a0\u00ad\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]/;

/**
 * collapseLines' result built as the fragment is read, with no second pass: collapseLines makes
 * every whitespace run between two visible characters one line break when the run holds one,
 * else one space, and drops the runs at both ends. Text's own line breaks are spaces (readHtml),
 * so a text run collapses to spaces; block elements add a break, `<img>` a space.
 */
class Collapsed {
  out = '';
  /** Between the last visible character and the next: 0 nothing, 1 a space, 2 a line break. */
  private gap = 0;
  space(): void {
    if (this.gap < 1) this.gap = 1;
  }
  lineBreak(): void {
    this.gap = 2;
  }
  text(raw: string): void {
    let t = raw;
    if (NEEDS_CLEANING.test(t)) {
      // Whitespace alone (the line break between two paragraphs, most runs that need cleaning):
      // one space, unless it was only U+FEFF (invisible, removed), with no replace and no string.
      if (trimOf.call(t) === '') {
        if (!BOM_ONLY.test(t)) this.space();
        return;
      }
      t = t.replace(INVISIBLE, '').replace(SPACE_RUN, ' ');
    }
    if (!t) return;
    if (unitAt.call(t, 0) === 32) {
      this.space();
      t = sliceOf.call(t, 1);
    }
    const trailing = unitAt.call(t, t.length - 1) === 32;
    if (trailing) t = sliceOf.call(t, 0, -1);
    if (!t) return;
    if (this.out && this.gap) this.out += this.gap === 2 ? '\n' : ' ';
    this.out += t;
    this.gap = trailing ? 1 : 0;
  }
}

const isLetter = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);

/** Whether an ASCII tag name has an upper-case letter: toLowerCase makes a new string even when nothing changes. */
function hasUpper(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = unitAt.call(name, i);
    if (c >= 0x41 && c <= 0x5a) return true;
  }
  return false;
}

/** Where the `>` of a start or end tag without attributes or spaces (`<p>`, `</em>`) at `lt` is, or -1. */
function plainTagEnd(html: string, lt: number): number {
  let i = lt + 1;
  if (unitAt.call(html, i) === 0x2f) i++;
  if (!isLetter(unitAt.call(html, i))) return -1;
  for (i++; ; i++) {
    const c = unitAt.call(html, i);
    if (!(isLetter(c) || (c >= 0x30 && c <= 0x39))) break;
  }
  return unitAt.call(html, i) === 0x3e ? i : -1;
}

/** htmlToText of a fragment inside the subset (collapsed as collapseLines does), or null outside it. */
export function simpleHtmlText(html: string): string | null {
  const c = new Collapsed();
  const open: string[] = []; // innermost last
  const amps = new NextIndex(html, '&');
  let pos = 0;
  for (;;) {
    const lt = indexFrom.call(html, '<', pos);
    const end = lt < 0 ? html.length : lt;
    if (end > pos) {
      const text = simpleText(html, pos, end, amps);
      if (text === null) return null;
      c.text(text);
    }
    if (lt < 0) return c.out;
    // `<name>` and `</name>` (most tags of feed HTML) are read without TAG, which matches them the same.
    let closing: boolean;
    let rawName: string;
    let attrs = '';
    let selfClosing = false;
    const plainEnd = plainTagEnd(html, lt);
    if (plainEnd > 0) {
      closing = unitAt.call(html, lt + 1) === 0x2f;
      rawName = sliceOf.call(html, closing ? lt + 2 : lt + 1, plainEnd);
      pos = plainEnd + 1;
    } else {
      TAG.lastIndex = lt;
      const m = TAG.exec(html);
      if (!m) return null;
      pos = TAG.lastIndex;
      closing = m[1] === '/';
      rawName = m[2]!;
      attrs = m[3]!;
      selfClosing = m[4] === '/';
    }
    const name = hasUpper(rawName) ? lowerCase.call(rawName) : rawName;
    if (closing) {
      // An end tag: no attributes, not `</x/>`.
      if (attrs || selfClosing) return null;
      if (name === 'br') c.lineBreak(); // `</br>` is a <br> (opened and closed)
      else if (name === 'img' || name === 'hr') continue; // end tags of void elements are ignored
      else if (SIMPLE_INLINE.has(name) || SIMPLE_BLOCK.has(name)) {
        const at = open.lastIndexOf(name);
        if (at >= 0) {
          // The elements above it close implied (no break), it closes explicitly. Popped, not cut
          // with `open.length = at`: at 0 (every `</p>` of a body) V8 drops the array's storage and
          // the next push allocates it again (~2.5 KB a farm description, half this function's garbage).
          while (open.length > at) open.pop();
          if (SIMPLE_BLOCK.has(name)) c.lineBreak();
        } else if (name === 'p') c.lineBreak(); // `</p>` alone is an empty paragraph
      } else return null;
      continue;
    }
    if (name === 'img') c.space();
    else if (name === 'br') c.lineBreak();
    else if (name === 'hr') {
      while (open[open.length - 1] === 'p') open.pop();
      c.lineBreak();
    } else if (SIMPLE_INLINE.has(name) || SIMPLE_BLOCK.has(name)) {
      const closes = OPEN_CLOSES.get(name);
      if (closes) while (open.length && closes.has(open[open.length - 1]!)) open.pop();
      if (SIMPLE_BLOCK.has(name)) c.lineBreak();
      // `<x/>` is closed at once, implied (no break); otherwise it is open.
      if (!selfClosing) open.push(name);
    } else return null;
  }
}

/** A run of whitespace within a line that is not one plain space (a lone space, the common case, is left as it is). */
const SPACES = /(?: [^\S\n\r\u2028\u2029]+|[^\S \n\r\u2028\u2029][^\S\n\r\u2028\u2029]*)/g;
/** Line breaks with the single spaces around them (after SPACES): one line break. Linear: no nested quantifiers over the same characters. */
const BREAKS = / ?(?:[\n\r\u2028\u2029] ?)+/g;

/**
 * One line per line of `s`, spaces collapsed within lines, lines trimmed, blank lines dropped.
 * Three regular-expression passes over the whole string rather than split/map/filter/join over
 * its lines: the same result (each whitespace run becomes one space, or one line break when it
 * holds one; the ends are trimmed) with no array of lines, ~3 × less CPU on article bodies.
 */
function collapseLines(s: string): string {
  return s.replace(INVISIBLE, '').replace(SPACES, ' ').replace(BREAKS, '\n').trim();
}

/** htmlToText by htmlparser2 alone (no simple path): what the simple path must agree with (tests, benches). */
export function htmlToTextFull(html: string): string {
  return collapseLines(readHtml(html));
}

/** A one-line title: HTML stripped, entities decoded, all whitespace (newlines too) collapsed. */
export function titleText(raw: string | null | undefined): string {
  return oneLine(htmlToText(raw));
}

/**
 * `s.replace(/\s+/g, ' ').trim()`: all whitespace runs one space, the ends trimmed. Text with
 * nothing NEEDS_CLEANING finds has no whitespace but single spaces, so only the trim is left
 * (most titles: no replace and no new string).
 */
export function oneLine(s: string): string {
  return NEEDS_CLEANING.test(s) ? s.replace(/\s+/g, ' ').trim() : s.trim();
}
