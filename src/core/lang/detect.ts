// Language identification, ISO 639-1 (`und` when unknown). Script first; inside Cyrillic and
// Latin the letters only some of our languages use decide most texts at no cost, and `franc`
// (trigrams, restricted to the candidate languages and to a short sample) decides the rest.
import { franc } from 'franc';

const ISO1: Record<string, string> = {
  eng: 'en', rus: 'ru', kaz: 'kk', kir: 'ky', tgk: 'tg', uzn: 'uz', tuk: 'tk', ukr: 'uk', bel: 'be',
  bul: 'bg', srp: 'sr', mkd: 'mk', deu: 'de', fra: 'fr', spa: 'es', tur: 'tr', pol: 'pl', ces: 'cs',
  arb: 'ar', pes: 'fa', uig: 'ug', urd: 'ur', ita: 'it',
};
const CYRILLIC_CANDIDATES = ['rus', 'kaz', 'kir', 'tgk', 'uzn', 'ukr', 'bel', 'bul'];
// Other Latin-script languages are candidates too, so a German text is not called Uzbek.
const LATIN_CANDIDATES = ['eng', 'uzn', 'tuk', 'deu', 'fra', 'spa', 'ita', 'tur', 'pol', 'ces'];
const ARABIC_CANDIDATES = ['arb', 'pes', 'uig', 'urd'];
const SAMPLE = 400;
/** Cyrillic texts: the stretch over which the letters of our other languages are counted. */
const WIDE = 1500;


// Letter classes, indexed by code point − 0x400 for Cyrillic (one pass over the text counts all).
const C = { None: 0, TG: 1, UZ: 2, KK: 3, KQ: 4, KY: 5, UK: 6, RU: 7, HARD: 8, HX: 9 } as const;
type C = (typeof C)[keyof typeof C];
const CYR_CLASS = new Uint8Array(0x100);
for (const [chars, cls] of [
  ['ҷҶӣӢӯӮ', C.TG], // Tajik only
  ['ўЎ', C.UZ], // Uzbek (and Belarusian, which also has і)
  ['әӘұҰһҺіІ', C.KK], // Kazakh (і also Ukrainian/Belarusian)
  ['ғҒқҚ', C.KQ], // Kazakh, Tajik, Uzbek — not Kyrgyz
  ['ңҢөӨүҮ', C.KY], // Kyrgyz and Kazakh
  ['їЇєЄґҐ', C.UK],
  ['ыЫэЭ', C.RU],
  ['ъЪ', C.HARD],
  ['ҳҲ', C.HX], // Uzbek and Tajik
] as const)
  for (const ch of chars) CYR_CLASS[ch.charCodeAt(0) - 0x400] = cls;

interface Counts {
  han: number; kana: number; hangul: number; cyr: number; lat: number; arab: number; tkLat: number;
  cls: Int32Array;
}

function newCounts(): Counts {
  return { han: 0, kana: 0, hangul: 0, cyr: 0, lat: 0, arab: 0, tkLat: 0, cls: new Int32Array(10) };
}

/** Adds the letters of s[from, end) to `c`. */
function countScripts(s: string, from: number, end: number, c: Counts): Counts {
  const n = Math.min(end, s.length);
  for (let i = from; i < n; i++) {
    const x = s.charCodeAt(i);
    if (x < 0x80) {
      if ((x >= 65 && x <= 90) || (x >= 97 && x <= 122)) c.lat++;
    } else if (x >= 0x400 && x <= 0x4ff) {
      c.cyr++;
      const k = CYR_CLASS[x - 0x400]!;
      if (k !== 0) c.cls[k] = c.cls[k]! + 1;
    } else if (x >= 0xc0 && x <= 0x24f) {
      c.lat++;
      // Turkmen Latin: ň ý ž
      if (x === 0x148 || x === 0x147 || x === 0xfd || x === 0xdd || x === 0x17e || x === 0x17d) c.tkLat++;
    } else if ((x >= 0x4e00 && x <= 0x9fff) || (x >= 0x3400 && x <= 0x4dbf)) c.han++;
    else if (x >= 0x3040 && x <= 0x30ff) c.kana++;
    else if (x >= 0xac00 && x <= 0xd7af) c.hangul++;
    else if (x >= 0x600 && x <= 0x6ff) c.arab++;
  }
  return c;
}

/** Matches of `re` in `s`, counted up to `max`. */
function count(re: RegExp, s: string, max = Infinity): number {
  re.lastIndex = 0;
  let n = 0;
  while (n < max && re.exec(s) !== null) n++;
  return n;
}

