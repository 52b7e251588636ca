// Linear scanning of markup. Regular expressions such as /<!--[\s\S]*?-->/ rescan to the end
// of the document from every unterminated "<!--", which is quadratic: 80 KB of "<!--" takes
// seconds, 5 MB takes hours. These scanners use indexOf and never look at a character twice.
//
// String methods are called through String.prototype's own functions (`indexFrom.call(s, …)`, not
// `s.indexOf(…)`): once a module has run `class … extends String` (ioredis does, so every worker),
// V8 (Node 20) stops inlining a string method called on a string (~3 × the CPU for these loops);
// see core/memo.ts `unitAt`. Module-local constants: called through an imported binding they are
// not inlined either (~2 × the CPU, measured on Node 20).
const unitAt: (this: string, i: number) => number = String.prototype.charCodeAt;
const indexFrom: (this: string, search: string, position?: number) => number = String.prototype.indexOf;
const startsAt: (this: string, search: string, position?: number) => boolean = String.prototype.startsWith;

export type RegionKind = 'text' | 'cdata' | 'comment' | 'pi' | 'doctype';

/**
 * Calls `visit` for consecutive regions of `s`: text, and the CDATA sections, comments,
 * processing instructions and declarations (DOCTYPE with its internal subset) between them.
 * An unterminated region runs to the end of the string.
 */
export function forEachRegion(s: string, visit: (kind: RegionKind, start: number, end: number) => void): void {
  let textStart = 0;
  let pos = 0;
  const n = s.length;
  while (pos < n) {
    const lt = indexFrom.call(s, '<', pos);
    if (lt < 0) break;
    const c = unitAt.call(s, lt + 1);
    let kind: RegionKind;
    let end: number;
    if (c === 0x3f /* ? */) {
      kind = 'pi';
      end = after(s, '?>', lt + 2);
    } else if (c === 0x21 /* ! */) {
      if (startsAt.call(s, '<!--', lt)) {
        kind = 'comment';
        end = after(s, '-->', lt + 4);
      } else if (startsAt.call(s, '<![CDATA[', lt)) {
        kind = 'cdata';
        end = after(s, ']]>', lt + 9);
      } else {
        kind = 'doctype';
        end = declarationEnd(s, lt + 2);
      }
    } else {
      pos = lt + 1;
      continue;
    }
    if (lt > textStart) visit('text', textStart, lt);
    visit(kind, lt, end);
    pos = textStart = end;
  }
  if (textStart < n) visit('text', textStart, n);
}

function after(s: string, marker: string, from: number): number {
  const i = indexFrom.call(s, marker, from);
  return i < 0 ? s.length : i + marker.length;
}

/** End of `<!DOCTYPE … [ internal subset ] >` or `<!…>`, past the closing `>`. */
function declarationEnd(s: string, from: number): number {
  const gt = indexFrom.call(s, '>', from);
  const bracket = indexFrom.call(s, '[', from);
  if (bracket < 0 || (gt >= 0 && gt < bracket)) return gt < 0 ? s.length : gt + 1;
  // Internal subset: it ends at "]" followed (after spaces) by ">".
  let p = bracket + 1;
  for (;;) {
    const close = indexFrom.call(s, ']', p);
    if (close < 0) return s.length;
    let q = close + 1;
    while (q < s.length && /\s/.test(s[q]!)) q++;
    if (s[q] === '>') return q + 1;
    p = close + 1;
  }
}

export interface Tag {
  /** Element name as written. */
  name: string;
  close: boolean;
  selfClosing: boolean;
  start: number;
  end: number;
}

const NAME = /\/?([A-Za-z_][\w:.-]*)/y;

/**
 * Calls `visit` for each start or end tag in s[start, end) (a text region of forEachRegion).
 * A "<" without a name, or whose ">" comes after another "<", is text. Linear: the next ">" and
 * "<" are found once per position, not once per "<".
 */
export function forEachTag(s: string, start: number, end: number, visit: (tag: Tag) => void): void {
  let nextGt = -2;
  let nextLt = -2;
  let pos = start;
  while (pos < end) {
    const lt = indexFrom.call(s, '<', pos);
    if (lt < 0 || lt >= end) return;
    NAME.lastIndex = lt + 1;
    const m = NAME.exec(s);
    if (!m) {
      pos = lt + 1;
      continue;
    }
    const from = NAME.lastIndex;
    if (nextGt !== -1 && nextGt < from) nextGt = indexFrom.call(s, '>', from);
    if (nextGt < 0 || nextGt >= end) return; // no ">" anywhere after: no more tags
    if (nextLt !== -1 && nextLt < from) nextLt = indexFrom.call(s, '<', from);
    if (nextLt >= 0 && nextLt < nextGt) {
      pos = nextLt;
      continue;
    }
    visit({ name: m[1]!, close: unitAt.call(m[0], 0) === 0x2f, selfClosing: unitAt.call(s, nextGt - 1) === 0x2f, start: lt, end: nextGt + 1 });
    pos = nextGt + 1;
  }
}

/**
 * Where the next `needle` of `s` is, at or after a position that only moves forward: one indexOf
 * per occurrence. A reader that looks for the next `&` from each text run on (the XML and HTML
 * simple paths) otherwise scans to the end of a document with no `&` left once per run:
 * quadratic in the runs (most of the HTML simple path's CPU on article bodies, 2026-12).
 */
export class NextIndex {
  /** The last answer: -1 none left, -2 not looked for yet. */
  private at = -2;
  constructor(
    private readonly s: string,
    private readonly needle: string,
  ) {}
  from(pos: number): number {
    if (this.at !== -1 && this.at < pos) this.at = indexFrom.call(this.s, this.needle, pos);
    return this.at;
  }
}
