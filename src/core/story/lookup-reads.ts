// A batch's candidate lookups kept with what they read (CandidateSets.lookupRead / relookup in
// candidate-sets.ts): split from there for size.
import type { Hits, Lookup } from './engine.js';

/**
 * What a batch's lookups read (`CandidateSets.lookupRead`): per key of each, the numbers of the
 * stories its set gave, one run after another. The Redis store's read ahead looks up every article
 * of a batch before any is filed; at an article's turn, the batch's earlier articles were filed
 * under some of its keys (a country key, mostly: 93% of the articles), and `relookup` reads only
 * those keys' sets again. Cleared (`n = 0`) batch after batch, its buffer kept.
 */
export class LookupReads {
  nums = new Int32Array(16_384);
  n = 0;

  /** The buffer, with room for `k` more numbers after `n`. */
  room(k: number): Int32Array {
    if (this.nums.length < this.n + k) this.nums = grown(this.nums, this.n + k);
    return this.nums;
  }
}

/** A lookup's answer and where its reads are (`LookupReads`): per key j, nums[ends[j-1] (or from) .. ends[j]). */
export interface ReadLookup {
  readonly q: Lookup;
  readonly hits: Hits;
  readonly reads: LookupReads;
  readonly from: number;
  readonly ends: Int32Array;
}

export function grown(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.max(n, 2 * a.length));
  b.set(a);
  return b;
}

/** Whether a[af..at) and b[bf..bt) hold the same numbers in the same order. */
export function sameRun(a: Int32Array, af: number, at: number, b: Int32Array, bf: number, bt: number): boolean {
  if (at - af !== bt - bf) return false;
  for (let i = 0; i < at - af; i++) if (a[af + i] !== b[bf + i]) return false;
  return true;
}

