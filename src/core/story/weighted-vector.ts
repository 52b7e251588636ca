// Weighted term vectors and their cosine (the story engine's inner loop). Split from similarity.ts
// for size; no change in behaviour (similarity.ts re-exports them).

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
