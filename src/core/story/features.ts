// What story matching knows about one article: compact, JSON-serialisable, computed once.
import type { AnalysisResult } from '../types.js';
import { hanToLatin } from './han-latin.js';
import { crossScriptNames, type CrossScriptNames } from './names.js';
import { hanNumbers, wordNumbers } from './numerals.js';
import { hanNameRuns, nameKey, contentTermsOf, firstSentence, datesOf, hanDates, numericDates, scaledNumbers, nameSkeleton, nameWordsOf, numbers, scriptLanguage, tokens, withoutNumericDates } from './text.js';

/** Term → count. */
export type TermCounts = Record<string, number>;

export interface ArticleFeatures {
  id: string;
  /** Publication time, ms since the epoch. */
  t: number;
  /** ISO 639-1 (from the analysis), or the script family when the analysis says `und`. */
  lang: string;
  /** The article had no title: `title` holds its first sentence. */
  lead?: boolean;
  /** Content-word stems of the title (or of the first sentence, see `lead`). */
  title: TermCounts;
  /** Content-word stems of title (counted twice) and text; the most frequent MAX_BODY_TERMS. */
  body: TermCounts;
  /**
   * Names: gazetteer entity ids (`e:person:tokayev`) and stems of capitalised words (`n:fenghe`),
   * unique.
   */
  names: string[];
  /** Script-neutral skeletons of the capitalised words (`x:tkv`), for cross-language matching. */
  xnames: string[];
  /** Numbers (`#:225`) and day-month dates (`d:04-26`) mentioned, unique. */
  nums: string[];
}

const HAN_ANY = /\p{Script=Han}/u;

export const MAX_BODY_TERMS = 250;
export const MAX_TITLE_TERMS = 12;
const MAX_NAMES = 60;
const MAX_NUMS = 40;

export interface FeatureInput {
  id: string;
  title: string;
  text: string;
  /** ISO 8601. */
  published: string;
  analysis?: Pick<AnalysisResult, 'language' | 'entities'>;
}

/** Entity ids that say nothing about which event it is (a country is in half the stream). */
function usefulEntity(id: string): boolean {
  return !id.startsWith('country:');
}

/** The reference data features are computed with, loaded by the caller (adapters/analysis-data.ts). */
export interface FeatureOptions {
  /** Cross-script names (data/gazetteer.yaml `xs`, adapters/analysis-data.ts storyNames). */
  names: CrossScriptNames;
}

