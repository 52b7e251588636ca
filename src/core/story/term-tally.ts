// Term counts as the story features keep them (split from text.ts for size).
import { SLICE_HASH_SEED, sliceHashStep } from '../memo.js';

/** `String.prototype.charCodeAt` (through `.call`: see core/memo.ts `unitAt`, why not `text.charCodeAt`). */
const unitAt: (this: string, i: number) => number = String.prototype.charCodeAt;

/** A term's hash as the tally files it (memo.ts's slice hash of the whole string); text.ts `Word` keeps its term's. */
export function termHash(term: string): number {
  let h = SLICE_HASH_SEED;
  for (let i = 0; i < term.length; i++) h = sliceHashStep(h, unitAt.call(term, i));
  return h;
}

/**
 * Terms and their counts in first-seen order, as two lists (what the features keep) with each
 * term's place. Hand-written: a Map of term → place cost a third of the features' term counting
 * (its hash read from each term string, its table grown entry by entry); here a term's hash comes
 * with it (its word's, worked out once per distinct word) and the places are an open-addressing
 * table of the tally's own (linear probing, a term compared only when its hash matches).
 */
export class TermTally {
  readonly keys: string[] = [];
  readonly counts: number[] = [];
  readonly #hashes: number[] = [];
  /** A key's place + 1 by its hash's slot (0: empty); at most half full. */
  #slots: Int32Array;

  /** `expected`: about how many terms will be added (a hint for the table's first size). */
  constructor(expected = 8) {
    let size = 16;
    while (size < 2 * expected) size *= 2;
    this.#slots = new Int32Array(size);
  }

  /** Adds `n` to `term`'s count; `hash` must be `termHash(term)`. */
  add(term: string, n: number, hash: number = termHash(term)): void {
    const slots = this.#slots;
    const mask = slots.length - 1;
    for (let s = (hash ^ (hash >>> 15)) & mask; ; s = (s + 1) & mask) {
      const at = slots[s]!;
      if (at === 0) {
        const i = this.keys.length;
        slots[s] = i + 1;
        this.keys.push(term);
        this.counts.push(n);
        this.#hashes.push(hash);
        if (2 * (i + 1) > slots.length) this.#grow();
        return;
      }
      if (this.#hashes[at - 1] === hash && this.keys[at - 1] === term) {
        this.counts[at - 1]! += n;
        return;
      }
    }
  }

  /** Adds every term of `other` with its count times `factor`, in `other`'s order. */
  addAll(other: TermTally, factor: number): void {
    for (let i = 0; i < other.keys.length; i++) this.add(other.keys[i]!, factor * other.counts[i]!, other.#hashes[i]!);
  }

  get size(): number {
    return this.keys.length;
  }

  #grow(): void {
    const slots = new Int32Array(2 * this.#slots.length);
    const mask = slots.length - 1;
    for (let i = 0; i < this.#hashes.length; i++) {
      const hash = this.#hashes[i]!;
      let s = (hash ^ (hash >>> 15)) & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = i + 1;
    }
    this.#slots = slots;
  }
}
