// Weighted term vectors and their cosine (the story engine's inner loop), compact: a vector is its
// terms in order (each once), their weights and their numbers (a process-wide dictionary, below),
// three plain arrays. No Map per vector: a stored article's five vectors take ~3 KB of heap
// instead of ~18 KB, so the assigner's byte-bounded cache holds six times as many, and a cosine
// allocates nothing.
//
// The sums are those of the Map-based vectors this replaces, bit for bit: a cosine adds the
// products of shared terms in the order of the smaller vector's terms (the larger one's on ties
// of size: `a` when sizes are equal), which is the order the old loop walked
// (test/unit/story/weighted-vector.test.ts compares both on random vectors).

import { ownString } from '../text/own-string.js';

/** The weighted vector of a term-count map: (1 + ln tf) · idf, with its norm. */
export interface WeightedVector {
  /** Its terms, each once, in order: the order a cosine adds products in. */
  readonly keys: readonly string[];
  /** Their weights (same order). */
  readonly vals: readonly number[];
  /** The norm the cosine divides by (as given: a truncated vector keeps its own). */
  readonly norm: number;
  /** Its terms' numbers in `gen`'s dictionary (cosine's business; renumbered when it starts again). */
  ids: number[];
  gen: number;
  /** How many of its terms are entity keys (`e:`), and how many country keys (`e:country:`). */
  readonly entities: number;
  readonly countries: number;
  /** The Euclidean length of `vals` (not `norm`, which is as given): what `cosineBound` reads. */
  readonly l2: number;
}

/**
 * A vector from keys and weights in order (weights as given). A key given twice keeps its first
 * place and its last weight, as Map.set does.
 */
export function weighted(keys: readonly string[], vals: ArrayLike<number>, norm: number): WeightedVector {
  const n = keys.length;
  // plain arrays, filled in order (packed: 8 bytes an element, in the heap): for vectors of ten to
  // a hundred terms a typed array's own objects and off-heap store cost more than its elements
  const ks = new Array<string>(n);
  const vs = new Array<number>(n);
  const ids = new Array<number>(n);
  if (dict.size + n > DICT_MAX) restart();
  const st = nextSeen();
  let m = 0;
  let ne = 0;
  let nc = 0;
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    let id = dict.get(k);
    if (id === undefined) id = intern(k);
    // a key given twice (rare: hand-made vectors, set vectors of a repeated name)
    if (seenAt[id] === st) {
      for (let j = 0; j < m; j++) if (ids[j] === id) vs[j] = vals[i]!;
      continue;
    }
    seenAt[id] = st;
    const kd = kind[id]!;
    if (kd & ENTITY) ne++;
    if (kd & COUNTRY) nc++;
    ks[m] = terms[id]!;
    vs[m] = vals[i]!;
    ids[m] = id;
    m++;
  }
  if (m < n) ks.length = vs.length = ids.length = m;
  return { keys: ks, vals: vs, norm, ids, gen: generation, entities: ne, countries: nc, l2: lengthOf(vs) };
}

/**
 * `weighted(v.keys, vals, norm)`: v's terms with other weights (same order; `vals` is kept, not
 * copied). v's terms are unique already, so its arrays of terms and of their numbers are shared,
 * not made again, while they are numbered in the current dictionary (neither is ever changed in
 * place: `current` replaces ids).
 */
export function reweighted(v: WeightedVector, vals: readonly number[], norm: number): WeightedVector {
  if (v.gen !== generation || vals.length !== v.keys.length) return weighted(v.keys, vals, norm);
  return { keys: v.keys, vals, norm, ids: v.ids, gen: generation, entities: v.entities, countries: v.countries, l2: lengthOf(vals) };
}

function lengthOf(vals: readonly number[]): number {
  let sq = 0;
  for (let i = 0; i < vals.length; i++) sq += vals[i]! * vals[i]!;
  return Math.sqrt(sq);
}

