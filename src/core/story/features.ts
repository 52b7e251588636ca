// What story matching knows about one article: compact, JSON-serialisable, computed once.
import type { AnalysisResult } from '../types.js';
import { pureMemo } from '../memo.js';
import { hanToLatin } from './han-latin.js';
import { crossScriptNames, type CrossScriptNames } from './names.js';
import { hanNumbers, wordNumbers } from './numerals.js';
import { numericDatesApart } from './figures.js';
import { hanNameRuns, countTermsOf, TermTally, firstSentence, datesOf, hanDates, scaledNumbers, nameSkeleton, nameTokenWordsOf, numbers, scriptLanguage, tokens, type Word } from './text.js';

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
  const titleCounts = new TermTally();
  countTermsOf(titleToks, titleCounts, titleCap);
  const bodyAll = new TermTally(textToks.length);
  countTermsOf(textToks, bodyAll);
  bodyAll.addAll(titleCounts, 2);
  const lists = termLists(titleCounts, bodyAll);

  // A title's capitalisation is unreliable (Title Case): its words count as names only when the
  // text also has them capitalised mid-sentence.
  // (the name words' `Word`s: each carries its name key and skeleton, worked out once per distinct word)
  const textNames = nameTokenWordsOf(textToks);
  const textNameSet = new Set<string>();
  for (const w of textNames) textNameSet.add(w.lower);
  const nameWordsAll: Word[] = [];
  for (const w of nameTokenWordsOf(titleToks)) if (textNameSet.has(w.lower) || text === '') nameWordsAll.push(w);
  for (const w of textNames) nameWordsAll.push(w);

  const names = new Set<string>();
  for (const e of a.analysis?.entities ?? []) if (usefulEntity(e.id)) names.add(`e:${e.id}`);
  // A country's own word ("Kyrgyzstan", "Кыргызстана") says as little about which event it is as
  // its id, which is left out above: two unrelated reports from one republic shared it as a name.
  // It stays a script-neutral key (below), weighted by its rarity there.
  const countryWords = new Set<string>();
  for (const e of a.analysis?.entities ?? []) if (e.id.startsWith('country:')) for (const s of nameSkeletons(e.name)) countryWords.add(s);
  for (const w of nameWordsAll) if (!countryWords.has(w.skeleton)) names.add(w.nKey);
  // Foreign leaders, organisations and places in any script (src/core/story/names.ts, the
  // gazetteer's `xs`): one key
  // for "Wei Fenghe", "Вэй Фэнхэ" and "魏凤和", as the gazetteer's ids are for the region's own.
  const both0 = `${title}\n${text}`;
  const han = HAN_ANY.test(both0);
  // (`concat`: a spread of the two grew its copy as it went, ~7 KB an article)
  for (const id of crossScriptNames(o.names, titleToks.concat(textToks), han ? both0 : '')) names.add(`e:${id}`);
  // Chinese has no capitals: names written by sound stand in for the capitalised words.
  // (a country's name, or a piece of it, is no name here either: see countryWords)
  const hanRuns = han ? hanNameRunsApart(both0, a.analysis?.entities ?? []) : [];
  for (const r of hanRuns) names.add(`n:${r}`);
  const xnames = new Set<string>();
  // Countries say little within one language (half the stream names one) but are script-neutral
  // evidence across languages, weighted by their rarity like every other key.
  for (const e of a.analysis?.entities ?? []) if (!usefulEntity(e.id)) xnames.add(`e:${e.id}`);
  // A name the analysis or the names table already gave as an entity (its `e:` key is here) is not
  // counted again as a skeleton: "Туркменабате" was `e:place:turkmenabat` and `x:trkm`, and the
  // republic `e:country:TM` and `x:trkm` again, so two reports sharing only their republic and its
  // city looked like reports sharing four names.
  const entityWords = new Set<string>();
  for (const e of a.analysis?.entities ?? []) for (const s of nameSkeletons(e.name)) entityWords.add(s);
  for (const k of names) if (k.startsWith('e:')) for (const s of keySkeletons(k)) entityWords.add(s);
  for (const w of nameWordsAll) if (w.skeleton.length >= 2 && !entityWords.has(w.skeleton)) xnames.add(w.xKey);
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
  const { dates: numericDates, rest: figures } = numericDatesApart(both);
  const scaled = scaledNumbers(figures);
  // (compared as numbers: two numbers print alike exactly when they are equal, NaN and infinities
  // aside, which no mantissa is)
  const mantissas = new Set<number>();
  for (const v of scaled) for (const f of SCALES) mantissas.add(Number(v) / f);
  for (const n of numbers(figures)) if (mantissas.size === 0 || !mantissas.has(Number(n))) nums.add(`#:${n}`);
  for (const n of scaled) nums.add(`#:${n}`);
  // Figures written as words ("twenty-five", "двадцать пять", "二十五人") are the figure in digits
  // another report gives; below 10 they are left out as single digits are (too common to tell an event).
  for (const v of wordNumbers(titleToks)) if (v >= MIN_FIGURE) nums.add(`#:${v}`);
  for (const v of wordNumbers(textToks)) if (v >= MIN_FIGURE) nums.add(`#:${v}`);
  if (han) for (const v of hanNumbers(figures)) if (v >= MIN_FIGURE) nums.add(`#:${v}`);
  for (const d of datesOf(titleToks)) nums.add(`d:${d}`);
  for (const d of datesOf(textToks)) nums.add(`d:${d}`);
  // (Chinese dates are written with Han characters: none without them)
  if (han) for (const d of hanDates(both)) nums.add(`d:${d}`);
  for (const d of numericDates) nums.add(`d:${d}`);

  const lang = a.analysis?.language && a.analysis.language !== 'und' ? a.analysis.language : scriptLanguage(both);
  const t = Date.parse(a.published);
  return withTermLists(
    {
      id: a.id,
      t: Number.isFinite(t) ? t : 0,
      lang,
      ...(lead ? { lead: true } : {}),
      names: [...names].slice(0, MAX_NAMES),
      xnames: [...xnames].slice(0, MAX_NAMES),
      nums: [...nums].slice(0, MAX_NUMS),
    },
    lists,
  );
}

