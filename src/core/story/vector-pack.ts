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
  return readPacked(s) ?? unpackJson(s);
}

/** `unpackVectors` through `JSON.parse` (what `readPacked` gives too; tests compare the two). */
export function unpackJson(s: string): ArticleVectors {
  const p = JSON.parse(s) as Packed;
  return { id: p.i, t: p.t, lang: p.l, ...(p.e ? { lead: true } : {}), body: unpackOne(p.b), title: unpackOne(p.h), names: unpackOne(p.n), nums: unpackOne(p.u), xnames: unpackOne(p.x) };
}

// ── reading the packed JSON by hand ──
// The assigner unpacks every compared member it has not cached (story-rate: ~1.2 an article, each
// ~1.9 KB of ~150 pairs): `JSON.parse` made an array a pair and read each weight with a general
// decimal conversion (`npx tsx bench/story-unpack.ts`: 59.6 µs an unpack, 33.2 by hand). Written by
// hand for the one shape `packStored` writes: no escapes in its strings, and weights of at most 15
// digits without an exponent, read exactly as digits / 10^k (both exact doubles, one correctly
// rounded division: the double a correct parser gives). Anything else (an escape, an exponent,
// white space, a key it does not know) is left to `JSON.parse` (`readPacked` gives undefined).

/** The powers of ten a weight's fraction divides by (exact doubles). */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** `String.prototype.charCodeAt` (through `.call`: see memo.ts `unitAt`). */
const unitAt: (this: string, i: number) => number = String.prototype.charCodeAt;

/** A code unit of 0-9 (past the text's end `charCodeAt` gives NaN: no digit). */
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

class PackReader {
  p = 0;
  ok = true;
  constructor(readonly s: string) {}

  /** Steps over `c`, else fails. */
  take(c: number): void {
    if (unitAt.call(this.s, this.p) === c) this.p++;
    else this.ok = false;
  }

  /** A string without escapes (a backslash or a control character fails). */
  str(): string {
    const s = this.s;
    let p = this.p;
    if (unitAt.call(s, p) !== 0x22) return this.fail('');
    const from = ++p;
    for (;;) {
      if (p >= s.length) return this.fail('');
      const c = unitAt.call(s, p);
      if (c === 0x22) break;
      if (c === 0x5c || c < 0x20) return this.fail('');
      p++;
    }
    this.p = p + 1;
    return s.slice(from, p);
  }

  /** A number of the JSON grammar without an exponent, of at most 15 digits. */
  num(): number {
    const s = this.s;
    let p = this.p;
    let sign = 1;
    if (unitAt.call(s, p) === 0x2d) {
      sign = -1;
      p++;
    }
    let v = 0;
    let digits = 0;
    let c = unitAt.call(s, p);
    // one leading zero, no more (JSON.parse fails "01")
    if (c === 0x30 && isDigit(unitAt.call(s, p + 1))) return this.fail(0);
    while (isDigit(c)) {
      v = v * 10 + (c - 0x30);
      digits++;
      c = unitAt.call(s, ++p);
    }
    if (digits === 0) return this.fail(0);
    let frac = 0;
    if (c === 0x2e) {
      c = unitAt.call(s, ++p);
      while (isDigit(c)) {
        v = v * 10 + (c - 0x30);
        frac++;
        c = unitAt.call(s, ++p);
      }
      if (frac === 0) return this.fail(0);
    }
    if (c === 0x65 || c === 0x45 || digits + frac > 15) return this.fail(0);
    this.p = p;
    return sign * (v / POW10[frac]!);
  }

  /** A packed vector (`[["term",w],…]`) as `weighted` takes it: terms, weights. */
  pairs(keys: string[], vals: number[]): void {
    this.take(0x5b);
    if (unitAt.call(this.s, this.p) === 0x5d) {
      this.p++;
      return;
    }
    while (this.ok) {
      this.take(0x5b);
      keys.push(this.str());
      this.take(0x2c);
      vals.push(this.num());
      this.take(0x5d);
      const c = unitAt.call(this.s, this.p++);
      if (c === 0x5d) return;
      if (c !== 0x2c) this.ok = false;
    }
  }

  fail<T>(v: T): T {
    this.ok = false;
    return v;
  }
}

/** `unpackJson(s)` for the text `packStored` writes, read by hand (above); undefined for any other. */
export function readPacked(s: string): ArticleVectors | undefined {
  const r = new PackReader(s);
  let id: string | undefined;
  let t: number | undefined;
  let lang: string | undefined;
  let lead = false;
  const ks: string[][] = [[], [], [], [], []];
  const vs: number[][] = [[], [], [], [], []];
  const seen = [false, false, false, false, false];
  r.take(0x7b);
  while (r.ok) {
    const key = r.str();
    r.take(0x3a);
    if (!r.ok || key.length !== 1) return undefined;
    const part = PARTS.indexOf(key);
    if (part >= 0) {
      if (seen[part]) return undefined;
      seen[part] = true;
      r.pairs(ks[part]!, vs[part]!);
    } else if (key === 'i') id = r.str();
    else if (key === 't') t = r.num();
    else if (key === 'l') lang = r.str();
    else if (key === 'e') lead = r.num() !== 0;
    else return undefined;
    const c = unitAt.call(s, r.p++);
    if (c === 0x7d) break;
    if (c !== 0x2c) return undefined;
  }
  if (!r.ok || r.p !== s.length || id === undefined || t === undefined || lang === undefined || !seen.every(Boolean)) return undefined;
  // (in unpackJson's order: the parts' terms are numbered in it)
  const one = (i: number) => weighted(ks[i]!, vs[i]!, ks[i]!.length ? 1 : 0);
  return { id, t, lang, ...(lead ? { lead: true } : {}), body: one(0), title: one(1), names: one(2), nums: one(3), xnames: one(4) };
}

/** The packed parts' keys in `ArticleVectors` order: body, title, names, nums, xnames. */
const PARTS = ['b', 'h', 'n', 'u', 'x'];

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
