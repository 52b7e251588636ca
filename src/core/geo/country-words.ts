// Country words: the one place attribution reads a speaker's country from ("the Kazakh
// leader", "Chinese Foreign Ministry spokesman", "российский эксперт", "俄外长"). They are not a
// list of their own: they are derived from data/gazetteer.yaml, the same words geo counts, so a
// spelling added for one is known to the other.
//
// Which entries give words: every `kind: country` entry (the name and the demonym) of a country
// under `countries` (the five) or `others` (countries outside the region, which geo does not
// read), and entries marked `voice` (a seat of government that speaks for its country: "the
// Kremlin", "Moscow's envoy"). A one-word phrase of those entries is a country word, with the
// phrase syntax of src/core/text/phrase.ts: `stem*` a word starting with the stem, `a|b`
// alternatives, `word@kk` the word or the word with a case suffix, `^word` capitalised, `=word`
// all capitals; words are compared folded (case, Latin diacritics, ё and apostrophes do not
// matter), as geo compares them. Phrases of several words name no single word and are skipped.
// Chinese: the entries' `zh` strings, and `zh_short` (the one-character form, 俄 美 哈) which
// attribution reads only before an office.
import { foldForMatch, tokenKey } from '../text/normalize.js';
import { SUFFIXES } from '../text/phrase.js';
import { GazetteerError, type GazetteerData, type GazetteerEntry } from './gazetteer.js';

interface Word {
  cc: string;
  /** Place in the gazetteer's order (the first country listed wins). */
  order: number;
  key: string;
  prefix: boolean;
  /** `^word`: the word must start with a capital; `=word`: be all capitals. */
  cap: boolean;
  upper: boolean;
}

/** The country words, compiled: `countryOf` for a word, and the Chinese forms. */
export interface CountryWords {
  /** Exact words, and stems by their text (looked up by length). */
  exact: Map<string, Word[]>;
  stems: Map<string, Word[]>;
  stemLens: number[];
  /** Chinese forms with their country, longest first (a one-character form counts only where an
   * office follows: the caller's pattern says so). */
  zh: [string, string][];
}

function speaks(e: GazetteerEntry): boolean {
  return e.kind === 'country' || e.voice === true;
}

/** The one-word alternatives of one phrase ("kazakh*", "qozoq|qozoqlar", "қазақ@kk"), or none. */
function wordsOf(phrase: string, cc: string): Word[] {
  let t = foldForMatch(phrase.trim());
  if (/\s|\.\.\d/.test(t) || (!t.includes('|') && /-/.test(t))) return [];
  let cap = false;
  let upper = false;
  for (;;) {
    if (t.startsWith('^')) cap = true;
    else if (t.startsWith('=')) upper = true;
    else break;
    t = t.slice(1);
  }
  return t.split('|').flatMap((alt) => {
    const mac = /^(.*)@(\w+)$/.exec(alt);
    const forms = mac ? [mac[1]!, ...(SUFFIXES[mac[2]!] ?? fail(`unknown suffix set "@${mac[2]}" in "${phrase}"`)).map((x) => mac[1]! + x)] : [alt];
    return forms.map((f): Word => {
      const prefix = f.endsWith('*');
      const key = tokenKey(prefix ? f.slice(0, -1) : f);
      if (!key || (prefix && key.length < 2)) fail(`bad country word "${alt}" in "${phrase}"`);
      return { cc, order: 0, key, prefix, cap, upper };
    });
  });
}

function fail(msg: string): never {
  throw new GazetteerError(msg);
}

export function compileCountryWords(g: GazetteerData): CountryWords {
  const sections: [string, GazetteerEntry[]][] = [...Object.entries(g.countries), ...Object.entries(g.others ?? {})];
  const words: Word[] = [];
  const zh: [string, string][] = [];
  for (const [cc, entries] of sections)
    for (const e of entries ?? []) {
      if (!speaks(e)) continue;
      for (const p of e.p ?? []) words.push(...wordsOf(p, cc));
      for (const z of e.zh ?? []) zh.push([z, cc]);
      if (e.zh_short) zh.push([e.zh_short, cc]);
    }
  const exact = new Map<string, Word[]>();
  const stems = new Map<string, Word[]>();
  for (const [i, w] of words.entries()) {
    w.order = i;
    const m = w.prefix ? stems : exact;
    m.set(w.key, [...(m.get(w.key) ?? []), w]);
  }
  // Longest first, so 哈萨克斯坦 is read before 哈萨克 and 哈; the sort is stable, so equal lengths
  // keep the gazetteer's order.
  const zhFirst = new Map<string, string>();
  for (const [z, cc] of zh) if (!zhFirst.has(z)) zhFirst.set(z, cc);
  const zhSorted = [...zhFirst].sort((a, b) => b[0].length - a[0].length);
  return { exact, stems, stemLens: [...new Set([...stems.keys()].map((k) => k.length))], zh: zhSorted };
}

function fits(w: Word, raw: string): boolean {
  const bare = raw.replace(/['’]s$/u, '');
  if (w.upper) return bare === bare.toUpperCase() && bare !== bare.toLowerCase();
  if (w.cap) return /^\p{Lu}/u.test(bare);
  return true;
}

function lookUp(c: CountryWords, raw: string): string | null {
  const key = tokenKey(foldForMatch(raw));
  let best: Word | null = null;
  const consider = (list: Word[] | undefined) => {
    for (const w of list ?? []) if (fits(w, raw) && (best === null || w.order < best.order)) best = w;
  };
  consider(c.exact.get(key));
  for (const len of c.stemLens) if (len <= key.length) consider(c.stems.get(key.slice(0, len)));
  return (best as Word | null)?.cc ?? null;
}

/**
 * The country a word names ("Kazakh", "казахстанский", "Қазақстан", "Kremlin's", "US-led",
 * "АҚШ-тың"), or null. `word` is the word as written (its capitals decide `^`/`=` words);
 * surrounding punctuation and an English possessive are dropped. A hyphenated word that
 * names no country whole is read by its first part, as geo's tokenizer splits it ("Қазақ-қырғыз"
 * is Kazakh). When words of several countries fit, the one listed first in the gazetteer wins.
 */
export function countryOf(c: CountryWords, word: string): string | null {
  const raw = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  const whole = lookUp(c, raw);
  if (whole !== null) return whole;
  const dash = raw.search(/[-\u2010\u2011]/u);
  return dash > 0 ? lookUp(c, raw.slice(0, dash)) : null;
}