/** `hanNameRuns` of the text but those that are (a piece of) a republic's Chinese name the analysis found. */
function hanNameRunsApart(text: string, entities: readonly { id: string }[]): string[] {
  const hanCountries = entities.flatMap((e) => (e.id.startsWith('country:') ? [HAN_COUNTRY[e.id.slice(8)] ?? ''] : [])).filter(Boolean);
  return hanNameRuns(text).filter((r) => !hanCountries.some((c) => c.includes(r) || r.includes(c)));
}

// ── title and body terms as lists ──
// The `title` and `body` records (term → count, up to MAX_BODY_TERMS keys) are what the features
// say, but the engine reads them only in order (vectors, candidateKeys, dfKeys): it reads the same
// terms and counts as two lists (`termListsOf`), and a record is made only when someone reads it
// (a dictionary-mode object of 250 keys cost a sixth of the features' CPU, and reading it in order
// more again). The object keeps the data interface: `title` and `body` are enumerable properties in
// their place (JSON, spread, equality see the same records), assignable; the lists are a hidden
// (symbol, non-enumerable) property, dropped when a record is assigned.

/** The title's and the body's terms and counts, in the order of the `title` and `body` records. */
export interface TermLists {
  titleKeys: readonly string[];
  titleCounts: readonly number[];
  bodyKeys: readonly string[];
  bodyCounts: readonly number[];
}

const TERM_LISTS = Symbol('termLists');
/** The lists the records are made of when read, and the records once made (kept after a record is assigned: the other one still reads them). */
const RECORDS = Symbol('termRecords');

interface Hidden {
  [TERM_LISTS]?: TermLists;
  [RECORDS]: { lists: TermLists; title?: TermCounts; body?: TermCounts };
}

/** The features' title and body terms as lists (those made with the features, else read from the records). */
export function termListsOf(f: ArticleFeatures): TermLists {
  const own = (f as { [TERM_LISTS]?: TermLists })[TERM_LISTS];
  if (own) return own;
  return { titleKeys: Object.keys(f.title), titleCounts: Object.values(f.title), bodyKeys: Object.keys(f.body), bodyCounts: Object.values(f.body) };
}

/** The lists of the title's counts and of the body's (its MAX_BODY_TERMS most frequent terms: `topTerms`). */
function termLists(title: TermTally, body: TermTally): TermLists {
  if (body.size <= MAX_BODY_TERMS) return { titleKeys: title.keys, titleCounts: title.counts, bodyKeys: body.keys, bodyCounts: body.counts };
  // the n most frequent; ties keep first-seen order (a stable sort), as `topTerms`
  const order = body.keys.map((_, i) => i);
  const counts = body.counts;
  order.sort((x, y) => counts[y]! - counts[x]!);
  order.length = MAX_BODY_TERMS;
  return { titleKeys: title.keys, titleCounts: title.counts, bodyKeys: order.map((i) => body.keys[i]!), bodyCounts: order.map((i) => counts[i]!) };
}

