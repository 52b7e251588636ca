// Similarity of two articles' features, as a few named parts and one score (explainable on purpose:
// an analyst asking "why are these one story?" gets the parts).
import { termListsOf, type ArticleFeatures, type TermCounts } from './features.js';

import { cosine, cosineBound, countriesApart, entityCount, queryCosine, queryCosines, queryOf, sharedCount, sharedEntities, weighted, type Query, type WeightedVector } from './weighted-vector.js';

import { idf, type DocFreq } from './doc-freq.js';
import { overlap } from './overlap.js';

export { combineDocFreq, formatDocFreqTable, idf, parseDocFreqTable, type DocFreq } from './doc-freq.js';
export { cosine, entriesOf, weighted, type WeightedVector } from './weighted-vector.js';

export interface SimilarityParts {
  /** TF-IDF cosine of title+text terms, 0..1. */
  body: number;
  /** TF-IDF cosine of title terms, 0..1. */
  title: number;
  /** IDF-weighted cosine of shared names and entities, 0..1. */
  names: number;
  /** IDF-weighted cosine of shared numbers and dates, 0..1. */
  nums: number;
  /** Same language (else only the cross-language parts are meaningful). */
  sameLanguage: boolean;
  /** IDF-weighted cosine of name skeletons (script-neutral), 0..1. */
  xnames: number;
  /**
   * IDF-weighted overlap of name skeletons (overlap.ts: the lighter side's share found in the
   * other), 0..1; read by the cross-language margin only. Absent counts as 0.
   */
  xnamesOverlap?: number;
  /**
   * Title (or lead sentence) of one against the title+text of the other, the larger of the two
   * ways, 0..1: a headline is judged against the other report's whole text, so a report whose
   * title is missing or is a whole paragraph is still recognised by what its text says.
   */
  titleBody: number;
  /** One of the two had no title (its first sentence stands in). */
  lead: boolean;
  /** Numbers and dates both mention. */
  sharedNums: number;
  /**
   * Script-neutral entities (gazetteer ids, src/core/story/names.ts ids: `e:` keys) both name, and
   * that count over the larger of the two sets: 1 only when both name the same entities.
   */
  sharedEntities: number;
  entityCover: number;
  /** Shared numbers and dates over the larger of the two sets, 0..1 (1: the same figures). */
  numCover: number;
  /**
   * Both name a country (the analysis's `e:country:` keys) and they share none: reports of one
   * event name its country in every language, so such a pair is two events whatever its words and
   * figures share (see `margin`). Absent means false.
   */
  countryConflict?: boolean;
}

/**
 * The decision's free parameters (9, and 2 time weights: see `time`).
 * Same language: a weighted mean of four similarities against a threshold; cross language: of
 * name skeletons (cosine and overlap) and numbers against their own. The weights are
 * logistic regressions', rescaled to sum to 1, fitted by `fitShippedModel` in
 * tools/eval/labelled-set.ts on the 55 development pairs and the hand-labelled set
 * (test/fixtures/stories); the figures reported for them are k-fold cross-validated, never
 * measured on the pairs they were fitted on.
 */
export interface ScoreModel {
  title: number;
  body: number;
  titleBody: number;
  names: number;
  /** A same-language pair is one story when the weighted sum reaches this. */
  threshold: number;
  /**
   * Cross-language: weights of name skeletons (cosine), numbers and dates (cosine) and name
   * skeletons (overlap), and their own threshold.
   */
  xnames: number;
  xnums: number;
  xoverlap: number;
  xthreshold: number;
  /**
   * Time penalties, same-language and cross-language: subtracted times (1 − proximity) by decide.ts
   * `decisionMargin`. `fitScoreModel` fits them when asked (`fitTime`, as fitShippedModel does since
   * the story-quality pass: cross-validated the labelled set 95.6 -> 96.2%); fitted, the same-language
   * one is 0 and the cross-language one 0.085 (README Quality).
   */
  time: number;
  xtime: number;
}

export const DEFAULT_MODEL: ScoreModel = {
  title: 0.238,
  body: 0.242,
  titleBody: 0.153,
  names: 0.367,
  threshold: 0.416,
  xnames: 0.296,
  xnums: 0.336,
  xoverlap: 0.368,
  xthreshold: 0.34,
  time: 0,
  xtime: 0.085,
};

