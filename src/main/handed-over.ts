// Articles this worker process handed from its polls to analysis, kept until its own analyse job
// takes them (issue 16): the job then reads only what analysis added from the store, not the
// article's text again. The store stays the hand-over that survives a death: a job run by another
// process, or after a restart, or after its articles were pushed out of here, reads them there.
import type { Article } from '../core/types.js';

/**
 * Articles kept at most (~4 KB each: a few MB). A cold start's polls run ahead of analysis; past
 * this, new ones are not kept (their job reads them from the store). Not the oldest pushed out:
 * they are the next to be analysed, so a backlog would miss on every job.
 */
export const HANDED_OVER_MAX = 2_000;
/** Kept at most this long: an article whose job ran in another process is never taken here. */
export const HANDED_OVER_MAX_AGE_MS = 120_000;

export class HandedOver {
  private readonly kept = new Map<string, { a: Article; at: number }>();
  constructor(
    private readonly max = HANDED_OVER_MAX,
    private readonly maxAgeMs = HANDED_OVER_MAX_AGE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Articles whose raw record this process has just stored (putNew said so): exactly what is stored. */
  keep(articles: readonly Article[]): void {
    const now = this.now();
    // A Map iterates in insertion order: the first entries are the oldest.
    for (const [id, k] of this.kept) {
      if (now - k.at <= this.maxAgeMs) break;
      this.kept.delete(id);
    }
    for (const a of articles) {
      if (this.kept.size >= this.max) break;
      this.kept.set(a.id, { a, at: now });
    }
  }

  /** The kept articles of `ids` (undefined where none), each given once. */
  take(ids: readonly string[]): (Article | undefined)[] {
    return ids.map((id) => {
      const k = this.kept.get(id);
      if (k) this.kept.delete(id);
      return k?.a;
    });
  }

  get size(): number {
    return this.kept.size;
  }
}
