// The compact vectors (core/story/weighted-vector.ts, vector-pack.ts) against the Map-based ones
// they replaced (written out below as they were): every similarity the decision reads must be the
// same double, bit for bit, or a pair at a threshold could decide differently.
import { describe, expect, it } from 'vitest';
import { cosine, entriesOf, queryCosine, queryCosines, queryOf, restartTermNumbers, weighted, type WeightedVector } from '../../../src/core/story/weighted-vector.js';
import { articleQuery, PairParts, similarity, type ArticleVectors } from '../../../src/core/story/similarity.js';
import { packVectors, storedForm, unpackVectors, vectorsHeapBytes } from '../../../src/core/story/vector-pack.js';

// ── the Map-based vectors as they were (commit 0634df5) ──
interface OldVector {
  w: Map<string, number>;
  norm: number;
}
function oldWeighted(keys: string[], vals: number[], norm: number): OldVector {
  const w = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) w.set(keys[i]!, vals[i]!);
  return { w, norm };
}
function oldCosine(a: OldVector, b: OldVector): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  const aSmall = a.w.size <= b.w.size;
  const small = aSmall ? a : b;
  const large = aSmall ? b : a;
  let dot = 0;
  for (const [k, x] of small.w) {
    const y = large.w.get(k);
    if (y !== undefined) dot += x * y;
  }
  return dot / (a.norm * b.norm);
}
function oldShared(a: OldVector, b: OldVector): number {
  let n = 0;
  for (const k of a.w.keys()) if (b.w.has(k)) n++;
  return n;
}
function oldCountryConflict(a: OldVector, b: OldVector): boolean {
  let na = 0;
  for (const k of a.w.keys()) {
    if (!k.startsWith('e:country:')) continue;
    if (b.w.has(k)) return false;
    na++;
  }
  if (na === 0) return false;
  for (const k of b.w.keys()) if (k.startsWith('e:country:')) return true;
  return false;
}
function oldEntities(a: OldVector, b: OldVector): { shared: number; cover: number } {
  let na = 0;
  let shared = 0;
  for (const k of a.w.keys()) {
    if (!k.startsWith('e:')) continue;
    na++;
    if (b.w.has(k)) shared++;
  }
  const nb = [...b.w.keys()].filter((k) => k.startsWith('e:')).length;
  const n = Math.max(na, nb);
  return { shared, cover: n === 0 ? 1 : shared / n };
}
function oldPack(v: OldVector): [string, number][] {
  if (v.norm === 0) return [];
  return [...v.w.entries()].map(([k, x]) => [k, Math.round((x / v.norm) * 1e4) / 1e4]);
}

// ── random vectors (a seeded generator: the same cases every run) ──
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const VOCAB = [...Array.from({ length: 60 }, (_, i) => `t${i}`), 'e:country:KZ', 'e:country:UZ', 'e:country:TJ', 'e:person:tokayev', 'e:org:sco', '#:12', 'x:tkv', 'ü', '"q"', 'a\\b'];
function randomPair(r: () => number): { keys: string[]; vals: number[]; norm: number } {
  const n = Math.floor(r() * 40);
  const keys: string[] = [];
  const vals: number[] = [];
  let sq = 0;
  for (let i = 0; i < n; i++) {
    keys.push(VOCAB[Math.floor(r() * VOCAB.length)]!); // repeats on purpose: a key given twice
    // weights as the engine makes them ((1 + ln tf) · idf) and as stored (rounded to 4 decimals)
    const x = r() < 0.5 ? (1 + Math.log(1 + Math.floor(r() * 5))) * (1 + r() * 9) : Math.round(r() * 1e4) / 1e4;
    vals.push(x);
    sq += x * x;
  }
  return { keys, vals, norm: r() < 0.05 ? 0 : Math.sqrt(sq) };
}
function both(r: () => number): [WeightedVector, OldVector] {
  const p = randomPair(r);
  return [weighted(p.keys, p.vals, p.norm), oldWeighted(p.keys, p.vals, p.norm)];
}
const art = (id: string, parts: WeightedVector[]): ArticleVectors => ({ id, t: 0, lang: 'en', body: parts[0]!, title: parts[1]!, names: parts[2]!, nums: parts[3]!, xnames: parts[4]! });

