// The XML document's simple path: the DOM that htmlparser2's `parseDocument(xml, { xmlMode: true,
// decodeEntities: true })` builds, for the common well-formed subset of feed XML, read with indexOf
// and one sticky regular expression per tag instead of htmlparser2's char-by-char tokenizer (its
// entity and CDATA states were most of the poll path's parse: ~47 µs an item, issue 16). It is not
// a second XML reader: it builds the tree htmlparser2's DomHandler builds, node for node (its node
// classes, the same own fields, text, CDATA, comments, directives, attribute order, the first of
// duplicate attributes), so the feed reader over it cannot tell; anything outside the subset
// returns null and htmlparser2 reads the whole document, as before. Hand-written because
// htmlparser2 has no cheaper mode and a strict XML library would read broken feeds differently
// (xml-feed.ts keeps one reader). The nodes are made as object literals on domhandler's prototypes,
// not with its constructors: their class-field initialisers, shared by six node classes, ran
// megamorphic and were half of this path's time (and ~1% of the whole cold cycle under htmlparser2).
//
// The subset (checked against htmlparser2 12's xmlMode, see test/unit/feed/xml-simple.test.ts):
//   - start tags `<name attr="v" attr2='v'>` and `<name/>`, names of ASCII letters, digits and
//     `_ - . :` (not starting with a digit, `-`, `.` or `:`), attribute values quoted, whitespace
//     between attributes; end tags `</name>` (whitespace before `>` allowed) closing the innermost
//     open element; every element closed by the end of the document;
//   - text and attribute values with `&amp; &lt; &gt; &quot; &apos;` and numeric references
//     (`&#38;`, `&#x26;`) to a code point htmlparser2 keeps as it is;
//   - CDATA sections, comments without `--` inside, processing instructions (`<?xml …?>`),
//     declarations `<!NAME …>` without an internal subset.
// Everything else — another `&`, a `<` that starts none of these, an end tag that is not the
// innermost element's, an unclosed element, an unquoted or valueless attribute — falls back.
import { parseDocument } from 'htmlparser2';
import { NextIndex } from './scan.js';

// String methods through String.prototype's own functions, module-local (why: scan.ts's header).
const unitAt: (this: string, i: number) => number = String.prototype.charCodeAt;
const indexFrom: (this: string, search: string, position?: number) => number = String.prototype.indexOf;
const sliceOf: (this: string, start?: number, end?: number) => string = String.prototype.slice;
const startsAt: (this: string, search: string, position?: number) => boolean = String.prototype.startsWith;
const holds: (this: string, search: string) => boolean = String.prototype.includes;

type Doc = ReturnType<typeof parseDocument>;
type AnyNode = Doc['children'][number];

// domhandler's node prototypes and type names, taken from a parse by htmlparser2 (domhandler is its
// dependency, not ours). Each node below has the own fields its class gives it, in the same order.
const PROBE = parseDocument('<a>t<![CDATA[c]]><!--m--><?p?></a>', { xmlMode: true });
const probeEl = PROBE.children[0] as unknown as { children: AnyNode[] };
const [probeText, probeCdata, probeComment, probeDirective] = probeEl.children;
const PROTO = {
  document: Object.getPrototypeOf(PROBE) as object,
  element: Object.getPrototypeOf(probeEl) as object,
  text: Object.getPrototypeOf(probeText) as object,
  cdata: Object.getPrototypeOf(probeCdata) as object,
  comment: Object.getPrototypeOf(probeComment) as object,
  directive: Object.getPrototypeOf(probeDirective) as object,
};
const TYPE = { tag: (probeEl as unknown as AnyNode).type, text: probeText!.type, cdata: probeCdata!.type, comment: probeComment!.type, directive: probeDirective!.type, root: PROBE.type };

/** What this file reads and writes of a node (the rest of each node's fields are set once, at creation). */
interface Built {
  parent: Built | null;
  prev: Built | null;
  next: Built | null;
  children: Built[];
}

function element(name: string, attribs: Record<string, string>): Built {
  // prettier-ignore
  return { __proto__: PROTO.element, parent: null, prev: null, next: null, startIndex: null, endIndex: null, children: [], name, attribs, type: TYPE.tag, namespace: undefined, 'x-attribsNamespace': undefined, 'x-attribsPrefix': undefined } as unknown as Built;
}
function dataNode(proto: object, type: string, data: string): Built {
  return { __proto__: proto, parent: null, prev: null, next: null, startIndex: null, endIndex: null, data, type } as unknown as Built;
}
function directive(name: string, data: string): Built {
  // prettier-ignore
  return { __proto__: PROTO.directive, parent: null, prev: null, next: null, startIndex: null, endIndex: null, data, type: TYPE.directive, name, 'x-name': undefined, 'x-publicId': undefined, 'x-systemId': undefined } as unknown as Built;
}
function cdata(text: Built): Built {
  const node = { __proto__: PROTO.cdata, parent: null, prev: null, next: null, startIndex: null, endIndex: null, children: [text], type: TYPE.cdata } as unknown as Built;
  text.parent = node;
  return node;
}