/**
 * A number never below `cosine(a, b)` as computed (the double it gives), read from the two vectors'
 * lengths alone (Cauchy–Schwarz: |a·b| ≤ |a||b|; the factor covers the rounding of the sums, ~1e-14
 * relative at a hundred terms). About 1 for the normalised vectors the index stores; what the
 * decision uses to skip the full cosine of a pair that cannot pass whatever it is (decide.ts).
 */
export function cosineBound(a: WeightedVector, b: WeightedVector): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  return (a.l2 / Math.abs(a.norm)) * (b.l2 / Math.abs(b.norm)) * (1 + 1e-9);
}

/** The vector's (term, weight) pairs in order. */
export function entriesOf(v: WeightedVector): [string, number][] {
  return v.keys.map((k, i) => [k, v.vals[i]!]);
}

/** The number of terms. */
export function sizeOf(v: WeightedVector): number {
  return v.keys.length;
}

export function cosine(a: WeightedVector, b: WeightedVector): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  const aSmall = a.keys.length <= b.keys.length;
  const small = aSmall ? a : b;
  const large = aSmall ? b : a;
  both(small, large);
  const s = markLarge(large);
  const si = small.ids;
  const sv = small.vals;
  let dot = 0;
  for (let i = 0; i < si.length; i++) {
    const id = si[i]!;
    if (mark[id] === s) dot += sv[i]! * weight[id]!;
  }
  return dot / (a.norm * b.norm);
}

/** How many of `a`'s terms `b` has. */
export function sharedCount(a: WeightedVector, b: WeightedVector): number {
  both(a, b);
  const s = markLarge(b);
  const ai = a.ids;
  let n = 0;
  for (let i = 0; i < ai.length; i++) if (mark[ai[i]!] === s) n++;
  return n;
}

/** Entity keys (`e:`) of `a`, and how many of them `b` has. */
export function sharedEntities(a: WeightedVector, b: WeightedVector): { count: number; shared: number } {
  if (a.entities === 0) return { count: 0, shared: 0 };
  both(a, b);
  const s = markLarge(b);
  const ai = a.ids;
  let count = 0;
  let shared = 0;
  for (let i = 0; i < ai.length; i++) {
    const id = ai[i]!;
    if ((kind[id]! & ENTITY) === 0) continue;
    count++;
    if (mark[id] === s) shared++;
  }
  return { count, shared };
}

/** The number of entity keys (`e:`) of a vector. */
export function entityCount(v: WeightedVector): number {
  return v.entities;
}

/** Whether both vectors hold `e:country:` keys and share none. */
export function countriesApart(a: WeightedVector, b: WeightedVector): boolean {
  if (a.countries === 0 || b.countries === 0) return false;
  both(a, b);
  // a's few country keys looked for in b directly (no marking of b: a name vector has a dozen terms)
  const ai = a.ids;
  const bi = b.ids;
  for (let i = 0; i < ai.length; i++) {
    const id = ai[i]!;
    if ((kind[id]! & COUNTRY) === 0) continue;
    for (let j = 0; j < bi.length; j++) if (bi[j] === id) return false;
  }
  return true;
}

// ── terms as numbers ──
// Every term of every vector gets a number from one process-wide dictionary, so the similarity
// loops index typed arrays (`mark`, `weight`, `kind`, by term number) instead of hashing strings:
// the decision runs a few hundred cosines per article (ten candidate stories, four members each,
// several parts). Written by hand: the loops are a few lines, and no package offers them. The
// dictionary is bounded: past DICT_MAX terms it starts again (a new generation); a vector of an
// older generation numbers its terms again (from `keys`) when next compared.

// 512K terms bound it to some 50 MB (the terms, the Map, ~25 bytes a term of typed arrays);
// starting again costs only renumbering, never a decision.
const DICT_MAX = 1 << 19;
let dict = new Map<string, number>();
/** Term number → the term (the one copy vectors keep). */
let terms: string[] = [];
let generation = 0;
/** Per term number: ENTITY, COUNTRY bits. */
let kind = new Uint8Array(1024);
const ENTITY = 1;
const COUNTRY = 2;
/** Per term number: the stamp of the vector last marked (`markLarge`) and its weight there. */
let mark = new Uint32Array(1024);
let weight = new Float64Array(1024);
let stamp = 0;
/** `weighted`'s duplicate check, by term number. */
let seenAt = new Uint32Array(1024);
let seenStamp = 0;

