// The candidate sets of a story index in memory: per matching key, the stories filed under it with
// their latest filing time. What Redis kept as sorted sets (story:cand:<key>, ZADD GT,
// ZREMRANGEBYSCORE on write) and what the engine's lookups read (engine.ts `Lookup`). One
// implementation for the in-memory index (`MemoryStoryIndex`: `analyze --cluster`, `eval`) and the
// Redis store's per-process mirror (adapters/redis/story-mirror.ts), so both answer a lookup alike.
//
// Laid out for memory (issue 16): a busy window holds tens of thousands of keys, most of them with
// a few stories (story-rate's 40,000 articles: 17,305 sets, 54,192 entries, ~3 a set), so what a
// set costs beyond its entries counted most: it was a Map (story id → time), three arrays (times,
// numbers, ids) and three map entries (the set, its floor, its last write): ~560 bytes of heap an
// entry. Now a set is one object: its entries as (time, story number) pairs in one array of
// doubles sized to fit while small, its floor and last write as fields, and a number → time map
// only once it is big (for `get`, else a scan of a few pairs); ids are the index's table of story
// numbers. Written by hand: a sorted pair array and a binary search (news arrives roughly in time
// order, so most filings land near the end).
import { ownString as own } from '../text/own-string.js';
import type { Hits, Lookup } from './engine.js';
import { grown, sameRun, type LookupReads, type ReadLookup } from './lookup-reads.js';

export { LookupReads, type ReadLookup } from './lookup-reads.js';

/** Entries from which a set keeps a story number → time map (below, `get` scans the pairs). */
const INDEXED_FROM = 48;
/** Entries below which a set's array is reallocated to fit on each insertion (above, it grows by V8's rule). */
const FIT_BELOW = 32;

/**
 * One candidate set: its entries (story number, latest filing time) in time order (ascending; ties
 * the smaller id first), so a read (engine.ts `readCandidateSet`: the window, the `perKey` latest,
 * ties to the greater id) is a binary search and at most `perKey` steps back (`CandidateSets.lookup`).
 */
class CandidateSet {
  /** Pairs [time, story number, time, story number, …], ascending by (time, id). */
  e: number[] = [];
  /** The bound below which entries count as trimmed (see `CandidateSets.file`). */
  floor = -Infinity;
  /** The latest `nowMs` the set was filed under (what its expiry counts from: `sweep`). */
  written = -Infinity;
  /** Story number → time, for big sets only (INDEXED_FROM). */
  idx: Map<number, number> | null = null;

  get size(): number {
    return this.e.length >> 1;
  }

  get(num: number): number | undefined {
    if (this.idx) return this.idx.get(num);
    const e = this.e;
    for (let i = e.length - 1; i > 0; i -= 2) if (e[i] === num) return e[i - 1];
    return undefined;
  }

  /** Sets the story's time (its entry moves to its place in the order); `ids`: the index's numbers → ids, for ties. */
  set(num: number, t: number, ids: readonly string[]): void {
    this.#put(num, t, this.get(num), ids);
  }

  /** Raises the story's time to `t` (files it when absent): ZADD GT. */
  raise(num: number, t: number, ids: readonly string[]): void {
    const old = this.get(num);
    if (old === undefined || t > old) this.#put(num, t, old, ids);
  }

