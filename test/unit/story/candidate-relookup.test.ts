// CandidateSets.relookup (candidate-sets.ts): the Redis store's read ahead looks up a batch's
// articles before any is filed, and at an article's turn brings that answer up to date with the
// batch's filings since (adapters/redis/story-assign.ts). It must be exactly what a fresh lookup
// then answers: the same stories, the same summed doubles, in the same order (perKey latest, the
// window and the sets' floors, ties in time and in weight).
import { describe, expect, it } from 'vitest';
import { CandidateSets, LookupReads } from '../../../src/core/story/candidate-sets.js';
import { rankHits, type Lookup } from '../../../src/core/story/engine.js';

const H = 3_600_000;
const WINDOW = 72 * H;

function rng(seed: number) {
  let x = seed;
  return () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

/** A warm index and a stream of batches over it, as the assigner sees them; `seed` varies all of it. */
function run(seed: number) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  // a few busy keys (countries: sets far past perKey) and many quiet ones
  const busy = ['c:kz', 'c:uz', 'c:kg'];
  const keyOf = () => (r() < 0.3 ? pick(busy) : `k${Math.floor(r() * 120)}`);
  const keysOf = (n: number) => [...new Set(Array.from({ length: n }, keyOf))];
  const sets = new CandidateSets(WINDOW);
  let now = 20 * 24 * H;
  // times on a coarse grid (ties in time: the greater id first), weights from a few values (ties in weight)
  const timeNear = (t: number, spread: number) => t - Math.floor(r() * spread / H) * H;
  for (let i = 0; i < 1_500; i++) {
    now += 10 * 60_000;
    sets.file(`s-${Math.floor(r() * 500)}`, timeNear(now, 100 * H), keysOf(6), now);
  }
  const reads = new LookupReads();
  const tally = { same: 0, resummed: 0, differed: 0, rankedDiffered: 0 };
  for (let batch = 0; batch < 12; batch++) {
    reads.n = 0;
    // a later batch's `now` (the sets' floors rise when first filed under by the batch)
    now += pick([30 * 60_000, 6 * H, 5 * 24 * H]);
    const qs: Lookup[] = Array.from({ length: 40 }, () => {
      const keys = [...keysOf(8), ...(r() < 0.2 ? [`new-${Math.floor(r() * 5)}`] : [])];
      const t = timeNear(now, 150 * H);
      return { keys, weights: keys.map(() => pick([0.5, 1, 1.5, 2.25])), tMin: t - WINDOW, tMax: t + WINDOW, perKey: pick([3, 8, 50]), want: pick([2, 5, 10]) };
    });
    const ahead = qs.map((q) => sets.lookupRead(q, reads));
    const filed = new Set<string>();
    qs.forEach((q, i) => {
      const got = sets.relookup(ahead[i]!, filed);
      const fresh = sets.lookup(q);
      expect([...got], `batch ${batch} article ${i}`).toEqual([...fresh]);
      if (got === ahead[i]!.hits) tally.same += 1;
      else tally.resummed += 1;
      if (JSON.stringify([...ahead[i]!.hits]) !== JSON.stringify([...fresh])) tally.differed += 1;
      if (rankHits(ahead[i]!.hits).join() !== rankHits(fresh).join()) tally.rankedDiffered += 1;
      // the article filed: into a story of the window or a new one, under its keys (some of another
      // article's too), at a time in or out of others' windows (later times raise, earlier ones do not)
      const story = r() < 0.4 ? `b-${batch}-${i}` : `s-${Math.floor(r() * 500)}`;
      const ks = r() < 0.5 ? q.keys.slice(0, 1 + Math.floor(r() * q.keys.length)) : keysOf(5);
      sets.file(story, timeNear(now, 200 * H) + pick([0, 0, 90 * H]), ks, now);
      for (const k of ks) filed.add(k);
    });
  }
  return tally;
}

describe('candidate sets: a read-ahead lookup brought up to date', () => {
  it('answers what a fresh lookup answers after the batch filings since, on seeded batches', () => {
    const total = { same: 0, resummed: 0, differed: 0, rankedDiffered: 0 };
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const t = run(seed);
      for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += t[k];
    }
    // both ways taken, and the filings did change answers (else the comparison proves nothing)
    expect(total.same).toBeGreaterThan(50);
    expect(total.resummed).toBeGreaterThan(50);
    expect(total.differed).toBeGreaterThan(50);
    expect(total.rankedDiffered).toBeGreaterThan(20);
  });

  it('is its read-ahead answer when nothing was filed under its keys', () => {
    const sets = new CandidateSets(WINDOW);
    sets.file('s-1', 10 * H, ['a', 'b'], 10 * H);
    sets.file('s-2', 11 * H, ['b'], 11 * H);
    const reads = new LookupReads();
    const q: Lookup = { keys: ['a', 'b'], weights: [1, 2], tMin: 0, tMax: 20 * H, perKey: 50, want: 10 };
    const ahead = sets.lookupRead(q, reads);
    expect([...ahead.hits]).toEqual([...sets.lookup(q)]);
    sets.file('s-3', 12 * H, ['c'], 12 * H);
    expect(sets.relookup(ahead, new Set(['c']))).toBe(ahead.hits);
    // filed under its key but outside its window: the same read, the same answer
    sets.file('s-4', 30 * H, ['b'], 12 * H);
    expect(sets.relookup(ahead, new Set(['c', 'b']))).toBe(ahead.hits);
    sets.file('s-5', 5 * H, ['b'], 12 * H);
    expect([...sets.relookup(ahead, new Set(['c', 'b']))]).toEqual([['s-1', 3], ['s-2', 2], ['s-5', 2]]);
  });
});
