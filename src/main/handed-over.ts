// Articles this worker process handed from its polls to analysis, kept until its own analyse job
// takes them (issue 16): the job then reads only what analysis added from the store, not the
// article's text again. The store stays the hand-over that survives a death: a job run by another
// process, or after a restart, or after its articles were pushed out of here, reads them there.
import type { Article } from '../core/types.js';

/**
 * Articles kept at most. A cold start's polls run ahead of analysis; past this the oldest go
 * (their job reads them from the store). ~4 KB an article: a few MB.
 */
export const HANDED_OVER_MAX = 1_000;

export class HandedOver {
  private readonly kept = new Map<string, Article>();
  constructor(private readonly max = HANDED_OVER_MAX) {}

  /** Articles whose raw record this process has just stored (putNew said so): exactly what is stored. */
  keep(articles: readonly Article[]): void {
    for (const a of articles) {
      this.kept.delete(a.id);
      this.kept.set(a.id, a);
    }
    // A Map iterates in insertion order: the first keys are the oldest.
    for (const id of this.kept.keys()) {
      if (this.kept.size <= this.max) break;
      this.kept.delete(id);
    }
  }

  /** The kept articles of `ids` (undefined where none), each given once. */
  take(ids: readonly string[]): (Article | undefined)[] {
    return ids.map((id) => {
      const a = this.kept.get(id);
      if (a) this.kept.delete(id);
      return a;
    });
  }

  get size(): number {
    return this.kept.size;
  }
}