export function articleFeatures(a: FeatureInput, o: FeatureOptions): ArticleFeatures {
  const text = a.text ?? '';
  // No title: the first sentence serves, as the contract says for `analyze` (so the title
  // comparisons still have a headline-sized piece of text to work on).
  const lead = !a.title?.trim();
  const title = lead ? firstSentence(text) : a.title;
  // A title longer than a headline is a lead sentence standing in for one (`analyze` without a
  // title): its first words carry the gist, the rest would dilute the title comparison.
  const titleToks = tokens(title);
  const textToks = tokens(text);
  // Chinese terms are character pairs, two to a word: a Chinese headline gets twice as many, else
  // its first dozen characters (often just "<country><agency>") stood for the whole headline.
  const titleCap = HAN_ANY.test(title) ? 2 * MAX_TITLE_TERMS : MAX_TITLE_TERMS;
  const titleCounts = countMap(contentTermsOf(titleToks).slice(0, titleCap));
  const bodyAll = countMap(contentTermsOf(textToks));
  for (const [k, v] of titleCounts) bodyAll.set(k, (bodyAll.get(k) ?? 0) + 2 * v);
  const titleTerms = asCounts(titleCounts);
  const body = topTerms(bodyAll, MAX_BODY_TERMS);

  // A title's capitalisation is unreliable (Title Case): its words count as names only when the
  // text also has them capitalised mid-sentence.
  const textNames = nameWordsOf(textToks);
  const textNameSet = new Set(textNames);
  const titleNames = nameWordsOf(titleToks).filter((w) => textNameSet.has(w) || text === '');
  const nameWordsAll = [...titleNames, ...textNames];

  const names = new Set<string>();
  for (const e of a.analysis?.entities ?? []) if (usefulEntity(e.id)) names.add(`e:${e.id}`);
  // A country's own word ("Kyrgyzstan", "Кыргызстана") says as little about which event it is as
  // its id, which is left out above: two unrelated reports from one republic shared it as a name.
  // It stays a script-neutral key (below), weighted by its rarity there.
  const countryWords = entitySkeletons((a.analysis?.entities ?? []).filter((e) => e.id.startsWith('country:')));
  for (const w of nameWordsAll) if (!countryWords.has(nameSkeleton(w))) names.add(`n:${nameKey(w)}`);
  // Foreign leaders, organisations and places in any script (src/core/story/names.ts, the
  // gazetteer's `xs`): one key
  // for "Wei Fenghe", "Вэй Фэнхэ" and "魏凤和", as the gazetteer's ids are for the region's own.
  const both0 = `${title}\n${text}`;
  const han = HAN_ANY.test(both0);
  for (const id of crossScriptNames(o.names, [...titleToks, ...textToks], han ? both0 : '')) names.add(`e:${id}`);
  // Chinese has no capitals: names written by sound stand in for the capitalised words.
  // (a country's name, or a piece of it, is no name here either: see countryWords)
  const hanCountries = (a.analysis?.entities ?? []).flatMap((e) => (e.id.startsWith('country:') ? [HAN_COUNTRY[e.id.slice(8)] ?? ''] : [])).filter(Boolean);
  const hanRuns = han ? hanNameRuns(both0).filter((r) => !hanCountries.some((c) => c.includes(r) || r.includes(c))) : [];
  for (const r of hanRuns) names.add(`n:${r}`);
  const xnames = new Set<string>();
  // Countries say little within one language (half the stream names one) but are script-neutral
  // evidence across languages, weighted by their rarity like every other key.
  for (const e of a.analysis?.entities ?? []) if (!usefulEntity(e.id)) xnames.add(`e:${e.id}`);
  // A name the analysis or the names table already gave as an entity (its `e:` key is here) is not
  // counted again as a skeleton: "Туркменабате" was `e:place:turkmenabat` and `x:trkm`, and the
  // republic `e:country:TM` and `x:trkm` again, so two reports sharing only their republic and its
  // city looked like reports sharing four names.
  const entityWords = entitySkeletons([...(a.analysis?.entities ?? []), ...[...names].filter((k) => k.startsWith('e:')).map((k) => ({ name: k.slice(k.indexOf(':', 2) + 1).replace(/-/gu, ' ') }))]);
  for (const w of nameWordsAll) {
    const s = nameSkeleton(w);
    if (s.length >= 2 && !entityWords.has(s)) xnames.add(`x:${s}`);
  }
  // The same for names Chinese writes by sound, read back as Latin letters (han-latin.ts): a
  // Chinese report's own people and villages count across languages too — matched when the other
  // report names them, and evidence of another event when it does not.
  for (const r of hanRuns) {
    const s = nameSkeleton(hanToLatin(r));
    if (s.length >= 2 && !entityWords.has(s)) xnames.add(`x:${s}`);
  }
  const nums = new Set<string>();
  const both = both0;
  // "620 million" is one figure: its scaled value (`#:620000000`, what "620 млн" and "6.2亿" give
  // too) stands for it, not also the bare 620 — counted twice, one coincidental figure looked like two.
  // Dates in digits ("26.04.2022", "2022-04-26") are dates, not also three figures.
  const figures = withoutNumericDates(both);
  const scaled = scaledNumbers(figures);
  const mantissas = new Set(scaled.flatMap((v) => SCALES.map((f) => String(Number(v) / f))));
  for (const n of numbers(figures)) if (!mantissas.has(String(Number(n)))) nums.add(`#:${n}`);
  for (const n of scaled) nums.add(`#:${n}`);
  // Figures written as words ("twenty-five", "двадцать пять", "二十五人") are the figure in digits
  // another report gives; below 10 they are left out as single digits are (too common to tell an event).
  for (const v of [...wordNumbers(titleToks), ...wordNumbers(textToks), ...(han ? hanNumbers(figures) : [])]) if (v >= MIN_FIGURE) nums.add(`#:${v}`);
  for (const d of [...datesOf(titleToks), ...datesOf(textToks), ...hanDates(both), ...numericDates(both)]) nums.add(`d:${d}`);

  const lang = a.analysis?.language && a.analysis.language !== 'und' ? a.analysis.language : scriptLanguage(both);
  const t = Date.parse(a.published);
  return {
    id: a.id,
    t: Number.isFinite(t) ? t : 0,
    lang,
    ...(lead ? { lead: true } : {}),
    title: titleTerms,
    body,
    names: [...names].slice(0, MAX_NAMES),
    xnames: [...xnames].slice(0, MAX_NAMES),
    nums: [...nums].slice(0, MAX_NUMS),
  };
}

/** The five republics' names in Chinese (for the names `hanNameRuns` finds). */
const HAN_COUNTRY: Record<string, string> = { KZ: '哈萨克斯坦', KG: '吉尔吉斯斯坦', TJ: '塔吉克斯坦', TM: '土库曼斯坦', UZ: '乌兹别克斯坦' };

/** Figures written as words below this are left out (as `numbers` leaves out single digits). */
const MIN_FIGURE = 10;

/** The factors of scaledNumbers (thousand, 万, million, 亿, billion, trillion). */
const SCALES = [1e3, 1e4, 1e6, 1e8, 1e9, 1e12];

/** Skeletons (`nameSkeleton`) of the words of the entities' English names, 3+ letters long. */
function entitySkeletons(entities: readonly { name: string }[]): Set<string> {
  const out = new Set<string>();
  for (const e of entities)
    for (const w of e.name.toLowerCase().match(/\p{L}+/gu) ?? []) {
      const s = nameSkeleton(w);
      if (s.length >= 3) out.add(s);
    }
  return out;
}

// Counted in a Map, then one object made (counting into the object itself, a dictionary of a few
// hundred keys, was a seventh of the features' CPU). The same keys in the same order: terms are
// never integer-like (digits are no content term), so an object keeps them in insertion order.
function countMap(terms: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of terms) out.set(t, (out.get(t) ?? 0) + 1);
  return out;
}

function asCounts(entries: Iterable<readonly [string, number]>): TermCounts {
  const out: TermCounts = {};
  for (const [k, v] of entries) out[k] = v;
  return out;
}

/** The n most frequent terms; ties keep first-seen order so the cut is deterministic. */
function topTerms(c: Map<string, number>, n: number): TermCounts {
  if (c.size <= n) return asCounts(c);
  const entries = [...c];
  entries.sort((x, y) => y[1] - x[1]);
  return asCounts(entries.slice(0, n));
}

/** Every key whose document frequency matters for weighting (terms, names, numbers). */
export function dfKeys(f: ArticleFeatures): string[] {
  return [...Object.keys(f.body), ...f.names, ...f.xnames, ...f.nums];
}
