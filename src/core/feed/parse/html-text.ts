// HTML → plain text for titles and article bodies, with htmlparser2's forgiving tokenizer
// (it decodes every HTML entity and never throws on broken markup).
import { Parser } from 'htmlparser2';
import { nestsTooDeeply } from './nesting.js';

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
  if (!MARKUP.test(html)) return collapseLines(html);
  if (nestsTooDeeply(html, 'html')) return crudeText(html);
  return collapseLines(readHtml(html));
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

/** A one-line title: HTML stripped, entities decoded, all whitespace (newlines too) collapsed. */
export function titleText(raw: string | null | undefined): string {
  return htmlToText(raw).replace(/\s+/g, ' ').trim();
}
