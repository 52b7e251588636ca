// Text normalisation for story matching: content-word stems, numbers, dates, name-like words and
// a script-neutral "skeleton" of names for matching across Latin and Cyrillic.
// Written by hand: no installed package stems Russian or transliterates, and the needs are narrow
// (terms only have to be equal across two reports of one event, not linguistically right).
import { termHash, TermTally } from './term-tally.js';
import { numberUnit, scaleOf } from './numerals.js';
import { pureCharMemo, pureHashedSliceMemo, pureMemo, SLICE_HASH_SEED, sliceHashStep } from '../memo.js';

/** `String.prototype.charCodeAt` (through `.call`: see memo.ts `unitAt`, why not `text.charCodeAt`). */
const unitAt: (this: string, i: number) => number = String.prototype.charCodeAt;
import { isStopword } from './stopwords.js';
import { isMonthOrWeekday, MONTHS, monthOf } from './figures.js';

export { hanNameRuns } from './han-latin.js';
export { TermTally } from './term-tally.js';
export { hanDates, isMonthOrWeekday, numbers, numericDates, scaledNumbers, withoutNumericDates } from './figures.js';

const HAN_RE = /\p{Script=Han}/u;
const HAN_RUN_RE = /\p{Script=Han}+/gu;
const CYRILLIC_RE = /\p{Script=Cyrillic}/u;
const DIGIT_RE = /\p{N}/u;

/** A word of the text with its position facts, in order. */
export interface Token {
  /** The word as written. */
  raw: string;
  /** Lower-cased, ё→е, possessive 's dropped. */
  lower: string;
  /** First token of its sentence (capitalisation says nothing there). */
  sentenceStart: boolean;
  /** What the feature functions ask of the word, once per distinct word (`wordOf`). */
  word: Word;
}

/**
 * The facts about a word as written that the feature functions ask for every token (each what
 * the function named computes for it): worked out once per distinct word and memoised, so a token
 * costs one memo look-up instead of one per question and per regex. A word is also its own token
 * where it is not a sentence's first (`tokens`: no object a token; `word`: the word itself).
 */
export interface Word extends Token {
  readonly sentenceStart: false;
  readonly word: Word;
  /** The word as written (the memo's key). */
  raw: string;
  lower: string;
  /** Starts with a capital letter (UPPER_RE). */
  upper: boolean;
  /** `termOf(lower)`: the content term, HAN or null. */
  term: string | null;
  /** term-tally.ts `termHash(term)` (0 when `term` is HAN or null). */
  termHash: number;
  /** The month `datesOf` reads in it (`may` and `mar` too), or undefined. */
  month: number | undefined;
  /** A name word by its own letters (`nameWordsOf` before its sentence-start rule). */
  nameLike: boolean;
  /** `numberUnit(lower)`: its value as a number word, or undefined (numerals.ts). */
  unit: number | undefined;
  /** `scaleOf(lower)`: its factor as a scale word, or undefined (numerals.ts). */
  scale: number | undefined;
  /** names.ts `crossScriptNames`: whether a name may start at the word (capitalised, or "von"/"фон")… */
  nameStart: boolean;
  /** …and the word's key there (`stem` of `lower` without apostrophes). */
  nameStem: string;
  /** For a `nameLike` word (else ''): its name key `n:` + `nameKey(lower)`, its `nameSkeleton(lower)`, and `x:` + that. */
  nKey: string;
  skeleton: string;
  xKey: string;
}

/**
 * Splits text into word tokens, marking sentence starts (after . ! ? … or a line break). The words
 * are the matches of /[\p{L}\p{M}\p{N}]+(?:['’]\p{L}+)?/gu (a run of letters, marks and digits, with an
 * apostrophe and letters after it: "don't", "Tokayev's"), found by a scan over the text's characters instead of `matchAll`: one
 * per word of every article clustered, the regex's match objects were a good part of the features'
 * allocation (test/unit/story/text.test.ts compares both on random text).
 */
