// Matching keys for what people type into queries and commands: case, accents and apostrophes
// do not matter ("Qozog'iston" = "Qozogiston", "O‘zbekiston" = "Ozbekiston"); letters of every
// script stay letters (қ ң ө ү ұ һ ә і, Chinese). The same fold is applied to the vocabulary's
// aliases, to queries and (match.ts) to the text a query is tested against, so it only has to
// be consistent, not linguistically exact. (src/commands/fold.ts re-exports these.)

const MARKS = /\p{M}/gu;
/** Invisible format characters (zero-width space and joiners, soft hyphen, direction marks and overrides) vanish: `Tokay\u200Bev` = `Tokayev`. */
const FORMAT = /\p{Cf}/gu;
/** Apostrophes of every kind vanish. */
const APOSTROPHES = /['’‘`ʻʼ´′]/g;
/** Anything that is not a letter, digit or CJK character separates words. */
const SEPARATORS = /[^\p{L}\p{N}]+/gu;

/**
 * Lower case, diacritics removed (é → e, ň → n; also й → и and ё → е in Cyrillic), apostrophes
 * dropped, every run of punctuation or space turned into one space, trimmed.
 */
export function foldKey(s: string): string {
  return s
    .normalize('NFKD')
    .replace(MARKS, '')
    .replace(FORMAT, '')
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .replace(SEPARATORS, ' ')
    .trim();
}

/** Word keys of a text (folded, split on spaces). */
export function foldWords(s: string): string[] {
  const k = foldKey(s);
  return k ? k.split(' ') : [];
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;
export function hasCjk(s: string): boolean {
  return CJK.test(s);
}