export function tfidfVector(c: TermCounts, d: DocFreq): WeightedVector {
  const keys = Object.keys(c);
  const [vals, sq] = tfidfTerms(keys, Object.values(c), d);
  return weighted(keys, vals, Math.sqrt(sq));
}

/** Each term's tf-idf weight (terms and their counts as lists, in order), and the sum of their squares; `idfs`: the terms' idf, when known (`termWeights`). */
function tfidfTerms(keys: readonly string[], counts: readonly number[], d: DocFreq, idfs?: readonly number[]): [number[], number] {
  const vals = new Array<number>(keys.length);
  let sq = 0;
  for (let i = 0; i < keys.length; i++) {
    const x = (1 + Math.log(counts[i]!)) * (idfs ? idfs[i]! : idf(d, keys[i]!));
    vals[i] = x;
    sq += x * x;
  }
  return [vals, sq];
}

export function setVector(keys: readonly string[], d: DocFreq, idfs?: readonly number[]): WeightedVector {
  const vals: number[] = [];
  let sq = 0;
  for (let i = 0; i < keys.length; i++) {
    const x = idfs ? idfs[i]! : idf(d, keys[i]!);
    vals.push(x);
    // a key given twice counts twice in the norm (as it always has), once in the vector
    sq += x * x;
  }
  return weighted(keys, vals, Math.sqrt(sq));
}

/**
 * An article's weighted vectors under the frequencies known when it was filed. The store keeps
 * them (`packVectors`) so later comparisons need no frequencies of the stored article's terms.
 */
export interface ArticleVectors {
  id: string;
  /** Publication time, ms. */
  t: number;
  lang: string;
  /** The title is the first sentence (the article had none). */
  lead?: boolean;
  body: WeightedVector;
  title: WeightedVector;
  names: WeightedVector;
  nums: WeightedVector;
  xnames: WeightedVector;
}

/** Body terms kept per article (the strongest; the norm is still the full vector's). */
export const MAX_VECTOR_TERMS = 100;

/**
 * The document frequency and idf of each of an article's keys, per list of its features (title and
 * body terms as `termListsOf` gives them, names, numbers, skeletons), read once: the vectors and the
 * candidate keys (decide.ts) weigh the same keys, a body term up to three times, and a read is a
 * look-up or two in the frequencies' tables. Each idf is `idf(d, key)`, the same double.
 */
export interface TermWeights {
  readonly title: ListWeights;
  readonly body: ListWeights;
  readonly names: ListWeights;
  readonly nums: ListWeights;
  readonly xnames: ListWeights;
}
export interface ListWeights {
  readonly df: readonly number[];
  readonly idf: readonly number[];
}

export function termWeights(f: ArticleFeatures, d: DocFreq): TermWeights {
  const lists = termListsOf(f);
  return { title: listWeights(lists.titleKeys, d), body: listWeights(lists.bodyKeys, d), names: listWeights(f.names, d), nums: listWeights(f.nums, d), xnames: listWeights(f.xnames, d) };
}

function listWeights(keys: readonly string[], d: DocFreq): ListWeights {
  const df = new Array<number>(keys.length);
  const idfs = new Array<number>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    // the expression of `idf`, with the frequency read once
    df[i] = d.df(keys[i]!);
    idfs[i] = Math.log((1 + d.n) / (1 + df[i]!)) + 1;
  }
  return { df, idf: idfs };
}

export function vectors(f: ArticleFeatures, d: DocFreq, w?: TermWeights): ArticleVectors {
  const lists = termListsOf(f);
  const [titleVals, titleSq] = tfidfTerms(lists.titleKeys, lists.titleCounts, d, w?.title.idf);
  // gazetteer entity ids are script-neutral too
  const xkeys = [...f.xnames];
  const xidfs = w ? [...w.xnames.idf] : undefined;
  for (let i = 0; i < f.names.length; i++) {
    if (!f.names[i]!.startsWith('e:')) continue;
    xkeys.push(f.names[i]!);
    xidfs?.push(w!.names.idf[i]!);
  }
  return {
    id: f.id,
    t: f.t,
    lang: f.lang,
    ...(f.lead ? { lead: true } : {}),
    body: bodyVector(lists.bodyKeys, lists.bodyCounts, d, MAX_VECTOR_TERMS, w?.body.idf),
    title: weighted(lists.titleKeys, titleVals, Math.sqrt(titleSq)),
    names: setVector(f.names, d, w?.names.idf),
    nums: setVector(f.nums, d, w?.nums.idf),
    xnames: setVector(xkeys, d, xidfs),
  };
}