export function tokens(text: string): Token[] {
  const n = text.length;
  // room for a word every ~5 characters (the bench's: ~7), trimmed at the end (grown by `push`, its
  // copies were ~3 times its size: ~10 KB an article, `npx tsx bench/story-features.ts --alloc`)
  const out = new Array<Token>((n >> 2) - (n >> 4) + 8);
  let count = 0;
  // One pass. The gap between two words is read for a sentence break as it is skipped: a line
  // break, one of . ! ? … : ; and quotes followed by a space, or . ! ? … right before the next word
  // (the regex /[.!?…:;"“”«»]\s|[.!?…]$|\n/ over the gap, on code units: a word character is
  // never a space, so "followed by a space" may look past the gap's end). A word's units are
  // hashed for the word memo as they are scanned, so the memo reads a word again only to compare
  // it with the one it holds.
  let start = true;
  // the gap's last unit so far is . ! ? … (a sentence ends right before the next word)
  let endLast = false;
  let i = 0;
  while (i < n) {
    let c = unitAt.call(text, i);
    let k = c < 0xd800 || c > 0xdfff ? unitClass(c) : classAt(text, i);
    if ((k & WORD) === 0) {
      const end = c === 0x2e || c === 0x21 || c === 0x3f || c === 0x2026; // . ! ? …
      if (c === 0x0a || ((end || c === 0x3a || c === 0x3b || c === 0x22 || c === 0x201c || c === 0x201d || c === 0xab || c === 0xbb) && i + 1 < n && isSpaceUnit(unitAt.call(text, i + 1)))) start = true;
      endLast = end;
      i += k & PAIR ? 2 : 1;
      continue;
    }
    const from = i;
    let h = SLICE_HASH_SEED;
    for (;;) {
      h = sliceHashStep(h, c);
      if (k & PAIR) h = sliceHashStep(h, unitAt.call(text, ++i));
      if (++i >= n) break;
      c = unitAt.call(text, i);
      k = c < 0xd800 || c > 0xdfff ? unitClass(c) : classAt(text, i);
      if ((k & WORD) === 0) break;
    }
    // an apostrophe and letters after it end the word: ['’]\p{L}+
    if (i + 1 < n && (c === 0x27 || c === 0x2019) && classAt(text, i + 1) & LETTER) {
      h = sliceHashStep(h, c);
      i++;
      for (;;) {
        c = unitAt.call(text, i);
        k = c < 0xd800 || c > 0xdfff ? unitClass(c) : classAt(text, i);
        if ((k & LETTER) === 0) break;
        h = sliceHashStep(h, c);
        if (k & PAIR) h = sliceHashStep(h, unitAt.call(text, ++i));
        if (++i >= n) break;
      }
    }
    const w = wordAt(text, from, i, h);
    // a word mid-sentence is its own token (memoised, read-only: nothing is made a token; a token
    // object each was a fifth of the features' allocation, `npx tsx bench/story-features.ts --alloc`)
    out[count++] = start || endLast ? new StartToken(w) : w;
    start = false;
    endLast = false;
  }
  out.length = count;
  return out;
}

/** A sentence's first token as `tokens` makes them (the others are their `Word`s). */
class StartToken implements Token {
  readonly raw: string;
  readonly lower: string;
  readonly sentenceStart = true;
  constructor(readonly word: Word) {
    this.raw = word.raw;
    this.lower = word.lower;
  }
}

/** Character classes of `tokens`' scan: a word character (\p{L}, \p{M}, \p{N}), a letter (\p{L}); PAIR: a surrogate pair (two code units). */
const WORD = 1;
const LETTER = 2;
const PAIR = 4;
const WORD_CHAR_RE = /^[\p{L}\p{M}\p{N}]$/u;
const LETTER_RE = /^\p{L}$/u;

function classOf(ch: string): number {
  return (WORD_CHAR_RE.test(ch) ? WORD : 0) | (LETTER_RE.test(ch) ? LETTER : 0);
}

/** The class of a code unit outside the surrogates, remembered (src/core/memo.ts). */
const unitClass = pureCharMemo((c) => classOf(String.fromCharCode(c)));

/** The class of the character (code point) at `i`: a lone surrogate is none, as in a /u regex. */
function classAt(text: string, i: number): number {
  const c = unitAt.call(text, i);
  if (c < 0xd800 || c > 0xdfff) return unitClass(c);
  if (c <= 0xdbff && i + 1 < text.length) {
    const d = unitAt.call(text, i + 1);
    // an astral character (rare in news: uncached)
    if (d >= 0xdc00 && d <= 0xdfff) return PAIR | classOf(text.slice(i, i + 2));
  }
  return 0;
}