// The accessors are the same functions for every features object (they find the lists in a hidden
// property), not closures made per object: defined in the same order with the same functions, the
// objects share one shape in V8, and no four closures and a descriptor map are made an article.
/** The accessor pair of `title` or `body`: the record made from its lists when first read, kept; a record assigned replaces it. */
function recordDescriptor(key: 'title' | 'body'): PropertyDescriptor {
  const [keys, counts] = key === 'title' ? (['titleKeys', 'titleCounts'] as const) : (['bodyKeys', 'bodyCounts'] as const);
  return {
    get(this: Hidden) {
      const r = this[RECORDS];
      return (r[key] ??= recordOf(r.lists[keys], r.lists[counts]));
    },
    set(this: ArticleFeatures, v: TermCounts) {
      assigned(this, key, v);
    },
    enumerable: true,
    configurable: true,
  };
}
const TITLE = recordDescriptor('title');
const BODY = recordDescriptor('body');

/** The features with `title` and `body` made from the lists when first read (see above). */
function withTermLists(f: Omit<ArticleFeatures, 'title' | 'body'>, lists: TermLists): ArticleFeatures {
  // property by property, in the order of the plain object (`{ ...head, get title() {} }` would not
  // do: V8 defines a literal's accessors after its other properties when it has a spread)
  const out = { id: f.id, t: f.t, lang: f.lang } as ArticleFeatures;
  if (f.lead) out.lead = f.lead;
  Object.defineProperty(out, 'title', TITLE);
  Object.defineProperty(out, 'body', BODY);
  Object.defineProperty(out, TERM_LISTS, { value: lists, writable: true, configurable: true });
  Object.defineProperty(out, RECORDS, { value: { lists }, writable: true, configurable: true });
  out.names = f.names;
  out.xnames = f.xnames;
  out.nums = f.nums;
  return out;
}

/** A record assigned to `title` or `body`: a plain property in its place from now on, and the lists no longer stand for it. */
function assigned(f: ArticleFeatures, key: 'title' | 'body', v: TermCounts): void {
  Object.defineProperty(f, key, { value: v, writable: true, enumerable: true, configurable: true });
  delete (f as { [TERM_LISTS]?: TermLists })[TERM_LISTS];
}

// The same keys in the same order as the lists: terms are never integer-like (digits are no
// content term), so an object keeps them in insertion order.
function recordOf(keys: readonly string[], counts: readonly number[]): TermCounts {
  const out: TermCounts = {};
  for (let i = 0; i < keys.length; i++) out[keys[i]!] = counts[i]!;
  return out;
}

/** The five republics' names in Chinese (for the names `hanNameRuns` finds). */
const HAN_COUNTRY: Record<string, string> = { KZ: '哈萨克斯坦', KG: '吉尔吉斯斯坦', TJ: '塔吉克斯坦', TM: '土库曼斯坦', UZ: '乌兹别克斯坦' };

/** Figures written as words below this are left out (as `numbers` leaves out single digits). */
const MIN_FIGURE = 10;

/** The factors of scaledNumbers (thousand, 万, million, 亿, billion, trillion). */
const SCALES = [1e3, 1e4, 1e6, 1e8, 1e9, 1e12];

/** Skeletons (`nameSkeleton`) of the words of an entity's English name, 3+ letters long (memoised: a few hundred names recur). */
const nameSkeletons = pureMemo((name: string): readonly string[] => {
  const out: string[] = [];
  for (const w of name.toLowerCase().match(/\p{L}+/gu) ?? []) {
    const s = nameSkeleton(w);
    if (s.length >= 3) out.push(s);
  }
  return out;
}, 10_000);

/** `nameSkeletons` of the name an entity key spells (`e:person:wei-fenghe` → "wei fenghe"). */
const keySkeletons = pureMemo((key: string): readonly string[] => nameSkeletons(key.slice(key.indexOf(':', 2) + 1).replace(/-/gu, ' ')), 10_000);

/** The keys whose document frequency matters for weighting, as lists in order: terms, names, cross-script names, numbers. */
export function dfKeyLists(f: ArticleFeatures): readonly (readonly string[])[] {
  return [termListsOf(f).bodyKeys, f.names, f.xnames, f.nums];
}

/** `dfKeyLists(f)` joined into one list. */
export function dfKeys(f: ArticleFeatures): string[] {
  return ([] as string[]).concat(...dfKeyLists(f));
}