function intern(key: string): number {
  // a copy of its own: a term cut from a text (vector-pack.ts reads terms out of the packed JSON)
  // would keep that text alive as long as the dictionary keeps the term
  const k = ownString(key);
  const id = dict.size;
  dict.set(k, id);
  terms.push(k);
  if (id >= kind.length) grow(kind.length * 2);
  kind[id] = k.startsWith('e:') ? (k.startsWith('e:country:') ? ENTITY | COUNTRY : ENTITY) : 0;
  return id;
}

function grow(size: number): void {
  qAt = grown(qAt, new Uint32Array(size * Q_SLOTS));
  kind = grown(kind, new Uint8Array(size));
  mark = grown(mark, new Uint32Array(size));
  weight = grown(weight, new Float64Array(size));
  seenAt = grown(seenAt, new Uint32Array(size));
}

/** `to` holding `from`'s elements first. */
function grown<A extends Uint8Array | Uint32Array | Float64Array>(from: A, to: A): A {
  to.set(from);
  return to;
}

/** Starts the dictionary again, as when it is full (tests: vectors numbered before must compare the same). */
export function restartTermNumbers(): void {
  restart();
}

function restart(): void {
  dict = new Map();
  terms = [];
  generation++;
  kind.fill(0);
  mark.fill(0);
  stamp = 0;
  seenAt.fill(0);
  seenStamp = 0;
  qAt.fill(0);
  qStamp = 0;
  // (a query stamped before is stamped again when next used: `queryCosine`)
}

function nextSeen(): number {
  if (++seenStamp === 0xffffffff) {
    seenAt.fill(0);
    seenStamp = 1;
  }
  return seenStamp;
}

/** Both vectors numbered in the current dictionary (numbering one may start it again). */
function both(a: WeightedVector, b: WeightedVector): void {
  current(a);
  current(b);
  if (a.gen !== generation) current(a);
}

/** The vector with its terms numbered in the current dictionary. */
function current(v: WeightedVector): WeightedVector {
  if (v.gen === generation) return v;
  const n = v.keys.length;
  if (dict.size + n > DICT_MAX) restart();
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push(dict.get(v.keys[i]!) ?? intern(v.keys[i]!));
  v.ids = ids;
  v.gen = generation;
  return v;
}

/** Marks `v`'s terms (numbered in the current dictionary: `both`) (a fresh stamp) with their weights; returns the stamp. */
function markLarge(v: WeightedVector): number {
  const ids = v.ids;
  if (++stamp === 0xffffffff) {
    mark.fill(0);
    stamp = 1;
  }
  const s = stamp;
  const vs = v.vals;
  for (let i = 0; i < ids.length; i++) {
    mark[ids[i]!] = s;
    weight[ids[i]!] = vs[i]!;
  }
  return s;
}

// ── one article against many ──
// The decision compares the article being placed (its five vectors) with some forty stored
// members, five cosines a pair. `markLarge` marked the larger vector of every cosine afresh (a
// member's body twice a pair, the article's body once); a `Query` stamps the article's vectors
// once, with each term's position, and each cosine then reads only the member's terms. The sums
// stay the same double: products are added in the order of the smaller vector's terms, as
// `cosine` adds them (when the article's vector is the smaller one, its positions hit are
// added in position order).

/** Query slots (the article's vectors): body, title, names, nums, xnames. */
const Q_SLOTS = 5;
/** Per term number and slot: the query stamp (high 24 bits) and the term's position in that vector (low 8). */
let qAt = new Uint32Array(1024 * Q_SLOTS);
let qStamp = 0;
/** The query stamped now (`queryOf`): only its cosines read the stamps. */
let lastQuery: Query | null = null;
/** Positions above this are not stamped (a vector that long is compared by `cosine`). */
const Q_MAX_TERMS = 256;
/**
 * A filter over the query's term numbers (bit `id mod 2^16`): most of a member's terms are not the
 * query's, and this 8 KB answers that from the first-level cache where `qAt` (per term, spread over
 * megabytes) would be a cache miss each.
 */
