// Term counts as the story features keep them (split from text.ts for size).

/**
 * Terms and their counts in first-seen order, as two lists (what the features keep) with each
 * term's place: a term seen again is one look-up, not a Map's get and set. Hand-written: three
 * fields over a Map.
 */
export class TermTally {
  readonly keys: string[] = [];
  readonly counts: number[] = [];
  readonly #at = new Map<string, number>();
  add(term: string, n: number): void {
    const i = this.#at.get(term);
    if (i !== undefined) {
      this.counts[i]! += n;
      return;
    }
    this.#at.set(term, this.keys.length);
    this.keys.push(term);
    this.counts.push(n);
  }
  get size(): number {
    return this.keys.length;
  }
}