  #put(num: number, t: number, old: number | undefined, ids: readonly string[]): void {
    if (old === t) return;
    if (old !== undefined) {
      // the entry moves in place (its neighbours shift by one pair): the common filing — a story
      // filed again under a key it has — allocates nothing, whatever the set's size
      this.#move(this.#at(old, num, ids), t, num, ids);
      this.idx?.set(num, t);
      return;
    }
    const i = this.#at(t, num, ids);
    const e = this.e;
    const n = e.length;
    if (n < 2 * FIT_BELOW) {
      const f = new Array<number>(n + 2);
      for (let j = 0; j < i; j++) f[j] = e[j]!;
      f[i] = t;
      f[i + 1] = num;
      for (let j = i; j < n; j++) f[j + 2] = e[j]!;
      this.e = f;
    } else {
      e.push(0, 0);
      e.copyWithin(i + 2, i, n);
      e[i] = t;
      e[i + 1] = num;
    }
    if (this.idx) this.idx.set(num, t);
    else if (this.size >= INDEXED_FROM) this.#index();
  }

  /** The entry at `from` (pairs × 2) gets time `t`: the entries between its old and new place shift by one pair. */
  #move(from: number, t: number, num: number, ids: readonly string[]): void {
    const e = this.e;
    // where (t, num) goes with the old entry still in place
    const to = this.#at(t, num, ids);
    if (to > from) {
      e.copyWithin(from, from + 2, to);
      e[to - 2] = t;
      e[to - 1] = num;
    } else {
      e.copyWithin(to + 2, to, from);
      e[to] = t;
      e[to + 1] = num;
    }
  }

  delete(num: number, ids: readonly string[]): void {
    const old = this.get(num);
    if (old === undefined) return;
    this.#remove(this.#at(old, num, ids));
    this.idx?.delete(num);
  }

  /** Drops the entries with time < `floor` (Redis's ZREMRANGEBYSCORE -inf (floor); the oldest come first in the order). */
  trimBelow(floor: number): void {
    const e = this.e;
    let n = 0;
    while (2 * n < e.length && e[2 * n]! < floor) n++;
    if (n === 0) return;
    this.e = e.slice(2 * n);
    if (this.idx) {
      if (this.size < INDEXED_FROM) this.idx = null;
      else for (let i = 0; i < n; i++) this.idx.delete(e[2 * i + 1]!);
    }
  }

  /** Gives every entry its story's number anew (`CandidateSets.sweep`); the order is by time and id, so it stands. */
  renumber(num: (old: number) => number): void {
    const e = this.e;
    for (let i = 1; i < e.length; i += 2) e[i] = num(e[i]!);
    if (this.idx) this.#index();
  }

  #index(): void {
    const m = new Map<number, number>();
    const e = this.e;
    for (let i = 0; i < e.length; i += 2) m.set(e[i + 1]!, e[i]!);
    this.idx = m;
  }

  #remove(i: number): void {
    const e = this.e;
    const n = e.length;
    if (n <= 2 * FIT_BELOW) {
      const f = new Array<number>(n - 2);
      for (let j = 0; j < i; j++) f[j] = e[j]!;
      for (let j = i + 2; j < n; j++) f[j - 2] = e[j]!;
      this.e = f;
    } else {
      e.copyWithin(i, i + 2, n);
      e.length = n - 2;
    }
  }

  /** The index (in pairs × 2) of (t, num) in the order, or where it goes. */
  #at(t: number, num: number, ids: readonly string[]): number {
    const e = this.e;
    const id = ids[num]!;
    let a = 0;
    let b = e.length >> 1;
    while (a < b) {
      const m = (a + b) >>> 1;
      const tm = e[2 * m]!;
      if (tm < t || (tm === t && ids[e[2 * m + 1]!]! < id)) a = m + 1;
      else b = m;
    }
    return 2 * a;
  }
}

/** What `CandidateSets.file` changed, per key filed under: the story's time in the set before it (none: not in it), the set's floor and last write before it, and whether the set was new. */
export type FilingJournal = [key: string, storyId: string, t: number | undefined, floor: number, written: number, created: boolean][];

/**
 * The candidate sets of an index: per matching key, the stories filed under it with their latest
 * filing time, and per key the bound below which entries count as trimmed.
 */