const qBits = new Uint32Array(1 << 11);
/** `queryCosine`'s scratch, by position in the query vector: the member's weight there, and whether it was hit. */
const hitVal = new Float64Array(Q_MAX_TERMS);
const hitAt = new Uint8Array(Q_MAX_TERMS);
/** The same for the second slot of `queryCosines`. */
const hitVal2 = new Float64Array(Q_MAX_TERMS);
const hitAt2 = new Uint8Array(Q_MAX_TERMS);

/** Up to five vectors of one article, stamped for `queryCosine` (valid until the next `queryOf`). */
export interface Query {
  readonly vs: readonly WeightedVector[];
  stamp: number;
  gen: number;
}

/** Stamps the vectors (at most Q_SLOTS; slot = index) for `queryCosine`; the previous query is no longer stamped. */
export function queryOf(vs: readonly WeightedVector[]): Query {
  const q: Query = { vs, stamp: 0, gen: -1 };
  stampQuery(q);
  lastQuery = q;
  return q;
}

function stampQuery(q: Query): void {
  // numbering a vector may start the dictionary again: until all are numbered in one generation
  for (;;) {
    const gen = generation;
    for (const v of q.vs) current(v);
    if (gen === generation && q.vs.every((v) => v.gen === generation)) break;
  }
  if (++qStamp === 1 << 24) {
    qAt.fill(0);
    qStamp = 1;
  }
  q.stamp = qStamp;
  q.gen = generation;
  const tag = qStamp * 256;
  qBits.fill(0);
  for (let s = 0; s < q.vs.length; s++) {
    const ids = q.vs[s]!.ids;
    if (ids.length > Q_MAX_TERMS) continue;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      qAt[id * Q_SLOTS + s] = tag + i;
      qBits[(id >>> 5) & 0x7ff]! |= 1 << (id & 31);
    }
  }
}

/** Numbers `m` and (again, if that restarted the dictionary) the query's stamps in the current dictionary. */
function numberBoth(q: Query, m: WeightedVector): void {
  for (;;) {
    current(m);
    if (q.gen !== generation) stampQuery(q);
    if (m.gen === generation) break;
  }
}

/** The query-ordered sum over the hits recorded at positions lo..hi (`av[p] * hv[p]`, from 0), clearing them. */
function drainHits(av: readonly number[], hv: Float64Array, ha: Uint8Array, lo: number, hi: number): number {
  let dot = 0;
  for (let p = lo; p <= hi; p++) {
    if (ha[p] === 0) continue;
    ha[p] = 0;
    dot += av[p]! * hv[p]!;
  }
  return dot;
}

/**
 * `cosine(q.vs[slot], m)` (`queryFirst`) or `cosine(m, q.vs[slot])`, the same double: the member's
 * terms looked up among the query's stamped ones.
 */