/**
 * The body's vector: `tfidfVector(c, d)`, cut to its n strongest terms when longer (renormalised),
 * the full vector not made first (a term-count map has unique keys: nothing to merge).
 */
function bodyVector(ks: readonly string[], counts: readonly number[], d: DocFreq, n: number, idfs?: readonly number[]): WeightedVector {
  const [vs, sq] = tfidfTerms(ks, counts, d, idfs);
  if (ks.length <= n) return weighted(ks, vs, Math.sqrt(sq));
  return weighted(...strongest(ks, vs, n));
}

/** The n strongest terms (ties: the smaller key first), renormalised: keys, weights, norm. */
function strongest(ks: readonly string[], vs: readonly number[], n: number): [string[], number[], number] {
  const order = ks.map((_, i) => i);
  order.sort((a, b) => vs[b]! - vs[a]! || (ks[a]! < ks[b]! ? -1 : 1));
  const kept = order.slice(0, n);
  // renormalised: the cosine of the kept terms, so long and short articles compare alike
  return [kept.map((i) => ks[i]!), kept.map((i) => vs[i]!), Math.sqrt(kept.reduce((s, i) => s + vs[i]! * vs[i]!, 0))];
}

/** Languages compare as equal when their families share a script (kk/ky/tg/ru are all Cyrillic). */
export function languageFamily(lang: string): string {
  switch (lang) {
    case 'ru':
    case 'kk':
    case 'ky':
    case 'tg':
    case 'uk':
    case 'be':
    case 'mn':
      return 'cyrl';
    case 'zh':
    case 'ja':
      return lang;
    default:
      return 'latn';
  }
}

/** The query slots of an article's vectors (`articleQuery`). */
export const Q_BODY = 0;
export const Q_TITLE = 1;
export const Q_NAMES = 2;
const Q_NUMS = 3;
const Q_XNAMES = 4;

/** An article's vectors stamped for comparing it with many (`PairParts`' `q`); valid until the next one is made. */
export function articleQuery(a: ArticleVectors): Query {
  return queryOf([a.body, a.title, a.names, a.nums, a.xnames]);
}

export function similarity(a: ArticleVectors, b: ArticleVectors): SimilarityParts {
  return new PairParts(a, b).plain();
}

/**
 * A pair's similarity parts, each computed when first read (the one definition of each part:
 * `similarity` reads them all). The decision scores a few dozen pairs per article and its margin
 * reads only some of the parts: a same-language pair's text parts, a cross-language pair's names
 * and figures (see `marginOf`); the parts it does not read are not computed. Values are those
 * `similarity` gives, computed the same way.
 */
export class PairParts implements SimilarityParts {
  readonly #a: ArticleVectors;
  readonly #b: ArticleVectors;
  /** `a`'s vectors stamped once for all its pairs (`articleQuery`), or null. */
  readonly #q: Query | null;
  #body: number | undefined;
  #title: number | undefined;
  #names: number | undefined;
  #nums: number | undefined;
  #xnames: number | undefined;
  #titleBody: number | undefined;
  /** The two ways of `titleBody`: a's title against b's text, b's title against a's text. */
  #ab: number | undefined;
  #ba: number | undefined;
  #sharedNums: number | undefined;
  #entities: { sharedEntities: number; entityCover: number } | undefined;
  #conflict: boolean | undefined;