const UZ_LAT = /(?:^|[^a-z])(?:o|g|O|G)[ʻ'’‘`ʼ]/g;
const EN_STOP = /\b(?:the|of|and|to|in|is|that|for|on|with|was|said|has|about|from|by|at|as|are|were|be|this|it|will|after|over|its|his|her|their|new)\b/gi;

function fromFranc(sample: string, only: string[]): string {
  const code = franc(sample, { only, minLength: 10 });
  return ISO1[code] ?? 'und';
}

/** ISO 639-1 code of `text` (title and text together are a good input); `hint` is used
 * only when the text says too little. */
export function detectLanguage(text: string, hint?: string): string {
  const sample = text.slice(0, SAMPLE);
  const c = countScripts(text, 0, SAMPLE, newCounts());
  const { han, cyr, lat, arab } = c;
  const letters = han + cyr + lat + arab;
  const fallback = hint && /^[a-z]{2}$/.test(hint) ? hint : 'und';
  if (letters < 3) return fallback;
  if (han >= letters * 0.3 || han >= 20) return c.kana > 0 ? 'ja' : 'zh';
  if (c.hangul > letters * 0.3) return 'ko';
  if (cyr >= lat && cyr >= arab) {
    // Letters of our other Cyrillic languages, over a longer stretch. Dense (≥ 4% of the
    // Cyrillic letters) they decide; sparse (a Kazakh name quoted in a Russian text) the
    // trigram detector decides.
    const s0 = c.cls[C.TG]! + c.cls[C.UZ]! + c.cls[C.KK]! + c.cls[C.KQ]! + c.cls[C.KY]! + c.cls[C.HX]! + c.cls[C.UK]!;
    // Plain Russian: a long sample with ы/э and none of the other letters. (Our other
    // languages show their letters within a few words; a later quotation would be sparse.)
    if (s0 === 0 && c.cls[C.RU]! > 0 && cyr >= 150) return 'ru';
    // Dense already (a Kazakh or Kyrgyz text: about one letter in ten is theirs): the sample
    // decides, the longer stretch would only confirm it.
    const w = s0 >= 12 && s0 >= 0.08 * cyr ? c : countScripts(text, SAMPLE, WIDE, { ...c, cls: c.cls.slice() });
    const k = w.cls;
    const special = k[C.TG]! + k[C.UZ]! + k[C.KK]! + k[C.KQ]! + k[C.KY]! + k[C.HX]!;
    const density = special / Math.max(1, w.cyr);
    if (k[C.UK]! >= 2 && k[C.RU]! === 0 && k[C.KQ]! + k[C.KY]! === 0) return 'uk';
    if (special > 0 && density >= 0.04) {
      if (k[C.TG]! > 0 && k[C.TG]! >= k[C.UZ]!) return 'tg';
      if (k[C.UZ]! > 0) return k[C.KK]! > 0 && k[C.KQ]! === 0 ? 'be' : 'uz';
      if (k[C.KK]! > 0 || (k[C.KQ]! > 0 && k[C.KY]! > 0)) return 'kk';
      if (k[C.KY]! > 0) return 'ky';
      if (k[C.HX]! > 0) return 'uz';
      return fromFranc(sample, ['kaz', 'tgk', 'uzn']);
    }
    if (special > 0) {
      const f = fromFranc(sample, CYRILLIC_CANDIDATES);
      return f === 'und' ? 'ru' : f;
    }
    // Cyrillic without the letters of our other languages is Russian, unless it has no ы/э
    // and many ъ (Bulgarian writes ъ as a vowel): then trigrams decide.
    if (w.cls[C.RU]! > 0 || w.cls[C.HARD]! < 3) return cyr < 10 && fallback !== 'und' ? fallback : 'ru';
    const f = fromFranc(sample, CYRILLIC_CANDIDATES);
    return f === 'und' ? 'ru' : f;
  }
  if (arab > lat) return fromFranc(sample, ARABIC_CANDIDATES);
  // Latin script.
  if (c.tkLat >= 2) return 'tk';
  if (count(UZ_LAT, sample, 2) >= 2) return 'uz';
  // English: function words (three, or one in a short text: franc guesses wildly on a few words).
  const stop = count(EN_STOP, sample, 3);
  if (stop >= 3 || (stop >= 1 && sample.split(/\s+/).length < 10)) return 'en';
  if (lat < 10) return fallback;
  return fromFranc(sample, LATIN_CANDIDATES);
}
