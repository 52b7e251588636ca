// An article's vectors as stored: compact JSON (packVectors/unpackVectors) and the same values
// without the JSON (storedForm). Split from similarity.ts for size; no change in behaviour.
import { weighted, type ArticleVectors, type WeightedVector } from './similarity.js';
import { reweighted } from './weighted-vector.js';

type PackedVector = [string, number][];
interface Packed {
  i: string;
  t: number;
  l: string;
  /** 1 when the title is the first sentence. */
  e?: 1;
  b: PackedVector;
  h: PackedVector;
  n: PackedVector;
  u: PackedVector;
  x: PackedVector;
}

function packOne(v: WeightedVector): PackedVector {
  if (v.norm === 0) return [];
  return v.keys.map((k, i) => [k, Math.round((v.vals[i]! / v.norm) * 1e4) / 1e4]);
}
function unpackOne(p: PackedVector): WeightedVector {
  const keys: string[] = [];
  const vals: number[] = [];
  for (let i = 0; i < p.length; i++) {
    keys.push(p[i]![0]);
    vals.push(p[i]![1]);
  }
  return weighted(keys, vals, p.length ? 1 : 0);
}

/** Compact JSON of an article's vectors, normalised (weights to 4 decimals). */
export function packVectors(v: ArticleVectors): string {
  const p: Packed = { i: v.id, t: v.t, l: v.lang, ...(v.lead ? { e: 1 as const } : {}), b: packOne(v.body), h: packOne(v.title), n: packOne(v.names), u: packOne(v.nums), x: packOne(v.xnames) };
  return JSON.stringify(p);
}

/**
 * `packVectors(v)` of the vectors `v` that `storedForm(v)` gave (`stored`): the same string, from
 * the weights already normalised and rounded there instead of working them out again.
 */
export function packStored(stored: ArticleVectors): string {
  const p: Packed = { i: stored.id, t: stored.t, l: stored.lang, ...(stored.lead ? { e: 1 as const } : {}), b: pairsOf(stored.body), h: pairsOf(stored.title), n: pairsOf(stored.names), u: pairsOf(stored.nums), x: pairsOf(stored.xnames) };
  return JSON.stringify(p);
}

function pairsOf(v: WeightedVector): PackedVector {
  const out: PackedVector = [];
  for (let i = 0; i < v.keys.length; i++) out.push([v.keys[i]!, v.vals[i]!]);
  return out;
}

/**
 * The vectors as `unpackVectors(packVectors(v))` gives them (weights normalised and rounded), without
 * the JSON in between: what the engine files and compares an article's members by.
 */
export function storedForm(v: ArticleVectors): ArticleVectors {
  return { id: v.id, t: v.t, lang: v.lang, ...(v.lead ? { lead: true } : {}), body: roundedOne(v.body), title: roundedOne(v.title), names: roundedOne(v.names), nums: roundedOne(v.nums), xnames: roundedOne(v.xnames) };
}

function roundedOne(v: WeightedVector): WeightedVector {
  if (v.norm === 0) return weighted([], [], 0);
  const vals: number[] = [];
  for (let i = 0; i < v.keys.length; i++) vals.push(Math.round((v.vals[i]! / v.norm) * 1e4) / 1e4);
  return reweighted(v, vals, v.keys.length ? 1 : 0);
}

export function unpackVectors(s: string): ArticleVectors {
  const p = JSON.parse(s) as Packed;
  return { id: p.i, t: p.t, lang: p.l, ...(p.e ? { lead: true } : {}), body: unpackOne(p.b), title: unpackOne(p.h), names: unpackOne(p.n), nums: unpackOne(p.u), xnames: unpackOne(p.x) };
}

/**
 * Estimated heap bytes of an article's vectors as `unpackVectors` gives them (what a cache of them
 * counts): three arrays of 8-byte elements per part (terms, weights, term numbers; the terms' text
 * is the dictionary's, shared) and the objects around them. Measured 2026-12-06 on 3,000 of the
 * bench farm's Central Asia articles (~100 terms each): 3.7 KB an article kept, against ~8.9 KB
 * for the Map-based vectors before (and ~18 KB once compared: their term tables).
 */
export function vectorsHeapBytes(v: ArticleVectors): number {
  const terms = v.body.keys.length + v.title.keys.length + v.names.keys.length + v.nums.keys.length + v.xnames.keys.length;
  return 1_400 + 26 * terms;
}
