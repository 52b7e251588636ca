// The story index in memory: what the Redis store keeps in Redis (candidate sets, stored vectors,
// story membership, story-of, document frequencies), held in maps, for `analyze --cluster`, `eval`
// and the engine's contract suite. It answers the engine's questions exactly as the Redis store does
// (engine.ts says what the answers must be), so a stream filed into both gives the same stories.
//
// What it leaves out, on purpose: the wall-clock expiry of Redis keys (stored vectors and candidate
// sets live 2 × window from their writing) and the 30-day epochs of the Redis document
// frequencies; a stream spanning weeks of wall-clock time can differ there.
import { dfKeys, type ArticleFeatures } from './features.js';
import { DEFAULT_WINDOW_HOURS, storyIdFor, type Decision, type DecideOptions } from './decide.js';
import { comparedMembers, place, type CandidateIndex, type Hits, type Lookup } from './engine.js';
import { CandidateSets } from './candidate-sets.js';
import { type ArticleVectors, type DocFreq } from './similarity.js';
import { decideMerge, filingKeysOf, mergedMembers, type MergeSide } from './merge.js';

// the candidate sets moved to their own module (candidate-sets.ts); importers of this one still find them here
export { CandidateSets, type FilingJournal } from './candidate-sets.js';

export interface MemoryIndexOptions extends DecideOptions {
  /**
   * Fixed document frequencies (a batch's own, counted up front: `batchDocFreq`), or `stream` to
   * count them as articles are filed, on top of `background` — what the Redis store does.
   */
  docFreq: DocFreq | 'stream';
  /** With `stream`: the background the counts are added to (data/story-background.tsv). */
  background?: DocFreq;
}

export interface MemoryPlacement {
  storyId: string;
  /** This article started the story. */
  created: boolean;
  /** The article was filed before: nothing changed. */
  again: boolean;
  decision: Decision | null;
  /** Stories this article showed to be one with its own, merged into `storyId` (merge.ts). */
  merged?: string[];
}

export class MemoryStoryIndex implements CandidateIndex {
  readonly #vectors = new Map<string, ArticleVectors>();
  readonly #stories = new Map<string, string[]>();
  readonly #storyOf = new Map<string, string>();
  /** Documents filed per DF key; with a background, the background's count added (see `docFreq`). */
  readonly #df = new Map<string, number>();
  /** Per story, its articles' stored vectors in the order of `#stories` (each article is filed once: `assign`). */
  readonly #storyVectors = new Map<string, ArticleVectors[]>();
  /** Merged story → the story it answers with now; stories absorbed so far, per survivor. */
  readonly #alias = new Map<string, string>();
  readonly #merges = new Map<string, number>();
  #n = 0;
  readonly #sets: CandidateSets;
  readonly #o: MemoryIndexOptions;
  readonly #windowMs: number;

  constructor(o: MemoryIndexOptions) {
    this.#o = o;
    this.#windowMs = (o.windowHours ?? DEFAULT_WINDOW_HOURS) * 3_600_000;
    this.#sets = new CandidateSets(this.#windowMs);
  }

