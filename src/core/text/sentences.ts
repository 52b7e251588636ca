// Sentence splitting: paragraphs by line breaks, sentences by Intl.Segmenter (which handles
// Chinese 。！？), then re-joined where the segmenter broke after an abbreviation or an initial
// ("Mr.", "Gen.", "U.S.", "К.-Ж.", "т.е."), which it does because it applies no exceptions.
import { pureMemo } from '../memo.js';

export interface Sentence {
  /** Offsets in the text the sentences were split from; text = source.slice(start, end). */
  start: number;
  end: number;
  text: string;
  /** Paragraph index (0-based; a paragraph is a run of non-empty lines' worth of text). */
  para: number;
  /** Index of the sentence within its paragraph. */
  inPara: number;
}

/** A sentence segmenter per language (memoised, src/core/memo.ts: a segmenter keeps no state between `segment` calls). */
const segmenter = pureMemo((lang: string) => new Intl.Segmenter(lang === 'und' ? 'en' : lang, { granularity: 'sentence' }), 64);

// Abbreviations after which a period does not end a sentence (lower-cased, without the dot).
const ABBREV = new Set(
  (
    'mr mrs ms dr gen lt col maj capt cpt sgt adm gov sen rep prof st jr sr rev hon pres amb ' +
    'inc ltd co corp vs etc no nos jan feb mar apr jun jul aug sep sept oct nov dec approx est ' +
    'fig vol pp ed eds dept univ govt ' +
    'г гг ул им проф ген акад др пр тыс млн млрд руб долл см стр т тт ст обл р-н пос с д тел'
  ).split(' '),
);

const MONTHS = new Set('jan feb mar apr jun jul aug sep sept oct nov dec'.split(' '));
// Words that start sentences, so "… by the U.S. The …" still splits.
const STARTER = /^\s*(?:The|This|That|These|It|He|She|They|We|In|On|At|But|However|A|An|And|Its|His|Her|Their|Meanwhile|Earlier|Later|Он|Она|Они|Это|В|На|Но|Однако|По)\s/u;

const LETTER = /\p{L}/u;
function isLetter(ch: string | undefined): boolean {
  return ch !== undefined && LETTER.test(ch);
}

/** True when the segmenter's break between text[start, end) and `next` is not a sentence
 * end. Written as a scan back from `end` over the text: a regex anchored at $ retries from
 * every position, and slices cost allocations. */
function glued(text: string, start: number, end: number, next: string): boolean {
  let e = end - 1;
  while (e >= start && isSpace(text[e]!)) e--;
  if (e < start || text[e] !== '.') return false;
  let j = e - 1;
  while (j >= start && e - j <= 40 && (text[j] === '-' || isLetter(text[j]))) j--;
  const word = text.slice(j + 1, e).replace(/^-+/, '');
  if (word.length === 0) return false;
  const lowerNext = /^\s*\p{Ll}/u.test(next);
  if (word.length === 1 && isLetter(word)) {
    // An initial ("J.", "К.-Ж.") or the end of an initialism ("U.S.", "e.g."): glued, unless
    // an initialism is followed by a word that starts sentences.
    const initialism = j >= start && text[j] === '.';
    if (initialism) return !STARTER.test(next);
    if (word === word.toUpperCase()) return true;
    return lowerNext;
  }
  const w = word.toLowerCase();
  if (ABBREV.has(w)) {
    // "… on 5 Jan. The next day …" splits; "Jan. 5" and "Gen. Smith" do not.
    if (MONTHS.has(w) || w === 'etc' || w === 'no') return /^\s*\d/.test(next) || lowerNext;
    return true;
  }
  // A lower-case continuation is not a new sentence ("… 5 p.m. local time").
  return lowerNext;
}

/** Sentences of `text` in order; blank sentences are dropped. */
export function splitSentences(text: string, lang = 'en'): Sentence[] {
  return new LazySentences(text, lang).all();
}

export interface Paragraph {
  start: number;
  end: number;
}