export function queryCosine(q: Query, slot: number, m: WeightedVector, queryFirst: boolean): number {
  const a = q.vs[slot]!;
  const la = a.ids.length;
  if (q !== lastQuery || la > Q_MAX_TERMS) return queryFirst ? cosine(a, m) : cosine(m, a);
  if (a.norm === 0 || m.norm === 0) return 0;
  // both numbered in the current dictionary (numbering either may start it again)
  numberBoth(q, m);
  const lm = m.ids.length;
  const mi = m.ids;
  const mv = m.vals;
  const av = a.vals;
  const tag = q.stamp;
  // module arrays in locals (a module `let` is read through its context, with a hole check, each time)
  const bits = qBits;
  const at = qAt;
  let dot = 0;
  // `cosine`'s smaller vector (the first one on ties) sets the order of the sum
  if (queryFirst ? la > lm : la >= lm) {
    for (let j = 0; j < lm; j++) {
      const id = mi[j]!;
      if ((bits[(id >>> 5) & 0x7ff]! & (1 << (id & 31))) === 0) continue;
      const e = at[id * Q_SLOTS + slot]!;
      if (e >>> 8 === tag) dot += mv[j]! * av[e & 255]!;
    }
  } else {
    let lo = Q_MAX_TERMS;
    let hi = -1;
    for (let j = 0; j < lm; j++) {
      const id = mi[j]!;
      if ((bits[(id >>> 5) & 0x7ff]! & (1 << (id & 31))) === 0) continue;
      const e = at[id * Q_SLOTS + slot]!;
      if (e >>> 8 !== tag) continue;
      const p = e & 255;
      hitVal[p] = mv[j]!;
      hitAt[p] = 1;
      if (p < lo) lo = p;
      if (p > hi) hi = p;
    }
    dot = drainHits(av, hitVal, hitAt, lo, hi);
  }
  return dot / (a.norm * m.norm);
}

/**
 * `queryCosine(q, s1, m, true)` and `queryCosine(q, s2, m, true)` into `out[0]`, `out[1]`, the same
 * two doubles, in one pass over m's terms: the decision reads the article's text and its title
 * against a member's text (a hundred terms), and a pass is mostly loads of the member's arrays and
 * of the query's stamps, which the two share. Each sum is added in the order `queryCosine` adds it.
 */
export function queryCosines(q: Query, s1: number, s2: number, m: WeightedVector, out: number[]): void {
  const a1 = q.vs[s1]!;
  const a2 = q.vs[s2]!;
  if (q !== lastQuery || a1.ids.length > Q_MAX_TERMS || a2.ids.length > Q_MAX_TERMS || a1.norm === 0 || a2.norm === 0 || m.norm === 0) {
    out[0] = queryCosine(q, s1, m, true);
    out[1] = queryCosine(q, s2, m, true);
    return;
  }
  numberBoth(q, m);
  const lm = m.ids.length;
  const mi = m.ids;
  const mv = m.vals;
  const av1 = a1.vals;
  const av2 = a2.vals;
  const tag = q.stamp;
  const bits = qBits;
  const at = qAt;
  // as `queryCosine`: the member's order when the query's vector is the larger, else the query's
  const byMember1 = a1.ids.length > lm;
  const byMember2 = a2.ids.length > lm;
  let dot1 = 0;
  let dot2 = 0;
  let lo1 = Q_MAX_TERMS;
  let hi1 = -1;
  let lo2 = Q_MAX_TERMS;
  let hi2 = -1;
  for (let j = 0; j < lm; j++) {
    const id = mi[j]!;
    if ((bits[(id >>> 5) & 0x7ff]! & (1 << (id & 31))) === 0) continue;
    const e1 = at[id * Q_SLOTS + s1]!;
    if (e1 >>> 8 === tag) {
      const p = e1 & 255;
      if (byMember1) dot1 += mv[j]! * av1[p]!;
      else {
        hitVal[p] = mv[j]!;
        hitAt[p] = 1;
        if (p < lo1) lo1 = p;
        if (p > hi1) hi1 = p;
      }
    }
    const e2 = at[id * Q_SLOTS + s2]!;
    if (e2 >>> 8 === tag) {
      const p = e2 & 255;
      if (byMember2) dot2 += mv[j]! * av2[p]!;
      else {
        hitVal2[p] = mv[j]!;
        hitAt2[p] = 1;
        if (p < lo2) lo2 = p;
        if (p > hi2) hi2 = p;
      }
    }
  }
  if (!byMember1) dot1 = drainHits(av1, hitVal, hitAt, lo1, hi1);
  if (!byMember2) dot2 = drainHits(av2, hitVal2, hitAt2, lo2, hi2);
  out[0] = dot1 / (a1.norm * m.norm);
  out[1] = dot2 / (a2.norm * m.norm);
}