/** Whether a code unit is white space as a regex's \s reads it. */
function isSpaceUnit(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Lower-cased, ё→е, possessive 's dropped (memoised: news text repeats its words). */
function lowerUncached(raw: string): string {
  let lower = raw.toLowerCase();
  if (lower.includes('ё')) lower = lower.replace(/ё/gu, 'е');
  if (lower.includes("'") || lower.includes('’')) lower = lower.replace(/['’](s|es)?$/u, '');
  return lower;
}

function wordUncached(raw: string): Word {
  const lower = lowerUncached(raw);
  const upper = UPPER_RE.test(raw);
  const month = monthOf(lower) ?? (lower === 'may' || lower === 'mar' ? MONTHS[lower] : undefined);
  const nameLike = upper && lower.length >= 2 && !DIGIT_RE.test(lower) && !isStopword(lower) && !isMonthOrWeekday(lower);
  const first = raw.charAt(0);
  const skeleton = nameLike ? nameSkeleton(lower) : '';
  const term = termOf(lower);
  const w = {
    raw,
    lower,
    upper,
    term,
    termHash: term === null || term === HAN ? 0 : termHash(term),
    month,
    nameLike,
    unit: numberUnit(lower),
    scale: scaleOf(lower),
    nameStart: first !== first.toLowerCase() || lower === 'von' || lower === 'фон',
    nameStem: stem(lower.replace(/['’]/gu, '')),
    nKey: nameLike ? `n:${nameKey(lower)}` : '',
    skeleton,
    xKey: nameLike ? `x:${skeleton}` : '',
    sentenceStart: false as const,
    word: null as unknown as Word,
  };
  w.word = w;
  return w;
}

// Memos of the pure word functions (src/core/memo.ts: why core may keep these).
const CACHE_MAX = 50_000;
/** The word text[from, to) (`wordUncached` of it), found by its hash without slicing it out (memo.ts pureHashedSliceMemo). */
const wordAt = pureHashedSliceMemo(wordUncached, CACHE_MAX);
const stemMemo = pureMemo(stemUncached, CACHE_MAX);
const skeletonMemo = pureMemo(skeletonOf, CACHE_MAX);

// Russian inflectional endings, longest first. Stripping leaves at least three letters.
const RU_ENDINGS = [
  'иями', 'ями', 'ами', 'ого', 'его', 'ому', 'ему', 'ыми', 'ими', 'ией', 'ией', 'иях', 'ях', 'ах',
  'ов', 'ев', 'ей', 'ой', 'ый', 'ий', 'ая', 'яя', 'ое', 'ее', 'ые', 'ие', 'ую', 'юю', 'ом', 'ем',
  'ым', 'им', 'ых', 'их', 'ию', 'ия', 'ие', 'ии', 'ью', 'ть', 'ся', 'сь', 'а', 'я', 'о', 'е', 'ы',
  'и', 'у', 'ю', 'ь', 'й',
];
const RU_STEM_MAX = 6;
const EN_STEM_MAX = 8;

/** A light stemmer: Russian endings off and cut to 6 letters; English plural and -ing/-ed off, cut to 8. */
export function stem(lower: string): string {
  return stemMemo(lower);
}

function stemUncached(lower: string): string {
  if (CYRILLIC_RE.test(lower)) {
    let w = lower;
    // reflexive verb suffix first, then one inflectional ending
    if (w.length > 5 && (w.endsWith('ся') || w.endsWith('сь'))) w = w.slice(0, -2);
    for (const e of RU_ENDINGS) {
      if (w.length - e.length >= 3 && w.endsWith(e)) {
        w = w.slice(0, -e.length);
        break;
      }
    }
    return w.slice(0, RU_STEM_MAX);
  }
  let w = lower;
  if (w.length > 4) {
    if (w.endsWith('ies')) w = w.slice(0, -3) + 'y';
    else if (w.endsWith('sses')) w = w.slice(0, -2);
    else if (w.endsWith('s') && !/(ss|us|is)$/u.test(w)) w = w.slice(0, -1);
  }
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w.slice(0, EN_STEM_MAX);
}

/** Content terms of a text: stems of non-stopwords (two letters or more), Chinese as character bigrams. */
export function contentTerms(text: string): string[] {
  return contentTermsOf(tokens(text));
}

/**
 * Counts the content terms of `toks` as `contentTermsOf` lists them, the first `limit` of them,
 * into `counts` (in first-seen order), without the list in between.
 */
export function countTermsOf(toks: readonly Token[], counts: TermTally, limit = Infinity): void {
  let n = 0;
  for (let i = 0; i < toks.length && n < limit; i++) {
    const t = toks[i]!;
    const term = t.word.term;
    if (term === null) continue;
    if (term !== HAN) {
      counts.add(term, 1, t.word.termHash);
      n++;
      continue;
    }
    for (const run of t.raw.match(HAN_RUN_RE) ?? []) {
      for (const b of hanBigrams(run)) {
        if (n >= limit) return;
        counts.add(b, 1);
        n++;
      }
    }
  }
}

export function contentTermsOf(toks: readonly Token[]): string[] {
  const out: string[] = [];
  for (const t of toks) {
    const term = t.word.term;
    if (term === HAN) {
      for (const run of t.raw.match(HAN_RUN_RE) ?? []) out.push(...hanBigrams(run));
    } else if (term !== null) out.push(term);
  }
  return out;
}

/** Marks a word with Chinese characters in termOf (they make bigrams, not one term). */
const HAN = '\u0000han';

/** The term a word contributes (its lower-case form: Chinese characters have no case): HAN, a stem or null. */
const termOf = pureMemo((lower: string): string | null => (HAN_RE.test(lower) ? HAN : contentTermUncached(lower)), CACHE_MAX);

/** The stem a (non-Chinese) word contributes, or null. */
function contentTermUncached(lower: string): string | null {
  if (DIGIT_RE.test(lower)) return null; // numbers are their own feature
  if (lower.length < 2 || isStopword(lower)) return null;
  const s = stem(lower);
  return s.length >= 2 ? s : null;
}

export function hanBigrams(run: string): string[] {
  const chars = Array.from(run);
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

// ── numbers and dates ── (the pure string parts are in figures.ts)

/** Calendar dates mentioned as day + month ("26 April", "April 26", "26 апреля") → "MM-DD". */
export function dates(text: string): string[] {
  return datesOf(tokens(text));
}

export function datesOf(toks: readonly Token[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    const m = toks[i]!.word.month;
    if (m === undefined) continue;
    // "26-го апреля", "the 26th of April": the day one word further off
    const prev = DAY_FILLERS.has(toks[i - 1]?.lower ?? '') ? toks[i - 2]?.lower : toks[i - 1]?.lower;
    const next = toks[i + 1]?.lower;
    const day = [prev, next].map((x) => (x && /^\d{1,2}(st|nd|rd|th)?$/u.test(x) ? parseInt(x, 10) : NaN)).find((d) => d >= 1 && d <= 31);
    if (day !== undefined) out.push(`${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
  }
  return out;
}

const DAY_FILLERS = new Set(['го', 'of']);

// ── names ──

const UPPER_RE = /^\p{Lu}/u;

/**
 * Name-like words: capitalised words that are not stopwords, months or weekdays. A word at the
 * start of a sentence counts only when the same word is also capitalised mid-sentence somewhere
 * in the text (so "The", "Police" at sentence start are not names). Returned lower-cased.
 */
export function nameWords(text: string): string[] {
  return nameWordsOf(tokens(text));
}

/** `nameWordsOf`, as the words themselves (their `Word`s: `lower` is what `nameWordsOf` lists). */
export function nameTokenWordsOf(toks: readonly Token[]): Word[] {
  const midCaps = new Set<string>();
  for (const t of toks) if (!t.sentenceStart && t.word.upper) midCaps.add(t.lower);
  const out: Word[] = [];
  for (const t of toks) {
    if (!t.word.nameLike) continue;
    if (t.sentenceStart && !midCaps.has(t.lower)) continue;
    out.push(t.word);
  }
  return out;
}

export function nameWordsOf(toks: readonly Token[]): string[] {
  const midCaps = new Set<string>();
  for (const t of toks) if (!t.sentenceStart && t.word.upper) midCaps.add(t.lower);
  const out: string[] = [];
  for (const t of toks) {
    if (!t.word.nameLike) continue;
    if (t.sentenceStart && !midCaps.has(t.lower)) continue;
    out.push(t.lower);
  }
  return out;
}

// Latin letters for Cyrillic (Russian and the Kazakh/Kyrgyz/Tajik additions), close to common
// English news spellings so "Токаев" and "Tokayev" meet in `nameSkeleton`.
const TRANSLIT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k',
  л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts',
  ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', ә: 'a', ғ: 'g',
  қ: 'k', ң: 'n', ө: 'o', ұ: 'u', ү: 'u', һ: 'h', і: 'i', ӣ: 'i', ӯ: 'u', ҷ: 'j', ҳ: 'h',
};

export function transliterate(lower: string): string {
  let out = '';
  for (const ch of lower) out += TRANSLIT[ch] ?? ch;
  return out.normalize('NFD').replace(/\p{M}/gu, '');
}

/**
 * A script-neutral key for a name word: Russian case ending off, transliterated, spelling
 * variants folded (kh→h, gh→g, w→v, j/zh/z→j, r→l, doubled letters), then the first letter and the next
 * three consonants. "Токаева", "Tokayev" → "tkv"; "Fitzpatrick" → "ftzp". Coarse by design:
 * it is only compared across languages, weighted by rarity.
 */
export function nameSkeleton(lower: string): string {
  // memoised like lowerOf (a pure function of the word; names recur article after article, and
  // the story assigner runs it on every capitalised word: a twentieth of its CPU)
  return skeletonMemo(lower);
}

function skeletonOf(lower: string): string {
  let w = lower;
  if (CYRILLIC_RE.test(w)) {
    for (const e of ['ыми', 'ими', 'ого', 'ому', 'ой', 'ым', 'им', 'ом', 'ем', 'ах', 'ях', 'ов', 'ев', 'а', 'я', 'у', 'ю', 'е', 'ы', 'и']) {
      if (w.length - e.length >= 4 && w.endsWith(e) && !(e === 'ов' || e === 'ев')) {
        w = w.slice(0, -e.length);
        break;
      }
    }
    w = transliterate(w);
  } else {
    w = transliterate(w);
  }
  w = w
    .replace(/[^a-z]/gu, '')
    .replace(/kh/gu, 'h')
    // Tajik ғ: English spellings write "gh" (Gharm, Ghafurov), Russian г (Гарм, Гафуров); not
    // after n, where pinyin's -ng meets an h- syllable (Fenghe = Фэнхэ)
    .replace(/(?<!n)gh/gu, 'g')
    .replace(/zh|dzh|dj/gu, 'j')
    .replace(/ck/gu, 'k')
    .replace(/w/gu, 'v')
    .replace(/q/gu, 'k')
    .replace(/x/gu, 'ks')
    // Russian writes Chinese syllables in the Palladius system, without pinyin's final g
    // ("Фэнхэ" for "Fenghe"): -ng and -n fold together.
    .replace(/ng/gu, 'n')
    // Chinese has no r: it writes Р and R with l-syllables (鲁斯兰 "Ruslan", 拉赫蒙 "Rahmon"), and
    // one z-syllable (扎) for both За and Жа: r/l and z/j fold in every script, so a name's
    // Chinese, Cyrillic and Latin forms keep one skeleton (a rule, no per-name table).
    .replace(/r/gu, 'l')
    .replace(/z/gu, 'j')
    .replace(/(.)\1+/gu, '$1');
  if (!w) return '';
  const first = w[0]!;
  const cons = w.slice(1).replace(/[aeiouy]/gu, '');
  return (first + cons).slice(0, 4);
}

/** Letters of a script decide the language family when no language is given. */
export function scriptLanguage(text: string): 'ru' | 'zh' | 'en' {
  let cyr = 0;
  let han = 0;
  let lat = 0;
  for (const ch of text.slice(0, 2000)) {
    if (CYRILLIC_RE.test(ch)) cyr++;
    else if (HAN_RE.test(ch)) han++;
    else if (/[A-Za-z]/u.test(ch)) lat++;
  }
  if (han > lat && han > cyr / 2) return 'zh';
  if (cyr > lat) return 'ru';
  return 'en';
}

/**
 * The text's first sentence (up to . ! ? … before a space, 。！？, or a line break), skipping
 * pieces of fewer than four words (of letters): a dateline or a byline ("27 Apr 2022 10:12 am") is no lead.
 */
export function firstSentence(text: string): string {
  let t = text.trimStart();
  for (;;) {
    const m = /[.!?…](?=\s|$)|[。！？]|\n/u.exec(t);
    if (!m) return t.trim();
    const piece = t.slice(0, m.index + 1).trim();
    const words = piece.match(/\p{L}+/gu)?.length ?? 0; // words with letters: figures and times do not count
    if (words >= 4 || HAN_RE.test(piece)) return piece;
    t = t.slice(m.index + 1).trimStart();
  }
}

/**
 * The key of a name word: its stem without the length cut of content words (a Russian case ending
 * off, "Токаева" → "токаев"), so two long names with one beginning stay two names
 * ("Мирзягджибозек", "Мирзяггафозек"); English names as `stem` gives them.
 */
export function nameKey(lower: string): string {
  if (!CYRILLIC_RE.test(lower)) return stem(lower);
  for (const e of NAME_ENDINGS) if (lower.length - e.length >= 4 && lower.endsWith(e)) return lower.slice(0, -e.length);
  return lower;
}

/** Case endings of Russian names (not the surname suffixes -ов/-ев: "Токаев" is the name itself). */
const NAME_ENDINGS = ['ыми', 'ими', 'ого', 'ому', 'ой', 'ым', 'им', 'ом', 'ем', 'ах', 'ях', 'а', 'я', 'у', 'ю', 'е', 'ы', 'и'];