describe('compact vectors', () => {
  it('keep each key once, in its first place with its last weight (as a Map did)', () => {
    const v = weighted(['a', 'b', 'a', 'c'], [1, 2, 3, 4], 5);
    expect(entriesOf(v)).toEqual([
      ['a', 3],
      ['b', 2],
      ['c', 4],
    ]);
    expect(v.norm).toBe(5);
  });

  it('give the cosine of the Map-based vectors bit for bit, on 5,000 random pairs', () => {
    const r = rng(15);
    let equalSizes = 0;
    let overlapping = 0;
    for (let i = 0; i < 5_000; i++) {
      const [a, oa] = both(r);
      const [b, ob] = both(r);
      if (oa.w.size === ob.w.size) equalSizes++;
      if (oldShared(oa, ob) > 1) overlapping++;
      expect(Object.is(cosine(a, b), oldCosine(oa, ob))).toBe(true);
      expect(Object.is(cosine(b, a), oldCosine(ob, oa))).toBe(true);
    }
    // the cases that matter were drawn: equal sizes (the order of the sum depends on the argument order) and real overlaps
    expect(equalSizes).toBeGreaterThan(50);
    expect(overlapping).toBeGreaterThan(1_200);
  });

  it('give the same shared counts, entity overlap and country conflict as the Map-based ones', () => {
    const r = rng(16);
    for (let i = 0; i < 1_500; i++) {
      const pa = Array.from({ length: 5 }, () => both(r));
      const pb = Array.from({ length: 5 }, () => both(r));
      const s = similarity(
        art('a', pa.map((x) => x[0])),
        art('b', pb.map((x) => x[0])),
      );
      const [ob, , , onum, ox] = pb.map((x) => x[1]);
      const [oab, oat, , oanum, oax] = pa.map((x) => x[1]);
      expect(s.sharedNums).toBe(oldShared(oanum!, onum!));
      expect(s.numCover).toBe(Math.max(oanum!.w.size, onum!.w.size) === 0 ? 1 : oldShared(oanum!, onum!) / Math.max(oanum!.w.size, onum!.w.size));
      const e = oldEntities(oax!, ox!);
      expect(s.sharedEntities).toBe(e.shared);
      expect(s.entityCover).toBe(e.cover);
      expect(!!s.countryConflict).toBe(oldCountryConflict(oax!, ox!));
      expect(Object.is(s.titleBody, Math.max(oldCosine(oat!, ob!), oldCosine(pb[1]![1], oab!)))).toBe(true);
    }
  });

  it('compare the same after the term dictionary starts again (vectors numbered before and after)', () => {
    const r = rng(17);
    const before = Array.from({ length: 200 }, () => both(r));
    const expected = before.map(([, o], i) => oldCosine(o, before[(i + 1) % before.length]![1]));
    restartTermNumbers();
    const after = Array.from({ length: 200 }, () => both(r));
    before.forEach(([v], i) => expect(Object.is(cosine(v, before[(i + 1) % before.length]![0]), expected[i])).toBe(true));
    after.forEach(([v, o], i) => expect(Object.is(cosine(v, before[i]![0]), oldCosine(o, before[i]![1]))).toBe(true));
    restartTermNumbers();
    after.forEach(([v, o], i) => expect(Object.is(cosine(before[i]![0], v), oldCosine(before[i]![1], o))).toBe(true));
  });
});