/** Line breaks other than `\n` (analyzeOne turns `\r\n` and `\r` into `\n`: they are rare here). */
const OTHER_BREAK = /[\r\u2028\u2029]/;
/** Whitespace from lastIndex on: a line is blank when it reaches the line's end (`\n` is whitespace too). */
const SPACES_FROM = /\s*/y;
const indexFrom: (this: string, search: string, position?: number) => number = String.prototype.indexOf;

/**
 * Non-blank lines of `text` (feeds and `htmlToText` put one paragraph on a line). Lines found with
 * indexOf and tested with a sticky `test`, not `exec`: no match array and no line string a line
 * (~250 bytes; ~6 KB of garbage a farm article, a fifth of the analysis's: issue 16).
 */
export function splitParagraphs(text: string): Paragraph[] {
  if (OTHER_BREAK.test(text)) return splitParagraphsByRegExp(text);
  const out: Paragraph[] = [];
  for (let start = 0; start < text.length; ) {
    const nl = indexFrom.call(text, '\n', start);
    const end = nl < 0 ? text.length : nl;
    SPACES_FROM.lastIndex = start;
    SPACES_FROM.test(text);
    if (SPACES_FROM.lastIndex < end) out.push({ start, end });
    start = end + 1;
  }
  return out;
}

/** splitParagraphs for text with any of Unicode's line breaks (and the reference the test compares with). */
export function splitParagraphsByRegExp(text: string): Paragraph[] {
  const out: Paragraph[] = [];
  const re = /[^\n\r\u2028\u2029]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) if (/\S/.test(m[0])) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

/**
 * Sentences split on demand: most articles need only their first sentences (title, lead,
 * summary); all of them are split only when framing needs them. Indexes are the same as
 * `splitSentences` gives.
 *
 * The segmenter is given a few hundred characters at a time — several short paragraphs at
 * once (it breaks at line ends itself, so no sentence spans two), or a long paragraph in
 * pieces cut where it surely breaks (see `cutPoint`) — because each call costs a copy of its
 * rules, more than the sentences it then finds. A paragraph with no sentence terminator before
 * its end (a title, a short line) is one sentence without asking it.
 */
export class LazySentences {
  readonly paragraphs: Paragraph[];
  private readonly done: Sentence[] = [];
  private current: Iterator<Sentence> | null = null;

  constructor(
    readonly text: string,
    readonly lang: string,
  ) {
    this.paragraphs = splitParagraphs(text);
  }

  /** Sentence `i`, or undefined past the end. */
  get(i: number): Sentence | undefined {
    while (this.done.length <= i && this.advance());
    return this.done[i];
  }

  all(): Sentence[] {
    while (this.advance());
    return this.done;
  }

  /** The sentences of paragraphs 0..`para` (a prefix of `all()`, with the same indexes). */
  throughParagraph(para: number): Sentence[] {
    while ((this.done.length === 0 || this.done[this.done.length - 1]!.para <= para) && this.advance());
    let n = this.done.length;
    while (n > 0 && this.done[n - 1]!.para > para) n--;
    return this.done.slice(0, n);
  }

  /** Splits one more sentence; false at the end of the text. */
  private advance(): boolean {
    this.current ??= sentencesOf(this.text, this.paragraphs, segmenter(this.lang));
    const r = this.current.next();
    if (r.done) return false;
    this.done.push(r.value);
    return true;
  }
}

/** Characters given to the segmenter at a time (at least; whole paragraphs or up to a cut). */
const CHUNK = 400;
const CJK_STOP = /[。！？]/;

/**
 * Where a paragraph can be cut for the segmenter without changing its sentences: the start of
 * a word that follows ". ", "! " or "? " (closing quotes and brackets allowed) and begins with
 * a capital letter, or the character after 。！？. The segmenter (Unicode sentence rules, no
 * exceptions) always breaks there, and its decisions before and after such a point do not
 * depend on the other side. -1 when there is none in [from, end).
 */
