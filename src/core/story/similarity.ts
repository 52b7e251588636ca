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
 * The decision's free parameters (8, and 2 time weights fitted but shipped at 0: see `time`).
 * Same language: a weighted mean of four similarities against a threshold; cross language: of
 * name skeletons and numbers against their own. The weights are
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
  /** Cross-language: weights of name skeletons and numbers, and their own threshold. */
  xnames: number;
  xnums: number;
  xthreshold: number;
  /**
   * Time penalties, same-language and cross-language: subtracted times (1 − proximity) by decide.ts
   * `decisionMargin`. `fitScoreModel` fits them only when asked (`fitTime`): cross-validated on the
   * hand-labelled set they cost more than they gained, so the shipped model has 0 (README Quality).
   */
  time: number;
  xtime: number;
}

export const DEFAULT_MODEL: ScoreModel = {
  title: 0.238,
  body: 0.241,
  titleBody: 0.153,
  names: 0.367,
  threshold: 0.416,
  xnames: 0.556,
  xnums: 0.444,
  xthreshold: 0.278,
  time: 0,
  xtime: 0,
};

/** The weighted vector of a term-count map: (1 + ln tf) · idf, with its norm. */
export interface WeightedVector {
  w: Map<string, number>;
  norm: number;
  /**
   * `w`'s keys and weights in its order, when the maker kept them: the similarity loops walk
   * these arrays (no Map iterator, no entry arrays: the story engine runs a few hundred cosines
   * per article) and only look keys up in the other vector's Map. Same order, so the same sums.
   */
  keys?: readonly string[];
  vals?: readonly number[];
  /** Its terms as numbers, once compared (cosine's business). */
  numbered?: Numbered;
}

/** A vector from keys and weights in order (weights as given). */
export function weighted(keys: string[], vals: number[], norm: number): WeightedVector {
  const w = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) w.set(keys[i]!, vals[i]!);
  // a key given twice keeps its place and its last weight, as Map.set does
  if (w.size !== keys.length) return { w, norm, keys: [...w.keys()], vals: [...w.values()], numbered: undefined };
  return { w, norm, keys, vals, numbered: undefined };
}

export function tfidfVector(c: TermCounts, d: DocFreq): WeightedVector {
  const keys: string[] = [];
  const vals: number[] = [];
  let sq = 0;
  for (const k in c) {
    const tf = c[k]!;
    const x = (1 + Math.log(tf)) * idf(d, k);
    keys.push(k);
    vals.push(x);
    sq += x * x;
  }
  return weighted(keys, vals, Math.sqrt(sq));
}

export function setVector(keys: readonly string[], d: DocFreq): WeightedVector {
  const w = new Map<string, number>();
  let sq = 0;
  for (const k of keys) {
    const x = idf(d, k);
    w.set(k, x);
    sq += x * x;
  }
  return { w, norm: Math.sqrt(sq), keys: [...w.keys()], vals: [...w.values()] };
}

export function cosine(a: WeightedVector, b: WeightedVector): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  const aSmall = a.w.size <= b.w.size;
  const small = aSmall ? a : b;
  const large = aSmall ? b : a;
  let dot = 0;
  const vs = small.vals;
  if (vs) {
    // the same products summed in the same order as the Map walk below, looked up by term number
    let sn = numbered(small);
    const ln = numbered(large);
    if (sn.generation !== ln.generation) sn = numbered(small); // the dictionary started again in between
    const t = ln.table ?? (ln.table = termTable(ln.ids, large.vals ?? [...large.w.values()]));
    const si = sn.ids;
    const tIds = t.ids;
    const tVals = t.vals;
    const mask = t.mask;
    for (let i = 0; i < si.length; i++) {
      const id = si[i]!;
      let h = Math.imul(id, HASH) & mask;
      for (;;) {
        const x = tIds[h]!;
        if (x === id) {
          dot += vs[i]! * tVals[h]!;
          break;
        }
        if (x === -1) break;
        h = (h + 1) & mask;
      }
    }
  } else {
    for (const [k, x] of small.w) {
      const y = large.w.get(k);
      if (y !== undefined) dot += x * y;
    }
  }
  return dot / (a.norm * b.norm);
}

// ── terms as numbers ──
// The decision runs a few hundred cosines per article (ten candidate stories, four members each,
// eight parts), and looking string keys up in Maps was the largest part of it. Each vector gets
// its terms as numbers (a process-wide dictionary) and a small open-addressing table from term
// number to weight, once (vectors are kept by the indexes and caches and compared many times).
// Written by hand: a typed-array table is a dozen lines, and no package offers one keyed by int.
// The dictionary is bounded: past DICT_MAX terms it starts again (a new generation) and vectors
// number their terms again when next compared.