/** DomHandler.addNode: appended to `parent`, linked to its previous sibling. */
function add(parent: Built, node: Built): void {
  const kids = parent.children;
  const prev = kids[kids.length - 1];
  // A first child in an array of its own size (most elements of a feed hold one text node): a push
  // onto the empty array reserves 17 slots (~150 bytes; the DOM's garbage 4.5 -> 3.9 KB a farm item).
  if (prev) kids.push(node);
  else parent.children = [node];
  if (prev) {
    node.prev = prev;
    prev.next = node;
  }
  node.parent = parent;
}

/** htmlparser2's whitespace (Tokenizer isWhitespace): space, \n, \t, \f, \r. */
const WS = '[ \\t\\n\\f\\r]';
const NAME = '[A-Za-z_][-A-Za-z0-9_.:]*';
/** A start tag: name, its attributes (each preceded by whitespace, quoted value), `/` if self-closing. */
const START_TAG = new RegExp(`<(${NAME})((?:${WS}+${NAME}${WS}*=${WS}*(?:"[^"]*"|'[^']*'))*)${WS}*(/?)>`, 'y');
/** One attribute of START_TAG's second group. */
const ATTRIBUTE = new RegExp(`${WS}+(${NAME})${WS}*=${WS}*(?:"([^"]*)"|'([^']*)')`, 'y');
const END_TAG = new RegExp(`</(${NAME})${WS}*>`, 'y');
/** The references of the subset, each with its semicolon (htmlparser2's xmlMode decodes them strictly). */
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));/y;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** Parser.getInstructionName: a directive's name ends at whitespace or `/`. */
const NAME_END = /\s|\//;

/** Where `>` follows a NAME that starts at `from` right away (`<name>`, no space, attribute or `/`), or -1. */
function plainNameEnd(xml: string, from: number): number {
  let c = unitAt.call(xml, from);
  if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f)) return -1;
  for (let i = from + 1; ; i++) {
    c = unitAt.call(xml, i);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x3a) || c === 0x5f || c === 0x2d || c === 0x2e) continue; // 0x3a is ':'
    return c === 0x3e ? i : -1;
  }
}

/** Text of `xml[from, to)` with the subset's references decoded, or null for any other `&`. */
function decoded(xml: string, from: number, to: number, next?: NextIndex): string | null {
  let amp = next ? next.from(from) : indexFrom.call(xml, '&', from);
  if (amp < 0 || amp >= to) return sliceOf.call(xml, from, to);
  // The pieces between references joined as they are read: `&lt;` and `&gt;` (escaped HTML's
  // tags, most references of a feed) told by their code units, the others by ENTITY. Against one
  // replace with a function (V8 calls it from C++ for each of a description's ~40 references):
  // a farm description decoded and flattened (the HTML reader's first read does it) in ~2.0
  // instead of ~4.7 µs, and no more garbage (issue 16).
  let out = '';
  let pos = from;
  while (amp >= 0 && amp < to) {
    let text: string;
    let end: number;
    const c = unitAt.call(xml, amp + 1);
    if ((c === 0x6c /* l */ || c === 0x67) /* g */ && unitAt.call(xml, amp + 2) === 0x74 /* t */ && unitAt.call(xml, amp + 3) === 0x3b /* ; */ && amp + 3 < to) {
      text = c === 0x6c ? '<' : '>';
      end = amp + 4;
    } else {
      ENTITY.lastIndex = amp;
      const m = ENTITY.exec(xml);
      if (!m || ENTITY.lastIndex > to) return null;
      if (m[1]) text = NAMED[m[1]]!;
      else {
        const cp = m[2] ? Number(m[2]) : parseInt(m[3]!, 16);
        // What htmlparser2 keeps as it is (replaceCodePointXML changes NUL, surrogates, > U+10FFFF);
        // C0 controls other than tab and line breaks are left to it too.
        if (!((cp >= 0x20 && cp < 0xd800) || cp === 9 || cp === 10 || cp === 13 || (cp >= 0xe000 && cp <= 0x10ffff))) return null;
        text = String.fromCodePoint(cp);
      }
      end = ENTITY.lastIndex;
    }
    out += sliceOf.call(xml, pos, amp) + text;
    pos = end;
    amp = next ? next.from(pos) : indexFrom.call(xml, '&', pos);
  }
  return out + sliceOf.call(xml, pos, to);
}

