// Text normalisation for matching. `foldForMatch` keeps the string length, so offsets found in
// the folded text are offsets in the original (evidence quotes are cut from the original).

/** Per-UTF-16-unit fold table: lower case, Latin diacritics removed, ё→е, apostrophes and
 * hyphens unified. Built once from Unicode data rather than a hand list of accents. */
const FOLD = new Map<string, string>();
(function buildFold() {
  const ranges: [number, number][] = [
    [0x00c0, 0x024f], // Latin-1 Supplement letters, Latin Extended-A/B
    [0x1e00, 0x1eff], // Latin Extended Additional
  ];
  for (const [lo, hi] of ranges) {
    for (let c = lo; c <= hi; c++) {
      const ch = String.fromCharCode(c);
      const base = ch.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      if (base.length === 1 && base !== ch) FOLD.set(ch, base);
    }
  }
  const extra: Record<string, string> = {
    ß: 's', ø: 'o', Ø: 'o', ł: 'l', Ł: 'l', đ: 'd', Đ: 'd', ı: 'i', æ: 'a', Æ: 'a', œ: 'o', Œ: 'o',
    ё: 'е', Ё: 'е',
    'ʻ': "'", '’': "'", '‘': "'", '`': "'", 'ʼ': "'", '′': "'", '´': "'", 'ʹ': "'",
    '\u2010': '-', '\u2011': '-',
  };
  for (const [k, v] of Object.entries(extra)) FOLD.set(k, v);
})();
const FOLD_RE = /[\u00c0-\u024f\u1e00-\u1effёЁʻ’‘`ʼ′´ʹ\u2010\u2011]/g;

/** Lower-cased, diacritic-folded copy of `text` with exactly the same length. */
export function foldForMatch(text: string): string {
  let lower = text.toLowerCase();
  if (lower.length !== text.length) {
    // A few characters lower-case to two units (İ → i̇); fall back to unit-by-unit.
    let s = '';
    for (let i = 0; i < text.length; i++) {
      const l = text[i]!.toLowerCase();
      s += l.length === 1 ? l : text[i]!;
    }
    lower = s;
  }
  FOLD_RE.lastIndex = 0;
  if (!FOLD_RE.test(lower)) return lower;
  FOLD_RE.lastIndex = 0;
  return lower.replace(FOLD_RE, (ch) => FOLD.get(ch) ?? ch);
}

/** Matching key of a phrase or token written in data files: folded, apostrophes removed,
 * English possessive dropped. Hyphens and spaces separate tokens (see tokenize). */
export function tokenKey(folded: string): string {
  if (folded.indexOf("'") < 0) return folded;
  let t = folded;
  if (t.endsWith("'s")) t = t.slice(0, -2);
  return t.replace(/'/g, '');
}