const DICT_MAX = 1 << 20;
let dict = new Map<string, number>();
let generation = 0;

/** Term number → weight, open addressing (linear probing) over a power-of-two table. */
interface TermTable {
  ids: Int32Array;
  vals: Float64Array;
  mask: number;
}
const HASH = 0x9e3779b1 | 0;

function termTable(ids: Int32Array, vals: readonly number[]): TermTable {
  let size = 8;
  while (size < ids.length * 2) size *= 2;
  const t: TermTable = { ids: new Int32Array(size).fill(-1), vals: new Float64Array(size), mask: size - 1 };
  for (let i = 0; i < ids.length; i++) {
    let h = Math.imul(ids[i]!, HASH) & t.mask;
    while (t.ids[h] !== -1 && t.ids[h] !== ids[i]) h = (h + 1) & t.mask;
    t.ids[h] = ids[i]!;
    t.vals[h] = vals[i]!; // a key given twice: the last weight, as Map.set
  }
  return t;
}

/** A vector's terms as numbers (see above), kept on the vector. */
interface Numbered {
  generation: number;
  ids: Int32Array;
  table: TermTable | null;
}

function numbered(v: WeightedVector): Numbered {
  const had = v.numbered;
  if (had && had.generation === generation) return had;
  const keys = v.keys ?? [...v.w.keys()];
  if (dict.size + keys.length > DICT_MAX) {
    dict = new Map();
    generation++;
  }
  const ids = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    let id = dict.get(keys[i]!);
    if (id === undefined) dict.set(keys[i]!, (id = dict.size));
    ids[i] = id;
  }
  return (v.numbered = { generation, ids, table: null });
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