/** The attributes of a start tag in document order (the first of a duplicate name kept, as Parser does), or null outside the subset. */
function attributes(raw: string): Record<string, string> | null {
  const attribs: Record<string, string> = {};
  if (!raw) return attribs;
  ATTRIBUTE.lastIndex = 0;
  while (ATTRIBUTE.lastIndex < raw.length) {
    const m = ATTRIBUTE.exec(raw);
    if (!m) return null;
    const value = m[2] ?? m[3]!;
    const v = holds.call(value, '&') ? decoded(value, 0, value.length) : value;
    if (v === null) return null;
    if (!Object.hasOwn(attribs, m[1]!)) attribs[m[1]!] = v;
  }
  return attribs;
}

function instructionName(value: string): string {
  const i = value.search(NAME_END);
  return i < 0 ? value : sliceOf.call(value, 0, i);
}

/**
 * htmlparser2's DOM of `xml` (as parseDocument in xmlMode with entities decoded) when the document
 * lies inside the subset described above; null otherwise (the caller parses it with htmlparser2).
 */
export function simpleXmlDocument(xml: string): Doc | null {
  const root = { __proto__: PROTO.document, parent: null, prev: null, next: null, startIndex: null, endIndex: null, children: [], type: TYPE.root } as unknown as Built;
  // The open elements, innermost last: their nodes, and their names.
  const stack: Built[] = [root];
  const names: string[] = [];
  let top = root;
  // The next `&` of the document, for the text runs (attribute values are read apart).
  const amps = new NextIndex(xml, '&');
  const n = xml.length;
  let pos = 0;
  while (pos < n) {
    const lt = indexFrom.call(xml, '<', pos);
    const end = lt < 0 ? n : lt;
    if (end > pos) {
      // A text run always follows a node or starts the document: DomHandler makes it one Text node.
      const text = decoded(xml, pos, end, amps);
      if (text === null) return null;
      add(top, dataNode(PROTO.text, TYPE.text, text));
    }
    if (lt < 0) break;
    const c = unitAt.call(xml, lt + 1);
    if (c === 0x2f /* / */) {
      // `</name>` of the innermost element (nearly every end tag) is read without END_TAG, which
      // matches it the same (its name is a NAME, and `>` ends one); no match array and name copied.
      const want = names[names.length - 1];
      if (want !== undefined && unitAt.call(xml, lt + 2 + want.length) === 0x3e && startsAt.call(xml, want, lt + 2)) pos = lt + 3 + want.length;
      else {
        END_TAG.lastIndex = lt;
        const m = END_TAG.exec(xml);
        if (!m || want !== m[1]) return null;
        pos = END_TAG.lastIndex;
      }
      names.pop();
      stack.pop();
      top = stack[stack.length - 1]!;
    } else if (c === 0x21 /* ! */) {
      if (startsAt.call(xml, '<![CDATA[', lt)) {
        const close = indexFrom.call(xml, ']]>', lt + 9);
        if (close < 0) return null;
        add(top, cdata(dataNode(PROTO.text, TYPE.text, sliceOf.call(xml, lt + 9, close))));
        pos = close + 3;
      } else if (startsAt.call(xml, '<!--', lt)) {
        const close = indexFrom.call(xml, '-->', lt + 4);
        if (close < 0) return null;
        const data = sliceOf.call(xml, lt + 4, close);
        // htmlparser2 also ends a comment at `--!>`, and reads `--->` its own way: not in the subset.
        if (holds.call(data, '--') || data.endsWith('-')) return null;
        add(top, dataNode(PROTO.comment, TYPE.comment, data));
        pos = close + 3;
      } else {
        const first = unitAt.call(xml, lt + 2);
        if (!((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a))) return null;
        const close = indexFrom.call(xml, '>', lt + 2);
        if (close < 0) return null;
        const value = sliceOf.call(xml, lt + 2, close);
        if (holds.call(value, '[')) return null; // an internal subset (cleanXml removes those)
        add(top, directive(`!${instructionName(value)}`, `!${value}`));
        pos = close + 1;
      }
    } else if (c === 0x3f /* ? */) {
      const close = indexFrom.call(xml, '?>', lt + 2);
      if (close < 0) return null;
      const value = sliceOf.call(xml, lt + 2, close);
      add(top, directive(`?${instructionName(value)}`, `?${value}`));
      pos = close + 2;
    } else {
      // `<name>` (most start tags of a feed) is read without START_TAG, which matches it the same.
      const plain = plainNameEnd(xml, lt + 1);
      if (plain > 0) {
        const name = sliceOf.call(xml, lt + 1, plain);
        const el = element(name, {});
        add(top, el);
        stack.push(el);
        names.push(name);
        top = el;
        pos = plain + 1;
        continue;
      }
      START_TAG.lastIndex = lt;
      const m = START_TAG.exec(xml);
      if (!m) return null;
      const attribs = attributes(m[2]!);
      if (attribs === null) return null;
      const el = element(m[1]!, attribs);
      add(top, el);
      if (!m[3]) {
        stack.push(el);
        names.push(m[1]!);
        top = el;
      }
      pos = START_TAG.lastIndex;
    }
  }
  if (names.length) return null;
  return root as unknown as Doc;
}
