// Word tokens of a text with their offsets and matching keys. Hyphens and punctuation separate
// tokens ("Nur-Sultan" → nur, sultan), an apostrophe inside a word does not ("O'zbekiston").
// A token's key is what `foldForMatch` makes of it (lower case, no diacritics, ё → е), with
// apostrophes dropped and the English possessive removed (`tokenKey`).
//
// This is the hottest loop of the analysis: the text is read once, through one table that
// gives each UTF-16 unit's folded form (0 for a separator), and no folded copy of the text is
// made. Keys are made lazily (`keyAt`): the phrase index first tests a hash of a token's first
// three folded units and its length (`head`), which most tokens fail, so most tokens never
// become strings.
import { foldForMatch, tokenKey } from './normalize.js';

export interface Tokens {
  /** Offsets in the text, end exclusive. */
  start: Int32Array;
  end: Int32Array;
  length: number;
  /** `headOf` the key (a hash of its first units and length), plus FOLDS when the key is not
   * the token's text as it stands (case, diacritics, apostrophes). */
  head: Int32Array;
  /** Keys made so far (see `keyAt`); null until one is. */
  keys: (string | undefined)[] | null;
  /** The text the tokens are in. */
  text: string;
}

/** The flag of `Tokens.head` for a key that differs from its text; HEAD_MASK takes it off. */
export const FOLDS = 1 << 30;

const APOSTROPHE = 39;

/** Per UTF-16 unit: its folded form (`foldForMatch` of it alone) when it is part of a word —
 * a letter, mark or digit, or an apostrophe (folded to '), which joins two word units — and 0
 * for a separator. Filled as units are met (UNKNOWN until then): a text uses a few hundred of
 * the 65,536, and filling all of them would cost every process start a few tens of ms. */
const UNKNOWN = 0xffff;
const FOLDED = new Uint16Array(0x10000).fill(UNKNOWN);
const WORD = /[\p{L}\p{M}\p{N}]/u;

function foldedOf(c: number): number {
  let v = 0;
  if (c < 0xd800 || c > 0xdfff) {
    const f = foldForMatch(String.fromCharCode(c));
    if (f.length === 1 && (f === "'" || WORD.test(f))) v = f.charCodeAt(0);
  }
  FOLDED[c] = v; // U+FFFF itself is no word unit: 0 is its value too
  return v;
}

/** Size of the prefilter's hash space: 2^18 bits, 32 KB as a bitmap, small enough to stay in
 * cache (the look-up is made for every token). */
export const HEAD_BITS = 1 << 18;
export const HEAD_MASK = HEAD_BITS - 1;

/** Lengths at and above this share one class in the prefilter hash. */
export const LONG = 15;

/** A small-integer hash of a key's first three units and its length class (a prefilter:
 * collisions only cost a look-up). Keys shorter than three units hash as if their missing
 * units were 0. */
export function headHash(c0: number, c1: number, c2: number, len: number): number {
  return (((c0 * 31 + c1) * 31 + c2) * 31 + (len < LONG ? len : LONG)) & (HEAD_BITS - 1);
}

/** The prefilter hash of a key. */
export function headOf(key: string, len = key.length): number {
  return headHash(key.charCodeAt(0), key.length > 1 ? key.charCodeAt(1) : 0, key.length > 2 ? key.charCodeAt(2) : 0, len);
}

/** Tokens of `text` (any case: keys are folded; folded text gives the same tokens). */
export function tokenize(text: string): Tokens {
  const n = text.length;
  let start = new Int32Array(Math.max(16, n >> 2));
  let end = new Int32Array(start.length);
  let head = new Int32Array(start.length);
  // Keys of tokens with an apostrophe, made now (their length differs from the token's).
  let early: [number, string][] | null = null;
  let count = 0;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    let f = FOLDED[c]!;
    if (f === UNKNOWN) f = foldedOf(c);
    if (f === 0 || f === APOSTROPHE) {
      i++;
      continue;
    }
    const s = i;
    let changed = f !== c;
    let apos = false;
    const c0 = f;
    let c1 = 0;
    let c2 = 0;
    let len = 1;
    for (;;) {
      i++;
      if (i >= n) break;
      c = text.charCodeAt(i);
      f = FOLDED[c]!;
      if (f === UNKNOWN) f = foldedOf(c);
      if (f === 0) break;
      if (f === APOSTROPHE) {
        // An apostrophe between word units continues the word.
        let next = i + 1 < n ? FOLDED[text.charCodeAt(i + 1)]! : 0;
        if (next === UNKNOWN) next = foldedOf(text.charCodeAt(i + 1));
        if (next === 0 || next === APOSTROPHE) break;
        apos = true;
        continue;
      }
      if (f !== c) changed = true;
      if (len === 1) c1 = f;
      else if (len === 2) c2 = f;
      len++;
    }
    if (count === start.length) {
      start = grow(start);
      end = grow(end);
      head = grow(head);
    }
    start[count] = s;
    end[count] = i;
    if (apos) {
      // The possessive and apostrophes change the key's length: make it now (rare).
      const key = tokenKey(foldForMatch(text.slice(s, i)));
      (early ??= []).push([count, key]);
      head[count] = headOf(key) | FOLDS;
    } else head[count] = headHash(c0, c1, c2, len) | (changed ? FOLDS : 0);
    count++;
  }
  let keys: (string | undefined)[] | null = null;
  if (early) {
    keys = new Array<string | undefined>(count);
    for (const [k, key] of early) keys[k] = key;
  }
  return { start, end, length: count, head, keys, text };
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** The matching key of token `i`. */
export function keyAt(t: Tokens, i: number): string {
  let k = t.keys?.[i];
  if (k === undefined) {
    k = t.text.slice(t.start[i]!, t.end[i]!);
    if ((t.head[i]! & FOLDS) !== 0) k = foldForMatch(k);
    (t.keys ??= new Array<string | undefined>(t.length))[i] = k;
  }
  return k;
}

/** Every key, in order (for tests and tools; the matcher uses `keyAt`). */
export function allKeys(t: Tokens): string[] {
  const out: string[] = [];
  for (let i = 0; i < t.length; i++) out.push(keyAt(t, i));
  return out;
}