  /**
   * The document frequencies the next article is weighed with. In a stream, as in Redis, only the
   * counts of the article's own DF keys (`fields`) are read; any other key counts 0 there.
   */
  docFreq(fields: Iterable<string>): DocFreq {
    if (this.#o.docFreq !== 'stream') return this.#o.docFreq;
    const m = new Map<string, number>();
    const bg = this.#o.background;
    if (!bg) {
      for (const k of fields) m.set(k, this.#df.get(k) ?? 0);
      return { n: this.#n, df: (k) => m.get(k) ?? 0 };
    }
    // `combineDocFreq(bg, own)` with the sums of the article's own keys made once up front (and
    // kept: #df holds background + own for every key filed; counts are integers: the same sums),
    // not on each of the two or three reads per key
    for (const k of fields) m.set(k, this.#df.get(k) ?? bg.df(k));
    return { n: bg.n + this.#n, df: (k) => m.get(k) ?? bg.df(k) };
  }

  /** The candidate sets' answer (`CandidateSets.lookup`). */
  lookup(q: Lookup): Hits {
    return this.#sets.lookup(q);
  }

  members(storyIds: readonly string[]): ReadonlyMap<string, readonly ArticleVectors[]> {
    const out = new Map<string, ArticleVectors[]>();
    for (const id of storyIds) {
      const vs = this.#storyVectors.get(id);
      if (vs) out.set(id, comparedMembers(vs));
    }
    return out;
  }

  storyOf(articleId: string): string | null {
    return this.#storyOf.get(articleId) ?? null;
  }

  /** The story a story id answers with now: itself, or the story it was merged into. */
  resolve(storyId: string): string {
    return this.#alias.get(storyId) ?? storyId;
  }

  /** The story's articles in the order they were filed. */
  story(storyId: string): readonly string[] | null {
    return this.#stories.get(storyId) ?? null;
  }

  /** Every story id → its articles, in the order stories were started. */
  stories(): ReadonlyMap<string, readonly string[]> {
    return this.#stories;
  }

  /**
   * Decides and files one article, as the Redis store's assign does: an article filed before stays
   * where it is; else it joins the engine's choice or starts the story `storyIdFor(f.id)`. `nowMs`
   * (non-decreasing along a stream) bounds the candidate sets as Redis's trim on write does:
   * entries filed more than 2 × window before it no longer count.
   */
  assign(f: ArticleFeatures, nowMs: number): MemoryPlacement {
    const had = this.#storyOf.get(f.id);
    if (had !== undefined) return { storyId: had, created: false, again: true, decision: null };
    const fk = dfKeys(f);
    const p = place(f, this.docFreq(fk), this, this.#o);
    const storyId = p.decision.storyId ?? storyIdFor(f.id);
    const created = !this.#stories.has(storyId);
    this.file({ articleId: f.id, storyId, stored: p.stored, keys: p.keys, dfKeys: fk, nowMs });
    // Stories the article also joins on its own: merged when merge.ts says so (as the Redis store does after a commit).
    let cur = storyId;
    const merged: string[] = [];
    for (const other of p.decision.alsoMatched) {
      const r = this.merge(cur, other, p.stored);
      if (r) {
        merged.push(r.absorbed);
        cur = r.survivor;
      }
    }
    return { storyId: cur, created, again: false, decision: p.decision, ...(merged.length ? { merged } : {}) };
  }

  /**
   * Merges story `b` into `a` or `a` into `b` when the article `bridge` shows they are one
   * (merge.ts decideMerge); what adapters/redis/story-merge.ts writes: the survivor's members, the
   * absorbed story's articles and candidate entries moved to it, its id an alias of the survivor.
   */
  merge(a: string, b: string, bridge: ArticleVectors): { survivor: string; absorbed: string } | null {
    const side = (id: string): MergeSide | null => {
      const ids = this.#stories.get(id);
      if (!ids) return null;
      const ts = ids.map((x) => this.#vectors.get(x)?.t).filter((t): t is number => t !== undefined);
      return { id, firstSeen: Math.min(...ts), lastSeen: Math.max(...ts), size: ids.length, merges: this.#merges.get(id) ?? 0, members: this.members([id]).get(id) ?? [] };
    };
    const sa = side(this.resolve(a));
    const sb = side(this.resolve(b));
    if (!sa || !sb) return null;
    const v = decideMerge(bridge, sa, sb, this.#o);
    if (!v.merge) return null;
    const { survivor, absorbed } = v;
    const gone = this.#stories.get(absorbed)!;
    const ids = mergedMembers(this.#stories.get(survivor)!, gone);
    this.#stories.set(survivor, ids);
    this.#stories.delete(absorbed);
    this.#storyVectors.set(survivor, ids.map((id) => this.#vectors.get(id)!));
    this.#storyVectors.delete(absorbed);
    for (const id of gone) this.#storyOf.set(id, survivor);
    for (const [from, to] of this.#alias) if (to === absorbed) this.#alias.set(from, survivor);
    this.#alias.set(absorbed, survivor);
    this.#merges.set(survivor, (this.#merges.get(survivor) ?? 0) + (this.#merges.get(absorbed) ?? 0) + 1);
    const vs = gone.map((id) => this.#vectors.get(id)).filter((x): x is ArticleVectors => x !== undefined);
    this.#sets.move(absorbed, survivor, filingKeysOf(vs));
    return { survivor, absorbed };
  }

  /** Files an article placed by the engine (what the Redis store's commit writes); an article is filed once (`assign` returns early for one filed before). */
  file(x: { articleId: string; storyId: string; stored: ArticleVectors; keys: readonly string[]; dfKeys: readonly string[]; nowMs: number }): void {
    if (this.#vectors.has(x.articleId)) throw new Error(`article ${x.articleId} is filed already`);
    const members = this.#stories.get(x.storyId);
    if (members) {
      members.push(x.articleId);
      this.#storyVectors.get(x.storyId)!.push(x.stored);
    } else {
      this.#stories.set(x.storyId, [x.articleId]);
      this.#storyVectors.set(x.storyId, [x.stored]);
    }
    this.#storyOf.set(x.articleId, x.storyId);
    this.#vectors.set(x.articleId, x.stored);
    this.#sets.file(x.storyId, x.stored.t, x.keys, x.nowMs);
    if (this.#o.docFreq === 'stream') {
      const bg = this.#o.background;
      for (const k of new Set(x.dfKeys)) this.#df.set(k, (this.#df.get(k) ?? (bg ? bg.df(k) : 0)) + 1);
      this.#n += 1;
    }
  }
}