export class CandidateSets {
  readonly #sets = new Map<string, CandidateSet>();
  /** Story id → its number in the candidate sets, and back. */
  #num = new Map<string, number>();
  #ids: string[] = [];
  /** `lookup`'s work space, by story number: the weight summed so far, and the lookup that last touched it. */
  #acc = new Float64Array(1024);
  #touchedBy = new Uint32Array(1024);
  #lookups = 0;
  /** The story numbers a key's set gives a lookup (`#readKey`), read into this first. */
  #scratch = new Int32Array(256);
  readonly #windowMs: number;

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  /** Sets holding entries, entries, and story numbers given (figures for the mirror's memory bound). */
  stats(): { sets: number; entries: number; numbered: number } {
    let entries = 0;
    let sets = 0;
    for (const s of this.#sets.values()) {
      entries += s.size;
      if (s.size) sets += 1;
    }
    return { sets, entries, numbered: this.#ids.length };
  }

  /**
   * The stories of the keys' sets (`readCandidateSet`), weighed as `sumHits` does: the weights of a
   * story's keys added in key order, in a work array by story number instead of a map by id. Only
   * the stories at least as heavy as the `want`-th heaviest are answered (all ties kept; engine.ts
   * `Lookup.want`), in the order first found, as `sumHits` lists them.
   */
  lookup(q: Lookup): Hits {
    const lookupNo = this.#begin();
    const touched: number[] = [];
    for (let j = 0; j < q.keys.length; j++) {
      const end = this.#readKey(this.#sets.get(q.keys[j]!), q, this.#room(q.perKey), 0);
      this.#add(this.#scratch, 0, end, q.weights[j]!, lookupNo, touched);
    }
    return this.#answer(q, touched);
  }

  /**
   * `lookup`, keeping what each key's set gave in `reads` (a batch's), so that the answer can be
   * brought up to date after more filings (`relookup`).
   */
  lookupRead(q: Lookup, reads: LookupReads): ReadLookup {
    const lookupNo = this.#begin();
    const touched: number[] = [];
    const from = reads.n;
    const ends = new Int32Array(q.keys.length);
    for (let j = 0; j < q.keys.length; j++) {
      const at = reads.n;
      reads.n = this.#readKey(this.#sets.get(q.keys[j]!), q, reads.room(q.perKey), at);
      ends[j] = reads.n;
      this.#add(reads.nums, at, reads.n, q.weights[j]!, lookupNo, touched);
    }
    return { q, hits: this.#answer(q, touched), from, ends, reads };
  }

  /**
   * What `lookup(r.q)` answers now, from a `lookupRead` answer `r` when nothing changed the sets
   * since but filings under the keys of `filed`: those keys' sets are read again, the others'
   * reads are `r`'s, and the weights are summed again in key order as `lookup` sums them (the same
   * doubles, the same map in the same order). `r.hits` itself when no read changed.
   */
  relookup(r: ReadLookup, filed: ReadonlySet<string>): Hits {
    const q = r.q;
    const n = q.keys.length;
    // per key, its read now: r's (where the key was not filed under, or its set reads the same),
    // or read again into the scratch (`again[j]`: its start there, else -1)
    const again = new Int32Array(n).fill(-1);
    const againEnd = new Int32Array(n);
    let at = 0;
    let changed = false;
    for (let j = 0; j < n; j++) {
      if (!filed.has(q.keys[j]!)) continue;
      const end = this.#readKey(this.#sets.get(q.keys[j]!), q, this.#room(at + q.perKey), at);
      if (!sameRun(r.reads.nums, j ? r.ends[j - 1]! : r.from, r.ends[j]!, this.#scratch, at, end)) {
        again[j] = at;
        againEnd[j] = end;
        at = end;
        changed = true;
      }
    }
    if (!changed) return r.hits;
    const lookupNo = this.#begin();
    const touched: number[] = [];
    for (let j = 0; j < n; j++) {
      if (again[j]! >= 0) this.#add(this.#scratch, again[j]!, againEnd[j]!, q.weights[j]!, lookupNo, touched);
      else this.#add(r.reads.nums, j ? r.ends[j - 1]! : r.from, r.ends[j]!, q.weights[j]!, lookupNo, touched);
    }
    return this.#answer(q, touched);
  }

  /** A new lookup's number (its marks in the work space), the work space sized to the story numbers. */
  #begin(): number {
    if (this.#lookups === 0xffffffff) {
      this.#lookups = 0;
      this.#touchedBy.fill(0);
    }
    if (this.#acc.length < this.#ids.length) {
      this.#acc = new Float64Array(2 * this.#ids.length);
      this.#touchedBy = new Uint32Array(2 * this.#ids.length);
    }
    return ++this.#lookups;
  }

  /** The scratch with room for `n` story numbers. */
  #room(n: number): Int32Array {
    if (this.#scratch.length < n) this.#scratch = grown(this.#scratch, n);
    return this.#scratch;
  }

  /**
   * The stories a lookup reads of one key's set (engine.ts `readCandidateSet`: time in
   * [max(floor, tMin), tMax], the `perKey` latest, ties to the greater id), their numbers written
   * into `out` from `at` (room for `perKey` there); the end.
   */
  #readKey(set: CandidateSet | undefined, q: Lookup, out: Int32Array, at: number): number {
    if (!set) return at;
    const e = set.e;
    const lo = set.floor > q.tMin ? set.floor : q.tMin;
    const hi = q.tMax;
    // the first pair with time > hi
    let a = 0;
    let b = e.length >> 1;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (e[2 * m]! <= hi) a = m + 1;
      else b = m;
    }
    let o = at;
    for (let i = 2 * (a - 1), k = 0; i >= 0 && k < q.perKey && e[i]! >= lo; i -= 2, k++) out[o++] = e[i + 1]!;
    return o;
  }