  /** `q`: `articleQuery(a)`, when `a` is compared with many (the same values, fewer steps). */
  constructor(a: ArticleVectors, b: ArticleVectors, q: Query | null = null) {
    this.#a = a;
    this.#b = b;
    this.#q = q;
  }
  /** cosine(a's part, b's part) (`aFirst`) or cosine(b's, a's), through the query when there is one. */
  #cos(slot: number, av: WeightedVector, bv: WeightedVector, aFirst: boolean): number {
    if (this.#q) return queryCosine(this.#q, slot, bv, aFirst);
    return aFirst ? cosine(av, bv) : cosine(bv, av);
  }
  get body(): number {
    if (this.#body === undefined) this.#bodyPass();
    return this.#body!;
  }
  /**
   * `body` and a's title against b's text (`#titleAB`): with a query, both from one pass over b's
   * text (weighted-vector.ts `queryCosines`, the same doubles); without, each by its cosine.
   */
  #bodyPass(): void {
    const q = this.#q;
    if (!q) {
      this.#body = cosine(this.#a.body, this.#b.body);
      return;
    }
    const out = [0, 0];
    queryCosines(q, Q_BODY, Q_TITLE, this.#b.body, out);
    this.#body = out[0]!;
    this.#ab ??= out[1]!;
  }
  get title(): number {
    return (this.#title ??= this.#cos(Q_TITLE, this.#a.title, this.#b.title, true));
  }
  get names(): number {
    return (this.#names ??= this.#cos(Q_NAMES, this.#a.names, this.#b.names, true));
  }
  get nums(): number {
    return (this.#nums ??= this.#cos(Q_NUMS, this.#a.nums, this.#b.nums, true));
  }
  get sameLanguage(): boolean {
    return languageFamily(this.#a.lang) === languageFamily(this.#b.lang);
  }
  get xnames(): number {
    return (this.#xnames ??= this.#cos(Q_XNAMES, this.#a.xnames, this.#b.xnames, true));
  }
  get xnamesOverlap(): number {
    return overlap(this.#a.xnames, this.#b.xnames);
  }
  get titleBody(): number {
    return (this.#titleBody ??= Math.max(this.#titleAB(), this.titleBA));
  }
  /** cosine(a.title, b.body): the query's title against b's body. */
  #titleAB(): number {
    if (this.#ab === undefined && this.#q) this.#bodyPass();
    return (this.#ab ??= cosine(this.#a.title, this.#b.body));
  }
  /** cosine(b.title, a.body), the cheap way of `titleBody` (b's title against the query's body: a title's few terms looked up). */
  get titleBA(): number {
    const q = this.#q;
    return (this.#ba ??= q ? queryCosine(q, Q_BODY, this.#b.title, false) : cosine(this.#b.title, this.#a.body));
  }
  /**
   * Bounds (never below the doubles computed) of the two parts that read b's whole text, `body` and
   * the other way of `titleBody` (a's title against b's text), from the vectors' lengths alone
   * (weighted-vector.ts `cosineBound`): what the decision scores a pair with before paying for them.
   */
  get bodyBound(): number {
    return this.#body ?? cosineBound(this.#a.body, this.#b.body);
  }
  get titleBodyBound(): number {
    return this.#titleBody ?? Math.max(this.#ab ?? cosineBound(this.#a.title, this.#b.body), this.titleBA);
  }
  /** Bounds of the title, names and title-body parts from the lengths alone (no pass over terms; a part computed is read as it is): `conflictBound`. */
  get titleLoose(): number {
    return this.#title ?? cosineBound(this.#a.title, this.#b.title);
  }
  get namesLoose(): number {
    return this.#names ?? cosineBound(this.#a.names, this.#b.names);
  }
  get titleBodyLoose(): number {
    return this.#titleBody ?? Math.max(this.#ab ?? cosineBound(this.#a.title, this.#b.body), this.#ba ?? cosineBound(this.#b.title, this.#a.body));
  }
  get lead(): boolean {
    return !!(this.#a.lead || this.#b.lead);
  }
  get sharedNums(): number {
    return (this.#sharedNums ??= sharedCount(this.#a.nums, this.#b.nums));
  }
  get sharedEntities(): number {
    return (this.#entities ??= entityOverlap(this.#a.xnames, this.#b.xnames)).sharedEntities;
  }
  get entityCover(): number {
    return (this.#entities ??= entityOverlap(this.#a.xnames, this.#b.xnames)).entityCover;
  }
  get numCover(): number {
    return cover(this.sharedNums, this.#a.nums.keys.length, this.#b.nums.keys.length);
  }
  get countryConflict(): boolean | undefined {
    return (this.#conflict ??= countriesApart(this.#a.xnames, this.#b.xnames)) || undefined;
  }
  /** All the parts as a plain object (what `similarity` returns). */
  plain(): SimilarityParts {
    return {
      body: this.body,
      title: this.title,
      names: this.names,
      nums: this.nums,
      sameLanguage: this.sameLanguage,
      xnames: this.xnames,
      ...(this.sameLanguage ? {} : { xnamesOverlap: this.xnamesOverlap }),
      titleBody: this.titleBody,
      lead: this.lead,
      sharedNums: this.sharedNums,
      sharedEntities: this.sharedEntities,
      entityCover: this.entityCover,
      numCover: this.numCover,
      ...(this.countryConflict ? { countryConflict: true } : {}),
    };
  }
}

/** Parts as a plain object: a PairParts read out in full, any other value as it is. */
export function plainParts(p: SimilarityParts): SimilarityParts {
  return p instanceof PairParts ? p.plain() : p;
}

/** Shared keys over the larger set; 1 when both sets are empty (the same: none). */
function cover(shared: number, na: number, nb: number): number {
  const n = Math.max(na, nb);
  return n === 0 ? 1 : shared / n;
}

/** Shared `e:` keys of two name vectors, and their cover (see SimilarityParts). */
function entityOverlap(a: WeightedVector, b: WeightedVector): { sharedEntities: number; entityCover: number } {
  const { count, shared } = sharedEntities(a, b);
  return { sharedEntities: shared, entityCover: cover(shared, count, entityCount(b)) };
}

/**
 * How far above its threshold a pair is: ≥ 0 means one story. Same-language pairs use the text;
 * cross-language pairs can only use names, entities, numbers and dates.
 */
export function margin(p: SimilarityParts, m: ScoreModel = DEFAULT_MODEL): number {
  // Two reports naming different countries and no common one are two events: a fixed rule on top
  // of the weights (nothing fitted; the fit sees such pairs as they score without it). The margin
  // stays ordered by the similarities, one below, so "how close was it" still reads.
  // (a same-language pair's in `textMargin`, which decide.ts also evaluates at bounds of its parts)
  if (p.sameLanguage) return marginOf(p, m);
  if (p.countryConflict) return marginOf(p, m) - 1;
  return marginOf(p, m);
}

/**
 * A same-language pair's `margin` from its parts, as numbers: the one expression, read by `margin`
 * and by the decision's bound of a pair it has not scored in full (decide.ts `marginBound`). With
 * the title, body and title-body weights not negative, it does not decrease as a part grows, and
 * neither does its floating-point value (each step rounds to nearest, a monotonic rounding).
 */
export function textMargin(lead: boolean, title: number, body: number, titleBody: number, names: number, m: ScoreModel, conflict: boolean): number {
  const x = m.title * (lead ? Math.max(title, titleBody) : title) + m.body * body + m.titleBody * titleBody + m.names * names - m.threshold;
  return conflict ? x - 1 : x;
}

function marginOf(p: SimilarityParts, m: ScoreModel): number {
  if (p.sameLanguage) return textMargin(!!p.lead, p.title, p.body, p.titleBody, p.names, m, p.countryConflict === true);
  return m.xnames * p.xnames + m.xnums * p.nums + m.xoverlap * (p.xnamesOverlap ?? 0) - m.xthreshold;
}

/**
 * The title part of the score. A first sentence standing in for a missing title is not a
 * headline: two of them (or one and a real title) rarely share words even when the texts tell one
 * event, so for such a pair the better of title-vs-title and title-vs-text counts. Pairs with two
 * real titles (all the pairs the weights were fitted on) are scored as fitted.
 */
export function headline(p: SimilarityParts): number {
  return p.lead ? Math.max(p.title, p.titleBody) : p.title;
}

/**
 * The stronger of the two levels of "one story": a copy of one text, not just the same event told
 * again. In one language, near-identical text (title+text cosine ≥ COPY_BODY, ~85% overlap).
 * Across languages, a translation: it keeps every name and every figure while its words change,
 * so both articles name the same entities (at least two, script-neutral ids, COPY_ENTITIES of the
 * larger set) and the same figures (IDF-weighted cosine ≥ COPY_XNUMS); two texts without any
 * figure must agree on their name skeletons instead (≥ COPY_XNAMES). A retelling adds or drops
 * names and figures of its own. Fixed by definition, not fitted; measured on
 * test/fixtures/stories (see `npm run eval`).
 */
export function isCopy(p: SimilarityParts): boolean {
  if (p.sameLanguage) return p.body >= COPY_BODY;
  if (p.sharedEntities < 2 || p.entityCover < COPY_ENTITIES) return false;
  const noFigures = p.sharedNums === 0 && p.numCover === 1;
  return noFigures ? p.xnames >= COPY_XNAMES : p.nums >= COPY_XNUMS;
}

export const COPY_BODY = 0.85;
export const COPY_ENTITIES = 0.75;
export const COPY_XNAMES = 0.75;
export const COPY_XNUMS = 0.6;
