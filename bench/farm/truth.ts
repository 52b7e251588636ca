// The farm's ground truth as the bench process keeps it: each feed's current items (initial ones,
// then those published during the run, the newest `items` of them), without any text.
import { initialItems, type FarmSpec, type ItemMeta } from './content.js';

export class FarmTruth {
  private readonly byFeed: ItemMeta[][];
  private readonly next: number[];

  constructor(private readonly spec: FarmSpec) {
    this.byFeed = Array.from({ length: spec.feeds }, (_, f) => initialItems(spec, f));
    this.next = Array.from({ length: spec.feeds }, () => spec.items);
  }

  /** The next item position of a feed. */
  nextSeq(feed: number): number {
    return this.next[feed]!;
  }

  /** Records items as published (the farm serves the newest `items` of each feed). */
  publish(items: ItemMeta[]): void {
    for (const m of items) {
      const list = this.byFeed[m.feed]!;
      list.push(m);
      if (list.length > this.spec.items) list.splice(0, list.length - this.spec.items);
      this.next[m.feed] = Math.max(this.next[m.feed]!, m.seq + 1);
    }
  }

  /** Every item the farm serves now. */
  *current(): Iterable<ItemMeta> {
    for (const list of this.byFeed) yield* list;
  }
}
