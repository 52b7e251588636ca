// Sentence splitting: paragraphs by line breaks, sentences by Intl.Segmenter (which handles
// Chinese 。！？), then re-joined where the segmenter broke after an abbreviation or an initial
// ("Mr.", "Gen.", "U.S.", "К.-Ж.", "т.е."), which it does because it applies no exceptions.

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

const segmenters = new Map<string, Intl.Segmenter>();
function segmenter(lang: string): Intl.Segmenter {
  let s = segmenters.get(lang);
  if (!s) {
    s = new Intl.Segmenter(lang === 'und' ? 'en' : lang, { granularity: 'sentence' });
    segmenters.set(lang, s);
  }
  return s;
}

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

function isLetter(ch: string | undefined): boolean {
  return ch !== undefined && ch.toLowerCase() !== ch.toUpperCase();
}

/** True when the segmenter's break between `prev` and `next` is not a sentence end. Written
 * as a scan from the end: a regex anchored at $ retries from every position. */
function glued(prev: string, next: string): boolean {
  let e = prev.length - 1;
  while (e >= 0 && /\s/.test(prev[e]!)) e--;
  if (e < 0 || prev[e] !== '.') return false;
  let j = e - 1;
  while (j >= 0 && (isLetter(prev[j]) || prev[j] === '-')) j--;
  const word = prev.slice(j + 1, e).replace(/^-+/, '');
  if (word.length === 0) return false;
  const lowerNext = /^\s*\p{Ll}/u.test(next);
  if (word.length === 1 && isLetter(word)) {
    // An initial ("J.", "К.-Ж.") or the end of an initialism ("U.S.", "e.g."): glued, unless
    // an initialism is followed by a word that starts sentences.
    const initialism = j >= 0 && prev[j] === '.';
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

/** Non-blank lines of `text` (feeds and `htmlToText` put one paragraph on a line). */
export function splitParagraphs(text: string): Paragraph[] {
  const out: Paragraph[] = [];
  const re = /[^\n\r\u2028\u2029]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) if (/\S/.test(m[0])) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

/**
 * Sentences split on demand, paragraph by paragraph: most articles need only their first
 * sentences (title, lead, summary); all of them are split only when framing needs them.
 * Indexes are the same as `splitSentences` gives.
 */
export class LazySentences {
  readonly paragraphs: Paragraph[];
  private readonly done: Sentence[] = [];
  private nextPara = 0;
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

  /** Splits one more sentence; false at the end of the text. */
  private advance(): boolean {
    for (;;) {
      if (this.current) {
        const r = this.current.next();
        if (!r.done) {
          this.done.push(r.value);
          return true;
        }
        this.current = null;
      }
      if (this.nextPara >= this.paragraphs.length) return false;
      const p = this.paragraphs[this.nextPara]!;
      this.current = paragraphSentences(this.text, p.start, p.end, this.nextPara++, segmenter(this.lang));
    }
  }
}

/** The sentences of one paragraph, segmented as they are asked for (the segmenter is lazy too). */
function* paragraphSentences(text: string, base: number, end: number, para: number, seg: Intl.Segmenter): Generator<Sentence> {
  let inPara = 0;
  let curStart = -1;
  let curEnd = -1;
  const make = (): Sentence | null => {
    let s = curStart;
    let e = curEnd;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    return e > s ? { start: s, end: e, text: text.slice(s, e), para, inPara: inPara++ } : null;
  };
  for (const sg of seg.segment(text.slice(base, end))) {
    const s = base + sg.index;
    const e = s + sg.segment.length;
    // Only the end of the previous sentence matters.
    if (curStart >= 0 && glued(text.slice(Math.max(curStart, curEnd - 40), curEnd), sg.segment)) {
      curEnd = e;
      continue;
    }
    if (curStart >= 0) {
      const done = make();
      if (done) yield done;
    }
    curStart = s;
    curEnd = e;
  }
  if (curStart >= 0) {
    const done = make();
    if (done) yield done;
  }
}
