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
import { type ArticleVectors, type DocFreq } from './similarity.js';
import { decideMerge, filingKeysOf, mergedMembers, type MergeSide } from './merge.js';

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

/**
 * One candidate set: story → its latest filing time, also kept in time order (ascending; ties the
 * smaller id first), so a read (engine.ts `readCandidateSet`: the window, the `perKey` latest, ties
 * to the greater id) is a binary search and at most `perKey` steps back, instead of a pass and a sort
 * over the whole set (sets of common keys hold thousands of stories). Stories are the index's
 * numbers (`MemoryStoryIndex` #num) in the order, their ids in the map. Written by hand: two
 * parallel arrays and a binary search; news arrives roughly in time order, so most filings land
 * near the end.
 */
class CandidateSet {
  readonly #t = new Map<string, number>();
  readonly #nums: number[] = [];
  readonly #ts: number[] = [];
  readonly #ids: string[] = [];

  get(id: string): number | undefined {
    return this.#t.get(id);
  }

  set(id: string, num: number, t: number): void {
    const old = this.#t.get(id);
    if (old === t) return;
    if (old !== undefined) this.#remove(this.#at(old, id));
    this.#t.set(id, t);
    const i = this.#at(t, id);
    const { ts, nums, ids } = this.#arrays();
    // one step right from i (a splice without its array of removed elements)
    ts.push(0);
    nums.push(0);
    ids.push('');
    for (let j = ts.length - 1; j > i; j--) {
      ts[j] = ts[j - 1]!;
      nums[j] = nums[j - 1]!;
      ids[j] = ids[j - 1]!;
    }
    ts[i] = t;
    nums[i] = num;
    ids[i] = id;
  }

  delete(id: string): void {
    const old = this.#t.get(id);
    if (old === undefined) return;
    this.#remove(this.#at(old, id));
    this.#t.delete(id);
  }

  /**
   * Calls `f` with the numbers of the stories with time in [lo, hi], the `n` latest, latest first
   * (ties: the greater id first).
   */
  read(lo: number, hi: number, n: number, f: (num: number) => void): void {
    const ts = this.#ts;
    // the first index with time > hi
    let a = 0;
    let b = ts.length;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (ts[m]! <= hi) a = m + 1;
      else b = m;
    }
    for (let i = a - 1, k = 0; i >= 0 && k < n && ts[i]! >= lo; i--, k++) f(this.#nums[i]!);
  }

  get size(): number {
    return this.#ts.length;
  }

  /** Drops the entries with time < `floor` (Redis's ZREMRANGEBYSCORE -inf (floor); the oldest come first in the order). */
  trimBelow(floor: number): void {
    let n = 0;
    while (n < this.#ts.length && this.#ts[n]! < floor) n++;
    if (n === 0) return;
    for (const id of this.#ids.slice(0, n)) this.#t.delete(id);
    this.#ts.splice(0, n);
    this.#nums.splice(0, n);
    this.#ids.splice(0, n);
  }

  storyIds(): IterableIterator<string> {
    return this.#t.keys();
  }

  /** Gives every entry its story's number anew (`CandidateSets.compact`). */
  renumber(num: (id: string) => number): void {
    for (let i = 0; i < this.#ids.length; i++) this.#nums[i] = num(this.#ids[i]!);
  }

  #arrays(): { ts: number[]; nums: number[]; ids: string[] } {
    return { ts: this.#ts, nums: this.#nums, ids: this.#ids };
  }

  #remove(i: number): void {
    const { ts, nums, ids } = this.#arrays();
    for (let j = i; j < ts.length - 1; j++) {
      ts[j] = ts[j + 1]!;
      nums[j] = nums[j + 1]!;
      ids[j] = ids[j + 1]!;
    }
    ts.pop();
    nums.pop();
    ids.pop();
  }

  /** The index of (t, id) in the order, or where it goes: the count of entries before it. */
  #at(t: number, id: string): number {
    const ts = this.#ts;
    const ids = this.#ids;
    let a = 0;
    let b = ts.length;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (ts[m]! < t || (ts[m] === t && ids[m]! < id)) a = m + 1;
      else b = m;
    }
    return a;
  }
}

