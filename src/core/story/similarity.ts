// Similarity of two articles' features, as a few named parts and one score (explainable on purpose:
// an analyst asking "why are these one story?" gets the parts).
import type { ArticleFeatures, TermCounts } from './features.js';

/** Document frequencies the weights come from: a batch's own counts, or counts kept in the store. */
export interface DocFreq {
  /** Documents counted. */
  readonly n: number;
  df(key: string): number;
}

/** Smoothed inverse document frequency; 1 for a key no other document has when n is small. */
export function idf(d: DocFreq, key: string): number {
  return Math.log((1 + d.n) / (1 + d.df(key))) + 1;
}

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
}

/** Weights of the same-language score (learnt on the dev pairs, see src/main/eval-stories.ts). */
export interface ScoreModel {
  body: number;
  title: number;
  names: number;
  nums: number;
  /** A pair is one story when the weighted sum reaches this. */
  threshold: number;
  /** Cross-language: weights of name skeletons and numbers, and their own threshold. */
  xnames: number;
  xnums: number;
  xthreshold: number;
}

export const DEFAULT_MODEL: ScoreModel = {
  body: 0.4,
  title: 0.4,
  names: 0.15,
  nums: 0.05,
  threshold: 0.42,
  xnames: 0.75,
  xnums: 0.25,
  xthreshold: 0.32,
};

/** The weighted vector of a term-count map: (1 + ln tf) · idf, with its norm. */
export interface WeightedVector {
  w: Map<string, number>;
  norm: number;
}

export function tfidfVector(c: TermCounts, d: DocFreq): WeightedVector {
  const w = new Map<string, number>();
  let sq = 0;
  for (const k in c) {
    const tf = c[k]!;
    const x = (1 + Math.log(tf)) * idf(d, k);
    w.set(k, x);
    sq += x * x;
  }
  return { w, norm: Math.sqrt(sq) };
}

export function setVector(keys: readonly string[], d: DocFreq): WeightedVector {
  const w = new Map<string, number>();
  let sq = 0;
  for (const k of keys) {
    const x = idf(d, k);
    w.set(k, x);
    sq += x * x;
  }
  return { w, norm: Math.sqrt(sq) };
}

export function cosine(a: WeightedVector, b: WeightedVector): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  const [small, large] = a.w.size <= b.w.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [k, x] of small.w) {
    const y = large.w.get(k);
    if (y !== undefined) dot += x * y;
  }
  return dot / (a.norm * b.norm);
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
  body: WeightedVector;
  title: WeightedVector;
  names: WeightedVector;
  nums: WeightedVector;
  xnames: WeightedVector;
}

/** Body terms kept per article (the strongest; the norm is still the full vector's). */
export const MAX_VECTOR_TERMS = 100;

export function vectors(f: ArticleFeatures, d: DocFreq): ArticleVectors {
  return {
    id: f.id,
    t: f.t,
    lang: f.lang,
    body: truncate(tfidfVector(f.body, d), MAX_VECTOR_TERMS),
    title: tfidfVector(f.title, d),
    names: setVector(f.names, d),
    nums: setVector(f.nums, d),
    // gazetteer entity ids are script-neutral too
    xnames: setVector([...f.xnames, ...f.names.filter((n) => n.startsWith('e:'))], d),
  };
}

function truncate(v: WeightedVector, n: number): WeightedVector {
  if (v.w.size <= n) return v;
  const kept = [...v.w.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n);
  // renormalised: the cosine of the kept terms, so long and short articles compare alike
  return { w: new Map(kept), norm: Math.sqrt(kept.reduce((s, [, x]) => s + x * x, 0)) };
}

type PackedVector = [string, number][];
interface Packed {
  i: string;
  t: number;
  l: string;
  b: PackedVector;
  h: PackedVector;
  n: PackedVector;
  u: PackedVector;
  x: PackedVector;
}

function packOne(v: WeightedVector): PackedVector {
  if (v.norm === 0) return [];
  return [...v.w.entries()].map(([k, x]) => [k, Math.round((x / v.norm) * 1e4) / 1e4]);
}
function unpackOne(p: PackedVector): WeightedVector {
  return { w: new Map(p), norm: p.length ? 1 : 0 };
}

/** Compact JSON of an article's vectors, normalised (weights to 4 decimals). */
export function packVectors(v: ArticleVectors): string {
  const p: Packed = { i: v.id, t: v.t, l: v.lang, b: packOne(v.body), h: packOne(v.title), n: packOne(v.names), u: packOne(v.nums), x: packOne(v.xnames) };
  return JSON.stringify(p);
}

export function unpackVectors(s: string): ArticleVectors {
  const p = JSON.parse(s) as Packed;
  return { id: p.i, t: p.t, lang: p.l, body: unpackOne(p.b), title: unpackOne(p.h), names: unpackOne(p.n), nums: unpackOne(p.u), xnames: unpackOne(p.x) };
}

/** Languages compare as equal when their families share a script (kk/ky/tg/ru are all Cyrillic). */
export function languageFamily(lang: string): string {
  if (['ru', 'kk', 'ky', 'tg', 'uk', 'be', 'mn'].includes(lang)) return 'cyrl';
  if (['zh', 'ja'].includes(lang)) return lang;
  return 'latn';
}

export function similarity(a: ArticleVectors, b: ArticleVectors): SimilarityParts {
  return {
    body: cosine(a.body, b.body),
    title: cosine(a.title, b.title),
    names: cosine(a.names, b.names),
    nums: cosine(a.nums, b.nums),
    sameLanguage: languageFamily(a.lang) === languageFamily(b.lang),
    xnames: cosine(a.xnames, b.xnames),
  };
}

/**
 * How far above its threshold a pair is: ≥ 0 means one story. Same-language pairs use the text;
 * cross-language pairs can only use names, entities, numbers and dates.
 */
export function margin(p: SimilarityParts, m: ScoreModel = DEFAULT_MODEL): number {
  if (p.sameLanguage) return m.body * p.body + m.title * p.title + m.names * p.names + m.nums * p.nums - m.threshold;
  // Numbers count across languages only beside shared names: alone they match unrelated articles
  // (years, small counts; up to 0.46 between unrelated dev articles).
  const nums = p.xnames >= XNUMS_NEED_NAMES ? p.nums : 0;
  return m.xnames * p.xnames + m.xnums * nums - m.xthreshold;
}

/** Name-skeleton similarity below which numbers do not count across languages. */
export const XNUMS_NEED_NAMES = 0.25;

/** Frequencies of two sources added up (a built-in background and what a batch or store counted). */
export function combineDocFreq(a: DocFreq, b: DocFreq): DocFreq {
  return { n: a.n + b.n, df: (k) => a.df(k) + b.df(k) };
}

/** A frequency table as text, `n` then `key df` pairs separated by tabs (the background's format). */
export function parseDocFreqTable(table: string): DocFreq {
  const parts = table.split('\t');
  const n = Number(parts[0]);
  const m = new Map<string, number>();
  for (let i = 1; i + 1 < parts.length; i += 2) m.set(parts[i]!, Number(parts[i + 1]));
  return { n, df: (k) => m.get(k) ?? 0 };
}

export function formatDocFreqTable(n: number, counts: ReadonlyMap<string, number>, minDf: number): string {
  const rows = [...counts.entries()].filter(([, c]) => c >= minDf).sort((x, y) => (x[0] < y[0] ? -1 : 1));
  return [String(n), ...rows.flatMap(([k, c]) => [k, String(c)])].join('\t');
}