export function vectors(f: ArticleFeatures, d: DocFreq): ArticleVectors {
  return {
    id: f.id,
    t: f.t,
    lang: f.lang,
    ...(f.lead ? { lead: true } : {}),
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
  return weighted(
    kept.map(([k]) => k),
    kept.map(([, x]) => x),
    Math.sqrt(kept.reduce((s, [, x]) => s + x * x, 0)),
  );
}

/** Languages compare as equal when their families share a script (kk/ky/tg/ru are all Cyrillic). */
export function languageFamily(lang: string): string {
  if (['ru', 'kk', 'ky', 'tg', 'uk', 'be', 'mn'].includes(lang)) return 'cyrl';
  if (['zh', 'ja'].includes(lang)) return lang;
  return 'latn';
}

export function similarity(a: ArticleVectors, b: ArticleVectors): SimilarityParts {
  const sharedNums = sharedKeys(a.nums, b.nums);
  return {
    body: cosine(a.body, b.body),
    title: cosine(a.title, b.title),
    names: cosine(a.names, b.names),
    nums: cosine(a.nums, b.nums),
    sameLanguage: languageFamily(a.lang) === languageFamily(b.lang),
    xnames: cosine(a.xnames, b.xnames),
    titleBody: Math.max(cosine(a.title, b.body), cosine(b.title, a.body)),
    lead: !!(a.lead || b.lead),
    sharedNums,
    ...entityOverlap(a.xnames, b.xnames),
    numCover: cover(sharedNums, a.nums.w.size, b.nums.w.size),
    ...(countryConflict(a.xnames, b.xnames) ? { countryConflict: true } : {}),
  };
}

/** Whether both vectors hold `e:country:` keys and share none. */
function countryConflict(a: WeightedVector, b: WeightedVector): boolean {
  let na = 0;
  for (const k of keysOf(a)) {
    if (!k.startsWith('e:country:')) continue;
    if (b.w.has(k)) return false;
    na++;
  }
  if (na === 0) return false;
  for (const k of keysOf(b)) if (k.startsWith('e:country:')) return true;
  return false;
}

/** Shared keys over the larger set; 1 when both sets are empty (the same: none). */
function cover(shared: number, na: number, nb: number): number {
  const n = Math.max(na, nb);
  return n === 0 ? 1 : shared / n;
}

/** Shared `e:` keys of two name vectors, and their cover (see SimilarityParts). */
function entityOverlap(a: WeightedVector, b: WeightedVector): { sharedEntities: number; entityCover: number } {
  let na = 0;
  let shared = 0;
  for (const k of keysOf(a)) {
    if (!k.startsWith('e:')) continue;
    na++;
    if (b.w.has(k)) shared++;
  }
  return { sharedEntities: shared, entityCover: cover(shared, na, entityCount(b)) };
}

/** The number of `e:` keys of a vector (counted once per vector: a member is compared with many articles). */
function entityCount(v: WeightedVector): number {
  let n = ENTITY_COUNT.get(v);
  if (n === undefined) {
    n = 0;
    for (const k of keysOf(v)) if (k.startsWith('e:')) n++;
    ENTITY_COUNT.set(v, n);
  }
  return n;
}
const ENTITY_COUNT = new WeakMap<WeightedVector, number>();

function keysOf(v: WeightedVector): Iterable<string> {
  return v.keys ?? v.w.keys();
}

/**
 * How far above its threshold a pair is: ≥ 0 means one story. Same-language pairs use the text;
 * cross-language pairs can only use names, entities, numbers and dates.
 */
export function margin(p: SimilarityParts, m: ScoreModel = DEFAULT_MODEL): number {
  // Two reports naming different countries and no common one are two events: a fixed rule on top
  // of the weights (nothing fitted; the fit sees such pairs as they score without it). The margin
  // stays ordered by the similarities, one below, so "how close was it" still reads.
  if (p.countryConflict) return marginOf(p, m) - 1;
  return marginOf(p, m);
}

function marginOf(p: SimilarityParts, m: ScoreModel): number {
  if (p.sameLanguage) return m.title * headline(p) + m.body * p.body + m.titleBody * p.titleBody + m.names * p.names - m.threshold;
  return m.xnames * p.xnames + m.xnums * crossNums(p) - m.xthreshold;
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
 * Numbers as cross-language evidence: they count beside shared names, or alone when three or more
 * are shared (a translation's fingerprint even when its names are not found).
 */
export function crossNums(p: SimilarityParts): number {
  return p.xnames >= XNUMS_NEED_NAMES || p.sharedNums >= XNUMS_ALONE ? p.nums : 0;
}

/** Name-skeleton similarity below which numbers do not count across languages… */
export const XNUMS_NEED_NAMES = 0.25;
/** …unless at least this many numbers and dates are shared. */
export const XNUMS_ALONE = 3;

function sharedKeys(a: WeightedVector, b: WeightedVector): number {
  let n = 0;
  for (const k of keysOf(a)) if (b.w.has(k)) n++;
  return n;
}

/** Frequencies of two sources added up (a built-in background and what a batch or store counted). */
export function combineDocFreq(a: DocFreq, b: DocFreq): DocFreq {
  return { n: a.n + b.n, df: (k) => a.df(k) + b.df(k) };
}

/**
 * A frequency table as text (data/story-background.tsv): `# ` comment lines, a line `n<TAB>count`
 * with the number of documents, then one `key<TAB>df` line per key. Throws on a malformed line.
 */
export function parseDocFreqTable(table: string): DocFreq {
  let n = NaN;
  const m = new Map<string, number>();
  let lineNo = 0;
  for (const line of table.split('\n')) {
    lineNo++;
    if (!line || line.startsWith('# ')) continue; // keys never hold a space; number keys start with '#:'
    const tab = line.lastIndexOf('\t');
    const key = line.slice(0, tab);
    const count = Number(line.slice(tab + 1));
    if (tab <= 0 || !Number.isInteger(count) || count < 0) throw new Error(`line ${lineNo}: expected "key<TAB>count", got ${JSON.stringify(line.slice(0, 60))}`);
    if (key === 'n' && Number.isNaN(n)) n = count;
    else m.set(key, count);
  }
  if (Number.isNaN(n)) throw new Error('no "n<TAB>count" line (the number of documents)');
  return { n, df: (k) => m.get(k) ?? 0 };
}

/** The table's text (see parseDocFreqTable): keys seen in fewer than `minDf` documents left out, sorted. */
export function formatDocFreqTable(n: number, counts: ReadonlyMap<string, number>, minDf: number, header: readonly string[] = []): string {
  const rows = [...counts.entries()].filter(([k, c]) => c >= minDf && k !== 'n' && !k.includes('\t') && !k.includes('\n')).sort((x, y) => (x[0] < y[0] ? -1 : 1));
  return [...header.map((h) => `# ${h}`), `n\t${n}`, ...rows.map(([k, c]) => `${k}\t${c}`), ''].join('\n');
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