/** What `CandidateSets.file` changed, per key filed under: the story's time, floor and written time before it, and whether the set was new. */
export type FilingJournal = [key: string, storyId: string, t: number | undefined, floor: number | undefined, written: number | undefined, created: boolean][];

/**
 * The candidate sets of an index: per matching key, the stories filed under it with their latest
 * filing time, and per key the bound below which entries count as trimmed. What Redis kept as
 * sorted sets (story:cand:<key>, ZADD GT, ZREMRANGEBYSCORE on write) and what the engine's lookups
 * read (engine.ts `Lookup`). One implementation for the in-memory index (`MemoryStoryIndex`:
 * `analyze --cluster`, `eval`) and the Redis store's per-process mirror
 * (adapters/redis/story-mirror.ts), so both answer a lookup alike.
 */
export class CandidateSets {
  readonly #sets = new Map<string, CandidateSet>();
  /** Per candidate set, the bound below which its entries count as trimmed (see `file`). */
  readonly #floors = new Map<string, number>();
  /** Per candidate set, the latest `nowMs` it was filed under (what its expiry counts from: `sweep`). */
  readonly #written = new Map<string, number>();
  /** Story id → its number in the candidate sets, and back. */
  #num = new Map<string, number>();
  #ids: string[] = [];
  /** `lookup`'s work space, by story number: the weight summed so far, and the lookup that last touched it. */
  #acc = new Float64Array(1024);
  #touchedBy = new Uint32Array(1024);
  #lookups = 0;
  readonly #windowMs: number;

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** Sets, entries, and story numbers given (figures for the mirror's memory bound). */
  stats(): { sets: number; entries: number; numbered: number } {
    let entries = 0;
    for (const s of this.#sets.values()) entries += s.size;
    return { sets: this.#sets.size, entries, numbered: this.#ids.length };
  }

  /**
   * The stories of the keys' sets (`readCandidateSet`), weighed as `sumHits` does: the weights of a
   * story's keys added in key order, in a work array by story number instead of a map by id. Only
   * the stories at least as heavy as the `want`-th heaviest are answered (all ties kept; engine.ts
   * `Lookup.want`), in the order first found, as `sumHits` lists them.
   */
  lookup(q: Lookup): Hits {
    const lookupNo = ++this.#lookups;
    if (this.#acc.length < this.#ids.length) {
      this.#acc = new Float64Array(2 * this.#ids.length);
      this.#touchedBy = new Uint32Array(2 * this.#ids.length);
    }
    const acc = this.#acc;
    const touchedBy = this.#touchedBy;
    const touched: number[] = [];
    let w = 0;
    const add = (num: number) => {
      if (touchedBy[num] !== lookupNo) {
        touchedBy[num] = lookupNo;
        acc[num] = 0;
        touched.push(num);
      }
      acc[num] = acc[num]! + w;
    };
    for (let j = 0; j < q.keys.length; j++) {
      const k = q.keys[j]!;
      const set = this.#sets.get(k);
      if (!set) continue;
      w = q.weights[j]!;
      set.read(Math.max(q.tMin, this.#floors.get(k) ?? -Infinity), q.tMax, q.perKey, add);
    }
    // the want-th heaviest weight (a bounded insertion, heaviest first), then all stories that heavy
    const top: number[] = [];
    for (const num of touched) {
      const x = acc[num]!;
      if (top.length === q.want && x <= top[top.length - 1]!) continue;
      let i = top.length;
      while (i > 0 && top[i - 1]! < x) i--;
      top.splice(i, 0, x);
      if (top.length > q.want) top.pop();
    }
    const bar = top.length < q.want ? -Infinity : top[top.length - 1]!;
    const hits = new Map<string, number>();
    for (const num of touched) if (acc[num]! >= bar) hits.set(this.#ids[num]!, acc[num]!);
    if (this.#lookups === 0xffffffff) {
      this.#lookups = 0;
      this.#touchedBy.fill(0);
    }
    return hits;
  }

  /**
   * Files a story under `keys` at time `t` (the later time wins: ZADD GT); entries filed more than
   * 2 × window before `nowMs` no longer count in these sets (the trim on write).
   */
  file(storyId: string, t: number, keys: readonly string[], nowMs: number, journal?: FilingJournal): void {
    const floor = nowMs - 2 * this.#windowMs;
    const num = this.#numOf(storyId);
    for (const k of keys) {
      let set = this.#sets.get(k);
      journal?.push([k, storyId, set?.get(storyId), this.#floors.get(k), this.#written.get(k), !set]);
      if (!set) this.#sets.set(k, (set = new CandidateSet()));
      const cur = set.get(storyId);
      if (cur === undefined || t > cur) set.set(storyId, num, t);
      if (floor > (this.#floors.get(k) ?? -Infinity)) this.#floors.set(k, floor);
      if (nowMs > (this.#written.get(k) ?? -Infinity)) this.#written.set(k, nowMs);
    }
  }

  /**
   * Takes back the filings `file` wrote into `journal` (last first): the Redis store's optimistic
   * decisions (adapters/redis/story-assign.ts). Exact when nothing else changed the sets since.
   */
  undo(journal: FilingJournal): void {
    for (let i = journal.length - 1; i >= 0; i--) {
      const [k, storyId, t, floor, written, created] = journal[i]!;
      const set = this.#sets.get(k);
      if (created) this.#sets.delete(k);
      else if (set && t === undefined) set.delete(storyId);
      else if (set && t !== undefined) set.set(storyId, this.#numOf(storyId), t);
      if (floor === undefined) this.#floors.delete(k);
      else this.#floors.set(k, floor);
      if (written === undefined) this.#written.delete(k);
      else this.#written.set(k, written);
    }
    journal.length = 0;
  }

  /**
   * An entry as found in data of the previous layout (migration): ZADD GT, nothing trimmed; the
   * set counts as written at its latest entry's time (when its Redis key's expiry was last set,
   * near enough: news is filed about when it is published).
   */
  seed(key: string, storyId: string, t: number): void {
    let set = this.#sets.get(key);
    if (!set) this.#sets.set(key, (set = new CandidateSet()));
    const cur = set.get(storyId);
    if (cur === undefined || t > cur) set.set(storyId, this.#numOf(storyId), t);
    if (t > (this.#written.get(key) ?? -Infinity)) this.#written.set(key, t);
  }

  /** A merge: in the sets of `keys`, the absorbed story's entry becomes the survivor's (the later time wins). */
  move(absorbed: string, survivor: string, keys: Iterable<string>): void {
    for (const k of keys) {
      const set = this.#sets.get(k);
      const t = set?.get(absorbed);
      if (!set || t === undefined) continue;
      set.delete(absorbed);
      set.set(survivor, this.#numOf(survivor), Math.max(set.get(survivor) ?? -Infinity, t));
    }
  }

  /**
   * Bounds the memory without changing an answer: drops the entries below each set's floor (they no
   * longer count), and the sets not filed under for more than 2 × window before `nowMs` (Redis let
   * such a set expire), then numbers the stories left anew when most numbers belong to stories gone.
   */
  sweep(nowMs: number): void {
    const expired = nowMs - 2 * this.#windowMs;
    for (const [k, set] of this.#sets) {
      if ((this.#written.get(k) ?? -Infinity) < expired) {
        this.#sets.delete(k);
        this.#floors.delete(k);
        this.#written.delete(k);
        continue;
      }
      set.trimBelow(this.#floors.get(k) ?? -Infinity);
      if (set.size === 0) {
        this.#sets.delete(k);
        // the floor stays: an entry filed below it later must not count either
      }
    }
    const live = new Set<string>();
    for (const set of this.#sets.values()) for (const id of set.storyIds()) live.add(id);
    if (this.#ids.length <= 2 * live.size + 1024) return;
    this.#num = new Map();
    this.#ids = [];
    for (const set of this.#sets.values()) set.renumber((id) => this.#numOf(id));
    this.#touchedBy.fill(0);
  }

  /** The story's number in the candidate sets (given when first filed). */
  #numOf(storyId: string): number {
    let n = this.#num.get(storyId);
    if (n === undefined) {
      n = this.#ids.length;
      this.#num.set(storyId, n);
      this.#ids.push(storyId);
    }
    return n;
  }
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