describe('one vector against many (a query)', () => {
  it('gives the cosine of the Map-based vectors bit for bit, either argument first, on 3,000 random pairs', () => {
    const r = rng(19);
    let checked = 0;
    for (let i = 0; i < 100; i++) {
      const qs = Array.from({ length: 5 }, () => both(r));
      const q = queryOf(qs.map((x) => x[0]));
      for (let j = 0; j < 30; j++) {
        const slot = j % 5;
        const [m, om] = both(r);
        const [a, oa] = qs[slot]!;
        expect(Object.is(queryCosine(q, slot, m, true), oldCosine(oa, om))).toBe(true);
        expect(Object.is(queryCosine(q, slot, m, false), oldCosine(om, oa))).toBe(true);
        // the query's own vector against itself and a copy of it (equal sizes, every term shared)
        const copy = weighted(a.keys, a.vals, a.norm);
        expect(Object.is(queryCosine(q, slot, copy, true), oldCosine(oa, oa))).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(3_000);
  });

  it('gives two slots against one member in one pass the doubles of one query cosine each (queryCosines), on 3,000 random members', () => {
    const r = rng(23);
    const out = [0, 0];
    let checked = 0;
    for (let i = 0; i < 100; i++) {
      const qs = Array.from({ length: 5 }, () => both(r)[0]);
      const q = queryOf(qs);
      for (let j = 0; j < 30; j++) {
        const [s1, s2] = [j % 5, (j * 3 + 1) % 5];
        // now and then the member is one of the query's own vectors (every term shared)
        const m = j % 7 === 0 ? weighted(qs[s1]!.keys, qs[s1]!.vals, qs[s1]!.norm) : both(r)[0];
        queryCosines(q, s1, s2, m, out);
        expect(Object.is(out[0], queryCosine(q, s1, m, true))).toBe(true);
        expect(Object.is(out[1], queryCosine(q, s2, m, true))).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(3_000);
  });

  it('stays right across a restart of the term dictionary and when a newer query was stamped', () => {
    const r = rng(20);
    const qs = Array.from({ length: 5 }, () => both(r));
    const q = queryOf(qs.map((x) => x[0]));
    const ms = Array.from({ length: 50 }, () => both(r));
    restartTermNumbers();
    ms.forEach(([m, om], i) => expect(Object.is(queryCosine(q, i % 5, m, i % 2 === 0), i % 2 === 0 ? oldCosine(qs[i % 5]![1], om) : oldCosine(om, qs[i % 5]![1]))).toBe(true));
    // another query stamped since: the first one's cosines are computed without its stamps, the same
    const other = queryOf(Array.from({ length: 5 }, () => both(r)[0]));
    expect(other).not.toBe(q);
    ms.forEach(([m, om], i) => expect(Object.is(queryCosine(q, i % 5, m, true), oldCosine(qs[i % 5]![1], om))).toBe(true));
  });

  it('gives an article the same similarity parts with its query as without', () => {
    const r = rng(21);
    for (let i = 0; i < 300; i++) {
      const a = art('a', Array.from({ length: 5 }, () => both(r)[0]));
      const q = articleQuery(a);
      for (let j = 0; j < 5; j++) {
        const b = art(`b${j}`, Array.from({ length: 5 }, () => both(r)[0]));
        expect(new PairParts(a, b, q).plain()).toStrictEqual(similarity(a, b));
      }
    }
  });
});

describe('vectors as stored', () => {
  it('pack to the same text as the Map-based vectors (the format in Redis is unchanged) and read back', () => {
    const r = rng(18);
    for (let i = 0; i < 500; i++) {
      const p = Array.from({ length: 5 }, () => both(r));
      const v: ArticleVectors = { ...art(`a${i}`, p.map((x) => x[0])), t: 1_700_000_000_000 + i, lang: 'ru', ...(i % 3 ? {} : { lead: true }) };
      const s = packVectors(v);
      const [ob, ot, on, ou, ox] = p.map((x) => x[1]);
      expect(s).toBe(JSON.stringify({ i: v.id, t: v.t, l: 'ru', ...(v.lead ? { e: 1 } : {}), b: oldPack(ob!), h: oldPack(ot!), n: oldPack(on!), u: oldPack(ou!), x: oldPack(ox!) }));
      const back = unpackVectors(s);
      const direct = storedForm(v);
      for (const k of ['body', 'title', 'names', 'nums', 'xnames'] as const) {
        expect(entriesOf(back[k])).toEqual(entriesOf(direct[k]));
        expect(back[k].norm).toBe(direct[k].norm);
      }
      expect(back.lead).toBe(v.lead);
      expect(vectorsHeapBytes(back)).toBeGreaterThan(1_000);
    }
  });
});
