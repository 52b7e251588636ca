// The articles a process handed over to analysis (putNew) and still holds, for its own analyse
// jobs: the poll stores each new article whole and queues its id, and the analyse job, mostly in
// the same process milliseconds later, read it all back (MGET of ~4 KB records, UTF-8 decoding,
// ioredis's reply parser, JSON.parse: ~7 % of the cold cycle's main thread, issue 16). An entry is
// only a copy of what Redis holds, never trusted alone: the job asks Redis whether the record is
// still the one written (scripts/article-as-written.lua) and reads the others in full, so the
// process stays stateless (another process, a restart, a retried job: the entry is not there and
// the record is read). Hand-written: an LRU library would add little to a Map in insertion order
// with an age and a size limit, and none takes an entry out as it reads it.
import type { Article } from '../../core/types.js';

/** What a process keeps of an article it stored: the article and the record's length in bytes. */
export interface HandedOver {
  article: Article;
  bytes: number;
  /** When it was stored (ms since the epoch). */
  at: number;
}

export interface HandoffLimits {
  /** The records' bytes (UTF-8) kept at most; an article that would go past is not kept. */
  maxBytes: number;
  /** An entry older than this is dropped, ms (its job is late: a backlog, where memory matters more). */
  maxAgeMs: number;
}

/**
 * The defaults. An entry costs the heap about twice its record's bytes (Cyrillic text is a
 * two-byte string; measured on the farm: 1,502 entries held 11.4 MB, ~8 KB each, records ~4 KB).
 * The analyse queue is a queue: when it is longer than the memory holds, the articles kept are the
 * ones its jobs take next, so a full memory keeps what it has and refuses the new ones (dropping
 * the oldest instead would drop each entry before its job came: no hits at all).
 */
export const HANDOFF_LIMITS: HandoffLimits = { maxBytes: 4 * 1048576, maxAgeMs: 60_000 };

export class ArticleHandoff {
  private readonly entries = new Map<string, HandedOver>();
  private bytes = 0;
  /**
   * Articles kept, refused (memory full), taken by a job, asked for and not there, dropped (too
   * old); used: taken and found unchanged in Redis (the store's check), so not read.
   */
  readonly counts = { kept: 0, refused: 0, taken: 0, absent: 0, dropped: 0, used: 0 };

  constructor(
    private readonly limits: HandoffLimits = HANDOFF_LIMITS,
    private readonly clock: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Keeps an article whose record this process just wrote (`bytes` long), when there is room. */
  keep(article: Article, bytes: number): void {
    const now = this.clock();
    this.dropOld(now);
    this.remove(article.id);
    if (this.bytes + bytes > this.limits.maxBytes) {
      this.counts.refused += 1;
      return;
    }
    this.entries.set(article.id, { article: detached(article), bytes, at: now });
    this.bytes += bytes;
    this.counts.kept += 1;
  }

  /** The entries of `ids` (undefined where none), each taken out: a job uses an entry once. */
  take(ids: readonly string[]): (HandedOver | undefined)[] {
    if (this.entries.size) this.dropOld(this.clock());
    return ids.map((id) => {
      const e = this.remove(id);
      if (e) this.counts.taken += 1;
      else this.counts.absent += 1;
      return e;
    });
  }

  /** `n` entries taken were used as they were (their records unchanged). */
  used(n: number): void {
    this.counts.used += n;
  }

  private remove(id: string): HandedOver | undefined {
    const e = this.entries.get(id);
    if (!e) return undefined;
    this.entries.delete(id);
    this.bytes -= e.bytes;
    return e;
  }

  /** Drops the entries past the age limit (the Map's order is age order). */
  private dropOld(now: number): void {
    for (const [id, e] of this.entries) {
      if (now - e.at <= this.limits.maxAgeMs) break;
      this.remove(id);
      this.counts.dropped += 1;
    }
  }
}

/**
 * A copy of an article whose strings share no memory with the feed document they were cut from.
 * The parser's strings are often slices of the whole document (V8 keeps the parent of a sliced
 * string alive), and an analysed article's title and text live on in the stories and caches:
 * kept as the poll made them, the cold cycle at 1,000 × 20 ended with 123 MB live heap instead of
 * 90 and peaked at 362 MB RSS instead of 313 (bench/README.md, sixth session). The records read
 * back from Redis had fresh strings (JSON.parse), as these copies have. The fields cut from the
 * document are copied (~2 µs an article; a copy of every string field by Object.entries cost ~10).
 */
function detached(a: Article): Article {
  return { ...a, title: copied(a.title), text: copied(a.text), url: a.url === null ? null : copied(a.url) };
}

/**
 * A string of the same characters in memory of its own: the concatenation is flattened into a new
 * string by the slice (V8 flattens a concatenation before slicing it), and the slice's parent is
 * that new string. Hand-written: JavaScript has no call that promises a copy. `String.prototype`'s
 * own method: once ioredis has loaded, V8 does not inline `s.slice` (common.txt, VerbatimString).
 */
function copied(s: string): string {
  return String.prototype.slice.call(' ' + s, 1);
}
