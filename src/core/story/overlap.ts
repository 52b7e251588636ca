// The weighted overlap coefficient of two weighted vectors, beside their cosine (issue 15 item 2,
// story-quality pass): Σ over shared terms of the smaller weight, over the smaller of the two total
// weights, 0..1. A cosine is pulled down whenever one side has much the other has not; an overlap
// is 1 when the lighter side is wholly in the other. Across languages that is the common case for
// one event: a short retelling or a translation names a few of the people and places of the fuller
// report, and all of them are there (pooled 5-fold CV, tools/eval/pooled-study.ts). Hand-written:
// a dozen lines over the engine's own vector type.
import type { WeightedVector } from './weighted-vector.js';

export function overlap(a: WeightedVector, b: WeightedVector): number {
  let sa = 0;
  let sb = 0;
  for (const v of a.vals) sa += v;
  for (const v of b.vals) sb += v;
  // the lighter side counted as at least OVERLAP_MIN_TERMS terms of its mean weight: two or three
  // names (a city, its region, its country) wholly found in another report are no evidence of one
  // event (at 3, one such report joined a bus crash, a fare rise and a truck crash on one road)
  const n = sa <= sb ? a.keys.length : b.keys.length;
  const least = n > 0 ? Math.min(sa, sb) * Math.max(1, OVERLAP_MIN_TERMS / n) : 0;
  if (!(least > 0)) return 0;
  // name vectors hold a few to a few dozen terms, each once: a plain scan of one for each term of
  // the other allocates nothing (the engine's GC share is what its speed work fights)
  const ak = a.keys;
  const bk = b.keys;
  let shared = 0;
  for (let i = 0; i < ak.length; i++) {
    const k = ak[i];
    for (let j = 0; j < bk.length; j++)
      if (bk[j] === k) {
        shared += Math.min(a.vals[i]!, b.vals[j]!);
        break;
      }
  }
  return shared / least;
}

/** Chosen by cross-validation over the pooled sets (3 and 4 tried; tools/eval/pooled-study.ts). */
export const OVERLAP_MIN_TERMS = 4;