  /** Adds weight `w` to the stories `nums[from..to)`, as `sumHits` does (first found: in `touched`). */
  #add(nums: Int32Array, from: number, to: number, w: number, lookupNo: number, touched: number[]): void {
    const acc = this.#acc;
    const touchedBy = this.#touchedBy;
    for (let i = from; i < to; i++) {
      const num = nums[i]!;
      if (touchedBy[num] !== lookupNo) {
        touchedBy[num] = lookupNo;
        acc[num] = w;
        touched.push(num);
      } else acc[num] = acc[num]! + w;
    }
  }

  /** The answer of the lookup that summed `touched` (first-found order): the stories at least as heavy as the want-th heaviest. */
  #answer(q: Lookup, touched: readonly number[]): Hits {
    const acc = this.#acc;
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
      // (the set looked up once for the journal and the filing: a look-up in ~17,000 sets is a
      // cache miss or two, and this runs for every key of every article filed)
      const was = this.#sets.get(k);
      if (journal) journal.push([k, storyId, was?.get(num), was?.floor ?? -Infinity, was?.written ?? -Infinity, !was]);
      const set = was ?? this.#newSet(k);
      set.raise(num, t, this.#ids);
      if (floor > set.floor) set.floor = floor;
      if (nowMs > set.written) set.written = nowMs;
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
      if (created) {
        this.#sets.delete(k);
        continue;
      }
      if (!set) continue;
      const num = this.#numOf(storyId);
      if (t === undefined) set.delete(num, this.#ids);
      else set.set(num, t, this.#ids);
      set.floor = floor;
      set.written = written;
    }
    journal.length = 0;
  }

  /**
   * An entry as found in data of the previous layout (migration): ZADD GT, nothing trimmed; the
   * set counts as written at its latest entry's time (when its Redis key's expiry was last set,
   * near enough: news is filed about when it is published).
   */
  seed(key: string, storyId: string, t: number): void {
    const set = this.#setOf(key);
    set.raise(this.#numOf(storyId), t, this.#ids);
    if (t > set.written) set.written = t;
  }

  /** A merge: in the sets of `keys`, the absorbed story's entry becomes the survivor's (the later time wins). */
  move(absorbed: string, survivor: string, keys: Iterable<string>): void {
    const a = this.#num.get(absorbed);
    if (a === undefined) return;
    for (const k of keys) {
      const set = this.#sets.get(k);
      const t = set?.get(a);
      if (!set || t === undefined) continue;
      set.delete(a, this.#ids);
      const s = this.#numOf(survivor);
      set.set(s, Math.max(set.get(s) ?? -Infinity, t), this.#ids);
    }
  }

  /**
   * Bounds the memory without changing an answer: drops the entries below each set's floor (they no
   * longer count), and the sets not filed under for more than 2 × window before `nowMs` (Redis let
   * such a set expire: its floor goes with it, as a Redis key's trim bound did), then numbers the
   * stories left anew when most numbers belong to stories gone. A set emptied by the trim stays
   * (a few fields: its floor must hold for entries filed below it later) until it expires.
   */
  sweep(nowMs: number): void {
    const expired = nowMs - 2 * this.#windowMs;
    for (const [k, set] of this.#sets) {
      if (set.written < expired) this.#sets.delete(k);
      else set.trimBelow(set.floor);
    }
    const live = new Set<number>();
    for (const set of this.#sets.values()) for (let i = 1; i < set.e.length; i += 2) live.add(set.e[i]!);
    if (this.#ids.length <= 2 * live.size + 1024) return;
    const oldIds = this.#ids;
    const renum = new Map<number, number>();
    this.#num = new Map();
    this.#ids = [];
    // in the order the numbers were given (so the new ones keep it), those still in a set
    for (let n = 0; n < oldIds.length; n++) if (live.has(n)) renum.set(n, this.#numOf(oldIds[n]!));
    for (const set of this.#sets.values()) set.renumber((old) => renum.get(old)!);
    this.#touchedBy.fill(0);
  }

  // keys and ids kept as strings of their own (text/own-string.ts): those of a change-log entry are
  // split out of it, and a view would keep the whole entry
  #setOf(key: string): CandidateSet {
    return this.#sets.get(key) ?? this.#newSet(key);
  }

  #newSet(key: string): CandidateSet {
    const set = new CandidateSet();
    this.#sets.set(own(key), set);
    return set;
  }

  /** The story's number in the candidate sets (given when first filed). */
  #numOf(storyId: string): number {
    let n = this.#num.get(storyId);
    if (n === undefined) {
      n = this.#ids.length;
      const id = own(storyId);
      this.#num.set(id, n);
      this.#ids.push(id);
    }
    return n;
  }
}
