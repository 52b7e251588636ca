// The one kind of module-level state core allows: a bounded memo of a PURE function of a string.
//
// Core holds no module-level mutable state (style.md: values in, values out; everything else is
// passed in by its caller). A memo of a pure function is the exception, kept here so there is one
// of it and test/unit/core-state.test.ts can refuse others: it cannot be observed — every call
// answers what `f` would (same argument, same value; nothing else read or written) — its memory is
// bounded (emptied when full; the words of the day refill it at once), and it holds no I/O, clock
// or configuration. Making each an instance owned by the caller would thread a cache object
// through every `stem()` and keyword test in the hot paths for no difference anyone could see.
// Never memoise a function whose answer depends on anything but its argument, nor one whose value
// is mutable (a RegExp with the g or y flag keeps lastIndex: share only flagless-of-those ones).
import { ownString } from './text/own-string.js';

/**
 * `f` of an object, remembered while the object lives (a WeakMap: bounded by the objects still in
 * use). The same rules, and the object must not change after its first call.
 */
export function pureWeakMemo<K extends object, V>(f: (k: K) => V): (k: K) => V {
  const seen = new WeakMap<K, V>();
  return (k) => {
    const hit = seen.get(k);
    if (hit !== undefined) return hit;
    const v = f(k);
    seen.set(k, v);
    return v;
  };
}

/** `f`, remembering up to `max` answers. `f` must be pure; its values must not be mutated. */
export function pureMemo<V>(f: (k: string) => V, max: number): (k: string) => V {
  const seen = new Map<string, V>();
  return (k) => {
    const hit = seen.get(k);
    if (hit !== undefined) return hit;
    const v = f(k);
    if (seen.size >= max) seen.clear();
    seen.set(k, v);
    return v;
  };
}

/**
 * `f` of a UTF-16 code unit (0…0xFFFF), remembered for every unit in one 64 KB table (so bounded
 * by its size). `f` must be pure and answer an integer 0…254.
 */
export function pureCharMemo(f: (unit: number) => number): (unit: number) => number {
  // 0: not known yet; else the answer + 1
  const seen = new Uint8Array(0x10000);
  return (c) => {
    const hit = seen[c]!;
    if (hit !== 0) return hit - 1;
    const v = f(c);
    seen[c] = v + 1;
    return v;
  };
}

/**
 * `String.prototype.charCodeAt`, called as `unitAt.call(s, i)` in the loops that read a text's code
 * units. Not `s.charCodeAt(i)`: once any module has run `class … extends String` (ioredis does, in
 * resp/verbatim-string.js, so every process of ours that talks to Redis), V8 (Node 20) no longer
 * inlines a String.prototype method called on a string, and `s.charCodeAt(i)` costs ~30 ns a unit
 * instead of ~3; a call through the function itself stays inlined either way (bench/README.md).
 */
const unitAt: (this: string, i: number) => number = String.prototype.charCodeAt;

/**
 * The hash `pureSliceMemo` files a piece under (FNV-1a over its UTF-16 code units): start from
 * SLICE_HASH_SEED and take `sliceHashStep(h, unit)` for each unit of the piece in order. A caller
 * that reads the piece's units anyway (a tokenizer) hashes them as it goes and asks
 * `pureHashedSliceMemo` with the hash, so the piece is not read a second time for it.
 */
export const SLICE_HASH_SEED = 0x811c9dc5 | 0;

export function sliceHashStep(h: number, unit: number): number {
  return Math.imul(h ^ unit, 0x01000193);
}

/**
 * `f` of a piece of a text (`text.slice(from, to)`), remembering up to `max` answers, found by the
 * piece's characters where it stands: a hit slices nothing out and hashes nothing twice (a Map
 * keyed by the sliced string pays for a new string and its hash on every call; the story features
 * ask this for every word of every article). The same rules as `pureMemo`; emptied when full.
 */
export function pureSliceMemo<V>(f: (piece: string) => V, max: number): (text: string, from: number, to: number) => V {
  const memo = pureHashedSliceMemo(f, max);
  return (text, from, to) => {
    let h = SLICE_HASH_SEED;
    for (let i = from; i < to; i++) h = sliceHashStep(h, unitAt.call(text, i));
    return memo(text, from, to, h);
  };
}

/**
 * `pureSliceMemo` given the piece's hash (`hash`: SLICE_HASH_SEED and `sliceHashStep` over its
 * units; a wrong hash only misses the memo, it never answers for another piece: a hit compares the
 * characters). Written by hand: an open-addressing table (linear probing) over the pieces' own strings.
 */
export function pureHashedSliceMemo<V>(f: (piece: string) => V, max: number): (text: string, from: number, to: number, hash: number) => V {
  let size = 16;
  while (size < 2 * max) size *= 2;
  const mask = size - 1;
  let pieces: (string | undefined)[] = new Array<string | undefined>(size);
  let values: (V | undefined)[] = new Array<V | undefined>(size);
  let hashes = new Int32Array(size);
  let count = 0;
  return (text, from, to, hash) => {
    // 0 marks an empty slot, so a piece hashing to 0 is filed as 1
    const h = hash === 0 ? 1 : hash;
    const len = to - from;
    let slot = h & mask;
    // the hashes first (one typed array): a piece's string is read only when its hash matches
    for (let hh = hashes[slot]!; hh !== 0; hh = hashes[slot]!) {
      if (hh === h) {
        const p = pieces[slot]!;
        if (p.length === len) {
          let k = 0;
          while (k < len && unitAt.call(p, k) === unitAt.call(text, from + k)) k++;
          if (k === len) return values[slot]!;
        }
      }
      slot = (slot + 1) & mask;
    }
    // a copy of its own: a slice of 13 characters or more is a view that keeps the whole text alive
    // (the memo of story words held ~4 MB of article texts through ~5,500 such words at 1,000 feeds)
    const piece = ownString(text.slice(from, to));
    const v = f(piece);
    if (count >= max) {
      pieces = new Array<string | undefined>(size);
      values = new Array<V | undefined>(size);
      hashes = new Int32Array(size);
      count = 0;
      slot = h & mask;
    }
    pieces[slot] = piece;
    values[slot] = v;
    hashes[slot] = h;
    count++;
    return v;
  };
}