function cutPoint(text: string, from: number, end: number): number {
  for (let i = from; i < end - 2; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 46 || ch === 33 || ch === 63) {
      let j = i + 1;
      while (j < end && CLOSERS.has(text[j]!)) j++;
      const sp = j;
      while (j < end && (text[j] === ' ' || text[j] === '\t')) j++;
      if (j > sp && j < end && isUpperStart(text[j]!)) return j;
    } else if (ch >= 0x3000 && CJK_STOP.test(text[i]!)) {
      let j = i + 1;
      while (j < end && CLOSERS.has(text[j]!)) j++;
      if (j < end) return j;
    }
  }
  return -1;
}
const CLOSERS = new Set(['"', "'", '”', '’', '»', ')', ']', '」', '』', '）']);
function isUpperStart(ch: string): boolean {
  return ch !== ch.toLowerCase();
}

// Characters that can end a sentence (the segmenter's STerm and ATerm), and what may follow
// the last one of a paragraph that is a single sentence.
const TERMINAL = /\p{Sentence_Terminal}/u;
const TAIL = /^[\p{Sentence_Terminal}\p{Pf}\p{Pe}"'\s]*$/u;

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\u00a0' || (ch > '\u007f' && /\s/.test(ch));
}

/** The sentences of the text, paragraph by paragraph, segmented as they are asked for. */
function* sentencesOf(text: string, paragraphs: Paragraph[], seg: Intl.Segmenter): Generator<Sentence> {
  let para = 0;
  let inPara = 0;
  let curStart = -1;
  let curEnd = -1;
  let curPara = -1;
  const make = (): Sentence | null => {
    let s = curStart;
    let e = curEnd;
    while (s < e && isSpace(text[s]!)) s++;
    while (e > s && isSpace(text[e - 1]!)) e--;
    if (curPara !== para) {
      para = curPara;
      inPara = 0;
    }
    return e > s ? { start: s, end: e, text: text.slice(s, e), para: curPara, inPara: inPara++ } : null;
  };
  let p = 0;
  while (p < paragraphs.length) {
    const first = paragraphs[p]!;
    // One paragraph without a terminator before its end: one sentence.
    const body = text.slice(first.start, first.end);
    const term = TERMINAL.exec(body);
    if (term === null || TAIL.test(body.slice(term.index))) {
      if (curStart >= 0) {
        const done = make();
        if (done) yield done;
      }
      curStart = first.start;
      curEnd = first.end;
      curPara = p;
      p++;
      continue;
    }
    // A chunk: whole paragraphs up to CHUNK characters, or a long paragraph up to a cut.
    let from = first.start;
    let q = p;
    let to = first.end;
    if (first.end - first.start > 2 * CHUNK) {
      q = p + 1;
      for (;;) {
        const cut = cutPoint(text, from + CHUNK, first.end);
        const end = cut > 0 && first.end - cut > CHUNK / 2 ? cut : first.end;
        yield* segmentRange(from, end, p);
        if (end >= first.end) break;
        from = end;
      }
      p = q;
      continue;
    }
    while (q + 1 < paragraphs.length && paragraphs[q + 1]!.end - from <= CHUNK && paragraphs[q + 1]!.end - paragraphs[q + 1]!.start <= 2 * CHUNK) q++;
    to = paragraphs[q]!.end;
    yield* segmentRange(from, to, p);
    p = q + 1;
  }
  if (curStart >= 0) {
    const done = make();
    if (done) yield done;
  }

  /** Segments text[from, to) (paragraphs from index `p0`), gluing breaks after abbreviations. */
  function* segmentRange(from: number, to: number, p0: number): Generator<Sentence> {
    let pi = p0;
    for (const sg of seg.segment(text.slice(from, to))) {
      const s = from + sg.index;
      const e = s + sg.segment.length;
      while (pi + 1 < paragraphs.length && paragraphs[pi + 1]!.start <= s) pi++;
      // Only the end of the previous sentence matters; never across paragraphs.
      if (curStart >= 0 && curPara === pi && glued(text, Math.max(curStart, curEnd - 40), curEnd, sg.segment)) {
        curEnd = e;
        continue;
      }
      if (curStart >= 0) {
        const done = make();
        if (done) yield done;
      }
      curStart = s;
      curEnd = e;
      curPara = pi;
    }
  }
}
